"""Cutting a report's text at its figures' evidence offsets."""
from __future__ import annotations

from fazhi.dashboard.evidence import Span, segments

TEXT = "一、成效。全年调解纠纷30件，成功率98%。二、问题。"


def test_segments_rebuild_the_text_and_mark_each_sentence():
    a = TEXT.index("全年")
    b = TEXT.index("二、")
    segs = segments(TEXT, [Span(a, b, "disputes_mediated")])
    assert "".join(s.text for s in segs) == TEXT
    marked = [s for s in segs if s.metrics]
    assert [(s.text, s.metrics, s.anchors) for s in marked] == [(TEXT[a:b], ("disputes_mediated",), ("disputes_mediated",))]


def test_overlapping_sentences_share_the_overlap():
    segs = segments("0123456789", [Span(2, 6, "x"), Span(4, 8, "y")])
    assert [(s.text, s.metrics, s.anchors) for s in segs] == [
        ("01", (), ()), ("23", ("x",), ("x",)), ("45", ("x", "y"), ("y",)), ("67", ("y",), ()), ("89", (), ())]


def test_offsets_outside_the_text_are_clipped_not_fatal():
    segs = segments("abc", [Span(-3, 2, "x"), Span(5, 9, "gone")])
    assert [(s.text, s.metrics) for s in segs] == [("ab", ("x",)), ("c", ())]
    assert segments("", []) == []
