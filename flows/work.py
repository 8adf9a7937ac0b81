"""What one worker process does with a batch of inbox files: read, normalize, extract.

The catalog and jieba are loaded once per worker process (`init_worker`), never per report.
`process_one` gives plain dicts (the `fazhi extract` contract). The flow's pool (flows/pool.py) runs it in
worker processes, one task per file so each file is its own failure domain, and turns each batch of results
into polars frames (`batch_frames`).
"""
from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import polars as pl

from flows.convert import convert_to_docx
from flows.discover import InboxFile
from transforms.catalog import load_catalog
from transforms.extract import Extractor
from transforms.read import ReadLimits, Unreadable, check_size, decode_document
from transforms.rows import parsed_frames


@dataclass(frozen=True)
class WorkSettings:
    catalog_path: str
    max_file_bytes: int
    convert_timeout_s: float
    township_county: dict[str, str]
    limits: ReadLimits | None = None     # caps on unpacked size, PDF pages, text length (None: none)


_state: dict[str, Any] = {}


def init_worker(settings: WorkSettings) -> None:
    """Build the extractor (catalog + jieba dictionary) once for this process."""
    _state["settings"] = settings
    _state["extractor"] = Extractor(load_catalog(Path(settings.catalog_path)))


def quarantine(item: InboxFile, code: str, message: str) -> dict[str, Any]:
    return {"file": asdict(item), "status": "quarantined", "reason_code": code,
            "reason": f"{item.rel_path}: {message}"}


def _read_text(item: InboxFile, settings: WorkSettings) -> str:
    check_size(item.size, settings.max_file_bytes)
    data = item.path.read_bytes()
    try:
        return decode_document(data, item.path.name, max_bytes=settings.max_file_bytes, limits=settings.limits)
    except Unreadable as exc:
        if exc.code != "needs_conversion":
            raise
    with tempfile.TemporaryDirectory(prefix="fazhi-convert-") as workdir:
        docx = convert_to_docx(item.path, Path(workdir), settings.convert_timeout_s)
    return decode_document(docx, item.path.stem + ".docx", max_bytes=settings.max_file_bytes,
                           limits=settings.limits)


def _county(extraction: Any, item: InboxFile, settings: WorkSettings) -> tuple[str | None, str | None]:
    """The county and where it came from: the text first, then the inbox folder, then the roster."""
    if extraction.county:
        return extraction.county, "text"
    if item.county_hint:
        return item.county_hint, "folder"
    roster = settings.township_county.get(extraction.township or "")
    return (roster, "roster") if roster else (None, None)


def process_one(item: InboxFile) -> dict[str, Any]:
    settings: WorkSettings = _state["settings"]
    try:
        text = _read_text(item, settings)
    except Unreadable as exc:
        return quarantine(item, exc.code, exc.message)
    except OSError as exc:
        return quarantine(item, "unreadable", f"the file could not be opened ({exc.strerror}); check its permissions")
    ex = _state["extractor"].extract(text)
    if ex.township is None:
        return quarantine(item, "no_township", ex.error or "no township name (乡/镇/街道) found in the text; "
                           "check that this is a township report and that its title names the township")
    if ex.year is None:
        return quarantine(item, "no_year", ex.error or "no report year found in the title or first sentence; "
                           "add the year (e.g. 2023年) to the title and send the file again")
    county, county_source = _county(ex, item, settings)
    return {
        "file": asdict(item), "status": "parsed", "text": text,
        "township": ex.township, "county": county, "county_source": county_source,
        "city": ex.city, "year": ex.year,
        "figures": [asdict(f) for f in ex.figures],
        "sections": [asdict(s) for s in ex.sections],
    }


def process_batch(items: list[InboxFile]) -> list[dict[str, Any]]:
    return [process_one(item) for item in items]


@dataclass
class BatchFrames:
    """One batch as the flow needs it: each file's outcome, and the parsed reports as polars frames.

    Built per batch (`[extract] batch_size` files), so the flow holds a batch's Python dicts at most, never
    ~200 MB of them per 10,000 reports."""

    outcomes: list[dict[str, Any]]       # file, status, reason_code, reason: what ingest_files records
    frames: dict[str, pl.DataFrame]      # parsed_frames of the batch; `seq` counts from 0 in the batch


def batch_frames(results: list[dict[str, Any]]) -> BatchFrames:
    """The BatchFrames of a batch's per-file results (in the batch's order)."""
    outcomes = [{k: r.get(k) for k in ("file", "status", "reason_code", "reason")} for r in results]
    return BatchFrames(outcomes, parsed_frames(results))


def process_batch_frames(items: list[InboxFile]) -> BatchFrames:
    return batch_frames(process_batch(items))
