"""Which failures Prefect retries: transient I/O on the I/O tasks, never bad input or a broken configuration.

Transient: the inbox share briefly unreachable (an OSError while walking or reading it), another run holding
the writer lock (LockTimeout), a reader holding the DuckDB file open (WarehouseBusy), a Dask worker or its
connection lost mid-batch. Never: a missing inbox, a broken fazhi.toml or metrics.toml, a bug: running them
again fails the same way. Bad report files never get here: each is quarantined by its batch.
"""
from __future__ import annotations

from typing import Any

from flows.discover import InboxMissing
from settings.config import ConfigError
from transforms.catalog import CatalogError
from warehouse.db import WarehouseBusy
from warehouse.lock import LockTimeout

TRANSIENT: tuple[type[BaseException], ...] = (OSError, LockTimeout, WarehouseBusy)
NEVER_RETRIED: tuple[type[BaseException], ...] = (InboxMissing, ConfigError, CatalogError)


def _dask_transient() -> tuple[type[BaseException], ...]:
    """A worker that died with the batch (KilledWorker) or a dropped connection: the batch can run elsewhere."""
    try:
        from distributed import KilledWorker
        from distributed.comm import CommClosedError
    except ImportError:   # dask not installed: only the local engine is in use
        return ()
    return KilledWorker, CommClosedError


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, NEVER_RETRIED):
        return False
    return isinstance(exc, TRANSIENT + _dask_transient())


def retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect's `retry_condition_fn`: retry the task run only when it failed on a transient error."""
    exc = state.result(raise_on_failure=False)
    return isinstance(exc, BaseException) and is_transient(exc)


def io_task_options(schedule: dict[str, Any]) -> dict[str, Any]:
    """Prefect task options of an I/O task from fazhi.toml [schedule]: retries, growing waits, the condition."""
    retries = max(int(schedule["retries"]), 0)
    delay, backoff = float(schedule["retry_delay_s"]), float(schedule["retry_backoff"])
    return {"retries": retries, "retry_delay_seconds": [delay * backoff ** i for i in range(retries)] or 0,
            "retry_condition_fn": retry_transient}
