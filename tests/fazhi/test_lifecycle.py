"""Every process a run starts dies with it. `fazhi run` and `fazhi serve` are started as a shell script starts
them (`cmd &`: SIGINT ignored), then killed; 10 s later no process that inherited the test's marker is alive."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from fazhi import lifecycle
from tests.helpers import SAMPLE_INBOX, fault_env, make_report, process_tree

FAZHI = Path(sys.executable).with_name("fazhi")
START_TIMEOUT_S = 240     # the run reaches its extraction stage / serve its polling loop within this
GONE_AFTER_S = 10


def _background(args: list[str], work: Path, env: dict[str, str]) -> tuple[int, Path]:
    """Start `fazhi ARGS &` from /bin/sh, as a script would (SIGINT ignored, as `trap '' INT` or a cron wrapper
    leaves it, and as a non-interactive shell does for `&`); return the fazhi pid and its log."""
    log = work / f"fazhi-{uuid.uuid4().hex[:6]}.log"
    script = "trap '' INT; " + " ".join(f"'{a}'" for a in [str(FAZHI), *args]) + f" > '{log}' 2>&1 & echo $!"
    out = subprocess.run(["/bin/sh", "-c", script], capture_output=True, text=True, cwd=work, env=env, check=True)
    return int(out.stdout.strip()), log


def _wait_for(condition, timeout_s: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
    pytest.fail(f"{what} did not happen within {timeout_s:.0f} s; log:\n{tail}")


def _gone_within(marker: str, seconds: float) -> dict[int, str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = process_tree(marker)
        if not left:
            return {}
        time.sleep(0.5)
    return process_tree(marker)


def _kill_all(marker: str) -> None:
    for pid in process_tree(marker):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture
def stuck_run(tmp_path):
    """`fazhi run &` held in its extraction stage (one report hangs the extractor): the ephemeral Prefect API
    server and the pool's workers are all running. Yields (fazhi pid, marker, log, db)."""
    inbox, db = tmp_path / "inbox", tmp_path / "var" / "w.duckdb"
    shutil.copytree(SAMPLE_INBOX, inbox)
    (inbox / "hangs.txt").write_text(make_report("停滞镇") + "\nHANG\n", encoding="utf-8")
    marker = f"FAZHI_TEST_MARK={uuid.uuid4().hex}"
    env = {**os.environ, **fault_env(extract_sleep="HANG"), "FAZHI_TEST_MARK": marker.split("=")[1]}
    pid, log = _background(["run", "--inbox", str(inbox), "--db", str(db)], tmp_path, env)

    def busy() -> bool:
        cmds = process_tree(marker).values()
        return sum("multiprocessing" in c for c in cmds) >= 2 and any("uvicorn" in c for c in cmds)

    try:
        _wait_for(busy, START_TIMEOUT_S, "the run starting its workers", log)
        yield pid, marker, log, db
    finally:
        _kill_all(marker)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_killed_run_leaves_no_process(stuck_run, sig, query):
    pid, marker, log, db = stuck_run
    started = len(process_tree(marker))
    os.kill(pid, sig)
    left = _gone_within(marker, GONE_AFTER_S)
    assert not left, f"{len(left)} of {started} processes still alive {GONE_AFTER_S} s after {sig.name}: {left}"
    status = query(db, "SELECT status, error FROM runs")
    if sig == signal.SIGKILL:
        assert status[0][0] == "running"   # its own row, written when it started; the next run marks it crashed
    else:
        assert status == [("crashed", "stopped by Ctrl-C or SIGTERM before it finished")], log.read_text()[-2000:]


@pytest.mark.server
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_backgrounded_serve_stops_with_its_prefect_server(tmp_path, write_config, sig):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    config = write_config('[schedule]\ndeployment = "lifecycle"\n')
    marker = f"FAZHI_TEST_MARK={uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(FAZHI_TEST_MARK=marker.split("=")[1], COLUMNS="200")
    pid, log = _background(["serve", "--inbox", str(inbox), "--db", str(tmp_path / "var" / "w.duckdb"),
                            "--config", str(config)], tmp_path, env)
    try:
        _wait_for(lambda: "polling for scheduled runs" in log.read_text(errors="replace"), START_TIMEOUT_S,
                  "`fazhi serve` serving", log)
        assert any("prefect" in c and "server" in c for c in process_tree(marker).values())
        os.kill(pid, sig)
        left = _gone_within(marker, GONE_AFTER_S)
        assert not left, f"still alive {GONE_AFTER_S} s after {sig.name}: {left}\n{log.read_text()[-2000:]}"
    finally:
        _kill_all(marker)


def test_the_watchman_removes_what_a_killed_process_started(tmp_path):
    """The mechanism alone: a grandchild in its own session, of a parent killed with SIGKILL, is removed."""
    marker = uuid.uuid4().hex
    child = ("import subprocess, sys, time\n"
             "from fazhi.lifecycle import guard_process_tree\n"
             "guard_process_tree()\n"
             "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'], start_new_session=True)\n"
             "print('ready', flush=True)\n"
             "time.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "FAZHI_TEST_MARK": marker}, cwd=Path(lifecycle.__file__).parent.parent)
    try:
        assert proc.stdout.readline().strip() == "ready"
        _wait_for(lambda: len(process_tree(marker)) == 3, GONE_AFTER_S, "parent, watchman and grandchild running",
                  tmp_path / "none.log")
        proc.kill()
        proc.wait()
        assert not _gone_within(marker, GONE_AFTER_S)
    finally:
        _kill_all(marker)
