"""jieba word segmentation with a user dictionary generated from the metric catalog.

Each catalog phrase (行政复议, 人民调解, 法律顾问, 持证执法人员 ...) is added to a private
`jieba.Tokenizer` so it stays one token; the module-level jieba dictionary is never touched. The
prefix dictionary is built once per `Segmenter` (once per worker process); jieba's cache file goes
to the temp directory and its "Building prefix dict" chatter is silenced.
"""
from __future__ import annotations

import logging
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import jieba

from transforms.catalog import Catalog

_USER_WORD_FREQ = 200_000  # high enough that a catalog phrase beats jieba's own splits of it


@dataclass(frozen=True)
class Token:
    word: str
    start: int
    end: int


@contextmanager
def _quiet_jieba() -> Iterator[None]:
    """Raise jieba's logger above INFO while it builds its dictionary, then restore it."""
    logger = logging.getLogger("jieba")
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)


class Segmenter:
    """Tokenizes clauses; catalog phrases stay single tokens."""

    def __init__(self, catalog: Catalog) -> None:
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.tmp_dir = tempfile.gettempdir()
        with _quiet_jieba():
            self._tokenizer.initialize()
        for word in sorted(catalog.words()):
            self._tokenizer.add_word(word, freq=_USER_WORD_FREQ)

    def tokens(self, text: str, offset: int = 0) -> list[Token]:
        """Tokens of `text` with offsets shifted by `offset` (so they index the report text)."""
        return [Token(w, offset + s, offset + e) for w, s, e in self._tokenizer.tokenize(text, HMM=False)]

    def frequency(self, word: str) -> int:
        """How often jieba's dictionary has seen `word` (0 when it is no dictionary word)."""
        return self._tokenizer.FREQ.get(word) or 0

    def words(self, text: str) -> list[str]:
        return list(self._tokenizer.cut(text, HMM=False))
