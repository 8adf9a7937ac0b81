"""Split a normalized report into sections and sentences, and flag plans and multi-year figures.

Sections come from heading lines (一、 / （一） / 1. / （1） / 一是 at a line start / 第一部分 / short
unnumbered titles such as 存在问题 or 2024年工作安排：). The heading styles rank by first appearance, so a
report whose top level is `1.` or `(一)` works like one whose top level is `一、`. A heading's kind comes from
its words; a sub-heading without telling words inherits its parent's kind, and a sub-heading inside a
plans or review section is always plans or review. A problems section (or the last section) that turns to
next year's work (`下一步，我镇将…`, `2020年，我镇将进一步…`) is split there into a plans section.

Sentences end at 。！？；!? or a line break. A figure is a plan when its sentence's section is `plans`
or the sentence `is_intent`; a figure is neither result nor plan when the sentence `is_cumulative`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.model import Section

_CN = "一二三四五六七八九十"
_HEADING_STYLES = (
    ("part", re.compile(rf"^第[{_CN}]+部分")),
    ("cn_dun", re.compile(rf"^[{_CN}]+\s*[、.．]")),
    ("cn_paren", re.compile(rf"^[（(][{_CN}]+[）)]")),
    ("ar_dot", re.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    ("ar_paren", re.compile(r"^[（(]\d{1,2}[）)]")),
    ("cn_shi", re.compile(rf"^[{_CN}]+是")),
)
_PLAN_TITLE = re.compile(
    r"下一步|下步|打算|工作安排|主要安排|工作计划|工作思路"
    r"|(?:\d{4}|[〇零一二三四五六七八九]{4})年(?:度)?(?:的)?(?:主要)?(?:工作)?(?:安排|计划|思路|重点|目标)"
)
_PLAN_TITLE_TOP = re.compile(r"今后|工作重点|努力方向|工作措施|展望")  # plans only as a top-level title
_PROBLEM_TITLE = re.compile(r"存在(?:的)?(?:主要)?(?:问题|不足|困难)|问题(?:和|与|及)不足|困难和问题")
_PROBLEM_TITLE_TOP = re.compile(r"不足|短板|薄弱环节")  # 补齐短板 in a sub-heading is work done
_REVIEW_TITLE = re.compile(r"[“\"]?十[三四五]五[”\"]?(?:时期|期间)?以来|(?:[二三四五六七八九十两多几]|\d+)年来|近(?:[二三四五六七八九十]|\d+)年|近年来|回顾")
_DUTY_TITLE = re.compile(r"第一责任人|履行.{0,12}职责|履职情况")
_ACHIEVE_TITLE = re.compile(r"做法|成效|举措|工作开展|开展情况|主要工作|工作情况|推进情况|落实情况|完成情况|取得")
_UNNUMBERED_TITLE = re.compile(
    r"^(?:(?:\d{4}|[〇零一二三四五六七八九]{4})年(?:度)?|下一步|下步|今后)[^。；，,：:]{0,12}?"
    r"(?:安排|打算|计划|思路|重点|措施)\s*(?:[：:]|$)|^存在(?:的)?(?:主要)?(?:问题|不足)[^。；，,]{0,12}$"
)
_TURN_TO_PLANS = re.compile(
    r"(?:^|(?<=[。；\n]))\s*(?:下一步|下步|今后|明年)"
    r"|(?:^|(?<=[。；\n]))\s*(?:\d{4}|[〇零一二三四五六七八九]{4})年(?:度)?[，,]?[^。；，]{0,8}?将(?=继续|进一步|持续|不断|着力|努力|重点|全力|大力|深入|切实|加大|加快|以|在|力争|争取|积极|坚持|围绕|聚焦|扎实|认真|全面)"
)
_SENTENCE_END = re.compile(r"[。！？；!?\n]")
_TITLE_LINE_MAX = 60
_TITLE_BLOCK_LINE = 45  # a title, letterhead or addressee line is shorter than this and ends no sentence

_FUTURE_JIANG = re.compile(
    r"(?<![即必])将(?:于|在|继续|进一步|持续|不断|着力|努力|重点|全力|大力|深入|切实|加大|加快|力争|争取|积极|坚持|围绕|聚焦|扎实|认真|全面)"
    r"|(?<![即必])将以[^，。；]{1,20}为"
)
_INTENT = re.compile(
    r"(?<![按原])(?<!学习|工作|年度|实施|行动|培训|发展|宣传)计划(?![生育书表单》外内、，,。；])(?=[^。；]{0,12}?(?:\d|[一二两三四五六七八九十百千]|开展|新增|举办|组织|完成|培训|创建|建成|建设|发放|实现|达到|召开|推进|聘请|打造|培育))"
    r"|(?<![模草虚比])拟(?![定订稿人])|力争|预计|目标(?:是|为)|下一步|下步|明年|来年"
    r"|争取(?=[^。；]{0,6}?(?:在|于|到|达到|实现|创建|创成|新增|年内|全年))"
)
_ENSURE_TARGET = re.compile(r"确保[^。；]{0,24}?(?:达到|不少于|不低于|以上|实现)")
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


def split_sections(text: str) -> list[Section]:
    """Flat, contiguous sections covering `text`: preamble, one per heading, the sign-off (`other`), and
    whatever follows the sign-off (a table or an attachment, kind from its first lines, else `other`)."""
    sign_start, sign_end = _signoff(text)
    headings = [h for h in _headings(text) if h.start < sign_start]
    sections: list[Section] = []
    first = headings[0].start if headings else min(_first_paragraph_end(text), sign_start)
    if first > 0:
        sections.append(Section("preamble", "", 0, first))
    parents: dict[int, str] = {}
    for i, heading in enumerate(headings):
        end = headings[i + 1].start if i + 1 < len(headings) else sign_start
        kind = _resolve_kind(heading, parents)
        sections.append(Section(kind, heading.title, heading.start, max(end, heading.start)))
    if not headings and first < sign_start:
        sections.append(Section("achievements", "", first, sign_start))
    sections = _split_turns_to_plans(text, sections)
    sections.append(Section("other", "", sign_start, sign_end))
    if sign_end < len(text):
        lead = " ".join(text[sign_end:].split("\n")[:4])
        sections.append(Section(_kind_of_title(lead) or "other", lead[:_TITLE_LINE_MAX], sign_end, len(text)))
    return [s for s in sections if s.end > s.start]


def sentences(text: str, sections: list[Section], report_year: int | None = None) -> list[Sentence]:
    """Every non-blank sentence of `text`, with the kind of the section it starts in and its flags."""
    out: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text + "\n"):
        end = min(m.end(), len(text))
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        s, e = start + lead, start + len(piece.rstrip())
        if e > s and piece.strip("。！？；!? \n"):
            out.append(_sentence(text, s, e, _section_at(sections, s), report_year))
        start = end
    return out


# --- headings ---------------------------------------------------------------------------------------

def _headings(text: str) -> list[_Heading]:
    style_rank: dict[str, int] = {}
    found: list[_Heading] = []
    for line_start, line in _lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        offset = line_start + len(line) - len(line.lstrip())
        style = _style(stripped)
        if style is None:
            if _UNNUMBERED_TITLE.match(stripped) and found:
                found.append(_heading(stripped, offset, 1, plain=True))
            continue
        if style == "cn_shi" and "；" in re.split(r"[。：:]", stripped, maxsplit=1)[0]:
            continue  # 一是…；二是…: an inline list, not a heading
        level = style_rank.setdefault(style, len(style_rank) + 1)
        found.append(_heading(stripped, offset, level))
    return found


def _style(line: str) -> str | None:
    for name, pattern in _HEADING_STYLES:
        if pattern.match(line):
            return name
    return None


def _heading(line: str, offset: int, level: int, plain: bool = False) -> _Heading:
    title = re.split(r"[。：:]", line, maxsplit=1)[0] if not plain else re.split(r"[：:]", line, maxsplit=1)[0]
    title = title[:_TITLE_LINE_MAX]
    return _Heading(offset, offset + len(title), level, title, _kind_of_title(title, top=level == 1))


def _kind_of_title(title: str, top: bool = True) -> str | None:
    if _PROBLEM_TITLE.search(title) or top and _PROBLEM_TITLE_TOP.search(title):
        return "problems"
    if _PLAN_TITLE.search(title) or top and _PLAN_TITLE_TOP.search(title):
        return "plans"
    if _REVIEW_TITLE.search(title):
        return "review"
    if _DUTY_TITLE.search(title):
        return "duties"
    if _ACHIEVE_TITLE.search(title):
        return "achievements"
    return None


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


def _split_turns_to_plans(text: str, sections: list[Section]) -> list[Section]:
    """Cut a problems section (or the last section) where it turns to next year's work."""
    out: list[Section] = []
    last = len(sections) - 1
    for i, section in enumerate(sections):
        if section.kind in ("problems",) or (i == last and section.kind in ("achievements", "duties", "problems")):
            m = _TURN_TO_PLANS.search(text, section.start + len(section.title) + 1, section.end)
            if m:
                cut = m.start() + (len(m.group()) - len(m.group().lstrip()))
                out.append(Section(section.kind, section.title, section.start, cut))
                out.append(Section("plans", text[cut:cut + 12], cut, section.end))
                continue
        out.append(section)
    return out


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
