"""`fazhi alerts` as a user runs it (the real console script): list, filter, resend."""
from __future__ import annotations

import json

from fazhi.config import load_config
from flows.notify import deliver_pending
from tests.helpers import add_alerts, alert_row, free_port

ALERTS = [alert_row("missing_figure", "青山镇", "disputes_mediated"),
          alert_row("dq_failure", "青山镇", "mediation_success_rate", detail="rate_within_0_100"),
          alert_row("missing_report", "白云街道", None, year=2025, detail="2026-03-31", report_id=None, file_name=None)]


def _listed(proc) -> list[dict]:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_alerts_lists_every_alert_with_its_chinese_label_and_state(tmp_path, fazhi_cli):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *ALERTS)
    rows = _listed(fazhi_cli("alerts", "--db", str(db), "--format", "json"))
    by_kind = {r["kind"]: r for r in rows}
    assert set(by_kind) == {"missing_figure", "dq_failure", "missing_report"}
    assert by_kind["missing_figure"]["label"] == "人民调解纠纷件数" and by_kind["missing_figure"]["delivery"] == "pending"
    assert {r["state"] for r in rows} == {"open"}
    assert by_kind["dq_failure"]["reason"] == "比率（%）应在 0 到 100 之间"
    assert by_kind["missing_report"]["reason"] == "截止 2026-03-31" and by_kind["missing_report"]["year"] == 2025
    table = fazhi_cli("alerts", "--db", str(db))
    assert table.returncode == 0 and "青山镇" in table.stdout


def test_failed_deliveries_show_as_failed_with_the_error(tmp_path, fazhi_cli, write_config):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *ALERTS)
    config = write_config(f'[alerts.email]\nenabled = true\nport = {free_port()}\nrecipients = ["a@example.gov.cn"]\n')
    deliver_pending(db, load_config(config))
    failed = _listed(fazhi_cli("alerts", "--db", str(db), "--config", str(config), "--status", "failed",
                               "--format", "json"))
    assert len(failed) == 3 and all(r["channels"] == "email:failed" for r in failed)
    assert "ConnectionRefusedError" in failed[0]["last_error"]
    assert _listed(fazhi_cli("alerts", "--db", str(db), "--status", "sent", "--format", "json")) == []


def test_since_filters_by_the_day_alerts_were_raised(tmp_path, fazhi_cli):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *ALERTS)
    assert _listed(fazhi_cli("alerts", "--db", str(db), "--since", "2999-01-01", "--format", "json")) == []
    assert len(_listed(fazhi_cli("alerts", "--db", str(db), "--since", "2000-01-01", "--format", "json"))) == 3
    bad = fazhi_cli("alerts", "--db", str(db), "--since", "yesterday")
    assert bad.returncode != 0 and "YYYY-MM-DD" in bad.stderr


def test_resend_delivers_one_alert_again(tmp_path, fazhi_cli, write_config, webhook_server):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *ALERTS)
    config = write_config(f'[alerts.webhook]\nenabled = true\nurl = "{webhook_server.url}"\n')
    deliver_pending(db, load_config(config))
    target = ALERTS[2]["alert_id"]
    proc = fazhi_cli("alerts", "--db", str(db), "--config", str(config), "--resend", target[:8])
    assert proc.returncode == 0, proc.stderr
    assert "webhook: sent" in proc.stdout and len(webhook_server.requests) == 2
    assert [a["alert_id"] for a in webhook_server.requests[-1]["json"]["alerts"]] == [target]
    unknown = fazhi_cli("alerts", "--db", str(db), "--config", str(config), "--resend", "nosuchid")
    assert unknown.returncode != 0 and "no such alert 'nosuchid'" in unknown.stderr


def test_resend_without_a_channel_to_people_says_what_to_enable(tmp_path, fazhi_cli):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *ALERTS)
    proc = fazhi_cli("alerts", "--db", str(db), "--resend", ALERTS[0]["alert_id"])
    assert proc.returncode != 0 and "[alerts.email]" in proc.stderr


def test_an_alert_only_written_to_the_run_log_is_logged_not_pending(tmp_path, fazhi_cli):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *ALERTS)
    deliver_pending(db, load_config())                          # the bundled config: console only
    rows = _listed(fazhi_cli("alerts", "--db", str(db), "--format", "json"))
    assert {r["delivery"] for r in rows} == {"logged"}
    assert _listed(fazhi_cli("alerts", "--db", str(db), "--status", "pending", "--format", "json")) == []


def test_an_acknowledged_alert_leaves_the_open_list(tmp_path, fazhi_cli, query):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *ALERTS)
    target = ALERTS[2]["alert_id"]
    proc = fazhi_cli("alerts", "--db", str(db), "--ack", target[:8], "--note", "该街道已撤并")
    assert proc.returncode == 0, proc.stderr
    open_ids = [r["alert_id"] for r in _listed(fazhi_cli("alerts", "--db", str(db), "--format", "json"))]
    assert target not in open_ids and len(open_ids) == 2
    acked, = _listed(fazhi_cli("alerts", "--db", str(db), "--status", "acked", "--format", "json"))
    assert acked["alert_id"] == target and acked["state"] == "acked" and "该街道已撤并" in acked["reason"]
    (who,), = query(db, "SELECT acked_by FROM alert_acks")
    assert who
    table = fazhi_cli("alerts", "--db", str(db), "--status", "all")
    assert table.returncode == 0 and "acked" in table.stdout


def test_an_unknown_id_is_no_such_alert_whatever_the_channels(tmp_path, fazhi_cli):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *ALERTS)
    for action in ("--ack", "--resend"):
        proc = fazhi_cli("alerts", "--db", str(db), action, "0000000000")
        assert proc.returncode == 1 and "no such alert '0000000000'" in proc.stderr, action
        assert "[alerts.email]" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    bad = fazhi_cli("alerts", "--db", str(db), "--status", "closed")
    assert bad.returncode == 1 and "open, resolved, acked" in bad.stderr


NEIGHBOUR = alert_row("missing_figure", "红石镇", "publicity_events", county="邻县", year=2023, report_id="r2",
                      file_name="hongshi.txt")


def _open_ids(fazhi_cli, db, *args: str) -> set[str]:
    return {r["alert_id"] for r in _listed(fazhi_cli("alerts", "--db", str(db), "--format", "json", *args))}


def test_the_listing_filters_by_county_township_year_and_kind(tmp_path, fazhi_cli):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *ALERTS, NEIGHBOUR)
    assert _open_ids(fazhi_cli, db, "--county", "邻县") == {NEIGHBOUR["alert_id"]}
    assert _open_ids(fazhi_cli, db, "--township", "白云街道") == {ALERTS[2]["alert_id"]}
    assert _open_ids(fazhi_cli, db, "--year", "2022") == {ALERTS[0]["alert_id"], ALERTS[1]["alert_id"]}
    assert _open_ids(fazhi_cli, db, "--kind", "missing_figure") == {ALERTS[0]["alert_id"], NEIGHBOUR["alert_id"]}
    assert _open_ids(fazhi_cli, db, "--county", "示例县", "--kind", "missing_figure") == {ALERTS[0]["alert_id"]}
    bad = fazhi_cli("alerts", "--db", str(db), "--kind", "missing")
    assert bad.returncode == 1 and "missing_figure, dq_failure" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_ack_all_acknowledges_the_open_alerts_the_filters_select(tmp_path, fazhi_cli, query):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *ALERTS, NEIGHBOUR)
    one = fazhi_cli("alerts", "--db", str(db), "--county", "示例县", "--kind", "missing_figure", "--ack-all",
                    "--note", "报告确未写该项")
    assert one.returncode == 0, one.stderr
    assert "acknowledged 1 open alert（已确认 1 条）" in one.stdout
    assert query(db, "SELECT alert_id, note FROM alert_acks") == [(ALERTS[0]["alert_id"], "报告确未写该项")]

    rest = fazhi_cli("alerts", "--db", str(db), "--county", "示例县", "--ack-all")    # the acked one is not counted again
    assert rest.returncode == 0 and "acknowledged 2 open alerts" in rest.stdout
    assert _open_ids(fazhi_cli, db) == {NEIGHBOUR["alert_id"]}
    assert query(db, "SELECT note FROM alert_acks WHERE alert_id = ?", [ALERTS[0]["alert_id"]]) == [("报告确未写该项",)]

    none = fazhi_cli("alerts", "--db", str(db), "--township", "白云街道", "--ack-all")
    assert none.returncode == 0 and "acknowledged 0 open alerts" in none.stdout
    acked = _listed(fazhi_cli("alerts", "--db", str(db), "--status", "acked", "--format", "json"))
    assert {r["alert_id"] for r in acked} == {a["alert_id"] for a in ALERTS}


def test_ack_all_with_no_filter_needs_yes(tmp_path, fazhi_cli, query):
    db = tmp_path / "w.duckdb"
    add_alerts(db, *ALERTS, NEIGHBOUR)
    refused = fazhi_cli("alerts", "--db", str(db), "--ack-all")
    assert refused.returncode == 1 and "--yes" in refused.stderr and "--county" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert query(db, "SELECT count(*) FROM alert_acks") == [(0,)]
    for args, message in ((("--yes",), "--yes only confirms --ack-all"),
                          (("--ack-all", "--status", "resolved"), "--ack-all acknowledges open alerts"),
                          (("--ack-all", "--ack", ALERTS[0]["alert_id"]), "separate actions")):
        bad = fazhi_cli("alerts", "--db", str(db), *args)
        assert bad.returncode != 0 and message in bad.stderr and len(bad.stderr.strip().splitlines()) == 1, args
    assert query(db, "SELECT count(*) FROM alert_acks") == [(0,)]

    everything = fazhi_cli("alerts", "--db", str(db), "--ack-all", "--yes", "--note", "年度清理")
    assert everything.returncode == 0 and "acknowledged 4 open alerts" in everything.stdout
    assert _open_ids(fazhi_cli, db) == set()
    assert query(db, "SELECT DISTINCT note FROM alert_acks") == [("年度清理",)]
