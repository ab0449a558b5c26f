"""Readers in other processes while a run loads: the run completes, a reader holding the catalog
open or attaching afresh per query sees the old snapshot or a committed one, never half a batch;
`wirehouse sql --as-of` shows the warehouse as an earlier run left it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEEDS, SEED_FILES, query, settled_copy
from tests.prefect_server import wait_for

# Counts that change together when a batch commits (a half batch would break their pairing), and the
# completed runs, which change at the run's closing commit.
SNAPSHOT = """select (select count(*) from files), (select count(*) from articles),
                     (select count(*) from mentions), (select count(*) from runs where status = 'completed')"""

READER = """
import json, sys, time, pathlib
from flows.settings import load_settings
from warehouse.store import open_reader
db, mode, stop = load_settings(db=sys.argv[1]).lake, sys.argv[2], pathlib.Path(sys.argv[3])
SNAPSHOT = sys.argv[4]

def observe(con):
    return con.execute(SNAPSHOT).fetchone()

def fresh():
    with open_reader(db) as con:  # a new connection per query, like `wirehouse sql`
        return observe(con)

with open_reader(db) as held:  # attached through the whole run (both modes start attached)
    while True:
        done = stop.exists()
        print(json.dumps(observe(held) if mode == "held" else fresh()), flush=True)
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
    return query(db, SNAPSHOT)[0]


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
    for seen in (held_seen, fresh_seen):  # the batch's rows appear together, at its commit; the run's row at the run's
        assert {rows[:3] for rows in seen} <= {before[:3], after[:3]}
        assert seen[0] == before and seen[-1] == after


def test_sql_as_of_a_run_shows_the_warehouse_as_that_run_left_it(tmp_path, db, run_flow):
    from typer.testing import CliRunner

    from flows.cli import app

    inbox = tmp_path / "inbox"
    for name in SEED_FILES[:2]:
        settled_copy(SEEDS / name, inbox / name)
    first = run_flow(inbox, db)
    earlier = snapshot(db)
    for name in SEED_FILES[2:]:
        settled_copy(SEEDS / name, inbox / name)
    run_flow(inbox, db)
    result = CliRunner().invoke(app, ["sql", SNAPSHOT, "--db", str(db), "--as-of", first.run_id, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == ",".join(map(str, earlier))
    assert earlier != snapshot(db)


def test_sql_as_of_an_unknown_run_fails_with_one_line(tmp_path, db, run_flow, inbox):
    from typer.testing import CliRunner

    from flows.cli import app

    run_flow(inbox, db)
    result = CliRunner().invoke(app, ["sql", "select 1", "--db", str(db), "--as-of", "no-such-run"])
    assert result.exit_code == 1
    assert "no run with an id starting 'no-such-run'" in result.output and "Traceback" not in result.output
