"""Gradient decay over time, at initialisation and while training: the numbers behind the vanishing-gradient lesson.

A model of the chosen cell reads a character sequence; ``||dL_T/dh_t||`` (the loss at the last step,
differentiated with respect to every earlier hidden state, by the exact BPTT of ``rnnviz.introspect``)
is reported against the distance T - t, with the fitted per-step decay rate and the spectral radius of
W_hh that drives it. ``GradientDecayInTraining`` is the live job: the cells train side by side and the
decay is measured on a fixed validation probe every few steps, inside the job, between two chunks.

The newer cells (``rnnviz/cells/``), by autograd on the model itself:

- minGRU, minLSTM, the selective SSM: a linear recurrence h_t = a_t * h_{t-1} + b_t whose a_t reads only the
  input, so the gradient reaching h_t from L_T is dL_T/dh_T times a_{t+1} * ... * a_T: it follows the decay. Every
  h_t comes from the cell's training path (the parallel scan: the whole sequence for minGRU and minLSTM, whose
  output is h; chunk by chunk for the SSM, whose state (D, N) is not its output) and is checked against the cell's
  step-by-step replay (``replay_diff``). dL_T/dh_t is then the chain rule through the layer's own forward: at
  t = T the readout's gradient; before, the gradient with respect to the starting state h_0 = h_t of the layer
  reading x_{t+1..c}, c the end of its chunk, whose gradient is known (``state_gradients``).
- the Transformer carries no hidden state over time. What is measured is ||dL_T/dx_t||, the gradient of the last
  step's loss with respect to each position's input embedding, through the fused attention the model trains with
  (checked against the explicit formula of its ``replay``): attention reaches every position of its window in one
  step, so nothing has to survive T - t multiplications; a position outside the window gets exactly 0.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

import torch
import torch.nn.functional as F

from rnnviz.cells import DEFAULT_CELLS, MODULES
from rnnviz.cells.ssm import SelectiveSSMLayer
from rnnviz.charlm.batches import CorpusData
from rnnviz.charlm.initialization import InitConfig, spectral_radius
from rnnviz.charlm.model import CharRNN, ModelConfig
from rnnviz.charlm.trainer import TrainConfig, build_model
from rnnviz.i18n import t
from rnnviz.introspect.gradients import fit_decay_rate, gradient_flow
from rnnviz.introspect.newer_cells import DECAY_GATE
from rnnviz.introspect.trace import trace_ids
from rnnviz.labs.language_models import LanguageModelLab, LanguageModelLabConfig

LAB_VOCAB = 32
CHUNK = 16  # the newer recurrent cells' states and gradients are read a chunk of this many steps at a time

# What ``norms_by_distance`` is the norm of: the hidden state h_t (the fused cells, minGRU, minLSTM), the SSM's
# state (D, N) at t, or, for the Transformer, which carries no state, the input embedding x_t.
MEASURED = ("hidden", "state", "input")


@dataclass(frozen=True)
class GradFlowResult:
    cell: str
    nonlinearity: str
    hidden_size: int
    seq_len: int
    init: dict
    norms_by_distance: list[float]  # index d: ||dL_T/dh_{T-d}||, layer 0
    relative_by_distance: list[float]  # the same divided by the value at distance 0
    decay_per_step: float | None  # None for the Transformer: no decay per step to fit
    spectral_radius: (
        float | None
    )  # of W_hh (the whole matrix for the RNN; the candidate block otherwise); None: no W_hh
    mean_forget_or_update_gate: float | None  # the newer recurrent cells: the mean of what is kept of h_{t-1} per step
    measured: str = "hidden"  # one of MEASURED
    replay_diff: float | None = None  # newer cells: the largest |training path - step-by-step replay| (None: fused)

    def to_dict(self) -> dict:
        return asdict(self)


def lab_model(
    cell: str,
    hidden_size: int,
    init: InitConfig,
    nonlinearity: str = "tanh",
    seed: int = 0,
    input_scale: float = 1.0,
    context_size: int = 256,
) -> CharRNN:
    """One layer of ``cell`` (a fused module or a newer cell's key) over 32 symbols; a Transformer's window is
    ``context_size``. A newer cell has no W_hh to shape, so it keeps its own initialisation (``init``'s scheme and
    spectral radius are the fused cells'; its gate biases are the LSTM's and the GRU's)."""
    window = {"context_size": context_size} if cell == "transformer" else {}
    if cell not in MODULES:  # the registry's "linear" or "none": only the plain RNN reads a nonlinearity
        nonlinearity = "tanh"
    config = ModelConfig(
        vocab_size=LAB_VOCAB,
        cell=cell,
        hidden_size=hidden_size,
        num_layers=1,
        embed_size=32,
        nonlinearity=nonlinearity,
        **window,
    )
    if cell not in MODULES:
        init = replace(init, scheme="default", spectral_radius=None)
    model = build_model(config, init, seed=seed)
    if input_scale != 1.0:
        with torch.no_grad():
            model.embed.weight.mul_(input_scale)
    return model


def random_ids(length: int, seed: int) -> torch.Tensor:
    return torch.randint(0, LAB_VOCAB, (length + 1,), generator=torch.Generator().manual_seed(seed))


def measure_gradient_flow(model: CharRNN, ids: torch.Tensor) -> GradFlowResult:
    """Gradient norms by distance for ``model`` over ``ids`` (T+1,)."""
    if model.config.cell not in MODULES:
        return newer_cell_flow(model, ids)
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
    model = lab_model(cell, hidden_size, init, nonlinearity, seed, input_scale, context_size=seq_len)
    result = measure_gradient_flow(model, random_ids(seq_len, seed))
    return GradFlowResult(**{**result.to_dict(), "init": init.to_dict()})


def newer_cell_flow(model: CharRNN, ids: torch.Tensor) -> GradFlowResult:
    """``measure_gradient_flow`` for a newer cell of one layer over ``ids`` (T+1,): see the module docstring."""
    cfg = model.config
    model.eval()  # no dropout: the gradient of the model as it reads
    device = next(model.parameters()).device
    inputs, target = ids[:-1].to(device), ids[-1:].to(device)  # (T,), (1,): L_T is the loss of the last step
    with torch.no_grad():
        x = model.embed(inputs[None])  # (1, T, E)
    gate = None
    if cfg.cell == "transformer":
        by_position, diff = transformer_input_gradients(model, x, target)
        measured = "input"
    else:
        if cfg.num_layers != 1:
            raise ValueError("The gradient decay of a newer recurrent cell is measured on a model of one layer.")
        stack = model.rnn
        layer = stack.layers[0]
        states = training_states(layer, x, stack.parallel)  # (T, H), or (T, D, N) for the SSM
        replay = layer.replay(x)  # each (1, T, ...): the cell's equations one step after another
        diff = float((states - replay["h"][0]).abs().max())
        by_position = state_gradients(model, layer, stack.parallel, x, states, target)
        gate = float(replay[DECAY_GATE[cfg.cell]].mean())
        measured = "state" if cfg.cell == "ssm" else "hidden"
    norms = list(reversed(by_position))  # index d: the position T - d
    rate = None if measured == "input" else fit_decay_rate(norms)  # attention has no decay per step to fit
    base = norms[0] if norms and norms[0] > 0 else 1.0
    return GradFlowResult(
        cfg.cell,
        cfg.nonlinearity,
        cfg.hidden_size,
        len(ids) - 1,
        {},
        norms,
        [n / base for n in norms],
        rate,
        None,
        gate,
        measured=measured,
        replay_diff=diff,
    )


@torch.no_grad()
def training_states(layer: torch.nn.Module, x: torch.Tensor, parallel: bool) -> torch.Tensor:
    """Every state h_t of one newer recurrent layer over x (1, T, E), from the path it trains with: minGRU's and
    minLSTM's output is h (T, H); the SSM returns only its last state, so each state is the last of a read of
    x_{c+1..t} from the state at the chunk's start c (as the model reads chunk after chunk), (T, D, N)."""
    if not isinstance(layer, SelectiveSSMLayer):
        out, _ = layer(x, parallel=parallel)  # (1, T, H)
        return out[0]  # (T, H)
    states, start, start_state = [], 0, None  # the state before position ``start`` (None: zeros)
    for position in range(x.shape[1]):
        _, state = layer(x[:, start : position + 1], start_state, parallel=parallel)  # (1, D, N)
        states.append(state[0])
        if position + 1 - start == CHUNK:
            start, start_state = position + 1, state
    return torch.stack(states)  # (T, D, N)


def readout_gradient(
    model: CharRNN, layer: torch.nn.Module, parallel: bool, x: torch.Tensor, h_last: torch.Tensor, target
) -> torch.Tensor:
    """dL_T/dh_T (the distance 0) from the last state h_last (H,) or (D, N): the head reads minGRU's and minLSTM's h
    itself; the SSM reads y_T = h_T C_T + D x_T, gated, projected (``cells/ssm.py``), checked here against the
    layer's own output at T."""
    h = h_last.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        if isinstance(layer, SelectiveSSMLayer):
            p = layer._inputs(x[:, -1:])  # the last token's x, z (1, 1, D), C (1, 1, N)
            y = (h[None] * p["C"][:, 0, None, :]).sum(-1) + layer.D * p["x"][:, 0]  # (1, D)
            out = layer.out_proj(y * F.silu(p["z"][:, 0]))  # (1, D)
            with torch.no_grad():
                trained = layer(x, parallel=parallel)[0][:, -1]  # (1, D)
            if not torch.allclose(out, trained, atol=1e-4, rtol=1e-4):
                raise RuntimeError("the SSM's readout does not reproduce its output at the last step")
        else:
            out = h[None]  # (1, H)
        loss = F.cross_entropy(model.head(out), target)
        (grad,) = torch.autograd.grad(loss, h)
    return grad  # (H,) or (D, N)


def state_gradients(
    model: CharRNN, layer: torch.nn.Module, parallel: bool, x: torch.Tensor, states: torch.Tensor, target
) -> list[float]:
    """||dL_T/dh_t|| for t = 1..T of one newer recurrent layer: x (1, T, E), states (T, ...) from
    ``training_states``. Back through time a chunk of ``CHUNK`` steps at a time: with g_c = dL_T/dh_c known at the
    chunk's end c (at T, the readout's), each h_t of the chunk is the starting state of the layer reading
    x_{t+1..c} (its own forward, from h_0 = h_t), and dL_T/dh_t is the gradient of h_c . g_c with respect to that
    h_0: the chain rule, exactly, through the path the cell trains with. The gradient is linear in g_c, so g_c is
    carried as a unit direction and its norm apart, in float64: a gradient of 1e-60 is drawn, not rounded to 0."""
    steps = x.shape[1]
    last = readout_gradient(model, layer, parallel, x, states[-1], target)  # (H,) or (D, N)
    directions: list[torch.Tensor | None] = [None] * steps  # each of norm 1 (or 0)
    norms = [0.0] * steps  # float64
    directions[-1], norms[-1] = _unit(last)
    end = steps - 1
    while end > 0:
        for position in range(end - 1, max(end - CHUNK, 0) - 1, -1):
            h0 = states[position][None].detach().clone().requires_grad_(True)  # (1, H) or (1, D, N)
            with torch.enable_grad():
                _, h_end = layer(x[:, position + 1 : end + 1], h0, parallel=parallel)  # (1, ...): h at ``end``
                (grad,) = torch.autograd.grad(h_end, h0, grad_outputs=directions[end][None])
            directions[position], size = _unit(grad[0])
            norms[position] = norms[end] * size
        end = max(end - CHUNK, 0)
    return norms


def _unit(grad: torch.Tensor) -> tuple[torch.Tensor, float]:
    """A gradient as its direction (norm 1, or 0 for a zero gradient) and its norm (float64)."""
    size = float(grad.double().norm())  # float64: float32 squares under 1e-38 would be 0
    return (grad / size if size > 0 else grad), size


def transformer_input_gradients(model: CharRNN, x: torch.Tensor, target: torch.Tensor) -> tuple[list[float], float]:
    """||dL_T/dx_t|| for every position t of x (1, T, E), through the fused attention the model trains with, and
    the largest difference between that path and the explicit formula (``CausalTransformer.replay``) over the last
    window. A position the last one cannot see (outside its window) gets exactly 0."""
    transformer = model.rnn
    inputs = x.detach().clone().requires_grad_(True)  # (1, T, E)
    with torch.enable_grad():
        out, _ = transformer(inputs)  # (1, T, H)
        loss = F.cross_entropy(model.head(out[:, -1]), target)
        (grad,) = torch.autograd.grad(loss, inputs)  # (1, T, E)
    window = x[:, -transformer.context_size :]  # (1, <= context, E)
    with torch.no_grad():
        explicit = transformer.replay(window)["out"][:, -1]  # (1, H)
    diff = float((explicit - out[:, -1].detach()).abs().max())
    return grad[0].double().norm(dim=-1).tolist(), diff


def describe_result(result: GradFlowResult) -> str:
    """What a row of the decay table means: the fitted decay, or for the Transformer (no state carried over time)
    how much of the gradient reaches the first position of its window."""
    if result.measured == "input":
        relative = result.relative_by_distance
        return t("grad.transformer_reach", distance=len(relative) - 1, left=f"{relative[-1]:.1e}")
    return describe_decay(result.decay_per_step)


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
