"""Numbers written the way reports write them."""
from __future__ import annotations

import random

import pytest

from benchmarks.synth.numbers import chinese, chinese_year, fullwidth, render


@pytest.mark.parametrize(("n", "liang", "expected"), [
    (1, False, "一"), (10, False, "十"), (12, False, "十二"), (20, False, "二十"), (101, False, "一百零一"),
    (110, False, "一百一十"), (1203, False, "一千二百零三"), (3500, False, "三千五百"), (2, True, "两"),
    (20000, True, "两万"), (12000, False, "一万二千"), (20500, False, "二万零五百"),
])
def test_chinese_numerals(n, liang, expected):
    assert chinese(n, liang) == expected


def test_years_and_fullwidth():
    assert chinese_year(2021) == "二〇二一"
    assert fullwidth("2022年97.5%") == "２０２２年９７．５％"


def test_render_always_means_the_number():
    rng = random.Random(3)
    for n in (7, 45, 300, 1260, 12000, 35000):
        for _ in range(30):
            text = render(rng, n)
            assert text in {str(n), f"{n:,}", chinese(n), chinese(n, True), f"{n / 10000:g}万",
                            chinese(n // 10000, True) + "万"}
