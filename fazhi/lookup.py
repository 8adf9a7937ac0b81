"""What a user types for a report, a file or a metric, turned into the warehouse's keys — or a one-line error
that says what was not found and where to copy a good value from."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from transforms.catalog import Catalog

SHA_LEN = 64


class LookupFailed(LookupError):
    """The report, file or metric the user named does not exist or is ambiguous."""


def metric_key(catalog: Catalog, name: str) -> str:
    """The catalog key for a key or a Chinese label (人民调解纠纷件数 → disputes_mediated)."""
    text = name.strip()
    if text in catalog.keys():
        return text
    by_label = {catalog.label(k): k for k in catalog.keys()}
    if text in by_label:
        return by_label[text]
    near = [f"{k}（{catalog.label(k)}）" for k in catalog.keys() if text and (text in catalog.label(k) or text in k)]
    hint = f"did you mean {', '.join(near[:5])}?" if near else "see `fazhi metrics` for every key and label"
    raise LookupFailed(f"no metric {name!r} in the catalog: {hint}")


@dataclass(frozen=True)
class ReportRef:
    report_id: str
    file_name: str
    county: str | None
    township: str
    year: int
    is_current: bool
    superseded_by: str | None


def find_report(con: duckdb.DuckDBPyConnection, name: str) -> ReportRef:
    """A report by its id (or a unique prefix), its sha256, its file name or its inbox path."""
    text = name.strip()
    rows = con.execute("""
        SELECT report_id, file_name, county, township, year, is_current, superseded_by FROM reports
        WHERE (length(?) >= 4 AND (starts_with(report_id, ?) OR starts_with(sha256, ?)))
           OR file_name = ? OR path = ?
        ORDER BY is_current DESC, loaded_at DESC""", [text, text, text, text, text]).fetchall()
    if not rows:
        raise LookupFailed(f"no report {name!r} in the warehouse: copy a report_id or file name from "
                           "`fazhi review` or `fazhi sql \"SELECT report_id, file_name FROM reports\"`")
    current = [r for r in rows if r[5]]
    if len(rows) > 1 and len(current) != 1:
        ids = ", ".join(r[0] for r in rows[:5])
        raise LookupFailed(f"{name!r} names {len(rows)} reports ({ids}): give the report_id instead")
    return ReportRef(*(current[0] if current else rows[0]))


@dataclass(frozen=True)
class FileRef:
    sha256: str
    path: str | None          # as the warehouse knows it (relative to the inbox), None when never seen
    status: str | None        # the latest ingest status of this content
    reason_code: str | None
    report_id: str | None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_rows(con: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> list[tuple]:
    return con.execute(f"""
        SELECT sha256, arg_max(path, seen_at), arg_max(status, seen_at), arg_max(reason_code, seen_at),
               arg_max(report_id, seen_at)
        FROM ingest_files WHERE {where} GROUP BY sha256""", params).fetchall()


def find_file(con: duckdb.DuckDBPyConnection, name: str, inbox: Path) -> FileRef:
    """A file by its sha256 (or a unique prefix of ≥ 8 hex digits), its inbox path or file name, or a path
    on disk (its content's sha256)."""
    text = name.strip()
    on_disk = next((p for p in (Path(text), inbox / text) if p.is_file()), None)
    if on_disk is not None:
        try:
            sha = sha256_of(on_disk)
        except OSError as exc:
            raise LookupFailed(f"cannot read {on_disk} ({exc.strerror}): give its name as `fazhi review` lists it "
                               "or its sha256") from None
        rows = _file_rows(con, "sha256 = ?", [sha])
        return FileRef(*rows[0]) if rows else FileRef(sha, None, None, None, None)
    rows = _file_rows(con, "(length(?) >= 8 AND starts_with(sha256, ?)) OR path = ? OR path LIKE '%/' || ?",
                      [text, text, text, text])
    if not rows and len(text) == SHA_LEN and all(c in "0123456789abcdef" for c in text.lower()):
        return FileRef(text.lower(), None, None, None, None)
    if not rows:
        raise LookupFailed(f"no file {name!r}: give a path to the file, its name as `fazhi review` lists it, "
                           "or its sha256")
    if len(rows) > 1:
        raise LookupFailed(f"{name!r} names {len(rows)} different files: give the sha256 from `fazhi review`")
    return FileRef(*rows[0])
