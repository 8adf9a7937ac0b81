"""The dashboard's Vega-Lite charts (Altair): completeness heatmap, a trend per metric, township rankings.

Every chart takes plain rows and returns a Vega-Lite spec (dict) the page hands to vega-embed. Marks that
stand for a figure link to the sentence it came from (the `href` channel)."""
from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl

from fazhi.charts import ChartStyle, styled
from fazhi.dashboard.labels import STATUS_COLORS, STATUS_LABELS, evidence_href

Spec = dict[str, Any]


ROWS = "rows"


def _with_rows(chart: alt.TopLevelMixin, style: ChartStyle, frame: pl.DataFrame, *columns: str) -> Spec:
    """The chart (built on the named data source ROWS) as a spec with the rows added after validation:
    Altair validates inline rows one by one against the schema (seconds for a county's thousands of figures)
    and refuses a data frame of more than 5000 rows."""
    spec = styled(chart, style).to_dict()
    spec["datasets"] = {ROWS: frame.select(columns).to_dicts()}
    return spec


LATEST = 0            # the year picker's first option: each township's latest year, so every township shows
LATEST_LABEL = "各乡镇最近一年"


def _year_param(years: list[int], name: str) -> alt.Parameter:
    """A year picker that opens on LATEST (every township, each at its latest year), then the years."""
    options = [LATEST, *sorted(years, reverse=True)]
    return alt.param(name=name, value=LATEST, bind=alt.binding_select(
        options=options, labels=[LATEST_LABEL, *[str(y) for y in options[1:]]], name="年份 "))


def _year_filter(name: str) -> str:
    return f"({name} == {LATEST} && datum.latest) || datum.year == {name}"


def _latest(frame: pl.DataFrame, *keys: str) -> pl.Expr:
    """True on the rows of each group's latest year (a township's report rows count before its gaps)."""
    reported = pl.col("year").filter(pl.col("status") != "no_report") if "status" in frame.columns else pl.col("year")
    last = pl.coalesce(reported.max().over(keys), pl.col("year").max().over(keys))
    return (pl.col("year") == last).alias("latest")


def _continuous_year() -> alt.X:
    """Years on a continuous axis (a gap year shows as a gap), labelled as whole years."""
    return alt.X("year:Q", title=None, scale=alt.Scale(zero=False, nice=False),
                 axis=alt.Axis(format="d", tickMinStep=1, labelAngle=0))


def completeness_heatmap(frame: pl.DataFrame, style: ChartStyle) -> Spec | None:
    """Township x required figure, one year at a time (a year picker): present, missing, or no report."""
    if frame.is_empty():
        return None
    data = frame.with_columns(
        pl.col("status").replace_strict(STATUS_LABELS, default=pl.col("status")).alias("status_label"),
        pl.struct("report_id", "metric").map_elements(lambda r: evidence_href(r["report_id"], r["metric"]),
                                                      return_dtype=pl.String).alias("href"),
        pl.col("county").fill_null("（未注明县）"),
    )
    data = data.with_columns(_latest(data, "county", "township"))
    year = _year_param(sorted(data["year"].unique().to_list()), "completeness_year")
    chart = alt.Chart(alt.NamedData(ROWS)).mark_rect(stroke="white").encode(
        x=alt.X("label:N", title=None, sort=alt.SortField("ordinal"), axis=alt.Axis(labelAngle=-30, orient="top")),
        y=alt.Y("township:N", title=None),
        color=alt.Color("status_label:N", title="状态",
                        scale=alt.Scale(domain=list(STATUS_LABELS.values()), range=list(STATUS_COLORS))),
        href="href:N",
        tooltip=[alt.Tooltip("township:N", title="乡镇"), alt.Tooltip("year:O", title="年份"),
                 alt.Tooltip("label:N", title="数字"), alt.Tooltip("status_label:N", title="状态"),
                 alt.Tooltip("value:Q", title="数值")],
    ).add_params(year).transform_filter(_year_filter("completeness_year")).properties(width=style.width)
    return _with_rows(chart, style, data, "county", "township", "year", "latest", "label", "ordinal", "status_label",
                      "value", "href")


def trend_small_multiples(frame: pl.DataFrame, style: ChartStyle, columns: int = 3) -> Spec | None:
    """A small line chart per metric: the county total per year (the median for a percentage)."""
    if frame.is_empty():
        return None
    data = frame.with_columns(pl.format("{}（{}）", "label", "measure").alias("title"),
                              pl.col("county").fill_null("（未注明县）"))
    counties = data["county"].n_unique()
    chart = alt.Chart(alt.NamedData(ROWS)).mark_line(point=True).encode(
        x=_continuous_year(),
        y=alt.Y("value:Q", title=None),
        color=alt.Color("county:N", title="县", legend=alt.Legend(orient="top") if counties > 1 else None),
        tooltip=[alt.Tooltip("title:N", title="数字"), alt.Tooltip("county:N", title="县"),
                 alt.Tooltip("year:O", title="年份"), alt.Tooltip("value:Q", title="数值"),
                 alt.Tooltip("townships_reporting:Q", title="填报乡镇数")],
    ).properties(width=style.width // columns, height=style.height // 2).facet(
        facet=alt.Facet("title:N", title=None, sort=alt.SortField("ordinal")), columns=columns,
    ).resolve_scale(y="independent")
    return _with_rows(chart, style, data, "title", "ordinal", "county", "year", "value", "townships_reporting")


def _default_label(data: pl.DataFrame, preferred: list[str]) -> str:
    """The first preferred metric with figures, else the first metric with any."""
    that_year = data.sort("ordinal")
    present = that_year["metric"].to_list()
    metric = next((m for m in preferred if m in present), present[0])
    return that_year.filter(pl.col("metric") == metric)["label"][0]


def rankings(frame: pl.DataFrame, style: ChartStyle, preferred: list[str]) -> Spec | None:
    """Townships ranked by one figure in one year (pickers for both); a bar links to its evidence.
    Opens on the latest year and the first of `preferred` (the required metrics) that has figures then."""
    if frame.is_empty():
        return None
    data = frame.with_columns(
        pl.struct("report_id", "metric").map_elements(lambda r: evidence_href(r["report_id"], r["metric"]),
                                                      return_dtype=pl.String).alias("href"),
        pl.when(pl.col("source") == "corrected").then(pl.lit("（已更正）")).otherwise(pl.lit("")).alias("mark"))
    data = data.with_columns(_latest(data, "county", "township", "metric"))
    labels = data.sort("ordinal")["label"].unique(maintain_order=True).to_list()
    years = sorted(data["year"].unique().to_list())
    metric = alt.param(name="ranking_metric", value=_default_label(data, preferred),
                       bind=alt.binding_select(options=labels, name="数字 "))
    year = _year_param(years, "ranking_year")
    base = alt.Chart(alt.NamedData(ROWS)).transform_filter(alt.datum.label == metric).transform_filter(
        _year_filter("ranking_year")).encode(
        y=alt.Y("township:N", title=None, sort=alt.EncodingSortField("value", op="max", order="descending")),
        x=alt.X("value:Q", title="数值"))
    bars = base.mark_bar().encode(
        href="href:N",
        tooltip=[alt.Tooltip("township:N", title="乡镇"), alt.Tooltip("year:Q", title="年份", format="d"),
                 alt.Tooltip("label:N", title="数字"), alt.Tooltip("value:Q", title="数值"),
                 alt.Tooltip("mark:N", title="更正"), alt.Tooltip("evidence:N", title="原文")],
    )
    text = base.mark_text(align="left", dx=3).encode(text=alt.Text("value:Q", format=",.4~f"))
    chart = (bars + text).add_params(metric, year).properties(width=style.width)
    return _with_rows(chart, style, data, "township", "year", "latest", "label", "value", "evidence", "href", "mark")
