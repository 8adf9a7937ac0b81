"""Deliver alerts not yet sent (interface used by flows/nightly.py), and resend one on request.

Per channel, the alerts without a successful delivery on that channel make one digest. The warehouse is
not held open while a server is being talked to: read what is pending, close, send, then record every
attempt in alert_deliveries (sent or failed, with the error). A failed channel is retried by the next run
and never fails the run; an alert sent on a channel is never sent on it again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import polars as pl

from expectations.checks import CHECK_TEXT
from settings.config import Config
from flows.channels import Channel, channels
from transforms.catalog import load_catalog
from transforms.digest import Digest, build_digest
from warehouse.db import connect_writer, transaction

ALERT_COLUMNS = ("alert_id", "report_id", "township", "county", "year", "kind", "metric", "detail", "file_name",
                 "value", "unit")
SELECT_ALERTS = f"""
    SELECT {', '.join('a.' + c for c in ALERT_COLUMNS[:-2])}, r.value, r.unit
    FROM alerts a
    LEFT JOIN (SELECT report_id, metric, expectation, arg_min(value, coalesce(is_plan, false)) AS value,
                      arg_min(unit, coalesce(is_plan, false)) AS unit
               FROM rejected_metrics GROUP BY ALL) r
           ON a.kind = 'dq_failure' AND r.report_id = a.report_id AND r.metric = a.metric AND r.expectation = a.detail
"""
DELIVERY_SCHEMA = {"alert_id": pl.String, "channel": pl.String, "status": pl.String,
                   "attempted_at": pl.Datetime("us", "UTC"), "error": pl.String, "target": pl.String}


@dataclass
class DeliverySummary:
    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Attempt:
    channel: Channel
    digest: Digest
    error: str | None


def _rows(con: Any, sql: str, params: list) -> list[dict[str, Any]]:
    return [dict(zip(ALERT_COLUMNS, row)) for row in con.execute(sql, params).fetchall()]


def _pending(con: Any, channel: str) -> list[dict[str, Any]]:
    return _rows(con, SELECT_ALERTS + """
        WHERE NOT EXISTS (SELECT 1 FROM alert_deliveries d
                          WHERE d.alert_id = a.alert_id AND d.channel = ? AND d.status = 'sent')
        ORDER BY a.created_at, a.alert_id""", [channel])


def _warn(message: str) -> None:
    """To the Prefect run log inside a flow, to the `fazhi.alerts` logger outside one."""
    try:
        from prefect import get_run_logger

        get_run_logger().warning(message)
    except Exception:  # no run context (a CLI command, a test): plain logging
        logging.getLogger("fazhi.alerts").warning(message)


def _failed(channel: Channel, digest: Digest, exc: Exception) -> Attempt:
    error = f"{type(exc).__name__}: {exc}"
    _warn(f"{channel.name} delivery to {channel.target} failed ({error}); "
          f"its {len(digest.alert_ids)} alerts are retried by the next run")
    return Attempt(channel, digest, error)


def _send(channel: Channel, digest: Digest) -> Attempt:
    try:
        channel.send(digest)
    except Exception as exc:  # any failure of a channel is recorded and retried, never fails the run
        return _failed(channel, digest, exc)
    return Attempt(channel, digest, None)


def _send_parts(channel: Channel, digest: Digest) -> list[Attempt]:
    """A channel that splits its digest (the robots) sends the parts in order, each recorded for its own
    alerts; after a failed part the rest are not sent and fail with the same error, retried next run."""
    try:
        parts = channel.split(digest)
    except Exception as exc:  # a misconfigured channel is a failed delivery of the whole digest
        return [_failed(channel, digest, exc)]
    attempts: list[Attempt] = []
    for part in parts:
        failed = next((a.error for a in attempts if a.error), None)
        attempts.append(Attempt(channel, part, failed) if failed else _send(channel, part))
    return [a for a in attempts if a.digest.alert_ids or a.error]   # a mention alone delivers no alert


def _record(db: Path, attempts: list[Attempt], now: datetime) -> None:
    rows = [{"alert_id": alert_id, "channel": a.channel.name, "status": "failed" if a.error else "sent",
             "attempted_at": now, "error": a.error, "target": a.channel.target}
            for a in attempts for alert_id in a.digest.alert_ids]
    if not rows:
        return
    deliveries = pl.DataFrame(rows, schema=DELIVERY_SCHEMA)
    con = connect_writer(db)
    try:
        with transaction(con):
            con.register("_deliveries", deliveries)
            con.execute("INSERT INTO alert_deliveries (alert_id, channel, status, attempted_at, error, target) "
                        "SELECT alert_id, channel, status, attempted_at, error, target FROM _deliveries")
            for a in attempts:
                if a.error is None and a.channel.reaches_people:
                    _mark_sent(con, a.channel.name, now)
            con.unregister("_deliveries")
    finally:
        con.close()


def _mark_sent(con: Any, channel: str, now: datetime) -> None:
    """alerts.sent_at is the first successful delivery; alerts.channel lists the channels it reached."""
    con.execute("""
        UPDATE alerts SET sent_at = coalesce(alerts.sent_at, ?),
               channel = CASE WHEN alerts.channel IS NULL THEN ?
                              WHEN list_contains(string_split(alerts.channel, ','), ?) THEN alerts.channel
                              ELSE alerts.channel || ',' || ? END
        FROM (SELECT DISTINCT alert_id FROM _deliveries WHERE channel = ? AND status = 'sent') d
        WHERE alerts.alert_id = d.alert_id""", [now, channel, channel, channel, channel])


def _summary(attempts: list[Attempt]) -> DeliverySummary:
    summary = DeliverySummary()
    for a in attempts:
        target = summary.failed if a.error else summary.sent
        target[a.channel.name] = target.get(a.channel.name, 0) + len(a.digest.alert_ids)
        if a.error:
            summary.errors[a.channel.name] = a.error
    return summary


def _labels(cfg: Config) -> dict[str, str]:
    catalog = load_catalog(cfg.catalog)
    return {key: catalog.label(key) for key in catalog.keys()}


def _deliver(db: Path, cfg: Config, pick) -> DeliverySummary:
    enabled = channels(cfg.section("alerts"))
    if not enabled:
        return DeliverySummary()
    con = connect_writer(db)
    try:
        work = {ch.name: pick(con, ch) for ch in enabled}
    finally:
        con.close()
    labels = _labels(cfg) if any(work.values()) else {}
    attempts = [attempt for ch in enabled if work[ch.name]
                for attempt in _send_parts(ch, build_digest(work[ch.name], labels, CHECK_TEXT))]
    _record(db, attempts, datetime.now(timezone.utc))
    return _summary(attempts)


def deliver_pending(db: Path, cfg: Config) -> DeliverySummary:
    """Send, per enabled channel, one digest of the alerts that channel has not delivered yet."""
    return _deliver(db, cfg, lambda con, ch: _pending(con, ch.name))


def resend(db: Path, cfg: Config, alert_ids: list[str]) -> DeliverySummary:
    """Send these alerts again on every channel that reaches people, whatever was sent before."""
    def pick(con: Any, ch: Channel) -> list[dict[str, Any]]:
        if not ch.reaches_people:
            return []
        marks = ", ".join("?" for _ in alert_ids)
        return _rows(con, SELECT_ALERTS + f" WHERE a.alert_id IN ({marks}) ORDER BY a.alert_id", list(alert_ids))

    return _deliver(db, cfg, pick)
