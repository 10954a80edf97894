import datetime as dt
import random

import pytest
import torch

from rnnviz.charlm.checkpoint import CheckpointError
from rnnviz.labs.seq2seq_lab import Seq2SeqLab, Seq2SeqLabConfig, exact_match
from rnnviz.seq2seq.checkpoint import load_seq2seq, seq2seq_bytes
from rnnviz.seq2seq.model import ATTENTIONS, Seq2Seq, Seq2SeqConfig
from rnnviz.seq2seq.tasks import (
    EOS,
    PAD,
    Example,
    Seq2SeqVocab,
    date_formats,
    encode_pairs,
    held_out_set,
    is_held_out_date,
    make_example,
    pad_batch,
)

VOCAB = Seq2SeqVocab()


def test_date_formats_by_hand():
    formats = date_formats(dt.date(2021, 3, 3))
    for expected in ("3rd of March 2021", "03/03/21", "Wednesday, March 3, 2021", "3 Mar 2021", "03.03.2021"):
        assert expected in formats
    assert "22nd of April 1999" in date_formats(dt.date(1999, 4, 22))
    assert "11th of May 2011" in date_formats(dt.date(2011, 5, 11))


def test_other_tasks_by_hand():
    rng = random.Random(0)
    rev = make_example("reverse", rng, length=8)
    assert rev.target == rev.source[::-1] and 4 <= len(rev.source) <= 8
    srt = make_example("sort", rng, length=8)
    assert srt.target == "".join(sorted(srt.source))
    add = make_example("add", rng)
    a, b = add.source.split("+")
    assert int(add.target) == int(a) + int(b)


def test_held_out_dates_are_never_trained_on():
    rng = random.Random(1)
    train_targets = {make_example("dates", rng).target for _ in range(5000)}
    held = {e.target for e in held_out_set("dates", 500, seed=0)}
    assert train_targets.isdisjoint(held)
    assert all(is_held_out_date(dt.date.fromisoformat(t)) for t in held)


def small(attention: str, cell: str = "gru", bidirectional: bool = True) -> Seq2Seq:
    torch.manual_seed(0)
    return Seq2Seq(
        Seq2SeqConfig(
            vocab_size=VOCAB.size,
            cell=cell,
            attention=attention,
            hidden_size=16,
            embed_size=8,
            bidirectional=bidirectional,
        )
    )


@pytest.mark.parametrize("attention", [a for a in ATTENTIONS if a != "none"])
@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_attention_sums_to_one_and_respects_padding(attention, cell):
    model = small(attention, cell)
    src, tgt = encode_pairs(VOCAB, [Example("abc", "cba"), Example("abcdefg", "gfedcba")])
    _, weights = model(src, tgt)
    assert weights.shape == (2, tgt.shape[1], src.shape[1])
    assert torch.allclose(weights.sum(-1), torch.ones(2, tgt.shape[1]), atol=1e-6)
    assert float(weights[0, :, 3:].abs().max().detach()) == 0.0  # the padding of the short example gets no weight
    assert bool((src[0, 3:] == PAD).all())


def test_no_attention_baseline_has_no_weights():
    model = small("none", bidirectional=False)
    src, tgt = encode_pairs(VOCAB, [Example("abc", "cba")])
    logits, weights = model(src, tgt)
    assert weights is None and logits.shape == (1, 4, VOCAB.size)


@pytest.mark.parametrize("attention", ATTENTIONS)
def test_beam_width_one_equals_greedy(attention):
    model = small(attention)
    src = pad_batch([VOCAB.encode("March 3, 2021")])
    greedy, _ = model.greedy(src, max_len=12)
    beam = model.beam_search(src, width=1, max_len=12)[0]
    tokens = greedy[0].tolist()
    if EOS in tokens:
        tokens = tokens[: tokens.index(EOS) + 1]
    assert beam["tokens"] == tokens


def test_beam_search_returns_sorted_candidates():
    beams = small("bahdanau").beam_search(pad_batch([VOCAB.encode("hello")]), width=4, max_len=8)
    assert len(beams) == 4 and [b["score"] for b in beams] == sorted((b["score"] for b in beams), reverse=True)


def test_a_tiny_model_overfits_a_handful_of_examples():
    examples = [Example("abc", "cba"), Example("hello", "olleh"), Example("xyz", "zyx"), Example("rnn", "nnr")]
    model = small("bahdanau")
    src, tgt = encode_pairs(VOCAB, examples)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(300):
        logits, _ = model(src, tgt)
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=PAD
        )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert exact_match(model, VOCAB, src, examples) == 1.0


def test_lab_trains_variants_on_the_same_batches_and_snapshots_attention():
    lab = Seq2SeqLab(
        Seq2SeqLabConfig(
            task="reverse",
            attentions=("luong-dot", "none"),
            hidden_size=16,
            steps=6,
            eval_every=3,
            eval_examples=20,
            length=6,
        )
    )
    lab.advance(60)
    assert lab.finished and [r.steps[-1] for r in lab.runs] == [6, 6]
    assert len(lab.runs[0].attention_snapshots) == 2 and lab.runs[0].attention_snapshots[0][1] is not None
    assert lab.runs[1].attention_snapshots[0][1] is None


def test_checkpoint_round_trip_and_refusal():
    model = small("luong-general")
    loaded, task, card = load_seq2seq(seq2seq_bytes(model, "dates", {"note": "x"}))
    assert task == "dates" and card == {"note": "x"} and loaded.config == model.config
    with pytest.raises(CheckpointError, match="not saved by rnnviz"):
        from helpers import tiny_model

        from rnnviz.charlm.checkpoint import Checkpoint, checkpoint_bytes
        from rnnviz.charlm.vocab import CharVocab

        load_seq2seq(checkpoint_bytes(Checkpoint(tiny_model(5), CharVocab("abcde"))))


def test_translate_returns_plain_data_and_the_lab_names_its_step():
    from rnnviz.seq2seq.model import translate

    model = small("bahdanau")
    result = translate(model, VOCAB, "héllo", width=3)
    assert result["source"] == "hllo" and result["skipped"] == ["é"]
    assert len(result["candidates"]) == 3 and result["output"] == result["candidates"][0][0]
    assert len(result["attention"]) >= 1 and all(abs(sum(row) - 1) < 1e-4 for row in result["attention"])
    assert translate(model, VOCAB, "", width=1)["output"] == ""
    lab = Seq2SeqLab(Seq2SeqLabConfig(task="reverse", attentions=("none",), hidden_size=8, steps=3, eval_examples=4))
    lab.advance(10)
    (answer,) = lab.translate("abc")
    assert answer["name"] == "none" and answer["step"] == 3 and answer["attention"] is None
