"""The Train page's link rules: a round trip through the URL, cells by their registry key, presets, and bad links
that warn instead of failing (the page itself: ``tests/ui/test_page_train.py``, ``test_class_links.py``)."""

import pytest

from rnnviz.cells import ALL_BY_KEY, BY_KEY
from rnnviz.labs.train_settings import BOUNDS, PRESETS, TrainSettings
from rnnviz.ui.train_url import from_query_params, read_field, to_query_params


def test_query_params_round_trip():
    settings = TrainSettings(
        cells=("LSTM", "GRU"),
        hidden_size=48,
        learning_rate=0.01,
        clip=False,
        corpus="python-code",
        embed_size=16,
        tokens="words",
    )
    params = to_query_params(settings)
    assert params == {
        "cells": "lstm,gru",
        "hidden": "48",
        "lr": "0.01",
        "clip": "0",
        "corpus": "python-code",
        "emb": "16",
        "tokens": "words",
    }
    assert from_query_params(params) == (settings, [])
    assert from_query_params(to_query_params(settings, include_defaults=True)) == (settings, [])
    for name, preset in PRESETS.items():
        assert from_query_params({"preset": name})[0] == preset
        preset.lab_config().validate()


def test_a_preset_link_takes_single_values_on_top():
    settings, warnings = from_query_params({"preset": "exploding", "lr": "5", "steps": "abc"})
    assert settings.init == "orthogonal" and settings.clip is False  # the preset's
    assert settings.learning_rate == 1.0 and settings.steps == PRESETS["exploding"].steps  # clamped; kept
    assert ["outside" in w for w in warnings] == [True, False] and "not a valid value" in warnings[1]


def test_cells_travel_by_their_registry_key():
    for key, kind in ALL_BY_KEY.items():  # the classic cells and the newer ones (minGRU, ..., the Transformer)
        settings, warnings = from_query_params({"cells": key})
        assert settings.cells == (kind.label,) and warnings == []
    assert set(BY_KEY) < set(ALL_BY_KEY)
    settings, warnings = from_query_params({"cells": "LSTM, gru,lstm,xlstm"})
    assert settings.cells == ("LSTM", "GRU") and "Unknown cells ['xlstm']" in warnings[0]
    settings, warnings = from_query_params({"cells": "lstm,mingru,transformer"})
    assert settings.cells == ("LSTM", "minGRU", "Transformer") and warnings == []
    assert to_query_params(settings) == {"cells": "lstm,mingru,transformer"}
    settings.lab_config().validate()


def test_reading_one_value_clamps_to_the_bounds_and_keeps_the_type():
    low, high = BOUNDS["hidden_size"]
    assert read_field("hidden_size", "100000", TrainSettings()) == (
        high,
        [f"hidden=100000 is outside {low}..{high}; using {high}."],
    )
    assert read_field("hidden_size", "48.0", TrainSettings()) == (48, [])
    assert read_field("clip", "true", TrainSettings()) == (True, [])
    assert read_field("cells", "", TrainSettings()) == (None, [])  # nothing named: keep the start


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"hidden": "0"}, "hidden=0 is outside"),
        ({"hidden": "-5"}, "outside"),
        ({"lr": "1e9"}, "outside"),
        ({"steps": "abc"}, "not a valid value"),
        ({"steps": "inf"}, "not a valid value"),
        ({"lr": "nan"}, "not a valid value"),
        ({"cells": "xlstm"}, "Unknown cells"),
        ({"preset": "nope"}, "Unknown preset"),
        ({"optimizer": "lbfgs"}, "Unknown optimizer"),
        ({"tokens": "bytes"}, "Unknown tokens"),
    ],
)
def test_bad_values_in_the_url_are_reported_not_fatal(params, fragment):
    settings, warnings = from_query_params(params)
    assert any(fragment in w for w in warnings)
    settings.lab_config().validate()  # still a runnable configuration
