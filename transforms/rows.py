"""Turn the workers' per-file results into the tidy polars frames the warehouse loads."""
from __future__ import annotations

import json
from typing import Any

import polars as pl

REPORT_ID_LEN = 16

REPORTS_SCHEMA = {
    "report_id": pl.String, "file_name": pl.String, "path": pl.String, "sha256": pl.String,
    "size_bytes": pl.Int64, "township": pl.String, "county": pl.String, "city": pl.String,
    "year": pl.Int32, "county_source": pl.String, "township_source": pl.String, "year_source": pl.String,
    "text_chars": pl.Int32, "text": pl.String, "seq": pl.Int32,
}
FIGURES_SCHEMA = {
    "report_id": pl.String, "metric": pl.String, "value": pl.Float64, "unit": pl.String,
    "qualifier": pl.String, "is_plan": pl.Boolean, "evidence": pl.String, "start_offset": pl.Int32,
    "end_offset": pl.Int32, "section": pl.String, "parts": pl.String,
}
SECTIONS_SCHEMA = {
    "report_id": pl.String, "seq": pl.Int32, "kind": pl.String, "title": pl.String,
    "start_offset": pl.Int32, "end_offset": pl.Int32,
}
PENDING_SCHEMA = {"sha256": pl.String, **{k: v for k, v in FIGURES_SCHEMA.items() if k != "report_id"}}
INGEST_SCHEMA = {
    "path": pl.String, "sha256": pl.String, "size_bytes": pl.Int64, "status": pl.String,
    "reason_code": pl.String, "reason": pl.String, "report_id": pl.String, "candidates": pl.String,
}


def report_id(sha256: str) -> str:
    return sha256[:REPORT_ID_LEN]


def _figure_row(rid: str, fig: dict[str, Any]) -> dict[str, Any]:
    parts = [{"value": p["value"], "text": p["text"], "start": p["start"], "end": p["end"]} for p in fig["parts"]]
    return {
        "report_id": rid, "metric": fig["metric"], "value": fig["value"], "unit": fig["unit"],
        "qualifier": fig["qualifier"], "is_plan": fig["is_plan"], "evidence": fig["evidence"],
        "start_offset": fig["start"], "end_offset": fig["end"], "section": fig["section"],
        "parts": json.dumps(parts, ensure_ascii=False) if len(parts) > 1 else None,
    }


def parsed_frames(results: list[dict[str, Any]]) -> dict[str, pl.DataFrame]:
    """reports / figures / sections frames from the parsed (not quarantined) results, in discovery order, and
    `pending`: the figures of files that wait for review, by sha256."""
    reports, figures, sections = [], [], []
    pending = [{"sha256": res["file"]["sha256"], **_figure_row("", fig)} for res in results
               if res["status"] == "needs_review" for fig in res["figures"]]
    for seq, res in enumerate(r for r in results if r["status"] == "parsed"):
        f = res["file"]
        rid = report_id(f["sha256"])
        reports.append({
            "report_id": rid, "file_name": f["rel_path"].rsplit("/", 1)[-1], "path": f["rel_path"],
            "sha256": f["sha256"], "size_bytes": f["size"], "township": res["township"],
            "county": res["county"], "city": res["city"], "year": res["year"],
            "county_source": res["county_source"], "township_source": res["township_source"],
            "year_source": res["year_source"], "text_chars": len(res["text"]), "text": res["text"],
            "seq": seq,
        })
        figures.extend(_figure_row(rid, fig) for fig in res["figures"])
        sections.extend({"report_id": rid, "seq": i, "kind": s["kind"], "title": s["title"],
                         "start_offset": s["start"], "end_offset": s["end"]} for i, s in enumerate(res["sections"]))
    return {
        "reports": pl.DataFrame(reports, schema=REPORTS_SCHEMA),
        "figures": pl.DataFrame(figures, schema=FIGURES_SCHEMA),
        "sections": pl.DataFrame(sections, schema=SECTIONS_SCHEMA),
        "pending": pl.DataFrame([{k: r[k] for k in PENDING_SCHEMA} for r in pending], schema=PENDING_SCHEMA),
    }


def ingest_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=INGEST_SCHEMA)
