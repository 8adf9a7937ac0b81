"""Plain data types that cross the boundary between the pure transforms and the I/O edges."""
from __future__ import annotations

from dataclasses import dataclass, field

from transforms.metadata import Metadata

QUALIFIERS = ("exact", "approx", "at_least", "at_most")
SECTION_KINDS = ("preamble", "achievements", "duties", "problems", "plans", "review", "other")


@dataclass(frozen=True)
class Part:
    """One stated number that contributes to a figure (a summand, or the figure itself)."""

    value: float
    start: int
    end: int
    text: str


@dataclass
class Figure:
    """One result per (report, metric); `start`/`end` index the evidence sentence in the normalized text."""

    metric: str
    value: float
    unit: str
    qualifier: str
    is_plan: bool
    evidence: str
    start: int
    end: int
    section: str = "other"
    parts: tuple[Part, ...] = ()


@dataclass
class Section:
    kind: str
    title: str
    start: int
    end: int


@dataclass
class Extraction:
    """What the extractor reads from one report's normalized text."""

    township: str | None
    county: str | None
    city: str | None
    year: int | None
    figures: list[Figure] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    error: str | None = None
    metadata: Metadata | None = None   # what the text says, with the candidates read (for settling)
