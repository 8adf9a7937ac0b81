"""中文 labels the dashboard shows for the warehouse's English codes, and the links to evidence pages."""
from __future__ import annotations

from urllib.parse import quote

STATUS_LABELS = {"present": "已填报", "missing": "缺失", "no_report": "未报送报告"}
STATUS_COLORS = ("#4c9a6a", "#e0a030", "#c8443c")   # in the order of STATUS_LABELS
QUALIFIER_LABELS = {"exact": "", "approx": "约", "at_least": "不少于", "at_most": "不超过"}
ALERT_KINDS = {"missing_figure": "缺少必填数字", "dq_failure": "数据质量未通过", "missing_report": "未报送报告",
               "needs_review": "待人工确认"}
EVIDENCE_DIR = "evidence"


def evidence_page(report_id: str) -> str:
    """Relative link from the dashboard to a report's evidence page."""
    return f"{EVIDENCE_DIR}/{quote(report_id)}.html"


def anchor(metric: str) -> str:
    return f"m-{metric}"


def evidence_href(report_id: str | None, metric: str | None) -> str | None:
    """Link to the sentence a figure came from (to the report when the figure is missing)."""
    if not report_id:
        return None
    return evidence_page(report_id) + (f"#{anchor(metric)}" if metric else "")
