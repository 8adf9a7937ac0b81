from __future__ import annotations

import csv
import io
import pickle
import random
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from tests.helpers import CORPUS, SAMPLE_INBOX, docx_bytes, make_report, pdf_bytes, scanned_pdf_bytes
from transforms.normalize import normalize_text
from transforms.read import Unreadable, decode_document

MB = 1024 * 1024


def read(data: bytes, name: str = "report.txt", max_bytes: int = 20 * MB) -> str:
    return decode_document(data, name, max_bytes=max_bytes)


def reason(data: bytes, name: str = "report.txt", max_bytes: int = 20 * MB) -> Unreadable:
    with pytest.raises(Unreadable) as info:
        read(data, name, max_bytes)
    assert info.value.message, "every reason says what was wrong"
    return info.value


# --- text in every encoding, told by content -------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_text_in_every_encoding_reads_the_same(encoding):
    text = make_report("青山镇", 2022)
    assert read(text.encode(encoding)) == normalize_text(text)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16-le"])
def test_encoding_is_detected_from_content_not_the_file_name(encoding):
    text = make_report("石门镇", 2021)
    assert read(text.encode(encoding), "报告.dat") == normalize_text(text)


def test_stored_text_is_the_normalized_text():
    raw = "\u3000\u3000[bookmark: _GoBack]青山镇２０２２年法治政府建设情况报告\r\n全年调解纠纷１２件。\r\n"
    assert read(raw.encode("gb18030")) == "青山镇2022年法治政府建设情况报告\n全年调解纠纷12件。"


@pytest.mark.parametrize("path", sorted(SAMPLE_INBOX.glob("*.txt")), ids=lambda p: p.name)
def test_sample_reports_read(path):
    text = read(path.read_bytes(), path.name)
    assert "法治政府" in text and "[bookmark" not in text


def _corpus_evidence() -> dict[str, list[str]]:
    with (CORPUS / "gold" / "evidence.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row["file"], []).append(row["evidence"])
    return out


@pytest.mark.parametrize("name", sorted(_corpus_evidence()), ids=str)
def test_corpus_evidence_lies_in_the_read_text(name):
    """GB18030, UTF-8 with BOM and .docx corpus files: every gold evidence string survives reading."""
    text = read((CORPUS / "reports" / name).read_bytes(), name)
    missing = [e for e in _corpus_evidence()[name] if normalize_text(e) not in text]
    assert missing == []


# --- Word ------------------------------------------------------------------------------------------

def test_docx_paragraphs_then_table_cells_one_per_line():
    data = docx_bytes(["青山镇2022年法治政府建设情况报告", "全年开展普法活动12次。"],
                      [[["事项", "完成情况"], ["人民调解", "调解纠纷３０件"], ["", "行政诉讼案件1件"]]])
    assert read(data, "r.docx").split("\n") == [
        "青山镇2022年法治政府建设情况报告", "全年开展普法活动12次。",
        "事项", "完成情况", "人民调解", "调解纠纷30件", "行政诉讼案件1件"]


def test_docx_merged_cell_is_read_once():
    import docx

    document = docx.Document()
    document.add_paragraph("青山镇2022年法治政府建设情况报告")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "全年调解纠纷30件"
    table.cell(1, 0).merge(table.cell(1, 2)).text = "行政复议案件为零"
    buf = io.BytesIO()
    document.save(buf)
    lines = read(buf.getvalue(), "r.docx").split("\n")
    assert lines.count("全年调解纠纷30件") == 1 and lines.count("行政复议案件为零") == 1


def test_docx_named_txt_is_still_read_as_word():
    assert read(docx_bytes(["青山镇2022年法治政府建设情况报告"]), "report.txt") == "青山镇2022年法治政府建设情况报告"


def test_docx_without_text_is_blank():
    assert reason(docx_bytes(["", "   "]), "r.docx").code == "blank"


def test_fake_docx_holding_text_is_corrupt():
    exc = reason(make_report().encode("utf-8"), "report.docx")
    assert exc.code == "corrupt_docx" and "plain text" in exc.message


def test_zip_without_the_word_part_named_docx_is_corrupt():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/styles.xml", "<styles/>")
    exc = reason(buf.getvalue(), "report.docx")
    assert exc.code == "corrupt_docx" and "word/document.xml" in exc.message


def test_docx_with_unparsable_document_part_is_corrupt():
    src = zipfile.ZipFile(io.BytesIO(docx_bytes(["青山镇"])))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for item in src.infolist():
            body = b"<w:document><w:body><w:p>" if item.filename == "word/document.xml" else src.read(item)
            zf.writestr(item, body)
    assert reason(buf.getvalue(), "report.docx").code == "corrupt_docx"


def test_truncated_docx_is_corrupt():
    data = docx_bytes(["青山镇2022年法治政府建设情况报告"] * 50)
    assert reason(data[: len(data) // 2], "report.docx").code == "corrupt_docx"


# --- PDF -------------------------------------------------------------------------------------------

LONG = ("2022年，青山镇坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
        "全年开展法治宣传活动21次，发放宣传资料3000余份，调解矛盾纠纷45件，行政复议案件0件，行政诉讼案件1件。")


def test_pdf_text_layer_is_read_and_wrapped_lines_are_joined():
    text = read(pdf_bytes(["青山镇2022年法治政府建设情况报告", "一、主要做法和成效", LONG, "二、下一步打算"]),
                "r.pdf")
    assert text.split("\n") == ["青山镇2022年法治政府建设情况报告", "一、主要做法和成效", LONG, "二、下一步打算"]


def test_pdf_without_text_layer_is_quarantined_as_scanned():
    exc = reason(scanned_pdf_bytes(), "scan.pdf")
    assert exc.code == "no_text_layer" and "scanned" in exc.message


def test_damaged_pdf_is_corrupt():
    data = pdf_bytes([LONG])
    assert reason(data[: len(data) // 3], "r.pdf").code == "corrupt_pdf"
    assert reason(b"%PDF-1.4\n" + b"\x00garbage" * 50, "r.pdf").code == "corrupt_pdf"


def test_fake_pdf_holding_text_is_corrupt():
    assert reason(make_report().encode("utf-8"), "report.pdf").code == "corrupt_pdf"


def test_password_protected_pdf_is_named_as_such():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([LONG]))))
    writer.encrypt("secret")
    buf = io.BytesIO()
    writer.write(buf)
    assert reason(buf.getvalue(), "r.pdf").code == "encrypted"


# --- what goes to LibreOffice, what is refused -----------------------------------------------------

OLE = bytes.fromhex("d0cf11e0a1b11ae1")


@pytest.mark.parametrize("name", ["old.doc", "old.wps", "mislabelled.txt"])
def test_compound_word_files_need_conversion(name):
    data = OLE + b"\x00" * 200 + "WordDocument".encode("utf-16-le") + b"\x00" * 200
    assert reason(data, name).code == "needs_conversion"


def test_rtf_needs_conversion():
    assert reason(rb"{\rtf1\ansi\deff0 {\fonttbl} hello}", "r.rtf").code == "needs_conversion"


def test_password_protected_word_file_is_named_as_such():
    data = OLE + b"\x00" * 200 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 200
    assert reason(data, "locked.docx").code == "encrypted"


def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(name, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize("data,name,what", [
    (_zip(["[Content_Types].xml", "xl/workbook.xml"]), "figures.xlsx", "Excel"),
    (_zip(["[Content_Types].xml", "xl/workbook.xml"]), "figures.docx", "Excel"),
    (_zip(["a.txt", "b.txt"]), "reports.zip", "zip"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "scan.png", "PNG"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "scan.jpg", "JPEG"),
    (OLE + b"\x00" * 100 + "Workbook".encode("utf-16-le"), "old.xls", "Excel"),
])
def test_other_document_and_media_types_are_unsupported(data, name, what):
    exc = reason(data, name)
    assert exc.code == "unsupported_type" and what in exc.message


# --- nothing usable --------------------------------------------------------------------------------

def test_empty_file():
    assert reason(b"").code == "empty"


@pytest.mark.parametrize("data", ["  \n\n \u3000 \n".encode(), "\ufeff\r\n".encode("utf-16"),
                                  "[bookmark: _GoBack]\n\u200b".encode()])
def test_only_blank_space_is_blank(data):
    assert reason(data).code == "blank"


@pytest.mark.parametrize("data", [bytes(range(256)) * 8, bytes(4096), b"\x01\x02\x03\x04" * 500,
                                  random.Random(7).randbytes(8192)])
def test_binary_data_is_binary(data):
    assert reason(data, "report.txt").code == "binary"


def test_size_limit_is_inclusive():
    data = make_report().encode("utf-8")
    assert read(data, max_bytes=len(data))
    exc = reason(data, max_bytes=len(data) - 1)
    assert exc.code == "too_large" and "max_file_mb" in exc.message


def test_reason_crosses_process_boundaries():
    exc = pickle.loads(pickle.dumps(Unreadable("blank", "nothing here")))
    assert (exc.code, exc.message) == ("blank", "nothing here")
