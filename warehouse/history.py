"""Reading the run history (`runs`): the newest runs and when data last arrived."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

RUN_COLUMNS = ("run_id", "flow_run_id", "started_at", "finished_at", "status", "inbox", "files_seen", "files_new",
               "files_duplicate", "files_quarantined", "reports_loaded", "reports_superseded", "figures_loaded",
               "figures_rejected", "alerts_raised", "error")


def last_runs(con: duckdb.DuckDBPyConnection, limit: int) -> list[dict[str, Any]]:
    """The newest `limit` runs, newest first, as dicts keyed by the `runs` columns."""
    rows = con.execute(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs ORDER BY started_at DESC LIMIT ?",
                       [limit]).fetchall()
    return [dict(zip(RUN_COLUMNS, r)) for r in rows]


def last_arrival(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the last run that loaded at least one report finished: when data last arrived."""
    return con.execute("SELECT max(finished_at) FROM runs WHERE status = 'completed' AND reports_loaded > 0"
                       ).fetchone()[0]
