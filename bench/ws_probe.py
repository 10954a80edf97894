"""Time a page run as the server sees it: a bare websocket client, no browser.

On one machine the browser tabs of a load test compete with the server for the cores, so a click
timed in Chromium measures the browser as much as the server. This client speaks Streamlit's own
protocol (the protobuf messages in ``streamlit.proto``): it opens a session, asks for a page run and
waits for the ``script_finished`` message, like a browser would, but renders nothing.
"""

from __future__ import annotations

import time

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect


def page_run(url: str, page_name: str, timeout: float = 120.0, query: str = "") -> tuple[float, list[str]]:
    """Seconds from asking for ``page_name`` (``""``: the home page) in a new session, with ``query`` as a link's
    query string (``"server_status=true"``), until its script has finished, and the markdown texts the page sent."""
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    with connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout) as ws:
        message = BackMsg()
        message.rerun_script.page_name = page_name
        message.rerun_script.query_string = query
        started = time.perf_counter()
        ws.send(message.SerializeToString())
        deadline = started + timeout
        texts = []
        while time.perf_counter() < deadline:
            reply = ForwardMsg()
            reply.ParseFromString(ws.recv(timeout=deadline - time.perf_counter()))
            kind = reply.WhichOneof("type")
            if kind == "delta" and reply.delta.new_element.WhichOneof("type") == "markdown":
                texts.append(reply.delta.new_element.markdown.body)
            if kind == "script_finished":
                return time.perf_counter() - started, texts
    raise TimeoutError(f"{page_name} did not finish within {timeout} s")


if __name__ == "__main__":
    from pathlib import Path

    from rnnviz.testing.app_server import app_server

    with app_server(Path("/tmp/probe-server.log")) as server:
        for name in ("Generate", "Generate", "Inspect"):
            print(name, f"{page_run(server.url, name)[0]:.2f} s")
