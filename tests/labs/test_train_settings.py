"""The Train page's settings: one name per setting, the URL's short keys from one table, bounds shared with the
sidebar, and bad links that warn instead of failing."""

import pytest

from rnnviz.cells import BY_KEY
from rnnviz.labs.train_settings import (
    BOUNDS,
    PRESETS,
    URL_KEYS,
    TrainSettings,
    from_query_params,
    to_query_params,
)


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
    for name, preset in PRESETS.items():
        assert from_query_params({"preset": name})[0] == preset
        preset.lab_config().validate()


def test_every_short_url_key_and_bound_names_a_real_setting():
    fields = set(TrainSettings.__dataclass_fields__)
    assert set(URL_KEYS) <= fields and set(BOUNDS) <= fields
    assert len(set(URL_KEYS.values())) == len(URL_KEYS) and not set(URL_KEYS.values()) & fields
    assert "embed" not in URL_KEYS.values()  # Streamlit reserves ?embed=


def test_cells_travel_by_their_registry_key():
    for key, kind in BY_KEY.items():
        settings, warnings = from_query_params({"cells": key})
        assert settings.cells == (kind.label,) and warnings == []


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"hidden": "0"}, "hidden=0 is outside"),
        ({"hidden": "-5"}, "outside"),
        ({"lr": "1e9"}, "outside"),
        ({"steps": "abc"}, "not a valid value"),
        ({"lr": "nan"}, "not a valid value"),
        ({"cells": "transformer"}, "Unknown cells"),
        ({"preset": "nope"}, "Unknown preset"),
        ({"optimizer": "lbfgs"}, "Unknown optimizer"),
        ({"tokens": "bytes"}, "Unknown tokens"),
    ],
)
def test_bad_values_in_the_url_are_reported_not_fatal(params, fragment):
    settings, warnings = from_query_params(params)
    assert any(fragment in w for w in warnings)
    settings.lab_config().validate()  # still a runnable configuration
