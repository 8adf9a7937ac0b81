"""The extraction pool: every inbox file is its own failure domain.

Files are read and extracted in worker processes (a `pebble.ProcessPool`: a timeout per task, a dead worker
detected per task, workers recycled after `worker_max_files`), one task per file, so that

- a file that takes longer than `[extract] file_timeout_s` costs its worker (killed and replaced) and is
  quarantined `too_slow`;
- a worker that dies (a parser's segfault, the kernel's OOM killer, `os._exit` in a library) takes only the
  file it was on with it: `worker_died`;
- a worker cannot grow past `[extract] worker_memory_mb` (RLIMIT_AS, set when it starts): the file that
  needed more is quarantined `out_of_memory`;
- any other exception while reading, converting or extracting quarantines the file as `extract_error` with
  the exception's one-line cause.

The rest of the run goes on. Each worker builds the catalog and jieba once (`flows.work.init_worker`) and dies
with the process that started it (`flows.parent_death.die_with_parent`).

Thread-safe: any number of threads may call `run_batch` on one open pool.
"""
from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
from concurrent.futures import Future
from concurrent.futures import wait as futures_wait
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from pebble import ProcessExpired, ProcessPool

from flows.discover import InboxFile
from flows.parent_death import die_with_parent
from flows.work import BatchFrames, WorkSettings, batch_frames, init_worker, process_one, quarantine
from settings.errors import one_line
from transforms.read import ReadLimits

MB = 1024 * 1024
CLOSE_TIMEOUT_S = 30.0   # how long closing the pool waits for its workers before killing them
WAIT_STEP_S = 0.5        # a batch waits for a file in steps this long, so a stopped pool releases it at once


@dataclass(frozen=True)
class PoolLimits:
    """`[extract]` of fazhi.toml: per-file time budget, per-worker memory cap, files per worker."""

    file_timeout_s: float
    worker_memory_mb: int      # 0: no cap
    worker_max_files: int      # 0: a worker lives as long as the pool

    @classmethod
    def from_section(cls, extract: dict[str, Any]) -> "PoolLimits":
        return cls(float(extract["file_timeout_s"]), int(extract["worker_memory_mb"]),
                   int(extract["worker_max_files"]))


def _start_worker(settings: WorkSettings, memory_mb: int, parent_pid: int) -> None:
    """Worker initializer: die with the pool's process, cap the address space, load catalog and jieba."""
    die_with_parent(parent_pid)
    if memory_mb:
        limit = memory_mb * MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    init_worker(settings)


def extract_file(item: InboxFile) -> dict[str, Any]:
    """Read and extract one file in a worker; every exception becomes the file's quarantine."""
    try:
        return process_one(item)
    except MemoryError:
        return quarantine(item, "out_of_memory", "reading the file needed more memory than a worker may use "
                          "([extract] worker_memory_mb in fazhi.toml); check the file, or raise the limit")
    except Exception as exc:
        return quarantine(item, "extract_error", f"reading or extracting failed ({one_line(exc, with_type=True)}); the rest "
                          "of the run went on. Open the file to check it; if it looks fine, report this error")


class PoolBroken(Exception):
    """The pool cannot run any file (its workers fail to start): the run fails rather than blame the files."""


class PoolStopped(Exception):
    """The run was stopped (or failed) while a batch waited for its files: the batch has no outcome."""


class ExtractPool:
    """`with ExtractPool(settings, workers, limits) as pool: frames = pool.run_batch(files)`."""

    def __init__(self, settings: WorkSettings, workers: int, limits: PoolLimits) -> None:
        self.settings, self.workers, self.limits = settings, max(1, workers), limits
        self._pool: ProcessPool | None = None
        self._stopping = threading.Event()

    def __enter__(self) -> "ExtractPool":
        self._pool = ProcessPool(max_workers=self.workers, max_tasks=self.limits.worker_max_files,
                                 initializer=_start_worker,
                                 initargs=(self.settings, self.limits.worker_memory_mb, os.getpid()),
                                 context=multiprocessing.get_context("spawn"))
        # Start the workers now, from this thread: a worker's parent-death signal follows the thread that
        # started it, and this one outlives the pool.
        self._pool.schedule(os.getpid)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if exc_type is None:
            pool.close()
        else:
            self._stopping.set()   # batches waiting on their files give up now
            pool.stop()   # a failure or an interrupt: do not wait for the queued files
        pool.join(CLOSE_TIMEOUT_S)
        if pool.active:
            pool.stop()
            pool.join()

    def run_batch(self, files: list[InboxFile]) -> BatchFrames:
        """Read and extract `files`, one pool task each; their outcomes in order, and the parsed reports."""
        if self._pool is None:
            raise RuntimeError("ExtractPool.run_batch outside its `with` block")
        timeout = self.limits.file_timeout_s or None
        futures = [self._pool.schedule(extract_file, args=(item,), timeout=timeout) for item in files]
        return batch_frames([self._outcome(item, fut) for item, fut in zip(files, futures)])

    def _outcome(self, item: InboxFile, future: Future) -> dict[str, Any]:
        while not future.done():
            if self._stopping.is_set():
                raise PoolStopped(f"{item.rel_path}: the run was stopped before this file was read")
            futures_wait([future], timeout=WAIT_STEP_S)
        try:
            return future.result()
        except FutureTimeout:
            return quarantine(item, "too_slow", f"reading and extracting took longer than "
                              f"{self.limits.file_timeout_s:g} s ([extract] file_timeout_s in fazhi.toml), so it "
                              "was stopped; check the file (very long, or damaged), or raise the limit")
        except BrokenProcessPool as exc:   # the pool itself failed (workers cannot start): fail the run
            raise PoolBroken(f"the extraction workers could not run ({one_line(exc, with_type=True)}); nothing was loaded, "
                             "the next run tries these files again") from exc
        except ProcessExpired as exc:
            return quarantine(item, "worker_died", f"the worker process reading it died ({_death(exc.exitcode)}); "
                              "the file probably crashes a parser: open it, save it again and send it again")
        except Exception as exc:   # e.g. a result that cannot cross the process boundary
            return quarantine(item, "extract_error", f"reading or extracting failed ({one_line(exc, with_type=True)}); the rest "
                              "of the run went on")


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        hint = ", perhaps by the kernel for lack of memory" if exitcode == -signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exit code {exitcode}"


def read_limits(read: dict[str, Any]) -> ReadLimits:
    """The read caps of `[read]` in fazhi.toml."""
    return ReadLimits(max_unpacked_bytes=int(read["max_unpacked_mb"] * MB), max_pdf_pages=int(read["max_pdf_pages"]),
                      max_text_chars=int(read["max_text_chars"]))
