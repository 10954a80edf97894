"""Several cells trained on a long-memory task with the same batches: the engine of the Gradients page's tasks.

``MemoryTaskLab`` trains every cell on one shared batch per step (a ``SharedBatchLab``); ``MemoryTaskSweep``
runs it at several sequence lengths in turn ("success against T"). Both are ``LiveJob``s. The cells are registry
keys, the newer ones too (minGRU, minLSTM, the selective SSM, the Transformer: ``memory_tasks.SequenceModel``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import torch

from rnnviz.cells import ALL_BY_KEY
from rnnviz.charlm.model import ConfigError
from rnnviz.i18n import Message, t
from rnnviz.labs.memory_tasks import (
    TASKS,
    SequenceModel,
    TaskSpec,
    make_batch,
    parameters_of,
    task_loss,
    width_for_budget,
)
from rnnviz.labs.shared_batches import SharedBatchLab, update_variant
from rnnviz.limits import LIMITS

SOLVED_LOSS_SHARE = 0.1  # a regression task (adding) is solved below 10% of the input-blind baseline's loss
SOLVED_ACCURACY = 0.95  # a classification task (order, copy, dyck) at 95% held-out accuracy or better


@dataclass
class TaskRun:
    name: str  # the cell's label, with the seed when the lab repeats over seeds
    cell: str  # the cell's label
    seed: int
    model: SequenceModel
    optimizer: torch.optim.Optimizer
    steps: list = field(default_factory=list)
    losses: list = field(default_factory=list)
    eval_steps: list = field(default_factory=list)
    eval_losses: list = field(default_factory=list)
    eval_accuracies: list = field(default_factory=list)
    diverged: str | None = None

    @property
    def step(self) -> int:
        return self.steps[-1] if self.steps else 0


@dataclass(frozen=True, kw_only=True)
class MemoryTaskConfig:
    task: str = "adding"
    length: int = 50
    cells: tuple[str, ...] = ("rnn", "lstm", "gru")  # registry keys: any of ALL_CELL_KINDS (mingru, transformer, ...)
    hidden_size: int = 64
    batch_size: int = 64
    learning_rate: float = 1e-3
    clip_norm: float | None = 1.0
    steps: int = 2000
    eval_every: int = 50
    seed: int = 0
    repeats: int = 1  # seeds seed, seed+1, ...: every cell trains once per seed, on that seed's batches
    # every cell at the parameters of a one-layer LSTM ``hidden_size`` wide (each as wide as that allows), not at
    # one width: the fair race when the cells' parameters per unit differ as much as an LSTM's and a minGRU's
    same_budget: bool = False
    parallel_scan: bool = True  # minGRU, minLSTM, the SSM: train by their scan, or step by step (faster on 1 thread)

    def validate(self) -> None:
        if not 1 <= self.repeats <= LIMITS.max_repeats:
            raise ConfigError(Message("errors.lab.repeats_short", cap=LIMITS.max_repeats))
        if self.task not in TASKS:
            raise ConfigError(Message("errors.lab.task_one_of", tasks=", ".join(TASKS)))
        if not 2 <= self.length <= 1000:
            raise ConfigError(Message("errors.lab.length"))
        if not self.cells:
            raise ConfigError(Message("errors.lab.no_cell_short"))
        unknown = [cell for cell in self.cells if cell not in ALL_BY_KEY]
        if unknown:
            raise ConfigError(Message("errors.lab.unknown_cells_known", unknown=unknown, known=", ".join(ALL_BY_KEY)))
        k = TaskSpec(self.task, self.length).selective_k
        if self.task == "selective-copy" and self.length < k:
            raise ConfigError(Message("errors.lab.selective_length", k=k))


class MemoryTaskLab(SharedBatchLab):
    """Every cell on the same batches; with ``repeats`` > 1, once per seed (each seed its own initialisation and
    batches, shared by the cells of that seed) and one held-out set for all."""

    def __init__(self, config: MemoryTaskConfig):
        config.validate()
        self.config = config
        self.spec = TaskSpec(config.task, config.length)
        self.seeds = [config.seed + r for r in range(config.repeats)]
        self.budget = parameters_of("lstm", self.spec, config.hidden_size) if config.same_budget else None
        self.widths = {
            cell: width_for_budget(cell, self.spec, self.budget) if config.same_budget else config.hidden_size
            for cell in config.cells
        }
        self.sizes = [  # each model's width and parameters, as the snapshot reports them
            {"cell": ALL_BY_KEY[cell].label, "width": width, "parameters": parameters_of(cell, self.spec, width)}
            for cell, width in self.widths.items()
        ]
        self.runs: list[TaskRun] = []
        for seed in self.seeds:
            for cell in config.cells:
                with torch.random.fork_rng(devices=[]):
                    torch.manual_seed(seed)
                    model = SequenceModel(cell, self.spec, self.widths[cell])
                if hasattr(model.rnn, "parallel"):  # a scan cell's stack: its scan, or its loop
                    model.rnn.parallel = config.parallel_scan
                label = ALL_BY_KEY[cell].label
                name = label if config.repeats == 1 else f"{label} · seed {seed}"
                optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
                self.runs.append(TaskRun(name=name, cell=label, seed=seed, model=model, optimizer=optimizer))
        self.generators = {seed: torch.Generator().manual_seed(seed) for seed in self.seeds}
        self.eval_batch = make_batch(self.spec, 512, torch.Generator().manual_seed(config.seed + 10_000))
        self.step_count = 0
        self.baseline = self.spec.baseline()
        if math.isnan(self.baseline):  # dyck: the entropy of the depth distribution
            counts = torch.bincount(self.eval_batch.y, minlength=self.spec.output_size).float()
            p = counts[counts > 0] / counts.sum()
            self.baseline = float(-(p * p.log()).sum())
            self.chance = float(p.max())
        else:
            self.chance = self.spec.chance_accuracy()

    def step(self) -> None:
        """One step for every cell, on one batch per seed shared by the cells."""
        self.step_count += 1
        for seed in self.seeds:
            batch = make_batch(self.spec, self.config.batch_size, self.generators[seed])
            for run in self.runs:
                if run.diverged or run.seed != seed:
                    continue
                run.model.train()
                loss, _ = task_loss(self.spec, run.model(batch.x), batch.y)
                update_variant(run, loss, self.step_count, self.config.clip_norm)
        if self.step_count % self.config.eval_every == 0 or self.step_count == self.config.steps:
            self.evaluate()

    @torch.no_grad()
    def evaluate(self) -> None:
        for run in self.runs:
            if run.diverged:
                continue
            run.model.eval()
            loss, accuracy = task_loss(self.spec, run.model(self.eval_batch.x), self.eval_batch.y)
            run.eval_steps.append(self.step_count)
            run.eval_losses.append(float(loss))
            run.eval_accuracies.append(accuracy)

    def snapshot(self) -> dict:
        """Held-out curves, the summary table and the reference lines, as plain data."""
        return {
            "progress": self.progress,
            "progress_text": f"{self.spec.name}, T = {self.spec.length}: "
            + t("live.progress", done=self.step_count, total=self.config.steps),
            "label": f"{self.spec.name}, T = {self.spec.length}",
            "runs": [
                {
                    "name": r.name,
                    "cell": r.cell,
                    "steps": list(r.eval_steps),
                    "loss": list(r.eval_losses),
                    "accuracy": list(r.eval_accuracies),
                }
                for r in self.runs
            ],
            "summary": self.summary(),
            "aggregate": self.aggregate(),
            "baseline": self.baseline,
            "chance": self.chance,
            "sizes": self.sizes,
            "budget": self.budget,
        }

    def summary(self) -> list[dict]:
        rows = []
        for run in self.runs:
            loss = run.eval_losses[-1] if run.eval_losses else None
            rows.append(
                {
                    "cell": run.cell,
                    "seed": run.seed,
                    "step": run.step,
                    "held-out loss": loss,
                    "baseline": self.baseline,
                    "loss / baseline": loss / self.baseline if loss is not None else None,
                    "accuracy": run.eval_accuracies[-1] if run.eval_accuracies else None,
                    "solved": self.solved(run),
                    "status": "diverged" if run.diverged else "ok",
                }
            )
        return rows

    def solved(self, run: TaskRun) -> bool:
        """Adding: held-out loss under 10% of the baseline; the classification tasks: accuracy of 95% or more."""
        if not run.eval_losses or run.diverged:
            return False
        accuracy = run.eval_accuracies[-1]
        if accuracy is None:
            return run.eval_losses[-1] < SOLVED_LOSS_SHARE * self.baseline
        return accuracy >= SOLVED_ACCURACY

    def aggregate(self) -> list[dict]:
        """Per cell over its seeds: mean, best and worst held-out loss (and accuracy), and "k/N solved"."""
        rows = []
        for cell in dict.fromkeys(run.cell for run in self.runs):
            runs = [run for run in self.runs if run.cell == cell]
            losses = [run.eval_losses[-1] for run in runs if run.eval_losses and not run.diverged]
            accuracies = [run.eval_accuracies[-1] for run in runs if run.eval_accuracies and not run.diverged]
            accuracies = [a for a in accuracies if a is not None]
            solved = sum(self.solved(run) for run in runs)
            rows.append(
                {
                    "cell": cell,
                    "seeds": len(runs),
                    "mean held-out loss": sum(losses) / len(losses) if losses else None,
                    "best": min(losses) if losses else None,
                    "worst": max(losses) if losses else None,
                    "mean accuracy": sum(accuracies) / len(accuracies) if accuracies else None,
                    "solved": f"{solved}/{len(runs)}",
                }
            )
        return rows


def train_memory_task(config: MemoryTaskConfig) -> MemoryTaskLab:
    """Train to the end headless (the CLI's ``task`` command); ``summary()`` and ``aggregate()`` read the result."""
    lab = MemoryTaskLab(config)
    while not lab.finished:
        lab.step()
    return lab


class MemoryTaskSweep:
    """The same task at several lengths, one after another: fills in "success vs T"."""

    def __init__(self, config: MemoryTaskConfig, lengths: tuple[int, ...] = (10, 25, 50, 100, 200)):
        self.config = config
        self.lengths = list(lengths)
        self.results: dict[int, list[dict]] = {}
        self.current: MemoryTaskLab | None = None
        self._next()

    def _next(self) -> None:
        remaining = [t for t in self.lengths if t not in self.results]
        self.current = MemoryTaskLab(replace(self.config, length=remaining[0])) if remaining else None

    @property
    def finished(self) -> bool:
        return self.current is None

    @property
    def progress(self) -> float:
        done = len(self.results) + (self.current.progress if self.current else 0.0)
        return done / len(self.lengths)

    def snapshot(self) -> dict:
        """The length in training (as ``MemoryTaskLab.snapshot``) and the results of the finished lengths."""
        current = self.current.snapshot() if self.current is not None else None
        return {
            "progress": self.progress,
            "progress_text": t("live.progress_sweep", done=len(self.results), total=len(self.lengths)),
            "current": current,
            "sweep": {t: list(rows) for t, rows in self.results.items()},
        }

    def advance(self, seconds: float = 0.3) -> int:
        if self.current is None:
            return 0
        done = self.current.advance(seconds)
        if self.current.finished:
            self.results[self.current.config.length] = self.current.summary()
            self._next()
        return done
