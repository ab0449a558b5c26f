"""The maintenance flow: snapshot expiry and compaction of the warehouse, a deployment of its own.

Wiring only (warehouse/maintain.py does the work). It takes the warehouse's run lock, so it never
overlaps an ingestion run: the catalog keeps one writer at a time.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.retries import TRANSIENT
from warehouse import maintain as maintenance
from warehouse.store import Lake, open_writer


@task(name="expire", cache_policy=NO_CACHE, **TRANSIENT)
def expire(lake: Lake, retention_days: float) -> int:
    with open_writer(lake) as con:
        return maintenance.expire_snapshots(con, retention_days)


@task(name="compact", cache_policy=NO_CACHE, **TRANSIENT)
def compact(lake: Lake) -> int:
    with open_writer(lake) as con:
        return maintenance.compact_files(con)


@task(name="clean-up", cache_policy=NO_CACHE, **TRANSIENT)
def clean_up(lake: Lake, retention_days: float) -> int:
    with open_writer(lake) as con:
        return maintenance.delete_unused_files(con, retention_days)


@flow(name="wirehouse-maintain", flow_run_name="maintain {db}", log_prints=True)
def maintain(db: Path, settings_overrides: dict | None = None) -> dict[str, int]:
    """Expire snapshots older than ``retention_days``, merge small data files, delete unused ones."""
    from flows.ingest import hold_run_lock
    from flows.settings import load_settings

    settings = load_settings(db=db, **(settings_overrides or {}))
    lock = hold_run_lock(settings.db, settings.lock_timeout_seconds)
    try:
        done = {"snapshots expired": expire(settings.lake, settings.retention_days),
                "files merged": compact(settings.lake),
                "files deleted": clean_up(settings.lake, settings.retention_days)}
    finally:
        lock.release()
    get_run_logger().info("maintenance of %s: %s", settings.lake.describe(),
                          ", ".join(f"{count} {what}" for what, count in done.items()))
    return done
