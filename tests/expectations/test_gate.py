"""The data-quality gate: real GX suites on pandas views of the batch, Data Docs on disk."""
from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from expectations.checks import CHECK_TEXT
from expectations.gate import DQ_SCHEMA, GateError, run_gate
from transforms.rows import FIGURES_SCHEMA, REPORTS_SCHEMA

CATALOG = ["publicity_events", "certified_enforcement_officers", "disputes_mediated", "mediation_success_rate",
           "petitions_received", "petitions_closed", "admin_reconsideration_cases", "admin_litigation_cases"]
PERCENT = ["mediation_success_rate"]
REQUIRED = ["disputes_mediated", "publicity_events"]
QUALITY = {"first_year": 2000, "township_suffixes": ["乡", "镇", "街道"],
           "part_of": [["petitions_closed", "petitions_received"]]}


def fig(metric: str, value: float | None, unit: str = "件", *, qualifier: str = "exact", plan: bool = False,
        evidence: str | None = "全年调解纠纷30件", start: int = 10, end: int = 19, parts: tuple = ()) -> dict:
    return {"metric": metric, "value": value, "unit": unit, "qualifier": qualifier, "is_plan": plan,
            "evidence": evidence, "start": start, "end": end, "parts": parts}


def batch(*reports: tuple) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(township, year, [fig, ...]) per report → reports and figures frames as transforms.rows builds them."""
    report_rows, figure_rows = [], []
    for seq, (township, year, figs, *county) in enumerate(reports):
        rid = f"r{seq:015d}"
        report_rows.append({"report_id": rid, "file_name": f"{township}{year}.txt", "path": f"{township}{year}.txt",
                            "sha256": rid.ljust(64, "0"), "size_bytes": 100, "township": township,
                            "county": county[0] if county else "示例县", "city": None, "year": year,
                            "county_source": "text", "text_chars": 100, "text": "…", "seq": seq})
        for f in figs:
            parts = json.dumps([{"value": p, "text": str(p), "start": 0, "end": 1} for p in f["parts"]]) \
                if f["parts"] else None
            figure_rows.append({"report_id": rid, "metric": f["metric"], "value": f["value"], "unit": f["unit"],
                                "qualifier": f["qualifier"], "is_plan": f["is_plan"], "evidence": f["evidence"],
                                "start_offset": f["start"], "end_offset": f["end"], "section": "achievements",
                                "parts": parts})
    return pl.DataFrame(report_rows, schema=REPORTS_SCHEMA), pl.DataFrame(figure_rows, schema=FIGURES_SCHEMA)


def gate(reports: pl.DataFrame, figures: pl.DataFrame, docs: Path, **over):
    kwargs = dict(catalog_keys=CATALOG, required=REQUIRED, current_year=2026, docs_dir=docs,
                  percent_metrics=PERCENT, quality=QUALITY)
    return run_gate(reports, figures, **{**kwargs, **over})


def rejected_of(result) -> set[tuple[str, float | None, str]]:
    return {(r["metric"], r["value"], r["expectation"]) for r in result.rejected.iter_rows(named=True)}


GOOD = [fig("disputes_mediated", 30), fig("publicity_events", 21, "次", parts=(14, 3, 4)),
        fig("mediation_success_rate", 98.5, "%"), fig("publicity_events", 20, "次", plan=True)]


def test_a_clean_batch_loads_whole_and_every_expectation_is_recorded(tmp_path):
    reports, figures = batch(("青山镇", 2022, GOOD), ("白云街道", 2023, GOOD))
    result = gate(reports, figures, tmp_path / "docs")
    assert result.figures.height == figures.height and result.rejected.is_empty()
    assert result.figures.columns == figures.columns
    assert result.missing.is_empty()
    dq = result.dq_results
    assert dq.schema == pl.Schema(DQ_SCHEMA)
    assert set(dq["suite"]) == {"reports", "figures", "completeness", "consistency"}
    assert dq["success"].all() and (dq["unexpected_count"] == 0).all()
    assert set(dq["expectation"]) <= set(CHECK_TEXT)
    assert dq.filter(pl.col("suite") == "figures")["element_count"].max() == figures.height


def test_rate_above_100_and_negative_count_are_rejected_and_the_rest_loads(tmp_path):
    reports, figures = batch(("青山镇", 2022, [fig("disputes_mediated", 30), fig("mediation_success_rate", 120, "%"),
                                              fig("publicity_events", -3, "次")]))
    result = gate(reports, figures, tmp_path / "docs")
    assert rejected_of(result) == {("mediation_success_rate", 120.0, "rate_within_0_100"),
                                   ("publicity_events", -3.0, "value_not_negative")}
    assert result.figures["metric"].to_list() == ["disputes_mediated"]
    assert result.missing.is_empty(), "a stated but rejected figure is a dq_failure, not a missing figure"
    failed = result.dq_results.filter(~pl.col("success"))
    assert set(failed["expectation"]) == {"rate_within_0_100", "value_not_negative"}
    rate = failed.filter(pl.col("expectation") == "rate_within_0_100").row(0, named=True)
    assert rate["unexpected_count"] == 1 and json.loads(rate["sample"])[0]["value"] == 120.0
    assert set(result.rejected.columns) == {"report_id", "metric", "value", "unit", "qualifier", "is_plan",
                                            "evidence", "start_offset", "end_offset", "expectation"}


@pytest.mark.parametrize("bad, check", [
    (fig("unknown_metric", 3), "metric_in_catalog"),
    (fig("certified_enforcement_officers", None, "名"), "value_not_null"),
    (fig("certified_enforcement_officers", 9, "名", qualifier="roughly"), "qualifier_in_set"),
    (fig("certified_enforcement_officers", 9, "名", evidence=""), "evidence_not_empty"),
    (fig("certified_enforcement_officers", 9, "名", evidence=None), "evidence_not_empty"),
    (fig("certified_enforcement_officers", 9, "名", start=30, end=12), "offsets_ordered"),
    (fig("publicity_events", 5, "次", parts=(14, 3)), "parts_within_total"),
    (fig("mediation_success_rate", 97, "件"), "unit_matches_catalog"),
    (fig("certified_enforcement_officers", 9, "%"), "unit_matches_catalog"),
])
def test_each_figure_check_rejects_the_figure_that_breaks_it(tmp_path, bad, check):
    reports, figures = batch(("青山镇", 2022, [fig("disputes_mediated", 30), fig("admin_litigation_cases", 1), bad]))
    result = gate(reports, figures, tmp_path / "docs")
    assert {r[2] for r in rejected_of(result)} == {check}
    assert result.rejected["metric"].to_list() == [bad["metric"]]
    assert result.figures.height == 2


def test_two_results_for_one_metric_of_a_report_are_both_rejected(tmp_path):
    reports, figures = batch(("青山镇", 2022, [fig("disputes_mediated", 30), fig("disputes_mediated", 31),
                                              fig("publicity_events", 12, "次"),
                                              fig("publicity_events", 20, "次", plan=True)]))
    result = gate(reports, figures, tmp_path / "docs")
    assert rejected_of(result) == {("disputes_mediated", 30.0, "one_result_per_metric"),
                                   ("disputes_mediated", 31.0, "one_result_per_metric")}
    assert sorted(result.figures["is_plan"].to_list()) == [False, True], "a plan target beside its result is fine"


@pytest.mark.parametrize("township, year, check", [
    ("青山镇", 1999, "year_in_range"),
    ("青山镇", 2027, "year_in_range"),
    ("青山村", 2022, "township_suffix"),
])
def test_a_report_failing_its_suite_loads_none_of_its_figures(tmp_path, township, year, check):
    reports, figures = batch((township, year, GOOD), ("白云街道", 2022, GOOD))
    result = gate(reports, figures, tmp_path / "docs")
    bad_id = reports["report_id"][0]
    assert set(result.rejected["report_id"]) == {bad_id} and set(result.rejected["expectation"]) == {check}
    assert result.rejected.height == len(GOOD)
    assert set(result.figures["report_id"]) == {reports["report_id"][1]}


def test_township_suffixes_come_from_the_config(tmp_path):
    reports, figures = batch(("巴彦苏木", 2022, GOOD))
    assert gate(reports, figures, tmp_path / "a").rejected.height == len(GOOD)
    widened = {**QUALITY, "township_suffixes": ["乡", "镇", "街道", "苏木"]}
    assert gate(reports, figures, tmp_path / "b", quality=widened).rejected.is_empty()


def test_versions_of_one_report_in_a_batch_leave_one_current(tmp_path):
    reports, figures = batch(("青山镇", 2022, GOOD), ("青山镇", 2022, GOOD))
    result = gate(reports, figures, tmp_path / "docs")
    row = result.dq_results.filter(pl.col("expectation") == "one_current_report").row(0, named=True)
    assert row["success"] and result.rejected.is_empty()


def test_completeness_names_each_required_figure_a_report_lacks(tmp_path):
    reports, figures = batch(
        ("青山镇", 2022, [fig("disputes_mediated", 30), fig("publicity_events", 12, "次")]),
        ("绿水乡", 2022, [fig("disputes_mediated", 4), fig("publicity_events", 8, "次", plan=True)]),
        ("白云街道", 2022, []))
    result = gate(reports, figures, tmp_path / "docs")
    ids = reports["report_id"].to_list()
    assert set(result.missing.iter_rows()) == {(ids[1], "publicity_events"), (ids[2], "disputes_mediated"),
                                               (ids[2], "publicity_events")}, "a plan target is no result"
    completeness = result.dq_results.filter(pl.col("suite") == "completeness")
    assert dict(completeness.filter(pl.col("expectation") == "required_metric_present")
                .select("column_name", "unexpected_count").iter_rows()) == {"disputes_mediated": 1,
                                                                            "publicity_events": 2}


def test_a_part_larger_than_its_total_is_rejected_and_the_total_loads(tmp_path):
    reports, figures = batch(("青山镇", 2022, GOOD + [fig("petitions_received", 5), fig("petitions_closed", 7)]),
                             ("绿水乡", 2022, GOOD + [fig("petitions_received", 9), fig("petitions_closed", 9)]),
                             ("白云街道", 2022, GOOD + [fig("petitions_closed", 3)]))
    result = gate(reports, figures, tmp_path / "docs")
    assert rejected_of(result) == {("petitions_closed", 7.0, "part_within_total_metric")}
    assert result.rejected["report_id"].to_list() == [reports["report_id"][0]]
    assert result.figures.filter(pl.col("metric") == "petitions_received").height == 2


def test_upper_bounds_from_the_catalog_reject_implausible_figures(tmp_path):
    reports, figures = batch(("青山镇", 2022, [fig("disputes_mediated", 30), fig("publicity_events", 90000, "次")]))
    result = gate(reports, figures, tmp_path / "docs", upper_bounds={"publicity_events": 5000})
    assert rejected_of(result) == {("publicity_events", 90000.0, "value_within_upper_bound")}


def test_an_empty_batch_still_records_every_expectation(tmp_path):
    reports, figures = batch()
    full = gate(*batch(("青山镇", 2022, GOOD)), tmp_path / "a")
    empty = gate(reports, figures, tmp_path / "b")
    assert empty.rejected.is_empty() and empty.missing.is_empty() and empty.figures.is_empty()
    assert sorted(empty.dq_results["expectation"]) == sorted(full.dq_results["expectation"])


def test_data_docs_show_the_latest_validation(tmp_path):
    docs = tmp_path / "docs"
    reports, figures = batch(("青山镇", 2022, [fig("mediation_success_rate", 120, "%")]))
    result = gate(reports, figures, docs)
    assert result.docs_index == docs / "index.html" and result.docs_index.is_file()
    pages = list((docs / "validations").rglob("*.html"))
    assert {p.parent.parent.parent.name for p in pages} == {"reports", "figures", "completeness", "consistency"}
    figures_page = next(p for p in pages if "figures" in p.parts).read_text(encoding="utf-8")
    assert CHECK_TEXT["rate_within_0_100"] in figures_page and "120" in figures_page


def test_a_part_of_pair_naming_an_unknown_metric_says_where_to_fix_it(tmp_path):
    with pytest.raises(GateError, match=r"\[quality\] part_of names petitions_lost"):
        gate(*batch(("青山镇", 2022, GOOD)), tmp_path / "docs",
             quality={**QUALITY, "part_of": [["petitions_lost", "petitions_received"]]})
