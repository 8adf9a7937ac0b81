"""How values look to a person: whole numbers as integers, timestamps in one named timezone, wide tables
that still read at 80 columns."""
from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fazhi.config import Config

STAMP = "%Y-%m-%d %H:%M"
MIN_COLUMN = 10   # a table whose columns would wrap narrower than this is printed as records instead


def office_timezone(cfg: Config) -> str:
    """The office's timezone, [schedule] timezone (the one the nightly cron and `fazhi status` use): every
    timestamp a person reads is shown in it, with its name."""
    return cfg.section("schedule")["timezone"]


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


def _table_width(cols: list[str], cells: list[list[str]]) -> int:
    """The width a rich table with these cells needs without wrapping (borders and padding included)."""
    from rich.cells import cell_len

    widths = [max([cell_len(c)] + [cell_len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    return sum(widths) + 3 * len(cols) + 1


def print_table(console: Any, cols: list[str], rows: list[tuple], tz: str) -> None:
    """A table when it fits the terminal; otherwise one block per row (column: value), so a wide result
    stays readable at 80 columns instead of squeezed into empty or cut cells."""
    from rich.markup import escape
    from rich.table import Table

    cells = [[cell(v, tz) for v in row] for row in rows]
    fits = _table_width(cols, cells) <= console.width or (MIN_COLUMN + 3) * len(cols) + 1 <= console.width
    if fits or not cells:
        table = Table()
        for col in cols:
            table.add_column(escape(col), overflow="fold")
        for r in cells:
            table.add_row(*(escape(v) for v in r))
        console.print(table)
        return
    from rich.cells import cell_len

    name_width = max(cell_len(c) for c in cols)
    for n, r in enumerate(cells, 1):
        console.print(f"[bold]── {n} ──[/]")
        for col, value in zip(cols, r):
            pad = " " * (name_width - cell_len(col))
            console.print(f"{escape(col)}{pad}  {escape(value)}", overflow="fold")
