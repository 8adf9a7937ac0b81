"""The text layer of a PDF (bytes in, text out), with the visual line wraps of paragraphs undone.

A PDF stores lines as laid out on the page, so a sentence running over two lines arrives broken in two.
Rule (simple on purpose): a line is joined to the next one when it reaches the right edge of the text
block (it was wrapped, not ended) and does not end with sentence-final punctuation 。；：！？. Short lines
(headings, the last line of a paragraph, signatures) and lines ending a sentence keep their break.
Pages are separated by a line break.
"""
from __future__ import annotations

import io
import re

_SENTENCE_END = tuple("。；：！？.;:!?")
_CID_GLYPH = re.compile(r"\(cid:\d+\)")  # pdfminer's stand-in for a glyph without a Unicode mapping
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_WRAP_SLACK_EM = 1.5  # a wrapped line ends within this many character widths of the right edge


class PdfError(Exception):
    """The PDF cannot be opened: `code` is corrupt_pdf or encrypted."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class PdfTooLong(Exception):
    """The PDF has more pages than the caller allows; it is refused before any page is read."""

    def __init__(self, pages: int | None, limit: int) -> None:
        super().__init__(f"the PDF has {pages:,} pages" if pages else f"the PDF has more than {limit:,} pages")
        self.limit = limit


class PdfNoText(Exception):
    """The PDF opens but carries no usable text (a scan, or fonts without a Unicode mapping)."""


def pdf_text(data: bytes, max_pages: int | None = None) -> str:
    """The text of every page; `PdfTooLong` when the page tree declares (or holds) more than `max_pages`."""
    pages = [_join_wrapped(lines) for lines in _page_lines(data, max_pages)]
    text = "\n".join(p for p in pages if p)
    if _CID_GLYPH.search(text) and not _CJK.search(_CID_GLYPH.sub("", text)):
        raise PdfNoText("its fonts carry no Unicode mapping, so the characters cannot be recovered")
    if not _CJK.search(text):
        raise PdfNoText(f"{len(pages)} page(s) without any Chinese text")
    return text


def _declared_pages(pdf) -> int:
    """/Count of the page tree's root: what the PDF says it holds, read without building any page."""
    from pdfminer.pdftypes import resolve1

    try:
        return int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:  # a damaged or unusual page tree: the page loop below still counts
        return 0


def _page_lines(data: bytes, max_pages: int | None) -> list[list[dict]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            declared = _declared_pages(pdf)
            if max_pages is not None and declared > max_pages:
                raise PdfTooLong(declared, max_pages)
            lines = []
            for number, page in enumerate(pdf.pages, start=1):
                if max_pages is not None and number > max_pages:
                    raise PdfTooLong(None, max_pages)  # the page tree under-declared
                lines.append(page.extract_text_lines(return_chars=False))
            return lines
    except PdfTooLong:
        raise
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise PdfError("encrypted", "the PDF is protected by a password") from exc
        raise PdfError("corrupt_pdf", f"the PDF is damaged ({type(cause).__name__}: {cause})") from exc
    except Exception as exc:  # pdfminer raises many unrelated types on broken files
        raise PdfError("corrupt_pdf", f"the PDF is damaged ({type(exc).__name__}: {exc})") from exc


def _join_wrapped(lines: list[dict]) -> str:
    if not lines:
        return ""
    right = max(line["x1"] for line in lines)
    out: list[str] = []
    joining = False
    for line in lines:
        text = line["text"].strip()
        if joining and out:
            out[-1] += text
        else:
            out.append(text)
        size = line["bottom"] - line["top"]
        joining = bool(text) and right - line["x1"] <= _WRAP_SLACK_EM * size and not text.endswith(_SENTENCE_END)
    return "\n".join(out)
