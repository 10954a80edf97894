"""A shared server gives back what closed tabs used, and lets every run take its turn."""

import gc
import platform
import threading
import time
import weakref

import pytest

from rnnviz.charlm.model import CharRNN, ModelConfig
from rnnviz.live.diagnostics import release_free_memory, snapshot, trim_delay, trim_when_collected
from rnnviz.live.session_janitor import SessionJanitor
from rnnviz.live.training_slots import TrainingSlots


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_janitor_releases_a_session_only_once_it_is_gone_longer_than_the_ttl():
    active = {"a": True, "b": True}
    clock = FakeClock()
    janitor = SessionJanitor(lambda sid: active.get(sid, False), ttl_s=120, sweep_every_s=5, clock=clock)
    released = []
    janitor.watch("a", lambda: released.append("a"))
    janitor.watch("b", lambda: released.append("b"))
    active["a"] = False  # tab a closed at t = 0
    clock.now = 100
    assert janitor.sweep() == [] and released == []  # within the TTL it may still reconnect
    active["a"] = True  # and it did
    clock.now = 125
    assert janitor.sweep() == []
    active["a"] = False
    clock.now = 125 + 131
    assert janitor.sweep() == ["a"] and released == ["a"]
    assert janitor.watching() == ["b"]  # b is still connected and kept
    assert janitor.sweep() == [] and released == ["a"]  # released once


def test_janitor_never_releases_a_session_it_never_saw_connected():
    clock = FakeClock()
    janitor = SessionJanitor(lambda sid: False, ttl_s=1, sweep_every_s=1, clock=clock)
    released = []
    janitor.watch("test session", lambda: released.append(1))  # e.g. AppTest: no websocket at all
    clock.now = 1_000
    assert janitor.sweep() == [] and released == []


def test_janitor_thread_sweeps_by_itself():
    active = {"s": True}
    released = threading.Event()
    janitor = SessionJanitor(lambda sid: active["s"], ttl_s=0, sweep_every_s=0.05)
    janitor.watch("s", released.set)
    janitor.start()
    active["s"] = False
    assert released.wait(timeout=5)


def test_training_slots_serve_in_arrival_order_and_never_exceed_the_limit():
    slots = TrainingSlots(2)
    order, peak, inside = [], [0], [0]
    lock = threading.Lock()

    def run(name):
        with slots.turn():
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
                order.append(name)
            time.sleep(0.05)
            with lock:
                inside[0] -= 1

    threads = []
    for name in range(6):
        threads.append(threading.Thread(target=run, args=(name,)))
        threads[-1].start()
        time.sleep(0.01)  # arrive in order 0..5
    for thread in threads:
        thread.join(timeout=10)
    assert peak[0] == 2 and order == list(range(6)) and slots.busy == 0 and slots.waiting == 0


def test_training_slots_refuse_zero():
    with pytest.raises(ValueError):
        TrainingSlots(0)


def test_snapshot_counts_live_models_and_forgets_collected_ones():
    before = snapshot().live_models
    model = CharRNN(ModelConfig(vocab_size=10, cell="lstm", hidden_size=8, embed_size=4))
    assert snapshot().live_models == before + 1
    del model
    assert snapshot().live_models == before


@pytest.fixture
def fresh_trims(monkeypatch):
    """The trim scheduler as a fresh process has it: no trim due, none run yet (a trim that another test's
    collected model made due keeps its own lock and clock, and the real ``release_free_memory``)."""
    import rnnviz.live.diagnostics as diagnostics

    monkeypatch.setattr(diagnostics, "_TRIM_DUE", threading.Lock())
    monkeypatch.setattr(diagnostics, "_LAST_TRIM_ENDED", [float("-inf")])
    return diagnostics


def test_trim_runs_after_the_owner_is_collected(monkeypatch, fresh_trims):
    diagnostics = fresh_trims
    trimmed = threading.Event()
    monkeypatch.setattr(diagnostics, "release_free_memory", trimmed.set)

    class Owner:
        pass

    owner = Owner()
    trim_when_collected(owner, delay_s=0.01)
    assert not trimmed.wait(0.1)
    del owner
    gc.collect()
    assert trimmed.wait(timeout=5)


def test_owners_collected_together_share_one_trim_and_a_later_one_gets_its_own(monkeypatch, fresh_trims):
    diagnostics = fresh_trims
    trims = []
    done = threading.Semaphore(0)
    monkeypatch.setattr(diagnostics, "release_free_memory", lambda: (trims.append(1), done.release()))
    monkeypatch.setattr(diagnostics, "MIN_TRIM_INTERVAL_S", 0.0)

    class Owner:
        pass

    owners = [Owner() for _ in range(5)]
    for owner in owners:
        trim_when_collected(owner, delay_s=0.2)
    del owner
    owners.clear()  # five collected at once: one trim is due
    gc.collect()
    assert done.acquire(timeout=5)
    later = Owner()
    trim_when_collected(later, delay_s=0.01)
    del later  # after the first trim started: a trim of its own
    assert done.acquire(timeout=5)
    assert not done.acquire(timeout=0.3) and len(trims) == 2


def test_a_trim_waits_for_the_interval_since_the_last_one_ended():
    assert trim_delay(1.0, now=100.0, last_ended=float("-inf"), min_interval_s=10.0) == 1.0  # the first: its delay
    assert trim_delay(1.0, now=100.0, last_ended=95.0, min_interval_s=10.0) == 5.0  # 10 s after the last ended
    assert trim_delay(1.0, now=100.0, last_ended=80.0, min_interval_s=10.0) == 1.0  # long ago: its delay


def test_trims_of_owners_collected_one_after_another_are_spaced_by_the_interval(monkeypatch, fresh_trims):
    diagnostics = fresh_trims
    started = []
    done = threading.Semaphore(0)
    monkeypatch.setattr(diagnostics, "release_free_memory", lambda: (started.append(time.monotonic()), done.release()))
    monkeypatch.setattr(diagnostics, "MIN_TRIM_INTERVAL_S", 0.3)

    class Owner:
        pass

    for _ in range(2):
        owner = Owner()
        trim_when_collected(owner, delay_s=0.01)
        del owner
        assert done.acquire(timeout=5)
    assert started[1] - started[0] >= 0.3  # the second waited for the interval, not only its own 0.01 s


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is a glibc function")
def test_release_free_memory_trims_on_glibc():
    assert release_free_memory() is True


class FakeSessionState(dict):
    """What the janitor gets from Streamlit: a mapping with ``filtered_state``."""

    @property
    def filtered_state(self):
        return dict(self)


class FakeMedia:
    def __init__(self):
        self.calls = []

    def clear_session_refs(self, session_id):
        self.calls.append(("clear", session_id))

    def remove_orphaned_files(self):
        self.calls.append(("remove",))


def test_release_session_stops_training_and_frees_the_models(tiny_data):
    from rnnviz.charlm.trainer import TrainConfig
    from rnnviz.labs.language_models import LanguageModelLab, LanguageModelLabConfig
    from rnnviz.live.worker import BackgroundTrainer
    from rnnviz.ui.live import LiveRun
    from rnnviz.ui.session_cleanup import release_session

    config = LanguageModelLabConfig(
        cells=("LSTM", "GRU"),
        hidden_size=8,
        embed_size=4,
        steps=20_000,
        sample_every=0,
        train=TrainConfig(seq_len=8, batch_size=2, eval_every=0),
    )
    run = LanguageModelLab(tiny_data, config)
    worker = BackgroundTrainer(run, chunk_seconds=0.02)
    state = FakeSessionState({"train.run": LiveRun(run, worker), "train.settings": object()})  # as ui.live keeps it
    worker.start()
    assert worker.wait_for_steps(4, timeout=30)
    models = [weakref.ref(cell.trainer.model) for cell in run.runs]
    thread = worker._thread
    del run
    media = FakeMedia()
    release_session("s1", state, media)
    del worker
    gc.collect()
    assert state == {} and media.calls == [("clear", "s1"), ("remove",)]
    assert not thread.is_alive() and all(ref() is None for ref in models)  # thread ended, both models freed


def test_two_runs_share_one_slot_and_both_move(tiny_data, monkeypatch):
    import rnnviz.live.worker as worker_module
    from rnnviz.charlm.trainer import TrainConfig
    from rnnviz.labs.language_models import LanguageModelLab, LanguageModelLabConfig

    monkeypatch.setattr(worker_module, "TRAINING_SLOTS", TrainingSlots(1))
    config = LanguageModelLabConfig(
        cells=("GRU",),
        hidden_size=8,
        embed_size=4,
        steps=20_000,
        sample_every=0,
        train=TrainConfig(seq_len=8, batch_size=2, eval_every=0),
    )
    runs = [LanguageModelLab(tiny_data, config) for _ in range(2)]
    workers = [worker_module.BackgroundTrainer(run, chunk_seconds=0.02) for run in runs]
    for worker in workers:
        worker.start()
    for worker in workers:  # one slot, first come first served: each waits its turn and still moves
        assert worker.wait_for_steps(3, timeout=30)
    for worker in workers:
        worker.stop()
    assert all(run.runs[0].step > 0 for run in runs)
