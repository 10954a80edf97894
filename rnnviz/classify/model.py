"""The sentence classifier: embedding -> RNN (tanh/relu), LSTM or GRU, 1-2 layers, one or both directions ->
pooling over the states -> dropout -> linear.

Pooling: ``last`` (the final state; for a bidirectional layer the forward state after the last token joined with the
backward state after the first), ``mean`` and ``max`` over the real tokens, or ``attention`` (additive: a score per
token, softmax over the real tokens, the weighted sum). No state reads the padding (``recurrent.read_sentences``)
and every pooling masks it, so a padded batch gives each sentence its own result (tested to 1e-6).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from rnnviz.cells import BY_KEY
from rnnviz.charlm.model import ConfigError
from rnnviz.i18n import Message
from rnnviz.recurrent import model_label, read_sentences, recurrent_layer, size_problem
from rnnviz.tokens import PAD

CLASSIFIER_CELLS = tuple(BY_KEY)  # rnn, rnn-relu, lstm, gru
POOLINGS = ("last", "mean", "max", "attention")


@dataclass(frozen=True, kw_only=True)
class ClassifierConfig:
    vocab_size: int
    num_classes: int = 2
    cell: str = "lstm"
    bidirectional: bool = False
    num_layers: int = 1
    pooling: str = "last"
    embed_size: int = 64
    hidden_size: int = 64  # per direction
    dropout: float = 0.3

    def __post_init__(self):
        problem = size_problem(self.cell, self.num_layers, self.hidden_size, self.embed_size, self.dropout)
        if problem:
            raise ConfigError(problem)
        if self.pooling not in POOLINGS:
            raise ConfigError(Message("errors.config.pooling", names=", ".join(POOLINGS)))
        if self.num_classes < 2:
            raise ConfigError(Message("errors.config.two_classes"))

    @property
    def label(self) -> str:
        """ "BiLSTM + attention", "GRU", "RNN (relu) + max"..."""
        suffix = "" if self.pooling == "last" else f" + {self.pooling}"
        return model_label(self.cell, self.bidirectional) + suffix

    def to_dict(self) -> dict:
        return asdict(self)


class Classifier(nn.Module):
    def __init__(self, config: ClassifierConfig):
        super().__init__()
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.embed_size, padding_idx=PAD)
        self.rnn = recurrent_layer(
            config.cell, config.embed_size, config.hidden_size, config.num_layers, config.bidirectional, config.dropout
        )
        width = (2 if config.bidirectional else 1) * config.hidden_size
        if config.pooling == "attention":
            self.attention_hidden = nn.Linear(width, width)
            self.attention_score = nn.Linear(width, 1, bias=False)
        self.dropout = nn.Dropout(config.dropout)
        self.output = nn.Linear(width, config.num_classes)

    def encode(self, embedded: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Embedded tokens (B, T, E) -> the sentence vector (B, D*H) and the attention weights (B, T) or None."""
        states, h_n = read_sentences(self.rnn, embedded, lengths)  # (B, T, D*H), (L*D, B, H)
        mask = torch.arange(embedded.shape[1], device=embedded.device)[None, :] < lengths.to(embedded.device)[:, None]
        pooling = self.config.pooling
        if pooling == "last":
            if self.config.bidirectional:
                return torch.cat([h_n[-2], h_n[-1]], dim=-1), None  # forward after the last, backward after the first
            return h_n[-1], None
        if pooling == "mean":
            return (states * mask[..., None]).sum(1) / lengths.to(states)[:, None], None
        if pooling == "max":
            return states.masked_fill(~mask[..., None], float("-inf")).max(1).values, None
        scores = self.attention_score(torch.tanh(self.attention_hidden(states))).squeeze(-1)  # (B, T)
        weights = scores.masked_fill(~mask, float("-inf")).softmax(-1)
        return (weights[..., None] * states).sum(1), weights

    def forward_embedded(self, embedded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Logits (B, C) from embeddings: what saliency and integrated gradients differentiate."""
        vector, _ = self.encode(self.dropout(embedded), lengths)
        return self.output(self.dropout(vector))

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Token ids (B, T) and lengths (B,) -> logits (B, C)."""
        return self.forward_embedded(self.embedding(ids), lengths)

    @torch.no_grad()
    def sentence_vectors(self, ids: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        return self.encode(self.embedding(ids), lengths)

    def l1_norm(self) -> torch.Tensor:
        """The sum of |w| over every weight matrix (biases left out): the L1 penalty's measure."""
        return sum(p.abs().sum() for name, p in self.named_parameters() if "bias" not in name)
