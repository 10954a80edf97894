"""One step of a newer recurrent cell (minGRU, minLSTM, the selective SSM) with an ``edit``, for ``intervene.py``.

Each cell's ``replay`` (``rnnviz/cells/``) walks its equations one step after another but keeps no hook between
them, and a clamp has to reach the rest of its step: a clamped z must change this step's h, not only be recorded.
So each function below is its cell's replay loop body, operation for operation, with every gate and state of the
step passed through ``edit(name, value)`` as soon as it is computed, the rest of the step going on with what it
returns (as ``equations.py`` does for the classic cells). Without an edit, a step is its replay's step:
``tests/introspect/test_newer_steps.py`` holds the two together, and ``intervene.py`` checks every untouched run
against the parallel scan the model trains with.

minGRU: "z", "decay" (1 - z, what is kept of h_{t-1}: clamped on its own, z still writes), "h_tilde", "h".
minLSTM: "f", "i", "f_norm", "i_norm" (normalised from the f and i the edit returned), "h_tilde", "h".
The SSM: "delta" (its step size per channel: it sets both the decay and the write), "y", "gate" (silu z), "h" (the
layer's output, "out" in its replay: what the layer above and the head read, and what the trace and the Inspect
page call its h); only what has one value per channel (B, D) passes through the edit, so its decay and state
(B, D, N) do not.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from rnnviz.cells.mingru import MinGRULayer
from rnnviz.cells.minlstm import MinLSTMLayer
from rnnviz.cells.scan import g
from rnnviz.cells.ssm import SelectiveSSMLayer
from rnnviz.introspect.equations import Edit


def _same(name: str, value: torch.Tensor) -> torch.Tensor:
    return value


def mingru_step(layer: MinGRULayer, x: torch.Tensor, h: torch.Tensor, edit: Edit | None = None) -> torch.Tensor:
    """x (B, In), h (B, H) -> the next h (B, H): ``MinGRULayer.replay``'s step."""
    edit = edit or _same
    k, v = layer.linear(x).chunk(2, dim=-1)  # each (B, H)
    z = edit("z", torch.sigmoid(k))  # (B, H)
    decay = edit("decay", 1 - z)  # (B, H)
    h_tilde = edit("h_tilde", g(v))  # (B, H)
    return edit("h", decay * h + z * h_tilde)  # (B, H)


def minlstm_step(layer: MinLSTMLayer, x: torch.Tensor, h: torch.Tensor, edit: Edit | None = None) -> torch.Tensor:
    """x (B, In), h (B, H) -> the next h (B, H): ``MinLSTMLayer.replay``'s step."""
    edit = edit or _same
    k_f, k_i, v = layer.linear(x).chunk(3, dim=-1)  # each (B, H)
    f, i = edit("f", torch.sigmoid(k_f)), edit("i", torch.sigmoid(k_i))  # (B, H)
    f_norm, i_norm = edit("f_norm", f / (f + i)), edit("i_norm", i / (f + i))  # (B, H)
    h_tilde = edit("h_tilde", g(v))  # (B, H)
    return edit("h", f_norm * h + i_norm * h_tilde)  # (B, H)


def ssm_step(
    layer: SelectiveSSMLayer, u: torch.Tensor, h: torch.Tensor, edit: Edit | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """u (B, In), h (B, D, N) -> the layer's output (B, D) and the next state (B, D, N): ``SelectiveSSMLayer.replay``'s
    step (its inputs read through the layer's own ``_inputs``, one token long)."""
    edit = edit or _same
    p = {name: value[:, 0] for name, value in layer._inputs(u[:, None]).items()}  # x, z, delta (B, D); B, C (B, N)
    A = -torch.exp(layer.A_log)  # (D, N)
    delta = edit("delta", p["delta"])  # (B, D)
    decay = torch.exp(delta.unsqueeze(-1) * A)  # (B, D, N)
    h = decay * h + (delta * p["x"]).unsqueeze(-1) * p["B"].unsqueeze(1)  # (B, D, N)
    y = edit("y", (h * p["C"].unsqueeze(1)).sum(-1) + layer.D * p["x"])  # (B, D)
    gate = edit("gate", F.silu(p["z"]))  # (B, D)
    return edit("h", layer.out_proj(y * gate)), h  # (B, D), (B, D, N)
