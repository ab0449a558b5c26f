"""Concurrent runs: two runs started together load the inbox once; a run facing a catalog another
process holds locked retries, then fails in one line, touching nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import SEED_FILES, SEEDS, query, settled_copy
from tests.reliability import duplicate_keys, fingerprint

WIREHOUSE = Path(sys.executable).with_name("wirehouse")


def seed_inbox(folder: Path) -> Path:
    for name in SEED_FILES:
        settled_copy(SEEDS / name, folder / name)
    return folder


def test_two_runs_started_together_load_the_inbox_exactly_once(tmp_path, run_flow):
    inbox, db = seed_inbox(tmp_path / "inbox"), tmp_path / "data" / "wirehouse.duckdb"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "WIREHOUSE_SETTLE_SECONDS": "0",
           # Two ephemeral Prefect servers starting at once on 2 busy cores can need more than
           # Prefect's default 20 s; the race under test is ours, not Prefect's start-up.
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
    env.pop("PREFECT_API_URL", None)
    command = [str(WIREHOUSE), "run", "--inbox", str(inbox), "--db", str(db)]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs[0][-1500:] + outputs[1][-1500:]
    assert sorted(query(db, "select status, articles from runs")) == [("completed", 0), ("completed", 14)]
    assert set(duplicate_keys(db).values()) == {0}
    clean = tmp_path / "clean" / "wirehouse.duckdb"
    run_flow(inbox, clean)
    assert fingerprint(db) == fingerprint(clean)


def test_run_facing_a_catalog_locked_by_another_process_fails_in_one_line_and_touches_nothing(tmp_path, run_flow):
    inbox, db = seed_inbox(tmp_path / "inbox"), tmp_path / "data" / "wirehouse.duckdb"
    run_flow(inbox, db)
    settled_copy(SEEDS / SEED_FILES[0], inbox / "another.txt")
    before = fingerprint(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
                               "c.execute('begin exclusive'); print('open', flush=True); time.sleep(300)",
         str(db.with_suffix(".ducklake"))],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        result = CliRunner().invoke(app, ["run", "--inbox", str(inbox), "--db", str(db)])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert "locked" in result.output and "Traceback" not in result.output, result.output
    assert fingerprint(db) == before
