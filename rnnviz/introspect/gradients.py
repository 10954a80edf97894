"""Gradient flow through time: how much of the loss's signal reaches each earlier step.

All of it comes from the step-by-step replay (``replay_sequence``), where every h_t is its own
node of the autograd graph, so dL/dh_t is the full gradient that reaches step t (through the
recurrence and through the layers above). Shapes below are for one text of T characters.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from rnnviz.charlm.model import GATE_NAMES, CharRNN
from rnnviz.introspect.bptt import backward_through_time
from rnnviz.introspect.replay import replay_sequence
from rnnviz.introspect.trace import trace_ids
from rnnviz.introspect.trace_types import layer_weights


@dataclass
class GradientFlow:
    last_loss_norms: list[list[float]]  # [layer][t]: ||dL_T/dh_t||, L_T the loss at the last step
    total_loss_norms: list[list[float]]  # [layer][t]: ||dL/dh_t||, L the summed loss of all steps
    connectivity: list[float]  # [s]: ||d logit / d x_s|| for the chosen output step and logit
    connectivity_step: int
    connectivity_char_id: int  # vocabulary index of that logit


def _inputs(model: CharRNN, ids: torch.Tensor) -> torch.Tensor:
    device = next(model.parameters()).device
    x = model.embed(ids.to(device)[None, :]).detach()  # (1, T, E)
    return x.requires_grad_(True)


def gradient_flow(
    model: CharRNN, ids: torch.Tensor, target_step: int | None = None, target_char: int | None = None
) -> GradientFlow:
    """Gradient norms per time step for ``ids`` (T,), T >= 2 (the last char is only a target).

    ``target_step``/``target_char`` pick the output logit for the connectivity view
    (default: the last step, and the logit of the character that actually comes next).
    Computed by hand-written BPTT over the trace (fast); ``gradient_flow_autograd`` is the
    same through autograd, and the tests hold the two equal.
    """
    if len(ids) < 2:
        raise ValueError("Gradient flow needs at least two characters (an input and a target).")
    inputs_ids, targets = ids[:-1], ids[1:]  # (T-1,)
    steps = len(inputs_ids)
    trace = trace_ids(model, inputs_ids)
    step = steps - 1 if target_step is None else max(0, min(target_step, steps - 1))
    char = int(targets[step]) if target_char is None else int(target_char)
    w_head = model.head.weight.detach().cpu()  # (V, H)
    d_logits = trace.probs.clone()  # (T-1, V): dCE/dlogits = softmax - onehot
    d_logits[torch.arange(steps), targets] -= 1.0
    direct = torch.zeros(3, steps, model.config.hidden_size)  # (S=3, T-1, H)
    direct[0, -1] = d_logits[-1] @ w_head
    direct[1] = d_logits @ w_head
    direct[2, step] = w_head[char]
    totals, d_embed = backward_through_time(model, trace.layers, direct)
    return GradientFlow(
        [total[0].norm(dim=-1).tolist() for total in totals],
        [total[1].norm(dim=-1).tolist() for total in totals],
        d_embed[2].norm(dim=-1).tolist(),
        step,
        char,
    )


def gradient_flow_autograd(
    model: CharRNN, ids: torch.Tensor, target_step: int | None = None, target_char: int | None = None
) -> GradientFlow:
    """The reference for ``gradient_flow``: autograd through the step-by-step replay (slow)."""
    if len(ids) < 2:
        raise ValueError("Gradient flow needs at least two characters (an input and a target).")
    model.eval()
    inputs_ids, targets = ids[:-1], ids[1:]  # (T-1,)
    steps = len(inputs_ids)
    x = _inputs(model, inputs_ids)
    with torch.enable_grad():
        replay = replay_sequence(model, x, record_gates=False)
        out = replay.top_output()  # (1, T-1, H)
        logits = model.head(out)[0]  # (T-1, V)
        losses = F.cross_entropy(logits, targets.to(logits.device), reduction="none")  # (T-1,)
        flat_h = [h for layer in replay.h for h in layer]
        last = torch.autograd.grad(losses[-1], flat_h, retain_graph=True, allow_unused=True)
        total = torch.autograd.grad(losses.sum(), flat_h, retain_graph=True, allow_unused=True)
        step = steps - 1 if target_step is None else max(0, min(target_step, steps - 1))
        char = int(targets[step]) if target_char is None else int(target_char)
        (dx,) = torch.autograd.grad(logits[step, char], x)
    layers = model.config.num_layers

    def per_layer(grads):
        norms = [0.0 if g is None else float(g.norm()) for g in grads]
        return [norms[layer * steps : (layer + 1) * steps] for layer in range(layers)]

    return GradientFlow(per_layer(last), per_layer(total), dx[0].norm(dim=-1).tolist(), step, char)


def recurrent_spectra(model: CharRNN) -> list[dict[str, dict]]:
    """Per layer and gate block of W_hh: spectral radius and singular values."""
    cfg = model.config
    result = []
    for layer in range(cfg.num_layers):
        _, w_hh, _, _ = layer_weights(model, layer)
        blocks = {}
        for index, name in enumerate(GATE_NAMES[cfg.cell]):
            block = w_hh.detach()[index * cfg.hidden_size : (index + 1) * cfg.hidden_size].double().cpu()
            blocks[name] = {
                "spectral_radius": float(torch.linalg.eigvals(block).abs().max()),
                "singular_values": torch.linalg.svdvals(block).tolist(),
            }
        result.append(blocks)
    return result


def fit_decay_rate(norms: list[float], skip: int = 1) -> float | None:
    """Per-step factor r of norms ~ C * r^distance, fitted in log space (least squares).

    ``norms`` is indexed by distance (0 = the step of the loss). The first ``skip`` distances
    are left out: at distance 0 the gradient has not gone through the recurrence yet.
    """
    points = [(d, n) for d, n in enumerate(norms) if d >= skip and n > 0 and torch.isfinite(torch.tensor(n))]
    if len(points) < 2:
        return None
    d = torch.tensor([p[0] for p in points], dtype=torch.float64)
    y = torch.log(torch.tensor([p[1] for p in points], dtype=torch.float64))
    slope = ((d - d.mean()) * (y - y.mean())).sum() / ((d - d.mean()) ** 2).sum()
    return float(torch.exp(slope))
