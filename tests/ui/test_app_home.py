from helpers import ROOT
from streamlit.testing.v1 import AppTest


def test_home_page_renders_and_starts_somewhere():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "rnnviz" in at.title[0].value
    text = " ".join(m.value for m in at.markdown)
    assert "LSTM" in text and "GRU" in text
    assert [h.value for h in at.subheader][:2] == ["Learn", "Explore"]
    links = at.get("page_link")
    labels = [link.proto.label for link in links]
    assert "Home" in labels and "Lessons" in labels  # the shared sidebar: Home, Learn, Labs
    lesson_links = [link.proto for link in links if link.proto.page.endswith("Lessons")]
    assert len(lesson_links) >= 1 + 5  # the sidebar's and one per lesson


def test_home_page_offers_the_pretrained_models_with_their_cards():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    table = at.dataframe[0].value
    assert {"shakespeare-lstm", "shakespeare-gru", "shakespeare-rnn", "python-code-lstm"} <= set(table["name"])
    assert table.set_index("name").loc["shakespeare-lstm", "quality"].startswith("validation 1.43")
    assert not table.isin(["None", None]).any().any()  # every cell says something
    (script,) = [c.value for c in at.code]  # one script: every model's command under a comment naming it
    for name in table["name"]:
        assert f"# {name}\n" in script
    assert script.count("python -m rnnviz ") >= len(table)


def test_server_status_counts_the_models_a_session_holds():
    import re

    from apptest_helpers import open_page, tiny_train_settings

    def live_models(at) -> int:
        text = " ".join(m.value for m in at.markdown if "live models" in m.value)
        return int(re.search(r"live models: \*\*(\d+)\*\*", text).group(1))

    from rnnviz.ui.server_status import STATUS_KEY

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and at.expander[-1].label == "Server status"
    assert not [m for m in at.markdown if "live models" in m.value]  # closed: nothing counted, nothing shown
    at.session_state[STATUS_KEY] = True  # the teacher opens the panel
    at.run()
    before = live_models(at)
    trainer = open_page("1_Train.py")
    tiny_train_settings(trainer, steps=20)
    trainer.button(key="train.start").click().run()  # a run of three cells, held by that session
    at.run()
    assert live_models(at) >= before + 3
    trainer.session_state["train.run"].worker.stop()  # no training thread outlives the test
    linked = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    linked.query_params[STATUS_KEY] = "true"  # the panel's link (bench/load_test.py reads the counts by it)
    assert live_models(linked.run()) >= before + 3


def test_the_training_script_says_where_a_checkpoint_recorded_no_command():
    from types import SimpleNamespace

    from rnnviz.ui.home import training_script

    infos = [
        SimpleNamespace(name="mine", card={}),
        SimpleNamespace(name="shipped", card={"training_command": "python -m rnnviz train --steps 2"}),
    ]
    script = training_script(infos, "not recorded")
    assert script == "# mine\n# not recorded\n\n# shipped\npython -m rnnviz train --steps 2"
