"""Pandas views of the batch's polars frames, shaped for the suites (GX has no polars engine).

Every view keeps a key column (`row`, or `report_id` for the one-row-per-report views) that the gate
uses to map GX's unexpected rows back to figures and reports.
"""
from __future__ import annotations

import pandas as pd
import polars as pl

from expectations.suites import GateRules

PARTS_DTYPE = pl.List(pl.Struct({"value": pl.Float64}))


def figures_view(figures: pl.DataFrame, rules: GateRules) -> pd.DataFrame:
    """The figures, plus derived columns: `is_percent` (stated in %), `catalog_percent` (the catalog measures
    the metric in %; null when unknown), `largest_part` (largest summed part) and `upper_bound` (catalog)."""
    percent = pl.col("metric").is_in(list(rules.percent_metrics))
    known = pl.col("metric").is_in(list(rules.catalog_keys)) & pl.lit(bool(rules.percent_metrics))
    view = figures.with_row_index("row").select(
        "row", "report_id", "metric", "value", "unit", "qualifier", "is_plan",
        pl.col("evidence").fill_null(""),  # a missing evidence sentence counts as an empty one
        "start_offset", "end_offset",
        (pl.col("unit") == "%").fill_null(False).alias("is_percent"),
        pl.when(known).then(percent).otherwise(None).alias("catalog_percent"),
        pl.col("parts").str.json_decode(PARTS_DTYPE).list.eval(pl.element().struct.field("value"))
        .list.max().alias("largest_part"),
        pl.col("metric").replace_strict(rules.upper_bounds, default=None, return_dtype=pl.Float64)
        .alias("upper_bound"),
    )
    return view.to_pandas()


def reports_view(reports: pl.DataFrame) -> pd.DataFrame:
    """The reports; `is_current` marks the newest (highest seq) of each (county, township, year) in the batch."""
    key = [pl.col("county").fill_null(""), "township", "year"]
    view = reports.with_row_index("row").select(
        "row", "report_id", "township", pl.col("county").fill_null("").alias("county_key"), "year",
        (pl.col("seq") == pl.col("seq").max().over(key)).alias("is_current"))
    return view.to_pandas()


def per_report_view(reports: pl.DataFrame, figures: pl.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """One row per report, a column per metric holding the value the report states for the year (null: none)."""
    results = figures.filter(~pl.col("is_plan") & pl.col("metric").is_in(metrics))
    wide = reports.select("report_id")
    if not results.is_empty():
        wide = wide.join(results.pivot(on="metric", index="report_id", values="value", aggregate_function="first"),
                         on="report_id", how="left")
    missing_cols = [pl.lit(None, pl.Float64).alias(m) for m in metrics if m not in wide.columns]
    return wide.with_columns(missing_cols).select("report_id", *metrics).to_pandas()
