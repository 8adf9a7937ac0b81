"""`fazhi run`: one run of the nightly-ingest flow, with a progress bar and a summary."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from fazhi.config import Config, ConfigError

STAGE_LABELS = {"extract": "读取并抽取报告"}


def _summary_table(s: dict) -> Table:
    table = Table(title="本次运行 run summary", show_header=False)
    table.add_row("run id", s["run_id"])
    table.add_row("files seen", str(s["files_seen"]))
    table.add_row("new", str(s["files_new"]))
    table.add_row("already seen", str(s["files_already_seen"]))
    table.add_row("duplicate", str(s["files_duplicate"]))
    table.add_row("quarantined", str(len(s["quarantined"])))
    table.add_row("needs review (kept)", str(len(s.get("needs_review", []))))
    table.add_row("reports loaded", str(s["reports_loaded"]))
    table.add_row("reports superseded", str(s["reports_superseded"]))
    table.add_row("figures loaded", str(s["figures_loaded"]))
    table.add_row("figures rejected", str(s["figures_rejected"]))
    table.add_row("alerts raised", str(s["alerts_raised"]))
    for channel, n in sorted(s["alerts_sent"].items()):
        table.add_row(f"alerts sent ({channel})", str(n))
    for channel, n in sorted(s["alerts_failed"].items()):
        table.add_row(f"alerts failed ({channel})", f"{n} (retried next run)")
    return table


def run_once(cfg: Config, console: Console, err: Console) -> int:
    """Run the flow; return the process exit code (0 when the run succeeded, alerts or not)."""
    from flows import progress
    from flows.engines import EngineUnavailable
    from flows.nightly import nightly_ingest
    from flows.roster import check_roster
    from warehouse.lock import LockTimeout

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err, transient=True)
    tasks: dict[str, int] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(STAGE_LABELS.get(stage, stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    progress.set_reporter(report)
    try:
        if cfg.roster:   # checked again by the flow; here before Prefect starts, so the error is one line
            check_roster(cfg.section("roster"), cfg.source)
        with bar:
            summary = nightly_ingest(inbox=str(cfg.inbox), db=str(cfg.db), config=str(cfg.source))
    except LockTimeout as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        return 3
    except (ConfigError, EngineUnavailable) as exc:   # fix the configuration or start the cluster, then rerun
        err.print(f"[bold red]error:[/] the run loaded nothing: {escape(str(exc))}", soft_wrap=True)
        return 2
    except Exception as exc:  # the flow failed: say why, leave the warehouse as it was
        err.print(f"[bold red]error:[/] the run failed and loaded nothing: {type(exc).__name__}: {escape(str(exc))}", soft_wrap=True)
        return 1
    finally:
        progress.set_reporter(None)
    console.print(_summary_table(summary))
    for q in summary["quarantined"]:
        console.print(f"[yellow]quarantined[/] {escape(q['path'])} ({q['code']}): {escape(q['reason'])}")
    for q in summary.get("needs_review", []):
        console.print(f"[yellow]needs review[/] {escape(q['path'])} ({q['code']}): {escape(q['reason'])}")
    console.print(f"warehouse: {cfg.db}")
    return 0
