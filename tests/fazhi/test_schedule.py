"""The [schedule] settings: validated like the Prefect server reads them, next run from the cron."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from fazhi.config import ConfigError, load_config
from fazhi.schedule import FLOW_NAME, announce_api_url, next_from_cron, prefect_home, schedule_settings, served_api_url


def test_defaults_name_the_nightly_deployment_at_two_in_shanghai():
    s = schedule_settings(load_config(None))
    assert (s.deployment, s.cron, s.timezone) == ("nightly", "0 2 * * *", "Asia/Shanghai")
    assert s.full_name == f"{FLOW_NAME}/nightly" == "nightly-ingest/nightly"


def test_next_run_is_two_oclock_local_time(write_config):
    s = schedule_settings(load_config(write_config('[schedule]\ncron = "0 2 * * *"\ntimezone = "Asia/Shanghai"\n')))
    # 2026-03-01 10:00 in Shanghai (02:00 UTC): today's 02:00 has passed, so tomorrow 02:00 +08:00
    nxt = next_from_cron(s, datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))
    assert nxt.astimezone(timezone.utc) == datetime(2026, 3, 1, 18, 0, tzinfo=timezone.utc)
    assert (nxt.hour, nxt.minute) == (2, 0)


@pytest.mark.parametrize("line", ['cron = "0 25 * * *"', 'cron = "every night"', 'timezone = "Asia/Shangai"'])
def test_a_bad_cron_or_timezone_names_the_file_and_the_fix(write_config, line):
    path = write_config(f"[schedule]\n{line}\n")
    with pytest.raises(ConfigError) as err:
        schedule_settings(load_config(path))
    assert str(path) in str(err.value) and "Asia/Shanghai" in str(err.value)


def test_the_local_server_lives_next_to_the_warehouse(write_config, tmp_path):
    cfg = load_config(write_config('[paths]\ndb = "data/w.duckdb"\n'))
    assert prefect_home(cfg) == tmp_path / "data" / "prefect"
    assert served_api_url(cfg) is None
    prefect_home(cfg).mkdir(parents=True)
    announce_api_url(cfg, "http://127.0.0.1:4321/api")
    assert served_api_url(cfg) == "http://127.0.0.1:4321/api"
    announce_api_url(cfg, None)
    assert served_api_url(cfg) is None


def test_prefect_yaml_schedules_what_fazhi_toml_says():
    """One source for the schedule: fazhi.toml [schedule]; prefect.yaml must say the same (fix it when this fails)."""
    import yaml

    from settings.config import DEFAULT_CONFIG
    from tests.helpers import REPO

    [dep] = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    s = schedule_settings(load_config(DEFAULT_CONFIG))
    assert f"{FLOW_NAME}/{dep['name']}" == s.full_name
    assert [(x["cron"], x["timezone"]) for x in dep["schedules"]] == [(s.cron, s.timezone)]
