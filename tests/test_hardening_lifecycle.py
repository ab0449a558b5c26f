"""Issue 16, lifecycle: the ephemeral Prefect server dies with its CLI, data files a killed run left
are deleted by the next run, and a run is "completed" only once readers can see it.

Real parts throughout: `wirehouse run` subprocesses with their ephemeral Prefect API, paused at a
kill point of the pause hook (tests/fixtures/pause_hook) and SIGKILLed, real DuckLake warehouses,
the real flow for the runs after. Linux: the processes are found through /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from warehouse.processes import start_ticks
from tests.conftest import SEED_FILES, SEEDS, query, settled_copy, write_settled
from tests.reliability import clean_fingerprint, fingerprint, kill_run_at, paused_run, seed_inbox
from warehouse.portable import export_file

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes through /proc (Linux)")


def child_pids(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):  # a process that ended while listing
            continue
        if parent == pid:
            children.append(int(stat.parent.name))
    return children


def api_server_of(pid: int) -> int:
    """The pid of the ephemeral Prefect API server (a uvicorn process) that process ``pid`` started."""
    servers = [child for child in child_pids(pid) if b"uvicorn" in Path(f"/proc/{child}/cmdline").read_bytes()]
    assert len(servers) == 1, f"expected one API server child of {pid}, found {servers}"
    return servers[0]


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while start_ticks(pid) is not None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def data_files(db: Path) -> set[Path]:
    return {path for path in db.with_name(f"{db.stem}.files").rglob("*") if path.is_file()}


def test_the_ephemeral_api_server_stops_when_its_cli_is_sigkilled(tmp_path):
    run = paused_run("extract", seed_inbox(tmp_path / "inbox"), tmp_path / "data" / "wirehouse.duckdb", tmp_path)
    try:
        server = api_server_of(run.pid)
        os.kill(run.pid, signal.SIGKILL)  # the CLI alone, as the out-of-memory killer does
        run.wait(timeout=30)
        assert gone_within(server, 20), f"the API server {server} outlived its CLI {run.pid}"
    finally:
        kill_group(run.pid)
        run.stderr.close()


@pytest.fixture(scope="module")
def killed_load(tmp_path_factory, prefect_api):
    """A warehouse of the seeds; a run over a changed seed and a copy SIGKILLed inside its load
    transaction; then one uninterrupted run: (tmp folder, inbox, db, data files before the
    killed run, data files the killed run left)."""
    from flows.ingest import ingest

    tmp_path = tmp_path_factory.mktemp("killed-load")
    inbox, db = seed_inbox(tmp_path / "inbox"), tmp_path / "data" / "wirehouse.duckdb"
    ingest(inbox, db, {"settle_seconds": 0})
    before = data_files(db)
    write_settled(inbox / SEED_FILES[0], (SEEDS / SEED_FILES[0]).read_bytes() + b"\nTalks resume next week.\n")
    settled_copy(SEEDS / SEED_FILES[1], inbox / "copy.txt")
    kill_run_at("load", inbox, db, tmp_path)
    leftovers = data_files(db) - before
    ingest(inbox, db, {"settle_seconds": 0})
    return tmp_path, inbox, db, before, leftovers


def test_the_next_run_deletes_the_data_files_a_killed_load_left(killed_load):
    _, _, _, _, leftovers = killed_load
    assert leftovers, "the killed load transaction wrote no data file: nothing to clean"
    assert [path for path in leftovers if path.exists()] == []


def test_the_next_run_keeps_every_data_file_that_was_committed(killed_load):
    _, _, db, before, _ = killed_load
    assert before <= data_files(db)


def test_after_a_killed_load_and_its_clean_up_the_warehouse_equals_a_clean_run(killed_load, run_flow):
    tmp_path, inbox, db, _, _ = killed_load
    assert fingerprint(db) == clean_fingerprint(tmp_path / "compare", inbox, run_flow)


@pytest.fixture
def warehouse(tmp_path):
    """A new, migrated warehouse (real DuckLake catalog): (lake, its data folder)."""
    from warehouse.store import Lake, open_writer

    lake = Lake(tmp_path / "data" / "wirehouse.duckdb")
    with open_writer(lake):
        pass
    return lake, Path(lake.data_folder)


def test_a_warehouse_connection_spills_beside_the_warehouse_not_in_the_working_folder(warehouse, tmp_path, monkeypatch):
    from warehouse.store import open_writer

    lake, _ = warehouse
    monkeypatch.chdir(tmp_path)
    with open_writer(lake) as con:
        spill = con.execute("select current_setting('temp_directory')").fetchone()[0]
    assert Path(spill) == lake.db.parent / "wirehouse.tmp"


def stray_file(folder: Path, name: str, age_seconds: float) -> Path:
    path = folder / "main" / "articles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PAR1")
    past = time.time() - age_seconds
    os.utime(path, (past, past))
    return path


def leftovers_deleted(lake, written_before: datetime) -> list[Path]:
    from warehouse.maintain import delete_leftover_files
    from warehouse.store import open_writer

    with open_writer(lake) as con:
        return delete_leftover_files(con, lake, written_before)


def test_clean_up_spares_files_not_named_as_ducklake_names_its_data_files(warehouse):
    lake, folder = warehouse
    ours, foreign = stray_file(folder, f"ducklake-{uuid.uuid4()}.parquet", 60), stray_file(folder, "notes.parquet", 60)
    assert leftovers_deleted(lake, datetime.now(timezone.utc)) == [ours]
    assert foreign.exists() and not ours.exists()


def test_clean_up_spares_files_written_after_the_run_lock_was_taken(warehouse):
    lake, folder = warehouse
    fresh = stray_file(folder, f"ducklake-{uuid.uuid4()}.parquet", 0)
    assert leftovers_deleted(lake, datetime.now(timezone.utc) - timedelta(seconds=30)) == []
    assert fresh.exists()


@pytest.fixture(scope="module")
def killed_while_closing(tmp_path_factory, prefect_api):
    """A seeds run SIGKILLed inside its closing transaction, after its run row says "completed",
    before the commit: (tmp folder, inbox, db, run statuses readers saw after the kill); then one
    uninterrupted run."""
    from flows.ingest import ingest

    tmp_path = tmp_path_factory.mktemp("killed-closing")
    inbox, db = seed_inbox(tmp_path / "inbox"), tmp_path / "data" / "wirehouse.duckdb"
    kill_run_at("publish", inbox, db, tmp_path)
    seen = query(db, "select status from runs")
    ingest(inbox, db, {"settle_seconds": 0})
    return tmp_path, inbox, db, seen


def test_a_run_killed_before_its_closing_commit_is_not_completed_for_readers(killed_while_closing):
    _, _, _, seen = killed_while_closing
    assert seen == [("running",)]


def test_the_next_run_marks_a_run_killed_while_closing_as_crashed(killed_while_closing):
    _, _, db, _ = killed_while_closing
    assert sorted(query(db, "select status from runs")) == [("completed",), ("crashed",)]


def test_after_a_run_killed_while_closing_the_warehouse_equals_a_clean_run(killed_while_closing, run_flow):
    tmp_path, inbox, db, _ = killed_while_closing
    assert fingerprint(db) == clean_fingerprint(tmp_path / "compare", inbox, run_flow)


def test_a_failure_after_the_closing_commit_leaves_the_run_completed(inbox, db, run_flow, monkeypatch):
    import flows.ingest

    def prefect_api_gone(summary, lake):
        raise ConnectionError("the Prefect API went away")

    monkeypatch.setattr(flows.ingest, "publish_artifacts", prefect_api_gone)
    with pytest.raises(ConnectionError):
        run_flow(inbox, db)
    assert query(db, "select status, message from runs") == [("completed", None)]


def test_sigterm_to_wirehouse_ui_alone_stops_its_prefect_server(tmp_path):
    from tests.prefect_server import free_port, healthy, wait_for, wirehouse

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    ui = wirehouse(["ui", "--port", str(port)], {**env, "PREFECT_HOME": str(tmp_path / "home")}, tmp_path / "ui.log")
    try:
        wait_for(lambda: healthy(f"http://127.0.0.1:{port}/api") or ui.poll() is not None, 120, "the Prefect server")
        (server,) = child_pids(ui.pid)
        ui.send_signal(signal.SIGTERM)  # to `wirehouse ui` alone, as `kill` or a service manager sends it
        ui.wait(timeout=60)
        assert gone_within(server, 5), f"the Prefect server {server} outlived `wirehouse ui` {ui.pid}"
    finally:
        kill_group(ui.pid)


# --- export partials: a pid reused by a later process does not keep an abandoned partial -----


@pytest.fixture
def sleeper():
    """A live process (not an export) and its start time."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process.pid, start_ticks(process.pid)
    process.kill()
    process.wait()


def test_export_removes_a_partial_whose_pid_now_belongs_to_a_process_started_after_it(warehouse, sleeper, tmp_path):
    pid, ticks = sleeper
    abandoned = tmp_path / f".export.duckdb.{pid}-{ticks - 1}.partial"  # the pid's earlier holder wrote it
    abandoned.write_bytes(b"half an export")
    export_file(warehouse[0], tmp_path / "export.duckdb")
    assert not abandoned.exists()


def test_export_keeps_the_partial_of_an_export_still_running(warehouse, sleeper, tmp_path):
    pid, ticks = sleeper
    running = tmp_path / f".export.duckdb.{pid}-{ticks}.partial"
    running.write_bytes(b"an export being written")
    export_file(warehouse[0], tmp_path / "export.duckdb")
    assert running.exists()
