"""A private `prefect server` on 127.0.0.1, for `fazhi serve` without PREFECT_API_URL (and for the tests).

Crons never fire on Prefect's ephemeral API, so a served deployment needs a real server. This one keeps its
database in its own PREFECT_HOME (never the user's ~/.prefect), logs to `server.log` there, and is stopped
(with every process it started) when the context exits, or when the process that started it dies (Linux).
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
LOG_NAME = "server.log"
STOP_GRACE_S = 15.0
# Run `python -m prefect ...` with SIGTERM as its parent-death signal (Linux), so the server goes away even when
# the process that started it is killed outright and never gets to stop it.
_LAUNCH_WITH_PARENT = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG\n"
    "if os.getppid() != int(sys.argv[1]):\n    sys.exit(0)  # the parent died before the prctl\n"
    "os.execv(sys.executable, [sys.executable, '-m', 'prefect', *sys.argv[2:]])\n"
)


class ServerStartError(Exception):
    """The local Prefect server exited or did not become healthy in time."""


@dataclass(frozen=True)
class LocalServer:
    """A running server: its API URL, its home folder and log, the process and how long it took to start."""

    url: str
    home: Path
    log: Path
    process: subprocess.Popen
    started_in_s: float

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def is_healthy(api_url: str, timeout_s: float = 2.0) -> bool:
    """True when `<api_url>/health` answers 200."""
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout_s) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _server_env(home: Path, extra: dict[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", **(extra or {}))
    return env


def _log_tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_healthy(proc: subprocess.Popen, api_url: str, log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerStartError(f"the local Prefect server exited with code {proc.returncode} before it was "
                                   f"ready; its log {log} ends with:\n{_log_tail(log)}")
        if is_healthy(api_url):
            return
        time.sleep(0.25)
    raise ServerStartError(f"the local Prefect server was not healthy after {timeout_s:.0f} s (log {log}); "
                           "raise [schedule] server_start_timeout_s on a slow machine")


def _command(port: int) -> list[str]:
    args = ["server", "start", "--host", HOST, "--port", str(port)]
    if sys.platform.startswith("linux"):
        return [sys.executable, "-c", _LAUNCH_WITH_PARENT, str(os.getpid()), *args]
    return [sys.executable, "-m", "prefect", *args]


def stop(proc: subprocess.Popen, grace_s: float = STOP_GRACE_S) -> None:
    """SIGTERM the server's process group, then SIGKILL whatever is left after `grace_s`."""
    if proc.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, grace_s)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


def start(home: Path, timeout_s: float, env: dict[str, str] | None = None) -> LocalServer:
    """Start `prefect server start` on 127.0.0.1 with `home` as PREFECT_HOME (and `env`, server settings, on top
    of ours); return once /api/health answers."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://{HOST}:{port}"
    log = home / LOG_NAME
    began = time.monotonic()
    with log.open("ab") as out:
        proc = subprocess.Popen(_command(port), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                env=_server_env(home, env),
                                start_new_session=True)  # its own process group: stop() reaches all it spawns
    try:
        _wait_healthy(proc, f"{url}/api", log, timeout_s)
    except BaseException:
        stop(proc)
        raise
    return LocalServer(url, home, log, proc, time.monotonic() - began)


@contextmanager
def running(home: Path, timeout_s: float, env: dict[str, str] | None = None) -> Iterator[LocalServer]:
    """A local server for the duration of the block, stopped on the way out (errors and signals too)."""
    server = start(home, timeout_s, env)
    try:
        yield server
    finally:
        stop(server.process)
