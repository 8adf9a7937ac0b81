"""Read a report's township, county, city and report year from its normalized text.

Where each field is looked for, in order (metrics.md "Report metadata"):
- township: the title block (`广元市昭化区昭化镇人民政府`, `会川镇2023年…报告`), the sign-off, the first
  paragraph (`2020年，北屏乡…`); the name keeps its suffix 镇/乡/街道/苏木.
- county: the division named before the township, the addressee line (`渭源县人民政府：`), a document
  title (`《城口县2020法治政府工作要点》`), a pair (`商丘市、虞城县`) or an organ (`于都县委`).
- city: the prefecture or municipality named before the county, else one the text names anywhere that
  contains the county (`《枣庄市法治政府建设实施纲要》` for 市中区); with no county, a municipality named.
- year: the title, else the first paragraph; never inside 《》, a document number, a range, a plan year
  (`2024年工作安排`), a `以来`, nor the signing date.
Fields found nowhere are None: the caller decides (roster, inbox folder, quarantine).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.divisions import Division, gazetteer

_SUFFIXES = ("街道", "苏木", "镇", "乡")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LEADING_WORDS = ("中国共产党", "中共", "关于", "报送", "致")
_COMPOUND_LAST = set("乡县市区省")  # 县乡镇, 市镇: words, not a name before the suffix (body text only)
_NOT_A_SUFFIX_BEFORE = {"乡": set("村镇亲土贤愁音情"), "镇": set("化压守")}  # 乡村, 乡镇, 城镇化
_STRICT_LAST = set("城集小大重强古名家")  # 城镇, 集镇, 小镇 ...: only trusted in the title block
_NOT_IN_NAME = re.compile(r"政府|委|的|了|在|对|把|将|是|向|从|及|与|等|并")  # words that run on into a name
_NOT_NAME_START = set("全本各该我此每")  # 全镇, 本乡, 各乡镇
_TAIL_DIVISION = re.compile(r"^(?P<div>[\u4e00-\u9fff]{2,8}?(?:自治县|自治旗|县|区|市|旗))(?P<rest>[\u4e00-\u9fff]+)$")
_TITLE_MAX = 45  # a title-block line is short; the first long line starts the body
_ADDRESSEE = re.compile(r"^[^。，,]{1,30}[：:]$")
_YEAR = re.compile(r"(?<![\d〔\[［【])(?P<y>(?:19|20)\d\d|[一二三四五六七八九〇零]{4})\s*(?=年)")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_PLAN_AFTER = re.compile(r"年(?:度)?(?:的)?(?:主要)?(?:工作)?(?:计划|打算|安排|思路|要点|目标|任务|重点|展望)")
_RANGE_NEAR = re.compile(r"[-—–－~～至到]\s*(?:(?:19|20)\d\d|[一二三四五六七八九〇零]{4})")
_SIGN_DATE = re.compile(r"^\s*(?:(?:19|20)\d\d|[一二三四五六七八九〇零]{4})\s*年[\d一二三四五六七八九十〇零]{1,3}月[\d一二三四五六七八九十〇零]{1,3}日\s*$")
_PAIR_JOINERS = "、和及与"  # 延安市和宜川县: a city and its county named as a pair
_ORGAN_AFTER = re.compile(r"[县区市旗]?(?:委|人民政府|政府|人大|党委)")  # 景宁畲族自治县县委


@dataclass(frozen=True)
class Metadata:
    township: str | None
    county: str | None
    city: str | None
    year: int | None


@dataclass(frozen=True)
class _Layout:
    title: list[str]
    addressee: str | None
    first_paragraph: str
    signoff: list[str]


def read_metadata(text: str) -> Metadata:
    layout = _layout(text)
    township, named_before = _township(layout, text)
    county = _county(layout, named_before, text)
    city = _city(named_before, county, layout, text)
    return Metadata(township, county.name if county else None, city, _year(layout))


def _layout(text: str) -> _Layout:
    """Split the opening of the report into title block, addressee line and first paragraph."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    title: list[str] = []
    addressee = None
    first_paragraph = ""
    for i, line in enumerate(lines):
        if _ADDRESSEE.match(line) and i < 10:
            addressee = line
            continue
        if len(line) <= _TITLE_MAX and not line.endswith("。") and addressee is None and not first_paragraph:
            title.append(line)
            continue
        first_paragraph = line
        break
    return _Layout(title, addressee, first_paragraph, _signoff(lines, title))


def _signoff(lines: list[str], title: list[str]) -> list[str]:
    """The short lines before the last signing-date line (a table or attachment may follow it)."""
    dates = [i for i, line in enumerate(lines) if _SIGN_DATE.match(line) and i > len(lines) // 2]
    end = dates[-1] + 1 if dates else len(lines)
    return [line for line in lines[max(0, end - 4):end] if len(line) <= 30 and line not in title]


# --- township -------------------------------------------------------------------------------------

def _township(layout: _Layout, text: str) -> tuple[str | None, list[str]]:
    """The township name and the division names written right before it (广元市, 昭化区)."""
    for segment in ("\n".join(layout.title), "\n".join(layout.signoff), _first_sentences(layout.first_paragraph)):
        for name, before in _townships_in(segment):
            return name, before
    counts: dict[str, int] = {}
    for name, _ in _townships_in(text, strict=True):
        counts[name] = counts.get(name, 0) + 1
    frequent = [n for n, c in counts.items() if c >= 2]
    return (max(frequent, key=counts.get), []) if frequent else (None, [])


def _first_sentences(paragraph: str) -> str:
    return "。".join(paragraph.split("。")[:2])


def _townships_in(segment: str, strict: bool = False):
    """(name with suffix, division names before it) for every township-like name in `segment`."""
    for run in _CJK_RUN.finditer(segment):
        word = run.group()
        for pos, suffix in _suffix_positions(word):
            after = word[pos + len(suffix):pos + len(suffix) + 1]
            if after in _NOT_A_SUFFIX_BEFORE.get(suffix, ()) or after == suffix or \
                    suffix == "镇" and word.startswith("街道", pos + 1):
                continue  # 乡村 / 城镇化 are words; in 乌镇镇 and 石湾镇街道 the 镇 belongs to the name
            found = _name_before(word[:pos], strict, suffix)
            if found is not None:
                head, before = found
                yield head + suffix, before
                break


def _suffix_positions(word: str):
    i = 0
    while i < len(word):
        for suffix in _SUFFIXES:
            if word.startswith(suffix, i):
                yield i, suffix
                i += len(suffix) - 1
                break
        i += 1


def _name_before(head: str, strict: bool = False, suffix: str = "") -> tuple[str, list[str]] | None:
    """Strip leading words and division names off `head`; None if what is left is no township name."""
    for word in _LEADING_WORDS:
        if head.startswith(word):
            head = head[len(word):]
    before: list[str] = []
    gaz = gazetteer()
    while (name := gaz.prefix(head)) and len(head) > len(name):
        before.append(name)
        head = head[len(name):]
    if len(head) >= 4 and (m := _TAIL_DIVISION.match(head)):
        before.append(m.group("div"))  # a division the gazetteer does not know (a new district)
        head = m.group("rest")
    shortest = 1 if before else 2  # a one-character name only right after its county (示例县一镇)
    if gaz.prefix(head) or not shortest <= len(head) <= 6 or _NOT_IN_NAME.search(head) or head[0] in _NOT_NAME_START:
        return None
    if len(head) == 1 and head in _STRICT_LAST | _COMPOUND_LAST:
        return None  # 渭源县城镇: the county seat, not a township
    town = head[:-1] if suffix == "街道" and head.endswith("镇") else head  # 石湾镇街道
    if "乡" in head or "街道" in head or ("镇" in town and town != town[0] + "镇"):
        return None  # 乡村振兴和乡镇: a suffix inside the name means the words ran on
    if strict and (head[-1] in _STRICT_LAST or head[-1] in _COMPOUND_LAST):
        return None
    return head, before


# --- county and city ------------------------------------------------------------------------------

def _county(layout: _Layout, named_before: list[str], text: str) -> Division | None:
    for name in named_before:
        county = _as_county(name)
        if county:
            return county
    for name in named_before:
        if name.endswith("市") and not gazetteer().lookup(name):
            return Division("000000", name)  # an unknown 市 right before the township: a county-level city
    for candidate in _county_mentions(layout, text):
        return candidate
    return None


def _as_county(name: str) -> Division | None:
    divisions = [d for d in gazetteer().lookup(name) if d.level == "county"]
    if divisions:
        return divisions[0]
    if re.fullmatch(r"[\u4e00-\u9fff]{2,8}(?:县|区|旗)", name) and not gazetteer().lookup(name):
        return Division("000000", name)  # unknown to the gazetteer, but plainly a county or district
    return None


def _county_mentions(layout: _Layout, text: str):
    """Counties named in the addressee line, then in document titles, then as a pair or an organ, then
    after their own city in the first paragraph."""
    if layout.addressee:
        for _, name in gazetteer().finditer(layout.addressee):
            if county := _as_county(name):
                yield county
    for title in re.finditer(r"《([^》]{2,40})》", text):
        name = gazetteer().prefix(title.group(1))
        if name and (county := _as_county(name)) and county.code != "000000":
            yield county
    for start, name in gazetteer().finditer(text):
        county = _as_county(name)
        if county is None or len(name) < 3:
            continue
        end = start + len(name)
        if _ORGAN_AFTER.match(text, end) or text[start - 1:start] == "、" and _city_just_before(text, start - 1):
            yield county
    opening = layout.first_paragraph  # 按照延安市和宜川县关于…的部署: the report's own superiors
    for start, name in gazetteer().finditer(opening):
        county = _as_county(name)
        if county is not None and county.code != "000000" and _parent_city_just_before(opening, start, county):
            yield county


def _city_just_before(text: str, pos: int) -> bool:
    """True when a city name ends at `pos` (`商丘市、虞城县`)."""
    window = text[max(0, pos - 12):pos]
    return any(window.endswith(name) for _, name in gazetteer().finditer(window) if _as_city(name))


def _parent_city_just_before(text: str, pos: int, county: Division) -> bool:
    """A city that contains the county written right before it, joined or not (`延安市和宜川县`, `延安市宜川县`)."""
    window = text[max(0, pos - 14):pos]
    stripped = window.removesuffix("以及")
    if stripped == window and window[-1:] in _PAIR_JOINERS:
        stripped = window[:-1]
    return any(stripped.endswith(name) and any(city.is_parent_of(county) for city in gazetteer().lookup(name))
               for _, name in gazetteer().finditer(stripped))


def _as_city(name: str) -> Division | None:
    return next((d for d in gazetteer().lookup(name) if d.is_city), None)


def _city(named_before: list[str], county: Division | None, layout: _Layout, text: str) -> str | None:
    for name in named_before:
        if _as_city(name):
            return name
    mentioned = [name for _, name in gazetteer().finditer(text) if _as_city(name)]
    if county is not None and county.code == "000000":
        return _city_paired_with(county.name, text)
    if county is not None:
        homonyms = [d for d in gazetteer().lookup(county.name) if d.level == "county"]
        for name in mentioned:
            if any(city.is_parent_of(c) for city in gazetteer().lookup(name) if city.is_city for c in homonyms):
                return name
        return None
    for name in mentioned:
        if any(d.level == "province" for d in gazetteer().lookup(name)):
            return name  # a municipality (重庆市) named anywhere
    return None


def _city_paired_with(county: str, text: str) -> str | None:
    """For a county the gazetteer does not know: a city written right before it (`X市、Y县`, `X市Y县`)."""
    for m in re.finditer(re.escape(county), text):
        window = text[max(0, m.start() - 12):m.start()].rstrip("、")
        for _, name in gazetteer().finditer(window):
            if _as_city(name) and window.endswith(name):
                return name
    return None


# --- year -----------------------------------------------------------------------------------------

def _year(layout: _Layout) -> int | None:
    for segment in ("\n".join(layout.title), _first_sentences(layout.first_paragraph)):
        year = _first_report_year(segment)
        if year is not None:
            return year
    return None


def _first_report_year(segment: str) -> int | None:
    masked = _masked(segment)
    for m in _YEAR.finditer(segment):
        if any(a <= m.start() < b for a, b in masked):
            continue
        if _PLAN_AFTER.match(segment, m.end()) or segment.startswith("年以来", m.end()):
            continue
        if _RANGE_NEAR.match(segment, m.end() + 1) or _RANGE_NEAR.match(segment, m.end()):
            continue
        if m.start() and segment[m.start() - 1] in "-—–－~～至到":
            continue
        line_start = segment.rfind("\n", 0, m.start()) + 1
        line_end = segment.find("\n", m.end())
        if _SIGN_DATE.match(segment[line_start:line_end if line_end >= 0 else len(segment)]):
            continue
        return _year_value(m.group("y"))
    return None


def _masked(segment: str) -> list[tuple[int, int]]:
    """《titles》, （ranges）, 〔document numbers〕: years in them are not the report year."""
    return [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》|〔[^〕]*〕|\[[^\]]*\]|［[^］]*］", segment)]


def _year_value(token: str) -> int | None:
    digits = "".join(_CN_DIGITS.get(c, c) for c in token)
    return int(digits) if digits.isdigit() else None
