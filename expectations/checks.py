"""Names and Chinese wording of the data-quality checks (no GX import: alerts and the CLI use this too).

A check name is what `rejected_metrics.expectation`, `dq_results.expectation` and a dq_failure alert's
`detail` hold; the Chinese text is what a person reads in a digest and in the Data Docs.
"""
from __future__ import annotations

CHECK_TEXT: dict[str, str] = {
    # figures
    "metric_in_catalog": "指标不在指标目录中",
    "value_not_null": "数值为空",
    "value_not_negative": "数值不能为负数",
    "rate_within_0_100": "比率（%）应在 0 到 100 之间",
    "unit_matches_catalog": "单位与指标目录不符（比率类指标用 %，计数类指标不用 %）",
    "value_within_upper_bound": "数值超出指标目录给出的合理上限",
    "qualifier_in_set": "限定词不是 exact / approx / at_least / at_most 之一",
    "evidence_not_empty": "缺少原文依据（证据句为空）",
    "offsets_ordered": "证据位置不正确（起点在终点之后或为负）",
    "one_result_per_metric": "同一报告同一指标出现多个结果",
    "parts_within_total": "分项数值大于合计数",
    # consistency across figures of one report
    "part_within_total_metric": "分项指标大于其总数指标（如办结数大于收件数）",
    # reports
    "report_id_unique": "报告编号重复",
    "township_not_null": "缺少乡镇名称",
    "township_suffix": "乡镇名称应以乡、镇、街道、苏木或街结尾",
    "year_not_null": "缺少报告年度",
    "year_in_range": "报告年度不在合理范围内",
    "one_current_report": "同一县、乡镇、年度有多份现行报告",
    # completeness
    "one_row_per_report": "完整性检查中同一报告出现多行",
    "required_metric_present": "缺少必报指标",
}


def check_text(name: str | None) -> str:
    """The Chinese wording of a check; an unknown name is shown as it is."""
    if name is None:
        return ""
    return CHECK_TEXT.get(name.split(":", 1)[0], name)
