"""`fazhi correct REPORT METRIC VALUE` / `--remove`: a person's value for one figure of one report.

The extracted value stays in `metrics`; the correction goes to `corrections` (who, when, the value shown
before) and every analysis view shows it with source = 'corrected'. A rerun changes nothing: the
correction is keyed by the report (its content), and a new version of the file is a new report — its
figures are offered against the old correction in `fazhi review`, never carried over silently."""
from __future__ import annotations

import getpass
from dataclasses import dataclass

from fazhi.config import Config
from fazhi.lookup import LookupFailed, ReportRef, find_report, metric_key
from transforms.catalog import load_catalog

QUALIFIERS = ("exact", "approx", "at_least", "at_most")
PERCENT = "%"


class CorrectError(Exception):
    """The correction cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Corrected:
    correction_id: str
    report: ReportRef
    metric: str
    label: str
    old_value: float | None
    new_value: float | None


def parse_value(text: str, label: str, unit: str) -> float:
    try:
        value = float(text.strip().rstrip(PERCENT))
    except ValueError:
        raise CorrectError(f"value {text!r} for {label} is not a number: write it like 54 or 97.5") from None
    if value < 0:
        raise CorrectError(f"value {text!r} for {label} is negative: a count or a rate is 0 or more")
    if unit == PERCENT and value > 100:
        raise CorrectError(f"value {text!r} for {label} is above 100: it is a rate in %")
    return value


def correct(cfg: Config, report: str, metric: str, value: str | None, *, qualifier: str | None, note: str | None,
            remove: bool) -> Corrected:
    """Check what the user typed, then record the correction under the writer lock."""
    from warehouse.corrections import Correction, add_correction
    from warehouse.db import connect_writer
    from warehouse.lock import writer_lock

    if remove == (value is not None):
        raise CorrectError("give either a VALUE or --remove (to drop a wrong figure), not both or neither")
    if qualifier is not None and qualifier not in QUALIFIERS:
        raise CorrectError(f"--qualifier {qualifier!r} is not one of {', '.join(QUALIFIERS)}")
    catalog = load_catalog(cfg.catalog)
    try:
        key = metric_key(catalog, metric)
    except LookupFailed as exc:
        raise CorrectError(str(exc)) from None
    label = catalog.label(key)
    number = None if remove else parse_value(value or "", label, catalog.unit(key))
    if not cfg.db.is_file():
        raise CorrectError(f"no warehouse at {cfg.db}: run `fazhi run` first, or pass --db")
    with writer_lock(cfg.db, cfg.section("schedule")["lock_timeout_s"]):
        con = connect_writer(cfg.db)
        try:
            ref = _current_report(con, report)
            fix = Correction(ref.report_id, key, number, None if remove else (qualifier or "exact"), remove, note,
                             getpass.getuser())
            correction_id, old = add_correction(con, fix)
        finally:
            con.close()
    return Corrected(correction_id, ref, key, label, old, number)


def _current_report(con, name: str) -> ReportRef:
    try:
        ref = find_report(con, name)
    except LookupFailed as exc:
        raise CorrectError(str(exc)) from None
    if not ref.is_current:
        raise CorrectError(f"report {ref.report_id} ({ref.file_name}) was replaced by a newer version "
                           f"{ref.superseded_by}: correct that one (`fazhi review` lists what it changed)")
    return ref
