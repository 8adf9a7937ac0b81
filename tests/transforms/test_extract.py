"""Extractor: a report's text in, metadata + sections + figures out, fast enough for a county's inbox."""
from __future__ import annotations


import pytest

from tests.helpers import CORPUS, REPO, SAMPLE_INBOX, make_report
from transforms.catalog import load_catalog
from transforms.evaluate import evidence_problem
from transforms.extract import Extractor
from transforms.model import SECTION_KINDS
from transforms.read import decode_document

MAX = 20 * 1024 * 1024


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_catalog(REPO / "metrics.toml"))


def _text(path) -> str:
    return decode_document(path.read_bytes(), path.name, max_bytes=MAX)


def test_a_generated_report_gives_back_its_figures(extractor):
    text = make_report("青山镇", 2022, "示例县", study=3, events=12, materials=2000, officers=9, inspections=40,
                       disputes=30, rate="98.5", reconsideration=0, litigation=1, plan_events=20)
    ex = extractor.extract(text)
    assert (ex.township, ex.county, ex.year) == ("青山镇", "示例县", 2022)
    results = {f.metric: (f.value, f.qualifier) for f in ex.figures if not f.is_plan}
    assert results == {
        "party_group_law_study_sessions": (3, "exact"), "publicity_events": (12, "exact"),
        "publicity_materials": (2000, "approx"), "certified_enforcement_officers": (9, "exact"),
        "enforcement_inspections": (40, "exact"), "disputes_mediated": (30, "exact"),
        "mediation_success_rate": (98.5, "exact"), "admin_reconsideration_cases": (0, "exact"),
        "admin_litigation_cases": (1, "exact"),
    }
    plans = [(f.metric, f.value, f.qualifier) for f in ex.figures if f.is_plan]
    assert plans == [("publicity_events", 20, "at_least")]


def test_sample_report_figures_have_checkable_evidence_and_sections(extractor):
    path = SAMPLE_INBOX / "000_fcd23b873e1ba4c9.txt"
    text = _text(path)
    ex = extractor.extract(text)
    assert ex.township == "中梁镇" and ex.year == 2020
    assert ex.sections and all(s.kind in SECTION_KINDS for s in ex.sections)
    assert {"achievements", "problems", "plans"} <= {s.kind for s in ex.sections}
    by_metric = {f.metric: f for f in ex.figures}
    assert by_metric["publicity_events"].value == 21
    assert by_metric["admin_reconsideration_cases"].section == "problems"  # a count of the year
    for f in ex.figures:
        assert evidence_problem(f, text) == ""
        assert text[f.start:f.end] == f.evidence


def test_a_report_with_no_required_figure_gives_none_of_them(extractor):
    ex = extractor.extract(_text(CORPUS / "reports" / "c11_guizhou_fangxiang_2019.txt"))
    required = {"disputes_mediated", "admin_reconsideration_cases", "admin_litigation_cases",
                "publicity_events", "certified_enforcement_officers"}
    assert not required & {f.metric for f in ex.figures}
    assert {f.metric for f in ex.figures} >= {"party_group_law_study_sessions", "petitions_received"}


def test_one_figure_per_metric_and_plan_flag(extractor):
    for path in sorted((CORPUS / "reports").iterdir()):
        ex = extractor.extract(_text(path))
        keys = [(f.metric, f.is_plan) for f in ex.figures]
        assert len(keys) == len(set(keys)), path.name


def test_a_word_table_of_items_and_counts_gives_its_figures(extractor):
    """Rows 项目 | 数量 | 单位 of a .docx table come out one cell per line; each value takes its row."""
    from tests.helpers import docx_bytes

    paragraphs = ["青石镇2023年法治政府建设情况报告",
                  "2023年，青石镇在县委、县政府的领导下推进法治政府建设，主要数据见下表，现将有关情况报告如下。",
                  "开展法治宣传活动12次。", "青石镇人民政府", "2024年1月5日"]
    table = [["序号", "项目", "数量", "单位"], ["1", "普法宣传活动", "45", "场次"], ["2", "持证执法人员", "16", "人"],
             ["3", "人民调解纠纷", "67", "件"], ["4", "行政复议案件（件）", "0", ""]]
    data = docx_bytes(paragraphs, [table])
    ex = extractor.extract(decode_document(data, "qingshi.docx", max_bytes=MAX))
    got = {f.metric: f.value for f in ex.figures if not f.is_plan}
    assert got == {"publicity_events": 12, "certified_enforcement_officers": 16, "disputes_mediated": 67,
                   "admin_reconsideration_cases": 0}  # the prose states publicity first: it wins over the table


def test_plans_under_a_later_year_title_never_come_back_as_results(extractor):
    text = ("青石镇2024年法治政府建设情况报告\n2024年，青石镇在县委、县政府的领导下推进法治政府建设，现将有关情况报告如下。\n"
            "1.加强学法\n镇党委理论学习中心组全年学法6次。\n2025年重点工作：\n"
            "（1）全年安排党委理论学习中心组专题学法不少于八次；\n（2）今年我们还将开展普法活动5次。\n"
            "青石镇人民政府\n2025年1月8日")
    ex = extractor.extract(text)
    results = {f.metric: f.value for f in ex.figures if not f.is_plan}
    plans = {f.metric: f.value for f in ex.figures if f.is_plan}
    assert results == {"party_group_law_study_sessions": 6}
    assert plans == {"party_group_law_study_sessions": 8, "publicity_events": 5}


def _figures(ex) -> list[tuple]:
    return sorted((f.metric, f.value, f.qualifier, f.is_plan) for f in ex.figures)


@pytest.mark.parametrize("path", sorted(SAMPLE_INBOX.glob("*.txt")), ids=lambda p: p.name[:3])
def test_a_report_in_traditional_characters_extracts_as_its_simplified_twin(extractor, path):
    import opencc

    simplified = path.read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(simplified)
    assert traditional != simplified
    twin = extractor.extract(_text(path))
    ex = extractor.extract(decode_document(traditional.encode("utf-8"), "t.txt", max_bytes=MAX))
    assert (ex.township, ex.county, ex.city, ex.year) == (twin.township, twin.county, twin.city, twin.year)
    assert _figures(ex) == _figures(twin) and ex.figures


def test_utf16_with_crlf_and_the_name_once_late_in_the_opening(extractor):
    text = ("法治政府建设情况报告\r\n"
            "2023年，在县委、县政府的坚强领导下，我们坚持以习近平法治思想为指导，全面推进依法行政，"
            "各项工作取得新进展。现将北屏乡2023年法治政府建设情况报告如下。\r\n"
            "一、主要成效\r\n全年开展普法宣传活动15次，乡调委会调解纠纷26件。\r\n")
    ex = extractor.extract(decode_document(text.encode("utf-16"), "r.txt", max_bytes=MAX))
    assert (ex.township, ex.year) == ("北屏乡", 2023)
    assert {(f.metric, f.value) for f in ex.figures} >= {("publicity_events", 15), ("disputes_mediated", 26)}
