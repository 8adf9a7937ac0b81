"""A Dask cluster on 127.0.0.1 for the tests and the scaling benchmark: `dask scheduler` + N `dask worker`s.

Real processes, as a province runs them (README, Scale-out), on loopback. Each is started with SIGKILL as
its parent-death signal (Linux), so none outlives the process that started it even when that one is killed
outright (a worker given SIGTERM would wait up to its death timeout for the gone scheduler; these hold
nothing that needs a clean exit); `loopback_cluster` stops them all, gracefully, on exit. Workers run without a nanny (one process each, the
one we watch) and one thread (extraction is pure Python: processes, not threads, add cores).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT_S = 90.0
STOP_GRACE_S = 15.0
WORKER_DEATH_TIMEOUT_S = 60   # a worker whose scheduler is gone exits after this long
_LAUNCH_WITH_PARENT = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG\n"
    "if os.getppid() != int(sys.argv[1]):\n    sys.exit(0)  # the parent died before the prctl\n"
    "os.execv(sys.executable, [sys.executable, '-m', 'dask', *sys.argv[2:]])\n"
)


class ClusterStartError(Exception):
    """The scheduler or a worker did not come up in time."""


@dataclass
class LoopbackCluster:
    address: str
    scheduler: subprocess.Popen
    workers: list[subprocess.Popen] = field(default_factory=list)
    log_dir: Path | None = None

    @property
    def processes(self) -> list[subprocess.Popen]:
        return [*self.workers, self.scheduler]


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _launch(args: list[str], log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-c", _LAUNCH_WITH_PARENT, str(os.getpid()), *args],
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    for p in processes:
        try:
            p.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def _wait_for_workers(address: str, n: int, processes: list[subprocess.Popen], log_dir: Path) -> None:
    from distributed import Client

    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        dead = [p.args for p in processes if p.poll() is not None]
        if dead:
            raise ClusterStartError(f"a Dask process exited while starting (logs in {log_dir}): {dead}")
        try:
            with Client(address, timeout=5, set_as_default=False) as client:
                client.wait_for_workers(n, timeout=max(deadline - time.monotonic(), 1))
                return
        except (OSError, TimeoutError):
            time.sleep(0.5)
    raise ClusterStartError(f"the Dask cluster at {address} did not get {n} workers in {START_TIMEOUT_S:.0f} s "
                            f"(logs in {log_dir})")


@contextmanager
def loopback_cluster(workers: int, log_dir: Path) -> Iterator[LoopbackCluster]:
    """A scheduler and `workers` single-threaded workers on 127.0.0.1, stopped (all of them) on exit."""
    log_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    address = f"tcp://{HOST}:{port}"
    cluster = LoopbackCluster(address, _launch(["scheduler", "--host", HOST, "--port", str(port), "--no-dashboard"],
                                               log_dir / "scheduler.log"), log_dir=log_dir)
    try:
        for i in range(workers):
            cluster.workers.append(_launch(
                ["worker", address, "--host", HOST, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                 "--name", f"worker-{i}", "--death-timeout", str(WORKER_DEATH_TIMEOUT_S)],
                log_dir / f"worker-{i}.log"))
        _wait_for_workers(address, workers, cluster.processes, log_dir)
        yield cluster
    finally:
        _stop(cluster.workers)      # the workers first: they leave the scheduler in order
        _stop([cluster.scheduler])
