"""The nightly-ingest flow end to end on a real ephemeral Prefect API and a real DuckDB file."""
from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest


def test_sample_inbox_builds_five_current_reports_with_lineage(run_flow, sample_inbox, tmp_path, query):
    db = tmp_path / "w.duckdb"
    summary = run_flow(sample_inbox, db)
    assert summary["reports_loaded"] == 5 and summary["quarantined"] == []
    rows = query(db, "SELECT township, year, is_current, run_id, sha256 FROM reports ORDER BY township")
    assert len(rows) == 5 and all(r[2] for r in rows)
    assert {r[3] for r in rows} == {summary["run_id"]} and all(len(r[4]) == 64 for r in rows)
    # every figure's evidence sits at its offsets in the stored normalized text
    bad = query(db, """SELECT count(*) FROM metrics m JOIN report_texts t USING (report_id)
                       WHERE substr(t.text, m.start_offset + 1, m.end_offset - m.start_offset) <> m.evidence""")
    assert bad == [(0,)]
    assert query(db, "SELECT count(*) FROM metrics")[0][0] >= 20
    assert query(db, "SELECT status, files_seen, reports_loaded FROM runs") == [("completed", 5, 5)]


def test_rerun_of_the_same_inbox_loads_nothing(run_flow, sample_inbox, tmp_path, query):
    db = tmp_path / "w.duckdb"
    run_flow(sample_inbox, db)
    before = query(db, "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM metrics), "
                       "(SELECT count(*) FROM ingest_files), (SELECT count(*) FROM alerts)")
    second = run_flow(sample_inbox, db)
    assert second["files_new"] == 0 and second["reports_loaded"] == 0 and second["files_already_seen"] == 5
    after = query(db, "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM metrics), "
                      "(SELECT count(*) FROM ingest_files), (SELECT count(*) FROM alerts)")
    assert after == before
    assert query(db, "SELECT count(*) FROM runs WHERE status = 'completed'") == [(2,)]


def test_same_content_under_another_name_is_a_duplicate(run_flow, sample_inbox, tmp_path, query):
    db = tmp_path / "w.duckdb"
    first = sorted(sample_inbox.glob("*.txt"))[0]
    shutil.copy(first, sample_inbox / "copy-of-report.txt")
    summary = run_flow(sample_inbox, db)
    assert summary["reports_loaded"] == 5 and summary["files_duplicate"] == 1
    status = query(db, "SELECT status, reason FROM ingest_files WHERE path = 'copy-of-report.txt'")
    assert status[0][0] == "duplicate" and first.name in status[0][1]


def test_corrected_report_supersedes_and_keeps_history(run_flow, tmp_path, query, report_text):
    inbox, db = tmp_path / "in", tmp_path / "w.duckdb"
    inbox.mkdir()
    (inbox / "qingshan.txt").write_text(report_text(disputes=30), encoding="utf-8")
    run_flow(inbox, db)
    (inbox / "qingshan.txt").write_text(report_text(disputes=31), encoding="utf-8")
    summary = run_flow(inbox, db)
    assert summary["reports_loaded"] == 1 and summary["reports_superseded"] == 1
    rows = query(db, """SELECT r.is_current, m.value, r.superseded_by IS NOT NULL, f.status
                        FROM reports r JOIN metrics m USING (report_id) JOIN ingest_files f USING (report_id)
                        WHERE m.metric = 'disputes_mediated' ORDER BY r.loaded_at""")
    assert rows == [(False, 30.0, True, "superseded"), (True, 31.0, False, "loaded")]


def test_corrected_file_under_a_new_name_also_supersedes(run_flow, tmp_path, query, report_text):
    inbox, db = tmp_path / "in", tmp_path / "w.duckdb"
    inbox.mkdir()
    (inbox / "v1.txt").write_text(report_text(officers=9), encoding="utf-8")
    (inbox / "v2.txt").write_text(report_text(officers=11), encoding="utf-8")
    run_flow(inbox, db)
    current = query(db, """SELECT r.file_name, m.value FROM reports r JOIN metrics m USING (report_id)
                           WHERE r.is_current AND m.metric = 'certified_enforcement_officers'""")
    assert current == [("v2.txt", 11.0)]


def test_county_comes_from_the_inbox_folder_when_the_text_lacks_it(run_flow, tmp_path, query, report_text):
    inbox, db = tmp_path / "in", tmp_path / "w.duckdb"
    (inbox / "城口县").mkdir(parents=True)
    (inbox / "城口县" / "r.txt").write_text(report_text(county=""), encoding="utf-8")
    run_flow(inbox, db)
    assert query(db, "SELECT township, county, county_source, path FROM reports") == [
        ("青山镇", "城口县", "folder", "城口县/r.txt")]


def _docx_bytes(text: str, path: Path) -> None:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(path)


def test_every_format_and_encoding_loads(run_flow, tmp_path, query, report_text):
    inbox, db = tmp_path / "in", tmp_path / "w.duckdb"
    inbox.mkdir()
    towns = {"utf8": "一镇", "bom": "二镇", "utf16": "三镇", "gb18030": "四镇", "docx": "五镇"}
    (inbox / "utf8.txt").write_text(report_text(towns["utf8"]), encoding="utf-8")
    (inbox / "bom.txt").write_text(report_text(towns["bom"]), encoding="utf-8-sig")
    (inbox / "utf16.txt").write_text(report_text(towns["utf16"]), encoding="utf-16")
    (inbox / "gb18030.txt").write_bytes(report_text(towns["gb18030"]).encode("gb18030"))
    _docx_bytes(report_text(towns["docx"]), inbox / "r.docx")
    summary = run_flow(inbox, db)
    assert summary["quarantined"] == []
    rows = query(db, """SELECT r.township, m.value FROM reports r JOIN metrics m USING (report_id)
                        WHERE m.metric = 'disputes_mediated' ORDER BY r.township""")
    assert sorted(rows) == sorted((t, 30.0) for t in towns.values())


def _write_bad_files(inbox: Path, report_text) -> dict[str, str]:
    """One file per quarantine reason; returns file name → expected reason code."""
    inbox.mkdir()
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "blank.txt").write_text("  \n\n \u3000 \n", encoding="utf-8")
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (inbox / "fake.docx").write_text(report_text("假文档镇"), encoding="utf-8")
    (inbox / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    (inbox / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    (inbox / "big.txt").write_text(report_text() + "法治" * 400_000, encoding="utf-8")
    expected = {"empty.txt": "empty", "blank.txt": "blank", "binary.txt": "binary", "fake.docx": "corrupt_docx",
                "corrupt.pdf": "corrupt_pdf", "picture.png": "unsupported_type", "big.txt": "too_large"}
    if shutil.which("soffice") is None:
        (inbox / "old.doc").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600)
        expected["old.doc"] = "no_converter"
    return expected


def test_bad_files_are_quarantined_with_their_reason_and_good_ones_load(
        run_flow, tmp_path, query, report_text, write_config):
    inbox, db = tmp_path / "in", tmp_path / "w.duckdb"
    expected = _write_bad_files(inbox, report_text)
    (inbox / "good.txt").write_text(report_text(), encoding="utf-8")
    config = write_config("[read]\nmax_file_mb = 0.5\n")
    summary = run_flow(inbox, db, config)
    got = dict(query(db, "SELECT path, reason_code FROM ingest_files WHERE status = 'quarantined'"))
    assert got == expected
    reasons = dict(query(db, "SELECT path, reason FROM ingest_files WHERE status = 'quarantined'"))
    assert all(path in reason for path, reason in reasons.items()), "each reason names its file"
    assert summary["reports_loaded"] == 1 and len(summary["quarantined"]) == len(expected)
    assert query(db, "SELECT count(*) FROM reports") == [(1,)]


def test_symlink_out_of_the_inbox_is_not_followed(run_flow, tmp_path, query, report_text):
    inbox, outside = tmp_path / "in", tmp_path / "outside"
    inbox.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text(report_text("外镇"), encoding="utf-8")
    (inbox / "link.txt").symlink_to(outside / "secret.txt")
    (inbox / "ok.txt").write_text(report_text(), encoding="utf-8")
    run_flow(inbox, tmp_path / "w.duckdb")
    assert query(tmp_path / "w.duckdb", "SELECT township FROM reports") == [("青山镇",)]


def test_poison_inbox_finishes_in_a_minute_and_quarantines_only_the_poison(run_flow, sample_inbox, tmp_path, query,
                                                                          monkeypatch, report_text):
    """Issue 10's inbox: the five samples, a real zip bomb, a 3,000-page PDF, a report the extractor raises on."""
    import os
    import threading
    import time
    import uuid

    from tests.helpers import fault_env, many_page_pdf, peak_memory_mb, process_tree, zip_bomb_docx

    zip_bomb_docx(sample_inbox / "bomb.docx")
    many_page_pdf(sample_inbox / "long.pdf")
    (sample_inbox / "raises.txt").write_text(report_text("异常镇") + "\nRAISE\n", encoding="utf-8")
    marker = f"FAZHI_TEST_MARK={uuid.uuid4().hex}"
    for key, value in {**fault_env(extract_raise="RAISE"), marker.split("=")[0]: marker.split("=")[1]}.items():
        monkeypatch.setenv(key, value)
    peaks: dict[int, float] = {}
    done = threading.Event()

    def watch() -> None:   # the workers' peak memory, sampled until the run ends
        while not done.is_set():
            peaks.update(peak_memory_mb([*process_tree(marker), os.getpid()]))
            time.sleep(0.2)

    watcher = threading.Thread(target=watch)
    watcher.start()
    began = time.monotonic()
    try:
        summary = run_flow(sample_inbox, tmp_path / "w.duckdb")
    finally:
        done.set()
        watcher.join()
    elapsed = time.monotonic() - began
    print(f"\npoison inbox: {elapsed:.1f} s, peak memory per process (MB): "
          f"{sorted(round(v) for v in peaks.values())}")
    assert elapsed < 60
    assert summary["reports_loaded"] == 5
    assert query(tmp_path / "w.duckdb", "SELECT path, reason_code FROM ingest_files WHERE status = 'quarantined' "
                                        "ORDER BY path") == [("bomb.docx", "too_large_unpacked"),
                                                             ("long.pdf", "too_many_pages"),
                                                             ("raises.txt", "extract_error")]
    assert len(peaks) >= 3 and max(peaks.values()) < 1536
