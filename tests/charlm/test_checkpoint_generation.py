import pickle

import pytest
import torch
from helpers import tiny_model

from rnnviz.charlm.checkpoint import (
    Checkpoint,
    CheckpointError,
    checkpoint_bytes,
    load_checkpoint,
    save_checkpoint,
    with_card_updates,
)
from rnnviz.charlm.generation import SamplingConfig, filter_distribution, generate, stream_generate
from rnnviz.charlm.model import ConfigError
from rnnviz.charlm.vocab import CharVocab

VOCAB = CharVocab.from_text("abcdefgh \n")


def make_ckpt(cell="lstm", layers=2):
    model = tiny_model(VOCAB.size, cell, hidden=12, layers=layers)
    return Checkpoint(model, VOCAB, {"seq_len": 8}, {"val_loss": 1.5}, 42, "abc123", {"label": "test"})


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_round_trip(tmp_path, cell):
    ckpt = make_ckpt(cell)
    path = save_checkpoint(ckpt, tmp_path / "m.safetensors")
    loaded = load_checkpoint(path)
    assert loaded.step == 42 and loaded.corpus_sha256 == "abc123" and loaded.card == {"label": "test"}
    assert loaded.vocab == VOCAB and loaded.config == ckpt.config
    for name, tensor in ckpt.model.state_dict().items():
        assert torch.equal(loaded.model.state_dict()[name], tensor)
    assert load_checkpoint(path.read_bytes()).step == 42  # from bytes, as an upload


def test_card_updates_leave_every_tensor_byte_alone():
    from safetensors.torch import load

    data = checkpoint_bytes(make_ckpt(), dtype=torch.float16)
    updated = with_card_updates(data, {"val_loss_zero_state_windows": 1.47})
    before, after = load(data), load(updated)
    assert all(torch.equal(before[k], after[k]) and before[k].dtype == after[k].dtype for k in before)
    assert load_checkpoint(updated).card == {"label": "test", "val_loss_zero_state_windows": 1.47}
    with pytest.raises(CheckpointError):
        with_card_updates(b"garbage", {})


def test_half_precision_halves_the_file(tmp_path):
    ckpt = make_ckpt()
    full = save_checkpoint(ckpt, tmp_path / "a.safetensors").stat().st_size
    half = save_checkpoint(ckpt, tmp_path / "b.safetensors", dtype=torch.float16).stat().st_size
    assert half < 0.65 * full
    assert load_checkpoint(tmp_path / "b.safetensors").model.head.weight.dtype == torch.float32


def test_pickle_is_refused_and_never_loaded(tmp_path):
    class Boom:
        def __reduce__(self):
            return (exec, ("raise SystemExit('unpickled!')",))

    path = tmp_path / "evil.pt"
    path.write_bytes(pickle.dumps(Boom()))
    with pytest.raises(CheckpointError, match="never unpickles"):
        load_checkpoint(path)
    torch.save({"w": torch.zeros(2)}, tmp_path / "torch.pt")
    with pytest.raises(CheckpointError, match="pickled"):
        load_checkpoint(tmp_path / "torch.pt")


def test_truncated_and_foreign_files(tmp_path):
    data = checkpoint_bytes(make_ckpt())
    with pytest.raises(CheckpointError, match="truncated|damaged"):
        load_checkpoint(data[: len(data) // 2])
    with pytest.raises(CheckpointError):
        load_checkpoint(b"hello")
    from safetensors.torch import save

    with pytest.raises(CheckpointError, match="not saved by rnnviz"):
        load_checkpoint(save({"w": torch.zeros(2)}))


def test_mismatched_model_is_refused():
    ckpt = make_ckpt("lstm", layers=1)
    data = bytearray(checkpoint_bytes(ckpt))
    text = bytes(data).replace(b'\\"cell\\": \\"lstm\\"', b'\\"cell\\": \\"gru\\" ')
    assert text != bytes(data)
    with pytest.raises(CheckpointError, match="shape|different model"):
        load_checkpoint(text)


def test_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = save_checkpoint(make_ckpt(), tmp_path / "m.safetensors")
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("rnnviz.charlm.checkpoint.os.replace", fail)
    with pytest.raises(OSError):
        save_checkpoint(make_ckpt("gru"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.safetensors"]


def test_top_k_one_equals_greedy():
    model = make_ckpt().model
    greedy = generate(model, VOCAB, "abc", SamplingConfig(length=30, greedy=True))
    for seed in range(3):
        assert generate(model, VOCAB, "abc", SamplingConfig(length=30, top_k=1, seed=seed)) == greedy


def test_low_temperature_approaches_greedy():
    logits = torch.tensor([2.0, 1.0, 0.5, -1.0])
    cold = filter_distribution(logits, SamplingConfig(temperature=0.01))
    warm = filter_distribution(logits, SamplingConfig(temperature=1.0))
    assert cold[0] > 0.999 and warm[0] < 0.7
    assert torch.equal(filter_distribution(logits, SamplingConfig(temperature=0)), torch.tensor([1.0, 0, 0, 0]))


def test_top_k_and_top_p_filter():
    logits = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    assert (filter_distribution(logits, SamplingConfig(top_k=2)) > 0).tolist() == [True, True, False, False]
    assert (filter_distribution(logits, SamplingConfig(top_p=0.7)) > 0).tolist() == [True, True, False, False]
    assert (filter_distribution(logits, SamplingConfig(top_p=0.1)) > 0).tolist() == [True, False, False, False]
    assert float(filter_distribution(logits, SamplingConfig(top_p=0.9)).sum()) == pytest.approx(1.0)


def test_stream_reports_probabilities_and_alternatives():
    model = make_ckpt().model
    pieces = list(stream_generate(model, VOCAB, "ab", SamplingConfig(length=10, seed=1, alternatives=3)))
    assert len(pieces) == 10
    for piece in pieces:
        assert 0 < piece.prob <= 1 and len(piece.alternatives) == 3
        assert sum(p for _, p in piece.alternatives) <= 1 + 1e-6
    again = list(stream_generate(model, VOCAB, "ab", SamplingConfig(length=10, seed=1, alternatives=3)))
    assert [p.char for p in pieces] == [p.char for p in again]


def test_prompt_with_unknown_chars_and_empty_prompt():
    model = make_ckpt().model
    assert len(generate(model, VOCAB, "ab\u00e9\u4e2d", SamplingConfig(length=5))) == 5
    assert len(generate(model, VOCAB, "", SamplingConfig(length=5))) == 5


def test_bad_sampling_settings():
    for bad in (dict(temperature=-1), dict(top_k=0), dict(top_p=0), dict(top_p=1.5)):
        with pytest.raises(ConfigError):
            SamplingConfig(**bad)
