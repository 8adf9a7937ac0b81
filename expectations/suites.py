"""The GX suites, declared as code: what a batch must satisfy before it is loaded.

Each expectation carries its check name in `meta["check"]` (see expectations/checks.py) and its Chinese
wording as the description shown in the Data Docs. The suites run on pandas views made by
expectations/views.py; the columns named here are the columns of those views.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from expectations.checks import CHECK_TEXT
from transforms.model import QUALIFIERS

FIGURES, CONSISTENCY, REPORTS, COMPLETENESS = "figures", "consistency", "reports", "completeness"


@dataclass(frozen=True)
class GateRules:
    """What the suites are parameterised with: the catalog, the config's [required] and [quality]."""

    catalog_keys: tuple[str, ...]
    required: tuple[str, ...]
    current_year: int
    first_year: int = 2000                                   # [quality] first_year
    township_suffixes: tuple[str, ...] = ("乡", "镇", "街道", "苏木", "街")  # [quality] township_suffixes
    part_of: tuple[tuple[str, str], ...] = ()                # [quality] part_of: (part, total) metric pairs
    percent_metrics: frozenset[str] = frozenset()            # catalog metrics measured in %
    upper_bounds: dict[str, float] = field(default_factory=dict)  # catalog: plausible maximum per metric


def _meta(check: str, **extra: Any) -> dict[str, Any]:
    return {"meta": {"check": check, **extra}, "description": CHECK_TEXT[check]}


def figures_suite(rules: GateRules) -> list[gxe.Expectation]:
    """One row per extracted figure (results and plan targets alike)."""
    suite: list[gxe.Expectation] = [
        gxe.ExpectColumnValuesToBeInSet(column="metric", value_set=list(rules.catalog_keys),
                                        **_meta("metric_in_catalog")),
        gxe.ExpectColumnValuesToNotBeNull(column="value", **_meta("value_not_null")),
        gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0, **_meta("value_not_negative")),
        gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0, max_value=100,
                                          row_condition=Column("unit") == "%", **_meta("rate_within_0_100")),
        gxe.ExpectColumnPairValuesToBeEqual(column_A="is_percent", column_B="catalog_percent",
                                            ignore_row_if="either_value_is_missing", **_meta("unit_matches_catalog")),
        gxe.ExpectColumnValuesToBeInSet(column="qualifier", value_set=list(QUALIFIERS), **_meta("qualifier_in_set")),
        gxe.ExpectColumnValueLengthsToBeBetween(column="evidence", min_value=1, **_meta("evidence_not_empty")),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="end_offset", column_B="start_offset", or_equal=True,
                                                    ignore_row_if="neither", **_meta("offsets_ordered")),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["report_id", "metric", "is_plan"],
                                            **_meta("one_result_per_metric")),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="value", column_B="largest_part", or_equal=True,
                                                    ignore_row_if="either_value_is_missing",
                                                    **_meta("parts_within_total")),
    ]
    if rules.upper_bounds:
        suite.append(gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="upper_bound", column_B="value", or_equal=True, ignore_row_if="either_value_is_missing",
            **_meta("value_within_upper_bound")))
    return suite


def consistency_suite(rules: GateRules) -> list[gxe.Expectation]:
    """One row per report, a column per metric of a (part, total) pair: a part never exceeds its total."""
    return [gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=total, column_B=part, or_equal=True, ignore_row_if="either_value_is_missing",
        **_meta("part_within_total_metric", part=part, total=total)) for part, total in rules.part_of]


def reports_suite(rules: GateRules) -> list[gxe.Expectation]:
    """One row per report of the batch; `is_current` marks the newest version of each (county, township, year)."""
    suffixes = "|".join(rules.township_suffixes)
    return [
        gxe.ExpectColumnValuesToBeUnique(column="report_id", **_meta("report_id_unique")),
        gxe.ExpectColumnValuesToNotBeNull(column="township", **_meta("township_not_null")),
        gxe.ExpectColumnValuesToMatchRegex(column="township", regex=f"(?:{suffixes})$", **_meta("township_suffix")),
        gxe.ExpectColumnValuesToNotBeNull(column="year", **_meta("year_not_null")),
        gxe.ExpectColumnValuesToBeBetween(column="year", min_value=rules.first_year, max_value=rules.current_year,
                                          **_meta("year_in_range")),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["county_key", "township", "year"],
                                            row_condition=Column("is_current") == True,  # noqa: E712 (GX condition)
                                            **_meta("one_current_report")),
    ]


def completeness_suite(rules: GateRules) -> list[gxe.Expectation]:
    """One row per report, a column per required metric: a null is a required figure the report lacks."""
    return [gxe.ExpectColumnValuesToBeUnique(column="report_id", **_meta("one_row_per_report"))] + [
        gxe.ExpectColumnValuesToNotBeNull(column=metric, **_meta("required_metric_present", metric=metric))
        for metric in rules.required]
