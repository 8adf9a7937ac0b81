from pathlib import Path

import duckdb
import pytest

from warehouse.db import WarehouseBusy, connect_reader, connect_writer, migrations, transaction


def test_migrations_are_numbered_in_order_and_applied_once(tmp_path: Path) -> None:
    versions = [v for v, _, _ in migrations()]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    db = tmp_path / "w.duckdb"
    connect_writer(db).close()
    con = connect_writer(db)  # a second open applies nothing again
    ledger = con.sql("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    con.close()
    assert [v for (v,) in ledger] == versions


def test_reader_refuses_writes(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    connect_writer(db).close()
    con = connect_reader(db)
    with pytest.raises(duckdb.Error, match="read-only"):
        con.execute("DELETE FROM reports")
    con.close()


def test_reader_of_missing_warehouse_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="fazhi run"):
        connect_reader(tmp_path / "none.duckdb")


def test_second_writer_process_gets_a_clear_busy_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); "
                               "print('open', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseBusy, match="another process"):
            connect_reader(db)
    finally:
        holder.kill()
        holder.wait()


ACKS = "SELECT alert_id, note FROM alert_acks ORDER BY alert_id"


def _ack(con: duckdb.DuckDBPyConnection, alert_id: str) -> None:
    con.execute("INSERT INTO alert_acks VALUES (?, 'seen', 'tester', now())", [alert_id])


def test_a_transaction_keeps_its_writes_when_the_block_ends(tmp_path: Path, query) -> None:
    db = tmp_path / "w.duckdb"
    con = connect_writer(db)
    with transaction(con):
        _ack(con, "a1")
        _ack(con, "a2")
    con.close()
    assert query(db, ACKS) == [("a1", "seen"), ("a2", "seen")]


@pytest.mark.parametrize("stop", [RuntimeError("disk full"), KeyboardInterrupt(), SystemExit(1)],
                         ids=["error", "ctrl-c", "exit"])
def test_a_block_stopped_halfway_leaves_the_warehouse_as_it_was(tmp_path: Path, query, stop: BaseException) -> None:
    db = tmp_path / "w.duckdb"
    con = connect_writer(db)
    with transaction(con):
        _ack(con, "kept")
    with pytest.raises(type(stop)):
        with transaction(con):
            _ack(con, "half")
            raise stop
    with transaction(con):   # the connection is usable again
        _ack(con, "after")
    con.close()
    assert query(db, ACKS) == [("after", "seen"), ("kept", "seen")]
