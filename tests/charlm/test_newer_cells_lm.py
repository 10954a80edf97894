"""The language model built from each newer cell: same budget option, it learns, it generates step by step, its
checkpoint round-trips through safetensors."""

import pytest
import torch

from rnnviz.charlm.checkpoint import Checkpoint, checkpoint_bytes, load_checkpoint
from rnnviz.charlm.evaluation import evaluate_loss
from rnnviz.charlm.generation import SamplingConfig, stream_generate
from rnnviz.charlm.initialization import InitConfig
from rnnviz.charlm.model import (
    CharRNN,
    ConfigError,
    ModelConfig,
    count_parameters,
    hidden_size_for_budget,
    training_step_flops,
)
from rnnviz.charlm.trainer import TrainConfig, Trainer, build_model

NEWER = ["mingru", "minlstm", "ssm", "transformer"]


def tiny(vocab_size: int, cell: str, **overrides) -> CharRNN:
    settings = dict(vocab_size=vocab_size, cell=cell, hidden_size=16, embed_size=8, context_size=32, state_size=4)
    return build_model(ModelConfig(**{**settings, **overrides}), seed=0)


@pytest.mark.parametrize("cell", NEWER)
def test_counts_budget_and_labels(cell):
    config = ModelConfig(vocab_size=40, cell=cell, num_layers=2, embed_size=8, hidden_size=20)
    assert CharRNN(config).num_parameters() == count_parameters(config)
    target = count_parameters(ModelConfig(vocab_size=40, cell="lstm", hidden_size=64, embed_size=8))
    base = ModelConfig(vocab_size=40, cell=cell, embed_size=8, context_size=16)
    sized = ModelConfig(**{**base.to_dict(), "hidden_size": hidden_size_for_budget(base, target)})
    assert abs(count_parameters(sized) - target) / target < 0.03
    assert config.label.endswith(" 2x20") and config.label.split()[0] in (
        "minGRU",
        "minLSTM",
        "Selective",
        "Transformer",
    )
    assert training_step_flops(config, 2, 10) > 0


def test_the_newer_cells_take_no_w_hh_scheme():
    with pytest.raises(ConfigError):
        build_model(ModelConfig(vocab_size=10, cell="mingru"), InitConfig(scheme="orthogonal"))
    build_model(ModelConfig(vocab_size=10, cell="mingru"), InitConfig(forget_bias=2.0))  # an LSTM option: ignored


@pytest.mark.parametrize("cell", NEWER)
def test_the_language_model_learns_and_generates(tiny_data, cell):
    model = tiny(tiny_data.vocab.size, cell)
    train = TrainConfig(seq_len=24, batch_size=8, learning_rate=1e-2, eval_every=0, seed=0)
    trainer = Trainer(model, tiny_data, train, device="cpu")
    before = evaluate_loss(model, tiny_data.val_ids, window=24, streams=4)
    trainer.step(25)
    after = evaluate_loss(model, tiny_data.val_ids, window=24, streams=4)  # state carried; past the window, strided
    assert after < before - 0.3, (before, after)
    pieces = list(stream_generate(model, tiny_data.vocab, "She said", SamplingConfig(length=40, seed=1)))
    assert len(pieces) == 40 and all(0 < p.prob <= 1 for p in pieces)


@pytest.mark.parametrize("cell", NEWER)
def test_generation_step_by_step_gives_the_logits_of_the_whole_text(tiny_data, cell):
    model = tiny(tiny_data.vocab.size, cell).eval()
    ids = tiny_data.val_ids[:30][None, :]  # (1, T), within the Transformer's window
    with torch.no_grad():
        whole, _ = model(ids)
        state, steps = None, []
        for t in range(ids.shape[1]):
            logits, state = model(ids[:, t : t + 1], state)
            steps.append(logits)
    assert (torch.cat(steps, dim=1) - whole).abs().max() < 1e-4


@pytest.mark.parametrize("cell", NEWER)
def test_checkpoints_round_trip_without_pickle(tiny_data, cell):
    model = tiny(tiny_data.vocab.size, cell, num_layers=2, parallel_scan=cell != "minlstm")
    ckpt = Checkpoint(model, tiny_data.vocab, {"seq_len": 24}, {}, 3, tiny_data.sha256, {"label": model.config.label})
    data = checkpoint_bytes(ckpt)
    assert data[:1] != b"\x80" and data[:4] != b"PK\x03\x04"
    loaded = load_checkpoint(data)
    assert loaded.config == model.config and loaded.card["label"] == model.config.label
    ids = torch.tensor([[1, 2, 3, 4, 5]])
    with torch.no_grad():
        assert torch.equal(loaded.model(ids)[0], model.eval()(ids)[0])


def test_a_long_text_is_read_in_strides_by_the_transformer(tiny_data):
    model = tiny(tiny_data.vocab.size, "transformer", context_size=8).eval()
    ids = tiny_data.val_ids[:40][None, :]
    with torch.no_grad():
        logits, past = model(ids)
    assert logits.shape == (1, 40, tiny_data.vocab.size) and past.shape == (1, 7, 8)


def test_a_checkpoint_of_a_classic_cell_still_reads_without_the_new_fields():
    config = ModelConfig.from_dict({"vocab_size": 12, "cell": "gru", "hidden_size": 8})
    assert config.parallel_scan and config.context_size == 256  # the defaults fill what an old file lacks
