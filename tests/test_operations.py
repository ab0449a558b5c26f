"""Run reliability on the real flow: one run per warehouse, transient retries, recorded failures, the failure hook."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from filelock import FileLock
from prefect.blocks.notifications import NotificationBlock

from tests.conftest import query, scalar
from warehouse.store import WarehouseBusy


class FileNotification(NotificationBlock):
    """A real notification block that writes to a file instead of the network."""

    _block_type_slug = "wirehouse-test-file-notification"
    path: str

    def notify(self, body: str, subject: str | None = None) -> None:
        Path(self.path).write_text(f"{subject}\n{body}")


def failing_first(function, error: Exception, calls: list, times: int):
    """``function`` that raises ``error`` on its first ``times`` calls, counting every call."""
    def wrapped(*args, **kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise error
        return function(*args, **kwargs)
    return wrapped


def test_a_run_waits_for_the_run_holding_the_warehouse_and_does_not_double_data(inbox, db, run_flow):
    run_flow(inbox, db)
    holder = FileLock(str(db) + ".lock", thread_local=False)  # released by the timer thread
    holder.acquire()
    threading.Timer(1.5, holder.release).start()
    second = run_flow(inbox, db, lock_timeout_seconds=60)
    assert second.nothing_new and scalar(db, "select count(*) from articles") == 14


def test_a_run_that_cannot_get_the_warehouse_in_time_fails_naming_the_lock(inbox, db, run_flow):
    from flows.ingest import RunAlreadyActive

    with FileLock(str(db) + ".lock"), pytest.raises(RunAlreadyActive, match="another run holds"):
        run_flow(inbox, db, lock_timeout_seconds=0.5)


def test_a_locked_warehouse_file_is_retried_and_the_run_completes(inbox, db, run_flow, monkeypatch):
    import flows.ingest

    calls: list = []
    busy = WarehouseBusy("wirehouse.writer.duckdb is locked by duckdb (PID 1)")
    monkeypatch.setattr(flows.ingest, "load_batch", failing_first(flows.ingest.load_batch, busy, calls, 1))
    run_flow(inbox, db)
    assert len(calls) == 2
    assert scalar(db, "select count(*) from articles") == 14


def test_a_permanent_failure_is_not_retried_and_is_recorded_and_notified(inbox, db, run_flow, monkeypatch, tmp_path):
    import flows.ingest

    FileNotification(path=str(tmp_path / "notified.txt")).save("ops", overwrite=True)
    monkeypatch.setenv("WIREHOUSE_NOTIFY_BLOCK", "wirehouse-test-file-notification/ops")
    calls: list = []
    broken = ValueError("articles frame has no body column")
    monkeypatch.setattr(flows.ingest, "load_batch", failing_first(flows.ingest.load_batch, broken, calls, 9))
    with pytest.raises(ValueError):
        run_flow(inbox, db)
    assert len(calls) == 1
    assert query(db, "select status, message from runs") == [("failed", "ValueError: articles frame has no body column")]
    subject, body = (tmp_path / "notified.txt").read_text().split("\n", 1)
    assert subject == "Wirehouse run failed" and "no body column" in body
