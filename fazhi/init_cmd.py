"""`fazhi init [DIR]`: a new county folder with the shipped, commented fazhi.toml and metrics.toml and inbox/."""
from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from settings.config import CONFIG_NAME, DEFAULT_CATALOG, DEFAULT_CONFIG


class InitError(Exception):
    """The folder cannot be set up as asked (a file would be overwritten, a path is not a folder)."""


def init_county(folder: Path, *, force: bool = False) -> list[Path]:
    """Write fazhi.toml, metrics.toml and an empty inbox/ into `folder`; return what was created."""
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} exists and is not a folder: choose another DIR for `fazhi init`")
    targets = {folder / CONFIG_NAME: DEFAULT_CONFIG, folder / DEFAULT_CATALOG.name: DEFAULT_CATALOG}
    existing = [str(p) for p in targets if p.exists()]
    if existing and not force:
        raise InitError(f"{', '.join(existing)} already exist(s): nothing was written; "
                        "pass --force to replace them with the shipped defaults")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for target, source in targets.items():
        shutil.copyfile(source, target)
        written.append(target)
    inbox = folder / tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))["paths"]["inbox"]
    if not inbox.is_dir():
        inbox.mkdir()
        written.append(inbox)
    return written
