"""Gate saturation, as in Karpathy, Johnson & Fei-Fei (2015), "Visualizing and Understanding
Recurrent Networks": per unit, the fraction of steps a gate is left-saturated (< 0.1) or
right-saturated (> 0.9). A forget gate right-saturated most of the time is a unit that
remembers; one left-saturated is a unit that forgets at once.
"""

from __future__ import annotations

from rnnviz.introspect.trace_types import Trace

SIGMOID_GATES = {"lstm": ("i", "f", "o"), "gru": ("r", "z")}
LOW, HIGH = 0.1, 0.9


def gate_saturation(trace: Trace) -> list[dict[str, dict[str, list[float]]]]:
    """[layer][gate] -> {"left": per-unit fraction < 0.1, "right": per-unit fraction > 0.9}.

    A vanilla RNN has no gates; for it the tanh hidden state is reported under "h", rescaled
    to (0, 1) so the same thresholds mean |h| > 0.8.
    """
    result = []
    for layer in trace.layers:
        entry = {}
        if trace.cell in SIGMOID_GATES:
            series = {name: layer.gates[name] for name in SIGMOID_GATES[trace.cell]}
        else:
            series = {"h": (layer.h + 1) / 2}
        for name, values in series.items():  # values (T, H)
            entry[name] = {
                "left": (values < LOW).float().mean(dim=0).tolist(),
                "right": (values > HIGH).float().mean(dim=0).tolist(),
            }
        result.append(entry)
    return result
