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

REPO = Path(__file__).resolve().parent.parent
SAMPLE_INBOX = REPO / "inbox"
SHARED = REPO.parent / "shared"


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


REPORT_TEMPLATE = """{county}{township}{year}年法治政府建设情况报告

{year}年，在{county}委、{county}政府的正确领导下，{township}深入贯彻落实全面依法治国决策部署，扎实推进法治政府建设。现将有关情况报告如下。

一、主要做法和成效
（一）加强组织领导。召开党委中心组学习{study}次，专题学习习近平法治思想。
（二）深化普法宣传。全年开展法治宣传进乡村活动{events}次，发放法治宣传资料{materials}余份。
（三）严格规范执法。我{kind}现有持证行政执法人员{officers}名，开展各类执法检查{inspections}次。
（四）化解矛盾纠纷。镇村两级调委会共调解各类民事纠纷{disputes}件，调解成功率达{rate}%。
{litigation}

二、存在的问题
部分干部法治意识仍需提高。

三、下一步工作打算
计划开展普法宣传活动不少于{plan_events}次。

{township}人民政府
{sign_year}年1月15日
"""


def make_report(township: str = "青山镇", year: int = 2022, county: str = "示例县", *, study: int = 3,
                events: int = 12, materials: int = 2000, officers: int = 9, inspections: int = 40,
                disputes: int = 30, rate: str = "98", reconsideration: int | None = 0,
                litigation: int | None = 1, plan_events: int = 20) -> str:
    """A short, realistic report whose figures are the keyword arguments (None: the figure is left out)."""
    lines = []
    if reconsideration is not None:
        lines.append("全年无行政复议案件。" if reconsideration == 0 else f"全年行政复议案件{reconsideration}件。")
    if litigation is not None:
        lines.append(f"全年行政诉讼案件{litigation}件。")
    return REPORT_TEMPLATE.format(
        county=county, township=township, year=year, study=study, events=events, materials=materials,
        kind="街道" if township.endswith("街道") else township[-1], officers=officers, inspections=inspections, disputes=disputes, rate=rate,
        litigation="".join(lines), plan_events=plan_events, sign_year=year + 1)


@pytest.fixture
def report_text():
    return make_report
