import subprocess
import sys
import time
from pathlib import Path

import pytest

from warehouse.lock import LockTimeout, writer_lock


def _hold_lock(db: Path, seconds: float) -> subprocess.Popen:
    code = (f"import time; from pathlib import Path; from warehouse.lock import writer_lock\n"
            f"with writer_lock(Path({str(db)!r}), 1):\n    print('held', flush=True); time.sleep({seconds})")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_writer_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    holder = _hold_lock(tmp_path / "w.duckdb", 30)
    try:
        with pytest.raises(LockTimeout, match="another fazhi run is writing"):
            with writer_lock(tmp_path / "w.duckdb", timeout_s=0.5, poll_s=0.1):
                pass
    finally:
        holder.kill()
        holder.wait()


def test_second_writer_waits_for_the_first_to_finish(tmp_path: Path) -> None:
    holder = _hold_lock(tmp_path / "w.duckdb", 1.5)
    started = time.monotonic()
    with writer_lock(tmp_path / "w.duckdb", timeout_s=20, poll_s=0.1):
        waited = time.monotonic() - started
    holder.wait()
    assert waited > 0.5


def test_lock_is_released_when_its_holder_is_killed(tmp_path: Path) -> None:
    holder = _hold_lock(tmp_path / "w.duckdb", 60)
    holder.kill()
    holder.wait()
    with writer_lock(tmp_path / "w.duckdb", timeout_s=2, poll_s=0.1):
        pass
