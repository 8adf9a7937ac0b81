"""Normalize decoded report text; the result is what the warehouse stores and evidence offsets point into.

Deliberately not NFKC: NFKC would turn the Chinese punctuation ，：；（） into ASCII, and extraction
splits clauses and finds headings on those marks. Only what varies between word processors without
changing meaning is folded:

- full-width digits and Latin letters -> ASCII (２０２１ -> 2021), full-width ％ -> %, and a full-width
  full stop between digits -> "." (９７．９％ -> 97.9%);
- every kind of space (ideographic, no-break, tab, ...) -> one ASCII space, runs collapsed, lines trimmed;
- conversion artefacts removed: `[bookmark: _GoBack]` and other bookmark markers, zero-width characters,
  byte-order marks, soft hyphens; form feeds (PDF page breaks) become line breaks;
- CRLF / CR -> LF, at most one blank line in a row, no blank lines at the start or end;
- a report written in traditional characters (鎮, 鄉, 調解, 糾紛, 復議) is folded to simplified with OpenCC
  (`t2s`), so names, triggers and the gazetteer match it as they match its simplified twin. The stored text is
  the folded one, so evidence offsets point into what the warehouse keeps. A simplified report is left alone:
  t2s would also rewrite the odd variant character in a name, so it runs only on text that reads as traditional.
"""
from __future__ import annotations

import re
from functools import cache

import opencc

_FULLWIDTH_OFFSET = 0xFEE0  # distance from a full-width form (U+FF01..U+FF5E) to its ASCII twin
_FULLWIDTH_RANGES = ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))  # digits, A-Z, a-z

_FOLD = {cp: cp - _FULLWIDTH_OFFSET for lo, hi in _FULLWIDTH_RANGES for cp in range(lo, hi + 1)}
_FOLD[ord("％")] = ord("%")
_DELETE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_TABLE = {**_FOLD, **_DELETE, ord("\f"): "\n", ord("\v"): "\n", 0x2028: "\n", 0x2029: "\n"}

_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]")
_DECIMAL_POINT = re.compile(r"(?<=\d)．(?=\d)")
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace except the line break: tab, U+3000, U+00A0, ...
_BLANK_RUNS = re.compile(r"\n{3,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
TRADITIONAL_SHARE = 0.02  # a text is traditional when t2s changes at least this share of its Chinese characters


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold_traditional(text: str) -> str:
    """`text` in simplified characters when it is written in traditional ones, else `text` unchanged."""
    cjk = len(_CJK.findall(text))
    if not cjk:
        return text
    folded = _t2s().convert(text)
    if len(folded) != len(text):   # a phrase of another length was rewritten: only traditional text has those
        return folded
    changed = sum(a != b for a, b in zip(text, folded))
    return folded if changed >= TRADITIONAL_SHARE * cjk else text


def normalize_text(text: str) -> str:
    """Return `text` folded as described in the module docstring (idempotent)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = fold_traditional(_BOOKMARK.sub("", text.translate(_TABLE)))
    text = _DECIMAL_POINT.sub(".", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
