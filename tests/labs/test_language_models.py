"""The Train page's lab: cells side by side on one seed's batches, and the same race over several seeds."""

import pytest

from rnnviz.charlm.initialization import InitConfig
from rnnviz.charlm.model import ConfigError
from rnnviz.charlm.trainer import TrainConfig
from rnnviz.charts.training import loss_chart
from rnnviz.labs.language_models import LanguageModelLab, LanguageModelLabConfig, window_of


def config(**changes) -> LanguageModelLabConfig:
    base = dict(
        cells=("RNN (tanh)", "GRU"),
        hidden_size=8,
        embed_size=4,
        steps=6,
        sample_every=0,
        train=TrainConfig(seq_len=8, batch_size=2, eval_every=3, eval_chars=200),
    )
    return LanguageModelLabConfig(**{**base, **changes})


def train(lab: LanguageModelLab) -> LanguageModelLab:
    while not lab.finished:
        lab.advance(0.0)
    return lab


def test_repeats_train_every_cell_once_per_seed_and_seed_zero_is_the_single_run(tiny_data):
    single = train(LanguageModelLab(tiny_data, config()))
    repeated = train(LanguageModelLab(tiny_data, config(repeats=3)))
    assert [run.name for run in repeated.runs] == [f"{c} · seed {s}" for s in (0, 1, 2) for c in ("RNN (tanh)", "GRU")]
    assert [list(run.losses) for run in repeated.runs[:2]] == [list(run.losses) for run in single.runs]
    gru = [run for run in repeated.runs if run.cell == "GRU"]
    assert len({run.val_losses[-1] for run in gru}) == 3  # other seeds, other results
    aggregate = {row["cell"]: row for row in repeated.aggregate()}
    assert aggregate["GRU"]["seeds"] == 3 and aggregate["GRU"]["best"] == min(run.val_losses[-1] for run in gru)
    assert aggregate["GRU"]["mean loss"] == pytest.approx(sum(run.val_losses[-1] for run in gru) / 3)
    snapshot = repeated.snapshot()
    assert {s["cell"] for s in snapshot["summaries"]} == {"RNN (tanh)", "GRU"} and len(snapshot["samples"]) == 2


def test_the_loss_chart_draws_seeds_faintly_with_their_mean(tiny_data):
    snapshot = train(LanguageModelLab(tiny_data, config(repeats=2))).snapshot()
    names = [trace.name for trace in loss_chart(snapshot["charts"]).data]
    assert "GRU train (mean of 2 seeds)" in names and "GRU · seed 1 train" in names
    assert not any("validation" in name for name in names)  # dotted validation lines only for a single seed
    single = loss_chart(train(LanguageModelLab(tiny_data, config())).snapshot()["charts"])
    assert [trace.name for trace in single.data][:2] == ["RNN (tanh) train", "RNN (tanh) validation"]


def test_repeats_count_against_the_work_cap_and_are_bounded(tiny_data):
    with pytest.raises(ConfigError, match="1..10"):
        LanguageModelLab(tiny_data, config(repeats=11))
    heavy = dict(hidden_size=256, train=TrainConfig(seq_len=100, batch_size=64, eval_every=0))  # about 5 GFLOP
    LanguageModelLab(tiny_data, config(cells=("LSTM",), **heavy))  # one seed fits
    with pytest.raises(ConfigError, match="or seeds"):
        LanguageModelLab(tiny_data, config(cells=("LSTM",), repeats=10, **heavy))


def test_the_newer_cells_race_on_the_same_budget(tiny_data):
    cells = ("LSTM", "minGRU", "minLSTM", "Selective SSM", "Transformer")
    lab = train(LanguageModelLab(tiny_data, config(cells=cells, same_budget=True, hidden_size=12)))
    sizes = {run.cell: run.parameters for run in lab.runs}  # the Transformer's window: the 8 steps it trains on
    assert all(abs(n - sizes["LSTM"]) / sizes["LSTM"] < 0.1 for n in sizes.values()), sizes
    assert {s["cell"] for s in lab.snapshot()["summaries"]} == set(cells)
    with pytest.raises(ConfigError):
        LanguageModelLab(tiny_data, config(cells=("Mamba",)))


def test_the_transformer_window_is_the_sequence_length_and_newer_cells_keep_their_own_init(tiny_data):
    race = config(cells=("LSTM", "minGRU", "Transformer"), init=InitConfig(scheme="orthogonal", spectral_radius=1.2))
    lab = LanguageModelLab(tiny_data, race)  # the fused LSTM takes the scheme; minGRU and the Transformer cannot
    models = {run.cell: run.trainer.model for run in lab.runs}
    assert models["Transformer"].config.context_size == models["Transformer"].rnn.context_size == 8
    assert window_of(race) == 8 and window_of(config()) is None
    assert models["LSTM"].config.context_size == 256  # the field's default: a classic cell's config as before
    train(lab)
    assert not any(run.diverged for run in lab.runs)
