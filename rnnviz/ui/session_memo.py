"""The last result a page computed from a model, kept in the session for the next rerun that asks the same.

Inspect reruns its whole script when a student picks another view, layer or unit, and each rerun traced the same
text through the same weights again (a full replay, checked against the fused layer) before drawing a different
part of it. A result is kept with the model it came from (a weak reference: a model dropped is not kept alive, and
a new model at the same address is not taken for it), the version of every weight (an optimizer's step or a
``load_state_dict`` changes it in place) and the inputs; anything else computes afresh.

A kept result is memory the session holds between reruns (a trace of 2,000 characters through the 2x512
Shakespeare LSTM: 48 MB), so each name keeps one result, and every page drops the results of the pages the session
has left (``forget_other_pages``, called by ``ui/navigation.setup_page``): a class that looked at Inspect and moved
on to a lesson holds none.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from torch import nn

T = TypeVar("T")
PREFIX = "memo."


def weights_version(model: nn.Module) -> tuple[tuple[int, int], ...]:
    """Which tensor each weight is, and how often it has been changed in place (``Tensor._version``)."""
    return tuple((id(p), p._version) for p in model.parameters())


def _this_page() -> str | None:
    ctx = get_script_run_ctx()
    return None if ctx is None else ctx.page_script_hash


def last_result(name: str, model: nn.Module, inputs: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned on this session's last call under ``name`` when ``model`` (the very
    object, its weights unchanged) and ``inputs`` are the same. An exception is raised again every time."""
    slot = PREFIX + name
    version = weights_version(model)
    held = st.session_state.get(slot)
    if held is not None:
        _, model_ref, held_version, held_inputs, value = held
        if model_ref() is model and held_version == version and held_inputs == inputs:
            return value
    value = compute()
    st.session_state[slot] = (_this_page(), weakref.ref(model), version, inputs, value)
    return value


def forget_other_pages() -> None:
    """Drop the results kept by any page but this one (every page calls it first)."""
    here = _this_page()
    for key in [key for key in st.session_state.keys() if str(key).startswith(PREFIX)]:
        if st.session_state[key][0] != here:
            del st.session_state[key]
