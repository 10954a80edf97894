"""The last result a page computed from a model, kept in the session for the next rerun that asks the same.

Inspect reruns its whole script when a student picks another view, layer or unit, and each rerun traced the same
text through the same weights again (a full replay, checked against the fused layer) before drawing a different
part of it. A result is kept with the model it came from (a weak reference: a model dropped is not kept alive, and
a new model at the same address is not taken for it), the version of every weight (an optimizer's step or a
``load_state_dict`` changes it in place) and the inputs; anything else computes afresh.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st
from torch import nn

T = TypeVar("T")


def weights_version(model: nn.Module) -> tuple[tuple[int, int], ...]:
    """Which tensor each weight is, and how often it has been changed in place (``Tensor._version``)."""
    return tuple((id(p), p._version) for p in model.parameters())


def last_result(name: str, model: nn.Module, inputs: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned on this session's last call under ``name`` when ``model`` (the very
    object, its weights unchanged) and ``inputs`` are the same. An exception is raised again every time."""
    slot = f"memo.{name}"
    version = weights_version(model)
    held = st.session_state.get(slot)
    if held is not None:
        model_ref, held_version, held_inputs, value = held
        if model_ref() is model and held_version == version and held_inputs == inputs:
            return value
    value = compute()
    st.session_state[slot] = (weakref.ref(model), version, inputs, value)
    return value
