"""Full-split check of every shipped checkpoint against its model card, and its load time.

    python bench/eval_pretrained.py        (tiny shakespeare is downloaded once if not cached)

Prints the validation loss recomputed on the whole last 10% (the method of ``rnnviz eval``)
beside the card's figure, and the time to load each file on this machine.
"""

from __future__ import annotations

import time

from rnnviz.charlm.checkpoint import load_checkpoint
from rnnviz.charlm.corpora import load_corpus
from rnnviz.charlm.evaluation import evaluate_loss
from rnnviz.charlm.vocab import split_train_val
from rnnviz.pretrained import list_pretrained


def main() -> int:
    worst = 0.0
    for info in list_pretrained():
        started = time.perf_counter()
        ckpt = load_checkpoint(info.path)
        load_s = time.perf_counter() - started
        corpus = load_corpus(info.card["corpus"])
        _, val = split_train_val(ckpt.vocab.encode(corpus.text, unknown="skip"))
        loss = evaluate_loss(ckpt.model, val)
        gap = abs(loss - info.card["val_loss_nats"])
        worst = max(worst, gap)
        print(
            f"{info.name:22s} load {load_s * 1000:6.0f} ms   val {loss:.4f} nats/{ckpt.vocab.unit}"
            f"   card {info.card['val_loss_nats']:.4f}"
            f"   |diff| {gap:.4f}   sha256 {'ok' if corpus.sha256 == info.card['corpus_sha256'] else 'DIFFERS'}"
        )
    return 0 if worst < 0.02 else 1


if __name__ == "__main__":
    raise SystemExit(main())
