"""Profile reading + extraction in one process (no Prefect, no pool): where a worker's time goes.

    .venv/bin/python benchmarks/profile_extract.py [--workdir benchmarks/out] [--limit 500] [--top 30]

Uses the inbox benchmarks/run.py generated (run it, or benchmarks/generate.py, first). Prints the time to
build the extractor (catalog + jieba, once per worker), the per-report time, and the functions with the
most cumulative time under cProfile.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

if __package__ in (None, ""):   # run as a script: make `benchmarks` importable from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.discover import InboxFile, discover  # noqa: E402
from flows.work import WorkSettings, init_worker, process_batch  # noqa: E402
from settings.config import load_config  # noqa: E402


def _settings() -> WorkSettings:
    cfg = load_config()
    return WorkSettings(str(cfg.catalog), cfg.max_file_bytes, cfg.section("read")["convert_timeout_s"],
                        cfg.township_county)


def extraction_rate(files: list[InboxFile]) -> dict[str, float]:
    """Reports read + extracted per second of one core's CPU time, in this process (no Prefect, no pool)."""
    init_worker(_settings())
    wall0, cpu0 = time.perf_counter(), time.process_time()
    process_batch(files)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"reports": len(files), "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
            "reports_per_cpu_s": round(len(files) / max(cpu, 1e-9), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workdir", type=Path, default=Path(__file__).resolve().parent / "out")
    ap.add_argument("--limit", type=int, default=500, help="reports to process")
    ap.add_argument("--top", type=int, default=30, help="functions to list")
    args = ap.parse_args(argv)
    files, _ = discover(args.workdir / "inbox")
    files = files[:args.limit]
    t0 = time.perf_counter()
    init_worker(_settings())
    t_init = time.perf_counter() - t0
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    results = process_batch(files)
    profiler.disable()
    elapsed = time.perf_counter() - t0
    parsed = sum(r["status"] == "parsed" for r in results)
    rate = extraction_rate(files)
    print(f"unprofiled: {rate['reports_per_cpu_s']} reports per CPU second (one core), {rate['wall_s']} s wall")
    print(f"init_worker: {t_init:.2f} s; {len(files)} files ({parsed} parsed) in {elapsed:.2f} s = "
          f"{1000 * elapsed / max(len(files), 1):.1f} ms per file (profiled; unprofiled is faster)")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
