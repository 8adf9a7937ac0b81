"""The alert digest people receive: one Chinese text (and a JSON payload) for a batch of alerts, per report.

Pure: alert rows in, text out. The caller supplies the catalog's Chinese labels (in catalog order, the
order missing figures are listed in) and the Chinese wording of the data-quality checks.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from transforms.settle import PROBLEM_LABELS

KIND_ORDER = {"needs_review": 0, "missing_report": 1, "missing_figure": 2, "dq_failure": 3}
FOOTER = "（本提醒由 fazhi 法治政府建设报告数据仓库自动发送；同一提醒只发送一次。）"


@dataclass(frozen=True)
class Digest:
    subject: str
    text: str
    payload: dict[str, Any]
    alert_ids: tuple[str, ...]


def _value(alert: Mapping[str, Any]) -> str:
    value = alert.get("value")
    if value is None:
        return ""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return f" = {shown}{alert.get('unit') or ''}"


def _group_key(alert: Mapping[str, Any]) -> tuple:
    return (alert.get("county") or "", alert["township"], alert.get("year") or 0, alert.get("file_name") or "",
            alert.get("report_id") or "")


def _place(alert: Mapping[str, Any]) -> str:
    county = alert.get("county")
    return f"{alert['township']}（{county}）" if county else alert["township"]


def _group_lines(alerts: list[Mapping[str, Any]], labels: Mapping[str, str], reasons: Mapping[str, str]) -> list[str]:
    first = alerts[0]
    lines = [f"乡镇：{_place(first)}", f"年度：{first.get('year') or '未知'}"]
    if first.get("file_name"):
        lines.append(f"文件：{first['file_name']}")
    order = {key: i for i, key in enumerate(labels)}
    missing = [labels.get(m, m) for m in sorted((a["metric"] for a in alerts if a["kind"] == "missing_figure"),
                                                key=lambda m: order.get(m, len(order)))]
    if missing:
        lines.append("缺少的指标：" + "、".join(missing))
    failed = [a for a in alerts if a["kind"] == "dq_failure"]
    for reason in dict.fromkeys(a.get("detail") for a in failed):
        items = "、".join(labels.get(a["metric"], a["metric"] or "") + _value(a)
                         for a in failed if a.get("detail") == reason)
        lines.append(f"未通过数据质量检查（未入库）：{items}（{reasons.get(reason or '', reason or '')}）")
    for a in (a for a in alerts if a["kind"] == "needs_review"):
        label = PROBLEM_LABELS.get(a.get("detail") or "", a.get("detail") or "")
        lines.append(f"待人工确认：{label}；报告中的数字已保留，确认乡镇和年度后入库（fazhi review）")
    for a in (a for a in alerts if a["kind"] == "missing_report"):
        lines.append(f"未报送：截至 {a.get('detail') or '报送截止日期'}，仍未收到该乡镇 {a.get('year')} 年度法治政府建设情况报告")
    return lines


def build_digest(alerts: list[Mapping[str, Any]], labels: Mapping[str, str], reasons: Mapping[str, str]) -> Digest:
    """One digest for these alerts, grouped per report (or per township and year for a missing report).

    Each alert is a mapping with the columns of the alerts table, plus `value` and `unit` of the rejected
    figure for a dq_failure.
    """
    groups: dict[tuple, list[Mapping[str, Any]]] = {}
    for alert in sorted(alerts, key=lambda a: (_group_key(a), KIND_ORDER.get(a["kind"], 9))):
        groups.setdefault(_group_key(alert), []).append(alert)
    townships = {(a.get("county"), a["township"]) for a in alerts}
    subject = f"法治政府建设报告数据提醒：{len(townships)} 个乡镇，{len(alerts)} 条"
    body = [subject, ""]
    for members in groups.values():
        body.extend(_group_lines(members, labels, reasons))
        body.append("")
    body.append(FOOTER)
    payload = {"title": subject, "text": "\n".join(body), "count": len(alerts), "alerts": [
        {"alert_id": a["alert_id"], "kind": a["kind"], "county": a.get("county"), "township": a["township"],
         "year": a.get("year"), "metric": a.get("metric"), "metric_label": labels.get(a.get("metric") or "", None),
         "reason": reasons.get(a.get("detail") or "") if a["kind"] == "dq_failure" else None,
         "value": a.get("value"), "file_name": a.get("file_name")} for a in alerts]}
    return Digest(subject, payload["text"], payload, tuple(a["alert_id"] for a in alerts))
