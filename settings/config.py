"""Load `fazhi.toml`: the shipped file holds every default, a user's file overrides some keys.

The shipped `fazhi.toml` and `metrics.toml` are package data of this package (in the repository they are
links to the files at its root, the one copy people edit). A relative path is resolved against the folder
of the file that sets it; a path the user's file leaves out is resolved against the user's folder (the
folder of that fazhi.toml, else the working folder), so `fazhi init county` makes a self-contained county
folder. The catalog alone falls back to the shipped metrics.toml when that folder has none.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_CONFIG = PACKAGE_DIR / "fazhi.toml"     # the shipped defaults, every key commented
DEFAULT_CATALOG = PACKAGE_DIR / "metrics.toml"  # the shipped metric catalog
CONFIG_NAME = "fazhi.toml"


class ConfigError(Exception):
    """The configuration file is missing or says something we cannot use."""


@dataclass(frozen=True)
class Config:
    """The merged settings, with every path made absolute."""

    source: Path
    raw: dict[str, Any] = field(repr=False)
    inbox: Path
    db: Path
    catalog: Path
    data_docs: Path
    charts: Path
    dashboard: Path

    def section(self, name: str) -> dict[str, Any]:
        return self.raw.get(name, {})

    @property
    def required_metrics(self) -> list[str]:
        return list(self.raw["required"]["metrics"])

    @property
    def max_file_bytes(self) -> int:
        return int(self.raw["read"]["max_file_mb"] * 1024 * 1024)

    @property
    def roster(self) -> dict[str, list[str]]:
        """County → its townships (empty when the county keeps no roster here)."""
        return {k: list(v) for k, v in self.raw["roster"].get("counties", {}).items()}

    @property
    def township_county(self) -> dict[str, str]:
        return {t: c for c, towns in self.roster.items() for t in towns}

    def with_overrides(self, *, inbox: Path | None = None, db: Path | None = None) -> "Config":
        changes = {k: v.resolve() for k, v in (("inbox", inbox), ("db", db)) if v is not None}
        return Config(**{**self.__dict__, **changes})


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist: pass --config with an existing fazhi.toml") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML ({exc}): fix the line named") from None


def load_config(path: Path | None = None) -> Config:
    """Read the shipped defaults, then `path` (or ./fazhi.toml when present) over them."""
    raw = _read_toml(DEFAULT_CONFIG)
    if path is None and Path(CONFIG_NAME).is_file():
        path = Path(CONFIG_NAME)
    source = Path(path).resolve() if path else DEFAULT_CONFIG
    home = source.parent if path else Path.cwd()
    paths = _resolve_paths(raw, home)
    if not paths["catalog"].is_file():
        paths["catalog"] = DEFAULT_CATALOG
    if source != DEFAULT_CONFIG:
        user = _read_toml(source)
        raw = _merge(raw, user)
        paths.update(_resolve_paths(user, source.parent))
    return Config(source=source, raw=raw, **paths)


def _resolve_paths(raw: dict[str, Any], base: Path) -> dict[str, Path]:
    """A relative path is relative to the folder of the file that sets it."""
    return {k: (base / v).resolve() for k, v in raw.get("paths", {}).items()}
