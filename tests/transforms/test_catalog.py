"""The metric catalog is data: county staff add an alias or a metric in metrics.toml, no Python."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.helpers import CORPUS, REPO
from transforms.catalog import Catalog, CatalogError, load_catalog
from transforms.extract import Extractor

CATALOG = REPO / "metrics.toml"
SPEC = Path("/work/shared/spec/metrics.md")
REPORT_HEAD = "青山镇2022年法治政府建设情况报告\n一、主要工作\n"


def _spec_keys() -> list[str]:
    """Metric keys in the order of the spec's table (or of the corpus gold when the spec is not here)."""
    if SPEC.exists():
        table = SPEC.read_text(encoding="utf-8").split("## The metrics", 1)[1].split("\n## ", 1)[0]
        return [k for k in re.findall(r"^\| ([a-z_]+) \| ", table, flags=re.M) if k != "key"]
    with (CORPUS / "gold" / "metrics.csv").open(encoding="utf-8") as fh:
        return sorted({row["metric"] for row in csv.DictReader(fh)})


def test_catalog_has_every_spec_metric_in_spec_order():
    catalog = load_catalog(CATALOG)
    spec = _spec_keys()
    assert spec, "no metric keys found in the spec"
    if SPEC.exists():
        assert catalog.keys() == spec
    else:
        assert set(spec) <= set(catalog.keys())
    for key in catalog.keys():
        assert catalog.label(key) and catalog.unit(key)
        assert re.search(r"[\u4e00-\u9fff]", catalog.label(key)), "labels are Chinese"


def test_a_new_alias_in_a_copy_of_the_catalog_works_without_python(tmp_path: Path):
    report = REPORT_HEAD + "全年开展法治大讲堂活动6场次。"
    before = Extractor(load_catalog(CATALOG)).extract(report)
    assert "publicity_events" not in {f.metric for f in before.figures}

    text = CATALOG.read_text(encoding="utf-8")
    edited = text.replace('triggers = ["普法", ', 'triggers = ["法治大讲堂", "普法", ', 1)
    assert edited != text
    copy = tmp_path / "metrics.toml"
    copy.write_text(edited, encoding="utf-8")
    after = Extractor(load_catalog(copy)).extract(report)
    [figure] = [f for f in after.figures if f.metric == "publicity_events"]
    assert figure.value == 6 and "6场次" in figure.evidence


def test_a_new_metric_added_to_the_file_is_extracted(tmp_path: Path):
    block = ('\n[[metric]]\nkey = "legal_aid_cases"\nlabel = "法律援助案件数"\nunit = "件"\n'
             'category = "法律服务"\nunits = ["件"]\ntriggers = ["法律援助"]\n')
    copy = tmp_path / "metrics.toml"
    copy.write_text(CATALOG.read_text(encoding="utf-8") + block, encoding="utf-8")
    catalog = load_catalog(copy)
    assert catalog.keys()[-1] == "legal_aid_cases"
    ex = Extractor(catalog).extract(REPORT_HEAD + "全年办理法律援助案件15件，调解纠纷20件。")
    values = {f.metric: f.value for f in ex.figures}
    assert values == {"legal_aid_cases": 15, "disputes_mediated": 20}


@pytest.mark.parametrize("change, words", [
    ('triggers = ["普法", ', ["trigger_words", "publicity_events"]),     # unknown field
    ('key = "publicity_materials"', ["publicity_events", "twice"]),       # duplicate key
    ('triggers = ["成功率"]', ["triggers", "mediation_success_rate"]),     # empty triggers
    ('unit = "%"', ["unit", "mediation_success_rate"]),                  # empty unit
])
def test_a_bad_catalog_names_the_file_the_metric_and_the_key(tmp_path: Path, change: str, words: list[str]):
    text = CATALOG.read_text(encoding="utf-8")
    replacement = {
        'triggers = ["普法", ': 'trigger_words = ["x"]\ntriggers = ["普法", ',
        'key = "publicity_materials"': 'key = "publicity_events"',
        'triggers = ["成功率"]': "triggers = []",
        'unit = "%"': 'unit = ""',
    }[change]
    bad = tmp_path / "metrics.toml"
    bad.write_text(text.replace(change, replacement, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(bad)
    message = str(err.value)
    assert str(bad) in message
    for word in words:
        assert word in message


def test_missing_or_invalid_catalog_files_say_what_to_do(tmp_path: Path):
    with pytest.raises(CatalogError, match="does not exist"):
        load_catalog(tmp_path / "nope.toml")
    broken = tmp_path / "metrics.toml"
    broken.write_text("[[metric]\nkey =", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid TOML"):
        load_catalog(broken)
    with pytest.raises(CatalogError, match="unknown field"):
        rest = CATALOG.read_text(encoding="utf-8").split("[rules]", 1)[1]
        Catalog.from_toml('[rules]\nnegation_words = ["无"]\n' + rest)


def test_catalog_words_include_every_trigger_part_and_exclusion():
    catalog = load_catalog(CATALOG)
    words = catalog.words()
    metric = catalog.metric("rule_of_law_meetings")
    assert {"专题研究", "法治", "汇报"} <= words
    assert all(len(t.parts) >= 1 for t in metric.triggers)
    assert any(t.weak for t in catalog.metric("disputes_resolved").triggers)


def test_a_frequency_word_added_to_the_rules_works_without_python(tmp_path: Path):
    report = REPORT_HEAD + "坚持逢双月开展普法宣传活动2次。"
    before = Extractor(load_catalog(CATALOG)).extract(report)
    assert [f.value for f in before.figures if f.metric == "publicity_events"] == [2]

    text = CATALOG.read_text(encoding="utf-8")
    edited = text.replace('frequency_words = ["每月", ', 'frequency_words = ["逢双月", "每月", ', 1)
    assert edited != text
    copy = tmp_path / "metrics.toml"
    copy.write_text(edited, encoding="utf-8")
    after = Extractor(load_catalog(copy)).extract(report)
    assert [f for f in after.figures if f.metric == "publicity_events"] == []


def test_a_rule_of_the_wrong_type_is_refused_with_its_name(tmp_path: Path):
    bad = tmp_path / "metrics.toml"
    bad.write_text(CATALOG.read_text(encoding="utf-8").replace("common_word_freq = 100", 'common_word_freq = "100"', 1),
                   encoding="utf-8")
    with pytest.raises(CatalogError, match="common_word_freq"):
        load_catalog(bad)
