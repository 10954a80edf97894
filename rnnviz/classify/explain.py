"""What a classifier makes of one sentence, as plain data: the answer; for a left-to-right model, the probability
after each word as it reads; each word's saliency (gradient x input) and integrated gradients; the attention
weights where it pools by attention. Also the negation probe and the held-out sentences mapped to 2-D.

Integrated gradients (Sundararajan et al. 2017) go from an all-zero embedding to the sentence's in ``IG_STEPS``
steps (the midpoint rule): the attributions add up to f(sentence) - f(zeros), which ``completeness_gap`` reports.
"""

from __future__ import annotations

import numpy as np
import torch

from rnnviz.classify.data import LabelledTexts
from rnnviz.classify.model import Classifier
from rnnviz.tokens import Tokenizer

IG_STEPS = 32
NEGATION_PAIRS = (
    ("good", "not good"),
    ("bad", "not bad"),
    ("a great film", "not a great film"),
    ("i liked it", "i did not like it"),
    ("funny", "never funny"),
)


def target_class(label_names: tuple[str, ...]) -> int:
    """The class the page's probabilities speak of: "positive" where there is one, else the second class."""
    return label_names.index("positive") if "positive" in label_names else min(1, len(label_names) - 1)


def explain_sentence(
    model: Classifier, tokenizer: Tokenizer, text: str, label_names: tuple[str, ...], max_len: int = 60
) -> dict:
    tokens = tokenizer.split(text)
    clamped = len(tokens) > max_len
    tokens = tokens[:max_len]
    target = target_class(label_names)
    base = {
        "label": model.config.label,
        "label_names": list(label_names),
        "tokens": tokens,
        "clamped": clamped,
        "target": label_names[target],
        "token_kind": tokenizer.config.kind,
        "unknown": [t for t in dict.fromkeys(tokens) if t not in tokenizer.stoi],
    }
    nothing = {
        "probabilities": [],
        "predicted": None,
        "prefix": None,
        "saliency": [],
        "integrated": [],
        "completeness_gap": None,
        "attention": None,
        "diverged": False,
    }
    if not tokens:
        return {**base, **nothing}
    model.eval()
    ids = torch.tensor([[tokenizer.stoi.get(t, 1) for t in tokens]])  # (1, T)
    lengths = torch.tensor([len(tokens)])
    with torch.no_grad():
        probabilities = model(ids, lengths).softmax(-1)[0]
        _, attention = model.sentence_vectors(ids, lengths)
    if not torch.isfinite(probabilities).all():  # a diverged model: it has no answer to explain
        return {**base, **nothing, "diverged": True}
    saliency, integrated, gap = attributions(model, ids, lengths, target)
    return {
        **base,
        "probabilities": probabilities.tolist(),
        "predicted": label_names[int(probabilities.argmax())],
        "prefix": None if model.config.bidirectional else prefix_probabilities(model, ids, target),
        "saliency": saliency,
        "integrated": integrated,
        "completeness_gap": gap,
        "attention": None if attention is None else attention[0].tolist(),
        "diverged": False,
    }


@torch.no_grad()
def prefix_probabilities(model: Classifier, ids: torch.Tensor, target: int) -> list[float]:
    """P(target) after reading the first 1, 2, ..., T tokens: what a left-to-right model thinks as it reads."""
    length = ids.shape[1]
    prefixes = ids.expand(length, -1).clone()  # (T, T): row t holds the first t+1 tokens
    lengths = torch.arange(1, length + 1)
    return model(prefixes, lengths).softmax(-1)[:, target].tolist()


def attributions(
    model: Classifier, ids: torch.Tensor, lengths: torch.Tensor, target: int
) -> tuple[list[float], list[float], float]:
    """Per token: gradient x input, integrated gradients (summed over the embedding), and how far the integrated
    gradients' sum is from f(x) - f(0), relative to it."""
    embedded = model.embedding(ids).detach()  # (1, T, E)
    embedded.requires_grad_(True)
    logit = model.forward_embedded(embedded, lengths)[0, target]
    (gradient,) = torch.autograd.grad(logit, embedded)
    saliency = (gradient * embedded).sum(-1)[0]  # (T,)
    alphas = (torch.arange(IG_STEPS, dtype=torch.float32) + 0.5) / IG_STEPS  # the midpoint rule
    path = (alphas[:, None, None] * embedded.detach()).requires_grad_(True)  # (S, T, E)
    logits = model.forward_embedded(path, lengths.expand(IG_STEPS))[:, target]
    (path_gradients,) = torch.autograd.grad(logits.sum(), path)
    integrated = (embedded.detach()[0] * path_gradients.mean(0)).sum(-1)  # (T,)
    with torch.no_grad():
        zero = model.forward_embedded(torch.zeros_like(embedded), lengths)[0, target]
        change = float(logit.detach() - zero)
    gap = abs(float(integrated.sum()) - change) / max(abs(change), 1e-6)
    return saliency.tolist(), integrated.tolist(), gap


@torch.no_grad()
def negation_probe(model: Classifier, tokenizer: Tokenizer, label_names: tuple[str, ...]) -> dict:
    """P(target) for each phrase and its negation: does the model read "not"?"""
    model.eval()
    target = target_class(label_names)
    phrases = [phrase for pair in NEGATION_PAIRS for phrase in pair]
    ids, lengths = tokenizer.batch(phrases, 20)
    probabilities = model(ids, lengths).softmax(-1)[:, target].tolist()
    return {
        "target": label_names[target],
        "pairs": [
            {"phrase": a, "negated": b, "p_phrase": probabilities[2 * i], "p_negated": probabilities[2 * i + 1]}
            for i, (a, b) in enumerate(NEGATION_PAIRS)
        ],
    }


@torch.no_grad()
def sentence_map(model: Classifier, tokenizer: Tokenizer, data: LabelledTexts, max_len: int, limit: int = 600) -> dict:
    """The first ``limit`` sentences' vectors (what the output layer reads) projected on their two principal
    components, with each sentence's label and text."""
    model.eval()
    texts = list(data.texts[:limit])
    ids, lengths = tokenizer.batch(texts, max_len)
    vectors, _ = model.sentence_vectors(ids, lengths)
    if not torch.isfinite(vectors).all():  # a diverged model: no map to draw
        return {"x": [], "y": [], "texts": [], "labels": [], "explained": [0.0, 0.0], "diverged": True}
    centred = vectors.numpy() - vectors.numpy().mean(0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    points = centred @ components[:2].T  # (N, 2)
    explained = (singular[:2] ** 2 / max(float((singular**2).sum()), 1e-12)).tolist()
    return {
        "x": points[:, 0].tolist(),
        "y": points[:, 1].tolist(),
        "texts": texts,
        "labels": [data.label_names[i] for i in data.labels[:limit]],
        "explained": explained,
        "diverged": False,
    }
