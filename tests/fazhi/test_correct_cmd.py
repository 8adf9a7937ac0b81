"""`fazhi correct` end to end on a warehouse the real flow built: the corrected value in every view and
export with its source, kept across reruns, resolving the alert it answers, and offered (not carried over)
when a new version of the file replaces the report."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.helpers import make_report


def _report_id(query, db: Path, township: str) -> str:
    (rid,), = query(db, "SELECT report_id FROM reports WHERE township = ? AND is_current", [township])
    return rid


def test_a_corrected_figure_shows_everywhere_with_its_source_and_survives_reruns(office, fazhi_cli, query, run_flow,
                                                                               tmp_path: Path):
    inbox, db = office
    rid = _report_id(query, db, "青山镇")
    proc = fazhi_cli("correct", rid[:8], "人民调解纠纷件数", "31", "--note", "镇司法所电话核实", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "30 → 31" in proc.stdout
    figure = "SELECT value, source, extracted_value FROM v_figures WHERE township = '青山镇' AND metric = 'disputes_mediated'"
    assert query(db, figure) == [(31.0, "corrected", 30.0)]
    assert query(db, "SELECT value FROM metrics WHERE report_id = ? AND metric = 'disputes_mediated'", [rid]) == [(30.0,)]
    assert query(db, "SELECT disputes_mediated, corrected FROM v_township_year WHERE township = '青山镇'") == \
        [(31.0, "disputes_mediated")]
    (who, old, new, note), = query(db, "SELECT created_by, old_value, new_value, note FROM corrections")
    assert (old, new, note) == (30.0, 31.0, "镇司法所电话核实") and who

    run_flow(inbox, db)                                              # same files: nothing new
    (inbox / "hongshi_2022.txt").write_text(make_report("红石镇", 2022), encoding="utf-8")
    run_flow(inbox, db)                                              # a new report loads beside it
    assert query(db, figure) == [(31.0, "corrected", 30.0)]

    out = tmp_path / "export"
    assert fazhi_cli("export", "--format", "csv", str(out), "--db", str(db)).returncode == 0
    with (out / "v_figures.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {(r["township"], r["metric"]): r for r in csv.DictReader(fh)}
    assert rows[("青山镇", "disputes_mediated")]["value"] == "31"    # a whole number, not 31.0
    assert rows[("青山镇", "disputes_mediated")]["source"] == "corrected"
    assert rows[("红石镇", "disputes_mediated")]["source"] == "extracted"


def test_a_correction_resolves_the_alert_it_answers(office, fazhi_cli, query):
    _, db = office
    open_before = json.loads(fazhi_cli("alerts", "--db", str(db), "--format", "json").stdout)
    missing = [a for a in open_before if a["kind"] == "missing_figure" and a["township"] == "青山镇"]
    assert [a["metric"] for a in missing] == ["admin_litigation_cases"] and missing[0]["state"] == "open"
    rid = _report_id(query, db, "青山镇")
    assert fazhi_cli("correct", rid, "admin_litigation_cases", "2", "--db", str(db)).returncode == 0
    open_after = json.loads(fazhi_cli("alerts", "--db", str(db), "--format", "json").stdout)
    assert missing[0]["alert_id"] not in [a["alert_id"] for a in open_after]
    everything = json.loads(fazhi_cli("alerts", "--db", str(db), "--status", "resolved", "--format", "json").stdout)
    resolved, = [a for a in everything if a["alert_id"] == missing[0]["alert_id"]]
    assert resolved["resolution"] == "corrected" and resolved["resolved_at"]
    assert query(db, "SELECT value, source FROM v_figures WHERE township = '青山镇' AND metric = 'admin_litigation_cases'") \
        == [(2.0, "corrected")]
    assert query(db, "SELECT status FROM v_completeness WHERE township = '青山镇' AND metric = 'admin_litigation_cases'") \
        == [("present",)]


def test_remove_takes_a_wrong_figure_out_of_the_views(office, fazhi_cli, query):
    _, db = office
    proc = fazhi_cli("correct", "qingshan_2022.txt", "publicity_events", "--remove", "--note", "把计划数当成了实际数",
                     "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert query(db, "SELECT count(*) FROM v_figures WHERE township = '青山镇' AND metric = 'publicity_events'") == [(0,)]
    assert query(db, "SELECT count(*) FROM metrics m JOIN reports r USING (report_id) "
                     "WHERE r.township = '青山镇' AND m.metric = 'publicity_events' AND NOT m.is_plan") == [(1,)]
    assert query(db, "SELECT status FROM v_completeness WHERE township = '青山镇' AND metric = 'publicity_events'") \
        == [("missing",)]


@pytest.mark.parametrize("args, message", [
    (["nosuchreport", "disputes_mediated", "3"], "no report 'nosuchreport'"),
    (["qingshan_2022.txt", "调解件数", "3"], "no metric '调解件数'"),
    (["qingshan_2022.txt", "调解成功率", "130"], "above 100"),
    (["--", "qingshan_2022.txt", "disputes_mediated", "-4"], "negative"),
    (["qingshan_2022.txt", "disputes_mediated", "三十"], "not a number"),
    (["qingshan_2022.txt", "disputes_mediated", "3", "--remove"], "not both"),
    (["qingshan_2022.txt", "disputes_mediated", "3", "--qualifier", "maybe"], "--qualifier 'maybe'"),
])
def test_bad_corrections_are_refused_in_one_line_and_change_nothing(office, fazhi_cli, query, args, message):
    _, db = office
    proc = fazhi_cli("correct", "--db", str(db), *args)
    assert proc.returncode == 1
    assert message in proc.stderr and "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert query(db, "SELECT count(*) FROM corrections") == [(0,)]


def test_a_new_version_of_the_file_does_not_inherit_the_correction_silently(office, fazhi_cli, query, run_flow):
    inbox, db = office
    old = _report_id(query, db, "青山镇")
    assert fazhi_cli("correct", old, "disputes_mediated", "31", "--db", str(db)).returncode == 0
    (inbox / "qingshan_2022.txt").write_text(make_report("青山镇", 2022, disputes=35, litigation=None), encoding="utf-8")
    run_flow(inbox, db)
    new = _report_id(query, db, "青山镇")
    assert new != old
    assert query(db, "SELECT value, source FROM v_figures WHERE township = '青山镇' AND metric = 'disputes_mediated'") \
        == [(35.0, "extracted")]
    items = json.loads(fazhi_cli("review", "--db", str(db), "--kind", "correction_changed", "--format", "json").stdout)
    item, = items
    assert item["report_id"] == new and item["metric"] == "disputes_mediated"
    assert "31" in item["what"] and "35" in item["what"]
    assert item["command"].startswith(f"fazhi correct {new} 人民调解纠纷件数 31")
    stale = fazhi_cli("correct", old, "disputes_mediated", "31", "--db", str(db))
    assert stale.returncode == 1 and "replaced by a newer version" in stale.stderr
    assert fazhi_cli("correct", new, "disputes_mediated", "31", "--db", str(db)).returncode == 0
    assert json.loads(fazhi_cli("review", "--db", str(db), "--kind", "correction_changed", "--format", "json").stdout) == []


def test_an_alert_is_resolved_when_a_later_file_supplies_the_figure(office, fazhi_cli, query, run_flow):
    inbox, db = office
    (inbox / "qingshan_2022.txt").write_text(make_report("青山镇", 2022, litigation=3), encoding="utf-8")
    run_flow(inbox, db)
    alerts = json.loads(fazhi_cli("alerts", "--db", str(db), "--status", "all", "--format", "json").stdout)
    litigation, = [a for a in alerts if a["metric"] == "admin_litigation_cases" and a["township"] == "青山镇"]
    assert (litigation["state"], litigation["resolution"]) == ("resolved", "later_file")
