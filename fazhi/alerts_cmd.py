"""`fazhi alerts`: list the alerts with their state (open / resolved / acked) and delivery, acknowledge some, or
send chosen ones again."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from expectations.checks import check_text
from fazhi.config import Config
from transforms.catalog import load_catalog
from transforms.settle import PROBLEM_LABELS

KINDS = ("missing_figure", "dq_failure", "missing_report", "needs_review")
STATES = ("open", "resolved", "acked")
DELIVERIES = ("pending", "logged", "sent", "failed")
STATUSES = (*STATES, *DELIVERIES, "all")
DEFAULT_STATUS = "open"
ID_SHOWN = 10  # characters of the alert id a table shows; --resend and --ack take any unique prefix
COLUMNS = ("alert_id", "created_at", "state", "resolution", "resolved_at", "delivery", "kind", "county", "township",
           "year", "metric", "label", "reason", "file_name", "channels", "last_error")
RESOLUTIONS = {"corrected": "已更正", "later_file": "新文件已补报", "report_received": "已收到报告",
               "loaded": "已入库", "ignored": "已忽略", "acked": "已确认"}
LIST_SQL = """
SELECT alert_id, created_at, state, resolution, resolved_at, delivery, kind, county, township, year, metric, detail,
       file_name, channels, last_error, ack_note
FROM v_alerts
WHERE created_at >= ? AND county IS NOT DISTINCT FROM coalesce(?, county)
  AND township = coalesce(?, township) AND year IS NOT DISTINCT FROM coalesce(?, year) AND kind = coalesce(?, kind)
ORDER BY created_at DESC, county, township, year, kind, metric
"""


class AlertsError(Exception):
    """What the user asked for cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Filters:
    """Which alerts a listing (and --ack-all) covers; None: any."""

    county: str | None = None
    township: str | None = None
    year: int | None = None
    kind: str | None = None
    since: str | None = None

    def given(self) -> bool:
        return any(v is not None for v in (self.county, self.township, self.year, self.kind, self.since))

    def params(self) -> list:
        if self.kind is not None and self.kind not in KINDS:
            raise AlertsError(f"--kind {self.kind!r} is not one of {', '.join(KINDS)}")
        return [parse_since(self.since), self.county, self.township, self.year, self.kind]


@dataclass
class Listing:
    columns: tuple[str, ...]
    rows: list[tuple]

    def compact(self) -> tuple[list[str], list[tuple]]:
        """Fewer, narrower columns for a terminal table: short id (enough for --resend/--ack), what is wrong."""
        out = []
        for row in self.rows:
            r = dict(zip(self.columns, row))
            what = {"missing_figure": f"缺少 {r['label'] or r['metric']}",
                    "dq_failure": f"{r['label'] or r['metric']}：{r['reason']}",
                    "missing_report": f"未报送（{r['reason']}）",
                    "needs_review": f"待确认（{PROBLEM_LABELS.get(r['reason'] or '', r['reason'])}）",
                    }.get(r["kind"], r["reason"] or r["kind"])
            state = r["state"] + (f"（{RESOLUTIONS.get(r['resolution'], r['resolution'])}）" if r["resolution"] else "")
            out.append((r["alert_id"][:ID_SHOWN], state, r["delivery"], r["township"], r["year"], what,
                        r["file_name"], r["channels"]))
        cols = ["id", "state", "delivery", "township", "year", "alert", "file_name", "channels"]
        if not any(row[-1] for row in out):   # no channel to people: the column would stay empty
            return cols[:-1], [row[:-1] for row in out]
        return cols, out


def parse_since(since: str | None) -> date:
    if not since:
        return date(1970, 1, 1)
    try:
        return date.fromisoformat(since)
    except ValueError:
        raise AlertsError(f"--since {since!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31") from None


def list_alerts(db: Path, cfg: Config, status: str = DEFAULT_STATUS, filters: Filters = Filters()) -> Listing:
    """The alerts the filters cover in that state (open / resolved / acked) or delivery state
    (pending / logged / sent / failed), newest first, with their Chinese label and per-channel state."""
    from warehouse.db import connect_reader

    if status not in STATUSES:
        raise AlertsError(f"--status {status!r} is not one of {', '.join(STATUSES)}")
    catalog = load_catalog(cfg.catalog)
    labels = {key: catalog.label(key) for key in catalog.keys()}
    con = connect_reader(db)
    try:
        if not con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'v_alerts'").fetchall()[0][0]:
            raise AlertsError(f"the warehouse {db} predates alert states: run `fazhi run` once (it upgrades the "
                              "schema), then try again")
        raw = con.execute(LIST_SQL, filters.params()).fetchall()
    finally:
        con.close()
    rows = []
    for (alert_id, created, state, resolution, resolved_at, delivery, kind, county, township, year, metric, detail,
         file_name, chans, error, ack_note) in raw:
        if status != "all" and status not in (state, delivery):
            continue
        reason = _reason(kind, detail)
        if ack_note:
            reason = f"{reason}；确认：{ack_note}" if reason else f"确认：{ack_note}"
        rows.append((alert_id, created, state, resolution, resolved_at, delivery, kind, county, township, year, metric,
                     labels.get(metric or "", None), reason, file_name, chans, error))
    return Listing(COLUMNS, rows)


def _reason(kind: str, detail: str | None) -> str | None:
    if kind == "dq_failure":
        return check_text(detail)
    if kind == "missing_report":
        return f"截止 {detail}" if detail else None
    return detail


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
        hits = [a for a in known if a.startswith(prefix.strip())] if prefix.strip() else []
        if not hits:
            raise AlertsError(f"no such alert {prefix!r}: copy an id from `fazhi alerts --status all`")
        if len(hits) > 1:
            raise AlertsError(f"{len(hits)} alerts have ids starting with {prefix!r}: give more of the id")
        out.append(hits[0])
    return out


def resend_alerts(db: Path, cfg: Config, wanted: list[str]) -> dict[str, str]:
    """Send these alerts again on every channel that reaches people; channel → 'sent' or its error."""
    from flows.channels import channels
    from flows.notify import resend
    from warehouse.lock import writer_lock

    ids = resolve_ids(db, wanted)
    if not any(ch.reaches_people for ch in channels(cfg.section("alerts"))):
        raise AlertsError("no channel reaches people: enable [alerts.email], [alerts.webhook], [alerts.dingtalk] "
                          "or [alerts.wecom] in fazhi.toml")
    with writer_lock(db, cfg.section("schedule")["lock_timeout_s"]):
        summary = resend(db, cfg, ids)
    return {**{ch: "sent" for ch in summary.sent}, **summary.errors}


def ack_alerts(db: Path, cfg: Config, wanted: list[str], note: str | None) -> list[str]:
    """Acknowledge these alerts (who: the OS user, when: now): they leave the open list; return the full ids."""
    import getpass

    from warehouse.corrections import ack_alerts as record_acks
    from warehouse.db import connect_writer
    from warehouse.lock import writer_lock

    ids = resolve_ids(db, wanted)
    with writer_lock(db, cfg.section("schedule")["lock_timeout_s"]):
        con = connect_writer(db)
        try:
            record_acks(con, ids, note, getpass.getuser())
        finally:
            con.close()
    return ids


def ack_all(db: Path, cfg: Config, status: str, filters: Filters, note: str | None, everything: bool) -> list[str]:
    """Acknowledge every open alert the listing with these filters shows (who: the OS user, when: now), in one
    transaction; return their ids. Every open alert at once only when asked for in so many words (`everything`)."""
    import getpass

    from warehouse.corrections import ack_alerts as record_acks
    from warehouse.db import connect_writer, transaction
    from warehouse.lock import writer_lock

    if status not in ("open", *DELIVERIES):
        raise AlertsError(f"--ack-all acknowledges open alerts: --status {status!r} cannot go with it "
                          f"(use open or a delivery state: {', '.join(DELIVERIES)})")
    if not (filters.given() or status != DEFAULT_STATUS or everything):
        raise AlertsError("--ack-all without a filter would acknowledge every open alert: narrow it with --county, "
                          "--township, --year, --kind or --since, or add --yes to acknowledge them all")
    with writer_lock(db, cfg.section("schedule")["lock_timeout_s"]):
        listing = list_alerts(db, cfg, status, filters)
        ids = [row[0] for row in listing.rows if row[listing.columns.index("state")] == "open"]
        if ids:
            con = connect_writer(db)
            try:
                with transaction(con):
                    record_acks(con, ids, note, getpass.getuser())
            finally:
                con.close()
    return ids
