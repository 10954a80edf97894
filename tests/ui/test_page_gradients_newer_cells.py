"""The Gradients page with the newer cells (issue #26): picked by key in a link, drawn with their own styles, the
Transformer's curve said for what it is, and the selective copy task trained from a link."""

from apptest_helpers import array, open_page, plotly_specs, texts

from rnnviz.cells import style_for

LINK = {
    "cells": "lstm,mingru,transformer",
    "hidden": "16",
    "seq": "20",
    "task": "selective-copy",
    "task_cells": "gru,ssm,transformer",
    "T": "10",
    "task_hidden": "16",
    "task_steps": "10",
}


def test_a_link_opens_the_newer_cells_and_the_selective_copy_task_and_runs_it():
    at = open_page("4_Gradients.py", LINK)
    assert not at.exception and not texts(at, "warning")
    assert at.multiselect(key="grad.cells").value == ["LSTM", "minGRU", "Transformer"]
    chart = plotly_specs(at)[0]
    assert [trace["name"] for trace in chart["data"]] == ["LSTM", "minGRU", "Transformer"]
    for trace in chart["data"]:  # each model its own colour, dash and marker
        style = style_for(trace["name"])
        assert (trace["line"]["color"], trace["line"]["dash"], trace["marker"]["symbol"]) == (
            style["colour"],
            style["dash"],
            style["symbol"],
        )
    transformer = array(chart["data"][2]["y"])
    assert len(transformer) == 20 and transformer[19] > 0  # the gradient reaches the first position
    assert "Transformer: ||dL_T/dx_t||" in chart["layout"]["yaxis"]["title"]["text"]
    assert "carries no hidden state" in texts(at, "caption") and "parallel scan" in texts(at, "caption")
    table = at.dataframe[0].value
    assert "in one step" in table["what it means"].iloc[2]
    # what a missing value means, never "None": minGRU has no W_hh; the Transformer no W_hh, no gate, no rate to fit
    assert list(table["spectral radius W_hh"]) == [table["spectral radius W_hh"].iloc[0], "no W_hh", "no W_hh"]
    assert float(table["spectral radius W_hh"].iloc[0]) > 0 and float(table["mean forget / update gate"].iloc[1]) > 0
    assert table["mean forget / update gate"].iloc[2] == "no gates"
    assert table["decay per step"].iloc[2] == "none to fit (no recurrence)"
    assert at.selectbox(key="task.name").value == "selective-copy"
    assert at.multiselect(key="task.cells").value == ["gru", "ssm", "transformer"]
    assert "Mamba's selective copying" in texts(at, "caption")
    at.button(key="task.start").click().run()
    live = at.session_state["task.run"]
    assert live.worker.settled.wait(timeout=60)
    at.run()
    assert not at.exception and live.job.step_count == 10
    rows = at.dataframe[-1].value
    assert list(rows["cell"]) == ["GRU", "Selective SSM", "Transformer"] and rows["accuracy"].notna().all()
    loss_chart = plotly_specs(at)[-2]  # the loss, then the accuracy
    assert [trace["name"] for trace in loss_chart["data"]] == ["GRU", "Selective SSM", "Transformer"]


def test_unknown_cells_in_a_link_are_refused_with_a_message_and_the_known_ones_kept():
    at = open_page("4_Gradients.py", {"cells": "gru,mamba", "seq": "20", "task_cells": "lstm,rwkv"})
    assert not at.exception
    warnings = texts(at, "warning")
    assert "Unknown cells ['mamba']" in warnings and "Unknown cells ['rwkv']" in warnings and "transformer" in warnings
    assert at.multiselect(key="grad.cells").value == ["GRU"] and at.multiselect(key="task.cells").value == ["lstm"]
    chinese = open_page("4_Gradients.py", {"cells": "mamba", "lang": "zh"})
    assert "未知" in texts(chinese, "warning") and chinese.multiselect(key="grad.cells").value == [
        "RNN (tanh)",
        "LSTM",
        "GRU",
    ]


def test_a_link_names_the_cells_by_key_and_still_reads_an_older_link_by_label():
    at = open_page("4_Gradients.py", {"seq": "20"})
    at.multiselect(key="grad.cells").set_value(["GRU", "Selective SSM"]).run()
    assert at.query_params["cells"] in (["gru,ssm"], "gru,ssm")
    older = open_page("4_Gradients.py", {"cells": "RNN (tanh),LSTM", "seq": "20"})
    assert not texts(older, "warning") and older.multiselect(key="grad.cells").value == ["RNN (tanh)", "LSTM"]
