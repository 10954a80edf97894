"""The Classify page: sentiment of human-rated movie-review sentences (or your own labelled table), read by
recurrent classifiers, side by side with the baselines that ignore word order.

It opens on the shipped classifier reading a sentence with a negation in it: its answer, the words that pushed it,
and P(positive) as a left-to-right model reads; then the negation probe; below, the comparison trains live.
"""

from __future__ import annotations

import streamlit as st

from rnnviz.charts.classify import (
    accuracy_chart,
    confusion_heatmap,
    negation_chart,
    reading_chart,
    sentence_map_chart,
    word_colours_html,
)
from rnnviz.charts.export import standalone_html
from rnnviz.charts.gradients import task_chart
from rnnviz.classify.checkpoint import classifier_bytes, load_classifier
from rnnviz.classify.data import SENTIMENT_SETS, LabelledTexts, TableError, guess_column, read_table, table_header
from rnnviz.classify.explain import explain_sentence, negation_probe
from rnnviz.i18n import labeller, t
from rnnviz.labs.classify_lab import DEFAULT_VARIANTS, ClassifyLab, ClassifyLabConfig
from rnnviz.limits import LIMITS
from rnnviz.pretrained import CLASSIFIERS, pretrained_path
from rnnviz.ui import live
from rnnviz.ui.chart_display import show_chart
from rnnviz.ui.url_state import UrlSettings

RUN_KEY = "classify.run"  # a LiveRun of a ClassifyLab
PRETRAINED = (CLASSIFIERS["best"], CLASSIFIERS["left-to-right"])
DEMO_SENTENCE = "The story is not good, but the actors are wonderful."
VARIANT_CHOICES = (
    "lstm",
    "lstm-bi",
    "gru",
    "gru-bi",
    "rnn",
    "lstm+attention",
    "lstm-bi+attention",
    "gru+attention",
    "lstm+mean",
    "lstm+max",
    "lstm-bi+max",
)
UPLOAD = "your own table (CSV/TSV)"


@st.cache_resource(show_spinner=False)
def pretrained_classifiers() -> list[tuple]:
    """The shipped classifiers that are installed, loaded once a process."""
    return [load_classifier(path) for path in (pretrained_path(name) for name in PRETRAINED) if path is not None]


def readings_for(text: str, source: str) -> list[dict]:
    if source == "pretrained":
        return [
            {**explain_sentence(model, tokenizer, text, labels), "step": None, "card": card}
            for model, tokenizer, labels, card in pretrained_classifiers()
        ]
    return live.call(RUN_KEY, lambda lab: lab.explain(text))


def sentence_section(url: UrlSettings) -> str:
    """Returns the source of the models shown ("pretrained" or "run") for the sections below."""
    st.subheader(t("tag.read_sentence"))
    text = url.text(t("classify.your_sentence"), DEMO_SENTENCE, "text", "classify.text")
    source = "pretrained"
    if live.get(RUN_KEY) is not None:
        chosen = st.radio(
            t("tag.models"),
            ["this session's run", "pretrained"],
            horizontal=True,
            key="classify.source",
            format_func=labeller("tag.source."),
        )
        source = "run" if chosen == "this session's run" else "pretrained"
    if source == "pretrained" and not pretrained_classifiers():
        st.info(t("classify.no_pretrained"))
        return source
    readings = readings_for(text, source)
    if not readings or not readings[0]["tokens"]:
        st.info(t("classify.type_sentence"))
        return source
    if readings[0]["clamped"]:
        unit = t("train.token_kind.words" if readings[0]["token_kind"] == "words" else "train.token_kind.chars")
        st.warning(t("classify.clamped", n=len(readings[0]["tokens"]), unit=unit))
    if readings[0]["unknown"]:
        st.caption(t("classify.unknown", words=", ".join(readings[0]["unknown"])))
    method = st.radio(
        t("classify.colour_by"),
        ["integrated gradients", "gradient x input", "attention weight"],
        horizontal=True,
        key="classify.method",
        format_func=labeller("classify.method."),
    )
    for reading in readings:
        draw_reading(reading, method, key=f"classify.{reading['label']}", reading_chart_too=False)
    left_to_right = [r for r in readings if r["prefix"]]
    if left_to_right:
        reading = left_to_right[0]
        st.markdown(t("classify.left_to_right", label=reading["label"], target=reading["target"]))
        show_chart(reading_chart(reading["tokens"], reading["prefix"], reading["target"]), key="classify.reading")
    return source


def draw_reading(reading: dict, method: str, key: str, reading_chart_too: bool = True) -> None:
    """One model's answer for a sentence, its words coloured by ``method``, and (if it reads left to right and
    ``reading_chart_too``) P(target) after each word."""
    at_step = t("tag.at_step", step=reading["step"]) if reading.get("step") is not None else ""
    if reading["diverged"]:
        st.markdown(f"**{reading['label']}**{at_step}")
        st.warning(t("classify.diverged", label=reading["label"]))
        return
    answer = ", ".join(f"{name} {p:.0%}" for name, p in zip(reading["label_names"], reading["probabilities"]))
    st.markdown(f"**{reading['label']}**{at_step}: {reading['predicted']} ({answer})")
    values, caption = _colouring(reading, method)
    if values is None:
        st.caption(caption)
    else:
        separator = " " if reading.get("token_kind", "words") == "words" else ""
        st.html(word_colours_html(reading["tokens"], values, caption, separator))
    if reading_chart_too and reading["prefix"]:
        show_chart(reading_chart(reading["tokens"], reading["prefix"], reading["target"]), key=f"{key}.reading")


def _colouring(reading: dict, method: str) -> tuple[list[float] | None, str]:
    target = reading["target"]
    if method == "attention weight":
        if reading["attention"] is None:
            return None, t("classify.no_attention", label=reading["label"])
        return reading["attention"], t("classify.attention_caption")
    if method == "gradient x input":
        return reading["saliency"], t("classify.saliency_caption", target=target)
    return reading["integrated"], t("classify.integrated_caption", target=target, gap=reading["completeness_gap"])


def negation_section(source: str) -> None:
    st.subheader(t("classify.negation_title"))
    if source == "pretrained":
        probes = [
            {"model": model.config.label, **negation_probe(model, tokenizer, labels)}
            for model, tokenizer, labels, _ in pretrained_classifiers()
        ]
    else:
        probes = live.call(RUN_KEY, lambda lab: lab.negation())
    if not probes or "positive" not in probes[0]["target"]:
        st.caption(t("classify.negation_needs"))
        return
    st.caption(t("classify.negation_caption"))
    show_chart(negation_chart(probes), key="classify.negation")


def controls(url: UrlSettings) -> tuple[ClassifyLabConfig, LabelledTexts | None] | None:
    st.subheader(t("tag.train_live"))
    c1, c2, c3, c4 = st.columns(4)
    upload_label = t("classify.data_name.upload")
    data_name = url.select(
        t("classify.data"),
        [*SENTIMENT_SETS, UPLOAD],
        "movie-sentences",
        "data",
        "classify.data",
        c1,
        format_func=lambda name: name if name in SENTIMENT_SETS else upload_label,
    )
    variants = url.multiselect(
        t("classify.variants"), VARIANT_CHOICES, list(DEFAULT_VARIANTS), "variants", "classify.variants", c2
    )
    hidden_size = url.select_slider(t("train.hidden_size"), [16, 32, 64, 128], 64, "hidden", "classify.hidden", c3)
    steps = url.number(t("train.steps"), 10, LIMITS.max_steps_per_run, 1500, "steps", "classify.steps", c4)
    c5, c6, c7, c8 = st.columns(4)
    dropout = url.select_slider(t("train.dropout"), [0.0, 0.1, 0.3, 0.5], 0.5, "dropout", "classify.dropout", c5)
    weight_decay = url.select_slider(t("classify.l2"), [0.0, 1e-5, 1e-4, 1e-3], 0.0, "l2", "classify.l2", c6)
    l1 = url.select_slider(t("classify.l1"), [0.0, 1e-7, 1e-6, 1e-5], 0.0, "l1", "classify.l1", c7)
    tokens = url.select(
        t("train.tokens"),
        ["words", "chars"],
        "words",
        "tokens",
        "classify.tokens",
        c8,
        format_func=labeller("train.token_kind."),
    )
    table = None
    if data_name == UPLOAD:
        table = upload_section()
        if table is None:
            return None
    else:
        st.caption(t(f"classify.describe.{data_name}") + t("classify.split"))
    if not variants:
        st.info(t("tag.pick_variant"))
        return None
    config = ClassifyLabConfig(
        data=data_name if table is None else "movie-sentences",
        variants=tuple(variants),
        tokens=tokens,
        max_len=60 if tokens == "words" else 300,
        hidden_size=int(hidden_size),
        dropout=float(dropout),
        weight_decay=float(weight_decay),
        l1=float(l1),
        steps=int(steps),
        eval_every=max(10, int(steps) // 15),
    )
    return config, table


def upload_section() -> LabelledTexts | None:
    upload = st.file_uploader(t("classify.upload"), type=["csv", "tsv", "txt"], key="classify.upload")
    if upload is None:
        st.info(t("classify.upload_help"))
        return None
    data = upload.getvalue()
    try:
        header = table_header(data, upload.name)
    except TableError as exc:
        st.error(str(exc))
        return None
    c1, c2 = st.columns(2)
    text_column = c1.selectbox(
        t("classify.text_column"), header, index=guess_column(header, "text"), key="classify.text_column"
    )
    label_column = c2.selectbox(
        t("classify.label_column"), header, index=guess_column(header, "label"), key="classify.label_column"
    )
    try:
        table = read_table(data, upload.name, text_column, label_column)
    except TableError as exc:
        st.error(str(exc))
        return None
    st.caption(t("classify.rows", n=len(table), classes=", ".join(table.label_names)))
    return table


def training_section(choice: tuple[ClassifyLabConfig, LabelledTexts | None] | None) -> None:
    def make() -> ClassifyLab | None:
        if choice is None:
            return None
        config, table = choice
        return ClassifyLab(config, data=table)

    live.control_bar(RUN_KEY, [("classify.start", t("tag.train"), make)], can_start=choice is not None)
    run = live.get(RUN_KEY)
    if run is None:
        st.info(t("classify.press_train"))
        return
    live.live_view(RUN_KEY, draw_classify, 1.0)
    if run.status == "running":
        return
    lab: ClassifyLab = run.job
    names = [r.name for r in lab.runs]
    chosen = st.selectbox(t("classify.look_at"), names, key="classify.look")
    if lab.run_named(chosen).diverged:
        st.warning(t("classify.diverged_run", name=chosen, why=lab.run_named(chosen).diverged))
    else:
        analysis_section(lab, chosen)
    if st.button(t("classify.score_test"), key="classify.test"):
        st.session_state["classify.test_scores"] = live.call(RUN_KEY, lambda lab: lab.test_accuracies())
    scores = st.session_state.get("classify.test_scores")
    if scores:
        columns = (t("tag.score_col.model"), t("classify.test_accuracy"))
        st.dataframe([dict(zip(columns, row)) for row in scores.items()], hide_index=True, key="classify.test_table")
    st.download_button(
        t("classify.download", name=chosen),
        lambda: live.call(RUN_KEY, lambda lab: _variant_bytes(lab, chosen)),
        f"classifier-{lab.run_named(chosen).variant}.safetensors",
        on_click="ignore",
        key="classify.download",
    )


def analysis_section(lab: ClassifyLab, chosen: str) -> None:
    """A finished variant on the validation split: confusion, sentence map, the mistakes it is surest of."""
    c1, c2 = st.columns(2)
    matrix = live.call(RUN_KEY, lambda lab: lab.confusion(chosen))
    show_chart(
        confusion_heatmap(matrix, list(lab.label_names), t("classify.confusion_title", name=chosen)),
        key="classify.confusion",
        container=c1,
    )
    points = live.call(RUN_KEY, lambda lab: lab.sentence_map(chosen))
    show_chart(sentence_map_chart(points, t("classify.map_title")), key="classify.map", container=c2)
    st.markdown(t("classify.mistakes"))
    st.dataframe(live.call(RUN_KEY, lambda lab: lab.mistakes(chosen)), hide_index=True, key="classify.mistakes")


def _variant_bytes(lab: ClassifyLab, name: str) -> bytes:
    run = lab.run_named(name)
    card = {
        "label": name,
        "steps": lab.step_count,
        "validation_accuracy": run.validation_accuracy[-1] if run.validation_accuracy else None,
    }
    return classifier_bytes(run.model, lab.tokenizer, lab.label_names, card)


def draw_classify(snap: dict, state: str, key: str = "classify") -> None:
    figure = accuracy_chart(snap["runs"], snap["baselines"])
    show_chart(figure, key=f"{key}.accuracy_chart")
    st.download_button(
        t("classify.accuracy_html"),
        lambda: standalone_html(figure),
        "classify-accuracy.html",
        "text/html",
        on_click="ignore",
        key=f"{key}.dl.accuracy",
    )
    losses = [{"name": r["name"], "steps": r["loss_steps"], "values": r["losses"]} for r in snap["runs"]]
    show_chart(task_chart(losses, None), key=f"{key}.loss_chart")
    best = max((r["validation_accuracy"][-1] for r in snap["runs"] if r["validation_accuracy"]), default=None)
    if best is not None and state != "running" and snap["baselines"]["bag of words"] >= best:
        shipped = snap["data"] in SENTIMENT_SETS
        st.info(t("classify.bag_of_words_note" if shipped else "classify.bag_of_words_table"))
    for run in snap["runs"]:
        if run["diverged"]:
            st.warning(f"{run['name']} {run['diverged']}")
