from __future__ import annotations

import pytest

from tests.helpers import REPO
from transforms.catalog import load_catalog
from transforms.numerals import find_numbers, parse_numeral


def spans(text: str) -> list[tuple[float, str, str | None, str]]:
    return [(s.value, s.qualifier, s.unit, s.text) for s in find_numbers(text)]


@pytest.mark.parametrize("written, value", [
    ("12", 12), ("1,260", 1260), ("97.33", 97.33), ("97.33%", 97.33), ("1.2万", 12000), ("2.3万", 23000),
    ("一", 1), ("两", 2), ("十二", 12), ("三千五百", 3500), ("两万", 20000), ("一百八十", 180),
    ("二千", 2000), ("百分之九十八", 98), ("百", 100), ("一点五", 1.5), ("零", 0),
])
def test_parse_numeral_reads_arabic_chinese_and_mixed(written, value):
    assert parse_numeral(written) == pytest.approx(value)


@pytest.mark.parametrize("junk", ["", "法治", "万一", "十四五"])
def test_parse_numeral_returns_none_for_what_is_no_number(junk):
    assert parse_numeral(junk) is None


@pytest.mark.parametrize("text, expected", [
    ("发放法治宣传资料5600余份", (5600, "approx", "份", "5600余份")),
    ("解答法律咨询近50人次", (50, "approx", "人次", "近50人次")),
    ("开展执法检查200次左右", (200, "approx", "次", "200次左右")),
    ("提供法律咨询约420人次", (420, "approx", "人次", "约420人次")),
    ("发放资料4800多份", (4800, "approx", "份", "4800多份")),
    ("惠及群众两万余人次", (20000, "approx", "人次", "两万余人次")),
    ("发放资料1.2万余份", (12000, "approx", "份", "1.2万余份")),
    ("调解成功率达98%以上", (98, "at_least", "%", "98%以上")),
    ("调解成功率达百分之九十八以上", (98, "at_least", "%", "百分之九十八以上")),
    ("解答咨询超过300人次", (300, "at_least", "人次", "超过300人次")),
    ("开展学法不少于4次", (4, "at_least", "次", "不少于4次")),
    ("合计逾两万份", (20000, "at_least", "份", "逾两万份")),
    ("开展普法活动60次以上", (60, "at_least", "次", "60次以上")),
    ("控制在3件以内", (3, "at_most", "件", "3件以内")),
    ("行政诉讼案件不超过2件", (2, "at_most", "件", "不超过2件")),
    ("调处成功率达到97.33%", (97.33, "exact", "%", "97.33%")),
    ("全年开展执法检查1,260余次", (1260, "approx", "次", "1,260余次")),
    ("发放资料5,000份", (5000, "exact", "份", "5,000份")),
    ("发放宣传资料2.3万份", (23000, "exact", "份", "2.3万份")),
    ("集中学法十二次", (12, "exact", "次", "十二次")),
    ("聘请两名律师", (2, "exact", "名", "两名")),
    ("调解矛盾纠纷六十三件", (63, "exact", "件", "六十三件")),
    ("解答法律咨询一百八十余人次", (180, "approx", "人次", "一百八十余人次")),
    ("接受群众法律咨询近百人次", (100, "approx", "人次", "近百人次")),
    ("共调解案件285件次", (285, "exact", "件次", "285件次")),
    ("我镇行政诉讼案件2宗", (2, "exact", "宗", "2宗")),
    ("行政诉讼案件0件", (0, "exact", "件", "0件")),
    ("投入资金3.2万元", (32000, "exact", "元", "3.2万元")),
])
def test_counts_are_read_with_qualifier_and_unit(text, expected):
    assert spans(text) == [expected]


def test_offsets_index_the_given_string():
    text = "全年共调解纠纷59件，调处成功率达到97.33%。"
    first, second = find_numbers(text)
    assert text[first.start:first.end] == "59件" and text[first.num_start:first.num_end] == "59"
    assert text[second.num_start:second.num_end] == "97.33" and second.is_percent
    approx = find_numbers("解答法律咨询近50人次")[0]
    assert approx.text == "近50人次" and approx.num_start == 7 and approx.num_end == 9


def test_a_sum_of_parts_yields_every_part_in_order():
    got = spans("开展法治宣传进乡村活动14次、进企业3次、进单位4次")
    assert [v for v, *_ in got] == [14, 3, 4]


@pytest.mark.parametrize("text", [
    "2021年，我镇", "二〇一九年", "二零二一年", "2021年度", "关于报送2021年度法治政府建设工作情况的报告",
    "2019—2021", "（2021—2025年）", "（2021-2025年）", "《城口县2020法治政府工作要点》",
    "1月15日", "12月", "2024年1月12日", "二〇二一年一月八日", "1-12月", "1至11月", "第三季度",
    "上午9:30", "“12·4”国家宪法日", "十二·四宪法日", "100周年", "6个月", "3个工作日", "五年来", "近三年",
    "拨打12345热线", "12345政务服务便民热线", "12348公共法律服务热线", "8890平台", "023-12345678",
    "13912345678", "天法委〔2022〕5号", "渝府发[2021]3号", "霍法办〔2024〕3号",
    "第一", "第3名", "第十三届", "第二十一届", "十九届四中全会", "其一",
    "一、主要做法", "（一）加强组织领导", "(一)加强领导", "1.加强组织领导", "2、规范执法", "（3）信访",
    "3．全面推行", "一是强化组织领导", "表1 统计表",
    "《中华人民共和国行政诉讼法》", "“十四五”以来", "十四五规划", "“八五”普法", "七五普法", "八五普法",
    "“三重一大”", "三重一大", "“一中心四板块”", "一村一法律顾问", "一户一档", "一站式服务", "一线",
    "统一", "一体化", "一把手", "进一步", "一律", "一次性告知", "一部分群众", "几十个", "数百人",
    "千家万户", "成千上万的群众", "百姓", "万一", "5G基站", "3A级景区", "“1+3+N”模式",
    "和执法人员一起开展检查", "再一次强调",
])
def test_never_a_count(text):
    assert spans(text) == []


def test_table_row_numbers_alone_on_a_line_are_not_counts():
    assert spans("序号\n1\n普法宣传\n开展活动56场次\n2\n人民调解") == [(56, "exact", "场次", "56场次")]


def test_hotline_number_is_dropped_but_its_count_is_kept():
    assert spans("12345热线接收群众诉求1,204件") == [(1204, "exact", "件", "1,204件")]


def test_yi_shang_is_at_least_only_right_after_a_number():
    assert spans("创建市级以上示范村3个") == [(3, "exact", "个", "3个")]


def test_ordinary_counts_with_one_and_ages_are_kept():
    assert spans("聘请一名律师") == [(1, "exact", "名", "一名")]
    assert spans("60岁以上老人") == [(60, "at_least", "岁", "60岁以上")]


def test_quoted_slogans_mask_numbers_but_not_the_count_after_them():
    assert spans("培养“法律明白人”九十六名") == [(96, "exact", "名", "九十六名")]
    assert spans("开展“送法进瑶寨”活动26场次") == [(26, "exact", "场次", "26场次")]


def test_percent_of_other_rates_are_still_numbers():
    assert spans("满意率96.5%，参考率100%") == [(96.5, "exact", "%", "96.5%"), (100, "exact", "%", "100%")]


@pytest.mark.parametrize("text", ["12.4国家宪法日", "3.15消费者权益日", "3月至6月开展专项行动", "22年"])
def test_day_names_and_month_ranges_are_not_counts(text):
    assert spans(text) == []


def test_a_range_keeps_both_ends_and_only_the_second_has_the_unit():
    assert spans("每月开展3至5次") == [(3, "exact", None, "3"), (5, "exact", "次", "5次")]


@pytest.mark.parametrize("text, expected", [
    ("普法宣传活动\n45\n场次\n2\n发放资料", [(45, "exact", "场次", "45\n场次")]),     # unit in the next cell
    ("普法宣传活动（场次）\n45\n38", [(45, "exact", "场次", "45")]),                  # unit in the row label
    ("调解成功率(%)\n98.5", [(98.5, "exact", "%", "98.5")]),
    ("行政复议案件（件）\n0", [(0, "exact", "件", "0")]),
    ("序号\n1\n普法宣传\n2\n人民调解", []),                                           # row numbers stay dropped
    ("单位\n3\n调解纠纷", []),
])
def test_a_number_alone_in_a_table_cell_takes_its_unit_from_the_cells_around_it(text, expected):
    assert spans(text) == expected


def test_a_short_number_ending_the_text_is_not_a_section_number():
    assert spans("人民调解纠纷（件）\n67") == [(67, "exact", "件", "67")]
    assert spans("调解纠纷共计67件") == [(67, "exact", "件", "67件")]


@pytest.mark.parametrize("text, unit", [
    ("投入普法经费2万元", "元"), ("涉及金额120万元", "元"), ("整治违建3000平方米", "平方米"),
    ("巡查河道50公里", "公里"), ("流转土地189亩", "亩"), ("罚没款12.6万元", "元"), ("补偿资金8000元", "元"),
])
def test_money_area_and_length_keep_their_own_unit_so_no_count_metric_takes_them(text, unit):
    [span] = find_numbers(text)
    assert span.unit == unit
    assert not any(unit in m.units for m in load_catalog(REPO / "metrics.toml").metrics)
