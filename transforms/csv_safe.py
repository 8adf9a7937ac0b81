"""Cells a spreadsheet would run as a formula, made inert for CSV files people open in Excel or WPS.

A text cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return, which some spreadsheets skip
before such a sign) is a formula to Excel, WPS and LibreOffice: `=HYPERLINK(…)` in a file name or a report's
sentence would run when the export is opened. Such a cell gets a leading apostrophe, which spreadsheets
show as plain text (OWASP "CSV injection"). Numbers, dates and empty cells are left as they are.
"""
from __future__ import annotations

import re
from typing import Any

import polars as pl

FORMULA_START = r"^[=+\-@\t\r]"
INERT_PREFIX = "'"
_FORMULA = re.compile(FORMULA_START)


def inert_cell(value: Any) -> Any:
    """The value, with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and _FORMULA.match(value):
        return INERT_PREFIX + value
    return value


def inert_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """`inert_cell` on every text column of the frame."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.Utf8]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START)).then(INERT_PREFIX + pl.col(name))
        .otherwise(pl.col(name)).alias(name) for name in text)
