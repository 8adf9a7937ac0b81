"""Figures stated without a numeral (transforms.implicit): lawyers counted by name, and only by name.

The sentences are written for these tests; none is copied from a real report.
"""
from __future__ import annotations

import pytest

from tests.helpers import REPO
from transforms.catalog import load_catalog
from transforms.implicit import named
from transforms.segment import Segmenter
from transforms.triggers import SentenceView

CATALOG = load_catalog(REPO / "metrics.toml")


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter(CATALOG)


def advisers(segmenter: Segmenter, sentence: str) -> list[tuple[float, str]]:
    """(count, the words it was read from) of each named-person figure of `sentence`."""
    view = SentenceView(sentence, segmenter, CATALOG.metrics)
    return [(hit.value, sentence[hit.start:hit.end]) for hit in named(view, CATALOG, set())]


@pytest.mark.parametrize("sentence, count, words", [
    ("镇政府聘请李某律师担任常年法律顾问。", 1, "李某律师担任"),
    ("聘请东方律师事务所刘晓明律师为镇政府法律顾问。", 1, "刘晓明律师为"),
    ("聘请律师周某为我乡法律顾问。", 1, "律师周某为"),
    ("聘请律师陈某、吴某担任镇政府法律顾问。", 2, "律师陈某、吴某担任"),
])
def test_named_lawyers_are_counted(segmenter, sentence, count, words):
    assert advisers(segmenter, sentence) == [(count, words)]


@pytest.mark.parametrize("sentence", [
    "镇政府聘请专业律师担任法律顾问，参与重大决策合法性审查。",
    "乡政府聘请律师作为常年法律顾问。",
    "聘请执业律师担任镇政府法律顾问。",
    "聘请资深律师为我镇法律顾问。",
])
def test_an_unnamed_lawyer_is_no_count(segmenter, sentence):
    assert advisers(segmenter, sentence) == []


def test_a_named_village_adviser_is_not_the_townships(segmenter):
    assert advisers(segmenter, "聘请王某律师担任村法律顾问。") == []
