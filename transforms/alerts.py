"""Alert rows from what the gate found: a stable id per (kind, county, township, year, metric)."""
from __future__ import annotations

import hashlib

import polars as pl

ALERTS_SCHEMA = {"alert_id": pl.String, "report_id": pl.String, "township": pl.String, "county": pl.String,
                 "year": pl.Int32, "kind": pl.String, "metric": pl.String, "detail": pl.String,
                 "file_name": pl.String}


def alert_id(kind: str, county: str | None, township: str, year: int | None, metric: str | None) -> str:
    """The same thing alerted twice gets the same id, so it is stored and sent once."""
    key = "|".join([kind, county or "", township, str(year or ""), metric or ""])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def figure_alerts(reports: pl.DataFrame, missing: pl.DataFrame, rejected: pl.DataFrame) -> pl.DataFrame:
    """missing_figure for each required figure a report lacks; dq_failure for each rejected figure."""
    meta = reports.select("report_id", "township", "county", "year", "file_name")
    rows = []
    for kind, frame, detail_col in (("missing_figure", missing, None), ("dq_failure", rejected, "expectation")):
        for r in frame.join(meta, on="report_id").iter_rows(named=True):
            rows.append({"alert_id": alert_id(kind, r["county"], r["township"], r["year"], r["metric"]),
                         "report_id": r["report_id"], "township": r["township"], "county": r["county"],
                         "year": r["year"], "kind": kind, "metric": r["metric"],
                         "detail": r[detail_col] if detail_col else None, "file_name": r["file_name"]})
    return pl.DataFrame(rows, schema=ALERTS_SCHEMA).unique("alert_id", keep="first", maintain_order=True)
