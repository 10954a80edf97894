"""The Inspect page's sections, each drawing one view of a trace."""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
import streamlit as st

from rnnviz.charlm.checkpoint import Checkpoint
from rnnviz.charlm.corpora import (
    CORPUS_NAMES,
    CorpusError,
    load_corpus,
    shakespeare_path,
    structured_snippet,
    validation_snippet,
)
from rnnviz.charlm.model import ConfigError
from rnnviz.charts.export import standalone_html
from rnnviz.charts.intervention import intervention_chart
from rnnviz.charts.newer_cells import attention_heads_chart, step_size_chart
from rnnviz.charts.trace import (
    HOVER_VALUES,
    activation_html,
    display_char,
    gate_heatmaps,
    loss_per_char_chart,
    pca_trajectory,
    saturation_scatter,
)
from rnnviz.i18n import current_language, labeller, t, text_in
from rnnviz.introspect import Trace, trace_text
from rnnviz.introspect.chart_data import attention_weights, layer_series, pca_projection, step_sizes
from rnnviz.introspect.intervene import (
    MAX_CONTINUATION,
    TARGETS,
    Intervention,
    first_difference,
    intervene_ids,
    largest_change,
    probability_change,
    token_probabilities,
)
from rnnviz.introspect.neurons import find_neurons
from rnnviz.introspect.saturation import gate_saturation
from rnnviz.limits import LIMITS
from rnnviz.ui.chart_display import show_chart
from rnnviz.ui.session_memo import last_result
from rnnviz.ui.state import INSPECT_PENDING_TEXT_KEY
from rnnviz.ui.url_state import UrlSettings

DEFAULT_TEXT = "ROMEO:\nBut, soft! what light through yonder window breaks?\nIt is the east, and Juliet is the sun.\n"
TEXT_KEY = "inspect.text"
DEFAULTS_KEY = "inspect.defaults"  # model source -> the text it opens on
DEFAULT_FOR_KEY = "inspect.default_for"  # the model whose default text is in the box
BEST_FOR_KEY = "inspect.best_for"  # the (model, text) the pickers were last pointed at the best unit for


def downloads(fig, frame_fn: Callable[[], pd.DataFrame] | None, name: str) -> None:
    """An HTML copy of the chart and its data as CSV, both built only when clicked; neither reruns."""
    left, right = st.columns(2)
    left.download_button(
        t("inspect.chart_html"),
        lambda: standalone_html(fig),
        f"{name}.html",
        "text/html",
        on_click="ignore",
        key=f"inspect.dl.{name}.html",
    )
    if frame_fn is not None:

        def csv() -> str:
            buffer = io.StringIO()
            frame_fn().to_csv(buffer, index=False)
            return buffer.getvalue()

        right.download_button(
            t("inspect.data_csv"), csv, f"{name}.csv", "text/csv", on_click="ignore", key=f"inspect.dl.{name}.csv"
        )


def _corpus_text(ckpt: Checkpoint) -> str | None:
    """The model's own corpus when it is on this machine (never a download from here), else None."""
    name = ckpt.card.get("corpus")
    if name not in CORPUS_NAMES or (name == "shakespeare" and not shakespeare_path().is_file()):
        return None
    try:
        return load_corpus(name).text
    except CorpusError as exc:
        st.warning(str(exc))
        return None


def corpus_snippet(ckpt: Checkpoint, start_fraction: float, length: int) -> str | None:
    text = _corpus_text(ckpt)
    return None if text is None else validation_snippet(text, start_fraction, length)


def default_text(ckpt: Checkpoint) -> str:
    """A text from the model's own corpus where it is here (the python-code model opens on Python source, so its
    quote and bracket units show at once); the Shakespeare sample otherwise."""
    text = _corpus_text(ckpt)
    return DEFAULT_TEXT if text is None else structured_snippet(text)


def text_input(ckpt: Checkpoint, source: str = "", url: UrlSettings | None = None) -> str:
    """The text to inspect, typed or taken from the model's own validation text, capped in length. A new model
    brings its own text unless the student has typed their own; a link's ``?text=`` comes first."""
    if url is not None and "text" in st.query_params and TEXT_KEY not in st.session_state:
        st.session_state[INSPECT_PENDING_TEXT_KEY] = st.query_params["text"][: LIMITS.max_inspect_chars]
    pending = st.session_state.pop(INSPECT_PENDING_TEXT_KEY, None)
    if pending:
        st.session_state[TEXT_KEY] = pending
    defaults = st.session_state.setdefault(DEFAULTS_KEY, {})
    shown_default = defaults.get(st.session_state.get(DEFAULT_FOR_KEY))
    if TEXT_KEY not in st.session_state or (
        st.session_state[TEXT_KEY] == shown_default and st.session_state.get(DEFAULT_FOR_KEY) != source
    ):
        if source not in defaults:
            defaults[source] = default_text(ckpt)
        st.session_state[TEXT_KEY] = defaults[source]
        st.session_state[DEFAULT_FOR_KEY] = source
    with st.expander(t("inspect.snippet")):
        c1, c2, c3 = st.columns([2, 1, 1])
        where = c1.slider(t("inspect.where"), 0.0, 1.0, 0.5, key="inspect.snippet_at")
        length = c2.number_input(t("generate.length"), 10, LIMITS.max_inspect_chars, 400, key="inspect.snippet_len")
        if c3.button(t("inspect.use_snippet"), key="inspect.snippet"):
            snippet = corpus_snippet(ckpt, where, int(length))
            if snippet is None:
                st.warning(t("inspect.no_corpus"))
            else:
                st.session_state[TEXT_KEY] = snippet
    text = st.text_area(t("inspect.text"), key=TEXT_KEY, height=120)
    if url is not None and len(text) <= 500:  # a short text travels in the class link; a long one stays here
        url.unlockable["text"] = text
    if len(text) > LIMITS.max_inspect_chars:
        st.warning(t("inspect.too_long", n=len(text), cap=LIMITS.max_inspect_chars))
        text = text[: LIMITS.max_inspect_chars]
    return text


VIEWS = ("neurons", "gates", "trajectory", "saturation", "next", "compare")  # a classic cell's, and minGRU's, minLSTM's
NEWER_VIEWS = {  # the newer cells whose views differ: the SSM's step size in place of saturation; the Transformer's
    # attention in place of gates (it has none) and saturation
    "ssm": ("neurons", "gates", "step", "trajectory", "next", "compare", "intervene"),
    "transformer": ("neurons", "attention", "trajectory", "next", "compare"),
}
NEWER_CELL_CAPTIONS = {"mingru": "inspect.about_mingru", "minlstm": "inspect.about_minlstm", "ssm": "inspect.about_ssm"}
NEWER_CELL_CAPTIONS["transformer"] = "inspect.about_transformer"


INTERVENE_VIEWS = (*VIEWS, "intervene")  # the recurrent cells': an intervention runs on their exact replay


def views_for(cell: str) -> tuple[str, ...]:
    """The views a model's cell offers (its ``ModelConfig.cell``)."""
    if cell in NEWER_VIEWS:
        return NEWER_VIEWS[cell]
    return INTERVENE_VIEWS if cell in TARGETS else VIEWS


VIEW_WIDGETS = (  # the widgets drawn in one view only (Streamlit forgets a widget's value on a run that skips it)
    "inspect.regex",
    "inspect.state",
    "inspect.unit",
    "inspect.units",
    "inspect.first_unit",
    "inspect.pca_dims",
    "inspect.compare_models",
    "inspect.cursor",
    "inspect.iv.state",
    "inspect.iv.unit",
    "inspect.iv.from",
    "inspect.iv.value",
    "inspect.iv.length",
    "inspect.iv.watch",
)


def pick_view(url: UrlSettings, tokens: str = "chars", cell: str = "lstm") -> str:
    """Which view of the trace to build (only that one is drawn and sent), kept in the link as ``?view=``; the
    views are the model's cell's (``views_for``)."""
    for key in VIEW_WIDGETS:  # a view's widgets keep their values while another view is open
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    views = views_for(cell)
    if st.session_state.get("inspect.view") not in (None, *views):  # a view another cell had: back to the first
        st.session_state.pop("inspect.view")
        st.query_params.pop("view", None)
    language = current_language()

    def label(view: str) -> str:
        if view == "next":
            return text_in(language, "inspect.tab.next_word" if tokens == "words" else "inspect.tab.next_char")
        return text_in(language, f"inspect.tab.{view}")

    return url.segmented(
        t("inspect.tab.view"), views, "neurons", "view", "inspect.view", format_func=label, label_visibility="collapsed"
    )


def _within_window(ckpt: Checkpoint, text: str) -> str:
    """A Transformer reads at most its window at once: a longer text is cropped to its first tokens, and says so."""
    config = ckpt.config
    if config.cell != "transformer":
        return text
    ids = ckpt.vocab.encode(text, unknown="skip")
    if len(ids) <= config.context_size:
        return text
    st.info(t("inspect.window_cropped", n=config.context_size, total=len(ids)))
    return "".join(ckpt.vocab.pieces(ids[: config.context_size]))


def run_trace(ckpt: Checkpoint, text: str) -> Trace | None:
    if not text.strip():
        st.info(t("inspect.type_text"))
        return None
    text = _within_window(ckpt, text)
    try:
        trace = last_result("inspect.trace", ckpt.model, text, lambda: trace_text(ckpt.model, ckpt.vocab, text))
    except ValueError as exc:
        st.error(str(exc))
        return None
    if trace.skipped:
        shown = ", ".join(repr(c) for c in trace.skipped[:12])
        if ckpt.vocab.reads_unknown_as_unk:
            key = "inspect.unk_words" if ckpt.vocab.kind == "words" else "inspect.unk_chars"
            st.info(t(key, size=ckpt.vocab.size, shown=shown))
        else:
            st.warning(t("inspect.skipped", shown=shown))
    verdict = t("inspect.exact" if trace.exact else "inspect.not_exact")
    if trace.cell in NEWER_CELL_CAPTIONS:  # a newer cell: its own replay, checked against the path it trains with
        st.caption(t(NEWER_CELL_CAPTIONS[trace.cell]))
        st.caption(t("inspect.replayed_newer", diff=f"{trace.max_abs_diff:.1e}", verdict=verdict))
    else:
        st.caption(t("inspect.replayed", diff=f"{trace.max_abs_diff:.1e}", verdict=verdict))
    return trace


MAX_CHANNELS = 64  # the step size heatmap's channels, as the gates' heatmaps show at most 64 units


def step_size_section(trace: Trace, layer: int) -> None:
    """The selective SSM's step size Δ per token: the mean over the channels, and each channel."""
    delta = step_sizes(trace, layer)  # (T, D)
    channels = list(range(min(MAX_CHANNELS, delta.shape[1])))
    fig = step_size_chart(trace.labels, delta, channels)
    show_chart(fig, key="inspect.step_size")
    st.caption(t("inspect.step_caption"))
    if len(channels) < delta.shape[1]:
        st.caption(t("inspect.step_channels", shown=len(channels), n=delta.shape[1]))

    def frame() -> pd.DataFrame:
        rows = [
            (step, trace.labels[step], channel, value)
            for step, values in enumerate(delta.tolist())
            for channel, value in enumerate(values)
        ]
        return pd.DataFrame(rows, columns=["step", "token", "channel", "delta"])

    downloads(fig, frame, "step-size")


def attention_section(trace: Trace, layer: int) -> None:
    """A Transformer block's attention over the text, one heatmap per head."""
    weights = attention_weights(trace, layer)  # (heads, T, T)
    fig = attention_heads_chart(trace.labels, weights, layer)
    show_chart(fig, key="inspect.attention")
    st.caption(t("inspect.attention_caption", heads=weights.shape[0]))

    def frame() -> pd.DataFrame:
        rows = [
            (head, i, trace.labels[i], j, trace.labels[j], float(weights[head, i, j]))
            for head in range(weights.shape[0])
            for i in range(weights.shape[1])
            for j in range(i + 1)
        ]
        return pd.DataFrame(rows, columns=["head", "step", "token", "looks_at_step", "looks_at_token", "weight"])

    downloads(fig, frame, "attention")


def gates_section(trace: Trace, layer: int) -> None:
    hidden = trace.layers[layer].h.shape[1]
    c1, c2 = st.columns(2)
    count = c1.slider(t("inspect.units_shown"), 1, min(64, hidden), min(32, hidden), key="inspect.units")
    first = c2.number_input(t("inspect.first_unit"), 0, max(0, hidden - count), 0, key="inspect.first_unit")
    units = list(range(int(first), int(first) + count))
    series = layer_series(trace, layer)
    fig = gate_heatmaps(series, trace.labels, units)
    show_chart(fig, key="inspect.heatmaps")
    drawn = fig.layout.meta
    if drawn["mode"] == "image":
        values = len(series) * count * len(trace.labels)
        key = "inspect.gates_pictures" if drawn["bin"] == 1 else "inspect.gates_pictures_binned"
        st.caption(t(key, values=values, most=HOVER_VALUES, n=drawn["bin"]))

    def frame() -> pd.DataFrame:
        rows = []
        for name, values in series.items():
            for unit in units:
                for step, value in enumerate(values[:, unit].tolist()):
                    rows.append((name, step, trace.tokens[step], unit, value))
        return pd.DataFrame(rows, columns=["series", "step", "token", "unit", "value"])

    downloads(fig, frame, "gates")


def neurons_section(trace: Trace, layer: int) -> None:
    regex = st.text_input(t("inspect.regex"), key="inspect.regex")
    try:
        found = find_neurons(trace, regex=regex or None)
    except Exception as exc:  # re.error for a bad pattern
        st.error(t("inspect.bad_regex", error=exc))
        found = find_neurons(trace)
    suggestions = [m for matches in found.values() for m in matches[:1]]
    suggestions.sort(key=lambda m: -abs(m.correlation))
    if suggestions:
        st.markdown(t("inspect.tracking") + "; ".join(m.describe() for m in suggestions[:5]))
    entry = trace.layers[layer]
    states = ["h"] + (["c"] if entry.c is not None else [])
    c1, c2 = st.columns(2)
    if st.session_state.get("inspect.state") not in states:
        st.session_state.pop("inspect.state", None)  # a GRU or RNN has no cell state
    state = c1.radio(
        t("inspect.state"), states, horizontal=True, key="inspect.state", format_func=labeller("inspect.state_name.")
    )
    best_here = next((m.unit for m in suggestions if m.layer == layer and m.state == state), 0)
    if not 0 <= st.session_state.get("inspect.unit", -1) < entry.h.shape[1]:
        st.session_state["inspect.unit"] = best_here  # the finder's best unit, set once; the student moves it after
    unit = c2.number_input(t("inspect.unit"), 0, entry.h.shape[1] - 1, key="inspect.unit")
    values = (entry.h if state == "h" else entry.c)[:, int(unit)]
    scale = float(values.abs().max()) or 1.0
    title = t("inspect.colour_title", layer=layer, state=state, unit=int(unit), scale=f"{scale:.2f}")
    st.html(activation_html(trace.tokens, (values / scale).tolist(), title))


def trajectory_section(trace: Trace, layer: int) -> None:
    dims = st.radio(t("inspect.dimensions"), [2, 3], horizontal=True, key="inspect.pca_dims")
    points, explained = pca_projection(trace, layer, dims)
    fig = pca_trajectory(points, explained, trace.labels)
    show_chart(fig, key="inspect.pca")

    def frame() -> pd.DataFrame:
        points = fig.data[0]
        columns = {
            "step": list(range(len(trace.tokens))),
            "token": list(trace.tokens),
            "pc1": list(points.x),
            "pc2": list(points.y),
        }
        if dims == 3:
            columns["pc3"] = list(points.z)
        return pd.DataFrame(columns)

    downloads(fig, frame, "trajectory")


def saturation_section(trace: Trace, layer: int) -> None:
    saturation = gate_saturation(trace)
    fig = saturation_scatter(saturation, layer)
    show_chart(fig, key="inspect.saturation")
    rows = [
        (g, u, left, right)
        for g, v in saturation[layer].items()
        for u, (left, right) in enumerate(zip(v["left"], v["right"]))
    ]  # noqa: E501
    downloads(fig, pd.DataFrame(rows, columns=["gate", "unit", "left", "right"]), "saturation")


def next_char_table(ckpt: Checkpoint, trace: Trace, k: int = 5) -> pd.DataFrame:
    top = trace.probs.topk(min(k, ckpt.vocab.size), dim=-1)
    values, indices = top.values.tolist(), top.indices.tolist()  # one conversion, not one per cell
    losses = trace.loss_per_char.tolist()
    vocab = ckpt.vocab
    tokens = trace.tokens
    rows = []
    columns = [
        t("inspect.col.step"),
        t(f"units.{vocab.unit}"),
        t("inspect.col.top", k=k),
        t("inspect.col.actual"),
        t("inspect.col.loss"),
    ]
    for step, token in enumerate(tokens):
        guesses = ", ".join(f"{display_char(vocab.token(i))} {p:.2f}" for p, i in zip(values[step], indices[step]))
        actual = display_char(tokens[step + 1]) if step + 1 < len(tokens) else ""
        loss = losses[step] if step < len(losses) else None
        rows.append(dict(zip(columns, (step, display_char(token), guesses, actual, loss))))
    return pd.DataFrame(rows)


def next_char_section(ckpt: Checkpoint, trace: Trace) -> None:
    frame = next_char_table(ckpt, trace)
    st.dataframe(frame, hide_index=True, width="stretch", height=360, key="inspect.next_table")
    mean = float(trace.loss_per_char.mean()) if len(trace.loss_per_char) else 0.0
    st.caption(t("inspect.mean_loss", mean=mean, per=t(f"units.{ckpt.vocab.unit}")))


def compare_section(models: list[tuple[str, Checkpoint]], text: str, tokens: str = "chars") -> None:
    """Per-token loss of several models on one text; only models that read the same tokens (characters, or words)
    as the inspected one, since a shared cursor needs the same positions."""
    other = [name for name, ckpt in models if ckpt.vocab.kind != tokens]
    if other:
        st.info(t("inspect.left_out_words" if tokens == "chars" else "inspect.left_out_chars", names=", ".join(other)))
    models = [(name, ckpt) for name, ckpt in models if ckpt.vocab.kind == tokens]
    for _, ckpt in models:  # a Transformer among them: every model reads the text its window holds
        text = _within_window(ckpt, text)
    traces = {}
    for name, ckpt in models:
        try:
            traces[name] = trace_text(ckpt.model, ckpt.vocab, text)
        except ValueError as exc:
            st.error(f"{name}: {exc}")
    if not traces:
        return
    shortest = min(len(t.tokens) for t in traces.values())
    if shortest < 2:
        st.info(t("inspect.two_tokens"))
        return
    if st.session_state.get("inspect.cursor", 0) > shortest - 2:  # a shorter text (or a window) than before
        st.session_state["inspect.cursor"] = shortest - 2
    cursor = st.slider(t("inspect.cursor"), 0, shortest - 2, min(10, shortest - 2), key="inspect.cursor")
    series = {name: t.loss_per_char.tolist() for name, t in traces.items()}
    unit = "char" if tokens == "chars" else "token"
    fig = loss_per_char_chart(series, next(iter(traces.values())).tokens, cursor + 1, t(f"units.{unit}"))
    show_chart(fig, key="inspect.compare_chart")
    columns = st.columns(len(traces))
    for column, (name, trace) in zip(columns, traces.items()):
        ckpt = dict(models)[name]
        top = trace.probs[cursor].topk(min(5, ckpt.vocab.size))
        column.markdown(t("inspect.after", name=name, token=display_char(trace.tokens[cursor]), step=cursor))
        guesses = [display_char(ckpt.vocab.token(int(i))) for i in top.indices]
        frame = pd.DataFrame({t("inspect.next"): guesses, "p": top.values.tolist()})
        column.dataframe(frame, hide_index=True, key=f"inspect.compare_top.{name}")
        column.caption(
            t(
                "inspect.loss_next",
                per=t(f"units.{unit}"),
                loss=float(trace.loss_per_char[cursor]),
                mean=float(trace.loss_per_char.mean()),
            )
        )
    downloads(fig, lambda: pd.DataFrame({name: pd.Series(v) for name, v in series.items()}), "compare")


def open_at_best_unit(trace: Trace, source: str) -> None:
    """On a new model or text, point the layer, state and unit pickers at the unit that tracks a feature of this
    text best (the page opens on it), or, on the first visit, at the unit a link names (``?layer=1&state=c&unit=37``);
    afterwards they stay wherever the student moves them."""
    seen = (source, trace.text)
    if st.session_state.get(BEST_FOR_KEY) == seen:
        return
    first_visit = BEST_FOR_KEY not in st.session_state
    st.session_state[BEST_FOR_KEY] = seen
    linked = _linked_unit(trace) if first_visit else None
    if linked is not None:
        st.session_state.update(linked)
        return
    suggestions = [m for matches in find_neurons(trace).values() for m in matches[:1]]
    if suggestions:
        best = max(suggestions, key=lambda m: abs(m.correlation))
        st.session_state.update({"inspect.layer": best.layer, "inspect.state": best.state, "inspect.unit": best.unit})


def _linked_unit(trace: Trace) -> dict | None:
    """The unit a link names, checked against this model; None (with a warning for a bad one) otherwise."""
    params = st.query_params
    if not {"layer", "state", "unit"} <= set(params):
        return None
    try:
        layer, unit, state = int(params["layer"]), int(params["unit"]), params["state"]
        entry = trace.layers[layer]
        if state not in ("h", "c") or (state == "c" and entry.c is None) or not 0 <= unit < entry.h.shape[1]:
            raise ValueError
    except (ValueError, IndexError):
        st.warning(t("inspect.bad_link_unit"))
        return None
    return {"inspect.layer": layer, "inspect.state": state, "inspect.unit": unit}


def link_the_unit(url: UrlSettings) -> None:
    """The unit on screen goes into the address bar and the class link (it is a view, not a lockable setting)."""
    for name in ("layer", "state", "unit"):
        value = st.session_state.get(f"inspect.{name}")
        if value is not None:
            url.unlockable[name] = str(value)
            if st.query_params.get(name) != str(value):
                st.query_params[name] = str(value)


# -- Intervene: clamp one unit and watch what the model does without it -------------------------------------------

IV_FOR_KEY = "inspect.iv.for"  # the (model, text) the intervention's pickers were last pointed at
IV_WIDGETS = {  # widget key -> its link key
    "inspect.iv.state": "iv_state",
    "inspect.iv.unit": "iv_unit",
    "inspect.iv.from": "iv_from",
    "inspect.iv.value": "iv_value",
    "inspect.iv.length": "iv_len",
    "inspect.iv.watch": "iv_watch",
}
AUTO = ""  # the watched token when none is picked: the one the clamp moves most
WATCH_CHOICES = 20  # tokens offered to watch: the ones the clamp moves most


def _follow_the_finder(source: str, trace: Trace) -> None:
    """On a new model or text, the intervention starts again from the finder's unit (the page's) and the text's
    start; the first time, from the link's values."""
    seen = (source, trace.text)
    previous = st.session_state.get(IV_FOR_KEY)
    st.session_state[IV_FOR_KEY] = seen
    if previous is None or previous == seen:
        return
    for key, url_key in IV_WIDGETS.items():
        st.session_state.pop(key, None)
        st.query_params.pop(url_key, None)


def _code(token: str) -> str:
    """A token as inline code in markdown, whatever it holds (a backtick too)."""
    return f"`` {token} ``" if "`" in token else f"`{token}`"


def intervention_settings(ckpt: Checkpoint, trace: Trace, layer: int, url: UrlSettings) -> Intervention:
    """What to clamp, where from, to what, and how far to continue: each setting linked (``?iv_unit=37``); the unit
    starts at the one the page's neuron finder ranks first."""
    targets = TARGETS[ckpt.config.cell]
    hidden, length = trace.layers[layer].h.shape[1], len(trace.tokens)
    if st.session_state.get("inspect.iv.state", targets[0]) not in targets:
        st.session_state.pop("inspect.iv.state")
    if not 0 <= st.session_state.get("inspect.iv.unit", 0) < hidden:
        st.session_state.pop("inspect.iv.unit")
    if st.session_state.get("inspect.iv.from", 0) > length - 1:
        st.session_state["inspect.iv.from"] = length - 1
    page_state, page_unit = st.session_state.get("inspect.state", "h"), st.session_state.get("inspect.unit", 0)
    c1, c2, c3 = st.columns(3)
    state = url.select(
        t("inspect.intervene.state"),
        targets,
        "h",
        "iv_state",
        "inspect.iv.state",
        c1,
        start=page_state if page_state in targets else "h",
        format_func=labeller("gates."),
    )
    unit = url.number(
        t("inspect.unit"), 0, hidden - 1, 0, "iv_unit", "inspect.iv.unit", c2, start=min(int(page_unit), hidden - 1)
    )
    value = url.number(t("inspect.intervene.value"), -10.0, 10.0, 0.0, "iv_value", "inspect.iv.value", c3, step=0.1)
    c4, c5 = st.columns([3, 1])
    position = url.slider(t("inspect.intervene.from"), 0, length - 1, 0, "iv_from", "inspect.iv.from", c4)
    continuation = url.number(t("inspect.intervene.length"), 1, MAX_CONTINUATION, 40, "iv_len", "inspect.iv.length", c5)
    return Intervention(
        layer=int(layer),
        state=state,
        unit=int(unit),
        from_position=int(position),
        value=float(value),
        continuation=int(continuation),
    )


def _watched_token(ckpt: Checkpoint, result, url: UrlSettings) -> int:
    """The next token whose probability the chart follows: picked, or the one the clamp moves most."""
    vocab = ckpt.vocab
    index = {vocab.token(i): i for i in range(vocab.size)}
    order = probability_change(result, vocab.never_sampled).argsort(descending=True)[:WATCH_CHOICES].tolist()
    auto, moved = order[0], [vocab.token(i) for i in order]
    asked = [st.session_state.get("inspect.iv.watch"), st.query_params.get("iv_watch")]
    options = [AUTO, *dict.fromkeys([*moved, *(token for token in asked if token in index)])]
    language = current_language()

    def shown(option: str) -> str:
        if option == AUTO:
            return text_in(language, "inspect.intervene.auto", token=display_char(vocab.token(auto)))
        return display_char(option)

    picked = url.select(t("inspect.intervene.watch"), options, AUTO, "iv_watch", "inspect.iv.watch", format_func=shown)
    return auto if picked == AUTO else index[picked]


def intervene_section(ckpt: Checkpoint, trace: Trace, layer: int, url: UrlSettings, source: str = "") -> None:
    """Clamp one unit (of h, c, a gate, a decay or a step size: what the cell has, ``TARGETS``) from a position on,
    and see beside the untouched run how the next-token probabilities and a greedy continuation change; both runs
    through the exact replay (a newer cell's own ``step``, the one its replay walks)."""
    if ckpt.config.cell not in TARGETS:
        st.info(t("inspect.intervene.not_offered", cell=ckpt.config.label))
        return
    if len(trace.tokens) < 2:
        st.info(t("inspect.two_tokens"))
        return
    _follow_the_finder(source, trace)
    st.caption(t("inspect.intervene.about"))
    intervention = intervention_settings(ckpt, trace, layer, url)
    try:
        inputs = (tuple(trace.ids.tolist()), intervention)  # a view's rerun that moves nothing here: no replay
        result = last_result(
            "inspect.intervene",
            ckpt.model,
            inputs,
            lambda: intervene_ids(ckpt.model, ckpt.vocab, trace.ids, intervention),
        )
    except ConfigError as exc:
        st.error(str(exc))
        return
    watched = _watched_token(ckpt, result, url)
    before, after = token_probabilities(result, watched)
    shown_value = f"{intervention.value_at(0):g}"
    target = t(
        "inspect.intervene.target",
        layer=intervention.layer,
        state=intervention.state,
        unit=intervention.unit,
        value=shown_value,
    )
    token = ckpt.vocab.token(watched)
    fig = intervention_chart(result.tokens, before, after, token, target, intervention.from_position)
    show_chart(fig, key="inspect.intervene_chart")
    where, was, now = largest_change(result, watched)
    trend = "falls" if now < was - 0.005 else "rises" if now > was + 0.005 else "stays"
    st.markdown(
        t(
            f"inspect.intervene.{trend}",
            target=target,
            position=intervention.from_position,
            token=_code(display_char(result.tokens[intervention.from_position])),
            watched=_code(display_char(token)),
            where=where,
            at=_code(display_char(result.tokens[where])),
            before=f"{was:.2f}",
            after=f"{now:.2f}",
        )
    )
    left, right = st.columns(2)
    for column, run, title in ((left, result.untouched, "untouched"), (right, result.clamped, "clamped")):
        column.markdown(t(f"inspect.intervene.{title}_run", target=target))
        column.code(run.continuation, language=None, wrap_lines=True)
    parted = first_difference(result.untouched.continuation_ids, result.clamped.continuation_ids)
    if parted is None:
        st.caption(t("inspect.intervene.same_continuation", n=intervention.continuation))
    else:
        st.caption(t("inspect.intervene.parted", n=parted + 1))
    verdict = t("inspect.exact" if result.exact else "inspect.not_exact")
    st.caption(t("inspect.intervene.exactness", diff=f"{result.max_abs_diff:.1e}", verdict=verdict))
