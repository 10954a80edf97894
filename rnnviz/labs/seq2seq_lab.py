"""Training several seq2seq variants on the same batches, live: the engine of the Attention page.

A ``LiveJob``: the same background worker and page helper drive it as every other lab. Held-out exact
match is measured with greedy decoding; the attention of one fixed held-out example is kept at every
evaluation, so the page can replay how it sharpened.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F

from rnnviz.charlm.model import ConfigError
from rnnviz.i18n import Message, t
from rnnviz.labs.shared_batches import SharedBatchLab, update_variant
from rnnviz.seq2seq.model import Seq2Seq, Seq2SeqConfig, translate
from rnnviz.seq2seq.tasks import (
    PAD,
    SEQ2SEQ_TASKS,
    Example,
    Seq2SeqVocab,
    encode_pairs,
    held_out_set,
    make_example,
    pad_batch,
)


@dataclass(frozen=True, kw_only=True)
class Seq2SeqLabConfig:
    task: str = "dates"
    attentions: tuple[str, ...] = ("bahdanau", "none")
    cell: str = "gru"
    hidden_size: int = 128
    embed_size: int = 32
    bidirectional: bool = True
    batch_size: int = 64
    learning_rate: float = 3e-3
    teacher_forcing: float = 1.0
    length: int = 10  # for reverse / sort
    steps: int = 3000
    eval_every: int = 100
    eval_examples: int = 500
    seed: int = 0

    def validate(self) -> None:
        if self.task not in SEQ2SEQ_TASKS:
            raise ConfigError(Message("errors.lab.task_one_of", tasks=", ".join(SEQ2SEQ_TASKS)))
        if not self.attentions:
            raise ConfigError(Message("errors.lab.no_attention"))
        if not 0.0 <= self.teacher_forcing <= 1.0:
            raise ConfigError(Message("errors.lab.teacher_forcing"))


@dataclass
class VariantRun:
    name: str
    model: Seq2Seq
    optimizer: torch.optim.Optimizer
    steps: list = field(default_factory=list)
    losses: list = field(default_factory=list)
    eval_steps: list = field(default_factory=list)
    accuracies: list = field(default_factory=list)
    attention_snapshots: list = field(default_factory=list)  # (step, (T, S) list) of the probe example
    diverged: str | None = None


class Seq2SeqLab(SharedBatchLab):
    def __init__(self, config: Seq2SeqLabConfig):
        config.validate()
        self.config = config
        self.vocab = Seq2SeqVocab()
        self.rng = random.Random(config.seed)
        self.torch_generator = torch.Generator().manual_seed(config.seed)
        self.held_out = held_out_set(config.task, config.eval_examples, config.seed, config.length)
        self.held_src, self.held_tgt = encode_pairs(self.vocab, self.held_out)
        self.probe = self.held_out[0]
        self.runs: list[VariantRun] = []
        for attention in config.attentions:
            model_config = Seq2SeqConfig(
                vocab_size=self.vocab.size,
                cell=config.cell,
                attention=attention,
                hidden_size=config.hidden_size,
                embed_size=config.embed_size,
                bidirectional=config.bidirectional,
            )
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(config.seed)
                model = Seq2Seq(model_config)
            optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
            self.runs.append(VariantRun(attention, model, optimizer))
        self.step_count = 0

    def step(self) -> None:
        examples = [
            make_example(self.config.task, self.rng, False, self.config.length) for _ in range(self.config.batch_size)
        ]
        src, tgt = encode_pairs(self.vocab, examples)
        self.step_count += 1
        for run in self.runs:
            if run.diverged:
                continue
            run.model.train()
            logits, _ = run.model(src, tgt, self.config.teacher_forcing, self.torch_generator)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=PAD)
            update_variant(run, loss, self.step_count, clip_norm=1.0)
        if self.step_count % self.config.eval_every == 0 or self.step_count == self.config.steps:
            self.evaluate()

    def evaluate(self) -> None:
        probe_src = pad_batch([self.vocab.encode(self.probe.source)])
        for run in self.runs:
            if run.diverged:
                continue
            run.eval_steps.append(self.step_count)
            run.accuracies.append(exact_match(run.model, self.vocab, self.held_src, self.held_out))
            _, attention = run.model.greedy(probe_src, max_len=len(self.probe.target) + 1)
            run.attention_snapshots.append((self.step_count, None if attention is None else attention[0].tolist()))

    def snapshot(self) -> dict:
        """Accuracy and loss curves, and the probe example's attention at every evaluation, as plain data."""
        return {
            "progress": self.progress,
            "progress_text": t("live.progress", done=self.step_count, total=self.config.steps),
            "step": self.step_count,
            "task": self.config.task,
            "probe": {"source": self.probe.source, "target": self.probe.target},
            "runs": [
                {
                    "name": r.name,
                    "steps": list(r.eval_steps),
                    "accuracy": list(r.accuracies),
                    "loss_steps": r.steps[::10],
                    "losses": r.losses[::10],
                    "diverged": r.diverged,
                    "snapshots": list(r.attention_snapshots),
                }
                for r in self.runs
            ],
        }

    def translate(self, text: str, width: int = 1) -> list[dict]:
        """Every variant's decoding of ``text`` as it stands now, named with this lab's step (plain data)."""
        return [
            {"name": run.name, "step": self.step_count, **translate(run.model, self.vocab, text, width)}
            for run in self.runs
        ]


def exact_match(model: Seq2Seq, vocab: Seq2SeqVocab, src: torch.Tensor, examples: list[Example]) -> float:
    max_len = max(len(e.target) for e in examples) + 2
    tokens, _ = model.greedy(src, max_len=max_len)
    hits = sum(vocab.decode(row) == e.target for row, e in zip(tokens.tolist(), examples))
    return hits / len(examples)


def mean_attention_entropy(model: Seq2Seq, vocab: Seq2SeqVocab, examples: list[Example]) -> float | None:
    """Average entropy (nats) of the attention distributions over the held-out examples: low = sharp."""
    src, _ = encode_pairs(vocab, examples)
    _, attention = model.greedy(src, max_len=max(len(e.target) for e in examples) + 2)
    if attention is None:
        return None
    p = attention.clamp_min(1e-12)
    return float(-(p * p.log()).sum(-1).mean())
