"""The address students can reach this app at, for the links and QR codes a teacher hands out.

The address the teacher's own browser used is often the wrong one: a teacher who opened ``http://127.0.0.1:8501``
would hand the class a QR code that points at each student's own phone. In order: ``$RNNVIZ_PUBLIC_URL`` (what a
deployment behind a proxy sets), Streamlit's ``browser.serverAddress`` when it is set to something other than
its default, the machine's address on its network (with the server's port), and only then what the browser used.
``loopback`` says the address found points back at one machine, so the page can warn the teacher.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import streamlit as st
from streamlit import config

PUBLIC_URL_ENV = "RNNVIZ_PUBLIC_URL"
_DEFAULT_SERVER_ADDRESS = "localhost"


@dataclass(frozen=True, kw_only=True)
class PublicAddress:
    url: str  # scheme, host, port and base path, no trailing slash: "http://192.168.1.20:8501"
    source: str  # "env", "server_address", "network" or "browser"
    loopback: bool  # the host is this machine only (127.0.0.1, localhost, ::1)


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def network_address() -> str | None:
    """This machine's address on its network: the source address of a UDP socket "connected" to a public address
    (no packet is sent), or None without a network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere, and nothing is sent
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if is_loopback(address) or address == "0.0.0.0" else address


def _base_path() -> str:
    path = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{path}" if path else ""


def _browser_url() -> str:
    url = st.context.url or ""
    parts = urlsplit(url)
    if not parts.scheme:
        return "http://localhost:8501"
    return f"{parts.scheme}://{parts.netloc}{_base_path()}"


def public_base_url() -> PublicAddress:
    """Where students reach the app, and how it was found."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip().rstrip("/")
    if configured:
        return PublicAddress(url=configured, source="env", loopback=is_loopback(urlsplit(configured).hostname or ""))
    port = config.get_option("browser.serverPort") or config.get_option("server.port")
    server_address = (config.get_option("browser.serverAddress") or "").strip()
    if server_address and server_address != _DEFAULT_SERVER_ADDRESS:
        url = f"http://{server_address}:{port}{_base_path()}"
        return PublicAddress(url=url, source="server_address", loopback=is_loopback(server_address))
    browser = _browser_url()
    browser_host = urlsplit(browser).hostname or ""
    if not is_loopback(browser_host):
        return PublicAddress(url=browser, source="browser", loopback=False)
    network = network_address()
    if network is not None:
        return PublicAddress(url=f"http://{network}:{port}{_base_path()}", source="network", loopback=False)
    return PublicAddress(url=browser, source="browser", loopback=True)
