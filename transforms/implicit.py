"""Figures stated without a numeral: zero by negation, and persons counted by name.

- Zero: a metric's own term negated (全年无行政复议, 未发生行政复议和行政诉讼案件, 亦无行政败诉案件)
  or followed by a zero (行政复议案件为零, 至于行政诉讼，…案件数量为零). Only the negated term's metric
  is zero: no lawsuits does not say how many were lost.
- Named: a role word with names and no numeral (聘请律师王某、李某担任法律顾问 = 2). A name is whole
  jieba tokens that are no common dictionary word: 聘请专业律师担任法律顾问 names nobody.
Offsets are local to the sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from transforms.catalog import Catalog, Metric
from transforms.townships import is_verb
from transforms.triggers import CLAUSE_MARKS, SentenceView, clause_end, clause_start

_HAN = "\u4e00-\u9fff"
_DIGIT = re.compile(r"\d|[一二两三四五六七八九十百千万]")
_NONE_ONE = re.compile(r"一(?:起|件|例|宗|次)")  # 未发生一起…: "a single one" inside a negation
_NAME_LENGTHS = (2, 3)  # a Chinese person's name: surname and one or two characters


@dataclass(frozen=True)
class Implicit:
    metric: Metric
    value: float
    start: int
    end: int
    general: bool


def zeros(view: SentenceView, catalog: Catalog, skip: set[str]) -> list[Implicit]:
    """Zero figures of this sentence for metrics not in `skip` (those already have a number here)."""
    out: list[Implicit] = []
    for metric in catalog.metrics:
        if metric.key in skip or not metric.zero_terms:
            continue
        hit = _zero_of(view, catalog, metric)
        if hit is not None:
            out.append(hit)
    return out


def _zero_of(view: SentenceView, catalog: Catalog, metric: Metric) -> Implicit | None:
    for term in metric.zero_terms:
        for p in view.occurrences(term):
            if view.text.startswith(catalog.rules.narrowing_after, p + len(term)):
                continue   # 无行政诉讼败诉案件 negates lost cases, not lawsuits
            span = _negated_before(view, catalog, p) or _zero_after(view, catalog, p + len(term))
            if span is not None:
                lo, hi = min(span[0], p), max(span[1], p + len(term))
                return Implicit(metric, 0.0, lo, hi, _general(view, catalog, lo))
    return None


def _negated_before(view: SentenceView, catalog: Catalog, p: int) -> tuple[int, int] | None:
    text, rules = view.text, catalog.rules
    lo = clause_start(text, p, CLAUSE_MARKS)
    for neg in rules.negation_before:
        for q in view.occurrences(neg):
            gap = text[q + len(neg):p]
            if lo <= q and q + len(neg) <= p and len(gap) <= rules.negation_gap \
                    and not _DIGIT.search(_NONE_ONE.sub("", gap)):
                return q, q + len(neg)
    return None


def _zero_after(view: SentenceView, catalog: Catalog, e: int) -> tuple[int, int] | None:
    """A zero word after the term (行政复议案件为零), other negatable terms between only when
    coordinated with it (行政复议和行政诉讼案件均为零), not when they are its head (行政诉讼败诉案件为零)."""
    text, rules = view.text, catalog.rules
    terms = [t for m in catalog.metrics for t in m.zero_terms]
    for marker in rules.zero_after:
        q = text.find(marker, e)
        if q < 0 or q - e > rules.negation_gap:
            continue
        gap = text[e:q]
        if _DIGIT.search(gap) or any(c in gap for c in "。；;") or any(b in gap for b in rules.zero_gap_blockers):
            continue
        if all(_coordinated(gap, t, rules.coordinators) for t in terms if t in gap):
            return q, q + len(marker)
    return None


def _coordinated(gap: str, term: str, coordinators: tuple[str, ...]) -> bool:
    """Whether `term` inside `gap` is joined to what precedes it by a coordinator (和, 、, 及 ...)."""
    k = gap.find(term)
    return gap[:k].endswith(coordinators) and all(c not in gap[:k] for c in "，,")


def _general(view: SentenceView, catalog: Catalog, pos: int) -> bool:
    return view.contains(catalog.rules.general_markers, clause_start(view.text, pos, CLAUSE_MARKS), pos)


def named(view: SentenceView, catalog: Catalog, skip: set[str]) -> list[Implicit]:
    """Persons counted by name for metrics with a `named_role`, when the sentence gives no numeral."""
    out = []
    for metric in catalog.metrics:
        if metric.named_role and metric.key not in skip:
            hit = _named_of(view, catalog, metric)
            if hit is not None:
                out.append(hit)
    return out


@lru_cache(maxsize=64)
def _name_patterns(role: str, verbs: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    """律师王某、李某担任 (names after the role word), and the role word right before a verb (王某律师担任:
    the name is looked for just before it)."""
    role = re.escape(role)
    verb = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    name = f"[{_HAN}]{{{_NAME_LENGTHS[0]},{_NAME_LENGTHS[-1]}}}"
    return (re.compile(f"{role}(?P<names>{name}(?:[、和]{name})*)(?:{verb})"), re.compile(f"{role}(?:{verb})"))


def _named_of(view: SentenceView, catalog: Catalog, metric: Metric) -> Implicit | None:
    if metric.named_role not in view.text:
        return None
    after, before = _name_patterns(metric.named_role, catalog.rules.named_verbs)
    for m in after.finditer(view.text):
        names = [(a.start() + m.start("names"), a.end() + m.start("names"))
                 for a in re.finditer(f"[^、和]+", m.group("names"))]
        if all(_is_name(view, catalog, a, b) for a, b in names) and _names_role(view, metric, m.end()):
            return Implicit(metric, float(len(names)), m.start(), m.end(), _general(view, catalog, m.start()))
    for m in before.finditer(view.text):
        start = next((m.start() - k for k in reversed(_NAME_LENGTHS)
                      if _is_name(view, catalog, m.start() - k, m.start())), None)
        if start is not None and _names_role(view, metric, m.end()):
            return Implicit(metric, 1.0, start, m.end(), _general(view, catalog, start))
    return None


def _is_name(view: SentenceView, catalog: Catalog, start: int, end: int) -> bool:
    """A person's name: Han characters that are whole tokens, not a common word (专业, 聘请 are no names) and
    holding no verb (也都聘请律师担任: 都聘请 is no name)."""
    word = view.text[max(start, 0):end]
    return (start >= 0 and re.fullmatch(f"[{_HAN}]+", word) is not None and view.is_token(start, end)
            and view.segmenter.frequency(word) < catalog.rules.common_word_freq
            and not any(len(w) > 1 and is_verb(w) for w in view.segmenter.words(word)))


def _names_role(view: SentenceView, metric: Metric, pos: int) -> bool:
    """A trigger of the metric right after the names (same clause), not inside an exclusion."""
    hi = clause_end(view.text, pos, CLAUSE_MARKS)
    for trig in (t for t in metric.triggers if len(t.parts) == 1):
        for p in view.occurrences(trig.parts[0]):
            if pos <= p < hi and not view.contains(metric.exclusions, clause_start(view.text, p, CLAUSE_MARKS), hi):
                return True
    return False
