"""The CRF against brute force: every path of a tiny sentence enumerated and scored by hand."""

from __future__ import annotations

import itertools

import torch

from rnnviz.tagging.bio import TAGS, allowed_transitions
from rnnviz.tagging.crf import CRF


def _crf(num_tags: int, constrained: bool) -> CRF:
    torch.manual_seed(0)
    crf = CRF(num_tags, *allowed_transitions()) if constrained else CRF(num_tags)
    with torch.no_grad():
        crf.transitions.normal_()
        crf.start.normal_()
        crf.end.normal_()
    return crf


@torch.no_grad()
def _all_paths(crf: CRF, emissions: torch.Tensor, length: int) -> dict[tuple, float]:
    start, transitions = crf._scores()
    scores = {}
    for path in itertools.product(range(crf.num_tags), repeat=length):
        score = start[path[0]] + emissions[0, path[0]] + crf.end[path[-1]]
        for t in range(1, length):
            score = score + transitions[path[t - 1], path[t]] + emissions[t, path[t]]
        scores[path] = float(score)
    return scores


@torch.no_grad()
def test_log_partition_marginals_and_viterbi_match_enumeration():
    for constrained, num_tags in ((False, 3), (True, len(TAGS))):
        crf = _crf(num_tags, constrained)
        torch.manual_seed(1)
        emissions = torch.randn(2, 4, num_tags)
        mask = torch.tensor([[True] * 4, [True, True, True, False]])  # the second sentence is padded
        log_z = crf.log_partition(emissions, mask)
        marginals = crf.marginals(emissions, mask)
        best = crf.viterbi(emissions, mask)
        for b, length in enumerate((4, 3)):
            scores = _all_paths(crf, emissions[b], length)
            values = torch.tensor(list(scores.values()), dtype=torch.float64)
            assert abs(float(torch.logsumexp(values, 0)) - float(log_z[b])) < 1e-4
            probabilities = (values - torch.logsumexp(values, 0)).exp()
            for t in range(length):
                for k in range(num_tags):
                    expected = sum(float(p) for path, p in zip(scores, probabilities) if path[t] == k)
                    assert abs(expected - float(marginals[b, t, k])) < 1e-4
            assert tuple(best[b]) == max(scores, key=scores.get)
            gold = torch.tensor([list(best[b]) + [0] * (4 - length)])
            score = crf.path_score(emissions[b : b + 1], gold, mask[b : b + 1])
            assert abs(float(score) - scores[tuple(best[b])]) < 1e-4


def test_forbidden_transitions_never_decode_and_nll_is_positive():
    crf = _crf(len(TAGS), constrained=True)
    emissions = torch.zeros(1, 3, len(TAGS))
    emissions[0, :, TAGS.index("I-PER")] = 50.0  # the emissions beg for I-PER everywhere
    path = [TAGS[k] for k in crf.viterbi(emissions, torch.ones(1, 3, dtype=torch.bool))[0]]
    assert path[0] != "I-PER" and all(tag != "I-PER" or prev in ("B-PER", "I-PER") for prev, tag in zip(path, path[1:]))
    tags = torch.tensor([[TAGS.index("B-PER"), TAGS.index("I-PER"), 0]])
    assert float(crf.neg_log_likelihood(emissions, tags, torch.ones(1, 3, dtype=torch.bool)).detach()) > 0
