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
from rich.table import Table

from fazhi import prefect_env
from fazhi.config import ConfigError, load_config

prefect_env.apply()

app = typer.Typer(help="县级法治政府建设报告数据仓库 — the county rule-of-law report warehouse.",
                  no_args_is_help=True, add_completion=False)
console = Console()
err = Console(stderr=True)

ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="fazhi.toml to use (default: ./fazhi.toml or the bundled one)")]
DbOpt = Annotated[Optional[Path], typer.Option("--db", help="DuckDB warehouse file (default from the config)")]
InboxOpt = Annotated[Optional[Path], typer.Option("--inbox", help="folder of report files (default from the config)")]


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def _config(path: Optional[Path]):
    try:
        return load_config(path)
    except ConfigError as exc:
        fail(str(exc), 2)


@app.command()
def run(inbox: InboxOpt = None, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Run the nightly-ingest flow once on Prefect's ephemeral API: discover, read, extract, validate, load, alert."""
    from fazhi.run_cmd import run_once

    cfg = _config(config).with_overrides(inbox=inbox, db=db)
    if not cfg.inbox.is_dir():
        fail(f"inbox {cfg.inbox} is not a folder: create it or pass --inbox", 2)
    raise typer.Exit(run_once(cfg, console, err))


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
    """Query the warehouse on a read-only connection."""
    import duckdb

    from warehouse.db import WarehouseBusy, connect_reader

    if fmt not in ("table", "csv", "json"):
        fail(f"--format {fmt!r} is not one of table, csv, json", 2)
    path = db or _config(config).db
    try:
        con = connect_reader(path)
    except (FileNotFoundError, WarehouseBusy) as exc:
        fail(str(exc))
    try:
        rel = con.sql(query)
        rows = rel.fetchall() if rel is not None else []
        cols = rel.columns if rel is not None else []
    except duckdb.InvalidInputException as exc:
        if "read-only" in str(exc):
            fail("this connection is read-only: `fazhi sql` runs queries, it never changes the warehouse "
                 "(the data changes only through `fazhi run`)")
        fail(f"query failed: {exc}")
    except duckdb.Error as exc:
        fail(f"query failed: {exc}")
    finally:
        con.close()
    _print_rows(cols, rows, fmt)


def _print_rows(cols: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(cols)
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    elif fmt == "json":
        sys.stdout.write(json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, default=str) + "\n")
    else:
        table = Table(*cols)
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r))
        console.print(table)


@app.command("eval")
def evaluate(gold: Annotated[Path, typer.Option("--gold", help="folder with reports.csv, metrics.csv, ...")],
             reports: Annotated[Path, typer.Option("--reports", help="folder of the report files")],
             min_f1: Annotated[float, typer.Option("--min-f1", help="fail below this overall F1")] = 0.95,
             config: ConfigOpt = None) -> None:
    """Score the extractor against a gold folder: precision, recall, F1 per metric, metadata, plans."""
    from fazhi.evaluation import evaluate_dirs
    from transforms.catalog import load_catalog

    for folder in (gold, reports):
        if not folder.is_dir():
            fail(f"{folder} is not a folder", 2)
    result = evaluate_dirs(gold, reports, load_catalog(_config(config).catalog))
    console.print(result.render())
    raise typer.Exit(0 if result.passes(min_f1) else 1)


if __name__ == "__main__":
    app()
