"""The office's commands on top of the warehouse: `fazhi review`, `resolve`, `correct`, `metrics`.

Registered on the `fazhi` app by fazhi/cli.py (kept apart so the core commands stay short)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from fazhi.display import jsonable, number, office_timezone, stamp

ConfigOpt = Annotated[Optional[Path], typer.Option("--config", metavar="FILE", help="fazhi.toml to use (default: ./fazhi.toml or the bundled one)")]
DbOpt = Annotated[Optional[Path], typer.Option("--db", metavar="FILE", help="DuckDB warehouse file (default from the config)")]
FORMATS = ("table", "csv", "json")


def review(county: Annotated[Optional[str], typer.Option("--county", metavar="NAME", help="only this county")] = None,
           township: Annotated[Optional[str], typer.Option("--township", metavar="NAME", help="only this township")] = None,
           year: Annotated[Optional[int], typer.Option("--year", metavar="YEAR", help="only this report year")] = None,
           kind: Annotated[Optional[str], typer.Option("--kind", metavar="KIND", help="needs_review | quarantined | no_county | correction_changed | rejected | missing_figure | low_confidence")] = None,
           fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="table | csv | json")] = "table",
           db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Everything waiting for a person, newest first, each with the command that settles it."""
    from fazhi.cli import _config, console, fail
    from fazhi.review_cmd import Filters, ReviewError, as_dict, list_review
    from warehouse.analysis import WarehouseOutdated
    from warehouse.db import WarehouseBusy

    if fmt not in FORMATS:
        fail(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", 2)
    cfg = _config(config).with_overrides(db=db)
    tz = office_timezone(cfg)
    try:
        items = list_review(cfg, Filters(county, township, year, kind))
    except (ReviewError, FileNotFoundError, WarehouseBusy, WarehouseOutdated) as exc:
        fail(str(exc))
    if fmt == "json":
        sys.stdout.write(json.dumps([{k: jsonable(v, tz) for k, v in as_dict(i).items()} for i in items],
                                    ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        from fazhi.cli import _print_rows

        cols = list(as_dict(items[0]).keys()) if items else ["kind"]
        _print_rows(cols, [tuple(as_dict(i).values()) for i in items], "csv", tz)
        return
    if not items:
        console.print("待处理：0 项 — nothing waits for a person.")
        return
    console.print(f"待处理：{len(items)} 项（时间为 {tz}）")
    for n, item in enumerate(items, 1):
        where = " ".join(str(v) for v in (item.county, item.township, item.year) if v)
        head = f"[bold]{n}. {item.kind_label}[/] [dim]{item.kind}[/]  {escape(where)}"
        console.print(head)
        console.print(f"   {escape(stamp(item.at, tz))}  {escape(item.file or '')}", soft_wrap=True)
        console.print(f"   {escape(item.what)}", soft_wrap=True)
        console.print(f"   [green]→ {escape(item.command)}[/]", soft_wrap=True)


def resolve(file: Annotated[str, typer.Argument(metavar="FILE_OR_SHA", help="the file: a path, its name as `fazhi review` shows it, or its sha256")],
            township: Annotated[Optional[str], typer.Option("--township", metavar="NAME", help="the report's township (乡/镇/街道)")] = None,
            county: Annotated[Optional[str], typer.Option("--county", metavar="NAME", help="its county (taken from the roster when it lists the township)")] = None,
            city: Annotated[Optional[str], typer.Option("--city", metavar="NAME", help="its city")] = None,
            year: Annotated[Optional[int], typer.Option("--year", metavar="YEAR", help="the year the report is about")] = None,
            ignore: Annotated[bool, typer.Option("--ignore", help="not a report to load: take it off the review list (with --note)")] = False,
            note: Annotated[Optional[str], typer.Option("--note", metavar="TEXT", help="why (kept with the override)")] = None,
            now: Annotated[bool, typer.Option("--now", help="start a run right away instead of waiting for the next one")] = False,
            inbox: Annotated[Optional[Path], typer.Option("--inbox", metavar="DIR", help="folder of report files (default from the config)")] = None,
            db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Supply a report's township, county, year (or --ignore it): kept by content, used by the next run or --now."""
    from fazhi.cli import _config, console, err, fail
    from fazhi.resolve_cmd import Metadata, ResolveError, resolve as store
    from transforms.settle import Override
    from warehouse.db import WarehouseBusy
    from warehouse.lock import LockTimeout

    cfg = _config(config).with_overrides(db=db, inbox=inbox)
    try:
        done = store(cfg, file, Metadata(Override(township, county, city, year), ignore, note))
    except (ResolveError, WarehouseBusy, LockTimeout) as exc:
        fail(str(exc))
    meta, name = done.metadata, done.file.path or done.file.sha256
    if meta.ignore:
        console.print(f"已忽略 ignored {escape(name)}: {escape(meta.note or '')}")
    else:
        supplied = meta.override
        given = " ".join(f"{k}={v}" for k, v in (("county", supplied.county), ("township", supplied.township),
                                                 ("city", supplied.city), ("year", supplied.year)) if v is not None)
        console.print(f"override stored for {escape(name)} ({done.file.sha256[:12]}): {escape(given)}")
        if done.applied_now:
            console.print(f"report {done.file.report_id} updated now")
        elif done.waits_for_run and not now:
            console.print("the next run loads it (or: fazhi resolve … --now)")
    if now and done.waits_for_run:
        from fazhi.run_cmd import run_once

        if not cfg.inbox.is_dir():
            fail(f"inbox {cfg.inbox} is not a folder: pass --inbox to run now", 2)
        raise typer.Exit(run_once(cfg, console, err))


def correct(report: Annotated[str, typer.Argument(metavar="REPORT", help="report_id (or prefix) or file name")],
            metric: Annotated[str, typer.Argument(metavar="METRIC", help="catalog key or 中文 label")],
            value: Annotated[Optional[str], typer.Argument(metavar="VALUE", help="the right value (omit with --remove)")] = None,
            qualifier: Annotated[Optional[str], typer.Option("--qualifier", metavar="Q", help="exact (default) | approx | at_least | at_most")] = None,
            note: Annotated[Optional[str], typer.Option("--note", metavar="TEXT", help="why (kept with the correction)")] = None,
            remove: Annotated[bool, typer.Option("--remove", help="the extracted figure is wrong and the report has no right one")] = False,
            db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Correct one figure of a report (or --remove it); every view shows it with source = 'corrected'."""
    from fazhi.cli import _config, console, fail
    from fazhi.correct_cmd import CorrectError, correct as record
    from warehouse.db import WarehouseBusy
    from warehouse.lock import LockTimeout

    cfg = _config(config).with_overrides(db=db)
    try:
        done = record(cfg, report, metric, value, qualifier=qualifier, note=note, remove=remove)
    except (CorrectError, WarehouseBusy, LockTimeout) as exc:
        fail(str(exc))
    before = "（无）" if done.old_value is None else number(done.old_value)
    after = "删除 removed" if done.new_value is None else number(done.new_value)
    where = " ".join(str(v) for v in (done.report.county, done.report.township, done.report.year) if v)
    change = f"confirmed {after}" if done.old_value == done.new_value else f"{before} → {after}"
    console.print(f"corrected {escape(where)} {escape(done.label)} ({done.metric}): {change} "
                  f"[dim](correction {done.correction_id}, report {done.report.report_id})[/]", soft_wrap=True)


def metrics(fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="table | csv | json")] = "table",
            config: ConfigOpt = None) -> None:
    """The metric catalog: key, 中文 label, unit, and whether fazhi.toml makes it required."""
    from fazhi.cli import _config, _print_rows, fail
    from transforms.catalog import CatalogError, load_catalog

    if fmt not in FORMATS:
        fail(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", 2)
    cfg = _config(config)
    try:
        catalog = load_catalog(cfg.catalog)
    except CatalogError as exc:
        fail(str(exc), 2)
    required = set(cfg.required_metrics)
    rows = [(k, catalog.label(k), catalog.unit(k), "是" if k in required else "") for k in catalog.keys()]
    _print_rows(["key", "中文", "unit", "required"], rows, fmt, office_timezone(cfg))


def register(app: typer.Typer) -> None:
    for command in (review, resolve, correct, metrics):
        app.command()(command)
