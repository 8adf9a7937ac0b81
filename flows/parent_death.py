"""A child process dies with the process that started it (Linux `prctl(PR_SET_PDEATHSIG)`).

Used by the extraction workers (flows/pool.py) and LibreOffice (flows/convert.py); fazhi/lifecycle.py adds the
watchman that covers the grandchildren this setting does not reach.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1   # linux/prctl.h


def die_with_parent(parent_pid: int, sig: signal.Signals = signal.SIGKILL) -> None:
    """In a child: have the kernel send `sig` when the parent dies; exit now if it is already gone.

    Linux only (elsewhere a no-op): the watchman of `guard_process_tree` covers those processes too."""
    if _set_parent_death_signal(sig) and os.getppid() != parent_pid:   # the parent died before the prctl
        os._exit(1)


def preexec_die_with_parent() -> None:
    """`preexec_fn` for subprocess.Popen: the child gets SIGKILL when the process that started it dies."""
    _set_parent_death_signal(signal.SIGKILL)


def _set_parent_death_signal(sig: signal.Signals) -> bool:
    """Ask the kernel for `sig` when this process's parent dies; False where that is not possible (not Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(sig))
    return True
