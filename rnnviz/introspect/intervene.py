"""Interventions: clamp one unit and see what the model does without it.

The neuron finder (``neurons.py``) says what a unit correlates with; an intervention says what it does. One unit of
one layer (of h, of an LSTM's c, or of a gate) is held at a value from a position of the text on, at every step, and
the clamped value feeds the next step, so the effect travels on. Both runs, the untouched one and the clamped one,
go through the same textbook equations (``equations.py``, each step's ``edit``) one token at a time, then continue
the text greedily for a few tokens (the clamp kept), so any difference between them is the intervention's alone:
clamping a unit to its own values changes nothing, to the last bit. The untouched run is checked against the fused
layer (``max_abs_diff``: its top layer's output, as a trace is).

The recurrent cells (RNN, LSTM, GRU; minGRU, minLSTM, the selective SSM): ``TARGETS`` names what each offers. A
newer cell runs through its layer's own ``step`` (the one its replay walks, ``rnnviz/cells/edit.py``), and its
untouched run is checked against the parallel scan it trains with. The Transformer carries no state to clamp and is
refused plainly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import torch

from rnnviz.cells.edit import unchanged
from rnnviz.charlm.model import GATES_PER_CELL, CharRNN, ConfigError, ModelConfig
from rnnviz.charlm.vocab import Vocab
from rnnviz.i18n import Message
from rnnviz.introspect.equations import Edit, gru_step, lstm_step, rnn_step
from rnnviz.introspect.trace import encode_for_trace
from rnnviz.introspect.trace_types import EXACTNESS_TOLERANCE, layer_weights

# What may be clamped in each cell: its hidden state (the SSM's: its layer output), an LSTM's cell state, its gates
# (an RNN has none), a newer cell's decay and candidate, the SSM's step size.
TARGETS = {
    "rnn": ("h",),
    "lstm": ("h", "c", "i", "f", "g", "o"),
    "gru": ("h", "r", "z", "n"),
    "mingru": ("h", "z", "decay", "h_tilde"),
    "minlstm": ("h", "f", "i", "f_norm", "i_norm", "h_tilde"),
    "ssm": ("h", "delta", "y", "gate"),
}
ALL_TARGETS = tuple(dict.fromkeys(name for names in TARGETS.values() for name in names))
MAX_CONTINUATION = 200  # greedy tokens after the text


@dataclass(frozen=True, kw_only=True)
class Intervention:
    """Hold ``state``'s unit ``unit`` of ``layer`` at ``value`` at every step from ``from_position`` (the token the
    step reads, counted from 0) on, and continue the text greedily for ``continuation`` tokens, still clamped.
    ``value`` is one number, or one per step from ``from_position`` on (values recorded in another run: a patch);
    past its end the last one holds."""

    layer: int = 0
    state: str = "h"  # "h", "c" (LSTM), a gate ("f", "z", ...), a newer cell's "decay" or "delta": ``TARGETS``
    unit: int = 0
    from_position: int = 0
    value: float | tuple[float, ...] = 0.0
    continuation: int = 40

    def __post_init__(self):
        if self.state not in ALL_TARGETS:
            raise ConfigError(Message("errors.intervene.state", value=repr(self.state), names=", ".join(ALL_TARGETS)))
        for name in ("layer", "unit", "from_position"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise ConfigError(Message("errors.intervene.negative", name=name, value=repr(value)))
        if not isinstance(self.continuation, int) or not 0 <= self.continuation <= MAX_CONTINUATION:
            raise ConfigError(Message("errors.intervene.continuation", cap=MAX_CONTINUATION))
        values = self.value if isinstance(self.value, tuple) else (self.value,)
        if not values or not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
            raise ConfigError(Message("errors.intervene.value", value=repr(self.value)))

    def check(self, config: ModelConfig, length: int) -> None:
        """That the intervention exists in this model and this text of ``length`` tokens."""
        if config.cell not in TARGETS:
            raise ConfigError(Message("errors.intervene.cell", cell=config.label))
        if self.layer >= config.num_layers:
            raise ConfigError(Message("errors.intervene.layer", layer=self.layer, layers=config.num_layers))
        if self.state not in TARGETS[config.cell]:
            offered = ", ".join(TARGETS[config.cell])
            raise ConfigError(
                Message("errors.intervene.no_such_gate", state=self.state, cell=config.label, offered=offered)
            )
        if self.unit >= config.hidden_size:
            raise ConfigError(Message("errors.intervene.unit", unit=self.unit, size=config.hidden_size))
        if self.from_position >= length:
            raise ConfigError(Message("errors.intervene.position", position=self.from_position, length=length))

    def value_at(self, step: int) -> float:
        """The value held at ``step`` steps after ``from_position``."""
        if not isinstance(self.value, tuple):
            return float(self.value)
        return float(self.value[min(step, len(self.value) - 1)])


@dataclass
class Run:
    """One run over the text and on: the next-token logits after each token of the text, the clamped quantity's
    value at each of those steps (as the step went on with it), and the greedy continuation."""

    logits: torch.Tensor  # (T, V): after reading each token of the text
    values: torch.Tensor  # (T,): the target unit's value at each step of the text
    top: torch.Tensor  # (T, H): the top layer's output at each step of the text
    continuation_ids: list[int] = field(default_factory=list)
    continuation: str = ""  # the continuation as it reads

    @cached_property
    def probs(self) -> torch.Tensor:
        """(T, V): the next-token distribution after each token of the text."""
        return torch.softmax(self.logits, dim=-1)


@dataclass
class InterventionResult:
    intervention: Intervention
    ids: torch.Tensor  # (T,) the text's tokens
    tokens: list[str]  # each step's token as it reads
    untouched: Run
    clamped: Run
    max_abs_diff: float  # the untouched run's top-layer output against the fused layer's (a newer cell's: its scan)

    @property
    def exact(self) -> bool:
        return self.max_abs_diff <= EXACTNESS_TOLERANCE


@torch.no_grad()
def intervene(model: CharRNN, vocab: Vocab, text: str, intervention: Intervention) -> InterventionResult:
    """``intervene_ids`` on a text (characters the model never saw skipped, words it never saw read as ``<unk>``)."""
    ids, _ = encode_for_trace(vocab, text)
    return intervene_ids(model, vocab, ids, intervention)


@torch.no_grad()
def intervene_ids(model: CharRNN, vocab: Vocab, ids: torch.Tensor, intervention: Intervention) -> InterventionResult:
    """The untouched run and the clamped run of ``model`` over token ids (T,), each continued greedily."""
    if len(ids) == 0:
        raise ConfigError(Message("errors.intervene.empty"))
    intervention.check(model.config, len(ids))
    model.eval()
    device = next(model.parameters()).device
    ids = ids.to(device)
    untouched = _run(model, vocab, ids, intervention, clamp=False)
    clamped = _run(model, vocab, ids, intervention, clamp=True)
    fused, _ = model.rnn(model.embed(ids[None, :]))  # (1, T, H): the fused layer, or a newer cell's training path
    diff = float((untouched.top - fused[0].cpu()).abs().max())
    return InterventionResult(intervention, ids.cpu(), vocab.pieces(ids.cpu()), untouched, clamped, diff)


def _run(model: CharRNN, vocab: Vocab, ids: torch.Tensor, intervention: Intervention, clamp: bool) -> Run:
    """The model over ``ids`` one token at a time, every layer per token, through the textbook equations; the target
    unit recorded at every step, and held at the intervention's value from its position on when ``clamp``."""
    layers = _ClassicLayers(model) if model.config.cell in GATES_PER_CELL else _NewerLayers(model)
    seen: list[float] = []

    def edit_at(position: int) -> Edit:
        """The step's edit at ``position``: the target recorded (in the text), and clamped from its position on."""

        def edit(name: str, value: torch.Tensor) -> torch.Tensor:
            if name != intervention.state:
                return value
            if clamp and position >= intervention.from_position:
                value = value.clone()
                value[:, intervention.unit] = intervention.value_at(position - intervention.from_position)
            if position < len(ids):
                seen.append(float(value[0, intervention.unit]))
            return value

        return edit

    def step(token: int, position: int) -> torch.Tensor:
        """Read one token through every layer; the top layer's output (H,)."""
        x = model.embed.weight[token][None, :]  # (1, E)
        edit = edit_at(position)
        for layer in range(model.config.num_layers):
            x = layers.step(layer, x, edit if layer == intervention.layer else None)  # (1, H)
        return x[0]

    top = torch.stack([step(token, position) for position, token in enumerate(ids.tolist())])  # (T, H)
    text_logits = model.head(top)  # (T, V)
    never = torch.tensor(vocab.never_sampled, dtype=torch.long, device=ids.device)
    previous = int(ids[-1]) if "".join(vocab.pieces(ids.cpu())).strip() else None
    last, chosen, pieces = text_logits[-1], [], []
    for index in range(intervention.continuation):
        choice = int(torch.argmax(last.float().index_fill(0, never, float("-inf"))))
        chosen.append(choice)
        pieces.append(vocab.piece_after(previous, choice))
        previous = choice
        if index + 1 < intervention.continuation:
            last = model.head(step(choice, len(ids) + index))
    return Run(text_logits.cpu(), torch.tensor(seen), top.cpu(), chosen, "".join(pieces))


class _ClassicLayers:
    """A fused layer's cells one step at a time through ``equations.py``, each layer's h (and c) carried."""

    def __init__(self, model: CharRNN):
        config = model.config
        self.cell, self.relu = config.cell, config.nonlinearity == "relu"
        self.weights = [layer_weights(model, layer) for layer in range(config.num_layers)]
        zeros = torch.zeros((1, config.hidden_size), dtype=model.head.weight.dtype, device=model.head.weight.device)
        self.h = [zeros] * config.num_layers  # each (1, H)
        self.c = [zeros] * config.num_layers  # each (1, H): the LSTM's

    def step(self, layer: int, x: torch.Tensor, edit: Edit | None) -> torch.Tensor:
        """x (1, In) -> the layer's h (1, H)."""
        w_ih, w_hh, b_ih, b_hh = self.weights[layer]
        xw = x @ w_ih.T + b_ih  # (1, G*H)
        if self.cell == "lstm":
            self.h[layer], self.c[layer], _ = lstm_step(xw, self.h[layer], self.c[layer], w_hh, b_hh, edit)
        elif self.cell == "gru":
            self.h[layer], _ = gru_step(xw, self.h[layer], w_hh, b_hh, edit)
        else:
            self.h[layer], _ = rnn_step(xw, self.h[layer], w_hh, b_hh, self.relu, edit)
        return self.h[layer]


class _NewerLayers:
    """A newer recurrent cell's layers one step at a time through each layer's own ``step``, each layer's state
    carried: (1, H) for minGRU and minLSTM, (1, D, N) for the SSM."""

    # The SSM's step names its layer output "out" and its (B, D, N) state "h"; an intervention calls the output the
    # layer's h (what the trace and the Inspect page call it), and its state is not a target.
    SSM_NAMES = {"out": "h", "h": "state"}

    def __init__(self, model: CharRNN):
        self.cell, self.layers = model.config.cell, list(model.rnn.layers)
        weight = model.head.weight
        self.state = [
            torch.zeros((1, *layer.state_shape()), dtype=weight.dtype, device=weight.device) for layer in self.layers
        ]

    def step(self, layer: int, x: torch.Tensor, edit: Edit | None) -> torch.Tensor:
        """x (1, In) -> the layer's output (1, H)."""
        module = self.layers[layer]
        if self.cell == "ssm":
            inputs = {name: value[:, 0] for name, value in module._inputs(x[:, None]).items()}  # one token's
            renamed = unchanged if edit is None else (lambda name, value: edit(self.SSM_NAMES.get(name, name), value))
            out, self.state[layer] = module.step(inputs, self.state[layer], renamed)  # (1, D), (1, D, N)
            return out
        self.state[layer] = module.step(module.linear(x), self.state[layer], edit or unchanged)  # (1, H)
        return self.state[layer]


# -- what the page and the lesson read: plain numbers ----------------------------------------------------------------


def token_probabilities(result: InterventionResult, token: int) -> tuple[list[float], list[float]]:
    """The probability of ``token`` next, after each token of the text: untouched, clamped."""
    return result.untouched.probs[:, token].tolist(), result.clamped.probs[:, token].tolist()


def probability_change(result: InterventionResult, never: tuple[int, ...] = ()) -> torch.Tensor:
    """(V,): how far the clamp moves each token's next-token probability, at most, over the text (-1 for the tokens
    ``never`` sampled, such as ``<pad>``)."""
    change = (result.clamped.probs - result.untouched.probs).abs().amax(dim=0)
    if never:
        change[list(never)] = -1.0
    return change


def most_changed_token(result: InterventionResult, never: tuple[int, ...] = ()) -> int:
    """The token whose next-token probability the clamp moves most, at any position of the text."""
    return int(torch.argmax(probability_change(result, never)))


def largest_change(result: InterventionResult, token: int) -> tuple[int, float, float]:
    """Where the clamp moves ``token``'s probability most, from the clamp's position on: (position, untouched,
    clamped)."""
    before, after = token_probabilities(result, token)
    start = result.intervention.from_position
    position = max(range(start, len(before)), key=lambda i: abs(after[i] - before[i]))
    return position, before[position], after[position]


def first_difference(a: list[int], b: list[int]) -> int | None:
    """The index of the first token where two continuations part, or None where they agree."""
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return index
    return None if len(a) == len(b) else min(len(a), len(b))
