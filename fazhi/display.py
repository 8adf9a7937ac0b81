"""How values look to a person: whole numbers as integers, timestamps in one named timezone, wide tables
that still read at 80 columns."""
from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fazhi.config import Config

STAMP = "%Y-%m-%d %H:%M"


def office_timezone(cfg: Config) -> str:
    """The one timezone every timestamp a person reads is shown in ([display] timezone)."""
    return cfg.section("display").get("timezone", cfg.section("schedule")["timezone"])


def number(value: float | int | None) -> str:
    """54.0 → "54", 97.5 → "97.5", None → ""."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    return str(value)


def stamp(value: datetime | None, tz: str) -> str:
    """A timestamp in the office's timezone, with the zone named: 2026-12-02 09:30 Asia/Shanghai."""
    if value is None:
        return ""
    if value.tzinfo is None:   # DuckDB TIMESTAMP without zone: stored in UTC by the warehouse
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return f"{value.astimezone(ZoneInfo(tz)).strftime(STAMP)} {tz}"


def cell(value: Any, tz: str) -> str:
    """One value as a table cell or CSV field."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return stamp(value, tz)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (float, int)):
        return number(value)
    return str(value)


def jsonable(value: Any, tz: str) -> Any:
    """A value for JSON output: whole floats as integers, timestamps as ISO 8601 in the office's timezone."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))
        return aware.astimezone(ZoneInfo(tz)).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value
