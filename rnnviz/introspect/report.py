"""One JSON-friendly report of everything the engine knows about a model on a text.

Used by ``python -m rnnviz inspect --json``; the pages draw from the same objects.
"""

from __future__ import annotations

from rnnviz.charlm.model import CharRNN
from rnnviz.charlm.vocab import Vocab
from rnnviz.introspect.gradients import fit_decay_rate, gradient_flow, recurrent_spectra
from rnnviz.introspect.neurons import find_neurons
from rnnviz.introspect.saturation import gate_saturation
from rnnviz.introspect.trace import trace_text


def _rounded(values, digits: int = 5):
    if isinstance(values, (list, tuple)):
        return [_rounded(v, digits) for v in values]
    return round(float(values), digits)


def inspect_report(model: CharRNN, vocab: Vocab, text: str, regex: str | None = None, top_k: int = 5) -> dict:
    trace = trace_text(model, vocab, text)
    report: dict = {
        "text": trace.text,
        "tokens": vocab.kind,
        "token_pieces": trace.tokens,
        "skipped_chars": trace.skipped,
        "cell": trace.cell,
        "model": model.config.to_dict(),
        "max_abs_diff_vs_fused": trace.max_abs_diff,
        "exact": trace.exact,
        "layers": [],
    }
    for layer in trace.layers:
        entry = {"h": _rounded(layer.h.tolist()), "gates": {k: _rounded(v.tolist()) for k, v in layer.gates.items()}}
        if layer.c is not None:
            entry["c"] = _rounded(layer.c.tolist())
        report["layers"].append(entry)
    top = trace.probs.topk(min(top_k, vocab.size), dim=-1)
    report["next_char_top"] = [
        [[vocab.token(int(i)), round(float(p), 5)] for p, i in zip(values, indices)]
        for values, indices in zip(top.values, top.indices)
    ]
    report["loss_per_char"] = _rounded(trace.loss_per_char.tolist())
    report["gate_saturation"] = gate_saturation(trace)
    report["recurrent_spectra"] = [
        {
            gate: {"spectral_radius": s["spectral_radius"], "top_singular_values": _rounded(s["singular_values"][:8])}
            for gate, s in layer.items()
        }
        for layer in recurrent_spectra(model)
    ]
    if len(trace.ids) >= 2:
        flow = gradient_flow(model, trace.ids)
        report["gradient_norms"] = {
            "last_loss": _rounded(flow.last_loss_norms, 8),
            "total_loss": _rounded(flow.total_loss_norms, 8),
            "connectivity": _rounded(flow.connectivity, 8),
            "decay_per_step_layer0": fit_decay_rate(list(reversed(flow.last_loss_norms[0]))),
        }
    report["neurons"] = {
        name: [m.__dict__ for m in matches] for name, matches in find_neurons(trace, regex=regex).items()
    }
    return report
