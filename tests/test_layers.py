"""The packages import downward only: settings ← transforms ← expectations, warehouse ← flows ← fazhi (the CLI)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import REPO

PROJECT = ("settings", "transforms", "expectations", "warehouse", "flows", "fazhi", "benchmarks", "tests")
MAY_IMPORT = {
    "settings": set(),
    "transforms": {"settings"},
    "expectations": {"settings", "transforms"},
    "warehouse": {"settings", "transforms"},
    "flows": {"settings", "transforms", "expectations", "warehouse"},
}


def _imported_packages(path: Path) -> set[str]:
    """Project packages a module imports anywhere in it (functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(PROJECT)


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_a_layer_imports_only_the_layers_below_it(package):
    upward = {str(p.relative_to(REPO)): sorted(_imported_packages(p) - MAY_IMPORT[package] - {package})
              for p in (REPO / package).rglob("*.py")}
    assert not {k: v for k, v in upward.items() if v}, "imports of a layer above"


def test_the_layer_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from fazhi.config import load_config\n", encoding="utf-8")
    assert _imported_packages(module) == {"fazhi"}
