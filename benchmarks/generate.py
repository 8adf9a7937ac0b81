"""Write N synthetic township reports into OUTDIR/inbox, and what a correct pipeline reads from them.

    .venv/bin/python benchmarks/generate.py 10000 benchmarks/out [--seed 7]

Deterministic: the same N and seed give byte-identical files. Reports vary structure (一、/一是/1./none),
township kind (乡/镇/街道), county placement (title, addressee, preamble, folder, nowhere), years 2019-2025,
number wording (Arabic, 1,260, 三千五百, 1.2万, full-width), qualifiers, sums, plan sections; most files are
UTF-8, some GB18030, UTF-8 with BOM, UTF-16 and .docx; some sit in county subfolders; a few are junk
(quarantined) or duplicates under another name.

Besides the inbox it writes OUTDIR/expected.csv (file, metric, value, qualifier, is_plan) and
OUTDIR/expected_reports.csv (file, status, township, county, city, year, encoding).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import shutil
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

if __package__ in (None, ""):   # run as a script: make `benchmarks` importable from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth.places import townships  # noqa: E402
from benchmarks.synth.report import Draft, build  # noqa: E402

YEARS = tuple(range(2019, 2026))
MARKER = ".fazhi-benchmark"          # marks an OUTDIR this script may wipe and rewrite
ENCODINGS = (("utf-8", 0.84), ("gb18030", 0.10), ("utf-8-sig", 0.03), ("utf-16", 0.02), ("docx", 0.01))
JUNK_RATE = 0.002                    # empty, binary or township-less files: quarantined
DUPLICATE_RATE = 0.002               # an earlier report's bytes under another name: duplicate
FIXED_TIME = datetime(2024, 1, 1)
NOTICE = "关于做好春节期间安全生产工作的通知（第{i}号）\n各单位：请认真做好值班值守工作。\n"   # no township: quarantined


@dataclass
class Written:
    rel_path: str
    status: str          # report | quarantined | duplicate
    encoding: str
    draft: Draft | None


def _docx_bytes(text: str) -> bytes:
    """A Word file of the text, one paragraph a line, byte-identical for the same text."""
    from docx import Document

    doc = Document()
    doc.core_properties.created = doc.core_properties.modified = FIXED_TIME
    for line in text.splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return _restamp_zip(buf.getvalue())


def _restamp_zip(data: bytes) -> bytes:
    """The same zip with every member dated FIXED_TIME (python-docx stamps members with the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6]), src.read(info.filename))
    return out.getvalue()


def _junk(rng: random.Random, i: int, first: bool) -> bytes:
    """A file the pipeline must quarantine, unlike every other (an identical one would be a duplicate)."""
    kind = rng.choice(("empty", "binary", "notice")) if first else rng.choice(("binary", "notice"))
    if kind == "empty":
        return b""
    if kind == "binary":
        return bytes(rng.randrange(256) for _ in range(2048))
    return NOTICE.format(i=i).encode("utf-8")


def _encode(text: str, encoding: str) -> bytes:
    return _docx_bytes(text) if encoding == "docx" else text.encode(encoding)


def _file_name(rng: random.Random, i: int, draft: Draft, encoding: str) -> str:
    ext = ".docx" if encoding == "docx" else ".txt"
    if rng.random() < 0.5:
        return f"{draft.township}{draft.year}年法治政府建设情况报告_{i:05d}{ext}"
    return f"report_{i:05d}{ext}"


def _write(inbox: Path, rel_path: str, data: bytes) -> None:
    path = inbox / rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def generate(n: int, outdir: Path, seed: int = 7) -> list[Written]:
    """Write the inbox and the expected files; return what was written."""
    inbox = _fresh_outdir(outdir)
    rng = random.Random(seed)
    places = townships(n // len(YEARS) + n // 20 + 10, rng)
    slots = rng.sample(range(len(places) * len(YEARS)), n)   # each (township, year) at most once
    written: list[Written] = []
    for i, slot in enumerate(slots):
        r = random.Random(f"{seed}:{i}")
        if r.random() < JUNK_RATE:
            rel = f"junk_{i:05d}.txt"
            _write(inbox, rel, _junk(r, i, first=not any(w.encoding == "junk" for w in written)))
            written.append(Written(rel, "quarantined", "junk", None))
            continue
        if written and r.random() < DUPLICATE_RATE:
            src = r.choice([w for w in written[-50:] if w.status == "report"] or [written[0]])
            stem, suffix = src.rel_path.rsplit(".", 1)
            rel = f"{stem}_副本{i:05d}.{suffix}"   # sorts after the original: the pipeline keeps the first seen
            shutil.copyfile(inbox / src.rel_path, inbox / rel)
            written.append(Written(rel, "duplicate", src.encoding, None))
            continue
        draft = build(r, places[slot // len(YEARS)], YEARS[slot % len(YEARS)])
        encoding = r.choices([e for e, _ in ENCODINGS], weights=[w for _, w in ENCODINGS])[0]
        name = _file_name(r, i, draft, encoding)
        rel = f"{draft.folder}/{name}" if draft.folder else name
        _write(inbox, rel, _encode(draft.text, encoding))
        written.append(Written(rel, "report", encoding, draft))
    _write_expected(outdir, written)
    (outdir / MARKER).write_text(json.dumps(marker(n, seed)), encoding="utf-8")
    return written


def marker(n: int, seed: int) -> dict[str, object]:
    """What an inbox was made from: N, the seed and the generator's own code (a change rewrites it)."""
    here = Path(__file__).resolve().parent
    sources = [here / "generate.py", *sorted((here / "synth").glob("*.py"))]
    code = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]
    return {"n": n, "seed": seed, "generator": code}


def _fresh_outdir(outdir: Path) -> Path:
    """OUTDIR/inbox, emptied: only an OUTDIR this script made (or an empty one) is touched."""
    if outdir.exists() and any(outdir.iterdir()) and not (outdir / MARKER).exists():
        raise SystemExit(f"{outdir} is not empty and was not made by this script: choose another OUTDIR")
    inbox = outdir / "inbox"
    if inbox.exists():
        shutil.rmtree(inbox)
    inbox.mkdir(parents=True)
    return inbox


def _write_expected(outdir: Path, written: list[Written]) -> None:
    with open(outdir / "expected_reports.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(("file", "status", "township", "county", "city", "year", "encoding"))
        for w in written:
            d = w.draft
            out.writerow((w.rel_path, w.status, d and d.township, d and d.county, d and d.city, d and d.year,
                          w.encoding))
    with open(outdir / "expected.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(("file", "metric", "value", "qualifier", "is_plan"))
        for w in written:
            for f in w.draft.facts if w.draft else ():
                out.writerow((w.rel_path, f.metric, f"{f.value:g}", f.qualifier, str(f.is_plan).lower()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="how many files to write")
    ap.add_argument("outdir", type=Path, help="folder for inbox/ and the expected CSVs")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    written = generate(args.n, args.outdir, args.seed)
    counts = {s: sum(w.status == s for w in written) for s in ("report", "quarantined", "duplicate")}
    print(f"wrote {len(written)} files to {args.outdir / 'inbox'}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
