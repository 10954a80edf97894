"""The throughput benchmark pairs trainer and bare runs, alternates their order, and reports the median ratio."""

import statistics

from rnnviz.charlm import throughput


def test_pairs_alternate_and_the_median_ratio_is_reported(monkeypatch):
    calls, bare_rates, trainer_rates = [], iter([100.0, 110.0, 90.0]), iter([99.0, 121.0, 45.0])

    def bare(*args):
        calls.append("bare")
        return next(bare_rates)

    def trainer(*args):
        calls.append("trainer")
        return next(trainer_rates)

    monkeypatch.setattr(throughput, "bare_loop_tokens_per_s", bare)
    monkeypatch.setattr(throughput, "trainer_tokens_per_s", trainer)
    (result,) = throughput.run_throughput(cells=("gru",), repeats=3, hidden_size=8, device="cpu")
    assert calls == ["bare", "trainer", "trainer", "bare", "bare", "trainer"]  # drift hits both sides alike
    assert result.ratio == statistics.median([0.99, 1.1, 0.5]) == 0.99
    assert (result.ratio_min, result.ratio_max, result.pairs) == (0.5, 1.1, 3)
    assert result.bare_tokens_per_s == 100.0 and result.trainer_tokens_per_s == 99.0


def test_a_real_tiny_run_measures_both_sides():
    (result,) = throughput.run_throughput(
        cells=("rnn",), repeats=2, hidden_size=8, embed=4, seq_len=8, batch_size=2, steps=2, warmup=1, device="cpu"
    )
    assert result.trainer_tokens_per_s > 0 and result.bare_tokens_per_s > 0
    assert result.ratio_min <= result.ratio <= result.ratio_max
