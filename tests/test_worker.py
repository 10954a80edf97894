import time

from rnnviz.comparison import Comparison, ComparisonConfig
from rnnviz.trainer import TrainConfig
from rnnviz.worker import BackgroundTrainer


def comparison(tiny_data, steps=20_000):
    config = ComparisonConfig(
        cells=("LSTM", "GRU"), hidden_size=8, embed_size=4, max_steps=steps, sample_every=0,
        train=TrainConfig(seq_len=8, batch_size=2, eval_every=0),
    )  # fmt: skip
    return Comparison(tiny_data, config)


def test_trains_in_the_background_and_pauses_cleanly(tiny_data):
    run = comparison(tiny_data)
    worker = BackgroundTrainer(run, chunk_seconds=0.05)
    worker.start()
    time.sleep(0.3)
    worker.pause()
    steps = [cell.step for cell in run.runs]
    assert all(s > 0 for s in steps) and steps[0] == steps[1]  # round-robin keeps cells in step
    time.sleep(0.2)
    assert [cell.step for cell in run.runs] == steps
    worker.start()
    time.sleep(0.2)
    worker.stop()
    assert run.runs[0].step > steps[0] and not worker.alive


def test_stops_when_the_run_is_finished(tiny_data):
    run = comparison(tiny_data, steps=30)
    worker = BackgroundTrainer(run, chunk_seconds=0.05)
    worker.start()
    deadline = time.time() + 10
    while worker.running and time.time() < deadline:
        time.sleep(0.05)
    assert not worker.running and run.finished and [c.step for c in run.runs] == [30, 30]
    worker.stop()


def test_pauses_itself_when_nobody_watches_and_then_exits(tiny_data):
    worker = BackgroundTrainer(comparison(tiny_data), chunk_seconds=0.02, idle_pause_s=0.2, idle_exit_s=0.3)
    worker.start()
    time.sleep(1.2)
    assert worker.auto_paused and not worker.running and not worker.alive


def test_a_crash_in_training_is_reported(tiny_data):
    run = comparison(tiny_data)
    worker = BackgroundTrainer(run, chunk_seconds=0.02)

    def broken(seconds):
        raise RuntimeError("out of memory")

    run.advance = broken
    worker.start()
    time.sleep(0.3)
    assert worker.error == "RuntimeError: out of memory" and not worker.running
    worker.stop()
