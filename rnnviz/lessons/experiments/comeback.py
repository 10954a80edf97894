"""The lesson "Why attention won, and how recurrence came back": five measurements made on this machine.

- ``TrainingSpeed`` (live): the tokens per second of one training step at T = 1,024 for each cell and mode, every
  model at one parameter budget: ``charlm/scaling.training_row``, the rows of ``bench scaling``, one row a chunk;
- ``GradientReach``: ||dL_T/dh_t|| 200 steps back at initialisation (the Transformer's ||dL_T/dx_t||, as it carries
  no state), from ``labs/gradient_decay``;
- ``SelectiveCopy`` (live): Mamba's selective copy task on the memory-task lab, every cell at one parameter budget
  (each as wide as the budget allows), same seed and batches;
- ``GenerationCost``: the time of one generated token after prompts of up to 2,000 tokens
  (``scaling.generation_row``);
- ``ScanOrLoop``: one minGRU layer's states by its parallel scan and by the loop, on the same input: how
  far apart they come out and what each costs.

Each ``measure`` gives the option the run's own numbers make right (an index the lesson's ``answer_by`` reads, cut
at the halves), so a reveal never names a winner the run did not measure.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import torch

from rnnviz.cells import ALL_BY_KEY
from rnnviz.cells.mingru import MinGRULayer
from rnnviz.charlm.model import ModelConfig, count_parameters
from rnnviz.charlm.scaling import ScalingConfig, add_ratios, generation_row, sized_config, training_row
from rnnviz.charts.scaling import line_name
from rnnviz.i18n import t
from rnnviz.labs.gradient_decay import gradflow_at_init
from rnnviz.labs.memory_task_lab import MemoryTaskConfig, MemoryTaskLab
from rnnviz.lessons.experiments.base import Experiment
from rnnviz.lessons.experiments.training_runs import MemoryTask, python_docs

PAPER_SPEEDUP = 175  # Feng et al. 2024 (arXiv 2410.01201): minGRU against a GRU stepped through time, T = 512, a GPU
CPU = torch.device("cpu")  # the labs train on the CPU, one torch thread a session


def _argmax(values: list[float | None]) -> float | None:
    """The index of the largest value (None where nothing was measured), as a float for ``answer_by``."""
    known = [(value, index) for index, value in enumerate(values) if value is not None]
    return float(max(known)[1]) if known else None


def budget_of(vocab_size: int, width: int, embed_size: int) -> int:
    """The parameter budget of the lesson's language models: a one-layer LSTM ``width`` wide."""
    return count_parameters(ModelConfig(vocab_size=vocab_size, cell="lstm", hidden_size=width, embed_size=embed_size))


def row_name(row: dict, rows: list[dict]) -> str:
    """A speed row's name as its chart's bar says it: the cell, with its mode where it runs both ways."""
    modes: dict[str, set] = {}
    for other in rows:
        modes.setdefault(other["cell"], set()).add(other["mode"])
    return line_name(row, modes)


# -- 1. training speed at T = 1,024 ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SpeedConfig:
    variants: tuple[tuple[str, str], ...] = (
        ("lstm", "fused"),
        ("gru", "fused"),
        ("mingru", "parallel"),
        ("mingru", "sequential"),
        ("transformer", "parallel"),
    )  # (registry key, "fused" / "parallel" / "sequential"): the rows, in the question's order
    seq_len: int = 1024
    hidden_size: int = 128  # the budget: every model has the parameters of a one-layer LSTM this wide
    embed_size: int = 32
    tokens_per_step: int = 4096  # batch = tokens_per_step // seq_len, as ``bench scaling``
    steps: int = 3  # timed steps per row after ``scaling.WARM_UP_STEPS`` untimed ones; the median counts
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "variants", tuple(tuple(variant) for variant in self.variants))


class SpeedRace:
    """A ``LiveJob``: one ``training_row`` per ``advance`` (a row takes a few seconds at T = 1,024), the rows so far
    in the snapshot with their ratio to the fused GRU."""

    def __init__(self, config: SpeedConfig):
        self.config = config
        self.data = python_docs()
        self.budget = budget_of(self.data.vocab.size, config.hidden_size, config.embed_size)
        cells = tuple(dict.fromkeys(cell for cell, _ in config.variants))
        self.scaling = ScalingConfig(
            seq_lens=(config.seq_len,),
            cells=cells,
            budget_hidden=config.hidden_size,
            embed_size=config.embed_size,
            tokens_per_step=config.tokens_per_step,
            steps=config.steps,
            generation_tokens=0,
            threads=None,  # the app's own setting: one thread a session
            seed=config.seed,
        )
        self.scaling.validate()
        self.rows: list[dict] = []

    @property
    def finished(self) -> bool:
        return len(self.rows) >= len(self.config.variants)

    @property
    def progress(self) -> float:
        return len(self.rows) / len(self.config.variants)

    def advance(self, seconds: float = 0.3) -> int:
        deadline, done = time.perf_counter() + seconds, 0
        while not self.finished:
            cell, mode = self.config.variants[len(self.rows)]
            vocab, embed = self.data.vocab.size, self.config.embed_size
            model = sized_config(cell, mode, vocab, embed, self.budget, context=self.config.seq_len)
            self.rows.append(training_row(self.data, model, mode, self.config.seq_len, self.scaling, CPU))
            done += 1
            if time.perf_counter() >= deadline:
                break
        return done

    def snapshot(self) -> dict:
        return {
            "progress": self.progress,
            "progress_text": t("lessons.comeback.progress_rows", done=len(self.rows), total=len(self.config.variants)),
            "rows": add_ratios([dict(row) for row in self.rows]),
            "budget": self.budget,
            "width": self.config.hidden_size,
            "seq_len": self.config.seq_len,
        }


class TrainingSpeed(Experiment):
    key = "training_speed"
    kind = "speed"
    live = True
    config_type = SpeedConfig
    imports = "from rnnviz.lessons.experiments.comeback import SpeedConfig, SpeedRace"
    body = """
race = SpeedRace(config)
while not race.finished:
    race.advance(1.0)
for row in race.snapshot()["rows"]:
    print(row["label"], row["mode"], row["tokens_per_s"], "tokens/s,", row["ratio_to_gru"], "x the fused GRU")
"""

    def start(self, config: SpeedConfig) -> SpeedRace:
        return SpeedRace(config)

    def summarise(self, result: dict) -> str:
        rows = result["rows"]
        parts = [
            t(
                "lessons.comeback.speed_row",
                name=row_name(row, rows),
                speed=row["tokens_per_s"],
                ratio=row["ratio_to_gru"] if row["ratio_to_gru"] is not None else float("nan"),
            )
            for row in rows
        ]
        head = t(
            "lessons.comeback.speed_head",
            seq_len=result["seq_len"],
            budget=result["budget"],
            width=result["width"],
            device=rows[0]["device"] if rows else "CPU",
        )
        text = head + "; ".join(parts) + "."
        by_mode = {(row["cell"], row["mode"]): row["tokens_per_s"] for row in rows}
        scan, loop = by_mode.get(("mingru", "parallel")), by_mode.get(("mingru", "sequential"))
        gru = by_mode.get(("gru", "fused"))
        if scan and loop and gru:
            text += " " + t("lessons.comeback.speed_paper", paper=PAPER_SPEEDUP, gru=scan / gru, loop=scan / loop)
        return text

    def measure(self, result: dict, name: str, row: int = 0) -> float | None:
        """``fastest``: the row (in the config's order, the question's) with the most tokens per second."""
        if name == "fastest":
            return _argmax([r["tokens_per_s"] for r in result["rows"]])
        return super().measure(result, name, row)


# -- 2. the gradient 200 steps back --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReachConfig:
    cells: tuple[str, ...] = ("rnn", "lstm", "mingru", "transformer")  # registry keys
    hidden_size: int = 64
    seq_len: int = 201  # the gradient is read at every distance up to seq_len - 1
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "cells", tuple(self.cells))


def gradient_reach(config: ReachConfig) -> dict:
    """Each cell at initialisation on the same random characters: its gradient by distance relative to distance 0
    (``series``), and per cell what is left at the far end, its fitted rate and its gate (``rows``)."""
    series, rows, inputs = {}, [], []
    for cell in config.cells:
        kind = ALL_BY_KEY[cell]
        nonlinearity = kind.nonlinearity if kind.family == "fused" else "tanh"
        result = gradflow_at_init(
            cell=kind.module,
            nonlinearity=nonlinearity,
            hidden_size=config.hidden_size,
            seq_len=config.seq_len,
            seed=config.seed,
        )
        relative = result.relative_by_distance
        series[kind.label] = relative
        if result.measured == "input":
            inputs.append(kind.label)
        rows.append(
            {
                "model": kind.label,
                "measured": result.measured,
                "left": relative[-1],
                "per step": result.decay_per_step,
                "gate": result.mean_forget_or_update_gate,
            }
        )
    return {"series": series, "rows": rows, "inputs": inputs, "distance": config.seq_len - 1}


class GradientReach(Experiment):
    key = "gradient_reach"
    kind = "reach"
    config_type = ReachConfig
    imports = "from rnnviz.lessons.experiments.comeback import ReachConfig, gradient_reach"
    body = """
result = gradient_reach(config)
for row in result["rows"]:
    print(row["model"], "keeps", row["left"], "of its gradient", result["distance"], "steps back")
"""

    def start(self, config: ReachConfig) -> dict:
        return gradient_reach(config)

    def summarise(self, result: dict) -> str:
        parts = []
        for row in result["rows"]:
            left = row["left"]
            shown = f"{left:.1e}" if left > 0 else t("lessons.comeback.underflow")
            key = "lessons.comeback.reach_input" if row["measured"] == "input" else "lessons.comeback.reach_row"
            rate = row["per step"] if row["per step"] is not None else float("nan")
            parts.append(t(key, model=row["model"], left=shown, rate=rate))
        return t("lessons.comeback.reach_head", distance=result["distance"]) + "; ".join(parts) + "."

    def measure(self, result: dict, name: str, row: int = 0) -> float | None:
        """``keeps most``: the row whose gradient at the far end is the largest share of its last step's."""
        if name == "keeps most":
            return _argmax([r["left"] for r in result["rows"]])
        return super().measure(result, name, row)


# -- 3. selective copy at one parameter budget ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CopyConfig:
    cells: tuple[str, ...] = ("lstm", "mingru", "ssm", "transformer")  # registry keys, in the question's order
    length: int = 32  # T: the noise tokens the 4 data symbols hide among
    hidden_size: int = 32  # the budget: a one-layer LSTM this wide on the task; every other cell as wide as it allows
    steps: int = 500
    eval_every: int = 50
    batch_size: int = 64
    learning_rate: float = 3e-3
    parallel: bool = False  # the scan cells' training path: False steps through time (faster on one CPU thread)
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "cells", tuple(self.cells))

    def task(self) -> MemoryTaskConfig:
        return MemoryTaskConfig(
            task="selective-copy",
            length=self.length,
            cells=self.cells,
            hidden_size=self.hidden_size,
            same_budget=True,
            parallel_scan=self.parallel,
            batch_size=self.batch_size,
            learning_rate=self.learning_rate,
            steps=self.steps,
            eval_every=self.eval_every,
            seed=self.seed,
        )


class SelectiveCopy(Experiment):
    key = "selective_copy"
    kind = "budget_task"
    live = True
    config_type = CopyConfig
    imports = """
from rnnviz.labs.memory_task_lab import MemoryTaskLab
from rnnviz.lessons.experiments.comeback import CopyConfig
"""
    body = """
lab = MemoryTaskLab(config.task())  # every cell at the parameters of a one-layer LSTM hidden_size wide
while not lab.finished:
    lab.advance(1.0)
for size, row in zip(lab.sizes, lab.summary()):
    print(row["cell"], size["parameters"], "parameters, held-out recall accuracy", row["accuracy"])
"""

    def start(self, config: CopyConfig) -> MemoryTaskLab:
        return MemoryTaskLab(config.task())

    def summarise(self, result: dict) -> str:
        sizes = ", ".join(
            t("lessons.comeback.size", cell=size["cell"], width=size["width"], n=size["parameters"])
            for size in result["sizes"]
        )
        return MemoryTask().summarise(result) + " " + t("lessons.comeback.copy_sizes", sizes=sizes)

    def measure(self, result: dict, name: str, row: int = 0) -> float | None:
        """``best``: the cell (in the config's order) with the highest held-out recall accuracy at the end."""
        if name == "best":
            return _argmax([r["accuracy"] for r in result["summary"]])
        return super().measure(result, name, row)


# -- 4. the cost of the next token ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GenerationConfig:
    cells: tuple[str, ...] = ("lstm", "mingru", "transformer")
    positions: tuple[int, ...] = (64, 500, 2000)  # tokens before the generated one; the Transformer's window: the last
    hidden_size: int = 128  # the budget: a one-layer LSTM this wide
    embed_size: int = 32
    tokens: int = 5  # generated tokens timed at each position; the median counts
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "cells", tuple(self.cells))
        object.__setattr__(self, "positions", tuple(self.positions))


def generation_cost(config: GenerationConfig) -> dict:
    """``scaling.generation_row`` for every cell at every position, the models at one budget (the Transformer's
    position table, as wide as its window, on top)."""
    data = python_docs()
    vocab = data.vocab.size
    budget = budget_of(vocab, config.hidden_size, config.embed_size)
    scaling = ScalingConfig(
        seq_lens=config.positions,
        cells=config.cells,
        budget_hidden=config.hidden_size,
        embed_size=config.embed_size,
        generation_tokens=config.tokens,
        threads=None,
        seed=config.seed,
    )
    scaling.validate()
    window = max(config.positions)
    rows = []
    for cell in config.cells:
        model = sized_config(cell, "parallel", vocab, config.embed_size, budget, context=window)
        rows += [generation_row(data, model, position, scaling, CPU) for position in config.positions]
    return {"rows": rows, "position": window, "budget": budget, "width": config.hidden_size}


class GenerationCost(Experiment):
    key = "generation_cost"
    kind = "generation"
    config_type = GenerationConfig
    imports = "from rnnviz.lessons.experiments.comeback import GenerationConfig, generation_cost"
    body = """
for row in generation_cost(config)["rows"]:
    print(row["label"], "at position", row["seq_len"], ":", row["ms_per_token"], "ms a token")
"""

    def start(self, config: GenerationConfig) -> dict:
        return generation_cost(config)

    def summarise(self, result: dict) -> str:
        start = min(row["seq_len"] for row in result["rows"])
        far = [row for row in result["rows"] if row["seq_len"] == result["position"]]
        near = {row["cell"]: row for row in result["rows"] if row["seq_len"] == start}
        parts = [
            t(
                "lessons.comeback.generation_row",
                name=row["label"],
                far=row["ms_per_token"],
                near=near[row["cell"]]["ms_per_token"],
                start=start,
            )
            for row in far
        ]
        head = t("lessons.comeback.generation_head", position=result["position"], budget=result["budget"])
        return head + "; ".join(parts) + "."

    def measure(self, result: dict, name: str, row: int = 0) -> float | None:
        """``transformer over recurrence``: at the last position, the Transformer's time a token over the fastest
        recurrence's (None without one of either)."""
        if name != "transformer over recurrence":
            return super().measure(result, name, row)
        far = [r for r in result["rows"] if r["seq_len"] == result["position"]]
        attention = [r["ms_per_token"] for r in far if ALL_BY_KEY[r["cell"]].family == "attention"]
        recurrent = [r["ms_per_token"] for r in far if ALL_BY_KEY[r["cell"]].family != "attention"]
        return attention[0] / min(recurrent) if attention and recurrent and min(recurrent) > 0 else None


# -- 5. the trick: a linear recurrence, scanned ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ScanConfig:
    seq_len: int = 1024
    hidden_size: int = 128
    input_size: int = 32
    batch_size: int = 4
    repeats: int = 3  # timed forward and backward passes per way after one warm-up; the median counts
    seed: int = 0


def scan_or_loop(config: ScanConfig) -> dict:
    """One minGRU layer on one random input, its states computed by the parallel scan and by the loop:
    the largest difference at each step, the largest state, and the median time of a forward and backward pass."""
    torch.manual_seed(config.seed)
    layer = MinGRULayer(config.input_size, config.hidden_size)
    generator = torch.Generator().manual_seed(config.seed)
    x = torch.randn(config.batch_size, config.seq_len, config.input_size, generator=generator)  # (B, T, In)
    states, rows = {}, []
    for way, parallel in (("parallel", True), ("sequential", False)):
        times = []
        for _ in range(config.repeats + 1):  # the first a warm-up
            layer.zero_grad(set_to_none=True)
            started = time.perf_counter()
            h, _ = layer(x, parallel=parallel)  # (B, T, H)
            h.sum().backward()
            times.append(time.perf_counter() - started)
        states[way] = h.detach()
        rows.append({"way": way, "ms": round(1000 * statistics.median(times[1:]), 2)})
    difference = (states["parallel"] - states["sequential"]).abs()  # (B, T, H)
    return {
        "rows": rows,
        "per_step": difference.amax(dim=(0, 2)).tolist(),  # (T,): the largest difference at each step
        "max_difference": float(difference.max()),
        "largest_state": float(states["sequential"].abs().max()),
        "seq_len": config.seq_len,
        "hidden_size": config.hidden_size,
        "batch_size": config.batch_size,
    }


class ScanOrLoop(Experiment):
    key = "scan_or_loop"
    kind = "scan"
    config_type = ScanConfig
    imports = "from rnnviz.lessons.experiments.comeback import ScanConfig, scan_or_loop"
    body = """
result = scan_or_loop(config)
print("largest |scan - loop|:", result["max_difference"], "of states up to", result["largest_state"])
for row in result["rows"]:
    print(row["way"], row["ms"], "ms forward and backward")
"""

    def start(self, config: ScanConfig) -> dict:
        return scan_or_loop(config)

    def summarise(self, result: dict) -> str:
        ms = {row["way"]: row["ms"] for row in result["rows"]}
        return t(
            "lessons.comeback.scan",
            steps=result["seq_len"],
            width=result["hidden_size"],
            batch=result["batch_size"],
            diff=result["max_difference"],
            largest=result["largest_state"],
            scan=ms["parallel"],
            loop=ms["sequential"],
        )

    def measure(self, result: dict, name: str, row: int = 0) -> float | None:
        """``max difference``: the largest |scan - loop| over every state."""
        if name == "max difference":
            return result["max_difference"]
        return super().measure(result, name, row)
