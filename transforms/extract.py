"""One report's normalized text -> an Extraction: metadata, sections and figures.

`Extractor(catalog)` builds the jieba segmenter once; keep one per process and call `.extract` per
report. Pure: no file, database or network access.
"""
from __future__ import annotations

from transforms.catalog import Catalog
from transforms.figures import FigureReader
from transforms.metadata import read_metadata
from transforms.model import Extraction
from transforms.segment import Segmenter
from transforms.sentences import sentences, split_sections


class Extractor:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._reader = FigureReader(catalog, Segmenter(catalog))

    def extract(self, text: str, known: frozenset[str] = frozenset()) -> Extraction:
        """Metadata, sections and figures of one report; `known` are the roster's township names."""
        meta = read_metadata(text, known)
        sections = split_sections(text, meta.year)
        figures = self._reader.figures(text, sentences(text, sections, meta.year))
        return Extraction(township=meta.township, county=meta.county, city=meta.city, year=meta.year,
                          figures=figures, sections=sections, metadata=meta)
