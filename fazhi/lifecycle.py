"""Every process a run starts dies with it: on exit, SIGTERM, SIGINT, and SIGKILL of the run.

Two mechanisms, because neither covers everything alone:

- `flows.parent_death.die_with_parent()` (Linux `prctl(PR_SET_PDEATHSIG)`): the kernel kills a child the moment the thread that
  started it ends. Used by the extraction workers (flows/pool.py) and LibreOffice (flows/convert.py).
  The setting is not inherited across fork, so a grandchild (LibreOffice's `soffice.bin`, the workers of
  uvicorn inside Prefect's ephemeral API server) is not covered by it.
- `guard_process_tree()`: a tiny watchman process, started first by `fazhi run` and `fazhi serve`, that waits
  on a pipe from its parent. The pipe closes when the parent ends, however it ends (the kernel closes a dead
  process's files, SIGKILL included); the watchman then kills every process that carries the run's token in
  its environment. Every process of the run inherits the token, whatever process group or session it moved
  to and whoever its parent is now, so Prefect's ephemeral API server (started by Prefect with
  `subprocess.Popen(env={**os.environ, ...})`), the pool workers and LibreOffice are all found.

`stop_on_signals()` undoes an inherited "SIGINT ignored" (a program started with `&` from a script, a cron
wrapper, some container entry points), so Ctrl-C and SIGTERM stop `fazhi run` and `fazhi serve`, and bounds how
long stopping may take.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import uuid
from typing import Any, Callable

TOKEN_ENV = "FAZHI_PROCESS_TREE"   # space-separated tokens of the fazhi processes this one descends from
TERM_GRACE_S = 2.0                 # the watchman's SIGTERM, then SIGKILL for what is still there
STOP_GRACE_S = 5.0                 # after SIGTERM/Ctrl-C a command unwinds this long at most, then ends at once

# The watchman: blocks on stdin (the pipe from its parent) until EOF, then sweeps /proc for the token.
_WATCHMAN = r"""
import os, signal, sys, time
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(sig, signal.SIG_IGN)
token, grace = sys.argv[1].encode(), float(sys.argv[2])
while sys.stdin.buffer.read(65536):
    pass
def marked():
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as fh:
                env = fh.read().split(b"\0")
        except OSError:
            continue
        for entry in env:
            if entry.startswith(b"FAZHI_PROCESS_TREE=") and token in entry.split(b"=", 1)[1].split():
                found.append(int(name))
                break
    return found
deadline = time.monotonic() + grace
for sig in (signal.SIGTERM, signal.SIGKILL):
    while True:
        pids = marked()
        if not pids:
            sys.exit(0)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        if sig == signal.SIGKILL or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
time.sleep(0.2)
for pid in marked():
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
"""


def guard_process_tree() -> str:
    """Start the watchman for this process and mark this process's environment (and so every child's) with a
    new token; return the token. Idempotent within a process."""
    existing = os.environ.get("_FAZHI_GUARD_TOKEN")
    if existing and os.environ.get("_FAZHI_GUARD_PID") == str(os.getpid()):
        return existing
    token = uuid.uuid4().hex
    read_end, write_end = os.pipe()      # the write end stays with us only (not inheritable)
    subprocess.Popen([sys.executable, "-S", "-c", _WATCHMAN, token, str(TERM_GRACE_S)], stdin=read_end,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                     env={k: v for k, v in os.environ.items() if k != TOKEN_ENV})
    os.close(read_end)
    _keep_open.append(write_end)
    os.environ[TOKEN_ENV] = " ".join(filter(None, [os.environ.get(TOKEN_ENV, ""), token]))
    os.environ["_FAZHI_GUARD_TOKEN"], os.environ["_FAZHI_GUARD_PID"] = token, str(os.getpid())
    return token


_keep_open: list[int] = []   # the pipe's write end, open for the life of this process


Handler = Callable[[int, Any], None]


def stop_now(code: int) -> None:
    """End this process at once (after flushing its output): what it started is the watchman's to end, and
    Python's own shutdown (joining Prefect's threads, stopping its API server gracefully) can take many seconds."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def arm_stop_deadline(signum: int, grace_s: float = STOP_GRACE_S) -> None:
    """End this process `grace_s` from now unless it has ended by then (a stop must not hang on a thread)."""
    def end() -> None:
        os._exit(128 + signum)   # no flush: a stuck thread may hold the stream's lock

    timer = threading.Timer(grace_s, end)
    timer.daemon = True
    timer.start()


def stop_on_signals(on_term: Handler | None = None) -> None:
    """SIGINT and SIGTERM stop this command, whatever disposition it inherited (a program started with `&`
    from a script has SIGINT ignored): the first raises KeyboardInterrupt (or calls `on_term` for SIGTERM)
    in the main thread so the command unwinds (its run recorded, its servers stopped), and ends the
    process at once if that takes longer than STOP_GRACE_S."""
    def interrupt(signum: int, frame: Any) -> None:
        arm_stop_deadline(signum)
        raise KeyboardInterrupt

    def terminate(signum: int, frame: Any) -> None:
        arm_stop_deadline(signum)
        if on_term is not None:
            on_term(signum, frame)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, terminate)
