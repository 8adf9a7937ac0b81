"""`fazhi eval`: read a gold folder and the report files it names, extract, render a table.

The scoring itself is transforms/evaluate.py, the project's one scorer (benchmarks/score.py uses it too)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from transforms.catalog import Catalog
from transforms.evaluate import (META_FIELDS, MIN_QUALIFIER_ACCURACY, Finding, Gold, GoldFigure, Score, score)
from transforms.extract import Extractor
from transforms.model import Extraction
from transforms.read import Unreadable, decode_document

_RENDER_WIDTH = 160
_EVIDENCE_CHARS = 90


class GoldError(ValueError):
    """The gold folder is missing a file or a column."""


@dataclass
class Evaluation:
    score: Score
    catalog: Catalog
    unreadable: dict[str, str]

    def passes(self, min_f1: float) -> bool:
        return self.score.passes(min_f1) and not self.unreadable

    def render(self) -> str:
        console = Console(file=io.StringIO(), width=_RENDER_WIDTH, record=True, color_system=None)
        for block in (self._metric_table(), self._summary(), *self._findings()):
            console.print(block)
        return console.export_text()

    def _metric_table(self) -> Table:
        table = Table("metric", "中文", "gold", "hits", "false", "missed", "P", "R", "F1",
                      title=f"figures of {self.score.files} reports")
        for key, s in self.score.per_metric.items():
            if s.tp + s.fp + s.fn == 0:
                continue
            label = self.catalog.label(key) if key in self.catalog.keys() else "(not in the catalog)"
            table.add_row(key, label, str(s.tp + s.fn), str(s.tp), str(s.fp), str(s.fn),
                          f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}")
        o = self.score.overall
        table.add_row("overall", "", str(o.tp + o.fn), str(o.tp), str(o.fp), str(o.fn),
                      f"{o.precision:.3f}", f"{o.recall:.3f}", f"{o.f1:.3f}", style="bold")
        return table

    def _summary(self) -> str:
        s = self.score
        right, hits = s.qualifier
        meta = ", ".join(f"{f} {s.metadata_accuracy(f):.0%}" for f in META_FIELDS)
        lines = [f"metadata: {meta}",
                 f"qualifier right on {right}/{hits} hits ({s.qualifier_accuracy:.1%}; "
                 f"needs {MIN_QUALIFIER_ACCURACY:.0%})",
                 f"plan leakage: {len(s.plan_leaks)}",
                 f"evidence problems: {len(s.evidence_errors)}"]
        lines += [f"unreadable: {name}: {why}" for name, why in self.unreadable.items()]
        return "\n".join(lines)

    def _findings(self) -> list[str]:
        s = self.score
        blocks = []
        if s.metadata_errors:
            blocks.append("metadata errors:\n" + "\n".join(
                f"  {file} {name}: gold {want or '(none)'}, found {got or '(none)'}"
                for file, name, want, got in s.metadata_errors))
        for title, items in (("missed", s.misses), ("false hits", s.false_hits),
                             ("wrong qualifier", s.qualifier_errors), ("plan leakage", s.plan_leaks),
                             ("evidence problems", s.evidence_errors)):
            if items:
                blocks.append(f"{title}:\n" + "\n".join(_finding(f) for f in items))
        return blocks


def _finding(f: Finding) -> str:
    evidence = f.evidence.replace("\n", " ")
    if len(evidence) > _EVIDENCE_CHARS:
        evidence = evidence[:_EVIDENCE_CHARS] + "…"
    return f"  {f.file} {f.metric}: gold {f.expected}, found {f.found}  {evidence}"


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    except FileNotFoundError:
        raise GoldError(f"gold file {path} is missing: a gold folder holds reports.csv, metrics.csv, "
                        "optional.csv and plans.csv") from None


def _figure_rows(path: Path, required: bool = True) -> list[GoldFigure]:
    if not required and not path.exists():
        return []
    out = []
    for row in _rows(path):
        try:
            values = [float(row["value"])] + [float(v) for v in (row.get("alt_values") or "").split(";") if v.strip()]
            out.append(GoldFigure(row["file"], row["metric"], tuple(values), (row.get("qualifier") or "exact").strip()))
        except (KeyError, ValueError) as exc:
            raise GoldError(f"{path}: row {row} has no usable file/metric/value ({exc})") from None
    return out


def read_gold(gold_dir: Path) -> Gold:
    reports = {}
    for row in _rows(gold_dir / "reports.csv"):
        meta = {f: (row.get(f) or "").strip() or None for f in META_FIELDS}
        meta["year"] = int(meta["year"]) if meta["year"] else None
        reports[row["file"]] = meta
    return Gold(reports=reports, results=_figure_rows(gold_dir / "metrics.csv"),
                optional=_figure_rows(gold_dir / "optional.csv", required=False),
                plans=_figure_rows(gold_dir / "plans.csv", required=False))


def evaluate_dirs(gold_dir: Path, reports_dir: Path, catalog: Catalog, max_bytes: int) -> Evaluation:
    """Extract every report the gold names (found anywhere under `reports_dir`) and score it."""
    gold = read_gold(Path(gold_dir))
    extractor = Extractor(catalog)
    files = {p.name: p for p in sorted(Path(reports_dir).rglob("*")) if p.is_file()}
    extracted: dict[str, Extraction] = {}
    texts: dict[str, str] = {}
    unreadable: dict[str, str] = {}
    for name in gold.reports:
        if name not in files:
            unreadable[name] = f"not found under {reports_dir}"
            continue
        try:
            texts[name] = decode_document(files[name].read_bytes(), name, max_bytes=max_bytes)
        except Unreadable as exc:
            unreadable[name] = exc.message
            continue
        extracted[name] = extractor.extract(texts[name])
    return Evaluation(score(gold, extracted, texts, catalog.keys()), catalog, unreadable)
