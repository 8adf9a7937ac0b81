"""missing_report alerts: the rostered townships whose report for a due year is overdue (I/O around the pure rule)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from settings.config import Config, ConfigError
from transforms.alerts import ALERTS_SCHEMA, due_years, missing_reports, parse_deadline
from warehouse.catalog_sync import DueYears
from warehouse.db import connect_writer


COMMON_YEAR = 2025   # not a leap year: a deadline must be a day that every year has


def check_roster(roster: dict[str, Any], source: Any) -> None:
    """[roster] deadline and timezone, checked before any work starts when a roster is kept: a deadline of
    02-29 would hold in leap years and stop the run in the others."""
    deadline, tz = str(roster.get("deadline", "")), str(roster.get("timezone", ""))
    try:
        date(COMMON_YEAR, *parse_deadline(deadline))
    except ValueError:
        hint = " (02-29 exists only in leap years: use 02-28 or 03-01)" if deadline.strip() == "02-29" else ""
        raise ConfigError(f"{source}: [roster] deadline = {deadline!r} is not a day of every year written "
                          f"month-day, like \"03-31\"{hint}") from None
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{source}: [roster] timezone = {tz!r} is not a time zone name, like "
                          "\"Asia/Shanghai\"") from None


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
    years = due_years(set(reported["year"].drop_nulls().to_list()), now, section["deadline"], section["timezone"])
    alerts = missing_reports(cfg.roster, reported, years, section["deadline"])   # the view counts the same years
    return Overdue(alerts, DueYears(tuple(sorted(years)), now))
