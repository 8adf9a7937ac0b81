"""How reports write numbers: Arabic, with thousands separators, Chinese numerals, 万, full-width digits."""
from __future__ import annotations

import random

DIGITS = "零一二三四五六七八九"
UNITS = ((1000, "千"), (100, "百"), (10, "十"))
FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def chinese(n: int, liang: bool = False) -> str:
    """Chinese numerals for 0 <= n < 100000: 12 -> 十二, 1203 -> 一千二百零三, 20000 -> 二万.

    With `liang`, a leading 2 reads 两 (两名, 两万), as reports write counts of people and things.
    """
    if n == 0:
        return "零"
    out, rest, pending_zero = "", n, False
    if rest >= 10000:
        out, rest = chinese(rest // 10000, liang) + "万", rest % 10000
        pending_zero = 0 < rest < 1000
    for size, unit in UNITS:
        digit, rest = divmod(rest, size)
        if digit:
            if pending_zero:
                out += "零"
            out += ("" if size == 10 and digit == 1 and not out else DIGITS[digit]) + unit
            pending_zero = False
        elif out:
            pending_zero = True
    if rest:
        out += ("零" if pending_zero else "") + DIGITS[rest]
    if liang and out.startswith("二") and not out.startswith("二十"):
        out = "两" + out[1:]
    return out


def chinese_year(year: int) -> str:
    """二〇二一 for 2021, the way reports write a year in characters."""
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(year))


def fullwidth(text: str) -> str:
    return text.translate(FULLWIDTH)


def render(rng: random.Random, n: int, style_weights: tuple[float, float, float] = (0.8, 0.12, 0.08)) -> str:
    """Write a count the way a report would: mostly Arabic, sometimes 1,260 or 三千五百 or 1.2万."""
    style = rng.choices(("arabic", "chinese", "wan"), weights=style_weights)[0]
    if style == "chinese" and n < 100000 and (n < 100 or n % 100 == 0):
        return chinese(n, liang=rng.random() < 0.5)
    if style == "wan" and n >= 10000 and n % 1000 == 0:
        wan = n / 10000
        if wan == int(wan) and rng.random() < 0.4:
            return chinese(int(wan), liang=True) + "万"
        return f"{wan:g}万"
    if n >= 1000 and rng.random() < 0.3:
        return f"{n:,}"
    return str(n)


def round_to(n: int, step: int) -> int:
    """A round number as reports give with 余/约/多: 5637 -> 5600."""
    return max(step, n // step * step)
