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


class WriterLock:
    """`<db>.lock` held exclusively from `acquire` to `release` (the flow takes it in a retried task)."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.path = db.with_name(db.name + ".lock")
        self._fd: int | None = None

    def acquire(self, timeout_s: float, poll_s: float = 0.5) -> "WriterLock":
        """Wait up to `timeout_s` for a running writer to finish, then hold the lock."""
        self.db.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockTimeout(
                        f"another fazhi run is writing {self.db} (lock {self.path}); waited {timeout_s:.0f} s. "
                        "Let it finish, or raise [schedule] lock_timeout_s"
                    ) from None
                time.sleep(poll_s)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@contextmanager
def writer_lock(db: Path, timeout_s: float, poll_s: float = 0.5) -> Iterator[None]:
    """Hold `<db>.lock` exclusively; wait up to `timeout_s` for a running writer to finish."""
    lock = WriterLock(db).acquire(timeout_s, poll_s)
    try:
        yield
    finally:
        lock.release()
