"""Writes a person makes to the warehouse outside a run: corrections of figures, overrides of a file's
metadata, acknowledgements of alerts. Each is one short transaction under the writer lock, and each keeps
who and when."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb

from warehouse.catalog_sync import township_year_sql
from warehouse.db import transaction

CORRECTION_ID_LEN = 12


@dataclass(frozen=True)
class Correction:
    report_id: str
    metric: str
    new_value: float | None      # None with removed
    qualifier: str | None
    removed: bool
    note: str | None
    created_by: str


def shown_value(con: duckdb.DuckDBPyConnection, report_id: str, metric: str) -> float | None:
    """The value the views show now (corrected, else extracted), before a new correction."""
    rows = con.execute("""
        SELECT CASE WHEN c.removed THEN NULL ELSE c.new_value END FROM v_corrections c
        WHERE c.report_id = ? AND c.metric = ?""", [report_id, metric]).fetchall()
    if rows:
        return rows[0][0]
    rows = con.execute("SELECT value FROM metrics WHERE report_id = ? AND metric = ? AND NOT is_plan",
                       [report_id, metric]).fetchall()
    return rows[0][0] if rows else None


def refresh_township_year(con: duckdb.DuckDBPyConnection) -> None:
    """Regenerate v_township_year from the catalog the warehouse holds, so it reads the corrected figures."""
    keys = [k for (k,) in con.execute("SELECT metric FROM metric_catalog ORDER BY ordinal").fetchall()]
    con.execute(township_year_sql(keys))


def add_correction(con: duckdb.DuckDBPyConnection, fix: Correction, now: datetime | None = None) -> tuple[str, float | None]:
    """Record the correction; return its id and the value shown before it."""
    correction_id = uuid.uuid4().hex[:CORRECTION_ID_LEN]
    with transaction(con):
        old = shown_value(con, fix.report_id, fix.metric)
        con.execute("INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [correction_id, fix.report_id, fix.metric, old, fix.new_value, fix.qualifier, fix.removed,
                     fix.note, fix.created_by, now or datetime.now(timezone.utc)])
        refresh_township_year(con)
    return correction_id, old


def ack_alerts(con: duckdb.DuckDBPyConnection, alert_ids: list[str], note: str | None, user: str,
               now: datetime | None = None) -> None:
    when = now or datetime.now(timezone.utc)
    con.executemany("INSERT OR REPLACE INTO alert_acks VALUES (?, ?, ?, ?)",
                    [[a, note, user, when] for a in alert_ids])
