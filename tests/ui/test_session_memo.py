"""A page's last result is read again only for the same model object, unchanged weights and the same inputs."""

import gc

import pytest
import torch
from torch import nn

import rnnviz.ui.session_memo as session_memo


@pytest.fixture
def state(monkeypatch):
    class FakeStreamlit:
        session_state: dict = {}

    monkeypatch.setattr(session_memo, "st", FakeStreamlit)
    FakeStreamlit.session_state = {}
    return FakeStreamlit.session_state


def test_the_same_model_and_inputs_read_the_last_result_and_anything_else_computes(state):
    calls = []

    def compute(tag):
        return lambda: calls.append(tag) or tag

    model = nn.Linear(3, 2)
    assert session_memo.last_result("view", model, "text", compute(1)) == 1
    assert session_memo.last_result("view", model, "text", compute(2)) == 1  # kept
    assert session_memo.last_result("view", model, "other text", compute(3)) == 3  # other inputs
    assert session_memo.last_result("another", model, "other text", compute(4)) == 4  # each name its own
    with torch.no_grad():
        model.weight.add_(1.0)  # an optimizer's step changes a weight in place
    assert session_memo.last_result("view", model, "other text", compute(5)) == 5
    model.bias = nn.Parameter(torch.zeros(2))  # a weight replaced
    assert session_memo.last_result("view", model, "other text", compute(6)) == 6
    assert session_memo.last_result("view", nn.Linear(3, 2), "other text", compute(7)) == 7  # another model
    assert calls == [1, 3, 4, 5, 6, 7]


def test_a_kept_result_does_not_keep_its_model_alive_and_an_error_is_not_kept(state):
    model = nn.Linear(3, 2)
    session_memo.last_result("view", model, "text", lambda: "traced")
    del model
    gc.collect()
    (_, model_ref, _, _, value) = state["memo.view"]
    assert model_ref() is None and value == "traced"

    def fails():
        raise ValueError("empty text")

    fresh = nn.Linear(3, 2)
    for _ in range(2):
        with pytest.raises(ValueError):
            session_memo.last_result("view", fresh, "", fails)


def test_a_page_drops_what_another_page_kept_and_keeps_its_own():
    from apptest_helpers import open_page

    at = open_page("2_Inspect.py")
    assert not at.exception and "memo.inspect.trace" in at.session_state  # kept for Inspect's next rerun
    at.segmented_control(key="inspect.view").set_value("gates").run()
    assert "memo.inspect.trace" in at.session_state
    at.switch_page("pages/0_Lessons.py").run()
    assert not at.exception and "memo.inspect.trace" not in at.session_state  # left: a trace (up to 48 MB) is not held
