"""The held-out corpora (tests/data/holdout and tests/data/holdout2) are well formed.

These checks do not run the extractor: they make sure each holdout can be trusted as a yardstick —
every report has gold, gold rows use catalog keys, every gold row has verbatim evidence from which
its value can be read, encodings are those the holdout README declares, and the alerts follow from
the expected figures.
"""
from __future__ import annotations

import csv
import importlib.util
import itertools
import re
import unicodedata
import zipfile
from collections import Counter
from functools import partial
from pathlib import Path

import pytest

from tests.data import corpus_files
from tests.data.corpus_files import docx_text, read_gold

DATA = Path(__file__).resolve().parent
# The holdouts in the order they were written: each must reuse no province of the blind corpus or
# of a holdout written before it.
HOLDOUTS = ("holdout", "holdout2")
BLIND_CORPUS = "corpus"

# The 21 keys of the metric catalog, in the order of the table in /work/shared/spec/metrics.md.
CATALOG = (
    "party_group_law_study_sessions", "rule_of_law_meetings", "publicity_events", "publicity_materials",
    "legal_consultations", "certified_enforcement_officers", "enforcement_inspections",
    "rectification_notices", "legal_advisers", "legal_opinions_issued", "disputes_mediated",
    "disputes_resolved", "mediation_success_rate", "petitions_received", "petitions_closed",
    "admin_reconsideration_cases", "admin_litigation_cases", "admin_litigation_lost",
    "npc_suggestions_handled", "legal_service_stations", "model_villages",
)
# The default required set of metrics.md ("Required figures").
REQUIRED = {"disputes_mediated", "admin_reconsideration_cases", "admin_litigation_cases",
            "publicity_events", "certified_enforcement_officers"}

HEADERS = {
    "reports.csv": ["file", "township", "county", "city", "year"],
    "metrics.csv": ["file", "metric", "value", "qualifier", "alt_values", "note"],
    "optional.csv": ["file", "metric", "value", "qualifier", "alt_values", "note"],
    "plans.csv": ["file", "metric", "value"],
    "alerts.csv": ["file", "missing"],
    "evidence.csv": ["file", "kind", "metric", "value", "evidence"],
}
QUALIFIERS = {"exact", "approx", "at_least", "at_most"}
EVIDENCE_KINDS = {"metrics.csv": "result", "optional.csv": "optional", "plans.csv": "plan"}
ENCODINGS = frozenset({"utf-8", "gb18030", "utf-16", "docx"})
UTF16_LE_BOM = b"\xff\xfe"
MIN_CHARS, MAX_CHARS = 1500, 4000  # "each 1,500-4,000 characters" of decoded text
TOWNSHIP_SUFFIXES = ("乡", "镇", "街道")
NUMBER = re.compile(r"^\d+(\.\d+)?$")
MAX_SUM_PARTS = 4  # a sum of parts names at most this many parts in one sentence

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万]+(?:点[零〇一二三四五六七八九]+)?")
ARABIC_RUN = re.compile(r"\d[\d,]*(?:\.\d+)?万?")
NEGATIONS = ("无", "未", "零")


def reports_dir(holdout: Path) -> Path:
    return holdout / "reports"


def gold_dir(holdout: Path) -> Path:
    return holdout / "gold"


declared_encodings = partial(corpus_files.declared_encodings, encodings=ENCODINGS)
report_text = partial(corpus_files.report_text, encodings=ENCODINGS)


def _chinese_section(run: str) -> float:
    """A Chinese numeral below 万: 三千五百 = 3500, 十二 = 12, 一百零六 = 106, 二〇二一 = 2021."""
    if run and all(ch in CN_DIGITS for ch in run):
        return float("".join(str(CN_DIGITS[ch]) for ch in run))
    total, digit = 0, 0
    for ch in run:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        else:
            total += (digit or 1) * CN_UNITS[ch]
            digit = 0
    return float(total + digit)


def chinese_number(run: str) -> float:
    """A Chinese numeral with an optional 万 and decimal 点: 一万二千 = 12000, 九十七点三 = 97.3."""
    whole, _, decimals = run.partition("点")
    high, has_wan, low = whole.partition("万")
    value = _chinese_section(low) if has_wan else _chinese_section(whole)
    if has_wan:
        value += (_chinese_section(high) if high else 1) * 10000
    if decimals:
        value += float("0." + "".join(str(CN_DIGITS[ch]) for ch in decimals))
    return value


def numbers_in(evidence: str) -> list[float]:
    """Every number written in the evidence: Arabic (with separators, full-width, 万) or Chinese."""
    text = unicodedata.normalize("NFKC", evidence)
    found = []
    for match in ARABIC_RUN.finditer(text):
        token = match.group().replace(",", "")
        found.append(float(token[:-1]) * 10000 if token.endswith("万") else float(token))
    rest = ARABIC_RUN.sub(" ", text)
    found += [chinese_number(match.group()) for match in CN_RUN.finditer(rest)]
    return found


def readable_from(value: float, evidence: str) -> bool:
    """Whether a person can read `value` off its evidence: stated, a sum of parts, `各` over
    several bodies, zero by negation, or one lawyer named with no numeral."""
    numbers = numbers_in(evidence)
    if any(abs(value - n) < 1e-9 for n in numbers):
        return True
    if value == 0:
        return any(word in evidence for word in NEGATIONS)
    if value == 1 and not numbers:
        return True
    if "各" in evidence and any(n and value % n == 0 for n in numbers):
        return True
    return any(abs(sum(parts) - value) < 1e-9
               for size in range(2, MAX_SUM_PARTS + 1)
               for parts in itertools.combinations(numbers, size))


@pytest.fixture(params=HOLDOUTS)
def holdout(request: pytest.FixtureRequest) -> Path:
    """The folder of one holdout; tests taking it run once per holdout."""
    return DATA / request.param


# (holdout, report) pairs, for the checks that run once per report of each holdout.
REPORT_CASES = [
    pytest.param(folder, name, id=f"{folder}/{name}")
    for folder in HOLDOUTS
    for name in sorted(declared_encodings(DATA / folder))
]


def test_the_number_reader_reads_the_forms_the_holdout_uses():
    assert chinese_number("一百零六") == 106
    assert chinese_number("一万二千") == 12000
    assert chinese_number("九十七点三") == 97.3
    assert chinese_number("二〇二一") == 2021
    assert numbers_in("发放宣传资料1.2万余份，执法检查1,260余次") == [12000, 1260]
    assert readable_from(32, "进乡村宣传活动26场次、进校园6场次")
    assert not readable_from(33, "进乡村宣传活动26场次、进校园6场次")


def test_every_report_has_gold_and_every_gold_row_names_a_report(holdout: Path):
    on_disk = {path.name for path in reports_dir(holdout).iterdir() if path.is_file()}
    listed = [row["file"] for row in read_gold(holdout, "reports.csv")]
    assert len(listed) == len(set(listed)), "reports.csv lists a file twice"
    assert set(listed) == on_disk, "reports/ and gold/reports.csv disagree"
    assert set(declared_encodings(holdout)) == on_disk, "the README file table and reports/ disagree"
    for name in HEADERS:
        unknown = {row["file"] for row in read_gold(holdout, name)} - on_disk
        assert not unknown, f"gold/{name} names files that are not in reports/: {unknown}"
    assert {row["file"] for row in read_gold(holdout, "alerts.csv")} == on_disk


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_gold_csvs_have_the_gold_format(holdout: Path, name: str):
    with (gold_dir(holdout) / name).open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == HEADERS[name]


@pytest.mark.parametrize("name", ["metrics.csv", "optional.csv", "plans.csv"])
def test_gold_rows_use_catalog_keys_numbers_and_qualifiers(holdout: Path, name: str):
    for row in read_gold(holdout, name):
        where = f"gold/{name}: {row['file']} {row['metric']}"
        assert row["metric"] in CATALOG, f"{where}: not a catalog key"
        assert NUMBER.match(row["value"]), f"{where}: value {row['value']!r} is not a number"
        if name != "plans.csv":
            assert row["qualifier"] in QUALIFIERS, f"{where}: qualifier {row['qualifier']!r}"
            alts = [alt for alt in row["alt_values"].split(";") if alt]
            assert all(NUMBER.match(alt) for alt in alts), f"{where}: alt_values {row['alt_values']!r}"


def test_one_result_per_metric_and_optional_rows_are_not_results(holdout: Path):
    results = Counter((row["file"], row["metric"]) for row in read_gold(holdout, "metrics.csv"))
    assert not [key for key, count in results.items() if count > 1], "a metric has two results"
    optional = {(row["file"], row["metric"]) for row in read_gold(holdout, "optional.csv")}
    assert not optional & set(results), "a metric is both a result and optional"


def test_every_gold_row_has_exactly_one_evidence_row_and_back(holdout: Path):
    expected = Counter()
    for name, kind in EVIDENCE_KINDS.items():
        expected.update((row["file"], kind, row["metric"], row["value"]) for row in read_gold(holdout, name))
    found = Counter((row["file"], row["kind"], row["metric"], row["value"]) for row in read_gold(holdout, "evidence.csv"))
    assert found == expected


def test_evidence_is_a_verbatim_substring_of_one_line_of_its_report(holdout: Path):
    missing = [
        f"{row['file']} {row['metric']}: {row['evidence']}"
        for row in read_gold(holdout, "evidence.csv")
        if not row["evidence"] or "\n" in row["evidence"] or row["evidence"] not in report_text(holdout, row["file"])
    ]
    assert not missing, "evidence not found verbatim:\n" + "\n".join(missing)


def test_every_result_and_plan_value_can_be_read_off_its_evidence(holdout: Path):
    """Optional rows are exempt: they are optional because their value is only implied."""
    unreadable = [
        f"{row['file']} {row['metric']} = {row['value']}: {row['evidence']}"
        for row in read_gold(holdout, "evidence.csv")
        if row["kind"] != "optional" and not readable_from(float(row["value"]), row["evidence"])
    ]
    assert not unreadable, "values that their evidence does not state:\n" + "\n".join(unreadable)


def test_alerts_list_the_missing_required_figures_in_catalog_order(holdout: Path):
    present = {(row["file"], row["metric"]) for row in read_gold(holdout, "metrics.csv")}
    for row in read_gold(holdout, "alerts.csv"):
        expected = [key for key in CATALOG if key in REQUIRED and (row["file"], key) not in present]
        assert row["missing"].split() == expected, row["file"]


def test_alerts_cover_a_report_with_none_a_report_with_some_and_reports_with_all_required_figures(holdout: Path):
    missing = [set(row["missing"].split()) for row in read_gold(holdout, "alerts.csv")]
    assert REQUIRED in missing, "no report lacks all required figures"
    assert set() in missing, "no report has all required figures"
    assert any(0 < len(gap) < len(REQUIRED) for gap in missing), "no report lacks only some"


@pytest.mark.parametrize(("holdout", "name"), REPORT_CASES, indirect=["holdout"])
def test_each_report_has_the_encoding_the_readme_declares(holdout: Path, name: str):
    path = reports_dir(holdout) / name
    raw = path.read_bytes()
    encoding = declared_encodings(holdout)[name]
    if encoding == "docx":
        assert zipfile.is_zipfile(path)
        assert "word/document.xml" in zipfile.ZipFile(path).namelist()
        return
    assert raw.startswith(UTF16_LE_BOM) == (encoding == "utf-16"), f"{name}: BOM does not match {encoding}"
    if encoding != "utf-8":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    assert "\ufffd" not in raw.decode(encoding), f"{name}: replacement characters in the text"


def test_the_holdout_has_each_promised_encoding(holdout: Path):
    assert set(declared_encodings(holdout).values()) == ENCODINGS


@pytest.mark.parametrize(("holdout", "name"), REPORT_CASES, indirect=["holdout"])
def test_each_report_is_fifteen_hundred_to_four_thousand_characters(holdout: Path, name: str):
    length = len(report_text(holdout, name))
    assert MIN_CHARS <= length <= MAX_CHARS, f"{name}: {length} characters"


def test_report_metadata_is_written_in_the_text(holdout: Path):
    for row in read_gold(holdout, "reports.csv"):
        text = report_text(holdout, row["file"])
        assert row["township"].endswith(TOWNSHIP_SUFFIXES), row
        assert re.fullmatch(r"20\d\d", row["year"]), row
        for field in ("township", "county", "city"):
            assert row[field] in text, f"{row['file']}: {field} {row[field]!r} is not in the text"


def test_townships_are_mixed_and_years_span_the_range(holdout: Path):
    townships = [row["township"] for row in read_gold(holdout, "reports.csv")]
    assert {suffix for name in townships for suffix in TOWNSHIP_SUFFIXES if name.endswith(suffix)} == set(TOWNSHIP_SUFFIXES)
    assert {row["year"] for row in read_gold(holdout, "reports.csv")} >= {str(year) for year in range(2019, 2026)}


def test_holdout_provinces_are_not_those_of_the_corpora_written_before_it(holdout: Path):
    """File names carry the province second (`h01_hebei_...`, `k01_tianjin_...`); a holdout must not
    reuse one of the blind corpus or of a holdout written before it (holdout2: corpus and holdout)."""
    earlier = (BLIND_CORPUS, *HOLDOUTS[:HOLDOUTS.index(holdout.name)])
    other_corpora = tuple(DATA / name / "reports" for name in earlier)
    existing = [folder for folder in other_corpora if folder.exists()]
    if not existing:
        pytest.skip(f"none of {other_corpora} found: nothing to compare provinces with")
    used = {path.name.split("_")[1] for folder in existing for path in folder.iterdir()}
    ours = {name.split("_")[1] for name in declared_encodings(holdout)}
    assert not ours & used


def test_the_shipped_docx_is_what_make_docx_writes(holdout: Path, tmp_path: Path):
    spec = importlib.util.spec_from_file_location(f"{holdout.name}_make_docx", holdout / "make_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    regenerated = tmp_path / module.OUTPUT.name
    module.build().save(regenerated)
    assert docx_text(regenerated) == docx_text(module.OUTPUT), "re-run make_docx.py and ship the result"
