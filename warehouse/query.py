"""A user's SQL (`fazhi sql`) on the sandboxed read connection: one statement, a one-line error when it fails."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from settings.errors import one_line
from warehouse.db import connect_reader

READ_ONLY_HINT = ("`fazhi sql` runs queries, it never changes the warehouse "
                  "(the data changes only through `fazhi run`)")
SANDBOX_HINT = "`fazhi sql` reads the warehouse only: no other file, folder, database, extension or network"


class QueryError(Exception):
    """The query was refused or failed; the message is one line for the user."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def _single_statement(sql: str) -> str:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(f"query failed: {one_line(exc)}") from None
    if not statements:
        raise QueryError("the query is empty: pass one SQL statement, e.g. \"SELECT count(*) FROM reports\"")
    if len(statements) > 1:
        raise QueryError(f"the query holds {len(statements)} statements; `fazhi sql` runs exactly one "
                         "(remove the `;` between them and run each on its own)")
    return sql


def _explain(exc: duckdb.Error) -> str:
    text = one_line(exc)
    lowered = text.lower()
    if "read-only" in lowered:
        return f"this connection is read-only: {READ_ONLY_HINT}"
    if "external access" in lowered or "disabled by configuration" in lowered or "extension" in lowered:
        return f"refused: {SANDBOX_HINT} ({text})"
    if "configuration" in lowered and "locked" in lowered:
        return f"refused: the settings of a `fazhi sql` connection cannot be changed ({text})"
    return f"query failed: {text}"


def run_query(db: Path, sql: str) -> QueryResult:
    """Run one statement on a sandboxed read-only connection; raise QueryError with a one-line message."""
    _single_statement(sql)
    con = connect_reader(db)
    try:
        rel = con.sql(sql)
        if rel is None:
            return QueryResult([], [])
        return QueryResult(list(rel.columns), rel.fetchall())
    except duckdb.Error as exc:
        raise QueryError(_explain(exc)) from None
    finally:
        con.close()
