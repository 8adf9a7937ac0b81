from __future__ import annotations

from transforms.normalize import normalize_text


def test_full_width_digits_letters_and_percent_become_ascii():
    assert normalize_text("２０２１年调解成功率９７．９％，ＡＢｃ类") == "2021年调解成功率97.9%，ABc类"


def test_chinese_punctuation_is_kept_as_it_is():
    text = "一、主要做法：（一）开展普法12次；调解9件，办结率100%。"
    assert normalize_text(text) == text


def test_full_width_full_stop_outside_numbers_is_kept():
    assert normalize_text("第一．组织领导") == "第一．组织领导"


def test_conversion_artefacts_are_removed():
    raw = "\ufeff[bookmark: _GoBack]关于2021年度法治\u200b政府\u00ad建设[bookmark: OLE_LINK1]的报告"
    assert normalize_text(raw) == "关于2021年度法治政府建设的报告"


def test_spaces_of_every_kind_collapse_and_lines_are_trimmed():
    raw = "\u3000\u30002021年，我镇\u00a0\u00a0开展\t普法   活动。  \n报   告\u3000"
    assert normalize_text(raw) == "2021年，我镇 开展 普法 活动。\n报 告"


def test_line_breaks_are_unified_and_blank_runs_shortened():
    raw = "\r\n\r\n标题\r\n\r\n\r\n\r\n正文一\r正文二\f第二页\n\n\n"
    assert normalize_text(raw) == "标题\n\n正文一\n正文二\n第二页"


def test_normalizing_twice_changes_nothing():
    raw = "\u3000２０２２年\r\n[bookmark: _GoBack]共调解纠纷\u3000１２件。\n\n\n\n下一段"
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_a_traditional_text_is_folded_to_simplified_and_keeps_its_length():
    text = "本鎮全年調解糾紛150餘件，受理行政復議案件2件，無行政訴訟。"
    folded = normalize_text(text)
    assert folded == "本镇全年调解纠纷150余件，受理行政复议案件2件，无行政诉讼。" and len(folded) == len(text)


def test_a_simplified_text_with_an_odd_variant_character_is_left_alone():
    text = "乾县某镇" + "全年开展普法宣传活动12次，调解纠纷30件，行政复议案件为零。" * 20
    assert normalize_text(text) == text
