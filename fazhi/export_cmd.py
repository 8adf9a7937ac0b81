"""`fazhi export --format parquet|csv DIR`: the tidy tables as files for BI tools and the province."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from transforms.csv_safe import inert_frame
from warehouse import analysis
from warehouse.db import connect_reader

EXPORT_FORMATS = ("parquet", "csv")


def _for_people(frame: pl.DataFrame, tz: str | None, csv: bool) -> pl.DataFrame:
    """Timestamps in the office's timezone; in CSV, whole numbers written as integers (54, not 54.0)."""
    out = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if tz and isinstance(dtype, pl.Datetime) and dtype.time_zone:
            out.append(col.dt.convert_time_zone(tz))
        elif csv and dtype in (pl.Float64, pl.Float32):
            whole = col.is_finite() & (col == col.round(0))
            out.append(pl.when(whole).then(col.cast(pl.Int64).cast(pl.String)).otherwise(col.cast(pl.String))
                       .alias(name))
    return frame.with_columns(out) if out else frame


def export_tables(db: Path, folder: Path, fmt: str, tz: str | None = None) -> list[tuple[str, int, Path]]:
    """Write one file per table; return (table, rows, file) for each.

    CSV is UTF-8 with a byte-order mark, so Excel shows the Chinese text instead of mojibake; a text cell a
    spreadsheet would run as a formula (file names, evidence sentences come from outside) is made inert."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {EXPORT_FORMATS}")
    con = connect_reader(db)
    written = []
    try:
        analysis.require_views(con, db)
        folder.mkdir(parents=True, exist_ok=True)
        for name in analysis.EXPORT_TABLES:
            table = analysis.table(con, name)
            path = folder / f"{name}.{fmt}"
            if fmt == "parquet":
                frame = _for_people(table, tz, csv=False)
                frame.write_parquet(path)
            else:   # text from outside made inert first, then numbers written for people (-3 is no formula)
                frame = _for_people(inert_frame(table), tz, csv=True)
                frame.write_csv(path, include_bom=True)
            written.append((name, frame.height, path))
    finally:
        con.close()
    return written
