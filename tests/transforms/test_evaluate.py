"""Scoring extracted figures against gold rows (pure)."""
from __future__ import annotations

from transforms.evaluate import Gold, GoldFigure, evidence_problem, score
from transforms.model import Extraction, Figure, Part

TEXT = "全年调解纠纷54件，开展普法活动21次。全年无行政复议。计划开展普法活动25次。"
KEYS = ["publicity_events", "disputes_mediated", "admin_reconsideration_cases", "petitions_received"]


def fig(metric: str, value: float, needle: str, qualifier: str = "exact", plan: bool = False) -> Figure:
    """A figure whose evidence is the sentence of TEXT that holds `needle`."""
    at = TEXT.index(needle)
    start = TEXT.rfind("。", 0, at) + 1
    end = TEXT.index("。", at) + 1
    return Figure(metric, value, "件", qualifier, plan, TEXT[start:end], start, end,
                  parts=(Part(value, at, at + len(needle), needle),))


def gold(**extra) -> Gold:
    return Gold(
        reports={"a.txt": {"township": "青山镇", "county": "示例县", "city": None, "year": 2022}},
        results=[GoldFigure("a.txt", "disputes_mediated", (54,)),
                 GoldFigure("a.txt", "publicity_events", (20, 21)),          # 21 is an accepted alternative
                 GoldFigure("a.txt", "admin_reconsideration_cases", (0,))],
        **extra)


def extraction(*figures: Figure, county: str | None = "示例县") -> Extraction:
    return Extraction("青山镇", county, None, 2022, list(figures))


def test_hits_alternatives_and_perfect_scores():
    ex = extraction(fig("disputes_mediated", 54, "54件"), fig("publicity_events", 21, "21次"),
                    fig("admin_reconsideration_cases", 0, "无行政复议"))
    s = score(gold(), {"a.txt": ex}, {"a.txt": TEXT}, KEYS)
    assert (s.overall.tp, s.overall.fp, s.overall.fn) == (3, 0, 0)
    assert s.overall.f1 == 1.0 and s.passes(0.95)
    assert all(s.metadata_accuracy(f) == 1.0 for f in ("township", "county", "city", "year"))


def test_a_wrong_value_is_a_miss_and_a_false_hit_and_an_extra_metric_a_false_hit():
    ex = extraction(fig("disputes_mediated", 50, "54件"), fig("publicity_events", 21, "21次"),
                    fig("petitions_received", 3, "21次"))
    s = score(gold(), {"a.txt": ex}, {"a.txt": TEXT}, KEYS)
    assert (s.overall.tp, s.overall.fp, s.overall.fn) == (1, 2, 2)
    assert {(m.metric, m.expected, m.found) for m in s.misses} == {
        ("disputes_mediated", "54", "50"), ("admin_reconsideration_cases", "0", "-")}
    assert {f.metric for f in s.false_hits} == {"disputes_mediated", "petitions_received"}
    assert s.per_metric["publicity_events"].f1 == 1.0
    assert not s.passes(0.95)


def test_optional_rows_are_neither_required_nor_false_hits():
    g = gold(optional=[GoldFigure("a.txt", "petitions_received", (3,))])
    base = [fig("disputes_mediated", 54, "54件"), fig("publicity_events", 21, "21次"),
            fig("admin_reconsideration_cases", 0, "无行政复议")]
    with_optional = score(g, {"a.txt": extraction(*base, fig("petitions_received", 3, "21次"))}, {"a.txt": TEXT}, KEYS)
    without = score(g, {"a.txt": extraction(*base)}, {"a.txt": TEXT}, KEYS)
    assert with_optional.overall.f1 == without.overall.f1 == 1.0
    wrong = score(g, {"a.txt": extraction(*base, fig("petitions_received", 9, "21次"))}, {"a.txt": TEXT}, KEYS)
    assert wrong.overall.fp == 1


def test_plan_figures_returned_as_results_are_leakage():
    g = gold(plans=[GoldFigure("a.txt", "publicity_events", (25,))])
    leaked = extraction(fig("publicity_events", 25, "25次"))
    s = score(g, {"a.txt": leaked}, {"a.txt": TEXT}, KEYS)
    assert [(p.metric, p.found) for p in s.plan_leaks] == [("publicity_events", "25")]
    flagged = extraction(fig("publicity_events", 21, "21次"), fig("publicity_events", 25, "25次", plan=True))
    assert score(g, {"a.txt": flagged}, {"a.txt": TEXT}, KEYS).plan_leaks == []


def test_qualifier_accuracy_and_metadata_accuracy():
    g = Gold(reports=gold().reports, results=[GoldFigure("a.txt", "disputes_mediated", (54,), "approx")])
    s = score(g, {"a.txt": extraction(fig("disputes_mediated", 54, "54件"), county=None)}, {"a.txt": TEXT}, KEYS)
    assert s.qualifier == (0, 1) and s.qualifier_errors[0].expected == "approx"
    assert s.metadata_accuracy("county") == 0.0 and s.metadata_errors == [("a.txt", "county", "示例县", "")]
    assert not s.passes(0.5)


def test_evidence_must_be_the_text_at_its_offsets_and_hold_the_number():
    good = fig("disputes_mediated", 54, "54件")
    assert evidence_problem(good, TEXT) == ""
    moved = Figure(**{**good.__dict__, "start": good.start + 1})
    assert "offsets" in evidence_problem(moved, TEXT)
    bare = Figure(**{**good.__dict__, "parts": ()})
    assert evidence_problem(bare, TEXT)
    outside = Figure(**{**good.__dict__, "parts": (Part(21, TEXT.index("25次"), TEXT.index("25次") + 3, "25次"),)})
    assert "inside" in evidence_problem(outside, TEXT)


def test_a_report_the_extractor_never_saw_counts_as_all_missed():
    s = score(gold(), {}, {}, KEYS)
    assert s.overall.fn == 3 and s.overall.tp == 0
    assert s.metadata_accuracy("township") == 0.0


def test_count_matches_scores_keyed_values_as_fazhi_eval_does():
    from transforms.evaluate import count_matches

    expected = {("a.txt", "publicity_events"): 21.0, ("a.txt", "disputes_mediated"): 54.0,
                ("b.txt", "publicity_events"): 20.0}
    found = {("a.txt", "publicity_events"): 21.0, ("a.txt", "disputes_mediated"): 45.0,
             ("b.txt", "legal_advisers"): 2.0}
    m = count_matches(expected, found)
    assert (m.tp, m.fp, m.fn) == (1, 2, 2)
    assert round(m.precision, 3) == 0.333 and round(m.recall, 3) == 0.333
