"""The home page's content, kept out of app.py so the page file reads like a description."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnnviz.i18n import t
from rnnviz.lessons.catalogue import LESSONS, lesson_words
from rnnviz.pretrained import list_pretrained
from rnnviz.ui.navigation import LABS, page_name
from rnnviz.ui.server_status import render_server_status


def lesson_text(lesson, part: str) -> str:
    """A lesson's title or summary in the current language (from its content files)."""
    return lesson_words(lesson)(part, getattr(lesson, part))


def lab_card_key(name: str) -> str:
    """The catalogue key of a lab's one-line card on the home page (``name`` as in ``navigation.LABS``)."""
    return f"home.lab.{name.lower()}"


def render_home() -> None:
    st.title(t("home.title"))
    st.markdown(t("home.intro"))
    learn, explore = st.columns(2)
    with learn:
        st.subheader(t("nav.learn"))
        st.caption(t("home.learn_caption"))
        for lesson in LESSONS.values():
            st.page_link(
                "pages/0_Lessons.py",
                label=f"**{lesson_text(lesson, 'title')}**",
                icon=":material/school:",
                query_params={"lesson": lesson.key},
            )
            st.caption(t("home.lesson_minutes", summary=lesson_text(lesson, "summary"), minutes=lesson.minutes))
        with st.container(border=True):
            st.markdown(f"**{t('class.home_title')}**")
            st.markdown(t("class.home_steps"))
    with explore:
        st.subheader(t("home.explore"))
        st.caption(t("home.explore_caption"))
        for path, label, icon in LABS:
            st.page_link(path, label=f"**{page_name(label)}**", icon=icon)
            st.caption(t(lab_card_key(label)))
    pretrained_table()
    st.caption(t("home.offline"))
    render_server_status()


def _quality(kind: str, card: dict) -> tuple[str, str, str]:
    """(model, trained on, quality) of one shipped checkpoint, in the current language."""
    if kind == "seq2seq":
        quality = t("home.exact_match", value=card["held_out_exact_match"]) if "held_out_exact_match" in card else ""
        return t("home.seq2seq_model", attention=card.get("attention")), t("home.task", task=card.get("task")), quality
    if kind == "tagger":
        quality = t("home.test_f1", value=card["test_f1"]) if "test_f1" in card else ""
        return t("home.tagger_model", label=card.get("label", "")), card.get("corpus", ""), quality
    if kind == "classifier":
        quality = t("home.test_accuracy", value=card["test_accuracy"]) if "test_accuracy" in card else ""
        return t("home.classifier_model", label=card.get("label", "")), card.get("data", ""), quality
    loss = card.get("val_loss_nats")
    per = t("units.token") if card.get("tokens") == "words" else t("units.char")
    quality = t("home.validation_loss", loss=loss, per=per, bits=card.get("val_bpc", 0)) if loss else ""
    return card.get("label", ""), card.get("corpus", ""), quality


def pretrained_table() -> None:
    """The shipped checkpoints with their model cards: ready on Inspect, Generate and Gradients at once."""
    infos = list_pretrained(kind=None)
    if not infos:
        return
    st.subheader(t("home.pretrained"))
    missing = t("home.not_recorded")
    rows = []
    for info in infos:
        card = info.card
        model, data, quality = _quality(info.kind, card)
        rows.append(
            {
                t("home.col.name"): info.name,
                t("home.col.model"): model,
                t("home.col.data"): data,
                t("home.col.quality"): quality or t("home.not_measured"),
                t("home.col.parameters"): f"{card['parameters']:,}" if card.get("parameters") else missing,
                t("home.col.steps"): f"{card['steps']:,}" if card.get("steps") else missing,
                t("home.col.hardware"): card.get("hardware", missing),
                t("home.col.wall"): f"{card['wall_seconds']:.0f} s" if card.get("wall_seconds") else missing,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="home.pretrained")
    with st.expander(t("home.commands")):
        st.code(training_script(infos, missing), language=None, wrap_lines=True)


def training_script(infos, missing: str) -> str:
    """Every shipped checkpoint's recorded command as one script, each under a comment naming its model: one block
    to read or copy whole (a checkpoint without one says ``missing`` in a comment). The browser draws one code block
    instead of one per model, which every visit to the home page paid for (a phone from the QR code too), open
    expander or not."""
    return "\n\n".join(f"# {info.name}\n{info.card.get('training_command') or '# ' + missing}" for info in infos)
