"""`fazhi report`: the static dashboard, opened offline in a real headless Chromium.

The screenshot of each run is kept in var/test-artifacts/ (and in the test's tmp_path)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import duckdb
import pytest

from tests.browser import Browser, chromium_path
from tests.helpers import (MULTI_YEAR_COUNTY, MULTI_YEAR_ROSTER, REPO, current_multi_year, load_known_figures,
                           multi_year_figures)

ARTIFACTS = REPO / "var" / "test-artifacts"
READY = "document.body.dataset.chartsRendered !== undefined || document.body.dataset.chartsError !== undefined"
NO_REPORT_FILL = "#c8443c"          # fazhi.dashboard.labels.STATUS_COLORS for no_report


LATE_TOWN = "金沙镇"        # reported 2021 only: the heatmap and rankings must still show it by default
CORRECTED = ("绿水乡", 2024, "disputes_mediated", 77.0)


@pytest.fixture(scope="module")
def warehouse(multi_year_warehouse: Path, tmp_path_factory) -> Path:
    """The multi-year warehouse plus three alerts (two still open, one on a figure a later file supplied),
    金沙镇 with a 2021 report only, and one figure a person corrected."""
    from fazhi.config import load_config
    from transforms.catalog import load_catalog
    from warehouse.catalog_sync import Reference
    from warehouse.corrections import Correction, add_correction

    db = tmp_path_factory.mktemp("report") / "w.duckdb"
    shutil.copy(multi_year_warehouse, db)
    cfg = load_config()
    ref = Reference(load_catalog(cfg.catalog), tuple(cfg.required_metrics), MULTI_YEAR_ROSTER)
    load_known_figures(db, [{"township": LATE_TOWN, "year": 2021, "county": MULTI_YEAR_COUNTY,
                             "figures": multi_year_figures(0, 2021)}], ref, run_id="run-3")
    con = duckdb.connect(str(db))
    town, year, metric, value = CORRECTED
    (rid,), = con.execute("SELECT report_id FROM reports WHERE township = ? AND year = ? AND is_current",
                          [town, year]).fetchall()
    add_correction(con, Correction(rid, metric, value, "exact", False, "电话核实", "tester"))
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
    assert len(list((tmp_path / "dash" / "evidence").glob("*.html"))) == len(current_multi_year()) + 1   # + 金沙镇


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
    towns, required = len(MULTI_YEAR_ROSTER["示例县"]) + 1, 5                           # + 金沙镇
    assert count("#chart-completeness svg .mark-rect path") == towns * required      # each town's latest year
    assert count("#chart-rankings svg .mark-rect path") == 5                           # 金沙镇 (2021) too
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


def test_heatmap_and_rankings_open_on_every_townships_latest_year(dashboard: Path, browser: Browser):
    browser.open(dashboard.as_uri(), READY)
    labels = "[...document.querySelectorAll('#chart-{} .role-axis-label text')].map(t => t.textContent)"
    assert LATE_TOWN in browser.evaluate(labels.format("completeness"))
    assert LATE_TOWN in browser.evaluate(labels.format("rankings"))
    picked = "document.querySelector('#chart-completeness select').selectedOptions[0].textContent"
    assert browser.evaluate(picked) == "各乡镇最近一年"
    browser.evaluate("""(() => { const s = document.querySelector('#chart-completeness select');
                          s.value = '2024'; s.dispatchEvent(new Event('change')); })()""")
    browser.wait(f"!{labels.format('completeness')}.includes({LATE_TOWN!r})")      # 2024 alone: 金沙镇 is not due


def test_trend_lines_run_on_a_continuous_year_axis(dashboard: Path, browser: Browser):
    browser.open(dashboard.as_uri(), READY)
    x = browser.evaluate("JSON.parse(document.getElementById('chart-specs').textContent)['chart-trends'].spec.encoding.x")
    assert x["type"] == "quantitative" and x["axis"]["format"] == "d"
    ticks = browser.evaluate("[...document.querySelectorAll('#chart-trends g[aria-label^=\"X-axis\"] "
                             ".role-axis-label text')].map(t => t.textContent)")
    assert {"2020", "2024"} <= set(ticks)
    assert all(re.fullmatch(r"20\d\d", t) for t in ticks), ticks                     # whole years: no 2,020, no 2020.5


def test_a_corrected_figure_is_marked(dashboard: Path, browser: Browser):
    browser.open(dashboard.as_uri(), READY)
    rows = browser.evaluate("[...document.querySelectorAll('#figures tr.corrected')].map(r => r.innerText)")
    town, _, _, value = CORRECTED
    assert len(rows) == 1 and town in rows[0] and "已更正" in rows[0] and f"{value:g}" in rows[0]


def test_review_page_lists_what_waits_with_the_command(dashboard: Path, browser: Browser, warehouse: Path,
                                                       fazhi_cli):
    listed = json.loads(fazhi_cli("review", "--db", str(warehouse), "--format", "json").stdout)
    browser.open(dashboard.as_uri(), READY)
    assert browser.evaluate("document.getElementById('nav-review').textContent") == f"待处理（{len(listed)}）"
    browser.evaluate("document.getElementById('nav-review').click()")
    browser.wait("document.querySelector('#review') !== null")
    rows = browser.evaluate("[...document.querySelectorAll('#review tr.item')].map(r => r.innerText)")
    assert len(rows) == len(listed) > 0
    assert any("绿水乡" in r and "缺少必填数字" in r and "fazhi correct" in r for r in rows)
    assert all("fazhi " in r for r in rows)
    assert browser.console_errors() == []
    browser.screenshot(ARTIFACTS / "review.png")
