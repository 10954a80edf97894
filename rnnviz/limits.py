"""Per-session caps, in one place, so a shared classroom server stays usable.

Every page and the CLI read these; change them here (or through the ``RNNVIZ_*`` environment
variables) to size a deployment. Where the defaults come from (README, "Robustness and load"):

- ``training_slots`` (cores - 1) and ``trainer_nice``: bench/load_test.py. With one slot on one
  core, 8 sessions all train (1.9-2.7 steps/s each, 19 in total; one session alone: 22.5) and a
  page request is answered in 0.05 s while they do.
- ``max_step_gflop`` (30, all cells of a run together): bench/step_cost.py measures 68-87 GFLOP/s
  on one thread for models of that size, so one step of a run at the cap takes under half a second
  and a chunk (two steps) under a second: the longest any other run waits per run ahead of it in
  the queue, and the longest Pause waits. Settings the other caps allow (3 x 512, T 400, B 128)
  took 20.4 s per step.
- ``max_upload_bytes`` (5 MB): ``bench/step_cost.py --upload`` prepares a 5 MB corpus in 0.72 s.
- ``max_steps_per_run`` (20,000): a lone session trains the load test's run (three cells, H 64,
  T 64, B 32) at about 20 steps/s, so a run at the cap lasts a lesson (17 minutes), not a night.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS tells), not all the machine has."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


@dataclass(frozen=True, kw_only=True)
class Limits:
    max_upload_bytes: int = _env_int("RNNVIZ_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
    max_hidden_size: int = _env_int("RNNVIZ_MAX_HIDDEN", 512)
    max_layers: int = 3
    max_embed_size: int = 256
    max_seq_len: int = _env_int("RNNVIZ_MAX_SEQ_LEN", 400)
    max_batch_size: int = _env_int("RNNVIZ_MAX_BATCH", 256)
    max_steps_per_run: int = _env_int("RNNVIZ_MAX_STEPS", 20_000)
    max_repeats: int = 10  # seeds per run (every cell once per seed); the work cap below counts them all
    max_parameters: int = _env_int("RNNVIZ_MAX_PARAMS", 5_000_000)
    max_step_gflop: float = _env_float("RNNVIZ_MAX_STEP_GFLOP", 30.0)  # all cells of a run together
    max_inspect_chars: int = _env_int("RNNVIZ_MAX_INSPECT_CHARS", 2_000)
    max_generate_chars: int = _env_int("RNNVIZ_MAX_GENERATE_CHARS", 5_000)
    history_length: int = 5_000
    torch_threads: int = max(1, _env_int("RNNVIZ_TORCH_THREADS", 1))
    trainer_nice: int = _env_int("RNNVIZ_TRAINER_NICE", 10)  # training threads' CPU priority (0 = like pages)
    # runs that train at the same moment in one server process; the others wait their turn (training_slots.py)
    training_slots: int = max(1, _env_int("RNNVIZ_TRAINING_SLOTS", max(1, _usable_cores() - 1)))
    idle_pause_s: int = _env_int("RNNVIZ_IDLE_PAUSE_S", 30)  # a run nobody watches pauses itself
    idle_exit_s: int = _env_int("RNNVIZ_IDLE_EXIT_S", 120)  # and its thread exits after this long paused


LIMITS = Limits()
