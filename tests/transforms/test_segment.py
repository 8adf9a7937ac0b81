"""jieba with the catalog's user dictionary: phrases stay one token, nothing global changes, no noise."""
from __future__ import annotations

import jieba

from tests.helpers import REPO
from transforms.catalog import load_catalog
from transforms.segment import Segmenter

CATALOG = load_catalog(REPO / "metrics.toml")


def test_catalog_phrases_stay_single_tokens():
    seg = Segmenter(CATALOG)
    words = seg.words("全年无行政复议案件，镇政府聘请3名律师组成法律顾问团，全镇在岗持有有效行政执法证件的工作人员17人")
    for phrase in ("行政复议", "法律顾问", "执法证件"):
        assert phrase in words
    assert seg.words("镇、村两级人民调解委员会调处纠纷59件").count("调解委员会") == 1


def test_tokens_carry_offsets_into_the_report_text():
    seg = Segmenter(CATALOG)
    text = "前言。镇党委理论学习中心组学法6次"
    tokens = seg.tokens(text[3:], offset=3)
    assert all(text[t.start:t.end] == t.word for t in tokens)
    assert any(t.word == "中心组" for t in tokens)


def test_the_global_jieba_dictionary_is_untouched_and_building_is_silent(capfd):
    before = dict(jieba.dt.user_word_tag_tab)
    Segmenter(CATALOG)
    assert jieba.dt.user_word_tag_tab == before
    assert "持证执法" not in jieba.dt.FREQ
    captured = capfd.readouterr()
    assert "prefix dict" not in captured.err and "Loading model" not in captured.err


def test_dictionary_frequency_tells_common_words_from_names():
    seg = Segmenter(CATALOG)
    assert seg.frequency("专业") >= CATALOG.rules.common_word_freq
    assert seg.frequency("王某") < CATALOG.rules.common_word_freq
