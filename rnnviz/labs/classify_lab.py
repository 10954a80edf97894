"""Several sentence classifiers trained on the same batches, live: the engine of the Classify page.

A variant is named ``cell[-bi][+pooling]`` (``lstm``, ``lstm-bi``, ``gru+attention``, ``rnn-relu-bi+max``); all
share the data, the tokenizer, the sizes, the regularisation and the seed, and see the same batches. Accuracy on the
validation split and on a fixed sample of the training split is measured every ``eval_every`` steps, beside the
majority class and a bag-of-words logistic regression on the same split and tokens; the test split is scored once,
at the end (``test_accuracies``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F

from rnnviz.charlm.model import ConfigError
from rnnviz.classify.baselines import BagOfWords, majority_accuracy
from rnnviz.classify.data import LabelledTexts, Split, load_sentiment_set, split
from rnnviz.classify.explain import explain_sentence, negation_probe, sentence_map
from rnnviz.classify.model import CLASSIFIER_CELLS, POOLINGS, Classifier, ClassifierConfig
from rnnviz.i18n import Message, t
from rnnviz.labs.shared_batches import SharedBatchLab, update_variant
from rnnviz.tokens import Tokenizer, TokenizerConfig

DEFAULT_VARIANTS = ("lstm", "lstm-bi", "gru+attention")


def parse_variant(name: str) -> tuple[str, bool, str]:
    """``"lstm-bi+attention"`` -> ("lstm", True, "attention"); a ConfigError names what is wrong."""
    body, _, pooling = name.partition("+")
    pooling = pooling or "last"
    bidirectional = body.endswith("-bi")
    cell = body.removesuffix("-bi")
    if cell not in CLASSIFIER_CELLS or pooling not in POOLINGS:
        raise ConfigError(
            Message(
                "errors.lab.unknown_variant",
                name=repr(name),
                cells=", ".join(CLASSIFIER_CELLS),
                poolings=", ".join(POOLINGS),
            )
        )
    return cell, bidirectional, pooling


@dataclass(frozen=True, kw_only=True)
class ClassifyLabConfig:
    data: str = "movie-sentences"  # a shipped set; a user's table is passed to the lab instead
    variants: tuple[str, ...] = DEFAULT_VARIANTS
    tokens: str = "words"
    num_words: int = 10_000
    max_len: int = 60
    num_layers: int = 1
    embed_size: int = 64
    hidden_size: int = 64
    dropout: float = 0.5
    weight_decay: float = 0.0  # L2, through the optimiser
    l1: float = 0.0  # times the sum of |w| over weight matrices, added to the loss
    batch_size: int = 32
    learning_rate: float = 4e-3  # bench/classify_speed.py: every default variant past 0.75 within 120 s
    steps: int = 1500
    eval_every: int = 100
    seed: int = 0

    def validate(self) -> None:
        if not self.variants:
            raise ConfigError(Message("errors.lab.no_variant"))
        if len(set(self.variants)) != len(self.variants):
            raise ConfigError(Message("errors.lab.each_once"))
        for name in self.variants:
            parse_variant(name)
        if not 1 <= self.steps <= 100_000 or not 1 <= self.batch_size <= 512:
            raise ConfigError(Message("errors.lab.steps_and_batch"))
        if not 0 < self.learning_rate <= 1:
            raise ConfigError(Message("errors.lab.learning_rate"))
        if self.weight_decay < 0 or self.l1 < 0:
            raise ConfigError(Message("errors.lab.penalties"))
        if not 2 <= self.max_len <= 1000:
            raise ConfigError(Message("errors.lab.max_len"))

    def classifier_config(self, variant: str, vocab_size: int, num_classes: int) -> ClassifierConfig:
        cell, bidirectional, pooling = parse_variant(variant)
        return ClassifierConfig(
            vocab_size=vocab_size,
            num_classes=num_classes,
            cell=cell,
            bidirectional=bidirectional,
            pooling=pooling,
            num_layers=self.num_layers,
            embed_size=self.embed_size,
            hidden_size=self.hidden_size,
            dropout=self.dropout,
        )


@dataclass
class ClassifierRun:
    name: str  # "BiLSTM"
    variant: str  # "lstm-bi"
    model: Classifier
    optimizer: torch.optim.Optimizer
    steps: list = field(default_factory=list)
    losses: list = field(default_factory=list)
    eval_steps: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    validation_accuracy: list = field(default_factory=list)
    validation_loss: list = field(default_factory=list)
    best_state: dict | None = None  # a copy of the weights at the best validation accuracy so far
    diverged: str | None = None

    @property
    def best_accuracy(self) -> float:
        return max(self.validation_accuracy, default=-1.0)

    @property
    def best_step(self) -> int:
        """The first evaluation with the best validation accuracy (the one ``best_state`` holds)."""
        if not self.validation_accuracy:
            return 0
        return self.eval_steps[self.validation_accuracy.index(self.best_accuracy)]


class ClassifyLab(SharedBatchLab):
    def __init__(self, config: ClassifyLabConfig, data: LabelledTexts | None = None):
        config.validate()
        self.config = config
        self.data = data if data is not None else load_sentiment_set(config.data)
        self.split: Split = split(self.data)
        if len(self.split.train) < 2 or len(self.split.validation) < 1:
            raise ConfigError(Message("errors.lab.table_too_small"))
        self.label_names = self.data.label_names
        self.tokenizer = Tokenizer.fit(
            self.split.train.texts, TokenizerConfig(kind=config.tokens, num_words=config.num_words)
        )
        self.rng = random.Random(config.seed)
        self.baselines = {"majority class": majority_accuracy(self.split)}
        self.bag_of_words = BagOfWords.fitted(self.split, self.tokenizer)
        self.baselines["bag of words"] = self.bag_of_words.accuracy(
            self.split.validation.texts, self.split.validation.labels
        )
        train_probe = random.Random(config.seed + 1).sample(
            range(len(self.split.train)), min(1000, len(self.split.train))
        )
        self.train_probe = self.split.train.subset(sorted(train_probe))
        self.runs: list[ClassifierRun] = []
        for variant in config.variants:
            classifier_config = config.classifier_config(variant, self.tokenizer.size, len(self.label_names))
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(config.seed)
                model = Classifier(classifier_config)
            # fused: one pass over each tensor (a CPU step of a 1M-value embedding table: 19 ms per-op, 2 ms fused)
            optimizer = torch.optim.Adam(
                model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay, fused=True
            )
            self.runs.append(ClassifierRun(classifier_config.label, variant, model, optimizer))
        self.step_count = 0

    def step(self) -> None:
        indices = self.rng.sample(range(len(self.split.train)), min(self.config.batch_size, len(self.split.train)))
        ids, lengths = self.tokenizer.batch([self.split.train.texts[i] for i in indices], self.config.max_len)
        labels = torch.tensor([self.split.train.labels[i] for i in indices])
        self.step_count += 1
        for run in self.runs:
            if run.diverged:
                continue
            with torch.random.fork_rng(devices=[]):  # the same dropout draws for every variant
                torch.manual_seed(self.config.seed * 1_000_003 + self.step_count)
                run.model.train()
                loss = F.cross_entropy(run.model(ids, lengths), labels)
                if self.config.l1:
                    loss = loss + self.config.l1 * run.model.l1_norm()
                update_variant(run, loss, self.step_count, clip_norm=5.0)
        if self.step_count % self.config.eval_every == 0 or self.step_count == self.config.steps:
            self.evaluate()

    def evaluate(self) -> None:
        for run in self.runs:
            if run.diverged:
                continue
            run.eval_steps.append(self.step_count)
            run.train_accuracy.append(self._accuracy(run.model, self.train_probe)[0])
            accuracy, loss = self._accuracy(run.model, self.split.validation)
            if accuracy > run.best_accuracy:
                run.best_state = {k: v.detach().clone() for k, v in run.model.state_dict().items()}
            run.validation_accuracy.append(accuracy)
            run.validation_loss.append(loss)

    def restore_best(self) -> dict[str, int]:
        """Every variant back to its weights at its best validation accuracy (early stopping chosen on the
        validation split, so the test split stays unseen); returns each variant's best step."""
        for run in self.runs:
            if run.best_state is not None:
                run.model.load_state_dict(run.best_state)
        return {run.name: run.best_step for run in self.runs}

    @torch.no_grad()
    def predictions(self, model: Classifier, data: LabelledTexts) -> torch.Tensor:
        """Class probabilities (N, C) for every text, in batches of similar length."""
        model.eval()
        probabilities = torch.zeros(len(data), len(self.label_names))
        order = sorted(range(len(data)), key=lambda i: len(data.texts[i]))
        for start in range(0, len(order), 256):
            chunk = order[start : start + 256]
            ids, lengths = self.tokenizer.batch([data.texts[i] for i in chunk], self.config.max_len)
            probabilities[chunk] = model(ids, lengths).softmax(-1)
        return probabilities

    def _accuracy(self, model: Classifier, data: LabelledTexts) -> tuple[float, float]:
        probabilities = self.predictions(model, data)
        labels = torch.tensor(data.labels)
        accuracy = float((probabilities.argmax(-1) == labels).float().mean())
        loss = float(F.nll_loss(probabilities.clamp_min(1e-9).log(), labels))
        return accuracy, loss

    def snapshot(self) -> dict:
        return {
            "progress": self.progress,
            "progress_text": t("live.progress", done=self.step_count, total=self.config.steps),
            "step": self.step_count,
            "baselines": dict(self.baselines),
            "label_names": list(self.label_names),
            "data": self.data.name,
            "validation_size": len(self.split.validation),
            "runs": [
                {
                    "name": r.name,
                    "variant": r.variant,
                    "steps": list(r.eval_steps),
                    "train_accuracy": list(r.train_accuracy),
                    "validation_accuracy": list(r.validation_accuracy),
                    "validation_loss": list(r.validation_loss),
                    "loss_steps": r.steps[::5],
                    "losses": r.losses[::5],
                    "diverged": r.diverged,
                }
                for r in self.runs
            ],
        }

    # -- what the page asks of the models as they stand (through the worker, between chunks) ---------------------

    def run_named(self, name: str) -> ClassifierRun:
        return next(r for r in self.runs if r.name == name)

    def confusion(self, name: str) -> list[list[int]]:
        """Rows: true class; columns: predicted class; on the validation split."""
        predicted = self.predictions(self.run_named(name).model, self.split.validation).argmax(-1).tolist()
        size = len(self.label_names)
        matrix = [[0] * size for _ in range(size)]
        for truth, guess in zip(self.split.validation.labels, predicted):
            matrix[truth][guess] += 1
        return matrix

    def mistakes(self, name: str, limit: int = 10) -> list[dict]:
        """Validation sentences the model gets wrong, most confident first."""
        probabilities = self.predictions(self.run_named(name).model, self.split.validation)
        wrong = []
        for i, (row, truth) in enumerate(zip(probabilities.tolist(), self.split.validation.labels)):
            guess = max(range(len(row)), key=row.__getitem__)
            if guess != truth:
                wrong.append(
                    {
                        "text": self.split.validation.texts[i],
                        "label": self.label_names[truth],
                        "predicted": self.label_names[guess],
                        "confidence": row[guess],
                    }
                )
        return sorted(wrong, key=lambda w: -w["confidence"])[:limit]

    def explain(self, text: str) -> list[dict]:
        return [
            {
                **explain_sentence(r.model, self.tokenizer, text, self.label_names, self.config.max_len),
                "step": self.step_count,
            }
            for r in self.runs
        ]

    def negation(self) -> list[dict]:
        return [{"model": r.name, **negation_probe(r.model, self.tokenizer, self.label_names)} for r in self.runs]

    def sentence_map(self, name: str, limit: int = 600) -> dict:
        return sentence_map(
            self.run_named(name).model, self.tokenizer, self.split.validation, self.config.max_len, limit
        )

    def test_accuracies(self) -> dict[str, float]:
        """Accuracy on the test split, every variant and both baselines."""
        test = self.split.test
        labels = torch.tensor(test.labels)
        scores = {
            "majority class": majority_accuracy(self.split, "test"),
            "bag of words": self.bag_of_words.accuracy(test.texts, test.labels),
        }
        for run in self.runs:
            scores[run.name] = float((self.predictions(run.model, test).argmax(-1) == labels).float().mean())
        return scores
