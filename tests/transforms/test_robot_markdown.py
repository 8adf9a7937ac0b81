"""The digest as robot markdown: readable sections per report, untrusted text made inert, split so that every
message fits and every alert is in exactly one message."""
from __future__ import annotations

import pytest

from transforms.digest import build_digest
from transforms.robot_markdown import MessageTooSmall, neutral, robot_messages

LABELS = {"disputes_mediated": "人民调解纠纷件数", "publicity_events": "普法宣传活动次数",
          "admin_litigation_cases": "行政诉讼案件数"}
REASONS = {"rate_within_0_100": "比率（%）应在 0 到 100 之间"}


def alert(alert_id: str, kind: str, township: str = "青山镇", metric: str | None = None, **extra) -> dict:
    row = {"alert_id": alert_id, "report_id": "r1", "township": township, "county": "示例县", "year": 2022,
           "kind": kind, "metric": metric, "detail": None, "file_name": "qingshan.txt", "value": None, "unit": None}
    return {**row, **extra}


def byte_limit(n: int):
    return lambda title, text: len(text.encode("utf-8")) <= n


def test_one_message_with_a_section_per_report_and_the_missing_report():
    digest = build_digest([alert("a", "missing_figure", metric="disputes_mediated"),
                           alert("e", "missing_report", "白云街道", report_id=None, file_name=None, year=2025,
                                 detail="2026-03-31")], LABELS, REASONS)
    [message] = robot_messages(digest, byte_limit(4096))
    assert message.title == "法治政府建设报告数据提醒" and set(message.alert_ids) == {"a", "e"}
    assert "#### 白云街道（示例县）\n- 年度：2025\n- **未报送**：截至 2026-03-31，仍未收到该乡镇 2025 年度" in message.text
    assert "#### 青山镇（示例县）\n- 年度：2022\n- 文件：qingshan.txt\n- **缺少的指标**：人民调解纠纷件数" in message.text
    assert "同一提醒只发送一次" in message.text


@pytest.mark.parametrize("evil, shown", [
    ("**粗体** _斜体_ `代码`", "＊＊粗体＊＊ ＿斜体＿ ｀代码｀"),
    ("[点此](http://evil.example)", "［点此］(http：//evil.example)"),
    ("@所有人 <@zhangsan> @13800001111", "＠所有人 ＜＠zhangsan＞ ＠13800001111"),
    ("<font color=\"warning\">红字</font>", "＜font color=\"warning\"＞红字＜/font＞"),
    ("第一行\n# 标题\r\n> 引用", "第一行 ＃ 标题 ＞ 引用"),
    ("![图](x.png) a|b ~~删~~ \\* &lt;", "！［图］(x.png) a｜b ～～删～～ ＼＊ ＆lt;"),
])
def test_untrusted_text_is_shown_as_text(evil, shown):
    assert neutral(evil) == shown


def test_a_long_digest_is_split_into_messages_that_fit_with_every_alert_once_in_report_order():
    alerts = [alert(f"{i}-{m}", "missing_figure", f"测试{i:03d}镇", m, report_id=f"r{i}")
              for i in range(80) for m in LABELS]
    digest = build_digest(alerts, LABELS, REASONS)
    messages = robot_messages(digest, byte_limit(2000))
    assert len(messages) > 3
    assert all(len(m.text.encode("utf-8")) <= 2000 for m in messages)
    ids = [i for m in messages for i in m.alert_ids]
    assert sorted(ids) == sorted(a["alert_id"] for a in alerts) and len(ids) == len(set(ids))
    order = [int(line[len("#### 测试"):][:3]) for m in messages for line in m.text.split("\n")
             if line.startswith("#### 测试")]
    assert order == list(range(80))
    assert [m.title for m in messages] == [f"法治政府建设报告数据提醒（第 {i}/{len(messages)} 条）"
                                          for i in range(1, len(messages) + 1)]
    assert "同一提醒只发送一次" in messages[-1].text and "同一提醒只发送一次" not in messages[0].text


def test_a_report_too_long_for_one_message_continues_in_the_next_with_its_heading():
    reasons = {f"check_{i}": f"第 {i} 项检查的说明文字，较长较长较长较长较长较长" for i in range(40)}
    alerts = [alert(f"d{i}", "dq_failure", metric="disputes_mediated", detail=f"check_{i}", value=float(i))
              for i in range(40)]
    messages = robot_messages(build_digest(alerts, LABELS, reasons), byte_limit(1500))
    assert len(messages) > 1
    assert "#### 青山镇（示例县）\n" in messages[0].text and "#### 青山镇（示例县）（续）\n" in messages[1].text
    ids = [i for m in messages for i in m.alert_ids]
    assert sorted(ids) == sorted(a["alert_id"] for a in alerts) and len(ids) == len(set(ids))


def test_a_line_longer_than_a_message_is_cut_and_its_alerts_still_delivered():
    digest = build_digest([alert("a", "missing_figure", metric="disputes_mediated", file_name="长" * 2000)],
                          LABELS, REASONS)
    [message] = robot_messages(digest, byte_limit(1000))
    assert message.alert_ids == ("a",) and "长…" in message.text and len(message.text.encode()) <= 1000


def test_the_mention_ends_the_first_message_only():
    alerts = [alert(f"{i}", "missing_figure", f"测试{i:03d}镇", "disputes_mediated", report_id=f"r{i}")
              for i in range(40)]
    messages = robot_messages(build_digest(alerts, LABELS, REASONS), byte_limit(1500), mention="@13800001111")
    assert messages[0].text.endswith("\n\n@13800001111")
    assert all("@13800001111" not in m.text for m in messages[1:])


def test_a_limit_too_small_for_any_message_is_refused():
    digest = build_digest([alert("a", "missing_figure", metric="disputes_mediated")], LABELS, REASONS)
    with pytest.raises(MessageTooSmall):
        robot_messages(digest, byte_limit(100))


def test_a_report_waiting_for_review_says_so():
    digest = build_digest([alert("n", "needs_review", "（待确认）", report_id=None, year=None, detail="no_township",
                                 file_name="扫描件_2023.docx")], LABELS, REASONS)
    [message] = robot_messages(digest, byte_limit(4096))
    assert "#### （待确认）（示例县）\n- 年度：未知\n- 文件：扫描件＿2023.docx\n- **待人工确认**：" in message.text
    assert "fazhi review" in message.text and message.alert_ids == ("n",)
