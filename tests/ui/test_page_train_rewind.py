"""Train's Rewind: the last race again from its seed, with the setting changed in the sidebar, and what changed said."""

from apptest_helpers import open_page, texts, tiny_train_settings


def test_rewind_reruns_the_last_race_on_its_seed_with_the_new_learning_rate():
    at = open_page("1_Train.py")
    tiny_train_settings(at)
    assert at.button(key="train.rewind").disabled  # no race yet to rewind
    at.button(key="train.step").click().run()  # a first race: 10 steps at the default rate, seed 0
    first = [list(run.losses) for run in at.session_state["train.run"].job.runs]
    assert not at.exception and not at.button(key="train.rewind").disabled

    at.sidebar.number_input(key="train.w.learning_rate").set_value(0.01).run()
    at.sidebar.number_input(key="train.w.seed").set_value(5).run()  # a seed typed for the next Start
    at.button(key="train.rewind").click().run()
    live = at.session_state["train.run"]
    lab = live.job
    assert not at.exception and live.status == "running"
    assert lab.seed == 0 and lab.config.train.learning_rate == 0.01 and lab.rewound_from.learning_rate == 0.003
    note = texts(at, "info")
    assert "Rewound: same start and batches (seed 0), learning rate 0.003 → 0.01." in note
    assert "The seed stays 0: the sidebar's 5 is for Start." in note
    assert live.worker.wait_for_steps(6, timeout=60)
    at.button(key="train.stop").click().run()
    second = [list(run.losses) for run in lab.runs]
    assert all(a[0] == b[0] and a[1:3] != b[1:3] for a, b in zip(first, second))  # same start, then the new rate

    at.sidebar.number_input(key="train.w.hidden_size").set_value(12).run()  # a setting that shapes the models
    at.button(key="train.rewind").click().run()
    assert "Rewound on the last run's seed 0: hidden units 8 → 12." in texts(at, "info")  # the rate was the last's
    assert "Hidden units shape the models or their batches" in texts(at, "caption")
    at.button(key="train.stop").click().run()
    at.button(key="train.start").click().run()  # Start: a race of its own, on the sidebar's seed
    assert at.session_state["train.run"].job.seed == 5 and "Rewound" not in texts(at, "info")
    at.button(key="train.stop").click().run()
    assert not at.exception


def test_the_rewind_note_in_chinese():
    at = open_page("1_Train.py", {"lang": "zh"})
    tiny_train_settings(at)
    at.button(key="train.step").click().run()
    at.sidebar.number_input(key="train.w.learning_rate").set_value(0.01).run()
    at.button(key="train.rewind").click().run()
    at.button(key="train.stop").click().run()
    assert not at.exception and at.button(key="train.rewind").label == "倒回"
    assert "已倒回：同样的起点和批次（随机种子 0），学习率 0.003 → 0.01。" in texts(at, "info")
