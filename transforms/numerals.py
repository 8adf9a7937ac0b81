"""Find count-like number spans in normalized report text ("numbers before words").

Every number in the text is a candidate; the ones that are never a figure are dropped here
(years, dates, times, phone and hotline numbers, document numbers, ordinals, section numbering,
numbers inside law titles or quoted slogans, Chinese numerals inside fixed words). What is left
is a count, an amount or a rate; deciding which metric it belongs to is the figure layer's job.

The text is only indexed, never changed: every offset points into the string given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_CN_POSITIONAL = set("十百千万亿")
_CN_MULTIPLIER_ONLY = set("百千万亿")

# One number token: a Chinese percentage, an Arabic number (thousands separators, decimals and an
# optional 万/亿/千 multiplier) or a run of Chinese numerals.
_TOKEN = re.compile(
    rf"百分之(?P<pct>[{_CN_NUM}点]+)"
    r"|(?P<ar>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<mul>[万亿千](?![万亿千]))?"
    rf"|(?P<cn>[{_CN_NUM}]+(?:点[{_CN_NUM}]+)?)"
)

# Measure words, longest first so that 人次 wins over 人 and 场次 over 场.
UNITS = (
    "个百分点", "平方公里", "平方米", "万元", "亿元", "人次", "件次", "场次", "户次", "课时",
    "%", "次", "场", "期", "件", "宗", "起", "例", "份", "册", "本", "张", "人", "名", "位", "个",
    "户", "家", "处", "条", "项", "篇", "批", "所", "支", "座", "间", "套", "台", "辆", "元", "亩", "块",
    "家次", "个次", "处次",
    "公里", "米", "吨", "棵", "株", "岁", "轮", "堂", "部", "类", "封", "单", "批次", "倍", "频次",
)
_UNIT_ALTERNATION = "|".join(re.escape(u) for u in sorted(set(UNITS), key=len, reverse=True))
_UNIT_RE = re.compile(_UNIT_ALTERNATION)
# A number that is a whole table cell takes its measure word from the next cell when that cell is only
# a measure word (45 / 场次), or from the row label's brackets (普法宣传活动（场次） / 45).
_UNIT_CELL = re.compile(rf"\n[ ]*({_UNIT_ALTERNATION})[ ]*(?=\n|$)")
_LABEL_UNIT = re.compile(rf"[（(][ ]*({_UNIT_ALTERNATION})[ ]*[)）][ ]*\n[ ]*$")

# Units of time: a number followed by one of these is a year, date, time or duration, never a count.
_TIME_UNIT = re.compile(r"个月|个工作日|个小时|小时|分钟|周年|季度|星期|年|月|日|号|天|时|周|秒|世纪")

_PREFIX_QUALIFIERS = (
    ("不少于", "at_least"), ("不低于", "at_least"), ("至少", "at_least"), ("超过", "at_least"),
    ("多于", "at_least"), ("高于", "at_least"), ("大于", "at_least"), ("逾", "at_least"),
    ("超", "at_least"),
    ("不超过", "at_most"), ("不高于", "at_most"), ("不多于", "at_most"), ("不到", "at_most"),
    ("不足", "at_most"), ("少于", "at_most"), ("低于", "at_most"), ("最多", "at_most"),
    ("大约", "approx"), ("将近", "approx"), ("接近", "approx"), ("约", "approx"), ("近", "approx"),
)
_PREFIX_RE = re.compile(
    "(?:" + "|".join(re.escape(w) for w, _ in sorted(_PREFIX_QUALIFIERS, key=lambda p: -len(p[0]))) + r")\s*$"
)
_PREFIX_KIND = dict(_PREFIX_QUALIFIERS)
_NOT_APPROX_BEFORE_JIN = set("最附亲临靠贴就")  # 最近, 附近 ... are not "nearly"

_INNER_APPROX = re.compile(r"\s*(余|多)")  # between the number and its unit: 5600余份, 4800多份
_SUFFIX_QUALIFIERS = (
    ("左右", "approx"), ("上下", "approx"),
    ("及以上", "at_least"), ("以上", "at_least"), ("之上", "at_least"),
    ("及以下", "at_most"), ("以内", "at_most"), ("以下", "at_most"), ("之内", "at_most"),
)
_SUFFIX_RE = re.compile(r"\s*(" + "|".join(w for w, _ in _SUFFIX_QUALIFIERS) + ")")
_SUFFIX_KIND = dict(_SUFFIX_QUALIFIERS)

# A number right before one of these words is a hotline or service number (12345热线, 8890平台).
_HOTLINE_AFTER = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:热线|专线|平台|电话|工单|报警|接警|急救|联动|短信)")
_HOTLINE_BEFORE = re.compile(r"(?:拨打|热线|电话|号码|专线|手机)\s*[:：]?\s*$")
_SERVICE_NUMBER = re.compile(r"1\d{4}|9[56]\d{3}")
_RANGE_SEP = "-—–－~～至到"
_DATE_SEP = "·•．"
# Section numbering: 一、  (一)  （1）  1.  1、 at the start of a line or after a clause mark.
_CLAUSE_START = re.compile(r"(?:^|[\n。；;：:，,！？!?\s])[（(]?\s*$")
_WORD_BEFORE_ONE = set("每逐统唯单同之其万专划合归再又")  # 统一, 唯一, 之一, 再一次 ... are words, not counts
_VERB_AFTER_YIQI = set("开研参学走做抓推落深组进努共前来去合发协入探交谋商")  # 一起开展: "together", not 1起
_TITLE_MARKS = (("《", "》"), ("〈", "〉"), ("「", "」"), ("『", "』"))
_QUOTE_MARKS = ("“”\"", "‘’'")  # each set paired in order of appearance: writers mix “ and ” freely
_LABEL_BEFORE = ("第", "其", "届", "表", "图", "附件", "附表", "序号")  # 第3, 其一, 十九届十次, 表1
_SOME_BEFORE = set("几数若")  # 几十个, 数百人: not a number
_DOC_NUMBER = re.compile(r"[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号")
_QUOTE_MAX = 40
_DAY_NAME = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:日|周|节)")


@dataclass(frozen=True)
class NumberSpan:
    """One count-like number with its qualifier words and measure word."""

    value: float
    start: int
    end: int
    num_start: int
    num_end: int
    text: str
    qualifier: str
    unit: str | None
    is_percent: bool


def parse_numeral(s: str) -> float | None:
    """Value of an Arabic, Chinese or mixed numeral (`1,260`, `两万`, `1.2万`, `百分之九十八`); None if not one."""
    s = s.strip().replace(",", "")
    if s.startswith("百分之"):
        s = s[3:]
    s = s.rstrip("%")
    if not s:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    if s[0] in _CN_MULTIPLIER_ONLY:
        if len(s) > 1:
            return None  # 万一, 千万: words, not numbers
        s = "一" + s  # a bare 百 / 千 / 万 (of 百余, 近百) means one of it
    try:
        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def find_numbers(text: str) -> list[NumberSpan]:
    """Every count-like number span of `text`, in order of position."""
    masked = _masked_ranges(text)
    spans: list[NumberSpan] = []
    for m in _TOKEN.finditer(text):
        if _inside(m.start(), masked):
            continue
        span = _read_span(text, m)
        if span is not None:
            spans.append(span)
    return spans


def _masked_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges whose numbers are names, not counts: 《titles》, “slogans”, 〔2025〕1号."""
    ranges = [(m.start(), m.end()) for m in _DOC_NUMBER.finditer(text)]
    for line_start, line in _lines(text):
        for opening, closing in _TITLE_MARKS:
            ranges += _pairs(line, line_start, lambda c, o=opening: c == o, lambda c, c2=closing: c == c2, None)
        for marks in _QUOTE_MARKS:
            ranges += _pairs(line, line_start, marks.__contains__, marks.__contains__, _QUOTE_MAX)
    return sorted(ranges)


def _pairs(line: str, offset: int, is_open, is_close, max_len: int | None) -> list[tuple[int, int]]:
    """Ranges between an opening and the next closing mark of one line."""
    found, opened = [], None
    for i, c in enumerate(line):
        if opened is None and is_open(c):
            opened = i
        elif opened is not None and is_close(c):
            if max_len is None or i - opened <= max_len:
                found.append((offset + opened, offset + i + 1))
            opened = None
    return found


def _lines(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def _inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _read_span(text: str, m: re.Match) -> NumberSpan | None:
    """Build the span of one number token, or None when the token is not a count."""
    if m.group("pct") is not None:
        return _percent_span(text, m)
    if m.group("ar") is not None:
        return _arabic_span(text, m)
    return _chinese_span(text, m)


def _percent_span(text: str, m: re.Match) -> NumberSpan | None:
    value = parse_numeral(m.group("pct"))
    if value is None:
        return None
    return _assemble(text, value, m.start(), m.start("pct"), m.end("pct"), m.end(), "%")


def _arabic_span(text: str, m: re.Match) -> NumberSpan | None:
    digits = m.group("ar")
    num_start, num_end = m.start(), m.end()
    if _is_not_a_count_arabic(text, m):
        return None
    value = float(digits.replace(",", ""))
    mul = m.group("mul")
    if mul:
        value *= {"千": 1e3, "万": 1e4, "亿": 1e8}[mul]
    unit_at = _after_inner_approx(text, num_end)
    unit = _unit_at(text, unit_at)
    if unit is None and _is_lone_line(text, num_start, num_end):
        unit, cell_end = _cell_unit(text, num_start, num_end)
        return _assemble(text, value, num_start, num_start, num_end, cell_end, unit)
    if unit is None and _TIME_UNIT.match(text, unit_at):
        return None
    if unit is None and _looks_like_year(digits):
        return None
    if unit is None and _is_hotline(text, num_start, num_end, digits):
        return None
    if _is_date_part(text, num_start, num_end) or (unit is None and _is_day_name(text, digits, num_end)):
        return None
    return _assemble(text, value, num_start, num_start, num_end, unit_at + len(unit or ""), unit)


def _is_day_name(text: str, digits: str, end: int) -> bool:
    """12.4国家宪法日, 3.15消费者权益日, 6.26国际禁毒日: a month.day naming a day, not a decimal."""
    return bool(re.fullmatch(r"\d{1,2}\.\d{1,2}", digits) and _DAY_NAME.match(text, end))


def _is_not_a_count_arabic(text: str, m: re.Match) -> bool:
    """Ordinals, section numbers, numbers glued to Latin letters (5G, 3A级) or formulas (1+X)."""
    start, end = m.start(), m.end("ar")
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before.isascii() and before.isalpha() or after.isascii() and after.isalpha():
        return True
    if "+" in (before, after) or (before and before in ".·"):
        return True
    if _is_clock_time(text, start, end):
        return True
    if _is_ordinal(text, start):
        return True
    if _is_lone_line(text, start, end) and _cell_unit(text, start, end)[0] is None:
        return True  # a table's row number
    if m.group("mul"):
        return False
    return _is_section_number(text, start, end, short="," not in m.group("ar") and len(m.group("ar")) <= 2)


def _is_clock_time(text: str, start: int, end: int) -> bool:
    """9:30, 14：00."""
    return bool(re.match(r"[:：]\d\d", text[end:end + 3]) or re.search(r"\d[:：]$", text[max(0, start - 2):start]))


def _chinese_span(text: str, m: re.Match) -> NumberSpan | None:
    run = m.group("cn")
    start, end = m.start(), m.end()
    if len(run) > 1 and not (_CN_POSITIONAL & set(run)) and "点" not in run:
        return None  # 二〇二〇, 一二: digit-by-digit years or codes, never a count
    if _is_ordinal(text, start) or _is_date_part(text, start, end):
        return None
    if start and text[start - 1] in _SOME_BEFORE and run[0] in _CN_POSITIONAL:
        return None
    if start and text[start - 1] in _WORD_BEFORE_ONE and run[0] == "一":
        return None
    unit_at = _after_inner_approx(text, end)
    if run in _CN_MULTIPLIER_ONLY and unit_at == end and not _bare_multiplier_ok(text, start):
        return None  # 千家万户, 百姓: a bare 千/万/百 is a number only as 千余, 近百, 上千
    unit = _unit_at(text, unit_at)
    if unit is None or unit == "%":
        return None  # a Chinese numeral inside a word (统一, 一线, 三重一大) is not a count
    after_unit = unit_at + len(unit)
    if _is_fixed_phrase(text, run, start, after_unit):
        return None
    value = parse_numeral(run)
    if value is None:
        return None
    return _assemble(text, value, start, start, end, after_unit, unit)


def _is_fixed_phrase(text: str, run: str, start: int, after_unit: int) -> bool:
    """一次性, 一部分, 一户一档 / 一案一评, 一起(together): a numeral and a measure word that make a word."""
    follow = text[after_unit:after_unit + 1]
    if follow in ("性", "式") or text.startswith("部分", after_unit - 1):
        return True
    if run != "一":
        return False
    if follow == "一" or (start >= 2 and text[start - 2] == "一"):
        return True
    return text.startswith("一起", start) and follow in _VERB_AFTER_YIQI


def _bare_multiplier_ok(text: str, start: int) -> bool:
    """近百人次, 约千份, 上万人: a bare 百/千/万 after an approximating word."""
    if start and text[start - 1] == "上":
        return True
    prefix = _PREFIX_RE.search(text, max(0, start - 4), start)
    return prefix is not None and _prefix_applies(text, prefix)


def _after_inner_approx(text: str, pos: int) -> int:
    """Position after 余/多 right behind a number (5600余份), else `pos`."""
    inner = _INNER_APPROX.match(text, pos)
    return inner.end() if inner else pos


def _unit_at(text: str, pos: int) -> str | None:
    """The measure word at `pos` (spaces skipped); 个 of 6个月 is a duration, not a unit."""
    while pos < len(text) and text[pos] == " ":
        pos += 1
    if _TIME_UNIT.match(text, pos):
        return None
    u = _UNIT_RE.match(text, pos)
    return u.group() if u else None


def _is_ordinal(text: str, start: int) -> bool:
    """第一, 第3, 其一, 十九届十次, 表1: a number that labels rather than counts."""
    before = text[max(0, start - 3):start].rstrip()
    return before.endswith(_LABEL_BEFORE)


def _is_lone_line(text: str, start: int, end: int) -> bool:
    """A number that is a whole line: a table's row number."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start:start].strip() and not text[end:line_end].strip()


def _cell_unit(text: str, start: int, end: int) -> tuple[str | None, int]:
    """(measure word, end of the span) of a number alone on its line, from the cells around it."""
    line_end = text.find("\n", end)
    if line_end >= 0 and (cell := _UNIT_CELL.match(text, line_end)):
        return cell.group(1), cell.end(1)
    line_start = text.rfind("\n", 0, start) + 1
    if line_start and (label := _LABEL_UNIT.search(text, max(0, line_start - 40), line_start)):
        return label.group(1), end
    return None, end


def _is_section_number(text: str, start: int, end: int, short: bool) -> bool:
    """一、  1.  1、  (1)  （一） at the start of a line or clause."""
    if not short:
        return False
    after = text[end:end + 2]
    before = text[max(0, start - 3):start]
    if after[:1] in ("、", "）", ")") and _CLAUSE_START.search(before):
        return True
    if after[:1] and after[:1] in ".．" and (len(after) < 2 or not after[1].isdigit()):
        return _CLAUSE_START.search(before) is not None
    return False


def _is_date_part(text: str, start: int, end: int) -> bool:
    """12·4 (a day), 1-12月 / 1至11月 (a range of months or days)."""
    if start and text[start - 1] in _DATE_SEP:
        return True
    if end < len(text) and text[end] in _DATE_SEP and end + 1 < len(text) and _TOKEN.match(text, end + 1):
        return True
    if end < len(text) and text[end] in _RANGE_SEP:
        nxt = _TOKEN.match(text, end + 1)
        if nxt and (_TIME_UNIT.match(text, nxt.end()) or _looks_like_year(nxt.group())):
            return True
    return False


def _looks_like_year(digits: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", digits))


def _is_hotline(text: str, start: int, end: int, digits: str) -> bool:
    """12345 / 12348 / 8890 / 023-6xxxxxxx / mobile numbers, with no measure word after them."""
    if "," in digits or "." in digits:
        return False
    if len(digits) >= 7 or _SERVICE_NUMBER.fullmatch(digits):
        return True
    if end < len(text) and text[end] in "-－" and re.match(r"\d{6,8}", text[end + 1:end + 9]):
        return True
    if start and text[start - 1] in "-－":
        return True
    return bool(_HOTLINE_AFTER.match(text, end) or _HOTLINE_BEFORE.search(text[max(0, start - 8):start]))


def _assemble(
    text: str, value: float, start: int, num_start: int, num_end: int, end: int, unit: str | None
) -> NumberSpan:
    """Attach qualifier words before and after, and build the span."""
    qualifier = "approx" if _after_inner_approx(text, num_end) > num_end else "exact"
    end = max(end, _after_inner_approx(text, num_end))
    suffix = _SUFFIX_RE.match(text, end)
    if suffix:
        qualifier = _SUFFIX_KIND[suffix.group(1)]
        end = suffix.end()
    if start and text[start - 1] == "上" and text[start] in _CN_MULTIPLIER_ONLY:
        return _span(text, value, start - 1, num_start, num_end, end, unit, "approx")
    prefix = _PREFIX_RE.search(text, max(0, start - 4), start)
    if prefix and _prefix_applies(text, prefix):
        if qualifier == "exact" or _PREFIX_KIND[prefix.group().strip()] != "approx":
            qualifier = _PREFIX_KIND[prefix.group().strip()]
        start = prefix.start()
    return _span(text, value, start, num_start, num_end, end, unit, qualifier)


def _span(
    text: str, value: float, start: int, num_start: int, num_end: int, end: int, unit: str | None, qualifier: str
) -> NumberSpan:
    return NumberSpan(
        value=value, start=start, end=end, num_start=num_start, num_end=num_end, text=text[start:end],
        qualifier=qualifier, unit=unit, is_percent=unit == "%",
    )


def _prefix_applies(text: str, prefix: re.Match) -> bool:
    word = prefix.group().strip()
    if word in ("近", "超") and prefix.start() and text[prefix.start() - 1] in _NOT_APPROX_BEFORE_JIN:
        return False
    if word == "超" and prefix.start() and text[prefix.start() - 1] in "赶":
        return False
    return True
