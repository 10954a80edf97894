"""A Streamlit session without a browser: a websocket client that speaks Streamlit's protocol, clicks widgets by
their keys, runs the page's timed fragments as a browser would, and renders nothing.

``ws_probe.py`` times one page run; a class needs more: a student joins (types a nickname, clicks Join), answers
(picks an option, clicks Lock in) and then sits on the page, whose ``st.fragment(run_every=...)`` polls are started
by the browser (the server sends ``auto_rerun`` and the client asks for each run). This client does the same, so a
class of simulated students costs the server what a class of phones would, minus the drawing.

A widget is found by its user key at the end of its element id (``$$ID-<hash>-<key>``); a rerun sends only the
widgets this client has set, the rest at their defaults, as a fresh browser tab would.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

WIDGETS = ("button", "radio", "text_input", "select_slider", "checkbox", "toggle")


class StreamlitSession:
    def __init__(self, url: str, page_name: str, query_string: str = "", cookie: str | None = None) -> None:
        parts = urlsplit(url)
        headers = {"Cookie": cookie} if cookie else None
        self._ws = connect(
            f"ws://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=120,
            additional_headers=headers,
        )
        self.page_name = page_name
        self.query_string = query_string
        self.page_hash = ""
        self.widgets: dict[str, str] = {}  # user key -> element id, as last drawn
        self.options: dict[str, list[str]] = {}  # a radio's key -> its options as shown (its value is one of them)
        self.full_runs: list[float] = []  # perf_counter times at which a whole-page run finished
        self.fragment_runs = 0
        self.fragment_times: list[float] = []  # perf_counter times at which a fragment's run finished
        self.texts: list[str] = []  # markdown of the last whole-page run
        self.closed = False
        self._lock = threading.Lock()
        self._finished = threading.Condition(self._lock)
        self._timers: dict[str, float] = {}  # fragment id -> interval
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._ticker = threading.Thread(target=self._tick, daemon=True)
        self._reader.start()
        self._ticker.start()

    # --- sending ---------------------------------------------------------------------------------------------------

    def rerun(self, states: list | None = None, fragment_id: str = "", wait: bool = True, timeout: float = 120) -> None:
        message = BackMsg()
        client = message.rerun_script
        client.query_string = self.query_string
        client.page_name = self.page_name
        if fragment_id:  # a fragment belongs to the page's script (a whole-page run finds the page by its name)
            client.page_script_hash = self.page_hash
        if fragment_id:
            client.fragment_id = fragment_id
            client.is_auto_rerun = True
        for setter in states or []:
            setter(client.widget_states.widgets.add())
        with self._lock:
            seen = len(self.full_runs)
        self._ws.send(message.SerializeToString())
        if wait and not fragment_id:
            self.wait_for_run(seen, timeout)

    def wait_for_run(self, seen: int, timeout: float = 120) -> None:
        """Until a whole-page run after the ``seen``-th has finished."""
        with self._finished:
            if not self._finished.wait_for(lambda: len(self.full_runs) > seen or self.closed, timeout):
                raise TimeoutError(f"{self.page_name}: no page run within {timeout} s")

    def _id(self, key: str) -> str:
        with self._lock:
            if key not in self.widgets:
                raise KeyError(f"no widget {key!r} on the page: {sorted(self.widgets)}")
            return self.widgets[key]

    def click(self, key: str, **kwargs) -> None:
        widget = self._id(key)

        def state(w):
            w.id, w.trigger_value = widget, True

        self.rerun([state], **kwargs)

    def type_and_click(self, text_key: str, text: str, button_key: str) -> None:
        text_id, button = self._id(text_key), self._id(button_key)

        def typed(w):
            w.id, w.string_value = text_id, text

        def clicked(w):
            w.id, w.trigger_value = button, True

        self.rerun([typed, clicked])

    def choose_and_click(self, radio_key: str, index: int, button_key: str) -> None:
        """Pick an option (the page reruns, as a browser's does, and enables the button), then click."""
        radio = self._id(radio_key)
        shown = self.options[radio_key][index]

        def chosen(w):
            w.id, w.string_value = radio, shown

        self.rerun([chosen])
        button = self._id(button_key)

        def clicked(w):
            w.id, w.trigger_value = button, True

        self.rerun([chosen, clicked])

    def param(self, name: str) -> str | None:
        for part in self.query_string.split("&"):
            key, _, value = part.partition("=")
            if key == name:
                return value
        return None

    # --- receiving -------------------------------------------------------------------------------------------------

    def _read(self) -> None:
        pending: dict[str, str] = {}  # what this run drew: widgets, markdown, timed fragments
        texts: list[str] = []
        timers: dict[str, float] = {}
        options: dict[str, list[str]] = {}
        try:
            while True:
                reply = ForwardMsg()
                reply.ParseFromString(self._ws.recv())
                kind = reply.WhichOneof("type")
                if kind == "new_session":
                    pages = {page.page_name: page.page_script_hash for page in reply.new_session.app_pages}
                    with self._lock:  # the page's own script (new_session names the main script's)
                        self.page_hash = pages.get(self.page_name, reply.new_session.page_script_hash)
                    pending, texts, timers, options = {}, [], {}, {}
                elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                    element = reply.delta.new_element
                    which = element.WhichOneof("type")
                    if which in WIDGETS:
                        widget_id = getattr(element, which).id
                        key = widget_id.split("-", 2)[2] if widget_id.startswith("$$ID-") else widget_id
                        pending[key] = widget_id
                        if which == "radio":
                            options[key] = list(element.radio.options)
                    elif which == "markdown":
                        texts.append(element.markdown.body)
                    elif which in ("exception", "alert"):
                        texts.append(f"{which}: {getattr(element, which)}")
                elif kind == "page_info_changed":
                    with self._lock:
                        self.query_string = reply.page_info_changed.query_string
                elif kind == "auto_rerun":
                    timers[reply.auto_rerun.fragment_id] = reply.auto_rerun.interval
                elif kind == "script_finished":
                    status = reply.script_finished
                    with self._finished:
                        if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                            self.widgets = dict(pending)
                            self.options = dict(options)
                            self._timers = timers  # a whole-page run registers its timed fragments anew
                            self.texts = texts
                            self.full_runs.append(time.perf_counter())
                            self._finished.notify_all()
                        elif status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                            self.fragment_runs += 1
                            self.fragment_times.append(time.perf_counter())
                            self.widgets.update(pending)
                            self._timers.update(timers)
                            self.options.update(options)
                    pending, texts, timers, options = {}, [], {}, {}
        except Exception:  # the connection closed
            with self._finished:
                self.closed = True
                self._finished.notify_all()

    def _tick(self) -> None:
        """Run each timed fragment at its interval, as the browser's timer does."""
        due: dict[str, float] = {}
        while not self.closed:
            now = time.perf_counter()
            with self._lock:
                timers = dict(self._timers)
            for fragment, interval in timers.items():
                if now >= due.setdefault(fragment, now + interval):
                    due[fragment] = now + interval
                    try:
                        self.rerun(fragment_id=fragment, wait=False)
                    except Exception:
                        return
            time.sleep(0.05)

    def close(self) -> None:
        self.closed = True
        self._ws.close()
