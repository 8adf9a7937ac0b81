"""What a person reads: whole numbers as integers, one named timezone, wide results readable at 80 columns."""
from __future__ import annotations

import io
from datetime import datetime, timezone

from rich.console import Console

from fazhi.display import cell, jsonable, number, print_table, stamp


def test_whole_numbers_print_as_integers():
    assert [number(v) for v in (54.0, 97.5, 0.0, 3, None)] == ["54", "97.5", "0", "3", ""]
    assert jsonable(54.0, "Asia/Shanghai") == 54 and jsonable(97.5, "Asia/Shanghai") == 97.5


def test_timestamps_are_shown_in_the_named_office_timezone():
    utc = datetime(2026, 12, 1, 18, 30, tzinfo=timezone.utc)
    assert stamp(utc, "Asia/Shanghai") == "2026-12-02 02:30 Asia/Shanghai"
    assert cell(utc, "Asia/Shanghai") == "2026-12-02 02:30 Asia/Shanghai"
    assert jsonable(utc, "Asia/Shanghai") == "2026-12-02T02:30:00+08:00"


def _render(cols: list[str], rows: list[tuple], width: int = 80) -> str:
    out = io.StringIO()
    print_table(Console(file=out, width=width, color_system=None), cols, rows, "Asia/Shanghai")
    return out.getvalue()


def test_a_wide_result_switches_to_records_and_loses_no_value():
    cols = [f"column_{i}" for i in range(12)]
    rows = [tuple(f"value-{r}-{i}" for i in range(12)) for r in range(2)]
    text = _render(cols, rows)
    assert all(len(line) <= 80 for line in text.splitlines())
    for r in rows:
        for value in r:
            assert value in text                                   # every cell whole, none squeezed to …
    assert "── 1 ──" in text and "── 2 ──" in text


def test_a_narrow_result_stays_a_table():
    text = _render(["township", "value"], [("青山镇", 54.0)])
    assert "┃ township" in text and "│ 54 " in text and "54.0" not in text
