"""The `fazhi` command: run the pipeline, extract, query, evaluate."""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fazhi.display import cell, jsonable, office_timezone, print_table

from fazhi import prefect_env
from fazhi.config import ConfigError, load_config
from fazhi.help_text import plain_metavars
from settings.errors import one_line

prefect_env.apply()
plain_metavars()

class OneLineErrors(typer.Typer):
    """The `fazhi` application: whatever fails below a command (a damaged warehouse, a DuckDB error, a file
    that went away) reaches the user as one `error:` line and exit code 1, never as a traceback."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except Exception as exc:  # the last line of defence; commands report what they expect themselves
            err.print(f"[bold red]error:[/] {escape(_one_line(exc))}", soft_wrap=True)
            sys.exit(1)


OWN_PACKAGES = ("fazhi", "flows", "transforms", "warehouse", "expectations", "settings")


def _one_line(exc: BaseException) -> str:
    """Our own exceptions already say what to do; a library's gets its type name in front."""
    return one_line(exc, with_type=type(exc).__module__.split(".")[0] not in OWN_PACKAGES)


app = OneLineErrors(help="县级法治政府建设报告数据仓库 — the county rule-of-law report warehouse.",
                  no_args_is_help=True, add_completion=False)
console = Console()
err = Console(stderr=True)

ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="fazhi.toml to use (default: ./fazhi.toml or the bundled one)")]
DbOpt = Annotated[Optional[Path], typer.Option("--db", help="DuckDB warehouse file (default from the config)")]
InboxOpt = Annotated[Optional[Path], typer.Option("--inbox", help="folder of report files (default from the config)")]


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        console.print(f"fazhi {version('fazhi')}")
        raise typer.Exit(0)


@app.callback()
def main(show_version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                                    help="print the version and exit")] = False) -> None:
    """县级法治政府建设报告数据仓库 — the county rule-of-law report warehouse."""


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)   # one line, however narrow the terminal
    raise typer.Exit(code)


def _config(path: Optional[Path]):
    try:
        return load_config(path)
    except ConfigError as exc:
        fail(str(exc), 2)


@app.command()
def run(inbox: InboxOpt = None, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Run the nightly-ingest flow once on Prefect's ephemeral API: discover, read, extract, validate, load, alert."""
    from fazhi.lifecycle import guard_process_tree, stop_now, stop_on_signals
    from fazhi.run_cmd import run_once

    guard_process_tree()   # the ephemeral API server, the workers, LibreOffice: gone when this process is
    stop_on_signals()
    cfg = _config(config).with_overrides(inbox=inbox, db=db)
    if not cfg.inbox.is_dir():
        fail(f"inbox {cfg.inbox} is not a folder: create it or pass --inbox", 2)
    try:
        code = run_once(cfg, console, err)
    except KeyboardInterrupt:   # Ctrl-C or SIGTERM: the run is recorded as crashed, nothing of it loaded
        err.print("[bold red]error:[/] stopped by Ctrl-C or SIGTERM; nothing of this run was loaded, the next run "
                  "reads its files again", soft_wrap=True)
        stop_now(130)   # the watchman of guard_process_tree ends the Prefect API server and the workers
    raise typer.Exit(code)


@app.command()
def init(folder: Annotated[Path, typer.Argument(help="the county folder to set up (created if missing)")] = Path("."),
         force: Annotated[bool, typer.Option("--force", help="overwrite an existing fazhi.toml / metrics.toml")] = False) -> None:
    """Set up a county folder: a commented fazhi.toml, the metric catalog metrics.toml and an empty inbox/."""
    from fazhi.init_cmd import InitError, init_county

    try:
        written = init_county(folder, force=force)
    except InitError as exc:
        fail(str(exc), 2)
    for path in written:
        console.print(f"wrote {escape(str(path))}")
    console.print(f"next: put the township reports into {escape(str(folder / 'inbox'))}, then run "
                  f"`fazhi run` inside {escape(str(folder))}")


@app.command()
def extract(paths: Annotated[list[Path], typer.Argument(help="report files or folders")],
            as_json: Annotated[bool, typer.Option("--json", help="one JSON object per file (the default)")] = True,
            config: ConfigOpt = None) -> None:
    """Extract figures from report files without a database: one JSON line per file."""
    from fazhi.extract_cmd import extract_paths

    for line in extract_paths(paths, _config(config)):
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


@app.command()
def sql(query: Annotated[str, typer.Argument(help="a read-only SQL query")], db: DbOpt = None,
        fmt: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
        config: ConfigOpt = None) -> None:
    """Query the warehouse: one statement on a read-only connection that can read nothing else."""
    from warehouse.db import WarehouseBusy, WarehouseUnreadable
    from warehouse.query import QueryError, run_query

    if fmt not in ("table", "csv", "json"):
        fail(f"--format {fmt!r} is not one of table, csv, json", 2)
    cfg = _config(config)
    path = db or cfg.db
    try:
        result = run_query(path, query)
    except (FileNotFoundError, WarehouseBusy, WarehouseUnreadable, QueryError) as exc:
        fail(str(exc))
    _print_rows(result.columns, result.rows, fmt, office_timezone(cfg))


def _print_rows(cols: list[str], rows: list[tuple], fmt: str, tz: str) -> None:
    """Whole numbers as integers and timestamps in the office's timezone, in every format; CSV cells that a
    spreadsheet would run as formulas are made inert."""
    from transforms.csv_safe import inert_cell

    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(cols)
        writer.writerows([cell(jsonable(inert_cell(v), tz), tz) for v in r] for r in rows)   # no formula runs in Excel
        sys.stdout.write(buf.getvalue())
    elif fmt == "json":
        sys.stdout.write(json.dumps([{c: jsonable(v, tz) for c, v in zip(cols, r)} for r in rows],
                                    ensure_ascii=False, default=str) + "\n")
    else:
        print_table(console, cols, rows, tz)


@app.command("eval")
def evaluate(gold: Annotated[Path, typer.Option("--gold", help="folder with reports.csv, metrics.csv, ...")],
             reports: Annotated[Path, typer.Option("--reports", help="folder of the report files")],
             min_f1: Annotated[float, typer.Option("--min-f1", help="fail below this overall F1")] = 0.95,
             config: ConfigOpt = None) -> None:
    """Score the extractor against a gold folder: precision, recall, F1 per metric, metadata, plans."""
    from fazhi.evaluation import GoldError, evaluate_dirs
    from transforms.catalog import CatalogError, load_catalog

    for folder in (gold, reports):
        if not folder.is_dir():
            fail(f"{folder} is not a folder", 2)
    try:
        cfg = _config(config)
        result = evaluate_dirs(gold, reports, load_catalog(cfg.catalog), cfg.max_file_bytes)
    except (GoldError, CatalogError) as exc:
        fail(str(exc), 2)
    console.print(result.render(), soft_wrap=True)
    passed = result.passes(min_f1)
    console.print(f"[bold {'green' if passed else 'red'}]{'PASS' if passed else 'FAIL'}[/] (F1 >= {min_f1}, "
                  "metadata 100%, no plan leakage, qualifier >= 95%)")
    raise typer.Exit(0 if passed else 1)


@app.command()
def trends(metric: Annotated[str, typer.Argument(help="catalog key or 中文 label, e.g. disputes_mediated or 人民调解纠纷件数")],
           by: Annotated[Optional[str], typer.Option("--by", help="township: one line per township")] = None,
           from_year: Annotated[Optional[int], typer.Option("--from", help="first year to show")] = None,
           out: Annotated[Optional[Path], typer.Option("--out", help="chart file, .png or .svg (default: paths.charts)")] = None,
           db: DbOpt = None, config: ConfigOpt = None) -> None:
    """A metric year by year (county totals, or per township with --by township): a table and a chart file."""
    from fazhi.trends_cmd import TrendsError, run_trends
    from warehouse.analysis import WarehouseOutdated
    from warehouse.db import WarehouseBusy

    if by not in (None, "township"):
        fail(f"--by {by!r}: the only grouping is `--by township`", 2)
    cfg = _config(config).with_overrides(db=db)
    try:
        path = run_trends(cfg, metric, by_township=by == "township", from_year=from_year, out=out, console=console)
    except (TrendsError, FileNotFoundError, WarehouseBusy, WarehouseOutdated) as exc:
        fail(str(exc))
    console.print(f"图表 chart: {path}")


@app.command()
def report(out: Annotated[Optional[Path], typer.Option("--out", help="folder for the dashboard (default: paths.dashboard)")] = None,
           db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Write the static HTML dashboard (opens offline): completeness, trends, rankings, open alerts, evidence."""
    from fazhi.report_cmd import run_report
    from warehouse.analysis import WarehouseOutdated
    from warehouse.db import WarehouseBusy

    cfg = _config(config).with_overrides(db=db)
    try:
        index = run_report(cfg, out or cfg.dashboard)
    except (FileNotFoundError, WarehouseBusy, WarehouseOutdated) as exc:
        fail(str(exc))
    console.print(f"看板 dashboard: {index}")


@app.command()
def export(folder: Annotated[Path, typer.Argument(help="folder to write the files into (created if missing)")],
           fmt: Annotated[str, typer.Option("--format", help="parquet | csv")] = "parquet",
           db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Export the tidy tables (reports, metrics, v_figures, v_township_year, alerts, ingest_files, runs)."""
    from fazhi.export_cmd import EXPORT_FORMATS, export_tables
    from warehouse.analysis import WarehouseOutdated
    from warehouse.db import WarehouseBusy

    if fmt not in EXPORT_FORMATS:
        fail(f"--format {fmt!r} is not one of {', '.join(EXPORT_FORMATS)}", 2)
    cfg = _config(config).with_overrides(db=db)
    try:
        written = export_tables(cfg.db, folder, fmt, office_timezone(cfg))
    except (FileNotFoundError, WarehouseBusy, WarehouseOutdated) as exc:
        fail(str(exc))
    table = Table("表 table", "行 rows", "文件 file")
    for name, rows, path in written:
        table.add_row(name, str(rows), str(path))
    console.print(table)


@app.command()
def serve(inbox: InboxOpt = None, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Serve nightly-ingest as the deployment `nightly` on the cron of fazhi.toml, one run at a time (Ctrl-C stops)."""
    from fazhi.lifecycle import guard_process_tree
    from fazhi.serve_cmd import serve as serve_deployment

    guard_process_tree()   # its Prefect server, the flow-run processes and their workers end with it
    cfg = _config(config).with_overrides(inbox=inbox, db=db)
    if not cfg.inbox.is_dir():
        fail(f"inbox {cfg.inbox} is not a folder: create it or pass --inbox", 2)
    try:
        code = serve_deployment(cfg, console, err)
    except ConfigError as exc:
        fail(str(exc), 2)
    raise typer.Exit(code)


@app.command()
def status(db: DbOpt = None, config: ConfigOpt = None,
           last: Annotated[int, typer.Option("--last", help="how many runs to show")] = 10) -> None:
    """The last runs from the warehouse and the next scheduled one."""
    from fazhi.status_cmd import status as show_status

    try:
        code = show_status(_config(config).with_overrides(db=db), console, last)
    except ConfigError as exc:
        fail(str(exc), 2)
    raise typer.Exit(code)


@app.command()
def alerts(status: Annotated[str, typer.Option("--status", metavar="STATE", help="open (default) | resolved | acked | pending | logged | sent | failed | all")] = "open",
           since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", help="only alerts raised on or after YYYY-MM-DD")] = None,
           county: Annotated[Optional[str], typer.Option("--county", metavar="NAME", help="only this county")] = None,
           township: Annotated[Optional[str], typer.Option("--township", metavar="NAME", help="only this township")] = None,
           year: Annotated[Optional[int], typer.Option("--year", metavar="YEAR", help="only this report year")] = None,
           kind: Annotated[Optional[str], typer.Option("--kind", metavar="KIND", help="missing_figure | dq_failure | missing_report | needs_review")] = None,
           resend: Annotated[Optional[list[str]], typer.Option("--resend", metavar="ID", help="alert id (or unique prefix) to send again now; repeatable")] = None,
           ack: Annotated[Optional[list[str]], typer.Option("--ack", metavar="ID", help="alert id (or unique prefix) seen and settled: it leaves the open list; repeatable")] = None,
           ack_every: Annotated[bool, typer.Option("--ack-all", help="acknowledge every open alert the other options select (a filter, or --yes for all)")] = False,
           yes: Annotated[bool, typer.Option("--yes", help="with --ack-all and no filter: yes, every open alert")] = False,
           note: Annotated[Optional[str], typer.Option("--note", metavar="TEXT", help="why, with --ack or --ack-all")] = None,
           fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="table | csv | json")] = "table",
           db: DbOpt = None, config: ConfigOpt = None) -> None:
    """List the alerts (open until resolved or acknowledged) and their delivery; acknowledge or resend some."""
    from fazhi.alerts_cmd import AlertsError, Filters, ack_alerts, ack_all, list_alerts, resend_alerts
    from warehouse.db import WarehouseBusy
    from warehouse.lock import LockTimeout

    if fmt not in ("table", "csv", "json"):
        fail(f"--format {fmt!r} is not one of table, csv, json", 2)
    if sum(map(bool, (resend, ack, ack_every))) > 1:
        fail("--resend, --ack and --ack-all are separate actions: give one of them", 2)
    if yes and not ack_every:
        fail("--yes only confirms --ack-all: add --ack-all, or leave --yes out", 2)
    cfg = _config(config).with_overrides(db=db)
    filters = Filters(county, township, year, kind, since)
    try:
        if ack:
            for alert_id in ack_alerts(cfg.db, cfg, ack, note):
                console.print(f"acked {alert_id}")
            raise typer.Exit(0)
        if ack_every:
            acked = ack_all(cfg.db, cfg, status, filters, note, yes)
            console.print(f"acknowledged {len(acked)} open alert{'' if len(acked) == 1 else 's'}（已确认 {len(acked)} 条）")
            raise typer.Exit(0)
        if resend:
            outcome = resend_alerts(cfg.db, cfg, resend)
            for channel, result in outcome.items():
                console.print(f"{channel}: {escape(result)}")
            raise typer.Exit(0 if outcome and all(r == "sent" for r in outcome.values()) else 1)
        listing = list_alerts(cfg.db, cfg, status, filters)
    except (AlertsError, FileNotFoundError, WarehouseBusy, LockTimeout) as exc:
        fail(str(exc))
    cols, rows = listing.compact() if fmt == "table" else (list(listing.columns), listing.rows)
    _print_rows(cols, rows, fmt, office_timezone(cfg))


from fazhi.office_cli import register  # noqa: E402  (the review / resolve / correct / metrics commands)

register(app)


if __name__ == "__main__":
    app()
