"""A class's answers as CSV for the teacher: a plain function of plain rows (the store reads them, this writes them).

Two tables in one file, a blank line between, each with its header, so a spreadsheet opens both:

1. per question and option: how many chose it, and whether it is the right one;
2. per student (in the order they joined): the nickname, or "anonymous" with the join number to tell them apart, each
   question's answer and whether it was right, and how many right answers.

Options are counted from 0, as the lessons' files count them. The right answers come from the caller (the store does
not know the lessons). The headers and the words in the cells ("yes", "anonymous") are the caller's ``CsvWords``, so
the teacher reads them in the page's language (English by default: this package translates nothing). A cell that a
spreadsheet would run as a formula (a nickname starting with ``=``, ``+``, ``-``, ``@``) is written with a leading
apostrophe: a nickname is plain text, in the export too.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass(frozen=True, kw_only=True)
class CsvWords:
    """The export's words. ``question_right`` and ``score`` are format strings: ``{question}`` and ``{total}``."""

    question: str = "question"
    option: str = "option"
    count: str = "count"
    right: str = "right"
    number: str = "number"
    student: str = "student"
    anonymous: str = "anonymous"
    yes: str = "yes"
    no: str = "no"
    question_right: str = "{question} right"
    score: str = "right answers (of {total})"


def _yes_no(option: int | None, right: int | None, words: CsvWords) -> str:
    if option is None or right is None:
        return ""
    return words.yes if option == right else words.no


def answers_csv(
    *,
    students: Iterable[tuple[str, str | None]],
    answers: Iterable[tuple[str, str, int]],
    right: Mapping[str, int],
    words: CsvWords = CsvWords(),
) -> str:
    """The CSV text. ``students``: (member id, nickname or None) in join order; ``answers``: (member id, question
    key, option) that count; ``right``: question key -> the right option, for the questions that have one."""
    students = list(students)
    chosen: dict[tuple[str, str], int] = {}
    seen: list[str] = []
    for member, question, option in answers:
        chosen[(member, question)] = option
        if question not in seen:
            seen.append(question)
    questions = list(right) + [question for question in seen if question not in right]
    counts = {question: Counter() for question in questions}
    for (_member, question), option in chosen.items():
        counts[question][option] += 1

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([words.question, words.option, words.count, words.right])
    for question in questions:
        top = max([*counts[question], right.get(question, -1), 0])
        for option in range(top + 1):
            writer.writerow(
                [_cell(question), option, counts[question][option], _yes_no(option, right.get(question), words)]
            )
    writer.writerow([])
    marked = [question for question in questions if question in right]
    header = [words.number, words.student]
    for question in questions:
        header += [question, words.question_right.format(question=question)] if question in right else [question]
    writer.writerow([_cell(name) for name in header] + [words.score.format(total=len(marked))])
    for number, (member, nickname) in enumerate(students, start=1):
        row: list[object] = [number, _cell(nickname) if nickname else words.anonymous]
        score = 0
        for question in questions:
            option = chosen.get((member, question))
            row.append("" if option is None else option)
            if question in right:
                row.append(_yes_no(option, right[question], words))
                score += option == right[question]
        writer.writerow(row + [score])
    return out.getvalue()
