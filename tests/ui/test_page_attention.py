from apptest_helpers import array, open_page, plotly_specs, texts


def test_attention_page_trains_live_and_shows_heatmaps():
    at = open_page("5_Attention.py")
    assert not at.exception
    at.selectbox(key="attn.task").set_value("reverse").run()
    at.select_slider(key="attn.hidden").set_value(32).run()
    at.number_input(key="attn.steps").set_value(20).run()
    at.slider(key="attn.length").set_value(6).run()
    at.button(key="attn.start").click().run()
    live = at.session_state["attn.run"]
    assert live.worker.settled.wait(timeout=60)
    lab = live.job
    at.run()
    assert not at.exception and lab.step_count == 20
    specs = plotly_specs(at)
    names = [t["name"] for t in specs[0]["data"]]
    assert names == ["Bahdanau (additive)", "No attention"]  # attention and the baseline on one chart, by name
    lines = [spec for spec in specs if spec["data"][0]["type"] == "scatter"]
    assert len(lines) == 2 and [t["name"] for t in lines[1]["data"]] == names  # accuracy, then loss: same names
    colours = [[t["line"]["color"] for t in spec["data"]] for spec in lines]
    assert colours[0] == colours[1] and len(set(colours[0])) == 2  # and the same colour for a model in both
    assert "Bahdanau (additive) attention on a held-out example" in specs[2]["layout"]["title"]["text"]
    assert "bahdanau" not in " ".join(texts(at, kind) for kind in ("markdown", "caption", "info"))
    heatmaps = [s for s in specs if s["data"] and s["data"][0]["type"] == "heatmap"]
    assert heatmaps, "the probe's attention heatmap"
    weights = array(heatmaps[0]["data"][0]["z"])
    assert all(abs(sum(row) - 1) < 1e-4 for row in weights)
    at.slider(key="attn.beam").set_value(3).run()
    assert "**Bahdanau (additive)** at step 20" in texts(at, "markdown") and not at.exception  # names its step


def test_free_text_with_the_pretrained_dates_model():
    at = open_page("5_Attention.py")
    assert "The pretrained dates model" in texts(at, "markdown")
    at.text_input(key="attn.free.dates").set_value("22nd of April 1999").run()
    assert "**1999-04-22**" in texts(at, "markdown")
    at.text_input(key="attn.free.dates").set_value("ünïcode").run()
    assert "cannot read" in texts(at, "warning") and not at.exception


def test_attention_training_pauses_and_resumes():
    at = open_page("5_Attention.py")
    at.select_slider(key="attn.hidden").set_value(32).run()
    at.number_input(key="attn.steps").set_value(5000).run()
    at.button(key="attn.start").click().run()
    live = at.session_state["attn.run"]
    assert live.worker.wait_for_steps(3, timeout=60)
    at.button(key="attn.pause").click().run()
    lab = live.job
    paused = lab.step_count
    at.run()
    assert lab.step_count == paused > 0 and live.status == "paused"
    at.button(key="attn.resume").click().run()
    assert live.worker.wait_for_steps(live.worker.steps_done + 3, timeout=60)
    assert lab.step_count > paused
    at.button(key="attn.stop").click().run()
    assert not at.exception and not live.worker.alive and live.status == "stopped"
