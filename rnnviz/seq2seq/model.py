"""An encoder-decoder with attention, one class for every variant.

Encoder: embedding -> GRU or LSTM (optionally bidirectional). Decoder, one step at a time:
the previous decoder state h_{t-1} queries the encoder outputs (padding masked out) for a
context vector; the GRU/LSTM reads [embedding of y_{t-1}; context]; the output layer reads
[h_t; context]. Scores: Bahdanau (additive, v^T tanh(W_q q + W_k k)), Luong dot (q . k),
Luong general (q^T W k), or none (the baseline: the decoder only gets the encoder's final state).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from rnnviz.charlm.model import ConfigError
from rnnviz.i18n import Message
from rnnviz.seq2seq.tasks import EOS, PAD, SOS, Seq2SeqVocab, pad_batch

ATTENTIONS = ("bahdanau", "luong-dot", "luong-general", "none")
SEQ2SEQ_CELLS = ("gru", "lstm")


@dataclass(frozen=True, kw_only=True)
class Seq2SeqConfig:
    vocab_size: int
    cell: str = "gru"
    attention: str = "bahdanau"
    hidden_size: int = 128
    embed_size: int = 32
    bidirectional: bool = True

    def __post_init__(self):
        if self.cell not in SEQ2SEQ_CELLS:
            raise ConfigError(Message("errors.config.seq2seq_cell"))
        if self.attention not in ATTENTIONS:
            raise ConfigError(Message("errors.config.attention", names=", ".join(ATTENTIONS)))

    def to_dict(self) -> dict:
        return asdict(self)


class Attention(nn.Module):
    def __init__(self, kind: str, query_size: int, key_size: int):
        super().__init__()
        self.kind = kind
        if kind == "bahdanau":
            self.w_query = nn.Linear(query_size, query_size, bias=False)
            self.w_key = nn.Linear(key_size, query_size, bias=False)
            self.v = nn.Linear(query_size, 1, bias=False)
        elif kind == "luong-general":
            self.w = nn.Linear(key_size, query_size, bias=False)
        elif kind == "luong-dot" and query_size != key_size:
            self.w = nn.Linear(key_size, query_size, bias=False)  # dot needs equal sizes

    def forward(self, query, keys, projected_keys, mask):
        """query (B, Q), keys (B, S, K), mask (B, S) True where real -> weights (B, S), context (B, K)."""
        if self.kind == "bahdanau":
            scores = self.v(torch.tanh(self.w_query(query)[:, None] + projected_keys)).squeeze(-1)  # (B, S)
        else:
            scores = (projected_keys @ query[:, :, None]).squeeze(-1)  # (B, S)
        scores = scores.masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        return weights, (weights[:, :, None] * keys).sum(dim=1)

    def project(self, keys):
        if self.kind == "bahdanau":
            return self.w_key(keys)
        return self.w(keys) if hasattr(self, "w") else keys


class Seq2Seq(nn.Module):
    def __init__(self, config: Seq2SeqConfig):
        super().__init__()
        self.config = config
        h, e = config.hidden_size, config.embed_size
        rnn = nn.GRU if config.cell == "gru" else nn.LSTM
        directions = 2 if config.bidirectional else 1
        self.embed = nn.Embedding(config.vocab_size, e, padding_idx=PAD)
        self.encoder = rnn(e, h, batch_first=True, bidirectional=config.bidirectional)
        key_size = h * directions
        self.bridge = nn.Linear(key_size, h)
        self.uses_attention = config.attention != "none"
        self.attention = Attention(config.attention, h, key_size) if self.uses_attention else None
        context_size = key_size if self.uses_attention else 0
        self.decoder = (nn.GRUCell if config.cell == "gru" else nn.LSTMCell)(e + context_size, h)
        self.out = nn.Linear(h + context_size, config.vocab_size)

    def encode(self, src):
        """src (B, S) -> keys (B, S, K), mask (B, S), initial decoder state."""
        mask = src != PAD
        lengths = mask.sum(dim=1).clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.embed(src), lengths, batch_first=True, enforce_sorted=False)
        packed_out, state = self.encoder(packed)
        keys, _ = nn.utils.rnn.pad_packed_sequence(packed_out, batch_first=True, total_length=src.shape[1])
        final_h = state[0] if isinstance(state, tuple) else state  # (D, B, H)
        summary = torch.cat(list(final_h), dim=-1)  # (B, D*H)
        h0 = torch.tanh(self.bridge(summary))  # (B, H)
        decoder_state = (h0, torch.zeros_like(h0)) if self.config.cell == "lstm" else h0
        return keys, mask, decoder_state

    def step(self, token, state, keys, projected, mask):
        """One decoder step: token (B,) -> logits (B, V), new state, attention weights (B, S) or None."""
        h_prev = state[0] if isinstance(state, tuple) else state
        emb = self.embed(token)
        weights = None
        if self.uses_attention:
            weights, context = self.attention(h_prev, keys, projected, mask)
            state = self.decoder(torch.cat([emb, context], dim=-1), state)
            h = state[0] if isinstance(state, tuple) else state
            logits = self.out(torch.cat([h, context], dim=-1))
        else:
            state = self.decoder(emb, state)
            h = state[0] if isinstance(state, tuple) else state
            logits = self.out(h)
        return logits, state, weights

    def forward(self, src, tgt, teacher_forcing: float = 1.0, generator: torch.Generator | None = None):
        """src (B, S), tgt (B, T) ending in </s> -> logits (B, T, V), attention (B, T, S)."""
        keys, mask, state = self.encode(src)
        projected = self.attention.project(keys) if self.uses_attention else None
        token = torch.full((src.shape[0],), SOS, dtype=torch.long, device=src.device)
        all_logits, all_weights = [], []
        for t in range(tgt.shape[1]):
            logits, state, weights = self.step(token, state, keys, projected, mask)
            all_logits.append(logits)
            if weights is not None:
                all_weights.append(weights)
            use_truth = teacher_forcing >= 1.0 or (
                teacher_forcing > 0 and float(torch.rand(1, generator=generator)) < teacher_forcing
            )
            token = tgt[:, t] if use_truth else logits.argmax(-1)
        attention = torch.stack(all_weights, dim=1) if all_weights else None
        return torch.stack(all_logits, dim=1), attention

    @torch.no_grad()
    def greedy(self, src, max_len: int = 16):
        """src (B, S) -> tokens (B, T), attention (B, T, S) or None."""
        self.eval()
        keys, mask, state = self.encode(src)
        projected = self.attention.project(keys) if self.uses_attention else None
        token = torch.full((src.shape[0],), SOS, dtype=torch.long, device=src.device)
        tokens, weights_all = [], []
        finished = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
        for _ in range(max_len):
            logits, state, weights = self.step(token, state, keys, projected, mask)
            token = logits.argmax(-1)
            tokens.append(token)
            if weights is not None:
                weights_all.append(weights)
            finished |= token == EOS
            if bool(finished.all()):
                break
        attention = torch.stack(weights_all, dim=1) if weights_all else None
        return torch.stack(tokens, dim=1), attention

    @torch.no_grad()
    def beam_search(self, src, width: int = 5, max_len: int = 16) -> list[dict]:
        """One source (1, S) -> the final beam, best first: [{tokens, score (sum of log-probs), attention}]."""
        self.eval()
        keys, mask, state = self.encode(src)
        projected = self.attention.project(keys) if self.uses_attention else None
        beams = [{"tokens": [], "score": 0.0, "state": state, "attention": [], "done": False}]
        for _ in range(max_len):
            candidates = []
            for beam in beams:
                if beam["done"]:
                    candidates.append(beam)
                    continue
                token = torch.tensor([beam["tokens"][-1] if beam["tokens"] else SOS], device=src.device)
                logits, new_state, weights = self.step(token, beam["state"], keys, projected, mask)
                log_probs = F.log_softmax(logits[0], dim=-1)
                top = log_probs.topk(width)
                for lp, idx in zip(top.values.tolist(), top.indices.tolist()):
                    candidates.append(
                        {
                            "tokens": beam["tokens"] + [idx],
                            "score": beam["score"] + lp,
                            "state": new_state,
                            "attention": beam["attention"] + ([weights[0]] if weights is not None else []),
                            "done": idx == EOS,
                        }
                    )
            beams = sorted(candidates, key=lambda b: -b["score"])[:width]
            if all(b["done"] for b in beams):
                break
        return [
            {
                "tokens": b["tokens"],
                "score": b["score"],
                "attention": torch.stack(b["attention"]) if b["attention"] else None,
            }
            for b in beams
        ]


def translate(model: Seq2Seq, vocab: Seq2SeqVocab, text: str, width: int = 1, max_len: int = 24) -> dict:
    """Decode one input with beam search (width 1: greedy), as plain data for a page.

    Returns {"source": the characters read, "skipped": those the model cannot read, "output", "candidates":
    [(text, log-probability)] best first, "attention": (T, S) list of lists or None}.
    """
    ids = vocab.encode(text)
    result = {
        "source": "".join(vocab.itos[i] for i in ids),
        "skipped": vocab.unknown(text),
        "output": "",
        "candidates": [],
        "attention": None,
    }
    if not ids:
        return result
    beams = model.beam_search(pad_batch([ids]), width=width, max_len=max_len)
    best = beams[0]
    result["output"] = vocab.decode(best["tokens"])
    result["candidates"] = [(vocab.decode(b["tokens"]), float(b["score"])) for b in beams]
    result["attention"] = best["attention"].tolist() if best["attention"] is not None else None
    return result
