"""Where the catalog's words occur in one sentence, as whole words (jieba tokens), outside law names.

A phrase counts only where it begins or ends on a token boundary of the jieba segmentation, so a
trigger is not found inside an unrelated longer word, and never inside a 《law or document name》.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from transforms.catalog import Metric, Trigger
from transforms.segment import Segmenter

CLAUSE_MARKS = "，,；;。：:！!？?\n"   # end a clause: a number's own words lie after the last one
LIST_MARKS = "、"                  # join the items of a list inside a clause
_TITLE_OPEN, _TITLE_CLOSE = "《〈", "》〉"
_BLOCK = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")  # what jieba segments as one run


@dataclass(frozen=True)
class Match:
    """A trigger found for a number: its metric, where its last part ends, how surely it names it."""

    metric: Metric
    trigger: Trigger
    first: int   # start of the first part (sentence offsets)
    anchor: int  # start of the last part
    end: int     # end of the last part

    @property
    def weak(self) -> bool:
        return self.trigger.weak


@dataclass
class SentenceView:
    """One sentence's text with its token boundaries and its masked law names; offsets are local.

    jieba cuts runs of Han characters, letters and digits independently, so each run ("block") is
    segmented on first need and only blocks where a catalog phrase occurs are ever segmented."""

    text: str
    segmenter: Segmenter
    metrics: tuple[Metric, ...] = ()
    _found: dict[str, list[int]] = field(default_factory=dict)
    _blocks: dict[int, tuple[set[int], set[int]]] = field(default_factory=dict)

    @cached_property
    def _masked(self) -> list[tuple[int, int]]:
        ranges, opened = [], None
        for i, c in enumerate(self.text):
            if c in _TITLE_OPEN and opened is None:
                opened = i
            elif c in _TITLE_CLOSE and opened is not None:
                ranges.append((opened, i + 1))
                opened = None
        return ranges

    @cached_property
    def matches(self) -> list[Match]:
        """Every trigger of every metric found in the sentence (parts in order, latest earlier parts)."""
        out = []
        for metric in self.metrics:
            for trig in metric.triggers:
                if not all(part in self.text for part in trig.parts):
                    continue
                for anchor in self.occurrences(trig.parts[-1]):
                    first = self._earlier_parts(trig.parts[:-1], anchor)
                    if first is not None:
                        out.append(Match(metric, trig, first, anchor, anchor + len(trig.parts[-1])))
        return out

    def occurrences(self, phrase: str) -> list[int]:
        """Start offsets of `phrase` as a word of this sentence (cached per phrase)."""
        found = self._found.get(phrase)
        if found is None:
            found = self._found[phrase] = [p for p in _all_starts(self.text, phrase)
                                           if self._is_word(p, p + len(phrase))]
        return found

    def occurrences_raw(self, phrase: str) -> list[int]:
        """Start offsets of `phrase` anywhere in the sentence, word or not."""
        return _all_starts(self.text, phrase)

    def is_token(self, start: int, end: int) -> bool:
        """Whether [start, end) is exactly one or more whole tokens."""
        starts, ends = self._bounds_at(start)
        return start in starts and end in ends

    @cached_property
    def _block_spans(self) -> tuple[list[int], list[int]]:
        spans = [(m.start(), m.end()) for m in _BLOCK.finditer(self.text)]
        return [a for a, _ in spans], [b for _, b in spans]

    def _bounds_at(self, pos: int) -> tuple[set[int], set[int]]:
        """Token starts and ends of the block holding `pos` (segmented once)."""
        starts, ends = self._block_spans
        k = bisect_right(starts, pos) - 1
        if k < 0 or pos >= ends[k]:
            return {pos}, {pos + 1}  # a mark or space is a token of its own
        lo, hi = starts[k], ends[k]
        if lo not in self._blocks:
            tokens = self.segmenter.tokens(self.text[lo:hi], lo)
            self._blocks[lo] = ({t.start for t in tokens} | {lo}, {t.end for t in tokens} | {hi})
        return self._blocks[lo]

    def _is_word(self, start: int, end: int) -> bool:
        """Outside law names, and on a token boundary (both ends for a one-character word)."""
        if any(a <= start < b for a, b in self._masked):
            return False
        starts, ends = self._bounds_at(start)
        if end - start == 1:
            return start in starts and end in ends
        return start in starts or end in ends

    def contains(self, phrases, lo: int, hi: int) -> bool:
        """Whether one of `phrases` lies wholly inside [lo, hi)."""
        return any(lo <= p and p + len(ph) <= hi for ph in phrases for p in self.occurrences(ph))

    def trigger_matches(self, metric: Metric | None, lo: int, hi: int, parts_from: int = 0) -> list[Match]:
        """Matches (of `metric`, or of any metric when None) whose last part lies inside [lo, hi) and
        whose earlier parts start at or after `parts_from`."""
        return [m for m in self.matches
                if (metric is None or m.metric.key == metric.key) and lo <= m.anchor and m.end <= hi
                and m.first >= min(parts_from, m.anchor)]

    def _earlier_parts(self, parts: tuple[str, ...], before: int) -> int | None:
        """Start of the first part when `parts` occur in order, all ending at or before `before`."""
        limit = before
        first = before
        for part in reversed(parts):
            starts = [p for p in self.occurrences(part) if p + len(part) <= limit]
            if not starts:
                return None
            first = limit = max(starts)
        return first


def _all_starts(text: str, phrase: str) -> list[int]:
    out, i = [], text.find(phrase)
    while i >= 0:
        out.append(i)
        i = text.find(phrase, i + 1)
    return out


def clause_start(text: str, pos: int, marks: str = CLAUSE_MARKS) -> int:
    """Offset just after the last clause mark before `pos` (0 when none)."""
    return max((text.rfind(m, 0, pos) for m in marks), default=-1) + 1


def clause_end(text: str, pos: int, marks: str = CLAUSE_MARKS) -> int:
    """Offset of the first clause mark at or after `pos` (len(text) when none)."""
    found = [i for i in (text.find(m, pos) for m in marks) if i >= 0]
    return min(found, default=len(text))
