import re

import pytest
import torch
from apptest_helpers import array, open_page, plotly_specs, texts

from rnnviz.charlm.checkpoint import checkpoint_bytes
from rnnviz.charlm.generation import SamplingConfig
from rnnviz.charts.trace import activation_html, gate_heatmaps, pca_trajectory
from rnnviz.introspect import trace_text
from rnnviz.introspect.chart_data import layer_series, pca_projection
from rnnviz.pretrained import load_pretrained
from rnnviz.ui.generate_view import generated_html

TEXT = "He said: no, twice!\n"


@pytest.fixture(scope="module")
def gru():
    return load_pretrained("shakespeare-gru")


def test_inspect_builds_only_the_open_view():
    at = open_page("2_Inspect.py")
    assert not at.exception
    assert at.selectbox(key="inspect.model").value.startswith("shakespeare-lstm")
    assert "exact" in texts(at, "caption")
    assert at.segmented_control(key="inspect.view").value == "neurons" and "tracks" in texts(at, "markdown")
    assert not plotly_specs(at)  # the neurons view is text: no other view's charts are built or sent
    at.segmented_control(key="inspect.view").set_value("gates").run()
    assert at.query_params["view"] == "gates"  # a link opens this view
    specs = plotly_specs(at)
    assert len(specs) == 1 and "tracks" not in texts(at, "markdown")
    heatmaps = [t for t in specs[0]["data"] if t["type"] == "heatmap"]
    text = at.text_area(key="inspect.text").value
    assert len(heatmaps) == 6  # LSTM: i, f, g, o, c, h
    assert all(len(array(h["z"])) == 32 and len(array(h["z"])[0]) == len(text) for h in heatmaps)  # units x time
    for view, kind in (("trajectory", "scatter"), ("saturation", "scatter")):
        at.segmented_control(key="inspect.view").set_value(view).run()
        assert [spec["data"][0]["type"] for spec in plotly_specs(at)] == [kind]
    at.segmented_control(key="inspect.view").set_value("next").run()
    assert not plotly_specs(at) and at.dataframe and not at.exception


def test_a_link_opens_a_view_and_the_views_keep_their_settings():
    at = open_page("2_Inspect.py", {"view": "trajectory"})
    assert at.segmented_control(key="inspect.view").value == "trajectory"
    assert plotly_specs(at)[0]["data"][0]["type"] == "scatter"
    at.segmented_control(key="inspect.view").set_value("neurons").run()
    at.number_input(key="inspect.unit").set_value(7).run()
    at.segmented_control(key="inspect.view").set_value("gates").run()
    at.slider(key="inspect.units").set_value(4).run()
    at.segmented_control(key="inspect.view").set_value("neurons").run()
    assert at.number_input(key="inspect.unit").value == 7 and at.query_params["unit"] == "7"
    at.segmented_control(key="inspect.view").set_value("gates").run()
    assert at.slider(key="inspect.units").value == 4
    bad = open_page("2_Inspect.py", {"view": "nonsense"})
    assert bad.segmented_control(key="inspect.view").value == "neurons" and "not valid here" in texts(bad, "warning")


def test_inspect_controls_change_the_views(monkeypatch):
    import rnnviz.ui.inspect_view as inspect_view

    traced = []  # the texts traced: a rerun that only changes what is shown reads the session's last trace
    trace_text = inspect_view.trace_text
    monkeypatch.setattr(
        inspect_view, "trace_text", lambda model, vocab, text: traced.append(text) or trace_text(model, vocab, text)
    )
    at = open_page("2_Inspect.py", {"view": "gates"})
    at.text_area(key="inspect.text").set_value(TEXT).run()
    assert traced[-1] == TEXT
    traced.clear()
    at.selectbox(key="inspect.layer").set_value(1).run()
    at.slider(key="inspect.units").set_value(8).run()
    at.number_input(key="inspect.first_unit").set_value(100).run()
    heatmap = plotly_specs(at)[0]["data"][0]
    assert [int(u) for u in heatmap["y"]] == list(range(100, 108)) and len(array(heatmap["x"])) == len(TEXT)
    at.segmented_control(key="inspect.view").set_value("neurons").run()
    at.radio(key="inspect.state").set_value("c").run()
    at.number_input(key="inspect.unit").set_value(5).run()
    at.text_input(key="inspect.regex").set_value("[").run()  # a broken regex is reported, not fatal
    assert "does not compile" in texts(at, "error")
    at.segmented_control(key="inspect.view").set_value("trajectory").run()
    at.radio(key="inspect.pca_dims").set_value(3).run()
    assert any(t["type"] == "scatter3d" for spec in plotly_specs(at) for t in spec["data"])
    at.segmented_control(key="inspect.view").set_value("gates").run()
    assert traced == []  # eight reruns of one text through one model: traced once
    at.selectbox(key="inspect.model").set_value("shakespeare-gru (pretrained)").run()
    assert not at.exception and len(traced) == 1  # another model: traced afresh
    assert len([t for t in plotly_specs(at)[0]["data"] if t["type"] == "heatmap"]) == 4  # r, z, n, h


def test_inspect_bad_text():
    at = open_page("2_Inspect.py", {"view": "trajectory"})
    at.text_area(key="inspect.text").set_value("").run()
    assert "Type some text" in texts(at, "info")
    at.text_area(key="inspect.text").set_value("naïve 中文 text").run()
    assert "Skipped characters" in texts(at, "warning") and not at.exception
    at.text_area(key="inspect.text").set_value("中文").run()
    assert "empty" in texts(at, "error")
    at.text_area(key="inspect.text").set_value("to be or not " * 300).run()
    assert "only the first 2,000" in texts(at, "warning")
    assert len(array(plotly_specs(at)[0]["data"][0]["x"])) == 2000
    at.segmented_control(key="inspect.view").set_value("gates").run()  # 384,000 values: pictures, 3 tokens a column
    (spec,) = plotly_specs(at)
    assert {trace["type"] for trace in spec["data"]} == {"image", "scatter"} and spec["layout"]["meta"]["bin"] == 3
    assert "mean of 3 tokens" in texts(at, "caption") and len(at.get("plotly_chart")[0].proto.spec) < 200_000


def test_inspect_compare_mode_shares_a_cursor():
    at = open_page("2_Inspect.py")
    at.text_area(key="inspect.text").set_value(TEXT).run()
    at.segmented_control(key="inspect.view").set_value("compare").run()
    at.slider(key="inspect.cursor").set_value(5).run()
    compare = [s for s in plotly_specs(at) if s["layout"].get("shapes")]
    assert compare and compare[-1]["layout"]["shapes"][0]["x0"] == 6
    assert len(at.multiselect(key="inspect.compare_models").value) == 3


def test_inspect_refuses_a_foreign_checkpoint_upload():
    at = open_page("2_Inspect.py")
    from safetensors.torch import save

    at.file_uploader(key="inspect.model.upload").upload("other.safetensors", save({"w": torch.zeros(3)})).run()
    assert "not saved by rnnviz" in texts(at, "error") and not at.exception


def test_charts_have_the_right_shapes(gru):
    trace = trace_text(gru.model, gru.vocab, TEXT)
    fig = gate_heatmaps(layer_series(trace, 0), trace.labels, list(range(10)))
    assert [len(t.z) for t in fig.data] == [10] * 4 and all(len(t.z[0]) == len(TEXT) for t in fig.data)
    assert len(pca_trajectory(*pca_projection(trace, 1, 2), trace.labels).data[0].x) == len(TEXT)
    html = activation_html("a<b", [1.0, -1.0, 0.0])
    assert "&lt;" in html and "rgb(255,0,0)" in html and "rgb(0,0,255)" in html


def test_generate_streams_is_seeded_and_sends_text_to_inspect():
    at = open_page("3_Generate.py")
    assert not at.exception
    at.number_input(key="generate.length").set_value(60).run()
    at.button(key="generate.go").click().run()
    first = at.session_state["generate.results"]
    ((name, (prompt, pieces)),) = first.items()
    assert len(pieces) == 60 and prompt == "ROMEO:"
    for piece in pieces:
        assert sum(p for _, p in piece.alternatives) <= 1 + 1e-6
    text = "".join(p.char for p in pieces)
    at.button(key="generate.go").click().run()
    assert "".join(p.char for p in at.session_state["generate.results"][name][1]) == text  # same seed
    at.number_input(key="generate.seed").set_value(1).run()
    at.button(key="generate.go").click().run()
    assert "".join(p.char for p in at.session_state["generate.results"][name][1]) != text
    at.button(key=f"generate.inspect.{name}").click().run()
    assert at.title[0].value == "Inspect" and at.text_area(key="inspect.text").value.startswith("ROMEO:")


def test_generate_every_knob_side_by_side_and_greedy_is_deterministic():
    at = open_page("3_Generate.py")
    at.multiselect(key="generate.models").set_value(
        ["shakespeare-lstm (pretrained)", "shakespeare-gru (pretrained)", "shakespeare-rnn (pretrained)"]
    ).run()
    at.number_input(key="generate.length").set_value(40).run()
    at.slider(key="generate.temperature").set_value(1.2).run()
    at.number_input(key="generate.top_k").set_value(5).run()
    at.slider(key="generate.top_p").set_value(0.9).run()
    at.text_input(key="generate.prompt").set_value("KING: ü").run()
    assert "not in its vocabulary" in texts(at, "warning")
    at.button(key="generate.go").click().run()
    assert not at.exception and len(at.session_state["generate.results"]) == 3
    at.checkbox(key="generate.greedy").check().run()
    outputs = []
    for seed in (0, 7):
        at.number_input(key="generate.seed").set_value(seed).run()
        at.button(key="generate.go").click().run()
        outputs.append({k: "".join(p.char for p in v[1]) for k, v in at.session_state["generate.results"].items()})
    assert outputs[0] == outputs[1]  # greedy ignores the seed


def test_generated_html_escapes_and_colours(gru):
    from rnnviz.charlm.generation import stream_generate

    pieces = list(stream_generate(gru.model, gru.vocab, "<b>", SamplingConfig(length=20, seed=0)))
    html = generated_html("<b>", pieces)
    assert "&lt;b&gt;" in html and html.count("background:rgb(") == 20


def test_the_generated_texts_colours_stay_apart_for_red_green_colour_blindness():
    """Sure and surprised characters stay apart for a red-green colour-blind student (a red-to-green scale did not),
    and the page's dark text stays readable on either end."""
    from helpers import contrast_on_white, distance, simulated

    from rnnviz.ui.generate_view import probability_colour

    def as_hex(rgb: str) -> str:
        return "#" + "".join(f"{int(v):02X}" for v in rgb.removeprefix("rgb(").removesuffix(")").split(","))

    surprised, sure = as_hex(probability_colour(0.0)), as_hex(probability_colour(1.0))
    assert as_hex(probability_colour(0.5)) == "#FFFFFF"
    for deficiency in ("deuteranomaly", "protanomaly"):
        assert distance(simulated(surprised, deficiency), simulated(sure, deficiency)) >= 12
    assert distance(simulated("#F4AFAF", "deuteranomaly"), simulated("#AFF4AF", "deuteranomaly")) < 12  # the old ends
    text = 0.0331  # the relative luminance of Streamlit's text colour, #31333F
    for end in (surprised, sure):
        luminance = 1.05 / contrast_on_white(end) - 0.05
        assert (luminance + 0.05) / (text + 0.05) >= 4.5


def test_generation_of_a_pretrained_model_is_seeded(gru):
    """Same seed, same text; another seed, another text. Its speed is a benchmark: bench/page_speed.py."""
    from rnnviz.charlm.generation import generate

    first = generate(gru.model, gru.vocab, "A", SamplingConfig(length=200, seed=0))
    assert len(first) == 200 and set(first) <= set(gru.vocab.chars)
    assert generate(gru.model, gru.vocab, "A", SamplingConfig(length=200, seed=0)) == first
    assert generate(gru.model, gru.vocab, "A", SamplingConfig(length=200, seed=1)) != first


def test_checkpoint_bytes_of_a_pretrained_model_round_trip(gru):
    from rnnviz.charlm.checkpoint import load_checkpoint

    assert load_checkpoint(checkpoint_bytes(gru)).config == gru.config


def test_inspect_opens_on_the_models_own_corpus_at_its_best_unit():
    at = open_page("2_Inspect.py")
    names = at.selectbox(key="inspect.model").options
    code_model = next(name for name in names if name.startswith("python-code-lstm"))
    at.selectbox(key="inspect.model").set_value(code_model).run()
    text = at.text_area(key="inspect.text").value
    assert not at.exception and not text.startswith("ROMEO")  # the code model reads code, not Shakespeare
    assert any(ch in text for ch in "()[]") and ("def " in text or "=" in text)
    shown = " ".join(m.value for m in at.markdown if "Units that track" in m.value)
    best = re.search(r"layer (\d) ([hc])\[(\d+)\]", shown)
    assert best and at.selectbox(key="inspect.layer").value == int(best.group(1))  # opens on the best unit's layer
    assert at.radio(key="inspect.state").value == best.group(2)
    assert at.number_input(key="inspect.unit").value == int(best.group(3))
    at.text_area(key="inspect.text").set_value("x = (1, 2)").run()
    at.selectbox(key="inspect.model").set_value(names[0]).run()
    assert at.text_area(key="inspect.text").value == "x = (1, 2)"  # typed text stays when the model changes


@pytest.fixture(scope="module")
def newer_checkpoints():
    """A tiny model of every newer cell, trained a few steps on a short text (the Transformer's window: 8)."""
    from helpers import TINY_TEXT

    from rnnviz.charlm.batches import CorpusData
    from rnnviz.charlm.corpora import Corpus
    from rnnviz.charlm.trainer import TrainConfig
    from rnnviz.labs.language_models import LanguageModelLab, LanguageModelLabConfig

    cells = ("minGRU", "minLSTM", "Selective SSM", "Transformer")
    train = TrainConfig(seq_len=8, batch_size=2, eval_every=3, eval_chars=200)
    config = LanguageModelLabConfig(cells=cells, hidden_size=8, embed_size=4, steps=3, sample_every=0, train=train)
    lab = LanguageModelLab(CorpusData.from_corpus(Corpus("tiny", TINY_TEXT)), config)
    lab.step_each(3)
    return {f"{cell} tiny": lab.checkpoint_of(cell) for cell in cells}


def test_generate_a_model_of_every_newer_cell(newer_checkpoints):
    at = open_page("3_Generate.py")
    at.session_state["rnnviz.models"] = dict(newer_checkpoints)
    at.run()
    names = [f"{name} (this session)" for name in newer_checkpoints]
    at.multiselect(key="generate.models").set_value(names[:3]).run()
    at.number_input(key="generate.length").set_value(30).run()
    at.text_input(key="generate.prompt").set_value("the cat sat on the mat and").run()
    assert "generates step by step" in texts(at, "caption")
    at.button(key="generate.go").click().run()
    assert not at.exception and all(len(pieces) == 30 for _, pieces in at.session_state["generate.results"].values())
    at.multiselect(key="generate.models").set_value(names[3:]).run()
    assert "context window of 8 tokens" in texts(at, "caption")
    at.button(key="generate.go").click().run()  # a prompt longer than the window: cropped, as in nanoGPT
    ((_, (_, pieces)),) = at.session_state["generate.results"].items()
    assert not at.exception and len(pieces) == 30 and all(0 < p.prob <= 1 for p in pieces)


def test_inspect_shows_what_each_newer_cell_computes(newer_checkpoints):
    at = open_page("2_Inspect.py")
    at.session_state["rnnviz.models"] = dict(newer_checkpoints)
    at.run()
    at.selectbox(key="inspect.model").set_value("minGRU tiny (this session)").run()
    at.text_area(key="inspect.text").set_value("she said").run()
    assert not at.exception and "parallel scan" in texts(at, "caption") and "exact" in texts(at, "caption")
    at.segmented_control(key="inspect.view").set_value("gates").run()
    names = [trace["name"] for trace in plotly_specs(at)[0]["data"]]
    assert names == ["update gate z", "decay: what is kept of h", "candidate h~", "hidden state h"]  # per token, unit

    at.selectbox(key="inspect.model").set_value("minLSTM tiny (this session)").run()
    names = [trace["name"] for trace in plotly_specs(at)[0]["data"]]
    assert "normalised forget gate f'" in names and "normalised input gate i'" in names

    at.selectbox(key="inspect.model").set_value("Selective SSM tiny (this session)").run()
    at.segmented_control(key="inspect.view").set_value("step").run()
    assert not at.exception
    (spec,) = plotly_specs(at)
    heatmap = next(trace for trace in spec["data"] if trace["type"] == "heatmap")
    assert len(array(heatmap["z"])) == 8 and len(array(heatmap["z"])[0]) == len("she said")  # channels x tokens

    at.selectbox(key="inspect.model").set_value("Transformer tiny (this session)").run()
    assert at.segmented_control(key="inspect.view").value == "neurons"  # no step size here: back to the first view
    assert "step" not in at.segmented_control(key="inspect.view").options
    at.segmented_control(key="inspect.view").set_value("attention").run()
    heads = [trace for trace in plotly_specs(at)[0]["data"] if trace["type"] == "heatmap"]
    assert len(heads) == 4 and all(len(array(h["z"])) == len("she said") for h in heads)
    for head in heads:
        z = array(head["z"])
        assert all(abs(sum(row) - 1) < 5e-3 and not any(row[i + 1 :]) for i, row in enumerate(z))  # causal rows
    at.text_area(key="inspect.text").set_value("she said hello and left").run()  # longer than its window of 8
    assert not at.exception and "at most 8 tokens" in texts(at, "info")
    assert all(len(array(h["z"])) == 8 for h in plotly_specs(at)[0]["data"] if h["type"] == "heatmap")
    at.segmented_control(key="inspect.view").set_value("compare").run()
    at.multiselect(key="inspect.compare_models").set_value(
        ["Transformer tiny (this session)", "minGRU tiny (this session)"]
    ).run()
    assert not at.exception and not at.error  # the text cropped to the window for both: the same positions
    assert {trace["name"] for trace in plotly_specs(at)[0]["data"]} >= {
        "Transformer tiny (this session)",
        "minGRU tiny (this session)",
    }


@pytest.mark.parametrize(
    "cell, view",
    [("Selective SSM", "step"), ("Transformer", "attention"), ("minLSTM", "gates"), ("Selective SSM", "intervene")],
)
def test_the_newer_cells_views_in_chinese_show_no_catalogue_english(newer_checkpoints, cell, view):
    from test_chinese_interface import english_sentences, screen_texts

    at = open_page("2_Inspect.py", {"lang": "zh"})
    at.session_state["rnnviz.models"] = dict(newer_checkpoints)
    at.run()
    at.selectbox(key="inspect.model").set_value(f"{cell} tiny (this session)").run()
    at.text_area(key="inspect.text").set_value("she said hello and left").run()
    at.segmented_control(key="inspect.view").set_value(view).run()
    assert not at.exception and plotly_specs(at)
    shown = "\n".join(screen_texts(at) + [c.value for c in at.caption])
    assert [text for text in english_sentences("zh") if text in shown] == []
