"""The data-quality gate between extraction and load (interface used by flows/nightly.py).

The suites of expectations/suites.py run on pandas views of the batch (expectations/views.py) in one GX
context per process. What they report unexpected decides the batch's fate:
  reports   a report failing a check keeps its row (lineage) but none of its figures load;
  figures   a figure failing a check (or the consistency of its report) is rejected, not loaded;
  complete  a required metric a report does not state is `missing` (one missing_figure alert each).
Every expectation evaluated becomes a dq_results row.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import polars as pl

from expectations import context
from expectations.suites import (COMPLETENESS, CONSISTENCY, FIGURES, REPORTS, GateRules, completeness_suite,
                                 consistency_suite, figures_suite, reports_suite)
from expectations.views import figures_view, per_report_view, reports_view

DQ_SCHEMA = {"suite": pl.String, "expectation": pl.String, "expectation_type": pl.String,
             "column_name": pl.String, "success": pl.Boolean, "element_count": pl.Int64,
             "unexpected_count": pl.Int64, "sample": pl.String}
REJECTED_COLUMNS = ("report_id", "metric", "value", "unit", "qualifier", "is_plan", "evidence", "start_offset",
                    "end_offset")
SAMPLE_SIZE = 5  # unexpected rows kept per expectation in dq_results.sample (the Data Docs show the rest)


class GateError(Exception):
    """The gate cannot run: its configuration names unknown metrics, or GX could not evaluate an expectation."""


@dataclass
class GateResult:
    figures: pl.DataFrame      # figures fit to load
    rejected: pl.DataFrame     # figures that failed, with column `expectation`
    dq_results: pl.DataFrame   # one row per expectation evaluated (DQ_SCHEMA)
    missing: pl.DataFrame      # report_id, metric: required figures a report lacks
    docs_index: Path | None = None  # the Data Docs page of this validation


@dataclass(frozen=True)
class Unexpected:
    """The rows one failed expectation flagged, by the key columns of its view."""

    suite: str
    check: str
    meta: dict[str, Any]
    keys: list[dict[str, Any]]


def rules_from(*, catalog_keys: Iterable[str], required: Iterable[str], current_year: int,
               percent_metrics: Iterable[str] = (), upper_bounds: Mapping[str, float] | None = None,
               quality: Mapping[str, Any] | None = None) -> GateRules:
    """GateRules from the catalog and the config's [quality] section (missing keys keep GateRules' defaults)."""
    q = dict(quality or {})
    extra: dict[str, Any] = {}
    if "first_year" in q:
        extra["first_year"] = int(q["first_year"])
    if "township_suffixes" in q:
        extra["township_suffixes"] = tuple(q["township_suffixes"])
    if "part_of" in q:
        extra["part_of"] = tuple((str(p), str(t)) for p, t in q["part_of"])
        unknown = sorted({m for pair in extra["part_of"] for m in pair} - set(catalog_keys))
        if unknown:
            raise GateError(f"fazhi.toml [quality] part_of names {', '.join(unknown)}, not in the metric catalog: "
                            "fix the key there or add the metric to metrics.toml")
    return GateRules(catalog_keys=tuple(catalog_keys), required=tuple(required), current_year=current_year,
                     percent_metrics=frozenset(percent_metrics), upper_bounds=dict(upper_bounds or {}), **extra)


def run_gate(reports: pl.DataFrame, figures: pl.DataFrame, *, catalog_keys: list[str], required: list[str],
             current_year: int, docs_dir: Path, percent_metrics: Iterable[str] = (),
             upper_bounds: Mapping[str, float] | None = None,
             quality: Mapping[str, Any] | None = None) -> GateResult:
    """Validate one batch; split its figures into loadable and rejected; find the required figures missing."""
    rules = rules_from(catalog_keys=catalog_keys, required=required, current_year=current_year,
                       percent_metrics=percent_metrics, upper_bounds=upper_bounds, quality=quality)
    context.forget_results()
    results = {
        REPORTS: context.validate(REPORTS, reports_view(reports), reports_suite(rules),
                                  ["row", "report_id", "township", "year"]),
        FIGURES: context.validate(FIGURES, figures_view(figures, rules), figures_suite(rules),
                                  ["row", "report_id", "metric"]),
        COMPLETENESS: context.validate(COMPLETENESS, per_report_view(reports, figures, list(rules.required)),
                                       completeness_suite(rules), ["report_id"]),
    }
    if rules.part_of:
        metrics = list(dict.fromkeys(m for pair in rules.part_of for m in pair))
        results[CONSISTENCY] = context.validate(CONSISTENCY, per_report_view(reports, figures, metrics),
                                                consistency_suite(rules), ["report_id"])
    docs_index = context.build_docs(docs_dir)
    failures = [u for suite, res in results.items() for u in _unexpected(suite, res)]
    verdict = _figure_verdicts(figures, failures)
    flagged = figures.with_row_index("row").join(verdict, on="row", how="left", maintain_order="left")
    passed = flagged.filter(pl.col("expectation").is_null()).drop("row", "expectation")
    rejected = flagged.filter(pl.col("expectation").is_not_null()).select(*REJECTED_COLUMNS, "expectation")
    return GateResult(passed, rejected, _dq_rows(results), _missing(failures), docs_index)


def _unexpected(suite: str, result: Any) -> list[Unexpected]:
    out = []
    for r in result.results:
        cfg = r.expectation_config
        if r.exception_info and r.exception_info.get("raised_exception"):
            raise GateError(f"GX could not evaluate {cfg.type} ({cfg.meta.get('check')}) of suite {suite}: "
                            f"{r.exception_info.get('exception_message')}; this is a bug in expectations/")
        if not r.success:
            keys = list(r.result.get("unexpected_index_list") or [])
            out.append(Unexpected(suite, cfg.meta["check"], dict(cfg.meta), keys))
    return out


def _figure_verdicts(figures: pl.DataFrame, failures: list[Unexpected]) -> pl.DataFrame:
    """row → the first check each rejected figure failed: its report's, then its own, then consistency."""
    indexed = figures.with_row_index("row").select("row", "report_id", "metric", "is_plan")
    by_report = pl.DataFrame([{"report_id": k["report_id"], "expectation": u.check}
                              for u in failures if u.suite == REPORTS for k in u.keys],
                             schema={"report_id": pl.String, "expectation": pl.String})
    by_row = pl.DataFrame([{"row": int(k["row"]), "expectation": u.check}
                           for u in failures if u.suite == FIGURES for k in u.keys],
                          schema={"row": pl.UInt32, "expectation": pl.String})
    by_metric = pl.DataFrame([{"report_id": k["report_id"], "metric": u.meta["part"], "expectation": u.check}
                              for u in failures if u.suite == CONSISTENCY for k in u.keys],
                             schema={"report_id": pl.String, "metric": pl.String, "expectation": pl.String})
    ranked = pl.concat([
        indexed.join(by_report, on="report_id").select("row", "expectation"),
        by_row,
        indexed.filter(~pl.col("is_plan")).join(by_metric, on=["report_id", "metric"]).select("row", "expectation"),
    ])
    return ranked.unique("row", keep="first", maintain_order=True)


def _missing(failures: list[Unexpected]) -> pl.DataFrame:
    rows = [{"report_id": key["report_id"], "metric": u.meta["metric"]}
            for u in failures if u.suite == COMPLETENESS and u.check == "required_metric_present" for key in u.keys]
    return pl.DataFrame(rows, schema={"report_id": pl.String, "metric": pl.String})


def _column_name(kwargs: dict[str, Any]) -> str | None:
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    if "column_list" in kwargs:
        return ",".join(kwargs["column_list"])
    return None


def _plain(value: Any) -> Any:
    """numpy scalars and other GX leftovers as JSON-friendly values."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def _dq_rows(results: dict[str, Any]) -> pl.DataFrame:
    rows = []
    for suite, res in results.items():
        for r in res.results:
            cfg = r.expectation_config
            keys = (r.result.get("unexpected_index_list") or [])[:SAMPLE_SIZE]
            sample = [{k: _plain(v) for k, v in key.items() if k != "row"} for key in keys]
            rows.append({"suite": suite, "expectation": cfg.meta["check"], "expectation_type": cfg.type,
                         "column_name": _column_name(cfg.kwargs), "success": bool(r.success),
                         "element_count": r.result.get("element_count"),
                         "unexpected_count": r.result.get("unexpected_count"),
                         "sample": json.dumps(sample, ensure_ascii=False) if sample else None})
    return pl.DataFrame(rows, schema=DQ_SCHEMA)
