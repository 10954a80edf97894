import pytest
import torch

from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.corpora import Corpus
from rnnviz.charlm.model import ModelConfig
from rnnviz.charlm.trainer import TrainConfig, Trainer, build_model
from rnnviz.introspect import trace_text
from rnnviz.introspect.neurons import (
    bracket_depth,
    correlations,
    find_neurons,
    indentation_level,
    inside_quotes,
    position_in_line,
    regex_feature,
    vowel,
    word_start,
)


def test_feature_functions_on_hand_made_strings():
    assert inside_quotes('a "bc" d') == [0, 0, 1, 1, 1, 1, 0, 0]
    assert bracket_depth("(a[b])c)") == [1, 1, 2, 2, 1, 0, 0, 0]
    assert position_in_line("ab\ncd") == [1, 2, 0, 1, 2]
    assert indentation_level("  x\n\ty") == [1, 2, 2, 0, 4, 4]
    assert word_start("hi you2") == [1, 0, 0, 1, 0, 0, 0]
    assert vowel("bAe!") == [0, 1, 1, 0]
    assert regex_feature("a12b3", r"\d+") == [0, 1, 1, 0, 1]


def test_correlations_find_a_planted_unit():
    feature = torch.tensor([0.0, 1, 0, 1, 1, 0, 0, 1])
    acts = torch.randn(8, 5, generator=torch.Generator().manual_seed(0)) * 0.01
    acts[:, 3] = 2 * feature - 1
    r = correlations(acts, feature)
    assert r[3].item() == pytest.approx(1.0, abs=1e-5)
    assert correlations(torch.ones(8, 2), feature).tolist() == [0.0, 0.0]  # constant unit: r undefined -> 0


def _quote_text(n: int = 400) -> str:
    """Random words, some inside quotes of random length: predicting the closing quote (and
    what follows) needs a unit that remembers whether a quote is open."""
    import random

    rng = random.Random(0)
    words = "the a cat dog sat ran on in big red old new fast slow".split()
    parts = []
    for _ in range(n):
        parts.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 5))))
        parts.append('"' + " ".join(rng.choice(words) for _ in range(rng.randint(1, 5))) + '"')
    return " ".join(parts)


QUOTE_TEXT = _quote_text()


def test_finder_reports_a_quote_unit_on_a_briefly_trained_model():
    data = CorpusData.from_corpus(Corpus("quotes", QUOTE_TEXT))
    model = build_model(ModelConfig(vocab_size=data.vocab.size, cell="lstm", hidden_size=32, embed_size=16), seed=0)
    trainer = Trainer(model, data, TrainConfig(seq_len=48, batch_size=16, learning_rate=1e-2, eval_every=0, seed=0))
    untrained = find_neurons(trace_text(model, data.vocab, QUOTE_TEXT[:600]))["inside quotes"][0]
    trainer.step(300)
    trace = trace_text(model, data.vocab, QUOTE_TEXT[:600])
    found = find_neurons(trace, regex=r"cat")
    best = found["inside quotes"][0]
    assert abs(untrained.correlation) < 0.5
    assert abs(best.correlation) > 0.7, best.describe()
    assert "inside quotes" in best.describe() and best.state in ("h", "c")
    assert found["regex cat"] and found["bracket depth"] == []  # no brackets in this text
