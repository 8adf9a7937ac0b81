"""The private Prefect server of `fazhi serve`: healthy on 127.0.0.1, gone with the process that started it."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from fazhi import local_server

pytestmark = pytest.mark.server


def _alive(pid: int) -> bool:
    try:
        state = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State"))
    except (OSError, StopIteration):
        return False
    return "Z" not in state.split()[1]  # a zombie has exited; only its exit status waits to be collected


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux only")
def test_the_server_goes_away_when_the_process_that_started_it_is_killed(tmp_path):
    code = (f"import time; from pathlib import Path; from fazhi import local_server\n"
            f"s = local_server.start(Path({str(tmp_path / 'home')!r}), 180)\n"
            f"print(s.process.pid, s.api_url, flush=True); time.sleep(600)")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        pid, api_url = parent.stdout.readline().split()
        assert local_server.is_healthy(api_url) and (tmp_path / "home" / "server.log").is_file()
    finally:
        parent.kill()  # SIGKILL: no chance to stop the server itself
        parent.wait()
    deadline = time.monotonic() + 30
    while _alive(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(int(pid)), "the Prefect server outlived the process that started it"
    assert not local_server.is_healthy(api_url)


def test_a_server_that_cannot_start_says_so_with_the_end_of_its_log(tmp_path):
    with pytest.raises(local_server.ServerStartError) as err:
        local_server.start(tmp_path / "home", 180, env={"PREFECT_SERVER_API_KEEPALIVE_TIMEOUT": "not-a-number"})
    message = str(err.value)
    assert "exited with code" in message and str(tmp_path / "home" / "server.log") in message
    assert "not-a-number" in message or "keepalive" in message.lower(), message
