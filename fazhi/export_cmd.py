"""`fazhi export --format parquet|csv DIR`: the tidy tables as files for BI tools and the province."""
from __future__ import annotations

from pathlib import Path

from transforms.csv_safe import inert_frame
from warehouse import analysis
from warehouse.db import connect_reader

EXPORT_FORMATS = ("parquet", "csv")


def export_tables(db: Path, folder: Path, fmt: str) -> list[tuple[str, int, Path]]:
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
            frame = analysis.table(con, name)
            path = folder / f"{name}.{fmt}"
            if fmt == "parquet":
                frame.write_parquet(path)
            else:
                inert_frame(frame).write_csv(path, include_bom=True)
            written.append((name, frame.height, path))
    finally:
        con.close()
    return written
