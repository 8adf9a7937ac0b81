"""Score the extractor on the hand-labelled real reports of gold.csv, per set and per report.

The report texts are not in the repository (public reports, read but never committed): pass the folder
that holds them as `TEXTS/<set>/reports/<file>` (see labels.py). Sets whose texts are missing are skipped.

    python -m benchmarks.realworld.run TEXTS [--set fresh] [--markdown]

`--set` keeps the sets whose name starts with it (tune -> tuneA, tuneB). Figures are scored with the same
rules as `fazhi eval`; metadata by the text alone (the gold is text-only, like ../shared/gold).
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

from benchmarks.realworld.labels import gold_folder, load_gold
from fazhi.evaluation import evaluate_dirs
from transforms.catalog import load_catalog

REPO = Path(__file__).resolve().parents[2]


def _stage(rows: list[dict[str, str]], texts: Path, work: Path) -> list[dict[str, str]]:
    """Copy the texts the rows name into `work/reports` as `<set>-<file>`; return the rows whose text exists."""
    (work / "reports").mkdir(parents=True)
    found = []
    for row in rows:
        source = texts / row["set"] / "reports" / row["file"]
        if source.exists():
            shutil.copy(source, work / "reports" / f"{row['set']}-{row['file']}")
            found.append(row)
    return found


def per_report(rows: list[dict[str, str]], evaluation) -> list[dict[str, object]]:
    s = evaluation.score
    bad_meta = {(f, name) for f, name, *_ in s.metadata_errors}
    misses = Counter(f.file for f in s.misses)
    false = Counter(f.file for f in s.false_hits)
    gold = Counter(f"{r['set']}-{r['file']}" for r in rows if r["kind"] == "result")
    out = []
    for key, r in {f"{r['set']}-{r['file']}": r for r in rows}.items():
        out.append({"report": key, "site": urlparse(r["url"]).netloc, "province": r["province"],
                    "township": "ok" if (key, "township") not in bad_meta else "WRONG",
                    "year": "ok" if (key, "year") not in bad_meta else "WRONG",
                    "county": "ok" if (key, "county") not in bad_meta else "wrong",
                    "gold": gold[key], "hits": gold[key] - misses[key], "false": false[key], "missed": misses[key]})
    return out


def markdown(table: list[dict[str, object]]) -> str:
    cols = list(table[0]) if table else []
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(row[c]) for c in cols) + " |" for row in table]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", type=Path)
    parser.add_argument("--set", default="", help="only sets whose name starts with this")
    parser.add_argument("--markdown", action="store_true", help="print the per-report table as markdown")
    args = parser.parse_args()
    rows = [r for r in load_gold() if r["set"].startswith(args.set)]
    with tempfile.TemporaryDirectory(prefix="fazhi-realworld-") as tmp:
        work = Path(tmp)
        rows = _stage(rows, args.texts, work)
        if not rows:
            print(f"no report texts found under {args.texts} for the sets of gold.csv")
            return 1
        gold_folder(rows, work / "gold")
        evaluation = evaluate_dirs(work / "gold", work / "reports", load_catalog(REPO / "metrics.toml"))
    print(evaluation.render())
    table = per_report(rows, evaluation)
    if args.markdown:
        print(markdown(table))
    right = sum(r["township"] == "ok" and r["year"] == "ok" for r in table)
    print(f"{len(table)} reports; township and year right on {right} ({right / len(table):.0%}); "
          f"figures F1 {evaluation.score.overall.f1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
