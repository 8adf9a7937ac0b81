"""`--help` in words a user knows: FILE, TEXT, N — never Python type names (<str>, <list[str]>, <bool>).

Typer 0.29 shows the annotation's Python type for every option without an explicit metavar (and for flags,
--help included). An explicit metavar on every option would still leave --help itself, so the two param
classes get one small replacement of `display_type_rich`, Typer's hook for that column."""
from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperOption

WORDS = {"str": "TEXT", "int": "N", "float": "NUMBER", "path": "PATH", "file": "FILE", "directory": "DIR",
         "datetime": "DATE"}


def _word(param: Any, ctx: Any) -> str | None:
    if isinstance(param, TyperArgument):   # its name is already shown in capitals
        return None
    if param.metavar is not None:
        return param.metavar
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    label = param.display_type(ctx).strip("<>")
    many = label.startswith("list[")
    inner = label.removeprefix("list[").removesuffix("]")
    word = WORDS.get(inner.lower(), inner.upper() if "|" not in inner else inner)
    return f"{word}..." if many or param.nargs != 1 else word


def plain_metavars() -> None:
    TyperOption.display_type_rich = _word
    TyperArgument.display_type_rich = _word
