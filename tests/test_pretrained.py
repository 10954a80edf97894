import json
import shutil
import subprocess
import sys

import pytest
from helpers import ROOT, SHARED_SHAKESPEARE

from rnnviz.charlm.generation import SamplingConfig, generate
from rnnviz.introspect import trace_text
from rnnviz.pretrained import CLASSIFIERS, PRETRAINED_DIR, list_pretrained, load_pretrained

EXPECTED = {"shakespeare-lstm", "shakespeare-gru", "shakespeare-rnn", "python-code-lstm"}
CARD_FIELDS = {
    "corpus",
    "corpus_sha256",
    "training_command",
    "steps",
    "wall_seconds",
    "hardware",
    "val_loss_nats",
    "val_bpc",
    "parameters",
    "val_loss_first_20000_chars",
}


def test_the_set_is_shipped_with_cards():
    infos = {info.name: info for info in list_pretrained()}
    assert EXPECTED <= set(infos)
    for name in EXPECTED:
        card = infos[name].card
        assert CARD_FIELDS <= set(card), name
        assert f"--out pretrained/{name}.safetensors" in card["training_command"]
        assert (PRETRAINED_DIR / f"{name}.safetensors").stat().st_size <= 10 * 1024 * 1024
    assert infos["shakespeare-lstm"].card["val_loss_nats"] <= 1.45
    budgets = [infos[f"shakespeare-{c}"].card["parameters"] for c in ("lstm", "gru", "rnn")]
    assert max(budgets) / min(budgets) < 1.01  # same parameter budget


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_loads_generates_and_inspects(name):
    """Load time is a benchmark (bench/eval_pretrained.py), not a test."""
    load_pretrained.cache_clear()
    ckpt = load_pretrained(name)
    text = generate(ckpt.model, ckpt.vocab, "The ", SamplingConfig(length=40, seed=0, temperature=0.8))
    assert len(text) == 40
    trace = trace_text(ckpt.model, ckpt.vocab, "And then he said (quietly): 'no'.")
    assert trace.exact


def test_eval_on_a_slice_matches_the_card(tmp_path, monkeypatch):
    if not SHARED_SHAKESPEARE.is_file():
        pytest.skip("tiny shakespeare is not present beside the project")
    cache = tmp_path / "cache"
    cache.mkdir(exist_ok=True)
    shutil.copy(SHARED_SHAKESPEARE, cache / "tinyshakespeare.txt")
    # one compute thread, as the suite's own processes run (tests/conftest.py): on a busy 2-core machine two
    # spinning threads made this 20,000-character evaluation take 56 s of CPU instead of 8
    env = {"RNNVIZ_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    path = PRETRAINED_DIR / "shakespeare-gru.safetensors"
    result = subprocess.run(
        [sys.executable, "-m", "rnnviz", "eval", str(path), "--max-chars", "20000", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["corpus_sha256_matches"]
    card = load_pretrained("shakespeare-gru").card
    assert figures["val_loss"] == pytest.approx(card["val_loss_first_20000_chars"], abs=2e-3)


def test_dates_seq2seq_is_shipped_with_its_card():
    from rnnviz.labs.seq2seq_lab import exact_match
    from rnnviz.seq2seq.checkpoint import load_seq2seq
    from rnnviz.seq2seq.tasks import Seq2SeqVocab, held_out_set, pad_batch

    infos = {info.name: info for info in list_pretrained(kind=None)}
    card = infos["dates-seq2seq"].card
    assert infos["dates-seq2seq"].kind == "seq2seq" and card["held_out_exact_match"] >= 0.98
    assert "--out pretrained/dates-seq2seq.safetensors" in card["training_command"]
    model, task, _ = load_seq2seq(PRETRAINED_DIR / "dates-seq2seq.safetensors")
    assert task == "dates"
    vocab = Seq2SeqVocab()
    examples = held_out_set("dates", 50, seed=0)
    src = pad_batch([vocab.encode(e.source) for e in examples])
    assert exact_match(model, vocab, src, examples) >= 0.96


def test_the_tagger_pair_is_shipped_with_cards_that_hold():
    """Both People's Daily taggers: the card's test F1 (>= 0.85 for the BiLSTM+CRF) recomputed on a fifth of the
    test split, and the pair trained alike but for the direction."""
    from rnnviz.tagging.checkpoint import load_tagger
    from rnnviz.tagging.data import peoples_daily_data
    from rnnviz.tagging.explain import tag_sentences
    from rnnviz.tagging.metrics import entity_scores

    infos = {info.name: info for info in list_pretrained(kind=None)}
    bi, uni = infos["peoples-daily-bilstm-crf"], infos["peoples-daily-lstm-crf"]
    assert bi.kind == uni.kind == "tagger"
    assert bi.card["test_f1"] >= 0.85 and bi.card["test_f1"] > uni.card["test_f1"]
    assert (
        bi.card["training_command"].replace(" --bidirectional", "").replace("bilstm", "lstm")
        == uni.card["training_command"]
    )
    test = peoples_daily_data().splits["test"].sentences[::5]
    for info in (bi, uni):
        model, vocab, card = load_tagger(info.path)
        assert info.path.stat().st_size < 10 * 1024 * 1024
        f1 = entity_scores([list(s.tags) for s in test], tag_sentences(model, vocab, [s.text for s in test]))
        assert abs(f1["overall"]["f1"] - card["test_f1"]) < 0.03, info.name


def test_the_classifier_pair_is_shipped_with_cards_that_hold():
    """Both movie-sentence classifiers: the card's test accuracy recomputed on the committed split's test part."""
    import torch

    from rnnviz.classify.checkpoint import load_classifier
    from rnnviz.classify.data import load_sentiment_set, split

    test = split(load_sentiment_set("movie-sentences")).test
    infos = {info.name: info for info in list_pretrained(kind=None)}
    for filename in CLASSIFIERS.values():
        info = infos[filename.removesuffix(".safetensors")]
        assert info.kind == "classifier" and info.path.stat().st_size < 10 * 1024 * 1024
        model, tokenizer, labels, card = load_classifier(info.path)
        assert labels == ("negative", "positive") and f"--out pretrained/{filename}" in card["training_command"]
        ids, lengths = tokenizer.batch(list(test.texts), 60)
        with torch.no_grad():
            accuracy = float((model(ids, lengths).argmax(-1) == torch.tensor(test.labels)).float().mean())
        assert abs(accuracy - card["test_accuracy"]) <= 1 / len(test), filename  # one near-tie at most
        assert card["test_accuracy"] > card["baselines_test"]["majority class"] + 0.2


def test_the_shakespeare_cards_give_both_methods():
    """``eval --write-card`` put the zero-state figure beside the carried-over one (README: both methods)."""
    infos = {info.name: info for info in list_pretrained()}
    for name in ("shakespeare-lstm", "shakespeare-gru", "shakespeare-rnn", "python-code-lstm"):
        card = infos[name].card
        assert card["val_loss_zero_state_windows"] > card["val_loss_nats"], name  # no context before a window
        assert "zero state" in card["zero_state_method"]
    assert abs(infos["shakespeare-lstm"].card["val_loss_zero_state_windows"] - 1.4707) < 5e-4


@pytest.mark.parametrize(
    "name, prompt, tokens",
    [("shakespeare-words-lstm", "ROMEO:", "words"), ("song-ci-lstm", "明月", "chars")],
)
def test_the_word_and_song_ci_models_load_generate_and_beat_their_baselines(name, prompt, tokens):
    """Their cards hold the n-gram baselines on the same tokens (``eval --baselines --write-card``)."""
    ckpt = load_pretrained(name)
    assert ckpt.vocab.kind == tokens and ckpt.card["val_loss_nats"] < ckpt.card["baselines"]["bigram"] - 0.3
    best_ngram = min(v for k, v in ckpt.card["baselines"].items() if k.endswith("gram") and k[0].isdigit())
    assert ckpt.card["val_loss_nats"] < best_ngram
    assert (PRETRAINED_DIR / f"{name}.safetensors").stat().st_size <= 10 * 1024 * 1024
    pieces = generate(ckpt.model, ckpt.vocab, prompt, SamplingConfig(length=30, seed=0))
    assert pieces.strip()
    if name == "song-ci-lstm":
        assert sum("\u4e00" <= ch <= "\u9fff" for ch in pieces) >= 20  # Chinese, not boxes or <unk>
        assert trace_text(ckpt.model, ckpt.vocab, "春风又绿江南岸").exact
    else:
        assert trace_text(ckpt.model, ckpt.vocab, "But, soft! what light through yonder window breaks?").exact


def test_the_listing_reads_a_rewritten_file_again_and_keeps_each_callers_card_its_own(tmp_path):
    import os

    from rnnviz.charlm.checkpoint import with_card_updates

    source = PRETRAINED_DIR / "shakespeare-lstm.safetensors"
    copy = tmp_path / "mine.safetensors"
    copy.write_bytes(source.read_bytes())
    (tmp_path / "notes.safetensors").write_bytes(b"not a checkpoint")
    first = list_pretrained(tmp_path)
    assert [info.name for info in first] == ["mine"]  # the foreign file is left out
    first[0].card["label"] = "changed by a caller"
    first[0].card["init"]["changed"] = True  # a card holds dicts too
    again = list_pretrained(tmp_path)[0].card
    assert again.get("label") != "changed by a caller" and "changed" not in again["init"]
    stat = copy.stat()
    copy.write_bytes(with_card_updates(copy.read_bytes(), {"label": "retrained"}))
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later version of the file
    assert list_pretrained(tmp_path)[0].card["label"] == "retrained"
    assert list_pretrained(tmp_path, kind="tagger") == []
