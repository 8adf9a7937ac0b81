"""`fazhi report`: the static dashboard, opened offline in a real headless Chromium.

The screenshot of each run is kept in var/test-artifacts/ (and in the test's tmp_path)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import duckdb
import pytest

from tests.browser import Browser, chromium_path
from tests.helpers import MULTI_YEAR_ROSTER, REPO, current_multi_year

ARTIFACTS = REPO / "var" / "test-artifacts"
READY = "document.body.dataset.chartsRendered !== undefined || document.body.dataset.chartsError !== undefined"
NO_REPORT_FILL = "#c8443c"          # fazhi.dashboard.labels.STATUS_COLORS for no_report


@pytest.fixture(scope="module")
def warehouse(multi_year_warehouse: Path, tmp_path_factory) -> Path:
    """The multi-year warehouse plus three alerts: two still open, one on a figure a later file supplied."""
    db = tmp_path_factory.mktemp("report") / "w.duckdb"
    shutil.copy(multi_year_warehouse, db)
    con = duckdb.connect(str(db))
    try:
        con.execute("""
            INSERT INTO alerts (alert_id, report_id, township, county, year, kind, metric, detail, file_name,
                                run_id, created_at)
            SELECT 'a1', report_id, township, county, year, 'missing_figure', 'admin_litigation_cases', NULL,
                   file_name, 'run-1', now() FROM reports WHERE township = '绿水乡' AND year = 2023
            UNION ALL
            SELECT 'a2', report_id, township, county, year, 'dq_failure', 'disputes_mediated', 'value_not_negative',
                   file_name, 'run-1', now() FROM reports WHERE township = '青山镇' AND year = 2024 AND NOT is_current
            UNION ALL
            SELECT 'a3', NULL, '东湖镇', '示例县', 2024, 'missing_report', NULL, '东湖镇2024年报告未报送', NULL,
                   'run-2', now()""")
    finally:
        con.close()
    return db


@pytest.fixture(scope="module")
def dashboard(warehouse: Path, tmp_path_factory) -> Path:
    from fazhi.config import load_config
    from fazhi.report_cmd import run_report

    cfg = load_config().with_overrides(db=warehouse)
    return run_report(cfg, tmp_path_factory.mktemp("dashboard") / "out")


@pytest.fixture
def browser(tmp_path: Path):
    if chromium_path() is None:
        pytest.skip("no chromium on PATH (.ci/run installs it: apt-get install -y chromium)")
    b = Browser(tmp_path / "chromium-profile")
    yield b
    b.close()


def test_cli_writes_the_dashboard_to_the_folder_given(fazhi_cli, warehouse: Path, tmp_path: Path):
    proc = fazhi_cli("report", "--out", str(tmp_path / "dash"), "--db", str(warehouse))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "dash" / "index.html").is_file()
    assert len(list((tmp_path / "dash" / "evidence").glob("*.html"))) == len(current_multi_year())


def test_the_dashboard_needs_no_network(dashboard: Path):
    html = dashboard.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html)                       # every script is inline
    assert not re.search(r"<link[^>]+href=", html)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "window.vegaEmbed" in html                                     # the vega bundle itself is inside


def test_dashboard_renders_in_chromium(dashboard: Path, browser: Browser, tmp_path: Path):
    browser.open(dashboard.as_uri(), READY)
    shot = browser.screenshot(tmp_path / "dashboard.png")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "dashboard.png")
    assert browser.console_errors() == []
    assert browser.evaluate("document.body.dataset.chartsRendered") == "3"
    count = lambda css: browser.evaluate(f"document.querySelectorAll({css!r}).length")  # noqa: E731
    towns, required = len(MULTI_YEAR_ROSTER["示例县"]), 5
    assert count("#chart-completeness svg .mark-rect path") == towns * required      # latest year, 5 x 5 cells
    assert count("#chart-rankings svg .mark-rect path") == 4                           # the four reporting in 2024
    assert count("#chart-trends svg .mark-line path") == 7                             # one line per metric with figures
    assert shot.stat().st_size > 50_000


def test_completeness_year_picker_shows_missing_reports(dashboard: Path, browser: Browser):
    browser.open(dashboard.as_uri(), READY)
    no_report = f"[...document.querySelectorAll('#chart-completeness .mark-rect path')].filter(p => p.getAttribute('fill') === '{NO_REPORT_FILL}').length"
    assert browser.evaluate(no_report) == 5                                            # 东湖镇 in 2024
    browser.evaluate("""(() => { const s = document.querySelector('#chart-completeness select');
                          s.value = '2022'; s.dispatchEvent(new Event('change')); })()""")
    browser.wait(f"{no_report} === 10")                                                # 东湖镇 and 红石镇 in 2022


def test_open_alerts_listed_and_corrected_ones_gone(dashboard: Path, browser: Browser):
    browser.open(dashboard.as_uri(), READY)
    rows = browser.evaluate("[...document.querySelectorAll('#alerts tr')].slice(1).map(r => r.innerText)")
    assert len(rows) == 2
    assert any("绿水乡" in r and "缺少必填数字" in r and "行政诉讼" in r for r in rows)
    assert any("东湖镇" in r and "未报送报告" in r for r in rows)


def test_a_figure_links_to_its_sentence_highlighted(dashboard: Path, browser: Browser, warehouse: Path):
    browser.open(dashboard.as_uri(), READY)
    href = browser.evaluate("document.querySelector('a.evidence-link').href")
    target = urlparse(href)
    report_id, metric = Path(unquote(target.path)).stem, target.fragment.removeprefix("m-")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        (evidence,), = con.execute("SELECT evidence FROM v_figures WHERE report_id = ? AND metric = ?",
                                   [report_id, metric]).fetchall()
    finally:
        con.close()
    browser.open(href, "document.querySelector('mark.focus') !== null")
    assert browser.evaluate("[...document.querySelectorAll('mark.focus')].map(m => m.textContent).join('')") == evidence
    assert browser.console_errors() == []


def test_a_warehouse_from_before_the_views_says_to_run_once(fazhi_cli, tmp_path: Path):
    from warehouse.db import migrations

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(next(sql for version, _, sql in migrations() if version == 1))
    con.close()
    for args in (["report", "--out", str(tmp_path / "d")], ["trends", "disputes_mediated"],
                 ["export", str(tmp_path / "e")]):
        proc = fazhi_cli(*args, "--db", str(db))
        assert proc.returncode == 1 and "run `fazhi run` once" in proc.stderr, args
        assert "Traceback" not in proc.stderr
