"""A linear-chain conditional random field over BIO tags, with the BIO rule built in.

The score of a tag path is the sum of its emission scores (from the RNN, one per character and tag) and of its
transition scores (learned, one per pair of tags, plus start and end scores). Training maximises the log-probability
of the gold path against all paths (the forward algorithm); decoding takes the best path (Viterbi);
``marginals`` gives each character's probability of each tag over all paths (forward-backward). Transitions the
BIO rule forbids (``O`` -> ``I-PER``, say) get a fixed score of -10,000, so no path through them survives.
Checked against brute-force enumeration of every path in ``tests/tagging/test_crf.py``.
"""

from __future__ import annotations

import torch
from torch import nn

FORBIDDEN = -1e4


class CRF(nn.Module):
    def __init__(
        self, num_tags: int, allowed_start: list[bool] | None = None, allowed_pairs: list[list[bool]] | None = None
    ):
        super().__init__()
        self.num_tags = num_tags
        self.transitions = nn.Parameter(torch.zeros(num_tags, num_tags))  # (K from, K to)
        self.start = nn.Parameter(torch.zeros(num_tags))
        self.end = nn.Parameter(torch.zeros(num_tags))
        start_mask = torch.tensor(allowed_start if allowed_start is not None else [True] * num_tags)
        pair_mask = torch.tensor(allowed_pairs if allowed_pairs is not None else [[True] * num_tags] * num_tags)
        self.register_buffer("start_penalty", (~start_mask).float() * FORBIDDEN, persistent=False)
        self.register_buffer("pair_penalty", (~pair_mask).float() * FORBIDDEN, persistent=False)

    def _scores(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self.start + self.start_penalty, self.transitions + self.pair_penalty

    def path_score(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The score of each sentence's given path: emissions (B, T, K), tags (B, T), mask (B, T) -> (B,)."""
        start, transitions = self._scores()
        mask = mask.to(emissions.dtype)
        emitted = emissions.gather(2, tags.unsqueeze(2)).squeeze(2)  # (B, T): each character's score of its tag
        moved = transitions[tags[:, :-1], tags[:, 1:]]  # (B, T-1): each step's transition
        score = start[tags[:, 0]] + emitted[:, 0] + ((emitted[:, 1:] + moved) * mask[:, 1:]).sum(1)  # (B,)
        last = mask.long().sum(1) - 1
        batch = torch.arange(emissions.shape[0], device=emissions.device)
        return score + self.end[tags[batch, last]]

    def _forward_alphas(self, emissions: torch.Tensor, mask: torch.Tensor) -> list[torch.Tensor]:
        """alpha_t[b, k]: log-sum of the scores of every path of the first t+1 characters ending in tag k."""
        start, transitions = self._scores()
        alpha = start + emissions[:, 0]  # (B, K)
        alphas = [alpha]
        for t in range(1, emissions.shape[1]):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + transitions.unsqueeze(0), dim=1) + emissions[:, t]  # (B, K)
            alpha = torch.where(mask[:, t : t + 1], nxt, alpha)
            alphas.append(alpha)
        return alphas

    def log_partition(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """log Z: the log-sum of the scores of every path, (B,)."""
        return torch.logsumexp(self._forward_alphas(emissions, mask)[-1] + self.end, dim=1)

    def neg_log_likelihood(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean over the batch of -log p(gold path | sentence)."""
        return (self.log_partition(emissions, mask) - self.path_score(emissions, tags, mask)).mean()

    def marginals(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """p(tag k at character t | sentence), summed over every path: (B, T, K); rows past a sentence's end
        are meaningless."""
        _, transitions = self._scores()
        alphas = self._forward_alphas(emissions, mask)
        beta = self.end.expand(emissions.shape[0], -1)  # (B, K)
        betas = [beta]
        for t in range(emissions.shape[1] - 1, 0, -1):
            nxt = torch.logsumexp(transitions.unsqueeze(0) + (emissions[:, t] + beta).unsqueeze(1), dim=2)
            beta = torch.where(mask[:, t : t + 1], nxt, beta)
            betas.append(beta)
        betas.reverse()
        log_z = torch.logsumexp(alphas[-1] + self.end, dim=1)  # (B,)
        joint = torch.stack(alphas, 1) + torch.stack(betas, 1)  # (B, T, K)
        return (joint - log_z[:, None, None]).exp()

    def viterbi(self, emissions: torch.Tensor, mask: torch.Tensor) -> list[list[int]]:
        """The best path of each sentence (its own length), as tag indices."""
        start, transitions = self._scores()
        score = start + emissions[:, 0]  # (B, K)
        history = []
        for t in range(1, emissions.shape[1]):
            best, previous = (score.unsqueeze(2) + transitions.unsqueeze(0)).max(dim=1)  # (B, K) each
            history.append(previous)
            score = torch.where(mask[:, t : t + 1], best + emissions[:, t], score)
        score = score + self.end
        lengths = mask.long().sum(1).tolist()
        best_last = score.argmax(1).tolist()
        pointers = torch.stack(history).tolist() if history else []  # (T-1, B, K): read as Python ints once
        paths = []
        for b, length in enumerate(lengths):
            tag = best_last[b]
            path = [tag]
            for t in range(length - 1, 0, -1):
                tag = pointers[t - 1][b][tag]
                path.append(tag)
            paths.append(path[::-1])
        return paths
