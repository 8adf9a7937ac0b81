"""missing_report alerts: the rostered townships whose report for last year is overdue (I/O around the pure rule)."""
from __future__ import annotations

from datetime import datetime, timezone

import polars as pl

from settings.config import Config
from transforms.alerts import ALERTS_SCHEMA, missing_report_alerts
from warehouse.db import connect_writer


def overdue_reports(cfg: Config, batch: pl.DataFrame, now: datetime | None = None) -> pl.DataFrame:
    """Alerts for rostered townships with no report for last year, counting the warehouse and this batch."""
    if not cfg.roster:
        return pl.DataFrame(schema=ALERTS_SCHEMA)
    con = connect_writer(cfg.db)
    try:
        known = con.sql("SELECT county, township, CAST(year AS INTEGER) AS year FROM reports").pl()
    finally:
        con.close()
    reported = pl.concat([known, batch.select("county", "township", "year")], how="vertical_relaxed")
    section = cfg.section("roster")
    return missing_report_alerts(cfg.roster, reported, now=now or datetime.now(timezone.utc),
                                 deadline=section["deadline"], tz=section["timezone"])
