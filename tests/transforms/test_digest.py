"""The digest people read: Chinese, one block per report, every missing figure by its catalog label."""
from __future__ import annotations

from transforms.digest import build_digest

LABELS = {"disputes_mediated": "人民调解纠纷件数", "publicity_events": "普法宣传活动次数",
          "mediation_success_rate": "调解成功率"}
REASONS = {"rate_within_0_100": "比率（%）应在 0 到 100 之间"}


def alert(alert_id: str, kind: str, township: str = "青山镇", metric: str | None = None, **extra) -> dict:
    row = {"alert_id": alert_id, "report_id": "r1", "township": township, "county": "示例县", "year": 2022,
           "kind": kind, "metric": metric, "detail": None, "file_name": "qingshan.txt", "value": None, "unit": None}
    return {**row, **extra}


def test_one_block_per_report_with_township_year_file_and_every_missing_label():
    digest = build_digest([alert("a", "missing_figure", metric="disputes_mediated"),
                           alert("b", "missing_figure", metric="publicity_events"),
                           alert("c", "missing_figure", "绿水乡", "publicity_events", report_id="r2",
                                 file_name="lvshui.txt", year=2023)], LABELS, REASONS)
    assert digest.subject == "法治政府建设报告数据提醒：2 个乡镇，3 条"
    text = digest.text
    assert "乡镇：青山镇（示例县）\n年度：2022\n文件：qingshan.txt\n缺少的指标：人民调解纠纷件数、普法宣传活动次数" in text
    assert "乡镇：绿水乡（示例县）\n年度：2023\n文件：lvshui.txt\n缺少的指标：普法宣传活动次数" in text
    assert digest.alert_ids == ("a", "b", "c")


def test_a_failed_check_shows_the_value_and_the_reason_in_chinese():
    digest = build_digest([alert("d", "dq_failure", metric="mediation_success_rate", detail="rate_within_0_100",
                                 value=120.0, unit="%")], LABELS, REASONS)
    assert "未通过数据质量检查（未入库）：调解成功率 = 120%（比率（%）应在 0 到 100 之间）" in digest.text


def test_a_missing_report_names_the_deadline():
    digest = build_digest([alert("e", "missing_report", "白云街道", report_id=None, file_name=None, year=2025,
                                 detail="2026-03-31")], LABELS, REASONS)
    assert "乡镇：白云街道（示例县）\n年度：2025\n未报送：截至 2026-03-31，仍未收到该乡镇 2025 年度法治政府建设情况报告" in digest.text
    assert "文件" not in digest.text


def test_the_payload_carries_the_text_and_each_alert_with_its_label():
    digest = build_digest([alert("a", "missing_figure", metric="disputes_mediated")], LABELS, REASONS)
    assert digest.payload["text"] == digest.text and digest.payload["count"] == 1
    assert digest.payload["alerts"][0] | {"metric_label": "人民调解纠纷件数"} == digest.payload["alerts"][0]


def test_a_metric_the_catalog_does_not_know_is_shown_by_its_key():
    digest = build_digest([alert("a", "missing_figure", metric="new_metric")], LABELS, REASONS)
    assert "缺少的指标：new_metric" in digest.text
