"""Split a normalized report into sections and sentences, and flag plans and multi-year figures.

Sections come from heading lines (一、 / （一） / 1. / （1） / 一是 at a line start / 第一部分 / 【普法宣传】 /
short unnumbered titles such as 存在问题： or 2025年重点工作：). The heading styles rank by first appearance,
so a report whose top level is `1.` or `(一)` works like one whose top level is `一、`. A heading's kind comes
from its words (plans: 下一步, 明年, 下阶段, 工作计划/思路/设想/要点, 努力方向 ...); with the report year
known, a title naming a later year is plans and one naming the report year with achievement words is not.
A sub-heading without telling words inherits its parent's kind, and a sub-heading inside a plans or review
section is always plans or review. A problems section (or the last section) that turns to next year's
work (`下一步，我镇将…`, `2020年，我镇将进一步…`) is split there into a plans section.

Sentences end at 。！？；!? or a line break; a table cell holding only a value is joined to its row label
(`普法宣传活动\n45\n场次`). A figure is a plan when its sentence's section is `plans` or the sentence
`is_intent` (计划/拟/力争/预计/争取/确保…达到, 将 or 要 before a verb of doing, 明确/要求…不少于 as a
target); a figure is neither result nor plan when the sentence `is_cumulative`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.model import Section
from transforms.numerals import UNITS

_CN = "一二三四五六七八九十"
_HEADING_STYLES = (
    ("part", re.compile(rf"^第[{_CN}]+部分")),
    ("cn_dun", re.compile(rf"^[{_CN}]+\s*[、.．]")),
    ("cn_paren", re.compile(rf"^[（(][{_CN}]+[）)]")),
    ("ar_dot", re.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    ("ar_paren", re.compile(r"^[（(]\d{1,2}[）)]")),
    ("cn_shi", re.compile(rf"^[{_CN}]+是")),
    ("bracket", re.compile(r"^【[^】\n]{1,30}】")),
)
_YEAR_WORD = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_NEXT_PERIOD = r"下一步|下步|下一阶段|下阶段|下一年度|下一年|下年度|明年|来年|新的一年|新一年"
_PLAN_NOUN = r"安排|计划|思路|重点|目标|任务|要点|设想|打算|方向|谋划|展望|措施|举措"
_PLAN_TITLE = re.compile(
    rf"{_NEXT_PERIOD}|打算|工作安排|主要安排|工作计划|工作思路|工作设想|工作谋划|工作展望"
    rf"|{_YEAR_WORD}年(?:度)?(?:的)?(?:主要|重点)?(?:工作)?(?:{_PLAN_NOUN})"
)
_PLAN_TITLE_TOP = re.compile(r"今后|工作重点|努力方向|工作措施|展望|重点任务|目标任务")  # plans only as a top-level title
_TITLE_YEAR = re.compile(rf"(?P<y>{_YEAR_WORD})年(?!以来|来)")
_PROBLEM_TITLE = re.compile(r"存在(?:的)?(?:主要)?(?:问题|不足|困难)|问题(?:和|与|及)不足|困难和问题")
_PROBLEM_TITLE_TOP = re.compile(r"不足|短板|薄弱环节")  # 补齐短板 in a sub-heading is work done
_REVIEW_TITLE = re.compile(r"[“\"]?十[三四五]五[”\"]?(?:时期|期间)?以来|(?:[二三四五六七八九十两多几]|\d+)年来|近(?:[二三四五六七八九十]|\d+)年|近年来|回顾")
_DUTY_TITLE = re.compile(r"第一责任人|履行.{0,12}职责|履职情况")
_ACHIEVE_TITLE = re.compile(r"做法|成效|举措|工作开展|开展情况|主要工作|工作情况|推进情况|落实情况|完成情况|取得")
_UNNUMBERED_TITLE = re.compile(
    rf"^(?:{_YEAR_WORD}年(?:度)?|{_NEXT_PERIOD}|今后)[^。；，,：:]{{0,12}}?"
    rf"(?:{_PLAN_NOUN})(?:工作|任务)?\s*(?:[：:]|$)"
    r"|^(?:[^。；，,：:]{0,12}?)存在(?:的)?(?:主要)?(?:问题|不足|困难)[^。；，,：:]{0,12}(?:[：:]|$)"
)
_TURN_TO_PLANS = re.compile(
    rf"(?:^|(?<=[。；\n]))\s*在?(?:{_NEXT_PERIOD}|今后)"
    r"|(?:^|(?<=[。；\n]))\s*(?:\d{4}|[〇零一二三四五六七八九]{4})年(?:度)?[，,]?[^。；，]{0,8}?将(?=继续|进一步|持续|不断|着力|努力|重点|全力|大力|深入|切实|加大|加快|以|在|力争|争取|积极|坚持|围绕|聚焦|扎实|认真|全面)"
)
# A sentence opening on a year (2025年，…), not on a date (2025年1月).
_YEAR_OPENS = re.compile(rf"(?:^|(?<=[。；\n]))\s*(?P<y>{_YEAR_WORD})年(?!\s*[\d一二三四五六七八九十]{{1,2}}\s*月)")
_SENTENCE_END = re.compile(r"[。！？；!?\n]")
_TITLE_LINE_MAX = 60
_TITLE_BLOCK_LINE = 45  # a title, letterhead or addressee line is shorter than this and ends no sentence

# Verbs of doing: right after 将 / 要 / 打算 they make the sentence an intent (将开展普法活动5次), where 将
# before a noun is only the object marker (将法治建设纳入考核).
_ACTION_VERB = (r"开展|组织|举办|召开|完成|实现|建成|新建|创建|创成|打造|建立|健全|推进|推动|落实|实施|启动|达到|新增"
                r"|聘请|培育|培训|发放|做好|抓好|加强|强化|深化|提升|提高|再创|组建|配备|选聘|增加|扩大|推行|开设|设立"
                r"|确保|力争|争取|适时|逐步|陆续|集中|规范|完善")
# The narrower set after 要 / 打算: doings that are counted (要开展普法活动10次), not 要加强 / 需要提高.
_COUNTED_ACTION = r"开展|组织|举办|召开|完成|实现|建成|新建|创建|创成|达到|新增|聘请|培育|培训|发放|组建|配备|选聘"
_BA_VERB = r"纳入|列入|融入|作为|写入|贯穿|分解|落实到|延伸到|转化为|结合|打造成|建成|建设成"  # 将X纳入: 将 marks the object
# Each alternative starts with its literal word and looks behind only after it: a lookbehind first would
# be tried at every character of every sentence.
_FUTURE_JIANG = re.compile(
    r"将(?<![即必]将)(?:于|在|继续|进一步|持续|不断|着力|努力|重点|全力|大力|深入|切实|加大|加快|力争|争取|积极|坚持|围绕|聚焦|扎实|认真|全面)"
    r"|将(?<![即必]将)以[^，。；]{1,20}为"
    rf"|(?:[还也仍均都亦并]将|将(?<![即必]将)(?:{_ACTION_VERB}))(?![^，。；]{{0,30}}?(?:{_BA_VERB}))"
    rf"|要(?<![主重只首纲简概摘纪提扼紧需]要)(?:{_COUNTED_ACTION})|(?:打算|准备|力求)(?:{_COUNTED_ACTION})"
)
_INTENT = re.compile(
    r"计划(?<![按原]计划)(?<!学习计划|工作计划|年度计划|实施计划|行动计划|培训计划|发展计划|宣传计划)"
    r"(?![生育书表单》外内、，,。；])(?=[^。；]{0,12}?(?:\d|[一二两三四五六七八九十百千]|开展|新增|举办|组织|完成|培训|创建|建成|建设|发放|实现|达到|召开|推进|聘请|打造|培育))"
    r"|拟(?<![模草虚比]拟)(?![定订稿人])|力争|预计|目标(?:是|为)|下一步|下步|明年|来年"
    r"|争取(?=[^。；]{0,6}?(?:在|于|到|达到|实现|创建|创成|新增|年内|全年))"
    r"|(?:要求|明确|规定)(?<!按照要求)(?<!根据要求)(?<![按照据]要求)[^。；，,]{0,20}?(?:不少于|不低于|至少)"  # a set target
)
_ENSURE_TARGET = re.compile(r"确保[^。；]{0,24}?(?:达到|不少于|不低于|以上|实现|不超过|以内|控制在)")
_PAST = re.compile(r"已|了|共计|累计|先后|截至|截止")
_MULTI_YEAR = re.compile(
    r"(?P<since>\d{4})年(?:至今|以来)"
    r"|[“\"]?十[三四五]五[”\"]?(?:时期|期间)?以来|(?:[二三四五六七八九十两多几]|\d{1,2})年(?:来|以来)"
    r"|近(?:[二三四五六七八九十两]|\d{1,2})年|近年来|历年"
)
_CUMULATIVE_WORD = re.compile(r"累计|共|总计|先后|合计")
_DATE_LINE = re.compile(
    r"^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日\s*$"
)
_SIGNOFF_LINE = re.compile(r"人民政府|办事处|委员会|党委|政府$|街道$|镇$|乡$|^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年.{1,3}月.{1,3}日\s*$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CELL_MAX = 30  # a table cell on its own line is short
_HEADER_LOOKBACK = 12  # cells looked back for a header of year columns
_VALUE_CELL = re.compile(r"^(?:约|近|超过|不少于|逾)?\d[\d,.]*[万千亿]?(?:余|多)?\s*[^\s\d]{0,4}$")
_UNIT_CELL = re.compile("^(?:" + "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True)) + ")$")
_YEAR_CELL = re.compile(r"^(?P<y>(?:19|20)\d\d)\s*年(?:度)?[^\d]{0,6}$")
_YEAR_START = re.compile(r"^\s*(?P<y>\d{4})年")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    section: str
    is_intent: bool
    is_cumulative: bool


@dataclass(frozen=True)
class _Heading:
    start: int
    end: int  # end of the heading's title (first sentence of its line)
    level: int
    title: str
    kind: str | None  # kind its own words give, None when they give none
    plain: bool = False  # an unnumbered title line (存在问题：, 2024年工作安排：)


def split_sections(text: str, report_year: int | None = None) -> list[Section]:
    """Flat, contiguous sections covering `text`: preamble, one per heading, the sign-off (`other`), and
    whatever follows the sign-off (a table or an attachment, kind from its first lines, else `other`).

    With the report year known, a title naming a later year is plans (`2025年重点工作` in the 2024 report)
    and one naming the report year with achievement words is not (`2022年重点工作完成情况`)."""
    sign_start, sign_end = _signoff(text)
    headings = [h for h in _headings(text, report_year) if h.start < sign_start]
    sections: list[Section] = []
    first = headings[0].start if headings else min(_first_paragraph_end(text), sign_start)
    if headings and headings[0].plain:  # body paragraphs without headings, then 存在问题：…
        first = min(_first_paragraph_end(text), headings[0].start)
    if first > 0:
        sections.append(Section("preamble", "", 0, first))
    if headings and first < headings[0].start:
        sections.append(Section("achievements", "", first, headings[0].start))
    parents: dict[int, str] = {}
    for i, heading in enumerate(headings):
        end = headings[i + 1].start if i + 1 < len(headings) else sign_start
        kind = _resolve_kind(heading, parents)
        sections.append(Section(kind, heading.title, heading.start, max(end, heading.start)))
    if not headings and first < sign_start:
        sections.append(Section("achievements", "", first, sign_start))
    sections = _split_turns_to_plans(text, sections, report_year)
    sections.append(Section("other", "", sign_start, sign_end))
    if sign_end < len(text):
        lead = " ".join(text[sign_end:].split("\n")[:4])
        kind = _kind_of_title(lead, report_year=report_year) or "other"
        sections.append(Section(kind, lead[:_TITLE_LINE_MAX], sign_end, len(text)))
    return [s for s in sections if s.end > s.start]


def sentences(text: str, sections: list[Section], report_year: int | None = None) -> list[Sentence]:
    """Every non-blank sentence of `text`, with the kind of the section it starts in and its flags.

    A table cell holding only a value joins the row label cell before it (and a measure-word cell after
    it) into one sentence: `普法宣传活动\n45\n场次` as a Word table comes out one cell per line."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text + "\n"):
        end = min(m.end(), len(text))
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        s, e = start + lead, start + len(piece.rstrip())
        if e > s and piece.strip("。！？；!? \n"):
            spans.append((s, e))
        start = end
    return [_sentence(text, s, e, _section_at(sections, s), report_year)
            for s, e in _join_table_cells(text, spans, report_year)]


# --- headings ---------------------------------------------------------------------------------------

def _headings(text: str, report_year: int | None) -> list[_Heading]:
    style_rank: dict[str, int] = {}
    found: list[_Heading] = []
    body = _first_paragraph_end(text)
    for line_start, line in _lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        offset = line_start + len(line) - len(line.lstrip())
        style = _style(stripped)
        if style is None:
            if _UNNUMBERED_TITLE.match(stripped) and (found or line_start >= body):
                found.append(_heading(stripped, offset, 1, report_year, plain=True))
            continue
        if style == "cn_shi" and "；" in re.split(r"[。：:]", stripped, maxsplit=1)[0]:
            continue  # 一是…；二是…: an inline list, not a heading
        level = style_rank.setdefault(style, len(style_rank) + 1)
        found.append(_heading(stripped, offset, level, report_year, bracket=style == "bracket"))
    return found


def _style(line: str) -> str | None:
    for name, pattern in _HEADING_STYLES:
        if pattern.match(line):
            return name
    return None


def _heading(line: str, offset: int, level: int, report_year: int | None, plain: bool = False,
             bracket: bool = False) -> _Heading:
    if bracket:
        title = line[:line.index("】") + 1]  # 【普法宣传】以…: the body runs on after the bracket
    else:
        title = re.split(r"[：:]" if plain else r"[。：:]", line, maxsplit=1)[0]
    title = title[:_TITLE_LINE_MAX]
    return _Heading(offset, offset + len(title), level, title, _kind_of_title(title, level == 1, report_year), plain)


def _kind_of_title(title: str, top: bool = True, report_year: int | None = None) -> str | None:
    if _PROBLEM_TITLE.search(title) or top and _PROBLEM_TITLE_TOP.search(title):
        return "problems"
    years = [_year_value(m.group("y")) for m in _TITLE_YEAR.finditer(title)]
    if report_year is not None and years and not _REVIEW_TITLE.search(title):
        if max(years) > report_year:
            return "plans"
        if _ACHIEVE_TITLE.search(title):
            return "achievements"
    if _PLAN_TITLE.search(title) or top and _PLAN_TITLE_TOP.search(title):
        return "plans"
    if _REVIEW_TITLE.search(title):
        return "review"
    if _DUTY_TITLE.search(title):
        return "duties"
    if _ACHIEVE_TITLE.search(title):
        return "achievements"
    return None


def _year_value(word: str) -> int:
    """2024 or 二〇二四 as a number."""
    return int("".join(str("〇一二三四五六七八九".find(c)) if c in "〇一二三四五六七八九" else "0" if c == "零" else c
                       for c in word))


def _resolve_kind(heading: _Heading, parents: dict[int, str]) -> str:
    """Kind of a heading given the kinds of the open headings above it (level -> kind)."""
    for level in [lv for lv in parents if lv >= heading.level]:
        del parents[level]
    parent = parents[max(parents)] if parents else None
    if parent in ("plans", "review"):
        kind = parent
    elif heading.kind is not None:
        kind = heading.kind
    else:
        kind = parent or "achievements"
    parents[heading.level] = kind
    return kind


def _split_turns_to_plans(text: str, sections: list[Section], report_year: int | None) -> list[Section]:
    """Cut a problems section (or the last section) where it turns to next year's work."""
    out: list[Section] = []
    last = len(sections) - 1
    for i, section in enumerate(sections):
        if section.kind in ("problems",) or (i == last and section.kind in ("achievements", "duties", "problems")):
            cut = _turn_to_plans(text, section.start + len(section.title) + 1, section.end, report_year)
            if cut is not None:
                out.append(Section(section.kind, section.title, section.start, cut))
                out.append(Section("plans", text[cut:cut + 12], cut, section.end))
                continue
        out.append(section)
    return out


def _turn_to_plans(text: str, lo: int, hi: int, report_year: int | None) -> int | None:
    """Where the text in [lo, hi) turns to next year's work: 下一步/明年/今后…, a year with 将…, or (with
    the report year known) any sentence opening on a later year (2025年，我镇将从以下几方面着手：)."""
    found = []
    if m := _TURN_TO_PLANS.search(text, lo, hi):
        found.append(m.start() + len(m.group()) - len(m.group().lstrip()))
    if report_year is not None:
        later = (m for m in _YEAR_OPENS.finditer(text, lo, hi) if _year_value(m.group("y")) > report_year)
        if m := next(later, None):
            found.append(m.start("y"))
    return min(found, default=None)


def _lines(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def _signoff(text: str) -> tuple[int, int]:
    """(start, end) of the signing block: the organ lines and the date line that close the report.

    The last date-only line in the second half of the text ends it; without one, the trailing short
    organ/date lines do. (len, len) when there is none."""
    lines = list(_lines(text))
    dates = [i for i, (start, line) in enumerate(lines) if _DATE_LINE.match(line) and start > len(text) // 2]
    if dates:
        last = dates[-1]
        end = lines[last][0] + len(lines[last][1])
        end = len(text) if not text[end:].strip() else end + 1
    else:
        last, end = len(lines), len(text)
    first = last
    while first > 0 and _is_signoff_line(lines[first - 1][1]):
        first -= 1
    start = lines[first][0] if first < len(lines) else len(text)
    return start, end


def _is_signoff_line(line: str) -> bool:
    s = line.strip()
    if not s:
        return True
    return len(s) <= 30 and not s.endswith(("。", "；")) and not _style(s) and bool(_SIGNOFF_LINE.search(s))


def _first_paragraph_end(text: str) -> int:
    """End of the first body paragraph (the first line that is long or ends a sentence), or len(text)."""
    for line_start, line in _lines(text):
        stripped = line.strip()
        if len(stripped) > _TITLE_BLOCK_LINE or stripped.endswith("。"):
            return line_start + len(line)
    return len(text)


# --- table cells ------------------------------------------------------------------------------------

def _join_table_cells(text: str, spans: list[tuple[int, int]], report_year: int | None) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        s, e = spans[i]
        if out and _cell_kind(text, s, e) == "value" and _cell_kind(text, *out[-1]) == "label" \
                and text[out[-1][1]:s] == "\n" and _current_column_first(text, out, report_year):
            s = out.pop()[0]
            if i + 1 < len(spans) and text[e:spans[i + 1][0]] == "\n" and _cell_kind(text, *spans[i + 1]) == "unit":
                i += 1
                e = spans[i][1]
        out.append((s, e))
        i += 1
    return out


def _cell_kind(text: str, start: int, end: int) -> str | None:
    """value (45, 45场次, 1.2万余份, 98.5%), unit (场次), label (普法宣传活动（场次）), or None when the span is
    not a whole short line."""
    if (start and text[start - 1] != "\n") or (end < len(text) and text[end] != "\n"):
        return None
    cell = text[start:end]
    if len(cell) > _CELL_MAX or "\n" in cell or cell[-1] in "。；！？!?":
        return None
    if _YEAR_CELL.match(cell):
        return "year"
    if _VALUE_CELL.match(cell):
        return "value"
    if _UNIT_CELL.match(cell):
        return "unit"
    return "label" if _HAN.search(cell) else None


def _current_column_first(text: str, cells: list[tuple[int, int]], report_year: int | None) -> bool:
    """False when the table's header names years and the first is not the report year (2023年 | 2024年):
    the first value of a row is then not this year's."""
    if report_year is None:
        return True
    years: list[int] = []
    for s, e in reversed(cells[-_HEADER_LOOKBACK:]):
        kind = _cell_kind(text, s, e)
        if kind is None:
            break
        if kind == "year":
            years.insert(0, int(_YEAR_CELL.match(text[s:e]).group("y")))
    return not years or years[0] == report_year


# --- sentences --------------------------------------------------------------------------------------

def _section_at(sections: list[Section], pos: int) -> str:
    for section in sections:
        if section.start <= pos < section.end:
            return section.kind
    return "other"


def _sentence(text: str, start: int, end: int, section: str, report_year: int | None) -> Sentence:
    piece = text[start:end]
    return Sentence(
        start=start, end=end, text=piece, section=section,
        is_intent=_is_intent(piece, report_year),
        is_cumulative=section == "review" or _is_cumulative(piece, report_year),
    )


def _is_intent(sentence: str, report_year: int | None) -> bool:
    plain = re.sub(r"《[^》]*》", "", sentence)
    if _INTENT.search(plain):
        return True
    if report_year is not None and (m := _YEAR_START.match(plain)) and int(m.group("y")) > report_year:
        return True
    if _PAST.search(plain):
        return False
    return bool(_FUTURE_JIANG.search(plain) or _ENSURE_TARGET.search(plain))


def _is_cumulative(sentence: str, report_year: int | None) -> bool:
    """A multi-year marker (十四五以来, 五年来, 近三年, 2019年以来 in a later report) with 累计/共/先后."""
    for marker in _MULTI_YEAR.finditer(sentence):
        since = marker.group("since")
        if since and (report_year is None or int(since) >= report_year):
            continue  # 2020年以来 in the 2020 report is this year
        return bool(_CUMULATIVE_WORD.search(sentence))
    return False
