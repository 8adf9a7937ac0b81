"""How an exception reads to a user: one line, never a traceback (CLI errors, quarantine reasons, query errors)."""
from __future__ import annotations


def one_line(exc: BaseException, with_type: bool = False) -> str:
    """The first line of the exception's message (its type's name when it has none); `with_type` puts the
    type's name in front, for a library's message that does not say where it came from."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    if not first:
        return type(exc).__name__
    return f"{type(exc).__name__}: {first}" if with_type else first
