"""The blind test corpus (tests/data/corpus) is well formed.

These checks do not run the extractor: they make sure the corpus can be trusted as a yardstick —
every report has gold, every gold row has verbatim evidence, encodings are those the corpus
README declares, and the alerts follow from the expected figures.
"""
from __future__ import annotations

import csv
import importlib.util
import re
import zipfile
from collections import Counter
from functools import cache, partial
from pathlib import Path

import pytest

from tests.data import corpus_files
from tests.data.corpus_files import docx_text

CORPUS = Path(__file__).resolve().parent / "corpus"
REPORTS = CORPUS / "reports"
GOLD = CORPUS / "gold"
SHARED = Path(__file__).resolve().parents[3] / "shared"
SPEC = SHARED / "spec" / "metrics.md"

GOLD_FILES = ("reports.csv", "metrics.csv", "optional.csv", "plans.csv", "alerts.csv", "evidence.csv")
QUALIFIERS = {"exact", "approx", "at_least", "at_most"}
EVIDENCE_KINDS = {"metrics.csv": "result", "optional.csv": "optional", "plans.csv": "plan"}
ENCODINGS = frozenset({"utf-8", "utf-8-sig", "gb18030", "docx"})
UTF8_BOM = b"\xef\xbb\xbf"
MIN_TEXT_BYTES, MAX_TEXT_BYTES = 2000, 8192  # "each 2-8 KB" of text, measured as UTF-8
TOWNSHIP_SUFFIXES = ("乡", "镇", "街道")
NUMBER = re.compile(r"^\d+(\.\d+)?$")


read_gold = partial(corpus_files.read_gold, CORPUS)
declared_encodings = partial(corpus_files.declared_encodings, CORPUS, encodings=ENCODINGS)
report_text = partial(corpus_files.report_text, CORPUS, encodings=ENCODINGS)


def gold_header(folder: Path, name: str) -> list[str]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


@cache
def spec_catalog() -> tuple[list[str], set[str]]:
    """Catalog keys in table order, and the default required set, from metrics.md."""
    if not SPEC.exists():
        pytest.skip(f"{SPEC} not found: the metric catalog spec is needed to check gold keys")
    text = SPEC.read_text(encoding="utf-8")
    keys = re.findall(r"^\| ([a-z_]+) \|", text, flags=re.MULTILINE)
    required_section = text.split("## Required figures", 1)[1]
    required = set(re.findall(r"`([a-z_]+)`", required_section.split("A report that lacks", 1)[0]))
    return [key for key in keys if key != "key"], required


def test_every_report_has_gold_and_every_gold_row_names_a_report():
    on_disk = {path.name for path in REPORTS.iterdir() if path.is_file()}
    listed = [row["file"] for row in read_gold("reports.csv")]
    assert len(listed) == len(set(listed)), "reports.csv lists a file twice"
    assert set(listed) == on_disk, "reports/ and gold/reports.csv disagree"
    assert set(declared_encodings()) == on_disk, "the README file table and reports/ disagree"
    for name in GOLD_FILES[1:]:
        unknown = {row["file"] for row in read_gold(name)} - on_disk
        assert not unknown, f"gold/{name} names files that are not in reports/: {unknown}"
    assert {row["file"] for row in read_gold("alerts.csv")} == on_disk


@pytest.mark.parametrize("name", GOLD_FILES)
def test_gold_csvs_have_the_shared_gold_format(name: str):
    if not (SHARED / "gold" / name).exists():
        pytest.skip(f"{SHARED / 'gold' / name} not found: nothing to compare the header with")
    assert gold_header(GOLD, name) == gold_header(SHARED / "gold", name)


@pytest.mark.parametrize("name", ["metrics.csv", "optional.csv", "plans.csv"])
def test_gold_rows_use_catalog_keys_numbers_and_qualifiers(name: str):
    catalog, _ = spec_catalog()
    for row in read_gold(name):
        where = f"gold/{name}: {row['file']} {row['metric']}"
        assert row["metric"] in catalog, f"{where}: not a catalog key"
        assert NUMBER.match(row["value"]), f"{where}: value {row['value']!r} is not a number"
        if name != "plans.csv":
            assert row["qualifier"] in QUALIFIERS, f"{where}: qualifier {row['qualifier']!r}"
            alts = [alt for alt in row["alt_values"].split(";") if alt]
            assert all(NUMBER.match(alt) for alt in alts), f"{where}: alt_values {row['alt_values']!r}"


def test_one_result_per_metric_and_optional_rows_are_not_results():
    results = Counter((row["file"], row["metric"]) for row in read_gold("metrics.csv"))
    assert not [key for key, count in results.items() if count > 1], "a metric has two results"
    optional = {(row["file"], row["metric"]) for row in read_gold("optional.csv")}
    assert not optional & set(results), "a metric is both a result and optional"


def test_every_gold_row_has_exactly_one_evidence_row_and_back():
    expected = Counter()
    for name, kind in EVIDENCE_KINDS.items():
        expected.update((row["file"], kind, row["metric"], row["value"]) for row in read_gold(name))
    found = Counter((row["file"], row["kind"], row["metric"], row["value"]) for row in read_gold("evidence.csv"))
    assert found == expected


def test_evidence_is_a_verbatim_substring_of_its_report():
    missing = [
        f"{row['file']} {row['metric']}: {row['evidence']}"
        for row in read_gold("evidence.csv")
        if not row["evidence"] or row["evidence"] not in report_text(row["file"])
    ]
    assert not missing, "evidence not found verbatim:\n" + "\n".join(missing)


def test_alerts_list_the_missing_required_figures_in_catalog_order():
    catalog, required = spec_catalog()
    present = {(row["file"], row["metric"]) for row in read_gold("metrics.csv")}
    for row in read_gold("alerts.csv"):
        expected = [key for key in catalog if key in required and (row["file"], key) not in present]
        assert row["missing"].split() == expected, row["file"]


def test_alerts_cover_a_report_with_none_and_reports_with_all_required_figures():
    _, required = spec_catalog()
    missing = [set(row["missing"].split()) for row in read_gold("alerts.csv")]
    assert required in missing, "no report lacks all required figures"
    assert set() in missing, "no report has all required figures"


@pytest.mark.parametrize("name", sorted(declared_encodings()))
def test_each_report_has_the_encoding_the_readme_declares(name: str):
    raw = (REPORTS / name).read_bytes()
    encoding = declared_encodings()[name]
    if encoding == "docx":
        assert zipfile.is_zipfile(REPORTS / name)
        assert "word/document.xml" in zipfile.ZipFile(REPORTS / name).namelist()
        return
    assert raw.startswith(UTF8_BOM) == (encoding == "utf-8-sig"), f"{name}: BOM does not match {encoding}"
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    assert "\ufffd" not in raw.decode(encoding), f"{name}: replacement characters in the text"


def test_the_corpus_has_each_promised_encoding():
    assert set(declared_encodings().values()) == ENCODINGS


@pytest.mark.parametrize("name", sorted(declared_encodings()))
def test_each_report_is_two_to_eight_kilobytes_of_text(name: str):
    size = len(report_text(name).encode("utf-8"))
    assert MIN_TEXT_BYTES <= size <= MAX_TEXT_BYTES, f"{name}: {size} bytes of text"


def test_report_metadata_is_written_in_the_text():
    for row in read_gold("reports.csv"):
        text = report_text(row["file"])
        assert row["township"].endswith(TOWNSHIP_SUFFIXES), row
        assert re.fullmatch(r"20\d\d", row["year"]), row
        for field in ("township", "county", "city"):
            assert row[field] in text, f"{row['file']}: {field} {row[field]!r} is not in the text"


def test_the_shipped_docx_is_what_make_docx_writes(tmp_path: Path):
    spec = importlib.util.spec_from_file_location("make_docx", CORPUS / "make_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    regenerated = tmp_path / module.OUTPUT.name
    module.build().save(regenerated)
    assert docx_text(regenerated) == docx_text(module.OUTPUT), "re-run make_docx.py and ship the result"
