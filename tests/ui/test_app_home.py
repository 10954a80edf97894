from helpers import ROOT
from streamlit.testing.v1 import AppTest


def test_home_page_renders_and_lists_pages():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "rnnviz" in at.title[0].value
    text = " ".join(m.value for m in at.markdown)
    assert "LSTM" in text and "GRU" in text


def test_home_page_offers_the_pretrained_models_with_their_cards():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    table = at.dataframe[0].value
    assert {"shakespeare-lstm", "shakespeare-gru", "shakespeare-rnn", "python-code-lstm"} <= set(table["name"])
    assert table.set_index("name").loc["shakespeare-lstm", "validation loss (nats/char)"] <= 1.45
    assert any("python -m rnnviz train" in c.value for c in at.code)


def test_server_status_counts_the_models_a_session_holds():
    import re

    from apptest_helpers import open_page, tiny_train_settings

    def live_models(at) -> int:
        text = " ".join(m.value for m in at.markdown if "live models" in m.value)
        return int(re.search(r"live models: \*\*(\d+)\*\*", text).group(1))

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and at.expander[-1].label == "Server status"
    before = live_models(at)
    trainer = open_page("1_Train.py")
    tiny_train_settings(trainer, steps=20)
    trainer.button(key="train.start").click().run()  # a run of three cells, held by that session
    at.run()
    assert live_models(at) >= before + 3
    trainer.session_state["train.run"].worker.stop()  # no training thread outlives the test
