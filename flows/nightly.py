"""The nightly-ingest flow: the whole pipeline, stage by stage.

inbox ─discover─▶ files ─plan─▶ new files ─extract (process pool, batched)─▶ frames
      ─validate (GX)─▶ passed / rejected / missing ─load (one transaction)─▶ DuckDB ─notify─▶ email, webhook
"""
from __future__ import annotations

import os
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.exceptions import TerminationSignal
from prefect.runtime import flow_run

from fazhi.config import Config, load_config
from flows import artifacts, progress
from flows.discover import InboxFile, discover
from flows.notify import DeliverySummary, deliver_pending
from flows.plan import Known, Plan, plan_ingest
from flows.roster import overdue_reports
from flows.transient import RetryPolicy, call_with_retries
from flows.pool import ExtractPool, PoolLimits, read_limits
from flows.work import BatchFrames, WorkSettings
from transforms.alerts import figure_alerts
from transforms.catalog import load_catalog
from transforms.rows import ingest_frame, parsed_frames, report_id
from warehouse.catalog_sync import Reference
from warehouse.db import connect_writer
from warehouse.load import LoadStats, RunRecord, begin_run, load_run, record_run
from warehouse.lock import writer_lock

if TYPE_CHECKING:
    from expectations.gate import GateResult


@dataclass
class RunSummary:
    """What `fazhi run` prints at the end and the Prefect artifact shows."""

    run_id: str
    files_seen: int = 0
    files_new: int = 0
    files_duplicate: int = 0
    files_already_seen: int = 0
    quarantined: list[dict[str, str]] = field(default_factory=list)
    reports_loaded: int = 0
    reports_superseded: int = 0
    figures_loaded: int = 0
    figures_rejected: int = 0
    alerts_raised: int = 0
    alerts_sent: dict[str, int] = field(default_factory=dict)
    alerts_failed: dict[str, int] = field(default_factory=dict)


@task(cache_policy=NONE)
def discover_inbox(inbox: Path) -> list[InboxFile]:
    files, skipped = discover(inbox)
    for rel_path, reason in skipped:
        get_run_logger().warning("skipped %s: %s", rel_path, reason)
    return files


@task(cache_policy=NONE)
def plan_work(files: list[InboxFile], db: Path) -> Plan:
    con = connect_writer(db)
    try:
        rows = con.sql("SELECT path, sha256, status, reason_code, reason, report_id FROM ingest_files").fetchall()
    finally:
        con.close()
    cols = ("path", "sha256", "status", "reason_code", "reason", "report_id")
    records = [dict(zip(cols, r)) for r in rows]
    known = Known(seen={(r["path"], r["sha256"]) for r in records},
                  by_sha={r["sha256"]: r for r in records if r["status"] != "duplicate"})
    return plan_ingest(files, known)


def _batches(items: list[InboxFile], size: int) -> list[list[InboxFile]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@task(cache_policy=NONE)
def extract_reports(files: list[InboxFile], settings: WorkSettings, workers: int,
                    batch_size: int, limits: PoolLimits) -> tuple[list[dict], dict[str, pl.DataFrame]]:
    """Read and extract every new file, in batches, on a pool of processes that each load jieba once; each
    file is its own failure domain (flows/pool.py).

    Returns each file's outcome (in discovery order) and the frames of the parsed reports."""
    progress.report("extract", 0, len(files))
    if not files:   # a rerun with nothing new: no jieba, no catalog, no pool
        return [], parsed_frames([])
    with ExtractPool(settings, workers, limits) as pool:
        return _gather(map(pool.run_batch, _batches(files, batch_size)), len(files))


def _gather(batches: Iterable[BatchFrames], total: int) -> tuple[list[dict], dict[str, pl.DataFrame]]:
    """Collect the batches in order, numbering the parsed reports (`seq`) across batches."""
    outcomes: list[dict] = []
    parts: list[dict[str, pl.DataFrame]] = []
    for batch in batches:
        outcomes.extend(batch.outcomes)
        offset = sum(p["reports"].height for p in parts)
        parts.append({**batch.frames, "reports": batch.frames["reports"].with_columns(pl.col("seq") + offset)})
        progress.report("extract", len(outcomes), total)
    return outcomes, {name: pl.concat([p[name] for p in parts]) for name in parts[0]}


@dataclass(frozen=True)
class NothingChecked:
    """Stands in for the gate's result in a run that parsed no new report: nothing to load or reject."""

    figures: pl.DataFrame
    rejected: pl.DataFrame = field(default_factory=pl.DataFrame)
    dq_results: pl.DataFrame = field(default_factory=pl.DataFrame)


@task(cache_policy=NONE)
def validate(frames: dict, cfg: Config, catalog_keys: list[str], percent_metrics: list[str]) -> GateResult:
    from expectations.gate import run_gate   # imports Great Expectations: ~4 s, only when there is work

    return run_gate(frames["reports"], frames["figures"], catalog_keys=catalog_keys,
                    required=cfg.required_metrics, current_year=datetime.now().year, docs_dir=cfg.data_docs,
                    percent_metrics=percent_metrics, quality=cfg.section("quality"))


@task(cache_policy=NONE)
def load(db: Path, run: RunRecord, frames: dict, gate: GateResult | NothingChecked, alerts, ingest,
         reference: Reference) -> LoadStats:
    con = connect_writer(db)
    try:
        return load_run(con, run, reports=frames["reports"], figures=gate.figures, sections=frames["sections"],
                        ingest=ingest, rejected=gate.rejected, dq_results=gate.dq_results, alerts=alerts,
                        finished_at=datetime.now(timezone.utc), reference=reference)
    finally:
        con.close()


@task(cache_policy=NONE)
def notify(db: Path, cfg: Config) -> DeliverySummary:
    return deliver_pending(db, cfg)


def _ingest_rows(plan: Plan, results: list[dict]) -> list[dict[str, Any]]:
    rows = list(plan.ingest_rows)
    for res in results:
        f = res["file"]
        parsed = res["status"] == "parsed"
        rows.append({"path": f["rel_path"], "sha256": f["sha256"], "size_bytes": f["size"],
                     "status": "loaded" if parsed else "quarantined",
                     "reason_code": None if parsed else res["reason_code"],
                     "reason": None if parsed else res["reason"],
                     "report_id": report_id(f["sha256"]) if parsed else None})
    return rows


def _log_retry(attempt: int, exc: BaseException, wait_s: float) -> None:
    get_run_logger().warning("transient failure (%s: %s); retry %d in %.0f s", type(exc).__name__, exc, attempt, wait_s)


def _record_start(db: Path, run: RunRecord) -> None:
    """The run's `runs` row, written when it starts: a run that dies is never lost (the next one marks it
    crashed)."""
    con = connect_writer(db)
    try:
        for run_id in begin_run(con, run):
            get_run_logger().warning("run %s never finished (killed, or the machine stopped): marked crashed", run_id)
    finally:
        con.close()


def _record_failure(db: Path, run: RunRecord, exc: BaseException) -> None:
    """A run stopped by Ctrl-C or SIGTERM is `crashed`, any other failure `failed`; nothing of it is loaded."""
    stopped = isinstance(exc, (KeyboardInterrupt, SystemExit, TerminationSignal))
    error = "stopped by Ctrl-C or SIGTERM before it finished" if stopped else f"{type(exc).__name__}: {exc}"
    con = connect_writer(db)
    try:
        record_run(con, run, "crashed" if stopped else "failed", datetime.now(timezone.utc), None, error)
    finally:
        con.close()


@flow(name="nightly-ingest", log_prints=True)
def nightly_ingest(inbox: str | None = None, db: str | None = None, config: str | None = None) -> dict:
    """Pick up new report files from the inbox and load their figures into the warehouse."""
    cfg = load_config(Path(config) if config else None).with_overrides(
        inbox=Path(inbox) if inbox else None, db=Path(db) if db else None)
    schedule = cfg.section("schedule")

    def attempt() -> dict:
        with writer_lock(cfg.db, schedule["lock_timeout_s"]):
            return asdict(_ingest(cfg))

    try:
        summary = call_with_retries(attempt, RetryPolicy.from_section(schedule), _log_retry)
    except Exception as exc:
        artifacts.publish_failure(exc)
        raise
    artifacts.publish(summary)
    return summary


def _ingest(cfg: Config) -> RunSummary:
    logger = get_run_logger()
    summary = RunSummary(run_id=str(uuid.uuid4()))
    catalog = load_catalog(cfg.catalog)
    run = RunRecord(summary.run_id, flow_run.get_id(), datetime.now(timezone.utc), str(cfg.inbox), 0, 0, 0, 0)
    _record_start(cfg.db, run)
    try:
        files = discover_inbox(cfg.inbox)
        plan = plan_work(files, cfg.db)
        run.files_seen, run.files_new, run.files_duplicate = len(files), len(plan.new), plan.duplicates
        run.files_quarantined = plan.quarantined
        ex = cfg.section("extract")
        settings = WorkSettings(str(cfg.catalog), cfg.max_file_bytes, cfg.section("read")["convert_timeout_s"],
                                cfg.township_county, read_limits(cfg.section("read")))
        results, frames = extract_reports(plan.new, settings, ex["workers"] or os.cpu_count() or 1,
                                          ex["batch_size"], PoolLimits.from_section(ex))
        if frames["reports"].is_empty():   # nothing new to check: no gate, and no Great Expectations to import
            gate = NothingChecked(frames["figures"])
            alerts = overdue_reports(cfg, frames["reports"])
        else:
            gate = validate(frames, cfg, list(catalog.keys()), [k for k in catalog.keys() if catalog.unit(k) == "%"])
            alerts = pl.concat([figure_alerts(frames["reports"], gate.missing, gate.rejected),
                                overdue_reports(cfg, frames["reports"])])
        ingest = _ingest_rows(plan, results)
        run.files_quarantined += sum(r["status"] == "quarantined" for r in results)
        reference = Reference(catalog, tuple(cfg.required_metrics), cfg.roster)
        stats = load(cfg.db, run, frames, gate, alerts, ingest_frame(ingest), reference)
    except BaseException as exc:
        _record_failure(cfg.db, run, exc)
        raise
    delivery = notify(cfg.db, cfg)
    summary.files_seen, summary.files_new = len(files), len(plan.new)
    summary.files_duplicate, summary.files_already_seen = plan.duplicates, plan.already_seen
    summary.quarantined = [{"path": r["path"], "code": r["reason_code"], "reason": r["reason"]}
                           for r in ingest if r["status"] == "quarantined"]
    summary.reports_loaded, summary.reports_superseded = stats.reports_loaded, stats.reports_superseded
    summary.figures_loaded, summary.figures_rejected = stats.figures_loaded, stats.figures_rejected
    summary.alerts_raised = stats.alerts_raised
    summary.alerts_sent, summary.alerts_failed = delivery.sent, delivery.failed
    logger.info("run %s: %d files seen, %d new, %d reports loaded, %d figures, %d alerts raised",
                summary.run_id, len(files), len(plan.new), stats.reports_loaded, stats.figures_loaded,
                stats.alerts_raised)
    return summary
