"""Write the held-out corpus's one .docx report (h06) with python-docx.

The text lives here so the .docx can be regenerated and reviewed in plain text. Most of the
year's figures exist only inside the cells of a summary table (with a remarks column holding the
previous year's figure and sub-counts as distractors); the prose carries a last-year figure too.
Run: .venv/bin/python tests/data/holdout/make_docx.py
"""
from __future__ import annotations

from pathlib import Path

from docx import Document

OUTPUT = Path(__file__).resolve().parent / "reports" / "h06_shandong_jiehu_2023.docx"

HEADER = [
    "沂南县界湖街道办事处",
    "沂南界办字〔2024〕5号",
    "沂南县界湖街道2023年法治政府建设情况报告",
    "中共沂南县委全面依法治县委员会办公室：",
]

PARAGRAPHS_BEFORE_TABLE = [
    "2023年，界湖街道在县委、县政府的坚强领导下，认真贯彻落实临沂市、沂南县法治政府建设工作部署，"
    "深入学习贯彻习近平法治思想和党的二十大精神，以“法治沂南”建设为抓手，统筹推进依法行政与城市管理、"
    "社区治理，法治政府建设取得新成效。现将有关情况报告如下。",
    "一、主要工作和成效",
    "（一）强化组织领导。街道党工委坚持把法治建设与经济社会发展同谋划、同部署、同考核，"
    "全年召开党工委会议专题研究法治工作5次；街道党工委理论学习中心组开展集体学法8次，"
    "学习《中华人民共和国行政复议法》（2023年修订）和《山东省行政执法监督条例》等法律法规。"
    "党政主要负责人履行推进法治建设第一责任人职责情况列入年终述职内容。",
    "（二）推进依法决策。严格落实重大行政决策程序，对老旧小区改造、农贸市场提升等重大事项开展合法性审查和"
    "社会稳定风险评估。街道聘请山东沂蒙律师事务所律师1名担任街道法律顾问，全年出具法律意见书14份，"
    "审查合同协议26份；同时为辖区28个社区（村）各配备1名法律顾问。",
    "（三）规范行政执法。街道综合行政执法中队严格执行行政执法公示、执法全过程记录、重大执法决定法制审核"
    "“三项制度”，推行柔性执法和“721”工作法，全年办理行政处罚案件41起，罚没款12.6万元，"
    "未发生因执法不当引发的舆情事件。",
    "（四）普法依法治理。深入实施“八五”普法规划，落实“谁执法谁普法”责任制，在城区社区打造法治文化广场"
    "和法治宣传长廊，组织律师、法律明白人进社区、进企业、进学校开展宣讲。全年普法活动场次较上年的55场次"
    "增长23.6%，具体数据见下表。",
    "（五）化解矛盾纠纷。坚持和发展新时代“枫桥经验”，建成街道矛盾纠纷多元化解中心，实现"
    "“一站式接收、一揽子调处、全链条解决”。全年受理群众信访事项72件，办结70件；"
    "处理12345市民热线工单2,316件，按时办结率99.2%。",
    "（六）推进政务公开。依托街道政务公开专区和社区公开栏，主动公开权责清单、财政预决算、"
    "老旧小区改造补助标准等信息，认真办理政府信息公开申请，自觉接受人大监督、民主监督和社会监督。"
    "落实行政机关负责人出庭应诉制度，对法院、检察机关提出的司法建议、检察建议认真研究整改、按时回复。",
    "全年主要法治建设数据如下。",
]

TABLE_CAPTION = "表1  界湖街道2023年法治建设主要数据"

TABLE_ROWS = [
    ("序号", "项目", "2023年完成情况", "备注"),
    ("1", "普法宣传", "开展普法宣传活动68场次，发放宣传资料1.2万余份", "上年为55场次"),
    ("2", "法律咨询", "接待群众法律咨询420人次", "含线上咨询"),
    ("3", "行政执法", "持有执法证件人员23名，开展执法检查960余次，下达责令整改通知书87份",
     "2023年新增持证人员5名"),
    ("4", "人民调解", "街道、社区人民调解委员会调解纠纷286件，调解成功率99.3%", "其中涉企纠纷19件"),
    ("5", "行政争议", "行政复议案件2件，行政诉讼案件3件，无败诉案件", "均已办结"),
    ("6", "基层阵地", "民主法治示范社区（村）6个，其中省级2个", "县级以上"),
]

PARAGRAPHS_AFTER_TABLE = [
    "二、存在问题",
    "一是部分社区干部依法办事意识有待增强，运用法治方式解决问题的能力不足；二是执法力量与城区管理需求"
    "不相匹配，执法人员专业培训不够系统；三是普法宣传针对性不强，对快递、外卖等新业态从业人员覆盖不够，"
    "社区法律服务资源分布不够均衡。",
    "三、2024年工作安排",
    "一是全年开展普法宣传活动不少于70场次；二是计划新建社区公共法律服务室5个；"
    "三是力争创建省级民主法治示范社区1个；四是加强执法人员培训，提升执法规范化水平。",
    "沂南县界湖街道办事处",
    "2024年1月22日",
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
