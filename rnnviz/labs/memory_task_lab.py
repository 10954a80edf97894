"""Several cells trained on a long-memory task with the same batches: the engine of the Gradients page's tasks.

``MemoryTaskLab`` trains every cell on one shared batch per step; ``MemoryTaskSweep`` runs it at several
sequence lengths in turn ("success against T"). Both are ``LiveJob``s, and ``step_for`` and
``update_variant`` are the time-boxed loop and the per-variant update that the seq2seq lab shares.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import torch

from rnnviz.cells import MODULES, label_of_module
from rnnviz.charlm.model import ConfigError
from rnnviz.labs.memory_tasks import TASKS, SequenceModel, TaskSpec, make_batch, task_loss


@dataclass
class TaskRun:
    name: str
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
    cells: tuple[str, ...] = ("rnn", "lstm", "gru")
    hidden_size: int = 64
    batch_size: int = 64
    learning_rate: float = 1e-3
    clip_norm: float | None = 1.0
    steps: int = 2000
    eval_every: int = 50
    seed: int = 0

    def validate(self) -> None:
        if self.task not in TASKS:
            raise ConfigError(f"task must be one of {', '.join(TASKS)}")
        if not 2 <= self.length <= 1000:
            raise ConfigError("sequence length must be 2..1000")
        if not self.cells:
            raise ConfigError("Pick at least one cell.")
        unknown = [cell for cell in self.cells if cell not in MODULES]
        if unknown:
            raise ConfigError(f"Unknown cells {unknown}; known: {', '.join(MODULES)}.")


def update_variant(run, loss: torch.Tensor, step: int, clip_norm: float | None) -> None:
    """One optimiser update of a lab's variant from its loss, recorded; a non-finite loss marks it diverged.

    The labs (tasks, seq2seq) train several variants on one shared batch; this is what each variant does with it.
    ``run`` has ``model``, ``optimizer``, ``steps``, ``losses`` and ``diverged``.
    """
    run.optimizer.zero_grad(set_to_none=True)
    loss.backward()
    if clip_norm:
        torch.nn.utils.clip_grad_norm_(run.model.parameters(), clip_norm)
    run.optimizer.step()
    value = float(loss.detach())
    run.steps.append(step)
    run.losses.append(value)
    if not math.isfinite(value):
        run.diverged = f"diverged at step {step} (loss {value})"


def step_for(seconds: float, step, finished) -> int:
    """Call ``step()`` until ``finished()`` or about ``seconds`` have passed (at least once); return the count.

    The time-boxed chunk that the background worker asks of every lab (``advance``)."""
    deadline = time.perf_counter() + seconds
    done = 0
    while not finished():
        step()
        done += 1
        if time.perf_counter() >= deadline:
            break
    return done


class MemoryTaskLab:
    def __init__(self, config: MemoryTaskConfig):
        config.validate()
        self.config = config
        self.spec = TaskSpec(config.task, config.length)
        self.runs: list[TaskRun] = []
        for cell in config.cells:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(config.seed)
                model = SequenceModel(cell, self.spec, config.hidden_size)
            self.runs.append(
                TaskRun(label_of_module(cell), model, torch.optim.Adam(model.parameters(), lr=config.learning_rate))
            )
        self.generator = torch.Generator().manual_seed(config.seed)
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

    @property
    def finished(self) -> bool:
        return self.step_count >= self.config.steps or all(r.diverged for r in self.runs)

    @property
    def progress(self) -> float:
        return min(1.0, self.step_count / self.config.steps)

    def step(self) -> None:
        """One step for every cell, on one shared batch."""
        batch = make_batch(self.spec, self.config.batch_size, self.generator)
        self.step_count += 1
        for run in self.runs:
            if run.diverged:
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

    def advance(self, seconds: float = 0.3) -> int:
        return step_for(seconds, self.step, lambda: self.finished)

    def snapshot(self) -> dict:
        """Held-out curves, the summary table and the reference lines, as plain data."""
        return {
            "progress": self.progress,
            "progress_text": f"{self.spec.name}, T = {self.spec.length}: step {self.step_count:,} of "
            f"{self.config.steps:,}",
            "label": f"{self.spec.name}, T = {self.spec.length}",
            "runs": [
                {
                    "name": r.name,
                    "steps": list(r.eval_steps),
                    "loss": list(r.eval_losses),
                    "accuracy": list(r.eval_accuracies),
                }
                for r in self.runs
            ],  # fmt: skip
            "summary": self.summary(),
            "baseline": self.baseline,
            "chance": self.chance,
        }

    def summary(self) -> list[dict]:
        rows = []
        for run in self.runs:
            loss = run.eval_losses[-1] if run.eval_losses else None
            rows.append({
                "cell": run.name, "step": run.step,
                "held-out loss": loss,
                "baseline": self.baseline,
                "loss / baseline": loss / self.baseline if loss is not None else None,
                "accuracy": run.eval_accuracies[-1] if run.eval_accuracies else None,
                "status": "diverged" if run.diverged else "ok",
            })  # fmt: skip
        return rows


def train_memory_task(config: MemoryTaskConfig) -> list[dict]:
    """Train to the end headless (the CLI's ``task`` command) and summarise."""
    lab = MemoryTaskLab(config)
    while not lab.finished:
        lab.step()
    return lab.summary()


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
            "progress_text": f"sweep: {len(self.results)} of {len(self.lengths)} lengths done",
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
