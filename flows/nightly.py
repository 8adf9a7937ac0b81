"""The nightly-ingest flow: the whole pipeline, stage by stage.

inbox ─discover─▶ files ─plan─▶ new files ─extract (a Prefect task per batch, on the run's engine)─▶ frames
      ─validate (GX)─▶ passed / rejected / missing ─load (one transaction)─▶ DuckDB ─notify─▶ email, webhook

Every stage is a Prefect task; the batches of new reports are mapped task runs (a few hundred reports each,
never one per report) run by a ThreadPoolTaskRunner whose threads hand each batch to the engine of
[extract] (local worker processes or a Dask cluster). The I/O tasks (writer lock, discover, plan, batches,
load, notify) are retried by Prefect after a transient failure only (flows/retrying.py).
"""
from __future__ import annotations

import json
import uuid
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NONE
from prefect.exceptions import TerminationSignal
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from flows import artifacts, progress
from flows.discover import InboxFile, discover
from flows.engines import Engine, check_engine, open_engine
from flows.notify import DeliverySummary, deliver_pending
from flows.plan import Known, Plan, awaits_metadata, plan_ingest
from flows.retrying import io_task_options
from flows.pool import read_limits
from flows.roster import check_roster, overdue_reports
from flows.work import BatchFrames, WorkSettings
from settings.config import Config, load_config
from transforms.alerts import figure_alerts, review_alerts
from transforms.catalog import Catalog
from transforms.rows import ingest_frame, parsed_frames, report_id
from transforms.settle import Override
from warehouse.catalog_sync import Reference
from warehouse.db import connect_writer
from warehouse.load import LoadStats, RunRecord, begin_run, load_run, record_run
from warehouse.lock import WriterLock
from warehouse.overrides import read_overrides

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
    needs_review: list[dict[str, str]] = field(default_factory=list)   # kept, waiting for their metadata
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
def plan_work(files: list[InboxFile], db: Path) -> tuple[Plan, dict[str, Override]]:
    """Which files are new work, and the overrides operators gave (a file waiting for review is read again
    at every run, so an override, a roster entry or a better rule settles it)."""
    con = connect_writer(db)
    try:
        rows = con.sql("SELECT path, sha256, status, reason_code, reason, report_id FROM ingest_files").fetchall()
        overrides = read_overrides(con)
    finally:
        con.close()
    cols = ("path", "sha256", "status", "reason_code", "reason", "report_id")
    records = [dict(zip(cols, r)) for r in rows]
    known = Known(seen={(r["path"], r["sha256"]) for r in records},
                  by_sha={r["sha256"]: r for r in records if r["status"] != "duplicate"},
                  again={(r["path"], r["sha256"]) for r in records if awaits_metadata(r)
                         and not overrides.ignored(r["sha256"])})
    return plan_ingest(files, known), overrides.metadata


def _batches(items: list[InboxFile], size: int) -> list[list[InboxFile]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@task(cache_policy=NONE)
def take_writer_lock(db: Path, timeout_s: float) -> WriterLock:
    """One writer at a time: wait for a running one; retried (by Prefect) when it holds the lock too long."""
    return WriterLock(db).acquire(timeout_s)


@task(cache_policy=NONE, task_run_name="extract-batch-{index}")
def extract_batch(index: int, files: list[InboxFile], engine: Engine) -> BatchFrames:
    """Read and extract one batch of report files on the run's engine: one call, one batch."""
    return engine.run_batch(index, files)


def extract_reports(files: list[InboxFile], settings: WorkSettings, extract: dict[str, Any], run_tag: str,
                    io_options: dict[str, Any]) -> tuple[list[dict], dict[str, pl.DataFrame]]:
    """Map the batches of new files onto `extract_batch` task runs sharing one engine for the run.

    Returns each file's outcome (in discovery order) and the frames of the parsed reports."""
    progress.report("extract", 0, len(files))
    if not files:   # a rerun with nothing new: no jieba, no catalog, no pool
        return [], parsed_frames([])
    batches = _batches(files, int(extract["batch_size"]))
    engine = open_engine(extract, settings, run_tag)
    try:
        with ThreadPoolTaskRunner(max_workers=engine.slots) as runner:
            try:
                futures = runner.map(extract_batch.with_options(**io_options),
                                     {"index": list(range(len(batches))), "files": batches,
                                      "engine": unmapped(engine)})
                _report_as_completed(futures, [len(b) for b in batches], len(files))
                results = [future.result() for future in futures]
            except BaseException:   # stopped or failed: end the workers first, or the runner waits on them
                engine.stop()
                raise
    finally:
        engine.close()
    return _gather(results)


def _report_as_completed(futures: list, sizes: list[int], total: int) -> None:
    """Report progress as batches finish, waiting in bounded steps: a signal that lands on another thread is
    handled by the main thread only when it runs again, so an unbounded wait here would ignore Ctrl-C and
    SIGTERM until the last batch ended."""
    pending = {f.wrapped_future: size for f, size in zip(futures, sizes)}
    done_files = 0
    while pending:
        finished, _ = wait(pending, timeout=WAIT_STEP_S, return_when=FIRST_COMPLETED)
        for future in finished:
            done_files += pending.pop(future)
            progress.report("extract", done_files, total)


def _gather(batches: list[BatchFrames]) -> tuple[list[dict], dict[str, pl.DataFrame]]:
    """Collect the batches in order, numbering the parsed reports (`seq`) across batches."""
    outcomes: list[dict] = []
    parts: list[dict[str, pl.DataFrame]] = []
    offset = 0
    for batch in batches:
        outcomes.extend(batch.outcomes)
        parts.append({**batch.frames, "reports": batch.frames["reports"].with_columns(pl.col("seq") + offset)})
        offset += batch.frames["reports"].height
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
                        pending=frames["pending"],
                        ingest=ingest, rejected=gate.rejected, dq_results=gate.dq_results, alerts=alerts,
                        finished_at=datetime.now(timezone.utc), reference=reference)
    finally:
        con.close()


@task(cache_policy=NONE)
def notify(db: Path, cfg: Config) -> DeliverySummary:
    return deliver_pending(db, cfg)


WAIT_STEP_S = 0.5   # the longest the flow's main thread waits at once, so that it handles stop signals
_INGEST_STATUS = {"parsed": "loaded", "needs_review": "needs_review"}


def _ingest_rows(plan: Plan, results: list[dict]) -> list[dict[str, Any]]:
    rows = list(plan.ingest_rows)
    for res in results:
        f = res["file"]
        parsed = res["status"] == "parsed"
        rows.append({"path": f["rel_path"], "sha256": f["sha256"], "size_bytes": f["size"],
                     "status": _INGEST_STATUS.get(res["status"], "quarantined"),
                     "reason_code": None if parsed else res["reason_code"],
                     "reason": None if parsed else res["reason"],
                     "report_id": report_id(f["sha256"]) if parsed else None,
                     "candidates": json.dumps(res["candidates"], ensure_ascii=False) if res.get("candidates") else None})
    return rows


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
def nightly_ingest(inbox: str | None = None, db: str | None = None, config: str | None = None,
                   as_of: datetime | None = None) -> dict:
    """Pick up new report files from the inbox and load their figures into the warehouse.

    `as_of` is the instant the run judges report deadlines at (which years are due, which reports overdue);
    default: when the run starts. Tests pin it to a date (1 January, the day before a deadline)."""
    cfg = load_config(Path(config) if config else None).with_overrides(
        inbox=Path(inbox) if inbox else None, db=Path(db) if db else None)
    check_engine(cfg.section("extract"), cfg.source)
    if cfg.roster:
        check_roster(cfg.section("roster"), cfg.source)
    schedule = cfg.section("schedule")
    io_options = io_task_options(schedule)
    try:
        lock = take_writer_lock.with_options(**io_options)(cfg.db, float(schedule["lock_timeout_s"]))
        try:
            summary = asdict(_ingest(cfg, io_options, as_of or datetime.now(timezone.utc)))
        finally:
            lock.release()
    except Exception as exc:
        artifacts.publish_failure(exc)
        raise
    artifacts.publish(summary)
    return summary


def _ingest(cfg: Config, io_options: dict[str, Any], as_of: datetime) -> RunSummary:
    logger = get_run_logger()
    summary = RunSummary(run_id=str(uuid.uuid4()))
    catalog_text = cfg.catalog.read_text(encoding="utf-8")   # read once: the workers get it as data
    catalog = Catalog.from_toml(catalog_text, str(cfg.catalog))
    run = RunRecord(summary.run_id, flow_run.get_id(), datetime.now(timezone.utc), str(cfg.inbox), 0, 0, 0, 0)
    _record_start(cfg.db, run)
    try:
        files = discover_inbox.with_options(**io_options)(cfg.inbox)
        plan, overrides = plan_work.with_options(**io_options)(files, cfg.db)
        run.files_seen, run.files_new, run.files_duplicate = len(files), len(plan.new), plan.duplicates
        run.files_quarantined = plan.quarantined
        settings = WorkSettings(str(cfg.catalog), cfg.max_file_bytes, cfg.section("read")["convert_timeout_s"],
                                cfg.township_county, overrides=overrides, catalog_text=catalog_text,
                                limits=read_limits(cfg.section("read")))
        results, frames = extract_reports(plan.new, settings, cfg.section("extract"), summary.run_id, io_options)
        overdue = overdue_reports(cfg, frames["reports"], as_of)
        if frames["reports"].is_empty():   # nothing new to check: no gate, and no Great Expectations to import
            gate = NothingChecked(frames["figures"])
            alerts = pl.concat([review_alerts(results), overdue.alerts])
        else:
            gate = validate(frames, cfg, list(catalog.keys()), [k for k in catalog.keys() if catalog.unit(k) == "%"])
            alerts = pl.concat([figure_alerts(frames["reports"], gate.missing, gate.rejected),
                                review_alerts(results), overdue.alerts])
        ingest = _ingest_rows(plan, results)
        run.files_quarantined += sum(r["status"] == "quarantined" for r in results)
        reference = Reference(catalog, tuple(cfg.required_metrics), cfg.roster,
                              cfg.section("roster")["deadline"], cfg.section("roster")["timezone"], overdue.due)
        stats = load.with_options(**io_options)(cfg.db, run, frames, gate, alerts, ingest_frame(ingest), reference)
    except BaseException as exc:
        _record_failure(cfg.db, run, exc)
        raise
    delivery = notify.with_options(**io_options)(cfg.db, cfg)
    summary.files_seen, summary.files_new = len(files), len(plan.new)
    summary.files_duplicate, summary.files_already_seen = plan.duplicates, plan.already_seen
    summary.quarantined = [{"path": r["path"], "code": r["reason_code"], "reason": r["reason"]}
                           for r in ingest if r["status"] == "quarantined"]
    summary.needs_review = [{"path": r["path"], "code": r["reason_code"], "reason": r["reason"]}
                            for r in ingest if r["status"] == "needs_review"]
    summary.reports_loaded, summary.reports_superseded = stats.reports_loaded, stats.reports_superseded
    summary.figures_loaded, summary.figures_rejected = stats.figures_loaded, stats.figures_rejected
    summary.alerts_raised = stats.alerts_raised
    summary.alerts_sent, summary.alerts_failed = delivery.sent, delivery.failed
    logger.info("run %s: %d files seen, %d new, %d reports loaded, %d figures, %d alerts raised",
                summary.run_id, len(files), len(plan.new), stats.reports_loaded, stats.figures_loaded,
                stats.alerts_raised)
    return summary
