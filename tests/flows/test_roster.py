"""missing_report alerts and the due years around a deadline, judged at a pinned clock on a real warehouse."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pytest

from fazhi.config import load_config
from flows.roster import overdue_reports
from tests.helpers import load_known_figures, make_report
from transforms.catalog import load_catalog
from warehouse.catalog_sync import Reference

ROSTER = '[roster.counties]\n"示例县" = ["青山镇", "白云街道"]\n'


@pytest.fixture
def roster_config(tmp_path: Path, write_config):
    """A warehouse holding 青山镇's 2024 report; the config's roster has 青山镇 and 白云街道."""
    def make(deadline: str):
        path = write_config(f'[roster]\ndeadline = "{deadline}"\ntimezone = "Asia/Shanghai"\n' + ROSTER)
        cfg = load_config(path).with_overrides(db=tmp_path / "w.duckdb")
        load_known_figures(cfg.db, [{"township": "青山镇", "county": "示例县", "year": 2024,
                                     "figures": {"disputes_mediated": 30}}],
                           Reference(load_catalog(cfg.catalog), tuple(cfg.required_metrics), cfg.roster))
        return cfg
    return make


BATCH = pl.DataFrame({"county": ["示例县"], "township": ["青山镇"], "year": [2025]})   # this run's new report


@pytest.mark.parametrize("as_of, due", [
    (datetime(2025, 12, 31, 15, 59, tzinfo=timezone.utc), (2024,)),        # 23:59 on 31 December in Shanghai
    (datetime(2025, 12, 31, 16, 0, tzinfo=timezone.utc), (2024,)),         # 00:00 on 1 January, the deadline day
    (datetime(2026, 1, 1, 15, 59, 59, tzinfo=timezone.utc), (2024,)),      # 23:59:59 on 1 January
    (datetime(2026, 1, 1, 16, 0, tzinfo=timezone.utc), (2024, 2025)),      # 00:00 on 2 January: 2025 is overdue
], ids=["31-december-late", "1-january-early", "1-january-late", "2-january"])
def test_a_01_01_deadline_makes_last_year_due_from_2_january_local_time(roster_config, as_of, due):
    overdue = overdue_reports(roster_config("01-01"), BATCH, as_of)
    assert overdue.due.years == due and overdue.due.as_of == as_of
    alerts = {(r["township"], r["year"], r["detail"]) for r in overdue.alerts.iter_rows(named=True)}
    assert alerts == {("白云街道", year, f"{year + 1}-01-01") for year in due}   # 青山镇 sent 2024 and 2025


@pytest.mark.parametrize("as_of, due", [
    (datetime(2026, 1, 1, 2, 0, tzinfo=timezone.utc), (2024,)),            # 1 January, long before 03-31
    (datetime(2026, 3, 31, 15, 59, tzinfo=timezone.utc), (2024,)),         # the last minute of the deadline day
    (datetime(2026, 3, 31, 16, 1, tzinfo=timezone.utc), (2024, 2025)),     # 00:01 on 1 April in Shanghai
])
def test_before_the_deadline_only_years_with_reports_are_due(roster_config, as_of, due):
    overdue = overdue_reports(roster_config("03-31"), BATCH, as_of)
    assert overdue.due.years == due
    assert sorted(overdue.alerts["year"].to_list()) == list(due)


def test_no_roster_owes_nothing(tmp_path: Path, write_config):
    cfg = load_config(write_config('[roster]\ndeadline = "01-01"\n')).with_overrides(db=tmp_path / "w.duckdb")
    overdue = overdue_reports(cfg, BATCH, datetime(2026, 6, 1, tzinfo=timezone.utc))
    assert overdue.alerts.is_empty() and overdue.due.years == ()


@pytest.mark.parametrize("deadline, timezone_name, message", [
    ("02-29", "Asia/Shanghai", "02-29 exists only in leap years"),
    ("31/03", "Asia/Shanghai", "month-day"),
    ("04-31", "Asia/Shanghai", "month-day"),
    ("03-31", "Asia/Beijing", "is not a time zone name"),
])
def test_a_deadline_that_some_year_lacks_stops_the_run_before_it_starts(tmp_path, write_config, fazhi_cli, query,
                                                                        deadline, timezone_name, message):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "qingshan.txt").write_text(make_report("青山镇", 2024), encoding="utf-8")
    config = write_config(f'[roster]\ndeadline = "{deadline}"\ntimezone = "{timezone_name}"\n' + ROSTER)
    proc = fazhi_cli("run", "--inbox", str(inbox), "--db", str(tmp_path / "w.duckdb"), "--config", str(config))
    assert proc.returncode == 2, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0] and "[roster]" in errors[0] and "Traceback" not in proc.stderr
    assert not (tmp_path / "w.duckdb").exists() or query(tmp_path / "w.duckdb", "SELECT count(*) FROM reports") == [(0,)]


def test_a_scheduled_run_with_a_leap_day_deadline_fails_before_loading_anything(tmp_path, write_config, run_flow,
                                                                                query):
    from settings.config import ConfigError

    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    (inbox / "qingshan.txt").write_text(make_report("青山镇", 2024), encoding="utf-8")
    config = write_config('[roster]\ndeadline = "02-29"\n' + ROSTER)
    with pytest.raises(ConfigError, match="02-29 exists only in leap years"):
        run_flow(inbox, db, config, as_of=datetime(2024, 3, 1, tzinfo=timezone.utc))   # even in a leap year
    assert not db.exists() or query(db, "SELECT count(*) FROM reports") == [(0,)]
