"""What the commands that train once per seed (``tag``, ``classify`` with ``--repeats``) share: the check of the
flag, and each model's mean and range over the seeds."""

from __future__ import annotations

import statistics

from rnnviz.limits import LIMITS


def check_repeats(repeats: int, saving: bool) -> None:
    if not 1 <= repeats <= LIMITS.max_repeats:
        raise ValueError(f"repeats must be 1..{LIMITS.max_repeats}")
    if repeats > 1 and saving:
        raise ValueError("--out saves one run: leave out --repeats")


def over_seeds(per_seed: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """{model: {mean, min, max}} from one {model: score} per seed."""
    return {
        name: {"mean": statistics.mean(values), "min": min(values), "max": max(values)}
        for name in per_seed[0]
        for values in [[scores[name] for scores in per_seed]]
    }


def print_over_seeds(spread: dict[str, dict[str, float]], what: str, width: int) -> None:
    for name, s in spread.items():
        print(f"{name:>{width}}  {what}: mean {s['mean']:.3f} ({s['min']:.3f}-{s['max']:.3f})")
