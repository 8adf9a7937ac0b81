"""Prefect task retries: transient I/O failures are retried on the I/O tasks, input and config errors never."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from flows.discover import InboxMissing
from flows.retrying import io_task_options, is_transient
from settings.config import ConfigError
from transforms.catalog import CatalogError
from warehouse.db import WarehouseBusy
from warehouse.lock import LockTimeout

FAST_RETRIES = "[schedule]\nretries = 3\nretry_delay_s = 0.5\nretry_backoff = 1\nlock_timeout_s = 0.2\n"


def test_what_counts_as_transient():
    assert is_transient(OSError("share gone")) and is_transient(PermissionError())
    assert is_transient(LockTimeout("held")) and is_transient(WarehouseBusy("reader open"))
    assert not is_transient(InboxMissing("no inbox")), "a missing inbox is an input error"
    assert not is_transient(ConfigError("bad toml")) and not is_transient(CatalogError("bad catalog"))
    assert not is_transient(ValueError("bug"))


def test_waits_grow_by_the_backoff_factor():
    options = io_task_options({"retries": 3, "retry_delay_s": 5, "retry_backoff": 3})
    assert options["retries"] == 3 and options["retry_delay_seconds"] == [5, 15, 45]
    assert io_task_options({"retries": 0, "retry_delay_s": 5, "retry_backoff": 3})["retries"] == 0


def _task_runs(flow_run_id) -> dict[str, list]:
    """Task runs of a flow run by name, once the API has recorded them in a final state."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    deadline = time.monotonic() + 60
    with get_client(sync_client=True) as client:
        while True:
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
            if (runs and all(r.state and r.state.is_final() for r in runs)) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    out: dict[str, list] = {}
    for r in runs:
        out.setdefault(r.name.rsplit("-", 1)[0] if not r.name.startswith("extract-batch") else "extract-batch",
                       []).append(r)
    return out


def _hold(argv_code: str) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", argv_code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_missing_inbox_fails_at_once_without_retries(prefect_api, tmp_path, write_config):
    from flows.nightly import nightly_ingest

    state = nightly_ingest(inbox=str(tmp_path / "nowhere"), db=str(tmp_path / "w.duckdb"),
                           config=str(write_config(FAST_RETRIES)), return_state=True)
    assert state.is_failed()
    with pytest.raises(InboxMissing, match="does not exist"):
        state.result()
    [discover] = _task_runs(state.state_details.flow_run_id)["discover_inbox"]
    assert discover.run_count == 1, "an input error is never retried"


def _release_on_second_attempt(holder: subprocess.Popen, attempts: list[int]):
    """An on_running hook: the first attempt meets the held resource; the holder is stopped before the second."""
    def hook(task, task_run, state) -> None:
        attempts.append(1)
        if len(attempts) == 2:
            holder.kill()
            holder.wait()
    return hook


def _retried(io_task, hook, *args):
    """Run one I/O task of the flow, with the flow's retry options, inside a flow on the real API."""
    from prefect import flow

    from flows.retrying import io_task_options

    options = io_task_options({"retries": 3, "retry_delay_s": 0.2, "retry_backoff": 1})

    @flow
    def one_task():
        return io_task.with_options(**options, on_running=[hook])(*args)

    return one_task()


def test_a_held_writer_lock_is_retried_by_prefect_until_the_holder_finishes(prefect_api, tmp_path):
    from flows.nightly import take_writer_lock

    db = tmp_path / "w.duckdb"
    holder = _hold(f"import time; from pathlib import Path; from warehouse.lock import writer_lock\n"
                   f"with writer_lock(Path({str(db)!r}), 1):\n    print('held', flush=True); time.sleep(300)")
    attempts: list[int] = []
    try:
        lock = _retried(take_writer_lock, _release_on_second_attempt(holder, attempts), db, 0.2)
    finally:
        holder.kill()
        holder.wait()
    lock.release()
    assert len(attempts) == 2, "the first attempt met the held lock (LockTimeout); Prefect retried it once"


def test_a_warehouse_held_by_a_reader_is_retried_by_the_io_task(prefect_api, tmp_path):
    """Another process holding the DuckDB file (a long query): planning waits for it through Prefect retries."""
    from flows.nightly import plan_work

    db = tmp_path / "w.duckdb"
    holder = _hold(f"import time, duckdb\ncon = duckdb.connect({str(db)!r})\nprint('held', flush=True)\n"
                   "time.sleep(300)")
    attempts: list[int] = []
    try:
        plan, _ = _retried(plan_work, _release_on_second_attempt(holder, attempts), [], db)
    finally:
        holder.kill()
        holder.wait()
    assert len(attempts) == 2, "the first attempt met WarehouseBusy; Prefect retried it once"
    assert plan.new == []


def test_a_held_lock_during_a_whole_run_still_loads_once_free(prefect_api, sample_inbox, tmp_path, write_config):
    from flows.nightly import nightly_ingest

    db = tmp_path / "w.duckdb"
    holder = _hold(f"import time; from pathlib import Path; from warehouse.lock import writer_lock\n"
                   f"with writer_lock(Path({str(db)!r}), 1):\n    print('held', flush=True); time.sleep(1.0)")
    try:
        summary = nightly_ingest(inbox=str(sample_inbox), db=str(db), config=str(write_config(FAST_RETRIES)))
    finally:
        holder.wait(timeout=10)
    assert summary["reports_loaded"] == 5


def test_a_manual_run_while_another_writes_retries_then_exits_with_a_clear_message(tmp_path, write_config, fazhi_cli):
    from tests.helpers import SAMPLE_INBOX

    db = tmp_path / "w.duckdb"
    holder = _hold(f"import time; from pathlib import Path; from warehouse.lock import writer_lock\n"
                   f"with writer_lock(Path({str(db)!r}), 1):\n    print('held', flush=True); time.sleep(120)")
    config = write_config("[schedule]\nlock_timeout_s = 1\nretries = 1\nretry_delay_s = 0.5\n")
    try:
        proc = fazhi_cli("run", "--inbox", str(SAMPLE_INBOX), "--db", str(db), "--config", str(config))
    finally:
        holder.kill()
        holder.wait()
    out = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode == 3, out
    assert "LockTimeout" in out and "Retry 1/1" in out, "Prefect logged the retry of take_writer_lock"
    assert "another fazhi run is writing" in " ".join(proc.stderr.split())
    assert not db.exists(), "nothing was written while the other run held the lock"
