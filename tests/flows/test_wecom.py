"""WeCom group robot: the digest reaches a real HTTP robot on 127.0.0.1 that checks the key and the sizes as
WeCom does; markdown within 4096 bytes, people @-ed by mobile, errcode answers retried, sent once."""
from __future__ import annotations

from fazhi.config import load_config
from flows.notify import deliver_pending
from tests.helpers import LoopbackWeCom, add_alerts, alert_row, delivery_rows, many_townships, robot_toml

WRONG_KEY = "00000000-0000-0000-0000-000000000000"
MISSING = [alert_row("missing_figure", "青山镇", "disputes_mediated"),
           alert_row("missing_figure", "青山镇", "publicity_events"),
           alert_row("missing_figure", "绿水乡", "admin_litigation_cases", report_id="r2", file_name="lvshui.docx")]


def wecom_toml(url: str, extra: str = "") -> str:
    return robot_toml("wecom", url, extra)


def test_the_digest_arrives_as_markdown_after_a_text_that_mentions_the_people(tmp_path, write_config, wecom_robot):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    cfg = load_config(write_config(wecom_toml(wecom_robot.url, 'mentioned_mobile_list = ["13800001111"]\n')))
    summary = deliver_pending(db, cfg)
    assert summary.sent["wecom"] == 3 and summary.failed == {}

    mention, digest = wecom_robot.messages
    assert mention["msgtype"] == "text" and mention["text"]["mentioned_mobile_list"] == ["13800001111"]
    assert mention["text"]["content"].startswith("法治政府建设报告数据提醒：2 个乡镇，3 条")
    content = digest["markdown"]["content"]
    assert digest["msgtype"] == "markdown" and content.startswith("### 法治政府建设报告数据提醒\n\n**2 个乡镇，3 条**")
    assert "#### 青山镇（示例县）\n- 年度：2022\n- 文件：qingshan.txt\n- **缺少的指标**：普法宣传活动次数、人民调解纠纷件数" in content
    assert "#### 绿水乡（示例县）\n- 年度：2022\n- 文件：lvshui.docx\n- **缺少的指标**：行政诉讼案件数" in content
    stored = {target for _, _, target, _ in delivery_rows(db)}
    assert stored == {f"http://127.0.0.1:{wecom_robot.port}/cgi-bin/webhook/send"}, "the key is never stored"


def test_a_wrong_key_is_a_failed_delivery_with_the_robots_errmsg_and_is_retried(tmp_path, write_config, wecom_robot):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    wrong = wecom_robot.url.replace(wecom_robot.key, WRONG_KEY)
    first = deliver_pending(db, load_config(write_config(wecom_toml(wrong))))
    assert first.failed == {"wecom": 3} and wecom_robot.messages == []
    error = first.errors["wecom"]
    assert "errcode 93000: invalid webhook url" in error and "[alerts.wecom] url" in error
    assert {(status, "93000" in error) for _, status, _, error in delivery_rows(db)} == {("failed", True)}

    cfg = load_config(write_config(wecom_toml(wecom_robot.url)))
    assert deliver_pending(db, cfg).sent == {"wecom": 3} and deliver_pending(db, cfg).sent == {}
    assert len(wecom_robot.messages) == 1


def test_an_errcode_answer_fails_the_run_s_delivery_and_the_next_run_delivers_once(
        tmp_path, write_config, wecom_robot):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    cfg = load_config(write_config(wecom_toml(wecom_robot.url)))
    wecom_robot.fail_next = [(45009, "api freq out of limit")]
    first = deliver_pending(db, cfg)
    assert first.failed == {"wecom": 3} and "45009: api freq out of limit" in first.errors["wecom"]
    assert deliver_pending(db, cfg).sent == {"wecom": 3} and deliver_pending(db, cfg).sent == {}
    assert len(wecom_robot.messages) == 1


def test_a_long_digest_arrives_split_under_4096_bytes_paced_and_each_alert_once(tmp_path, write_config):
    db = tmp_path / "w.duckdb"
    alerts = many_townships(100)
    add_alerts(db, *alerts)
    robot = LoopbackWeCom(per_window=3, window_s=1.0).start()   # the real robot: 20 a minute
    pacing = "messages_per_window = 3\nwindow_s = 1.0\n"
    try:
        summary = deliver_pending(db, load_config(write_config(wecom_toml(robot.url, pacing))))
    finally:
        robot.stop()
    assert summary.sent["wecom"] == len(alerts) and summary.failed == {}
    assert all(r["answer"] == (0, "ok") for r in robot.requests), "never refused: too long or too fast"
    n = len(robot.messages)
    assert n >= 4
    contents = [m["markdown"]["content"] for m in robot.messages]
    assert all(len(c.encode("utf-8")) <= 4096 for c in contents)
    assert [c.split("\n", 1)[0] for c in contents] == [f"### 法治政府建设报告数据提醒（第 {i}/{n} 条）"
                                                      for i in range(1, n + 1)]
    joined = "\n".join(contents)
    for i in range(100):
        assert joined.count(f"#### 测试{i:03d}镇（示例县）") == 1
    arrivals = [r["at"] for r in robot.requests]
    assert all(later - first >= 1.0 for first, later in zip(arrivals, arrivals[3:])), "at most 3 a second"


def test_a_mention_that_got_through_does_not_count_the_refused_digest_as_delivered(
        tmp_path, write_config, wecom_robot):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    cfg = load_config(write_config(wecom_toml(wecom_robot.url, 'mentioned_mobile_list = ["@all"]\n')))
    wecom_robot.fail_next = [None, (45009, "api freq out of limit")]   # the mention passes, the digest does not
    first = deliver_pending(db, cfg)
    assert "wecom" not in first.sent and first.failed == {"wecom": 3}
    second = deliver_pending(db, cfg)
    assert second.sent == {"wecom": 3}
    assert [m["msgtype"] for m in wecom_robot.messages] == ["text", "text", "markdown"]
