"""`fazhi trends METRIC`: a metric year by year, county-wide or per township, as a table and a chart file."""
from __future__ import annotations

from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table

from fazhi.charts import CHART_FORMATS, ChartStyle, county_trend_chart, save_chart, township_trend_chart
from fazhi.config import Config
from fazhi.display import number
from warehouse import analysis
from warehouse.db import connect_reader


class TrendsError(Exception):
    """What the user asked for cannot be drawn; the message says why and what to do."""


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return number(value) if abs(value) < 1e7 else f"{value:,.0f}"


def _change(value: float | None, pct: float | None) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ""
    return f"{sign}{_num(value)}" + (f" ({sign}{pct:g}%)" if pct is not None else "")


def county_table(frame: pl.DataFrame, title: str) -> Table:
    table = Table("县", "年份", "合计", "填报乡镇数", "中位数", "最小", "最大", title=title)
    for r in frame.iter_rows(named=True):
        table.add_row(r["county"] or "（未注明）", str(r["year"]), _num(r["total"]), str(r["townships_reporting"]),
                      _num(r["median"]), _num(r["min"]), _num(r["max"]))
    return table


def township_table(frame: pl.DataFrame, title: str) -> Table:
    """One row per township, a column per year, and the last year's change against the year before."""
    years = sorted(frame["year"].unique().to_list())
    table = Table("县", "乡镇", *[str(y) for y in years], "较上年", title=title)
    for (county, town), rows in frame.group_by(["county", "township"], maintain_order=True):
        by_year = {r["year"]: r for r in rows.iter_rows(named=True)}
        last = by_year[max(by_year)]
        table.add_row(county or "（未注明）", town, *[_num(by_year[y]["value"]) if y in by_year else "—" for y in years],
                      _change(last["change"], last["pct_change"]))
    return table


def default_chart_path(cfg: Config, metric: str, by_township: bool) -> Path:
    return cfg.charts / f"trend_{metric}{'_by_township' if by_township else ''}.png"


def _metric_key(cfg: Config, metric: str) -> str:
    """A catalog key or its 中文 label (人民调解纠纷件数); a key the catalog no longer has is kept as typed."""
    from fazhi.lookup import LookupFailed, metric_key
    from transforms.catalog import load_catalog

    try:
        return metric_key(load_catalog(cfg.catalog), metric)
    except LookupFailed:
        return metric.strip()


def _png_or_svg(path: Path, console: Console) -> Path:
    """A PNG needs a font with Chinese glyphs; without one, say what to install and write an SVG instead
    (a browser draws it with its own fonts) rather than a picture of empty boxes."""
    from fazhi.fonts import INSTALL_HINT, has_chinese_font

    if path.suffix.lower() != ".png" or has_chinese_font():
        return path
    svg = path.with_suffix(".svg")
    console.print(f"[yellow]warning:[/] no font with Chinese glyphs is installed, so a PNG would show empty boxes: "
                  f"install one ({INSTALL_HINT}); writing {svg} instead", soft_wrap=True)
    return svg


def run_trends(cfg: Config, metric: str, *, by_township: bool, from_year: int | None, out: Path | None,
               console: Console) -> Path:
    """Print the table, write the chart, return the chart's path."""
    metric = _metric_key(cfg, metric)
    path = out or default_chart_path(cfg, metric, by_township)
    if path.suffix.lower() not in CHART_FORMATS:
        raise TrendsError(f"--out {path}: the chart file must end in .png or .svg")
    con = connect_reader(cfg.db)
    try:
        analysis.require_views(con, cfg.db)
        try:
            info = analysis.metric_info(con, metric)
        except analysis.UnknownMetric as exc:
            raise TrendsError(str(exc)) from None
        frame = (analysis.township_trend if by_township else analysis.county_trend)(con, metric, from_year)
    finally:
        con.close()
    since = f"（{from_year}年起）" if from_year else ""
    if frame.is_empty():
        raise TrendsError(f"no figures of {metric} ({info.label}) in {cfg.db}{since}: nothing to draw; "
                          "check the metric and --from, or run `fazhi run` on reports that state it")
    title = f"{info.label}{'（' + info.unit + '）' if info.unit else ''} {since}".strip()
    if by_township:
        console.print(township_table(frame, title))
        chart = township_trend_chart(frame, info.label, info.unit)
    else:
        console.print(county_table(frame, title))
        chart = county_trend_chart(frame, info.label, info.unit)
    return save_chart(chart, _png_or_svg(path, console), ChartStyle.from_config(cfg.section("charts")))
