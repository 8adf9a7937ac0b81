"""Where the batches run: in a pool of local worker processes, or on a Dask cluster.

Every engine gives the same thing for a batch: `run_batch(index, files)` returns its BatchFrames, read and
extracted where jieba and the catalog are already loaded (once per worker process, never per batch or
report). Locally each file is its own pool task (flows/pool.py: time budget, memory cap, a crash costs that
file only). The engine lives for the whole run and the flow's
batch tasks (Prefect task runs, one per batch) share it. With Dask the workers get the catalog as data
(WorkSettings.catalog_text), read the report files from the inbox at the same path (a share mounted on
every worker), and send the frames back; the DuckDB writer stays in the flow's process.
"""
from __future__ import annotations

import os
import threading
from typing import Any, Protocol

from flows.discover import InboxFile
from flows.pool import ExtractPool, PoolLimits
from flows.work import BatchFrames, WorkSettings, ensure_worker, process_batch_frames
from settings.config import ConfigError

ENGINES = ("processes", "dask")
DASK_KEY_PREFIX = "fazhi-batch"   # task keys on the Dask scheduler: fazhi-batch-<run>-<index>


class EngineUnavailable(Exception):
    """The configured engine cannot be reached (a Dask scheduler that does not answer)."""


class Engine(Protocol):
    slots: int   # batches that can run at once

    def run_batch(self, index: int, files: list[InboxFile]) -> BatchFrames: ...

    def stop(self) -> None:
        """Abandon the work under way (the run failed or was stopped): the batch calls waiting on it return."""

    def close(self) -> None: ...


class ProcessEngine:
    """The run's pool of worker processes (flows/pool.py), each loading jieba and the catalog once; every file
    is its own task and failure domain (time budget, memory cap, a crash costs that file only)."""

    def __init__(self, settings: WorkSettings, workers: int, limits: PoolLimits) -> None:
        self.slots = workers
        self._pool = ExtractPool(settings, workers, limits)
        self._pool.__enter__()

    def run_batch(self, index: int, files: list[InboxFile]) -> BatchFrames:
        return self._pool.run_batch(files)

    def stop(self) -> None:
        self._pool.__exit__(KeyboardInterrupt, None, None)   # stop the workers; queued files are not waited for

    def close(self) -> None:
        self._pool.__exit__(None, None, None)


_dask_worker_lock = threading.Lock()


def dask_batch(settings: WorkSettings, files: list[InboxFile]) -> BatchFrames:
    """Runs on a Dask worker: load the catalog (sent as data) and jieba the first time, then the batch.

    One batch at a time per worker process (the lock), whatever its --nthreads: extraction is pure Python."""
    with _dask_worker_lock:
        ensure_worker(settings)
        return process_batch_frames(files)


class DaskEngine:
    """The batches run on the workers of the Dask scheduler at `address`; the frames come back here."""

    def __init__(self, settings: WorkSettings, address: str, timeout_s: float, run_tag: str) -> None:
        from distributed import Client

        try:
            self._client = Client(address, timeout=timeout_s, set_as_default=False)
        except (OSError, TimeoutError):
            raise EngineUnavailable(
                f"the Dask scheduler {address} ([extract] dask_address) did not answer within {timeout_s:.0f} s: "
                "start `dask scheduler` and its workers there, or set [extract] engine = \"processes\"") from None
        self._settings = settings
        self._run_tag = run_tag
        self.slots = 2 * max(len(self._client.nthreads()), 1)   # one running and one queued per worker

    def run_batch(self, index: int, files: list[InboxFile]) -> BatchFrames:
        future = self._client.submit(dask_batch, self._settings, files, pure=False,
                                     key=f"{DASK_KEY_PREFIX}-{self._run_tag}-{index}")
        return future.result()

    def stop(self) -> None:
        self._client.close()

    def close(self) -> None:
        self._client.close()


def check_engine(extract: dict[str, Any], source: Any) -> str:
    """The [extract] engine, checked before any work starts."""
    engine = str(extract.get("engine", "processes"))
    if engine not in ENGINES:
        raise ConfigError(f"{source}: [extract] engine = {engine!r} is not one of {', '.join(ENGINES)}")
    if engine == "dask" and not str(extract.get("dask_address", "")).strip():
        raise ConfigError(f"{source}: [extract] engine = \"dask\" needs dask_address, the scheduler's address "
                          "(e.g. \"tcp://10.1.2.3:8786\")")
    return engine


def open_engine(extract: dict[str, Any], settings: WorkSettings, run_tag: str) -> Engine:
    """The engine [extract] asks for: a Dask cluster, or this machine's pool of worker processes."""
    if extract.get("engine") == "dask":
        return DaskEngine(settings, str(extract["dask_address"]).strip(), float(extract["dask_timeout_s"]), run_tag)
    workers = int(extract["workers"]) or os.cpu_count() or 1   # files, not batches, are the pool's tasks
    return ProcessEngine(settings, workers, PoolLimits.from_section(extract))
