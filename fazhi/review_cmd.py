"""`fazhi review`: one list of everything waiting for a person, newest first, each with the command that
settles it. The dashboard's 待处理 page shows the same list."""
from __future__ import annotations

import json
import re
import shlex
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import duckdb

from expectations.checks import check_text
from fazhi.config import Config
from fazhi.display import number
from transforms.catalog import Catalog, load_catalog
from transforms.confidence import REASON_TEXT, reasons
from warehouse import review as queries

KINDS = {  # kind → 中文 name, in the order a person settles them
    "needs_review": "待确认元数据",
    "quarantined": "隔离文件",
    "no_county": "缺少所属县",
    "correction_changed": "新版本与更正不一致",
    "rejected": "未通过质量检查",
    "missing_figure": "缺少必填数字",
    "low_confidence": "低置信度数字",
}
PLAIN_WORD = re.compile(r"[\w\-./:%+=@,（）]+")
METADATA_CODES = ("no_township", "no_year")   # an older warehouse quarantined such files


class ReviewError(Exception):
    """A filter the user gave cannot be used; the message says why."""


@dataclass(frozen=True)
class Item:
    kind: str
    at: datetime | None
    county: str | None
    township: str | None
    year: int | None
    file: str | None
    report_id: str | None
    metric: str | None
    what: str
    command: str

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


def _q(text: Any) -> str:
    """A value as a shell word: the command is copied into a terminal, and file names are user input.
    Plain words (Chinese included) stay bare; anything else is quoted."""
    word = str(text)
    return word if PLAIN_WORD.fullmatch(word) else shlex.quote(word)


def _file_items(rows: list[dict[str, Any]]) -> list[Item]:
    items = []
    for r in rows:
        cand = json.loads(r["candidates"]) if r.get("candidates") else {}
        towns, years = cand.get("townships") or [], cand.get("years") or []
        metadata = r["status"] == "needs_review" or r["reason_code"] in METADATA_CODES
        found = "；".join(p for p in (f"候选乡镇：{'、'.join(towns)}" if towns else "",
                                      f"候选年度：{'、'.join(map(str, years))}" if years else "") if p)
        what = (r["reason"] or r["reason_code"] or "") + (f"（{found}）" if found else "")
        if r["figures_kept"]:
            what += f"；已保留 {r['figures_kept']} 项数字，待确认后入库"
        if r["o_township"] or r["o_year"] or r["o_county"]:
            given = " ".join(str(v) for v in (r["o_county"], r["o_township"], r["o_year"]) if v)
            what += f"；{r['o_by']} 已提供 {given}，下次运行入库（或 fazhi resolve … --now）"
        if metadata:
            town = towns[0] if len(towns) == 1 else "乡镇名"
            year = years[0] if len(years) == 1 else "年份"
            command = f"fazhi resolve {_q(r['path'])} --township {_q(town)} --year {_q(year)}"
        else:
            command = f"fazhi resolve {_q(r['path'])} --ignore --note {_q('说明原因')}（或在收件箱换上可读的文件）"
        items.append(Item("needs_review" if metadata else "quarantined", r["at"], r.get("o_county"),
                           r.get("o_township") or (towns[0] if len(towns) == 1 else None), r.get("o_year"),
                           r["path"], None, None, what, command))   # not loaded: no report yet
    return items


def _no_county_items(rows: list[dict[str, Any]]) -> list[Item]:
    return [Item("no_county", r["at"], None, r["township"], r["year"], r["path"], r["report_id"], None,
                 "报告中找不到所属县（区），县级汇总中显示为空",
                 f"fazhi resolve {_q(r['path'])} --county 县名") for r in rows]


def _figure_item(kind: str, r: dict[str, Any], what: str, command: str) -> Item:
    """An item about one figure of a loaded report; the row names the report, its file and the metric."""
    return Item(kind, r["at"], r["county"], r["township"], r["year"], r["file_name"], r["report_id"], r["metric"],
                what, command)


def _value(r: dict[str, Any]) -> str:
    return f"{number(r['value'])}{r['unit'] or ''}"


def _correct(r: dict[str, Any], value: str) -> str:
    return f"fazhi correct {r['report_id']} {_q(r['label'])} {value}"


def _correct_or_ack(r: dict[str, Any], placeholder: str, ack_when: str) -> str:
    """`fazhi correct` for the figure, and `fazhi alerts --ack` for its alert (if it raised one) when `ack_when`."""
    command = _correct(r, placeholder)
    if r["alert_id"]:
        command += f"（{ack_when}：fazhi alerts --ack {r['alert_id'][:10]}）"
    return command


def _missing_items(rows: list[dict[str, Any]]) -> list[Item]:
    return [_figure_item("missing_figure", r, f"报告未写必填数字「{r['label']}」",
                         _correct_or_ack(r, "数值", "报告确实未写")) for r in rows]


def _rejected_items(rows: list[dict[str, Any]]) -> list[Item]:
    return [_figure_item("rejected", r, f"「{r['label']}」{_value(r)}：{check_text(r['expectation'])}",
                         _correct_or_ack(r, "正确数值", "无正确数值")) for r in rows]


def _low_confidence_items(rows: list[dict[str, Any]], catalog: Catalog, section: dict[str, Any]) -> list[Item]:
    signs = set(section["low_confidence"])
    out = []
    for r in rows:
        if r["metric"] not in catalog.keys():
            continue
        found = [c for c in reasons(catalog.metric(r["metric"]), r["value"], r["evidence"], r["parts"],
                                    r["other_years"] or [], section["outlier_factor"], section["outlier_min_years"])
                 if c in signs]
        if not found:
            continue
        why = "；".join(REASON_TEXT[c] for c in found)
        out.append(_figure_item("low_confidence", r, f"「{r['label']}」{_value(r)}：{why}。原文：{r['evidence']}",
                                f"{_correct(r, number(r['value']))}（数值无误则照录确认）"))
    return out


def _changed_items(rows: list[dict[str, Any]]) -> list[Item]:
    out = []
    for r in rows:
        before = "删除" if r["removed"] else number(r["corrected_value"])
        now = "未写" if r["new_value"] is None else number(r["new_value"])
        keep = _correct(r, "--remove" if r["removed"] else before)
        out.append(_figure_item("correction_changed", r,
                                f"旧版报告 {r['old_report_id']} 的「{r['label']}」曾由 {r['created_by']} 更正为 {before}，"
                                f"新版抽取为 {now}", f"{keep}（沿用更正；采用新版则更正为新版数值）"))
    return out


def review_items(con: duckdb.DuckDBPyConnection, cfg: Config) -> list[Item]:
    """Every item waiting for a person, newest first."""
    catalog = load_catalog(cfg.catalog)
    items = (_file_items(queries.held_files(con)) + _no_county_items(queries.reports_without_county(con))
             + _changed_items(queries.orphaned_corrections(con)) + _rejected_items(queries.rejected_figures(con))
             + _missing_items(queries.missing_required(con))
             + _low_confidence_items(queries.extracted_figures(con), catalog, cfg.section("review")))
    order = list(KINDS)
    items.sort(key=lambda i: order.index(i.kind))
    items.sort(key=lambda i: i.at.timestamp() if i.at else 0, reverse=True)
    return items


@dataclass(frozen=True)
class Filters:
    county: str | None = None
    township: str | None = None
    year: int | None = None
    kind: str | None = None

    def check(self) -> None:
        if self.kind is not None and self.kind not in KINDS:
            names = ", ".join(f"{k}（{v}）" for k, v in KINDS.items())
            raise ReviewError(f"--kind {self.kind!r} is not one of {names}")

    def keep(self, item: Item) -> bool:
        return ((self.county is None or item.county == self.county)
                and (self.township is None or item.township == self.township)
                and (self.year is None or item.year == self.year)
                and (self.kind is None or item.kind == self.kind))


def list_review(cfg: Config, filters: Filters) -> list[Item]:
    from warehouse.analysis import require_views
    from warehouse.db import connect_reader

    filters.check()
    con = connect_reader(cfg.db)
    try:
        require_views(con, cfg.db)
        require_review_schema(con, cfg)
        return [i for i in review_items(con, cfg) if filters.keep(i)]
    finally:
        con.close()


def require_review_schema(con: duckdb.DuckDBPyConnection, cfg: Config) -> None:
    from warehouse.analysis import WarehouseOutdated

    found = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'v_alerts'").fetchall()[0][0]
    if not found:
        raise WarehouseOutdated(f"the warehouse {cfg.db} predates review and corrections: run `fazhi run` once "
                                "(it upgrades the schema), then try again")


def as_dict(item: Item) -> dict[str, Any]:
    return {**asdict(item), "kind_label": item.kind_label}
