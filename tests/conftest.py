"""Shared fixtures: an isolated Prefect home and API, the sample reports, configs and warehouse helpers."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="fazhi-test-prefect-"))
os.environ["PREFECT_HOME"] = str(_PREFECT_HOME)  # never the user's ~/.prefect
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "60")
os.environ.pop("PREFECT_API_URL", None)

from tests.helpers import SAMPLE_INBOX, make_report


@pytest.fixture(scope="session")
def prefect_api():
    """One ephemeral Prefect API for the whole test session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture
def sample_inbox(tmp_path: Path) -> Path:
    """A copy of the five bundled sample reports."""
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    return inbox


@pytest.fixture
def write_config(tmp_path: Path):
    """Write a fazhi.toml (TOML text) into tmp_path and return its path."""

    def write(text: str = "", name: str = "fazhi.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def run_flow(prefect_api, tmp_path: Path):
    """Run the nightly-ingest flow in-process; returns its summary dict."""
    from flows.nightly import nightly_ingest

    def run(inbox: Path, db: Path | None = None, config: Path | None = None) -> dict:
        return nightly_ingest(inbox=str(inbox), db=str(db or tmp_path / "w.duckdb"),
                              config=str(config) if config else None)

    return run


@pytest.fixture
def query():
    """Run SQL on a warehouse file (read-only) and return the rows."""
    import duckdb

    def q(db: Path, sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    return q


@pytest.fixture
def fazhi_cli(tmp_path: Path):
    """Run the real `fazhi` console script in a subprocess (as a user would)."""
    exe = Path(sys.executable).with_name("fazhi")

    def call(*args: str, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout,
                              cwd=tmp_path, env={**os.environ, **(env or {})})

    return call


@pytest.fixture
def report_text():
    return make_report
