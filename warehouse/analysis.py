"""Read-only queries over the analysis views (migration 0002) for `fazhi trends`, `report` and `export`."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

EXPORT_TABLES = ("reports", "metrics", "v_figures", "v_township_year", "alerts", "ingest_files", "runs")


@dataclass(frozen=True)
class MetricInfo:
    metric: str
    label: str
    unit: str | None


class UnknownMetric(LookupError):
    """The metric named is neither in the catalog the warehouse knows nor among its figures."""


class WarehouseOutdated(Exception):
    """The warehouse file predates the analysis views (migration 0002)."""


def require_views(con: duckdb.DuckDBPyConnection, path: object) -> None:
    """Fail clearly when the views are missing: a read-only connection cannot add them."""
    found = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'v_figures'").fetchall()[0][0]
    if not found:
        raise WarehouseOutdated(f"the warehouse {path} has no analysis views yet (it was built by an older fazhi): "
                                "run `fazhi run` once, which upgrades its schema, then try again")


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    return con.sql(sql, params=params or []).pl()


def known_metrics(con: duckdb.DuckDBPyConnection) -> list[MetricInfo]:
    """Catalog metrics in catalog order, then any metric with figures that the catalog no longer lists."""
    rows = con.execute("""
        SELECT metric, label, unit, ordinal FROM metric_catalog
        UNION ALL
        SELECT metric, metric, any_value(unit), NULL FROM v_figures
        WHERE metric NOT IN (SELECT metric FROM metric_catalog) GROUP BY metric
        ORDER BY ordinal NULLS LAST, metric""").fetchall()
    return [MetricInfo(m, label, unit) for m, label, unit, _ in rows]


def metric_info(con: duckdb.DuckDBPyConnection, metric: str) -> MetricInfo:
    for info in known_metrics(con):
        if info.metric == metric:
            return info
    names = ", ".join(i.metric for i in known_metrics(con)) or "none yet (run `fazhi run` first)"
    raise UnknownMetric(f"no metric {metric!r} in the warehouse; known metrics: {names}")


def county_trend(con: duckdb.DuckDBPyConnection, metric: str, from_year: int | None) -> pl.DataFrame:
    """v_trends for one metric: county, year, total, townships_reporting, median, min, max."""
    return _frame(con, """
        SELECT county, year, total, townships_reporting, median, min, max FROM v_trends
        WHERE metric = ? AND year >= coalesce(?, year) ORDER BY county NULLS FIRST, year""", [metric, from_year])


def township_trend(con: duckdb.DuckDBPyConnection, metric: str, from_year: int | None) -> pl.DataFrame:
    """v_yoy for one metric: county, township, year, value, prev_value, change, pct_change, report_id."""
    return _frame(con, """
        SELECT county, township, year, value, prev_value, change, pct_change, report_id FROM v_yoy
        WHERE metric = ? AND year >= coalesce(?, year) ORDER BY county NULLS FIRST, township, year""",
                  [metric, from_year])


def completeness(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return _frame(con, """
        SELECT county, township, year, metric, label, ordinal, status, value, report_id FROM v_completeness
        ORDER BY year, county NULLS FIRST, township, ordinal""")


def all_trends(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Per county, metric and year: the total (the median for a percentage), with the metric's order."""
    return _frame(con, """
        SELECT t.county, t.metric, t.label, t.unit, t.year, coalesce(t.total, t.median) AS value,
               CASE WHEN t.total IS NULL THEN '中位数' ELSE '合计' END AS measure,
               t.townships_reporting, coalesce(c.ordinal, 999999) AS ordinal
        FROM v_trends t LEFT JOIN metric_catalog c USING (metric)
        ORDER BY ordinal, t.metric, t.county NULLS FIRST, t.year""")


def figures(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return _frame(con, """
        SELECT county, township, year, metric, label, value, unit, qualifier, evidence, report_id,
               coalesce(ordinal, 999999) AS ordinal, source, extracted_value, correction_note
        FROM v_figures ORDER BY year DESC, county NULLS FIRST, township, ordinal, metric""")


def open_alerts(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Alerts still open (v_alerts): not resolved by a correction, a later file or a report received, and not
    acknowledged."""
    return _frame(con, """
        SELECT a.county, a.township, a.year, a.kind, a.metric, coalesce(c.label, a.metric) AS label,
               a.detail, a.file_name, a.report_id, a.created_at, a.sent_at, a.alert_id, a.delivery
        FROM v_alerts a LEFT JOIN metric_catalog c USING (metric)
        WHERE a.state = 'open'
        ORDER BY a.year DESC, a.county NULLS FIRST, a.township, a.kind, a.metric""")


def last_run(con: duckdb.DuckDBPyConnection) -> dict | None:
    frame = _frame(con, "SELECT * FROM v_last_run")
    return frame.row(0, named=True) if frame.height else None


def report_pages(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every current report that has figures: its metadata and normalized text (the evidence offsets' frame)."""
    return _frame(con, """
        SELECT r.report_id, r.file_name, r.county, r.township, r.year, t.text
        FROM reports r JOIN report_texts t USING (report_id)
        WHERE r.is_current AND r.report_id IN (SELECT report_id FROM v_figures)
        ORDER BY r.year, r.township""")


def report_figures(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return _frame(con, """
        SELECT report_id, metric, label, value, unit, qualifier, evidence, start_offset, end_offset,
               coalesce(ordinal, 999999) AS ordinal, source, extracted_value, correction_note
        FROM v_figures ORDER BY report_id, ordinal, metric""")


def table(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    if name not in EXPORT_TABLES:
        raise ValueError(f"{name} is not one of the exported tables {EXPORT_TABLES}")
    return _frame(con, f"SELECT * FROM {name}")
