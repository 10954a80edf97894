"""Helpers for Streamlit AppTest tests of the pages."""

from __future__ import annotations

import json

from helpers import ROOT
from streamlit.testing.v1 import AppTest


def open_page(page: str, query: dict | None = None, timeout: int = 90) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"pages/{page}").run()
    return at


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def texts(at: AppTest, kind: str) -> str:
    return " ".join(str(e.value) for e in getattr(at, kind))


def tiny_train_settings(at: AppTest, steps: int = 5000) -> None:
    """Shrink the Train page's model so a tick trains many steps on 2 cores."""
    for key, value in (("hidden_size", 8), ("embed_size", 4), ("seq_len", 16), ("batch_size", 4), ("steps", steps)):
        at.sidebar.number_input(key=f"train.w.{key}").set_value(value)
    at.run()


def array(value):
    """A Plotly array from a chart spec: a plain list, or a typed array {dtype, bdata, shape}."""
    import base64

    import numpy as np

    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            data = data.reshape([int(n) for n in str(value["shape"]).split(",")])
        return data.tolist()
    return value
