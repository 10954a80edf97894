import math

import pytest
import torch

from rnnviz.charlm.initialization import InitConfig
from rnnviz.labs.gradient_decay import describe_decay, gradflow_at_init
from rnnviz.labs.memory_task_lab import MemoryTaskConfig, MemoryTaskLab, train_memory_task
from rnnviz.labs.memory_tasks import TaskSpec, make_batch


def test_near_linear_rnn_decays_at_its_radius():
    for radius in (0.7, 0.9):
        result = gradflow_at_init(
            "rnn", 32, 60, InitConfig(scheme="identity", spectral_radius=radius), input_scale=1e-4
        )
        assert result.decay_per_step == pytest.approx(radius, rel=0.05)
        assert result.spectral_radius == pytest.approx(radius, rel=1e-4)


def test_default_tanh_rnn_vanishes():
    result = gradflow_at_init("rnn", 128, 100, seed=0)
    assert result.norms_by_distance[50] * 100 <= result.norms_by_distance[1]


def test_lstm_with_forget_bias_keeps_its_gradient():
    rnn = gradflow_at_init("rnn", 128, 100, seed=0)
    lstm = gradflow_at_init("lstm", 128, 100, InitConfig(forget_bias=3.0), seed=0)
    assert lstm.relative_by_distance[50] >= 100 * rnn.relative_by_distance[50]
    assert lstm.mean_forget_or_update_gate > 0.9


def test_default_lstm_decays_almost_like_the_rnn():
    """The honest lesson: forget gates near 0.5 at PyTorch's default initialisation."""
    lstm = gradflow_at_init("lstm", 128, 100, seed=0)
    assert 0.45 < lstm.mean_forget_or_update_gate < 0.55 and lstm.decay_per_step < 0.8


def test_exploding_radius_grows():
    result = gradflow_at_init("rnn", 64, 60, InitConfig(scheme="orthogonal", spectral_radius=1.5), nonlinearity="relu")
    assert result.decay_per_step > 1 and "grows" in describe_decay(result.decay_per_step)
    assert "shrinks x0.50 per step; after 50 steps it is 9e-16" in describe_decay(0.5)


def test_adding_targets_by_hand():
    batch = make_batch(TaskSpec("adding", 10), 4, torch.Generator().manual_seed(0))
    values, marks = batch.x[..., 0], batch.x[..., 1]
    assert batch.x.shape == (4, 10, 2) and torch.equal(marks.sum(1), torch.full((4,), 2.0))
    assert torch.allclose((values * marks).sum(1), batch.y)
    assert bool((marks[:, :5].sum(1) == 1).all())  # one mark in each half


def test_order_targets_by_hand():
    batch = make_batch(TaskSpec("order", 12), 16, torch.Generator().manual_seed(1))
    symbols = batch.x.argmax(-1)
    for row, label in zip(symbols, batch.y):
        marked = [int(s) - 4 for s in row if s >= 4]
        assert len(marked) == 2 and marked[0] * 2 + marked[1] == int(label)


def test_copy_targets_by_hand():
    spec = TaskSpec("copy", 5, copy_symbols=4, copy_k=3)
    batch = make_batch(spec, 2, torch.Generator().manual_seed(2))
    inputs = batch.x.argmax(-1)
    assert inputs.shape == (2, 11)
    assert torch.equal(batch.y[:, -3:], inputs[:, :3])
    assert bool((inputs[:, 7] == 5).all())  # the delimiter right before the recall
    assert bool((batch.y[:, :-3] == 4).all())
    assert spec.baseline() == pytest.approx(3 * math.log(4) / 11)


def test_dyck_depth_by_hand():
    batch = make_batch(TaskSpec("dyck", 30), 8, torch.Generator().manual_seed(3))
    opens = batch.x.argmax(-1)
    for row, depth in zip(opens, batch.y):
        walk = 0
        for step in row.tolist():
            walk += 1 if step == 1 else -1
            assert 0 <= walk <= 8
        assert walk == int(depth)


def test_baselines_match_their_formulas():
    assert TaskSpec("adding", 50).baseline() == pytest.approx(1 / 6)
    assert TaskSpec("order", 50).baseline() == pytest.approx(math.log(4))
    spec = TaskSpec("adding", 50)
    y = make_batch(spec, 20_000, torch.Generator().manual_seed(0)).y
    assert float(((y - 1.0) ** 2).mean()) == pytest.approx(1 / 6, rel=0.03)  # guessing the mean sum


def test_tasks_train_same_batches_and_report():
    lab = MemoryTaskLab(
        MemoryTaskConfig(task="order", length=10, cells=("rnn", "lstm"), hidden_size=16, steps=40, eval_every=20)
    )
    lab.advance(30)
    assert lab.finished and [r.step for r in lab.runs] == [40, 40]
    rows = lab.summary()
    assert rows[0]["baseline"] == pytest.approx(math.log(4)) and rows[0]["accuracy"] is not None
    dyck = train_memory_task(
        MemoryTaskConfig(task="dyck", length=12, cells=("gru",), hidden_size=8, steps=5, eval_every=5)
    )
    assert 0 < dyck.summary()[0]["baseline"] < math.log(9)


def test_repeats_train_every_cell_once_per_seed_and_aggregate():
    config = MemoryTaskConfig(
        task="order",
        length=8,
        cells=("rnn", "gru"),
        hidden_size=8,
        steps=30,
        eval_every=10,
        repeats=3,
        learning_rate=1e-2,
    )
    lab = train_memory_task(config)
    rows = lab.summary()
    assert [(r["cell"], r["seed"]) for r in rows] == [(c, s) for s in (0, 1, 2) for c in ("RNN (tanh)", "GRU")]
    first_seeds = [r["held-out loss"] for r in rows if r["seed"] == 0]
    single = train_memory_task(MemoryTaskConfig(**{**config.__dict__, "repeats": 1})).summary()
    assert [r["held-out loss"] for r in single] == first_seeds  # seed 0 of a repeat is the single run, exactly
    assert len({r["held-out loss"] for r in rows if r["cell"] == "GRU"}) == 3  # the seeds differ
    aggregate = {row["cell"]: row for row in lab.aggregate()}
    gru = [r for r in rows if r["cell"] == "GRU"]
    assert aggregate["GRU"]["seeds"] == 3 and aggregate["GRU"]["best"] == min(r["held-out loss"] for r in gru)
    assert aggregate["GRU"]["mean held-out loss"] == pytest.approx(sum(r["held-out loss"] for r in gru) / 3)
    assert aggregate["GRU"]["solved"] == f"{sum(r['solved'] for r in gru)}/3"
    assert all(r["solved"] == (r["accuracy"] >= 0.95) for r in rows)


def test_solved_means_under_a_tenth_of_the_baseline_for_adding():
    lab = MemoryTaskLab(MemoryTaskConfig(task="adding", length=10, cells=("lstm",), hidden_size=4, steps=1))
    run = lab.runs[0]
    run.eval_losses, run.eval_accuracies = [0.099 * lab.baseline], [None]
    assert lab.solved(run)
    run.eval_losses = [0.11 * lab.baseline]
    assert not lab.solved(run)


def test_update_variant_records_the_loss_and_marks_a_nan_as_divergence():
    from types import SimpleNamespace

    import torch

    from rnnviz.labs.shared_batches import update_variant

    model = torch.nn.Linear(2, 1)
    run = SimpleNamespace(
        model=model, optimizer=torch.optim.SGD(model.parameters(), lr=0.1), steps=[], losses=[], diverged=None
    )
    before = model.weight.detach().clone()
    update_variant(run, model(torch.ones(1, 2)).sum() ** 2, step=1, clip_norm=1.0)
    assert run.steps == [1] and run.diverged is None and not torch.equal(before, model.weight)
    update_variant(run, model(torch.ones(1, 2)).sum() * float("nan"), step=2, clip_norm=None)
    assert run.steps == [1, 2] and run.diverged.startswith("diverged at step 2")


@pytest.mark.parametrize("repeats", [0, 11])
def test_repeats_out_of_range_are_refused(repeats):
    from rnnviz.charlm.model import ConfigError

    with pytest.raises(ConfigError, match="repeats must be 1..10"):
        MemoryTaskLab(MemoryTaskConfig(task="adding", length=10, cells=("rnn",), repeats=repeats))
