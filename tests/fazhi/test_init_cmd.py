"""`fazhi init`: a county folder from the shipped defaults; and the wheel, installed away from the checkout."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb

from settings.config import DEFAULT_CATALOG, DEFAULT_CONFIG
from tests.helpers import REPO, SAMPLE_INBOX

SHARED_REPORTS = REPO.parent / "shared" / "reports"   # the five samples as the office sent them


def test_init_writes_the_commented_defaults_and_an_empty_inbox(fazhi_cli, tmp_path):
    proc = fazhi_cli("init", "county")
    assert proc.returncode == 0, proc.stderr
    county = tmp_path / "county"
    assert (county / "fazhi.toml").read_bytes() == DEFAULT_CONFIG.read_bytes()
    assert (county / "metrics.toml").read_bytes() == DEFAULT_CATALOG.read_bytes()
    assert "# " in (county / "fazhi.toml").read_text(encoding="utf-8"), "the defaults keep their comments"
    assert (county / "inbox").is_dir() and not any((county / "inbox").iterdir())


def test_init_never_overwrites_a_county_s_files_unless_forced(fazhi_cli, tmp_path):
    county = tmp_path / "county"
    county.mkdir()
    (county / "fazhi.toml").write_text("[extract]\nworkers = 7\n", encoding="utf-8")
    proc = fazhi_cli("init", "county")
    assert proc.returncode == 2 and "already exist" in proc.stderr and "--force" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (county / "fazhi.toml").read_text(encoding="utf-8") == "[extract]\nworkers = 7\n"
    assert not (county / "metrics.toml").exists(), "nothing was written"
    assert fazhi_cli("init", "county", "--force").returncode == 0
    assert (county / "fazhi.toml").read_bytes() == DEFAULT_CONFIG.read_bytes()


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def test_a_wheel_installs_outside_the_checkout_and_runs_a_new_county(tmp_path):
    """Build the wheel, install it into a fresh venv (pinned), `fazhi init county`, copy the samples, `fazhi run`."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["COLUMNS"] = "200"
    source = tmp_path / "src"   # a copy, so the build leaves nothing in the checkout
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "var", "build", "*.egg-info", "out", "__pycache__", ".pytest_cache"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(source)],
         tmp_path, env, 600)
    [wheel] = (tmp_path / "dist").glob("fazhi-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read("settings/fazhi.toml") == (REPO / "fazhi.toml").read_bytes()
        assert zf.read("settings/metrics.toml") == (REPO / "metrics.toml").read_bytes()

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path, env, 300)
    _run([str(venv / "bin" / "pip"), "install", "-q", "-c", str(REPO / "constraints.txt"), str(wheel)],
         tmp_path, env, 1200)
    where = _run([str(venv / "bin" / "python"), "-c", "import settings, flows; print(settings.__file__)"],
                 tmp_path, env, 60).stdout.strip()
    assert Path(where).is_relative_to(venv), f"imported from {where}, not from the installed wheel"

    fazhi = str(venv / "bin" / "fazhi")
    _run([fazhi, "init", "county"], tmp_path, env, 120)
    county = tmp_path / "county"
    samples = SHARED_REPORTS if SHARED_REPORTS.is_dir() else SAMPLE_INBOX
    for report in sorted(samples.iterdir()):
        shutil.copyfile(report, county / "inbox" / report.name)
    run = _run([fazhi, "run"], county, env, 600)
    assert "reports loaded" in run.stdout

    con = duckdb.connect(str(county / "var" / "fazhi.duckdb"), read_only=True)
    try:
        townships = {r[0] for r in con.sql("SELECT township FROM reports WHERE is_current").fetchall()}
        [(figures,)] = con.sql("SELECT count(*) FROM metrics").fetchall()
    finally:
        con.close()
    assert townships == {"中梁镇", "北屏乡", "齐村镇", "昭化镇", "罗田镇"}
    assert figures > 30
