"""Score extracted figures against gold rows (pure: rows in, scores out).

Gold has the format of /work/shared/gold (README there): per file the metadata, the result figures
(`value` or any of `alt_values` is right), optional figures (neither required nor a false hit when
their value is one the gold accepts) and plan figures (which must not come back as results).

A hit is the same file, metric and an accepted value. A result with a wrong value is both a miss and
a false hit. Plan leakage counts gold plan figures returned as results (unless the same value is
also a gold result). The evidence check asks that each figure's evidence is the text at its offsets
and holds every stated part (or the negation).
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from transforms.model import Extraction, Figure

META_FIELDS = ("township", "county", "city", "year")
# The thresholds of "done" in issue 3, apart from F1 (which the caller passes).
MIN_QUALIFIER_ACCURACY = 0.95
MIN_METADATA_ACCURACY = 1.0
MAX_PLAN_LEAKAGE = 0


@dataclass(frozen=True)
class GoldFigure:
    file: str
    metric: str
    values: tuple[float, ...]  # the gold value first, then the alternatives
    qualifier: str = "exact"


@dataclass(frozen=True)
class Gold:
    reports: dict[str, dict[str, str | int | None]]     # file -> metadata
    results: list[GoldFigure]
    optional: list[GoldFigure] = ()
    plans: list[GoldFigure] = ()


@dataclass(frozen=True)
class Finding:
    """A miss or a false hit, with what was expected and what was found."""

    file: str
    metric: str
    expected: str
    found: str
    evidence: str


@dataclass
class MetricScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def count_matches(expected: Mapping[Hashable, float], found: Mapping[Hashable, float]) -> MetricScore:
    """Hits, false hits and misses of keyed values: a hit is a key found with the expected value."""
    tp = sum(1 for key, value in found.items() if key in expected and _same(expected[key], value))
    return MetricScore(tp=tp, fp=len(found) - tp, fn=len(expected) - tp)


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


@dataclass
class Score:
    per_metric: dict[str, MetricScore]
    overall: MetricScore
    metadata: dict[str, tuple[int, int]]        # field -> (right, total)
    metadata_errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # file, field, gold, found
    qualifier: tuple[int, int] = (0, 0)         # (right, hits)
    qualifier_errors: list[Finding] = field(default_factory=list)
    plan_leaks: list[Finding] = field(default_factory=list)
    evidence_errors: list[Finding] = field(default_factory=list)
    misses: list[Finding] = field(default_factory=list)
    false_hits: list[Finding] = field(default_factory=list)
    files: int = 0

    @property
    def qualifier_accuracy(self) -> float:
        right, total = self.qualifier
        return right / total if total else 1.0

    def metadata_accuracy(self, name: str) -> float:
        right, total = self.metadata[name]
        return right / total if total else 1.0

    def passes(self, min_f1: float) -> bool:
        return (self.overall.f1 >= min_f1
                and all(self.metadata_accuracy(f) >= MIN_METADATA_ACCURACY for f in META_FIELDS)
                and len(self.plan_leaks) <= MAX_PLAN_LEAKAGE
                and self.qualifier_accuracy >= MIN_QUALIFIER_ACCURACY
                and not self.evidence_errors)


def score(gold: Gold, extracted: dict[str, Extraction], texts: dict[str, str], metric_keys: list[str]) -> Score:
    """Compare `extracted` (file -> Extraction of its text in `texts`) with `gold`."""
    keys = list(metric_keys) + sorted({g.metric for g in gold.results} - set(metric_keys))
    result = Score(per_metric={k: MetricScore() for k in keys}, overall=MetricScore(),
                   metadata={f: (0, 0) for f in META_FIELDS}, files=len(gold.reports))
    for file in sorted(gold.reports):
        ex = extracted.get(file) or Extraction(None, None, None, None)
        _metadata(result, file, gold.reports[file], ex)
        _figures(result, gold, file, ex)
        _evidence(result, file, ex, texts.get(file, ""))
    for s in result.per_metric.values():
        result.overall.tp += s.tp
        result.overall.fp += s.fp
        result.overall.fn += s.fn
    return result


def _metadata(result: Score, file: str, gold_meta: dict, ex: Extraction) -> None:
    for name in META_FIELDS:
        want, got = _norm(gold_meta.get(name)), _norm(getattr(ex, name))
        right, total = result.metadata[name]
        result.metadata[name] = (right + (want == got), total + 1)
        if want != got:
            result.metadata_errors.append((file, name, want, got))


def _norm(value) -> str:
    return "" if value is None else str(value).strip()


def _fmt(value: float) -> str:
    return f"{value:g}"


def _figures(result: Score, gold: Gold, file: str, ex: Extraction) -> None:
    found = {f.metric: f for f in ex.figures if not f.is_plan}
    wanted = {g.metric: g for g in gold.results if g.file == file}
    optional = {g.metric: g for g in gold.optional if g.file == file}
    for metric, g in wanted.items():
        score_ = result.per_metric.setdefault(metric, MetricScore())
        f = found.get(metric)
        if f is not None and _accepts(g, f.value):
            score_.tp += 1
            _qualifier(result, g, f)
            continue
        score_.fn += 1
        result.misses.append(Finding(file, metric, _fmt(g.values[0]), _fmt(f.value) if f else "-",
                                     f.evidence if f else ""))
        if f is not None:
            score_.fp += 1
            result.false_hits.append(Finding(file, metric, _fmt(g.values[0]), _fmt(f.value), f.evidence))
    for metric, f in found.items():
        if metric in wanted or (metric in optional and _accepts(optional[metric], f.value)):
            continue
        result.per_metric.setdefault(metric, MetricScore()).fp += 1
        expected = _fmt(optional[metric].values[0]) + " (optional)" if metric in optional else "-"
        result.false_hits.append(Finding(file, metric, expected, _fmt(f.value), f.evidence))
    _plans(result, gold, file, found, wanted)


def _accepts(g: GoldFigure, value: float) -> bool:
    return any(_same(v, value) for v in g.values)


def _qualifier(result: Score, g: GoldFigure, f: Figure) -> None:
    right, total = result.qualifier
    ok = f.qualifier == g.qualifier
    result.qualifier = (right + ok, total + 1)
    if not ok:
        result.qualifier_errors.append(Finding(g.file, g.metric, g.qualifier, f.qualifier, f.evidence))


def _plans(result: Score, gold: Gold, file: str, found: dict[str, Figure], wanted: dict[str, GoldFigure]) -> None:
    for p in (p for p in gold.plans if p.file == file):
        f = found.get(p.metric)
        if f is None or not _accepts(p, f.value):
            continue
        if p.metric in wanted and _accepts(wanted[p.metric], f.value):
            continue
        result.plan_leaks.append(Finding(file, p.metric, "plan " + _fmt(p.values[0]), _fmt(f.value), f.evidence))


def _evidence(result: Score, file: str, ex: Extraction, text: str) -> None:
    for f in ex.figures:
        problem = evidence_problem(f, text)
        if problem:
            result.evidence_errors.append(Finding(file, f.metric, problem, _fmt(f.value), f.evidence))


def evidence_problem(f: Figure, text: str) -> str:
    """Why a figure's evidence cannot be checked in one click ('' when it can)."""
    if not f.evidence or text[f.start:f.end] != f.evidence:
        return "evidence is not the text at its offsets"
    if not f.parts:
        return "no stated number or negation kept"
    for part in f.parts:
        if not (f.start <= part.start < part.end <= f.end) or text[part.start:part.end] != part.text:
            return f"part {part.text!r} is not inside the evidence"
    return ""
