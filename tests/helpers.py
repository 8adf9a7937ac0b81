"""Importable test helpers (conftest.py is not importable under --import-mode=importlib)."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_INBOX = REPO / "inbox"
SAMPLE_GOLD = REPO / "tests" / "data" / "samples_gold"   # copy of the gold figures for the five samples
CORPUS = REPO / "tests" / "data" / "corpus"


REPORT_TEMPLATE = """{county}{township}{year}年法治政府建设情况报告

{year}年，在{county}委、{county}政府的正确领导下，{township}深入贯彻落实全面依法治国决策部署，扎实推进法治政府建设。现将有关情况报告如下。

一、主要做法和成效
（一）加强组织领导。召开党委中心组学习{study}次，专题学习习近平法治思想。
（二）深化普法宣传。全年开展法治宣传进乡村活动{events}次，发放法治宣传资料{materials}余份。
（三）严格规范执法。我{kind}现有持证行政执法人员{officers}名，开展各类执法检查{inspections}次。
（四）化解矛盾纠纷。镇村两级调委会共调解各类民事纠纷{disputes}件，调解成功率达{rate}%。
{litigation}

二、存在的问题
部分干部法治意识仍需提高。

三、下一步工作打算
计划开展普法宣传活动不少于{plan_events}次。

{township}人民政府
{sign_year}年1月15日
"""


def make_report(township: str = "青山镇", year: int = 2022, county: str = "示例县", *, study: int = 3,
                events: int = 12, materials: int = 2000, officers: int = 9, inspections: int = 40,
                disputes: int = 30, rate: str = "98", reconsideration: int | None = 0,
                litigation: int | None = 1, plan_events: int = 20) -> str:
    """A short, realistic report whose figures are the keyword arguments (None: the figure is left out)."""
    lines = []
    if reconsideration is not None:
        lines.append("全年无行政复议案件。" if reconsideration == 0 else f"全年行政复议案件{reconsideration}件。")
    if litigation is not None:
        lines.append(f"全年行政诉讼案件{litigation}件。")
    return REPORT_TEMPLATE.format(
        county=county, township=township, year=year, study=study, events=events, materials=materials,
        kind="街道" if township.endswith("街道") else township[-1], officers=officers, inspections=inspections, disputes=disputes, rate=rate,
        litigation="".join(lines), plan_events=plan_events, sign_year=year + 1)
