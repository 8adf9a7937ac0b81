"""Split a report's text at the evidence offsets of its figures, so every sentence a figure came from can be
marked (and linked to) in the evidence page. Pure: text and offsets in, segments out."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    metric: str


@dataclass(frozen=True)
class Segment:
    """A stretch of text, the metrics whose evidence covers it, and the metrics whose evidence starts here."""

    text: str
    metrics: tuple[str, ...]
    anchors: tuple[str, ...]


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """Cut `text` at every span boundary (spans may overlap or be out of range: they are clipped)."""
    clipped = [Span(max(0, s.start), min(len(text), s.end), s.metric) for s in spans]
    clipped = [s for s in clipped if s.start < s.end]
    cuts = sorted({0, len(text), *(s.start for s in clipped), *(s.end for s in clipped)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = tuple(s.metric for s in clipped if s.start <= a and b <= s.end)
        starting = tuple(s.metric for s in clipped if s.start == a)
        out.append(Segment(text[a:b], covering, starting))
    return out
