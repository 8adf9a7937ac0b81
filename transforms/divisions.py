"""Gazetteer of Chinese province-, prefecture- and county-level divisions (data/divisions.csv).

Report text runs names together (`广元市昭化区昭化镇人民政府`, `按照商丘市、虞城县关于…`); the gazetteer
tells where a name ends and whether a 市 is a prefecture city (广元市) or a county-level city (句容市).
It is static reference data shipped with the package, read once on first use.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

MUNICIPALITY_PROVINCES = ("11", "12", "31", "50")  # 北京 天津 上海 重庆: a province that is also a city


@dataclass(frozen=True)
class Division:
    code: str  # six-digit adcode
    name: str

    @property
    def level(self) -> str:
        """province | prefecture | county."""
        if self.code[2:] == "0000":
            return "province"
        if self.code[4:] == "00":
            return "prefecture"
        return "county"

    @property
    def is_city(self) -> bool:
        """A 地级市 / 自治州 / 地区 / 盟, or a municipality such as 重庆市."""
        return self.level == "prefecture" or (self.level == "province" and self.code[:2] in MUNICIPALITY_PROVINCES)

    def is_parent_of(self, county: Division) -> bool:
        if self.level == "prefecture":
            return county.code[:4] == self.code[:4]
        return self.is_city and county.code[:2] == self.code[:2]


@dataclass(frozen=True)
class Gazetteer:
    by_name: dict[str, tuple[Division, ...]]
    pattern: re.Pattern
    last_chars: re.Pattern       # the characters a division name ends with (县 区 市 旗 州 省 ...)
    lengths: tuple[int, ...]     # the lengths division names have, shortest first

    def lookup(self, name: str) -> tuple[Division, ...]:
        return self.by_name.get(name, ())

    def prefix(self, text: str) -> str | None:
        """The longest division name that `text` starts with."""
        m = self.pattern.match(text)
        return m.group() if m else None

    def finditer(self, text: str):
        """(start, name) of every division name in `text`, left to right, longest name first.

        The same matches as `pattern.finditer`, found from the few places a name can end: a regex
        alternation of ~3,000 names tries every name at every position, ~1,000 times slower."""
        longest: dict[int, int] = {}
        for m in self.last_chars.finditer(text):
            end = m.end()
            for length in self.lengths:
                start = end - length
                if start < 0:
                    break
                if text[start:end] in self.by_name and longest.get(start, 0) < end:
                    longest[start] = end
        pos = 0
        for start in sorted(longest):
            if start >= pos:
                yield start, text[start:longest[start]]
                pos = longest[start]


def _renamed_counties(by_name: dict[str, list[Division]]) -> list[tuple[str, Division]]:
    """X市 and X区 for every county X县 whose new name the table lacks: counties keep being made
    county-level cities or districts (射洪县 -> 射洪市, 2019), and a report uses the name of its day."""
    out = []
    for name, divisions in by_name.items():
        if len(name) < 3 or not name.endswith("县") or name.endswith("自治县"):
            continue
        for county in (d for d in divisions if d.level == "county"):
            out += [(name[:-1] + suffix, Division(county.code, name[:-1] + suffix)) for suffix in "市区"
                    if name[:-1] + suffix not in by_name]
    return out


def _short_autonomous_counties(by_name: dict[str, list[Division]]) -> list[tuple[str, Division]]:
    """X县 for an autonomous county X…族自治县 (屏边苗族自治县 -> 屏边县): reports and web pages use the short
    name. Only where it names no other division."""
    out = []
    for name, divisions in by_name.items():
        if not name.endswith("族自治县") or "族" not in name[2:]:
            continue
        short = name[:2] + "县"
        out += [(short, Division(d.code, short)) for d in divisions if d.level == "county" and short not in by_name]
    return out


@cache
def gazetteer() -> Gazetteer:
    rows = resources.files("transforms").joinpath("data/divisions.csv").read_text(encoding="utf-8")
    by_name: dict[str, list[Division]] = {}
    for line in rows.splitlines():
        if not line or line.startswith("#") or line.startswith("adcode"):
            continue
        code, name = line.split(",", 1)
        by_name.setdefault(name, []).append(Division(code, name))
    for alias, division in _renamed_counties(by_name) + _short_autonomous_counties(by_name):
        by_name.setdefault(alias, []).append(division)
    names = sorted(by_name, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, names)))
    last_chars = re.compile("[" + "".join(sorted({re.escape(n[-1]) for n in names})) + "]")
    return Gazetteer({k: tuple(v) for k, v in by_name.items()}, pattern, last_chars,
                     tuple(sorted({len(n) for n in names})))
