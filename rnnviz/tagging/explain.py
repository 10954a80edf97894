"""What a tagger makes of one sentence, as plain data for the page and the CLI: tags, entities, each character's
tag probabilities, and for each decision how much of the tag's score came from each reading direction.

Also the comparison that shows why bidirectionality matters: held-out entities a left-to-right model misses and a
bidirectional one finds, because the evidence came after the character being tagged.
"""

from __future__ import annotations

import torch

from rnnviz.tagging.bio import TAGS, entities
from rnnviz.tagging.corpus import TaggedSentence
from rnnviz.tagging.model import Tagger, pad_sentences
from rnnviz.tagging.vocab import CharVocab

MAX_TEXT_CHARS = 300


def tag_sentences(model: Tagger, vocab: CharVocab, texts: list[str], batch_size: int = 256) -> list[list[str]]:
    """Every text's predicted tags (empty texts get none)."""
    model.eval()
    results: list[list[str]] = [[] for _ in texts]
    order = sorted((i for i, t in enumerate(texts) if t), key=lambda i: len(texts[i]))  # similar lengths together
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        chars, _, lengths = pad_sentences([vocab.encode(texts[i]) for i in chunk])
        for i, path in zip(chunk, model.decode(chars, lengths)):
            results[i] = [TAGS[k] for k in path]
    return results


def explain_text(model: Tagger, vocab: CharVocab, text: str) -> dict:
    """One sentence, read by one model. ``clamped`` says whether the text was cut to ``MAX_TEXT_CHARS``."""
    text = text.strip()
    clamped = len(text) > MAX_TEXT_CHARS
    text = text[:MAX_TEXT_CHARS]
    result = {"text": text, "clamped": clamped, "unknown": vocab.unknown(text), "label": model.config.label}
    nothing = {
        "tags": [],
        "entities": [],
        "probabilities": [],
        "forward": [],
        "backward": [],
        "bidirectional": model.config.bidirectional,
        "diverged": False,
    }
    if not text:
        return {**result, **nothing}
    model.eval()
    chars, _, lengths = pad_sentences([vocab.encode(text)])
    paths, probabilities = model.predict(chars, lengths)
    if not torch.isfinite(probabilities).all():  # a diverged model: it has no reading to show
        return {**result, **nothing, "diverged": True}
    forward, backward = model.direction_scores(chars, lengths)  # (1, T, K) each
    tags = [TAGS[k] for k in paths[0]]
    chosen = torch.tensor(paths[0])
    # how far each direction pushes the chosen tag above the average tag: the part of the decision it makes
    forward_push = _push(forward[0], chosen)
    backward_push = _push(backward[0], chosen)
    return {
        **result,
        "tags": tags,
        "entities": [e.to_dict() for e in entities(text, tags)],
        "probabilities": probabilities[0, : len(text)].tolist(),  # (T, K)
        "forward": forward_push,
        "backward": backward_push,
        "bidirectional": model.config.bidirectional,
        "diverged": False,
    }


def _push(scores: torch.Tensor, chosen: torch.Tensor) -> list[float]:
    """(T, K) scores -> each character's chosen-tag score minus the mean score over all tags."""
    picked = scores.gather(1, chosen[:, None]).squeeze(1)
    return (picked - scores.mean(1)).tolist()


def compare_directions(
    uni: Tagger, bi: Tagger, vocab: CharVocab, sentences: list[TaggedSentence], limit: int = 20
) -> dict:
    """Gold entities found exactly by both models, by the bidirectional one only, by the unidirectional one only,
    and up to ``limit`` examples of the second kind with what the unidirectional model tagged there."""
    texts = [s.text for s in sentences]
    uni_tags = tag_sentences(uni, vocab, texts)
    bi_tags = tag_sentences(bi, vocab, texts)
    counts = {"gold": 0, "both": 0, "only_bidirectional": 0, "only_unidirectional": 0}
    examples = []
    for sentence, uni_row, bi_row in zip(sentences, uni_tags, bi_tags):
        found_uni = {(e.kind, e.start, e.end) for e in entities(sentence.text, uni_row)}
        found_bi = {(e.kind, e.start, e.end) for e in entities(sentence.text, bi_row)}
        for gold in entities(sentence.text, list(sentence.tags)):
            key = (gold.kind, gold.start, gold.end)
            by_uni, by_bi = key in found_uni, key in found_bi
            counts["gold"] += 1
            counts["both"] += by_uni and by_bi
            counts["only_unidirectional"] += by_uni and not by_bi
            counts["only_bidirectional"] += by_bi and not by_uni
            if by_bi and not by_uni and len(examples) < limit:
                examples.append(
                    {
                        "sentence": sentence.text,
                        "entity": gold.text,
                        "kind": gold.kind,
                        "start": gold.start,
                        "end": gold.end,
                        "unidirectional_tags": " ".join(uni_row[gold.start : gold.end]),
                    }
                )
    return {**counts, "examples": examples}


def direction_misses(
    uni: Tagger, bi: Tagger, vocab: CharVocab, sentences: list[TaggedSentence], limit: int = 20
) -> list[dict]:
    """Gold entities the bidirectional model finds exactly and the unidirectional one does not, with what the
    unidirectional model tagged there."""
    return compare_directions(uni, bi, vocab, sentences, limit)["examples"]


def with_gold(sentences: list[TaggedSentence], first: list[str], limit: int = 40) -> list[dict]:
    """Up to ``limit`` sentences with entities, each with its gold entities: the texts in ``first`` (those found
    among ``sentences``) first, then every fourth of the rest."""
    by_text = {s.text: s for s in sentences}
    chosen = [t for t in dict.fromkeys(first) if t in by_text]
    chosen += [s.text for s in sentences[::4] if any(t != "O" for t in s.tags) and s.text not in chosen]
    return [{"text": t, "entities": [e.to_dict() for e in entities(t, list(by_text[t].tags))]} for t in chosen[:limit]]
