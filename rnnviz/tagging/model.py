"""The character tagger: embedding -> RNN, LSTM or GRU (1-2 layers, one or both directions) -> a linear layer
that scores every tag for every character -> optionally a CRF over the whole sentence.

Padding never reaches a state (``recurrent.read_sentences``), so each sentence in a padded batch
gets exactly its own result (tested to 1e-6). Without a CRF each character's tag is the arg-max of its own
softmax; with one, the best path over the sentence under the BIO rule.

For a bidirectional layer the output layer reads [forward state; backward state], so each tag's score is exactly
W_f h_f + W_b h_b + b: ``direction_scores`` returns the two parts, which is how the page shows how much each
direction contributes to a decision.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from rnnviz.cells import BY_KEY
from rnnviz.charlm.model import ConfigError
from rnnviz.recurrent import model_label, read_sentences, recurrent_layer, size_problem
from rnnviz.tagging.bio import TAGS, allowed_transitions
from rnnviz.tagging.crf import CRF
from rnnviz.tagging.vocab import PAD

TAGGER_CELLS = tuple(BY_KEY)  # rnn, rnn-relu, lstm, gru


@dataclass(frozen=True, kw_only=True)
class TaggerConfig:
    vocab_size: int
    cell: str = "lstm"
    bidirectional: bool = True
    crf: bool = False
    num_layers: int = 1
    embed_size: int = 64
    hidden_size: int = 128  # per direction
    dropout: float = 0.1

    def __post_init__(self):
        problem = size_problem(self.cell, self.num_layers, self.hidden_size, self.embed_size, self.dropout)
        if problem:
            raise ConfigError(problem)

    @property
    def label(self) -> str:
        """ "BiLSTM+CRF", "GRU", "RNN (relu)"..."""
        return model_label(self.cell, self.bidirectional) + ("+CRF" if self.crf else "")

    def to_dict(self) -> dict:
        return asdict(self)


class Tagger(nn.Module):
    def __init__(self, config: TaggerConfig):
        super().__init__()
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.embed_size, padding_idx=PAD)
        self.rnn = recurrent_layer(
            config.cell, config.embed_size, config.hidden_size, config.num_layers, config.bidirectional, config.dropout
        )
        self.dropout = nn.Dropout(config.dropout)
        directions = 2 if config.bidirectional else 1
        self.output = nn.Linear(directions * config.hidden_size, len(TAGS))
        self.crf = CRF(len(TAGS), *allowed_transitions()) if config.crf else None

    def states(self, chars: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """The last layer's states, (B, T, D*H): forward then backward halves; zeros past each sentence's end."""
        embedded = self.dropout(self.embedding(chars))  # (B, T, E)
        states, _ = read_sentences(self.rnn, embedded, lengths)
        return states  # (B, T, D*H)

    def forward(self, chars: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Emission scores, (B, T, K)."""
        return self.output(self.dropout(self.states(chars, lengths)))

    def loss(self, chars: torch.Tensor, tags: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Mean negative log-likelihood: per sentence with a CRF, per character without."""
        emissions = self(chars, lengths)  # (B, T, K)
        mask = chars != PAD
        if self.crf is not None:
            return self.crf.neg_log_likelihood(emissions, tags, mask)
        return F.cross_entropy(emissions[mask], tags[mask])

    @torch.no_grad()
    def decode(self, chars: torch.Tensor, lengths: torch.Tensor) -> list[list[int]]:
        """Each sentence's tag indices (its own length): the best path with a CRF, else each arg-max."""
        emissions = self(chars, lengths)
        if self.crf is not None:
            return self.crf.viterbi(emissions, chars != PAD)
        best = emissions.argmax(-1).tolist()
        return [row[:n] for row, n in zip(best, lengths.tolist())]

    @torch.no_grad()
    def predict(self, chars: torch.Tensor, lengths: torch.Tensor) -> tuple[list[list[int]], torch.Tensor]:
        """Each sentence's tag indices (its own length) and every character's tag probabilities (B, T, K):
        CRF marginals over all paths, or the softmax."""
        emissions = self(chars, lengths)
        mask = chars != PAD
        if self.crf is not None:
            return self.crf.viterbi(emissions, mask), self.crf.marginals(emissions, mask)
        best = emissions.argmax(-1).tolist()
        return [row[:n] for row, n in zip(best, lengths.tolist())], emissions.softmax(-1)

    @torch.no_grad()
    def direction_scores(self, chars: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(W_f h_f, W_b h_b + b), each (B, T, K): the forward and backward parts of every tag's score. A
        unidirectional model's backward part is just the bias."""
        states = self.states(chars, lengths)  # (B, T, D*H)
        hidden = self.config.hidden_size
        weight, bias = self.output.weight, self.output.bias  # (K, D*H), (K,)
        forward = states[..., :hidden] @ weight[:, :hidden].T
        if not self.config.bidirectional:
            return forward, bias.expand_as(forward)
        return forward, states[..., hidden:] @ weight[:, hidden:].T + bias


def pad_sentences(encoded: list[list[int]], tags: list[list[int]] | None = None):
    """Padded (B, T) character ids, (B, T) tag ids (``O`` as padding) and (B,) lengths."""
    lengths = torch.tensor([len(row) for row in encoded])
    width = int(lengths.max()) if len(encoded) else 0
    chars = torch.full((len(encoded), width), PAD, dtype=torch.long)
    tag_ids = torch.zeros((len(encoded), width), dtype=torch.long)
    for row, ids in enumerate(encoded):
        chars[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        if tags is not None:
            tag_ids[row, : len(ids)] = torch.tensor(tags[row], dtype=torch.long)
    return chars, tag_ids, lengths
