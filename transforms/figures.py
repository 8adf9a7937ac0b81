"""From sentences to one Figure per (metric, is_plan): numbers first, then the words that own them.

Per sentence: attribute every number (transforms.attribution), then per metric keep the sure (strong)
statements over the weak ones, this year's over an earlier year's (去年40次，今年52次), a total
(共, 合计, 累计 ...) over the other statements of the metric (新创建1个，全镇累计8个), then add the parts
when the metric sums (进村12次、进校园3次) or take the first; a metric with no number in the sentence may
still be zero by negation or a count of named persons (transforms.implicit). Sentences of a multi-year
review are skipped; plan sections and intent sentences give plan figures, except that a sentence stating
both a plan and what was actually done (原计划开展60场，实际开展80余场) is split by clause. A sentence cut
at ；before a village body's count of the same work (镇调委会调解22起；村级调委会共调解3起) is read with it
as one, so the two levels add up. Per report: when one metric is stated in several sentences, the
general statement (全年, 共, 全镇 ...) wins, else the first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from transforms.attribution import Attribution, Attributor, Num
from transforms.catalog import Catalog
from transforms.implicit import Implicit, named, zeros
from transforms.model import Figure, Part
from transforms.numerals import NumberSpan, find_numbers
from transforms.segment import Segmenter
from transforms.triggers import SentenceView

PLAN_SECTION = "plans"


class SentenceLike(Protocol):
    start: int
    end: int
    section: str
    is_intent: bool
    is_cumulative: bool


@dataclass(frozen=True)
class Candidate:
    """One metric's value as stated in one sentence."""

    figure: Figure
    general: bool
    order: int
    earlier: bool = False  # stated only as an earlier year's value (去年开展普法活动40次), as the plan
                           # the year's actual count is set against (原计划60场，实际80余场), or for the
                           # township and its villages together (全镇法律顾问4人，实现村(社区)法律顾问全覆盖)


class FigureReader:
    """Reads the figures of a report; holds the catalog and the segmenter (built once)."""

    def __init__(self, catalog: Catalog, segmenter: Segmenter) -> None:
        self.catalog = catalog
        self.segmenter = segmenter

    def figures(self, text: str, sentences: list[SentenceLike]) -> list[Figure]:
        numbers = find_numbers(text)
        candidates: list[Candidate] = []
        for s in _join_lower_levels(text, sentences, self.catalog.rules.lower_level_markers):
            if not s.is_cumulative:
                candidates += self._sentence(text, s, numbers, len(candidates))
        return choose(candidates, self.catalog)

    def _sentence(self, text: str, s: SentenceLike, numbers: list[NumberSpan], order: int) -> list[Candidate]:
        body = text[s.start:s.end]
        view = SentenceView(body, self.segmenter, self.catalog.metrics)
        nums = [_local(n, s.start) for n in numbers if s.start <= n.start and n.end <= s.end]
        is_plan = s.section == PLAN_SECTION or s.is_intent
        out = self._numeric(Attributor(self.catalog, view, nums).run(), s, body) if nums else []
        stated = {c.figure.metric for c in out}
        for hit in zeros(view, self.catalog, stated) + named(view, self.catalog, stated):
            if hit.metric.key not in stated:
                stated.add(hit.metric.key)
                out.append(self._implicit(hit, s, body, is_plan))
        return [Candidate(c.figure, c.general, order + k, c.earlier) for k, c in enumerate(out)]

    def _numeric(self, atts: list[Attribution], s: SentenceLike, body: str) -> list[Candidate]:
        """One candidate per (metric, plan) of the sentence. A sentence stating a plan and what was actually
        done (原计划开展60场，实际开展80余场) is split by clause; otherwise the sentence decides."""
        mixed = any(a.planned for a in atts) and any(a.actual for a in atts)
        sentence_plan = s.section == PLAN_SECTION or (s.is_intent and not mixed)
        by_metric: dict[tuple[str, bool, bool], list[Attribution]] = {}
        for a in atts:
            planned = mixed and a.planned
            by_metric.setdefault((a.metric.key, sentence_plan or planned, planned), []).append(a)
        out = []
        for (key, is_plan, planned), group in by_metric.items():
            if any(a.strong for a in group):
                group = [a for a in group if a.strong]
            if any(a.earlier for a in group) and not all(a.earlier for a in group):
                group = [a for a in group if not a.earlier]  # 去年40次，今年52次: this year's only
            metric = group[0].metric
            group = _total_over_parts(group)
            if not metric.sums:
                group = group[:1]
            parts = tuple(Part(a.value, s.start + a.num.start, s.start + a.num.end, a.num.text) for a in group)
            figure = Figure(metric=key, value=sum(a.value for a in group), unit=metric.unit,
                            qualifier=_qualifier([a.num.qualifier for a in group]), is_plan=is_plan,
                            evidence=body, start=s.start, end=s.end, section=s.section, parts=parts)
            earlier = all(a.earlier or a.mixed for a in group) or (planned and s.section != PLAN_SECTION)
            out.append(Candidate(figure, any(a.general for a in group), 0, earlier))
        return out

    def _implicit(self, hit: Implicit, s: SentenceLike, body: str, is_plan: bool) -> Candidate:
        part = Part(hit.value, s.start + hit.start, s.start + hit.end, body[hit.start:hit.end])
        figure = Figure(metric=hit.metric.key, value=hit.value, unit=hit.metric.unit, qualifier="exact",
                        is_plan=is_plan, evidence=body, start=s.start, end=s.end, section=s.section,
                        parts=(part,))
        return Candidate(figure, hit.general, 0)


@dataclass(frozen=True)
class _Joined:
    """Two sentences read as one (see _join_lower_levels)."""

    start: int
    end: int
    section: str
    is_intent: bool
    is_cumulative: bool


def _join_lower_levels(text: str, sentences: list[SentenceLike], markers: tuple[str, ...]) -> list[SentenceLike]:
    """A sentence cut at ；whose next one opens on a lower-level body (镇调委会调解22起；村级调委会共调解3起) is
    read with it as one sentence, so the two levels' counts of one metric are parts of one figure."""
    out: list[SentenceLike] = []
    for s in sentences:
        prev = out[-1] if out else None
        if (prev is not None and markers and text[prev.end - 1:prev.end] in "；;" and not text[prev.end:s.start].strip()
                and text.startswith(markers, s.start) and prev.section == s.section
                and (prev.is_intent, prev.is_cumulative) == (s.is_intent, s.is_cumulative)):
            out[-1] = _Joined(prev.start, s.end, s.section, s.is_intent, s.is_cumulative)
        else:
            out.append(s)
    return out


def _total_over_parts(group: list[Attribution]) -> list[Attribution]:
    """The total alone when a statement marked as one (共, 合计, 累计 ...) follows other values of the
    metric (进村12次，进校园3次，共计15次; 新创建1个，全镇累计创建8个), or leads values that add up to it
    (全年共开展20次，进村12次，进校园8次). A total that leads values adding up to something else heads a
    list of parts (共开展青少年法治教育活动15次，机关妇女干部普法教育活动7次 = 22): the group stays. The
    year's whole total (累计) after other totals wins over them (结合宪法日共开展30场……累计开展130场)."""
    grand = [a for a in group[1:] if a.grand]
    if grand:
        return grand[-1:]
    first_total = next((k for k, a in enumerate(group) if a.total), None)
    if first_total is None or all(a.total for a in group):
        return group
    if first_total > 0:
        return [group[first_total]]
    rest = group[1:]
    return group[:1] if sum(a.value for a in rest) == group[0].value else group


def _local(n: NumberSpan, offset: int) -> Num:
    return Num(n.value, n.start - offset, n.end - offset, n.unit, n.qualifier, n.text)


def _qualifier(quals: list[str]) -> str:
    """One qualifier for a sum: exact when all parts are, approx when any is, else the first one."""
    if all(q == "exact" for q in quals):
        return "exact"
    if "approx" in quals:
        return "approx"
    return next(q for q in quals if q != "exact")


def choose(candidates: list[Candidate], catalog: Catalog) -> list[Figure]:
    """One figure per (metric, is_plan), in catalog order: the first general statement, else the first;
    a value stated as an earlier year's, as the plan an actual count is set against, or for the township and
    its villages together, counts only when nothing else states the metric (a plans section's target for next
    year wins over 原计划60场)."""
    chosen: list[Figure] = []
    for key in catalog.keys():
        for plan in (False, True):
            group = sorted((c for c in candidates if c.figure.metric == key and c.figure.is_plan == plan),
                           key=lambda c: c.order)
            if group:
                group = [c for c in group if not c.earlier] or group
                general = [c for c in group if c.general]
                chosen.append((general or group)[0].figure)
    return chosen
