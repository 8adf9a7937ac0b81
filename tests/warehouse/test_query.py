"""`fazhi sql` as a user types it: every dangerous statement of issue 10 fails with one line, and the warehouse
file (and the file system around it) stays exactly as it was."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def warehouse(multi_year_warehouse: Path, tmp_path: Path) -> Path:
    """A private copy of a loaded warehouse, in a folder `var/` as `fazhi run` makes it."""
    db = tmp_path / "var" / "fazhi.duckdb"
    db.parent.mkdir()
    shutil.copy(multi_year_warehouse, db)
    return db


def _refused(fazhi_cli, db: Path, sql: str, *words: str) -> str:
    """Run the statement; assert exit 1, one `error:` line naming one of `words`, the warehouse unchanged."""
    before = _digest(db)
    proc = fazhi_cli("sql", sql, "--db", str(db))
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1, proc.stdout
    assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    assert "Traceback" not in proc.stderr
    if words:
        assert any(w in lines[0] for w in words), lines[0]
    assert _digest(db) == before
    return lines[0]


def test_copy_onto_the_warehouse_file_is_refused(fazhi_cli, warehouse):
    _refused(fazhi_cli, warehouse, f"COPY (SELECT 1) TO '{warehouse}'", "refused", "read-only")
    again = fazhi_cli("sql", "SELECT count(*) FROM reports", "--db", str(warehouse), "--format", "csv")
    assert again.returncode == 0 and again.stdout.splitlines()[1] != "0"


def test_copy_to_another_file_writes_nothing(fazhi_cli, warehouse, tmp_path):
    target = tmp_path / "out.csv"
    _refused(fazhi_cli, warehouse, f"COPY (SELECT * FROM reports) TO '{target}'", "refused", "read-only")
    assert not target.exists()


def test_export_database_writes_no_folder(fazhi_cli, warehouse, tmp_path):
    target = tmp_path / "dump"
    _refused(fazhi_cli, warehouse, f"EXPORT DATABASE '{target}'", "refused", "read-only")
    assert not target.exists()


def test_attach_another_database_is_refused(fazhi_cli, warehouse, tmp_path):
    other = tmp_path / "other.duckdb"
    _refused(fazhi_cli, warehouse, f"ATTACH '{other}' AS o", "refused")
    assert not other.exists()


def test_attach_then_create_in_one_input_runs_nothing(fazhi_cli, warehouse, tmp_path):
    other = tmp_path / "other.duckdb"
    _refused(fazhi_cli, warehouse, f"ATTACH '{other}' AS o; CREATE TABLE o.t AS SELECT 1", "statements")
    assert not other.exists()


@pytest.mark.parametrize("reader", ["read_csv('/etc/passwd')", "read_text('/etc/passwd')",
                                    "read_blob('/etc/hostname')", "read_parquet('/etc/passwd')"])
def test_reading_a_file_outside_the_warehouse_is_refused(fazhi_cli, warehouse, reader):
    line = _refused(fazhi_cli, warehouse, f"SELECT * FROM {reader}", "refused")
    assert "root:" not in line


@pytest.mark.parametrize("sql", ["INSTALL httpfs", "LOAD httpfs", "FORCE INSTALL spatial"])
def test_extensions_are_neither_installed_nor_loaded(fazhi_cli, warehouse, sql):
    _refused(fazhi_cli, warehouse, sql, "refused", "failed")


@pytest.mark.parametrize("sql", ["SET enable_external_access = true", "SET lock_configuration = false",
                                 "RESET enable_external_access"])
def test_the_sandbox_cannot_be_switched_off(fazhi_cli, warehouse, sql):
    _refused(fazhi_cli, warehouse, sql, "cannot be changed", "refused", "failed")


@pytest.mark.parametrize("sql", ["DELETE FROM reports", "DROP TABLE reports", "CREATE TABLE t AS SELECT 1",
                                 "UPDATE reports SET township = 'x'"])
def test_writes_are_refused(fazhi_cli, warehouse, sql):
    _refused(fazhi_cli, warehouse, sql, "read-only", "refused", "failed")


def test_several_statements_are_refused_with_their_count(fazhi_cli, warehouse):
    line = _refused(fazhi_cli, warehouse, "SELECT 1; SELECT 2", "2 statements")
    assert "exactly one" in line


def test_a_syntax_error_is_one_line(fazhi_cli, warehouse):
    _refused(fazhi_cli, warehouse, "SELEC township FROM reports", "query failed")


def test_a_damaged_warehouse_is_one_line_on_every_command(fazhi_cli, warehouse):
    warehouse.write_bytes(b"this is not a DuckDB file" * 100)
    for args in (["sql", "SELECT 1"], ["status"], ["export", "out"], ["report"], ["alerts"],
                 ["trends", "disputes_mediated"]):
        proc = fazhi_cli(*args, "--db", str(warehouse))
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert proc.returncode != 0, args
        assert "Traceback" not in proc.stderr and len(lines) == 1 and lines[0].startswith("error:"), (args, proc.stderr)
        assert "cannot be opened" in lines[0], (args, lines[0])
