"""Decide, before any reading, which inbox files are new work, which were seen, which duplicate a report."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flows.discover import InboxFile
from transforms.rows import report_id


@dataclass(frozen=True)
class Known:
    """What the warehouse already holds about files, by (path, sha256) and by content."""

    seen: set[tuple[str, str]]
    by_sha: dict[str, dict[str, Any]]
    again: set[tuple[str, str]] = field(default_factory=set)   # seen, but waiting for metadata: read again


METADATA_CODES = ("no_township", "no_year")   # quarantine codes of earlier versions, now reviews


def awaits_metadata(record: dict[str, Any]) -> bool:
    """A file kept for review, or quarantined for its metadata before reviews existed: read it again."""
    return record["status"] == "needs_review" or \
        (record["status"] == "quarantined" and record["reason_code"] in METADATA_CODES)


@dataclass
class Plan:
    new: list[InboxFile] = field(default_factory=list)
    ingest_rows: list[dict[str, Any]] = field(default_factory=list)
    already_seen: int = 0

    @property
    def duplicates(self) -> int:
        return sum(r["status"] == "duplicate" for r in self.ingest_rows)

    @property
    def quarantined(self) -> int:
        return sum(r["status"] == "quarantined" for r in self.ingest_rows)


def _row(f: InboxFile, status: str, rid: str | None, code: str | None, reason: str | None) -> dict[str, Any]:
    return {"path": f.rel_path, "sha256": f.sha256, "size_bytes": f.size, "status": status,
            "reason_code": code, "reason": reason, "report_id": rid, "candidates": None}


def plan_ingest(files: list[InboxFile], known: Known) -> Plan:
    """Files already seen under the same path are skipped; same content under another name is a duplicate."""
    plan = Plan()
    first_path: dict[str, str] = {}
    for f in files:
        if (f.rel_path, f.sha256) in known.again and f.sha256 not in first_path:
            first_path[f.sha256] = f.rel_path
            plan.new.append(f)
        elif (f.rel_path, f.sha256) in known.seen:
            plan.already_seen += 1
        elif f.sha256 in first_path:
            plan.ingest_rows.append(_row(f, "duplicate", report_id(f.sha256), "duplicate",
                                         f"same content as {first_path[f.sha256]}"))
        elif f.sha256 in known.by_sha:
            prior = known.by_sha[f.sha256]
            if prior["status"] in ("quarantined", "needs_review"):
                plan.ingest_rows.append(_row(f, prior["status"], None, prior["reason_code"],
                                             f"same content as {prior['path']}: {prior['reason']}"))
            else:
                plan.ingest_rows.append(_row(f, "duplicate", prior["report_id"], "duplicate",
                                             f"same content as {prior['path']}, already loaded"))
        else:
            first_path[f.sha256] = f.rel_path
            plan.new.append(f)
    return plan
