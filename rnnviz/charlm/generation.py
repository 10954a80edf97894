"""Text generation with every sampling knob, as a stream of tokens (characters, or words).

``stream_generate`` yields one ``GeneratedChar`` per step with the probability the model gave
it and the top-k alternatives, so a page can colour text by confidence as it appears. A word
token comes with the space that goes before it, so the pieces join into readable text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import torch

from rnnviz.charlm.model import CharRNN, ConfigError
from rnnviz.charlm.vocab import Vocab
from rnnviz.i18n import Message


@dataclass(frozen=True, kw_only=True)
class SamplingConfig:
    length: int = 200
    temperature: float = 1.0  # 0 means greedy
    top_k: int | None = None
    top_p: float | None = None
    greedy: bool = False
    seed: int = 0
    alternatives: int = 5  # how many top candidates to report per step

    def __post_init__(self):
        if self.length < 0:
            raise ConfigError(Message("errors.config.length"))
        if self.temperature < 0:
            raise ConfigError(Message("errors.config.temperature"))
        if self.top_k is not None and self.top_k < 1:
            raise ConfigError(Message("errors.config.top_k"))
        if self.top_p is not None and not 0 < self.top_p <= 1:
            raise ConfigError(Message("errors.config.top_p"))


@dataclass(frozen=True)
class GeneratedChar:
    char: str  # the token as it reads in the text (a word with the space before it)
    prob: float  # the model's probability of this token (temperature 1, no filtering)
    sample_prob: float  # its probability under the filtered sampling distribution
    alternatives: list[tuple[str, float]] = field(default_factory=list)  # model's top-k (token, prob)


def filter_distribution(logits: torch.Tensor, config: SamplingConfig) -> torch.Tensor:
    """logits (V,) -> the sampling distribution (V,) after temperature, top-k and top-p."""
    if config.greedy or config.temperature == 0:
        probs = torch.zeros_like(logits)
        probs[int(torch.argmax(logits))] = 1.0
        return probs
    probs = torch.softmax(logits / config.temperature, dim=-1)
    if config.top_k is not None and config.top_k < probs.numel():
        kth = torch.topk(probs, config.top_k).values[-1]
        probs = torch.where(probs >= kth, probs, torch.zeros_like(probs))
    if config.top_p is not None and config.top_p < 1.0:
        sorted_probs, order = torch.sort(probs, descending=True)
        cumulative = torch.cumsum(sorted_probs, dim=-1) / sorted_probs.sum()
        keep_sorted = cumulative - sorted_probs / sorted_probs.sum() < config.top_p  # always keeps the first
        keep = torch.zeros_like(probs, dtype=torch.bool)
        keep[order[keep_sorted]] = True
        probs = torch.where(keep, probs, torch.zeros_like(probs))
    return probs / probs.sum()


@torch.no_grad()
def stream_generate(model: CharRNN, vocab: Vocab, prompt: str, config: SamplingConfig) -> Iterator[GeneratedChar]:
    """Feed ``prompt`` (unknown characters skipped; unknown words read as ``<unk>``), then sample
    ``config.length`` tokens."""
    model.eval()
    device = next(model.parameters()).device
    ids = vocab.encode(prompt, unknown="skip")
    if len(ids) == 0:
        ids = torch.tensor([vocab.start_id])
    previous = int(ids[-1]) if prompt.strip() else None
    generator = torch.Generator().manual_seed(config.seed)
    logits, state = model(ids.to(device)[None, :])  # (1, T, V)
    last = logits[0, -1].float().cpu()  # (V,)
    k = min(config.alternatives, vocab.size)
    never = torch.tensor(vocab.never_sampled, dtype=torch.long)  # e.g. <pad>: the model's probability is still shown
    for _ in range(config.length):
        model_probs = torch.softmax(last, dim=-1)
        sampling = filter_distribution(last.index_fill(0, never, float("-inf")), config)
        choice = int(torch.multinomial(sampling, 1, generator=generator))
        top = torch.topk(model_probs, k)
        yield GeneratedChar(
            vocab.piece_after(previous, choice),
            float(model_probs[choice]),
            float(sampling[choice]),
            [(vocab.token(int(i)), float(p)) for p, i in zip(top.values, top.indices)],
        )
        previous = choice
        logits, state = model(torch.tensor([[choice]], device=device), state)
        last = logits[0, -1].float().cpu()


def generate(model: CharRNN, vocab: Vocab, prompt: str, config: SamplingConfig) -> str:
    """The generated continuation as one string."""
    return "".join(g.char for g in stream_generate(model, vocab, prompt, config))
