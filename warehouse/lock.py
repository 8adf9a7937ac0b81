"""One writer at a time: an advisory file lock held for a whole run, so DuckDB's own lock never fails a run."""
from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockTimeout(Exception):
    """Another run held the writer lock longer than we were willing to wait."""


@contextmanager
def writer_lock(db: Path, timeout_s: float, poll_s: float = 0.5) -> Iterator[None]:
    """Hold `<db>.lock` exclusively; wait up to `timeout_s` for a running writer to finish."""
    db.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db.with_name(db.name + ".lock")
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o644)
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another fazhi run is writing {db} (lock {lock_path}); waited {timeout_s:.0f} s. "
                        "Let it finish, or raise [schedule] lock_timeout_s"
                    ) from None
                time.sleep(poll_s)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)
