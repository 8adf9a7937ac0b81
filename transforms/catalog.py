"""The metric catalog (metrics.toml) as typed data: keys, labels, units and the words that name each metric.

County staff edit the TOML file, never Python; this module only reads and validates it, so a typo is
reported with the file, the metric and the key that is wrong.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_KEY = re.compile(r"[a-z][a-z0-9_]*")
_METRIC_FIELDS = {
    "key": str, "label": str, "unit": str, "category": str, "units": list, "triggers": list,
    "weak_triggers": list, "exclusions": list, "zero_terms": list, "sums": bool, "single_body": bool,
    "named_role": str,
}
_REQUIRED = ("key", "label", "unit", "category", "units", "triggers")
_RULE_FIELDS = {
    "negation_before": list, "zero_after": list, "zero_gap_blockers": list, "negation_gap": int,
    "part_markers": list,
    "each_marker": str, "each_not_before": list, "list_breakers": list, "general_markers": list,
    "coordinators": list, "named_verbs": list, "change_words": list, "earlier_year_words": list,
    "total_markers": list, "planned_markers": list, "actual_markers": list, "lower_level_markers": list,
    "frequency_words": list, "umbrella_marker": str, "umbrella_nouns": list, "common_word_freq": int,
    "narrowing_after": list, "other_bodies": list, "grand_total_markers": list, "document_words": list,
    "distributive_words": list, "next_clause_lead": int, "content_verbs": list,
}
TRIGGER_JOIN = "+"


class CatalogError(ValueError):
    """The catalog file cannot be used; the message names the file, the metric and the key."""


@dataclass(frozen=True)
class Trigger:
    """A phrase naming a metric: parts that must appear in order, the last one near the number."""

    parts: tuple[str, ...]
    weak: bool = False

    @property
    def length(self) -> int:
        return sum(len(p) for p in self.parts)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    category: str
    units: tuple[str, ...]
    triggers: tuple[Trigger, ...]
    exclusions: tuple[str, ...] = ()
    zero_terms: tuple[str, ...] = ()
    sums: bool = False
    single_body: bool = False
    named_role: str = ""


@dataclass(frozen=True)
class Rules:
    """Extraction rules shared by every metric (the [rules] table)."""

    negation_before: tuple[str, ...] = ()
    zero_after: tuple[str, ...] = ()
    zero_gap_blockers: tuple[str, ...] = ()
    negation_gap: int = 25
    part_markers: tuple[str, ...] = ("其中",)
    each_marker: str = "各"
    each_not_before: tuple[str, ...] = ()
    list_breakers: tuple[str, ...] = ()
    general_markers: tuple[str, ...] = ()
    coordinators: tuple[str, ...] = ("、", "和", "及", "与")
    named_verbs: tuple[str, ...] = ("担任", "为")
    change_words: tuple[str, ...] = ()
    earlier_year_words: tuple[str, ...] = ()
    total_markers: tuple[str, ...] = ()
    planned_markers: tuple[str, ...] = ()
    actual_markers: tuple[str, ...] = ()
    lower_level_markers: tuple[str, ...] = ()
    frequency_words: tuple[str, ...] = ()
    narrowing_after: tuple[str, ...] = ()   # 行政复议变更…案件: the negation is of those cases, not of all
    other_bodies: tuple[str, ...] = ()      # 中心组学习内容和公职人员学法内容…12次: the count is not the body's own
    umbrella_marker: str = "等"
    umbrella_nouns: tuple[str, ...] = ()
    common_word_freq: int = 100
    grand_total_markers: tuple[str, ...] = ()  # 累计: the year's whole total, over totals of a part (共…30场)
    document_words: tuple[str, ...] = ()       # 普法规划, 普法责任制: a trigger naming a plan or a system
    distributive_words: tuple[str, ...] = ()   # 均: 各科室均有2名以上 is each body's count, not a total
    next_clause_lead: int = 2                  # 召开专题会议4次，研究部署法治…4项: how far in its purpose starts
    content_verbs: tuple[str, ...] = ()        # 宪法、民法典纳入中心组…: the list is what is studied, not bodies


@dataclass(frozen=True)
class Catalog:
    metrics: tuple[Metric, ...]
    rules: Rules = field(default_factory=Rules)

    def keys(self) -> list[str]:
        return [m.key for m in self.metrics]

    def metric(self, key: str) -> Metric:
        for m in self.metrics:
            if m.key == key:
                return m
        raise KeyError(f"no metric {key!r} in the catalog")

    def label(self, key: str) -> str:
        return self.metric(key).label

    def unit(self, key: str) -> str:
        return self.metric(key).unit

    def words(self) -> set[str]:
        """Every phrase the catalog names: the segmenter keeps each one a single token."""
        out: set[str] = set()
        for m in self.metrics:
            for t in m.triggers:
                out.update(t.parts)
            out.update(m.exclusions)
            out.update(m.zero_terms)
        return {w for w in out if len(w) > 1}

    @classmethod
    def from_toml(cls, text: str, source: str = "metrics.toml") -> "Catalog":
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(f"{source}: not valid TOML ({exc}); fix the line named") from None
        return _build(raw, source)


def load_catalog(path: Path) -> Catalog:
    """Read and validate the catalog file at `path`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(f"metric catalog {path} does not exist: set [paths] catalog in fazhi.toml "
                           "to the metrics.toml file") from None
    return Catalog.from_toml(text, str(path))


def _build(raw: dict[str, Any], source: str) -> Catalog:
    unknown = set(raw) - {"rules", "metric"}
    if unknown:
        raise CatalogError(f"{source}: unknown table(s) {sorted(unknown)}; only [rules] and [[metric]] are allowed")
    entries = raw.get("metric")
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"{source}: no [[metric]] entries; the catalog needs at least one metric")
    metrics = [_metric(entry, i, source) for i, entry in enumerate(entries, 1)]
    seen: set[str] = set()
    for m in metrics:
        if m.key in seen:
            raise CatalogError(f"{source}: metric key {m.key!r} appears twice; every key must be unique")
        seen.add(m.key)
    return Catalog(metrics=tuple(metrics), rules=_rules(raw.get("rules", {}), source))


def _checked(table: dict[str, Any], fields: dict[str, type], where: str) -> None:
    for name, value in table.items():
        if name not in fields:
            raise CatalogError(f"{where}: unknown field {name!r}; allowed fields are {', '.join(fields)}")
        expected = fields[name]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise CatalogError(f"{where}: field {name!r} must be a {expected.__name__}, not {value!r}")
        if expected is list and not all(isinstance(v, str) and v.strip() for v in value):
            raise CatalogError(f"{where}: field {name!r} must list non-empty phrases (strings)")


def _metric(entry: Any, index: int, source: str) -> Metric:
    if not isinstance(entry, dict):
        raise CatalogError(f"{source}: [[metric]] number {index} is not a table")
    where = f"{source}: metric {entry.get('key', f'number {index}')!r}"
    _checked(entry, _METRIC_FIELDS, where)
    for name in _REQUIRED:
        if name not in entry or entry[name] in ("", []):
            raise CatalogError(f"{where}: field {name!r} is missing or empty; every metric needs "
                               f"{', '.join(_REQUIRED)}")
    if not _KEY.fullmatch(entry["key"]):
        raise CatalogError(f"{where}: key must be lower_snake_case ASCII (like publicity_events)")
    triggers = [_trigger(t, False, where) for t in entry["triggers"]]
    triggers += [_trigger(t, True, where) for t in entry.get("weak_triggers", [])]
    return Metric(
        key=entry["key"], label=entry["label"], unit=entry["unit"], category=entry["category"],
        units=tuple(entry["units"]), triggers=tuple(triggers), exclusions=tuple(entry.get("exclusions", [])),
        zero_terms=tuple(entry.get("zero_terms", [])), sums=entry.get("sums", False),
        single_body=entry.get("single_body", False), named_role=entry.get("named_role", ""),
    )


def _trigger(text: str, weak: bool, where: str) -> Trigger:
    parts = tuple(p.strip() for p in text.split(TRIGGER_JOIN))
    if not all(parts):
        raise CatalogError(f"{where}: trigger {text!r} has an empty part; write parts as 专题研究+法治")
    return Trigger(parts=parts, weak=weak)


def _rules(table: Any, source: str) -> Rules:
    if not isinstance(table, dict):
        raise CatalogError(f"{source}: [rules] must be a table")
    _checked(table, _RULE_FIELDS, f"{source}: [rules]")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in table.items()}
    return Rules(**values)
