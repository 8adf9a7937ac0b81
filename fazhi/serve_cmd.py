"""`fazhi serve`: serve nightly-ingest as the deployment `nightly`, on the cron of fazhi.toml, until stopped.

Against PREFECT_API_URL when set; otherwise against a private local `prefect server` it starts (crons never
fire on the ephemeral API) and stops again on exit, Ctrl-C and SIGTERM included.
"""
from __future__ import annotations

import asyncio
import os
import signal
from typing import Any, NoReturn

from rich.console import Console

from fazhi import local_server
from fazhi.config import Config
from fazhi.lifecycle import stop_on_signals
from fazhi.schedule import (ScheduleSettings, announce_api_url, next_from_cron, prefect_home, schedule_settings,
                            served_api_url)

ONE_AT_A_TIME = 1  # runs of the deployment at once: the warehouse has one writer


def deployment_parameters(cfg: Config) -> dict[str, str]:
    """What every scheduled run is called with: the absolute inbox, warehouse and config of this `fazhi serve`."""
    return {"inbox": str(cfg.inbox), "db": str(cfg.db), "config": str(cfg.source)}


def _exit_on_sigterm(signum: int, frame: Any) -> NoReturn:
    raise SystemExit(0)  # a requested stop; unwinding stops the local server


def _serve_deployment(cfg: Config, settings: ScheduleSettings, api_url: str, console: Console) -> None:
    """Register (or update) the deployment on `api_url` and poll for its runs until interrupted."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.nightly import nightly_ingest

    params = deployment_parameters(cfg)
    console.print(f"deployment {settings.full_name}: cron {settings.cron!r} ({settings.timezone}), next run "
                  f"{next_from_cron(settings):%Y-%m-%d %H:%M}; one run at a time, later ones wait their turn")
    console.print("parameters: " + ", ".join(f"{k}={v}" for k, v in params.items()))
    os.environ["PREFECT_API_URL"] = api_url  # the flow-run processes inherit it
    with temporary_settings(updates={PREFECT_API_URL: api_url}):  # Prefect may be imported already
        _serve_flow(nightly_ingest, settings, params, console)


def _serve_flow(flow: Any, settings: ScheduleSettings, params: dict[str, str], console: Console) -> None:
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.deployments.runner import EntrypointType
    from prefect.runner import Runner
    from prefect.schedules import Cron

    class GracefulRunner(Runner):
        """SIGTERM stops the runner the way Ctrl-C does. (Prefect 3.8.7's own SIGTERM handler calls the async
        stop() without awaiting it and exits mid-loop, printing asyncio tracebacks.)"""

        def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
            signal.raise_signal(signal.SIGINT)

    runner = GracefulRunner(name=settings.deployment, pause_on_shutdown=False)  # stopping must not pause the schedule
    runner.add_flow(
        flow,
        name=settings.deployment,
        schedule=Cron(settings.cron, timezone=settings.timezone),
        parameters=params,
        concurrency_limit=ConcurrencyLimitConfig(limit=ONE_AT_A_TIME,
                                                 collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
        entrypoint_type=EntrypointType.MODULE_PATH,  # flows.nightly.nightly_ingest: importable from any folder
        tags=["fazhi"],
        description="每晚读取收件箱中的新报告并入库 (nightly-ingest, served by `fazhi serve`)",
    )
    console.print(f"serving {settings.full_name}: polling for scheduled runs (Ctrl-C or SIGTERM stops; "
                  f"`prefect deployment run {settings.full_name}` runs it now)")
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        console.print("shutting down")


def _serve_remote(cfg: Config, settings: ScheduleSettings, api_url: str, console: Console, err: Console) -> int:
    if not local_server.is_healthy(api_url):
        err.print(f"[bold red]error:[/] PREFECT_API_URL={api_url} does not answer (GET {api_url}/health failed): "
                  "start that Prefect server, or unset PREFECT_API_URL to let `fazhi serve` start its own")
        return 1
    console.print(f"Prefect API {api_url}")
    _serve_deployment(cfg, settings, api_url, console)
    return 0


def _serve_local(cfg: Config, settings: ScheduleSettings, console: Console, err: Console) -> int:
    home = prefect_home(cfg)
    running_url = served_api_url(cfg)
    if running_url and local_server.is_healthy(running_url):
        err.print(f"[bold red]error:[/] another `fazhi serve` is already serving {cfg.db} (its Prefect server "
                  f"answers at {running_url}); stop it first, or set PREFECT_API_URL={running_url} to use that server")
        return 1
    console.print(f"PREFECT_API_URL is not set: starting a local Prefect server (PREFECT_HOME {home}) ...")
    try:
        with local_server.running(home, settings.server_start_timeout_s) as server:
            console.print(f"local Prefect server ready in {server.started_in_s:.1f} s: UI {server.url}, "
                          f"log {server.log}")
            announce_api_url(cfg, server.api_url)
            try:
                _serve_deployment(cfg, settings, server.api_url, console)
            finally:
                announce_api_url(cfg, None)
    except local_server.ServerStartError as exc:
        err.print(f"[bold red]error:[/] {exc}")
        return 1
    console.print("stopped the local Prefect server; the schedule stays active for the next `fazhi serve`")
    return 0


def serve(cfg: Config, console: Console, err: Console) -> int:
    """Serve until stopped (Ctrl-C, SIGTERM); return the process exit code."""
    settings = schedule_settings(cfg)
    # SIGTERM exits (so the local server is stopped on `systemctl stop` too), Ctrl-C interrupts, even when
    # started with SIGINT ignored (`( fazhi serve & )` in a script); a stop that hangs is cut short.
    stop_on_signals(on_term=_exit_on_sigterm)
    api_url = os.environ.get("PREFECT_API_URL")
    if api_url:
        return _serve_remote(cfg, settings, api_url, console, err)
    return _serve_local(cfg, settings, console, err)
