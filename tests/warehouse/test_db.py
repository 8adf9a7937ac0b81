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


def test_a_warehouse_upgraded_to_0007_keeps_the_years_0006_counted_as_due(tmp_path: Path) -> None:
    """A warehouse a run refreshed under migration 0006 (deadline recorded, due years judged by the view) is
    judged once by 0007, so v_completeness does not change meaning before the next run. With a 12-31 deadline
    last year is never overdue within the year, so the due years are the same on every date: those with reports
    up to the year before last (2001, 2002), never a report's future year (2100)."""
    from warehouse.db import LEDGER_DDL

    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute(LEDGER_DDL)
    for version, name, sql in migrations():
        if version <= 6:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
    con.execute("INSERT INTO roster_deadline VALUES ('12-31', 'Asia/Shanghai')")
    con.execute("INSERT INTO roster VALUES ('示例县', '青山镇'), ('示例县', '白云街道')")
    con.execute("INSERT INTO metric_catalog VALUES ('disputes_mediated', '人民调解纠纷件数', '件', NULL, true, 1)")
    for year in (2001, 2002, 2100):
        town = "青山镇" if year == 2001 else "绿水乡"
        con.execute("INSERT INTO reports (report_id, file_name, path, sha256, township, county, year, is_current, "
                    "run_id, loaded_at) VALUES (?, ?, ?, ?, ?, '示例县', ?, true, 'run-1', now())",
                    [f"r{year}", f"{year}.txt", f"{year}.txt", f"sha{year}", town, year])
    con.close()

    connect_writer(db).close()
    con = connect_reader(db)
    try:
        assert con.execute("SELECT years FROM roster_due").fetchall() == [([2001, 2002],)]
        gaps = set(con.execute("SELECT DISTINCT township, year FROM v_completeness WHERE status = 'no_report'")
                   .fetchall())
    finally:
        con.close()
    assert gaps == {("青山镇", 2002), ("白云街道", 2001), ("白云街道", 2002)}


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
