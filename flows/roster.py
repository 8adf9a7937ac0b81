"""missing_report alerts: the rostered townships whose report for a due year is overdue (I/O around the pure rule)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from settings.config import Config
from transforms.alerts import ALERTS_SCHEMA, due_years, missing_report_alerts
from warehouse.catalog_sync import DueYears
from warehouse.db import connect_writer


@dataclass(frozen=True)
class Overdue:
    """What the roster owes as of the run's clock: the alerts, and the due years v_completeness counts."""

    alerts: pl.DataFrame
    due: DueYears


def overdue_reports(cfg: Config, batch: pl.DataFrame, now: datetime) -> Overdue:
    """missing_report alerts for rostered townships with no report for a due year, counting the warehouse
    and this batch; `now` is the run's clock (timezone-aware), the one instant the deadline is judged at."""
    if not cfg.roster:
        return Overdue(pl.DataFrame(schema=ALERTS_SCHEMA), DueYears((), now))
    con = connect_writer(cfg.db)
    try:
        known = con.sql("SELECT county, township, CAST(year AS INTEGER) AS year FROM reports").pl()
    finally:
        con.close()
    reported = pl.concat([known, batch.select("county", "township", "year")], how="vertical_relaxed")
    section = cfg.section("roster")
    deadline, tz = section["deadline"], section["timezone"]
    alerts = missing_report_alerts(cfg.roster, reported, now=now, deadline=deadline, tz=tz)
    years = due_years(set(reported["year"].drop_nulls().to_list()), now, deadline, tz)
    return Overdue(alerts, DueYears(tuple(sorted(years)), now))
