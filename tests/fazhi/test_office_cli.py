"""`fazhi metrics`, `--version` and `--help` as a user runs them (the real console script)."""
from __future__ import annotations

import json
import re

import pytest

from fazhi.config import load_config
from transforms.catalog import load_catalog

COMMANDS = ("run", "extract", "sql", "eval", "trends", "report", "export", "serve", "status", "alerts", "review",
            "resolve", "correct", "metrics")


def test_metrics_lists_key_label_unit_and_required(fazhi_cli):
    proc = fazhi_cli("metrics", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    cfg = load_config()
    catalog = load_catalog(cfg.catalog)
    assert [r["key"] for r in rows] == catalog.keys()
    by_key = {r["key"]: r for r in rows}
    assert by_key["disputes_mediated"]["中文"] == "人民调解纠纷件数" and by_key["disputes_mediated"]["unit"] == "件"
    assert {k for k, r in by_key.items() if r["required"]} == set(cfg.required_metrics)


def test_version(fazhi_cli):
    proc = fazhi_cli("--version")
    assert proc.returncode == 0 and re.fullmatch(r"fazhi \d+\.\d+\.\d+\S*\n", proc.stdout)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_speaks_no_python(fazhi_cli, command):
    proc = fazhi_cli(command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert not re.search(r"<(str|int|float|bool|path|list\[[a-z]+\])>", proc.stdout), proc.stdout
    assert "Optional[" not in proc.stdout and "NoneType" not in proc.stdout
