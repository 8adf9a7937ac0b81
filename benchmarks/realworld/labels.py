"""Turn hand-labelled folders of real reports into benchmarks/realworld/gold.csv, and back into gold folders.

A labelled set lives OUTSIDE the repository (its texts are public reports we may read, never commit):

    TEXTS/<set>/reports/NNN.txt            the report text as saved
    TEXTS/<set>/gold/urls.csv              file,url,province
    TEXTS/<set>/gold/reports.csv           file,township,county,city,year   (from the text only)
    TEXTS/<set>/gold/metrics.csv           file,metric,value,qualifier,alt_values,note   (results of the year)
    TEXTS/<set>/gold/optional.csv          same columns: debatable presence, neither required nor false
    TEXTS/<set>/gold/plans.csv             file,metric,value   (targets that must not count as results)

`gold.csv` keeps only facts: the URL, the metadata and the figures (no notes, no sentences of the reports).

    python -m benchmarks.realworld.labels import TEXTS SET [SET ...]   # append/replace those sets in gold.csv
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

GOLD = Path(__file__).with_name("gold.csv")
COLUMNS = ("set", "file", "url", "province", "township", "county", "city", "year", "kind", "metric", "value",
           "qualifier", "alt_values")
FIGURE_FILES = {"result": "metrics.csv", "optional": "optional.csv", "plan": "plans.csv"}


def _read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def rows_of_set(texts: Path, name: str) -> list[dict[str, str]]:
    """One row per figure (kind result/optional/plan), and one row with no metric for a report without any."""
    gold = texts / name / "gold"
    urls = {r["file"]: r for r in _read(gold / "urls.csv")}
    out = []
    for report in _read(gold / "reports.csv"):
        base = {"set": name, "file": report["file"], "url": urls.get(report["file"], {}).get("url", ""),
                "province": urls.get(report["file"], {}).get("province", ""),
                **{k: report.get(k, "") for k in ("township", "county", "city", "year")}}
        figures = [{**base, "kind": kind, "metric": r["metric"], "value": r["value"],
                    "qualifier": r.get("qualifier", "") if kind != "plan" else "",
                    "alt_values": r.get("alt_values", "") if kind != "plan" else ""}
                   for kind, file in FIGURE_FILES.items() for r in _read(gold / file) if r["file"] == report["file"]]
        out += figures or [{**base, "kind": "", "metric": "", "value": "", "qualifier": "", "alt_values": ""}]
    return out


def load_gold(path: Path = GOLD) -> list[dict[str, str]]:
    return _read(path)


def write_gold(rows: list[dict[str, str]], path: Path = GOLD) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def gold_folder(rows: list[dict[str, str]], out: Path) -> None:
    """Write the gold folder `fazhi eval` reads (file names `<set>-<file>`) for these rows."""
    out.mkdir(parents=True, exist_ok=True)
    reports = {(r["set"], r["file"]): r for r in rows}
    tables = {
        "reports.csv": (("file", "township", "county", "city", "year"),
                        [{"file": f"{s}-{f}", **{k: r[k] for k in ("township", "county", "city", "year")}}
                         for (s, f), r in reports.items()]),
    }
    for kind, name in FIGURE_FILES.items():
        cols = ("file", "metric", "value") if kind == "plan" else ("file", "metric", "value", "qualifier",
                                                                    "alt_values")
        tables[name] = (cols, [{"file": f"{r['set']}-{r['file']}", **{c: r[c] for c in cols[1:]}}
                               for r in rows if r["kind"] == kind])
    for name, (cols, table) in tables.items():
        with (out / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, cols)
            writer.writeheader()
            writer.writerows(table)


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "import":
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    texts, sets = Path(argv[1]), argv[2:]
    kept = [r for r in load_gold() if r["set"] not in sets]
    write_gold(kept + [row for name in sets for row in rows_of_set(texts, name)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
