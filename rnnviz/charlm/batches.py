"""A corpus made ready for training: vocabulary, token ids, split, and batches.

Batches are drawn from a generator seeded independently of the model, so every cell of a
comparison sees exactly the same windows in the same order (same seed, same data).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from rnnviz.charlm.corpora import Corpus
from rnnviz.charlm.model import ConfigError
from rnnviz.charlm.vocab import Vocab, build_vocab, split_train_val
from rnnviz.i18n import Message

BPTT_MODES = ("random", "stateful")


@dataclass
class CorpusData:
    name: str
    sha256: str
    vocab: Vocab
    train_ids: torch.Tensor  # (N_train,)
    val_ids: torch.Tensor  # (N_val,)

    @classmethod
    def from_corpus(cls, corpus: Corpus, vocab: Vocab | None = None, tokens: str = "chars") -> CorpusData:
        """The corpus as token ids split 90/10; ``tokens`` ("chars" or "words") when no ``vocab`` is given.

        A word vocabulary is counted on the whole text, as a character vocabulary is: the split only decides
        which tokens are scored, and a held-out word outside the 10,000 most frequent is ``<unk>`` either way."""
        vocab = vocab or build_vocab(corpus.text, tokens)
        ids = vocab.encode(corpus.text, unknown="skip")
        train, val = split_train_val(ids)
        return cls(corpus.name, corpus.sha256, vocab, train, val)

    @property
    def tokens(self) -> str:
        return self.vocab.kind

    def baseline_sequences(self) -> tuple[str | tuple[int, ...], str | tuple[int, ...]]:
        """The training and validation parts as the n-gram baselines count them: strings of characters, or tuples
        of word-token ids (so the baselines are scored on the very tokens the models predict)."""
        if self.vocab.kind == "chars":
            return self.vocab.decode(self.train_ids.tolist()), self.vocab.decode(self.val_ids.tolist())
        return tuple(self.train_ids.tolist()), tuple(self.val_ids.tolist())


class BatchSource:
    """Training windows (x, y), each (B, T), with y shifted by one character.

    ``random``: each row starts at a random offset (windows are independent; state resets).
    ``stateful``: the training text is cut into B parallel streams read in order, so the
    hidden state can be carried from one window to the next (truncated BPTT as in char-rnn).
    """

    def __init__(self, ids: torch.Tensor, batch_size: int, seq_len: int, mode: str = "random", seed: int = 0):
        if mode not in BPTT_MODES:
            raise ConfigError(f"bptt mode must be random or stateful, not {mode!r}")
        if seq_len < 1 or batch_size < 1:
            raise ConfigError("sequence length and batch size must be at least 1.")
        if len(ids) < seq_len + 2:
            raise ConfigError(Message("errors.batches.too_short", n=len(ids), seq_len=seq_len))
        if mode == "stateful" and len(ids) // batch_size < seq_len + 1:
            raise ConfigError(
                Message("errors.batches.streams", batch=batch_size, n=len(ids) // batch_size, seq_len=seq_len)
            )
        self.ids = ids
        self.batch_size = batch_size
        self.seq_len = seq_len
        self.mode = mode
        self.generator = torch.Generator().manual_seed(seed)
        self.position = 0
        if mode == "stateful":
            stream = len(ids) // batch_size
            self.streams = ids[: stream * batch_size].view(batch_size, stream)  # (B, S)

    @property
    def starts_new_sequence(self) -> bool:
        """True when the next batch does not continue the previous one (state must reset)."""
        return self.mode == "random" or self.position == 0

    def next_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        t = self.seq_len
        if self.mode == "random":
            starts = torch.randint(0, len(self.ids) - t - 1, (self.batch_size,), generator=self.generator)
            offsets = starts[:, None] + torch.arange(t + 1)  # (B, T+1)
            window = self.ids[offsets]
        else:
            if self.position + t + 1 > self.streams.shape[1]:
                self.position = 0
            window = self.streams[:, self.position : self.position + t + 1]  # (B, T+1)
            self.position += t
            if self.position + t + 1 > self.streams.shape[1]:
                self.position = 0
        return window[:, :-1], window[:, 1:]
