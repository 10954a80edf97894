"""The Gradients lab with the newer cells (issue #26): Mamba's selective copy task, every cell of the registry on the
memory tasks, and the gradient decay of a linear recurrence and of the Transformer."""

import math

import pytest
import torch
import torch.nn.functional as F

from rnnviz.cells import ALL_CELL_KINDS
from rnnviz.charlm.initialization import InitConfig
from rnnviz.charlm.model import ConfigError
from rnnviz.labs.gradient_decay import (
    GradientDecayInTraining,
    GradientDecayInTrainingConfig,
    describe_result,
    gradflow_at_init,
    lab_model,
    measure_gradient_flow,
    random_ids,
)
from rnnviz.labs.memory_task_lab import MemoryTaskConfig, MemoryTaskLab, train_memory_task
from rnnviz.labs.memory_tasks import TASKS, SequenceModel, TaskSpec, make_batch, task_loss

ALL_KEYS = [kind.key for kind in ALL_CELL_KINDS]


def test_selective_copy_targets_are_the_data_tokens_in_order():
    spec = TaskSpec("selective-copy", 12, selective_symbols=4, selective_k=3)
    batch = make_batch(spec, 64, torch.Generator().manual_seed(0))
    noise, delimiter = 4, 5
    assert spec.steps == 16 and batch.x.shape == (64, 16, 6) and batch.y.shape == (64, 16)
    assert spec.input_size == 6 and spec.output_size == 5 and spec.recall_steps == 3 and spec.per_step
    inputs = batch.x.argmax(-1)  # (B, 16)
    assert torch.equal(batch.x.sum(-1), torch.ones(64, 16))  # one-hot
    assert bool((inputs[:, 12] == delimiter).all()) and bool((inputs[:, 13:] == noise).all())  # recall: noise in
    assert bool((batch.y[:, :13] == noise).all())  # nothing to say before the recall
    positions = set()
    for row, target in zip(inputs, batch.y):
        data = [int(s) for s in row[:12] if s < noise]  # the data tokens, left to right
        assert len(data) == 3 and target[-3:].tolist() == data  # exactly those, in their order
        positions.add(tuple(i for i, s in enumerate(row[:12].tolist()) if s < noise))
    assert len(positions) > 30  # the positions are random: a fixed decay cannot know where to look
    again = make_batch(spec, 64, torch.Generator().manual_seed(0))
    assert torch.equal(again.x, batch.x) and torch.equal(again.y, batch.y)  # a fixed seed, the same batch
    assert spec.baseline() == pytest.approx(3 * math.log(4) / 16)
    assert "selective-copy" in TASKS and spec.chance_accuracy() is None


def test_selective_copy_refuses_fewer_steps_than_data_tokens():
    with pytest.raises(ValueError):
        make_batch(TaskSpec("selective-copy", 3, selective_k=4), 2, torch.Generator().manual_seed(0))
    with pytest.raises(ConfigError, match="at least 4"):
        MemoryTaskLab(MemoryTaskConfig(task="selective-copy", length=3, cells=("gru",)))


@pytest.mark.parametrize("cell", ALL_KEYS)
def test_sequence_model_builds_every_cell_and_learns(cell):
    spec = TaskSpec("selective-copy", 8, selective_symbols=3, selective_k=2)
    torch.manual_seed(0)
    model = SequenceModel(cell, spec, 16)
    batch = make_batch(spec, 16, torch.Generator().manual_seed(1))
    assert model(batch.x).shape == (16, spec.steps, spec.output_size)  # (B, T + 1 + K, n + 1)
    last_step = SequenceModel(cell, TaskSpec("order", 8), 16)
    assert last_step(make_batch(TaskSpec("order", 8), 4, torch.Generator().manual_seed(2)).x).shape == (4, 4)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(15):  # one batch, a few steps: the loss must come down for every cell
        loss, accuracy = task_loss(spec, model(batch.x), batch.y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    assert losses[-1] < 0.8 * losses[0] and 0.0 <= accuracy <= 1.0


def test_the_transformer_window_covers_the_task_and_the_relu_rnn_is_kept():
    spec = TaskSpec("copy", 6, copy_symbols=3, copy_k=2)
    assert SequenceModel("transformer", spec, 8).rnn.context_size == spec.steps == 10
    assert SequenceModel("rnn", spec, 8, nonlinearity="relu").rnn.nonlinearity == "relu"
    assert SequenceModel("rnn-relu", spec, 8).rnn.nonlinearity == "relu"
    with pytest.raises(ValueError, match="unknown cell"):
        SequenceModel("nosuch", spec, 8)


def test_the_task_lab_races_newer_cells_under_their_labels():
    config = MemoryTaskConfig(
        task="selective-copy", length=6, cells=("gru", "mingru", "transformer"), hidden_size=8, steps=4, eval_every=2
    )
    lab = train_memory_task(config)
    rows = lab.summary()
    assert [r["cell"] for r in rows] == ["GRU", "minGRU", "Transformer"] and all(r["step"] == 4 for r in rows)
    assert rows[0]["baseline"] == pytest.approx(4 * math.log(8) / 11) and rows[0]["accuracy"] is not None
    with pytest.raises(ConfigError, match="known: rnn, rnn-relu"):
        MemoryTaskLab(MemoryTaskConfig(task="adding", length=10, cells=("gru", "mamba")))


def test_a_linear_recurrence_gradient_follows_its_decay_exactly():
    """minGRU: the gradient that reaches h_t is dL_T/dh_T times the product of the later decays (1 - z); held to a
    step-by-step loop written here, with every h_t a node of its own autograd graph."""
    model = lab_model("mingru", 8, InitConfig(), seed=3)
    ids = random_ids(14, 3)
    result = measure_gradient_flow(model, ids)
    assert result.measured == "hidden" and result.spectral_radius is None and result.replay_diff < 1e-5
    assert len(result.norms_by_distance) == 14 and result.relative_by_distance[0] == 1.0
    layer = model.rnn.layers[0]
    with torch.no_grad():
        x = model.embed(ids[:-1][None])  # (1, T, E)
    k, v = layer.linear(x).chunk(2, dim=-1)  # (1, T, H)
    z, h_tilde = torch.sigmoid(k), torch.where(v >= 0, v + 0.5, torch.sigmoid(v))
    h, states = torch.zeros(1, 8), []
    for step in range(14):
        h = (1 - z[:, step]) * h + z[:, step] * h_tilde[:, step]
        states.append(h)
    loss = F.cross_entropy(model.head(h), ids[-1:])
    grads = torch.autograd.grad(loss, states)
    reference = [float(g.norm()) for g in reversed(grads)]
    assert result.norms_by_distance == pytest.approx(reference, rel=1e-4)
    decay = 1 - z[0].detach()  # (T, H)
    kept = grads[-1][0] * decay[1:].prod(0)  # dL_T/dh_1 by the product of the decays
    assert result.norms_by_distance[-1] == pytest.approx(float(kept.norm()), rel=1e-4)
    assert result.mean_forget_or_update_gate == pytest.approx(float(decay.mean()), rel=1e-5)


@pytest.mark.parametrize("cell", ["minlstm", "ssm"])
def test_the_other_linear_recurrences_decay_and_check_their_replay(cell):
    result = gradflow_at_init(cell, 8, 40, InitConfig(scheme="orthogonal", forget_bias=3.0), seed=1)
    norms = result.relative_by_distance
    assert len(norms) == 40 and all(math.isfinite(n) and n > 0 for n in norms) and result.replay_diff < 1e-5
    assert result.measured == ("state" if cell == "ssm" else "hidden") and 0 < result.decay_per_step < 1
    assert norms[39] < norms[1] and 0 < result.mean_forget_or_update_gate < 1
    assert "shrinks" in describe_result(result)


def test_the_transformer_gradient_reaches_every_position_in_one_step():
    result = gradflow_at_init("transformer", 16, 30, seed=0)
    relative = result.relative_by_distance
    assert result.measured == "input" and len(relative) == 30 and result.decay_per_step is None
    assert all(math.isfinite(r) for r in relative) and relative[29] > 0  # nonzero at distance T - 1
    assert relative[29] > 0.1 * relative[1]  # flat past the last position: no product of factors to vanish
    assert result.replay_diff < 1e-5 and result.spectral_radius is None and result.mean_forget_or_update_gate is None
    assert "in one step" in describe_result(result) and "distance 29" in describe_result(result)
    rnn = gradflow_at_init("rnn", 16, 30, seed=0).relative_by_distance
    assert relative[29] > 1e3 * rnn[29]


def test_a_newer_cell_ignores_the_fused_cells_initialisation():
    orthogonal = InitConfig(scheme="orthogonal", spectral_radius=0.9, forget_bias=3.0)
    assert (
        gradflow_at_init("mingru", 8, 12, orthogonal).norms_by_distance
        == gradflow_at_init("mingru", 8, 12).norms_by_distance
    )


def test_the_decay_in_training_measures_newer_cells(tiny_data):
    config = GradientDecayInTrainingConfig(
        cells=("minGRU", "Transformer"), hidden_size=8, seq_len=16, steps=2, measure_every=1
    )
    job = GradientDecayInTraining(tiny_data, config)
    while not job.finished:
        job.advance(0.0)
    last = job.measured[max(job.measured)]
    assert len(last["minGRU"]) == 16 and len(last["Transformer"]) == 16 and last["Transformer"][15] > 0
    assert all(cell.trainer.model.training for cell in job.lab.runs)
