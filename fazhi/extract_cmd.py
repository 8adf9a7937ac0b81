"""`fazhi extract`: the flow's read + extract code path on files, without a database."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fazhi.config import Config
from flows.discover import InboxFile
from flows.pool import extract_file, read_limits
from flows.work import WorkSettings, init_worker



def _number(value: float) -> int | float:
    """21, not 21.0, for a count; 97.33 stays as it is."""
    return int(value) if float(value).is_integer() else value

def _files(paths: list[Path]) -> Iterator[Path]:
    for p in paths:
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        else:
            yield p


def _inbox_file(path: Path) -> InboxFile:
    data = path.read_bytes()
    return InboxFile(path=path, rel_path=str(path), size=len(data),
                     sha256=hashlib.sha256(data).hexdigest(), county_hint=None)


def _contract(res: dict[str, Any], required: list[str]) -> dict[str, Any]:
    f = res["file"]
    out: dict[str, Any] = {"file": f["rel_path"], "sha256": f["sha256"], "township": None, "county": None,
                           "city": None, "year": None, "error": None, "metrics": [], "missing_required": []}
    if res["status"] not in ("parsed", "needs_review"):
        out["error"] = res["reason"]
        return out
    if res["status"] == "needs_review":   # figures are printed; the metadata that could not be settled is null
        out["warning"] = res["reason"]
        unsettled = "year" if res["reason_code"] == "no_year" else "township"
        out.update({k: res[k] for k in ("township", "county", "city", "year") if k != unsettled})
    else:
        out.update(township=res["township"], county=res["county"], city=res["city"], year=res["year"])
    out["metrics"] = [{"metric": g["metric"], "value": _number(g["value"]), "unit": g["unit"], "qualifier": g["qualifier"],
                       "is_plan": g["is_plan"], "evidence": g["evidence"], "start": g["start"], "end": g["end"]}
                      for g in res["figures"]]
    present = {g["metric"] for g in res["figures"] if not g["is_plan"]}
    out["missing_required"] = [m for m in required if m not in present]
    return out


def extract_paths(paths: list[Path], cfg: Config) -> Iterator[dict[str, Any]]:
    init_worker(WorkSettings(str(cfg.catalog), cfg.max_file_bytes, cfg.section("read")["convert_timeout_s"],
                             cfg.township_county, limits=read_limits(cfg.section("read"))))
    for path in _files(paths):
        if not path.is_file():
            yield {"file": str(path), "sha256": None, "township": None, "county": None, "city": None,
                   "year": None, "error": "no such file", "metrics": [], "missing_required": []}
            continue
        yield _contract(extract_file(_inbox_file(path)), cfg.required_metrics)   # any failure: its `error`
