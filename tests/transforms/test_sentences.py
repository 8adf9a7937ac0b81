from __future__ import annotations

import pytest

from transforms.model import SECTION_KINDS
from transforms.sentences import sentences, split_sections

REPORT = """青石镇2022年法治政府建设情况报告
2022年，青石镇在县委、县政府的正确领导下，深入推进法治政府建设，现将有关情况报告如下。
一、主要做法和成效
（一）压实法治建设第一责任人职责
镇党委中心组学法6次。将法治建设纳入全镇年度工作要点，已召开专题会议2次。
（二）深化普法宣传
开展普法活动12次；发放资料3000余份。
二、存在的问题
一是执法力量不足；二是普法形式单一。
三、下一步工作打算
（一）加强学法
计划开展普法活动不少于20次。
（二）强化执法
全年开展执法检查不少于50次。
青石镇人民政府
2023年1月10日"""


def kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.title) for s in split_sections(text)]


def kind_runs(text: str) -> list[str]:
    """Section kinds in order, consecutive repeats collapsed (sub-headings of one kind count once)."""
    runs: list[str] = []
    for section in split_sections(text):
        if not runs or runs[-1] != section.kind:
            runs.append(section.kind)
    return runs


def sentence_with(text: str, needle: str, report_year: int | None = None):
    found = [s for s in sentences(text, split_sections(text, report_year), report_year) if needle in s.text]
    assert len(found) == 1, found
    return found[0]


def test_sections_cover_the_text_without_gaps_and_use_known_kinds():
    sections = split_sections(REPORT)
    assert sections[0].start == 0 and sections[-1].end == len(REPORT)
    assert all(a.end == b.start for a, b in zip(sections, sections[1:]))
    assert {s.kind for s in sections} <= set(SECTION_KINDS)


def test_headings_are_classified_and_sub_headings_inherit_or_say_their_own_kind():
    assert kinds(REPORT) == [
        ("preamble", ""), ("achievements", "一、主要做法和成效"), ("duties", "（一）压实法治建设第一责任人职责"),
        ("achievements", "（二）深化普法宣传"), ("problems", "二、存在的问题"), ("plans", "三、下一步工作打算"),
        ("plans", "（一）加强学法"), ("plans", "（二）强化执法"), ("other", ""),
    ]


def test_a_sub_heading_inside_plans_stays_plans_even_with_achievement_words():
    text = "一、主要成效\n开展活动3次。\n二、2024年工作安排\n（一）巩固主要成效\n开展活动不少于5次。"
    assert [k for k, _ in kinds(text)] == ["achievements", "plans", "plans"]


@pytest.mark.parametrize("top", ["1.", "(一)", "（一）", "第一部分 ", "一是"])
def test_any_heading_style_can_be_the_top_level(top):
    second = {"1.": "2.", "(一)": "(二)", "（一）": "（二）", "第一部分 ": "第二部分 ", "一是": "二是"}[top]
    text = f"青石镇2021年法治政府建设报告\n{top}强化组织领导。全年学法4次。\n{second}存在的不足。执法力量不足。"
    assert [k for k, _ in kinds(text)] == ["preamble", "achievements", "problems"]


@pytest.mark.parametrize("title, kind", [
    ("四、2024年工作安排", "plans"), ("三、下步主要安排", "plans"), ("五、下一步工作措施", "plans"),
    ("三、2023年工作思路", "plans"), ("四、2022年度推进法治政府建设的主要安排", "plans"),
    ("三、存在的不足和原因", "problems"), ("二、法治政府建设工作存在的问题", "problems"),
    ("一、“十四五”以来法治政府建设回顾", "review"), ("一、五年来工作回顾", "review"),
    ("一、履行第一责任人职责情况", "duties"), ("二、党政主要负责人履职情况", "duties"),
    ("一、主要做法和成效", "achievements"), ("一、工作开展情况", "achievements"),
])
def test_section_titles_give_the_kind(title, kind):
    text = f"报告\n前言。\n{title}\n正文内容。"
    assert (kind, title) in kinds(text)


def test_unnumbered_plan_line_with_colon_opens_a_plans_section():
    text = "一是强化组织领导。全年学法6次。\n二是化解纠纷。调处纠纷130件。\n2023年工作安排：一是学法不少于6次；二是普法30次以上。"
    assert [k for k, _ in kinds(text)] == ["achievements", "achievements", "plans"]


def test_a_problems_section_turning_to_next_year_is_split_into_plans():
    text = ("一、主要成效\n调解纠纷59件。\n二、存在问题和下步打算\n一是执法力量薄弱。下一步，我乡将继续加强干部学法。"
            "\n青石乡人民政府\n2020年12月25日")
    assert kind_runs(text) == ["achievements", "problems", "plans", "other"]
    plan = sentence_with(text, "下一步")
    assert plan.section == "plans" and sentence_with(text, "执法力量薄弱").section == "problems"


def test_a_report_without_headings_turns_to_plans_at_next_years_intent():
    text = ("利民镇2019年度法治政府建设工作总结\n2019年，利民镇在县委、县政府的正确领导下，扎实推进依法行政各项工作，现将一年来的工作总结如下。\n"
            "镇党委中心组学法4次。开展法治宣传活动15次。\n2020年，我镇将进一步加强学法，拟开展法治宣传活动20次以上。")
    assert [k for k, _ in kinds(text)] == ["preamble", "achievements", "plans"]


def test_past_disposal_jiang_with_the_report_year_does_not_open_plans():
    text = ("青石镇2021年报告\n前言，现将有关情况报告如下，我镇法治政府建设各项工作取得了新的成效，这里是第一段的正文内容。\n"
            "一、主要成效\n2021年，我镇将法治建设纳入年度考核，全年学法5次。")
    assert [k for k, _ in kinds(text)] == ["preamble", "achievements"]


def test_content_after_the_signing_date_is_its_own_section():
    text = "一、主要做法及成效\n学法9次。\n三、下一步工作打算\n计划开展活动60场次。\n清水河镇人民政府\n2024年1月10日\n序号\n工作事项\n完成情况\n1\n普法宣传\n开展活动56场次"
    assert [k for k, _ in kinds(text)] == ["achievements", "plans", "other", "achievements"]


def test_sentences_split_on_full_stops_semicolons_and_line_breaks_with_offsets():
    got = sentences(REPORT, split_sections(REPORT))
    assert all(REPORT[s.start:s.end] == s.text for s in got)
    texts = [s.text for s in got]
    assert "开展普法活动12次；" in texts and "发放资料3000余份。" in texts
    assert "（二）深化普法宣传" in texts


def test_sentence_section_comes_from_where_it_starts():
    assert sentence_with(REPORT, "学法6次").section == "duties"
    assert sentence_with(REPORT, "3000余份").section == "achievements"
    assert sentence_with(REPORT, "执法检查不少于50次").section == "plans"


@pytest.mark.parametrize("sentence", [
    "计划开展普法活动不少于20次。", "拟开展法治宣传活动20次以上。", "力争创成省级民主法治村1个。",
    "我镇将继续开展普法活动30次。", "2024年，我镇将以示范创建为抓手，开展活动10次。", "争取年内新增示范村2个。",
    "确保中心组学法不少于4次。", "预计全年调解纠纷100件。", "下一步，持续开展普法宣传。", "目标是培育法律明白人50名。",
])
def test_intent_sentences(sentence):
    text = f"一、主要成效\n{sentence}"
    assert sentence_with(text, sentence[:6]).is_intent


@pytest.mark.parametrize("sentence", [
    "将法治建设纳入全镇年度工作要点，召开会议3次。", "年初制定了《2022年普法工作计划》，开展活动12次。",
    "全年开展普法宣传活动26次。", "镇党委理论学习中心组开展学法不少于4次。", "按计划完成培训3次。",
    "有一份学习计划、一套学习资料。", "已将12名执法人员纳入培训。",
])
def test_result_sentences_are_not_intent(sentence):
    text = f"一、主要成效\n{sentence}"
    assert not sentence_with(text, sentence[:6]).is_intent


def test_a_later_year_opening_a_sentence_is_intent_when_the_report_year_is_known():
    text = "一、主要成效\n2023年开展普法活动30次。"
    assert sentence_with(text, "2023年", report_year=2022).is_intent
    assert not sentence_with(text, "2023年", report_year=2023).is_intent


@pytest.mark.parametrize("sentence, cumulative", [
    ("“十四五”以来，累计开展普法活动320余场次。", True),
    ("五年来累计排查化解矛盾纠纷1,860件。", True),
    ("近三年共创建民主法治示范村3个。", True),
    ("今年以来，累计开展执法检查230次。", False),
    ("全年累计开展执法检查230次。", False),
    ("“十四五”以来，我镇法治建设不断加强。", False),
])
def test_cumulative_sentences(sentence, cumulative):
    text = f"一、主要成效\n{sentence}"
    assert sentence_with(text, sentence[:5]).is_cumulative is cumulative


def test_every_sentence_of_a_review_section_is_cumulative():
    text = "一、“十四五”以来工作回顾\n创建示范村9个。\n二、2025年主要工作成效\n创建示范村2个。"
    assert sentence_with(text, "示范村9个").is_cumulative
    assert not sentence_with(text, "示范村2个").is_cumulative


def test_since_a_year_is_cumulative_only_when_that_year_is_before_the_report_year():
    text = "一、主要成效\n2020年以来共开展普法活动20余次。"
    assert not sentence_with(text, "2020年以来", report_year=2020).is_cumulative
    assert sentence_with(text, "2020年以来", report_year=2022).is_cumulative


def test_weak_problem_and_plan_words_in_a_sub_heading_do_not_change_its_kind():
    text = "一、主要成效\n（一）补齐短板，强化执法\n执法检查46次。\n（二）突出工作重点，深化普法\n开展活动12次。"
    assert kind_runs(text) == ["achievements"]


def test_jiang_yi_is_intent_only_with_wei():
    assert sentence_with("一、成效\n我镇将以示范创建为抓手，开展活动10次。", "将以").is_intent
    assert not sentence_with("一、成效\n将以案释法融入执法全过程，开展活动10次。", "将以").is_intent


# --- generalisation: plan titles, bracket headings, intent wordings, table cells (issue 3) ---------

@pytest.mark.parametrize("title", [
    "二、明年工作思路", "二、下一步打算", "二、2025年工作计划", "二、今后努力方向", "二、下阶段工作重点",
    "二、2025年工作要点", "二、新的一年工作谋划", "二、2025年重点任务", "二、2025年主要目标",
    "二、二〇二五年工作打算", "二、下一步工作设想", "二、2025年法治政府建设工作安排", "二、2025年工作",
    "二、来年工作安排", "二、2025年度努力方向", "四、下一年度推进法治政府建设的主要安排",
])
def test_plan_titles_of_many_wordings_open_plans(title):
    text = f"{title}\n开展普法活动20次。"
    assert [kind for kind, _ in split_kinds(text, 2024)] == ["plans"]


@pytest.mark.parametrize("title", ["二、2024年重点工作完成情况", "二、2024年主要工作及成效", "一、2024年度工作开展情况"])
def test_a_title_naming_the_report_year_with_achievement_words_is_not_plans(title):
    text = f"{title}\n开展普法活动20次。"
    assert [kind for kind, _ in split_kinds(text, 2024)] == ["achievements"]


def test_a_title_naming_a_later_year_is_plans_whatever_its_noun():
    text = "1.加强普法\n开展普法活动12次。\n2025年重点工作：\n（1）全年安排中心组学法不少于四次；"
    kinds_2024 = [kind for kind, _ in split_kinds(text, 2024)]
    assert kinds_2024 == ["achievements", "plans", "plans"]


def split_kinds(text: str, year: int) -> list[tuple[str, str]]:
    return [(s.kind, s.title) for s in split_sections(text, year)]


def test_bracket_headings_are_sections_and_their_title_is_the_bracket():
    text = ("青石镇2022年法治政府建设情况报告\n2022年，青石镇在县委、县政府的领导下推进法治政府建设，现将有关工作报告如下：\n"
            "【普法宣传】开展普法宣传活动15场。\n【存在问题】一是执法力量不足。\n【2023年努力方向】一是开展普法活动不少于60场。")
    assert split_kinds(text, 2022)[1:] == [("achievements", "【普法宣传】"), ("problems", "【存在问题】"),
                                           ("plans", "【2023年努力方向】")]


def test_unnumbered_problem_and_plan_lines_split_a_report_without_numbered_headings():
    text = ("阳和镇2023年度法治政府建设工作报告\n今年以来，阳和镇在县委、县政府的坚强领导下，全面推进依法行政，现将有关情况报告如下：\n"
            "开展各类执法检查423次。\n存在的问题和不足：一是普法宣传载体较为单一。\n"
            "2024年工作安排：一是全年开展普法宣传活动不少于44次。\n阳和镇人民政府\n二〇二四年二月十日")
    assert kind_runs(text) == ["preamble", "achievements", "problems", "plans", "other"]
    assert sentence_with(text, "不少于44次", report_year=2023).section == "plans"


@pytest.mark.parametrize("sentence", [
    "今年我们还将开展普法活动5次。", "年底前将组织开展法治宣传活动8场。", "下半年将新建村级公共法律服务室3个。",
    "全年要开展普法宣传活动不少于10次。", "镇司法所也将举办法律讲座4场。", "打算开展执法检查30次。",
    "确保信访总量控制在30件以内。", "力争将信访总量控制在20件以内。",
    "制定年度普法计划，明确全年开展普法活动不少于40场。", "要求各村每季度开展普法活动不少于1次。",
])
def test_more_intent_wordings(sentence):
    text = f"一、主要成效\n{sentence}"
    assert sentence_with(text, sentence[:6]).is_intent


@pytest.mark.parametrize("sentence", [
    "我镇还将普法工作与乡村振兴相结合，开展普法活动15次。",    # 将 marks the object
    "将开展情况纳入年度考核，全年开展执法检查60次。",
    "将推进法治建设作为重点，召开会议3次。",
    "主要开展了普法宣传活动20场次。", "需要开展更多普法宣传，全年仅开展普法活动4次。",
    "镇机关目前仅有7人取得执法证件，执法人员的素质整体需要提高。",
    "截至目前，全镇共有持证执法人员12名。", "截止12月底，共调解纠纷45件。",
    "全年信访总量控制在30件以内。",                          # a result of the year: at_most
    "按照上级要求，开展普法活动不少于12次。", "按照要求开展普法活动不少于12次。",
])
def test_results_that_look_like_intent_are_not(sentence):
    text = f"一、主要成效\n{sentence}"
    assert not sentence_with(text, sentence[:6]).is_intent


def test_a_table_value_cell_joins_its_row_label_and_unit_cells():
    text = "表1 主要数据\n项目\n数量\n单位\n1\n普法宣传活动\n45\n场次\n2\n发放普法资料\n8000份"
    got = [s.text for s in sentences(text, split_sections(text))]
    assert "普法宣传活动\n45\n场次" in got and "发放普法资料\n8000份" in got
    assert "项目" in got and "数量" in got  # header cells stay apart


def test_table_values_of_a_later_column_do_not_join_when_the_first_column_is_not_the_report_year():
    text = "指标\n2023年\n2024年\n普法宣传活动（次）\n38\n45"
    joined = [s.text for s in sentences(text, split_sections(text), 2024) if "\n" in s.text]
    assert joined == []
    text = "指标\n2024年\n2023年\n普法宣传活动（次）\n45\n38"
    assert "普法宣传活动（次）\n45" in [s.text for s in sentences(text, split_sections(text), 2024)]


def test_a_prose_line_ending_a_sentence_is_not_a_table_label():
    text = "开展普法活动。\n45场次"
    assert [s.text for s in sentences(text, split_sections(text))] == ["开展普法活动。", "45场次"]


@pytest.mark.parametrize("turn", [
    "2025年，我镇将从以下几方面着手：一是开展普法宣传活动不少于30次。",
    "在新的一年里，我们将重点做好以下工作：一是开展普法宣传活动30次。",
    "下一年度，重点抓好以下工作：一是开展普法宣传活动30次。",
])
def test_the_last_section_turns_to_plans_at_a_later_year_or_next_period(turn):
    text = f"一、主要成效\n开展普法活动12次。{turn}"
    assert [kind for kind, _ in split_kinds(text, 2024)] == ["achievements", "plans"]
    assert sentence_with(text, "30次", report_year=2024).section == "plans"


def test_a_date_in_the_next_year_does_not_turn_to_plans():
    text = "一、主要成效\n开展普法活动12次。2025年1月，我镇召开年度总结会，通报普法工作情况。"
    assert [kind for kind, _ in split_kinds(text, 2024)] == ["achievements"]
