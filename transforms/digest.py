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
    blocks: tuple["ReportBlock", ...] = ()   # the same content, per report, for channels with their own layout
    townships: int = 0


def _value(alert: Mapping[str, Any]) -> str:
    value = alert.get("value")
    if value is None:
        return ""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return f" = {shown}{alert.get('unit') or ''}"


def _group_key(alert: Mapping[str, Any]) -> tuple:
    return (alert.get("county") or "", alert["township"], alert.get("year") or 0, alert.get("file_name") or "",
            alert.get("report_id") or "")


@dataclass(frozen=True)
class Finding:
    """One line of a report's block: what is wrong (label：text) and the alerts it stands for."""
    label: str
    text: str
    alert_ids: tuple[str, ...]


@dataclass(frozen=True)
class ReportBlock:
    """What a digest says about one report (or one township and year without a report).

    Plain data, so that each channel can lay it out its own way (plain text, markdown)."""
    township: str
    county: str | None
    year: int | None
    file_name: str | None
    findings: tuple[Finding, ...]

    @property
    def place(self) -> str:
        return f"{self.township}（{self.county}）" if self.county else self.township


def _block(alerts: list[Mapping[str, Any]], labels: Mapping[str, str], reasons: Mapping[str, str]) -> ReportBlock:
    first = alerts[0]
    findings = []
    order = {key: i for i, key in enumerate(labels)}
    missing = sorted((a for a in alerts if a["kind"] == "missing_figure"),
                     key=lambda a: order.get(a["metric"], len(order)))
    if missing:
        findings.append(Finding("缺少的指标", "、".join(labels.get(a["metric"], a["metric"]) for a in missing),
                                tuple(a["alert_id"] for a in missing)))
    failed = [a for a in alerts if a["kind"] == "dq_failure"]
    for reason in dict.fromkeys(a.get("detail") for a in failed):
        members = [a for a in failed if a.get("detail") == reason]
        items = "、".join(labels.get(a["metric"], a["metric"] or "") + _value(a) for a in members)
        findings.append(Finding("未通过数据质量检查（未入库）", f"{items}（{reasons.get(reason or '', reason or '')}）",
                                tuple(a["alert_id"] for a in members)))
    for a in (a for a in alerts if a["kind"] == "needs_review"):
        label = PROBLEM_LABELS.get(a.get("detail") or "", a.get("detail") or "")
        findings.append(Finding("待人工确认", f"{label}；报告中的数字已保留，确认乡镇和年度后入库（fazhi review）",
                                (a["alert_id"],)))
    for a in (a for a in alerts if a["kind"] == "missing_report"):
        findings.append(Finding("未报送", f"截至 {a.get('detail') or '报送截止日期'}，仍未收到该乡镇 {a.get('year')} "
                                        "年度法治政府建设情况报告", (a["alert_id"],)))
    return ReportBlock(first["township"], first.get("county"), first.get("year"), first.get("file_name"),
                       tuple(findings))


def _block_lines(block: ReportBlock) -> list[str]:
    lines = [f"乡镇：{block.place}", f"年度：{block.year or '未知'}"]
    if block.file_name:
        lines.append(f"文件：{block.file_name}")
    return lines + [f"{f.label}：{f.text}" for f in block.findings]


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
    blocks = tuple(_block(members, labels, reasons) for members in groups.values())
    body = [subject, ""]
    for block in blocks:
        body.extend(_block_lines(block))
        body.append("")
    body.append(FOOTER)
    payload = {"title": subject, "text": "\n".join(body), "count": len(alerts), "alerts": [
        {"alert_id": a["alert_id"], "kind": a["kind"], "county": a.get("county"), "township": a["township"],
         "year": a.get("year"), "metric": a.get("metric"), "metric_label": labels.get(a.get("metric") or "", None),
         "reason": reasons.get(a.get("detail") or "") if a["kind"] == "dq_failure" else None,
         "value": a.get("value"), "file_name": a.get("file_name")} for a in alerts]}
    return Digest(subject, payload["text"], payload, tuple(a["alert_id"] for a in alerts), blocks, len(townships))
