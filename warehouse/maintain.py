"""Maintenance of the DuckLake warehouse: expire old snapshots, compact small files, delete unused ones.

Each run commits a few snapshots and each batch writes its own small Parquet files, so files and
snapshots pile up. Expiring snapshots older than the retention lets their data go (time travel,
`wirehouse sql --as-of`, reaches back only that far); merging adjacent files keeps scans fast
without changing what any kept snapshot shows; files no snapshot needs any more are deleted once
they have been unused for the retention too, so a reader that started before cannot lose them.
"""

from __future__ import annotations

import duckdb

from warehouse.store import CATALOG

RETENTION = "now() - to_microseconds(cast(? * 86400e6 as bigint))"


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

