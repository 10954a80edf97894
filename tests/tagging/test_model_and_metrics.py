"""The tagger for every cell, direction and output layer; padding; the direction split; the metrics; checkpoints."""

from __future__ import annotations

import pytest
import torch

from rnnviz.charlm.checkpoint import CheckpointError
from rnnviz.charlm.model import ConfigError
from rnnviz.tagging.bio import TAGS
from rnnviz.tagging.checkpoint import load_tagger, tagger_bytes
from rnnviz.tagging.corpus import TaggedSentence
from rnnviz.tagging.explain import MAX_TEXT_CHARS, explain_text
from rnnviz.tagging.metrics import MostFrequentTag, entity_scores
from rnnviz.tagging.model import TAGGER_CELLS, Tagger, TaggerConfig, pad_sentences
from rnnviz.tagging.vocab import UNK, CharVocab

VOCAB = CharVocab(list("国家主席江泽民在北京会见了新华社记者。"))


def _model(cell="lstm", bidirectional=True, crf=False, layers=1) -> Tagger:
    torch.manual_seed(0)
    config = TaggerConfig(
        vocab_size=VOCAB.size,
        cell=cell,
        bidirectional=bidirectional,
        crf=crf,
        num_layers=layers,
        embed_size=8,
        hidden_size=6,
        dropout=0.0,
    )
    return Tagger(config).eval()


def test_encoding_many_sentences_at_once_is_encoding_each():
    texts = ["江泽民在北京", "", "ＡＢ１２会见！", "😀<unk>新华社", "了"]  # full-width forms, unknowns, an empty one
    assert VOCAB.encode_many(texts) == [VOCAB.encode(text) for text in texts]
    assert VOCAB.encode_many([]) == []
    assert VOCAB.encode_many(["😀"]) == [[UNK]]
    huge = CharVocab(chr(0x4E00 + i) for i in range(0xD800))  # ids that would reach the surrogate codes
    assert huge.encode_many(["一丁", "x"]) == [huge.encode("一丁"), huge.encode("x")]


@pytest.mark.parametrize("cell", TAGGER_CELLS)
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("crf", [False, True])
def test_every_variant_trains_and_a_padded_batch_gives_each_sentence_its_own_result(cell, bidirectional, crf):
    model = _model(cell, bidirectional, crf, layers=2 if cell == "gru" else 1)
    texts = ["国家主席江泽民", "在北京会见了新华社记者。", "江"]
    chars, tags, lengths = pad_sentences([VOCAB.encode(t) for t in texts], [[1] * len(t) for t in texts])
    loss = model.loss(chars, tags, lengths)
    loss.backward()
    assert torch.isfinite(loss) and model.embedding.weight.grad is not None
    paths, probabilities = model.predict(chars, lengths)
    assert model.decode(chars, lengths) == paths
    assert [len(p) for p in paths] == [len(t) for t in texts]
    assert probabilities.shape == (3, max(len(t) for t in texts), len(TAGS))
    for row, text in enumerate(texts):
        alone_chars, _, alone_lengths = pad_sentences([VOCAB.encode(text)])
        alone_paths, alone_probabilities = model.predict(alone_chars, alone_lengths)
        assert alone_paths[0] == paths[row]
        gap = (alone_probabilities[0] - probabilities[row, : len(text)]).abs().max()
        assert float(gap) < 1e-6
        assert torch.allclose(probabilities[row, : len(text)].sum(-1), torch.ones(len(text)), atol=1e-5)


def test_the_two_directions_add_up_to_the_emission_scores():
    for bidirectional in (True, False):
        model = _model(bidirectional=bidirectional)
        chars, _, lengths = pad_sentences([VOCAB.encode("国家主席江泽民在北京")])
        forward, backward = model.direction_scores(chars, lengths)
        assert torch.allclose(forward + backward, model(chars, lengths), atol=1e-6)


def test_labels_and_bad_configs():
    assert _model("lstm", True, True).config.label == "BiLSTM+CRF"
    assert _model("rnn", False, False).config.label == "RNN"
    assert _model("rnn-relu", True, False).config.label == "BiRNN (relu)"
    with pytest.raises(ConfigError):
        TaggerConfig(vocab_size=10, cell="transformer")
    with pytest.raises(ConfigError):
        TaggerConfig(vocab_size=10, num_layers=3)


def test_entity_scores_on_a_fixture_counted_by_hand():
    gold = [["B-PER", "I-PER", "O", "B-LOC", "I-LOC"], ["B-ORG", "I-ORG", "O"]]
    predicted = [["B-PER", "I-PER", "O", "B-LOC", "O"], ["B-ORG", "I-ORG", "O"]]  # the LOC's end is wrong
    scores = entity_scores(gold, predicted)
    assert scores["PER"]["f1"] == 1.0 and scores["LOC"]["f1"] == 0.0 and scores["ORG"]["f1"] == 1.0
    # 3 gold, 3 predicted, 2 exact: precision = recall = F1 = 2/3
    assert scores["overall"]["precision"] == pytest.approx(2 / 3) and scores["overall"]["f1"] == pytest.approx(2 / 3)
    assert scores["token_accuracy"] == pytest.approx(7 / 8)
    assert scores["invalid_sentences"] == 0.0
    assert entity_scores([["O", "O"]], [["O", "I-PER"]])["invalid_sentences"] == 1.0


def test_entity_scores_equal_seqevals_report_on_random_tags_valid_or_not():
    import random

    from seqeval.metrics import classification_report

    rng = random.Random(0)
    tags = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "I-MISC"]
    for _ in range(20):
        lengths = [rng.randint(1, 12) for _ in range(rng.randint(1, 30))]
        gold = [[rng.choice(tags[:7]) for _ in range(n)] for n in lengths]
        predicted = [[rng.choice(tags) for _ in range(n)] for n in lengths]
        ours = entity_scores(gold, predicted)
        report = classification_report(gold, predicted, output_dict=True, zero_division=0)
        for kind, row in [*((k, report.get(k)) for k in ("PER", "LOC", "ORG")), ("overall", report["micro avg"])]:
            row = row or {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0}
            expected = [float(row["precision"]), float(row["recall"]), float(row["f1-score"]), int(row["support"])]
            assert [ours[kind][name] for name in ("precision", "recall", "f1", "support")] == pytest.approx(expected)


def test_most_frequent_tag_baseline():
    sentences = [
        TaggedSentence("王在京", ("B-PER", "O", "B-LOC")),
        TaggedSentence("王", ("B-PER",)),
        TaggedSentence("王", ("O",)),
    ]
    baseline = MostFrequentTag(sentences)
    assert baseline.tag("王京?") == ["B-PER", "B-LOC", "O"]
    tied = [TaggedSentence("京王", ("B-LOC", "O")), TaggedSentence("王京", ("B-PER", "O"))]
    assert MostFrequentTag(tied).tag("王京") == ["O", "B-LOC"]  # a tie goes to the tag seen first


def test_the_tag_baseline_is_counted_once_for_its_data():
    from rnnviz.tagging.data import build_data

    sentences = [TaggedSentence("王在京", ("B-PER", "O", "B-LOC"))]
    data = build_data({"train": sentences, "validation": sentences, "test": sentences})
    assert data.baseline is data.baseline and data.baseline.tag("京") == ["B-LOC"]


def test_explain_reads_clamps_and_names_unknown_characters():
    model = _model(crf=True)
    result = explain_text(model, VOCAB, "江泽民在北京 hello")
    assert result["unknown"] == " helo" and len(result["tags"]) == len(result["text"])
    assert len(result["forward"]) == len(result["backward"]) == len(result["text"])
    long = explain_text(model, VOCAB, "北" * (MAX_TEXT_CHARS + 50))
    assert long["clamped"] and len(long["tags"]) == MAX_TEXT_CHARS
    empty = explain_text(model, VOCAB, "   ")
    assert empty["tags"] == [] and not empty["clamped"]
    assert VOCAB.encode("Ｘ") == [UNK]


def test_checkpoint_round_trip_and_refusals():
    model = _model(crf=True)
    data = tagger_bytes(model, VOCAB, {"test_f1": 0.5})
    loaded, vocab, card = load_tagger(data)
    assert vocab.itos == VOCAB.itos and card == {"test_f1": 0.5} and loaded.config == model.config
    chars, _, lengths = pad_sentences([VOCAB.encode("江泽民在北京")])
    assert loaded.predict(chars, lengths)[0] == model.predict(chars, lengths)[0]
    with pytest.raises(CheckpointError):
        load_tagger(b"not a checkpoint")
    with pytest.raises(CheckpointError):
        load_tagger(data[:-10])


def test_a_diverged_tagger_has_no_reading():
    model = _model(crf=True)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.fill_(float("nan"))
    reading = explain_text(model, VOCAB, "江泽民在北京")
    assert reading["diverged"] and reading["entities"] == [] and reading["tags"] == []


def test_held_out_examples_put_the_chosen_first_with_their_gold_entities():
    from rnnviz.tagging.explain import with_gold

    sentences = [
        TaggedSentence("王在京", ("B-PER", "O", "B-LOC")),
        TaggedSentence("在", ("O",)),
        TaggedSentence("李来", ("B-PER", "O")),
    ]
    examples = with_gold(sentences, ["李来", "not there"])
    assert [e["text"] for e in examples] == ["李来", "王在京"]  # no sentence without entities
    assert examples[1]["entities"] == [
        {"kind": "PER", "start": 0, "end": 1, "text": "王"},
        {"kind": "LOC", "start": 2, "end": 3, "text": "京"},
    ]
