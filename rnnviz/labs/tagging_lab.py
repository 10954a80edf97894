"""Several taggers trained on the same batches of People's Daily sentences, live: the engine of the Tag page.

Variants differ only in direction and output layer (``uni``, ``bi``, ``uni+crf``, ``bi+crf``), all on one cell;
every variant starts from the same seed and sees the same batches (sentences of similar length together, so a
batch is not padded to its longest outlier). Entity F1 on a fixed validation sample is measured every
``eval_every`` steps, beside the most-frequent-tag baseline on the same sample; ``test_scores`` scores the whole
test split once training is done.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import torch

from rnnviz.charlm.model import ConfigError
from rnnviz.i18n import Message, t
from rnnviz.labs.shared_batches import SharedBatchLab, update_variant
from rnnviz.tagging.bio import ENTITY_TYPES
from rnnviz.tagging.data import EncodedSplit, TaggingData, peoples_daily_data
from rnnviz.tagging.explain import direction_misses, explain_text, tag_sentences
from rnnviz.tagging.metrics import entity_scores
from rnnviz.tagging.model import TAGGER_CELLS, Tagger, TaggerConfig

VARIANTS = ("uni", "bi", "uni+crf", "bi+crf")


@dataclass(frozen=True, kw_only=True)
class TaggingLabConfig:
    cell: str = "lstm"
    variants: tuple[str, ...] = ("uni", "bi")
    num_layers: int = 1
    embed_size: int = 64
    hidden_size: int = 64
    dropout: float = 0.1
    batch_size: int = 64
    learning_rate: float = 5e-3
    steps: int = 1500
    eval_every: int = 100
    eval_sentences: int = 600
    seed: int = 0

    def validate(self) -> None:
        if self.cell not in TAGGER_CELLS:
            raise ConfigError(Message("errors.lab.cell_one_of", cells=", ".join(TAGGER_CELLS)))
        if not self.variants:
            raise ConfigError(Message("errors.lab.no_variant"))
        unknown = [v for v in self.variants if v not in VARIANTS]
        if unknown:
            raise ConfigError(Message("errors.lab.unknown_variants", unknown=unknown, known=", ".join(VARIANTS)))
        if len(set(self.variants)) != len(self.variants):
            raise ConfigError(Message("errors.lab.each_once"))
        if not 1 <= self.steps <= 100_000 or not 1 <= self.batch_size <= 512:
            raise ConfigError(Message("errors.lab.steps_and_batch"))
        if not 0 < self.learning_rate <= 1:
            raise ConfigError(Message("errors.lab.learning_rate"))

    def tagger_config(self, variant: str, vocab_size: int) -> TaggerConfig:
        return TaggerConfig(
            vocab_size=vocab_size,
            cell=self.cell,
            bidirectional=variant.startswith("bi"),
            crf=variant.endswith("crf"),
            num_layers=self.num_layers,
            embed_size=self.embed_size,
            hidden_size=self.hidden_size,
            dropout=self.dropout,
        )


@dataclass
class TaggerRun:
    name: str  # "BiLSTM+CRF"
    variant: str  # "bi+crf"
    model: Tagger
    optimizer: torch.optim.Optimizer
    steps: list = field(default_factory=list)
    losses: list = field(default_factory=list)
    eval_steps: list = field(default_factory=list)
    scores: list = field(default_factory=list)  # entity_scores() at each evaluation
    diverged: str | None = None


def length_buckets(lengths: list[int], batch_size: int) -> list[list[int]]:
    """Indices grouped into batches of sentences of similar length (sorted, then cut)."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


class TaggingLab(SharedBatchLab):
    def __init__(self, config: TaggingLabConfig, data: TaggingData | None = None):
        config.validate()
        self.config = config
        self.data = data if data is not None else peoples_daily_data()
        self.train: EncodedSplit = self.data.splits["train"]
        self.validation: EncodedSplit = self.data.splits["validation"]
        self.rng = random.Random(config.seed)
        self.buckets = length_buckets([len(c) for c in self.train.chars], config.batch_size)
        count = min(config.eval_sentences, len(self.validation.chars))
        stride = max(1, len(self.validation.chars) // max(1, count))
        self.eval_indices = list(range(0, len(self.validation.chars), stride))[:count]  # spread over the month
        self.eval_sentences = [self.validation.sentences[i] for i in self.eval_indices]
        self.eval_gold = self.validation.gold(self.eval_indices)
        self.baseline = self.data.baseline
        self.baseline_scores = entity_scores(self.eval_gold, [self.baseline.tag(s.text) for s in self.eval_sentences])
        self.runs: list[TaggerRun] = []
        for variant in config.variants:
            tagger_config = config.tagger_config(variant, self.data.vocab.size)
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(config.seed)
                model = Tagger(tagger_config)
            # fused: one pass over each tensor (a CPU step of a 1M-value embedding table: 19 ms per-op, 2 ms fused)
            optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate, fused=True)
            self.runs.append(TaggerRun(tagger_config.label, variant, model, optimizer))
        self.step_count = 0

    def step(self) -> None:
        batch = self.rng.choice(self.buckets)
        chars, tags, lengths = self.train.batch(batch)  # (B, T), (B, T), (B,)
        self.step_count += 1
        for run in self.runs:
            if run.diverged:
                continue
            with torch.random.fork_rng(devices=[]):  # dropout draws from this step's seed, whatever ran before
                torch.manual_seed(self.config.seed * 1_000_003 + self.step_count)
                run.model.train()
                update_variant(run, run.model.loss(chars, tags, lengths), self.step_count, clip_norm=5.0)
        if self.step_count % self.config.eval_every == 0 or self.step_count == self.config.steps:
            self.evaluate()

    def evaluate(self) -> None:
        texts = [s.text for s in self.eval_sentences]
        for run in self.runs:
            if run.diverged:
                continue
            predicted = tag_sentences(run.model, self.data.vocab, texts)
            run.eval_steps.append(self.step_count)
            run.scores.append(entity_scores(self.eval_gold, predicted))

    def snapshot(self) -> dict:
        return {
            "progress": self.progress,
            "progress_text": t("live.progress", done=self.step_count, total=self.config.steps),
            "step": self.step_count,
            "baseline": self.baseline_scores,
            "eval_sentences": len(self.eval_indices),
            "runs": [
                {
                    "name": r.name,
                    "variant": r.variant,
                    "steps": list(r.eval_steps),
                    "f1": [s["overall"]["f1"] for s in r.scores],
                    "latest": r.scores[-1] if r.scores else None,
                    "loss_steps": r.steps[::10],
                    "losses": r.losses[::10],
                    "diverged": r.diverged,
                }
                for r in self.runs
            ],
        }

    def explain(self, text: str) -> list[dict]:
        """Every variant's reading of ``text`` as it stands now, named with this lab's step."""
        return [{**explain_text(r.model, self.data.vocab, text), "step": self.step_count} for r in self.runs]

    def direction_misses(self, limit: int = 20) -> list[dict]:
        """Held-out entities the bidirectional variant finds and the unidirectional one misses (needs both)."""
        by_variant = {r.variant: r for r in self.runs}
        uni = by_variant.get("uni") or by_variant.get("uni+crf")
        bi = by_variant.get("bi") or by_variant.get("bi+crf")
        if uni is None or bi is None:
            return []
        return direction_misses(uni.model, bi.model, self.data.vocab, self.eval_sentences, limit)

    def test_scores(self) -> dict:
        """Entity scores of every variant and of the baseline on the whole test split."""
        test = self.data.splits["test"]
        gold = [list(s.tags) for s in test.sentences]
        texts = [s.text for s in test.sentences]
        scores = {"most frequent tag": entity_scores(gold, [self.baseline.tag(t) for t in texts])}
        for run in self.runs:
            scores[run.name] = entity_scores(gold, tag_sentences(run.model, self.data.vocab, texts))
        return scores


def score_row(name: str, scores: dict) -> dict:
    """One table row: overall and per-type F1, token accuracy, and how often the BIO rule is broken."""
    return {
        "model": name,
        "F1": scores["overall"]["f1"],
        **{kind: scores[kind]["f1"] for kind in ENTITY_TYPES},
        "precision": scores["overall"]["precision"],
        "recall": scores["overall"]["recall"],
        "token accuracy": scores["token_accuracy"],
        "invalid BIO": scores["invalid_sentences"],
    }
