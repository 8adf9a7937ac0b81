"""Alerts reach people: digests over a real SMTP server and a real HTTP endpoint on 127.0.0.1, sent once.

The first tests put alerts straight into a real warehouse file and call deliver_pending; the flow tests at
the end run nightly-ingest end to end (they need the extractor).
"""
from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from fazhi.config import load_config
from flows.notify import deliver_pending, resend
from tests.helpers import SAMPLE_GOLD, LoopbackSmtp, add_alerts, alert_row, free_port, make_report
from warehouse.db import connect_writer

GOLD_ALERTS = SAMPLE_GOLD / "alerts.csv"   # the same file as ../shared/gold/alerts.csv


def channels_toml(smtp_port: int | None = None, webhook_url: str | None = None, extra: str = "") -> str:
    text = ""
    if smtp_port is not None:
        text += (f'[alerts.email]\nenabled = true\nhost = "127.0.0.1"\nport = {smtp_port}\n'
                 'recipients = ["fazhiban@example.gov.cn", "sifasuo@example.gov.cn"]\ntimeout_s = 5\n')
    if webhook_url is not None:
        text += f'[alerts.webhook]\nenabled = true\nurl = "{webhook_url}"\ntimeout_s = 5\n'
    return text + extra


def deliveries(db: Path) -> list[tuple]:
    con = connect_writer(db)
    try:
        return con.sql("SELECT channel, status, count(*) FROM alert_deliveries GROUP BY ALL ORDER BY ALL").fetchall()
    finally:
        con.close()


MISSING = [alert_row("missing_figure", "青山镇", "disputes_mediated"),
           alert_row("missing_figure", "青山镇", "publicity_events"),
           alert_row("missing_figure", "绿水乡", "admin_litigation_cases", report_id="r2", file_name="lvshui.docx")]
RATE = alert_row("dq_failure", "青山镇", "mediation_success_rate", detail="rate_within_0_100")


def test_email_and_webhook_each_get_one_chinese_digest(tmp_path, write_config, smtp_server, webhook_server,
                                                      monkeypatch):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING, RATE, rejected=[{"report_id": "r1", "metric": "mediation_success_rate", "value": 120.0,
                                              "unit": "%", "expectation": "rate_within_0_100"}])
    monkeypatch.setenv("FAZHI_WEBHOOK_TOKEN", "s3cret")
    cfg = load_config(write_config(channels_toml(smtp_server.port, webhook_server.url)))
    summary = deliver_pending(db, cfg)
    assert summary.sent == {"console": 4, "email": 4, "webhook": 4} and summary.failed == {}

    [mail] = smtp_server.messages
    assert mail["Subject"] == "法治政府建设报告数据提醒：2 个乡镇，4 条"
    assert mail["To"] == "fazhiban@example.gov.cn, sifasuo@example.gov.cn"
    body = mail.get_content()
    assert "乡镇：青山镇（示例县）\n年度：2022\n文件：qingshan.txt\n缺少的指标：普法宣传活动次数、人民调解纠纷件数" in body
    assert "乡镇：绿水乡（示例县）\n年度：2022\n文件：lvshui.docx\n缺少的指标：行政诉讼案件数" in body
    assert "调解成功率 = 120%（比率（%）应在 0 到 100 之间）" in body

    [hook] = webhook_server.requests
    assert hook["headers"]["Authorization"] == "Bearer s3cret"
    assert hook["json"]["text"] == body.rstrip("\n") and hook["json"]["count"] == 4
    assert {a["metric_label"] for a in hook["json"]["alerts"]} == {"人民调解纠纷件数", "普法宣传活动次数",
                                                                    "行政诉讼案件数", "调解成功率"}


def test_an_alert_is_never_sent_twice_and_new_ones_go_alone(tmp_path, write_config, smtp_server, webhook_server):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    cfg = load_config(write_config(channels_toml(smtp_server.port, webhook_server.url)))
    deliver_pending(db, cfg)
    again = deliver_pending(db, cfg)
    assert again.sent == {} and len(smtp_server.messages) == 1 and len(webhook_server.requests) == 1
    add_alerts(db, alert_row("missing_figure", "白云街道", "publicity_events", report_id="r3", file_name="baiyun.txt"))
    deliver_pending(db, cfg)
    assert len(smtp_server.messages) == 2
    latest = smtp_server.messages[-1].get_content()
    assert "白云街道" in latest and "青山镇" not in latest
    assert webhook_server.requests[-1]["json"]["count"] == 1


def test_a_channel_down_is_recorded_and_delivered_once_when_it_is_back(tmp_path, write_config, webhook_server):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    port = free_port()  # nothing listens there yet: the SMTP server is down
    cfg = load_config(write_config(channels_toml(port, webhook_server.url)))
    first = deliver_pending(db, cfg)
    assert first.failed == {"email": 3} and first.sent == {"console": 3, "webhook": 3}
    assert "ConnectionRefusedError" in first.errors["email"]
    assert deliveries(db) == [("console", "sent", 3), ("email", "failed", 3), ("webhook", "sent", 3)]

    smtp = LoopbackSmtp(port).start()
    try:
        second = deliver_pending(db, cfg)
        third = deliver_pending(db, cfg)
    finally:
        smtp.stop()
    assert second.sent == {"email": 3} and third.sent == {} and len(smtp.messages) == 1
    assert len(webhook_server.requests) == 1, "the webhook already had them: not sent again"
    con = connect_writer(db)
    try:
        marks = con.sql("SELECT DISTINCT channel, sent_at IS NOT NULL FROM alerts").fetchall()
    finally:
        con.close()
    assert marks == [("webhook,email", True)]


def test_an_endpoint_answering_an_error_is_a_failed_delivery(tmp_path, write_config, webhook_server):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    webhook_server.status = 500
    summary = deliver_pending(db, load_config(write_config(channels_toml(webhook_url=webhook_server.url))))
    assert summary.failed == {"webhook": 3} and "HTTP 500" in summary.errors["webhook"]


def test_a_missing_smtp_password_says_which_variable_to_set(tmp_path, write_config, smtp_server, monkeypatch):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    monkeypatch.delenv("FAZHI_SMTP_PASSWORD", raising=False)
    cfg = load_config(write_config(channels_toml(smtp_server.port, extra='user = "fazhi"\n')))
    summary = deliver_pending(db, cfg)
    assert "FAZHI_SMTP_PASSWORD" in summary.errors["email"] and smtp_server.messages == []


def test_console_logs_each_alert_once_and_does_not_count_as_sent(tmp_path, write_config, capsys):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    cfg = load_config(write_config(""))
    deliver_pending(db, cfg)
    assert "缺少的指标：普法宣传活动次数、人民调解纠纷件数" in capsys.readouterr().out
    deliver_pending(db, cfg)
    assert capsys.readouterr().out == ""
    con = connect_writer(db)
    try:
        assert con.sql("SELECT count(*) FROM alerts WHERE sent_at IS NOT NULL").fetchall() == [(0,)]
    finally:
        con.close()


def test_resend_sends_a_chosen_alert_again(tmp_path, write_config, smtp_server):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    cfg = load_config(write_config(channels_toml(smtp_server.port)))
    deliver_pending(db, cfg)
    summary = resend(db, cfg, [MISSING[2]["alert_id"]])
    assert summary.sent == {"email": 1} and len(smtp_server.messages) == 2
    assert "绿水乡" in smtp_server.messages[-1].get_content()


# ── the flow end to end (needs the extractor) ─────────────────────────────────────────────────

def _alert_pairs(db: Path, query, kind: str = "missing_figure") -> set[tuple[str, str]]:
    return set(query(db, "SELECT file_name, metric FROM alerts WHERE kind = ?", [kind]))


def test_sample_inbox_raises_exactly_the_gold_alerts_and_mails_them_once(
        run_flow, sample_inbox, tmp_path, query, write_config, smtp_server, webhook_server):
    db = tmp_path / "w.duckdb"
    config = write_config(channels_toml(smtp_server.port, webhook_server.url))
    first = run_flow(sample_inbox, db, config)
    with GOLD_ALERTS.open(encoding="utf-8") as f:
        gold = {(row["file"], metric) for row in csv.DictReader(f) for metric in row["missing"].split()}
    assert _alert_pairs(db, query) == gold
    assert query(db, "SELECT count(*) FROM alerts WHERE kind <> 'missing_figure'") == [(0,)]
    assert first["alerts_sent"]["email"] == len(gold) == first["alerts_raised"]

    [mail] = smtp_server.messages
    body = mail.get_content()
    for township, year in query(db, "SELECT DISTINCT township, year FROM alerts"):
        assert f"乡镇：{township}" in body and f"年度：{year}" in body
    assert "缺少的指标：" in body and "持证行政执法人员数" in body and "disputes_mediated" not in body
    assert len(webhook_server.requests) == 1

    second = run_flow(sample_inbox, db, config)
    assert second["alerts_sent"] == {} and len(smtp_server.messages) == 1 and len(webhook_server.requests) == 1


def test_flow_rejects_a_bad_rate_alerts_overdue_reports_and_survives_a_channel_down(
        run_flow, tmp_path, query, write_config, webhook_server):
    inbox, db = tmp_path / "in", tmp_path / "w.duckdb"
    inbox.mkdir()
    as_of = datetime(2026, 1, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))   # the day after the 01-01 deadline
    last_year = as_of.year - 1
    (inbox / "qingshan.txt").write_text(make_report("青山镇", last_year, rate="120", litigation=None),
                                        encoding="utf-8")
    port = free_port()
    roster = '[roster]\ndeadline = "01-01"\n[roster.counties]\n"示例县" = ["青山镇", "白云街道"]\n'
    config = write_config(channels_toml(port, webhook_server.url) + roster)

    first = run_flow(inbox, db, config, as_of=as_of)
    assert query(db, "SELECT metric, value, expectation FROM rejected_metrics") == [
        ("mediation_success_rate", 120.0, "rate_within_0_100")]
    assert query(db, "SELECT count(*) FROM metrics WHERE metric = 'mediation_success_rate'") == [(0,)]
    assert query(db, "SELECT count(*) FROM metrics WHERE metric = 'disputes_mediated'") == [(1,)]
    kinds = set(query(db, "SELECT kind, township, metric FROM alerts"))
    assert kinds == {("dq_failure", "青山镇", "mediation_success_rate"),
                     ("missing_figure", "青山镇", "admin_litigation_cases"),
                     ("missing_report", "白云街道", None)}
    assert query(db, "SELECT year FROM alerts WHERE kind = 'missing_report'") == [(last_year,)]
    assert first["alerts_failed"] == {"email": 3} and first["alerts_sent"]["webhook"] == 3
    runs = query(db, "SELECT run_id FROM runs")
    expectations = query(db, "SELECT count(DISTINCT expectation), count(*) FROM dq_results")
    assert expectations[0][0] >= 15 and query(db, "SELECT count(DISTINCT run_id) FROM dq_results") == [(len(runs),)]
    assert (load_config(config).data_docs / "index.html").is_file()

    smtp = LoopbackSmtp(port).start()
    try:
        second = run_flow(inbox, db, config, as_of=as_of)
        third = run_flow(inbox, db, config, as_of=as_of)
    finally:
        smtp.stop()
    assert second["alerts_sent"] == {"email": 3} and third["alerts_sent"] == {}
    [mail] = smtp.messages
    body = mail.get_content()
    assert "调解成功率 = 120%" in body and "缺少的指标：行政诉讼案件数" in body and "未报送" in body
    assert len(webhook_server.requests) == 1
    checked = query(db, "SELECT count(DISTINCT run_id) FROM dq_results")
    assert checked == [(1,)], "only the run that loaded reports has figures to check"


def test_a_login_over_an_unencrypted_connection_is_refused_unless_allowed(tmp_path, write_config, smtp_server,
                                                                         monkeypatch):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    monkeypatch.setenv("FAZHI_SMTP_PASSWORD", "s3cret")
    cfg = load_config(write_config(channels_toml(smtp_server.port, extra='user = "fazhi"\n')))
    summary = deliver_pending(db, cfg)
    assert summary.failed == {"email": 3} and smtp_server.messages == []
    con = connect_writer(db)
    [(error,)] = con.sql("SELECT DISTINCT error FROM alert_deliveries WHERE channel = 'email'").fetchall()
    con.close()
    assert "unencrypted" in error and "allow_plain_login" in error
    allowed = load_config(write_config(channels_toml(smtp_server.port,
                                                     extra='user = "fazhi"\nallow_plain_login = true\n'), "b.toml"))
    again = deliver_pending(db, allowed)   # now the login is tried; this server offers no AUTH, so it fails there
    assert again.failed == {"email": 3}
    con = connect_writer(db)
    errors = [r[0] for r in con.sql("SELECT error FROM alert_deliveries WHERE channel = 'email' ORDER BY ALL").fetchall()]
    con.close()
    assert any("unencrypted" not in e for e in errors)
