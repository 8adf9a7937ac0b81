"""The extraction rules of metrics.md, one small text each, through FigureReader.

Sentences are cut here on 。；and line breaks so these tests pin the figure rules, not the section
logic (that is tests/transforms/test_sentences.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.helpers import REPO
from transforms.catalog import load_catalog
from transforms.evaluate import evidence_problem
from transforms.figures import FigureReader
from transforms.segment import Segmenter

CATALOG = load_catalog(REPO / "metrics.toml")


@dataclass(frozen=True)
class Sent:
    start: int
    end: int
    section: str = "achievements"
    is_intent: bool = False
    is_cumulative: bool = False


@pytest.fixture(scope="module")
def reader() -> FigureReader:
    return FigureReader(CATALOG, Segmenter(CATALOG))


def read(reader: FigureReader, text: str, **flags):
    sents = [Sent(m.start(), m.end(), **flags) for m in re.finditer(r"[^。；\n]+[。；]?", text)]
    figures = reader.figures(text, sents)
    for f in figures:
        assert evidence_problem(f, text) == "", f
    return figures


def values(reader: FigureReader, text: str, **flags) -> dict[str, float]:
    return {f.metric: f.value for f in read(reader, text, **flags)}


@pytest.mark.parametrize("text, expected", [
    # sums of listed parts in one sentence (metrics.md example)
    ("开展法治宣传进乡村活动14次、进企业3次、进单位4次，共计发放法治宣传资料5600余份。",
     {"publicity_events": 21, "publicity_materials": 5600}),
    ("先后召开党委会3次、行政办公会2次，专题研究法治工作推进任务，召开党委中心组学习2次。",
     {"rule_of_law_meetings": 5, "party_group_law_study_sessions": 2}),
    ("乡党委会议、乡政府常务会议分别专题研究法治工作两次、一次。", {"rule_of_law_meetings": 3}),
    ("全镇现有省级民主法治示范村2个、市级3个、县级6个。", {"model_villages": 11}),
    ("建成镇公共法律服务工作站1个、村级公共法律服务室18个。", {"legal_service_stations": 19}),
    # 各N for k bodies
    ("全年镇党委会、镇长办公会各专题研究法治工作2次。", {"rule_of_law_meetings": 4}),
    ("辖区9个社区各开展民法典宣讲活动2次。", {"publicity_events": 18}),
    ("全年发生行政复议案件、行政诉讼案件各1件，均未败诉。",
     {"admin_reconsideration_cases": 1, "admin_litigation_cases": 1, "admin_litigation_lost": 0}),
    # totals followed by 其中 parts are never added
    ("调委会共受理调解纠纷186件，其中婚姻家庭纠纷41件、邻里纠纷57件，调解成功183件，调解成功率98.39%。",
     {"disputes_mediated": 186, "mediation_success_rate": 98.39}),
    ("镇村两级共调处矛盾纠纷98起，其中镇调委会调处35起，村调委会调处63起。", {"disputes_mediated": 98}),
    ("开展“法律八进”活动52次，其中进农村28次、进学校6次。", {"publicity_events": 52}),
    # ... unless the part is the metric and the total is not
    ("镇执法中队共有队员32人，其中持有行政执法证件的11人。", {"certified_enforcement_officers": 11}),
    ("镇党委会议和镇政府常务会议全年共召开9次，其中专题研究法治工作的3次。", {"rule_of_law_meetings": 3}),
    ("综合执法队共有执法人员40名，其中持证28名。", {"certified_enforcement_officers": 28}),
    # found vs defused: the defused count
    ("全镇共排查矛盾纠纷216起，化解209起。", {"disputes_resolved": 209}),
    ("排查矛盾纠纷隐患52起，全部化解。", {"disputes_resolved": 52}),
    # the number before its noun
    ("镇政府聘请浙江天宁律师事务所2名律师担任镇政府法律顾问，各村（社区）法律顾问实现全覆盖。", {"legal_advisers": 2}),
    ("镇机关目前仅有7人取得执法证件。", {"certified_enforcement_officers": 7}),
    ("今年来，共处理化解50余起矛盾纠纷。", {"disputes_resolved": 50}),
    ("积极创建民主法治示范村，截止去年成功创建5个，今年正在创建2个。", {"model_villages": 5}),
    # one named lawyer without a numeral is 1; two named are 2; village advisers apart
    ("聘请重庆渝万律师事务所的律师余成龙为我乡的法律顾问。", {"legal_advisers": 1}),
    ("镇政府聘请律师王建平、赵敏担任镇政府法律顾问，并为全镇23个村（社区）各配备1名村（社区）法律顾问。",
     {"legal_advisers": 2}),
])
def test_rules_of_the_spec(reader, text, expected):
    assert values(reader, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("全年无行政复议、行政机关负责人出庭应诉、行政败诉等情况。",
     {"admin_reconsideration_cases": 0, "admin_litigation_lost": 0}),
    ("全年未发生行政复议和行政诉讼案件。", {"admin_reconsideration_cases": 0, "admin_litigation_cases": 0}),
    ("全年以我镇为被申请人的行政复议案件为零，行政诉讼案件1件，未出现败诉。",
     {"admin_reconsideration_cases": 0, "admin_litigation_cases": 1, "admin_litigation_lost": 0}),
    ("至于行政诉讼，本年度镇政府作为被告的案件数量为零。", {"admin_litigation_cases": 0}),
    ("全乡未发生行政复议、行政诉讼案件，亦无行政败诉案件。",
     {"admin_reconsideration_cases": 0, "admin_litigation_cases": 0, "admin_litigation_lost": 0}),
    ("行政复议和行政诉讼案件均为零。", {"admin_reconsideration_cases": 0, "admin_litigation_cases": 0}),
    ("全年未发生一起行政复议案件。", {"admin_reconsideration_cases": 0}),
    ("力争行政诉讼败诉案件为零。", {"admin_litigation_lost": 0}),
    ("辖区重新犯罪率为零，无不满意件。", {}),
])
def test_zero_only_when_the_metric_itself_is_negated(reader, text, expected):
    figures = read(reader, text)
    assert {f.metric: f.value for f in figures} == expected
    assert all(f.qualifier == "exact" and f.parts for f in figures)


@pytest.mark.parametrize("text", [
    "今年新增持证执法人员2名。",
    "排查化解涉企纠纷12件，代理诉讼2件。",
    "包括镇机关人员在内的800余名党员干部奔赴疫情防控第一线。",
    "12345政务服务便民热线转办群众诉求1,037件，按时回复率100%，群众满意率96.5%。",
    "矛盾纠纷调解率100%，纠纷受理率达到100%。",
    "党委会、镇长办公会、中心组年度学法8次。",          # a count shared by several bodies
    "听取法治建设情况报告1次。",
    "截至年底，全镇持证执法人员较上年减少两人。",
    "投入资金3.2万元，涉及金额约380万元。",
    "全乡培养“法律明白人”九十六名，为八个村委会各聘请一名村法律顾问。",
    "学习做到“四个一”：即有一份学习计划、有一套学习资料、有一本学法笔记。",
])
def test_look_alikes_are_not_figures(reader, text):
    assert values(reader, text) == {}


@pytest.mark.parametrize("text, metric, value, qualifier", [
    ("发放法治宣传资料5600余份。", "publicity_materials", 5600, "approx"),
    ("解答群众法律咨询超过300人次。", "legal_consultations", 300, "at_least"),
    ("全年下达责令整改通知书不超过10份。", "rectification_notices", 10, "at_most"),
    ("调解成功率达98%以上。", "mediation_success_rate", 98, "at_least"),
    ("全镇县级以上民主法治示范村已达4个。", "model_villages", 4, "exact"),
    ("开展各类执法检查1,260余次。", "enforcement_inspections", 1260, "approx"),
    ("印发普法读本、宣传折页合计逾两万份。", "publicity_materials", 20000, "at_least"),
    ("发放宣传资料2.3万份。", "publicity_materials", 23000, "exact"),
])
def test_values_and_qualifiers(reader, text, metric, value, qualifier):
    [figure] = read(reader, text)
    assert (figure.metric, figure.value, figure.qualifier) == (metric, value, qualifier)


def test_same_metric_in_several_sentences_takes_the_general_statement_else_the_first(reader):
    text = "仅古城保护领域开展巡查检查380次。全年全镇共开展执法检查1,420次。"
    assert values(reader, text) == {"enforcement_inspections": 1420}
    text = "镇司法所牵头开展普法宣传活动26次。镇妇联围绕《中华人民共和国反家庭暴力法》开展普法活动9次。"
    assert values(reader, text) == {"publicity_events": 26}


def test_plans_are_flagged_and_cumulative_figures_dropped(reader):
    plans = read(reader, "开展普法宣传活动不少于25次，发放宣传资料不少于15000份。", section="plans")
    assert {(f.metric, f.value, f.is_plan) for f in plans} == {
        ("publicity_events", 25, True), ("publicity_materials", 15000, True)}
    intent = read(reader, "拟开展法治宣传活动20次以上。", is_intent=True)
    assert [(f.metric, f.is_plan) for f in intent] == [("publicity_events", True)]
    assert read(reader, "五年来累计开展普法活动320余场次。", is_cumulative=True) == []


def test_sum_keeps_every_part_as_evidence(reader):
    text = "全年开展普法宣传进村活动12次、进校园3次、进企业5次。"
    [figure] = read(reader, text)
    assert figure.value == 20
    assert [p.text for p in figure.parts] == ["12次", "3次", "5次"]
    assert all(text[p.start:p.end] == p.text for p in figure.parts)
    assert figure.evidence == text[figure.start:figure.end]


# --- generalisation (issue 3): wordings of other townships and provinces --------------------------

@pytest.mark.parametrize("text, expected", [
    # people's mediation: 调处 / 化解 / 受理 by mediation bodies
    ("全镇人民调解组织共调处矛盾纠纷45件，调处成功44件。", {"disputes_mediated": 45}),
    ("各村调委会受理民间纠纷32件，成功调解31件，调解成功率96.9%。",
     {"disputes_mediated": 32, "mediation_success_rate": 96.9}),
    ("镇村两级调解组织共化解各类矛盾纠纷76件。", {"disputes_mediated": 76}),
    ("人民调解员全年调处纠纷27件。", {"disputes_mediated": 27}),
    ("镇矛盾纠纷调处中心全年受理矛盾纠纷89件，化解87件。", {"disputes_mediated": 89, "disputes_resolved": 87}),
    # certified officers, however the certificate is named
    ("现有持有行政执法证的人员15名。", {"certified_enforcement_officers": 15}),
    ("镇综合执法队取得执法资格人员12人。", {"certified_enforcement_officers": 12}),
    ("取得行政执法证件的工作人员9人。", {"certified_enforcement_officers": 9}),
    ("共有14名工作人员持有行政执法证件。", {"certified_enforcement_officers": 14}),
    ("全镇行政执法人员共24名，其中持证执法人员19名。", {"certified_enforcement_officers": 19}),
    ("截至目前，全镇共有持证执法人员12名。", {"certified_enforcement_officers": 12}),
    # totals written 共计 / 合计 / 累计 within the year
    ("全年累计开展执法检查230次。", {"enforcement_inspections": 230}),
    ("全年共计调处矛盾纠纷58件。", {"disputes_mediated": 58}),
    ("开展普法活动合计26场次。", {"publicity_events": 26}),
    # money, area and length are never counts
    ("投入普法经费2万元，发放普法资料3000份。", {"publicity_materials": 3000}),
    ("依法拆除违建3000平方米，下达责令整改通知书12份。", {"rectification_notices": 12}),
    ("调解纠纷涉及金额120万元，共调解纠纷30件。", {"disputes_mediated": 30}),
    ("调处土地纠纷涉及200亩，调处纠纷共12件。", {"disputes_mediated": 12}),
    ("开展河道执法巡查50公里，检查企业36家。", {"enforcement_inspections": 36}),
    # petitions named by their total
    ("全年信访总量控制在30件以内。", {"petitions_received": 30}),
    ("全年信访量12件，全部办结。", {"petitions_received": 12}),
])
def test_wordings_of_other_townships(reader, text, expected):
    assert values(reader, text) == expected


def test_a_total_kept_within_a_bound_is_an_at_most_result(reader):
    [figure] = read(reader, "全年信访总量控制在30件以内，初次信访事项按期办结率100%。")
    assert (figure.metric, figure.value, figure.qualifier, figure.is_plan) == ("petitions_received", 30, "at_most", False)


@pytest.mark.parametrize("text, expected", [
    ("今年我镇行政诉讼案件共3宗，行政复议案件1宗，其中1宗行政诉讼案件一审败诉。",
     {"admin_litigation_cases": 3, "admin_reconsideration_cases": 1, "admin_litigation_lost": 1}),
    ("行政诉讼案件4件，其中1件以镇政府败诉结案。", {"admin_litigation_cases": 4, "admin_litigation_lost": 1}),
    ("涉及我镇的行政诉讼案件3件，其中2件已审结，1件败诉。", {"admin_litigation_cases": 3, "admin_litigation_lost": 1}),
    # parts named only by the total's own words stay parts
    ("受理行政复议申请3件，其中维持2件、撤销1件。", {"admin_reconsideration_cases": 3}),
    ("受理信访件28件，其中来信5件、来访23件，全部办结。", {"petitions_received": 28}),
    ("镇村两级共调解纠纷56件，其中镇调委会调解21件，村调委会调解35件。", {"disputes_mediated": 56}),
])
def test_a_part_after_qizhong_that_names_a_second_metric_belongs_to_it(reader, text, expected):
    assert values(reader, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("新创建省级民主法治示范村1个，全镇累计创建各级民主法治示范村8个。", {"model_villages": 8}),
    ("今年新建村级公共法律服务室3个，全镇共建成公共法律服务工作站（室）15个。", {"legal_service_stations": 15}),
    ("全年共开展普法活动20次，进村12次，进校园8次。", {"publicity_events": 20}),
    ("召开党委会3次、行政办公会2次，共专题研究法治工作5次。", {"rule_of_law_meetings": 5}),
    # parts with no total among them are still added, whatever marks separate them
    ("全镇共有省级民主法治示范村2个、市级3个、县级6个。", {"model_villages": 11}),
    ("全年开展普法宣传进村活动12次、进校园3次。", {"publicity_events": 15}),
    ("全年开展普法宣传进村活动12次，进校园活动3次，进企业活动5次。", {"publicity_events": 20}),
    ("进村开展普法活动12次，进校园3次，共计15次。", {"publicity_events": 15}),
    # 共 heading values that do not add up to it: a list of parts, added
    ("共开展青少年法治宣传活动15次，妇女干部普法宣传活动7次。", {"publicity_events": 22}),
])
def test_a_total_in_a_sentence_is_taken_and_never_added_to_its_parts(reader, text, expected):
    assert values(reader, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("去年开展普法活动40次，今年开展普法活动52次。", {"publicity_events": 52}),
    ("全年开展普法活动52次，去年同期为40次。", {"publicity_events": 52}),
    ("上年度开展普法活动40次，本年度开展普法活动52次。", {"publicity_events": 52}),
    ("去年开展普法活动40次。今年开展普法活动52次。", {"publicity_events": 52}),   # across sentences too
    ("开展普法活动52次。上年开展普法活动40次。", {"publicity_events": 52}),
    # alone, an earlier-year word does not remove the figure (截止去年 in a report written the next year)
    ("积极创建民主法治示范村，截止去年成功创建5个，今年正在创建2个。", {"model_villages": 5}),
])
def test_last_years_value_never_adds_to_or_replaces_this_years(reader, text, expected):
    assert values(reader, text) == expected


# --- issue 9: one sentence with two statuses, two sentences read as one ------------------------------

def test_a_plan_and_an_actual_in_one_intent_sentence_are_split_by_clause(reader):
    text = "计划举办普法讲座8场，实际举办普法讲座11场。"
    found = {(f.metric, f.value, f.is_plan) for f in read(reader, text, is_intent=True)}
    assert found == {("publicity_events", 11, False), ("publicity_events", 8, True)}


def test_a_plan_and_an_actual_in_the_plans_section_give_the_plan_never_their_sum(reader):
    text = "原计划举办普法讲座8场，实际举办普法讲座11场。"
    assert [(f.value, f.is_plan) for f in read(reader, text, section="plans")] == [(8, True)]


def test_a_village_clause_after_a_semicolon_adds_to_the_township_bodys_count(reader):
    [figure] = read(reader, "镇调委会全年调解纠纷40件；村调委会共调解纠纷9件。")
    assert (figure.metric, figure.value) == ("disputes_mediated", 49)
    assert [p.text for p in figure.parts] == ["40件", "9件"]


def test_a_village_sentence_after_a_full_stop_is_not_joined(reader):
    assert values(reader, "镇调委会全年调解纠纷40件。村调委会共调解纠纷9件。") == {"disputes_mediated": 40}
