"""Why an extracted figure deserves a person's look (pure: figure, evidence and history in, reasons out).

Three signs, each cheap and each explainable in one Chinese phrase:
- weak trigger: the sentence names the metric only by a weak phrase of the catalog (执法人员 for 持证执法人员);
- summed: the value is a sum of parts the extractor added up (one body's count may be shared by several);
- far from usual: the value is more than `factor` times the township's median of its other years, or less
  than that median divided by `factor`."""
from __future__ import annotations

from statistics import median

from transforms.catalog import Metric, Trigger

WEAK = "weak_trigger"
SUMMED = "summed_parts"
OUTLIER = "far_from_usual"
REASON_TEXT = {WEAK: "只由弱触发词识别（原文未明确写出该指标名称）",
               SUMMED: "由几项数字相加得到（可能是几个主体共有的数字）",
               OUTLIER: "与该乡镇其他年度相差悬殊"}


def _names(trigger: Trigger, sentence: str) -> bool:
    """The trigger's parts appear in the sentence, in order."""
    at = 0
    for part in trigger.parts:
        found = sentence.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def weak_only(metric: Metric, evidence: str) -> bool:
    """No strong trigger of the metric in the evidence sentence, but a weak one is there."""
    strong = any(_names(t, evidence) for t in metric.triggers if not t.weak)
    return not strong and any(_names(t, evidence) for t in metric.triggers if t.weak)


def far_from_usual(value: float, other_years: list[float], factor: float, min_years: int) -> bool:
    """The value is `factor` times above or below the median of the township's other years."""
    if len(other_years) < min_years or factor <= 1:
        return False
    usual = median(other_years)
    if usual <= 0:
        return False
    return value > usual * factor or value < usual / factor


def reasons(metric: Metric, value: float, evidence: str, parts: str | None, other_years: list[float],
            factor: float, min_years: int) -> list[str]:
    """The reason codes (see REASON_TEXT) that apply to one extracted figure, most telling first."""
    out = []
    if far_from_usual(value, other_years, factor, min_years):
        out.append(OUTLIER)
    if weak_only(metric, evidence or ""):
        out.append(WEAK)
    if parts:
        out.append(SUMMED)
    return out
