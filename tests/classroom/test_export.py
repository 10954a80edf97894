"""The teacher's CSV: counts per question, answers per student, formulas neutralised."""

from __future__ import annotations

import csv
import io

from rnnviz.classroom.export import CsvWords, answers_csv


def sections(text: str) -> tuple[list[list[str]], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    blank = rows.index([])
    return rows[:blank], rows[blank + 1 :]


def test_counts_per_question_and_answers_per_student():
    text = answers_csv(
        students=[("m1", "Ada"), ("m2", None), ("m3", '=HYPERLINK("http://evil")')],
        answers=[("m1", "q1", 2), ("m2", "q1", 0), ("m3", "q1", 2), ("m1", "q2", 1), ("m2", "extra", 3)],
        right={"q1": 2, "q2": 0},
    )
    per_question, per_student = sections(text)
    assert per_question[0] == ["question", "option", "count", "right"]
    assert ["q1", "0", "1", "no"] in per_question and ["q1", "1", "0", "no"] in per_question
    assert ["q1", "2", "2", "yes"] in per_question
    assert ["q2", "0", "0", "yes"] in per_question and ["q2", "1", "1", "no"] in per_question
    assert ["extra", "3", "1", ""] in per_question  # a question without a right answer: counted, not marked
    assert per_student[0] == ["number", "student", "q1", "q1 right", "q2", "q2 right", "extra", "right answers (of 2)"]
    assert per_student[1] == ["1", "Ada", "2", "yes", "1", "no", "", "1"]
    assert per_student[2] == ["2", "anonymous", "0", "no", "", "", "3", "0"]
    assert per_student[3][1] == '\'=HYPERLINK("http://evil")'  # a spreadsheet shows it, does not run it
    assert per_student[3][2:] == ["2", "yes", "", "", "", "1"]


def test_an_empty_class_still_has_both_headers():
    per_question, per_student = sections(answers_csv(students=[], answers=[], right={"q": 1}))
    assert per_question == [["question", "option", "count", "right"], ["q", "0", "0", "no"], ["q", "1", "0", "yes"]]
    assert per_student == [["number", "student", "q", "q right", "right answers (of 1)"]]


def test_the_headers_and_words_are_the_callers():
    words = CsvWords(
        question="问题",
        anonymous="匿名",
        yes="是",
        no="否",
        question_right="{question} 是否答对",
        score="共 {total} 题",
    )
    per_question, per_student = sections(
        answers_csv(students=[("m1", None)], answers=[("m1", "q", 1)], right={"q": 1}, words=words)
    )
    assert per_question[0][0] == "问题" and per_question[2] == ["q", "1", "1", "是"]
    assert per_student[0] == ["number", "student", "q", "q 是否答对", "共 1 题"]
    assert per_student[1] == ["1", "匿名", "1", "是", "1"]
