"""fazhi.toml: the bundled defaults, a user's file over them, and clear errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from settings.config import DEFAULT_CATALOG, DEFAULT_CONFIG, ConfigError, load_config
from tests.helpers import REPO


def test_without_a_fazhi_toml_the_defaults_resolve_against_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = load_config()
    assert cfg.source == DEFAULT_CONFIG
    assert (cfg.inbox, cfg.db) == (tmp_path / "inbox", tmp_path / "var" / "fazhi.duckdb")
    assert cfg.catalog == DEFAULT_CATALOG, "no metrics.toml here: the shipped catalog"
    assert "publicity_events" in cfg.required_metrics


def test_a_folder_with_its_own_catalog_uses_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "metrics.toml").write_bytes(DEFAULT_CATALOG.read_bytes())
    assert load_config().catalog == tmp_path / "metrics.toml"


def test_user_file_overrides_only_what_it_sets(write_config, tmp_path: Path):
    cfg = load_config(write_config('[paths]\ndb = "w/x.duckdb"\n[required]\nmetrics = ["legal_advisers"]\n'))
    assert cfg.db == tmp_path / "w" / "x.duckdb"
    assert cfg.inbox == tmp_path / "inbox", "a path the file leaves out is in the file's folder"
    assert cfg.catalog == DEFAULT_CATALOG   # not set by the user and none next to the file: the shipped one
    assert cfg.required_metrics == ["legal_advisers"]
    assert cfg.section("extract")["batch_size"] > 0


def test_the_shipped_defaults_are_the_files_at_the_repository_root():
    """One source of truth: the package's fazhi.toml and metrics.toml are the root files `make run` reads."""
    for name in ("fazhi.toml", "metrics.toml"):
        shipped = DEFAULT_CONFIG.parent / name
        assert shipped.read_bytes() == (REPO / name).read_bytes()
        assert shipped.resolve() == (REPO / name).resolve(), f"settings/{name} is a link to the root {name}"


def test_roster_maps_townships_to_their_county(write_config):
    cfg = load_config(write_config('[roster.counties]\n"城口县" = ["北屏乡", "高观镇"]\n'))
    assert cfg.township_county == {"北屏乡": "城口县", "高观镇": "城口县"}


@pytest.mark.parametrize("text, words", [(None, "does not exist"), ("[paths\n", "not valid TOML")])
def test_bad_config_names_the_file_and_the_problem(write_config, tmp_path: Path, text, words):
    path = tmp_path / "missing.toml" if text is None else write_config(text)
    with pytest.raises(ConfigError, match=words) as info:
        load_config(path)
    assert str(path.resolve()) in str(info.value)
