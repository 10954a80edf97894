"""The Attention page: a seq2seq model learns a toy translation live; its attention, step by step."""

from __future__ import annotations

import streamlit as st

from rnnviz.charts.attention import accuracy_chart, attention_heatmap, loss_chart, variant_name
from rnnviz.charts.export import standalone_html
from rnnviz.i18n import labeller, t
from rnnviz.labs.seq2seq_lab import Seq2SeqLab, Seq2SeqLabConfig
from rnnviz.pretrained import pretrained_path
from rnnviz.seq2seq.checkpoint import load_seq2seq, seq2seq_bytes
from rnnviz.seq2seq.model import ATTENTIONS, SEQ2SEQ_CELLS, translate
from rnnviz.seq2seq.tasks import SEQ2SEQ_TASKS, Seq2SeqVocab
from rnnviz.ui import live
from rnnviz.ui.chart_display import show_chart
from rnnviz.ui.url_state import UrlSettings

RUN_KEY = "attn.run"  # a LiveRun of a Seq2SeqLab
EXAMPLES = {"dates": "3rd of March 2021", "reverse": "attention", "sort": "9081726354", "add": "123+4567"}


def controls(url: UrlSettings) -> Seq2SeqLabConfig | None:
    c1, c2, c3, c4 = st.columns(4)
    task = url.select(t("grad.task"), SEQ2SEQ_TASKS, "dates", "task", "attn.task", c1)
    cell = url.select(t("tag.cell"), SEQ2SEQ_CELLS, "gru", "cell", "attn.cell", c2)
    attentions = url.multiselect(
        t("nav.attention"),
        ATTENTIONS,
        ["bahdanau", "none"],
        "attention",
        "attn.kinds",
        c3,
        format_func=labeller("attn.kind."),
    )
    hidden_size = url.select_slider(t("train.hidden_size"), [32, 64, 128], 64, "hidden", "attn.hidden", c4)
    c5, c6, c7, c8 = st.columns(4)
    bidirectional = url.checkbox(t("attn.bidirectional"), True, "bidirectional", "attn.bidir", c5)
    forcing = url.slider(t("attn.forcing"), 0.0, 1.0, 1.0, "teacher_forcing", "attn.forcing", c6, step=0.1)
    steps = url.number(t("train.steps"), 10, 5000, 1000, "steps", "attn.steps", c7)
    # a setting that does not apply is left out rather than greyed out (grey text fails contrast for every reader)
    length = url.slider(t("attn.length"), 5, 30, 10, "length", "attn.length", c8) if task in ("reverse", "sort") else 10
    if not attentions:
        st.info(t("attn.pick_kind"))
        return None
    return Seq2SeqLabConfig(
        task=task,
        attentions=tuple(attentions),
        cell=cell,
        hidden_size=int(hidden_size),
        embed_size=32,
        bidirectional=bidirectional,
        batch_size=64,
        learning_rate=3e-3,
        teacher_forcing=float(forcing),
        length=int(length),
        steps=int(steps),
        eval_every=max(10, int(steps) // 25),
        eval_examples=300,
    )


def training_section(config: Seq2SeqLabConfig | None) -> None:
    starters = [("attn.start", t("tag.train"), lambda: Seq2SeqLab(config) if config else None)]
    live.control_bar(RUN_KEY, starters, can_start=config is not None)
    run = live.get(RUN_KEY)
    if run is None:
        st.info(t("attn.press_train"))
        return
    live.live_view(RUN_KEY, draw_seq2seq, 0.8)
    if run.status != "running":
        lab: Seq2SeqLab = run.job
        for variant in lab.runs:
            name = variant.name
            st.download_button(
                t("attn.download", name=variant_name(name)),
                lambda name=name: live.call(RUN_KEY, lambda lab: _variant_bytes(lab, name)),
                f"seq2seq-{lab.config.task}-{name}.safetensors",
                on_click="ignore",
                key=f"attn.dl.{name}",
            )


def _variant_bytes(lab: Seq2SeqLab, name: str) -> bytes:
    variant = next(v for v in lab.runs if v.name == name)
    return seq2seq_bytes(variant.model, lab.config.task, {"task": lab.config.task, "steps": lab.step_count})


def draw_seq2seq(snap: dict, state: str, key: str = "attn") -> None:
    """A seq2seq lab's snapshot: held-out accuracy and loss per variant, and the probe's attention by step."""
    runs = snap["runs"]
    accuracy = [{"name": r["name"], "steps": r["steps"], "values": r["accuracy"]} for r in runs]
    losses = [{"name": r["name"], "steps": r["loss_steps"], "values": r["losses"]} for r in runs]
    accuracy_figure = accuracy_chart(accuracy)
    show_chart(accuracy_figure, key=f"{key}.acc_chart")
    st.download_button(
        t("classify.accuracy_html"),
        lambda: standalone_html(accuracy_figure),
        "accuracy.html",
        "text/html",
        on_click="ignore",
        key=f"{key}.dl.acc",
    )
    show_chart(loss_chart(losses), key=f"{key}.loss_chart")
    with_attention = [r for r in runs if r["snapshots"] and r["snapshots"][-1][1] is not None]
    if not with_attention:
        return
    chosen = with_attention[0]
    steps_seen = [s for s, _ in chosen["snapshots"]]
    index = len(steps_seen) - 1
    if len(steps_seen) > 1 and state != "running":
        shown = st.select_slider(t("attn.at_step"), steps_seen, steps_seen[-1], key=f"{key}.snapshot")
        index = steps_seen.index(shown)
    snap_step, weights = chosen["snapshots"][index]
    title = t("attn.probe_title", name=variant_name(chosen["name"]), step=snap_step)
    figure = attention_heatmap(weights, snap["probe"]["source"], snap["probe"]["target"], title, chosen["name"])
    show_chart(figure, key=f"{key}.probe_chart")
    st.download_button(
        t("attn.chart_html"),
        lambda: standalone_html(figure),
        "attention.html",
        "text/html",
        on_click="ignore",
        key=f"{key}.dl.chart",
    )


def _pretrained_dates_model():
    path = pretrained_path("dates-seq2seq.safetensors")
    return load_seq2seq(path) if path is not None else None


def free_text_section() -> None:
    """Decode the user's own input with the models of this session's run (as they stand now), else the
    pretrained dates model."""
    run = live.get(RUN_KEY)
    if run is not None:
        task = run.job.config.task
    else:
        pretrained = _pretrained_dates_model()
        if pretrained is None:
            return
        model, task, _ = pretrained
    st.markdown(t("attn.try_your_own", task=task))
    c1, c2 = st.columns([3, 1])
    text = c1.text_input(t("attn.input"), EXAMPLES.get(task, ""), key=f"attn.free.{task}", max_chars=60)
    width = c2.slider(t("attn.beam"), 1, 10, 1, key="attn.beam")
    if run is not None:
        results = live.call(RUN_KEY, lambda lab: lab.translate(text, width))
    else:
        results = [{"name": None, "step": None, **translate(model, Seq2SeqVocab(), text, width)}]
    if results and results[0]["skipped"]:
        st.warning(t("attn.skipped", skipped=results[0]["skipped"]))
    if not results or not results[0]["source"]:
        st.info(t("attn.type_something"))
        return
    if run is not None and run.status == "running":
        st.caption(t("attn.still_training"))
    for result in results:
        at_step = t("tag.at_step", step=result["step"]) if result["step"] is not None else ""
        shown = t("attn.pretrained") if result["name"] is None else variant_name(result["name"])
        st.markdown(f"**{shown}**{at_step}: **{result['output']}**")
        if width > 1:
            candidates = {
                t("attn.candidate"): [text for text, _ in result["candidates"]],
                t("attn.log_probability"): [score for _, score in result["candidates"]],
            }
            st.dataframe(candidates, hide_index=True, key=f"attn.beams.{result['name'] or 'pretrained'}")
        if result["attention"] is not None:
            figure = attention_heatmap(result["attention"], result["source"], result["output"], "", result["name"])
            show_chart(figure, key=f"attn.free_chart.{result['name'] or 'pretrained'}")
