"""One whole synthetic report: title, addressee, preamble, themed sections, problems, plans, signature."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from benchmarks.synth import sentences as S
from benchmarks.synth.numbers import chinese, chinese_year, fullwidth
from benchmarks.synth.places import Township
from benchmarks.synth.themes import PLAN_BOILERPLATE, PLAN_HEADINGS, PROBLEM_HEADINGS, PROBLEMS, THEMES

THEME_METRICS = {
    "lead": ("party_group_law_study_sessions", "rule_of_law_meetings"),
    "decide": ("legal_advisers", "legal_opinions_issued"),
    "enforce": ("certified_enforcement_officers", "enforcement_inspections", "rectification_notices"),
    "publicity": ("publicity_events", "publicity_materials", "legal_consultations", "legal_service_stations",
                  "model_villages"),
    "disputes": ("disputes_mediated", "disputes_resolved", "mediation_success_rate", "petitions_received",
                 "npc_suggestions_handled"),
    "develop": (),
    "oversight": ("admin_reconsideration_cases",),
}
REQUIRED = {"disputes_mediated", "admin_reconsideration_cases", "publicity_events", "certified_enforcement_officers"}
STYLES = (("cn", 0.45), ("yishi", 0.25), ("num", 0.15), ("none", 0.15))
# where the county is stated: in the title, the addressee line, the preamble, only by the inbox folder, nowhere
COUNTY_MODES = (("title", 0.35), ("addressee", 0.2), ("preamble", 0.15), ("folder", 0.2), ("none", 0.1))
ORDINALS = "一二三四五六七八九十"


@dataclass
class Draft:
    text: str
    township: str
    county: str | None        # what a correct reader records (text or folder)
    city: str | None
    year: int
    folder: str | None        # the county subfolder the file goes in, if any
    facts: list[S.Fact] = field(default_factory=list)


def _weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _year_text(rng: random.Random, year: int) -> str:
    return rng.choices((str(year), chinese_year(year), fullwidth(str(year))), weights=(0.8, 0.1, 0.1))[0]


def _metric_sentences(rng: random.Random, org: S.Org, metric: str) -> list[S.Sentence]:
    if metric == "legal_advisers":
        return [S.advisers(rng, org)]
    if metric == "mediation_success_rate":
        return [S.mediation_rate(rng, org)]
    if metric == "petitions_received":
        return [S.petitions(rng, org)]
    if metric == "admin_reconsideration_cases":
        return S.disputes_cases(rng, org)
    if metric == "certified_enforcement_officers" and rng.random() < 0.3:
        return S.officers_with_new(rng, org)
    if metric in S.SUMMABLE and rng.random() < 0.35:
        return [S.summed(rng, org, metric)]
    return [S.simple(rng, org, metric)]


def _theme_body(rng: random.Random, org: S.Org, theme: str) -> list[S.Sentence]:
    """Boilerplate first, then the figure sentences placed among it, maybe a distractor at the end."""
    _, boiler, distractors = THEMES[theme]
    blocks = [[S.Sentence(org.fill(b))] for b in rng.sample(boiler, rng.randint(3, min(5, len(boiler))))]
    for metric in THEME_METRICS[theme]:
        if rng.random() < (0.93 if metric in REQUIRED or theme == "oversight" else 0.6):
            blocks.insert(rng.randint(1, len(blocks)), _metric_sentences(rng, org, metric))
    if rng.random() < 0.5:
        blocks.append([S.Sentence(org.fill(rng.choice(distractors), n=str(rng.randint(3, 300))))])
    return [s for block in blocks for s in block]


def _join(parts: list[S.Sentence]) -> str:
    return "".join(p.text + "。" for p in parts)


@dataclass
class _Ctx:
    rng: random.Random
    tw: Township
    org: S.Org
    year: int
    style: str
    county_ref: str        # 县 / 区 / 市: how the body refers to the county without naming it


def _title(ctx: _Ctx, county_in_title: bool) -> str:
    y = _year_text(ctx.rng, ctx.year)
    if county_in_title:
        return ctx.rng.choice((f"{ctx.tw.county}{ctx.tw.name}{y}年法治政府建设情况报告",
                               f"{ctx.tw.county}{ctx.tw.name}{y}年度法治政府建设工作报告"))
    return ctx.rng.choice((f"{ctx.tw.name}{y}年法治政府建设情况报告", f"{ctx.tw.name}关于{y}年法治政府建设情况的报告",
                           f"关于{ctx.tw.name}{y}年度法治政府建设工作情况的报告"))


def _preamble(ctx: _Ctx, county_named: bool, city_named: bool) -> str:
    c = ctx.county_ref
    lead = f"{ctx.year}年，" if ctx.rng.random() < 0.6 else "今年以来，"
    basis = ""
    if county_named or city_named:
        who = "、".join(x for x, on in ((ctx.tw.city, city_named), (ctx.tw.county, county_named)) if on)
        doc = f"（{c}法委〔{ctx.year}〕{ctx.rng.randint(1, 12)}号）" if ctx.rng.random() < 0.3 else ""
        basis = f"按照{who}关于法治政府建设的决策部署{doc}，"
    return (f"{lead}{ctx.tw.name}在{c}委、{c}政府的坚强领导下，以习近平新时代中国特色社会主义思想为指导，"
            f"深入学习贯彻习近平法治思想，{basis}全面推进依法行政，各项工作取得新成效。现将有关情况报告如下：")


def _sections(ctx: _Ctx, facts: list[S.Fact]) -> list[str]:
    lines: list[str] = []
    if ctx.style == "cn":
        lines.append("一、主要工作举措和成效")
    for i, theme in enumerate(THEMES):
        heading = ctx.org.fill(ctx.rng.choice(THEMES[theme][0]))
        body = _theme_body(ctx.rng, ctx.org, theme)
        facts.extend(f for s in body for f in s.facts)
        text = _join(body)
        if ctx.style == "cn":
            lines += [f"（{ORDINALS[i]}）{heading}", text]
        elif ctx.style == "num":
            lines.append(f"{i + 1}.{heading}。{text}")
        elif ctx.style == "yishi":
            lines.append(f"{ORDINALS[i]}是{heading}。{text}")
        else:
            lines.append(text)
    return lines


def _problems(ctx: _Ctx) -> list[str]:
    picked = ctx.rng.sample(PROBLEMS, 3)
    listed = "；".join(f"{ORDINALS[i]}是{p}" for i, p in enumerate(picked)) + "。"
    head = ctx.rng.choice(PROBLEM_HEADINGS)
    if ctx.style == "cn":
        return [f"二、{head}", listed]
    return [f"{head}：{listed}"]


def _plans(ctx: _Ctx, facts: list[S.Fact]) -> list[str]:
    picks = ctx.rng.sample(range(len(S.PLANS)), ctx.rng.randint(1, 4))
    items = [S.plan(ctx.rng, ctx.org, i) for i in picks]
    if ctx.rng.random() < 0.3:
        items.append(S.plan_no_lost(ctx.org))
    items.insert(0, S.Sentence(ctx.rng.choice(PLAN_BOILERPLATE)))
    facts.extend(f for s in items for f in s.facts)
    listed = "；".join(f"{ORDINALS[i]}是{s.text}" for i, s in enumerate(items)) + "。"
    head = ctx.rng.choice(PLAN_HEADINGS).format(next=ctx.year + 1)
    if ctx.style == "cn":
        return [f"三、{head}", listed]
    return [f"{head}：{listed}"]


def _signature(ctx: _Ctx) -> list[str]:
    body = f"{ctx.tw.name}办事处" if ctx.tw.suffix == "街道" else f"{ctx.tw.name}人民政府"
    month, day = ctx.rng.randint(1, 3), ctx.rng.randint(1, 28)
    if ctx.rng.random() < 0.2:
        return [body, f"{chinese_year(ctx.year + 1)}年{chinese(month)}月{chinese(day)}日"]
    return [body, f"{ctx.year + 1}年{month}月{day}日"]


def build(rng: random.Random, tw: Township, year: int) -> Draft:
    """A report of `tw` for `year`, and what a correct pipeline reads from it."""
    mode = _weighted(rng, COUNTY_MODES)
    county_ref = tw.county[-1] if tw.county[-1] in "区市旗" else "县"
    ctx = _Ctx(rng, tw, S.Org(tw.name, tw.suffix), year, _weighted(rng, STYLES), county_ref)
    city_named = mode not in ("folder", "none") and tw.city is not None and rng.random() < 0.5
    facts: list[S.Fact] = []
    lines = [_title(ctx, mode == "title")]
    if mode == "addressee":
        lines.append(f"{tw.county}人民政府：")
    lines.append(_preamble(ctx, mode == "preamble", city_named))
    lines += _sections(ctx, facts) + _problems(ctx) + _plans(ctx, facts) + _signature(ctx)
    indent = "　　" if rng.random() < 0.3 else ""
    text = "\n".join([lines[0]] + [indent + line for line in lines[1:]]) + "\n"
    if rng.random() < 0.05:
        text = fullwidth(text)
    in_folder = mode == "folder" or (mode != "none" and rng.random() < 0.1)
    return Draft(text, tw.name, None if mode == "none" else tw.county, tw.city if city_named else None, year,
                 tw.county if in_folder else None, facts)
