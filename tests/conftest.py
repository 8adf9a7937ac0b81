"""Shared fixtures: an isolated Prefect home and API, the sample reports, configs and warehouse helpers."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
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


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """One real `prefect server` on 127.0.0.1 (a free port) for the whole session, with its own PREFECT_HOME;
    stopped at the end. Yields fazhi.local_server.LocalServer (.api_url, .url, .log).
    A run queued behind a running one is retried after 3 s instead of the default 30 s, to keep tests short."""
    from fazhi import local_server

    queued_retry = {"PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS": "3"}
    with local_server.running(tmp_path_factory.mktemp("prefect-server"), timeout_s=180, env=queued_retry) as server:
        yield server


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 (tests.helpers.LoopbackSmtp: .port, .messages), stopped after the test."""
    from tests.helpers import LoopbackSmtp

    server = LoopbackSmtp().start()
    yield server
    server.stop()


@pytest.fixture
def webhook_server():
    """A real HTTP endpoint on 127.0.0.1 (tests.helpers.LoopbackWebhook: .url, .requests), stopped after the test."""
    from tests.helpers import LoopbackWebhook

    server = LoopbackWebhook().start()
    yield server
    server.stop()



@pytest.fixture
def dingtalk_robot():
    """A DingTalk robot on 127.0.0.1 that checks token, timestamp and sign (tests.helpers.LoopbackDingTalk:
    .url, .secret, .messages, .requests, .fail_next), stopped after the test."""
    from tests.helpers import LoopbackDingTalk

    server = LoopbackDingTalk().start()
    yield server
    server.stop()


@pytest.fixture
def wecom_robot():
    """A WeCom robot on 127.0.0.1 that checks its key and sizes (tests.helpers.LoopbackWeCom: .url, .messages,
    .requests, .fail_next), stopped after the test."""
    from tests.helpers import LoopbackWeCom

    server = LoopbackWeCom().start()
    yield server
    server.stop()

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
    """Run the nightly-ingest flow in-process; returns its summary dict. `as_of` pins the run's clock (the
    instant deadlines are judged at)."""
    from flows.nightly import nightly_ingest

    def run(inbox: Path, db: Path | None = None, config: Path | None = None, as_of: datetime | None = None) -> dict:
        return nightly_ingest(inbox=str(inbox), db=str(db or tmp_path / "w.duckdb"),
                              config=str(config) if config else None, as_of=as_of)

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
    """Run the real `fazhi` console script in a subprocess (as a user would), on a 200-column terminal so
    messages are not wrapped mid-phrase."""
    exe = Path(sys.executable).with_name("fazhi")

    def call(*args: str, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout,
                              cwd=tmp_path, env={**os.environ, "COLUMNS": "200", **(env or {})})

    return call


@pytest.fixture
def report_text():
    return make_report


@pytest.fixture(scope="session")
def multi_year_warehouse(tmp_path_factory) -> Path:
    """A warehouse of KNOWN figures (tests.helpers.multi_year_reports: 4 townships x 2020-2024, roster with
    a fifth township) loaded through warehouse.load.load_run in two runs, the second correcting 青山镇 2024.
    No extraction involved: the analysis views and commands are tested on exact numbers. Do not write to it."""
    from fazhi.config import load_config
    from tests.helpers import (MULTI_YEAR_ROSTER, load_known_figures, multi_year_correction,
                               multi_year_reports)
    from transforms.catalog import load_catalog
    from warehouse.catalog_sync import Reference

    cfg = load_config()
    db = tmp_path_factory.mktemp("multi-year") / "w.duckdb"
    ref = Reference(load_catalog(cfg.catalog), tuple(cfg.required_metrics), MULTI_YEAR_ROSTER)
    load_known_figures(db, multi_year_reports(), ref, run_id="run-1")
    load_known_figures(db, [multi_year_correction()], ref, run_id="run-2")
    return db


@pytest.fixture(scope="session")
def office_template(prefect_api, tmp_path_factory) -> tuple[Path, Path]:
    """tests.helpers.office_inbox run once through the real nightly flow (a warehouse with a held file, a
    report with no county and a missing figure). Do not write to it: use `office`."""
    from flows.nightly import nightly_ingest
    from tests.helpers import office_inbox

    work = tmp_path_factory.mktemp("office")
    office_inbox(work / "inbox")
    nightly_ingest(inbox=str(work / "inbox"), db=str(work / "w.duckdb"))
    return work / "inbox", work / "w.duckdb"


@pytest.fixture
def office(office_template, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the office inbox and warehouse (office_template) for one test to change."""
    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    shutil.copytree(office_template[0], inbox)
    shutil.copy(office_template[1], db)
    return inbox, db
