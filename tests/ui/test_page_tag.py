"""The Tag page: opens on the shipped pair reading a sentence, trains live, refuses bad input with a message."""

from __future__ import annotations

from apptest_helpers import open_page, plotly_specs, texts


def frame_with(at, column: str):
    """The first table on the page with this column, a data grid or a static table (AppTest does not expose a
    dataframe's key)."""
    return next(frame.value for frame in [*at.dataframe, *at.table] if column in frame.value.columns)


def shown_texts(at) -> list[str]:
    """The page's markdown and HTML blocks in the order they are drawn (the entities are HTML, the names markdown)."""
    return [str(element.value) for element in at.main if element.type in ("markdown", "html")]


def test_tag_page_opens_on_the_pretrained_pair_reading_a_sentence():
    at = open_page("6_Tag.py")
    assert not at.exception
    shown = shown_texts(at)
    bi, uni = shown.index("**BiLSTM+CRF**"), shown.index("**LSTM+CRF**")
    assert ">周<sub" in shown[bi + 1] and "> PER</sub>" in shown[bi + 1]  # 周 is a name because 总理 follows
    assert "> PER</sub>" not in shown[uni + 1] and "> LOC</sub>" in shown[uni + 1]  # the left-to-right one misses it
    kinds = [spec["data"][0]["type"] for spec in plotly_specs(at)]
    assert kinds == ["heatmap", "bar"]  # tag probabilities, and the two directions' parts
    misses = frame_with(at, "left-to-right tagged")
    assert len(misses) > 0 and set(misses.columns) >= {"entity", "left-to-right tagged", "sentence"}


def test_bad_sentences_get_a_message():
    at = open_page("6_Tag.py")
    at.text_area(key="tag.text").set_value("").run()
    assert "Type a sentence" in texts(at, "info") and not at.exception
    at.text_area(key="tag.text").set_value("hello world, no Chinese here").run()
    assert "No Chinese characters" in texts(at, "info") and not at.exception
    at.text_area(key="tag.text").set_value("北京" * 400).run()
    assert "Only the first 300 characters" in texts(at, "warning") and not at.exception


def test_tag_page_trains_uni_and_bi_live_then_compares_them():
    at = open_page("6_Tag.py", {"hidden": "16", "steps": "20"})
    at.button(key="tag.start").click().run()
    live = at.session_state["tag.run"]
    assert live.worker.settled.wait(timeout=90)
    at.run()
    assert not at.exception and live.job.step_count == 20
    f1 = [
        spec
        for spec in plotly_specs(at)
        if spec["layout"].get("yaxis", {}).get("title", {}).get("text", "").startswith("entity F1")
    ]
    assert [trace["name"] for trace in f1[0]["data"]] == ["LSTM", "BiLSTM"]
    assert "most frequent tag" in frame_with(at, "invalid BIO")["model"].tolist()
    assert at.radio(key="tag.source").value == "this session's run"
    assert "at step 20" in texts(at, "markdown")  # the sentence is read by the run's models, named with the step
    at.button(key="tag.test").click().run()
    tables = [frame.value for frame in at.dataframe if "invalid BIO" in frame.value.columns]
    assert tables[-1]["model"].tolist() == ["most frequent tag", "LSTM", "BiLSTM"] and not at.exception


def test_impossible_link_settings_fall_back_with_a_warning():
    at = open_page("6_Tag.py", {"steps": "-5", "variants": "sideways", "cell": "tcn"})
    assert not at.exception
    assert "not valid here" in texts(at, "warning")


def test_a_held_out_sentence_shows_gold_above_both_models():
    at = open_page("6_Tag.py")
    at.radio(key="tag.mode").set_value("a held-out sentence, with its gold entities").run()
    assert not at.exception
    shown = shown_texts(at)
    gold = shown.index("**Gold** (People's Daily's own annotation)")
    assert "<sub" in shown[gold + 1] and shown.index("**BiLSTM+CRF**") > gold
    first = at.selectbox(key="tag.held_out").value
    at.selectbox(key="tag.held_out").set_value(first + 1).run()
    assert not at.exception


def test_the_direction_caption_names_what_the_backward_states_decided():
    at = open_page("6_Tag.py")
    caption = " ".join(str(c.value) for c in at.caption)
    assert "Here 周 gets B-PER mostly from the backward part" in caption
    assert "The LSTM+CRF, reading left to right, gives it B-PER 40%." in caption


def test_a_diverged_variant_gets_a_message_not_a_crash():
    import torch

    at = open_page("6_Tag.py", {"hidden": "16", "steps": "10"})
    at.button(key="tag.start").click().run()
    live = at.session_state["tag.run"]
    assert live.worker.settled.wait(timeout=90)
    broken = live.job.runs[1]
    with torch.no_grad():
        for parameter in broken.model.parameters():
            parameter.fill_(float("nan"))
    at.run()
    assert not at.exception and "BiLSTM diverged in training" in texts(at, "warning")


def test_the_direction_caption_never_credits_a_part_that_pushes_against_the_tag():
    from rnnviz.ui.tag_view import backward_led

    entity = {"kind": "PER", "start": 0, "end": 3, "text": "福诺斯"}
    reading = {
        "text": "福诺斯",
        "tags": ["B-PER", "I-PER", "I-PER"],
        "forward": [-1.6, 1.0, 1.0],
        "backward": [-0.1, 1.0, 1.0],
        "entities": [entity],
    }
    assert backward_led(reading, []) == ""


def test_a_typed_sentence_is_shown_as_text_never_as_markdown():
    at = open_page("6_Tag.py")
    at.text_area(key="tag.text").set_value("周总理说\n\n[点这里](http://example.com) **粗** <b>x</b>").run()
    assert not at.exception
    readings = [text for text in shown_texts(at) if "点这里" in text]
    assert readings and all("[点这里](http://example.com)" in text and "&lt;b&gt;" in text for text in readings)
    assert not [e for e in at.markdown if "点这里" in str(e.value)]  # no markdown block ever holds the typed text
