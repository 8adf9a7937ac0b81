"""Why an extracted figure is worth a person's look: weak trigger, summed parts, far from the usual."""
from __future__ import annotations

from fazhi.config import load_config
from transforms.catalog import load_catalog
from transforms.confidence import OUTLIER, SUMMED, WEAK, far_from_usual, reasons, weak_only

CATALOG = load_catalog(load_config().catalog)


def test_a_sentence_naming_the_metric_only_by_a_weak_phrase_is_weak():
    metric = CATALOG.metric("certified_enforcement_officers")
    weak = [t for t in metric.triggers if t.weak]
    strong = [t for t in metric.triggers if not t.weak]
    assert weak and strong
    assert weak_only(metric, f"我镇现有{''.join(weak[0].parts)}12名。")
    assert not weak_only(metric, f"我镇现有{''.join(strong[0].parts)}12名。")
    assert not weak_only(metric, "今年天气晴好。")                      # no trigger at all: not this sign


def test_far_from_usual_needs_history_and_a_big_gap():
    assert far_from_usual(500, [40, 50, 60], factor=5, min_years=2)
    assert far_from_usual(5, [40, 50, 60], factor=5, min_years=2)
    assert not far_from_usual(80, [40, 50, 60], factor=5, min_years=2)
    assert not far_from_usual(500, [50], factor=5, min_years=2)          # one other year is no pattern
    assert not far_from_usual(500, [0, 0], factor=5, min_years=2)        # nothing to compare against


def test_reasons_list_every_sign_that_applies():
    metric = CATALOG.metric("disputes_mediated")
    evidence = "镇调委会调解纠纷300件。"
    assert reasons(metric, 300, evidence, None, [30, 35, 40], 5, 2) == [OUTLIER]
    assert reasons(metric, 36, evidence, '[{"value": 20}, {"value": 16}]', [30, 35, 40], 5, 2) == [SUMMED]
    assert reasons(metric, 36, evidence, None, [30, 35, 40], 5, 2) == []
    assert WEAK not in reasons(metric, 36, evidence, None, [], 5, 2)
