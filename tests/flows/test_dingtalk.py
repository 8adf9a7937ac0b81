"""DingTalk group robot: the digest reaches a real HTTP robot on 127.0.0.1 that checks token, timestamp and
sign as DingTalk does; markdown, split under 20000 bytes, paced, errcode answers retried, sent once."""
from __future__ import annotations

import json

from fazhi.config import load_config
from flows.notify import deliver_pending
from tests.helpers import (LoopbackDingTalk, add_alerts, alert_row, delivery_rows, many_townships,
                           robot_toml)

SECRET_ENV = "FAZHI_DINGTALK_SECRET"
MISSING = [alert_row("missing_figure", "青山镇", "disputes_mediated"),
           alert_row("missing_figure", "青山镇", "publicity_events"),
           alert_row("missing_figure", "绿水乡", "admin_litigation_cases", report_id="r2", file_name="lvshui.docx")]
RATE = alert_row("dq_failure", "青山镇", "mediation_success_rate", detail="rate_within_0_100")


def dingtalk_toml(url: str, extra: str = "") -> str:
    return robot_toml("dingtalk", url, extra)


def test_a_signed_markdown_digest_reaches_the_group_and_mentions_the_people(
        tmp_path, write_config, dingtalk_robot, monkeypatch):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING, RATE, rejected=[{"report_id": "r1", "metric": "mediation_success_rate", "value": 120.0,
                                              "unit": "%", "expectation": "rate_within_0_100"}])
    monkeypatch.setenv(SECRET_ENV, dingtalk_robot.secret)
    cfg = load_config(write_config(dingtalk_toml(dingtalk_robot.url, 'at_mobiles = ["13800001111"]\n')))
    summary = deliver_pending(db, cfg)
    assert summary.sent["dingtalk"] == 4 and summary.failed == {}

    [message] = dingtalk_robot.messages
    assert message["msgtype"] == "markdown"
    assert message["markdown"]["title"] == "法治政府建设报告数据提醒"
    text = message["markdown"]["text"]
    assert text.startswith("### 法治政府建设报告数据提醒\n\n**2 个乡镇，4 条**")
    assert ("#### 青山镇（示例县）\n- 年度：2022\n- 文件：qingshan.txt\n"
            "- **缺少的指标**：普法宣传活动次数、人民调解纠纷件数\n"
            "- **未通过数据质量检查（未入库）**：调解成功率 = 120%（比率（%）应在 0 到 100 之间）") in text
    assert "#### 绿水乡（示例县）\n- 年度：2022\n- 文件：lvshui.docx\n- **缺少的指标**：行政诉讼案件数" in text
    assert message["at"] == {"atMobiles": ["13800001111"], "isAtAll": False} and text.endswith("@13800001111")
    [request] = dingtalk_robot.requests
    assert {"timestamp", "sign"} <= request["query"].keys()
    targets = {target for _, _, target, _ in delivery_rows(db)}
    assert targets == {f"http://127.0.0.1:{dingtalk_robot.port}/robot/send"}, "the access_token is never stored"


def test_a_wrong_signature_is_a_failed_delivery_with_the_robots_errmsg_retried_next_run(
        tmp_path, write_config, dingtalk_robot, monkeypatch):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    cfg = load_config(write_config(dingtalk_toml(dingtalk_robot.url)))
    monkeypatch.setenv(SECRET_ENV, "SECnot-the-robots-secret")
    first = deliver_pending(db, cfg)
    assert first.failed == {"dingtalk": 3} and dingtalk_robot.messages == []
    assert "errcode 310000: sign not match" in first.errors["dingtalk"] and SECRET_ENV in first.errors["dingtalk"]
    assert {(status, "sign not match" in error) for _, status, _, error in delivery_rows(db)} == {("failed", True)}

    monkeypatch.setenv(SECRET_ENV, dingtalk_robot.secret)
    second = deliver_pending(db, cfg)
    third = deliver_pending(db, cfg)
    assert second.sent == {"dingtalk": 3} and third.sent == {}
    assert len(dingtalk_robot.messages) == 1


def test_a_robot_that_requires_signing_refuses_an_unsigned_request_and_says_which_variable(
        tmp_path, write_config, dingtalk_robot, monkeypatch):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    monkeypatch.delenv(SECRET_ENV, raising=False)
    summary = deliver_pending(db, load_config(write_config(dingtalk_toml(dingtalk_robot.url))))
    assert "invalid timestamp" in summary.errors["dingtalk"] and f"${SECRET_ENV}" in summary.errors["dingtalk"]


def test_a_robot_without_signing_takes_unsigned_requests_holding_its_keyword(tmp_path, write_config):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    robot = LoopbackDingTalk(secret=None, keywords=("提醒",)).start()
    try:
        summary = deliver_pending(db, load_config(write_config(dingtalk_toml(robot.url, 'secret_env = ""\n'))))
    finally:
        robot.stop()
    assert summary.sent["dingtalk"] == 3 and len(robot.messages) == 1
    assert "sign" not in robot.requests[0]["query"]


def test_a_long_digest_arrives_split_under_20000_bytes_paced_and_each_alert_once(
        tmp_path, write_config, monkeypatch):
    db = tmp_path / "w.duckdb"
    alerts = many_townships(300)
    add_alerts(db, *alerts)
    robot = LoopbackDingTalk(per_window=2, window_s=1.0).start()   # the real robot: 20 a minute
    monkeypatch.setenv(SECRET_ENV, robot.secret)
    pacing = "messages_per_window = 2\nwindow_s = 1.0\n"
    try:
        summary = deliver_pending(db, load_config(write_config(dingtalk_toml(robot.url, pacing))))
    finally:
        robot.stop()
    assert summary.sent["dingtalk"] == len(alerts) and summary.failed == {}
    assert all(r["answer"] == (0, "ok") for r in robot.requests), "never refused: too long or too fast"
    n = len(robot.messages)
    assert n >= 3
    titles = [m["markdown"]["title"] for m in robot.messages]
    assert titles == [f"法治政府建设报告数据提醒（第 {i}/{n} 条）" for i in range(1, n + 1)]
    texts = "\n".join(m["markdown"]["text"] for m in robot.messages)
    for i in range(300):
        assert texts.count(f"#### 测试{i:03d}镇（示例县）") == 1
    arrivals = [r["at"] for r in robot.requests]
    assert all(later - first >= 1.0 for first, later in zip(arrivals, arrivals[2:])), "at most 2 a second"
    assert deliver_pending(db, load_config(write_config(dingtalk_toml(robot.url, pacing)))).sent == {}


def test_when_one_part_fails_only_its_alerts_and_the_later_ones_are_sent_again(
        tmp_path, write_config, dingtalk_robot, monkeypatch):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *many_townships(200))
    monkeypatch.setenv(SECRET_ENV, dingtalk_robot.secret)
    cfg = load_config(write_config(dingtalk_toml(dingtalk_robot.url)))
    dingtalk_robot.fail_next = [None, (410100, "send too fast, exceed 20 times per minute")]
    first = deliver_pending(db, cfg)
    [delivered] = dingtalk_robot.messages
    told = {i for i in range(200) if f"#### 测试{i:03d}镇（" in delivered["markdown"]["text"]}
    assert 0 < len(told) < 200 and first.sent["dingtalk"] == 2 * len(told)
    assert first.failed["dingtalk"] == 2 * (200 - len(told)) and "send too fast" in first.errors["dingtalk"]
    assert len(dingtalk_robot.requests) == 2, "after a refused part the rest wait for the next run"

    second = deliver_pending(db, cfg)
    assert second.sent["dingtalk"] == 2 * (200 - len(told)) and deliver_pending(db, cfg).sent == {}
    again = "\n".join(m["markdown"]["text"] for m in dingtalk_robot.messages[1:])
    assert {i for i in range(200) if f"#### 测试{i:03d}镇（" in again} == set(range(200)) - told


def test_report_text_cannot_inject_markdown_links_or_mentions(tmp_path, write_config, dingtalk_robot, monkeypatch):
    db = tmp_path / "w.duckdb"
    evil = "**@所有人** [点此领取](http://evil.example/x)\n# <font color=red>紧急</font>.docx"
    add_alerts(db, alert_row("missing_figure", "青山镇", "disputes_mediated", file_name=evil))
    monkeypatch.setenv(SECRET_ENV, dingtalk_robot.secret)
    deliver_pending(db, load_config(write_config(dingtalk_toml(dingtalk_robot.url))))
    text = dingtalk_robot.messages[0]["markdown"]["text"]
    line = next(line for line in text.split("\n") if line.startswith("- 文件："))
    assert line == "- 文件：＊＊＠所有人＊＊ ［点此领取］(http：//evil.example/x) ＃ ＜font color=red＞紧急＜/font＞.docx"
    assert "@" not in text and "](" not in text and "<" not in text


def test_fazhi_alerts_shows_the_robots_errmsg_and_resend_delivers_one_alert(
        tmp_path, write_config, dingtalk_robot, fazhi_cli):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    config = write_config(dingtalk_toml(dingtalk_robot.url))
    env = {SECRET_ENV: dingtalk_robot.secret}
    dingtalk_robot.fail_next = [(300001, "token is not exist")]
    failed = fazhi_cli("alerts", "--db", str(db), "--config", str(config), "--resend", MISSING[2]["alert_id"], env=env)
    assert failed.returncode != 0 and "token is not exist" in failed.stdout + failed.stderr
    listed = fazhi_cli("alerts", "--db", str(db), "--config", str(config), "--status", "failed", "--format", "json")
    [row] = json.loads(listed.stdout)
    assert row["channels"] == "dingtalk:failed" and "errcode 300001: token is not exist" in row["last_error"]

    sent = fazhi_cli("alerts", "--db", str(db), "--config", str(config), "--resend", MISSING[2]["alert_id"], env=env)
    assert sent.returncode == 0, sent.stderr
    [message] = dingtalk_robot.messages
    assert "绿水乡" in message["markdown"]["text"] and "青山镇" not in message["markdown"]["text"]
