"""The [schedule] section of fazhi.toml, checked once, and what it says about the next run."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from fazhi.config import Config, ConfigError

FLOW_NAME = "nightly-ingest"  # the name of the flow in flows/nightly.py
PREFECT_HOME_DIR = "prefect"  # the local server's PREFECT_HOME, next to the warehouse file
API_URL_FILE = "api_url"      # in that folder while `fazhi serve` runs: its server's API URL, for `fazhi status`


@dataclass(frozen=True)
class ScheduleSettings:
    deployment: str
    cron: str
    timezone: str
    server_start_timeout_s: float

    @property
    def full_name(self) -> str:
        """`flow/deployment`, as Prefect names a deployment (`prefect deployment run nightly-ingest/nightly`)."""
        return f"{FLOW_NAME}/{self.deployment}"


def _cron_schedule(cron: str, tz: str, source: Path):
    from pydantic import ValidationError

    from prefect.server.schemas.schedules import CronSchedule

    try:
        return CronSchedule(cron=cron, timezone=tz)
    except ValidationError as exc:
        why = "; ".join(e["msg"] for e in exc.errors())
        raise ConfigError(f"{source}: schedule.cron {cron!r} / schedule.timezone {tz!r} cannot be used ({why}); "
                          "write a five-field cron such as \"0 2 * * *\" and an IANA zone such as "
                          "\"Asia/Shanghai\"") from None


def schedule_settings(cfg: Config) -> ScheduleSettings:
    """The schedule settings, with the cron and timezone validated the way the Prefect server will read them."""
    section = cfg.section("schedule")
    settings = ScheduleSettings(str(section["deployment"]), str(section["cron"]), str(section["timezone"]),
                                float(section["server_start_timeout_s"]))
    _cron_schedule(settings.cron, settings.timezone, cfg.source)
    return settings


def next_from_cron(settings: ScheduleSettings, after: datetime | None = None) -> datetime:
    """The next time the cron fires after `after` (default now), in the schedule's timezone, as the server computes it."""
    schedule = _cron_schedule(settings.cron, settings.timezone, Path("fazhi.toml"))
    start = after or datetime.now(timezone.utc)
    return asyncio.run(schedule.get_dates(n=1, start=start))[0]


def prefect_home(cfg: Config) -> Path:
    """Where `fazhi serve` keeps its own Prefect server's database and log: next to the warehouse."""
    return cfg.db.parent / PREFECT_HOME_DIR


def _api_url_file(cfg: Config) -> Path:
    return prefect_home(cfg) / API_URL_FILE


def served_api_url(cfg: Config) -> str | None:
    """The API URL of the local server a running `fazhi serve` started for this warehouse, if any."""
    try:
        return _api_url_file(cfg).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def announce_api_url(cfg: Config, api_url: str | None) -> None:
    """Leave the local server's URL for `fazhi status` (None: the server stopped)."""
    path = _api_url_file(cfg)
    if api_url:
        path.write_text(api_url + "\n", encoding="utf-8")
    else:
        path.unlink(missing_ok=True)
