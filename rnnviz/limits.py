"""Per-session caps, in one place, so a shared classroom server stays usable.

Every page and the CLI read these; change them here (or through the ``RNNVIZ_*`` environment
variables) to size a deployment. The defaults keep one session's training step on a 2-core
machine small enough that eight sessions still get interactive pages.
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


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int = _env_int("RNNVIZ_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
    max_hidden_size: int = _env_int("RNNVIZ_MAX_HIDDEN", 512)
    max_layers: int = 3
    max_embed_size: int = 256
    max_seq_len: int = _env_int("RNNVIZ_MAX_SEQ_LEN", 400)
    max_batch_size: int = _env_int("RNNVIZ_MAX_BATCH", 256)
    max_steps_per_run: int = _env_int("RNNVIZ_MAX_STEPS", 20_000)
    max_parameters: int = _env_int("RNNVIZ_MAX_PARAMS", 5_000_000)
    max_inspect_chars: int = _env_int("RNNVIZ_MAX_INSPECT_CHARS", 2_000)
    max_generate_chars: int = _env_int("RNNVIZ_MAX_GENERATE_CHARS", 5_000)
    history_length: int = 5_000
    torch_threads: int = max(1, _env_int("RNNVIZ_TORCH_THREADS", 1))
    idle_pause_s: int = _env_int("RNNVIZ_IDLE_PAUSE_S", 30)  # a run nobody watches pauses itself
    idle_exit_s: int = _env_int("RNNVIZ_IDLE_EXIT_S", 120)  # and its thread exits after this long paused


LIMITS = Limits()
