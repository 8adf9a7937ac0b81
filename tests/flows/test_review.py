"""No report is lost for its metadata: kept for review with its figures, settled by the file name, the roster
or an override, on a real ephemeral Prefect API and a real DuckDB file."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import duckdb

NAMELESS = ("2022年度法治政府建设情况报告\n"
            "2022年，我镇坚持依法行政，全面推进法治政府建设。现将有关情况报告如下。\n"
            "一、主要成效\n全年开展普法宣传活动12次，镇调委会调解纠纷30件，全年无行政复议和行政诉讼案件。\n")


def test_a_report_with_no_township_anywhere_waits_for_review_with_its_figures(run_flow, tmp_path, query):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "report.txt").write_text(NAMELESS, encoding="utf-8")
    summary = run_flow(inbox, tmp_path / "w.duckdb")
    db = tmp_path / "w.duckdb"
    assert summary["reports_loaded"] == 0 and summary["quarantined"] == []
    assert [r["code"] for r in summary["needs_review"]] == ["no_township"]
    status, code, reason, candidates = query(db, "SELECT status, reason_code, reason, candidates FROM ingest_files")[0]
    assert (status, code) == ("needs_review", "no_township")
    assert "report.txt" in reason and "fazhi resolve" in reason
    assert json.loads(candidates)["years"] == [2022]
    kept = dict(query(db, "SELECT metric, value FROM pending_metrics"))
    assert kept["publicity_events"] == 12 and kept["disputes_mediated"] == 30
    assert query(db, "SELECT kind, file_name FROM alerts") == [("needs_review", "report.txt")]
    assert query(db, "SELECT count(*) FROM reports") == [(0,)]


def test_the_file_name_supplies_a_township_the_text_never_states(run_flow, tmp_path, query):
    inbox = tmp_path / "in" / "城口县"
    inbox.mkdir(parents=True)
    (inbox / "北屏乡2022年法治政府建设情况报告.txt").write_text(NAMELESS, encoding="utf-8")
    run_flow(tmp_path / "in", tmp_path / "w.duckdb")
    rows = query(tmp_path / "w.duckdb", "SELECT township, township_source, county, county_source, year, year_source "
                                         "FROM reports")
    assert rows == [("北屏乡", "file_name", "城口县", "folder", 2022, "text")]


def test_a_township_whose_name_opens_with_a_verb_loads_from_its_file_name(run_flow, tmp_path, query):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "关渡镇2022年法治政府建设情况报告.txt").write_text(NAMELESS, encoding="utf-8")
    run_flow(inbox, tmp_path / "w.duckdb")
    assert query(tmp_path / "w.duckdb", "SELECT township, township_source FROM reports") == [("关渡镇", "file_name")]


def test_a_circular_with_no_township_year_or_figure_is_quarantined_not_kept_for_review(run_flow, tmp_path, query):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "notice.txt").write_text("关于做好节日期间值班工作的通知\n各单位：请认真做好值班值守工作。\n",
                                      encoding="utf-8")
    summary = run_flow(inbox, tmp_path / "w.duckdb")
    assert summary["needs_review"] == []
    status, code, reason = query(tmp_path / "w.duckdb", "SELECT status, reason_code, reason FROM ingest_files")[0]
    assert (status, code) == ("quarantined", "not_a_report")
    assert reason.startswith("notice.txt: ") and "法治政府建设" in reason
    assert query(tmp_path / "w.duckdb", "SELECT count(*) FROM alerts WHERE kind = 'needs_review'") == [(0,)]


def test_a_rostered_name_in_the_text_beats_another_name_and_a_stranger_is_suspect(
        run_flow, tmp_path, query, write_config):
    inbox = tmp_path / "in"
    inbox.mkdir()
    body = "一、主要成效\n全年开展普法宣传活动12次。\n"
    (inbox / "a.txt").write_text("青山镇2022年法治政府建设情况报告\n2022年，在县委领导下，我镇会同高观镇开展工作。\n"
                                 + body, encoding="utf-8")
    (inbox / "b.txt").write_text("石门镇2022年法治政府建设情况报告\n2022年，石门镇依法行政。\n" + body, encoding="utf-8")
    config = write_config('[roster.counties]\n"城口县" = ["高观镇", "北屏乡"]\n')
    run_flow(inbox, tmp_path / "w.duckdb", config)
    db = tmp_path / "w.duckdb"
    assert query(db, "SELECT township, county, county_source FROM reports") == [("高观镇", "城口县", "roster")]
    assert query(db, "SELECT path, reason_code FROM ingest_files WHERE status = 'needs_review'") == \
        [("b.txt", "not_on_roster")]


def _waiting_file(run_flow, tmp_path, query):
    """An inbox whose one report names no township, run once: (inbox, warehouse, the file's sha256)."""
    inbox, db = tmp_path / "in", tmp_path / "w.duckdb"
    inbox.mkdir()
    (inbox / "report.txt").write_text(NAMELESS, encoding="utf-8")
    run_flow(inbox, db)
    return inbox, db, query(db, "SELECT sha256 FROM ingest_files")[0][0]


def _override(db, sha: str, **values) -> None:
    """An `overrides` row as `fazhi resolve` writes it."""
    cols = {"sha256": sha, **values, "created_by": "tester", "created_at": datetime.now(timezone.utc)}
    con = duckdb.connect(str(db))
    con.execute(f"INSERT INTO overrides ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", list(cols.values()))
    con.close()


def test_an_override_settles_a_waiting_report_at_the_next_run_and_it_loads_once(run_flow, tmp_path, query):
    inbox, db, sha = _waiting_file(run_flow, tmp_path, query)
    _override(db, sha, township="北屏乡", county="城口县")
    summary = run_flow(inbox, db)
    assert summary["reports_loaded"] == 1
    assert query(db, "SELECT township, township_source, county, county_source, year FROM reports") == \
        [("北屏乡", "override", "城口县", "override", 2022)]
    assert query(db, "SELECT status FROM ingest_files") == [("loaded",)]
    assert query(db, "SELECT count(*) FROM pending_metrics") == [(0,)]
    assert query(db, "SELECT value FROM metrics WHERE metric = 'publicity_events'") == [(12.0,)]
    assert run_flow(inbox, db)["reports_loaded"] == 0


def test_an_ignored_file_is_not_read_again(run_flow, tmp_path, query):
    inbox, db, sha = _waiting_file(run_flow, tmp_path, query)
    _override(db, sha, ignore=True)
    assert run_flow(inbox, db)["files_new"] == 0


def test_sumu_and_street_offices_named_x_jie_load_with_their_figures(run_flow, tmp_path, query):
    inbox, db = tmp_path / "in", tmp_path / "w.duckdb"
    inbox.mkdir()
    body = "\n一、主要成效\n全年开展普法宣传活动12次，调委会调解纠纷30件。\n"
    (inbox / "a.txt").write_text("达尔汗苏木2022年法治政府建设情况报告\n2022年，我苏木依法行政。" + body, encoding="utf-8")
    (inbox / "b.txt").write_text("黄石街2022年法治政府建设工作报告\n2022年，黄石街坚持依法行政。" + body, encoding="utf-8")
    run_flow(inbox, db)
    assert sorted(query(db, "SELECT township FROM reports")) == [("达尔汗苏木",), ("黄石街",)]
    assert query(db, "SELECT count(*) FROM rejected_metrics") == [(0,)]
    assert query(db, "SELECT count(*) FROM metrics") == [(4,)]
