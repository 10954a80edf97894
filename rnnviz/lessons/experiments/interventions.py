"""Correlation or cause: the unit that follows a feature of the text best, switched off, and what the model does then.

The neuron finder ranks the python-code LSTM's units by how closely they follow a feature ("inside quotes"); the
intervention (``rnnviz/introspect/intervene.py``) holds the best one at a value from the first character on and reads
the text again through the same exact equations. The result says how the probability of the characters that depend
on the feature (the quotes) moved, where they come next, and how the loss over the text moved: the answer to "does
the model use this unit?" is measured, not assumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from rnnviz.i18n import t
from rnnviz.introspect import trace_text
from rnnviz.introspect.intervene import Intervention, intervene_ids, token_probabilities
from rnnviz.introspect.neurons import find_neurons
from rnnviz.lessons.experiments.base import Experiment
from rnnviz.lessons.experiments.pretrained_models import CODE_SNIPPET
from rnnviz.pretrained import load_pretrained


@dataclass(frozen=True, kw_only=True)
class SwitchOffConfig:
    feature: str = "inside quotes"  # a feature of rnnviz.introspect.neurons
    watch: str = '"'  # the next character whose probability is compared, where it comes next in the text
    value: float = 0.0  # what the unit is held at
    continuation: int = 40  # greedy characters after the text, for both runs
    model: str = "python-code-lstm"
    text: str = field(default=CODE_SNIPPET, repr=False)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def switch_off(config: SwitchOffConfig) -> dict:
    """The finder's best unit for ``feature``, held at ``value`` from the start; both runs' numbers as plain data."""
    ckpt = load_pretrained(config.model)
    trace = trace_text(ckpt.model, ckpt.vocab, config.text)
    best = find_neurons(trace, top=1)[config.feature][0]
    intervention = Intervention(
        layer=best.layer, state=best.state, unit=best.unit, value=config.value, continuation=config.continuation
    )
    result = intervene_ids(ckpt.model, ckpt.vocab, trace.ids, intervention)
    watch = int(ckpt.vocab.encode(config.watch, unknown="skip")[0])
    before, after = token_probabilities(result, watch)
    ids = trace.ids.tolist()
    comes_next = [i for i in range(len(ids) - 1) if ids[i + 1] == watch]  # where the watched character is next
    rows = []
    for name, run, probs in (("untouched", result.untouched, before), ("clamped", result.clamped, after)):
        loss = -run.probs[torch.arange(len(ids) - 1), ids[1:]].log().mean()
        rows.append(
            {
                "run": name,
                "p next": _mean([probs[i] for i in comes_next]),
                "loss": float(loss),
                "continuation": run.continuation,
            }
        )
    change = None if rows[0]["p next"] is None else abs(rows[1]["p next"] - rows[0]["p next"])
    return {
        "feature": config.feature,
        "layer": best.layer,
        "state": best.state,
        "unit": best.unit,
        "r": best.correlation,
        "value": config.value,
        "watch": config.watch,
        "labels": result.tokens,
        "before": before,
        "after": after,
        "from_position": intervention.from_position,
        "rows": rows,
        "change": change,  # |the mean probability of the watched character, clamped - untouched|
        "exact": result.exact,
    }


def target_of(result: dict) -> str:
    """``layer 1 c[206]``: the unit switched off, in the current language."""
    return t("lessons.intervene.unit", layer=result["layer"], state=result["state"], unit=result["unit"])


class SwitchOff(Experiment):
    key = "switch_off"
    kind = "switch_off"
    config_type = SwitchOffConfig
    imports = "from rnnviz.lessons.experiments.interventions import SwitchOffConfig, switch_off"
    body = """
result = switch_off(config)
for row in result["rows"]:
    print(row["run"], "p next:", round(row["p next"], 3), "loss:", round(row["loss"], 3), repr(row["continuation"]))
"""

    def start(self, config: SwitchOffConfig) -> dict:
        return switch_off(config)

    def summarise(self, result: dict) -> str:
        untouched, clamped = result["rows"]
        return t(
            "lessons.intervene.summary",
            value=f"{result['value']:g}",
            target=target_of(result),
            r=f"{result['r']:+.2f}",
            feature=t(f"features.{result['feature']}"),
            watch=result["watch"],
            before=untouched["p next"] or 0.0,
            after=clamped["p next"] or 0.0,
            loss_before=untouched["loss"],
            loss_after=clamped["loss"],
        )

    def measure(self, result: dict, name: str, row: int = 0) -> float | None:
        """``change``: how far the clamp moved the mean probability of the watched character where it comes next."""
        return result["change"] if name == "change" else super().measure(result, name, row)
