"""`fazhi alerts`: list the alerts with their delivery state, or send chosen ones again."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from expectations.checks import check_text
from fazhi.config import Config
from transforms.catalog import load_catalog
from transforms.settle import PROBLEM_LABELS

STATUSES = ("pending", "sent", "failed", "all")
ID_SHOWN = 10  # characters of the alert id a table shows; --resend takes any unique prefix
COLUMNS = ("alert_id", "created_at", "status", "kind", "county", "township", "year", "metric", "label", "reason",
           "file_name", "channels", "last_error")
LIST_SQL = """
WITH last AS (
    SELECT alert_id, channel, arg_max(status, attempted_at) AS status, arg_max(error, attempted_at) AS error
    FROM alert_deliveries WHERE channel <> 'console' GROUP BY alert_id, channel
), state AS (
    SELECT alert_id, string_agg(channel || ':' || status, ' ' ORDER BY channel) AS channels,
           bool_or(status = 'failed') AS any_failed, max(error) AS last_error
    FROM last GROUP BY alert_id
)
SELECT a.alert_id, strftime(a.created_at, '%Y-%m-%d %H:%M') AS created_at,
       CASE WHEN s.any_failed THEN 'failed' WHEN a.sent_at IS NOT NULL THEN 'sent' ELSE 'pending' END AS status,
       a.kind, a.county, a.township, a.year, a.metric, a.detail, a.file_name, s.channels, s.last_error
FROM alerts a LEFT JOIN state s USING (alert_id)
WHERE a.created_at >= ?
ORDER BY a.created_at DESC, a.county, a.township, a.year, a.kind, a.metric
"""


class AlertsError(Exception):
    """What the user asked for cannot be done; the message says why and what to do."""


@dataclass
class Listing:
    columns: tuple[str, ...]
    rows: list[tuple]

    def compact(self) -> tuple[list[str], list[tuple]]:
        """Fewer, narrower columns for a terminal table: short id (enough for --resend), what is wrong."""
        out = []
        for row in self.rows:
            r = dict(zip(self.columns, row))
            what = {"missing_figure": f"缺少 {r['label'] or r['metric']}",
                    "dq_failure": f"{r['label'] or r['metric']}：{r['reason']}",
                    "missing_report": f"未报送（{r['reason']}）",
                    "needs_review": f"待确认（{PROBLEM_LABELS.get(r['reason'] or '', r['reason'])}）",
                    }.get(r["kind"], r["kind"])
            out.append((r["alert_id"][:ID_SHOWN], r["status"], r["township"], r["year"], what, r["file_name"],
                        r["channels"]))
        return ["id", "status", "township", "year", "alert", "file_name", "channels"], out


def parse_since(since: str | None) -> date:
    if not since:
        return date(1970, 1, 1)
    try:
        return date.fromisoformat(since)
    except ValueError:
        raise AlertsError(f"--since {since!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31") from None


def list_alerts(db: Path, cfg: Config, status: str = "all", since: str | None = None) -> Listing:
    """Every alert created since the date, newest first, with its Chinese label and per-channel state."""
    from warehouse.db import connect_reader

    if status not in STATUSES:
        raise AlertsError(f"--status {status!r} is not one of {', '.join(STATUSES)}")
    catalog = load_catalog(cfg.catalog)
    labels = {key: catalog.label(key) for key in catalog.keys()}
    con = connect_reader(db)
    try:
        raw = con.execute(LIST_SQL, [parse_since(since)]).fetchall()
    finally:
        con.close()
    rows = []
    for (alert_id, created, state, kind, county, township, year, metric, detail, file_name, chans, error) in raw:
        if status != "all" and state != status:
            continue
        reason = check_text(detail) if kind == "dq_failure" else detail if kind == "needs_review" \
            else (f"截止 {detail}" if detail else None)
        rows.append((alert_id, created, state, kind, county, township, year, metric, labels.get(metric or "", None),
                     reason, file_name, chans, error))
    return Listing(COLUMNS, rows)


def resolve_ids(db: Path, wanted: list[str]) -> list[str]:
    """Full alert ids for the ids (or unique id prefixes) the user typed."""
    from warehouse.db import connect_reader

    con = connect_reader(db)
    try:
        known = [row[0] for row in con.execute("SELECT alert_id FROM alerts").fetchall()]
    finally:
        con.close()
    out = []
    for prefix in wanted:
        hits = [a for a in known if a.startswith(prefix)]
        if len(hits) != 1:
            what = "no alert" if not hits else f"{len(hits)} alerts"
            raise AlertsError(f"{what} with id {prefix!r}: copy an id from `fazhi alerts`")
        out.append(hits[0])
    return out


def resend_alerts(db: Path, cfg: Config, wanted: list[str]) -> dict[str, str]:
    """Send these alerts again on every channel that reaches people; channel → 'sent' or its error."""
    from flows.channels import channels
    from flows.notify import resend
    from warehouse.lock import writer_lock

    if not any(ch.reaches_people for ch in channels(cfg.section("alerts"))):
        raise AlertsError("no channel reaches people: enable [alerts.email], [alerts.webhook], [alerts.dingtalk] "
                          "or [alerts.wecom] in fazhi.toml")
    ids = resolve_ids(db, wanted)
    with writer_lock(db, cfg.section("schedule")["lock_timeout_s"]):
        summary = resend(db, cfg, ids)
    return {**{ch: "sent" for ch in summary.sent}, **summary.errors}
