"""The `fazhi` console script as a user runs it: real subprocesses, real files."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import HOLD_MARKER, SAMPLE_INBOX, fault_env

COUNTS = ("SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM metrics), "
          "(SELECT count(*) FROM ingest_files), (SELECT count(*) FROM runs)")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """The sample inbox run once through `fazhi run` (module-scoped: the ephemeral API costs seconds)."""

    work = tmp_path_factory.mktemp("cli")
    inbox, db = work / "inbox", work / "w.duckdb"
    shutil.copytree(SAMPLE_INBOX, inbox)
    exe = Path(sys.executable).with_name("fazhi")
    proc = subprocess.run([str(exe), "run", "--inbox", str(inbox), "--db", str(db)], capture_output=True,
                          text=True, timeout=600, cwd=work)
    return inbox, db, proc


def test_run_prints_a_summary_and_exits_zero(built):
    _, db, proc = built
    assert proc.returncode == 0, proc.stderr
    assert "reports loaded" in proc.stdout and "5" in proc.stdout
    assert "Traceback" not in proc.stderr and " ERROR " not in proc.stderr
    assert db.is_file()


def test_sql_reads_in_every_format(built, fazhi_cli):
    _, db, _ = built
    csv_out = fazhi_cli("sql", "SELECT count(*) AS n FROM reports WHERE is_current", "--db", str(db), "--format", "csv")
    assert csv_out.returncode == 0 and csv_out.stdout.splitlines() == ["n", "5"]
    js = fazhi_cli("sql", "SELECT township FROM reports ORDER BY township", "--db", str(db), "--format", "json")
    assert [r["township"] for r in json.loads(js.stdout)] == sorted(["中梁镇", "昭化镇", "罗田镇", "北屏乡", "齐村镇"])
    table = fazhi_cli("sql", "SELECT township FROM reports", "--db", str(db))
    assert "昭化镇" in table.stdout


def test_sql_refuses_to_write(built, fazhi_cli, query):
    _, db, _ = built
    before = query(db, COUNTS)
    proc = fazhi_cli("sql", "DELETE FROM reports", "--db", str(db))
    assert proc.returncode != 0 and "read-only" in proc.stderr
    assert query(db, COUNTS) == before


def test_extract_prints_the_json_contract(fazhi_cli):

    files = sorted(SAMPLE_INBOX.glob("*.txt"))[:2]
    proc = fazhi_cli("extract", *map(str, files), "--json")
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 0 and [Path(x["file"]).name for x in lines] == [f.name for f in files]
    for line in lines:
        assert set(line) >= {"file", "sha256", "township", "county", "city", "year", "error", "metrics",
                             "missing_required"}
        assert line["township"] and line["year"] and line["error"] is None
        for m in line["metrics"]:
            assert set(m) == {"metric", "value", "unit", "qualifier", "is_plan", "evidence", "start", "end"}


def test_extract_prints_the_figures_of_a_report_with_no_township_and_warns(fazhi_cli, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("2022年度法治政府建设情况报告\n2022年，我镇依法行政。\n全年开展普法宣传活动12次。\n",
                      encoding="utf-8")
    proc = fazhi_cli("extract", str(report), "--json")
    line = json.loads(proc.stdout)
    assert proc.returncode == 0 and line["township"] is None and line["year"] == 2022
    assert [(m["metric"], m["value"]) for m in line["metrics"]] == [("publicity_events", 12)]
    assert "no township" in line["warning"] and "fazhi resolve" in line["warning"]


def test_kill_during_load_leaves_the_warehouse_as_it_was(built, tmp_path, query, report_text):
    sample_inbox, db, _ = built
    inbox, work_db = tmp_path / "inbox", tmp_path / "w.duckdb"
    shutil.copytree(sample_inbox, inbox)
    shutil.copy(db, work_db)
    before = query(work_db, COUNTS)
    (inbox / "extra1.txt").write_text(report_text("新湖镇"), encoding="utf-8")
    (inbox / "extra2.txt").write_text(report_text("又一镇"), encoding="utf-8")
    exe = Path(sys.executable).with_name("fazhi")
    proc = subprocess.Popen([str(exe), "run", "--inbox", str(inbox), "--db", str(work_db)], cwd=tmp_path,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, start_new_session=True,
                            env={**os.environ, **fault_env(hold_commit=120)})
    try:
        for line in proc.stderr:
            if HOLD_MARKER in line:
                break
        else:
            pytest.fail("the run never reached the load")
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    after = query(work_db, COUNTS)
    assert after[0][:3] == before[0][:3] and after[0][3] == before[0][3] + 1   # only the dead run's own row
    assert query(work_db, "SELECT status FROM runs ORDER BY started_at DESC LIMIT 1") == [("running",)]
    again = subprocess.run([str(exe), "run", "--inbox", str(inbox), "--db", str(work_db)], cwd=tmp_path,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert query(work_db, "SELECT count(*) FROM reports WHERE township IN ('新湖镇', '又一镇')") == [(2,)]
    assert query(work_db, "SELECT status FROM runs ORDER BY started_at DESC LIMIT 2") == [("completed",), ("crashed",)]
