"""A hook the CLI sets to draw a progress bar; tasks report through it (no-op when unset)."""
from __future__ import annotations

from collections.abc import Callable

Reporter = Callable[[str, int, int], None]   # (stage, done, total)
_reporter: list[Reporter] = []


def set_reporter(fn: Reporter | None) -> None:
    _reporter.clear()
    if fn is not None:
        _reporter.append(fn)


def report(stage: str, done: int, total: int) -> None:
    for fn in _reporter:
        fn(stage, done, total)
