"""The run's Prefect artifacts: a summary under one stable key, so the Prefect UI keeps the run history.

`summary_markdown` and `quarantine_rows` are pure (summary dict in, text/rows out); `publish*` talk to Prefect.
"""
from __future__ import annotations

from typing import Any

SUMMARY_KEY = "nightly-ingest-summary"
QUARANTINE_KEY = "nightly-ingest-quarantine"

COUNT_LABELS = (
    ("files_seen", "收件箱文件"),
    ("files_new", "新文件"),
    ("files_already_seen", "已处理过"),
    ("files_duplicate", "重复文件"),
    ("reports_loaded", "载入报告"),
    ("reports_superseded", "被更正版替代的报告"),
    ("figures_loaded", "载入数字"),
    ("figures_rejected", "未通过校验的数字"),
    ("alerts_raised", "新增预警"),
)


def quarantine_rows(summary: dict[str, Any]) -> list[dict[str, str]]:
    """One row per quarantined file: the file, the reason code, what was wrong and what to do."""
    return [{"文件": q["path"], "原因代码": q["code"] or "", "原因": q["reason"] or ""}
            for q in summary.get("quarantined", [])]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_markdown(summary: dict[str, Any]) -> str:
    """The run summary as Markdown: counts, quarantined files with reasons, alerts sent per channel."""
    lines = [f"## 本次入库 run `{summary['run_id']}`", "", "| 项目 | 数量 |", "|---|---:|"]
    lines += [f"| {label} | {summary[key]} |" for key, label in COUNT_LABELS]
    lines.append(f"| 隔离文件 | {len(summary['quarantined'])} |")
    lines.append(f"| 待人工确认（数字已保留） | {len(summary.get('needs_review', []))} |")
    for channel, n in sorted(summary.get("alerts_sent", {}).items()):
        lines.append(f"| 预警已发送（{channel}） | {n} |")
    for channel, n in sorted(summary.get("alerts_failed", {}).items()):
        lines.append(f"| 预警发送失败（{channel}，下次重试） | {n} |")
    rows = quarantine_rows(summary)
    if rows:
        lines += ["", "### 隔离文件", "", "| 文件 | 原因代码 | 原因 |", "|---|---|---|"]
        lines += [f"| {_cell(r['文件'])} | {_cell(r['原因代码'])} | {_cell(r['原因'])} |" for r in rows]
    return "\n".join(lines) + "\n"


def failure_markdown(exc: BaseException) -> str:
    return (f"## 本次入库失败\n\n{type(exc).__name__}: {_cell(str(exc))}\n\n"
            "仓库保持运行前的状态；下次运行会重新处理这些文件。\n")


def publish(summary: dict[str, Any]) -> None:
    """Create this run's summary (markdown) and quarantine (table) artifacts under their stable keys."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    loaded = summary["reports_loaded"]
    create_markdown_artifact(summary_markdown(summary), key=SUMMARY_KEY,
                             description=f"{summary['files_seen']} 个文件，载入 {loaded} 份报告")
    create_table_artifact(quarantine_rows(summary) or [{"文件": "", "原因代码": "", "原因": "无隔离文件"}],
                          key=QUARANTINE_KEY, description=f"{len(summary['quarantined'])} 个文件被隔离")


def publish_failure(exc: BaseException) -> None:
    from prefect.artifacts import create_markdown_artifact

    create_markdown_artifact(failure_markdown(exc), key=SUMMARY_KEY, description="运行失败")
