"""Interventions: a clamped unit through the exact replay, beside the untouched run."""

import pytest
import torch
from helpers import TINY_TEXT

from rnnviz.charlm.generation import SamplingConfig, generate
from rnnviz.charlm.model import ConfigError, ModelConfig
from rnnviz.charlm.trainer import build_model
from rnnviz.charlm.vocab import CharVocab
from rnnviz.i18n import use_language
from rnnviz.introspect.intervene import (
    TARGETS,
    Intervention,
    first_difference,
    intervene,
    largest_change,
    most_changed_token,
    token_probabilities,
)

VOCAB = CharVocab.from_text(TINY_TEXT)
TEXT = TINY_TEXT[:60]
FROM = 25


def model_for(cell: str, layers: int = 2, nonlinearity: str = "tanh"):
    config = ModelConfig(
        vocab_size=VOCAB.size,
        cell=cell,
        hidden_size=12,
        num_layers=layers,
        embed_size=6,
        nonlinearity=nonlinearity,
    )
    model = build_model(config, seed=0)
    with torch.no_grad():  # larger weights than the default: a clamped unit moves the others
        for name, p in model.rnn.named_parameters():
            if name.startswith("weight"):
                p.mul_(2.0)
            if name.endswith("delta_proj.bias"):  # the SSM's step sizes near 1, not near 0 as at initialisation
                p.fill_(0.5)
    return model


CASES = [(cell, state) for cell, states in TARGETS.items() for state in states]


@pytest.mark.parametrize("cell, state", CASES)
def test_clamping_a_unit_to_its_own_values_changes_nothing(cell, state):
    model = model_for(cell)
    probe = Intervention(layer=1, state=state, unit=3, from_position=FROM, continuation=12)
    own = intervene(model, VOCAB, TEXT, probe).untouched
    patched = Intervention(
        layer=1, state=state, unit=3, from_position=FROM, continuation=12, value=tuple(own.values[FROM:].tolist())
    )
    result = intervene(model, VOCAB, TEXT, patched)
    assert torch.equal(result.clamped.logits, result.untouched.logits)
    assert torch.equal(result.clamped.values, result.untouched.values)
    assert float((result.clamped.top - result.untouched.top).abs().max()) == 0.0


@pytest.mark.parametrize("cell, state", CASES)
def test_zeroing_a_unit_changes_the_run_from_its_position_on_only(cell, state):
    model = model_for(cell)
    layer = 0 if state == "h" else 1  # a lower layer's h reaches the top through the next layer
    result = intervene(model, VOCAB, TEXT, Intervention(layer=layer, state=state, unit=3, from_position=FROM))
    before, after = slice(0, FROM), slice(FROM, None)
    assert torch.equal(result.clamped.logits[before], result.untouched.logits[before])
    assert torch.equal(result.clamped.values[before], result.untouched.values[before])
    assert (result.clamped.logits[after] != result.untouched.logits[after]).any(dim=1).all()  # at every step on
    assert (result.clamped.values[after] == 0).all() and not (result.untouched.values[after] == 0).all()


CELLS = [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")]
CELLS += [("mingru", "tanh"), ("minlstm", "tanh"), ("ssm", "tanh")]  # checked against their parallel scans


@pytest.mark.parametrize("cell, nonlinearity", CELLS)
@pytest.mark.parametrize("layers", [1, 2])
def test_the_untouched_run_is_the_fused_model_and_continues_as_it_generates(cell, nonlinearity, layers):
    model = model_for(cell, layers, nonlinearity)
    result = intervene(model, VOCAB, TEXT, Intervention(layer=layers - 1, unit=5, continuation=30))
    with torch.no_grad():
        logits, _ = model(VOCAB.encode(TEXT)[None])
    assert float((result.untouched.logits - logits[0]).abs().max()) <= 1e-5
    assert result.exact and result.max_abs_diff <= 1e-5
    greedy = generate(model, VOCAB, TEXT, SamplingConfig(length=30, greedy=True))
    assert result.untouched.continuation == greedy and len(result.untouched.continuation_ids) == 30
    assert len(result.clamped.continuation) == 30
    assert result.tokens == list(TEXT)


def test_the_clamp_holds_in_the_continuation_and_the_readings_read_it():
    model = model_for("lstm")
    result = intervene(model, VOCAB, TEXT, Intervention(layer=1, state="c", unit=2, value=3.0, continuation=20))
    token = most_changed_token(result)
    before, after = token_probabilities(result, token)
    assert len(before) == len(after) == len(TEXT) and before != after
    position, was, now = largest_change(result, token)
    assert (was, now) == (before[position], after[position])
    assert abs(now - was) == max(abs(a - b) for a, b in zip(after, before))
    assert first_difference([1, 2, 3], [1, 2, 3]) is None and first_difference([1, 2, 3], [1, 5, 3]) == 1
    assert first_difference([1, 2], [1, 2, 3]) == 2
    assert result.untouched.continuation != result.clamped.continuation  # c held at 3 for every step


def test_a_bad_intervention_is_refused_in_the_readers_words():
    lstm, rnn = model_for("lstm"), model_for("rnn")
    with pytest.raises(ConfigError, match="unit 12 does not exist"):
        intervene(lstm, VOCAB, TEXT, Intervention(unit=12))
    with pytest.raises(ConfigError, match="position 60"):
        intervene(lstm, VOCAB, TEXT, Intervention(from_position=60))
    with pytest.raises(ConfigError, match="has no f"):
        intervene(rnn, VOCAB, TEXT, Intervention(state="f"))
    with pytest.raises(ConfigError, match="layer 2"):
        intervene(lstm, VOCAB, TEXT, Intervention(layer=2))
    with pytest.raises(ConfigError, match="one of"):
        Intervention(state="q")
    with pytest.raises(ConfigError):
        Intervention(value=float("nan"))
    with pytest.raises(ConfigError):
        Intervention(continuation=10_000)
    with pytest.raises(ConfigError, match="has no c"):
        intervene(model_for("mingru", layers=1), VOCAB, TEXT, Intervention(state="c"))
    config = ModelConfig(vocab_size=VOCAB.size, cell="transformer", hidden_size=8, embed_size=4, context_size=64)
    with pytest.raises(ConfigError, match="not offered") as refused:  # no state to clamp
        intervene(build_model(config), VOCAB, TEXT, Intervention())
    with use_language("zh"):
        assert "Transformer" in str(refused.value.args[0]) and "not offered" not in str(refused.value.args[0])
