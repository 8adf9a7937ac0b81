"""Refresh the reference tables (metric_catalog, roster) from the files, and regenerate v_township_year.

Called by the load inside its transaction, so the labels, the required set and the roster in the warehouse
always match the metrics.toml and fazhi.toml of the run that loaded the data.

v_township_year has a column per catalog metric. A DuckDB view is static SQL and a PIVOT whose columns come
from the data cannot be stored in a view, so this module writes the view again from the catalog's keys
(conditional aggregation) each time it refreshes metric_catalog: a metric added to metrics.toml becomes a
column at the next run.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import duckdb

KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class CatalogLike(Protocol):
    """What this module needs of transforms.catalog.Catalog."""

    def keys(self) -> list[str]: ...
    def label(self, key: str) -> str: ...
    def unit(self, key: str) -> str: ...


@dataclass(frozen=True)
class CatalogEntry:
    metric: str
    label: str
    unit: str | None
    category: str | None
    required: bool
    ordinal: int


def _category(catalog: Any, key: str) -> str | None:
    metrics = getattr(catalog, "metrics", None) or []
    items = metrics.values() if isinstance(metrics, Mapping) else metrics
    for metric in items:
        if getattr(metric, "key", None) == key:
            return getattr(metric, "category", None)
    return None


def catalog_entries(catalog: CatalogLike, required: Iterable[str]) -> list[CatalogEntry]:
    """The catalog in file order, each metric flagged when fazhi.toml lists it as required."""
    keys = list(catalog.keys())
    wanted = set(required)
    unknown = sorted(wanted - set(keys))
    if unknown:
        raise ValueError(f"fazhi.toml [required] metrics names {', '.join(unknown)}, not in the metric catalog: "
                         "fix the key or add the metric to metrics.toml")
    bad = [k for k in keys if not KEY.match(k)]
    if bad:
        raise ValueError(f"metric keys {bad} are not lower_snake_case: rename them in metrics.toml "
                         "(they become column names of v_township_year)")
    return [CatalogEntry(k, catalog.label(k), catalog.unit(k) or None, _category(catalog, k), k in wanted, i)
            for i, k in enumerate(keys)]


def township_year_sql(keys: list[str]) -> str:
    """CREATE OR REPLACE VIEW v_township_year with a column per metric key (the year's figure as v_figures
    shows it, corrections included, else NULL) and `corrected`: the metrics whose value a person corrected."""
    columns = "".join(f",\n       any_value(m.value) FILTER (WHERE m.metric = '{k}') AS \"{k}\"" for k in keys)
    return f"""CREATE OR REPLACE VIEW v_township_year AS
SELECT r.county, r.township, r.year, r.report_id, r.file_name,
       count(m.metric) AS figures{columns},
       string_agg(m.metric, ',' ORDER BY m.ordinal) FILTER (WHERE m.source = 'corrected') AS corrected
FROM reports r
LEFT JOIN v_figures m ON m.report_id = r.report_id
WHERE r.is_current
GROUP BY r.county, r.township, r.year, r.report_id, r.file_name"""


def _literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def write_catalog(con: duckdb.DuckDBPyConnection, entries: list[CatalogEntry]) -> None:
    """Replace metric_catalog with `entries` and regenerate v_township_year (column comments: 中文 labels)."""
    con.execute("DELETE FROM metric_catalog")
    if entries:
        con.executemany("INSERT INTO metric_catalog VALUES (?, ?, ?, ?, ?, ?)",
                        [[e.metric, e.label, e.unit, e.category, e.required, e.ordinal] for e in entries])
    con.execute(township_year_sql([e.metric for e in entries]))
    for e in entries:
        con.execute(f"COMMENT ON COLUMN v_township_year.\"{e.metric}\" IS {_literal(e.label)}")


def sync_catalog(con: duckdb.DuckDBPyConnection, catalog: CatalogLike, required: Iterable[str]) -> None:
    write_catalog(con, catalog_entries(catalog, required))


def sync_roster(con: duckdb.DuckDBPyConnection, roster: Mapping[str, Iterable[str]]) -> None:
    """Replace the roster table with fazhi.toml [roster.counties] (county -> its townships)."""
    con.execute("DELETE FROM roster")
    rows = sorted({(county, town) for county, towns in roster.items() for town in towns})
    if rows:
        con.executemany("INSERT INTO roster VALUES (?, ?)", [list(r) for r in rows])


def sync_deadline(con: duckdb.DuckDBPyConnection, deadline: str | None, tz: str | None) -> None:
    """Replace roster_deadline with fazhi.toml [roster] deadline and timezone: a record of the rule the run's
    due years (roster_due) were judged by."""
    con.execute("DELETE FROM roster_deadline")
    if deadline and tz:
        con.execute("INSERT INTO roster_deadline VALUES (?, ?)", [deadline, tz])


@dataclass(frozen=True)
class DueYears:
    """The report years a rostered township owes, judged by the run at its clock (`as_of`)."""

    years: tuple[int, ...]
    as_of: datetime


def sync_due_years(con: duckdb.DuckDBPyConnection, due: DueYears | None) -> None:
    """Replace roster_due (migration 0007) with the years the run judged due: v_completeness counts exactly
    the years the run's missing_report alerts count. None (a load that judged nothing): every year with
    reports counts."""
    con.execute("DELETE FROM roster_due")
    if due is not None:
        con.execute("INSERT INTO roster_due VALUES (?, ?)", [due.as_of, list(due.years)])


@dataclass(frozen=True)
class Reference:
    """What a run refreshes besides its data: the catalog, the required metrics, the roster and its deadline."""

    catalog: CatalogLike
    required: tuple[str, ...]
    roster: Mapping[str, list[str]]
    deadline: str | None = None     # [roster] deadline, "MM-DD"
    timezone: str | None = None     # [roster] timezone of the deadline
    due: DueYears | None = None     # the years the run judged due (v_completeness counts them)


def sync_reference(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    sync_catalog(con, ref.catalog, ref.required)
    sync_roster(con, ref.roster)
    sync_deadline(con, ref.deadline, ref.timezone)
    sync_due_years(con, ref.due)
