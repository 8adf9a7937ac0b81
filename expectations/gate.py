"""The data-quality gate between extraction and load (interface used by flows/nightly.py)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

DQ_SCHEMA = {"suite": pl.String, "expectation": pl.String, "column_name": pl.String, "success": pl.Boolean,
             "element_count": pl.Int64, "unexpected_count": pl.Int64, "sample": pl.String}


@dataclass
class GateResult:
    figures: pl.DataFrame      # figures fit to load
    rejected: pl.DataFrame     # figures that failed, with column `expectation`
    dq_results: pl.DataFrame   # one row per expectation evaluated (DQ_SCHEMA)
    missing: pl.DataFrame      # report_id, metric: required figures a report lacks


def run_gate(reports: pl.DataFrame, figures: pl.DataFrame, *, catalog_keys: list[str], required: list[str],
             current_year: int, docs_dir: Path) -> GateResult:
    present = figures.filter(~pl.col("is_plan")).select("report_id", "metric").unique()
    wanted = reports.select("report_id").join(pl.DataFrame({"metric": required}, schema={"metric": pl.String}),
                                              how="cross")
    missing = wanted.join(present, on=["report_id", "metric"], how="anti")
    rejected = figures.clear().with_columns(pl.lit(None, pl.String).alias("expectation"))
    return GateResult(figures, rejected, pl.DataFrame(schema=DQ_SCHEMA), missing)
