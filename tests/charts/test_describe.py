"""Every chart of ``rnnviz/charts`` has a text alternative: ``describe.summary`` (one sentence from the figure's
own data) and ``describe.table`` (its data as rows), on small plain data, in English and in Chinese."""

import importlib
import inspect
import pkgutil

import numpy as np
import plotly.graph_objects as go
import pytest

import rnnviz.charts
from rnnviz.charts import (
    attention,
    classify,
    classroom,
    comeback,
    describe,
    gradients,
    intervention,
    newer_cells,
    scaling,
    tagging,
    trace,
    training,
)
from rnnviz.i18n import use_language

STEPS = [0, 10, 20]
LM_RUN = {"name": "LSTM", "steps": STEPS, "losses": [3.0, 2.0, 1.5], "val_steps": [20], "val_losses": [1.6]}

SAMPLES = {  # every function of rnnviz/charts that returns a figure, with small plain data
    intervention.intervention_chart: lambda: intervention.intervention_chart(
        ["a", "b"], [0.2, 0.8], [0.2, 0.1], "b", "h[3] = 0", 1
    ),
    attention.attention_heatmap: lambda: attention.attention_heatmap([[0.9, 0.1], [0.3, 0.7], [0.5, 0.5]], "ab", "xy"),
    attention.accuracy_chart: lambda: attention.accuracy_chart(
        [{"name": "bahdanau", "steps": STEPS, "values": [0, 0.5, 0.9]}]
    ),
    attention.loss_chart: lambda: attention.loss_chart([{"name": "none", "steps": STEPS, "values": [2.0, 1.0, 0.5]}]),
    classify.accuracy_chart: lambda: classify.accuracy_chart(
        [{"name": "GRU", "steps": STEPS, "validation_accuracy": [0.5, 0.7, 0.8], "train_accuracy": [0.5, 0.8, 0.9]}],
        {"majority class": 0.5},
    ),
    classify.confusion_heatmap: lambda: classify.confusion_heatmap([[5, 1], [2, 7]], ["neg", "pos"]),
    classify.reading_chart: lambda: classify.reading_chart(["not", "bad"], [0.4, 0.7], "positive"),
    classify.negation_chart: lambda: classify.negation_chart(
        [{"model": "LSTM", "target": "positive", "pairs": [{"phrase": "good", "p_phrase": 0.9, "p_negated": 0.2}]}]
    ),
    classify.sentence_map_chart: lambda: classify.sentence_map_chart(
        {"x": [0.0, 1.0, 2.0], "y": [1.0, 0.0, -1.0], "labels": ["neg", "pos", "pos"], "texts": ["a", "b", "c"]}
    ),
    classroom.class_answers_chart: lambda: classroom.class_answers_chart(["x0.9", "x0.5"], [3, 1], right=0),
    comeback.speed_bar_chart: lambda: comeback.speed_bar_chart(
        [
            {"cell": "gru", "label": "GRU", "mode": "fused", "seq_len": 1024, "tokens_per_s": 9e3, "ratio_to_gru": 1.0},
            {
                "cell": "mingru",
                "label": "minGRU",
                "mode": "parallel",
                "seq_len": 1024,
                "tokens_per_s": 4e3,
                "ratio_to_gru": 0.44,
            },
        ]
    ),
    comeback.scan_agreement_chart: lambda: comeback.scan_agreement_chart([1e-7, 2e-7, 1e-7], 2.5),
    gradients.gradient_decay_chart: lambda: gradients.gradient_decay_chart({"RNN (tanh)": [1.0, 0.5, 0.25]}),
    gradients.task_chart: lambda: gradients.task_chart(
        [
            {"name": "LSTM", "steps": STEPS, "values": [0.2, 0.1, 0.003]},
            {"name": "GRU", "steps": STEPS, "values": [0.2, 0.18, 0.146]},
        ],
        0.167,
    ),
    gradients.sweep_chart: lambda: gradients.sweep_chart(
        {10: [{"cell": "LSTM", "loss / baseline": 0.2}], 50: [{"cell": "LSTM", "loss / baseline": 0.6}]}
    ),
    newer_cells.step_size_chart: lambda: newer_cells.step_size_chart(["a", "b", "c"], np.full((3, 2), 0.1)),
    newer_cells.attention_heads_chart: lambda: newer_cells.attention_heads_chart(
        ["a", "b"], np.array([[[1.0, 0.0], [0.4, 0.6]]]), 0
    ),
    scaling.scaling_chart: lambda: scaling.scaling_chart(
        [
            {"measure": "training", "cell": "gru", "label": "GRU", "mode": "fused", "seq_len": 64, "tokens_per_s": 9e3},
            {
                "measure": "training",
                "cell": "gru",
                "label": "GRU",
                "mode": "fused",
                "seq_len": 256,
                "tokens_per_s": 8e3,
            },
        ]
    ),
    tagging.f1_chart: lambda: tagging.f1_chart([{"name": "BiLSTM", "steps": STEPS, "f1": [0.1, 0.4, 0.6]}], 0.2),
    tagging.tag_probability_heatmap: lambda: tagging.tag_probability_heatmap("北京", [[1 / 7] * 7, [1 / 7] * 7]),
    tagging.direction_chart: lambda: tagging.direction_chart("北京", ["B-LOC", "I-LOC"], [0.5, 0.2], [0.1, 0.4]),
    trace.gate_heatmaps: lambda: trace.gate_heatmaps(
        {"f": np.full((3, 4), 0.5), "h": np.zeros((3, 4))}, ["a", "b", "c"], [0, 1]
    ),
    trace.pca_trajectory: lambda: trace.pca_trajectory(
        [[0.0, 1.0], [1.0, 0.0], [2.0, 1.0]], [0.6, 0.3], ["a", "b", "c"]
    ),
    trace.saturation_scatter: lambda: trace.saturation_scatter([{"f": {"left": [0.1, 0.5], "right": [0.8, 0.1]}}], 0),
    trace.loss_per_char_chart: lambda: trace.loss_per_char_chart({"LSTM": [2.0, 1.0]}, "abc", 1),
    training.loss_chart: lambda: training.loss_chart([LM_RUN], {"unigram": 3.35}),
    training.grad_norm_chart: lambda: training.grad_norm_chart(
        [{"name": "GRU", "steps": STEPS, "grad_norms": [5.0, 2.0, 1.0]}], 1.0
    ),
}


def figure_functions():
    """Every public function of a module in rnnviz/charts whose return annotation is a Plotly figure."""
    found = []
    for module in pkgutil.iter_modules(rnnviz.charts.__path__):
        loaded = importlib.import_module(f"rnnviz.charts.{module.name}")
        for name, function in inspect.getmembers(loaded, inspect.isfunction):
            if function.__module__ == loaded.__name__ and not name.startswith("_"):
                if "Figure" in str(inspect.signature(function).return_annotation):
                    found.append(function)
    return found


def test_every_chart_function_has_sample_data_here():
    missing = [f"{f.__module__}.{f.__name__}" for f in figure_functions() if f not in SAMPLES]
    assert missing == [], f"add these to SAMPLES: {missing}"


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("function", list(SAMPLES), ids=lambda f: f"{f.__module__.split('.')[-1]}.{f.__name__}")
def test_every_chart_has_a_summary_and_a_table(function, language):
    with use_language(language):
        figure = SAMPLES[function]()
        sentence = describe.summary(figure)
        rows = describe.table(figure)
    assert isinstance(figure, go.Figure) and sentence and rows, (sentence, rows)
    assert "no data" not in sentence and "还没有数据" not in sentence
    assert all(isinstance(row, dict) and row for row in rows)


def test_a_line_chart_is_told_by_its_last_values_and_its_marked_lines():
    figure = SAMPLES[gradients.task_chart]()
    assert describe.summary(figure) == (
        "Held-out loss: at step 20, LSTM 0.003, GRU 0.146; lines marked: baseline (input-blind guess) 0.167."
    )
    with use_language("zh"):
        assert "LSTM 为 0.003" in describe.summary(SAMPLES[gradients.task_chart]())
    rows = describe.table(figure)
    assert rows[0] == {"series": "LSTM", "step": 0, "held-out loss": 0.2} and len(rows) == 6
    assert [row["step"] for row in describe.table(figure, last=1)] == [20, 20]  # the last row of each series


def test_heatmaps_pictures_bars_and_points_are_told_by_their_size_and_range():
    heatmap = describe.summary(SAMPLES[classify.confusion_heatmap]())
    assert "2 × 2 values from 1 to 7" in heatmap
    pictures = trace.gate_heatmaps({"f": np.full((3, 4), 0.5)}, ["a", "b", "c"], [0, 1, 2], hover_values=1)
    assert "forget gate f: a picture of 3 × 3" in describe.summary(pictures)
    assert describe.table(pictures)[0]["size (rows × columns)"] == "3 × 3"
    bars = describe.summary(SAMPLES[classroom.class_answers_chart]())
    assert "75" in bars and "✓ x0.9" in bars
    cloud = describe.summary(SAMPLES[trace.pca_trajectory]())
    assert "3 points" in cloud
    assert describe.summary(go.Figure()) == "Chart: no data yet." and describe.table(go.Figure()) == []


def test_the_name_stays_put_while_a_live_chart_counts_steps():
    figure = go.Figure(go.Scatter(x=[0, 1], y=[1, 2]))
    figure.update_layout(title="after 1,200 steps", yaxis_title="loss")
    assert describe.name(figure) == "loss"
    assert describe.name(SAMPLES[classroom.class_answers_chart]()) != ""
