"""Soak: `fazhi run` killed again and again at random points, then a clean run; the warehouse must end up equal
to an undisturbed run's, with no process left behind and every dead run recorded.

    nice .venv/bin/python benchmarks/soak.py                       # 1,000 reports, 20 SIGKILL + 10 SIGTERM
    nice .venv/bin/python benchmarks/soak.py --n 200 --sigkill 4 --sigterm 2

Each run is started as a shell script starts it (`trap '' INT; fazhi run … &`), with a unique marker in its
environment that every process it starts inherits; once its flow has begun it is killed after a random
delay drawn uniformly from [0, 0.8 × the undisturbed flow's duration], so the kills land anywhere from
discovery to the load (a run's duration varies with the machine's load: one that finished before its kill
came is reported as such).
10 s after each kill the soak counts the processes still carrying the marker. Results go to
benchmarks/soak.json and are printed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

if __package__ in (None, ""):   # run as a script: make `benchmarks` importable from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

from benchmarks.generate import generate  # noqa: E402

HERE = Path(__file__).resolve().parent
GONE_AFTER_S = 10.0
KILL_WINDOW = 0.8           # kills land in [0, KILL_WINDOW × the reference flow's duration] after the flow begins
FLOW_STARTED = "Beginning flow run"   # the Prefect log line that opens the flow (after its API server is up)
MARK_ENV = "FAZHI_SOAK_MARK"

# What must be equal between the soaked and the undisturbed warehouse: the data, not the lineage
# (run ids and timestamps differ by construction).
COMPARED = {
    "reports": "SELECT sha256, file_name, path, township, county, city, year, county_source, is_current "
               "FROM reports",
    "metrics": "SELECT r.sha256, m.metric, m.value, m.unit, m.qualifier, m.is_plan, m.evidence, m.start_offset, "
               "m.end_offset FROM metrics m JOIN reports r USING (report_id)",
    "report_texts": "SELECT r.sha256, md5(t.text) FROM report_texts t JOIN reports r USING (report_id)",
    "ingest_files": "SELECT path, sha256, status, reason_code FROM ingest_files",
    "alerts": "SELECT alert_id, kind, township, county, year, metric FROM alerts",
    "rejected_metrics": "SELECT report_id, metric, value, expectation FROM rejected_metrics",
}


def _fazhi() -> str:
    return str(Path(sys.executable).with_name("fazhi"))


def _marked(marker: str) -> list[int]:
    needle = f"{MARK_ENV}={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _start(inbox: Path, db: Path, log: Path, marker: str) -> int:
    """`fazhi run &` from /bin/sh with SIGINT ignored, as a cron wrapper would; returns its pid."""
    script = f"trap '' INT; '{_fazhi()}' run --inbox '{inbox}' --db '{db}' > '{log}' 2>&1 & echo $!"
    env = {**os.environ, MARK_ENV: marker}
    return int(subprocess.run(["/bin/sh", "-c", script], capture_output=True, text=True, env=env,
                              check=True).stdout)


def _wait_exit(pid: int, marker: str, timeout_s: float) -> float:
    """Seconds until no process carries `marker` (the run and all it started), or `timeout_s`."""
    began = time.monotonic()
    while time.monotonic() - began < timeout_s:
        if not _marked(marker):
            return time.monotonic() - began
        time.sleep(0.2)
    return float("inf")


def _wait_flow(log: Path, pid: int, timeout_s: float) -> float:
    """Seconds until the run's log shows its flow has begun (or the run has ended)."""
    began = time.monotonic()
    while time.monotonic() - began < timeout_s:
        if log.exists() and FLOW_STARTED in log.read_text(errors="replace"):
            break
        if not Path(f"/proc/{pid}").exists():
            break
        time.sleep(0.1)
    return time.monotonic() - began


def _run_clean(inbox: Path, db: Path, work: Path, label: str) -> tuple[float, float]:
    """Wall time of an undisturbed run, and of its flow (from the flow's first log line to the exit)."""
    marker = uuid.uuid4().hex
    began = time.monotonic()
    log = work / f"{label}.log"
    pid = _start(inbox, db, log, marker)
    startup = _wait_flow(log, pid, 600)
    _wait_exit(0, marker, 3600)
    wall = time.monotonic() - began
    return wall, wall - startup


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: sorted(con.sql(sql).fetchall(), key=repr) for name, sql in COMPARED.items()}
    finally:
        con.close()


def _runs(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql("SELECT run_id, status, error FROM runs ORDER BY started_at").fetchall()
    finally:
        con.close()


def _kill_once(n: int, sig: signal.Signals, delay: float, inbox: Path, db: Path, work: Path) -> dict[str, Any]:
    marker = uuid.uuid4().hex
    log = work / f"kill-{n:02d}-{sig.name}.log"
    pid = _start(inbox, db, log, marker)
    _wait_flow(log, pid, 600)
    time.sleep(delay)
    alive_at_kill = len(_marked(marker))
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
    time.sleep(GONE_AFTER_S)
    left = _marked(marker)
    for p in left:   # leave the machine clean whatever happened, but count them first
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    text = log.read_text(errors="replace") if log.exists() else ""
    return {"n": n, "signal": sig.name, "delay_s": round(delay, 1), "processes_at_kill": alive_at_kill,
            "left_after_10s": len(left), "flow_started": "Beginning flow run" in text,
            "completed_before_kill": "run summary" in text}


def soak(n_reports: int, kills: list[signal.Signals], work: Path, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    generate(n_reports, work / "gen", seed=seed)
    inbox = work / "gen" / "inbox"
    reference, soaked = work / "reference.duckdb", work / "soaked.duckdb"
    ref_wall, ref_flow = _run_clean(inbox, reference, work, "reference")
    print(f"reference run: {ref_wall:.1f} s, its flow {ref_flow:.1f} s", flush=True)
    outcomes = []
    for i, sig in enumerate(kills, start=1):
        outcomes.append(_kill_once(i, sig, rng.uniform(0, KILL_WINDOW * ref_flow), inbox, soaked, work))
        print(json.dumps(outcomes[-1]), flush=True)
        if outcomes[-1]["completed_before_kill"]:
            print("that run finished before its kill: the remaining kills hit runs with nothing new", flush=True)
    runs_before_clean = _runs(soaked) if soaked.exists() else []
    clean_wall, _ = _run_clean(inbox, soaked, work, "clean")
    runs = _runs(soaked)
    ref, got = _snapshot(reference), _snapshot(soaked)
    differing = [name for name in COMPARED if ref[name] != got[name]]
    started = sum(o["flow_started"] for o in outcomes)
    dead = [r for r in runs[:-1] if r[1] != "completed"]
    return {
        "reports": n_reports, "seed": seed, "reference_wall_s": round(ref_wall, 1),
        "reference_flow_s": round(ref_flow, 1),
        "clean_run_wall_s": round(clean_wall, 1),
        "kills": {s.name: sum(o["signal"] == s.name for o in outcomes) for s in set(kills)},
        "kills_after_flow_started": started,
        "kills_that_came_after_the_run_completed": sum(o["completed_before_kill"] for o in outcomes),
        "processes_left_10s_after_a_kill": sum(o["left_after_10s"] for o in outcomes),
        "dead_runs": sum(o["flow_started"] and not o["completed_before_kill"] for o in outcomes),
        "dead_runs_recorded": len(dead),
        "dead_run_statuses": sorted({r[1] for r in dead}),
        "runs_still_running_before_clean_run": sum(r[1] == "running" for r in runs_before_clean),
        "final_run": runs[-1][1] if runs else None,
        "warehouse_equals_undisturbed": not differing, "tables_differing": differing,
        "rows_compared": {name: len(ref[name]) for name in COMPARED},
        "runs": outcomes,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="reports in the inbox (default 1000)")
    ap.add_argument("--sigkill", type=int, default=20)
    ap.add_argument("--sigterm", type=int, default=10)
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--workdir", type=Path, default=HERE / "out-soak")
    ap.add_argument("--out", type=Path, default=HERE / "soak.json")
    args = ap.parse_args(argv)
    kills = [signal.SIGKILL] * args.sigkill + [signal.SIGTERM] * args.sigterm
    random.Random(args.seed).shuffle(kills)
    result = soak(args.n, kills, args.workdir, args.seed)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = {k: v for k, v in result.items() if k != "runs"}
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    ok = result["warehouse_equals_undisturbed"] and result["processes_left_10s_after_a_kill"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
