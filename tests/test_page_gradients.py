import time

from apptest_helpers import array, open_page, plotly_specs, texts


def _wait(condition, seconds=20.0):
    deadline = time.time() + seconds
    while not condition() and time.time() < deadline:
        time.sleep(0.1)


def test_decay_at_init_shows_the_lesson():
    at = open_page("4_Gradients.py")
    assert not at.exception
    chart = plotly_specs(at)[0]
    names = [t["name"] for t in chart["data"]]
    assert names == ["RNN (tanh)", "LSTM", "GRU"]
    rnn = array(chart["data"][0]["y"])
    assert len(rnn) == 100 and rnn[50] < 1e-2 * rnn[1]
    assert "shrinks" in str(at.dataframe[0].value["what it means"].tolist())
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
    assert abs(table["spectral radius W_hh"].iloc[0] - 1.2) < 1e-3
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
    run = at.session_state["grad.run"]
    _wait(lambda: run.finished)
    at.run()
    assert not at.exception
    assert run.runs[0].diverged and "exploded" in texts(at, "error")
    assert len(at.session_state["grad.snapshots"]) >= 2


def test_task_training_and_sweep():
    at = open_page("4_Gradients.py")
    at.selectbox(key="task.name").set_value("order").run()
    at.select_slider(key="task.hidden").set_value(16).run()
    at.number_input(key="task.steps").set_value(20).run()
    at.button(key="task.start").click().run()
    lab = at.session_state["task.run"]
    _wait(lambda: lab.finished)
    at.run()
    assert not at.exception and lab.step_count == 20
    table = at.dataframe[-1].value
    assert set(table["cell"]) == {"RNN", "LSTM", "GRU"} and abs(table["baseline"].iloc[0] - 1.386) < 1e-3
    at.number_input(key="task.steps").set_value(10).run()
    at.button(key="task.sweep").click().run()
    sweep = at.session_state["task.run"]
    _wait(lambda: sweep.finished, 60)
    at.run()
    assert sorted(sweep.results) == [10, 25, 50, 100, 200]
    assert "Success against sequence length" in texts(at, "markdown")
