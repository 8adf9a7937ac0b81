"""Connections to the warehouse file, and the ordered, versioned schema migrations."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from settings.errors import one_line

LEDGER_DDL = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)"""
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class WarehouseBusy(Exception):
    """Another process holds the warehouse file open for writing."""


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """The block as one transaction: committed when it ends, rolled back when anything escapes it (an error,
    KeyboardInterrupt, SystemExit: a stopped command leaves the warehouse as it was), which is then re-raised."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every migration shipped in warehouse/migrations, in order."""
    folder = resources.files("warehouse") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet in the ledger, each in its own transaction; return their names."""
    con.execute(LEDGER_DDL)
    done = {row[0] for row in con.sql("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        with transaction(con):
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
        applied.append(name)
    return applied


# A reader can query the warehouse and nothing else: no file or network outside it (COPY … TO, EXPORT
# DATABASE, ATTACH, read_csv('/etc/passwd'), INSTALL), no extension loaded behind its back, and no SET that
# would undo any of this (the configuration is locked once the connection is open).
SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


class WarehouseUnreadable(Exception):
    """The warehouse file exists but DuckDB cannot open it (damaged, or not a DuckDB file)."""


def _open(path: Path, read_only: bool, config: dict[str, object] | None = None) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config or {})
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusy(
                f"the warehouse {path} is being written by another process (a run in progress); "
                "try again when it has finished"
            ) from None
        raise WarehouseUnreadable(_unreadable(path, exc)) from None
    except duckdb.Error as exc:
        raise WarehouseUnreadable(_unreadable(path, exc)) from None


def _unreadable(path: Path, exc: Exception) -> str:
    return (f"the warehouse {path} cannot be opened ({one_line(exc)}); restore it from a backup, "
            "or move it away and run `fazhi run` to rebuild it from the inbox")




def connect_writer(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse for writing, with the schema brought up to date."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only=False)
    migrate(con)
    return con


def connect_reader(path: Path) -> duckdb.DuckDBPyConnection:
    """Open an existing warehouse read-only and sandboxed (`SANDBOX`): a query through it can read the
    warehouse and nothing else, and write nothing at all."""
    if not path.is_file():
        raise FileNotFoundError(f"no warehouse at {path}: run `fazhi run` first, or pass --db")
    return _open(path, read_only=True, config=SANDBOX)
