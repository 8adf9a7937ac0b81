"""The analysis views (migration 0002) on a multi-year warehouse whose figures are known exactly."""
from __future__ import annotations

import statistics
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from fazhi.config import load_config
from tests.helpers import (MULTI_YEAR_COUNTY, MULTI_YEAR_ROSTER, MULTI_YEAR_TOWNS, current_multi_year,
                           load_known_figures, multi_year_reports)
from transforms.catalog import Catalog, load_catalog
from warehouse.catalog_sync import Reference

YEARS = range(2020, 2025)


@pytest.fixture(scope="module")
def con(multi_year_warehouse: Path):
    con = duckdb.connect(str(multi_year_warehouse), read_only=True)
    yield con
    con.close()


def rows(con, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def test_v_figures_holds_the_figures_of_current_reports_only(con):
    got = {(t, y, m): v for t, y, m, v in rows(con, "SELECT township, year, metric, value FROM v_figures")}
    want = {(t, y, m): v for (t, y), figs in current_multi_year().items() for m, v in figs.items()}
    assert got == want                                   # the corrected 2024 report, never a plan target (99)
    assert got[("青山镇", 2024, "disputes_mediated")] == 25


def test_v_figures_labels_and_evidence_point_into_the_report_text(con):
    catalog = load_catalog(load_config().catalog)
    found = rows(con, """SELECT f.metric, f.label, f.evidence, substring(t.text, f.start_offset + 1,
                                f.end_offset - f.start_offset)
                         FROM v_figures f JOIN report_texts t USING (report_id)""")
    assert found
    for metric, label, evidence, at_offsets in found:
        assert label == catalog.label(metric)
        assert evidence == at_offsets and label in evidence


def test_v_township_year_has_a_column_per_catalog_metric(con):
    catalog = load_catalog(load_config().catalog)
    columns = [c[0] for c in rows(con, "DESCRIBE v_township_year")]
    assert columns[:6] == ["county", "township", "year", "report_id", "file_name", "figures"]
    assert columns[6:-1] == catalog.keys() and columns[-1] == "corrected"     # metrics a person corrected
    got = {(r[1], r[2]): dict(zip(columns[6:-1], r[6:-1])) for r in rows(con, "SELECT * FROM v_township_year")}
    current = current_multi_year()
    assert set(got) == set(current)
    for key, figures in current.items():
        assert {m: v for m, v in got[key].items() if v is not None} == figures
    comments = dict(rows(con, "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'v_township_year'"))
    assert comments["disputes_mediated"] == catalog.label("disputes_mediated")


def test_v_trends_totals_medians_and_townships_reporting(con):
    current = current_multi_year()
    for metric in ("disputes_mediated", "publicity_events", "admin_litigation_cases", "mediation_success_rate"):
        got = {y: (total, n, med) for y, total, n, med in rows(
            con, "SELECT year, total, townships_reporting, median FROM v_trends WHERE metric = ? AND county = ?",
            [metric, MULTI_YEAR_COUNTY])}
        for year in YEARS:
            values = [f[metric] for (t, y), f in current.items() if y == year and metric in f]
            total = None if metric == "mediation_success_rate" else sum(values)   # a sum of rates means nothing
            assert got[year] == (total, len(values), statistics.median(values)), (metric, year)
    assert rows(con, "SELECT townships_reporting FROM v_trends WHERE metric = 'disputes_mediated' AND year = 2022") == [(3,)]


def test_v_yoy_change_against_the_year_before(con):
    got = {(t, y): (v, py, pv, ch, pct) for t, y, v, py, pv, ch, pct in rows(con, """
        SELECT township, year, value, prev_year, prev_value, change, pct_change FROM v_yoy
        WHERE metric = 'disputes_mediated'""")}
    # 绿水乡 (i=1): 20, 23, 26, 29, 32
    assert got[("绿水乡", 2021)] == (23, 2020, 20, 3, 15.0)
    assert got[("绿水乡", 2020)] == (20, None, None, None, None)
    # 红石镇 sent no 2022 report: 2023 has nothing to compare with, 2022 is absent
    assert got[("红石镇", 2023)][1:] == (None, None, None, None)
    assert ("红石镇", 2022) not in got
    # the correction counts: 青山镇 2024 is 25 against 16 in 2023
    assert got[("青山镇", 2024)] == (25, 2023, 16, 9, 56.3)
    # a change from zero has no percentage
    zero = {(t, y): r for t, y, *r in rows(con, """
        SELECT township, year, prev_value, change, pct_change FROM v_yoy WHERE metric = 'admin_reconsideration_cases'""")}
    assert zero[("青山镇", 2023)] == [0.0, 1.0, None]     # 2022 % 3 = 0, 2023 % 3 = 1


def test_v_completeness_present_missing_and_missing_reports(con):
    required = load_config().required_metrics
    status = {(t, y, m): s for t, y, m, s in rows(con, "SELECT township, year, metric, status FROM v_completeness")}
    assert status[("绿水乡", 2023, "admin_litigation_cases")] == "missing"
    assert status[("绿水乡", 2023, "disputes_mediated")] == "present"
    for metric in required:                               # a roster township with no report that year
        assert status[("红石镇", 2022, metric)] == "no_report"
        assert all(status[("东湖镇", y, metric)] == "no_report" for y in YEARS)
    towns = len(MULTI_YEAR_ROSTER[MULTI_YEAR_COUNTY])
    assert len(status) == towns * len(YEARS) * len(required)
    assert sum(s == "missing" for s in status.values()) == 1
    assert sum(s == "no_report" for s in status.values()) == (len(YEARS) + 1) * len(required)


def test_v_last_run_is_the_latest_run(con):
    (run_id, status, current, duration), = rows(con, "SELECT run_id, status, current_reports, duration_s FROM v_last_run")
    assert (run_id, status, current) == ("run-2", "completed", len(current_multi_year()))
    assert duration >= 0


def test_metric_catalog_and_roster_follow_the_files(con):
    cfg = load_config()
    catalog = load_catalog(cfg.catalog)
    got = rows(con, "SELECT metric, label, unit, required FROM metric_catalog ORDER BY ordinal")
    assert got == [(k, catalog.label(k), catalog.unit(k), k in cfg.required_metrics) for k in catalog.keys()]
    assert sorted(rows(con, "SELECT county, township FROM roster")) == sorted(
        (MULTI_YEAR_COUNTY, t) for t in MULTI_YEAR_ROSTER[MULTI_YEAR_COUNTY])


def test_a_metric_added_to_the_catalog_becomes_a_column_at_the_next_run(tmp_path: Path):
    cfg = load_config()
    text = cfg.catalog.read_text(encoding="utf-8") + """
[[metric]]
key = "village_legal_advisers"
label = "村（居）法律顾问人数"
unit = "人"
category = "legal_services"
units = ["人", "名"]
triggers = ["村法律顾问"]
"""
    wider = Catalog.from_toml(text)
    db = tmp_path / "w.duckdb"
    first = multi_year_reports()[:1]
    load_known_figures(db, first, Reference(load_catalog(cfg.catalog), tuple(cfg.required_metrics), {}))
    later = [{**first[0], "year": 2025, "figures": {**first[0]["figures"], "village_legal_advisers": 12}}]
    load_known_figures(db, later, Reference(wider, tuple(cfg.required_metrics), {}), run_id="run-2")
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert rows(con, "SELECT year, village_legal_advisers FROM v_township_year ORDER BY year") == [(2020, None), (2025, 12)]
        assert rows(con, "SELECT label FROM metric_catalog WHERE metric = 'village_legal_advisers'") == [("村（居）法律顾问人数",)]
        assert rows(con, "SELECT count(*) FROM roster") == [(0,)]     # the roster follows the config too
    finally:
        con.close()


def test_an_unknown_required_metric_is_a_clear_error(tmp_path: Path):
    cfg = load_config()
    ref = Reference(load_catalog(cfg.catalog), ("disputes_mediated", "not_a_metric"), {})
    with pytest.raises(ValueError, match="not_a_metric.*metrics.toml"):
        load_known_figures(tmp_path / "w.duckdb", multi_year_reports()[:1], ref)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        assert rows(con, "SELECT count(*) FROM reports") == [(0,)]      # the whole load rolled back
    finally:
        con.close()


def test_views_are_empty_not_broken_on_a_new_warehouse(tmp_path: Path):
    from warehouse.db import connect_writer

    con = connect_writer(tmp_path / "w.duckdb")
    try:
        for view in ("v_figures", "v_township_year", "v_trends", "v_yoy", "v_completeness", "v_last_run"):
            assert rows(con, f"SELECT count(*) FROM {view}") == [(0,)]
    finally:
        con.close()


# ── The same views on reports that went through the whole nightly flow (read, extract, validate, load) ──

FLOW_TOWNS = ("青山镇", "绿水乡", "白云街道")
FLOW_ROSTER = [*FLOW_TOWNS, "东湖镇"]


def flow_figures(i: int, year: int) -> dict[str, int]:
    n = year - 2020
    return {"disputes": 30 + 7 * i + 3 * n, "events": 10 + i + 2 * n, "officers": 8 + i, "litigation": (i + n) % 2}


@pytest.fixture(scope="module")
def flow_warehouse(prefect_api, tmp_path_factory) -> Path:
    """A generated inbox (3 townships x 2020-2024; 白云街道 sent no 2021 report, 绿水乡 2023 leaves the
    lawsuits out) run through the flow, then a corrected 青山镇 2024 report in a second run."""
    from flows.nightly import nightly_ingest
    from tests.helpers import make_report

    work = tmp_path_factory.mktemp("flow-views")
    inbox, db, config = work / "inbox", work / "w.duckdb", work / "fazhi.toml"
    inbox.mkdir()
    config.write_text(f'[roster.counties]\n"示例县" = {FLOW_ROSTER!r}\n'.replace("'", '"'), encoding="utf-8")
    for i, town in enumerate(FLOW_TOWNS):
        for year in range(2020, 2025):
            if (town, year) == ("白云街道", 2021):
                continue
            f = flow_figures(i, year)
            litigation = None if (town, year) == ("绿水乡", 2023) else f["litigation"]
            text = make_report(town, year, events=f["events"], officers=f["officers"], disputes=f["disputes"],
                               litigation=litigation)
            (inbox / f"{town}{year}.txt").write_text(text, encoding="utf-8")
    nightly_ingest(inbox=str(inbox), db=str(db), config=str(config))
    fixed = {**flow_figures(0, 2024), "disputes": 99}
    (inbox / "青山镇2024更正.txt").write_text(
        make_report("青山镇", 2024, events=fixed["events"], officers=fixed["officers"], disputes=99,
                    litigation=fixed["litigation"], study=4), encoding="utf-8")
    nightly_ingest(inbox=str(inbox), db=str(db), config=str(config))
    return db


def flow_expected() -> dict[tuple[str, int], dict[str, int]]:
    out = {(t, y): flow_figures(i, y) for i, t in enumerate(FLOW_TOWNS) for y in range(2020, 2025)
           if (t, y) != ("白云街道", 2021)}
    out[("青山镇", 2024)]["disputes"] = 99
    del out[("绿水乡", 2023)]["litigation"]
    return out


FLOW_METRICS = {"disputes": "disputes_mediated", "events": "publicity_events",
                "officers": "certified_enforcement_officers", "litigation": "admin_litigation_cases"}


def test_flow_figures_reach_the_views(flow_warehouse: Path, query):
    got = {(t, y, m): v for t, y, m, v in query(flow_warehouse, f"""
        SELECT township, year, metric, value FROM v_figures WHERE metric IN {tuple(FLOW_METRICS.values())}""")}
    want = {(t, y, FLOW_METRICS[k]): v for (t, y), f in flow_expected().items() for k, v in f.items()}
    assert got == want                              # the plan target (计划…不少于20次) never counts


def test_flow_trends_and_yoy(flow_warehouse: Path, query):
    expected = flow_expected()
    totals = dict(query(flow_warehouse, "SELECT year, total FROM v_trends WHERE metric = 'disputes_mediated'"))
    assert totals == {y: sum(f["disputes"] for (t, yy), f in expected.items() if yy == y) for y in range(2020, 2025)}
    yoy = query(flow_warehouse, """SELECT prev_value, change FROM v_yoy
                                   WHERE metric = 'disputes_mediated' AND township = '青山镇' AND year = 2024""")
    assert yoy == [(expected[("青山镇", 2023)]["disputes"], 99 - expected[("青山镇", 2023)]["disputes"])]


def test_flow_completeness_and_last_run(flow_warehouse: Path, query):
    status = {(t, y, m): s for t, y, m, s in query(flow_warehouse,
                                                    "SELECT township, year, metric, status FROM v_completeness")}
    assert status[("绿水乡", 2023, "admin_litigation_cases")] == "missing"
    assert status[("白云街道", 2021, "disputes_mediated")] == "no_report"
    assert status[("东湖镇", 2024, "publicity_events")] == "no_report"
    assert status[("青山镇", 2024, "admin_reconsideration_cases")] == "present"     # 全年无行政复议案件 = 0
    (loaded, superseded, current), = query(flow_warehouse,
                                           "SELECT reports_loaded, reports_superseded, current_reports FROM v_last_run")
    assert (loaded, superseded, current) == (1, 1, len(flow_expected()))


# [roster] deadline "01-01" (Asia/Shanghai): the report for year Y is due on 1 January of Y + 1, overdue from
# 2 January. The run's clock is pinned, so the test means the same on every day it is run.
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("as_of, due", [
    (datetime(2025, 12, 31, 12, 0, tzinfo=SHANGHAI), {2022, 2023, 2024}),     # the day before the deadline
    (datetime(2026, 1, 1, 23, 0, tzinfo=SHANGHAI), {2022, 2023, 2024}),       # 1 January: the deadline day itself
    (datetime(2026, 1, 2, 0, 30, tzinfo=SHANGHAI), {2022, 2023, 2024, 2025}),  # the day after: 2025 is owed
], ids=["31-december", "1-january", "2-january"])
def test_completeness_and_missing_report_alerts_agree_on_the_years_due(run_flow, tmp_path: Path, write_config,
                                                                       query, as_of: datetime, due: set[int]):
    """Last year is due once the deadline has passed, earlier years with reports are due, this year is not;
    v_completeness lists as no_report exactly the (township, year) the missing_report alerts name."""
    from tests.helpers import make_report

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    reported = {("青山镇", 2023), ("青山镇", 2024), ("绿水乡", 2022), ("青山镇", 2025)}
    for town, year in reported:
        (inbox / f"{town}{year}.txt").write_text(make_report(town, year), encoding="utf-8")
    config = write_config('[roster]\ndeadline = "01-01"\ntimezone = "Asia/Shanghai"\n'
                          '[roster.counties]\n"示例县" = ["青山镇", "绿水乡", "白云街道"]\n')
    db = tmp_path / "w.duckdb"
    run_flow(inbox, db, config, as_of=as_of)
    gaps = set(query(db, "SELECT DISTINCT township, year FROM v_completeness WHERE status = 'no_report'"))
    alerts = set(query(db, "SELECT township, year FROM alerts WHERE kind = 'missing_report'"))
    assert gaps == alerts
    assert gaps == {(t, y) for t in ("青山镇", "绿水乡", "白云街道") for y in due} - reported
    assert query(db, "SELECT years FROM roster_due") == [(sorted(due),)]
