"""The Tag page: named entities in Chinese news, read by a left-to-right and a bidirectional tagger.

It opens on the shipped pair (BiLSTM+CRF and LSTM+CRF, trained alike) reading a sentence, and on the held-out
entities only the bidirectional one finds; below, the same comparison trains live.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnnviz.charts.export import standalone_html
from rnnviz.charts.tagging import direction_chart, entity_html, f1_chart, legend_html, tag_probability_heatmap
from rnnviz.i18n import column_namer, labeller, t
from rnnviz.labs.tagging_lab import VARIANTS, TaggingLab, TaggingLabConfig, score_row
from rnnviz.pretrained import TAGGERS, pretrained_path
from rnnviz.tagging.bio import TAGS
from rnnviz.tagging.checkpoint import load_tagger, tagger_bytes
from rnnviz.tagging.corpus import CorpusMissing
from rnnviz.tagging.explain import MAX_TEXT_CHARS, direction_misses, explain_text, with_gold
from rnnviz.tagging.model import TAGGER_CELLS
from rnnviz.ui import live
from rnnviz.ui.chart_display import show_chart
from rnnviz.ui.url_state import UrlSettings

RUN_KEY = "tag.run"  # a LiveRun of a TaggingLab
PRETRAINED = {"bidirectional": TAGGERS["BiLSTM+CRF"], "unidirectional": TAGGERS["LSTM+CRF"]}
DEMO_SENTENCE = "据新华社报道,曾在周总理身边工作过的老摄影家今天在北京举办了影展。"  # 周 is a name: 总理 follows


@st.cache_resource(show_spinner=False)
def pretrained_pair() -> dict | None:
    """The shipped taggers by direction (loaded once a process), or None where a file is missing."""
    paths = {name: pretrained_path(filename) for name, filename in PRETRAINED.items()}
    if any(path is None for path in paths.values()):
        return None
    return {name: load_tagger(path) for name, path in paths.items()}


@st.cache_data(show_spinner=False)
def pretrained_misses(limit: int = 15) -> list[dict]:
    """Held-out entities the shipped bidirectional tagger finds and the left-to-right one misses."""
    from rnnviz.tagging.corpus import load_peoples_daily  # the sentences only: nothing encoded for a whole corpus

    pair = pretrained_pair()
    validation = load_peoples_daily()["validation"][::4]
    uni, vocab, _ = pair["unidirectional"]
    bi, _, _ = pair["bidirectional"]
    return direction_misses(uni, bi, vocab, validation, limit)


@st.cache_data(show_spinner=False)
def held_out_examples(limit: int = 40) -> list[dict]:
    """Validation sentences with their gold entities, those only the shipped bidirectional tagger gets right first."""
    from rnnviz.tagging.corpus import load_peoples_daily  # the sentences only: nothing encoded for a whole corpus

    validation = load_peoples_daily()["validation"]
    first = [miss["sentence"] for miss in pretrained_misses()] if pretrained_pair() else []
    return with_gold(validation, first, limit)


def sentence_section(url: UrlSettings) -> None:
    """A sentence read by two models: the run's variants when this session has a run, else the shipped pair. A
    held-out sentence shows its gold entities above the models'."""
    st.subheader(t("tag.read_sentence"))
    mode = st.radio(
        t("tag.read"),
        ["your own sentence", "a held-out sentence, with its gold entities"],
        horizontal=True,
        key="tag.mode",
        format_func=labeller("tag.mode."),
    )
    gold = None
    if mode == "your own sentence":
        text = url.text(t("tag.your_sentence"), DEMO_SENTENCE, "text", "tag.text", area=True, height=80)
    else:
        try:
            with st.spinner(t("tag.reading_held_out")):
                examples = held_out_examples()
        except CorpusMissing as exc:
            st.warning(str(exc))
            return
        index = st.selectbox(
            t("tag.held_out_sentence"),
            range(len(examples)),
            format_func=lambda i: examples[i]["text"][:70],
            key="tag.held_out",
        )
        text, gold = examples[index]["text"], examples[index]["entities"]
    run = live.get(RUN_KEY)
    source = "pretrained"
    if run is not None:
        source = st.radio(
            t("tag.models"),
            ["this session's run", "pretrained"],
            horizontal=True,
            key="tag.source",
            format_func=labeller("tag.source."),
        )
    if source == "pretrained":
        pair = pretrained_pair()
        if pair is None:
            st.info(t("tag.no_pretrained"))
            return
        readings = [
            explain_text(model, vocab, text) for model, vocab, _ in (pair["bidirectional"], pair["unidirectional"])
        ]
    else:
        readings = live.call(RUN_KEY, lambda lab: lab.explain(text))
    if not text.strip():
        st.info(t("tag.type_sentence"))
        return
    draw_readings(readings, text, gold=gold)


def draw_readings(readings: list[dict], text: str, key: str = "tag", gold: list[dict] | None = None) -> None:
    """Each model's entities in the sentence (under the gold ones, for a held-out sentence), then one model's tag
    probabilities and, for a bidirectional one, what each direction contributed."""
    first = readings[0]
    if first["clamped"]:
        st.warning(t("tag.clamped", n=MAX_TEXT_CHARS))
    if first["unknown"]:
        st.caption(t("tag.unknown", unknown=first["unknown"]))
    st.html(legend_html())
    if gold is not None:
        st.markdown(t("tag.gold"))
        st.html(entity_html(text, gold))  # html, never markdown: a typed sentence stays text
    for reading in readings:
        at_step = t("tag.at_step", step=reading["step"]) if reading.get("step") is not None else ""
        st.markdown(f"**{reading['label']}**{at_step}")
        if reading["diverged"]:
            st.warning(t("tag.diverged", label=reading["label"]))
            continue
        st.html(entity_html(reading["text"], reading["entities"]))
    if not any(reading["entities"] for reading in readings) and not any("\u4e00" <= c <= "\u9fff" for c in text):
        st.info(t("tag.no_chinese"))
    readings = [reading for reading in readings if not reading["diverged"]]
    if not readings:
        return
    names = [reading["label"] for reading in readings]
    chosen = readings[names.index(st.radio(t("tag.look_inside"), names, horizontal=True, key=f"{key}.inside"))]
    show_chart(
        tag_probability_heatmap(
            chosen["text"], chosen["probabilities"], t("tag.probability_title", label=chosen["label"])
        ),
        key=f"{key}.probabilities",
    )
    if chosen["bidirectional"]:
        st.caption(t("tag.directions_caption") + " " + backward_led(chosen, [r for r in readings if r is not chosen]))
        figure = direction_chart(chosen["text"], chosen["tags"], chosen["forward"], chosen["backward"])
        show_chart(figure, key=f"{key}.directions")
    else:
        st.caption(t("tag.left_to_right_caption"))


def backward_led(reading: dict, others: list[dict]) -> str:
    """A sentence naming the entity whose opening tag came most from the backward states (one the left-to-right
    model beside it tags otherwise, where there is one), with what that model gave the character; empty if none."""
    left_to_right = next((o for o in others if not o.get("bidirectional") and o["probabilities"]), None)
    forward, backward = reading["forward"], reading["backward"]
    starts = [e["start"] for e in reading["entities"] if backward[e["start"]] > max(forward[e["start"]], 0.0)]
    if not starts:
        return ""

    def rank(i: int) -> tuple:
        disagrees = left_to_right is not None and left_to_right["tags"][i] != reading["tags"][i]
        return (disagrees, reading["backward"][i] - reading["forward"][i])

    i = max(starts, key=rank)
    tag = reading["tags"][i]
    text = t(
        "tag.backward_led",
        char=reading["text"][i],
        tag=tag,
        backward=reading["backward"][i],
        forward=reading["forward"][i],
    )
    if left_to_right is not None:
        p = left_to_right["probabilities"][i][TAGS.index(tag)]
        text += " " + t("tag.left_to_right_gives", label=left_to_right["label"], tag=tag, p=p)
    return text


def misses_section() -> None:
    st.subheader(t("tag.misses_title"))
    run = live.get(RUN_KEY)
    if run is not None and run.status != "running":
        misses = live.call(RUN_KEY, lambda lab: lab.direction_misses(15))
        who = t("tag.who_run")
        if not misses:
            st.caption(t("tag.train_both"))
            return
    else:
        if pretrained_pair() is None:
            return
        try:
            with st.spinner(t("tag.reading_held_out")):
                misses = pretrained_misses()
        except CorpusMissing as exc:
            st.warning(str(exc))
            return
        who = t("tag.who_pretrained")
    st.caption(t("tag.misses_caption", who=who))
    columns = [t(f"tag.col.{name}") for name in ("entity", "type", "left_to_right", "sentence")]
    rows = [dict(zip(columns, (m["entity"], m["kind"], m["unidirectional_tags"], m["sentence"]))) for m in misses]
    st.table(pd.DataFrame(rows), hide_index=True)  # static: the page's view is ready 0.2 s sooner than a data grid


def controls(url: UrlSettings) -> TaggingLabConfig | None:
    st.subheader(t("tag.train_live"))
    c1, c2, c3, c4 = st.columns(4)
    cell = url.select(t("tag.cell"), TAGGER_CELLS, "lstm", "cell", "tag.cell", c1)
    variant_help = labeller("tag.variant_help.")
    variants = url.multiselect(
        t("tag.variants"),
        VARIANTS,
        ["uni", "bi"],
        "variants",
        "tag.variants",
        c2,
        format_func=lambda v: f"{v} ({variant_help(v.replace('+', '_'))})",
    )
    hidden_size = url.select_slider(t("train.hidden_size"), [16, 32, 64, 128], 64, "hidden", "tag.hidden", c3)
    steps = url.number(t("train.steps"), 10, 20_000, 1500, "steps", "tag.steps", c4)
    if not variants:
        st.info(t("tag.pick_variant"))
        return None
    return TaggingLabConfig(
        cell=cell,
        variants=tuple(variants),
        hidden_size=int(hidden_size),
        steps=int(steps),
        eval_every=max(10, int(steps) // 15),
    )


def _make_lab(config: TaggingLabConfig | None) -> TaggingLab | None:
    if config is None:
        return None
    try:
        return TaggingLab(config)
    except CorpusMissing as exc:
        st.session_state[f"{RUN_KEY}.error"] = str(exc)
        return None


def training_section(config: TaggingLabConfig | None) -> None:
    starters = [("tag.start", t("tag.train"), lambda: _make_lab(config))]
    live.control_bar(RUN_KEY, starters, can_start=config is not None)
    run = live.get(RUN_KEY)
    if run is None:
        st.info(t("tag.press_train"))
        return
    live.live_view(RUN_KEY, draw_tagging, 1.0)
    if run.status == "running":
        return
    lab: TaggingLab = run.job
    if st.button(t("tag.score_test"), key="tag.test"):
        st.session_state["tag.test_scores"] = live.call(RUN_KEY, lambda lab: lab.test_scores())
    scores = st.session_state.get("tag.test_scores")
    if scores:
        st.dataframe(
            scores_table([score_row(name, s) for name, s in scores.items()]), hide_index=True, key="tag.test_table"
        )
    for variant in lab.runs:
        st.download_button(
            t("tag.download", name=variant.name),
            lambda name=variant.name: live.call(RUN_KEY, lambda lab: _variant_bytes(lab, name)),
            f"tagger-{variant.name.lower().replace('+', '-')}.safetensors",
            on_click="ignore",
            key=f"tag.dl.{variant.variant}",
        )


def scores_table(rows: list[dict]) -> pd.DataFrame:
    """Score rows with their column names in the current language (entity types keep their names)."""
    return pd.DataFrame(rows).rename(columns=column_namer("tag.score_col."))


def _variant_bytes(lab: TaggingLab, name: str) -> bytes:
    variant = next(v for v in lab.runs if v.name == name)
    card = {
        "label": name,
        "steps": lab.step_count,
        "validation_f1": variant.scores[-1]["overall"]["f1"] if variant.scores else None,
    }
    return tagger_bytes(variant.model, lab.data.vocab, card)


def draw_tagging(snap: dict, state: str, key: str = "tag") -> None:
    """A tagging lab's snapshot: F1 per variant against the baseline, and the latest scores per entity type."""
    baseline = snap["baseline"]["overall"]["f1"]
    figure = f1_chart(snap["runs"], baseline)
    show_chart(figure, key=f"{key}.f1_chart")
    st.download_button(
        t("tag.f1_html"),
        lambda: standalone_html(figure),
        "tagging-f1.html",
        "text/html",
        on_click="ignore",
        key=f"{key}.dl.f1",
    )
    rows = [score_row(r["name"], r["latest"]) for r in snap["runs"] if r["latest"]]
    rows.append(score_row(t("tag.most_frequent"), snap["baseline"]))
    st.caption(t("tag.scores_caption", n=snap["eval_sentences"], step=snap["step"]))
    st.dataframe(scores_table(rows), hide_index=True, key=f"{key}.scores")
    for run in snap["runs"]:
        if run["diverged"]:
            st.warning(f"{run['name']} {run['diverged']}")


def about_section() -> None:
    with st.expander(t("tag.about")):
        st.markdown(t("tag.about_data"))
        st.markdown(t("tag.relations"))
