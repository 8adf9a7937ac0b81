"""Write one run's results in a single transaction: all of it lands, or none of it does."""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import polars as pl

from warehouse.catalog_sync import Reference, sync_reference
from warehouse.db import transaction


def _report_key(alias: str) -> str:
    """SQL for the identity of a report: a township's report for one year, in one county."""
    return f"coalesce({alias}.county, '') || '|' || {alias}.township || '|' || CAST({alias}.year AS VARCHAR)"


@dataclass
class RunRecord:
    run_id: str
    flow_run_id: str | None
    started_at: datetime
    inbox: str
    files_seen: int
    files_new: int
    files_duplicate: int
    files_quarantined: int
    pid: int = field(default_factory=os.getpid)
    host: str = field(default_factory=socket.gethostname)


@dataclass
class LoadStats:
    reports_loaded: int
    reports_superseded: int
    figures_loaded: int
    figures_rejected: int
    alerts_raised: int


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, extra: dict[str, str]) -> None:
    """INSERT the frame's columns (plus constant SQL expressions in `extra`) into `table`."""
    if frame.is_empty():
        return
    con.register("_frame", frame)
    cols = list(frame.columns) + list(extra)
    exprs = [f'"{c}"' for c in frame.columns] + list(extra.values())
    keyed = con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = ? "
                        "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')", [table]).fetchall()[0][0]
    verb = "INSERT OR IGNORE" if keyed else "INSERT"   # DuckDB 2 refuses OR IGNORE on a table with no key
    con.execute(f"{verb} INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM _frame")
    con.unregister("_frame")


def _replace_reviewed(con: duckdb.DuckDBPyConnection, ingest: pl.DataFrame) -> None:
    """A file read again (it waited for review) replaces its earlier ingest row and pending figures."""
    if ingest.is_empty():
        return
    con.register("_again", ingest.select("path", "sha256"))
    con.execute("DELETE FROM pending_metrics WHERE sha256 IN (SELECT sha256 FROM _again)")
    con.execute("DELETE FROM ingest_files i USING _again a WHERE i.path = a.path AND i.sha256 = a.sha256")
    con.unregister("_again")


def _supersede(con: duckdb.DuckDBPyConnection, new_reports: pl.DataFrame, now: datetime) -> int:
    """Mark older versions of each new report's (county, township, year) as no longer current."""
    if new_reports.is_empty():
        return 0
    con.register("_new", new_reports.select("report_id", "county", "township", "year", "seq"))
    stale = con.execute(f"""
        WITH newest AS (
            SELECT n.report_id AS newest_id, {_report_key("n")} AS k FROM _new n
            QUALIFY row_number() OVER (PARTITION BY {_report_key("n")} ORDER BY n.seq DESC) = 1
        )
        SELECT r.report_id, newest.newest_id FROM reports r JOIN newest ON {_report_key("r")} = newest.k
        WHERE r.is_current AND r.report_id <> newest.newest_id
    """).fetchall()
    con.unregister("_new")
    for old_id, newest_id in stale:
        con.execute("UPDATE reports SET is_current = false, superseded_by = ?, superseded_at = ? WHERE report_id = ?",
                    [newest_id, now, old_id])
        con.execute("UPDATE ingest_files SET status = 'superseded' WHERE report_id = ? AND status = 'loaded'", [old_id])
    return len(stale)


def load_run(con: duckdb.DuckDBPyConnection, run: RunRecord, *, reports: pl.DataFrame, figures: pl.DataFrame,
             sections: pl.DataFrame, ingest: pl.DataFrame, rejected: pl.DataFrame, dq_results: pl.DataFrame,
             alerts: pl.DataFrame, finished_at: datetime, reference: Reference | None = None,
             pending: pl.DataFrame | None = None) -> LoadStats:
    """Load everything of one run, then record the run, inside one transaction.

    `reference` (catalog, required metrics, roster) refreshes metric_catalog, roster and v_township_year."""
    rid = f"'{run.run_id}'"
    now = f"TIMESTAMPTZ '{finished_at.isoformat()}'"
    with transaction(con):
        _insert(con, "reports", reports.drop("text", "size_bytes", "seq"),
                {"is_current": "true", "run_id": rid, "loaded_at": now})
        _insert(con, "report_texts", reports.select("report_id", "text"), {})
        _replace_reviewed(con, ingest)
        _insert(con, "ingest_files", ingest, {"run_id": rid, "seen_at": now})
        if pending is not None:
            _insert(con, "pending_metrics", pending, {"run_id": rid})
        superseded = _supersede(con, reports, finished_at)
        _insert(con, "sections", sections, {})
        _insert(con, "metrics", figures, {"run_id": rid})
        _insert(con, "rejected_metrics", rejected, {"run_id": rid})
        _insert(con, "dq_results", dq_results, {"run_id": rid, "evaluated_at": now})
        before = con.execute("SELECT count(*) FROM alerts").fetchall()[0][0]
        _insert(con, "alerts", alerts, {"run_id": rid, "created_at": now})
        raised = con.execute("SELECT count(*) FROM alerts").fetchall()[0][0] - before
        stats = LoadStats(reports.height, superseded, figures.height, rejected.height, raised)
        if reference is not None:
            sync_reference(con, reference)
        record_run(con, run, "completed", finished_at, stats, None)
    return stats


_RUN_COLUMNS = ("run_id", "flow_run_id", "started_at", "finished_at", "status", "inbox", "files_seen", "files_new",
                "files_duplicate", "files_quarantined", "reports_loaded", "reports_superseded", "figures_loaded",
                "figures_rejected", "alerts_raised", "error", "pid", "host")


def record_run(con: duckdb.DuckDBPyConnection, run: RunRecord, status: str, finished_at: datetime | None,
               stats: LoadStats | None, error: str | None) -> None:
    s = stats or LoadStats(0, 0, 0, 0, 0)
    con.execute(
        f"INSERT OR REPLACE INTO runs ({', '.join(_RUN_COLUMNS)}) VALUES ({', '.join('?' * len(_RUN_COLUMNS))})",
        [run.run_id, run.flow_run_id, run.started_at, finished_at, status, run.inbox, run.files_seen,
         run.files_new, run.files_duplicate, run.files_quarantined, s.reports_loaded, s.reports_superseded,
         s.figures_loaded, s.figures_rejected, s.alerts_raised, error, run.pid, run.host],
    )


def begin_run(con: duckdb.DuckDBPyConnection, run: RunRecord) -> list[str]:
    """Record `run` as `running` (committed at once), after marking as `crashed` every run still `running`:
    the caller holds the writer lock, so such a run's process is gone. Returns the crashed runs' ids."""
    with transaction(con):
        crashed = _mark_crashed(con)
        record_run(con, run, "running", None, None, None)
    return crashed


def _mark_crashed(con: duckdb.DuckDBPyConnection) -> list[str]:
    crashed = [r[0] for r in con.execute("SELECT run_id FROM runs WHERE status = 'running'").fetchall()]
    con.execute("""
        UPDATE runs SET status = 'crashed',
               error = 'the run ended without finishing (process ' || coalesce(CAST(pid AS VARCHAR), '?') ||
                       ' on ' || coalesce(host, '?') || ' was killed, or the machine stopped); nothing of it '
                       || 'was loaded and the next run read its files again'
        WHERE status = 'running'""")
    return crashed
