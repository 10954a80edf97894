"""The trace of a newer cell (``rnnviz/cells/``): every gate, decay, step size and state from the cell's own
step-by-step replay through its paper's equations (each cell's ``replay``), checked against the path the model trains
with, layer by layer, on every call, as ``batched.py`` checks the classic cells against the fused layer.

minGRU: z, decay (1 - z), h_tilde. minLSTM: f, i, f_norm (the decay), i_norm, h_tilde. The selective SSM: delta (its
step size per channel), y, gate (silu z) as gates; B, C (T, N), decay and state (T, D, N) as ``states``. The
Transformer has no recurrence: each block's attention weights (heads, T, T), checked against the fused attention
kernel the model trains with (one window: a text longer than the context is refused).
"""

from __future__ import annotations

import torch

from rnnviz.charlm.model import CharRNN
from rnnviz.introspect.trace_types import LayerTrace

DECAY_GATE = {"mingru": "decay", "minlstm": "f_norm", "ssm": "decay"}  # what is kept of h_{t-1} (the SSM's: a state)
SSM_STATES = {"B": "B", "C": "C", "decay": "decay", "h": "state"}  # the SSM's replay names -> ``states`` names


def _max_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).abs().max()) if a.numel() else 0.0


@torch.no_grad()
def newer_cell_layers(model: CharRNN, inputs: torch.Tensor) -> tuple[list[LayerTrace], torch.Tensor, float]:
    """inputs (1, T, E) -> per-layer traces, the top output the head reads (T, H), and the largest difference
    between the replay and the training path (every layer's output, and the top)."""
    if model.config.cell == "transformer":
        return _transformer_layers(model, inputs)
    stack = model.rnn
    replays = stack.replay(inputs)
    traces, worst, layer_input = [], 0.0, inputs
    for layer, replay in zip(stack.layers, replays):
        output = replay["out"] if "out" in replay else replay["h"]  # (1, T, H)
        trained, _ = layer(layer_input, parallel=stack.parallel)  # (1, T, H): the path the model trains with
        worst = max(worst, _max_diff(output, trained))
        ssm = model.config.cell == "ssm"
        gates = {
            name: value[0].cpu()  # (T, H)
            for name, value in replay.items()
            if name not in ("h", "out") and not (ssm and name in SSM_STATES)
        }
        states = {SSM_STATES[name]: replay[name][0].cpu() for name in SSM_STATES} if ssm else {}  # (T, N), (T, D, N)
        traces.append(LayerTrace(h=output[0].cpu(), c=None, gates=gates, states=states))
        layer_input = output
    top = stack.output_of(replays)[0]  # (T, H)
    worst = max(worst, _max_diff(top, stack(inputs)[0][0]))
    return traces, top, worst


def _transformer_layers(model: CharRNN, inputs: torch.Tensor) -> tuple[list[LayerTrace], torch.Tensor, float]:
    transformer = model.rnn
    replay = transformer.replay(inputs)  # raises on a text longer than the window
    trained = transformer.window(inputs)[0]  # (T, H): through the fused attention kernel
    traces = [
        LayerTrace(h=output[0].cpu(), c=None, gates={}, attention=weights[0].cpu())
        for output, weights in zip(replay["blocks"], replay["attention"])
    ]
    top = replay["out"][0]  # (T, H)
    return traces, top, _max_diff(top, trained)
