from __future__ import annotations

import csv
from pathlib import Path

import pytest

from transforms.metadata import Metadata, read_metadata
from transforms.read import decode_document

ROOT = Path(__file__).resolve().parents[2]
GOLD_SETS = [
    (ROOT / "inbox", ROOT.parent / "shared" / "gold" / "reports.csv"),
    (ROOT / "tests" / "data" / "corpus" / "reports", ROOT / "tests" / "data" / "corpus" / "gold" / "reports.csv"),
]


def _gold_rows():
    for folder, gold in GOLD_SETS:
        if not gold.exists():
            continue
        for row in csv.DictReader(gold.open(encoding="utf-8")):
            yield pytest.param(folder / row["file"], row, id=row["file"])


@pytest.mark.parametrize("path, want", list(_gold_rows()))
def test_metadata_matches_the_gold_of_every_sample_and_corpus_report(path, want):
    text = decode_document(path.read_bytes(), path.name, max_bytes=50 * 2**20)
    got = read_metadata(text)
    assert got == Metadata(want["township"] or None, want["county"] or None, want["city"] or None,
                           int(want["year"]) if want["year"] else None)


def meta(*lines: str) -> Metadata:
    return read_metadata("\n".join(lines))


BODY = "深入学习贯彻习近平法治思想，坚持依法行政，法治政府建设各项工作有序推进，取得了新的成效。现将有关情况报告如下。"


def test_city_county_and_township_run_together_in_a_letterhead():
    got = meta("杭州市西湖区北山街道办事处", "关于2023年度法治政府建设情况的报告", "区委、区政府：", "2023年，北山街道" + BODY)
    assert got == Metadata("北山街道", "西湖区", "杭州市", 2023)


def test_municipality_district_and_chinese_year():
    got = meta("中共重庆市渝北区木耳镇委员会", "重庆市渝北区木耳镇人民政府", "关于二〇一九年度法治政府建设工作情况的报告",
               "二〇一九年，木耳镇" + BODY)
    assert got == Metadata("木耳镇", "渝北区", "重庆市", 2019)


def test_county_level_city_is_the_county_and_its_prefecture_the_city():
    got = meta("诸暨市枫桥镇2022年法治政府建设情况报告", "市委、市政府：",
               "2022年，枫桥镇按照绍兴市、诸暨市的部署，" + BODY)
    assert got == Metadata("枫桥镇", "诸暨市", "绍兴市", 2022)


def test_county_level_city_without_its_prefecture_named_has_no_city():
    got = meta("中共桐乡市乌镇镇委员会", "关于2021年法治政府建设情况的报告", "市委、市政府：", "2021年，乌镇镇" + BODY)
    assert got == Metadata("乌镇镇", "桐乡市", None, 2021)


def test_banner_sumu_and_league():
    got = meta("正蓝旗上都镇2020年法治政府建设工作报告", "2020年，上都镇在锡林郭勒盟、正蓝旗的正确领导下，" + BODY)
    assert got == Metadata("上都镇", "正蓝旗", "锡林郭勒盟", 2020)


def test_ethnic_township_keeps_its_full_name():
    got = meta("峨边彝族自治县勒乌乡2024年度法治政府建设情况报告", "2024年，勒乌乡按照乐山市、峨边彝族自治县部署，" + BODY)
    assert got == Metadata("勒乌乡", "峨边彝族自治县", "乐山市", 2024)


def test_county_from_the_addressee_line_only():
    got = meta("北湖乡人民政府", "关于2022年法治政府建设工作情况的报告", "盐源县人民政府：", "2022年，北湖乡" + BODY)
    assert got == Metadata("北湖乡", "盐源县", None, 2022)


def test_county_from_an_addressee_naming_party_committee_and_government():
    got = meta("福海县委、县政府：", "2023年，解特阿热勒镇" + BODY, "解特阿热勒镇人民政府", "2024年1月5日")
    assert got == Metadata("解特阿热勒镇", "福海县", None, 2023)


def test_county_from_a_document_title_and_city_from_another():
    got = meta("2021年，新城镇认真贯彻落实《西湖区2021年法治政府建设工作要点》和《杭州市法治政府建设实施方案》，" + BODY)
    assert got == Metadata("新城镇", "西湖区", "杭州市", 2021)


def test_township_and_year_from_the_first_sentence_when_there_is_no_title():
    got = meta("2020年，长乐乡法治政府建设工作在县委、县政府的正确领导下，" + BODY)
    assert got == Metadata("长乐乡", None, None, 2020)


def test_township_from_the_sign_off():
    got = meta("法治政府建设工作情况报告", "今年以来，我镇" + BODY, "2021年，我镇共调解纠纷12件。", "青石镇人民政府",
               "2021年12月20日")
    assert got.township == "青石镇"


@pytest.mark.parametrize("opening, year", [
    (("关于报送2021年度法治政府建设工作情况的", "报 告", "区人民政府：", "今年以来，我镇" + BODY), 2021),
    (("XX", "2022年，我乡" + BODY), 2022),
    (("青石镇2022年工作总结及2023年工作计划", "2022年，我镇" + BODY), 2022),
    (("青石镇人民政府文件", "青府发〔2023〕5号", "关于2022年度法治政府建设情况的报告", "今年以来" + BODY), 2022),
    (("青石镇法治政府建设情况报告", "根据《法治政府建设实施纲要（2021—2025年）》要求，2023年，我镇" + BODY), 2023),
    (("青石镇法治政府建设情况报告", "2019年以来，我镇" + BODY, "2024年1月8日"), None),
    (("青石镇法治政府建设情况报告", "今年以来，我镇" + BODY, "青石镇人民政府", "2022年1月10日"), None),
    (("青石镇法治政府建设情况报告", "根据《青石镇2024年工作要点》，今年以来我镇" + BODY), None),
])
def test_report_year_is_never_a_document_number_range_plan_or_signing_date(opening, year):
    assert meta(*opening).year == year


def test_words_ending_in_a_township_suffix_are_not_townships():
    got = meta("法治政府建设情况报告", "今年以来，全镇推进新型城镇化和城乡融合，乡村振兴和乡镇综合执法改革取得成效。")
    assert got.township is None


def test_a_report_without_metadata_gives_none_for_every_field():
    assert meta("工作总结", "今年以来，我们认真开展各项工作。") == Metadata(None, None, None, None)


def test_township_names_ending_in_city_or_town_words_are_kept():
    assert meta("德清县新市镇2021年法治政府建设情况报告", "2021年，新市镇" + BODY).township == "新市镇"
    assert meta("桐乡市乌镇镇2021年法治政府建设情况报告", "2021年，乌镇镇" + BODY).township == "乌镇镇"


def test_a_district_the_gazetteer_does_not_know_is_still_the_county():
    got = meta("新湖区白鹭镇2022年法治政府建设情况报告", "2022年，白鹭镇按照长沙市、新湖区的部署，" + BODY)
    assert got == Metadata("白鹭镇", "新湖区", "长沙市", 2022)


@pytest.mark.parametrize("opening, county, city", [
    ("按照延安市和宜川县关于法治政府建设的总体部署，", "宜川县", "延安市"),
    ("认真落实大理白族自治州及宾川县关于法治政府建设的工作要求，", "宾川县", "大理白族自治州"),
    ("按照绵阳市与涪城区的统一部署，", "涪城区", "绵阳市"),
    ("在哈尔滨市香坊区委、区政府的正确领导下，", "香坊区", "哈尔滨市"),
])
def test_county_and_city_named_only_as_a_pair_in_the_first_paragraph(opening, county, city):
    got = meta("英旺乡2019年法治政府建设工作总结", "2019年，英旺乡在县委、县政府的正确领导下，" + opening + BODY)
    assert got == Metadata("英旺乡", county, city, 2019)


def test_a_city_and_county_pair_later_in_the_text_is_not_the_reports_county():
    """A visit to another county (学习借鉴…经验) says nothing about where the township is."""
    got = meta("英旺乡2019年法治政府建设工作总结", "2019年，英旺乡在县委、县政府的正确领导下，" + BODY,
               "组织干部赴杭州市和桐庐县学习借鉴法治乡村建设经验。")
    assert got == Metadata("英旺乡", None, None, 2019)


def test_an_autonomous_county_followed_by_its_own_committee():
    got = meta("桃源乡法治政府建设情况报告（2020年度）", "今年以来，桃源乡在景宁畲族自治县县委、县政府的领导下，" + BODY)
    assert got == Metadata("桃源乡", "景宁畲族自治县", None, 2020)


def test_a_county_made_a_city_is_known_by_its_new_name():
    got = meta("石桥镇二〇二一年法治政府建设工作总结", "二〇二一年，石桥镇认真贯彻落实遂宁市委、射洪市委关于法治建设的部署要求，" + BODY)
    assert got == Metadata("石桥镇", "射洪市", "遂宁市", 2021)


def test_a_subdistrict_whose_name_ends_in_zhen_keeps_it():
    got = meta("石湾镇街道2023年法治政府建设年度报告", "佛山市禅城区人民政府：", "2023年，石湾镇街道" + BODY)
    assert got == Metadata("石湾镇街道", "禅城区", "佛山市", 2023)


# --- names as real reports from other provinces write them (issue 9) ---------------------------------------

OPENING = "，我镇认真贯彻上级部署，依法全面履行政府职能，法治政府建设取得新进展。"


def test_a_name_stated_once_in_the_closing_words_of_the_opening_is_the_township():
    got = meta("法治政府建设情况报告", "2022年" + OPENING + "现将北屏乡2022年度法治政府建设情况报告如下：",
               "一、主要成效", "全年开展普法活动8次。")
    assert (got.township, got.year) == ("北屏乡", 2022)


def test_a_year_written_right_before_the_name_is_not_part_of_it():
    assert meta("2021年北屏乡法治政府建设工作报告", "2021年" + OPENING).township == "北屏乡"
    assert meta("二〇二一年北屏乡法治政府建设工作报告", "今年以来" + OPENING).township == "北屏乡"


def test_a_street_office_named_x_jie_is_a_township_when_the_list_knows_it():
    assert meta("黄石街2023年法治政府建设工作报告", "2023年" + OPENING).township == "黄石街"
    assert meta("步行街2023年法治政府建设工作报告", "2023年" + OPENING).township is None


def test_sumu_ethnic_townships_banners_and_county_level_cities():
    assert meta("达尔汗苏木2022年法治政府建设情况报告", "2022年" + OPENING).township == "达尔汗苏木"
    assert meta("长哨营满族乡2022年法治政府建设情况报告", "2022年" + OPENING).township == "长哨营满族乡"
    banner = meta("正蓝旗上都镇2020年法治政府建设情况报告", "2020年" + OPENING)
    assert (banner.township, banner.county) == ("上都镇", "正蓝旗")
    city = meta("句容市下蜀镇2021年法治政府建设情况报告", "2021年" + OPENING)
    assert (city.township, city.county) == ("下蜀镇", "句容市")


def test_level_words_and_words_run_on_before_a_generic_suffix_are_not_names():
    got = meta("法治政府建设情况报告", "2022年" + OPENING, "一、加大镇级法治宣传力度",
               "健全乡级调解组织，组织镇村干部学法两次。", "二、为我镇发展提供法治保障。")
    assert got.township is None


def test_a_known_name_is_cut_out_of_the_words_run_on_before_it():
    assert meta("法治政府建设情况报告", "2022年" + OPENING + "现将高观镇有关情况报告如下。").township == "高观镇"


def test_a_confirmed_name_beats_a_pattern_guess_in_the_opening():
    got = meta("法治政府建设情况报告", "2022年，新阳光镇与高观镇" + OPENING)
    assert got.township == "高观镇"
    assert [c.name for c in got.candidates][:2] == ["新阳光镇", "高观镇"]


def test_a_name_only_in_the_body_as_a_paragraph_subject_is_the_township():
    got = meta("法治政府建设情况报告", "2022年" + OPENING, "一、主要成效",
               "高观镇深入推进依法行政，全年开展普法活动8次。")
    assert got.township == "高观镇"


def test_a_saved_web_page_is_read_from_the_report_title_below_its_navigation():
    got = meta("首页 > 政务公开 > 镇街信息公开 > 北屏乡 > 法治政府建设年度报告 > 信息公开事项 > 规划计划与工作总结",
               "• 成文时间:2023年01月28日", "• 文  号:",
               "城口县北屏乡2022年度法治政府建设情况报告",
               "今年以来" + OPENING)
    assert (got.township, got.county, got.year) == ("北屏乡", "城口县", 2022)


def test_the_county_a_report_answers_to_in_its_opening_is_its_county():
    got = meta("法治政府建设情况报告", "2023年，我镇依照伊金霍洛旗的统一部署，持续推进依法行政。"
               "现将青山镇2023年有关情况报告如下。")
    assert (got.township, got.county) == ("青山镇", "伊金霍洛旗")


def test_since_year_is_the_report_year_only_when_the_report_names_no_other():
    assert meta("青石镇法治政府建设情况报告", "2025年以来" + OPENING).year == 2025
    assert meta("青石镇五年法治政府建设情况报告", "2021年以来" + OPENING).year is None


def test_a_self_reference_is_no_name_and_a_known_name_said_once_is_the_township():
    got = meta("法治政府建设情况报告", "2024年，我乡围绕中心工作，以促进全乡社会稳定为目标依法行政。",
               "一、主要成效", "聘请北屏乡法治副校长2名，开展普法活动6次。")
    assert got.township == "北屏乡"


def test_a_web_page_field_before_the_name_is_no_county_and_a_short_autonomous_county_name_is_one():
    got = meta("新林镇2025年法治政府建设工作报告", "发布机构峨边县新林镇人民政府", "2025年" + OPENING)
    assert (got.township, got.county) == ("新林镇", "峨边县")


def test_a_document_title_that_starts_with_a_year_names_the_county():
    got = meta("殷行街道2024年法治政府建设情况报告",
               "2024年，殷行街道对照《2024年杨浦区依法行政工作安排》逐项落实各项任务。")
    assert got.county == "杨浦区"


def test_web_page_fields_in_a_table_do_not_hide_the_opening():
    got = meta("| 索 引 号 | 11370000/2026-00001 | 公开方式 | 主动公开 |", "| 发布机构 | 示例区青山镇 | 成文日期 | 2026-02-10 |",
               "2025年，青山镇在区委、区政府的正确领导下，坚持依法行政，法治政府建设取得新进展。现将有关情况报告如下：")
    assert (got.township, got.year) == ("青山镇", 2025)


def test_verbs_before_a_name_nobody_lists_are_not_part_of_it():
    got = meta("一、主要成效", "积极完成新兴路街道幼儿园改造，全街道开展普法活动。", "新兴路街道深入推进依法行政。")
    assert got.township == "新兴路街道"


def test_a_township_named_only_by_its_own_organ_is_the_township():
    got = meta("2022年，我镇坚持依法行政。现就我镇2022年度法治政府建设情况报告如下：", "一、主要举措",
               "二是把法治课程列入石岭镇委党校培训计划。")
    assert got.township == "石岭镇"


def test_a_chain_of_superiors_names_the_county_and_its_city():
    got = meta("2022年，我镇坚持依法行政。", "一、主要举措", "及时传达中央、省、韶关市和乐昌市的工作部署。",
               "坚持学习，推进坪石镇法治建设。")
    assert (got.county, got.city) == ("乐昌市", "韶关市")


def test_a_county_level_city_now_a_district_is_known_by_its_new_name():
    got = meta("2023年，包场镇认真落实海门区委的部署，坚持依法行政。")
    assert (got.township, got.county) == ("包场镇", "海门区")


def test_a_verb_before_a_generic_suffix_is_no_name():
    assert meta("2022年，我乡扎实推进乡域基层法治建设，依法行政。").township is None


def test_the_first_heading_gives_the_year_of_a_report_whose_title_and_opening_name_none():
    got = meta("青山镇政府在区委领导下，认真落实上级的工作部署和要求，依法行政。现将有关情况汇报如下：",
               "一、2022年度推进法治政府建设的主要举措和成效", "（一）坚持高站位。")
    assert got.year == 2022


def test_a_county_named_with_its_rule_of_law_office_is_the_county():
    got = meta("青山镇政府认真执行武清区依法治区办下达的各项任务，依法行政。现将有关情况汇报如下：")
    assert got.county == "武清区"


def test_a_name_written_twice_deep_in_sentences_is_the_township():
    got = meta("我街严格落实上级要求，依法行政。现将我街有关工作情况总结如下：", "一、主要工作",
               "为加强领导干部学法，制定《黄石街2020年学法计划》。", "严格执行重大决策机制，按照《黄石街议事规则》执行。")
    assert got.township == "黄石街"


def test_the_year_the_report_names_for_itself_beats_an_earlier_year_before_it():
    m = meta("在上级党委的领导下，我镇在2023年工作基础上稳步推进各项工作。现将我镇2024年法治政府建设情况报告如下。",
             "一、压实责任")
    assert m.year == 2024


def test_a_verb_before_a_township_organ_is_no_name():
    m = meta("2023年，我镇扎实推进法治建设。现将有关情况报告如下：",
             "一、主要工作",
             "充分发挥镇党委在推进我镇法治建设中的领导作用，确保各项工作落实。")
    assert m.township is None


def test_county_from_a_web_pages_source_field():
    m = meta("青山镇2022年法治政府建设工作总结", "来源:闽清县 发布时间: 2023-01-12 11:02", BODY)
    assert (m.township, m.county) == ("青山镇", "闽清县")


def test_governing_the_township_by_law_is_no_name():
    m = meta("2023年以来，我镇坚持依法治镇、依法行政共同推进，法治政府建设取得成效。现将我镇法治政府建设情况汇报如下：",
             "一、主要工作")
    assert m.township is None


@pytest.mark.parametrize("title", ["关渡镇2023年法治政府建设情况报告", "关渡镇关于2023年法治政府建设情况的报告",
                                   "关渡镇人民政府2023年法治政府建设情况报告"])
def test_a_name_opening_a_title_before_its_year_may_start_with_a_verb(title):
    assert meta(title, BODY).township == "关渡镇"


def test_a_verb_before_a_suffix_in_the_body_is_still_no_name():
    assert meta("法治政府建设情况报告", "2023年，我镇推进镇村两级法治建设。" + BODY).township is None


def test_a_new_name_opening_its_title_is_not_cut_down_to_a_listed_name_inside_it():
    # 口镇 is on the township list; 高口镇 is not (a new or renamed township): the title names 高口镇
    assert meta("高口镇2023年法治政府建设情况报告", BODY).township == "高口镇"
