from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import asdict
from pathlib import Path

import pytest

from flows.discover import InboxFile, county_hint, discover


def _write(path: Path, text: str = "青山镇2022年法治政府建设情况报告") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_files_in_subfolders_count_sorted_with_size_and_hash(tmp_path):
    _write(tmp_path / "b.txt", "乙")
    _write(tmp_path / "2022" / "z.txt", "丙丙")
    _write(tmp_path / "a" / "deep" / "er" / "c.docx", "丁")
    files, skipped = discover(tmp_path)
    assert [f.rel_path for f in files] == ["2022/z.txt", "a/deep/er/c.docx", "b.txt"]
    z = files[0]
    assert z.size == len("丙丙".encode()) and z.sha256 == hashlib.sha256("丙丙".encode()).hexdigest()
    assert z.path.read_text(encoding="utf-8") == "丙丙"
    assert skipped == []


def test_nearest_folder_named_like_a_county_gives_the_hint(tmp_path):
    _write(tmp_path / "广元市" / "昭化区" / "2021" / "r.txt")
    _write(tmp_path / "城口县" / "r.txt")
    _write(tmp_path / "科右前旗" / "r.txt")
    _write(tmp_path / "收件" / "r.txt")
    _write(tmp_path / "句容市" / "r.txt")
    hints = {f.rel_path: f.county_hint for f in discover(tmp_path)[0]}
    assert hints == {"广元市/昭化区/2021/r.txt": "昭化区", "城口县/r.txt": "城口县", "科右前旗/r.txt": "科右前旗",
                     "收件/r.txt": None, "句容市/r.txt": "句容市"}


def test_a_file_name_is_no_county_hint():
    assert county_hint("城口县.txt") is None and county_hint("区/r.txt") is None


def test_symlink_out_of_the_inbox_is_skipped_with_its_reason(tmp_path):
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    secret = _write(outside / "secret.txt")
    _write(outside / "more" / "x.txt")
    _write(inbox / "ok.txt")
    (inbox / "link.txt").symlink_to(secret)
    (inbox / "linkdir").symlink_to(outside / "more", target_is_directory=True)
    files, skipped = discover(inbox)
    assert [f.rel_path for f in files] == ["ok.txt"]
    reasons = dict(skipped)
    assert set(reasons) == {"link.txt", "linkdir"}
    assert all("outside the inbox" in r for r in reasons.values())


def test_symlink_inside_the_inbox_is_read_and_loops_do_not_hang(tmp_path):
    real = _write(tmp_path / "sub" / "real.txt")
    (tmp_path / "alias.txt").symlink_to(real)
    (tmp_path / "sub" / "back").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    files, skipped = discover(tmp_path)
    assert [f.rel_path for f in files] == ["alias.txt", "sub/real.txt"]
    assert files[0].sha256 == files[1].sha256
    assert {p for p, _ in skipped} == {"sub/back", "loop.txt", "gone.txt"}


def test_hidden_and_lock_files_are_skipped(tmp_path):
    _write(tmp_path / "r.docx")
    for name in (".DS_Store", "~$r.docx", ".~lock.r.docx#", "Thumbs.db"):
        _write(tmp_path / name, "x")
    _write(tmp_path / ".git" / "config", "x")
    files, skipped = discover(tmp_path)
    assert [f.rel_path for f in files] == ["r.docx"]
    assert {p for p, _ in skipped} == {".DS_Store", "~$r.docx", ".~lock.r.docx#", "Thumbs.db", ".git"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of permissions")
def test_unreadable_file_is_skipped_not_fatal(tmp_path):
    locked = _write(tmp_path / "locked.txt")
    _write(tmp_path / "ok.txt")
    locked.chmod(0)
    files, skipped = discover(tmp_path)
    assert [f.rel_path for f in files] == ["ok.txt"] and skipped[0][0] == "locked.txt"


def test_a_pipe_is_skipped_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    _write(tmp_path / "ok.txt")
    files, skipped = discover(tmp_path)
    assert [f.rel_path for f in files] == ["ok.txt"] and skipped == [("pipe.txt", "not a regular file")]


def test_missing_inbox_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="--inbox"):
        discover(tmp_path / "nope")


def test_inbox_file_crosses_processes_and_becomes_a_dict(tmp_path):
    _write(tmp_path / "城口县" / "r.txt")
    item = discover(tmp_path)[0][0]
    assert pickle.loads(pickle.dumps(item)) == item
    assert asdict(item)["county_hint"] == "城口县" and isinstance(item, InboxFile)
