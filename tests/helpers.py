"""Importable test helpers (conftest.py is not importable under --import-mode=importlib)."""
from __future__ import annotations

import os
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FAULTS_DIR = REPO / "tests" / "faults"     # sitecustomize.py: faults injected into processes a test starts
HOLD_MARKER = "holding the load transaction open"   # printed by the hold_commit fault
SAMPLE_INBOX = REPO / "inbox"
SAMPLE_GOLD = REPO / "tests" / "data" / "samples_gold"   # copy of the gold figures for the five samples
CORPUS = REPO / "tests" / "data" / "corpus"


def fault_env(**faults: str | float) -> dict[str, str]:
    """Environment under which a `fazhi` process, and every process it starts, runs with the faults of
    tests/faults/sitecustomize.py (e.g. `fault_env(hold_commit=120)`, `fault_env(extract_raise="某标记")`)."""
    path = os.pathsep.join(filter(None, [str(FAULTS_DIR), os.environ.get("PYTHONPATH")]))
    return {"PYTHONPATH": path, "FAZHI_TEST_FAULTS": ";".join(f"{k}={v}" for k, v in faults.items())}


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


def load_known_figures(db: Path, reports: list[dict], reference, *, run_id: str = "run-1") -> None:
    """Load reports whose figures are known straight through warehouse.load.load_run (no reading, no
    extraction), to test what the warehouse does with figures. Each report is a dict with township, year,
    county and `figures` {metric: value}; optional `plans` {metric: value} (plan targets) and `name`.
    The text is one sentence per figure, so evidence offsets point at real sentences."""
    import hashlib
    from datetime import datetime, timezone

    import polars as pl

    from transforms.rows import FIGURES_SCHEMA, REPORTS_SCHEMA, SECTIONS_SCHEMA, ingest_frame
    from warehouse.db import connect_writer
    from warehouse.load import RunRecord, load_run

    report_rows, figure_rows, ingest_rows = [], [], []
    for seq, rep in enumerate(reports):
        text, figs = f"{rep.get('county') or ''}{rep['township']}{rep['year']}年法治政府建设情况报告\n", []
        for is_plan, values in ((False, rep.get("figures", {})), (True, rep.get("plans", {}))):
            for metric, value in values.items():
                sentence = f"{'计划' if is_plan else '全年'}{reference.catalog.label(metric)}{value:g}{reference.catalog.unit(metric)}。"
                figs.append((metric, value, is_plan, sentence, len(text), len(text) + len(sentence)))
                text += sentence + "\n"
        sha = hashlib.sha256(f"{run_id}|{seq}|{text}".encode()).hexdigest()
        name = rep.get("name", f"{rep['township']}{rep['year']}.txt")
        report_rows.append({"report_id": sha[:16], "file_name": name, "path": name, "sha256": sha,
                            "size_bytes": len(text.encode()), "township": rep["township"],
                            "county": rep.get("county"), "city": None, "year": rep["year"], "county_source": "text",
                            "text_chars": len(text), "text": text, "seq": seq})
        figure_rows += [{"report_id": sha[:16], "metric": m, "value": float(v), "unit": reference.catalog.unit(m),
                         "qualifier": "exact", "is_plan": p, "evidence": s, "start_offset": a, "end_offset": b,
                         "section": "plans" if p else "achievements", "parts": None} for m, v, p, s, a, b in figs]
        ingest_rows.append({"path": name, "sha256": sha, "size_bytes": len(text.encode()), "status": "loaded",
                            "reason_code": None, "reason": None, "report_id": sha[:16]})
    now = datetime.now(timezone.utc)
    empty = pl.DataFrame(schema={"report_id": pl.String})
    con = connect_writer(db)
    try:
        load_run(con, RunRecord(run_id, None, now, "inbox", len(reports), len(reports), 0, 0),
                 reports=pl.DataFrame(report_rows, schema=REPORTS_SCHEMA),
                 figures=pl.DataFrame(figure_rows, schema=FIGURES_SCHEMA),
                 sections=pl.DataFrame(schema=SECTIONS_SCHEMA), ingest=ingest_frame(ingest_rows),
                 rejected=empty, dq_results=empty, alerts=empty, finished_at=now, reference=reference)
    finally:
        con.close()


def docx_bytes(paragraphs: list[str], tables: list[list[list[str]]] = ()) -> bytes:
    """A real .docx (python-docx) with these paragraphs, then these tables (rows of cell texts)."""
    import io

    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def pdf_bytes(paragraphs: list[str], *, font_size: int = 12) -> bytes:
    """A real PDF with a Chinese text layer (reportlab, built-in CID font STSong-Light); long paragraphs wrap."""
    import io

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=font_size, leading=font_size * 1.5,
                           wordWrap="CJK")
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([Paragraph(p, style) for p in paragraphs])
    return buf.getvalue()


def scanned_pdf_bytes() -> bytes:
    """A PDF whose page is only a picture, as a scanner makes it: no text layer."""
    import io

    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    page = Image.new("L", (600, 300), "white")
    ImageDraw.Draw(page).rectangle((50, 50, 550, 80), fill="black")  # a "line of print"
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.drawImage(ImageReader(page), 50, 400, width=500, height=250)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now (a channel pointed there is 'down')."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LoopbackSmtp:
    """A real SMTP server (aiosmtpd) on 127.0.0.1:port that keeps every message it receives, parsed."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list = []   # email.message.EmailMessage, in arrival order
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def start(self) -> "LoopbackSmtp":
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class _LoopbackHttp:
    """A real HTTP server on 127.0.0.1 in a thread: `_serve(Handler)` starts it, `stop()` ends it."""

    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def _serve(self, handler: type) -> "_LoopbackHttp":
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None


class LoopbackWebhook(_LoopbackHttp):
    """A real HTTP server (http.server, in a thread) on 127.0.0.1:port that keeps every POST: headers, JSON."""

    def __init__(self, port: int | None = None, status: int = 200) -> None:
        self.port = port or free_port()
        self.status = status
        self.requests: list[dict] = []   # {"path", "headers", "json"}
        self._server = None
        self._thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> "LoopbackWebhook":
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append({"path": self.path, "headers": dict(self.headers),
                                       "json": json.loads(body.decode("utf-8"))})
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args) -> None:  # keep the test output quiet
                pass

        return self._serve(Handler)



class LoopbackRobot(_LoopbackHttp):
    """A group robot's webhook (http.server in a thread) on 127.0.0.1 that checks every request as the real
    service does and answers HTTP 200 with {"errcode": 0, "errmsg": "ok"} or the service's error.

    .messages: the request bodies it accepted, in order (what the group shows); .requests: every request
    ({"query", "body", "answer", "at"}); .fail_next: answers for the next well-formed requests, in order:
    (errcode, errmsg) to refuse one, None to accept it as usual. At most `per_window` messages in `window_s`
    seconds, like the real robot (20 a minute)."""

    path = "/"
    too_fast: tuple[int, str] = (0, "")

    def __init__(self, port: int | None = None, per_window: int = 20, window_s: float = 60.0) -> None:
        self.port = port or free_port()
        self.per_window, self.window_s = per_window, window_s
        self.messages: list[dict] = []
        self.requests: list[dict] = []
        self.fail_next: list[tuple[int, str]] = []
        self._arrivals: list[float] = []
        self._server = None
        self._thread = None

    def refusal(self, query: dict[str, list[str]], raw: bytes, body: dict) -> tuple[int, str] | None:
        """The service's error answer for this request, or None when it is well-formed and authorised."""
        raise NotImplementedError

    def _answer(self, path: str, raw: bytes) -> tuple[int, str]:
        import json
        import time
        import urllib.parse

        parts = urllib.parse.urlsplit(path)
        query = urllib.parse.parse_qs(parts.query)
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            body = None
        self.requests.append({"query": query, "body": body, "at": time.monotonic(), "answer": None})
        if parts.path != self.path or not isinstance(body, dict):
            answer = (400, "bad request: not the robot's path or not JSON")
        else:
            answer = self.refusal(query, raw, body)
        now = time.monotonic()
        if answer is None:
            recent = [t for t in self._arrivals if now - t < self.window_s]
            self._arrivals = [*recent, now]
            if len(recent) >= self.per_window:
                answer = self.too_fast
            else:
                answer = (self.fail_next.pop(0) if self.fail_next else None) or (0, "ok")
                if answer == (0, "ok"):
                    self.messages.append(body)
        self.requests[-1]["answer"] = answer
        return answer

    def start(self):
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        outer = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with lock:
                    errcode, errmsg = outer._answer(self.path, raw)
                data = json.dumps({"errcode": errcode, "errmsg": errmsg}, ensure_ascii=False).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:  # keep the test output quiet
                pass

        return self._serve(Handler)


class LoopbackDingTalk(LoopbackRobot):
    """DingTalk's custom robot: the access_token; with a secret (加签), a `timestamp` (ms) within an hour of
    now and the `sign` HMAC-SHA256("timestamp\\nsecret") in base64, URL-encoded; a body of at most 20000
    bytes; markdown with a title and a text; optional keywords (自定义关键词) one of which the text holds."""

    path = "/robot/send"
    too_fast = (410100, "send too fast, exceed 20 times per minute")
    max_body_bytes = 20000
    max_skew_ms = 3600 * 1000

    def __init__(self, token: str = "tok-dd-123", secret: str | None = "SECtest0123456789abcdef",
                 keywords: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self.token, self.secret, self.keywords = token, secret, keywords

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}?access_token={self.token}"

    def refusal(self, query, raw, body):
        import base64
        import hashlib
        import hmac
        import time

        if query.get("access_token") != [self.token]:
            return (300001, "token is not exist")
        if self.secret:
            timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
            if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > self.max_skew_ms:
                return (310000, "invalid timestamp")
            mac = hmac.new(self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256)
            if not hmac.compare_digest(base64.b64encode(mac.digest()).decode(), sign):
                return (310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]")
        if len(raw) > self.max_body_bytes:
            return (460101, "message too long, exceed 20000 bytes")
        markdown = body.get("markdown") or {}
        if body.get("msgtype") != "markdown" or not markdown.get("title") or not markdown.get("text"):
            return (40035, "缺少参数 markdown.title / markdown.text")
        if self.keywords and not any(k in markdown["title"] + markdown["text"] for k in self.keywords):
            return (310000, "keywords not in content")
        return None


class LoopbackWeCom(LoopbackRobot):
    """WeCom's group robot: the `key` of its webhook URL; markdown `content` of at most 4096 bytes, text
    `content` of at most 2048 bytes."""

    path = "/cgi-bin/webhook/send"
    too_fast = (45009, "api freq out of limit")
    limits = {"markdown": 4096, "text": 2048}

    def __init__(self, key: str = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", **kwargs) -> None:
        super().__init__(**kwargs)
        self.key = key

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}?key={self.key}"

    def refusal(self, query, raw, body):
        if query.get("key") != [self.key]:
            return (93000, "invalid webhook url, hint: [1700000000_1_abc], from ip: 127.0.0.1")
        kind = body.get("msgtype")
        content = (body.get(kind) or {}).get("content") if kind in self.limits else None
        if not content:
            return (40008, "invalid message type")
        if len(content.encode("utf-8")) > self.limits[kind]:
            return (40058, f"{kind}.content exceed max length {self.limits[kind]}")
        return None


MULTI_YEAR_COUNTY = "示例县"
MULTI_YEAR_TOWNS = ("青山镇", "绿水乡", "白云街道", "红石镇")
MULTI_YEAR_ROSTER = {MULTI_YEAR_COUNTY: [*MULTI_YEAR_TOWNS, "东湖镇"]}   # 东湖镇 never reports


def multi_year_figures(town_index: int, year: int) -> dict[str, float]:
    """The known figures of one township's report for one year (numbers that move year on year)."""
    i, n = town_index, year - 2020
    return {"disputes_mediated": 10 * (i + 1) + n * (i + 2), "publicity_events": 5 + i + n,
            "certified_enforcement_officers": 6 + i, "admin_reconsideration_cases": (year + i) % 3,
            "admin_litigation_cases": i % 2, "mediation_success_rate": 95 + i, "publicity_materials": 1000 * (i + 1)}


def multi_year_reports() -> list[dict]:
    """Four townships x 2020-2024 of known figures, with the gaps the views must handle: 红石镇 sent no
    2022 report, 绿水乡's 2023 report leaves admin_litigation_cases out, and every report states a plan
    target (publicity_events 99, never a figure of the year)."""
    reports = []
    for i, town in enumerate(MULTI_YEAR_TOWNS):
        for year in range(2020, 2025):
            if (town, year) == ("红石镇", 2022):
                continue
            figures = multi_year_figures(i, year)
            if (town, year) == ("绿水乡", 2023):
                del figures["admin_litigation_cases"]
            reports.append({"township": town, "year": year, "county": MULTI_YEAR_COUNTY, "figures": figures,
                            "plans": {"publicity_events": 99}})
    return reports


def multi_year_correction() -> dict:
    """青山镇 sends its 2024 report again with disputes_mediated corrected: it supersedes the first."""
    figures = {**multi_year_figures(0, 2024), "disputes_mediated": 25}
    return {"township": "青山镇", "year": 2024, "county": MULTI_YEAR_COUNTY, "figures": figures,
            "name": "青山镇2024（更正）.txt"}


def current_multi_year() -> dict[tuple[str, int], dict[str, float]]:
    """(township, year) -> figures of the current report, after the correction."""
    current = {(r["township"], r["year"]): r["figures"] for r in multi_year_reports()}
    fix = multi_year_correction()
    current[(fix["township"], fix["year"])] = fix["figures"]
    return current


def alert_row(kind: str, township: str, metric: str | None, *, county: str = "示例县", year: int = 2022,
              detail: str | None = None, report_id: str | None = "r1", file_name: str | None = "qingshan.txt") -> dict:
    """One row of the alerts table as transforms.alerts makes it (same stable id)."""
    from transforms.alerts import alert_id

    return {"alert_id": alert_id(kind, county, township, year, metric), "report_id": report_id,
            "township": township, "county": county, "year": year, "kind": kind, "metric": metric,
            "detail": detail, "file_name": file_name}


def add_alerts(db: Path, *alerts: dict, rejected: list[dict] = ()) -> None:
    """Raise alerts in a real warehouse file as a run's load does: rows in `alerts` (see alert_row), and the
    rejected figures (report_id, metric, value, unit, expectation) a dq_failure is about."""
    import polars as pl

    from transforms.alerts import ALERTS_SCHEMA
    from warehouse.db import connect_writer

    con = connect_writer(db)
    try:
        con.register("_alerts", pl.DataFrame(list(alerts), schema=ALERTS_SCHEMA))
        con.execute("INSERT OR IGNORE INTO alerts (alert_id, report_id, township, county, year, kind, metric, detail, "
                    "file_name, run_id, created_at) SELECT *, 'run-1', now() FROM _alerts")
        for r in rejected:
            con.execute("INSERT INTO rejected_metrics (report_id, metric, value, unit, is_plan, expectation, run_id) "
                        "VALUES (?, ?, ?, ?, false, ?, 'run-1')",
                        [r["report_id"], r["metric"], r["value"], r["unit"], r["expectation"]])
    finally:
        con.close()


def office_inbox(inbox: Path) -> dict[str, Path]:
    """A morning's inbox for the review tests: 青山镇 2022 leaving 行政诉讼 out (a missing_figure alert),
    绿水乡 2022 naming no county, and a report that names neither its township nor its county (held for a
    person). Returns the files by role."""
    inbox.mkdir(parents=True, exist_ok=True)
    files = {"qingshan": inbox / "qingshan_2022.txt", "lushui": inbox / "lushui_2022.txt",
             "anonymous": inbox / "baogao.txt"}
    files["qingshan"].write_text(make_report("青山镇", 2022, litigation=None), encoding="utf-8")
    files["lushui"].write_text(make_report("绿水乡", 2022, disputes=41).replace("示例县", ""), encoding="utf-8")
    files["anonymous"].write_text(make_report("白云街道", 2021, disputes=17).replace("白云街道", "")
                                  .replace("示例县", "").replace("我街道", "我单位"), encoding="utf-8")
    return files


def robot_toml(robot: str, url: str, extra: str = "") -> str:
    """fazhi.toml text enabling one group robot ("dingtalk" or "wecom") at this URL."""
    return f'[alerts.{robot}]\nenabled = true\nurl = "{url}"\ntimeout_s = 5\n{extra}'


def many_townships(n: int) -> list[dict]:
    """Alerts of n reports of n townships (测试000镇 …), two missing figures each: a digest far longer than one
    robot message."""
    return [alert_row("missing_figure", f"测试{i:03d}镇", metric, report_id=f"r{i}", file_name=f"report_{i:03d}.txt")
            for i in range(n) for metric in ("disputes_mediated", "publicity_events")]


def delivery_rows(db: Path) -> list[tuple]:
    """(channel, status, target, error) of every delivery attempt but the console's, oldest first."""
    from warehouse.db import connect_writer

    con = connect_writer(db)
    try:
        return con.sql("SELECT channel, status, target, error FROM alert_deliveries WHERE channel <> 'console' "
                       "ORDER BY attempted_at, alert_id").fetchall()
    finally:
        con.close()


def zip_bomb_docx(path: Path, unpacked_mb: int = 150) -> Path:
    """A real zip bomb in .docx clothing: a valid Word package whose document.xml inflates to `unpacked_mb`
    MB (a report paragraph, then the same empty paragraph over and over), ~0.2 MB on disk. Streamed, so
    building it never holds the inflated XML in memory."""
    import io
    import zipfile

    template = zipfile.ZipFile(io.BytesIO(docx_bytes([make_report("炸弹镇")])))
    filler = b"<w:p><w:r><w:t> </w:t></w:r></w:p>" * 30_000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in template.infolist():
            data = template.read(info.filename)
            if info.filename != "word/document.xml":
                out.writestr(info, data)
                continue
            head, tail = data.rsplit(b"</w:body>", 1)
            with out.open("word/document.xml", "w", force_zip64=True) as part:
                part.write(head)
                for _ in range(unpacked_mb * 2**20 // len(filler)):
                    part.write(filler)
                part.write(b"</w:body>" + tail)
    return path


def many_page_pdf(path: Path, pages: int = 3000) -> Path:
    """A real PDF of `pages` pages, each with one line of Chinese text (reportlab)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    for number in range(1, pages + 1):
        pdf.setFont("STSong-Light", 12)
        pdf.drawString(72, 720, f"长篇镇2022年法治政府建设情况报告 第{number}页")
        pdf.showPage()
    pdf.save()
    return path


def process_tree(marker: str) -> dict[int, str]:
    """Live processes (not zombies) whose environment holds `marker`: pid -> command line. A test starts a
    command with a unique marker in its environment; everything that command starts inherits it."""
    found = {}
    needle = marker.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes():
                continue
            found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
    return found


def peak_memory_mb(pids: list[int]) -> dict[int, float]:
    """Peak resident memory (VmHWM) of each live process in `pids`, in MB."""
    peaks = {}
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1]) / 1024
        except OSError:
            continue
    return peaks
