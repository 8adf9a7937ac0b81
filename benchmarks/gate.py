"""Time the data-quality gate on 100,000 figures (10,000 reports of ten figures): GX must stay a small stage.

    .venv/bin/python benchmarks/gate.py [--reports 10000] [--figures 10]

Builds the reports and figures frames as transforms.rows does, runs expectations.gate.run_gate on them
(real Great Expectations suites, Data Docs in a temporary folder) and prints the time. Exits 1 when the gate
takes longer than its budget or loses a figure. (This was a timed test; timing belongs here, not in the suite.)
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):   # run as a script: make `benchmarks` importable from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import polars as pl  # noqa: E402

from expectations.gate import run_gate  # noqa: E402
from transforms.rows import FIGURES_SCHEMA, REPORTS_SCHEMA  # noqa: E402

BUDGET_S = 30.0     # a small share of the 60 s end-to-end target for 10,000 reports
METRICS = ["publicity_events", "certified_enforcement_officers", "disputes_mediated", "mediation_success_rate",
           "petitions_received", "petitions_closed", "admin_reconsideration_cases", "admin_litigation_cases",
           "legal_consultations", "enforcement_inspections", "legal_advisers"]
PERCENT = ["mediation_success_rate"]
QUALITY = {"first_year": 2000, "township_suffixes": ["乡", "镇", "街道"],
           "part_of": [["petitions_closed", "petitions_received"]]}


def frames(n_reports: int, per_report: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = random.Random(seed)
    reports, figures = [], []
    for seq in range(n_reports):
        rid = f"r{seq:015d}"
        reports.append({"report_id": rid, "file_name": f"{seq}.txt", "path": f"{seq}.txt", "sha256": rid.ljust(64, "0"),
                        "size_bytes": 100, "township": f"第{seq}镇", "county": "示例县", "city": None,
                        "year": 2000 + seq % 26, "county_source": "text", "text_chars": 100, "text": "…", "seq": seq})
        for metric in rng.sample(METRICS, per_report):
            pct = metric in PERCENT
            figures.append({"report_id": rid, "metric": metric, "value": rng.uniform(0, 100) if pct else rng.randint(0, 400),
                            "unit": "%" if pct else "件", "qualifier": "exact", "is_plan": False,
                            "evidence": "全年调解纠纷30件", "start_offset": 10, "end_offset": 19,
                            "section": "achievements", "parts": None})
    return pl.DataFrame(reports, schema=REPORTS_SCHEMA), pl.DataFrame(figures, schema=FIGURES_SCHEMA)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--figures", type=int, default=10, help="figures per report")
    args = ap.parse_args(argv)
    reports, figures = frames(args.reports, args.figures)
    with tempfile.TemporaryDirectory(prefix="fazhi-gate-") as docs:
        started = time.perf_counter()
        result = run_gate(reports, figures, catalog_keys=METRICS, required=["disputes_mediated", "publicity_events"],
                          current_year=2026, docs_dir=Path(docs), percent_metrics=PERCENT, quality=QUALITY)
        elapsed = time.perf_counter() - started
    kept = result.figures.height + result.rejected.height == figures.height
    print(f"gate: {figures.height} figures of {reports.height} reports in {elapsed:.1f} s "
          f"(budget {BUDGET_S:.0f} s); every figure passed or rejected: {kept}")
    return 0 if kept and elapsed <= BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
