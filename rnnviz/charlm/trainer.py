"""Training that knows no UI: ``Trainer.step(n)`` runs n optimiser steps and reports.

The labs call ``step`` in short chunks from a background worker, the CLI in a loop with a
progress bar, the benchmark in a timed loop: all three run this same code path and read what
happened from the ``StepReport`` it returns. A loss that turns NaN/inf marks the run as
diverged with a readable reason instead of raising: an exploding RNN is a lesson, not a crash.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F

from rnnviz.charlm.batches import BPTT_MODES, BatchSource, CorpusData
from rnnviz.charlm.evaluation import bits_per_char, evaluate_loss
from rnnviz.charlm.initialization import InitConfig, apply_init
from rnnviz.charlm.model import CharRNN, ConfigError, ModelConfig, detach_state
from rnnviz.device import pick_device
from rnnviz.i18n import Message

OPTIMIZERS = ("adam", "adamw", "sgd")
SCHEDULES = ("constant", "cosine")


@dataclass(frozen=True, kw_only=True)
class TrainConfig:
    seq_len: int = 64
    batch_size: int = 32
    learning_rate: float = 2e-3
    optimizer: str = "adam"
    weight_decay: float = 0.0
    clip: bool = True
    clip_norm: float = 1.0
    bptt: str = "random"
    seed: int = 0
    eval_every: int = 100  # steps between validation checks (0: never)
    eval_chars: int | None = 20_000  # validation characters per check (None: the whole split)
    lr_schedule: str = "constant"
    warmup_steps: int = 0
    total_steps: int | None = None  # needed by the cosine schedule
    keep_best: bool = False  # keep a copy of the weights with the best validation loss

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(
                Message("errors.config.optimizer", names=", ".join(OPTIMIZERS), value=repr(self.optimizer))
            )
        if self.bptt not in BPTT_MODES:
            raise ConfigError(Message("errors.config.bptt", value=repr(self.bptt)))
        if self.lr_schedule not in SCHEDULES:
            raise ConfigError(Message("errors.config.schedule", value=repr(self.lr_schedule)))
        if self.lr_schedule == "cosine" and not self.total_steps:
            raise ConfigError(Message("errors.config.cosine"))
        if not (isinstance(self.learning_rate, (int, float)) and 0 < self.learning_rate <= 10):
            raise ConfigError(Message("errors.config.learning_rate", value=repr(self.learning_rate)))
        if self.clip and not self.clip_norm > 0:
            raise ConfigError(Message("errors.config.clip"))
        if self.weight_decay < 0:
            raise ConfigError(Message("errors.config.weight_decay"))
        for name in ("seq_len", "batch_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ConfigError(Message("errors.config.positive", name=name, value=repr(value)))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> TrainConfig:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass
class StepReport:
    """What ``step(n)`` did: per-step floats (never tensors that hold graphs)."""

    step: int  # optimiser steps done in total after this chunk
    losses: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)
    tokens_per_s: float = 0.0
    val_loss: float | None = None
    diverged: str | None = None

    @property
    def train_loss(self) -> float:
        finite = [x for x in self.losses if math.isfinite(x)]
        return sum(finite) / len(finite) if finite else float("nan")


def build_model(config: ModelConfig, init: InitConfig | None = None, seed: int = 0) -> CharRNN:
    """A freshly initialised model; the same seed gives the same weights, whatever ran before."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = CharRNN(config)
        generator = torch.Generator().manual_seed(seed + 1)
        apply_init(model, init or InitConfig(), generator)
    return model


class Trainer:
    def __init__(self, model: CharRNN, data: CorpusData, config: TrainConfig, device: str = "auto"):
        self.model = model
        self.data = data
        self.config = config
        self.device = pick_device(device)
        self.model.to(self.device)
        self.batches = BatchSource(data.train_ids, config.batch_size, config.seq_len, config.bptt, config.seed)
        if len(data.val_ids) < 2:
            raise ConfigError(Message("errors.config.no_validation"))
        self.optimizer = self._make_optimizer()
        self.step_count = 0
        self.tokens_seen = 0
        self.train_seconds = 0.0
        self.diverged: str | None = None
        self.val_loss: float | None = None
        self.best_val_loss = math.inf
        self.best_state: dict | None = None
        self.best_step = 0
        self._state = None
        with torch.random.fork_rng(devices=self._rng_devices()):
            torch.manual_seed(config.seed)
            self._rng = self._get_rng()

    # -- public API ---------------------------------------------------------------------

    def step(self, n: int = 1) -> StepReport:
        """Run ``n`` optimiser steps (fewer if the run diverges) and report them."""
        report = StepReport(step=self.step_count)
        if self.diverged:
            report.diverged = self.diverged
            return report
        losses, norms = [], []
        started = time.perf_counter()
        with torch.random.fork_rng(devices=self._rng_devices()):
            self._set_rng(self._rng)
            self.model.train()
            for _ in range(n):
                loss, norm = self._one_step()
                losses.append(loss)
                norms.append(norm)
            self._rng = self._get_rng()
        loss_values = torch.stack(losses).tolist()  # one device sync per chunk
        norm_values = torch.stack(norms).tolist()
        elapsed = time.perf_counter() - started
        self.train_seconds += elapsed
        tokens = n * self.config.batch_size * self.config.seq_len
        self.tokens_seen += tokens
        report.tokens_per_s = tokens / elapsed if elapsed > 0 else 0.0
        first_bad = next((i for i, x in enumerate(loss_values) if not math.isfinite(x)), None)
        if first_bad is not None:
            loss_values = loss_values[: first_bad + 1]
            norm_values = norm_values[: first_bad + 1]
            self.step_count += first_bad + 1
            self.diverged = Message(
                "errors.diverged", step=self.step_count, loss=loss_values[-1], norm=f"{norm_values[-1]:.3g}"
            )
        else:
            self.step_count += n
        report.step = self.step_count
        report.losses = loss_values
        report.grad_norms = norm_values
        report.diverged = self.diverged
        if not self.diverged and self.config.eval_every and self._crossed_eval_boundary(n):
            report.val_loss = self.evaluate()
        return report

    def evaluate(self, max_chars: int | None | str = "config") -> float:
        """Validation loss (nats/char) by the method in ``rnnviz.charlm.evaluation``."""
        chars = self.config.eval_chars if max_chars == "config" else max_chars
        loss = evaluate_loss(self.model, self.data.val_ids, max_chars=chars)
        self.val_loss = loss
        if self.config.keep_best and loss < self.best_val_loss:
            self.best_state = {k: v.detach().to("cpu", copy=True) for k, v in self.model.state_dict().items()}
            self.best_step = self.step_count
        self.best_val_loss = min(self.best_val_loss, loss)
        return loss

    def metrics(self) -> dict:
        """A JSON-friendly summary for checkpoints and the CLI."""
        val = self.val_loss
        return {
            "step": self.step_count,
            "tokens_seen": self.tokens_seen,
            "train_seconds": round(self.train_seconds, 3),
            "val_loss": val,
            "val_bpc": bits_per_char(val) if val is not None else None,
            "best_val_loss": self.best_val_loss if math.isfinite(self.best_val_loss) else None,
            "diverged": self.diverged,
        }

    # -- internals ------------------------------------------------------------------------

    def _one_step(self) -> tuple[torch.Tensor, torch.Tensor]:
        cfg = self.config
        if self.batches.starts_new_sequence:
            self._state = None
        x, y = self.batches.next_batch()
        x, y = x.to(self.device, non_blocking=True), y.to(self.device, non_blocking=True)  # (B, T)
        self._set_learning_rate()
        logits, state = self.model(x, self._state)  # (B, T, V)
        self._state = detach_state(state) if cfg.bptt == "stateful" else None
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        max_norm = cfg.clip_norm if cfg.clip else math.inf
        norm = torch.nn.utils.clip_grad_norm_(self.model.parameters(), max_norm)
        self.optimizer.step()
        return loss.detach(), norm.detach()

    def _make_optimizer(self) -> torch.optim.Optimizer:
        cfg = self.config
        params = self.model.parameters()
        if cfg.optimizer == "sgd":
            return torch.optim.SGD(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
        if cfg.optimizer == "adamw":
            return torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
        return torch.optim.Adam(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)

    def _set_learning_rate(self) -> None:
        cfg = self.config
        step = self.step_count + 1
        lr = cfg.learning_rate
        if cfg.warmup_steps and step <= cfg.warmup_steps:
            lr = cfg.learning_rate * step / cfg.warmup_steps
        elif cfg.lr_schedule == "cosine":
            progress = min(1.0, (step - cfg.warmup_steps) / max(1, cfg.total_steps - cfg.warmup_steps))
            lr = cfg.learning_rate * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))
        else:
            return
        for group in self.optimizer.param_groups:
            group["lr"] = lr

    def _crossed_eval_boundary(self, n: int) -> bool:
        every = self.config.eval_every
        return (self.step_count // every) > ((self.step_count - n) // every)

    def _rng_devices(self) -> list:
        return [self.device] if self.device.type == "cuda" else []

    def _get_rng(self):
        cuda = torch.cuda.get_rng_state(self.device) if self.device.type == "cuda" else None
        return torch.get_rng_state(), cuda

    def _set_rng(self, rng) -> None:
        cpu, cuda = rng
        torch.set_rng_state(cpu)
        if cuda is not None:
            torch.cuda.set_rng_state(cuda, self.device)
