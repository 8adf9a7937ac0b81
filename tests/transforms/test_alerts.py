"""Alert rows: stable ids, missing figures, failed checks, and overdue reports of a roster."""
from __future__ import annotations

from datetime import datetime, timezone

import polars as pl
import pytest

from transforms.alerts import (ALERTS_SCHEMA, alert_id, deadline_passed, due_years, figure_alerts,
                               missing_report_alerts)

REPORTS = pl.DataFrame([
    {"report_id": "a1", "township": "青山镇", "county": "示例县", "year": 2022, "file_name": "qingshan.txt"},
    {"report_id": "b2", "township": "绿水乡", "county": None, "year": 2023, "file_name": "lvshui.docx"},
], schema={"report_id": pl.String, "township": pl.String, "county": pl.String, "year": pl.Int32,
           "file_name": pl.String})
ROSTER = {"示例县": ["青山镇", "绿水乡", "白云街道"], "邻县": ["青山镇"]}


def _missing(*rows: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"report_id": pl.String, "metric": pl.String}, orient="row")


def _rejected(*rows: tuple[str, str, str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"report_id": pl.String, "metric": pl.String, "expectation": pl.String},
                        orient="row")


def _reported(*rows: tuple[str | None, str, int]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"county": pl.String, "township": pl.String, "year": pl.Int32}, orient="row")


def test_missing_and_failed_figures_become_alerts_naming_report_and_metric():
    alerts = figure_alerts(REPORTS, _missing(("a1", "publicity_events"), ("b2", "disputes_mediated")),
                           _rejected(("a1", "mediation_success_rate", "rate_within_0_100")))
    assert alerts.schema == pl.Schema(ALERTS_SCHEMA)
    got = {(r["kind"], r["township"], r["year"], r["metric"], r["detail"], r["file_name"])
           for r in alerts.iter_rows(named=True)}
    assert got == {("missing_figure", "青山镇", 2022, "publicity_events", None, "qingshan.txt"),
                   ("missing_figure", "绿水乡", 2023, "disputes_mediated", None, "lvshui.docx"),
                   ("dq_failure", "青山镇", 2022, "mediation_success_rate", "rate_within_0_100", "qingshan.txt")}


def test_the_same_finding_gets_the_same_id_and_is_raised_once():
    missing = _missing(("a1", "publicity_events"))
    first, again = figure_alerts(REPORTS, missing, _rejected()), figure_alerts(REPORTS, missing, _rejected())
    assert first["alert_id"].to_list() == again["alert_id"].to_list()
    rejected_twice = _rejected(("a1", "publicity_events", "value_not_negative"),
                               ("a1", "publicity_events", "one_result_per_metric"))
    assert figure_alerts(REPORTS, _missing(), rejected_twice).height == 1
    assert alert_id("missing_figure", "示例县", "青山镇", 2022, "x") != alert_id("missing_figure", "邻县", "青山镇", 2022, "x")


@pytest.mark.parametrize("now, expected", [
    (datetime(2026, 3, 31, 12, 0, tzinfo=timezone.utc), None),          # 20:00 on the deadline in Shanghai
    (datetime(2026, 3, 31, 16, 30, tzinfo=timezone.utc), 2025),         # 00:30 on 1 April in Shanghai
    (datetime(2026, 11, 25, tzinfo=timezone.utc), 2025),
    (datetime(2026, 1, 5, tzinfo=timezone.utc), None),                  # before this year's deadline
])
def test_the_deadline_is_a_local_day(now, expected):
    assert deadline_passed(now, "03-31", "Asia/Shanghai") == expected


def test_a_bad_deadline_says_what_to_write():
    with pytest.raises(ValueError, match="fazhi.toml"):
        deadline_passed(datetime(2026, 5, 1, tzinfo=timezone.utc), "March 31", "Asia/Shanghai")


def test_rostered_townships_without_last_years_report_are_overdue_after_the_deadline():
    reported = _reported(("示例县", "青山镇", 2025), (None, "绿水乡", 2025), ("示例县", "白云街道", 2024))
    alerts = missing_report_alerts(ROSTER, reported, now=datetime(2026, 4, 2, tzinfo=timezone.utc),
                                   deadline="03-31", tz="Asia/Shanghai")
    got = {(r["county"], r["township"], r["year"], r["kind"], r["detail"]) for r in alerts.iter_rows(named=True)}
    assert got == {("示例县", "白云街道", 2025, "missing_report", "2026-03-31"),
                   ("邻县", "青山镇", 2025, "missing_report", "2026-03-31"),
                   # 2024 is due too: the county holds a 2024 report, and v_completeness counts it
                   ("示例县", "青山镇", 2024, "missing_report", "2025-03-31"),
                   ("示例县", "绿水乡", 2024, "missing_report", "2025-03-31"),
                   ("邻县", "青山镇", 2024, "missing_report", "2025-03-31")}
    assert alerts["report_id"].is_null().all() and alerts["metric"].is_null().all()
    assert alerts.schema == pl.Schema(ALERTS_SCHEMA)


def test_nothing_is_overdue_before_the_deadline_or_without_a_roster():
    early = missing_report_alerts(ROSTER, _reported(), now=datetime(2026, 3, 1, tzinfo=timezone.utc),
                                  deadline="03-31", tz="Asia/Shanghai")
    no_roster = missing_report_alerts({}, _reported(), now=datetime(2026, 6, 1, tzinfo=timezone.utc),
                                      deadline="03-31", tz="Asia/Shanghai")
    assert early.is_empty() and no_roster.is_empty()


def test_an_overdue_report_keeps_its_id_from_run_to_run():
    args = dict(deadline="03-31", tz="Asia/Shanghai")
    a = missing_report_alerts(ROSTER, _reported(), now=datetime(2026, 4, 2, tzinfo=timezone.utc), **args)
    b = missing_report_alerts(ROSTER, _reported(), now=datetime(2026, 9, 9, tzinfo=timezone.utc), **args)
    assert sorted(a["alert_id"]) == sorted(b["alert_id"]) and a.height == 4


@pytest.mark.parametrize("now, expected", [
    (datetime(2026, 4, 2, tzinfo=timezone.utc), {2023, 2024, 2025}),     # after the deadline: 2025 owed, reported or not
    (datetime(2026, 3, 1, tzinfo=timezone.utc), {2023, 2024}),           # before it: 2025 is still coming in
])
def test_due_years_are_last_year_after_its_deadline_and_earlier_years_with_reports(now, expected):
    assert due_years({2023, 2024, 2025}, now, "03-31", "Asia/Shanghai") == expected
