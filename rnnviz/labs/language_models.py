"""Several character language models trained side by side on the same data: the engine of the Train page.

A ``LanguageModelLab`` owns one ``Trainer`` per cell, built with the same seed, the same batches and
the same training config (only the cell, and with a shared parameter budget the hidden size,
differ). ``advance(seconds)`` trains every live cell in small chunks, round-robin, until the
time budget is spent, so a UI can call it from a timer without ever blocking for long. All
history is plain floats in bounded lists; ``snapshot()`` copies what the page draws (a ``LiveJob``).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any

from rnnviz.cells import ALL_BY_LABEL, DEFAULT_CELLS
from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.checkpoint import Checkpoint
from rnnviz.charlm.evaluation import bits_per_char
from rnnviz.charlm.generation import SamplingConfig, generate
from rnnviz.charlm.initialization import InitConfig
from rnnviz.charlm.model import ConfigError, ModelConfig, count_parameters, hidden_size_for_budget, training_step_flops
from rnnviz.charlm.trainer import TrainConfig, Trainer, build_model
from rnnviz.i18n import Message, t
from rnnviz.limits import LIMITS


@dataclass
class CellRun:
    """One cell's trainer and its bounded history."""

    name: str  # the cell's label, with the seed when the run repeats over seeds
    trainer: Trainer
    cell: str = ""  # the cell's label ("" means the name)
    seed: int = 0
    steps: deque = field(default_factory=lambda: deque(maxlen=LIMITS.history_length))
    losses: deque = field(default_factory=lambda: deque(maxlen=LIMITS.history_length))
    grad_norms: deque = field(default_factory=lambda: deque(maxlen=LIMITS.history_length))
    val_steps: list = field(default_factory=list)
    val_losses: list = field(default_factory=list)
    tokens_per_s: float = 0.0
    sample: str = ""
    sample_step: int = 0

    @property
    def parameters(self) -> int:
        return self.trainer.model.num_parameters()

    @property
    def step(self) -> int:
        return self.trainer.step_count

    @property
    def diverged(self) -> str | None:
        return self.trainer.diverged

    def record(self, report) -> None:
        first = report.step - len(report.losses) + 1
        for offset, (loss, norm) in enumerate(zip(report.losses, report.grad_norms)):
            self.steps.append(first + offset)
            self.losses.append(loss)
            self.grad_norms.append(norm)
        if report.val_loss is not None:
            self.val_steps.append(report.step)
            self.val_losses.append(report.val_loss)
            del self.val_steps[: -LIMITS.history_length], self.val_losses[: -LIMITS.history_length]
        if report.tokens_per_s:
            self.tokens_per_s = report.tokens_per_s

    def summary(self) -> dict:
        last = self.losses[-1] if self.losses else None
        val = self.val_losses[-1] if self.val_losses else None
        return {
            "run": self.name,
            "cell": self.cell or self.name,
            "seed": self.seed,
            "parameters": self.parameters,
            "step": self.step,
            "train loss": last,
            "val loss": val,
            "val bits/char": bits_per_char(val) if val is not None else None,
            "tokens/s": round(self.tokens_per_s),
            "status": "diverged" if self.diverged else "ok",
        }

    def checkpoint(self, data: CorpusData, card_extra: dict | None = None) -> Checkpoint:
        trainer = self.trainer
        card = {
            "label": trainer.model.config.label,
            "corpus": data.name,
            "corpus_sha256": data.sha256,
            "steps": trainer.step_count,
            "parameters": self.parameters,
            "val_loss_nats": self.val_losses[-1] if self.val_losses else None,
            "trained_in": "rnnviz Train page",
            **(card_extra or {}),
        }
        return Checkpoint(
            trainer.model,
            data.vocab,
            trainer.config.to_dict(),
            trainer.metrics(),
            trainer.step_count,
            data.sha256,
            card,
        )


@dataclass(frozen=True, kw_only=True)
class LanguageModelLabConfig:
    cells: tuple[str, ...] = DEFAULT_CELLS  # labels from rnnviz.cells (any of ALL_CELL_LABELS)
    hidden_size: int = 128
    num_layers: int = 1
    embed_size: int = 32
    dropout: float = 0.0
    same_budget: bool = False  # size every cell to the parameter count of the LSTM (or first cell)
    init: InitConfig = InitConfig()
    train: TrainConfig = TrainConfig()
    steps: int = 2000
    sample_every: int = 100
    sample_length: int = 120
    repeats: int = 1  # train every cell once per seed (train.seed, +1, ...) and report mean, range and each seed

    def validate(self) -> None:
        if not self.cells:
            raise ConfigError(Message("errors.lab.no_cell"))
        if not 1 <= self.repeats <= LIMITS.max_repeats:
            raise ConfigError(Message("errors.lab.repeats", cap=LIMITS.max_repeats))
        unknown = [c for c in self.cells if c not in ALL_BY_LABEL]
        if unknown:
            raise ConfigError(Message("errors.lab.unknown_cells", cells=unknown))
        if not 1 <= self.steps <= LIMITS.max_steps_per_run:
            raise ConfigError(Message("errors.lab.steps", cap=LIMITS.max_steps_per_run))
        if self.hidden_size > LIMITS.max_hidden_size or self.num_layers > LIMITS.max_layers:
            raise ConfigError(Message("errors.lab.size", hidden=LIMITS.max_hidden_size, layers=LIMITS.max_layers))
        if self.train.seq_len > LIMITS.max_seq_len or self.train.batch_size > LIMITS.max_batch_size:
            raise ConfigError(Message("errors.lab.sequences", seq_len=LIMITS.max_seq_len, batch=LIMITS.max_batch_size))


def model_configs(config: LanguageModelLabConfig, vocab_size: int) -> dict[str, ModelConfig]:
    """The ModelConfig of every cell; with ``same_budget`` hidden sizes are solved per cell."""

    def make(name: str, hidden: int) -> ModelConfig:
        kind = ALL_BY_LABEL[name]
        # a Transformer's window is fixed to the sequence length it trains on: it never sees a longer context, and
        # generating it crops to that window (``cells/transformer.py``); the other cells keep the default field
        window = {"context_size": config.train.seq_len} if kind.family == "attention" else {}
        return ModelConfig(
            vocab_size=vocab_size,
            cell=kind.module,
            hidden_size=hidden,
            num_layers=config.num_layers,
            embed_size=config.embed_size,
            dropout=config.dropout,
            nonlinearity=kind.nonlinearity if kind.family == "fused" else "tanh",  # only the RNN reads it
            **window,
        )

    configs = {name: make(name, config.hidden_size) for name in config.cells}
    if config.same_budget and len(configs) > 1:
        reference = "LSTM" if "LSTM" in configs else config.cells[0]
        target = count_parameters(configs[reference])
        configs = {name: make(name, hidden_size_for_budget(cfg, target)) for name, cfg in configs.items()}
    for name, cfg in configs.items():
        if count_parameters(cfg) > LIMITS.max_parameters:
            raise ConfigError(
                Message("errors.lab.parameters", name=name, n=count_parameters(cfg), cap=LIMITS.max_parameters)
            )
    batch, seq_len = config.train.batch_size, config.train.seq_len
    step_gflop = config.repeats * sum(training_step_flops(c, batch, seq_len) for c in configs.values()) / 1e9
    if step_gflop > LIMITS.max_step_gflop:
        raise ConfigError(Message("errors.lab.gflop", gflop=step_gflop, cap=f"{LIMITS.max_step_gflop:g}"))
    return configs


def init_for(name: str, init: InitConfig) -> InitConfig:
    """The initialisation a cell of the race takes: the lab's for a fused cell; for a newer cell, which has no W_hh
    to make orthogonal or to scale, its own (the default scheme; the gate biases are the LSTM's and the GRU's)."""
    if ALL_BY_LABEL[name].family == "fused":
        return init
    return replace(init, scheme="default", spectral_radius=None)


def window_of(config: LanguageModelLabConfig) -> int | None:
    """The context window of the race's Transformer (its sequence length), or None when it races none."""
    transformers = [name for name in config.cells if ALL_BY_LABEL[name].family == "attention"]
    return config.train.seq_len if transformers else None


class LanguageModelLab:
    def __init__(
        self,
        data: CorpusData,
        config: LanguageModelLabConfig,
        device: str = "auto",
        settings: Any = None,
        rewound_from: Any = None,
    ):
        """``settings``: what the page made this race from (the Train page's ``TrainSettings``), kept with it so a
        rewind knows the last race's seed and settings; ``rewound_from``: for a rewind, the race it reruns."""
        config.validate()
        self.data = data
        self.config = config
        self.seed = config.train.seed  # the first seed: every cell's initial draw and batches (recorded for a rewind)
        self.settings = settings
        self.rewound_from = rewound_from
        self.runs: list[CellRun] = []
        configs = model_configs(config, data.vocab.size)
        for repeat in range(config.repeats):
            seed = config.train.seed + repeat  # one seed for every cell: same initial draw and batches
            train = replace(config.train, seed=seed)
            for name, model_config in configs.items():
                model = build_model(model_config, init_for(name, config.init), seed=seed)
                label = name if config.repeats == 1 else f"{name} · seed {seed}"
                trainer = Trainer(model, data, train, device=device)
                self.runs.append(CellRun(label, trainer, cell=name, seed=seed))
        self.created = time.time()

    @property
    def finished(self) -> bool:
        return all(run.diverged or run.step >= self.config.steps for run in self.runs)

    @property
    def progress(self) -> float:
        done = sum(self.config.steps if run.diverged else min(run.step, self.config.steps) for run in self.runs)
        return done / (self.config.steps * len(self.runs))

    def snapshot(self) -> dict:
        """Plain copies of everything the Train page draws (taken under the worker's lock, drawn outside it)."""
        min_step = min(cell.step for cell in self.runs)
        return {
            "progress": self.progress,
            "progress_text": t("live.progress_lm", done=min_step, total=self.config.steps),
            "min_step": min_step,
            "steps": self.config.steps,
            "corpus_sha256": self.data.sha256,
            "clip": self.config.train.clip_norm if self.config.train.clip else None,
            "summaries": [cell.summary() for cell in self.runs],
            "diverged": [(cell.name, cell.diverged) for cell in self.runs if cell.diverged],
            "samples": [
                (cell.name, cell.sample, cell.sample_step) for cell in self.runs if cell.seed == self.runs[0].seed
            ],
            "aggregate": self.aggregate(),
            "charts": [
                {
                    "name": cell.name,
                    "cell": cell.cell or cell.name,
                    "steps": list(cell.steps),
                    "losses": list(cell.losses),
                    "grad_norms": list(cell.grad_norms),
                    "val_steps": list(cell.val_steps),
                    "val_losses": list(cell.val_losses),
                    "diverged": cell.diverged,
                }
                for cell in self.runs
            ],
        }

    def aggregate(self) -> list[dict]:
        """Per cell over its seeds: the latest validation (else training) loss's mean, best and worst."""
        rows = []
        for cell in dict.fromkeys(run.cell or run.name for run in self.runs):
            runs = [run for run in self.runs if (run.cell or run.name) == cell]
            losses = [
                (run.val_losses or list(run.losses))[-1]
                for run in runs
                if not run.diverged and (run.val_losses or run.losses)
            ]
            rows.append(
                {
                    "cell": cell,
                    "seeds": len(runs),
                    "diverged": sum(bool(run.diverged) for run in runs),
                    "mean loss": sum(losses) / len(losses) if losses else None,
                    "best": min(losses) if losses else None,
                    "worst": max(losses) if losses else None,
                }
            )
        return rows

    def checkpoint_of(self, name: str) -> Checkpoint:
        """The named cell's model as a checkpoint (call it with no chunk in flight: ``BackgroundTrainer.call``)."""
        cell = next(cell for cell in self.runs if cell.name == name)
        return cell.checkpoint(self.data)

    def live_runs(self) -> list[CellRun]:
        return [run for run in self.runs if not run.diverged and run.step < self.config.steps]

    def advance(self, seconds: float = 0.3, chunk: int = 2) -> int:
        """Train round-robin in chunks of ``chunk`` steps for about ``seconds``; returns steps done."""
        deadline = time.perf_counter() + seconds
        done = 0
        while True:
            live = self.live_runs()
            if not live:
                break
            for run in live:
                n = min(chunk, self.config.steps - run.step)
                report = run.trainer.step(n)
                run.record(report)
                done += len(report.losses)
                self._maybe_sample(run, report.step - len(report.losses), report.step)
            if time.perf_counter() >= deadline:
                break
        return done

    def step_each(self, n: int) -> None:
        """Exactly ``n`` more steps for every live cell (classroom pacing)."""
        for run in self.live_runs():
            n_run = min(n, self.config.steps - run.step)
            report = run.trainer.step(n_run)
            run.record(report)
            self._maybe_sample(run, report.step - len(report.losses), report.step)

    def _maybe_sample(self, run: CellRun, before: int, after: int) -> None:
        every = self.config.sample_every
        if every and (after // every > before // every) and not run.diverged:
            sampling = SamplingConfig(length=self.config.sample_length, temperature=0.8, seed=0)
            run.sample = generate(run.trainer.model, self.data.vocab, "", sampling)
            run.sample_step = after
            run.trainer.model.train()
