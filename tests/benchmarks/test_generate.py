"""The synthetic inbox: deterministic, varied, and its expected files agree with what it wrote."""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest

from benchmarks.generate import generate
from benchmarks.synth.numbers import chinese, chinese_year, fullwidth


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _inbox_digest(folder: Path) -> dict[str, str]:
    return _digest(folder / "inbox")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _text(path: Path, encoding: str) -> str:
    if encoding == "docx":
        from docx import Document

        return "\n".join(p.text for p in Document(str(path)).paragraphs)
    return path.read_bytes().decode(encoding)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    generate(600, out, seed=11)
    return out


def test_same_seed_same_bytes_other_seed_other_reports(generated, tmp_path):
    generate(600, tmp_path / "again", seed=11)
    assert _digest(tmp_path / "again") == _digest(generated)
    generate(600, tmp_path / "other", seed=12)
    assert _digest(tmp_path / "other" / "inbox") != _digest(generated / "inbox")


def test_inbox_mixes_encodings_formats_and_county_folders(generated):
    reports = _rows(generated / "expected_reports.csv")
    assert len(reports) == 600 == sum(1 for p in (generated / "inbox").rglob("*") if p.is_file())
    encodings = {r["encoding"] for r in reports}
    assert {"utf-8", "gb18030", "utf-8-sig", "utf-16", "docx"} <= encodings
    in_folders = [r for r in reports if "/" in r["file"]]
    assert in_folders and all(r["file"].split("/")[0] == r["county"] for r in in_folders if r["status"] == "report")
    assert {r["township"][-1] for r in reports if r["status"] == "report"} >= {"镇", "乡", "道"}
    assert {int(r["year"]) for r in reports if r["status"] == "report"} == set(range(2019, 2026))


def test_each_report_names_its_township_and_year_and_keys_are_unique(generated):
    reports = [r for r in _rows(generated / "expected_reports.csv") if r["status"] == "report"]
    keys = set()
    for r in reports:
        text = _text(generated / "inbox" / r["file"], r["encoding"])
        title = text.splitlines()[0]
        year = int(r["year"])
        assert r["township"] in fullwidth(title) or r["township"] in title
        assert any(y in title for y in (str(year), chinese_year(year), fullwidth(str(year)))), title
        keys.add((r["county"], r["township"], year))
    assert len(keys) == len(reports)   # no report supersedes another


def test_expected_figures_are_stated_in_the_text(generated):
    """Every expected single-number figure's value is written in its report, in one of the ways reports write it."""
    reports = {r["file"]: r for r in _rows(generated / "expected_reports.csv")}
    figures = _rows(generated / "expected.csv")
    assert len(figures) > 600 * 8
    texts: dict[str, str] = {}
    missing = []
    for f in figures:
        value = float(f["value"])
        if value != int(value) or value == 0:
            continue
        r = reports[f["file"]]
        text = texts.setdefault(f["file"], _text(generated / "inbox" / f["file"], r["encoding"]))
        n = int(value)
        spelled = {str(n), f"{n:,}", chinese(n), chinese(n, liang=True), fullwidth(str(n)), fullwidth(f"{n:,}"),
                   f"{n / 10000:g}万"}
        if not any(s in text for s in spelled) and f["metric"] not in ("publicity_events", "rule_of_law_meetings",
                                                                      "model_villages"):   # sums of parts
            missing.append(f)
    assert not missing, missing[:5]


def test_duplicates_copy_a_report_and_junk_is_flagged(generated):
    reports = _rows(generated / "expected_reports.csv")
    digests = _inbox_digest(generated)
    loaded = {digests[r["file"]] for r in reports if r["status"] == "report"}
    dups = [r for r in reports if r["status"] == "duplicate"]
    assert dups and all(digests[r["file"]] in loaded for r in dups)
    first_seen = {}
    for path in sorted(digests):   # the pipeline keeps the first file of a content in path order
        first_seen.setdefault(digests[path], path)
    assert all(first_seen[digests[r["file"]]] != r["file"] for r in dups)
    junk = [r for r in reports if r["status"] == "quarantined"]
    assert len({digests[r["file"]] for r in junk}) == len(junk)
    assert all(not re.search("[乡镇]", _text(generated / "inbox" / r["file"], "latin-1")) for r in junk)


def test_refuses_to_wipe_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SystemExit, match="not made by this script"):
        generate(3, tmp_path)
    assert (tmp_path / "precious.txt").read_text(encoding="utf-8") == "keep me"
