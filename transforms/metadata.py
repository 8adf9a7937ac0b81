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
from dataclasses import dataclass, field

from transforms.divisions import Division, gazetteer
from transforms.townships import is_run_on_word, is_township, runs_on, starts_with_function_word

_SUFFIXES = ("街道", "苏木", "镇", "乡", "街")  # 街 (X街 street offices) only where the list or roster knows the name
_SUFFIX = re.compile("|".join(sorted(_SUFFIXES, key=len, reverse=True)))
_CJK_RUN = re.compile(r"[\u4e00-\u9fff\u3007]+")   # 〇 (U+3007) belongs to years written 二〇二一年
_LEADING_WORDS = ("中国共产党", "中共", "关于", "报送", "致")
_LEADING_YEAR = re.compile(r"^(?:[〇一二三四五六七八九零]{4})?年度?")  # 2021年X乡: the run starts after the digits
_LEADING_YEAR_DIGITS = re.compile(r"^(?:19|20)\d\d\s*年度?")
_LEVEL_AFTER = "级"  # 镇级, 乡级, 街道级: a level of government, not a name (加大镇级…)
_GUESS_ONLY = "街"   # a suffix trusted only when the name is confirmed
_COMPOUND_LAST = set("乡县市区省")  # 县乡镇, 市镇: words, not a name before the suffix (body text only)
_NOT_A_SUFFIX_BEFORE = {"乡": set("村镇亲土贤愁音情"), "镇": set("化压守村"), "街": set("巷头区")}  # 乡村, 乡镇, 城镇化
_PHRASE_HEADS = ("依法治", "法治")   # 坚持依法治镇, 建设法治乡: governing the township by law, never a name
_STRICT_LAST = set("城集小大重强古名家")  # 城镇, 集镇, 小镇 ...: only trusted in the title block
_NOT_IN_NAME = re.compile(r"政府|委|的|了|在|对|把|将|是|向|从|及|与|等|并|我|为|由")  # words that run on into a name
_NOT_NAME_START = set("全本各该我此每")  # 全镇, 本乡, 各乡镇
_TAIL_DIVISION = re.compile(r"^(?P<div>[\u4e00-\u9fff]{2,8}?(?:自治县|自治旗|县|区|市|旗))(?P<rest>[\u4e00-\u9fff]+)$")
_TITLE_MAX = 45  # a title-block line is short; the first long line starts the body
_TITLE_SEARCH_LINES = 40  # how far down a saved web page the report's own title line is looked for
_PAGE_FIELD = re.compile(r"^[|•·]|索\s*引\s*号|发布机构|成文日期|成文时间|发布日期|发布时间|主题分类|组配分类|公开方式")
_NAVIGATION = re.compile(r"[>＞›»]|当前位置|您的位置|首页")   # a website's breadcrumb, not a title
_REPORT_TITLE = re.compile(r"(?:法治|依法|法制).*(?:报告|总结|汇报)")
_DATE_AFTER = re.compile(r"年\s*[\d一二三四五六七八九十〇零]{1,2}\s*月")  # 2026年01月28日: a date, not a report year
_ORGAN_NAMED = re.compile(r"([\u4e00-\u9fff]{2,40}?)(镇|乡|街道|苏木)(?:党委|委|人民政府|政府|人大)")  # 下太镇委党校
_SELF_REFERENCE = re.compile(r"[我本全]((?:街道|镇|乡|苏木))")
_OPENING_LINES = 3  # the opening: the paragraphs before the first heading, at most this many
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[部分章])")
_ADDRESSEE = re.compile(r"^[\u4e00-\u9fff、（）()]{2,30}[：:]$")  # 城口县人民政府：(not a web page field 文  号:)
_YEAR = re.compile(r"(?<![\d〔\[［【])(?P<y>(?:19|20)\d\d|[一二三四五六七八九〇零]{4})\s*(?=年)")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_PLAN_AFTER = re.compile(r"年(?:度)?(?:的)?(?:主要)?(?:工作)?(?:计划|打算|安排|思路|要点|目标|任务|重点|展望)")
_RANGE_NEAR = re.compile(r"[-—–－~～至到]\s*(?:(?:19|20)\d\d|[一二三四五六七八九〇零]{4})")
_SIGN_DATE = re.compile(r"^\s*(?:(?:19|20)\d\d|[一二三四五六七八九〇零]{4})\s*年[\d一二三四五六七八九十〇零]{1,3}月[\d一二三四五六七八九十〇零]{1,3}日\s*$")
_MULTI_YEAR = re.compile(r"五年|十四五|十三五|近年来|(?:19|20)\d\d\s*[-—–－~～至到]\s*(?:19|20)\d\d")
_YEAR_NEXT = re.compile(r"(?:人民政府|政府|党委)?(?:关于)?\s*(?:(?:19|20)\d\d|[一二三四五六七八九〇零]{4})\s*年")
_REPORT_SENTENCE = re.compile(r"现[将就][^。；\n]{0,40}?(?:报告|汇报|总结)如下")   # the report names its own year
_PAIR_JOINERS = "、和及与"
_LEVEL_CHAIN = re.compile(r"省[、和及与]\S{2,10}[市州盟][、和及与]?$")   # 省、清远市和(英德市)
_SUPERIOR_BEFORE = ("根据", "按照", "依照", "遵照", "落实", "贯彻", "在")  # 根据X旗…的要求: the county a report answers to  # 延安市和宜川县: a city and its county named as a pair
_SOURCE_FIELD = re.compile(r"(?:信息来源|来源|发布机构|发文机关)\s*[:：]\s*([\u4e00-\u9fff]{2,12})")
_ORGAN_AFTER = re.compile(r"[县区市旗]?(?:委|人民政府|政府|人大|党委|依法治)")  # 景宁畲族自治县县委, 武清区依法治区办


@dataclass(frozen=True)
class TownshipCandidate:
    """A township name read in the text, where it stood, and whether the list (or the roster) knows it."""

    name: str
    where: str        # title | signoff | opening | body
    confirmed: bool


@dataclass(frozen=True)
class Metadata:
    township: str | None
    county: str | None
    city: str | None
    year: int | None
    candidates: tuple[TownshipCandidate, ...] = field(default=(), compare=False)
    years: tuple[int, ...] = field(default=(), compare=False)   # other years the opening names


@dataclass(frozen=True)
class _Layout:
    title: list[str]
    addressee: str | None
    first_paragraph: str
    signoff: list[str]
    opening: str = ""


def read_metadata(text: str, known: frozenset[str] = frozenset()) -> Metadata:
    """The report's metadata as its text states it; `known` are township names the county's roster lists."""
    layout = _layout(text)
    candidates, named_before = _township_candidates(layout, text, known)
    township = _choose(candidates)
    before = named_before.get(township, []) if township else []
    county = _county(layout, before, text)
    city = _city(before, county, layout, text)
    year = _year(layout) or _year_of_first_heading(text)
    return Metadata(township, county.name if county else None, city, year, tuple(candidates),
                    _years_named(layout) if year is None else ())


def _layout(text: str) -> _Layout:
    """Split the opening of the report into title block, addressee line and first paragraph.

    A page saved from a website starts with its navigation (当前位置:…, 索引号, 发布机构): when the report's
    own title line (…法治政府建设…报告) stands below a long line of it, the report starts at its title."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    title_at = next((i for i, line in enumerate(lines[:_TITLE_SEARCH_LINES]) if _is_report_title(line)), None)
    if title_at is not None and any(len(line) > _TITLE_MAX for line in lines[:title_at]):
        lines = lines[title_at:]
    title: list[str] = []
    addressee = None
    first_paragraph = ""
    for i, line in enumerate(lines):
        if _ADDRESSEE.match(line) and i < 10:
            addressee = line
            continue
        short = len(line) <= _TITLE_MAX and not line.endswith("。")
        if (short or _PAGE_FIELD.search(line)) and addressee is None and not first_paragraph:
            title.append(line)   # a web page's fields (| 索引号 | … |, 发布机构) sit with the title, however long
            continue
        first_paragraph = line
        break
    return _Layout(title, addressee, first_paragraph, _signoff(lines, title), _opening(lines, first_paragraph))


def _is_report_title(line: str) -> bool:
    return len(line) <= _TITLE_MAX + 15 and bool(_REPORT_TITLE.search(line)) and not line.endswith("。") \
        and not _NAVIGATION.search(line)


def _opening(lines: list[str], first_paragraph: str) -> str:
    """The paragraphs from the first one up to the first heading (现将…报告如下 often closes them)."""
    if not first_paragraph:
        return ""
    start = lines.index(first_paragraph)
    opening = []
    for line in lines[start:start + _OPENING_LINES]:
        if opening and _HEADING.match(line):
            break
        opening.append(line)
    return "\n".join(opening)


def _signoff(lines: list[str], title: list[str]) -> list[str]:
    """The short lines before the last signing-date line (a table or attachment may follow it)."""
    dates = [i for i, line in enumerate(lines) if _SIGN_DATE.match(line) and i > len(lines) // 2]
    end = dates[-1] + 1 if dates else len(lines)
    return [line for line in lines[max(0, end - 4):end] if len(line) <= 30 and line not in title]


# --- township -------------------------------------------------------------------------------------

def _township_candidates(layout: _Layout, text: str,
                         known: frozenset[str]) -> tuple[list[TownshipCandidate], dict[str, list[str]]]:
    """Every township name the text offers, by where it stands (title, sign-off, opening, then body), with the
    division names written right before each (广元市, 昭化区)."""
    found: list[TownshipCandidate] = []
    before: dict[str, list[str]] = {}
    titles = sorted(layout.title, key=lambda line: not _is_report_title(line))   # the report's title line first
    for where, segment in (("title", "\n".join(titles)), ("signoff", "\n".join(layout.signoff)),
                           ("opening", layout.opening)):
        for name, named_before, confirmed in _townships_in(segment, known=known):
            found.append(TownshipCandidate(name, where, confirmed))
            if not before.get(name):
                before[name] = named_before
    found += _body_candidates(text, known)
    if not found and (only := _only_name_of_its_kind(text, known)):
        found.append(only)
    return found, before


def _only_name_of_its_kind(text: str, known: frozenset[str]) -> TownshipCandidate | None:
    """A report that calls itself only 我镇/本乡 and names one known township of that kind once, anywhere."""
    kinds = {m.group(1) for m in _SELF_REFERENCE.finditer(text)}
    found = list(_townships_in_text(text, known))
    names = {name for name, _, sure in found if sure and name.endswith(tuple(kinds))}
    if len(names) == 1:
        return TownshipCandidate(names.pop(), "body", True)
    organs = {m.group(1) + m.group(2) for m in _ORGAN_NAMED.finditer(text) if m.group(2) in kinds}
    organs = {tail + suffix for name in organs for suffix in kinds if name.endswith(suffix)
              for tail in [_after_function_word(name[:-len(suffix)])] if tail and not starts_with_function_word(tail)}
    return TownshipCandidate(organs.pop(), "body", False) if len(organs) == 1 and not names else None


def _after_function_word(words: str) -> str | None:
    """下太 out of 二是把习近平法治思想列入下太: the two to four characters after the last verb or preposition."""
    for i in range(len(words) - 2, 0, -1):
        if len(words) - i > 4:
            return None
        if any(is_run_on_word(words[i - w:i]) for w in (2, 1) if i - w >= 0):
            return words[i:]
    return None


def _townships_in_text(text: str, known: frozenset[str]):
    for line in text.split("\n"):
        yield from _townships_in(line, strict=True, known=known)


def _body_candidates(text: str, known: frozenset[str]) -> list[TownshipCandidate]:
    """Names in the body: a confirmed one that opens a sentence or paragraph (X镇深入贯彻…) or is named twice,
    or a pattern name written at least twice; the most frequent first."""
    counts: dict[str, int] = {}
    confirmed: dict[str, bool] = {}
    subject: set[str] = set()
    for m in re.finditer(r"(?:^|[。；！\n])([^。；！\n]*)", text):
        for i, (name, _, sure) in enumerate(_townships_in(m.group(1), strict=True, known=known)):
            counts[name] = counts.get(name, 0) + 1
            confirmed[name] = confirmed.get(name, False) or sure
            if i == 0 and m.group(1).startswith(name):
                subject.add(name)
    ranked = sorted(counts, key=lambda n: -counts[n])
    return [TownshipCandidate(n, "body", confirmed[n]) for n in ranked
            if counts[n] >= 2 or (confirmed[n] and n in subject)]


def _choose(candidates: list[TownshipCandidate]) -> str | None:
    """A confirmed name beats a pattern guess; among equals the title first, then sign-off, opening, body."""
    for c in candidates:
        if c.confirmed:
            return c.name
    return candidates[0].name if candidates else None


def _townships_in(segment: str, strict: bool = False, known: frozenset[str] = frozenset()):
    """(name with suffix, division names before it, confirmed) for every township-like name in `segment`."""
    for run in _CJK_RUN.finditer(segment):
        word = run.group()
        start = 0   # where the words before the next name begin (after the name found last: 新阳镇与高观镇)
        for pos, suffix in _suffix_positions(word):
            after = word[pos + len(suffix):pos + len(suffix) + 1]
            if pos < start or after in _NOT_A_SUFFIX_BEFORE.get(suffix, ()) or after == suffix \
                    or after == _LEVEL_AFTER or suffix == "镇" and word.startswith("街道", pos + 1):
                continue  # 乡村 / 城镇化 / 镇级 are words; in 乌镇镇 and 石湾镇街道 the 镇 belongs to the name
            titled = start == 0 and _opens_title(segment, run.start(), run.start() + pos + len(suffix))
            found = _name_before(word[start:pos], strict, suffix, known, titled)
            if found is not None:
                head, before, confirmed = found
                yield head + suffix, before, confirmed
                start = pos + len(suffix)


def _suffix_positions(word: str):
    """(offset, suffix) of each township suffix in `word`, left to right, the longer suffix first (街道 before 街)."""
    for m in _SUFFIX.finditer(word):
        yield m.start(), m.group()


def _opens_title(segment: str, start: int, end: int) -> bool:
    """A name that opens its line and is followed by the report year (关渡镇2023年法治政府建设情况报告, as a
    title or a file name reads): its first word may be a verb (关渡, 兴修), a real name is never a run-on here."""
    return (start == 0 or segment[start - 1] == "\n") and _YEAR_NEXT.match(segment, end) is not None


def _name_before(head: str, strict: bool = False, suffix: str = "",
                 known: frozenset[str] = frozenset(), titled: bool = False) -> tuple[str, list[str], bool] | None:
    """Strip leading words and division names off `head`; None if what is left is no township name.

    A name the township list (or roster) knows is taken as it is, or cut out of the words run on before it
    (印制北屏乡…); anything else must look like a name and never is an X街."""
    head = _LEADING_YEAR.sub("", head)
    for word in _LEADING_WORDS:
        if head.startswith(word):
            head = head[len(word):]
    before: list[str] = []
    gaz = gazetteer()
    while (name := gaz.prefix(head)) and len(head) > len(name):
        before.append(name)
        head = head[len(name):]
    if (known_end := _last_division_end(head)) is not None:
        before.append(head[:known_end][-len(_division_at_end(head[:known_end])):])
        head = head[known_end:]   # 发布机构屏边县新华乡: words, then a known county, then the name
    elif len(head) >= 4 and (m := _TAIL_DIVISION.match(head)):
        before.append(m.group("div"))  # a division the gazetteer does not know (a new district)
        head = m.group("rest")
    guess = None if suffix == _GUESS_ONLY else _guessed(head if titled else _without_leading_verb(head), strict,
                                                        suffix, before, titled)
    confirmed = _confirmed_tail(head, suffix, known, whole=bool(before))
    whole = titled and guess == head   # 高口镇2023年…: opening a title before its year, the whole head is the name
    if confirmed is not None and (confirmed == head or not whole and (
            guess is None or runs_on(head[:len(head) - len(confirmed)]))):
        return confirmed, before, True
    return (guess, before, False) if guess is not None else None


def _without_leading_verb(head: str) -> str:
    """完成中长 -> 中长: a verb or preposition of two or three characters that starts the words before a suffix
    is not part of the name (a name keeps at least two characters)."""
    stripped = True
    while stripped:
        stripped = False
        for size in (3, 2):
            if len(head) - size >= 2 and is_run_on_word(head[:size]):
                head, stripped = head[size:], True
                break
    return head


def _last_division_end(head: str) -> int | None:
    """Where a known county-level division inside `head` ends, when one to six characters follow it."""
    ends = [start + len(name) for start, name in gazetteer().finditer(head)
            if start > 0 and any(d.level == "county" for d in gazetteer().lookup(name))]
    return next((e for e in reversed(ends) if 1 <= len(head) - e <= 6), None)


def _division_at_end(text: str) -> str:
    return next(name for _, name in reversed(list(gazetteer().finditer(text))))


def _confirmed_tail(head: str, suffix: str, known: frozenset[str], whole: bool) -> str | None:
    """The longest end of `head` that makes a known township with `suffix` (two characters at least, unless
    `head` follows its county)."""
    shortest = 1 if whole else 2
    for i in range(0, max(0, len(head) - shortest + 1)):
        tail = head[i:]
        if tail[0] in _NOT_NAME_START and i > 0:
            continue
        if is_township(tail + suffix, known):
            return tail
    return None


def _guessed(head: str, strict: bool, suffix: str, before: list[str], titled: bool = False) -> str | None:
    """`head` when it looks like a township name by itself (no list or roster confirms it)."""
    shortest = 1 if before else 2  # a one-character name only right after its county (示例县一镇)
    if gazetteer().prefix(head) or not shortest <= len(head) <= 6 or _NOT_IN_NAME.search(head) \
            or head.endswith(_PHRASE_HEADS) \
            or head[0] in _NOT_NAME_START or head[-1] in _NOT_NAME_START \
            or starts_with_function_word(head) and not titled:   # 促进全乡, 为本镇, 推进乡: not names
        return None
    if len(head) == 1 and head in _STRICT_LAST | _COMPOUND_LAST:
        return None  # 渭源县城镇: the county seat, not a township
    town = head[:-1] if suffix == "街道" and head.endswith("镇") else head  # 石湾镇街道
    if "乡" in head or "街道" in head or ("镇" in town and town != town[0] + "镇"):
        return None  # 乡村振兴和乡镇: a suffix inside the name means the words ran on
    if strict and (head[-1] in _STRICT_LAST or head[-1] in _COMPOUND_LAST):
        return None
    return head


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
    for field_value in _SOURCE_FIELD.finditer("\n".join(layout.title)):   # 来源:闽清县 (a web page's field)
        name = gazetteer().prefix(field_value.group(1))
        if name and (county := _as_county(name)) and county.code != "000000":
            yield county
    for title in re.finditer(r"《([^》]{2,80})》", text):
        name = gazetteer().prefix(_LEADING_YEAR_DIGITS.sub("", title.group(1)))   # 《2024年杨浦区…要点》
        if name and (county := _as_county(name)) and county.code != "000000":
            yield county
    for start, name in gazetteer().finditer(text):
        county = _as_county(name)
        if county is None or len(name) < 3:
            continue
        end = start + len(name)
        if _ORGAN_AFTER.match(text, end) or text[start - 1:start] == "、" and _city_just_before(text, start - 1):
            yield county
    for start, name in gazetteer().finditer(text):   # 省、清远市和英德市有关会议精神: the chain of superiors
        county = _as_county(name)
        if county is not None and county.code != "000000" and _parent_city_just_before(text, start, county) \
                and _LEVEL_CHAIN.search(text[max(0, start - 16):start]):
            yield county
    opening = layout.first_paragraph  # 按照延安市和宜川县关于…的部署: the report's own superiors
    for start, name in gazetteer().finditer(opening):
        county = _as_county(name)
        if county is not None and county.code != "000000" and opening[:start].endswith(_SUPERIOR_BEFORE):
            yield county   # 根据伊金霍洛旗…的要求, 在文峰区委…的领导下
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
    titles = "\n".join(line for line in layout.title if _is_report_title(line))
    stated = "\n".join(m.group() for m in _REPORT_SENTENCE.finditer(layout.opening))   # 现将我镇2024年…报告如下
    for segment in (titles, "\n".join(layout.title), stated, _first_sentences(layout.first_paragraph)):
        year = _first_report_year(segment)
        if year is not None:
            return year
    return _year_since(layout)


def _first_sentences(paragraph: str) -> str:
    return "。".join(paragraph.split("。")[:2])


def _year_of_first_heading(text: str) -> int | None:
    """一、2022年度推进法治政府建设的主要举措和成效: the first heading of the body names the year it reports on."""
    for line in text.split("\n"):
        line = line.strip()
        if _HEADING.match(line) and len(line) <= _TITLE_MAX:
            return _first_report_year(line)
    return None


def _year_since(layout: _Layout) -> int | None:
    """`2025年以来` opening an annual report that names no other year of its own is its year (metrics.md);
    a multi-year review (五年, 十四五, a range of years) is not one year's report."""
    opening = "\n".join(layout.title) + "\n" + _first_sentences(layout.first_paragraph)
    if _MULTI_YEAR.search(opening):
        return None
    m = re.search(r"(?<![\d〔\[［【])((?:19|20)\d\d)\s*年以来", opening)
    if not m:
        return None
    since = int(m.group(1))
    signed = [_year_value(d.group("y")) or 0 for line in layout.signoff if _SIGN_DATE.match(line)
              for d in [_YEAR.search(line)] if d]
    return None if any(y > since + 1 for y in signed) else since   # signed years later: a review of several


def _years_named(layout: _Layout) -> tuple[int, ...]:
    """Every year the title and opening name, for the person who settles a report with no year."""
    found = [_year_value(m.group("y")) for m in _YEAR.finditer("\n".join(layout.title) + "\n" + layout.opening)]
    return tuple(dict.fromkeys(y for y in found if y))


def _first_report_year(segment: str) -> int | None:
    masked = _masked(segment)
    for m in _YEAR.finditer(segment):
        if any(a <= m.start() < b for a, b in masked):
            continue
        if _PLAN_AFTER.match(segment, m.end()) or segment.startswith("年以来", m.end()) \
                or _DATE_AFTER.match(segment, m.end()):
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
