"""`fazhi resolve FILE_OR_SHA --township X [--county Y] [--year N]` and `--ignore --note …`.

The metadata a person supplies is stored by the file's sha256 in `overrides` (who, when) and applied
whenever that content is processed: the next run loads a file held for review (needs_review, or quarantined
for its township or year) with it, and a report already loaded takes it at once. The override is keyed by
the content, so it survives reruns and renames; `--ignore` takes a file off the review list for good."""
from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from datetime import datetime, timezone

import duckdb

from fazhi.config import Config
from fazhi.lookup import FileRef, LookupFailed, find_file
from transforms.settle import Override


class ResolveError(Exception):
    """The metadata cannot be stored; the message says why and what to do."""


@dataclass(frozen=True)
class Metadata:
    """What a person types: the fields of an override, or `ignore` the file; `note` says why."""

    override: Override = field(default_factory=Override)
    ignore: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Resolved:
    file: FileRef
    metadata: Metadata
    applied_now: bool      # a loaded report took the metadata at once
    waits_for_run: bool    # the next run (or --now) loads the file with it


def check(cfg: Config, meta: Metadata) -> Metadata:
    """Refuse what would be rejected later anyway; fill the county from the roster when it names the township."""
    given = meta.override
    if meta.ignore:
        if given != Override():
            raise ResolveError("--ignore takes the file off the review list: give it alone, with --note saying why")
        if not (meta.note or "").strip():
            raise ResolveError("--ignore needs --note saying why the file is not a report to load")
        return meta
    if given == Override():
        raise ResolveError("nothing to resolve: give --township, --county, --year (or --ignore --note …)")
    quality = cfg.section("quality")
    suffixes = tuple(quality["township_suffixes"])
    if given.township is not None and not given.township.strip().endswith(suffixes):
        raise ResolveError(f"--township {given.township!r} does not end in {'/'.join(suffixes)}: "
                           "give the township's full name (or add the suffix to [quality] township_suffixes)")
    this_year = datetime.now().year
    if given.year is not None and not quality["first_year"] <= given.year <= this_year:
        raise ResolveError(f"--year {given.year} is not between {quality['first_year']} and {this_year}")
    township = given.township and given.township.strip()
    county = given.county or (cfg.township_county.get(given.township) if given.township else None)
    return Metadata(Override(township, county, given.city, given.year), False, meta.note)


def _merged(con: duckdb.DuckDBPyConnection, sha: str, meta: Metadata) -> Metadata:
    """A second resolve of the same file keeps what the first one said and the second leaves out."""
    rows = con.execute("SELECT township, county, city, year, note FROM overrides WHERE sha256 = ? AND NOT ignore",
                       [sha]).fetchall()
    if meta.ignore or not rows:
        return meta
    town, county, city, year, note = rows[0]
    given = meta.override
    return Metadata(Override(given.township or town, given.county or county, given.city or city, given.year or year),
                    False, meta.note or note)


def _apply_to_report(con: duckdb.DuckDBPyConnection, report_id: str, given: Override) -> None:
    """A loaded report takes the metadata at once, each field with source 'override'."""
    sets, params = [], []
    for column, value, source in (("township", given.township, "township_source"),
                                  ("county", given.county, "county_source"),
                                  ("city", given.city, None), ("year", given.year, "year_source")):
        if value is None:
            continue
        sets.append(f"{column} = ?")
        params.append(value)
        if source:
            sets.append(f"{source} = 'override'")
    clash = con.execute("""
        SELECT o.report_id FROM reports r, reports o
        WHERE r.report_id = ? AND o.is_current AND o.report_id <> r.report_id
          AND o.township = coalesce(?, r.township) AND o.year = coalesce(?, r.year)
          AND o.county IS NOT DISTINCT FROM coalesce(?, r.county)""",
                        [report_id, given.township, given.year, given.county]).fetchall()
    if clash:
        raise ResolveError(f"report {clash[0][0]} is already the current report of that township and year: "
                           "correct that one, or resolve this file with --ignore")
    con.execute(f"UPDATE reports SET {', '.join(sets)} WHERE report_id = ?", [*params, report_id])
    _alerts_follow(con, report_id, given)


def _alerts_follow(con: duckdb.DuckDBPyConnection, report_id: str, given: Override) -> None:
    """The report's alerts carry a copy of its county, township and year (for filters and digests): they take
    the supplied metadata too. All of them, not only the open ones: an alert settled by a correction is matched
    to the figure by that copy (v_alerts), and would open again if the copy kept the old county."""
    con.execute("""UPDATE alerts SET county = coalesce(?, county), township = coalesce(?, township),
                                     year = coalesce(?, year)
                   WHERE report_id = ?""", [given.county, given.township, given.year, report_id])


def resolve(cfg: Config, file: str, meta: Metadata) -> Resolved:
    """Store the override (upsert by sha256) and apply it to a loaded report, under the writer lock."""
    from warehouse.corrections import refresh_township_year
    from warehouse.db import connect_writer, transaction
    from warehouse.lock import writer_lock

    meta = check(cfg, meta)
    if not cfg.db.is_file():
        raise ResolveError(f"no warehouse at {cfg.db}: run `fazhi run` first, or pass --db")
    with writer_lock(cfg.db, cfg.section("schedule")["lock_timeout_s"]):
        con = connect_writer(cfg.db)
        try:
            try:
                ref = find_file(con, file, cfg.inbox)
            except LookupFailed as exc:
                raise ResolveError(str(exc)) from None
            meta = _merged(con, ref.sha256, meta)
            given = meta.override
            loaded = ref.status in ("loaded", "superseded", "duplicate") and ref.report_id is not None
            with transaction(con):
                con.execute("INSERT OR REPLACE INTO overrides VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [ref.sha256, given.township, given.county, given.city, given.year, meta.ignore,
                             meta.note, getpass.getuser(), datetime.now(timezone.utc)])
                if loaded and not meta.ignore:
                    _apply_to_report(con, ref.report_id, given)
                    refresh_township_year(con)
        finally:
            con.close()
    return Resolved(ref, meta, loaded and not meta.ignore, not loaded and not meta.ignore)
