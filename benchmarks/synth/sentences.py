"""Sentences that state a figure, written the way township reports do, with the figure they state.

Every template follows the extraction rules of metrics.md, so the expected figure written next to the
report is what a correct extractor returns: sums of listed parts, qualifiers from 余/约/以上, zero from
negation, plan targets flagged as plans.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from benchmarks.synth.numbers import chinese, render, round_to


@dataclass(frozen=True)
class Fact:
    metric: str
    value: float
    qualifier: str
    is_plan: bool = False


@dataclass
class Sentence:
    text: str
    facts: list[Fact] = field(default_factory=list)


@dataclass(frozen=True)
class Org:
    """How a report names its own bodies: 镇党委 / 乡政府 / 街道党工委 ..."""

    township: str
    short: str          # 镇 | 乡 | 街道

    @property
    def party(self) -> str:
        return "街道党工委" if self.short == "街道" else f"{self.short}党委"

    @property
    def gov(self) -> str:
        return "街道办事处" if self.short == "街道" else f"{self.short}政府"

    @property
    def office_meeting(self) -> str:
        return "主任办公会" if self.short == "街道" else f"{self.short}长办公会"

    def fill(self, template: str, **values: str) -> str:
        return template.format(P=self.party, G=self.gov, S=self.short, M=self.office_meeting, **values)


APPROX = ("{n}余{u}", "{n}多{u}", "约{n}{u}", "近{n}{u}", "{n}{u}左右")
AT_LEAST = ("{n}{u}以上", "超过{n}{u}", "不少于{n}{u}")


def quantity(rng: random.Random, n: int, unit: str, vague_ok: bool = True) -> tuple[str, float, str]:
    """A count with its unit as written (`1,260余次`, `十二次`), the value it means and its qualifier."""
    roll = rng.random()
    if vague_ok and n >= 20 and roll < 0.22:
        value = round_to(n, 100 if n >= 1000 else 10)
        return rng.choice(APPROX).format(n=render(rng, value), u=unit), value, "approx"
    if vague_ok and n >= 20 and roll < 0.30:
        value = round_to(n, 100 if n >= 1000 else 10)
        return rng.choice(AT_LEAST).format(n=render(rng, value), u=unit), value, "at_least"
    return render(rng, n) + unit, n, "exact"


# metric, units, low, high, vague allowed, templates with {q} (the quantity) and the Org fields
SIMPLE = (
    ("party_group_law_study_sessions", ("次",), 2, 12, False, (
        "{P}理论学习中心组开展集体学法{q}",
        "全年召开{P}中心组学习{q}，专题学习《宪法》《民法典》等法律法规",
        "召集{P}理论学习中心组专题学法{q}，班子成员带头讲法")),
    ("rule_of_law_meetings", ("次",), 1, 6, False, (
        "全年召开专题研究法治工作会议{q}",
        "{P}会专题研究法治工作{q}，听取法治建设工作汇报")),
    ("publicity_events", ("次", "场次"), 5, 90, True, (
        "全年开展普法宣传活动{q}",
        "组织“以案释法”“法律进万家”等主题宣传活动{q}",
        "深入村组、学校、企业开展“法律六进”宣传活动{q}")),
    ("publicity_materials", ("份",), 500, 30000, True, (
        "发放法治宣传资料{q}",
        "发放宣传册、宣传单等普法资料{q}",
        "印发《民法典》口袋书、法律明白卡等宣传资料{q}")),
    ("legal_consultations", ("人次",), 30, 900, True, (
        "解答群众法律咨询{q}",
        "现场为群众提供法律咨询{q}")),
    ("certified_enforcement_officers", ("名", "人"), 3, 30, False, (
        "我{S}现有持证行政执法人员{q}",
        "{S}综合行政执法队现有持证执法人员{q}")),
    ("enforcement_inspections", ("次",), 20, 1500, True, (
        "开展各类执法检查{q}",
        "全年组织开展联合执法检查{q}，发现并督促整改问题隐患")),
    ("rectification_notices", ("份",), 2, 300, True, (
        "下达责令整改通知书{q}",
        "发出责令限期整改通知书{q}")),
    ("legal_opinions_issued", ("份",), 3, 80, False, (
        "法律顾问全年出具法律意见书{q}",
        "为重大决策出具法律意见书{q}")),
    ("disputes_mediated", ("件",), 10, 400, True, (
        "{S}村两级调委会共排查调解各类民事纠纷{q}",
        "人民调解委员会全年调处纠纷共{q}",
        "各级调解组织共调解矛盾纠纷{q}")),
    ("disputes_resolved", ("件", "起"), 10, 400, True, (
        "共排查化解矛盾纠纷{q}",
        "全年排查化解各类矛盾纠纷{q}，做到小事不出村、大事不出{S}")),
    ("npc_suggestions_handled", ("件",), 3, 50, False, (
        "认真办理人大代表建议{q}，办理结果均向代表反馈",)),
    ("legal_service_stations", ("个",), 1, 30, False, (
        "规范化打造{S}、村（居）公共法律服务工作站（室）{q}",
        "建成公共法律服务工作站（室）{q}")),
    ("model_villages", ("个",), 1, 8, False, (
        "积极开展民主法治示范村创建，截至年底已成功创建{q}",)),
)
SIMPLE_BY_METRIC = {row[0]: row for row in SIMPLE}


def simple(rng: random.Random, org: Org, metric: str) -> Sentence:
    _, units, low, high, vague_ok, templates = SIMPLE_BY_METRIC[metric]
    text, value, qualifier = quantity(rng, rng.randint(low, high), rng.choice(units), vague_ok)
    return Sentence(org.fill(rng.choice(templates), q=text), [Fact(metric, value, qualifier)])


def summed(rng: random.Random, org: Org, metric: str) -> Sentence:
    """One sentence listing parts of one metric: the value is their sum (metrics.md, Sums)."""
    if metric == "publicity_events":
        places = rng.sample(("进村", "进校园", "进企业", "进社区", "进机关", "进市场"), rng.randint(2, 4))
        parts = [rng.randint(1, 20) for _ in places]
        listed = "、".join(f"{p}{render(rng, n, (0.85, 0.15, 0))}次" for p, n in zip(places, parts))
        return Sentence(f"开展法治宣传{places[0]}活动{listed[len(places[0]):]}",
                        [Fact(metric, sum(parts), "exact")])
    if metric == "rule_of_law_meetings":
        a, b = rng.randint(1, 4), rng.randint(1, 4)
        return Sentence(org.fill("先后召开{P}会{a}次、{M}{b}次，专题研究法治工作", a=chinese(a) if rng.random() < 0.2
                                 else str(a), b=str(b)), [Fact(metric, a + b, "exact")])
    a, b = rng.randint(1, 3), rng.randint(1, 5)
    return Sentence(org.fill("全{S}现有省级民主法治示范村{a}个、市级{b}个", a=str(a), b=str(b)),
                    [Fact("model_villages", a + b, "exact")])


SUMMABLE = ("publicity_events", "rule_of_law_meetings", "model_villages")


def advisers(rng: random.Random, org: Org) -> Sentence:
    n = rng.choice((1, 1, 1, 2, 2, 3))
    word = chinese(n, liang=True) if rng.random() < 0.4 else str(n)
    return Sentence(org.fill(rng.choice(("{G}聘请{n}名律师担任常年法律顾问", "聘请{n}名律师作为我{S}政府法律顾问")),
                             n=word), [Fact("legal_advisers", n, "exact")])


def mediation_rate(rng: random.Random, org: Org) -> Sentence:
    rate = rng.choice((round(rng.uniform(92, 99.9), 2), rng.randint(95, 100)))
    if rate != 100 and rng.random() < 0.2:
        rate = int(rate)
        return Sentence(f"调解成功率达{rate}%以上", [Fact("mediation_success_rate", rate, "at_least")])
    template = rng.choice(("调解成功率达{r}%", "调处成功率达到{r}%"))
    return Sentence(template.format(r=f"{rate:g}"), [Fact("mediation_success_rate", rate, "exact")])


def petitions(rng: random.Random, org: Org) -> Sentence:
    received = rng.randint(5, 80)
    closed = received - rng.choice((0, 0, 1, 2))
    template = rng.choice(("共收到各级信访件{a}件，办结{b}件", "全年受理信访事项{a}件，办结{b}件"))
    return Sentence(template.format(a=received, b=closed),
                    [Fact("petitions_received", received, "exact"), Fact("petitions_closed", closed, "exact")])


def officers_with_new(rng: random.Random, org: Org) -> list[Sentence]:
    """The head-count, then new officers of the year: only the first is the metric (metrics.md)."""
    head = simple(rng, org, "certified_enforcement_officers")
    return [head, Sentence(f"今年新增持证执法人员{rng.randint(1, 4)}名，执法力量得到充实")]


def disputes_cases(rng: random.Random, org: Org) -> list[Sentence]:
    """Reconsideration, litigation and lost lawsuits: counts or negations."""
    recon = rng.choice((0, 0, 0, 1, 1, 2, 3))
    lit = rng.choice((0, 0, 0, 1, 2, 3))
    if recon == 0 and lit == 0 and rng.random() < 0.6:
        text = rng.choice(("全年无行政复议和行政诉讼案件", "全年未发生行政复议、行政诉讼案件"))
        return [Sentence(text, [Fact("admin_reconsideration_cases", 0, "exact"),
                                Fact("admin_litigation_cases", 0, "exact")])]
    out = [Sentence(f"全年以{org.gov}为被申请人的行政复议案件{recon}件" if recon else "全年无行政复议案件",
                    [Fact("admin_reconsideration_cases", recon, "exact")])]
    if lit == 0:
        out.append(Sentence("未发生行政诉讼案件", [Fact("admin_litigation_cases", 0, "exact")]))
        return out
    lost = rng.choice((0, 0, 1)) if lit > 1 else 0
    lost_text = f"，其中败诉{lost}件" if lost else "，无行政败诉案件"
    out.append(Sentence(f"我{org.short}行政诉讼案件{lit}{rng.choice('件宗')}{lost_text}",
                        [Fact("admin_litigation_cases", lit, "exact"), Fact("admin_litigation_lost", lost, "exact")]))
    return out


# plan targets: metric, template, low, high, qualifier
PLANS = (
    ("publicity_events", "全年开展普法宣传活动不少于{n}次", 10, 60, "at_least"),
    ("publicity_materials", "发放法治宣传资料不少于{n}份", 1000, 20000, "at_least"),
    ("party_group_law_study_sessions", "{P}理论学习中心组学法不少于{n}次", 4, 12, "at_least"),
    ("certified_enforcement_officers", "确保持证执法人员达到{n}人以上", 5, 30, "at_least"),
    ("enforcement_inspections", "计划开展执法检查{n}次以上", 50, 800, "at_least"),
    ("model_villages", "力争新创建民主法治示范村{n}个", 1, 3, "exact"),
)


def plan(rng: random.Random, org: Org, index: int) -> Sentence:
    metric, template, low, high, qualifier = PLANS[index]
    n = rng.randint(low, high)
    if n >= 1000:
        n = round_to(n, 1000)
    elif n >= 100:
        n = round_to(n, 10)
    return Sentence(org.fill(template, n=str(n)), [Fact(metric, n, qualifier, is_plan=True)])


def plan_no_lost(org: Org) -> Sentence:
    return Sentence("力争行政诉讼败诉案件为零", [Fact("admin_litigation_lost", 0, "exact", is_plan=True)])
