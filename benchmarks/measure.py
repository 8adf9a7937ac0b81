"""Run a command and measure it: wall time and the peak memory of its whole process tree.

Memory is the peak, over samples every `interval` seconds, of the SUM of the resident set sizes (RSS) of
the process and all its descendants (the Prefect flow process, the pool's worker processes, a
LibreOffice child...), read from /proc. Pages shared between processes are counted once per process,
so the figure errs high, never low. Between samples a short spike can be missed; the kernel's own
per-process peak (VmHWM of /proc/PID/status, never missed) of the largest single process is reported
beside it as a cross-check.
"""
from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


@dataclass
class Measured:
    exit_code: int
    wall_s: float
    peak_tree_rss_mb: float     # max over samples of the summed RSS of the process tree
    peak_processes: int         # most processes alive in the tree at one sample
    peak_at_s: float            # when the tree's memory peaked, seconds after the start
    max_single_rss_mb: float    # the largest peak RSS (VmHWM) any one process of the tree reached
    cpu_s: float                # user + system CPU seconds of the tree (descendants that were waited for)
    started_at: float           # time.time() when the command was started
    stdout: str
    stderr: str


def _parents() -> dict[int, int]:
    """pid -> parent pid for every process we can see."""
    out: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            out[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return out


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, ppid in _parents().items():
        children.setdefault(ppid, []).append(pid)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def _rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _hwm_bytes(pid: int) -> int:
    """The kernel's record of the highest RSS this process ever had."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_bytes, self.peak_procs, self.max_hwm, self.peak_at = 0, 0, 0, 0.0
        self.t0 = time.perf_counter()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            pids = _tree(self.pid)
            total = sum(_rss_bytes(p) for p in pids)
            if total > self.peak_bytes:
                self.peak_bytes, self.peak_at = total, time.perf_counter() - self.t0
            self.peak_procs = max(self.peak_procs, len(pids))
            self.max_hwm = max([self.max_hwm] + [_hwm_bytes(p) for p in pids])
            self.done.wait(self.interval)


def run_measured(cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
                 interval: float = 0.1) -> Measured:
    """Run `cmd` to completion, sampling its process tree's memory; capture its output."""
    started = time.time()
    cpu_before = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", errors="replace")
    sampler = _Sampler(proc.pid, interval)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.done.set()
    sampler.join()
    return Measured(proc.returncode, wall, sampler.peak_bytes / MB, sampler.peak_procs, sampler.peak_at,
                    sampler.max_hwm / MB,
                    _children_cpu() - cpu_before, started, stdout, stderr)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
