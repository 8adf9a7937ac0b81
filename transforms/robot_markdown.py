"""The digest as group-robot markdown (DingTalk, WeCom): a title, one section per report, split into messages
that each fit the robot's size limit.

Pure: a Digest in, messages out. Township names, file names and every other text that comes from a report
are untrusted: they are neutralised (markdown, HTML tags, links and @-mentions become plain full-width
characters) so that a file named `**@所有人** [点此](http://…)` shows as text and mentions nobody.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from transforms.digest import FOOTER, Digest, ReportBlock

# ASCII characters that start markdown, HTML or a mention in DingTalk's and WeCom's markdown, and the full-width
# look-alikes a reader sees instead (natural in Chinese text, inert for both renderers).
NEUTRAL = str.maketrans({"*": "＊", "_": "＿", "`": "｀", "#": "＃", "[": "［", "]": "］", "<": "＜", ">": "＞",
                         "|": "｜", "~": "～", "@": "＠", "\\": "＼", "!": "！", "&": "＆"})
CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")   # a newline in a file name must not start a markdown line
PART_MARK = "（第 {i}/{n} 条）"
PART_MARK_WIDEST = PART_MARK.format(i=999, n=999)    # reserved while packing, before the number of parts is known
CONTINUED = "（续）"
ELLIPSIS = "…"


class MessageTooSmall(ValueError):
    """The robot's size limit leaves no room for even the title and one line."""


@dataclass(frozen=True)
class RobotMessage:
    title: str                    # DingTalk shows it in the chat list; WeCom has none (it is the heading)
    text: str                     # the markdown
    alert_ids: tuple[str, ...]    # the alerts this message delivers


def neutral(value: object) -> str:
    """Untrusted text made inert: no markup, no tags, no links, no @-mention, on one line."""
    text = CONTROL.sub(" ", str(value)).translate(NEUTRAL)
    return text.replace("://", "：//")


@dataclass(frozen=True)
class _Unit:
    text: str
    alert_ids: tuple[str, ...]


def _head(block: ReportBlock, continued: bool = False, file_name: str | None = None) -> str:
    """The section's heading lines; `file_name` (already neutral) replaces the block's, e.g. when cut."""
    lines = [f"#### {neutral(block.place)}{CONTINUED if continued else ''}", f"- 年度：{block.year or '未知'}"]
    if block.file_name:
        lines.append(f"- 文件：{file_name if file_name is not None else neutral(block.file_name)}")
    return "\n".join(lines)


def _units(block: ReportBlock) -> list[_Unit]:
    return [_Unit(f"- **{f.label}**：{neutral(f.text)}", f.alert_ids) for f in block.findings]


def _compose(heading: str, mark: str, summary: str, sections: list[str], mention: str, last: bool) -> str:
    parts = [f"### {heading}{mark}", summary, *sections]
    if last:
        parts.append(f"---\n{FOOTER}")
    if mention:
        parts.append(mention)
    return "\n\n".join(parts)


class _Packer:
    """Greedy packing of report sections into messages that `fits`, the last message carrying the footer."""

    def __init__(self, digest: Digest, fits: Callable[[str, str], bool], mention: str) -> None:
        self.heading, self.fits, self.mention = digest.subject.split("：", 1)[0], fits, mention
        self.summary = f"**{digest.townships} 个乡镇，{len(digest.alert_ids)} 条**"
        self.done: list[tuple[list[str], list[str]]] = []
        self.sections: list[str] = []
        self.ids: list[str] = []

    def fits_sections(self, sections: list[str]) -> bool:
        # sized with the widest part mark, the footer and the mention: a message only ever gets shorter after
        text = _compose(self.heading, PART_MARK_WIDEST, self.summary, sections, self.mention, last=True)
        return self.fits(self.heading + PART_MARK_WIDEST, text)

    def flush(self) -> None:
        if self.sections:
            self.done.append((self.sections, self.ids))
            self.sections, self.ids = [], []

    def add(self, section: str, ids: tuple[str, ...]) -> bool:
        if not self.fits_sections([*self.sections, section]):
            return False
        self.sections.append(section)
        self.ids.extend(ids)
        return True

    def add_block(self, block: ReportBlock) -> None:
        units = _units(block)
        whole = "\n".join([_head(block), *(u.text for u in units)])
        ids = tuple(i for u in units for i in u.alert_ids)
        if self.add(whole, ids):
            return
        self.flush()
        if self.add(whole, ids):
            return
        self._add_lines(block, units)

    def _add_lines(self, block: ReportBlock, units: list[_Unit]) -> None:
        """A section too long for one message: its lines go over several, the heading repeated with 续."""
        file_name = neutral(block.file_name or "")
        shortest = min((u.text for u in units), key=len, default="")
        if block.file_name and not self.fits_sections([f"{_head(block, True, file_name)}\n{shortest}"]):
            file_name = self._cut(lambda cut: f"{_head(block, True, cut)}\n{shortest}", file_name)
        lines, ids, continued = [], [], False
        for unit in units:
            candidate = "\n".join([_head(block, continued, file_name), *lines, unit.text])
            if lines and not self.fits_sections([candidate]):
                self.add("\n".join([_head(block, continued, file_name), *lines]), tuple(ids))
                self.flush()
                lines, ids, continued = [], [], True
            head = _head(block, True, file_name)   # the longer heading: the line fits under either
            fits_alone = self.fits_sections([f"{head}\n{unit.text}"])
            lines.append(unit.text if fits_alone else self._cut(lambda c: f"{head}\n{c}", unit.text))
            ids.extend(unit.alert_ids)
        self.add("\n".join([_head(block, continued, file_name), *lines]), tuple(ids))

    def _cut(self, render: Callable[[str], str], text: str) -> str:
        """The longest start of `text` (with …) whose rendering fits in a message alone: a line longer than
        a whole message is cut, and the alerts it names still count as told."""
        low, high = 0, len(text)
        while low < high:
            mid = (low + high + 1) // 2
            if self.fits_sections([render(text[:mid] + ELLIPSIS)]):
                low = mid
            else:
                high = mid - 1
        if low == 0:
            raise MessageTooSmall("the size limit leaves no room for one line of the digest")
        return text[:low] + ELLIPSIS

    def messages(self) -> list[RobotMessage]:
        self.flush()
        n = len(self.done)
        out = []
        for i, (sections, ids) in enumerate(self.done, start=1):
            mark = PART_MARK.format(i=i, n=n) if n > 1 else ""
            text = _compose(self.heading, mark, self.summary, sections, self.mention if i == 1 else "", last=i == n)
            out.append(RobotMessage(f"{self.heading}{mark}", text, tuple(ids)))
        return out


def robot_messages(digest: Digest, fits: Callable[[str, str], bool], mention: str = "") -> list[RobotMessage]:
    """The digest as markdown messages, each one `fits(title, text)`, in report order; every alert of the
    digest is in exactly one message. `mention` (e.g. "@13800001111") ends the first message."""
    packer = _Packer(digest, fits, mention)
    if not packer.fits_sections([]):
        raise MessageTooSmall("the size limit is smaller than the title and footer of a message")
    for block in digest.blocks:
        packer.add_block(block)
    return packer.messages()
