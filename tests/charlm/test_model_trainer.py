import math

import pytest
import torch
from helpers import tiny_model

from rnnviz.charlm.initialization import InitConfig, apply_init, spectral_radius
from rnnviz.charlm.model import CharRNN, ConfigError, ModelConfig, count_parameters, hidden_size_for_budget
from rnnviz.charlm.trainer import TrainConfig, Trainer, build_model


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("layers", [1, 2, 3])
def test_shapes_and_pytorch_names(cell, layers):
    config = ModelConfig(vocab_size=11, cell=cell, hidden_size=7, num_layers=layers, embed_size=5)
    model = CharRNN(config)
    logits, state = model(torch.zeros(3, 4, dtype=torch.long))
    assert logits.shape == (3, 4, 11)
    h = state[0] if cell == "lstm" else state
    assert h.shape == (layers, 3, 7)
    names = set(model.state_dict())
    for layer in range(layers):
        assert {
            f"rnn.weight_ih_l{layer}",
            f"rnn.weight_hh_l{layer}",
            f"rnn.bias_ih_l{layer}",
            f"rnn.bias_hh_l{layer}",
        } <= names
    assert model.num_parameters() == count_parameters(config)


def test_relu_rnn_uses_relu():
    model = CharRNN(ModelConfig(vocab_size=5, cell="rnn", nonlinearity="relu", hidden_size=4))
    assert model.rnn.nonlinearity == "relu"


@pytest.mark.parametrize("bad", [dict(hidden_size=0), dict(cell="bogus"), dict(dropout=1.5), dict(vocab_size=1)])
def test_impossible_configs_are_refused(bad):
    args = dict(vocab_size=10)
    args.update(bad)
    with pytest.raises(ConfigError):
        ModelConfig(**args)


def test_same_parameter_budget():
    base = ModelConfig(vocab_size=65, cell="rnn", hidden_size=256)
    target = count_parameters(ModelConfig(vocab_size=65, cell="lstm", hidden_size=128))
    for cell in ("rnn", "lstm", "gru"):
        config = ModelConfig(
            vocab_size=65, cell=cell, hidden_size=hidden_size_for_budget(ModelConfig(vocab_size=65, cell=cell), target)
        )
        assert abs(count_parameters(config) - target) / target < 0.02, cell
    assert hidden_size_for_budget(base, target) > 128  # the RNN gets the widest layer


def test_initialisations():
    model = tiny_model(10, "rnn", hidden=12)
    apply_init(model, InitConfig(scheme="identity"))
    assert torch.equal(model.rnn.weight_hh_l0, torch.eye(12))
    apply_init(model, InitConfig(scheme="orthogonal", spectral_radius=0.7))
    assert spectral_radius(model.rnn.weight_hh_l0) == pytest.approx(0.7, rel=1e-4)
    lstm = tiny_model(10, "lstm", hidden=6)
    apply_init(lstm, InitConfig(forget_bias=3.0))
    total = lstm.rnn.bias_ih_l0 + lstm.rnn.bias_hh_l0
    assert torch.allclose(total[6:12], torch.full((6,), 3.0))
    gru = tiny_model(10, "gru", hidden=6)
    apply_init(gru, InitConfig(chrono_t_max=50))
    z_bias = gru.rnn.bias_ih_l0[6:12]
    assert bool((z_bias >= 0).all()) and bool((z_bias <= math.log(49)).all())


def test_fixed_seed_gives_identical_runs(tiny_data):
    def run():
        model = build_model(
            ModelConfig(
                vocab_size=tiny_data.vocab.size, cell="gru", hidden_size=16, embed_size=8, dropout=0.1, num_layers=2
            ),
            seed=5,
        )
        trainer = Trainer(model, tiny_data, TrainConfig(seq_len=16, batch_size=4, seed=5, eval_every=0))
        return trainer.step(5).losses

    assert run() == run()


def test_training_lowers_the_loss_and_reports(tiny_data):
    model = tiny_model(tiny_data.vocab.size, "lstm", hidden=32)
    trainer = Trainer(model, tiny_data, TrainConfig(seq_len=32, batch_size=8, learning_rate=1e-2, eval_every=20))
    first = trainer.step(5)
    seen = []
    for _ in range(7):
        last = trainer.step(5)
        if last.val_loss is not None:  # evaluated in the chunks that cross a multiple of eval_every
            seen.append(last.val_loss)
    assert last.step == 40 and len(last.losses) == 5 and len(last.grad_norms) == 5
    assert last.train_loss < first.train_loss - 0.5
    assert len(seen) == 2 and seen[-1] < math.log(tiny_data.vocab.size)
    assert last.tokens_per_s > 0
    assert all(isinstance(x, float) for x in last.losses + last.grad_norms)


def test_stateful_bptt_carries_state(tiny_data):
    model = tiny_model(tiny_data.vocab.size, "rnn")
    trainer = Trainer(model, tiny_data, TrainConfig(seq_len=16, batch_size=4, bptt="stateful", eval_every=0))
    trainer.step(2)
    assert trainer._state is not None and not trainer._state.requires_grad


def test_clipping_bounds_the_update_norm_but_reports_the_raw_norm(tiny_data):
    model = tiny_model(tiny_data.vocab.size, "rnn")
    trainer = Trainer(model, tiny_data, TrainConfig(seq_len=16, batch_size=4, clip=True, clip_norm=1e-6, eval_every=0))
    report = trainer.step(1)
    assert report.grad_norms[0] > 1e-3  # the norm before clipping


def test_divergence_is_reported_not_raised(tiny_data):
    config = ModelConfig(vocab_size=tiny_data.vocab.size, cell="rnn", hidden_size=64, embed_size=8, nonlinearity="relu")
    model = build_model(config, InitConfig(scheme="identity", spectral_radius=3.0))
    trainer = Trainer(
        model,
        tiny_data,
        TrainConfig(seq_len=64, batch_size=8, learning_rate=5.0, optimizer="sgd", clip=False, eval_every=0),
    )
    reports = [trainer.step(10) for _ in range(5)]
    assert trainer.diverged and "diverged at step" in trainer.diverged
    first = next(r for r in reports if r.diverged)
    assert not math.isfinite(first.losses[-1]) and all(math.isfinite(x) for x in first.losses[:-1])
    assert first.step == int(trainer.diverged.split("step ")[1].split(":")[0])
    after = trainer.step(10)
    assert after.losses == [] and after.diverged == trainer.diverged


@pytest.mark.parametrize(
    "bad",
    [dict(learning_rate=0), dict(learning_rate=-1), dict(batch_size=0), dict(optimizer="lbfgs"), dict(clip_norm=0)],
)
def test_impossible_training_settings(bad):
    with pytest.raises(ConfigError):
        TrainConfig(**bad)


def test_keep_best_keeps_the_best_steps_weights(tiny_data):
    model = tiny_model(tiny_data.vocab.size, "gru")
    config = TrainConfig(seq_len=16, batch_size=4, learning_rate=1e-2, eval_every=5, keep_best=True)
    trainer = Trainer(model, tiny_data, config)
    seen = {}  # step -> (validation loss, a copy of the weights then)
    for chunk in range(6):
        if chunk == 4:  # two chunks at a far too large step size: the validation loss gets worse
            for group in trainer.optimizer.param_groups:
                group["lr"] = 5.0
        report = trainer.step(5)
        seen[report.step] = (report.val_loss, {k: v.clone() for k, v in model.state_dict().items()})
    best = min(seen, key=lambda step: seen[step][0])
    assert trainer.best_step == best < 30 and trainer.best_val_loss == seen[best][0]
    assert all(torch.equal(trainer.best_state[k], v) for k, v in seen[best][1].items())
    assert not all(torch.equal(trainer.best_state[k], v) for k, v in model.state_dict().items())  # a copy, kept


def test_training_step_flops_counts_every_weight_but_the_embedding_per_token():
    from rnnviz.charlm.model import training_step_flops

    config = ModelConfig(vocab_size=50, cell="gru", hidden_size=32, embed_size=8)
    used = count_parameters(config) - 50 * 8
    assert training_step_flops(config, batch_size=4, seq_len=10) == 6 * used * 4 * 10
    assert training_step_flops(config, 8, 10) == 2 * training_step_flops(config, 4, 10)
