"""The Generate page: sampling controls, streamed output coloured by probability."""

from __future__ import annotations

import html

import streamlit as st

from rnnviz.cells import ALL_BY_KEY
from rnnviz.charlm.checkpoint import Checkpoint
from rnnviz.charlm.generation import GeneratedChar, SamplingConfig, stream_generate
from rnnviz.charlm.model import ConfigError
from rnnviz.i18n import t
from rnnviz.limits import LIMITS
from rnnviz.ui.url_state import UrlSettings

RESULTS_KEY = "generate.results"  # model name -> (prompt, [GeneratedChar])
STREAM_EVERY = 10  # characters between redraws while streaming


def sampling_controls(url: UrlSettings) -> SamplingConfig | None:
    c1, c2, c3, c4 = st.columns(4)
    length = url.number(t("generate.length"), 1, LIMITS.max_generate_chars, 300, "length", "generate.length", c1)
    temperature = url.slider(
        t("generate.temperature"),
        0.0,
        2.0,
        0.8,
        "temperature",
        "generate.temperature",
        c2,
        step=0.05,
        help=t("generate.temperature_help"),
    )
    top_k = url.number(t("generate.top_k"), 0, 500, 0, "top_k", "generate.top_k", c3)
    top_p = url.slider(t("generate.top_p"), 0.05, 1.0, 1.0, "top_p", "generate.top_p", c4, step=0.05)
    c5, c6 = st.columns(2)
    greedy = url.checkbox(t("generate.greedy"), False, "greedy", "generate.greedy", c5)
    seed = url.number(t("generate.seed"), 0, 2**31 - 1, 0, "seed", "generate.seed", c6)
    try:
        return SamplingConfig(
            length=int(length),
            temperature=float(temperature),
            top_k=int(top_k) or None,
            top_p=None if top_p >= 1.0 else float(top_p),
            greedy=greedy,
            seed=int(seed),
        )
    except ConfigError as exc:
        st.error(str(exc))
        return None


DEFAULT_PROMPTS = {"shakespeare": "ROMEO:", "song-ci": "明月", "tang-poems": "春"}  # by the model's corpus


def default_prompt(models: list[tuple[str, Checkpoint]]) -> str:
    """The prompt a page opens on: one in the first model's own language and style (a Song ci model starts from
    明月, the Shakespeare models from a speaker's name); empty for a corpus without one."""
    if not models:
        return DEFAULT_PROMPTS["shakespeare"]
    return DEFAULT_PROMPTS.get(models[0][1].card.get("corpus", ""), "")


CHINESE_PROMPTS = ("明月", "春", "东风", "江南")  # openings for the classical poetry models


def prompt_suggestions(models: list[tuple[str, Checkpoint]]) -> None:
    """One-click openings for a model of classical Chinese poetry (a student may have no Chinese keyboard)."""
    if not any(ckpt.card.get("corpus") in ("song-ci", "tang-poems") for _, ckpt in models):
        return

    def use(prompt: str) -> None:
        st.session_state["generate.prompt"] = prompt

    columns = st.columns([2] + [1] * len(CHINESE_PROMPTS) + [4])
    columns[0].caption(t("generate.suggestions"))
    for column, prompt in zip(columns[1:], CHINESE_PROMPTS):
        column.button(prompt, key=f"generate.suggest.{prompt}", on_click=use, args=(prompt,))


def generation_note(name: str, ckpt: Checkpoint) -> None:
    """How a model of a newer cell generates: a Transformer crops to its window, a linear recurrence steps."""
    config = ckpt.model.config
    kind = ALL_BY_KEY.get(config.cell)
    if kind is None or kind.family == "fused":
        return  # the classic cells: as before
    if kind.family == "attention":
        st.caption(t("generate.transformer_window", name=name, n=config.context_size))
    else:
        st.caption(t("generate.recurrence_steps", name=name))


SURPRISE_RGB = (213, 94, 0)  # Okabe-Ito vermilion: a character the model gave a low probability
SURE_RGB = (0, 114, 178)  # Okabe-Ito blue: one it was sure of (the pair stays apart for red-green colour blindness)
STRONGEST = 0.5  # the most of either colour a background takes: the page's dark text stays above 4.5:1 on it


def probability_colour(p: float) -> str:
    """How surprised the model was by its own choice: vermilion at p = 0, white at 0.5, blue at 1 (a red-to-green
    scale would read as one colour to a red-green colour-blind student)."""
    p = max(0.0, min(1.0, p))
    base = SURE_RGB if p >= 0.5 else SURPRISE_RGB
    mix = STRONGEST * abs(2 * p - 1)
    red, green, blue = (round(255 + (channel - 255) * mix) for channel in base)
    return f"rgb({red},{green},{blue})"


def generated_html(prompt: str, pieces: list[GeneratedChar]) -> str:
    spans = [f"<span style='color:#777'>{html.escape(prompt).replace(chr(10), '<br>')}</span>"]
    for index, piece in enumerate(pieces):
        alternatives = "&#10;".join(f"{html.escape(repr(c))}: {p:.3f}" for c, p in piece.alternatives)
        hover = t("generate.hover", step=index, chosen=repr(piece.char), p=f"{piece.prob:.3f}")
        title = f"{html.escape(hover)}&#10;{alternatives}"
        shown = "⏎<br>" if piece.char == "\n" else html.escape(piece.char).replace(" ", "&nbsp;")
        spans.append(f"<span title=\"{title}\" style='background:{probability_colour(piece.prob)}'>{shown}</span>")
    return "<div style='font-family:monospace;line-height:1.6;word-wrap:break-word'>" + "".join(spans) + "</div>"


def generate_into(placeholder, ckpt: Checkpoint, prompt: str, config: SamplingConfig) -> list[GeneratedChar]:
    """Stream generation into ``placeholder``, redrawing every few characters."""
    pieces: list[GeneratedChar] = []
    for piece in stream_generate(ckpt.model, ckpt.vocab, prompt, config):
        pieces.append(piece)
        if len(pieces) % STREAM_EVERY == 0:
            placeholder.html(generated_html(prompt, pieces))
    placeholder.html(generated_html(prompt, pieces))
    return pieces


def position_details(name: str, pieces: list[GeneratedChar]) -> None:
    """Pick a position and see the model's alternatives there (hovering a token shows them too)."""
    if not pieces:
        return
    step = st.number_input(t("generate.position", name=name), 0, len(pieces) - 1, 0, key=f"generate.pos.{name}")
    piece = pieces[int(step)]
    st.caption(t("generate.chose", token=repr(piece.char), p=piece.prob, sample_p=piece.sample_prob))
    tokens, probabilities = [repr(c) for c, _ in piece.alternatives], [p for _, p in piece.alternatives]
    st.dataframe({t("generate.token"): tokens, "p": probabilities}, hide_index=True, key=f"generate.alts.{name}")
