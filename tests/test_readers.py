"""Readers in other processes while a run loads: the run completes, no reader sees half a batch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEEDS, SEED_FILES, settled_copy
from tests.prefect_server import wait_for

# Counts that change together when a batch is published; a half batch would break their pairing.
SNAPSHOT = """select (select count(*) from files), (select count(*) from articles),
                     (select count(*) from mentions), (select count(*) from runs where status = 'completed')"""

READER = """
import duckdb, json, sys, time, pathlib
db, mode, stop = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
SNAPSHOT = sys.argv[4]
held = duckdb.connect(db, read_only=True) if mode == "held" else None

def observe():
    if held is not None:
        return held.execute(SNAPSHOT).fetchone()
    with duckdb.connect(db, read_only=True) as fresh:  # a new connection per query, like `wirehouse sql`
        return fresh.execute(SNAPSHOT).fetchone()

while True:
    done = stop.exists()
    print(json.dumps(observe()), flush=True)
    if done:
        break
    time.sleep(0.02)
"""


def start_reader(db: Path, mode: str, stop_file: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", READER, str(db), mode, str(stop_file), SNAPSHOT],
                            stdout=subprocess.PIPE, text=True)


def observations(reader: subprocess.Popen) -> list[tuple]:
    out, _ = reader.communicate(timeout=60)
    return [tuple(json.loads(line)) for line in out.splitlines()]


def snapshot(db: Path) -> tuple:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(SNAPSHOT).fetchone()


def test_readers_in_other_processes_see_whole_batches_only_while_a_run_loads(tmp_path, db, run_flow):
    inbox = tmp_path / "inbox"
    for name in SEED_FILES[:2]:
        settled_copy(SEEDS / name, inbox / name)
    run_flow(inbox, db)
    before = snapshot(db)
    stop_file = tmp_path / "stop"
    held, fresh = start_reader(db, "held", stop_file), start_reader(db, "fresh", stop_file)
    wait_for(lambda: held.stdout.readline() and fresh.stdout.readline(), 30, "both readers", interval=0.1)
    for name in SEED_FILES[2:]:
        settled_copy(SEEDS / name, inbox / name)
    summary = run_flow(inbox, db)
    after = snapshot(db)
    stop_file.touch()
    held_seen, fresh_seen = observations(held), observations(fresh)
    assert summary.totals["files_new"] == 3 and after[1] > before[1]
    assert set(held_seen) == {before}, "a connection kept open reads the copy it opened"
    assert set(fresh_seen) <= {before, after} and fresh_seen[-1] == after
