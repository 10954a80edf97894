"""What every lab that trains several variants on one shared batch per step has in common.

``SharedBatchLab`` gives ``finished``, ``progress`` and the time-boxed ``advance`` of the ``LiveJob`` protocol to a
lab that counts ``step_count`` against ``config.steps`` and keeps its variants in ``runs``; ``update_variant`` is
what each variant does with the shared batch's loss. The memory-task and seq2seq labs build on both.
"""

from __future__ import annotations

import math
import time

import torch

from rnnviz.i18n import Message


def update_variant(run, loss: torch.Tensor, step: int, clip_norm: float | None) -> None:
    """One optimiser update of a lab's variant from its loss, recorded; a non-finite loss marks it diverged.

    The labs (tasks, seq2seq) train several variants on one shared batch; this is what each variant does with it.
    ``run`` has ``model``, ``optimizer``, ``steps``, ``losses`` and ``diverged``.
    """
    run.optimizer.zero_grad(set_to_none=True)
    loss.backward()
    if clip_norm:
        torch.nn.utils.clip_grad_norm_(run.model.parameters(), clip_norm)
    run.optimizer.step()
    value = float(loss.detach())
    run.steps.append(step)
    run.losses.append(value)
    if not math.isfinite(value):
        run.diverged = Message("errors.diverged_short", step=step, loss=value)


def step_for(seconds: float, step, finished) -> int:
    """Call ``step()`` until ``finished()`` or about ``seconds`` have passed (at least once); return the count.

    The time-boxed chunk that the background worker asks of every lab (``advance``)."""
    deadline = time.perf_counter() + seconds
    done = 0
    while not finished():
        step()
        done += 1
        if time.perf_counter() >= deadline:
            break
    return done


class SharedBatchLab:
    """Subclasses set ``config`` (with ``steps``), ``runs`` (each with ``diverged``), ``step_count``, and ``step()``."""

    step_count: int

    @property
    def finished(self) -> bool:
        return self.step_count >= self.config.steps or all(r.diverged for r in self.runs)

    @property
    def progress(self) -> float:
        return min(1.0, self.step_count / self.config.steps)

    def advance(self, seconds: float = 0.3) -> int:
        return step_for(seconds, self.step, lambda: self.finished)
