"""Alert rows from what the gate found: a stable id per (kind, county, township, year, metric)."""
from __future__ import annotations

import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import polars as pl

ALERTS_SCHEMA = {"alert_id": pl.String, "report_id": pl.String, "township": pl.String, "county": pl.String,
                 "year": pl.Int32, "kind": pl.String, "metric": pl.String, "detail": pl.String,
                 "file_name": pl.String}


def alert_id(kind: str, county: str | None, township: str, year: int | None, metric: str | None) -> str:
    """The same thing alerted twice gets the same id, so it is stored and sent once."""
    key = "|".join([kind, county or "", township, str(year or ""), metric or ""])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def figure_alerts(reports: pl.DataFrame, missing: pl.DataFrame, rejected: pl.DataFrame) -> pl.DataFrame:
    """missing_figure for each required figure a report lacks; dq_failure for each rejected figure."""
    meta = reports.select("report_id", "township", "county", "year", "file_name")
    rows = []
    for kind, frame, detail_col in (("missing_figure", missing, None), ("dq_failure", rejected, "expectation")):
        for r in frame.join(meta, on="report_id").iter_rows(named=True):
            rows.append({"alert_id": alert_id(kind, r["county"], r["township"], r["year"], r["metric"]),
                         "report_id": r["report_id"], "township": r["township"], "county": r["county"],
                         "year": r["year"], "kind": kind, "metric": r["metric"],
                         "detail": r[detail_col] if detail_col else None, "file_name": r["file_name"]})
    return pl.DataFrame(rows, schema=ALERTS_SCHEMA).unique("alert_id", keep="first", maintain_order=True)


UNSETTLED = "（待确认）"   # the township column of a review alert whose township is not known yet


def review_alerts(results: list[dict]) -> pl.DataFrame:
    """needs_review for each file kept because its township or year could not be settled (one per content)."""
    rows = []
    for res in results:
        if res["status"] != "needs_review":
            continue
        f = res["file"]
        township = res.get("township") or UNSETTLED
        rows.append({"alert_id": alert_id("needs_review", res.get("county"), township, res.get("year"), f["sha256"]),
                     "report_id": None, "township": township, "county": res.get("county"), "year": res.get("year"),
                     "kind": "needs_review", "metric": None, "detail": res["reason_code"],
                     "file_name": f["rel_path"].rsplit("/", 1)[-1]})
    return pl.DataFrame(rows, schema=ALERTS_SCHEMA).unique("alert_id", keep="first", maintain_order=True)


def parse_deadline(deadline: str) -> tuple[int, int]:
    """(month, day) of a "MM-DD" deadline; ValueError when it is not two numbers joined by "-"."""
    month, day = (int(part) for part in deadline.split("-"))
    return month, day


def deadline_passed(now: datetime, deadline: str, tz: str) -> int | None:
    """The report year now overdue: last year, once `deadline` ("MM-DD", local time in `tz`) is over; else None."""
    local = now.astimezone(ZoneInfo(tz))
    try:
        due = date(local.year, *parse_deadline(deadline))
    except ValueError:
        raise ValueError(f"[roster] deadline {deadline!r} is not a month-day like \"03-31\": "
                         "fix it in fazhi.toml") from None
    return local.year - 1 if local.date() > due else None


def due_years(reported_years: set[int], now: datetime, deadline: str, tz: str) -> set[int]:
    """The report years a rostered township owes: last year once its deadline has passed, and every earlier
    year for which the county holds reports (before this year's deadline, up to the year before last).
    v_completeness (migration 0006) counts the same years, so the alerts and the view agree."""
    last = deadline_passed(now, deadline, tz)
    through = last if last is not None else now.astimezone(ZoneInfo(tz)).year - 2
    return {y for y in reported_years if y <= through} | ({last} if last is not None else set())


def missing_report_alerts(roster: dict[str, list[str]], reported: pl.DataFrame, *, now: datetime, deadline: str,
                          tz: str) -> pl.DataFrame:
    """missing_report for each rostered township with no report for a due year (see due_years).

    `reported` holds (county, township, year) of every report known; a report without a county counts for
    the rostered township of that name.
    """
    years = due_years(set(reported["year"].drop_nulls().to_list()), now, deadline, tz) if roster else set()
    return missing_reports(roster, reported, years, deadline)


def missing_reports(roster: dict[str, list[str]], reported: pl.DataFrame, years: set[int],
                    deadline: str) -> pl.DataFrame:
    """missing_report for each rostered township with no report in `reported` for one of `years`."""
    found = {(c, t, y) for c, t, y in reported.select("county", "township", "year").iter_rows()}
    rows = []
    for year in sorted(years):
        for county, townships in roster.items():
            for township in townships:
                if (county, township, year) in found or (None, township, year) in found:
                    continue
                rows.append({"alert_id": alert_id("missing_report", county, township, year, None), "report_id": None,
                             "township": township, "county": county, "year": year, "kind": "missing_report",
                             "metric": None, "detail": f"{year + 1}-{deadline}", "file_name": None})
    return pl.DataFrame(rows, schema=ALERTS_SCHEMA).unique("alert_id", keep="first", maintain_order=True)
