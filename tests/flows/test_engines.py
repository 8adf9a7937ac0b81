"""Where the batches run: mapped Prefect task runs on local worker processes, or on a real Dask cluster."""
from __future__ import annotations

import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.cluster import loopback_cluster
from flows.engines import DASK_KEY_PREFIX
from tests.helpers import REPO, SAMPLE_INBOX, make_report

TOWNSHIPS = ("青山镇", "白水乡", "东城街道", "红岩镇", "石门乡", "黄土镇", "云台乡")
BATCH = 3


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """`dask scheduler` and two `dask worker`s on 127.0.0.1 for this module; none left running after it."""
    with loopback_cluster(2, tmp_path_factory.mktemp("dask-logs")) as cluster:
        yield cluster
    assert all(p.poll() is not None for p in cluster.processes), "a Dask process outlived the cluster"


def _inbox(tmp_path: Path) -> Path:
    """The five samples, seven generated reports (one in a county folder), an empty file: 13 files, 5 batches."""
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    for i, township in enumerate(TOWNSHIPS):
        folder = inbox / "示例县" if i == 0 else inbox
        folder.mkdir(exist_ok=True)
        (folder / f"gen_{i}.txt").write_text(make_report(township, 2019 + i, events=10 + i), encoding="utf-8")
    (inbox / "empty.txt").write_bytes(b"")
    return inbox


WAREHOUSE = {
    "reports": "SELECT report_id, path, sha256, township, county, county_source, city, year, is_current FROM reports",
    "metrics": "SELECT report_id, metric, value, unit, qualifier, is_plan, evidence, start_offset, end_offset, "
               "section FROM metrics",
    "texts": "SELECT report_id, text FROM report_texts",
    "ingest": "SELECT path, sha256, status, reason_code, reason, report_id FROM ingest_files",
    "alerts": "SELECT kind, report_id, township, metric FROM alerts",
}


def _warehouse(query, db: Path) -> dict[str, list[tuple]]:
    """What a SQL user sees, without the run's own ids and times."""
    return {name: sorted(query(db, sql), key=repr) for name, sql in WAREHOUSE.items()}


def _task_run_names(flow_run_id) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        deadline = time.monotonic() + 60
        while True:
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
            if all(r.state and r.state.is_final() for r in runs) or time.monotonic() > deadline:
                return sorted(r.name for r in runs)
            time.sleep(0.5)


def test_a_run_on_dask_gives_the_warehouse_of_a_local_run(prefect_api, dask_cluster, tmp_path, write_config, query):
    from distributed import Client, get_task_stream

    from flows.nightly import nightly_ingest

    inbox = _inbox(tmp_path)
    local_db, dask_db = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    local_cfg = write_config(f'[extract]\nengine = "processes"\nworkers = 2\nbatch_size = {BATCH}\n', "local.toml")
    dask_cfg = write_config(f'[extract]\nengine = "dask"\ndask_address = "{dask_cluster.address}"\n'
                            f'batch_size = {BATCH}\n', "dask.toml")

    local = nightly_ingest(inbox=str(inbox), db=str(local_db), config=str(local_cfg), return_state=True)
    with Client(dask_cluster.address, set_as_default=False) as client, get_task_stream(client=client) as stream:
        on_dask = nightly_ingest(inbox=str(inbox), db=str(dask_db), config=str(dask_cfg), return_state=True)
        workers = set(client.scheduler_info()["workers"])
    assert len(workers) == 2
    assert local.is_completed() and on_dask.is_completed()
    summary = on_dask.result()
    assert summary["reports_loaded"] == 12 and [q["code"] for q in summary["quarantined"]] == ["empty"]
    assert _warehouse(query, dask_db) == _warehouse(query, local_db)

    batches = [t for t in stream.data if str(t["key"]).startswith(f"{DASK_KEY_PREFIX}-{summary['run_id']}")]
    assert len(batches) == 5, "the scheduler ran each batch of 3 files once"
    assert {t["worker"] for t in batches} == workers, "both workers worked"
    names = _task_run_names(on_dask.state_details.flow_run_id)
    assert [n for n in names if n.startswith("extract-batch")] == [f"extract-batch-{i}" for i in range(5)], \
        "one Prefect task run per batch, never one per report"


def test_the_workers_get_the_catalog_as_data_not_as_a_path(dask_cluster, tmp_path):
    from distributed import Client

    from flows.discover import discover
    from flows.engines import dask_batch
    from flows.work import WorkSettings

    inbox = _inbox(tmp_path)
    files, _ = discover(inbox)
    catalog = (REPO / "metrics.toml").read_text(encoding="utf-8")
    settings = WorkSettings("/nowhere/metrics.toml", 1 << 20, 10, {}, catalog_text=catalog)   # a path no worker can read
    with Client(dask_cluster.address, set_as_default=False) as client:
        batch = client.submit(dask_batch, settings, files[:4], pure=False).result()
    assert [o["status"] for o in batch.outcomes] == ["parsed"] * 4
    assert batch.frames["figures"].height > 10


def test_a_scheduler_that_does_not_answer_fails_the_run_with_one_clear_line(fazhi_cli, tmp_path, write_config):
    from fazhi.local_server import free_port

    config = write_config(f'[extract]\nengine = "dask"\ndask_address = "tcp://127.0.0.1:{free_port()}"\n'
                          'dask_timeout_s = 2\n')
    proc = fazhi_cli("run", "--inbox", str(SAMPLE_INBOX), "--db", str(tmp_path / "w.duckdb"), "--config", str(config))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr[proc.stderr.index("error:"):].splitlines()
    error = " ".join(" ".join(itertools.takewhile(lambda line: not re.match(r"\d\d:\d\d:", line), lines)).split())
    assert "did not answer" in error and error.endswith('or set [extract] engine = "processes"'), error


def test_a_killed_parent_takes_its_dask_processes_with_it(tmp_path):
    code = ("import os, sys, time\nfrom pathlib import Path\nfrom benchmarks.cluster import loopback_cluster\n"
            f"with loopback_cluster(1, Path({str(tmp_path)!r})) as c:\n"
            "    print(' '.join(str(p.pid) for p in c.processes), flush=True)\n    time.sleep(300)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=REPO,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    pids = [int(p) for p in parent.stdout.readline().split()]
    assert len(pids) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() and
                                              "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
                                              for pid in pids):
        time.sleep(0.5)
    alive = [pid for pid in pids if Path(f"/proc/{pid}").exists()
             and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"]
    assert not alive, f"Dask processes {alive} outlived their parent"
