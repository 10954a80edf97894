"""Gradient decay over time, at initialisation and while training: the numbers behind the vanishing-gradient lesson.

A model of the chosen cell reads a character sequence; ``||dL_T/dh_t||`` (the loss at the last step,
differentiated with respect to every earlier hidden state, by the exact BPTT of ``rnnviz.introspect``)
is reported against the distance T - t, with the fitted per-step decay rate and the spectral radius of
W_hh that drives it. ``GradientDecayInTraining`` is the live job: the cells train side by side and the
decay is measured on a fixed validation probe every few steps, inside the job, between two chunks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import torch

from rnnviz.cells import DEFAULT_CELLS
from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.initialization import InitConfig, spectral_radius
from rnnviz.charlm.model import CharRNN, ModelConfig
from rnnviz.charlm.trainer import TrainConfig, build_model
from rnnviz.i18n import t
from rnnviz.introspect.gradients import fit_decay_rate, gradient_flow
from rnnviz.introspect.trace import trace_ids
from rnnviz.labs.language_models import LanguageModelLab, LanguageModelLabConfig

LAB_VOCAB = 32


@dataclass(frozen=True)
class GradFlowResult:
    cell: str
    nonlinearity: str
    hidden_size: int
    seq_len: int
    init: dict
    norms_by_distance: list[float]  # index d: ||dL_T/dh_{T-d}||, layer 0
    relative_by_distance: list[float]  # the same divided by the value at distance 0
    decay_per_step: float | None
    spectral_radius: float  # of W_hh (the whole matrix for the RNN; the candidate block otherwise)
    mean_forget_or_update_gate: float | None

    def to_dict(self) -> dict:
        return asdict(self)


def lab_model(
    cell: str, hidden_size: int, init: InitConfig, nonlinearity: str = "tanh", seed: int = 0, input_scale: float = 1.0
) -> CharRNN:
    config = ModelConfig(
        vocab_size=LAB_VOCAB, cell=cell, hidden_size=hidden_size, num_layers=1, embed_size=32, nonlinearity=nonlinearity
    )
    model = build_model(config, init, seed=seed)
    if input_scale != 1.0:
        with torch.no_grad():
            model.embed.weight.mul_(input_scale)
    return model


def random_ids(length: int, seed: int) -> torch.Tensor:
    return torch.randint(0, LAB_VOCAB, (length + 1,), generator=torch.Generator().manual_seed(seed))


def measure_gradient_flow(model: CharRNN, ids: torch.Tensor) -> GradFlowResult:
    """Gradient norms by distance for ``model`` over ``ids`` (T+1,)."""
    flow = gradient_flow(model, ids)
    norms = list(reversed(flow.last_loss_norms[0]))
    base = norms[0] if norms and norms[0] > 0 else 1.0
    cfg = model.config
    w_hh = model.rnn.weight_hh_l0.detach()
    hidden_size = cfg.hidden_size
    block = w_hh if cfg.cell == "rnn" else w_hh[-hidden_size:]
    gate = None
    if cfg.cell in ("lstm", "gru"):
        trace = trace_ids(model, ids[:-1])
        gate = float(trace.layers[0].gates["f" if cfg.cell == "lstm" else "z"].mean())
    return GradFlowResult(
        cfg.cell,
        cfg.nonlinearity,
        hidden_size,
        len(ids) - 1,
        {},
        norms,
        [n / base for n in norms],
        fit_decay_rate(norms),
        spectral_radius(block),
        gate,
    )


def gradflow_at_init(
    cell: str,
    hidden_size: int = 128,
    seq_len: int = 100,
    init: InitConfig | None = None,
    nonlinearity: str = "tanh",
    seed: int = 0,
    input_scale: float = 1.0,
) -> GradFlowResult:
    init = init or InitConfig()
    model = lab_model(cell, hidden_size, init, nonlinearity, seed, input_scale)
    result = measure_gradient_flow(model, random_ids(seq_len, seed))
    return GradFlowResult(**{**result.to_dict(), "init": init.to_dict()})


def describe_decay(rate: float | None, distance: int = 50) -> str:
    """'the gradient shrinks x0.62 per step; after 50 steps it is 4e-11 of what it was'."""
    if rate is None:
        return t("grad.no_rate")
    return t("grad.shrinks" if rate < 1 else "grad.grows", rate=rate, distance=distance, left=f"{rate**distance:.0e}")


@dataclass(frozen=True, kw_only=True)
class GradientDecayInTrainingConfig:
    cells: tuple[str, ...] = DEFAULT_CELLS  # labels from rnnviz.cells
    hidden_size: int = 128
    seq_len: int = 100  # the probe's length; training reads min(seq_len, 200)
    init: InitConfig = field(default_factory=InitConfig)
    learning_rate: float = 3e-3
    clip: bool = True
    clip_norm: float = 1.0
    steps: int = 600
    seed: int = 0
    measure_every: int = 0  # 0: about 20 measurements over the run


class GradientDecayInTraining:
    """The cells learn a corpus side by side; every ``measure_every`` steps the gradient decay is measured on a
    fixed probe from the validation split. A ``LiveJob``: the measurement happens inside ``advance``, so the page
    only ever reads the numbers."""

    def __init__(self, data: CorpusData, config: GradientDecayInTrainingConfig):
        self.config = config
        train = TrainConfig(
            seq_len=min(config.seq_len, 200),
            batch_size=32,
            learning_rate=config.learning_rate,
            clip=config.clip,
            clip_norm=config.clip_norm,
            seed=config.seed,
            eval_every=0,
        )
        self.lab = LanguageModelLab(
            data,
            LanguageModelLabConfig(
                cells=config.cells,
                hidden_size=config.hidden_size,
                num_layers=1,
                embed_size=32,
                init=config.init,
                train=train,
                steps=config.steps,
                sample_every=0,
            ),
        )
        source = data.val_ids if len(data.val_ids) > config.seq_len + 1 else data.train_ids
        self.probe = source[: config.seq_len + 1]  # (T+1,): the same probe at every measurement
        self.measure_every = config.measure_every or max(1, config.steps // 20)
        self.measured: dict[int, dict[str, list[float] | None]] = {}  # step -> cell -> decay by distance
        self._measure()

    @property
    def finished(self) -> bool:
        return self.lab.finished

    @property
    def progress(self) -> float:
        return self.lab.progress

    def _step(self) -> int:
        live = [cell.step for cell in self.lab.runs if not cell.diverged]
        return min(live) if live else max(cell.step for cell in self.lab.runs)

    def _measure(self) -> None:
        step = self._step()
        self.measured[step] = {}
        for cell in self.lab.runs:
            if cell.diverged:
                self.measured[step][cell.name] = None
                continue
            model = cell.trainer.model
            self.measured[step][cell.name] = measure_gradient_flow(model, self.probe).relative_by_distance
            model.train()  # the trace put it in eval mode; training goes on with dropout as configured

    def advance(self, seconds: float = 0.3) -> int:
        done = self.lab.advance(seconds)
        last = max(self.measured)
        if self._step() >= last + self.measure_every or (self.finished and self._step() != last):
            self._measure()
        return done

    def snapshot(self) -> dict:
        step = self._step()
        return {
            "progress": self.progress,
            "progress_text": t("live.progress", done=step, total=self.config.steps),
            "step": step,
            "measured": {s: dict(values) for s, values in self.measured.items()},
            "diverged": [(cell.name, cell.diverged) for cell in self.lab.runs if cell.diverged],
            "losses": {cell.name: cell.losses[-1] for cell in self.lab.runs if cell.losses},
        }
