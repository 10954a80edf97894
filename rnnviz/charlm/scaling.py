"""Time against sequence length: what ``python -m rnnviz bench scaling`` measures.

Training: tokens per second and peak memory of one training step (the rnnviz ``Trainer``, so every model gets the
same tokenizer, batches, optimiser and clipping) at each sequence length T, for the fused LSTM and GRU, minGRU and
minLSTM through their parallel scan and step by step, the selective SSM (parallel scan) and the causal
Transformer (window = T), every model sized to one parameter budget (a one-layer LSTM's: ``budget_hidden``;
the Transformer's position table, which grows with its window, is left out of its budget and counted in
``parameters``). A step holds about ``tokens_per_step`` tokens (batch = tokens_per_step // T), so each length does the
same work per step. Each row's ``ratio_to_gru`` is its tokens per second over the fused GRU's at the same T in the
same run: above 1 is faster than the GRU. ``cpu_ms_per_step`` is the process's CPU time for the same step: with one
thread, and other work sharing the cores, it is the steadier figure of the two (wall-clock time counts the waits).

Generation: the time of one generated token after a prompt of T tokens (the position), one step at a time with the
state carried: a recurrence costs the same at every position; the Transformer (no key-value cache, window = the
longest T) attends over the whole prompt again for every token, so its cost grows with the position.

Peak memory, on CUDA, is ``torch.cuda.max_memory_allocated`` over one step less what was allocated before it (the
weights, gradients and optimiser state); on a CPU it is the same difference read from the process's resident
memory: freed memory is handed back to the system first (``malloc_trim``), the high-water mark is reset
(``/proc/self/clear_refs``), and the peak is ``VmHWM`` less the resident size before the step (Linux; elsewhere
``peak_mb`` is None). ``tracemalloc`` would see only Python's own allocations, none of PyTorch's tensors. That step
is one more after the timed ones, not one of them: after ``malloc_trim`` every page a step touches comes fresh from
the kernel (a page fault and a zeroing per 4 KiB), which a training loop pays in its first steps; a timed step
right after a trim pays it again: minGRU's parallel path took 104 ms there against 81 ms in a run of steps,
minLSTM's 114 against 91, the GRU's 328 against 298 (B = 4, T = 1,024, one thread, medians of 5). For the same
reason the timed steps follow two untimed ones (``WARM_UP_STEPS``), not one: the allocator's heap settles over the
first steps of a model that allocates per step (minGRU's parallel path, steps 1 to 5 of a new trainer: 121, 105,
85, 81, 79 ms, with 16,000, 14,000, 4,000, 4,000 and 2,000 page faults; the GRU's: 268, 197, 207, 223 ms).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import statistics
import time
from dataclasses import dataclass, replace
from pathlib import Path

import torch

from rnnviz.cells import ALL_BY_KEY, MODEL_CELLS
from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.model import ConfigError, ModelConfig, count_parameters, hidden_size_for_budget
from rnnviz.charlm.trainer import TrainConfig, Trainer, build_model
from rnnviz.device import describe_device, pick_device
from rnnviz.i18n import Message

SEQ_LENS = (64, 256, 1024, 4096)
WARM_UP_STEPS = 2  # untimed training steps before the timed ones, per row
CELLS = ("lstm", "gru", "mingru", "minlstm", "ssm", "transformer")
BOTH_MODES = ("mingru", "minlstm")  # trained both ways: the parallel scan against the step-by-step loop


@dataclass(frozen=True, kw_only=True)
class ScalingConfig:
    seq_lens: tuple[int, ...] = SEQ_LENS
    cells: tuple[str, ...] = CELLS  # registry keys; minGRU and minLSTM run in both modes
    budget_hidden: int = 128  # every model has the parameters of a one-layer LSTM this wide
    embed_size: int = 32
    tokens_per_step: int = 4096  # batch size = max(1, tokens_per_step // T)
    steps: int = 2  # timed training steps per row (after ``WARM_UP_STEPS``); the median counts
    generation_tokens: int = 5  # timed generated tokens per position (0: no generation rows)
    threads: int | None = 1  # torch threads (one, as the app trains); None leaves torch's setting
    device: str = "cpu"
    seed: int = 0

    def validate(self) -> None:
        unknown = [cell for cell in self.cells if cell not in MODEL_CELLS]
        if unknown or not self.cells:
            raise ConfigError(Message("errors.config.cell", cells=", ".join(MODEL_CELLS), value=repr(unknown)))
        for name in ("budget_hidden", "embed_size", "tokens_per_step", "steps"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ConfigError(Message("errors.config.positive", name=name, value=repr(value)))
        bad = [t for t in self.seq_lens if not isinstance(t, int) or t < 1]
        if bad or not self.seq_lens:
            raise ConfigError(Message("errors.config.positive", name="seq_lens", value=repr(bad or self.seq_lens)))
        if self.generation_tokens < 0 or (self.threads is not None and self.threads < 1):
            raise ConfigError(Message("errors.config.positive", name="generation_tokens/threads", value="-"))

    def variants(self) -> list[tuple[str, str]]:
        """(cell, mode) in the order they run: "fused" for the fused layers, "parallel" and "sequential" for the
        scans (the SSM in parallel only), "parallel" for the Transformer."""
        rows = []
        for cell in self.cells:
            if cell in BOTH_MODES:
                rows += [(cell, "parallel"), (cell, "sequential")]
            else:
                rows.append((cell, "parallel" if ALL_BY_KEY[cell].parallel else "fused"))
        return rows


def sized_config(cell: str, mode: str, vocab_size: int, embed_size: int, budget: int, context: int) -> ModelConfig:
    """One layer of ``cell`` whose parameter count comes closest to ``budget`` (the Transformer's without its
    position table, solved at a window of 1 and then given ``context``)."""
    base = ModelConfig(
        vocab_size=vocab_size,
        cell=cell,
        embed_size=embed_size,
        context_size=1,
        parallel_scan=mode != "sequential",
    )
    sized = replace(base, hidden_size=hidden_size_for_budget(base, budget))
    return replace(sized, context_size=context) if cell == "transformer" else sized


class PeakMemory:
    """The most memory held during a block above what was held when it began (see the module docstring)."""

    def __init__(self, device: torch.device):
        self.device = device
        self.method: str | None = "cuda max_memory_allocated" if device.type == "cuda" else "rss high-water mark"
        self.base = 0.0

    def __enter__(self) -> PeakMemory:
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            torch.cuda.reset_peak_memory_stats(self.device)
            self.base = torch.cuda.memory_allocated(self.device)
            return self
        gc.collect(1)  # the young generations: a previous row's cycles (a full collection takes 0.4 s here)
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)  # hand freed memory back, so reuse cannot hide a peak
        try:
            Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current resident size
            self.base = _status_kib("VmRSS") * 1024
        except (OSError, KeyError):
            self.method = None
        return self

    def __exit__(self, *exc) -> None:
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            self.peak = torch.cuda.max_memory_allocated(self.device) - self.base
        elif self.method is not None:
            self.peak = _status_kib("VmHWM") * 1024 - self.base
        else:
            self.peak = None

    @property
    def peak_mb(self) -> float | None:
        return None if self.peak is None else round(max(0.0, self.peak) / 2**20, 1)


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


@contextlib.contextmanager
def _threads(n: int | None):
    before = torch.get_num_threads()
    if n is not None:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def training_row(
    data: CorpusData, model_config: ModelConfig, mode: str, seq_len: int, config: ScalingConfig, device
) -> dict:
    """One (cell, mode, T): the median step's tokens per second, and the peak memory of one more step."""
    batch = max(1, config.tokens_per_step // seq_len)
    train = TrainConfig(seq_len=seq_len, batch_size=batch, eval_every=0, seed=config.seed)
    trainer = Trainer(build_model(model_config, seed=config.seed), data, train, device=str(device))
    trainer.step(WARM_UP_STEPS)  # first allocations, kernel choices, the allocator's heap (module docstring)
    times, cpu_times = [], []
    for _ in range(config.steps):
        started, cpu_started = time.perf_counter(), time.process_time()
        trainer.step(1)  # reads the loss back: the step has finished on any device
        _sync(device)
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
    with PeakMemory(device) as memory:  # one more step, after the timed ones (see the module docstring)
        report = trainer.step(1)
        _sync(device)
    seconds = statistics.median(times)
    return {
        "measure": "training",
        "cell": model_config.cell,
        "label": ALL_BY_KEY[model_config.cell].label,
        "mode": mode,
        "seq_len": seq_len,
        "batch_size": batch,
        "tokens_per_s": round(batch * seq_len / seconds, 1),
        "ms_per_step": round(1000 * seconds, 2),
        "cpu_ms_per_step": round(1000 * statistics.median(cpu_times), 2),
        "peak_mb": memory.peak_mb,
        "memory": memory.method,
        "hidden_size": model_config.hidden_size,
        "parameters": count_parameters(model_config),
        "loss": round(report.losses[-1], 4) if report.losses else None,
        "device": describe_device(device),
    }


@torch.no_grad()
def generation_row(data: CorpusData, model_config: ModelConfig, position: int, config: ScalingConfig, device) -> dict:
    """The median time of one generated token after a prompt of ``position`` tokens, state carried."""
    model = build_model(model_config, seed=config.seed).to(device).eval()
    ids = data.train_ids
    if len(ids) < position + 1:
        ids = ids.repeat(-(-(position + 1) // len(ids)))
    prompt = ids[:position].to(device)[None, :]  # (1, P)
    logits, state = model(prompt)  # (1, P, V)
    token = logits[:, -1:].argmax(-1)  # (1, 1)
    times = []
    with PeakMemory(device) as memory:
        for _ in range(config.generation_tokens):
            started = time.perf_counter()
            logits, state = model(token, state)  # (1, 1, V)
            token = logits[:, -1:].argmax(-1)  # (1, 1): reading it back waits for the step
            _sync(device)
            times.append(time.perf_counter() - started)
    seconds = statistics.median(times)
    kind = ALL_BY_KEY[model_config.cell]
    return {
        "measure": "generation",
        "cell": model_config.cell,
        "label": kind.label,
        "mode": "step",
        "seq_len": position,
        "batch_size": 1,
        "tokens_per_s": round(1 / seconds, 1),
        "ms_per_token": round(1000 * seconds, 3),
        "peak_mb": memory.peak_mb,
        "memory": memory.method,
        "hidden_size": model_config.hidden_size,
        "parameters": count_parameters(model_config),
        "device": describe_device(device),
    }


def add_ratios(rows: list[dict]) -> list[dict]:
    """``ratio_to_gru``: tokens per second over the fused GRU's, same measure and T (None without a GRU row)."""
    gru = {(r["measure"], r["seq_len"]): r["tokens_per_s"] for r in rows if r["cell"] == "gru"}
    for row in rows:
        reference = gru.get((row["measure"], row["seq_len"]))
        row["ratio_to_gru"] = round(row["tokens_per_s"] / reference, 3) if reference else None
    return rows


def run_scaling(data: CorpusData, config: ScalingConfig = ScalingConfig()) -> list[dict]:
    """Every training row (T outer, cells inner, so the GRU runs beside the others), then the generation rows."""
    config.validate()
    device = pick_device(config.device)
    vocab, embed = data.vocab.size, config.embed_size
    budget = count_parameters(
        ModelConfig(vocab_size=vocab, cell="lstm", hidden_size=config.budget_hidden, embed_size=embed)
    )
    rows = []
    with _threads(config.threads):
        for seq_len in config.seq_lens:
            for cell, mode in config.variants():
                model_config = sized_config(cell, mode, vocab, embed, budget, context=seq_len)
                rows.append(training_row(data, model_config, mode, seq_len, config, device))
        if config.generation_tokens:
            window = max(config.seq_lens)  # the Transformer's: its cost grows up to the longest prompt
            for cell in config.cells:
                model_config = sized_config(cell, "parallel", vocab, embed, budget, context=window)
                for position in config.seq_lens:
                    rows.append(generation_row(data, model_config, position, config, device))
    for row in rows:
        row["threads"] = config.threads or torch.get_num_threads()
        row["budget_parameters"] = budget
    return add_ratios(rows)


# Where the app finds the bench's figures: ``python -m rnnviz bench scaling --json > docs/scaling-cpu.json`` (and
# ``--device cuda`` into docs/scaling-cuda.json), or the files ``$RNNVIZ_SCALING_JSON`` names (os.pathsep between).
RESULTS_DIR = Path(__file__).resolve().parents[2] / "docs"
RESULTS_GLOB = "scaling-*.json"
RESULTS_ENV = "RNNVIZ_SCALING_JSON"
ROW_FIELDS = ("measure", "cell", "label", "mode", "seq_len", "tokens_per_s")


def results_files() -> list[Path]:
    """The JSON files of ``bench scaling`` the app shows: ``$RNNVIZ_SCALING_JSON``'s, else docs/scaling-*.json."""
    import os

    named = os.environ.get(RESULTS_ENV)
    if named:
        return [Path(part) for part in named.split(os.pathsep) if part and Path(part).is_file()]
    return sorted(RESULTS_DIR.glob(RESULTS_GLOB)) if RESULTS_DIR.is_dir() else []


def read_results(path: Path) -> list[dict]:
    """The rows of one ``bench scaling --json`` file, checked; ValueError (a ``Message``) for anything else."""
    import json

    try:
        rows = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(Message("errors.scaling.unreadable", name=Path(path).name, error=str(exc))) from None
    if not isinstance(rows, list) or not rows or not all(isinstance(row, dict) for row in rows):
        raise ValueError(Message("errors.scaling.not_rows", name=Path(path).name))
    missing = sorted({field for row in rows for field in ROW_FIELDS if field not in row})
    if missing:
        raise ValueError(Message("errors.scaling.fields", name=Path(path).name, fields=", ".join(missing)))
    return rows
