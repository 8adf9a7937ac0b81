"""A worker's batch as the flow gets it: every file's outcome, and the parsed reports as frames."""
from __future__ import annotations

from pathlib import Path

from fazhi.config import load_config
from flows.discover import discover
from flows.nightly import extract_reports
from flows.work import WorkSettings, init_worker, process_batch, process_batch_frames
from tests.helpers import make_report

TOWNSHIPS = ("青山镇", "白水乡", "东城街道", "红岩镇", "石门乡")
EXTRACT = {**load_config().section("extract"), "engine": "processes", "workers": 2, "batch_size": 2}


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i, township in enumerate(TOWNSHIPS):
        (inbox / f"{i}_{township}.txt").write_text(make_report(township, 2020 + i, events=10 + i), encoding="utf-8")
    (inbox / "9_empty.txt").write_bytes(b"")
    return inbox


def _settings() -> WorkSettings:
    cfg = load_config()
    return WorkSettings(str(cfg.catalog), cfg.max_file_bytes, cfg.section("read")["convert_timeout_s"], {})


def test_batch_frames_hold_what_the_dicts_hold(tmp_path):
    files, _ = discover(_inbox(tmp_path))
    init_worker(_settings())
    batch = process_batch_frames(files)
    plain = process_batch(files)
    assert [o["status"] for o in batch.outcomes] == [r["status"] for r in plain]
    assert all("text" not in o and "figures" not in o for o in batch.outcomes)
    reports = batch.frames["reports"]
    assert reports["township"].to_list() == [r["township"] for r in plain if r["status"] == "parsed"]
    assert reports["seq"].to_list() == list(range(len(TOWNSHIPS)))
    assert batch.frames["figures"].height == sum(len(r["figures"]) for r in plain if r["status"] == "parsed")


def test_pool_keeps_discovery_order_and_numbers_reports_across_batches(tmp_path, prefect_api):
    files, _ = discover(_inbox(tmp_path))
    outcomes, frames = extract_reports(files, _settings(), EXTRACT, "t", {})
    assert [o["file"]["rel_path"] for o in outcomes] == [f.rel_path for f in files]
    assert [o["status"] for o in outcomes].count("quarantined") == 1
    reports = frames["reports"]
    assert reports["township"].to_list() == list(TOWNSHIPS)
    assert reports["seq"].to_list() == list(range(len(TOWNSHIPS)))
    figures = frames["figures"]
    events = figures.filter((figures["metric"] == "publicity_events") & ~figures["is_plan"])
    assert events.join(reports, on="report_id")["value"].to_list() == [10.0 + i for i in range(len(TOWNSHIPS))]


def test_nothing_new_needs_no_worker():
    outcomes, frames = extract_reports([], _settings(), EXTRACT, "t", {})
    assert outcomes == [] and all(f.is_empty() for f in frames.values())
