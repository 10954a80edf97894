"""Generate: text from one or several models with every sampling knob."""

import streamlit as st

from rnnviz.i18n import t
from rnnviz.ui.generate_view import (
    RESULTS_KEY,
    default_prompt,
    generate_into,
    generated_html,
    generation_note,
    position_details,
    prompt_suggestions,
    sampling_controls,
)
from rnnviz.ui.model_picker import pick_models
from rnnviz.ui.navigation import setup_page
from rnnviz.ui.state import INSPECT_MODEL_SOURCE_KEY, INSPECT_PENDING_TEXT_KEY, available_models
from rnnviz.ui.url_state import UrlSettings

setup_page("Generate", "✍️")
st.title(t("nav.generate"))
st.caption(t("generate.caption"))

url = UrlSettings("Generate")  # every setting has a deep link
models = pick_models(t("generate.models"), key="generate.models", default_count=1, url=url)
prompt = url.text(t("generate.prompt"), default_prompt(models), "prompt", "generate.prompt")
prompt_suggestions(models)
config = sampling_controls(url)
if models and config is not None:
    for name, ckpt in models:
        generation_note(name, ckpt)
        unknown = ckpt.vocab.unknown(prompt)
        if unknown and ckpt.vocab.reads_unknown_as_unk:
            what = t("train.token_kind.words" if ckpt.vocab.kind == "words" else "train.token_kind.chars")
            st.info(t("generate.read_as_unk", name=name, what=what, unknown=unknown[:10]))
        elif unknown:
            st.warning(t("generate.skipped", name=name, unknown=unknown[:10]))
    columns = st.columns(len(models))
    if st.button(t("generate.go"), type="primary", key="generate.go"):
        results = {}
        for column, (name, ckpt) in zip(columns, models):
            column.markdown(f"**{name}**")
            results[name] = (prompt, generate_into(column.empty(), ckpt, prompt, config))
        st.session_state[RESULTS_KEY] = results
    else:
        for column, (name, _) in zip(columns, models):
            column.markdown(f"**{name}**")
            prompt_then, pieces = st.session_state.get(RESULTS_KEY, {}).get(name, (None, None))
            if pieces is not None:
                column.html(generated_html(prompt_then, pieces))
    sources = available_models()
    for column, (name, _) in zip(columns, models):
        prompt_then, pieces = st.session_state.get(RESULTS_KEY, {}).get(name, (None, None))
        if pieces is None:
            continue
        with column:
            position_details(name, pieces)
            if st.button(t("generate.inspect_this"), key=f"generate.inspect.{name}"):
                st.session_state[INSPECT_PENDING_TEXT_KEY] = prompt_then + "".join(p.char for p in pieces)
                st.session_state[INSPECT_MODEL_SOURCE_KEY] = sources.get(name)
                st.switch_page("pages/2_Inspect.py")
url.share_panel()
