"""Generate: text from one or several models with every sampling knob."""

import streamlit as st

from rnnviz.ui.generate_view import RESULTS_KEY, generate_into, generated_html, position_details, sampling_controls
from rnnviz.ui.inspect_view import PENDING_KEY
from rnnviz.ui.model_picker import pick_models
from rnnviz.ui.navigation import setup_page
from rnnviz.ui.state import available_models
from rnnviz.ui.url_state import UrlSettings

setup_page("Generate", "✍️")
st.title("Generate")
st.caption("Each character is coloured by the probability the model gave it (red: a surprise, green: sure). "
           "Hover a character to see the alternatives.")  # fmt: skip

url = UrlSettings("Generate")  # every setting has a deep link
models = pick_models("Models (side by side, same prompt and seed)", key="generate.models", default_count=1, url=url)
prompt = url.text("Prompt", "ROMEO:", "prompt", "generate.prompt")
config = sampling_controls(url)
if models and config is not None:
    for name, ckpt in models:
        unknown = ckpt.vocab.unknown_chars(prompt)
        if unknown:
            st.warning(f"{name}: the prompt's characters {unknown[:10]} are not in its vocabulary; they are skipped.")
    columns = st.columns(len(models))
    if st.button("Generate", type="primary", key="generate.go"):
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
            if st.button("Inspect this text", key=f"generate.inspect.{name}"):
                st.session_state[PENDING_KEY] = prompt_then + "".join(p.char for p in pieces)
                st.session_state["inspect.model_source"] = sources.get(name)
                st.switch_page("pages/2_Inspect.py")
url.share_panel()
