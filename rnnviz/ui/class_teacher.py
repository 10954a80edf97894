"""The teacher of a class: the join code and QR code to project, the step's settings, one Run for the whole class,
the count of answers, Reveal, Next step, and the class's answers as CSV.

The run trains here, on the teacher's side (``ui/live.py``, like any lab), and each redraw offers its snapshot to a
``SnapshotThrottle`` that publishes at most one a second to the database, where every student's page reads it.
Whatever the class sees is read back from the database, the teacher's reveal included, so the teacher sees what the
class sees. The secret is in this page's link only: a reload, or another machine with the teacher's link, takes up
the class where it stands.
"""

from __future__ import annotations

import streamlit as st

from rnnviz.charlm.model import ConfigError
from rnnviz.classroom import ClassState, ClassStore
from rnnviz.classroom.export import CsvWords
from rnnviz.classroom.throttle import SnapshotThrottle
from rnnviz.i18n import t
from rnnviz.lessons.catalogue import lesson_words
from rnnviz.lessons.class_questions import check_key, question_keys, right_answers
from rnnviz.lessons.model import Lesson, Step
from rnnviz.ui import class_common as common
from rnnviz.ui import live
from rnnviz.ui.class_entry import TEACHER
from rnnviz.ui.class_store import attempt
from rnnviz.ui.lessons_view import DRAWERS, explain, option_labels, step_words
from rnnviz.ui.public_address import public_base_url
from rnnviz.ui.url_state import qr_png

RUN_KEY = "class.run"  # the teacher's LiveRun of the step being run
RUN_FOR = "class.run_for"  # (code, step index, values) that run belongs to
THROTTLE = "class.throttle"  # the SnapshotThrottle of that run


def render_teacher(store: ClassStore, state: ClassState, lesson: Lesson, secret: str) -> None:
    st.title(lesson_words(lesson)("title", lesson.title))
    sidebar_panel(store, state, lesson, secret)
    if state.closed or state.expired:
        st.info(t("class.ended_teacher"))
        class_summary(store, state, lesson)
        return
    with st.expander(t("class.join_screen"), expanded=state.step == 0 and state.phase == "answering"):
        join_screen(state.code, large=True)
    counts(store, state, lesson)
    total = len(lesson.steps)
    st.progress(
        min(state.step + 1, total + 1) / (total + 1),
        text=t("lessons.step_of", n=state.step + 1, total=total) if state.step < total else t("lessons.check"),
    )
    if state.step < total:
        teacher_step(store, state, lesson, secret, lesson.steps[state.step])
    else:
        teacher_checks(store, state, lesson, secret)
    back, forward = st.columns(2)
    if back.button(t("lessons.previous"), key="class.previous", disabled=state.step == 0):
        move(store, state, lesson, secret, state.step - 1)
    if forward.button(
        t("class.next"),
        key="class.next_step",
        disabled=state.step >= total,
        type="primary" if state.phase == "revealed" else "secondary",
    ):
        move(store, state, lesson, secret, state.step + 1)


def move(store: ClassStore, state: ClassState, lesson: Lesson, secret: str, index: int) -> None:
    """Every student to step ``index``, on its default settings."""
    live.discard(RUN_KEY)
    values = {}
    if index < len(lesson.steps):  # the step's defaults, or the values it already ran with (going back to it)
        values = {control.key: control.default for control in lesson.steps[index].controls}
        ran, _ = attempt(lambda: store.latest_snapshot(state.code, index))
        if ran is not None and isinstance(ran.payload, dict) and isinstance(ran.payload.get("values"), dict):
            values.update({key: ran.payload["values"][key] for key in values if key in ran.payload["values"]})
    _, problem = attempt(lambda: store.set_step(state.code, secret, index, values))
    if problem:
        st.error(problem)
        return
    st.rerun()


def join_screen(code: str, *, large: bool = False) -> None:
    """The code, the link and its QR code, large enough to project; a warning when the only address known is the
    teacher's own machine."""
    link = common.join_link(code)
    size = "4rem" if large else "2rem"
    st.html(
        f'<div style="font-size:{size};font-weight:700;letter-spacing:0.2em;font-family:monospace" '
        f'aria-label="{t("class.code_label")}">{code}</div>'
    )
    st.code(link, language=None, wrap_lines=True)
    st.image(qr_png(link), caption=t("class.scan"), width=360 if large else 200)
    if public_base_url().loopback:
        st.warning(t("class.loopback"))


def sidebar_panel(store: ClassStore, state: ClassState, lesson: Lesson, secret: str) -> None:
    with st.sidebar:
        st.subheader(t("class.panel"))
        join_screen(state.code)
        with st.expander(t("class.teacher_link")):
            st.caption(t("class.teacher_link_help"))
            st.code(f"{common.join_link(state.code)}&{TEACHER}={secret}", language=None, wrap_lines=True)
        st.download_button(
            t("class.download"),
            lambda: answers_csv(store, state, lesson, secret),
            f"rnnviz-class-{state.code}.csv",
            "text/csv",
            on_click="ignore",
            key="class.download",
        )
        kept = st.checkbox(t("class.keep"), value=state.kept, key="class.keep", help=t("class.keep_help"))
        if kept != state.kept:
            _, problem = attempt(lambda: store.keep_class(state.code, secret, kept))
            if problem:
                st.error(problem)
            else:
                st.rerun()
        if not state.closed and st.button(t("class.close"), key="class.close"):
            live.discard(RUN_KEY)
            _, problem = attempt(lambda: store.close_class(state.code, secret))
            if problem:
                st.error(problem)
            else:
                st.rerun()


def answers_csv(store: ClassStore, state: ClassState, lesson: Lesson, secret: str) -> str:
    """The class's answers, each question marked right or wrong where its right answer is known (a step's once
    its run finished)."""

    def finished(index: int):
        snapshot = store.latest_snapshot(state.code, index)
        if snapshot is None or snapshot.status != "finished" or not isinstance(snapshot.payload, dict):
            return None
        return snapshot.payload.get("result")

    return store.export_csv(state.code, secret, right_answers(lesson, finished), csv_words())


def csv_words() -> CsvWords:
    """The CSV's headers and words in the page's language."""
    names = ("question", "option", "count", "right", "number", "student", "anonymous", "yes", "no")
    words = {name: t(f"class.csv.{name}") for name in names}
    # the two format strings keep their placeholders for the export to fill
    words["question_right"] = t("class.csv.question_right", question="{question}")
    words["score"] = t("class.csv.score", total="{total}")
    return CsvWords(**words)


def counts(store: ClassStore, state: ClassState, lesson: Lesson) -> None:
    """How many have joined and answered this step's question, refreshed every two seconds."""
    keys = question_keys(lesson)
    current = keys[state.step] if state.step < len(lesson.steps) else keys[len(lesson.steps) :]

    @st.fragment(run_every=2.0)
    def numbers() -> None:
        def read():
            joined = store.member_count(state.code)
            answered = [
                store.answered_count(state.code, key) for key in ([current] if isinstance(current, str) else current)
            ]
            return joined, answered

        found, problem = attempt(read)
        if problem:
            st.warning(problem)
            return
        joined, answered = found
        st.markdown(t("class.counts", joined=joined, answered=" · ".join(str(n) for n in answered)))

    numbers()


def teacher_controls(store: ClassStore, state: ClassState, lesson: Lesson, secret: str, step: Step) -> None:
    """The step's controls, for the teacher alone: their values become the class's question (before the run)."""
    words = step_words(lesson, step.key)
    values = common.step_values(step, state)
    chosen = {}
    for control in step.controls:
        name = control.key.replace("-", "_")
        chosen[control.key] = st.select_slider(
            words(f"control_{name}_label", control.label),
            control.options,
            value=values[control.key],
            help=words(f"control_{name}_help", control.help) if control.help else None,
            key=f"class.control.{state.code}.{step.key}.{control.key}",
            disabled=state.phase != "answering",
        )
    wanted = {key: chosen[key] for key in chosen}
    if state.phase == "answering" and wanted != {key: values[key] for key in wanted}:
        _, problem = attempt(lambda: store.set_values(state.code, secret, wanted))
        if problem:
            st.error(problem)
        else:
            st.rerun()


def teacher_step(store: ClassStore, state: ClassState, lesson: Lesson, secret: str, step: Step) -> None:
    values = common.step_values(step, state)
    words = common.heading(lesson, step, values)
    teacher_controls(store, state, lesson, secret, step)
    question = step.question
    st.markdown(t("lessons.predict_first", prompt=words("prompt", question.prompt)))
    shown = option_labels(words, question.options)
    st.markdown("\n".join(f"{chr(65 + i)}. {shown(option)}" for i, option in enumerate(question.options)))
    run = common.published(store, state.code, state.step, values)
    finished = run is not None and run.status == "finished"
    if step.key in state.revealed and finished:
        result = run.payload["result"]
        right = step.right_answer(result)
        st.success(t("class.the_answer", answer=shown(question.options[right])))
        common.answers_chart(store, state.code, step.key, question, words, right, "class.answers_chart")
        DRAWERS[step.experiment.kind](result, "finished")
        explain(question, step.experiment.summarise(result), words)
        return
    if st.toggle(t("class.show_spread"), key=f"class.spread.{step.key}", help=t("class.show_spread_help")):
        common.answers_chart(store, state.code, step.key, question, words, None, "class.spread_chart")
    if finished and live.get(RUN_KEY) is None:
        if st.button(t("class.reveal"), key="class.reveal", type="primary"):
            _, problem = attempt(lambda: store.reveal(state.code, secret, step.key))
            if problem:
                st.error(problem)
            else:
                st.rerun()
        if st.button(t("lessons.again"), key="class.again"):
            start_instant_or_live(store, state, secret, step, values, again=True)
        DRAWERS[step.experiment.kind](run.payload["result"], "finished")
        return
    if run is not None and common.stalled(run) and live.get(RUN_KEY) is None:
        st.warning(t("class.run_stopped_teacher"))
    start_instant_or_live(store, state, secret, step, values)


def start_instant_or_live(
    store: ClassStore, state: ClassState, secret: str, step: Step, values: dict, again: bool = False
) -> None:
    """Run the step's experiment for the class: an instant one at once (its result published as finished), a
    live one on the teacher's worker, its snapshots published as it trains; ``again``: start it now."""
    experiment = step.experiment
    position = (state.code, state.step, tuple(sorted(values.items())))

    def publish(payload: dict, status: str) -> None:
        store.publish_snapshot(state.code, secret, state.step, payload, status)

    def make_job():
        st.session_state[RUN_FOR] = position
        st.session_state[THROTTLE] = SnapshotThrottle(publish)
        _, problem = attempt(lambda: store.start_run(state.code, secret))
        if problem:
            raise ConfigError(problem)  # shown under the Run button like a bad setting; nothing started
        return experiment.start(experiment.config(values))

    def instant() -> None:
        _, problem = attempt(lambda: store.start_run(state.code, secret))
        if problem is None:
            with st.spinner(t("lessons.computing")):
                result = experiment.start(experiment.config(values))
            _, problem = attempt(lambda: publish({"values": values, "result": result}, "finished"))
        if problem:
            st.error(problem)
            return
        st.rerun()

    if not experiment.live:
        if again or st.button(t("lessons.run"), key="class.run_instant", type="primary"):
            instant()
        return
    run = live.get(RUN_KEY)
    if run is not None and (again or st.session_state.get(RUN_FOR) != position):
        live.discard(RUN_KEY)  # a run of another step or other settings, or the teacher runs it again
        run = None
    if again:
        try:
            live.start(RUN_KEY, make_job())
        except ConfigError as error:
            st.error(str(error))
            return
        st.rerun()
    if run is not None and run.status == "finished":
        snapshot = run.worker.snapshot()
        _, problem = attempt(lambda: publish({"values": values, "result": snapshot}, "finished"))
        if problem:
            st.error(problem)
            return
        live.discard(RUN_KEY)
        st.rerun()

    def draw_and_publish(snapshot: dict, status: str) -> None:
        throttle = st.session_state.get(THROTTLE)
        if throttle is not None:
            shown = "stopped" if status in ("stopped", "failed") else "running"
            attempt(lambda: throttle.offer({"values": values, "result": snapshot}, shown))
        DRAWERS[experiment.kind](snapshot, status)

    live.control_bar(RUN_KEY, [("class.start_run", t("class.run"), make_job)])
    live.live_view(RUN_KEY, draw_and_publish, 0.7)


def teacher_checks(store: ClassStore, state: ClassState, lesson: Lesson, secret: str) -> None:
    st.subheader(t("lessons.check"))
    keys = [check_key(number) for number in range(1, len(lesson.checks) + 1)]
    revealed = all(key in state.revealed for key in keys)
    for number, question in enumerate(lesson.checks, start=1):
        key = check_key(number)
        words = step_words(lesson, key)
        shown = option_labels(words, question.options)
        st.markdown(f"**{number}. {words('prompt', question.prompt)}**")
        if revealed:
            common.answers_chart(store, state.code, key, question, words, question.answer, f"class.answers_chart.{key}")
            st.caption(words("why", question.why))
        else:
            st.markdown("\n".join(f"{chr(65 + i)}. {shown(option)}" for i, option in enumerate(question.options)))
    if not revealed and st.button(t("class.reveal_checks"), key="class.reveal_checks", type="primary"):

        def reveal_all():
            for key in keys:
                store.reveal(state.code, secret, key)

        _, problem = attempt(reveal_all)
        if problem:
            st.error(problem)
        else:
            st.rerun()
    if revealed:
        class_summary(store, state, lesson)


def class_summary(store: ClassStore, state: ClassState, lesson: Lesson) -> None:
    """The share of the class right on each question whose answer is known: what the teacher reopens later."""

    def read():
        def finished(index: int):
            snapshot = store.latest_snapshot(state.code, index)
            ok = snapshot is not None and snapshot.status == "finished" and isinstance(snapshot.payload, dict)
            return snapshot.payload.get("result") if ok else None

        right = right_answers(lesson, finished)
        rows = []
        for key in question_keys(lesson):
            summary = store.answers_summary(state.code, key)
            answered = sum(summary.values())
            row = {t("class.col.question"): key, t("class.col.answered"): answered}
            if key in right:
                correct = summary.get(right[key], 0)
                row[t("class.col.right")] = f"{correct / answered:.0%}" if answered else "–"
            else:
                row[t("class.col.right")] = "–"
            rows.append(row)
        return rows

    rows, problem = attempt(read)
    if problem:
        st.error(problem)
        return
    st.subheader(t("class.summary"))
    st.dataframe(rows, hide_index=True, key="class.summary_table")
