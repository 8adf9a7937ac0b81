"""Compare what the warehouse holds with what the generator wrote: a cheap sanity check of extraction.

Figures are matched on (file, metric, is_plan) with an equal value; precision counts every figure the
warehouse holds for a generated report, recall every expected one. Metadata is compared per report.
The counting and P/R/F1 are the project's one scorer, transforms/evaluate.py (also behind `fazhi eval`).
"""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb

from transforms.evaluate import MetricScore, count_matches

STATUS_OF = {"report": "loaded", "quarantined": "quarantined", "duplicate": "duplicate"}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _prf(expected: dict[tuple, float], got: dict[tuple, float]) -> dict[str, Any]:
    m = count_matches(expected, got)
    return {"expected": len(expected), "extracted": len(got), "correct": m.tp, "precision": round(m.precision, 4),
            "recall": round(m.recall, 4), "f1": round(m.f1, 4)}


def _warehouse(db: Path) -> tuple[dict[str, str], dict[str, tuple], list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        status = dict(con.sql("SELECT path, status FROM ingest_files").fetchall())
        meta = {r[0]: r[1:] for r in con.sql(
            "SELECT path, township, county, city, year FROM reports WHERE is_current").fetchall()}
        figures = con.sql("""SELECT r.path, m.metric, m.is_plan, m.value, m.qualifier
                             FROM metrics m JOIN reports r USING (report_id) WHERE r.is_current""").fetchall()
    finally:
        con.close()
    return status, meta, figures


def score(workdir: Path, db: Path) -> dict[str, Any]:
    """Extraction scores of the run in `db` against workdir/expected*.csv."""
    reports = _read_csv(workdir / "expected_reports.csv")
    expected_rows = _read_csv(workdir / "expected.csv")
    status, meta, figures = _warehouse(db)
    files_ok = sum(status.get(r["file"]) == STATUS_OF[r["status"]] for r in reports)
    loaded = [r for r in reports if r["status"] == "report" and r["file"] in meta]
    fields = ("township", "county", "city", "year")
    meta_ok = Counter()
    for r in loaded:
        got = dict(zip(fields, meta[r["file"]]))
        for f in fields:
            meta_ok[f] += str(got[f] if got[f] is not None else "") == r[f]
    generated = {r["file"] for r in reports if r["status"] == "report"}
    exp = {(r["file"], r["metric"], r["is_plan"] == "true"): float(r["value"]) for r in expected_rows}
    exp_q = {(r["file"], r["metric"], r["is_plan"] == "true"): r["qualifier"] for r in expected_rows}
    got = {(p, m, bool(plan)): v for p, m, plan, v, _ in figures if p in generated}
    got_q = {(p, m, bool(plan)): q for p, m, plan, _, q in figures if p in generated}
    matched = [k for k in got if k in exp and abs(exp[k] - got[k]) < 1e-6]
    return {
        "files_with_expected_status": f"{files_ok}/{len(reports)}",
        "metadata_accuracy": {f: round(meta_ok[f] / len(loaded), 4) if loaded else 0.0 for f in fields},
        "results": _prf({k: v for k, v in exp.items() if not k[2]}, {k: v for k, v in got.items() if not k[2]}),
        "plans": _prf({k: v for k, v in exp.items() if k[2]}, {k: v for k, v in got.items() if k[2]}),
        "qualifier_agreement": round(sum(got_q[k] == exp_q[k] for k in matched) / len(matched), 4) if matched else 0.0,
        "worst_metrics": _worst(exp, got),
    }


def _worst(exp: dict[tuple, float], got: dict[tuple, float], top: int = 5) -> list[dict[str, Any]]:
    """The result metrics with the lowest F1: where the extractor and the generator disagree most."""
    metrics = {key[1] for key in set(exp) | set(got) if not key[2]}
    rows = []
    for metric in metrics:
        m: MetricScore = count_matches({k: v for k, v in exp.items() if k[1] == metric and not k[2]},
                                       {k: v for k, v in got.items() if k[1] == metric and not k[2]})
        rows.append({"metric": metric, "expected": m.tp + m.fn, "extracted": m.tp + m.fp, "correct": m.tp,
                     "f1": round(m.f1, 3)})
    return sorted(rows, key=lambda x: x["f1"])[:top]
