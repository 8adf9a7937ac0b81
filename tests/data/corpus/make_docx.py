"""Write the corpus's one .docx report (c10) with python-docx.

The text lives here so the .docx can be regenerated and reviewed in plain text; the
figures of the summary table only exist inside table cells, to test table extraction.
Run: .venv/bin/python tests/data/corpus/make_docx.py
"""
from __future__ import annotations

from pathlib import Path

from docx import Document

OUTPUT = Path(__file__).resolve().parent / "reports" / "c10_xinjiang_qingshuihe_2023.docx"

TITLE = "霍城县清水河镇2023年法治政府建设情况报告"

PARAGRAPHS_BEFORE_TABLE = [
    "2023年，清水河镇在县委、县政府的坚强领导下，在伊犁哈萨克自治州、霍城县依法治州（县）办的指导下，"
    "坚持以习近平新时代中国特色社会主义思想为指导，完整准确全面贯彻新时代党的治疆方略，"
    "深入学习贯彻习近平法治思想，扎实推进法治政府建设，为全镇社会稳定和长治久安提供了有力法治保障。"
    "现将有关情况报告如下。",
    "一、主要做法及成效",
    "（一）加强组织领导，压实法治建设责任。镇党委、政府坚持把法治政府建设纳入全镇发展总体布局，"
    "全年召开党委会专题研究法治工作3次，研究部署“八五”普法中期评估、行政执法规范化建设等工作。"
    "镇党委理论学习中心组开展学法9次，重点学习《中华人民共和国宪法》《新疆维吾尔自治区乡镇综合行政执法条例》"
    "等法律法规，推动领导干部带头尊法学法守法用法。",
    "（二）坚持依法决策，规范行政权力运行。严格落实“三重一大”集体决策制度，"
    "镇政府聘请新疆天山律师事务所1名律师担任镇政府法律顾问，同时为各村（社区）配备法律顾问，"
    "对重大决策、重要合同开展合法性审查，全年出具法律意见书12份。",
    "（三）深化普法宣传，营造尊法守法氛围。结合“访惠聚”驻村工作和“民族团结一家亲”活动，"
    "组织驻村工作队、村“两委”干部用国家通用语言和民族语言开展“双语”普法，"
    "让法律知识走进田间地头、农家院落。全镇现有自治区级民主法治示范村1个、州级2个。",
    "（四）畅通诉求渠道，依法化解矛盾纠纷。坚持和发展新时代“枫桥经验”，全年受理信访事项16件，办结16件。"
    "认真办理人大代表建议7件，办结率100%。",
    "全年主要法治建设指标完成情况见下表。",
]

TABLE_CAPTION = "表1  清水河镇2023年法治建设主要指标完成情况"

TABLE_ROWS = [
    ("序号", "工作事项", "完成情况"),
    ("1", "普法宣传", "开展“双语”普法宣传活动56场次，发放宣传资料7200余份，解答法律咨询310人次"),
    ("2", "人民调解", "镇村两级调委会调解矛盾纠纷93件，调解成功率97.8%"),
    ("3", "执法队伍", "镇综合行政执法队现有持证行政执法人员12名"),
    ("4", "执法检查", "开展执法检查135次，下达责令整改通知书21份"),
    ("5", "行政争议", "行政复议案件1件，行政诉讼案件为零"),
    ("6", "法律服务", "建成镇公共法律服务工作站1个、村（社区）公共法律服务室14个"),
]

PARAGRAPHS_AFTER_TABLE = [
    "二、存在的问题",
    "一是部分干部运用法治思维解决问题的能力还需提高；二是执法人员专业化水平不高，执法装备保障不足；"
    "三是偏远村组的普法宣传覆盖面仍有不足。",
    "三、下一步工作打算",
    "一是持续加强领导干部学法用法；二是深化乡镇综合行政执法改革，规范执法行为；"
    "三是计划2024年开展“双语”普法宣传活动不少于60场次，推动法治宣传教育全覆盖。",
    "清水河镇人民政府",
    "2024年1月10日",
]


def build() -> Document:
    """Assemble the report: title, paragraphs, the summary table, closing paragraphs."""
    document = Document()
    document.add_heading(TITLE, level=1)
    for text in PARAGRAPHS_BEFORE_TABLE:
        document.add_paragraph(text)
    document.add_paragraph(TABLE_CAPTION)
    table = document.add_table(rows=len(TABLE_ROWS), cols=len(TABLE_ROWS[0]))
    table.style = "Table Grid"
    for row, values in zip(table.rows, TABLE_ROWS):
        for cell, value in zip(row.cells, values):
            cell.text = value
    for text in PARAGRAPHS_AFTER_TABLE:
        document.add_paragraph(text)
    return document


def main() -> None:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    build().save(OUTPUT)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
