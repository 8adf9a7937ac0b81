"""fazhi.toml: the bundled defaults, a user's file over them, and clear errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.config import DEFAULT_CONFIG, ConfigError, load_config


def test_bundled_defaults_resolve_against_the_repo():
    cfg = load_config(DEFAULT_CONFIG)
    assert cfg.db == DEFAULT_CONFIG.parent / "var" / "fazhi.duckdb"
    assert cfg.catalog == DEFAULT_CONFIG.parent / "metrics.toml"
    assert "publicity_events" in cfg.required_metrics


def test_user_file_overrides_only_what_it_sets(write_config, tmp_path: Path):
    cfg = load_config(write_config('[paths]\ndb = "w/x.duckdb"\n[required]\nmetrics = ["legal_advisers"]\n'))
    assert cfg.db == tmp_path / "w" / "x.duckdb"
    assert cfg.catalog == DEFAULT_CONFIG.parent / "metrics.toml"   # not set by the user: the bundled one
    assert cfg.required_metrics == ["legal_advisers"]
    assert cfg.section("extract")["batch_size"] > 0


def test_roster_maps_townships_to_their_county(write_config):
    cfg = load_config(write_config('[roster.counties]\n"城口县" = ["北屏乡", "高观镇"]\n'))
    assert cfg.township_county == {"北屏乡": "城口县", "高观镇": "城口县"}


@pytest.mark.parametrize("text, words", [(None, "does not exist"), ("[paths\n", "not valid TOML")])
def test_bad_config_names_the_file_and_the_problem(write_config, tmp_path: Path, text, words):
    path = tmp_path / "missing.toml" if text is None else write_config(text)
    with pytest.raises(ConfigError, match=words) as info:
        load_config(path)
    assert str(path.resolve()) in str(info.value)
