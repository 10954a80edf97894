"""An intervention on a newer cell goes through the cell's own ``step``, the one its replay walks: what it records of
each gate, decay and state is what the cell's ``replay`` (the Inspect page's trace) shows, layer by layer."""

import pytest
import torch
from helpers import TINY_TEXT

from rnnviz.charlm.model import ModelConfig
from rnnviz.charlm.trainer import build_model
from rnnviz.charlm.vocab import CharVocab
from rnnviz.introspect.intervene import TARGETS, Intervention, intervene

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

    with torch.no_grad():
        if cell == "ssm":
            inputs = {name: value[:, 0] for name, value in layer._inputs(x[:, None]).items()}
            plain, edited = layer.step(inputs, h), layer.step(inputs, h, watch)
        else:
            plain, edited = (layer.step(layer.linear(x), h),), (layer.step(layer.linear(x), h, watch),)
        replayed = layer.replay(x[:, None], h)  # the same step, recorded
    for a, b in zip(plain, edited):
        assert torch.equal(a, b)
    assert len(seen) == len(set(seen))  # each value passes through the edit once a step
    assert set(seen) == set(replayed) - {"B", "C"}  # and the replay records every one (the SSM's B and C are inputs)
    step_name = {"h": "out"} if cell == "ssm" else {}  # the SSM's h, to an intervention, is its layer output
    assert {step_name.get(target, target) for target in TARGETS[cell]} <= set(seen)  # every target passes
