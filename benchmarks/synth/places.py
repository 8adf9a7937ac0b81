"""A deterministic made-up geography: provinces > cities > counties > townships, names unique.

Names are drawn from syllables that real place names use, leaving out numerals (三江 would read as a
number) and administrative suffixes (镇, 县, ...) so that the expected metadata is unambiguous.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

PROVINCES = ("河北省", "山西省", "辽宁省", "吉林省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省",
             "河南省", "湖北省", "湖南省", "广东省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省")
SYLLABLES = ("平安清河石桥新华东西南北龙凤山水金银泉溪柳松竹梅兰阳明光永兴长乐福宁和丰盛江湖塘湾林岭峰田坪坝"
             "口沟堡庄营寨集店岗潭洲源川云霞白青红黄马牛鹤鹿高双古碧玉丹桂荷莲花杨槐枫桃李杏茶岩滩渡关沙")
TOWNSHIP_SUFFIXES = (("镇", 0.62), ("乡", 0.23), ("街道", 0.15))
COUNTY_SUFFIXES = (("县", 0.6), ("区", 0.25), ("市", 0.1), ("瑶族自治县", 0.05))
CITY_SUFFIXES = (("市", 0.88), ("彝族自治州", 0.06), ("地区", 0.06))


@dataclass(frozen=True)
class Township:
    name: str          # with suffix: 平桥镇
    suffix: str        # 镇 | 乡 | 街道
    county: str
    city: str
    province: str


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


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([s for s, _ in table], weights=[w for _, w in table])[0]


def townships(count: int, rng: random.Random) -> list[Township]:
    """At least `count` townships, grouped 8-25 to a county, 3-8 counties to a city."""
    names = NamePool(rng)
    out: list[Township] = []
    while len(out) < count:
        province = rng.choice(PROVINCES)
        city = names.take(_pick(rng, CITY_SUFFIXES))
        for _ in range(rng.randint(3, 8)):
            county = names.take(_pick(rng, COUNTY_SUFFIXES))
            for _ in range(rng.randint(8, 25)):
                suffix = _pick(rng, TOWNSHIP_SUFFIXES)
                out.append(Township(names.take(suffix), suffix, county, city, province))
    return out
