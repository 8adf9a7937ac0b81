"""Settling a report's metadata from the text, the file name, the folder, the roster and overrides."""
from __future__ import annotations

from transforms.metadata import read_metadata
from transforms.settle import Override, Sources, settle

NAMELESS = "法治政府建设情况报告\n2022年，我镇坚持依法行政，全面推进法治政府建设。\n一、主要成效\n全年开展普法活动8次。"
NAMED = "高观镇2022年法治政府建设情况报告\n2022年，高观镇坚持依法行政。\n"


def test_the_text_wins_and_is_recorded_as_the_source():
    got = settle(read_metadata(NAMED), Sources("城口县/北屏乡2021年报告.docx", folder_county="城口县"))
    assert (got.township, got.township_source, got.year, got.year_source) == ("高观镇", "text", 2022, "text")
    assert (got.county, got.county_source, got.problem) == ("城口县", "folder", None)


def test_the_file_name_supplies_township_and_year_the_text_lacks():
    got = settle(read_metadata("法治政府建设情况报告\n我镇坚持依法行政。"),
                 Sources("inbox/北屏乡_2020年度_法治政府建设情况报告.docx"))
    assert (got.township, got.township_source, got.year, got.year_source) == ("北屏乡", "file_name", 2020,
                                                                               "file_name")


def test_a_folder_named_like_a_township_supplies_it_last():
    got = settle(read_metadata(NAMELESS), Sources("城口县/北屏乡/报告.txt", folder_county="城口县"))
    assert (got.township, got.township_source) == ("北屏乡", "folder")


def test_the_roster_supplies_the_county_of_a_rostered_township():
    got = settle(read_metadata(NAMED), Sources("a.txt", roster={"高观镇": "城口县"}))
    assert (got.county, got.county_source) == ("城口县", "roster")


def test_a_rostered_file_name_beats_a_text_name_off_the_roster():
    got = settle(read_metadata("石门镇法治政府建设情况报告\n2022年，我镇依法行政。"),
                 Sources("北屏乡2022年报告.txt", roster={"北屏乡": "城口县", "高观镇": "城口县"}))
    assert (got.township, got.township_source, got.problem) == ("北屏乡", "file_name", None)


def test_a_name_off_the_roster_of_its_county_is_suspect():
    got = settle(read_metadata(NAMED), Sources("a.txt", roster={"北屏乡": "城口县"}))
    assert got.problem == "not_on_roster" and "高观镇" in got.candidates["townships"]


def test_nothing_found_is_a_problem_with_the_candidates_never_a_guess():
    got = settle(read_metadata(NAMELESS), Sources("报告.txt"))
    assert (got.township, got.problem) == (None, "no_township")
    assert got.candidates == {"townships": [], "years": [2022]}
    assert "township" in got.message


def test_a_report_with_no_year_anywhere_waits_for_one():
    got = settle(read_metadata("高观镇法治政府建设情况报告\n我镇坚持依法行政。"), Sources("report.txt"))
    assert (got.township, got.year, got.problem) == ("高观镇", None, "no_year")


def test_an_override_beats_every_other_source():
    got = settle(read_metadata(NAMED), Sources("a.txt", folder_county="城口县",
                                               override=Override(township="北屏乡", year=2021)))
    assert (got.township, got.township_source, got.year, got.year_source) == ("北屏乡", "override", 2021, "override")
    assert got.problem is None
