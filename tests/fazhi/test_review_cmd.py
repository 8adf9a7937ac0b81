"""`fazhi review`: one list of what waits for a person, newest first, filterable, each item with the command
that settles it — on a warehouse the real flow built, and on one of known figures."""
from __future__ import annotations

import json
from pathlib import Path

from fazhi.config import load_config
from tests.helpers import load_known_figures
from transforms.catalog import load_catalog
from warehouse.catalog_sync import Reference


def _items(fazhi_cli, db: Path, *args: str) -> list[dict]:
    proc = fazhi_cli("review", "--db", str(db), "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_the_morning_list_has_every_kind_with_its_command(office, fazhi_cli):
    _, db = office
    items = _items(fazhi_cli, db)
    kinds = {i["kind"] for i in items}
    assert {"needs_review", "no_county", "missing_figure"} <= kinds
    assert all(i["command"].startswith("fazhi ") and i["what"] for i in items)
    stamps = [i["at"] for i in items]
    assert stamps == sorted(stamps, reverse=True) and all(s.endswith("+08:00") for s in stamps)   # Asia/Shanghai
    missing, = [i for i in items if i["kind"] == "missing_figure"]
    assert (missing["township"], missing["year"], missing["metric"]) == ("青山镇", 2022, "admin_litigation_cases")
    assert "fazhi correct" in missing["command"] and "fazhi alerts --ack" in missing["command"]
    table = fazhi_cli("review", "--db", str(db))
    assert table.returncode == 0 and "待处理：" in table.stdout and "Asia/Shanghai" in table.stdout
    assert "fazhi resolve baogao.txt" in table.stdout


def test_filters_narrow_the_list(office, fazhi_cli):
    _, db = office
    assert {i["township"] for i in _items(fazhi_cli, db, "--township", "青山镇")} == {"青山镇"}
    assert {i["kind"] for i in _items(fazhi_cli, db, "--kind", "no_county")} == {"no_county"}
    assert _items(fazhi_cli, db, "--year", "1999") == []
    assert {i["county"] for i in _items(fazhi_cli, db, "--county", "示例县")} == {"示例县"}
    bad = fazhi_cli("review", "--db", str(db), "--kind", "everything")
    assert bad.returncode == 1 and "needs_review" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_settled_items_leave_the_list(office, fazhi_cli, query):
    _, db = office
    missing, = _items(fazhi_cli, db, "--kind", "missing_figure")
    alert_id = missing["command"].split("--ack ")[1].split("）")[0]
    assert fazhi_cli("alerts", "--db", str(db), "--ack", alert_id, "--note", "报告确无此项").returncode == 0
    assert _items(fazhi_cli, db, "--kind", "missing_figure") == []


def _known(tmp_path: Path, reports: list[dict]) -> Path:
    cfg = load_config()
    db = tmp_path / "w.duckdb"
    load_known_figures(db, reports, Reference(load_catalog(cfg.catalog), tuple(cfg.required_metrics), {}))
    return db


def test_a_figure_far_from_the_townships_other_years_is_low_confidence(tmp_path: Path, fazhi_cli, query):
    steady = [{"township": "青山镇", "county": "示例县", "year": y, "figures": {"disputes_mediated": 30 + y % 5}}
              for y in range(2020, 2024)]
    jump = {"township": "青山镇", "county": "示例县", "year": 2024, "figures": {"disputes_mediated": 3100}}
    db = _known(tmp_path, [*steady, jump])
    low, = _items(fazhi_cli, db, "--kind", "low_confidence")
    assert (low["year"], low["metric"]) == (2024, "disputes_mediated")
    assert "3100" in low["what"] and "相差悬殊" in low["what"]
    assert low["command"] == f"fazhi correct {low['report_id']} 人民调解纠纷件数 3100（数值无误则照录确认）"
    assert fazhi_cli("correct", low["report_id"], "disputes_mediated", "31", "--db", str(db)).returncode == 0
    assert _items(fazhi_cli, db, "--kind", "low_confidence") == []


def test_a_rejected_figure_is_listed_until_corrected(tmp_path: Path, fazhi_cli, query):
    db = _known(tmp_path, [{"township": "绿水乡", "county": "示例县", "year": 2023, "figures": {"publicity_events": 8}}])
    (rid,), = query(db, "SELECT report_id FROM reports")
    import duckdb

    con = duckdb.connect(str(db))
    con.execute("INSERT INTO rejected_metrics (report_id, metric, value, unit, is_plan, expectation, run_id) "
                "VALUES (?, 'mediation_success_rate', 180, '%', false, 'rate_within_0_100', 'run-1')", [rid])
    con.close()
    rejected, = _items(fazhi_cli, db, "--kind", "rejected")
    assert "调解成功率" in rejected["what"] and "180%" in rejected["what"] and "0 到 100" in rejected["what"]
    assert fazhi_cli("correct", rid, "调解成功率", "98", "--db", str(db)).returncode == 0
    assert _items(fazhi_cli, db, "--kind", "rejected") == []
    assert query(db, "SELECT value, source FROM v_figures WHERE metric = 'mediation_success_rate'") == [(98.0, "corrected")]
