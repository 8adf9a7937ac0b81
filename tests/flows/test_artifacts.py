"""The run summary a Prefect artifact shows: counts, quarantined files with their reasons, alerts."""
from __future__ import annotations

from flows.artifacts import QUARANTINE_KEY, SUMMARY_KEY, failure_markdown, quarantine_rows, summary_markdown


def _summary(**over) -> dict:
    base = {"run_id": "r-1", "files_seen": 7, "files_new": 6, "files_duplicate": 1, "files_already_seen": 0,
            "quarantined": [{"path": "坏|文件.txt", "code": "binary", "reason": "坏|文件.txt: not text; send the .docx"}],
            "reports_loaded": 5, "reports_superseded": 1, "figures_loaded": 40, "figures_rejected": 2,
            "alerts_raised": 3, "alerts_sent": {"email": 3}, "alerts_failed": {"webhook": 3}}
    return {**base, **over}


def _row(markdown: str, label: str) -> str:
    return next(line for line in markdown.splitlines() if line.startswith(f"| {label} |"))


def test_summary_shows_every_count_with_its_chinese_label():
    md = summary_markdown(_summary())
    assert "r-1" in md
    assert _row(md, "收件箱文件") == "| 收件箱文件 | 7 |" and _row(md, "载入报告") == "| 载入报告 | 5 |"
    assert _row(md, "隔离文件") == "| 隔离文件 | 1 |" and _row(md, "新增预警") == "| 新增预警 | 3 |"
    assert "| 预警已发送（email） | 3 |" in md and "预警发送失败（webhook" in md


def test_quarantined_files_are_listed_with_their_reason_and_table_cells_stay_intact():
    md = summary_markdown(_summary())
    assert "### 隔离文件" in md
    assert "| 坏\\|文件.txt | binary | 坏\\|文件.txt: not text; send the .docx |" in md
    assert quarantine_rows(_summary()) == [
        {"文件": "坏|文件.txt", "原因代码": "binary", "原因": "坏|文件.txt: not text; send the .docx"}]


def test_a_clean_run_has_no_quarantine_section():
    md = summary_markdown(_summary(quarantined=[], alerts_sent={}, alerts_failed={}))
    assert "### 隔离文件" not in md and "| 隔离文件 | 0 |" in md and "预警已发送" not in md


def test_failure_says_what_failed_and_that_nothing_was_loaded():
    md = failure_markdown(OSError("[Errno 112] Host is down: '/mnt/share/inbox'"))
    assert "OSError" in md and "/mnt/share/inbox" in md and "运行前的状态" in md


def test_keys_are_stable_and_valid_prefect_keys():
    for key in (SUMMARY_KEY, QUARANTINE_KEY):
        assert key == key.lower() and all(c.isalnum() or c == "-" for c in key)
