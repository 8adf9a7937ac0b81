"""Measuring a command: exit code, wall time, and the memory of its whole process tree."""
from __future__ import annotations

import sys

from benchmarks.measure import run_measured
from benchmarks.stages import stage_at, stages

CHILDREN = """
import multiprocessing as mp, sys, time

def hold(mb):
    block = bytearray(mb * 2**20)
    block[::4096] = b"x" * len(block[::4096])
    time.sleep(1.5)

if __name__ == "__main__":
    with mp.get_context("spawn").Pool(2) as pool:
        pool.map(hold, [120, 120])
    print("done")
    sys.exit(3)
"""


def test_peak_memory_sums_the_process_tree(tmp_path):
    script = tmp_path / "children.py"
    script.write_text(CHILDREN, encoding="utf-8")
    m = run_measured([sys.executable, str(script)], interval=0.05)
    assert m.exit_code == 3 and m.stdout.strip() == "done"
    assert m.wall_s >= 1.5
    assert m.peak_processes >= 3                      # the script and its two workers
    assert m.max_single_rss_mb >= 120                 # one worker alone
    assert m.peak_tree_rss_mb >= 240                  # both workers at once, summed
    assert m.cpu_s > 0


def test_stages_from_the_prefect_log():
    log = "\n".join([
        "10:00:05.000 | INFO    | prefect - Starting temporary server on http://127.0.0.1:8000",
        "10:00:12.000 | INFO    | Flow run 'red-fox' - Beginning flow run 'red-fox' for flow 'nightly-ingest'",
        "10:00:12.500 | INFO    | Task run 'discover_inbox-1a2' - Finished in state Completed()",
        "10:00:30.000 | INFO    | Task run 'extract-batch-1' - Finished in state Completed()",
        "10:00:40.000 | INFO    | Task run 'extract-batch-0' - Finished in state Completed()",
        "10:00:40.500 | INFO    | Task run 'load-b3c' - Finished in state Completed()",
        "10:00:41.000 | INFO    | Flow run 'red-fox' - Finished in state Completed()",
    ])
    from datetime import datetime

    started = datetime.now().replace(hour=10, minute=0, second=1, microsecond=0).timestamp()
    assert stages(log, started, 43.0) == {"imports": 4.0, "prefect_api": 7.0, "discover_inbox": 0.5,
                                          "extract_batches": 27.5, "load": 0.5, "flow_finish": 0.5,
                                          "exit": 3.0}
    assert stage_at(log, started, 43.0, 20.0) == "extract_batches"
    assert stage_at(log, started, 43.0, 2.0) == "imports"
