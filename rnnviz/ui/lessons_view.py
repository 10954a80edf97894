"""The Lessons page: pick a lesson; at each step read, predict, run, and see the result beside the prediction.

Where a student stands lives in the URL (``?lesson=forgetting&step=2``, plus the step's control values), so every
step has a deep link. A live experiment runs on the shared live helper under ``RUN_KEY``; its last snapshot is
kept per step, so going back to a step shows its result without running it again.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from rnnviz.charts.attention import attention_heatmap
from rnnviz.charts.classify import negation_chart
from rnnviz.charts.gradients import gradient_decay_chart
from rnnviz.charts.intervention import intervention_chart
from rnnviz.charts.trace import activation_html, saturation_scatter
from rnnviz.charts.training import grad_norm_chart, loss_chart
from rnnviz.i18n import column_namer, t
from rnnviz.lessons.catalogue import LESSONS, lesson_words
from rnnviz.lessons.experiments.interventions import target_of
from rnnviz.lessons.model import Lesson, Question, Step, fill
from rnnviz.lessons.notebook import notebook_bytes
from rnnviz.links import HIDE, LOCK, SIGNATURE
from rnnviz.ui import live
from rnnviz.ui.attention_view import draw_seq2seq
from rnnviz.ui.chart_display import show_chart
from rnnviz.ui.class_entry import join_by_code, teach_button
from rnnviz.ui.classify_view import draw_classify, draw_reading
from rnnviz.ui.comeback_view import draw_budget_task, draw_generation, draw_reach, draw_scan, draw_speed
from rnnviz.ui.gradients_view import draw_task
from rnnviz.ui.tag_view import draw_readings, draw_tagging
from rnnviz.ui.url_state import UrlSettings

RUN_KEY = "lesson.run"  # a LiveRun of the step being run
RUN_FOR = "lesson.run_for"  # which (lesson, step) that run belongs to
RESULTS = "lesson.results"  # (lesson, step) -> {"values", "result", "summary"}
ANSWERS = "lesson.answers"  # (lesson, step) -> the option the student locked in


def _position() -> tuple[Lesson | None, int]:
    """The lesson and step index from the URL (step len(steps) is the check questions); bad values warn."""
    params = st.query_params
    key = params.get("lesson")
    if key is None:
        return None, 0
    lesson = LESSONS.get(key)
    if lesson is None:
        st.warning(t("lessons.no_lesson", key=repr(key)))
        return None, 0
    raw = params.get("step", "1")
    if raw == "check":
        return lesson, len(lesson.steps)
    keys = [step.key for step in lesson.steps]
    try:
        index = keys.index(raw) if raw in keys else int(raw) - 1  # a shared link names its step by key
    except ValueError:
        index = -1
    if not 0 <= index < len(lesson.steps):
        st.warning(t("lessons.no_step", raw=repr(raw)))
        index = 0
    return lesson, index


def _go(lesson: Lesson | None, index: int = 0) -> None:
    """To another step (or the list); a teacher's locks on this lesson travel along."""
    live.discard(RUN_KEY)  # an experiment belongs to its step
    kept = {}
    if lesson is not None and st.query_params.get("lesson") == lesson.key and LOCK in st.query_params:
        keys = st.query_params[LOCK].split(",") + [LOCK, HIDE, SIGNATURE]
        kept = {key: st.query_params[key] for key in keys if key in st.query_params}
    st.query_params.clear()
    if lesson is not None:
        st.query_params.from_dict(
            {"lesson": lesson.key, **kept, "step": "check" if index >= len(lesson.steps) else str(index + 1)}
        )
    st.rerun()


def render_lessons() -> None:
    lesson, index = _position()
    if lesson is None:
        lesson_list()
        return
    st.title(lesson_words(lesson)("title", lesson.title))
    with st.sidebar:
        teach_button(lesson.key, min(index, len(lesson.steps) - 1))
    total = len(lesson.steps) + 1
    st.progress(
        (index + 1) / total,
        text=t("lessons.step_of", n=index + 1, total=len(lesson.steps))
        if index < len(lesson.steps)
        else t("lessons.check"),
    )
    if index < len(lesson.steps):
        render_step(lesson, lesson.steps[index])
    else:
        render_checks(lesson)
    previous, overview, following = st.columns(3)
    if previous.button(t("lessons.previous"), key="lesson.previous", disabled=index == 0):
        _go(lesson, index - 1)
    if overview.button(t("lessons.all"), key="lesson.all"):
        _go(None)
    if following.button(t("lessons.next"), key="lesson.next", disabled=index >= len(lesson.steps), type="primary"):
        _go(lesson, index + 1)


def lesson_list() -> None:
    st.title(t("nav.lessons"))
    st.caption(t("lessons.caption"))
    join_by_code()
    for lesson in LESSONS.values():
        with st.container(border=True):
            st.markdown(
                t(
                    "lessons.card",
                    title=lesson_words(lesson)("title", lesson.title),
                    steps=len(lesson.steps),
                    minutes=lesson.minutes,
                )
            )
            st.caption(lesson_words(lesson)("summary", lesson.summary))
            start, teach = st.columns(2)
            if start.button(t("train.start"), key=f"lesson.start.{lesson.key}"):
                _go(lesson, 0)
            with teach:
                teach_button(lesson.key, key=f"class.teach.{lesson.key}")


def _control_values(step: Step, url: UrlSettings) -> dict:
    """The step's own controls (and no other), through the one path every linked setting takes: started from the
    URL's values (a bad one warns in the reader's language), kept in the URL, fixed where a teacher's link locks
    them, not shown where it hides them."""
    chosen = {}
    words = step_words(lesson_of(step), step.key)
    for control in step.controls:
        name = control.key.replace("-", "_")
        label = words(f"control_{name}_label", control.label)
        help_text = words(f"control_{name}_help", control.help) if control.help else None

        def read(raw: str, control=control):
            value = control.parse(raw)
            if value is not None:
                return value, []
            options = list(control.options)
            return None, [
                t("lessons.bad_control", key=control.key, raw=repr(raw), options=options, default=control.default)
            ]

        chosen[control.key] = url.select_slider(
            label,
            control.options,
            control.default,
            control.key,
            f"lesson.control.{step.key}.{control.key}",
            help=help_text,
            read=read,
        )
    return step.values(chosen)


def lesson_of(step: Step) -> Lesson:
    return next(lesson for lesson in LESSONS.values() if step in lesson.steps)


def step_words(lesson: Lesson, part: str):
    """``words(field, english)``: a step's (or a check question's) text in the current language."""
    return lesson_words(lesson, part)


def option_labels(words, options: tuple[str, ...]):
    """A question's ``format_func``: each option (English, as the lesson stores it) in the current language."""
    return lambda option: words(f"option{options.index(option)}", option)


def render_step(lesson: Lesson, step: Step) -> None:
    heading = st.container()  # filled once the controls have said which values this run uses
    url = UrlSettings(lesson.key, scope_key="lesson")  # a teacher's locks on this lesson; a changed link refused
    values = _control_values(step, url)
    words = filled(step_words(lesson, step.key), values)
    with heading:
        st.subheader(words("title", step.title))
        st.markdown(words("text", step.text))
        if step.latex:
            st.latex(step.latex)
    where = {"lesson": lesson.key, "step": step.key}  # by key: a step added to the lesson later moves no link
    url.share_panel(extra_params=where, lock_all=True, what=t("lessons.this_step"))  # not for a student on a link
    position = (lesson.key, step.key)
    answers = st.session_state.setdefault(ANSWERS, {})
    question = step.question
    st.markdown(t("lessons.predict_first", prompt=words("prompt", question.prompt)))
    shown = option_labels(words, question.options)
    if position not in answers:
        choice = st.radio(
            t("lessons.your_prediction"),
            question.options,
            index=None,
            format_func=shown,
            key=f"lesson.q.{lesson.key}.{step.key}",
            label_visibility="collapsed",
        )
        if st.button(t("lessons.lock"), key="lesson.lock", disabled=choice is None):
            answers[position] = question.options.index(choice)
            st.rerun()
        st.caption(t("lessons.commit"))
        return
    st.info(t("lessons.you_predicted", answer=shown(question.options[answers[position]])))
    result = _run(step, position, values)
    if result is not None:  # the verdict first, where the student is looking; then what the run drew, and why
        verdict(question, answers[position], step.right_answer(result["result"]), words)
        DRAWERS[step.experiment.kind](result["result"], "finished")
        explain(question, result["summary"], words)


def _run(step: Step, position: tuple, values: dict) -> dict | None:
    """Run (or show) the step's experiment; the stored result for these values once there is one."""
    experiment = step.experiment
    results = st.session_state.setdefault(RESULTS, {})
    stored = results.get(position)
    if stored is not None and stored["values"] == values:
        if st.button(t("lessons.again"), key="lesson.again"):
            del results[position]
            st.rerun()
        return stored
    if not experiment.live:
        with st.spinner(t("lessons.computing")):
            result = experiment.start(experiment.config(values))
        results[position] = {"values": values, "result": result, "summary": experiment.summarise(result)}
        return results[position]
    run = live.get(RUN_KEY)
    if run is not None and st.session_state.get(RUN_FOR) != (position, values):
        live.discard(RUN_KEY)  # a run of another step, or of other settings
        run = None
    if run is not None and run.status == "finished":
        snapshot = run.worker.snapshot()
        results[position] = {"values": values, "result": snapshot, "summary": experiment.summarise(snapshot)}
        live.discard(RUN_KEY)
        st.rerun()

    def make_job():
        st.session_state[RUN_FOR] = (position, values)
        return experiment.start(experiment.config(values))

    live.control_bar(RUN_KEY, [("lesson.start_run", t("lessons.run"), make_job)])
    live.live_view(RUN_KEY, DRAWERS[experiment.kind], 0.7)
    return None


def _draw_decay(result: dict, state: str) -> None:
    show_chart(gradient_decay_chart(result["series"]), key="lesson.decay_chart")
    rows = [
        {
            "model": row["model"],
            "gradient kept per step back": f"x{row['decay per step']:.2f}",
            "left after 50 steps": _left(row["left after 50 steps"]),
            "spectral radius of W_hh": f"{row['spectral radius of W_hh']:.2f}",
            "mean forget / update gate": f"{row['mean forget / update gate']:.2f}"
            if row["mean forget / update gate"] is not None
            else t("grad.col.no_gates"),
        }
        for row in result["rows"]
    ]
    st.dataframe(_table(rows), hide_index=True, width="stretch", key="lesson.decay_table")


def _left(value: float | None) -> str:
    """What is left of the gradient after 50 steps: a number, 0 where float32 underflowed, blank where the run was
    shorter than 50 steps."""
    if value is None:
        return ""
    return f"{value:.0e}" if value > 0 else t("lessons.comeback.underflow")


def _draw_task(result: dict, state: str) -> None:
    draw_task(result, state, key="lesson.task")


def _draw_language_models(result: dict, state: str) -> None:
    st.dataframe(
        pd.DataFrame(result["summaries"]).rename(columns=column_namer("train.col.")),
        hide_index=True,
        width="stretch",
        key="lesson.lm_table",
    )
    for name, reason in result["diverged"]:
        st.error(f"{name} {reason}")
    show_chart(loss_chart(result["charts"]), key="lesson.loss_chart")
    show_chart(grad_norm_chart(result["charts"], result["clip"]), key="lesson.grad_chart")


def _draw_seq2seq(result: dict, state: str) -> None:
    draw_seq2seq(result, state, key="lesson.attn")


def _draw_neurons(result: dict, state: str) -> None:
    st.html(activation_html(result["text"], result["values"], result["best"]))
    st.dataframe(_table(result["rows"]), hide_index=True, key="lesson.neuron_table")


def _draw_switch_off(result: dict, state: str) -> None:
    """The probability of the watched character next, untouched and with the unit held, and how each run goes on."""
    unit, value = target_of(result), f"{result['value']:g}"
    target = t(
        "inspect.intervene.target", layer=result["layer"], state=result["state"], unit=result["unit"], value=value
    )
    figure = intervention_chart(
        result["labels"], result["before"], result["after"], result["watch"], target, result["from_position"]
    )
    show_chart(figure, key="lesson.switch_off_chart")
    names = {
        "untouched": t("lessons.intervene.untouched"),
        "clamped": t("lessons.intervene.clamped", target=unit, value=value),
    }
    for column, row in zip(st.columns(2), result["rows"]):
        column.caption(names[row["run"]])
        column.code(row["continuation"], language=None, wrap_lines=True)
    columns = {
        "run": t("lessons.intervene.run"),
        "p next": t("lessons.intervene.probability", watch=result["watch"]),
        "loss": t("lessons.intervene.loss"),
    }
    rows = [
        {
            columns["run"]: names[row["run"]],
            columns["p next"]: row["p next"],
            columns["loss"]: row["loss"],
        }
        for row in result["rows"]
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="lesson.switch_off_table")


def _draw_saturation(result: dict, state: str) -> None:
    show_chart(saturation_scatter(result["saturation"], result["layer"]), key="lesson.saturation_chart")
    st.dataframe(_table(result["rows"]), hide_index=True, key="lesson.saturation_table")


def _draw_translate(result: dict, state: str) -> None:
    st.markdown(f"`{result['source']}` → **{result['output']}**")
    if result["attention"] is not None:
        figure = attention_heatmap(result["attention"], result["source"], result["output"])
        show_chart(figure, key="lesson.translate_chart")


def _draw_tag_pair(result: dict, state: str) -> None:
    draw_readings(result["readings"], result["readings"][0]["text"], key="lesson.tag")


def _draw_tagging(result: dict, state: str) -> None:
    draw_tagging(result, state, key="lesson.tagging")


def _draw_classify_reading(result: dict, state: str) -> None:
    draw_reading(result, "integrated gradients", key="lesson.classify")


def _draw_negation(result: dict, state: str) -> None:
    show_chart(negation_chart(result["probes"]), key="lesson.negation_chart")


def _draw_classify(result: dict, state: str) -> None:
    draw_classify(result, state, key="lesson.classify_run")


def _draw_directions(result: dict, state: str) -> None:
    counts = {
        "held-out entities": result["gold"],
        "found by both": result["both"],
        "only by the BiLSTM+CRF": result["only_bidirectional"],
        "only by the LSTM+CRF": result["only_unidirectional"],
    }
    st.dataframe(_table([counts]), hide_index=True, key="lesson.directions_counts")
    rows = [
        {
            "entity": e["entity"],
            "type": e["kind"],
            "left-to-right tagged": e["unidirectional_tags"],
            "sentence": e["sentence"],
        }
        for e in result["examples"]
    ]
    st.dataframe(_table(rows), hide_index=True, key="lesson.directions_examples")


DRAWERS: dict[str, Callable[[dict, str], None]] = {  # an experiment's kind -> how its result is drawn
    "decay": _draw_decay,
    "task": _draw_task,
    "language_models": _draw_language_models,
    "seq2seq": _draw_seq2seq,
    "neurons": _draw_neurons,
    "saturation": _draw_saturation,
    "switch_off": _draw_switch_off,
    "translate": _draw_translate,
    "tag_pair": _draw_tag_pair,
    "tagging": _draw_tagging,
    "classify_reading": _draw_classify_reading,
    "negation": _draw_negation,
    "classify": _draw_classify,
    "directions": _draw_directions,
    "speed": draw_speed,
    "reach": draw_reach,
    "budget_task": draw_budget_task,
    "generation": draw_generation,
    "scan": draw_scan,
}


def _table(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).rename(columns=column_namer("lessons.col."))


def verdict(question: Question, chosen: int, right: int, words) -> None:
    """The student's prediction against the right answer for this run (which may follow the step's controls)."""
    shown = option_labels(words, question.options)
    (st.success if chosen == right else st.warning)(
        t(
            "lessons.verdict",
            verdict=t("lessons.right" if chosen == right else "lessons.wrong"),
            chosen=shown(question.options[chosen]),
            answer=shown(question.options[right]),
        )
    )


def explain(question: Question, summary: str, words) -> None:
    st.markdown(t("lessons.why", why=words("why", question.why)))
    st.markdown(t("lessons.measured", summary=summary))


def filled(words, values: dict):
    """``words`` with the step's values filled into the text (``{radius}`` -> 0.9), so the text asks about the
    value this run uses."""
    return lambda field, english: fill(words(field, english), values)


def render_checks(lesson: Lesson) -> None:
    st.subheader(t("lessons.check"))
    for number, question in enumerate(lesson.checks, start=1):
        key = f"lesson.check.{lesson.key}.{number}"
        words = step_words(lesson, f"check{number}")
        shown = option_labels(words, question.options)
        choice = st.radio(
            f"{number}. {words('prompt', question.prompt)}", question.options, index=None, key=key, format_func=shown
        )
        if choice is not None:
            right = question.options.index(choice) == question.answer
            answer = shown(question.options[question.answer])
            (st.success if right else st.warning)(
                (t("lessons.check_right") if right else t("lessons.check_wrong", answer=answer))
                + " "
                + words("why", question.why)
            )
    st.download_button(
        t("lessons.notebook"),
        lambda: notebook_bytes(lesson),
        f"rnnviz-{lesson.key}.ipynb",
        "application/x-ipynb+json",
        on_click="ignore",
        key="lesson.notebook",
    )
