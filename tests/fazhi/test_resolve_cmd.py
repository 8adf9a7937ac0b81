"""`fazhi resolve` end to end on a warehouse the real flow built: a report held for its metadata resolved and
loaded (at the next run, or at once with --now), a loaded report's county supplied, a file ignored."""
from __future__ import annotations

import json
from pathlib import Path

import pytest



def _review(fazhi_cli, db: Path, *args: str) -> list[dict]:
    proc = fazhi_cli("review", "--db", str(db), "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_held_report_is_resolved_and_loaded_at_the_next_run(office, fazhi_cli, query, run_flow):
    inbox, db = office
    held, = _review(fazhi_cli, db, "--kind", "needs_review")
    assert held["file"] == "baogao.txt" and "fazhi resolve baogao.txt" in held["command"]
    assert "已保留" in held["what"]
    (alert,) = [a for a in json.loads(fazhi_cli("alerts", "--db", str(db), "--format", "json").stdout)
                if a["kind"] == "needs_review"]
    proc = fazhi_cli("resolve", "baogao.txt", "--township", "白云街道", "--county", "示例县", "--year", "2021",
                     "--db", str(db), "--inbox", str(inbox))
    assert proc.returncode == 0, proc.stderr
    assert "next run" in proc.stdout
    (who, town, year), = query(db, "SELECT created_by, township, year FROM overrides")
    assert (town, year) == ("白云街道", 2021) and who
    assert "白云街道" in _review(fazhi_cli, db, "--kind", "needs_review")[0]["what"]   # supplied, waits for the run

    run_flow(inbox, db)
    assert query(db, "SELECT township, county, year, township_source, year_source FROM reports "
                     "WHERE township = '白云街道'") == [("白云街道", "示例县", 2021, "override", "override")]
    assert query(db, "SELECT value FROM v_figures WHERE township = '白云街道' AND metric = 'disputes_mediated'") \
        == [(17.0,)]
    assert _review(fazhi_cli, db, "--kind", "needs_review") == []
    resolved = json.loads(fazhi_cli("alerts", "--db", str(db), "--status", "resolved", "--format", "json").stdout)
    assert [(a["alert_id"], a["resolution"]) for a in resolved if a["kind"] == "needs_review"] == \
        [(alert["alert_id"], "loaded")]
    run_flow(inbox, db)                                                   # a rerun keeps it, loads nothing twice
    assert query(db, "SELECT count(*) FROM reports WHERE township = '白云街道'") == [(1,)]


def test_resolve_now_runs_the_flow_at_once(office, fazhi_cli, query):
    inbox, db = office
    proc = fazhi_cli("resolve", str(inbox / "baogao.txt"), "--township", "白云街道", "--year", "2021", "--now",
                     "--db", str(db), "--inbox", str(inbox))
    assert proc.returncode == 0, proc.stderr
    assert "reports loaded" in proc.stdout
    assert query(db, "SELECT township_source FROM reports WHERE township = '白云街道'") == [("override",)]


def test_a_loaded_report_takes_its_county_at_once(office, fazhi_cli, query):
    _, db = office
    nocounty, = _review(fazhi_cli, db, "--kind", "no_county")
    assert nocounty["township"] == "绿水乡" and nocounty["command"].startswith("fazhi resolve lushui_2022.txt --county")
    proc = fazhi_cli("resolve", "lushui_2022.txt", "--county", "示例县", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert query(db, "SELECT county, county_source FROM reports WHERE township = '绿水乡'") == [("示例县", "override")]
    assert query(db, "SELECT DISTINCT county FROM v_figures WHERE township = '绿水乡'") == [("示例县",)]
    assert _review(fazhi_cli, db, "--kind", "no_county") == []


def test_an_ignored_file_leaves_the_list_and_is_not_read_again(office, fazhi_cli, query, run_flow):
    inbox, db = office
    refused = fazhi_cli("resolve", "baogao.txt", "--ignore", "--db", str(db))
    assert refused.returncode == 1 and "--note" in refused.stderr
    proc = fazhi_cli("resolve", "baogao.txt", "--ignore", "--note", "乡镇重复报送的草稿", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert _review(fazhi_cli, db, "--kind", "needs_review") == []
    run_flow(inbox, db)
    assert _review(fazhi_cli, db, "--kind", "needs_review") == []
    assert query(db, "SELECT count(*) FROM reports WHERE file_name = 'baogao.txt'") == [(0,)]


@pytest.mark.parametrize("args, message", [
    (["nosuch.txt", "--township", "青山镇"], "no file 'nosuch.txt'"),
    (["baogao.txt", "--township", "白云"], "does not end in"),
    (["baogao.txt", "--year", "1890"], "--year 1890 is not between"),
    (["baogao.txt"], "nothing to resolve"),
    (["baogao.txt", "--ignore", "--township", "白云街道", "--note", "x"], "--ignore takes the file off"),
])
def test_bad_resolves_are_refused_in_one_line(office, fazhi_cli, query, args, message):
    _, db = office
    proc = fazhi_cli("resolve", *args, "--db", str(db))
    assert proc.returncode == 1, proc.stdout
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert query(db, "SELECT count(*) FROM overrides") == [(0,)]


def test_a_county_resolved_onto_a_loaded_report_reaches_its_alerts(tmp_path, fazhi_cli, query, run_flow,
                                                                  write_config, webhook_server):
    """绿水乡's report names no county and leaves two figures out of line: its alerts carry the blank county
    until `fazhi resolve --county`, then carry the supplied one — the open ones, and the one a correction had
    already settled (which stays settled)."""
    from tests.helpers import make_report

    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    (inbox / "lushui_2023.txt").write_text(make_report("绿水乡", 2023, rate="120", litigation=None)
                                          .replace("示例县", ""), encoding="utf-8")
    (inbox / "qingshan_2023.txt").write_text(make_report("青山镇", 2023), encoding="utf-8")
    run_flow(inbox, db)
    before = query(db, "SELECT alert_id, county, township, year FROM alerts ORDER BY alert_id")
    clash = fazhi_cli("resolve", "lushui_2023.txt", "--township", "青山镇", "--county", "示例县", "--db", str(db))
    assert clash.returncode == 1 and "already the current report" in clash.stderr     # refused: alerts untouched
    assert query(db, "SELECT alert_id, county, township, year FROM alerts ORDER BY alert_id") == before
    alerts = {a["kind"]: a for a in json.loads(fazhi_cli("alerts", "--db", str(db), "--format", "json").stdout)}
    assert set(alerts) == {"missing_figure", "dq_failure"} and {a["county"] for a in alerts.values()} == {None}
    rid = alerts["dq_failure"]["alert_id"]
    report, = [r for (r,) in query(db, "SELECT report_id FROM reports WHERE township = '绿水乡'")]
    assert fazhi_cli("correct", report, "mediation_success_rate", "98", "--db", str(db)).returncode == 0
    assert fazhi_cli("alerts", "--db", str(db), "--county", "示例县", "--format", "json").stdout.strip() == "[]"

    proc = fazhi_cli("resolve", "lushui_2023.txt", "--county", "示例县", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    in_county = json.loads(fazhi_cli("alerts", "--db", str(db), "--county", "示例县", "--status", "all",
                                     "--format", "json").stdout)
    assert {(a["kind"], a["county"], a["state"]) for a in in_county} == {("missing_figure", "示例县", "open"),
                                                                         ("dq_failure", "示例县", "resolved")}
    assert query(db, "SELECT count(*) FROM alerts WHERE county IS NULL") == [(0,)]
    assert [a["resolution"] for a in in_county if a["alert_id"] == rid] == ["corrected"]

    # a channel to people enabled now gets the digest of what it has not delivered: under the county
    from fazhi.config import load_config
    from flows.notify import deliver_pending

    deliver_pending(db, load_config(write_config(f'[alerts.webhook]\nenabled = true\nurl = "{webhook_server.url}"\n')))
    digest = webhook_server.requests[-1]["json"]
    assert digest["alerts"] and {a["county"] for a in digest["alerts"]} == {"示例县"}
    assert "绿水乡（示例县）" in digest["text"]

    # the open one is settled by a correction made after the county changed (v_alerts matches by the copy)
    assert fazhi_cli("correct", report, "admin_litigation_cases", "0", "--db", str(db)).returncode == 0
    assert json.loads(fazhi_cli("alerts", "--db", str(db), "--county", "示例县", "--format", "json").stdout) == []


def test_a_resolve_that_clashes_with_a_current_report_stores_nothing(office, fazhi_cli, query):
    _, db = office
    reports = "SELECT report_id, township, county, year, township_source FROM reports ORDER BY report_id"
    before = query(db, reports)
    proc = fazhi_cli("resolve", "lushui_2022.txt", "--township", "青山镇", "--county", "示例县", "--db", str(db))
    assert proc.returncode == 1, proc.stdout
    assert "already the current report" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert query(db, "SELECT count(*) FROM overrides") == [(0,)]   # written first, rolled back with the rest
    assert query(db, reports) == before
