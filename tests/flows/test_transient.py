"""Retries after transient failures (a share briefly gone, the writer lock held), none after anything else."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from flows.transient import RetryPolicy, call_with_retries, is_transient
from warehouse.db import WarehouseBusy
from warehouse.lock import LockTimeout, writer_lock


def _recorder() -> tuple[list, Callable]:
    seen: list[tuple[int, str, float]] = []
    return seen, lambda attempt, exc, wait: seen.append((attempt, type(exc).__name__, wait))


def test_waits_grow_by_the_backoff_factor():
    assert RetryPolicy(retries=3, delay_s=30, backoff=2).delays() == [30, 60, 120]
    assert RetryPolicy(retries=0, delay_s=30, backoff=2).delays() == []
    section = {"retries": 2, "retry_delay_s": 5, "retry_backoff": 3}
    assert RetryPolicy.from_section(section).delays() == [5, 15]


def test_what_counts_as_transient():
    assert is_transient(FileNotFoundError("share unmounted")) and is_transient(PermissionError())
    assert is_transient(LockTimeout("held")) and is_transient(WarehouseBusy("reader open"))
    assert not is_transient(ValueError("bad input")) and not is_transient(KeyError("bug"))


def test_a_file_that_comes_back_is_read_on_a_retry(tmp_path: Path):
    share_file = tmp_path / "share" / "report.txt"
    threading.Timer(0.3, lambda: (share_file.parent.mkdir(), share_file.write_text("法治", encoding="utf-8"))).start()
    seen, on_retry = _recorder()
    text = call_with_retries(lambda: share_file.read_text(encoding="utf-8"), RetryPolicy(3, 0.25, 2), on_retry)
    assert text == "法治"
    assert seen and seen[0][:2] == (1, "FileNotFoundError")


def test_gives_up_after_the_configured_retries_with_the_last_error(tmp_path: Path):
    seen, on_retry = _recorder()
    started = time.monotonic()
    with pytest.raises(FileNotFoundError):
        call_with_retries(lambda: (tmp_path / "never").read_text(), RetryPolicy(2, 0.1, 2), on_retry)
    assert [s[0] for s in seen] == [1, 2] and [s[2] for s in seen] == [0.1, 0.2]
    assert time.monotonic() - started >= 0.3


def test_bad_input_is_never_retried():
    seen, on_retry = _recorder()
    calls = []

    def bad() -> None:
        calls.append(1)
        raise ValueError("this report cannot be parsed")

    with pytest.raises(ValueError):
        call_with_retries(bad, RetryPolicy(5, 0.1, 2), on_retry)
    assert calls == [1] and seen == []


def test_a_held_writer_lock_is_retried_until_the_holder_finishes(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    code = (f"import time; from pathlib import Path; from warehouse.lock import writer_lock\n"
            f"with writer_lock(Path({str(db)!r}), 1):\n    print('held', flush=True); time.sleep(1.0)")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"

    def locked_write() -> str:
        with writer_lock(db, timeout_s=0.2, poll_s=0.05):
            return "written"

    seen, on_retry = _recorder()
    try:
        assert call_with_retries(locked_write, RetryPolicy(4, 0.3, 2), on_retry) == "written"
    finally:
        holder.wait(timeout=10)
    assert seen and all(name == "LockTimeout" for _, name, _ in seen)


def test_a_manual_run_while_another_writes_retries_then_exits_with_a_clear_message(tmp_path, write_config, fazhi_cli):
    from tests.helpers import SAMPLE_INBOX

    db = tmp_path / "w.duckdb"
    code = (f"import time; from pathlib import Path; from warehouse.lock import writer_lock\n"
            f"with writer_lock(Path({str(db)!r}), 1):\n    print('held', flush=True); time.sleep(120)")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    config = write_config("[schedule]\nlock_timeout_s = 1\nretries = 1\nretry_delay_s = 0.5\n")
    try:
        proc = fazhi_cli("run", "--inbox", str(SAMPLE_INBOX), "--db", str(db), "--config", str(config))
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "transient failure (LockTimeout" in proc.stdout + proc.stderr, "the retry is logged"
    assert "another fazhi run is writing" in " ".join(proc.stderr.split())
    assert not db.exists(), "nothing was written while the other run held the lock"
