"""Settle a report's metadata from every source the county has, and say where each field came from.

The text is read first (`metadata.read_metadata`); what it leaves open comes from the file's name
(`X镇2020年法治政府建设情况报告.docx`), the inbox folder (`城口县/`), the county's roster, or an operator's
override, in the order metrics.md gives. A roster, when the county keeps one, is the strongest evidence: a
rostered township named in the text or the file name wins, and a name that is not on it is suspect. A report
whose township or year cannot be settled is not loaded under a guess: it is kept for review with the
candidates found (`problem`), never thrown away.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from transforms.metadata import Metadata, read_metadata

SOURCES = ("override", "text", "file_name", "folder", "roster")
PROBLEMS = {
    "no_township": "no township name (乡/镇/街道/苏木) was found in the text, the file name or the inbox folder",
    "no_year": "no report year was found in the title, the opening or the file name",
    "not_on_roster": "the township read from the report is not on the county's roster in fazhi.toml",
}
PROBLEM_LABELS = {"no_township": "未能确定乡镇名称", "no_year": "未能确定报告年度",
                  "not_on_roster": "乡镇名称不在本县花名册中"}   # for alerts and the people who read them
_FILE_NAME_NOISE = re.compile(r"[_\-—–\s（）()【】\[\]]+")


@dataclass(frozen=True)
class Override:
    """Metadata an operator supplied for one file content (the `overrides` table); a None field is not set."""

    township: str | None = None
    county: str | None = None
    city: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Sources:
    """What the county knows about a file besides its text."""

    rel_path: str                                   # the file's path below the inbox
    folder_county: str | None = None                # a folder named like a county (城口县/)
    roster: dict[str, str] = field(default_factory=dict)   # township -> county, from fazhi.toml [roster]
    override: Override | None = None


@dataclass(frozen=True)
class Settled:
    township: str | None
    township_source: str | None
    county: str | None
    county_source: str | None
    city: str | None
    year: int | None
    year_source: str | None
    problem: str | None = None                      # a key of PROBLEMS: the report waits for a person
    candidates: dict[str, list] = field(default_factory=dict)

    @property
    def message(self) -> str | None:
        return PROBLEMS[self.problem] if self.problem else None


def settle(meta: Metadata, sources: Sources) -> Settled:
    """The report's township, county, city and year, each with its source (text/file_name/folder/roster/
    override), or a `problem` with the candidates a person needs to decide."""
    path = PurePosixPath(sources.rel_path)
    from_name = read_metadata(_title_of(path.stem), frozenset(sources.roster))
    from_folders = [read_metadata(part, frozenset(sources.roster)) for part in reversed(path.parts[:-1])]
    township, township_source = _township(meta, from_name, from_folders, sources)
    year, year_source = _first((sources.override and sources.override.year, "override"), (meta.year, "text"),
                               (from_name.year, "file_name"))
    county, county_source = _first((sources.override and sources.override.county, "override"),
                                   (meta.county, "text"), (sources.folder_county, "folder"),
                                   (sources.roster.get(township or ""), "roster"))
    city, _ = _first((sources.override and sources.override.city, "override"), (meta.city, "text"))
    settled = Settled(township, township_source, county, county_source, city, year, year_source)
    problem = _problem(settled, sources)
    if problem is None:
        return settled
    return Settled(township, township_source, county, county_source, city, year, year_source, problem,
                   _candidates(meta, from_name, from_folders))


def _title_of(stem: str) -> str:
    """A file name read as a report title: 北屏乡_2020年度_法治政府建设报告 -> 北屏乡2020年度法治政府建设报告."""
    return _FILE_NAME_NOISE.sub("", stem)


def _township(meta: Metadata, from_name: Metadata, from_folders: list[Metadata],
              sources: Sources) -> tuple[str | None, str | None]:
    if sources.override and sources.override.township:
        return sources.override.township, "override"
    if sources.roster:
        on_roster = [c.name for c in meta.candidates if c.name in sources.roster]
        if on_roster:
            return on_roster[0], "text"
        if from_name.township in sources.roster:
            return from_name.township, "file_name"
    folder = next((m.township for m in from_folders if m.township), None)
    return _first((meta.township, "text"), (from_name.township, "file_name"), (folder, "folder"))


def _first(*options: tuple[object, str]) -> tuple:
    for value, source in options:
        if value:
            return value, source
    return None, None


def _problem(settled: Settled, sources: Sources) -> str | None:
    if settled.township is None:
        return "no_township"
    if settled.year is None:
        return "no_year"
    if settled.township_source != "override" and sources.roster and settled.township not in sources.roster \
            and (settled.county is None or settled.county in sources.roster.values()):
        return "not_on_roster"
    return None


def _candidates(meta: Metadata, from_name: Metadata, from_folders: list[Metadata]) -> dict[str, list]:
    townships = [c.name for c in meta.candidates] + [m.township for m in (from_name, *from_folders) if m.township]
    years = [y for y in (meta.year, *meta.years, from_name.year) if y]
    return {"townships": list(dict.fromkeys(townships)), "years": list(dict.fromkeys(years))}
