"""Crash safety: a run killed (SIGKILL) inside extract or inside the load transaction, or failing
with an exception inside load, costs nothing: the next run leaves the warehouse equal to one
clean run over the same inbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEED_FILES, SEEDS, query, settled_copy, write_settled
from tests.reliability import clean_fingerprint, duplicate_keys, fingerprint, kill_run_at, seed_inbox


def latest_snapshot(db: Path) -> int:
    return query(db, "select max(snapshot_id) from lake.snapshots()")[0][0]


def snapshot_changes(db: Path, after: int) -> list[dict]:
    """What each snapshot committed after ``after`` changed (DuckLake's record of it)."""
    return [row[0] for row in query(db, "select changes from lake.snapshots() where snapshot_id > ? order by snapshot_id", [after])]


@pytest.fixture(scope="module")
def killed_during_extract(tmp_path_factory, prefect_api):
    """A seeds run SIGKILLed inside extract, then one uninterrupted run: (inbox, db)."""
    from flows.ingest import ingest

    tmp_path = tmp_path_factory.mktemp("killed-extract")
    inbox, db = seed_inbox(tmp_path / "inbox"), tmp_path / "data" / "wirehouse.duckdb"
    kill_run_at("extract", inbox, db, tmp_path)
    ingest(inbox, db, {"settle_seconds": 0})
    return inbox, db


def test_run_killed_during_extract_then_rerun_equals_a_clean_run(killed_during_extract, tmp_path, run_flow):
    inbox, db = killed_during_extract
    assert fingerprint(db) == clean_fingerprint(tmp_path, inbox, run_flow)
    assert set(duplicate_keys(db).values()) == {0}


def test_killed_run_is_marked_crashed_by_the_next_run(killed_during_extract):
    _, db = killed_during_extract
    assert sorted(query(db, "select status from runs")) == [("completed",), ("crashed",)]


def test_run_killed_inside_the_load_transaction_then_rerun_equals_a_clean_run(tmp_path, run_flow):
    inbox, db = seed_inbox(tmp_path / "inbox"), tmp_path / "data" / "wirehouse.duckdb"
    run_flow(inbox, db)
    before, last_snapshot = fingerprint(db), latest_snapshot(db)
    changed = (SEEDS / SEED_FILES[0]).read_bytes() + b"\nThe talks resume in Geneva next week, officials said.\n"
    write_settled(inbox / SEED_FILES[0], changed)
    settled_copy(SEEDS / SEED_FILES[1], inbox / "copy.txt")
    kill_run_at("load", inbox, db, tmp_path)
    assert fingerprint(db) == before, "a killed load transaction must leave nothing behind"
    assert len(snapshot_changes(db, last_snapshot)) == 1, "after the last run, only the killed run's 'running' row"
    run_flow(inbox, db)
    assert fingerprint(db) == clean_fingerprint(tmp_path, inbox, run_flow)
    assert set(duplicate_keys(db).values()) == {0}


def test_exception_inside_load_fails_the_run_and_changes_nothing(tmp_path, run_flow, monkeypatch):
    import warehouse.load

    inbox, db = seed_inbox(tmp_path / "inbox"), tmp_path / "data" / "wirehouse.duckdb"
    run_flow(inbox, db)
    before = fingerprint(db)
    write_settled(inbox / "new.txt", b"ROME (Reuters) - Italy's Prime Minister met Pope Francis in Rome on Friday.\n")
    with monkeypatch.context() as patch:
        def disk_full(con, batch):
            raise OSError("No space left on device")
        patch.setattr(warehouse.load, "insert_validation", disk_full)
        with pytest.raises(OSError, match="No space left"):
            run_flow(inbox, db)
    assert fingerprint(db) == before
    assert query(db, "select status, message from runs order by started_at")[-1] == (
        "failed", "OSError: No space left on device")
    run_flow(inbox, db)
    assert fingerprint(db) == clean_fingerprint(tmp_path, inbox, run_flow)
