"""Issue 10's poison inbox through `fazhi run`, as an operator runs it: wall time and the peak memory of every
process of the run.

    nice .venv/bin/python benchmarks/poison.py          # writes benchmarks/poison.json

The inbox: the five samples, a real zip bomb (.docx, 0.2 MB inflating to 150 MB), a 3,000-page PDF and a report
the extractor raises on (the fault is injected into the run's workers by tests/faults/sitecustomize.py).
Peak memory is each process's VmHWM, sampled from /proc every 0.1 s while the run lasts.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

if __package__ in (None, ""):   # run as a script: make `benchmarks` and `tests` importable from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers import (SAMPLE_INBOX, fault_env, make_report, many_page_pdf, peak_memory_mb,  # noqa: E402
                           process_tree, zip_bomb_docx)

HERE = Path(__file__).resolve().parent
SAMPLE_S = 0.1


def _inbox(work: Path) -> Path:
    inbox = work / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    zip_bomb_docx(inbox / "bomb.docx")
    many_page_pdf(inbox / "long.pdf")
    (inbox / "raises.txt").write_text(make_report("异常镇") + "\nRAISE\n", encoding="utf-8")
    return inbox


def main() -> int:
    work = HERE / "out-poison"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    inbox, db = _inbox(work), work / "w.duckdb"
    marker = uuid.uuid4().hex
    load_1m = os.getloadavg()[0]
    env = {**os.environ, **fault_env(extract_raise="RAISE"), "FAZHI_POISON_MARK": marker}
    began = time.monotonic()
    proc = subprocess.Popen([str(Path(sys.executable).with_name("fazhi")), "run", "--inbox", str(inbox), "--db",
                             str(db)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peaks: dict[int, float] = {}
    commands: dict[int, str] = {}
    while proc.poll() is None:
        tree = process_tree(marker)
        commands.update(tree)
        peaks.update(peak_memory_mb(list(tree)))
        time.sleep(SAMPLE_S)
    output = proc.stdout.read()
    wall = time.monotonic() - began
    quarantined = [line.split(" (")[0].replace("quarantined ", "") + " (" + line.split(" (")[1].split(")")[0] + ")"
                   for line in output.splitlines() if line.startswith("quarantined ")]
    result = {"exit_code": proc.returncode, "wall_s": round(wall, 1), "quarantined": quarantined,
              "reports_loaded": next((int(line.split("│")[2]) for line in output.splitlines()
                                      if "reports loaded" in line and "│" in line), None),
              "load_1m_at_start": load_1m,
              "processes_seen": len(peaks),
              "peak_mb_per_process": {f"{pid} {commands[pid][:70]}": round(mb) for pid, mb in sorted(peaks.items())},
              "max_process_mb": round(max(peaks.values(), default=0))}
    (HERE / "poison.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0 if proc.returncode == 0 and result["max_process_mb"] < 1536 and wall < 60 else 1


if __name__ == "__main__":
    raise SystemExit(main())
