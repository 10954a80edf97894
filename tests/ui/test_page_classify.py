"""The Classify page: opens on the shipped classifiers reading a sentence, trains live, refuses bad tables."""

from __future__ import annotations

from apptest_helpers import open_page, plotly_specs, texts


def test_classify_page_opens_on_the_pretrained_classifiers_reading_a_negation():
    at = open_page("7_Classify.py")
    assert not at.exception
    answers = [str(m.value) for m in at.markdown if str(m.value).startswith("**")]
    assert any("BiLSTM" in a for a in answers) and all("positive" in a and "negative" in a for a in answers[:2])
    assert len(at.get("html")) >= 2  # the words coloured, one line per model
    titles = [spec["layout"].get("yaxis", {}).get("title", {}).get("text", "") for spec in plotly_specs(at)]
    assert "P(positive) so far" in titles and "P(positive)" in titles  # reading left to right; the negation probe
    at.radio(key="classify.method").set_value("attention weight").run()
    assert not at.exception


def test_bad_sentences_and_tables_get_a_message():
    at = open_page("7_Classify.py")
    at.text_input(key="classify.text").set_value("   ").run()
    assert "Type a sentence" in texts(at, "info")
    at.text_input(key="classify.text").set_value("good " * 200).run()
    assert "Only the first 60 words" in texts(at, "warning") and not at.exception
    at.selectbox(key="classify.data").set_value("your own table (CSV/TSV)").run()
    assert "Upload a CSV or TSV" in texts(at, "info") and not at.exception


def test_classify_page_trains_live_and_shows_what_went_wrong():
    at = open_page("7_Classify.py", {"hidden": "16", "steps": "30", "variants": "lstm,gru-bi"})
    at.button(key="classify.start").click().run()
    live = at.session_state["classify.run"]
    assert live.worker.settled.wait(timeout=120)
    at.run()
    assert not at.exception and live.job.step_count == 30
    specs = plotly_specs(at)
    names = [trace.get("name") for spec in specs for trace in spec["data"]]
    assert "LSTM (held out)" in names and "BiGRU (train)" in names
    kinds = {spec["data"][0]["type"] for spec in specs if spec["data"]}
    assert {"heatmap", "scattergl"} <= kinds  # the confusion matrix and the sentence map
    assert at.radio(key="classify.source").value == "this session's run"
    at.button(key="classify.test").click().run()
    tables = [frame.value for frame in at.dataframe if "test accuracy" in frame.value.columns]
    assert tables and tables[0]["model"].tolist()[:2] == ["majority class", "bag of words"] and not at.exception


def _diverge(run) -> None:
    """As if the run had blown up: weights no longer numbers, the run marked so."""
    import torch

    with torch.no_grad():
        for parameter in run.model.parameters():
            parameter.fill_(float("nan"))
    run.diverged = "diverged at step 1 (loss nan)"


def test_a_diverged_variant_gets_a_message_not_a_crash():
    at = open_page("7_Classify.py", {"hidden": "16", "steps": "10", "variants": "lstm,gru"})
    at.button(key="classify.start").click().run()
    live = at.session_state["classify.run"]
    assert live.worker.settled.wait(timeout=120)
    _diverge(live.job.runs[0])
    at.run()
    assert not at.exception
    assert "no answer to explain" in texts(at, "warning") and "no confusion matrix" in texts(at, "warning")
    at.selectbox(key="classify.look").set_value("GRU").run()
    assert not at.exception and "no confusion matrix" not in texts(at, "warning")
