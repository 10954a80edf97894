"""The lessons, read from their content files: ``content/KEY.en.toml`` holds a lesson's English text and its
structure (what each step runs, its settings and controls, the right answers), and ``content/KEY.LANG.toml`` the
same text fields in another language, and nothing else. A teacher can read and edit a lesson without reading
Python; a mistake fails at load with the file and the field named.

Every figure a lesson states is what its experiment reveals on this project's machine (``python bench/lessons.py``
prints each step's time and result); the defaults keep every step under 90 s on 2 CPU cores.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from importlib.resources import files
from importlib.resources.abc import Traversable

from rnnviz.i18n import DEFAULT, LANGUAGES, current_language
from rnnviz.lessons.experiments import EXPERIMENTS
from rnnviz.lessons.model import PLACEHOLDER, AnswerRule, Control, Lesson, Question, Step

CONTENT = files("rnnviz.lessons") / "content"

# The keys a lesson file may hold at each level; the text keys are the ones a translation repeats.
LESSON_KEYS = {"title", "summary", "minutes", "steps", "checks"}
STEP_KEYS = {"key", "title", "text", "latex", "experiment", "params", "question", "controls"}
QUESTION_KEYS = {"prompt", "options", "answer", "why", "answer_by"}
CONTROL_KEYS = {"key", "label", "help", "options", "default"}
STRUCTURE = {"minutes", "experiment", "params", "answer", "answer_by", "default"}  # in the English file only


class LessonContentError(ValueError):
    """A lesson file that cannot be read as a lesson: the message names the file and the field."""

    def __init__(self, path: str, where: str, problem: str):
        super().__init__(f"{path}: {where}: {problem}" if where else f"{path}: {problem}")


def _frozen(value):
    """TOML arrays as tuples (configs and controls compare and hash them)."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


def _read(file: Traversable) -> dict:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise LessonContentError(file.name, "", f"not valid TOML ({error})") from None


def _need(table: dict, keys: set[str], allowed: set[str], path: str, where: str) -> None:
    missing = sorted(keys - set(table))
    if missing:
        raise LessonContentError(path, where, f"missing {', '.join(missing)}")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise LessonContentError(
            path, where, f"unknown field {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )


def _question(table: dict, path: str, where: str) -> Question:
    _need(table, QUESTION_KEYS - {"answer_by"}, QUESTION_KEYS, path, where)
    try:
        rule = table.get("answer_by")
        if rule is not None:
            _need(rule, {"measure", "below"}, {"measure", "row", "below", "options"}, path, f"{where}.answer_by")
            rule = AnswerRule(**_frozen(rule))
        return Question(
            prompt=table["prompt"],
            options=tuple(table["options"]),
            answer=table["answer"],
            why=table["why"],
            answer_by=rule,
        )
    except (ValueError, TypeError) as error:
        raise LessonContentError(path, where, str(error)) from None


def _control(table: dict, path: str, where: str) -> Control:
    _need(table, {"key", "label", "options", "default"}, CONTROL_KEYS, path, where)
    try:
        return Control(
            key=table["key"],
            label=table["label"],
            options=_frozen(table["options"]),
            default=table["default"],
            help=table.get("help", ""),
        )
    except (ValueError, TypeError) as error:
        raise LessonContentError(path, where, str(error)) from None


def _step(table: dict, path: str, where: str) -> Step:
    _need(table, {"key", "title", "text", "experiment", "question"}, STEP_KEYS, path, where)
    experiment = EXPERIMENTS.get(table["experiment"])
    if experiment is None:
        known = ", ".join(sorted(EXPERIMENTS))
        raise LessonContentError(path, f"{where}.experiment", f"no experiment {table['experiment']!r} ({known})")
    controls = tuple(
        _control(control, path, f"{where}.controls[{n}]") for n, control in enumerate(table.get("controls", []))
    )
    unknown = sorted((set(table.get("params", {})) | {c.key for c in controls}) - experiment.settings())
    if unknown:
        allowed = ", ".join(sorted(experiment.settings()))
        raise LessonContentError(path, f"{where}.params", f"{experiment.key} takes no {', '.join(unknown)} ({allowed})")
    try:
        step = Step(
            key=table["key"],
            title=table["title"],
            text=table["text"],
            latex=table.get("latex", ""),
            experiment=experiment,
            params=_frozen(table.get("params", {})),
            controls=controls,
            question=_question(table["question"], path, f"{where}.question"),
        )
        experiment.config(step.values())  # the settings make a config: a wrong name or value fails here, not in class
        if step.controls and step.question.answer_by is None:
            raise ValueError("a step with controls needs question.answer_by: its right answer must follow them")
        texts = [step.title, step.text, step.question.prompt, step.question.why, *step.question.options]
        unknown = sorted(set().union(*(placeholders(text) for text in texts)) - set(step.values()))
        if unknown:
            raise ValueError(f"the text names {', '.join(unknown)}, which is not one of the step's values")
    except (ValueError, TypeError, KeyError) as error:
        raise LessonContentError(path, where, f"{type(error).__name__}: {error}") from None
    return step


def parse_lesson(key: str, data: dict, path: str) -> Lesson:
    """A lesson from the English file's data; ``path`` names the file in errors."""
    _need(data, LESSON_KEYS, LESSON_KEYS, path, "")
    steps = tuple(_step(step, path, f"steps[{n}] ({step.get('key', '?')})") for n, step in enumerate(data["steps"]))
    checks = tuple(_question(check, path, f"checks[{n}]") for n, check in enumerate(data["checks"]))
    try:
        return Lesson(
            key=key, title=data["title"], summary=data["summary"], minutes=data["minutes"], steps=steps, checks=checks
        )
    except ValueError as error:
        raise LessonContentError(path, "", str(error)) from None


def text_fields(data: dict) -> dict[str, str]:
    """Every text field of a lesson file, by the name ``lesson_words`` reads it under: ``title``, ``summary``,
    ``STEP.title``, ``STEP.text``, ``STEP.latex``, ``STEP.prompt``, ``STEP.option0``, ``STEP.why``,
    ``STEP.control_KEY_label`` / ``_help``, and ``checkN.prompt`` and the rest for the check questions."""
    fields = {name: data[name] for name in ("title", "summary") if name in data}

    def question(part: str, table: dict) -> None:
        fields.update({f"{part}.{name}": table[name] for name in ("prompt", "why") if name in table})
        fields.update({f"{part}.option{i}": option for i, option in enumerate(table.get("options", []))})

    for step in data.get("steps", []):
        part = step.get("key", "?")
        fields.update({f"{part}.{name}": step[name] for name in ("title", "text", "latex") if name in step})
        question(part, step.get("question", {}))
        for control in step.get("controls", []):
            name = str(control.get("key", "?")).replace("-", "_")
            fields.update({f"{part}.control_{name}_{k}": control[k] for k in ("label", "help") if k in control})
    for number, check in enumerate(data.get("checks", []), start=1):
        question(f"check{number}", check)
    return fields


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _structure(data: dict) -> list[str]:
    """Where a translation holds structure that belongs in the English file (a translation carries text only)."""
    found = [name for name in STRUCTURE if name in data]
    for n, step in enumerate(data.get("steps", [])):
        found += [f"steps[{n}].{name}" for name in STRUCTURE if name in step]
        found += [f"steps[{n}].question.{name}" for name in STRUCTURE if name in step.get("question", {})]
        for c, control in enumerate(step.get("controls", [])):
            found += [f"steps[{n}].controls[{c}].{name}" for name in STRUCTURE | {"options"} if name in control]
    for n, check in enumerate(data.get("checks", [])):
        found += [f"checks[{n}].{name}" for name in STRUCTURE if name in check]
    return found


def check_translation(english: dict, translated: dict, path: str) -> dict[str, str]:
    """A translation's text fields, once they match the English: the same steps in the same order, every field and
    no other, the same placeholders, no structure. Returns them by ``text_fields`` name."""
    structure = _structure(translated)
    if structure:
        raise LessonContentError(path, structure[0], "structure belongs in the English file; a translation holds text")
    steps = [step.get("key") for step in english["steps"]]
    if [step.get("key") for step in translated.get("steps", [])] != steps:
        raise LessonContentError(path, "steps", f"the steps must be the English file's, in order: {steps}")
    source, words = text_fields(english), text_fields(translated)
    for name in source:
        if name not in words:
            raise LessonContentError(path, name, "missing: every text field of the English file needs its translation")
        if not name.endswith(".latex") and placeholders(source[name]) != placeholders(words[name]):
            raise LessonContentError(path, name, f"placeholders differ from the English {placeholders(source[name])}")
    extra = sorted(set(words) - set(source))
    if extra:
        raise LessonContentError(path, extra[0], "not in the English file")
    return words


def lesson_keys(folder: Traversable = CONTENT) -> list[str]:
    """The lessons in the order the pages list them (``ORDER``), then any other English file by name."""
    found = sorted(
        file.name.removesuffix(f".{DEFAULT}.toml")
        for file in folder.iterdir()
        if file.name.endswith(f".{DEFAULT}.toml")
    )
    return [key for key in ORDER if key in found] + [key for key in found if key not in ORDER]


ORDER = ("forgetting", "exploding", "inside", "fair-race", "attention", "comeback", "both-ways", "sentiment")


def load_lessons(folder: Traversable = CONTENT) -> tuple[dict[str, Lesson], dict[str, dict[str, dict[str, str]]]]:
    """Every lesson (English) and every translation: ``{key: Lesson}``, ``{key: {language: {field: text}}}``."""
    lessons, translations = {}, {}
    for key in lesson_keys(folder):
        english_file = folder / f"{key}.{DEFAULT}.toml"
        english = _read(english_file)
        lessons[key] = parse_lesson(key, english, english_file.name)
        translations[key] = {DEFAULT: text_fields(english)}
        for language in LANGUAGES:
            if language == DEFAULT:
                continue
            file = folder / f"{key}.{language}.toml"
            if not file.is_file():
                raise LessonContentError(file.name, "", f"missing: every lesson needs a file per language ({language})")
            translations[key][language] = check_translation(english, _read(file), file.name)
    return lessons, translations


LESSONS, TRANSLATIONS = load_lessons()


def lesson_words(lesson: Lesson, part: str = "") -> Callable[[str, str], str]:
    """``words(field, english)``: a field of ``lesson`` (``part`` is a step's key, ``checkN``, or "" for the title
    and summary) in the language current now, else ``english``. The language is fixed when this is called, so the
    function can serve as a widget's ``format_func``."""
    language = current_language()
    table = TRANSLATIONS.get(lesson.key, {}).get(language, {})
    prefix = f"{part}." if part else ""
    return lambda field, english: table.get(prefix + field, english)
