"""Find the report files of an inbox: every regular file below it, hashed, with a county hint from its folders.

Files in subfolders count. A folder named like a county (城口县, 昭化区, 句容市, 科尔沁右翼前旗) supplies the
county of the reports below it; the nearest such folder wins. Links are resolved: a link to a file inside
the inbox is read, a link that leads out of the inbox is skipped and said so, linked folders are never
entered (their files are read where they really are, and a loop cannot arise). Hidden files and the lock
files Word, WPS and LibreOffice leave next to open documents are skipped.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

COUNTY_SUFFIXES = ("区", "县", "市", "旗")
_LOCK_PREFIXES = (".", "~$", ".~lock")
_SYSTEM_FILES = frozenset({"Thumbs.db", "desktop.ini"})
_HASH_CHUNK = 1 << 20


class InboxMissing(FileNotFoundError):
    """The inbox folder itself is not there: an input error, never retried (a share that blinks is an OSError
    while walking a folder that exists)."""


@dataclass(frozen=True)
class InboxFile:
    """One file to consider: where it is, what it holds (sha256) and the county its folders name."""

    path: Path
    rel_path: str
    size: int
    sha256: str
    county_hint: str | None


def discover(inbox: Path) -> tuple[list[InboxFile], list[tuple[str, str]]]:
    """Files of the inbox sorted by relative path, and the (relative path, reason) of those skipped."""
    root = inbox.resolve()
    if not root.is_dir():
        raise InboxMissing(f"inbox folder {inbox} does not exist; create it or pass --inbox DIR "
                                "(or set [paths] inbox in fazhi.toml)")
    files: list[InboxFile] = []
    skipped: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        for name in list(dirnames):
            reason = _skip_dir(here / name, root)
            if reason:
                dirnames.remove(name)
                skipped.append(((here / name).relative_to(root).as_posix(), reason))
        dirnames.sort()
        for name in sorted(filenames):
            rel = (here / name).relative_to(root).as_posix()
            reason = _skip_file(here / name, root)
            if reason is None:
                try:
                    files.append(_inbox_file(here / name, rel))
                except OSError as exc:
                    reason = f"cannot be read ({exc.strerror}); check its permissions"
            if reason:
                skipped.append((rel, reason))
    return sorted(files, key=lambda f: f.rel_path), sorted(skipped)


def county_hint(rel_path: str) -> str | None:
    """The nearest enclosing folder named like a county, if any."""
    for folder in reversed(Path(rel_path).parent.parts):
        if folder.endswith(COUNTY_SUFFIXES) and len(folder) > 1:
            return folder
    return None


def _link_problem(path: Path, root: Path, kind: str, advice: str) -> str | None:
    """Why a link cannot be followed (broken, looping, or leading out of the inbox), else None."""
    target = _target(path)
    if target is None:
        return "broken or looping link"
    if not target.is_relative_to(root):
        return f"link to {kind} outside the inbox ({target}); {advice}"
    return None


def _skip_dir(path: Path, root: Path) -> str | None:
    if path.name.startswith("."):
        return "hidden folder"
    if path.is_symlink():
        return (_link_problem(path, root, "a folder", "move the reports into the inbox")
                or "link to a folder of the inbox; its files are read where they are")
    return None


def _skip_file(path: Path, root: Path) -> str | None:
    name = path.name
    if name.startswith(_LOCK_PREFIXES) or name in _SYSTEM_FILES:
        return "hidden, system or lock file"
    if path.is_symlink():
        problem = _link_problem(path, root, "a file", "copy the file into the inbox instead")
        if problem:
            return problem
    if not path.is_file():
        return "not a regular file"
    return None


def _target(link: Path) -> Path | None:
    try:
        return link.resolve(strict=True)
    except (OSError, RuntimeError):  # missing target, or a loop (RuntimeError before Python 3.13)
        return None


def _inbox_file(path: Path, rel: str) -> InboxFile:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return InboxFile(path=path, rel_path=rel, size=size, sha256=digest.hexdigest(), county_hint=county_hint(rel))
