"""`fazhi status`: the last runs from the warehouse, and when the next scheduled run is due."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from fazhi import local_server
from fazhi.config import Config
from fazhi.schedule import ScheduleSettings, next_from_cron, schedule_settings, served_api_url
from warehouse.db import WarehouseBusy, connect_reader
from warehouse.history import last_arrival, last_runs

ERROR_WIDTH = 80  # characters of a run's error shown in the table; the full text is in `runs.error`


@dataclass(frozen=True)
class NextRun:
    at: datetime | None
    source: str          # where the answer came from, said to the user
    paused: bool = False


def _fmt(ts: datetime | None, tz: ZoneInfo) -> str:
    return "" if ts is None else f"{ts.astimezone(tz):%Y-%m-%d %H:%M:%S}"


def _runs_table(runs: list[dict[str, Any]], tz: ZoneInfo) -> Table:
    table = Table("started", "finished", "status", "files seen/new/quarantined", "reports loaded",
                  "alerts raised", "error", title=f"last runs ({tz.key})")
    for r in runs:
        files = f"{r['files_seen'] or 0}/{r['files_new'] or 0}/{r['files_quarantined'] or 0}"
        error = (r["error"] or "")[:ERROR_WIDTH]
        style = {"completed": "green", "failed": "red", "crashed": "red"}.get(r["status"], "yellow")
        table.add_row(_fmt(r["started_at"], tz), _fmt(r["finished_at"], tz), f"[{style}]{r['status']}[/]", files,
                      str(r["reports_loaded"] or 0), str(r["alerts_raised"] or 0), error)
    return table


def print_runs(cfg: Config, tz: ZoneInfo, limit: int, console: Console) -> None:
    try:
        con = connect_reader(cfg.db)
    except FileNotFoundError:
        console.print(f"no warehouse at {cfg.db} yet: no run has finished (run `fazhi run`, or wait for the schedule)")
        return
    except WarehouseBusy:
        console.print(f"a run is writing {cfg.db} right now; the run history can be read when it has finished")
        return
    try:
        runs, arrived = last_runs(con, limit), last_arrival(con)
    finally:
        con.close()
    if not runs:
        console.print(f"the warehouse {cfg.db} has no runs yet")
        return
    console.print(_runs_table(runs, tz))
    console.print(f"data last arrived: {_fmt(arrived, tz) or 'never (no run has loaded a report yet)'}")


def _api_url(cfg: Config) -> str | None:
    """PREFECT_API_URL, else the local server a running `fazhi serve` started for this warehouse."""
    return os.environ.get("PREFECT_API_URL") or served_api_url(cfg)


def _next_from_api(api_url: str, settings: ScheduleSettings) -> NextRun | None:
    """The next Scheduled run of the deployment on the server; None when the server has none."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId, FlowRunFilter, \
        FlowRunFilterState, FlowRunFilterStateType
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        try:
            deployment = client.read_deployment_by_name(settings.full_name)
        except ObjectNotFound:
            return NextRun(None, f"the deployment {settings.full_name} is not registered at {api_url}: "
                                 "start `fazhi serve`")
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(
                any_=[StateType.SCHEDULED]))),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=1)
    paused = deployment.paused or not any(s.active for s in deployment.schedules)
    if not runs:
        return None if not paused else NextRun(None, f"the Prefect server at {api_url}", paused=True)
    return NextRun(runs[0].expected_start_time, f"the Prefect server at {api_url}", paused)


def next_run(cfg: Config, settings: ScheduleSettings) -> NextRun:
    """From the Prefect server when one is reachable, else computed from the cron in the config."""
    api_url = _api_url(cfg)
    reason = "PREFECT_API_URL is not set and no `fazhi serve` is running"
    if api_url and local_server.is_healthy(api_url):
        found = _next_from_api(api_url, settings)
        if found is not None:
            return found
        reason = f"the Prefect server at {api_url} has no run scheduled yet"
    elif api_url:
        reason = f"the Prefect API {api_url} does not answer"
    return NextRun(next_from_cron(settings), f"computed from the cron in {cfg.source} ({reason})")


def status(cfg: Config, console: Console, limit: int) -> int:
    settings = schedule_settings(cfg)
    tz = ZoneInfo(settings.timezone)
    print_runs(cfg, tz, limit, console)
    nxt = next_run(cfg, settings)
    when = _fmt(nxt.at, tz) if nxt.at else "none"
    console.print(f"next scheduled run of {settings.full_name} ({settings.cron!r}, {settings.timezone}): "
                  f"{when} — {nxt.source}")
    if nxt.paused:
        console.print("[yellow]the deployment's schedule is paused[/]: resume it in the Prefect UI or with "
                      f"`prefect deployment schedule resume` for {settings.full_name}")
    return 0
