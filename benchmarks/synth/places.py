"""Where the synthetic reports come from: real counties and cities, made-up townships.

Counties, their prefecture cities and provinces are real: they come from the gazetteer the project
ships (transforms/data/divisions.csv), as a real report names a real county. Township names are made up
from syllables real place names use, unique across the whole run, leaving out numerals (三江 would read
as a number) and administrative suffixes (镇, 县, ...) so that the expected metadata is unambiguous.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from importlib import resources

SYLLABLES = ("平安清河石桥新华东西南北龙凤山水金银泉溪柳松竹梅兰阳明光永兴长乐福宁和丰盛江湖塘湾林岭峰田坪坝"
             "口沟堡庄营寨集店岗潭洲源川云霞白青红黄马牛鹤鹿高双古碧玉丹桂荷莲花杨槐枫桃李杏茶岩滩渡关沙")
TOWNSHIP_SUFFIXES = (("镇", 0.62), ("乡", 0.23), ("街道", 0.15))
MUNICIPALITIES = ("11", "12", "31", "50")   # 北京 天津 上海 重庆: the province is the city
COUNTY_ENDINGS = "县区市旗"                  # leaves out the odd island entries (…群岛, …海域)


@dataclass(frozen=True)
class Township:
    name: str              # with suffix: 平桥镇
    suffix: str            # 镇 | 乡 | 街道
    county: str            # a real county-level division: 天台县, 昭化区, 句容市
    city: str | None       # its real prefecture (or municipality), None where there is none
    province: str


def _divisions() -> dict[str, str]:
    """adcode -> name of every division in the project's gazetteer."""
    text = resources.files("transforms").joinpath("data/divisions.csv").read_text(encoding="utf-8")
    rows = (line.split(",", 1) for line in text.splitlines() if line and line[0].isdigit())
    return {code: name for code, name in rows}


def counties() -> list[tuple[str, str | None, str]]:
    """(county, city, province) of every real county-level division, in adcode order."""
    names = _divisions()
    out = []
    for code, name in sorted(names.items()):
        if code[4:] == "00" or name[-1] not in COUNTY_ENDINGS:
            continue
        province = names.get(code[:2] + "0000", "")
        city = province if code[:2] in MUNICIPALITIES else names.get(code[:4] + "00")
        out.append((name, city, province))
    return out


class NamePool:
    """Unique two-syllable names (three when two run short), deterministic for a seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def take(self, suffix: str) -> str:
        for length in (2, 2, 2, 2, 3, 3, 3, 3, 4):
            base = "".join(self.rng.choice(SYLLABLES) for _ in range(length))
            if len(set(base)) == length and base not in self.used:
                self.used.add(base)
                return base + suffix
        raise RuntimeError("the name pool is exhausted; add syllables to SYLLABLES")


def townships(count: int, rng: random.Random) -> list[Township]:
    """At least `count` townships, 8-25 to a county, counties drawn at random from the whole country."""
    pool = counties()
    rng.shuffle(pool)
    names = NamePool(rng)
    out: list[Township] = []
    for county, city, province in pool:
        if len(out) >= count:
            break
        for _ in range(rng.randint(8, 25)):
            suffix = rng.choices([s for s, _ in TOWNSHIP_SUFFIXES], weights=[w for _, w in TOWNSHIP_SUFFIXES])[0]
            out.append(Township(names.take(suffix), suffix, county, city, province))
    if len(out) < count:
        raise ValueError(f"{count} townships asked for, the gazetteer's counties give {len(out)}: generate fewer")
    return out
