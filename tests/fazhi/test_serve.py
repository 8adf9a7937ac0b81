"""`fazhi serve` against a real `prefect server` on 127.0.0.1: the deployment, scheduled runs, one writer at a
time, and recovery from a run killed mid-way. One server for the whole session (conftest `prefect_server`)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from uuid import UUID

import pytest

from fazhi import local_server
from flows.artifacts import QUARANTINE_KEY, SUMMARY_KEY
from tests.helpers import HOLD_MARKER, SAMPLE_INBOX, fault_env

pytestmark = pytest.mark.server

FAZHI = Path(sys.executable).with_name("fazhi")
RUNNER_POLL_S = "2"      # the served process looks for due runs this often (Prefect's default is 10 s)
READY_TIMEOUT_S = 90
RUN_TIMEOUT_S = 240
SERVING_MARKER = "polling for scheduled runs"


@dataclass
class Served:
    """A `fazhi serve` subprocess; its stdout and stderr go to `log`."""

    proc: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_output(self, text: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while text not in self.output():
            assert self.proc.poll() is None, f"fazhi serve exited early:\n{self.output()}"
            assert time.monotonic() < deadline, f"{text!r} never appeared:\n{self.output()}"
            time.sleep(0.2)

    def stop(self) -> int:
        """SIGTERM, as systemd stops a service."""
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


@contextmanager
def fazhi_serve(work: Path, inbox: Path, db: Path, config: Path, env: dict[str, str | None]) -> Iterator[Served]:
    """`fazhi serve` with our environment plus `env` (a None value removes that variable)."""
    log = work / f"serve-{time.monotonic_ns()}.log"
    full = {**os.environ, "PREFECT_RUNNER_POLL_FREQUENCY": RUNNER_POLL_S, "COLUMNS": "200", **env}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(FAZHI), "serve", "--inbox", str(inbox), "--db", str(db), "--config", str(config)],
            stdout=out, stderr=subprocess.STDOUT, cwd=work, start_new_session=True,
            env={k: v for k, v in full.items() if v is not None})
    try:
        yield Served(proc, log)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def client(prefect_server):
    """A sync Prefect client on the session's server."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: prefect_server.api_url}), get_client(sync_client=True) as c:
        yield c


@pytest.fixture
def setup(tmp_path: Path, write_config, prefect_server):
    """A copy of the sample inbox, a warehouse path, and a config naming the deployment."""

    def make(deployment: str) -> tuple[Path, Path, Path, dict[str, str]]:
        inbox = tmp_path / "inbox"
        shutil.copytree(SAMPLE_INBOX, inbox)
        config = write_config(f'[schedule]\ndeployment = "{deployment}"\n')
        return inbox, tmp_path / "var" / "w.duckdb", config, {"PREFECT_API_URL": prefect_server.api_url}

    return make


def wait_deployment(client, name: str, db: Path, served: Served):
    """The deployment once this `fazhi serve` has registered it (its parameters name our warehouse)."""
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        assert served.proc.poll() is None, f"fazhi serve exited:\n{served.output()}"
        try:
            deployment = client.read_deployment_by_name(name)
            if deployment.parameters.get("db") == str(db) and SERVING_MARKER in served.output():
                return deployment
        except ObjectNotFound:
            pass
        time.sleep(0.3)
    pytest.fail(f"deployment {name} never registered:\n{served.output()}")


def trigger(client, deployment_id: UUID) -> UUID:
    """Create a run as the scheduler does: a Scheduled flow run of the deployment, due now."""
    from prefect.states import Scheduled

    state = Scheduled(scheduled_time=datetime.now(timezone.utc))
    return client.create_flow_run_from_deployment(deployment_id, state=state).id


def wait_final(client, run_ids: list[UUID], served: Served) -> list:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        runs = [client.read_flow_run(i) for i in run_ids]
        if all(r.state.is_final() for r in runs):
            return runs
        time.sleep(0.5)
    pytest.fail(f"runs not finished after {RUN_TIMEOUT_S} s: {[r.state.name for r in runs]}\n{served.output()}")


def _query(db: Path, sql: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _flow_run_process(served_pid: int) -> int:
    """The pid of the flow-run process the served runner spawned (multiprocessing spawn child)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == served_pid and "spawn_main" in cmdline:
            return int(entry.name)
    pytest.fail("no flow-run process found under fazhi serve")


def test_serve_registers_the_nightly_deployment_and_a_scheduled_run_loads_the_inbox(setup, client, tmp_path):
    inbox, db, config, env = setup("nightly")
    with fazhi_serve(tmp_path, inbox, db, config, env) as served:
        deployment = wait_deployment(client, "nightly-ingest/nightly", db, served)
        [schedule] = deployment.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone, schedule.active) == (
            "0 2 * * *", "Asia/Shanghai", True)
        assert deployment.global_concurrency_limit.limit == 1
        assert deployment.concurrency_options.collision_strategy.value == "ENQUEUE"
        assert deployment.parameters == {"inbox": str(inbox), "db": str(db), "config": str(config)}
        assert not deployment.paused

        started = time.monotonic()
        [run] = wait_final(client, [trigger(client, deployment.id)], served)
        latency = time.monotonic() - started
        assert run.state.is_completed(), f"{run.state.name}: {run.state.message}\n{served.output()}"
        print(f"\nscheduled run: triggered to Completed in {latency:.1f} s")

        assert _query(db, "SELECT count(*), count(DISTINCT sha256) FROM reports WHERE is_current") == [(5, 5)]
        assert _query(db, "SELECT status, reports_loaded, flow_run_id FROM runs") == [("completed", 5, str(run.id))]
        from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))
        by_key = {a.key: a for a in artifacts}
        assert {SUMMARY_KEY, QUARANTINE_KEY} <= set(by_key)
        assert "| 载入报告 | 5 |" in by_key[SUMMARY_KEY].data

        status = subprocess.run([str(FAZHI), "status", "--db", str(db), "--config", str(config)], cwd=tmp_path,
                                capture_output=True, text=True, timeout=120, env={**os.environ, **env, "COLUMNS": "200"})
        assert status.returncode == 0, status.stderr
        assert "completed" in status.stdout and "02:00:00" in status.stdout
        assert served.stop() == 0, served.output()
        assert "shutting down" in served.output()
        assert "Traceback" not in served.output() and "| ERROR" not in served.output(), served.output()

    after = client.read_deployment_by_name("nightly-ingest/nightly")
    assert not after.paused and all(s.active for s in after.schedules), "stopping fazhi serve must not pause it"


def test_two_runs_due_at_once_run_one_after_the_other_and_load_each_report_once(setup, client, tmp_path):
    inbox, db, config, env = setup("nightly-pair")
    with fazhi_serve(tmp_path, inbox, db, config, env) as served:
        deployment = wait_deployment(client, "nightly-ingest/nightly-pair", db, served)
        started = time.monotonic()
        runs = wait_final(client, [trigger(client, deployment.id), trigger(client, deployment.id)], served)
        print(f"\ntwo runs due at once: both Completed {time.monotonic() - started:.1f} s after triggering")
        assert all(r.state.is_completed() for r in runs), [r.state.message for r in runs]
        first, second = sorted(runs, key=lambda r: r.start_time)
        assert first.end_time <= second.start_time, "the second run started before the first ended"
        served.stop()

    history = _query(db, "SELECT started_at, finished_at, reports_loaded, files_new FROM runs ORDER BY started_at")
    assert len(history) == 2
    assert history[0][1] <= history[1][0], "the warehouse saw two runs writing at once"
    assert [(h[2], h[3]) for h in history] == [(5, 5), (0, 0)]
    assert _query(db, "SELECT count(*), count(DISTINCT sha256) FROM reports") == [(5, 5)]
    assert _query(db, "SELECT status, count(*) FROM ingest_files GROUP BY status") == [("loaded", 5)]


def test_a_run_killed_mid_way_is_completed_by_the_next_scheduled_run(setup, client, tmp_path):
    inbox, db, config, env = setup("nightly-kill")
    with fazhi_serve(tmp_path, inbox, db, config, {**env, **fault_env(hold_commit=120)}) as served:
        deployment = wait_deployment(client, "nightly-ingest/nightly-kill", db, served)
        killed_id = trigger(client, deployment.id)
        served.wait_for_output(HOLD_MARKER, RUN_TIMEOUT_S)  # all written, not committed
        os.kill(_flow_run_process(served.proc.pid), signal.SIGKILL)
        [killed] = wait_final(client, [killed_id], served)
        assert killed.state.is_crashed(), killed.state.name
        assert served.stop() == 0, served.output()

    assert _query(db, "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM ingest_files)") == [(0, 0)], \
        "a killed run left part of its work"
    assert _query(db, "SELECT status FROM runs") == [("running",)]   # its own row, written when it started
    assert not client.read_deployment_by_name("nightly-ingest/nightly-kill").paused

    with fazhi_serve(tmp_path, inbox, db, config, env) as served:  # the service restarted, as systemd would
        deployment = wait_deployment(client, "nightly-ingest/nightly-kill", db, served)
        [run] = wait_final(client, [trigger(client, deployment.id)], served)
        assert run.state.is_completed(), f"{run.state.message}\n{served.output()}"
        served.stop()
    assert _query(db, "SELECT count(*), count(DISTINCT sha256) FROM reports WHERE is_current") == [(5, 5)]
    assert _query(db, "SELECT status, reports_loaded FROM runs ORDER BY started_at") == [("crashed", 0), ("completed", 5)]


def test_without_prefect_api_url_serve_runs_its_own_server_and_stops_it(tmp_path, write_config):
    inbox, db = tmp_path / "inbox", tmp_path / "var" / "w.duckdb"
    shutil.copytree(SAMPLE_INBOX, inbox)
    config = write_config('[schedule]\ndeployment = "nightly-local"\n')
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    with fazhi_serve(tmp_path, inbox, db, config, {"PREFECT_API_URL": None}) as served:
        api_file = db.parent / "prefect" / "api_url"
        served.wait_for_output(SERVING_MARKER, READY_TIMEOUT_S + 120)
        api_url = api_file.read_text().strip()
        assert api_url.startswith("http://127.0.0.1:") and local_server.is_healthy(api_url)
        status = subprocess.run([str(FAZHI), "status", "--db", str(db), "--config", str(config)], cwd=tmp_path,
                                capture_output=True, text=True, timeout=120, env={**env, "COLUMNS": "200"})
        assert api_url in " ".join(status.stdout.split()), status.stdout
        second = subprocess.run([str(FAZHI), "serve", "--inbox", str(inbox), "--db", str(db)], cwd=tmp_path,
                                capture_output=True, text=True, timeout=120, env={**env, "COLUMNS": "200"})
        assert second.returncode == 1 and "already serving" in " ".join(second.stderr.split()), second.stderr
        assert served.stop() == 0, served.output()
        assert "stopped the local Prefect server" in served.output() and "Traceback" not in served.output()
    assert not local_server.is_healthy(api_url), "the local server outlived fazhi serve"
    assert not api_file.exists()
    assert (db.parent / "prefect" / "prefect.db").is_file(), "its database lives next to the warehouse"


def test_prefect_yaml_agrees_with_the_config_and_deploys_to_a_process_pool(prefect_server, client, tmp_path):
    import yaml

    from fazhi.config import DEFAULT_CONFIG, load_config
    from tests.helpers import REPO

    spec = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    [dep] = spec["deployments"]
    schedule = load_config(DEFAULT_CONFIG).section("schedule")
    assert dep["name"] == schedule["deployment"] and dep["entrypoint"] == "flows.nightly.nightly_ingest"
    assert (dep["schedules"][0]["cron"], dep["schedules"][0]["timezone"]) == (schedule["cron"], schedule["timezone"])
    assert dep["concurrency_limit"] == {"limit": 1, "collision_strategy": "ENQUEUE"}

    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    shutil.copytree(SAMPLE_INBOX, inbox)
    dep.update(name="nightly-yaml", parameters={"inbox": str(inbox), "db": str(db)})
    (tmp_path / "prefect.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "PREFECT_API_URL": prefect_server.api_url}
    prefect = [sys.executable, "-m", "prefect"]

    def cli(*args: str) -> None:
        proc = subprocess.run([*prefect, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    cli("work-pool", "create", dep["work_pool"]["name"], "--type", "process", "--overwrite")
    cli("--no-prompt", "deploy", "--all", "--prefect-file", str(tmp_path / "prefect.yaml"))
    deployment = client.read_deployment_by_name("nightly-ingest/nightly-yaml")
    assert deployment.work_pool_name == "fazhi"
    assert deployment.global_concurrency_limit.limit == 1
    assert deployment.concurrency_options.collision_strategy.value == "ENQUEUE"
    assert (deployment.schedules[0].schedule.cron, deployment.schedules[0].schedule.timezone) == (
        "0 2 * * *", "Asia/Shanghai")

    run_id = trigger(client, deployment.id)
    cli("worker", "start", "--pool", "fazhi", "--run-once")  # picks the due run up and runs it to the end
    run = client.read_flow_run(run_id)
    assert run.state.is_completed(), f"{run.state.name}: {run.state.message}"
    assert _query(db, "SELECT count(*) FROM reports WHERE is_current") == [(5,)]


def test_an_unreachable_prefect_api_url_is_a_clear_error(tmp_path, fazhi_cli):
    dead = f"http://127.0.0.1:{local_server.free_port()}/api"
    (tmp_path / "inbox").mkdir()
    proc = fazhi_cli("serve", "--inbox", str(tmp_path / "inbox"), "--db", str(tmp_path / "w.duckdb"),
                     env={"PREFECT_API_URL": dead}, timeout=120)
    assert proc.returncode == 1
    message = " ".join(proc.stderr.split())
    assert dead in message and "does not answer" in message and "unset PREFECT_API_URL" in message
