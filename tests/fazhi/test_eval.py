"""`fazhi eval` as a user runs it: the real console script on the shared gold and on the corpus."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import CORPUS, REPO, SAMPLE_GOLD, SAMPLE_INBOX

SHARED_GOLD = REPO.parent / "shared" / "gold"


def _sample_gold() -> Path:
    """The shared gold of the five samples; its copy in tests/data when the shared folder is absent."""
    return SHARED_GOLD if SHARED_GOLD.is_dir() else SAMPLE_GOLD


def test_eval_passes_on_the_shared_gold(fazhi_cli):
    res = fazhi_cli("eval", "--gold", str(_sample_gold()), "--reports", str(SAMPLE_INBOX), "--min-f1", "0.95")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "overall" in res.stdout and "PASS" in res.stdout
    assert "township 100%" in res.stdout and "plan leakage: 0" in res.stdout
    assert "publicity_events" in res.stdout and "普法宣传活动次数" in res.stdout


@pytest.mark.parametrize("name, reports", [("corpus", 16), ("holdout", 10), ("holdout2", 8)])
def test_eval_passes_on_our_own_corpora(fazhi_cli, name: str, reports: int):
    folder = REPO / "tests" / "data" / name
    res = fazhi_cli("eval", "--gold", str(folder / "gold"), "--reports", str(folder / "reports"),
                    "--min-f1", "0.95")
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"figures of {reports} reports" in res.stdout and "PASS" in res.stdout


def test_eval_fails_and_lists_the_miss_when_gold_disagrees(fazhi_cli, tmp_path: Path):
    gold = tmp_path / "gold"
    shutil.copytree(_sample_gold(), gold)
    metrics = gold / "metrics.csv"
    text = metrics.read_text(encoding="utf-8")
    metrics.write_text(text.replace("000_fcd23b873e1ba4c9.txt,legal_opinions_issued,51,",
                                    "000_fcd23b873e1ba4c9.txt,legal_opinions_issued,52,"), encoding="utf-8")
    res = fazhi_cli("eval", "--gold", str(gold), "--reports", str(SAMPLE_INBOX), "--min-f1", "0.999")
    assert res.returncode == 1
    assert "missed:" in res.stdout and "legal_opinions_issued: gold 52, found 51" in res.stdout
    assert "法律意见书51份" in res.stdout and "FAIL" in res.stdout


def test_eval_says_what_is_missing_in_a_gold_folder(fazhi_cli, tmp_path: Path):
    res = fazhi_cli("eval", "--gold", str(tmp_path), "--reports", str(SAMPLE_INBOX))
    assert res.returncode == 2
    assert "reports.csv" in res.stderr and "missing" in res.stderr
