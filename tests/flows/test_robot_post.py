"""Both group robots together, end to end: the nightly flow on the sample inbox delivers its alerts to a
DingTalk and a WeCom robot on 127.0.0.1 exactly once; a robot misconfigured or answering garbage is a failed
delivery that names what to fix."""
from __future__ import annotations

import csv

from fazhi.config import load_config
from flows.notify import deliver_pending
from tests.helpers import SAMPLE_GOLD, add_alerts, alert_row, robot_toml
from transforms.catalog import load_catalog

GOLD_ALERTS = SAMPLE_GOLD / "alerts.csv"
MISSING = [alert_row("missing_figure", "青山镇", "disputes_mediated"),
           alert_row("missing_figure", "绿水乡", "admin_litigation_cases", report_id="r2", file_name="lvshui.docx"),
           alert_row("missing_figure", "绿水乡", "publicity_events", report_id="r2", file_name="lvshui.docx")]


def _sections(texts: list[str]) -> list[str]:
    return [section for text in texts for section in text.split("\n#### ")[1:]]


def _missing_by_file(sections: list[str]) -> dict[str, list[set[str]]]:
    """shown file name -> the missing labels of each section naming it (a list: to count the sections)."""
    out: dict[str, list[set[str]]] = {}
    for section in sections:
        lines = section.split("\n")
        shown = next(line.removeprefix("- 文件：") for line in lines if line.startswith("- 文件："))
        missing = next(line.split("：", 1)[1] for line in lines if line.startswith("- **缺少的指标**："))
        out.setdefault(shown, []).append(set(missing.split("、")))
    return out


def test_the_sample_inboxs_alerts_arrive_on_both_robots_exactly_once(
        run_flow, sample_inbox, tmp_path, write_config, dingtalk_robot, wecom_robot, monkeypatch):
    db = tmp_path / "w.duckdb"
    monkeypatch.setenv("FAZHI_DINGTALK_SECRET", dingtalk_robot.secret)
    config = write_config(robot_toml("dingtalk", dingtalk_robot.url) + robot_toml("wecom", wecom_robot.url))
    first = run_flow(sample_inbox, db, config)
    catalog = load_catalog(load_config(config).catalog)
    with GOLD_ALERTS.open(encoding="utf-8") as f:
        gold = {row["file"].replace("_", "＿"): {catalog.label(m) for m in row["missing"].split()}
                for row in csv.DictReader(f) if row["missing"]}
    assert first["alerts_sent"]["dingtalk"] == first["alerts_sent"]["wecom"] == first["alerts_raised"]

    dingtalk = [m["markdown"]["text"] for m in dingtalk_robot.messages]
    wecom = [m["markdown"]["content"] for m in wecom_robot.messages]
    for texts in (dingtalk, wecom):
        assert _missing_by_file(_sections(texts)) == {file: [labels] for file, labels in gold.items()}

    second = run_flow(sample_inbox, db, config)
    assert second["alerts_sent"] == {}
    assert len(dingtalk_robot.messages) == len(dingtalk) and len(wecom_robot.messages) == len(wecom)


def test_a_robot_without_its_url_or_credential_says_what_to_fix(tmp_path, write_config):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    no_key = "https://qyapi.example/cgi-bin/webhook/send"
    cfg = load_config(write_config(robot_toml("dingtalk", "") + robot_toml("wecom", no_key)))
    summary = deliver_pending(db, cfg)
    assert summary.failed == {"dingtalk": 3, "wecom": 3}
    assert "[alerts.dingtalk] url is empty" in summary.errors["dingtalk"]
    assert "has no key=" in summary.errors["wecom"] and "cgi-bin/webhook/send" in summary.errors["wecom"]


def test_an_answer_that_is_not_the_robots_json_is_a_failed_delivery(tmp_path, write_config, webhook_server):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *MISSING)
    summary = deliver_pending(db, load_config(write_config(robot_toml("wecom", webhook_server.url + "?key=k"))))
    assert summary.failed == {"wecom": 3} and "not its JSON" in summary.errors["wecom"]
    assert len(webhook_server.requests) == 1
