"""The Train page's settings as data: one name per setting, the URL's short keys from one table, and bounds and
choices shared by the sidebar and links (reading a link: ``tests/ui/test_train_url.py``)."""

from rnnviz.labs.train_settings import BOUNDS, CHOICES, PRESETS, URL_KEYS, TrainSettings


def test_every_short_url_key_and_bound_names_a_real_setting():
    fields = set(TrainSettings.__dataclass_fields__)
    assert set(URL_KEYS) <= fields and set(BOUNDS) <= fields and set(CHOICES) <= fields
    assert len(set(URL_KEYS.values())) == len(URL_KEYS) and not set(URL_KEYS.values()) & fields
    assert "embed" not in URL_KEYS.values()  # Streamlit reserves ?embed=


def test_defaults_and_presets_are_within_the_bounds_and_choices():
    for settings in (TrainSettings(), *PRESETS.values()):
        assert all(low <= getattr(settings, field) <= high for field, (low, high) in BOUNDS.items())
        assert all(getattr(settings, field) in allowed for field, allowed in CHOICES.items())
        settings.lab_config().validate()
