"""The background worker drives any LiveJob: pause, resume, finish, idle pause, crash. Waits on events, not sleeps."""

from helpers import tiny_sentiment_data, tiny_tagging_data

from rnnviz.charlm.trainer import TrainConfig
from rnnviz.labs.language_models import LanguageModelLab, LanguageModelLabConfig
from rnnviz.live.job import LiveJob
from rnnviz.live.worker import BackgroundTrainer


def language_models(tiny_data, steps=20_000):
    config = LanguageModelLabConfig(
        cells=("LSTM", "GRU"),
        hidden_size=8,
        embed_size=4,
        steps=steps,
        sample_every=0,
        train=TrainConfig(seq_len=8, batch_size=2, eval_every=0),
    )
    return LanguageModelLab(tiny_data, config)


def test_trains_in_the_background_and_pauses_cleanly(tiny_data):
    lab = language_models(tiny_data)
    worker = BackgroundTrainer(lab, chunk_seconds=0.05)
    worker.start()
    assert worker.wait_for_steps(10, timeout=30)
    worker.pause()  # returns once no chunk is in flight
    steps = [cell.step for cell in lab.runs]
    assert all(s > 0 for s in steps) and steps[0] == steps[1]  # round-robin keeps cells in step
    assert worker.snapshot()["summaries"][0]["step"] == steps[0]
    assert [cell.step for cell in lab.runs] == steps and not worker.running  # paused: nothing moves
    done = worker.steps_done
    worker.start()
    assert worker.wait_for_steps(done + 10, timeout=30)
    worker.stop()
    assert lab.runs[0].step > steps[0] and not worker.alive and worker.stopped


def test_stops_when_the_run_is_finished(tiny_data):
    lab = language_models(tiny_data, steps=30)
    worker = BackgroundTrainer(lab, chunk_seconds=0.05)
    worker.start()
    assert worker.settled.wait(timeout=30)
    assert not worker.running and lab.finished and [c.step for c in lab.runs] == [30, 30]
    assert worker.snapshot()["progress"] == 1.0
    worker.stop()


def test_pauses_itself_when_nobody_watches_and_then_exits(tiny_data):
    worker = BackgroundTrainer(language_models(tiny_data), chunk_seconds=0.02, idle_pause_s=0.2, idle_exit_s=0.3)
    worker.start()
    assert worker.settled.wait(timeout=30) and worker.auto_paused and not worker.running
    worker._thread.join(timeout=30)  # it exits once paused longer than idle_exit_s
    assert not worker.alive


def test_a_crash_in_training_is_reported(tiny_data):
    lab = language_models(tiny_data)
    worker = BackgroundTrainer(lab, chunk_seconds=0.02)

    def broken(seconds):
        raise RuntimeError("out of memory")

    lab.advance = broken
    worker.start()
    assert worker.settled.wait(timeout=30)
    assert worker.error == "RuntimeError: out of memory" and not worker.running
    worker.stop()


def test_call_runs_with_no_chunk_in_flight(tiny_data):
    lab = language_models(tiny_data)
    worker = BackgroundTrainer(lab, chunk_seconds=0.05)
    worker.start()
    assert worker.wait_for_steps(4, timeout=30)
    seen = worker.call(lambda job: (worker.lock.locked(), [c.step for c in job.runs]))
    assert seen[0] is True and seen[1][0] == seen[1][1]  # inside the lock, between two round-robin chunks
    worker.stop()


def test_every_lab_is_a_live_job(tiny_data):
    from rnnviz.labs.classify_lab import ClassifyLab, ClassifyLabConfig
    from rnnviz.labs.gradient_decay import GradientDecayInTraining, GradientDecayInTrainingConfig
    from rnnviz.labs.memory_task_lab import MemoryTaskConfig, MemoryTaskLab, MemoryTaskSweep
    from rnnviz.labs.seq2seq_lab import Seq2SeqLab, Seq2SeqLabConfig
    from rnnviz.labs.tagging_lab import TaggingLab, TaggingLabConfig

    tasks = MemoryTaskConfig(task="adding", length=10, cells=("rnn",), hidden_size=4, steps=2)
    labs = [
        language_models(tiny_data),
        MemoryTaskLab(tasks),
        MemoryTaskSweep(tasks, lengths=(5, 10)),
        Seq2SeqLab(Seq2SeqLabConfig(task="reverse", attentions=("none",), hidden_size=8, steps=2, eval_examples=4)),
        GradientDecayInTraining(
            tiny_data,
            GradientDecayInTrainingConfig(cells=("LSTM",), hidden_size=8, seq_len=12, steps=2, measure_every=1),
        ),
        TaggingLab(TaggingLabConfig(hidden_size=4, embed_size=4, steps=2, eval_every=1), data=tiny_tagging_data(2)),
        ClassifyLab(ClassifyLabConfig(hidden_size=4, embed_size=4, steps=2, eval_every=1), data=tiny_sentiment_data(2)),
    ]
    for lab in labs:
        assert isinstance(lab, LiveJob), type(lab).__name__
        lab.advance(0.01)
        snap = lab.snapshot()
        assert 0.0 <= snap["progress"] <= 1.0 and isinstance(snap["progress_text"], str), type(lab).__name__
        _assert_plain(snap)


def _assert_plain(value) -> None:
    """A snapshot holds plain data only: a chart never reads a tensor or a model another thread may update."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str | int | float), key
            _assert_plain(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _assert_plain(item)
    else:
        assert value is None or isinstance(value, str | int | float | bool), type(value)
