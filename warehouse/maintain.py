"""Maintenance of the DuckLake warehouse: expire old snapshots, compact small files, delete unused ones.

Each run commits a few snapshots and each batch writes its own small Parquet files, so files and
snapshots pile up. Expiring snapshots older than the retention lets their data go (time travel,
`wirehouse sql --as-of`, reaches back only that far); merging adjacent files keeps scans fast
without changing what any kept snapshot shows; files no snapshot needs any more are deleted once
they have been unused for the retention too, so a reader that started before cannot lose them.

A writer killed before its commit (SIGKILL, power loss) leaves the Parquet files it had written in
the data folder, referenced by no snapshot: each run deletes those at its start, under the run lock
(``delete_leftover_files``).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import duckdb

from warehouse.store import CATALOG, Lake

RETENTION = "now() - to_microseconds(cast(? * 86400e6 as bigint))"
DATA_FILE_NAME = re.compile(r"ducklake-[0-9a-f-]+(-delete)?\.parquet")  # the names DuckLake gives its files


def expire_snapshots(con: duckdb.DuckDBPyConnection, retention_days: float) -> int:
    """Expire the snapshots older than ``retention_days`` (never the last one); returns how many."""
    return len(con.execute(f"call ducklake_expire_snapshots('{CATALOG}', older_than => {RETENTION})",
                           [retention_days]).fetchall())


def compact_files(con: duckdb.DuckDBPyConnection) -> int:
    """Merge each table's small adjacent data files; returns how many files were merged away."""
    rows = con.execute(f"call ducklake_merge_adjacent_files('{CATALOG}')").fetchall()
    return sum(processed - created for _, _, processed, created in rows)


def delete_unused_files(con: duckdb.DuckDBPyConnection, retention_days: float) -> int:
    """Delete the data files no kept snapshot refers to, scheduled for deletion over ``retention_days`` ago."""
    return len(con.execute(f"call ducklake_cleanup_old_files('{CATALOG}', older_than => {RETENTION})",
                           [retention_days]).fetchall())



def leftover_files(con: duckdb.DuckDBPyConnection, lake: Lake, written_before: datetime) -> list[Path]:
    """Data files of the warehouse that no snapshot refers to (time-travel ones included) and that
    are not scheduled for deletion, last written before ``written_before``: what writers killed
    before their commit left. Only files inside the local data folder, with the names DuckLake
    gives its files (anything else someone put there is not ours to delete)."""
    if not lake.is_local:
        return []
    folder = Path(lake.data_folder).resolve()
    listed = con.execute(f"call ducklake_delete_orphaned_files('{CATALOG}', dry_run => true, older_than => ?)",
                         [written_before]).fetchall()
    paths = [Path(path) for (path,) in listed]
    return [path for path in paths if path.resolve().is_relative_to(folder) and DATA_FILE_NAME.fullmatch(path.name)]


def delete_leftover_files(con: duckdb.DuckDBPyConnection, lake: Lake, written_before: datetime) -> list[Path]:
    """Delete ``leftover_files``; returns them. Call it only while holding the run lock, with the
    time it was taken: no writer can then be between writing a file and committing it."""
    leftovers = leftover_files(con, lake, written_before)
    for path in leftovers:
        path.unlink(missing_ok=True)
    return leftovers
