"""The Attention page: a seq2seq model learns a toy translation live; its attention, step by step."""

from __future__ import annotations

import streamlit as st

from rnnviz.charts_lab import accuracy_chart, attention_heatmap, task_chart
from rnnviz.model import ConfigError
from rnnviz.pretrained import PRETRAINED_DIR
from rnnviz.seq2seq.checkpoint import load_seq2seq, seq2seq_bytes
from rnnviz.seq2seq.lab import LabConfig, Seq2SeqLab, pad_batch
from rnnviz.seq2seq.model import ATTENTIONS, Seq2Seq
from rnnviz.seq2seq.tasks import SEQ2SEQ_TASKS, Seq2SeqVocab
from rnnviz.ui.refresh import refresh_seconds
from rnnviz.ui.session_cleanup import session_trainer
from rnnviz.worker import BackgroundTrainer

RUN, WORKER = "attn.run", "attn.worker"
EXAMPLES = {"dates": "3rd of March 2021", "reverse": "attention", "sort": "9081726354", "add": "123+4567"}


def controls() -> LabConfig | None:
    c1, c2, c3, c4 = st.columns(4)
    task = c1.selectbox("Task", SEQ2SEQ_TASKS, key="attn.task")
    cell = c2.selectbox("Cell", ["gru", "lstm"], key="attn.cell")
    attentions = c3.multiselect("Attention", ATTENTIONS, default=["bahdanau", "none"], key="attn.kinds")
    hidden = c4.select_slider("Hidden size", [32, 64, 128], 64, key="attn.hidden")
    c5, c6, c7, c8 = st.columns(4)
    bidirectional = c5.checkbox("Bidirectional encoder", True, key="attn.bidir")
    forcing = c6.slider("Teacher forcing", 0.0, 1.0, 1.0, 0.1, key="attn.forcing")
    steps = c7.number_input("Steps", 10, 5000, 1000, key="attn.steps")
    length = c8.slider(
        "String length (reverse, sort)", 5, 30, 10, key="attn.length", disabled=task not in ("reverse", "sort")
    )
    if not attentions:
        st.info("Pick at least one attention kind ('none' is the baseline).")
        return None
    return LabConfig(task, tuple(attentions), cell, int(hidden), 32, bidirectional, 64, 3e-3, float(forcing),
                     int(length), int(steps), eval_every=max(10, int(steps) // 25), eval_examples=300)  # fmt: skip


def training_section(config: LabConfig | None) -> None:
    worker: BackgroundTrainer | None = st.session_state.get(WORKER)
    b1, b2, b3 = st.columns(3)
    if b1.button("Train", type="primary", key="attn.start", disabled=config is None):
        if worker is not None:
            worker.stop()
        try:
            lab = Seq2SeqLab(config)
        except ConfigError as exc:
            st.error(str(exc))
            return
        worker = session_trainer(lab)
        st.session_state[RUN], st.session_state[WORKER] = lab, worker
        worker.start()
    paused = worker is not None and worker.alive and not worker.running and not st.session_state[RUN].finished
    if worker is not None and worker.running:
        if b2.button("Pause", key="attn.pause"):
            worker.pause()
            st.rerun()
    elif b2.button("Resume", key="attn.resume", disabled=not paused):
        worker.start()
        st.rerun()
    if b3.button("Stop", key="attn.stop", disabled=worker is None or not worker.alive):
        worker.stop()
    lab: Seq2SeqLab | None = st.session_state.get(RUN)
    if lab is None:
        st.info("Press Train: the variants learn from the same batches; held-out examples are never trained on.")
        return

    @st.fragment(run_every=refresh_seconds(0.8) if worker.running else None)
    def view() -> None:
        lab: Seq2SeqLab | None = st.session_state.get(RUN)  # read each tick, never captured: see session_cleanup
        worker: BackgroundTrainer | None = st.session_state.get(WORKER)
        if lab is None or worker is None:
            return
        worker.poll()
        with worker.lock:
            runs = [{"name": r.name, "steps": list(r.eval_steps), "accuracy": list(r.accuracies),
                     "loss_steps": r.steps[::10], "losses": r.losses[::10],
                     "snapshots": list(r.attention_snapshots)} for r in lab.runs]  # fmt: skip
            progress, step = lab.progress, lab.step_count
        st.progress(progress, text=f"step {step:,} of {lab.config.max_steps:,}")
        accuracy = [{"name": r["name"], "steps": r["steps"], "values": r["accuracy"]} for r in runs]
        losses = [{"name": r["name"], "steps": r["loss_steps"], "values": r["losses"]} for r in runs]
        accuracy_figure = accuracy_chart(accuracy)
        st.plotly_chart(accuracy_figure, key="attn.acc_chart", width="stretch")
        st.download_button("Accuracy chart (HTML)", lambda: accuracy_figure.to_html(include_plotlyjs="cdn"),
                           "accuracy.html", "text/html", on_click="ignore", key="attn.dl.acc")  # fmt: skip
        st.plotly_chart(task_chart(losses, None), key="attn.loss_chart", width="stretch")
        with_attention = [r for r in runs if r["snapshots"] and r["snapshots"][-1][1] is not None]
        if with_attention:
            chosen = with_attention[0]
            steps_seen = [s for s, _ in chosen["snapshots"]]
            index = len(steps_seen) - 1
            if len(steps_seen) > 1 and not worker.running:
                shown = st.select_slider("Attention at training step", steps_seen, steps_seen[-1], key="attn.snapshot")
                index = steps_seen.index(shown)
            snap_step, weights = chosen["snapshots"][index]
            title = f"{chosen['name']} attention on a held-out example, step {snap_step:,}"
            figure = attention_heatmap(weights, lab.probe.source, lab.probe.target, title)
            st.plotly_chart(figure, key="attn.probe_chart", width="stretch")
            st.download_button("Attention chart (HTML)", lambda: figure.to_html(include_plotlyjs="cdn"),
                               "attention.html", "text/html", on_click="ignore", key="attn.dl.chart")  # fmt: skip

    view()
    if not worker.running:
        for run in lab.runs:
            st.download_button(
                f"Download the {run.name} model",
                lambda run=run: seq2seq_bytes(run.model, lab.config.task, {"task": lab.config.task}),
                f"seq2seq-{lab.config.task}-{run.name}.safetensors",
                on_click="ignore",
                key=f"attn.dl.{run.name}",
            )


def _models_for_free_text() -> list[tuple[str, Seq2Seq, str]]:
    lab: Seq2SeqLab | None = st.session_state.get(RUN)
    if lab is not None:
        return [(run.name, run.model, lab.config.task) for run in lab.runs]
    path = PRETRAINED_DIR / "dates-seq2seq.safetensors"
    if path.is_file():
        model, task, _ = load_seq2seq(path)
        return [("pretrained dates model", model, task)]
    return []


def free_text_section() -> None:
    models = _models_for_free_text()
    if not models:
        return
    task = models[0][2]
    st.markdown(f"**Try your own input** ({task})")
    c1, c2 = st.columns([3, 1])
    text = c1.text_input("Input", EXAMPLES.get(task, ""), key=f"attn.free.{task}", max_chars=60)
    width = c2.slider("Beam width", 1, 10, 1, key="attn.beam")
    vocab = Seq2SeqVocab()
    unknown = vocab.unknown(text)
    if unknown:
        st.warning(f"Characters the model cannot read are skipped: {unknown}")
    ids = vocab.encode(text)
    if not ids:
        st.info("Type something the model can read.")
        return
    worker: BackgroundTrainer | None = st.session_state.get(WORKER)
    src = pad_batch([ids])
    for name, model, _ in models:
        if worker is not None:
            with worker.lock:
                beams = model.beam_search(src, width=width, max_len=24)
        else:
            beams = model.beam_search(src, width=width, max_len=24)
        best = beams[0]
        output = vocab.decode(best["tokens"])
        st.markdown(f"`{name}`: **{output}**")
        if width > 1:
            candidates = {
                "candidate": [vocab.decode(b["tokens"]) for b in beams],
                "log-probability": [b["score"] for b in beams],
            }
            st.dataframe(candidates, hide_index=True, key=f"attn.beams.{name}")
        if best["attention"] is not None:
            shown = "".join(vocab.itos[i] for i in ids)
            figure = attention_heatmap(best["attention"].tolist(), shown, output)
            st.plotly_chart(figure, key=f"attn.free_chart.{name}", width="stretch")
