import json

import pytest
from apptest_helpers import array, open_page, plotly_specs, texts, tiny_train_settings

from rnnviz.charlm.checkpoint import checkpoint_bytes


def test_renders_without_exception():
    at = open_page("1_Train.py")
    assert not at.exception
    assert at.title[0].value == "Train"
    assert "python-docs" in texts(at, "caption")


def test_three_cells_start_progress_pause_resume_stop():
    at = open_page("1_Train.py")
    tiny_train_settings(at, steps=20_000)
    at.button(key="train.start").click().run()
    live = at.session_state["train.run"]  # the LiveRun: its job (the lab) and its worker
    assert not at.exception and live.status == "running"
    run = live.job
    assert [cell.name for cell in run.runs] == ["RNN (tanh)", "LSTM", "GRU"]
    assert live.worker.wait_for_steps(30, timeout=60)
    at.run()
    first = [cell.step for cell in run.runs]
    assert live.worker.wait_for_steps(live.worker.steps_done + 30, timeout=60)
    at.run()
    second = [cell.step for cell in run.runs]
    assert all(b > a > 0 for a, b in zip(first, second))  # the worker trains between reruns
    specs = plotly_specs(at)
    loss_traces = [t for t in specs[0]["data"] if t["name"].endswith("train")]
    assert len(loss_traces) == 3 and all(a <= array(t["x"])[-1] <= b for t, a, b in zip(loss_traces, first, second))
    assert len(specs[1]["data"]) == 3  # gradient norms
    assert len(at.dataframe[0].value) == 3

    at.button(key="train.pause").click().run()
    assert live.status == "paused" and not live.worker.running
    paused = [cell.step for cell in run.runs]
    at.run()
    assert [cell.step for cell in run.runs] == paused
    assert len(at.session_state["rnnviz.models"]) == 3  # published for the other pages

    at.button(key="train.resume").click().run()
    assert live.status == "running"
    at.button(key="train.stop").click().run()
    assert live.status == "stopped"
    stopped = [cell.step for cell in run.runs]
    at.run()
    assert [cell.step for cell in run.runs] == stopped and not at.exception
    assert not live.worker.alive


def test_step_n_for_classroom_pacing():
    at = open_page("1_Train.py")
    tiny_train_settings(at)
    at.number_input(key="train.step_n").set_value(7)
    at.button(key="train.step").click().run()
    assert not at.exception
    assert [cell.step for cell in at.session_state["train.run"].job.runs] == [7, 7, 7]
    at.button(key="train.step").click().run()
    assert [cell.step for cell in at.session_state["train.run"].job.runs] == [14, 14, 14]


def test_run_survives_a_visit_to_another_page():
    at = open_page("1_Train.py")
    tiny_train_settings(at)
    at.button(key="train.step").click().run()
    at.switch_page("app.py").run()
    at.switch_page("pages/1_Train.py").run()
    assert not at.exception
    assert [cell.step for cell in at.session_state["train.run"].job.runs] == [10, 10, 10]
    assert at.sidebar.number_input(key="train.w.hidden_size").value == 8  # settings kept too


def test_divergence_is_shown_and_the_others_go_on():
    at = open_page("1_Train.py", {"preset": "exploding", "lr": "5", "hidden": "32", "seq_len": "64"})
    at.number_input(key="train.step_n").set_value(60)
    at.button(key="train.step").click().run()
    assert not at.exception
    runs = {cell.name: cell for cell in at.session_state["train.run"].job.runs}
    assert runs["RNN (relu)"].diverged
    assert "diverged" in texts(at, "error")
    assert any("diverged" in a.get("text", "") for a in plotly_specs(at)[0]["layout"].get("annotations", []))


def test_url_settings_reach_the_sidebar_and_back():
    at = open_page("1_Train.py", {"cells": "lstm", "hidden": "48", "seq_len": "32"})
    assert at.sidebar.multiselect(key="train.w.cells").value == ["LSTM"]
    assert at.sidebar.number_input(key="train.w.hidden_size").value == 48
    at.sidebar.number_input(key="train.w.hidden_size").set_value(40).run()
    assert at.query_params["hidden"] == ["40"] or at.query_params["hidden"] == "40"


def test_bad_url_value_shows_a_warning_on_the_page():
    at = open_page("1_Train.py", {"hidden": "100000"})
    assert not at.exception
    assert "outside" in texts(at, "warning")
    assert at.sidebar.number_input(key="train.w.hidden_size").value == 512


@pytest.mark.parametrize(
    "content, message",
    [(b"", "empty"), (b"\x00\x01\x02binary\x00" * 10, "binary"), (b"ab" * 3_000_000, "at most")],
)
def test_bad_uploads_are_refused_with_a_message(content, message):
    at = open_page("1_Train.py")
    at.selectbox(key="train.corpus.source").set_value("upload a .txt file").run()
    at.file_uploader(key="train.corpus.upload").upload("corpus.txt", content, "text/plain").run()
    assert not at.exception
    assert message in texts(at, "error")
    assert at.button(key="train.start").disabled


def test_good_upload_trains():
    at = open_page("1_Train.py")
    at.selectbox(key="train.corpus.source").set_value("upload a .txt file").run()
    at.file_uploader(key="train.corpus.upload").upload("poem.txt", b"roses are red, violets are blue\n" * 50).run()
    tiny_train_settings(at)
    at.button(key="train.step").click().run()
    assert not at.exception and at.session_state["train.run"].job.data.name == "poem.txt"


def test_corrupted_checkpoint_upload_is_refused_and_a_good_one_loads():
    at = open_page("1_Train.py")
    tiny_train_settings(at)
    at.button(key="train.step").click().run()
    good = checkpoint_bytes(at.session_state["train.run"].job.checkpoint_of("LSTM"))
    at.file_uploader(key="train.ckpt_upload").upload("broken.safetensors", good[: len(good) // 3]).run()
    assert not at.exception and "Could not load broken.safetensors" in texts(at, "error")
    at.file_uploader(key="train.ckpt_upload").upload("lstm.safetensors", good).run()
    assert "Loaded LSTM" in texts(at, "success")
    assert "lstm (uploaded)" in at.session_state["rnnviz.models"]


def test_a_run_too_heavy_for_a_shared_server_is_refused_with_the_reason():
    at = open_page("1_Train.py", {"hidden": "512", "layers": "2", "seq_len": "400", "batch_size": "256"})
    at.button(key="train.start").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "GFLOP per step" in errors and "smaller batch" in errors
    assert "train.run" not in at.session_state  # nothing started


def test_seeds_from_the_url_show_every_seed_and_their_spread():
    at = open_page("1_Train.py", {"repeats": "2", "cells": "lstm,gru"})
    tiny_train_settings(at)
    at.button(key="train.step").click().run()
    assert not at.exception
    lab = at.session_state["train.run"].job
    assert [run.name for run in lab.runs] == ["LSTM · seed 0", "GRU · seed 0", "LSTM · seed 1", "GRU · seed 1"]
    aggregate = next(frame.value for frame in at.dataframe if "seeds" in frame.value.columns)
    assert list(aggregate["cell"]) == ["LSTM", "GRU"] and list(aggregate["seeds"]) == [2, 2]
    names = [trace["name"] for trace in plotly_specs(at)[0]["data"]]
    assert "LSTM train (mean of 2 seeds)" in names


def test_a_race_of_lstm_mingru_and_a_transformer_trains_and_draws():
    at = open_page("1_Train.py", {"cells": "lstm,mingru,transformer"})
    assert at.sidebar.multiselect(key="train.w.cells").value == ["LSTM", "minGRU", "Transformer"]
    tiny_train_settings(at)
    assert "context window is fixed to the sequence length: 16 tokens" in texts(at, "caption")
    at.number_input(key="train.step_n").set_value(6)
    at.button(key="train.step").click().run()
    assert not at.exception
    lab = at.session_state["train.run"].job
    assert [run.step for run in lab.runs] == [6, 6, 6]
    assert lab.runs[2].trainer.model.config.context_size == 16
    specs = plotly_specs(at)
    assert {t["name"] for t in specs[0]["data"] if t["name"].endswith("train")} == {
        f"{cell} train" for cell in ("LSTM", "minGRU", "Transformer")
    }
    assert len(specs[1]["data"]) == 3  # gradient norms
    assert len(at.session_state["rnnviz.models"]) == 3  # published for Inspect and Generate


def test_the_default_race_stays_the_classic_cells():
    at = open_page("1_Train.py")
    assert at.sidebar.multiselect(key="train.w.cells").value == ["RNN (tanh)", "LSTM", "GRU"]
    assert "Transformer" in at.sidebar.multiselect(key="train.w.cells").options
    assert "context window" not in texts(at, "caption")


def test_the_scaling_figures_are_drawn_from_the_bench_json_or_say_how_to_make_them(tmp_path, monkeypatch):
    rows = [
        {"measure": "training", "cell": cell, "label": label, "mode": mode, "seq_len": seq_len, "tokens_per_s": speed}
        for cell, label, mode, speed in (("gru", "GRU", "fused", 9e3), ("mingru", "minGRU", "parallel", 2e4))
        for seq_len in (64, 256)
    ]
    missing = tmp_path / "none.json"
    monkeypatch.setenv("RNNVIZ_SCALING_JSON", str(missing))
    at = open_page("1_Train.py")
    assert [e for e in at.expander if e.label.startswith("Speed against sequence length")]
    charts = len(plotly_specs(at))  # closed: nothing built
    at.session_state["train.scaling"] = True
    at.run()
    assert not at.exception and "bench scaling --json > docs/scaling-cpu.json" in texts(at, "info")
    figures = tmp_path / "scaling-cpu.json"
    figures.write_text(json.dumps(rows))
    monkeypatch.setenv("RNNVIZ_SCALING_JSON", str(figures))
    at.run()
    specs = plotly_specs(at)
    assert not at.exception and len(specs) == charts + 1
    assert [trace["name"] for trace in specs[-1]["data"]] == ["GRU", "minGRU"]


def test_a_race_with_a_transformer_in_chinese_says_its_window_in_chinese():
    at = open_page("1_Train.py", {"lang": "zh", "cells": "gru,minlstm,ssm,transformer", "init": "orthogonal"})
    assert not at.exception
    captions = texts(at, "caption")
    assert "上下文窗口固定为序列长度：64 个词元" in captions and "保留自己的初始化" in captions
    assert "minLSTM, Selective SSM, Transformer" in captions  # the newer cells keep their own initialisation
