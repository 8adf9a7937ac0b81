"""`fazhi status` as a user runs it: the run history of a real warehouse file and the next scheduled run."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from fazhi.local_server import free_port
from warehouse.db import connect_writer
from warehouse.load import LoadStats, RunRecord, record_run


def _warehouse_with_runs(db: Path) -> None:
    con = connect_writer(db)
    try:
        good = RunRecord("run-good", "fr-1", datetime(2026, 3, 1, 18, 0, tzinfo=timezone.utc), "/in", 6, 6, 0, 1)
        record_run(con, good, "completed", datetime(2026, 3, 1, 18, 1, 30, tzinfo=timezone.utc),
                   LoadStats(5, 0, 40, 1, 2), None)
        bad = RunRecord("run-bad", "fr-2", datetime(2026, 3, 2, 18, 0, tzinfo=timezone.utc), "/in", 6, 0, 0, 0)
        record_run(con, bad, "failed", datetime(2026, 3, 2, 18, 0, 5, tzinfo=timezone.utc), None,
                   "OSError: [Errno 112] Host is down: '/mnt/share/inbox'")
    finally:
        con.close()


def test_without_a_warehouse_it_says_so_and_computes_the_next_run_from_the_cron(fazhi_cli, tmp_path):
    proc = fazhi_cli("status", "--db", str(tmp_path / "none.duckdb"))
    assert proc.returncode == 0, proc.stderr
    out = " ".join(proc.stdout.split())
    assert "no warehouse at" in out and "no run has finished" in out
    assert "nightly-ingest/nightly" in out and "02:00:00" in out and "computed from the cron" in out


def test_lists_the_last_runs_newest_first_with_errors_and_when_data_last_arrived(fazhi_cli, tmp_path):
    db = tmp_path / "w.duckdb"
    _warehouse_with_runs(db)
    proc = fazhi_cli("status", "--db", str(db), env={"COLUMNS": "250"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    failed = next(i for i, line in enumerate(lines) if "failed" in line)
    completed = next(i for i, line in enumerate(lines) if "completed" in line)
    assert failed < completed, "newest run first"
    assert "Host is down" in lines[failed] and "2026-03-03 02:00:00" in lines[failed]  # shown in Asia/Shanghai
    assert "6/6/1" in lines[completed] and "2026-03-02 02:00:00" in lines[completed]
    assert "data last arrived: 2026-03-02 02:01:30" in proc.stdout


def test_while_a_run_writes_the_file_it_says_so_instead_of_failing(fazhi_cli, tmp_path):
    db = tmp_path / "w.duckdb"
    _warehouse_with_runs(db)
    code = (f"import duckdb, time; con = duckdb.connect({str(db)!r}); print('open', flush=True); time.sleep(30)")
    writer = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        proc = fazhi_cli("status", "--db", str(db))
    finally:
        writer.kill()
        writer.wait()
    assert proc.returncode == 0, proc.stderr
    assert "is writing" in " ".join(proc.stdout.split()) and "next scheduled run" in proc.stdout


def test_an_unreachable_prefect_api_is_named_and_the_cron_answers(fazhi_cli, tmp_path):
    dead = f"http://127.0.0.1:{free_port()}/api"
    proc = fazhi_cli("status", "--db", str(tmp_path / "none.duckdb"), env={"PREFECT_API_URL": dead})
    out = " ".join(proc.stdout.split())
    assert proc.returncode == 0, proc.stderr
    assert dead in out and "does not answer" in out and "02:00:00" in out


def test_a_run_that_died_shows_as_crashed_once_the_next_run_has_started(fazhi_cli, tmp_path):
    from warehouse.load import begin_run

    db = tmp_path / "w.duckdb"
    con = connect_writer(db)
    try:
        dead = RunRecord("run-dead", "fr-3", datetime(2026, 3, 3, 18, 0, tzinfo=timezone.utc), "/in", 0, 0, 0, 0,
                         pid=4242, host="county-server")
        assert begin_run(con, dead) == []
        shown = fazhi_cli("status", "--db", str(db), env={"COLUMNS": "250"})
        assert "running" in shown.stdout
        nxt = RunRecord("run-next", "fr-4", datetime(2026, 3, 4, 18, 0, tzinfo=timezone.utc), "/in", 0, 0, 0, 0)
        assert begin_run(con, nxt) == ["run-dead"]
    finally:
        con.close()
    proc = fazhi_cli("status", "--db", str(db), env={"COLUMNS": "250"})
    line = next(line for line in proc.stdout.splitlines() if "crashed" in line)
    assert "2026-03-04 02:00:00" in line and "process 4242 on county-server" in line
