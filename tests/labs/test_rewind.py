"""Rewind: the last race again from its seed (the same initialisation and batches), with one setting changed."""

from dataclasses import replace

from rnnviz.labs.language_models import LanguageModelLab
from rnnviz.labs.train_settings import SHAPING, TrainSettings, changed_settings, rewound

SETTINGS = TrainSettings(
    cells=("RNN (tanh)", "LSTM", "GRU"),
    hidden_size=8,
    embed_size=4,
    seq_len=8,
    batch_size=2,
    steps=6,
    sample_every=0,
    seed=3,
)


def race(data, settings: TrainSettings, last: TrainSettings | None = None) -> LanguageModelLab:
    lab = LanguageModelLab(data, settings.lab_config(), settings=settings, rewound_from=last)
    while not lab.finished:
        lab.advance(0.0)
    return lab


def losses(lab: LanguageModelLab) -> list[list[float]]:
    return [list(run.losses) for run in lab.runs]


def test_the_same_seed_and_settings_give_the_very_same_race(tiny_data):
    first, again = race(tiny_data, SETTINGS), race(tiny_data, SETTINGS)
    assert losses(first) == losses(again) and len(losses(first)[0]) == 6
    assert first.seed == 3 and first.settings is SETTINGS and first.rewound_from is None


def test_a_rewind_with_a_new_learning_rate_starts_from_the_same_weights_and_batches(tiny_data):
    first = race(tiny_data, SETTINGS)
    now = replace(SETTINGS, learning_rate=1e-2, seed=11)  # the sidebar now: a new rate, and another seed typed
    again = rewound(first.settings, now)
    assert again.seed == 3 and again.learning_rate == 1e-2  # the last race's seed, the sidebar's rate
    assert changed_settings(first.settings, again) == [("learning_rate", 3e-3, 1e-2)]
    second = race(tiny_data, again, last=first.settings)
    assert second.rewound_from is first.settings and second.seed == 3
    for before, after in zip(losses(first), losses(second)):
        assert before[0] == after[0]  # the first batch's loss: the same initial weights on the same batch
        assert all(a != b for a, b in zip(before[1:], after[1:]))  # one update later, the rate shows
    elsewhere = race(tiny_data, replace(SETTINGS, learning_rate=1e-2, seed=11))  # Start: the new seed, a new race
    assert all(a[0] != b[0] for a, b in zip(losses(first), losses(elsewhere)))


def test_what_a_rewind_changes_is_listed_and_the_shaping_settings_are_known():
    now = replace(SETTINGS, hidden_size=16, clip=False, cells=("LSTM",), seed=9)
    assert changed_settings(SETTINGS, now) == [
        ("cells", ("RNN (tanh)", "LSTM", "GRU"), ("LSTM",)),
        ("hidden_size", 8, 16),
        ("clip", True, False),
    ]
    assert changed_settings(SETTINGS, rewound(SETTINGS, replace(SETTINGS, seed=9))) == []
    assert {"hidden_size", "seq_len", "batch_size", "corpus"} <= set(SHAPING) and "learning_rate" not in SHAPING
    assert set(SHAPING) <= {field for field in TrainSettings.__dataclass_fields__}
