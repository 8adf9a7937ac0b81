"""Retry a run after a transient failure, with growing waits; never after bad input.

Transient: the inbox share briefly unreachable (OSError), another run holding the writer lock (LockTimeout),
a reader holding the DuckDB file open (WarehouseBusy). Bad input never reaches here: an unreadable or
malformed report is quarantined by the run, it does not fail it. Anything else (a bug, a broken config)
fails at once, because running it again would fail the same way.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from warehouse.db import WarehouseBusy
from warehouse.lock import LockTimeout

T = TypeVar("T")
TRANSIENT: tuple[type[BaseException], ...] = (OSError, LockTimeout, WarehouseBusy)


@dataclass(frozen=True)
class RetryPolicy:
    """From fazhi.toml [schedule]: retries, retry_delay_s, retry_backoff."""

    retries: int
    delay_s: float
    backoff: float

    @classmethod
    def from_section(cls, schedule: dict) -> "RetryPolicy":
        return cls(int(schedule["retries"]), float(schedule["retry_delay_s"]), float(schedule["retry_backoff"]))

    def delays(self) -> list[float]:
        """The wait before each retry: delay_s, delay_s * backoff, delay_s * backoff², ..."""
        return [self.delay_s * self.backoff ** i for i in range(max(self.retries, 0))]


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT)


def call_with_retries(fn: Callable[[], T], policy: RetryPolicy,
                      on_retry: Callable[[int, BaseException, float], None]) -> T:
    """Call `fn`; after a transient failure wait and call it again, up to `policy.retries` times."""
    waits = policy.delays()
    for attempt in range(len(waits) + 1):
        try:
            return fn()
        except Exception as exc:
            if attempt == len(waits) or not is_transient(exc):
                raise
            on_retry(attempt + 1, exc, waits[attempt])
            time.sleep(waits[attempt])
    raise AssertionError("unreachable: the loop returns or raises")
