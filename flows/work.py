"""What one worker process does with a batch of inbox files: read, normalize, extract.

The catalog and jieba are loaded once per worker process (`init_worker`), never per report.
`process_one` gives plain dicts (the `fazhi extract` contract). The flow's pool (flows/pool.py) runs it in
worker processes, one task per file so each file is its own failure domain, and turns each batch of results
into polars frames (`batch_frames`).
"""
from __future__ import annotations

import tempfile
from dataclasses import KW_ONLY, asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from flows.convert import convert_to_docx
from flows.discover import InboxFile
from transforms.catalog import Catalog, load_catalog
from transforms.extract import Extractor
from transforms.read import ReadLimits, Unreadable, check_size, decode_document
from transforms.rows import parsed_frames
from transforms.settle import Override, Settled, Sources, settle


@dataclass(frozen=True)
class WorkSettings:
    catalog_path: str
    max_file_bytes: int
    convert_timeout_s: float
    township_county: dict[str, str]
    _: KW_ONLY   # the optional settings are named, never positional
    overrides: dict[str, Override] = field(default_factory=dict)   # sha256 -> metadata an operator supplied
    catalog_text: str | None = None   # the catalog as data (a Dask worker cannot read the flow's path)
    limits: ReadLimits | None = None     # caps on unpacked size, PDF pages, text length (None: none)


_state: dict[str, Any] = {}
OUTCOME_KEYS = ("file", "status", "reason_code", "reason", "candidates", "township", "county", "year")


def init_worker(settings: WorkSettings) -> None:
    """Build the extractor (catalog + jieba dictionary) once for this process."""
    _state["settings"] = settings
    catalog = (Catalog.from_toml(settings.catalog_text, settings.catalog_path) if settings.catalog_text is not None
               else load_catalog(Path(settings.catalog_path)))
    _state["extractor"] = Extractor(catalog)


def ensure_worker(settings: WorkSettings) -> None:
    """`init_worker` unless this process already holds these settings (a long-lived Dask worker)."""
    if _state.get("settings") != settings:
        init_worker(settings)


NOT_A_REPORT = ("neither a township, a year nor a single figure was found in its text or name: it does not read "
                "as a 法治政府建设 report; check that the right file was sent")


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


def process_one(item: InboxFile) -> dict[str, Any]:
    settings: WorkSettings = _state["settings"]
    try:
        text = _read_text(item, settings)
    except Unreadable as exc:
        return quarantine(item, exc.code, exc.message)
    except OSError as exc:
        return quarantine(item, "unreadable", f"the file could not be opened ({exc.strerror}); check its permissions")
    ex = _state["extractor"].extract(text, frozenset(settings.township_county))
    override = settings.overrides.get(item.sha256)
    meta = settle(ex.metadata, Sources(item.rel_path, item.county_hint, settings.township_county, override))
    if meta.problem and not ex.figures and not any(meta.candidates.values()):
        return quarantine(item, "not_a_report", NOT_A_REPORT)   # nothing to keep, nothing to settle
    result = {
        "file": asdict(item), "status": "parsed", "text": text,
        "township": meta.township, "township_source": meta.township_source, "county": meta.county,
        "county_source": meta.county_source, "city": meta.city, "year": meta.year, "year_source": meta.year_source,
        "figures": [asdict(f) for f in ex.figures],
        "sections": [asdict(s) for s in ex.sections],
    }
    if meta.problem:
        result.update(status="needs_review", reason_code=meta.problem, candidates=meta.candidates,
                      reason=_review_reason(item, meta))
    return result


def _review_reason(item: InboxFile, meta: Settled) -> str:
    """What is missing, what was found, and the command that settles it."""
    found = "、".join(meta.candidates.get("townships", [])) or "none"
    years = "、".join(map(str, meta.candidates.get("years", []))) or "none"
    return (f"{item.rel_path}: {meta.message}; its figures are kept until it is settled (townships found: {found}; "
            f"years found: {years}). Settle it with `fazhi resolve {item.sha256[:16]} --township … --year …`, "
            "or rename the file like X镇2023年法治政府建设情况报告 and send it again")


def process_batch(items: list[InboxFile]) -> list[dict[str, Any]]:
    return [process_one(item) for item in items]


@dataclass
class BatchFrames:
    """One batch as the flow needs it: each file's outcome, and the parsed reports as polars frames.

    Built per batch (`[extract] batch_size` files), so the flow holds a batch's Python dicts at most, never
    ~200 MB of them per 10,000 reports."""

    outcomes: list[dict[str, Any]]       # OUTCOME_KEYS: what ingest_files records and review alerts name
    frames: dict[str, pl.DataFrame]      # parsed_frames of the batch; `seq` counts from 0 in the batch


def batch_frames(results: list[dict[str, Any]]) -> BatchFrames:
    """The BatchFrames of a batch's per-file results (in the batch's order)."""
    outcomes = [{k: r.get(k) for k in OUTCOME_KEYS} for r in results]
    return BatchFrames(outcomes, parsed_frames(results))


def process_batch_frames(items: list[InboxFile]) -> BatchFrames:
    return batch_frames(process_batch(items))
