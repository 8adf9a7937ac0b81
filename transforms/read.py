"""Bytes of an inbox file -> normalized report text, or `Unreadable` with a specific reason.

The kind of file is told by its content, never by its name: a `.txt` that is really a Word file is read
as Word, a `.docx` that is really text is a fake. The name only matters for that last check (a file
named `.docx`/`.pdf` whose content is not one is "corrupt", not "plain text").

Pure: no file system, no subprocess. `.doc`/`.wps`/`.rtf`/`.odt` raise `needs_conversion`; the caller
converts them with LibreOffice (flows/convert.py) and hands the `.docx` bytes back to `decode_document`.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from transforms.normalize import normalize_text
from transforms.pdf_text import PdfError, PdfNoText, PdfTooLong, pdf_text


class Unreadable(Exception):
    """A file that cannot become report text; `code` is the quarantine reason, `message` says what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def __reduce__(self):  # keep (code, message) across process boundaries
        return (type(self), (self.code, self.message))


SEND_AGAIN = "save the report as .docx (or UTF-8 .txt) and send it again"

# Leading bytes of container and media formats that are never report text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"), (b"\x1f\x8b\x08", "a gzip archive"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF = b"%PDF-"
_PDF_HEADER_WINDOW = 1024  # the PDF spec lets the header sit anywhere in the first KiB
_ZIP = b"PK\x03\x04"
_RTF = b"{\\rtf"

# Characters a Chinese report is made of; anything else in a decode is a sign of the wrong encoding.
_REPORT_CHARS = (r"\s\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2100-\u22ff\u2460-\u24ff\u2500-\u25ff"
                 r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\ufeff\uff00-\uffef")
_FOREIGN = re.compile(f"[^{_REPORT_CHARS}]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_MIN_REPORT_SHARE = 0.95    # share of report characters a guessed encoding (GB18030, UTF-16) must reach
_MAX_CONTROL_SHARE = 0.001  # share of control characters that marks a UTF-8 decode as binary data


@dataclass(frozen=True)
class ReadLimits:
    """Caps that keep one hostile or absurd file from costing a night (values: `[read]` in fazhi.toml).

    `max_unpacked_bytes` is the sum of the sizes a .docx's zip members declare, checked before any part is
    parsed; Python's zipfile never inflates a member past its declared size, so a lying header cannot beat it."""

    max_unpacked_bytes: int
    max_pdf_pages: int
    max_text_chars: int


def check_size(size: int, max_bytes: int) -> None:
    """Refuse a file over the size limit (callers check before reading it into memory)."""
    if size > max_bytes:
        raise Unreadable("too_large", f"the file is {size / 2**20:.1f} MB, over the limit of "
                         f"{max_bytes / 2**20:.1f} MB ([read] max_file_mb in fazhi.toml); send the report "
                         "without embedded images or raise the limit")


def decode_document(data: bytes, filename: str, *, max_bytes: int, limits: ReadLimits | None = None) -> str:
    """Return the normalized text of one document; raise `Unreadable` when it cannot be a report.

    Without `limits` nothing but `max_bytes` is capped (the flow always passes them)."""
    if not data:
        raise Unreadable("empty", f"the file is empty (0 bytes); {SEND_AGAIN}")
    check_size(len(data), max_bytes)
    raw = _raw_text(data, PurePath(filename).suffix.lower(), limits)
    if limits is not None:
        _check_length(len(raw), limits.max_text_chars)
    text = normalize_text(raw)
    if not text.strip():
        raise Unreadable("blank", f"the file holds no text, only blank space; {SEND_AGAIN}")
    return text


def _check_length(chars: int, max_chars: int) -> None:
    if chars > max_chars:
        raise Unreadable("too_much_text", f"the file holds {chars:,} characters of text, over the limit of "
                         f"{max_chars:,} ([read] max_text_chars in fazhi.toml); a township report is far "
                         "shorter: check that this is the right file, or raise the limit")


def _raw_text(data: bytes, suffix: str, limits: ReadLimits | None = None) -> str:
    if data.startswith(_ZIP):
        return _zip_text(data, suffix, limits)
    if _PDF in data[:_PDF_HEADER_WINDOW]:
        return _pdf_text(data, limits)
    if data.startswith(_OLE):
        return _ole(data)
    if data.lstrip().startswith(_RTF):
        raise Unreadable("needs_conversion", "an RTF document; it is converted to .docx with LibreOffice")
    _reject_media(data)
    text = _decode_text(data)
    if text is None:
        raise Unreadable("binary", "the content is neither text in a known encoding (UTF-8, UTF-16, GB18030) "
                         f"nor a Word or PDF document; {SEND_AGAIN}")
    if suffix in (".docx", ".pdf"):
        kind = "corrupt_docx" if suffix == ".docx" else "corrupt_pdf"
        raise Unreadable(kind, f"the file is named {suffix} but holds plain text, not a real {suffix} "
                         f"document (renamed by hand?); open it and save it as {suffix} again, or rename it .txt")
    return text


def _reject_media(data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise Unreadable("unsupported_type", f"the file is {what}, not a report document; {SEND_AGAIN}")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise Unreadable("unsupported_type", f"the file is a WebP image, not a report document; {SEND_AGAIN}")


# --- plain text ------------------------------------------------------------------------------------

def _few_controls(text: str) -> bool:
    """A UTF-8 decode is wrong only when it is full of control bytes (binary data that happens to decode)."""
    return len(_CONTROL.findall(text)) <= _MAX_CONTROL_SHARE * len(text)


def _reads_like_report(text: str) -> bool:
    """A guessed encoding must give (nearly) only the characters reports are written in."""
    return len(_FOREIGN.findall(text)) <= (1 - _MIN_REPORT_SHARE) * len(text)


Check = Callable[[str], bool]
_BOMS: tuple[tuple[bytes, str, Check], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig", _few_controls),
    (b"\xff\xfe", "utf-16", _reads_like_report), (b"\xfe\xff", "utf-16", _reads_like_report),
)


def _decode_text(data: bytes) -> str | None:
    """Strict decodes in order of certainty; charset-normalizer only when all of them fail."""
    for bom, encoding, check in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, check)
    if b"\x00" in data:  # never in UTF-8 or GB18030 text: UTF-16 without a byte-order mark, or binary
        return _strict(data, _utf16_order(data), _reads_like_report)
    for guess in (lambda: _strict(data, "utf-8", _few_controls),
                  lambda: _strict(data, "gb18030", _reads_like_report),
                  lambda: _charset_normalizer(data)):
        text = guess()
        if text is not None:
            return text
    return None


def _utf16_order(data: bytes) -> str:
    """ASCII characters (digits, line breaks) put their zero byte second in LE, first in BE."""
    return "utf-16-le" if data[1::2].count(0) >= data[0::2].count(0) else "utf-16-be"


def _strict(data: bytes, encoding: str, check: Check) -> str | None:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if check(text) else None


def _charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else _strict(data, best.encoding, _reads_like_report)


# --- containers ------------------------------------------------------------------------------------

_ZIP_KINDS: tuple[tuple[str, str], ...] = (  # main part of an Office file -> what it is
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"), ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
)
_DOCX_SUFFIXES = (".docx", ".docm", ".dotx")


def _zip_text(data: bytes, suffix: str, limits: ReadLimits | None = None) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            unpacked = sum(info.file_size for info in zf.infolist())
            if limits is not None and unpacked > limits.max_unpacked_bytes:
                raise _unpacks_too_large(unpacked, limits.max_unpacked_bytes)
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except Unreadable:
        raise
    except Exception as exc:  # BadZipFile, EOFError, zlib.error...: a truncated or damaged archive
        if suffix in _DOCX_SUFFIXES:
            raise Unreadable("corrupt_docx", f"the Word file is damaged ({exc}); open it in Word or WPS, "
                             "save it again as .docx and send it again") from exc
        raise Unreadable("unsupported_type", f"a damaged zip archive ({exc}); {SEND_AGAIN}") from exc
    if "word/document.xml" in names:
        return _docx_text(data)
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        raise Unreadable("needs_conversion", "an OpenDocument text (.odt); it is converted with LibreOffice")
    for part, what in _ZIP_KINDS:
        if part in names:
            raise Unreadable("unsupported_type", f"the file is {what}, not a report document; {SEND_AGAIN}")
    if suffix == ".docx":
        raise Unreadable("corrupt_docx", "the file is named .docx but the Word part (word/document.xml) is "
                         "missing, so it is not a Word document; open it in Word or WPS, save it as .docx "
                         "and send it again")
    raise Unreadable("unsupported_type", "a zip archive, not a report document; unpack the reports into "
                     "the inbox instead")


def _unpacks_too_large(unpacked: int, limit: int) -> Unreadable:
    return Unreadable("too_large_unpacked", f"the document unpacks to {unpacked / 2**20:,.0f} MB, over the limit "
                      f"of {limit / 2**20:,.0f} MB ([read] max_unpacked_mb in fazhi.toml): a compressed "
                      "\"zip bomb\" or a document stuffed with images; save the report again without them")


def _docx_text(data: bytes) -> str:
    """Paragraphs in order, then every table cell on its own line (a merged cell once)."""
    from docx import Document

    try:
        doc = Document(io.BytesIO(data))
        lines = [p.text for p in doc.paragraphs]
        lines.extend(_cells(doc.tables, set()))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors... on damaged parts
        raise Unreadable("corrupt_docx", f"the Word file cannot be parsed ({type(exc).__name__}: {exc}); "
                         "open it in Word or WPS, save it again as .docx and send it again") from exc
    return "\n".join(lines)


def _cells(tables, seen: set) -> Iterator[str]:
    """Text of each distinct cell, row by row; nested tables follow their cell.

    A merged cell comes back once per grid position it spans, always as the same <w:tc> element; `seen`
    holds the elements themselves (not their id(), which lxml may reuse for a new proxy).
    """
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                if cell._tc in seen:
                    continue
                seen.add(cell._tc)
                if cell.text.strip():
                    yield cell.text
                yield from _cells(cell.tables, seen)


def _ole(data: bytes) -> str:
    """Compound files: Word 97-2003 .doc and WPS .wps get converted; Excel, PowerPoint and locked files not.

    Streams are recognised by their UTF-16 names in the compound file's directory. WordDocument is tested
    first because a Word file's own text is UTF-16 too and might contain the other names.
    """
    def has(stream: str) -> bool:
        return stream.encode("utf-16-le") in data

    if not has("WordDocument"):
        if has("EncryptedPackage"):
            raise Unreadable("encrypted", "the document is protected by a password; remove the password, "
                             "save it as .docx and send it again")
        for stream, what in (("Workbook", "an Excel workbook (.xls)"), ("PowerPoint Document", "a PowerPoint file")):
            if has(stream):
                raise Unreadable("unsupported_type", f"the file is {what}, not a report document; {SEND_AGAIN}")
    raise Unreadable("needs_conversion", "a Word 97-2003 (.doc) or WPS (.wps) document; "
                     "it is converted to .docx with LibreOffice")


def _pdf_text(data: bytes, limits: ReadLimits | None = None) -> str:
    try:
        return pdf_text(data, max_pages=None if limits is None else limits.max_pdf_pages)
    except PdfNoText as exc:
        raise Unreadable("no_text_layer", f"the PDF has no text layer ({exc}): it looks scanned; send the "
                         ".docx the PDF was made from, or a PDF exported from Word or WPS") from exc
    except PdfTooLong as exc:
        raise Unreadable("too_many_pages", f"{exc}, over the limit of {exc.limit} ([read] max_pdf_pages in "
                         "fazhi.toml); a township report is far shorter: check that this is the right file, "
                         "or raise the limit") from exc
    except PdfError as exc:
        raise Unreadable(exc.code, f"{exc}; export the PDF again from Word or WPS, or send the .docx") from exc
