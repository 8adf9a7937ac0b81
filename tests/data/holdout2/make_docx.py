"""Write the second held-out corpus's one .docx report (k05) with python-docx.

The text lives here so the .docx can be regenerated and reviewed in plain text. The year's
enforcement, publicity, mediation and dispute figures exist only in a figures table whose label
and value sit in separate cells, next to a column with the previous year's figures (distractors).
Run: .venv/bin/python tests/data/holdout2/make_docx.py
"""
from __future__ import annotations

from pathlib import Path

from docx import Document

OUTPUT = Path(__file__).resolve().parent / "reports" / "k05_beijing_kangzhuang_2023.docx"

HEADER = [
    "北京市延庆区康庄镇人民政府",
    "关于康庄镇2023年度法治政府建设情况的报告",
    "延庆区人民政府：",
]

PARAGRAPHS_BEFORE_TABLE = [
    "2023年，康庄镇在延庆区委、区政府的坚强领导下，以习近平新时代中国特色社会主义思想为指导，"
    "全面贯彻党的二十大精神，深入学习贯彻习近平法治思想，认真落实北京市、延庆区法治政府建设各项部署，"
    "围绕世园会、冬奥会场馆周边区域的后续利用和乡村振兴，持续推进依法行政，全镇法治政府建设工作取得了新进展。"
    "现将有关情况报告如下。",
    "一、履行推进法治建设第一责任人职责情况",
    "镇党委书记、镇长切实履行推进法治建设第一责任人职责，把法治建设纳入全镇工作大局统筹谋划。"
    "全年镇党委理论学习中心组开展专题学法5次，镇政府常务会议会前学法12次，"
    "重点学习了《中华人民共和国行政复议法》修订内容和《北京市接诉即办工作条例》。"
    "镇党委召开会议专题研究法治政府建设工作2次，对年度重点任务逐项明确责任科室和完成时限。",
    "二、依法决策和政务公开情况",
    "严格落实重大行政决策程序，凡涉及群众切身利益的重大事项，均经过调查研究、征求意见、合法性审查和"
    "集体讨论决定等环节。镇政府常年法治顾问由北京市延庆区一家律师事务所的两名律师担任，"
    "全年出具法律意见书21份，审查合同42份。全镇31个村均配备了村法律顾问。"
    "按照北京市政务公开工作要点，依法主动公开政府信息，全年受理政府信息公开申请3件，均依法按期答复。",
    "自觉接受镇人大监督、民主监督和社会监督，认真办理人大代表议案建议，对审计和巡察反馈的问题建立台账、"
    "限期整改。加强机关干部法治培训，组织全体机关干部和村“两委”干部参加全区领导干部网上学法和年度法律知识考试，"
    "把尊法学法守法用法情况作为干部考核的重要内容，进一步提高了干部运用法治思维和法治方式推动发展、"
    "化解矛盾、维护稳定的能力，为建设“生态康庄、活力康庄、平安康庄”提供了坚实的法治保障。",
    "三、普法、执法和矛盾纠纷化解情况",
    "围绕“八五”普法规划，组织开展宪法宣传周、民法典宣传月等主题活动，并在镇综合文化中心开设法治讲堂。"
    "镇综合行政执法队严格落实行政执法“三项制度”，在农村乱占耕地建房、燃气安全、违法建设等领域持续开展执法检查。"
    "镇、村两级人民调解委员会坚持排查在前、调解在先，及时化解各类矛盾纠纷。"
    "全年办理12345市民服务热线诉求4,318件，响应率100%，解决率和满意率均排在全区前列。"
    "主要数据见下表。",
]

TABLE_CAPTION = "表1  康庄镇2023年法治政府建设主要数据"

TABLE_ROWS = [
    ("序号", "指标", "2023年", "2022年"),
    ("1", "开展普法宣传活动（场次）", "36", "31"),
    ("2", "发放普法宣传资料（份）", "8,200", "7,500"),
    ("3", "解答群众法律咨询（人次）", "260", "240"),
    ("4", "持证行政执法人员（人）", "25", "23"),
    ("5", "开展执法检查（次）", "1,140", "980"),
    ("6", "下达责令整改通知书（份）", "58", "61"),
    ("7", "人民调解委员会调解纠纷（件）", "133", "127"),
    ("8", "调解成功率（%）", "96.2", "95.8"),
    ("9", "行政复议案件（件）", "0", "1"),
    ("10", "行政诉讼案件（件）", "3", "2"),
    ("11", "行政诉讼败诉案件（件）", "0", "0"),
]

PARAGRAPHS_AFTER_TABLE = [
    "四、存在的不足",
    "一是部分村干部依法办事意识不强，运用法治方式化解矛盾的能力有待提高；二是综合执法力量与辖区面积大、"
    "村庄分散的实际不相适应，执法人员专业化水平还需提升；三是普法宣传针对新就业形态劳动者、外来务工人员等群体的覆盖还不够，宣传形式和载体有待进一步创新。",
    "五、2024年工作谋划",
    "一是计划开展普法宣传活动不少于40场次；二是力争持证行政执法人员达到28人；"
    "三是将新建村级公共法律服务室5个；四是继续深化矛盾纠纷多元化解，调解成功率稳定在95%以上。",
    "北京市延庆区康庄镇人民政府",
    "2024年1月25日",
]


def build() -> Document:
    """The report as a python-docx Document: header, prose, caption, table, closing prose."""
    document = Document()
    for text in HEADER + PARAGRAPHS_BEFORE_TABLE:
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


if __name__ == "__main__":
    build().save(OUTPUT)
    print(f"wrote {OUTPUT}")
