"""Where a teacher's links point: ``public_base_url``'s order (the environment, Streamlit's config, the browser's
address unless it is a loopback one, the network's), and the share panel's link, QR code and warning."""

import pytest
from streamlit.testing.v1 import AppTest

from rnnviz.ui import public_address
from rnnviz.ui.public_address import public_base_url


@pytest.fixture
def machine(monkeypatch):
    """A machine whose config, browser address and network address each test sets; no RNNVIZ_PUBLIC_URL."""
    options = {"browser.serverAddress": "localhost", "browser.serverPort": 8501, "server.baseUrlPath": ""}
    found = {"browser": "http://127.0.0.1:8501", "network": "192.168.1.20"}
    monkeypatch.delenv("RNNVIZ_PUBLIC_URL", raising=False)
    monkeypatch.setattr(public_address.config, "get_option", lambda name: options.get(name))
    monkeypatch.setattr(public_address, "_browser_url", lambda: found["browser"])
    monkeypatch.setattr(public_address, "network_address", lambda: found["network"])
    return options, found


def test_the_environment_comes_first(machine, monkeypatch):
    options, _ = machine
    options["browser.serverAddress"] = "rnnviz.example"
    monkeypatch.setenv("RNNVIZ_PUBLIC_URL", "https://rnnviz.school.example/class/")
    assert public_base_url() == public_address.PublicAddress(
        url="https://rnnviz.school.example/class", source="env", loopback=False
    )
    monkeypatch.setenv("RNNVIZ_PUBLIC_URL", "http://127.0.0.1:8501")
    assert public_base_url().loopback  # set, and still only this machine: the page warns


def test_then_streamlit_s_server_address_when_it_is_not_the_default(machine):
    options, _ = machine
    options.update({"browser.serverAddress": "rnnviz.example", "browser.serverPort": 8600})
    address = public_base_url()
    assert (address.url, address.source, address.loopback) == ("http://rnnviz.example:8600", "server_address", False)


def test_then_the_browser_s_address_unless_it_is_a_loopback_one(machine):
    _, found = machine
    found["browser"] = "https://rnnviz.school.example"  # behind a proxy: what the teacher opened is public
    assert public_base_url().source == "browser" and not public_base_url().loopback
    found["browser"] = "http://localhost:8501"
    address = public_base_url()
    assert (address.url, address.source, address.loopback) == ("http://192.168.1.20:8501", "network", False)


def test_a_machine_without_a_network_leaves_the_loopback_and_says_so(machine):
    _, found = machine
    found["network"] = None
    address = public_base_url()
    assert (address.url, address.source, address.loopback) == ("http://127.0.0.1:8501", "browser", True)


def test_the_network_address_probe_sends_nothing_and_is_never_a_loopback():
    address = public_address.network_address()
    assert address is None or not public_address.is_loopback(address)
    assert public_address.is_loopback("localhost") and public_address.is_loopback("[::1]")
    assert public_address.is_loopback("127.0.0.2") and not public_address.is_loopback("192.168.1.20")


def share_script():
    import streamlit as st

    from rnnviz.i18n import use_language
    from rnnviz.ui.url_state import UrlSettings

    with use_language(st.query_params.get("lang", "en")):  # a page's language, as its sidebar switch sets it
        url = UrlSettings("Demo")
        url.number("Steps", 1, 100, 10, "steps", "demo.steps")
        url.share_panel()


def test_the_share_panel_links_the_public_address_and_warns_on_a_loopback(monkeypatch):
    monkeypatch.setenv("RNNVIZ_PUBLIC_URL", "http://192.168.1.20:8501")
    at = AppTest.from_function(share_script, default_timeout=30).run()
    link = at.sidebar.code[-1].value
    assert link.startswith("http://192.168.1.20:8501/?") and "page=Demo" in link and not at.sidebar.warning
    monkeypatch.setenv("RNNVIZ_PUBLIC_URL", "http://127.0.0.1:8501")
    at = AppTest.from_function(share_script, default_timeout=30).run()
    assert at.sidebar.code[-1].value.startswith("http://127.0.0.1:8501/?")
    assert "RNNVIZ_PUBLIC_URL" in at.sidebar.warning[0].value and "own computer" in at.sidebar.warning[0].value
    at.query_params["lang"] = "zh"
    at.run()
    assert "自己的电脑" in at.sidebar.warning[0].value
