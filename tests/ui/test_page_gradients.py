from apptest_helpers import array, open_page, plotly_specs, texts


def test_decay_at_init_shows_the_lesson():
    at = open_page("4_Gradients.py")
    assert not at.exception
    chart = plotly_specs(at)[0]
    names = [t["name"] for t in chart["data"]]
    assert names == ["RNN (tanh)", "LSTM", "GRU"]
    rnn = array(chart["data"][0]["y"])
    assert len(rnn) == 100 and rnn[50] < 1e-2 * rnn[1]
    table = at.dataframe[0].value
    assert "shrinks" in str(table["what it means"].tolist())
    assert table["mean forget / update gate"].iloc[0] == "no gates" and 0 < float(table["decay per step"].iloc[0]) < 1
    at.slider(key="grad.forget").set_value(3.0).run()
    lstm = array(plotly_specs(at)[0]["data"][1]["y"])
    assert lstm[50] > 100 * array(plotly_specs(at)[0]["data"][0]["y"])[50]


def test_every_mechanism_control():
    at = open_page("4_Gradients.py")
    at.multiselect(key="grad.cells").set_value(["RNN (relu)", "GRU"]).run()
    at.slider(key="grad.hidden").set_value(32).run()
    at.slider(key="grad.seq").set_value(40).run()
    at.selectbox(key="grad.init").set_value("orthogonal").run()
    at.checkbox(key="grad.set_radius").check().run()
    at.slider(key="grad.radius").set_value(1.2).run()
    at.slider(key="grad.update").set_value(2.0).run()
    at.checkbox(key="grad.chrono").check().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert abs(float(table["spectral radius W_hh"].iloc[0]) - 1.2) < 1e-3
    assert len(array(plotly_specs(at)[0]["data"][0]["y"])) == 40


def test_decay_during_training_and_exploding_case():
    at = open_page("4_Gradients.py")
    for key, value in (("grad.hidden", 16), ("grad.seq", 100)):
        at.slider(key=key).set_value(value).run()
    at.multiselect(key="grad.cells").set_value(["RNN (relu)", "LSTM"]).run()
    at.selectbox(key="grad.init").set_value("identity").run()
    at.checkbox(key="grad.set_radius").check().run()
    at.slider(key="grad.radius").set_value(1.5).run()
    at.checkbox(key="grad.clip").uncheck().run()
    at.number_input(key="grad.lr").set_value(0.5).run()
    at.number_input(key="grad.steps").set_value(60).run()
    at.button(key="grad.train").click().run()
    live = at.session_state["grad.run"]
    assert live.worker.settled.wait(timeout=60)
    at.run()
    assert not at.exception and live.status == "finished"
    job = live.job
    assert job.lab.runs[0].diverged and "exploded" in texts(at, "error")
    assert len(job.measured) >= 2  # the decay, measured inside the job at step 0 and as it trained
    assert job.measured[max(job.measured)]["RNN (relu)"] is None  # a diverged cell has no gradient to draw
    assert "After" in plotly_specs(at)[-1]["layout"]["title"]["text"]


def test_task_training_and_sweep():
    at = open_page("4_Gradients.py")
    at.selectbox(key="task.name").set_value("order").run()
    at.select_slider(key="task.hidden").set_value(16).run()
    at.number_input(key="task.steps").set_value(20).run()
    at.button(key="task.start").click().run()
    live = at.session_state["task.run"]
    assert live.worker.settled.wait(timeout=60)
    lab = live.job
    at.run()
    assert not at.exception and lab.step_count == 20
    table = at.dataframe[-1].value
    assert set(table["cell"]) == {"RNN (tanh)", "LSTM", "GRU"} and abs(table["baseline"].iloc[0] - 1.386) < 1e-3
    at.number_input(key="task.steps").set_value(10).run()
    at.button(key="task.sweep").click().run()
    live = at.session_state["task.run"]
    assert live.worker.settled.wait(timeout=120)
    sweep = live.job
    at.run()
    assert sorted(sweep.results) == [10, 25, 50, 100, 200]
    assert "Success against sequence length" in texts(at, "markdown")


def test_a_table_leaves_out_a_column_with_no_values():
    from rnnviz.ui.gradients_view import table

    rows = [
        {"cell": "LSTM", "held-out loss": 0.01, "accuracy": None},
        {"cell": "GRU", "held-out loss": 0.2, "accuracy": None},
    ]
    frame = table(rows)  # the adding task is a regression: no accuracy to show, so no column of "None"
    assert list(frame["cell"]) == ["LSTM", "GRU"] and not [c for c in frame.columns if "accuracy" in c.lower()]
    assert len(table([{**rows[0], "accuracy": 0.5}, rows[1]]).columns) == 3  # one value is enough to keep it


def test_a_chart_says_what_it_shows_and_gives_its_data_as_a_table():
    at = open_page("4_Gradients.py")
    caption = next(c.value for c in at.caption if c.value.startswith("At initialisation: RNN (tanh)"))
    assert "RNN (tanh)" in caption and "LSTM" in caption and "GRU" in caption  # each curve's last value
    assert [e for e in at.expander if e.label == "Data as a table"]
    tables = len(at.dataframe)  # closed: the table is not built
    at.session_state["grad.decay_chart.table"] = True
    at.run()
    assert len(at.dataframe) == tables + 1
    rows = at.dataframe[0].value  # drawn under its chart, above the page's own table
    assert set(rows["series"]) == {"RNN (tanh)", "LSTM", "GRU"} and len(rows) == 3 * 100
    chinese = open_page("4_Gradients.py", {"lang": "zh"})
    assert any(c.value.startswith("图表：") for c in chinese.caption) and "数据表" in [
        e.label for e in chinese.expander
    ]
