"""Inspect's Intervene view: a unit clamped from a position on, beside the untouched run, on a shipped model."""

from apptest_helpers import open_page, plotly_specs, texts

from rnnviz.introspect import trace_text
from rnnviz.introspect.intervene import Intervention, intervene_ids
from rnnviz.pretrained import load_pretrained


def test_the_intervene_view_opens_on_the_finders_unit_and_follows_a_changed_unit(monkeypatch):
    import rnnviz.ui.inspect_view as inspect_view

    replayed = []  # the interventions the page ran
    run = inspect_view.intervene_ids
    monkeypatch.setattr(inspect_view, "intervene_ids", lambda *args: replayed.append(args[-1]) or run(*args))
    at = open_page("2_Inspect.py", {"view": "intervene"})
    assert not at.exception and at.segmented_control(key="inspect.view").value == "intervene"
    page_unit = at.session_state["inspect.unit"]  # the neuron finder's best unit for this model and text
    assert at.number_input(key="inspect.iv.unit").value == page_unit
    assert at.selectbox(key="inspect.iv.state").value == at.session_state["inspect.state"]
    (spec,) = plotly_specs(at)  # only this view's chart is built
    assert [trace["name"] for trace in spec["data"]] == ["untouched", f"clamped: layer 1 c[{page_unit}] = 0"]
    reading = " ".join(m.value for m in at.markdown if m.value.startswith("With layer"))
    assert f"c[{page_unit}] = 0 from position 0" in reading and "comes next" in reading
    untouched, clamped = (block.value for block in at.code[:2])

    ckpt = load_pretrained("shakespeare-lstm")  # the page shows what the backend computes for this unit
    text = at.text_area(key="inspect.text").value
    trace = trace_text(ckpt.model, ckpt.vocab, text)
    expected = intervene_ids(ckpt.model, ckpt.vocab, trace.ids, Intervention(layer=1, state="c", unit=page_unit))
    shown = (expected.untouched.continuation.strip(), expected.clamped.continuation.strip())  # st.code strips
    assert (untouched, clamped) == shown

    other = (page_unit + 1) % 512
    at.number_input(key="inspect.iv.unit").set_value(other).run()
    assert not at.exception and at.query_params["iv_unit"] == str(other)
    now = [block.value for block in at.code[:2]]
    assert now[0] == untouched  # the untouched run does not depend on the unit
    again = intervene_ids(ckpt.model, ckpt.vocab, trace.ids, Intervention(layer=1, state="c", unit=other))
    assert now[1] == again.clamped.continuation.strip() and len(again.clamped.continuation) == 40
    assert plotly_specs(at)[0]["data"][1]["name"] == f"clamped: layer 1 c[{other}] = 0"

    at.selectbox(key="inspect.iv.state").set_value("f").run()  # a gate, held open at 1 from position 5
    at.number_input(key="inspect.iv.value").set_value(1.0).run()
    at.slider(key="inspect.iv.from").set_value(5).run()
    assert not at.exception and "from position 5" in " ".join(m.value for m in at.markdown)
    assert at.query_params["iv_state"] == "f" and at.query_params["iv_from"] == "5"
    assert "exact" in texts(at, "caption")
    ran = len(replayed)
    at.run()  # a rerun that changes nothing here (another control, a poll): the last runs are shown again
    assert not at.exception and len(replayed) == ran and "from position 5" in " ".join(m.value for m in at.markdown)
    assert [i.unit for i in replayed[:2]] == [page_unit, other]  # one replay for each intervention asked for


def test_a_link_opens_the_intervention_it_names_and_a_gru_offers_its_own_gates():
    query = {"view": "intervene", "iv_state": "c", "iv_unit": "7", "iv_from": "3", "iv_value": "2", "iv_len": "12"}
    at = open_page("2_Inspect.py", query)
    assert not at.exception
    assert at.number_input(key="inspect.iv.unit").value == 7 and at.slider(key="inspect.iv.from").value == 3
    assert all(0 < len(block.value) <= 12 for block in at.code[:2])
    assert "layer 1 c[7] = 2 from position 3" in " ".join(m.value for m in at.markdown)
    at.selectbox(key="inspect.model").set_value("shakespeare-gru (pretrained)").run()
    assert not at.exception
    assert at.selectbox(key="inspect.iv.state").options == [
        "hidden state h",
        "reset gate r",
        "update gate z",
        "candidate n",
    ]
    assert at.number_input(key="inspect.iv.unit").value == at.session_state["inspect.unit"]  # the new model's best


def test_the_intervene_view_in_chinese_shows_no_catalogue_english():
    from test_chinese_interface import english_sentences, screen_texts

    at = open_page("2_Inspect.py", {"lang": "zh", "view": "intervene"})
    assert not at.exception and plotly_specs(at)
    shown = "\n".join(screen_texts(at) + [c.value for c in at.caption])
    assert [text for text in english_sentences("zh") if text in shown] == []


def test_a_link_to_an_intervention_the_model_does_not_have_warns_and_opens_on_the_finders_unit():
    at = open_page("2_Inspect.py", {"view": "intervene", "iv_unit": "9999", "iv_state": "r", "iv_from": "5000"})
    assert not at.exception and texts(at, "warning").count("not valid here") == 3  # a GRU's gate on an LSTM
    assert at.number_input(key="inspect.iv.unit").value == at.session_state["inspect.unit"]
    assert at.selectbox(key="inspect.iv.state").value == at.session_state["inspect.state"]
    assert at.slider(key="inspect.iv.from").value == 0 and len(at.code) >= 2


def test_a_newer_cell_offers_its_own_gates_to_clamp_through_its_replay():
    from helpers import TINY_TEXT

    from rnnviz.charlm.batches import CorpusData
    from rnnviz.charlm.corpora import Corpus
    from rnnviz.charlm.trainer import TrainConfig
    from rnnviz.labs.language_models import LanguageModelLab, LanguageModelLabConfig
    from rnnviz.ui.inspect_view import views_for

    cells = ("minGRU", "Selective SSM")
    train = TrainConfig(seq_len=8, batch_size=2, eval_every=3, eval_chars=200)
    config = LanguageModelLabConfig(cells=cells, hidden_size=8, embed_size=4, steps=3, sample_every=0, train=train)
    lab = LanguageModelLab(CorpusData.from_corpus(Corpus("tiny", TINY_TEXT)), config)
    lab.step_each(3)
    at = open_page("2_Inspect.py", {"view": "intervene", "iv_len": "10"})
    at.session_state["rnnviz.models"] = {f"{cell} tiny": lab.checkpoint_of(cell) for cell in cells}
    at.run()
    at.selectbox(key="inspect.model").set_value("minGRU tiny (this session)").run()
    at.text_area(key="inspect.text").set_value("she said").run()
    assert not at.exception and at.segmented_control(key="inspect.view").value == "intervene"
    picker = at.selectbox(key="inspect.iv.state")
    assert picker.options == ["hidden state h", "update gate z", "decay: what is kept of h", "candidate h~"]
    picker.set_value("decay").run()
    at.number_input(key="inspect.iv.value").set_value(1.0).run()  # keep all of h from position 0 on
    assert not at.exception and at.query_params["iv_state"] == "decay"
    assert plotly_specs(at)[0]["data"][1]["name"].startswith("clamped: layer 0 decay[")
    assert len(at.code) >= 2 and "exact" in texts(at, "caption")

    at.selectbox(key="inspect.model").set_value("Selective SSM tiny (this session)").run()
    assert not at.exception and at.segmented_control(key="inspect.view").value == "intervene"
    assert at.selectbox(key="inspect.iv.state").options == [
        "hidden state h",
        "step size Δ",
        "output y",
        "output gate silu(z)",
    ]
    assert "intervene" in views_for("minlstm") and "intervene" not in views_for("transformer")
