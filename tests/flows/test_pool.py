"""The extraction pool: each file is its own failure domain. Real worker processes, real poison files; the
faults a library could cause (an exception, `os._exit`, a hang, a memory hog) are injected into the workers by
tests/faults/sitecustomize.py, since a monkeypatch in this process never reaches a spawned worker."""
from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path

import pytest

from fazhi.config import load_config
from flows.discover import discover
from flows.pool import ExtractPool, PoolLimits, read_limits
from flows.work import WorkSettings
from tests.helpers import SAMPLE_INBOX, fault_env, make_report, many_page_pdf, zip_bomb_docx

LIMITS = PoolLimits.from_section(load_config().section("extract"))


def _settings() -> WorkSettings:
    cfg = load_config()
    return WorkSettings(str(cfg.catalog), cfg.max_file_bytes, cfg.section("read")["convert_timeout_s"], {},
                        limits=read_limits(cfg.section("read")))


def _run(inbox: Path, limits: PoolLimits = LIMITS, workers: int = 2, settings: WorkSettings | None = None):
    files, _ = discover(inbox)
    with ExtractPool(settings or _settings(), workers, limits) as pool:
        batch = pool.run_batch(files)
    return {o["file"]["rel_path"]: o for o in batch.outcomes}, batch


@pytest.fixture
def faults(monkeypatch):
    """Activate tests/faults in every worker the pool spawns (they inherit this process's environment)."""
    def activate(**named) -> None:
        for key, value in fault_env(**named).items():
            monkeypatch.setenv(key, value)
    return activate


def _poison_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    zip_bomb_docx(inbox / "bomb.docx")
    many_page_pdf(inbox / "long.pdf")
    (inbox / "raises.txt").write_text(make_report("异常镇").replace("现将有关情况报告如下", "现将有关情况报告如下（RAISE）"),
                                      encoding="utf-8")
    (inbox / "dies.txt").write_text(make_report("崩溃镇") + "\nEXIT\n", encoding="utf-8")
    (inbox / "hog.txt").write_text(make_report("内存镇") + "\nHOG\n", encoding="utf-8")
    (inbox / "endless.txt").write_text(make_report("漫长镇") + "。" + "这一句话一直重复下去" * 120_000, encoding="utf-8")
    return inbox


def test_every_poison_file_costs_only_itself(tmp_path, faults):
    faults(extract_raise="RAISE", extract_exit="EXIT", extract_hog="HOG")
    outcomes, batch = _run(_poison_inbox(tmp_path))
    codes = {path: o["reason_code"] for path, o in outcomes.items()}
    assert codes == {**{p.name: None for p in SAMPLE_INBOX.iterdir()},
                     "bomb.docx": "too_large_unpacked", "long.pdf": "too_many_pages", "raises.txt": "extract_error",
                     "dies.txt": "worker_died", "hog.txt": "out_of_memory", "endless.txt": "too_much_text"}
    assert batch.frames["reports"].height == 5
    assert "RuntimeError: injected fault" in outcomes["raises.txt"]["reason"]
    assert "\n" not in outcomes["raises.txt"]["reason"]
    assert "3,000 pages" in outcomes["long.pdf"]["reason"] and "max_pdf_pages" in outcomes["long.pdf"]["reason"]
    assert "max_unpacked_mb" in outcomes["bomb.docx"]["reason"]
    assert "exit code 3" in outcomes["dies.txt"]["reason"]


def test_a_file_over_its_time_budget_is_quarantined_too_slow_and_the_rest_go_on(tmp_path, faults):
    faults(extract_sleep="SLOW")
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    (inbox / "slow.txt").write_text(make_report("缓慢镇") + "\nSLOW\n", encoding="utf-8")
    outcomes, batch = _run(inbox, dataclasses.replace(LIMITS, file_timeout_s=5), workers=1)
    assert outcomes["slow.txt"]["reason_code"] == "too_slow"
    assert "file_timeout_s" in outcomes["slow.txt"]["reason"]
    assert batch.frames["reports"].height == 5   # one worker: its replacement read the files after the slow one


def test_workers_are_recycled_after_their_quota_of_files(tmp_path, faults):
    seen = tmp_path / "pids"
    seen.mkdir()
    faults(extract_pids=str(seen))
    _, batch = _run(SAMPLE_INBOX, dataclasses.replace(LIMITS, worker_max_files=2), workers=1)
    assert batch.frames["reports"].height == 5
    pids = {name.split("-")[0] for name in (p.name for p in seen.iterdir())}
    assert len(list(seen.iterdir())) == 5 and len(pids) == 3   # 2 + 2 + 1 files


def test_results_come_back_in_the_order_of_the_files(tmp_path):
    files, _ = discover(SAMPLE_INBOX)
    with ExtractPool(_settings(), 2, LIMITS) as pool:
        batch = pool.run_batch(files)
    assert [o["file"]["sha256"] for o in batch.outcomes] == [f.sha256 for f in files]
    digests = [hashlib.sha256((SAMPLE_INBOX / name).read_bytes()).hexdigest()
               for name in sorted(p.name for p in SAMPLE_INBOX.iterdir())]
    assert sorted(batch.frames["reports"]["sha256"].to_list()) == sorted(digests)
