"""Reading a test corpus folder — `reports/`, `gold/*.csv` and the file table of its README.md — for the
well-formedness tests of every corpus (tests/data/corpus, holdout, holdout2)."""
from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from docx import Document


def read_gold(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / "gold" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def declared_encodings(folder: Path, *, encodings: frozenset[str]) -> dict[str, str]:
    """file -> encoding, from the `| file | encoding | exercises |` table of the folder's README."""
    rows = {}
    for line in (folder / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[1] in encodings:
            rows[cells[0]] = cells[1]
    return rows


def docx_text(path: Path) -> str:
    """Paragraphs, then table cells, one per line (how the corpus READMEs define docx text)."""
    document = Document(str(path))
    lines = [paragraph.text for paragraph in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


@cache
def report_text(folder: Path, name: str, *, encodings: frozenset[str]) -> str:
    """A report's text, decoded with the encoding its README declares."""
    path = folder / "reports" / name
    encoding = declared_encodings(folder, encodings=encodings)[name]
    if encoding == "docx":
        return docx_text(path)
    return path.read_bytes().decode(encoding)
