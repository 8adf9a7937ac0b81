"""Write the static dashboard: index.html (charts, alerts, figures) and one evidence page per report.

Everything the pages need is inside them: the Vega, Vega-Lite and vega-embed JavaScript (from vl-convert's
bundle) is inlined, so the dashboard opens from a USB stick or a file share with no network."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import polars as pl
import vl_convert

from fazhi.charts import ChartStyle
from fazhi.dashboard import charts
from fazhi.display import number, stamp
from fazhi.dashboard.evidence import Span, segments
from fazhi.dashboard.labels import (ALERT_KINDS, EVIDENCE_DIR, QUALIFIER_LABELS, anchor, evidence_href,
                                    evidence_page)
from warehouse import analysis

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """vega + vega-lite + vega-embed as one script that sets window.vegaEmbed (offline, ~0.9 MB)."""
    return vl_convert.javascript_bundle()


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["num"] = lambda v: "—" if v is None else number(v)
    env.globals.update(evidence_href=evidence_href, anchor=anchor, qualifier=QUALIFIER_LABELS,
                       alert_kind=ALERT_KINDS)
    return env


REVIEW_PAGE = "review.html"
DEFAULT_TZ = "Asia/Shanghai"


@dataclass
class DashboardData:
    last_run: dict[str, Any] | None
    completeness: pl.DataFrame
    trends: pl.DataFrame
    figures: pl.DataFrame
    alerts: pl.DataFrame
    required: list[str]


def read_data(con: duckdb.DuckDBPyConnection) -> DashboardData:
    required = [m for (m,) in con.execute("SELECT metric FROM metric_catalog WHERE required ORDER BY ordinal").fetchall()]
    return DashboardData(analysis.last_run(con), analysis.completeness(con), analysis.all_trends(con),
                         analysis.figures(con), analysis.open_alerts(con), required)


def _summary(data: DashboardData) -> dict[str, Any]:
    f, c = data.figures, data.completeness
    return {
        "reports": f["report_id"].n_unique(), "townships": f["township"].n_unique(),
        "years": sorted(f["year"].unique().to_list()), "figures": f.height,
        "missing": c.filter(pl.col("status") != "present").height, "alerts": data.alerts.height,
        "corrected": f.filter(pl.col("source") == "corrected").height,
    }


def render_index(data: DashboardData, style: ChartStyle, generated_at: datetime, tz: str = DEFAULT_TZ,
                 review_count: int = 0) -> str:
    specs = {k: v for k, v in {
        "chart-completeness": charts.completeness_heatmap(data.completeness, style),
        "chart-trends": charts.trend_small_multiples(data.trends, style),
        "chart-rankings": charts.rankings(data.figures, style, data.required),
    }.items() if v is not None}
    years = [(year, list(rows)) for year, rows in groupby(data.figures.iter_rows(named=True), key=lambda r: r["year"])]
    return _env().get_template("index.html.j2").render(
        generated_at=stamp(generated_at, tz), run=data.last_run, summary=_summary(data),
        specs=specs, alerts=list(data.alerts.iter_rows(named=True)), figure_years=years,
        vega_bundle=vega_bundle(), ts=lambda v: stamp(v, tz), review_page=REVIEW_PAGE, review_count=review_count)


def render_review(items: list[Any], generated_at: datetime, tz: str = DEFAULT_TZ) -> str:
    """The 待处理 page: every item of `fazhi review`, with the command that settles it."""
    kinds: dict[str, int] = {}
    for item in items:
        kinds[item.kind_label] = kinds.get(item.kind_label, 0) + 1
    return _env().get_template("review.html.j2").render(
        items=items, kinds=kinds, generated_at=stamp(generated_at, tz), ts=lambda v: stamp(v, tz))


def render_evidence(report: dict[str, Any], figures: list[dict[str, Any]]) -> str:
    spans = [Span(f["start_offset"], f["end_offset"], f["metric"]) for f in figures
             if f["start_offset"] is not None and f["end_offset"] is not None]   # a figure a person added has none
    return _env().get_template("evidence.html.j2").render(
        report=report, figures=figures, segments=segments(report["text"], spans))


def build_dashboard(con: duckdb.DuckDBPyConnection, out_dir: Path, style: ChartStyle,
                    generated_at: datetime | None = None, *, review: list[Any] | None = None,
                    tz: str = DEFAULT_TZ) -> Path:
    """Write index.html, review.html (the 待处理 list `review`) and evidence/<report_id>.html into out_dir
    (evidence pages of earlier builds are replaced); return the index path."""
    data = read_data(con)
    evidence_dir = out_dir / EVIDENCE_DIR
    evidence_dir.mkdir(parents=True, exist_ok=True)
    for old in evidence_dir.glob("*.html"):
        old.unlink()
    by_report = {rid: list(rows) for rid, rows in
                 groupby(analysis.report_figures(con).iter_rows(named=True), key=lambda r: r["report_id"])}
    for report in analysis.report_pages(con).iter_rows(named=True):
        page = out_dir / evidence_page(report["report_id"])
        page.write_text(render_evidence(report, by_report.get(report["report_id"], [])), encoding="utf-8")
    when = generated_at or datetime.now().astimezone()
    items = review or []
    (out_dir / REVIEW_PAGE).write_text(render_review(items, when, tz), encoding="utf-8")
    index = out_dir / "index.html"
    index.write_text(render_index(data, style, when, tz, len(items)), encoding="utf-8")
    return index
