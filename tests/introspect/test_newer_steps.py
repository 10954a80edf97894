"""A newer cell's step with an edit (``newer_steps.py``) is its own replay's step: what an intervention records of each
gate, decay and state is what the cell's ``replay`` (the Inspect page's trace) shows, layer by layer."""

import pytest
import torch
from helpers import TINY_TEXT

from rnnviz.charlm.model import ModelConfig
from rnnviz.charlm.trainer import build_model
from rnnviz.charlm.vocab import CharVocab
from rnnviz.introspect.intervene import TARGETS, Intervention, intervene
from rnnviz.introspect.newer_steps import mingru_step, minlstm_step, ssm_step

VOCAB = CharVocab.from_text(TINY_TEXT)
TEXT = TINY_TEXT[:40]
REPLAY_NAME = {"ssm": {"h": "out"}}  # the SSM's layer output is "out" in its replay, its h in the trace
CASES = [(cell, state) for cell in ("mingru", "minlstm", "ssm") for state in TARGETS[cell]]


def tiny(cell: str):
    config = ModelConfig(vocab_size=VOCAB.size, cell=cell, hidden_size=10, num_layers=2, embed_size=6)
    return build_model(config, seed=1)


@pytest.mark.parametrize("cell, state", CASES)
def test_what_an_intervention_records_is_the_cells_own_replay(cell, state):
    model = tiny(cell)
    ids = VOCAB.encode(TEXT)
    with torch.no_grad():
        replays = model.rnn.replay(model.embed(ids[None]))  # one dict per layer, each (1, T, ...)
    for layer in (0, 1):
        result = intervene(model, VOCAB, TEXT, Intervention(layer=layer, state=state, unit=4, continuation=0))
        expected = replays[layer][REPLAY_NAME.get(cell, {}).get(state, state)][0, :, 4]  # (T,)
        assert result.untouched.values.shape == expected.shape
        assert float((result.untouched.values - expected).abs().max()) <= 1e-6


@pytest.mark.parametrize("cell", ["mingru", "minlstm", "ssm"])
def test_a_step_without_an_edit_is_the_step_with_one_that_returns_what_it_gets(cell):
    layer = tiny(cell).rnn.layers[0]
    x = torch.randn(3, 6)  # (B, In)
    h = torch.rand(3, *layer.state_shape())  # (B, H) or (B, D, N)
    seen = []

    def watch(name, value):
        seen.append(name)
        return value

    step = {"mingru": mingru_step, "minlstm": minlstm_step, "ssm": ssm_step}[cell]
    with torch.no_grad():
        plain, edited = step(layer, x, h), step(layer, x, h, watch)
    for a, b in zip(plain if cell == "ssm" else (plain,), edited if cell == "ssm" else (edited,)):
        assert torch.equal(a, b)
    assert set(seen) == set(TARGETS[cell])  # every target passes through the edit, once a step
    assert len(seen) == len(TARGETS[cell])
