"""Every lab's settings have a deep link, and a teacher's locked link fixes the settings it names."""

from urllib.parse import parse_qs, urlsplit

from apptest_helpers import open_page, texts

from rnnviz.labs.train_settings import PRESETS, TrainSettings
from rnnviz.links import class_link


def test_gradients_settings_travel_in_the_url_and_back():
    at = open_page("4_Gradients.py", {"forget_bias": "3.0", "cells": "LSTM", "task": "order", "seeds": "3"})
    assert not at.exception
    assert at.slider(key="grad.forget").value == 3.0 and at.multiselect(key="grad.cells").value == ["LSTM"]
    assert at.selectbox(key="task.name").value == "order" and at.number_input(key="task.repeats").value == 3
    at.slider(key="grad.hidden").set_value(64).run()
    assert at.query_params["hidden"] in (["64"], "64")
    at = open_page("4_Gradients.py", {"forget_bias": "99", "cells": "mamba"})  # the Transformer is a cell now
    warnings = texts(at, "warning")
    assert "forget_bias='99' is not valid" in warnings and "Unknown cells ['mamba']" in warnings and not at.exception


def test_attention_settings_travel_in_the_url():
    at = open_page("5_Attention.py", {"task": "reverse", "attention": "luong-dot,none", "length": "12"})
    assert at.selectbox(key="attn.task").value == "reverse"
    assert at.multiselect(key="attn.kinds").value == ["luong-dot", "none"] and at.slider(key="attn.length").value == 12


def test_a_locked_gradients_link_fixes_and_hides_what_the_teacher_chose():
    params = class_link({"page": "Gradients"}, {"forget_bias": "3.0", "cells": "LSTM"}, ["forget_bias"])
    at = open_page("4_Gradients.py", params)
    assert not at.exception
    assert not [s for s in at.slider if s.key == "grad.forget"]  # hidden: no widget at all
    assert not [m for m in at.multiselect if m.key == "grad.cells"] and "LSTM** (set by your teacher)" in texts(
        at, "markdown"
    )
    table = at.dataframe[0].value
    assert list(table["cell"]) == ["LSTM"] and float(table["mean forget / update gate"].iloc[0]) > 0.9  # bias 3
    assert not [e for e in at.sidebar.expander if e.label == "Share with a class"]
    tampered = open_page("4_Gradients.py", {**params, "forget_bias": "0.0"})
    assert "changed after your teacher made it" in texts(tampered, "error")


def test_the_teacher_panel_on_a_lab_builds_a_link_that_locks():
    at = open_page("5_Attention.py")
    panel = [e for e in at.sidebar.expander if e.label == "Share with a class"]
    assert panel and at.sidebar.get("image")
    at.sidebar.multiselect(key="share.Attention.lock").set_value(["task"]).run()
    link = at.sidebar.code[-1].value
    assert "lock=task" in link and "page=Attention" in link and "sig=" in link


def test_a_locked_train_link_keeps_its_settings_through_reruns():
    params = class_link({"page": "Train"}, {"hidden": "48", "cells": "lstm,gru"}, [])
    at = open_page("1_Train.py", params)
    assert not at.exception and "48** (set by your teacher)" in texts(at, "markdown")
    assert not [n for n in at.sidebar.number_input if n.key == "train.w.hidden_size"]
    at.sidebar.number_input(key="train.w.seq_len").set_value(32).run()  # an unlocked setting still moves
    settings = at.session_state["train.settings"]
    assert settings.hidden_size == 48 and settings.cells == ("LSTM", "GRU") and settings.seq_len == 32
    assert at.query_params["sig"] in ([params["sig"]], params["sig"])  # the lock survives the rewrite of the URL
    tampered = open_page("1_Train.py", {**params, "hidden": "256"})
    assert "changed after your teacher made it" in texts(tampered, "error")
    assert tampered.session_state["train.settings"].hidden_size == 64  # the default, not the edit


def test_generate_and_inspect_settings_have_deep_links():
    at = open_page("3_Generate.py", {"prompt": "JULIET:", "temperature": "0.5", "seed": "7", "top_k": "abc"})
    assert not at.exception and at.text_input(key="generate.prompt").value == "JULIET:"
    assert at.slider(key="generate.temperature").value == 0.5 and at.number_input(key="generate.seed").value == 7
    assert "top_k='abc' is not valid" in texts(at, "warning")
    names = at.multiselect(key="generate.models").options
    code_model = next(name for name in names if name.startswith("python-code-lstm"))
    at = open_page("2_Inspect.py", {"model": code_model, "text": "def f(x):\n    return (x + 1)\n"})
    assert at.selectbox(key="inspect.model").value == code_model
    assert at.text_area(key="inspect.text").value == "def f(x):\n    return (x + 1)\n" and not at.exception
    assert "text=def" in at.sidebar.code[-1].value  # the short text is in the class link


def test_inspect_links_name_the_unit_on_screen():
    at = open_page("2_Inspect.py", {"layer": "0", "state": "h", "unit": "5"})
    assert at.selectbox(key="inspect.layer").value == 0 and at.radio(key="inspect.state").value == "h"
    assert at.number_input(key="inspect.unit").value == 5
    at.number_input(key="inspect.unit").set_value(9).run()
    assert at.query_params["unit"] in (["9"], "9") and "unit=9" in at.sidebar.code[-1].value
    at = open_page("2_Inspect.py", {"layer": "7", "state": "h", "unit": "5"})
    assert "does not exist in this model" in texts(at, "warning") and not at.exception


def test_a_link_asking_for_more_models_than_the_page_takes_warns_instead_of_failing():
    names = open_page("3_Generate.py").multiselect(key="generate.models").options
    at = open_page("3_Generate.py", {"models": ",".join(names[:4])})
    assert not at.exception and "is not valid here" in texts(at, "warning")
    assert len(at.multiselect(key="generate.models").value) == 1  # the default


def test_train_settings_round_trip_through_the_url():
    at = open_page("1_Train.py")
    at.sidebar.multiselect(key="train.w.cells").set_value(["GRU", "LSTM"])
    at.sidebar.number_input(key="train.w.learning_rate").set_value(0.01)
    at.sidebar.checkbox(key="train.w.clip").set_value(False)
    at.sidebar.radio(key="train.w.tokens").set_value("words")
    at.sidebar.selectbox(key="train.w.optimizer").set_value("sgd").run()
    settings = at.session_state["train.settings"]
    link = {key: at.query_params[key] for key in at.query_params}
    assert link == {"cells": "gru,lstm", "lr": "0.01", "clip": "0", "tokens": "words", "optimizer": "sgd"}
    again = open_page("1_Train.py", link)
    assert not again.exception and again.session_state["train.settings"] == settings
    assert again.sidebar.multiselect(key="train.w.cells").value == ["GRU", "LSTM"] and not again.warning


def test_a_preset_link_clamps_its_values_with_a_warning_and_names_every_value():
    at = open_page("1_Train.py", {"preset": "exploding", "lr": "5", "seed": "x"})
    warnings = texts(at, "warning")
    assert "Link setting ignored or changed: lr=5 is outside 1e-05..1.0; using 1.0." in warnings
    assert "seed='x': not a valid value" in warnings
    settings = at.session_state["train.settings"]
    assert settings.learning_rate == 1.0 and settings.init == "orthogonal" and settings.clip is False
    assert "preset" not in at.query_params and at.query_params["init"] == "orthogonal"
    at.run()
    assert not at.warning  # said once: the link was mended


def test_picking_a_preset_starts_every_setting_from_it():
    at = open_page("1_Train.py", {"hidden": "48"})
    at.sidebar.selectbox(key="train.w.preset").set_value("shakespeare").run()
    settings = at.session_state["train.settings"]
    assert settings == PRESETS["shakespeare"] and at.query_params["hidden"] == "256"
    assert at.selectbox(key="train.corpus.source").value == "shakespeare"


def test_a_hidden_train_lock_applies_its_value_without_showing_it():
    params = class_link({"page": "Train"}, {"lr": "0.01", "optimizer": "sgd"}, ["lr"])
    at = open_page("1_Train.py", params)
    assert not at.exception and at.session_state["train.settings"].learning_rate == 0.01
    assert not [n for n in at.sidebar.number_input if n.key == "train.w.learning_rate"]
    shown = texts(at, "markdown")
    assert "Learning rate" not in shown and "Optimiser: **sgd** (set by your teacher)" in shown
    assert not [s for s in at.sidebar.selectbox if s.key in ("train.w.preset", "train.w.optimizer")]
    assert not [e for e in at.sidebar.expander if e.label == "Share with a class"]


def test_the_train_share_panel_builds_a_link_that_locks_and_a_changed_one_is_refused():
    at = open_page("1_Train.py", {"hidden": "48"})
    lock = at.sidebar.multiselect(key="share.Train.lock")
    assert "Hidden units" in lock.options and "hidden" not in lock.options  # the page's label, not the url key
    lock.set_value(["hidden", "cells"]).run()
    link = parse_qs(urlsplit(at.sidebar.code[-1].value).query)
    params = {key: values[0] for key, values in link.items()}
    assert params["page"] == "Train" and params["lock"] == "cells,hidden" and params["corpus"] == "python-docs"
    student = open_page("1_Train.py", params)
    assert "Hidden units: **48** (set by your teacher)" in texts(student, "markdown")
    tampered = open_page("1_Train.py", {**params, "cells": "lstm"})
    assert "changed after your teacher made it" in texts(tampered, "error")
    assert "Hidden units: **64** (the default: this link's lock was refused)" in texts(tampered, "markdown")
    assert "set by your teacher" not in texts(tampered, "markdown")
    assert tampered.session_state["train.settings"].cells == TrainSettings().cells  # the defaults, not the edit


def test_a_chinese_page_s_share_panel_and_refusal_speak_chinese():
    at = open_page("4_Gradients.py", {"lang": "zh"})
    lock = at.sidebar.multiselect(key="share.Gradients.lock")
    assert not [o for o in lock.options if o.isascii() and o.islower()]  # no url key ("seq_len", "hidden") shown
    params = class_link({"page": "Gradients"}, {"forget_bias": "3.0"}, [])
    tampered = open_page("4_Gradients.py", {**params, "forget_bias": "0.0", "lang": "zh"})
    assert "被改动过" in texts(tampered, "error") and "changed after" not in texts(tampered, "error")
    assert "默认值" in texts(tampered, "markdown") and "由老师设定" not in texts(tampered, "markdown")
