"""LibreOffice conversion: a real .doc made by soffice itself, converted back and read."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from flows.convert import convert_to_docx, soffice_available
from tests.helpers import docx_bytes
from transforms.read import Unreadable, decode_document

needs_soffice = pytest.mark.skipif(not soffice_available(), reason="LibreOffice (soffice) is not installed")
PARAGRAPHS = ["青山镇2022年法治政府建设情况报告", "全年开展法治宣传活动２１次，调解矛盾纠纷45件。", "行政诉讼案件1件。"]


def _make_doc(tmp_path: Path, suffix: str = ".doc") -> Path:
    """Save a .docx as Word 97-2003 with soffice itself, as a county office's old Word would."""
    src = tmp_path / "src" / "报告.docx"
    src.parent.mkdir()
    src.write_bytes(docx_bytes(PARAGRAPHS))
    out = tmp_path / "doc"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'mkprofile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(out), str(src)], check=True, capture_output=True,
                   timeout=120)
    made = out / "报告.doc"
    return made.rename(made.with_suffix(suffix))


@needs_soffice
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_old_word_file_is_converted_and_read(tmp_path, suffix):
    doc = _make_doc(tmp_path, suffix)
    with pytest.raises(Unreadable) as info:
        decode_document(doc.read_bytes(), doc.name, max_bytes=1 << 20)
    assert info.value.code == "needs_conversion"
    docx = convert_to_docx(doc, tmp_path / "work", timeout_s=120)
    text = decode_document(docx, "报告.docx", max_bytes=1 << 20)
    assert text.split("\n") == ["青山镇2022年法治政府建设情况报告", "全年开展法治宣传活动21次，调解矛盾纠纷45件。",
                                "行政诉讼案件1件。"]


@needs_soffice
def test_damaged_old_word_file_fails_conversion_with_its_reason(tmp_path):
    bad = tmp_path / "bad.doc"
    bad.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600)
    with pytest.raises(Unreadable) as info:
        convert_to_docx(bad, tmp_path / "work", timeout_s=120)
    assert info.value.code == "conversion_failed" and "could not be loaded" in info.value.message


def test_without_soffice_the_file_is_refused_saying_how_to_fix_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert not soffice_available()
    doc = tmp_path / "old.doc"
    doc.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1"))
    with pytest.raises(Unreadable) as info:
        convert_to_docx(doc, tmp_path / "work", timeout_s=5)
    assert info.value.code == "no_converter"
    assert "apt-get install libreoffice-writer-nogui" in info.value.message and ".docx" in info.value.message


def test_a_hung_conversion_is_killed_with_its_children(tmp_path, monkeypatch):
    """A converter that never finishes: the timeout kills it and the process it started (soffice.bin)."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    child_pid = tmp_path / "child.pid"
    hung = bindir / "soffice"
    hung.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {child_pid}\nwait\n")
    hung.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    doc = tmp_path / "old.doc"
    doc.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1"))
    started = time.monotonic()
    with pytest.raises(Unreadable) as info:
        convert_to_docx(doc, tmp_path / "work", timeout_s=1)
    assert info.value.code == "conversion_failed" and "convert_timeout_s" in info.value.message
    assert time.monotonic() - started < 30
    assert _gone(int(child_pid.read_text()), within_s=10)


def _gone(pid: int, within_s: float) -> bool:
    """True once the process has exited (a zombie waiting to be reaped counts as exited)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
                return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


@needs_soffice
def test_parallel_conversions_do_not_share_a_profile(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    doc = _make_doc(tmp_path)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda i: convert_to_docx(doc, tmp_path / f"w{i}", 120), range(2)))
    texts = {decode_document(r, "x.docx", max_bytes=1 << 20) for r in results}
    assert len(texts) == 1 and "青山镇" in texts.pop()
