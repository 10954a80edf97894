"""Word tokens through the pages: train a word model on Train, read it on Inspect and Generate (AppTest)."""

from __future__ import annotations

import math

from apptest_helpers import array, open_page, plotly_specs, texts, tiny_train_settings


def test_a_word_model_trains_then_inspect_and_generate_work_on_its_words():
    at = open_page("1_Train.py", {"tokens": "words", "cells": "lstm"})
    assert at.sidebar.radio(key="train.w.tokens").value == "words"
    assert "word and punctuation tokens" in texts(at, "caption") and "<unk>" in texts(at, "caption")
    tiny_train_settings(at)
    at.button(key="train.step").click().run()
    assert not at.exception
    lab = at.session_state["train.run"].job
    assert lab.data.vocab.kind == "words" and [run.step for run in lab.runs] == [10]
    loss = plotly_specs(at)[0]
    assert "nats/token" in loss["layout"]["yaxis"]["title"]["text"]
    labels = " ".join(a["text"] for a in loss["layout"]["annotations"])
    vocab_size = lab.data.vocab.size
    assert f"uniform {math.log(vocab_size):.2f}" in labels and "bigram" in labels  # counted on the word tokens
    (name,) = at.session_state["rnnviz.models"]
    assert name.endswith("words")

    at.switch_page("pages/2_Inspect.py").run()
    at.selectbox(key="inspect.model").set_value(f"{name} (this session)").run()
    at.text_area(key="inspect.text").set_value("The zyzzyva statement is\n").run()
    assert not at.exception
    assert "read as <unk>" in texts(at, "info") and "zyzzyva" in texts(at, "info")
    at.segmented_control(key="inspect.view").set_value("gates").run()  # Inspect draws only the open view
    heatmap = next(t for t in plotly_specs(at)[0]["data"] if t["type"] == "heatmap")
    assert len(array(heatmap["z"])[0]) == 5  # the, <unk>, statement, is, a line break: one step per token
    at.segmented_control(key="inspect.view").set_value("next").run()
    next_words = next(frame.value for frame in at.dataframe if "top 5 next" in frame.value.columns)
    assert list(next_words["token"]) == ["the", "<unk>", "statement", "is", "⏎"]
    assert next_words["top 5 next"].str.count(",").eq(4).all()

    at.switch_page("pages/3_Generate.py").run()
    at.multiselect(key="generate.models").set_value([f"{name} (this session)"]).run()
    at.text_input(key="generate.prompt").set_value("The zyzzyva").run()
    assert "reads them as <unk>" in texts(at, "info")
    at.number_input(key="generate.length").set_value(12).run()
    at.button(key="generate.go").click().run()
    assert not at.exception
    _, pieces = at.session_state["generate.results"][f"{name} (this session)"]
    assert len(pieces) == 12 and all(len(p.alternatives) == 5 for p in pieces)
