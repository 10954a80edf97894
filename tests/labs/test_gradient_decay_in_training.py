"""The live gradient-decay job measures inside the job, on one fixed probe, as the cells learn."""

from rnnviz.labs.gradient_decay import GradientDecayInTraining, GradientDecayInTrainingConfig


def test_measures_at_the_start_every_few_steps_and_at_the_end(tiny_data):
    config = GradientDecayInTrainingConfig(
        cells=("RNN (tanh)", "LSTM"), hidden_size=8, seq_len=20, steps=9, measure_every=4
    )
    job = GradientDecayInTraining(tiny_data, config)
    assert list(job.measured) == [0] and len(job.measured[0]["LSTM"]) == 20  # one value per distance 0..T-1
    while not job.finished:
        job.advance(0.0)  # one round-robin chunk (2 steps) a call
    steps = sorted(job.measured)
    assert steps[0] == 0 and steps[-1] == 9  # the end is always measured
    assert all(b - a >= 4 for a, b in zip(steps[:-2], steps[1:-1]))  # no more often than measure_every
    assert all(cell.trainer.model.training for cell in job.lab.runs)  # measuring left the models training
    snap = job.snapshot()
    assert snap["progress"] == 1.0 and snap["step"] == 9 and sorted(snap["measured"]) == steps
    assert snap["measured"][0]["RNN (tanh)"][0] == 1.0  # relative to distance 0


def test_the_probe_is_the_same_at_every_measurement(tiny_data):
    config = GradientDecayInTrainingConfig(cells=("GRU",), hidden_size=8, seq_len=12, steps=2, measure_every=1)
    job = GradientDecayInTraining(tiny_data, config)
    probe = job.probe.clone()
    job.advance(0.0)
    assert job.probe.equal(probe) and probe.equal(tiny_data.val_ids[:13])
