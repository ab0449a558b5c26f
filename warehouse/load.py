"""Load: the statements of a batch's DuckLake transaction (one snapshot per batch), bulk inserts
from Arrow tables, and the run's bookkeeping rows.

A batch either lands whole or not at all: ``flows.loading.load_batch`` opens the transaction,
calls ``write_batch`` and adds the near-duplicate marks before it commits. Content rows (articles, sentences, mentions) belong to
a file content (sha256), so identical content is stored once, and a changed file's old content is
deleted in the same transaction that loads the new one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

import duckdb

from records.batch import Batch, FileVersion
from records.tables import batch_columns
from warehouse.sql import registered
from warehouse.store import CATALOG, WarehouseBusy, current_snapshot, first_line, is_lock_conflict

if TYPE_CHECKING:  # pandas costs about a second to import; a run with nothing new never needs it
    import pandas as pd

FILE_COLUMNS = batch_columns("files")
CONTENT_TABLES = ("articles", "sentences", "mentions", "quotes")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit on success, roll back on any exception (including KeyboardInterrupt)."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    try:
        con.execute("commit")
    except duckdb.TransactionException as error:
        if is_lock_conflict(error):
            raise WarehouseBusy(f"another process held the catalog locked at commit ({first_line(error)}); "
                                "nothing of this transaction was written") from error
        raise


def files_frame(files: list[FileVersion], run_id: str) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame([[getattr(f, c) for c in FILE_COLUMNS] for f in files], columns=FILE_COLUMNS)
    frame["run_id"] = run_id
    return frame


def retire_previous_versions(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    """Older versions of the batch's paths stop being current; loaded ones are superseded
    when their path's new content is loaded (here, or already under another path as a duplicate).
    A path whose new version is rejected or quarantined keeps its last good version loaded."""
    paths = [f.path for f in batch.files]
    loaded_paths = [f.path for f in batch.files if f.status in ("loaded", "duplicate")]
    con.execute("update files set is_current = false where is_current and list_contains(?, path)", [paths])
    con.execute(
        "update files set status = 'superseded', reason = 'replaced by a newer version in run ' || ? "
        "where status = 'loaded' and list_contains(?, path)",
        [batch.run_id, loaded_paths],
    )


def insert_files(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    if batch.files:
        with registered(con, "batch_files", files_frame(batch.files, batch.run_id)):
            con.execute("insert into files by name select *, now() as discovered_at, "
                        "(select coalesce(max(version_id), 0) from files) + row_number() over () as version_id "
                        "from batch_files")


def drop_orphaned_content(con: duckdb.DuckDBPyConnection) -> None:
    """Delete content no loaded file version refers to any more; a current duplicate of it is
    promoted to loaded first so that its content is kept."""
    con.execute("""
        update files set status = 'loaded', reason = 'promoted: the file it duplicated changed'
        where version_id in (
            select min(version_id) from files
            where is_current and status = 'duplicate'
              and sha256 not in (select sha256 from files where status = 'loaded')
            group by sha256)
    """)
    con.execute("""
        create or replace temp table orphan_articles as
        select article_id from articles
        where file_sha256 not in (select sha256 from files where status = 'loaded')
    """)
    for table in CONTENT_TABLES:
        con.execute(f"delete from {table} where article_id in (select article_id from orphan_articles)")
    con.execute("drop table orphan_articles")


def insert_content(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    """Insert the batch's articles and their rows, skipping content already stored."""
    with registered(con, "batch_articles", batch.articles):
        con.execute("""
            create or replace temp table new_article_ids as
            select article_id from batch_articles
            where file_sha256 not in (select distinct file_sha256 from articles)
        """)
        con.execute("""insert into articles by name
            select *, ? as run_id from batch_articles where article_id in (select article_id from new_article_ids)""",
            [batch.run_id])
    for table, rows in batch.rows.items():
        with registered(con, f"batch_{table}", rows):
            con.execute(f"insert into {table} by name select * from batch_{table} "
                        "where article_id in (select article_id from new_article_ids)")
    con.execute("drop table new_article_ids")


def insert_validation(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    if batch.validation is not None and not batch.validation.empty:
        frame = batch.validation.assign(run_id=batch.run_id)
        with registered(con, "batch_validation", frame):
            con.execute("insert into validation_results by name select * from batch_validation")


def write_batch(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    """Write one batch inside the caller's transaction: retire replaced file versions, record the
    files, drop content no loaded file refers to, insert the new content and the validation
    results (``flows.loading.load_batch`` adds the near-duplicate marks and commits)."""
    retire_previous_versions(con, batch)
    insert_files(con, batch)
    drop_orphaned_content(con)
    insert_content(con, batch)
    insert_validation(con, batch)


def has_unlinked_mentions(con: duckdb.DuckDBPyConnection) -> bool:
    """True when mentions with an entity key wait for the entity merge (a run died before its own)."""
    return con.execute("select exists (select 1 from mentions where entity_key is not null "
                       "and entity_id is null)").fetchone()[0]


def record_touched(con: duckdb.DuckDBPyConnection, touched: list[tuple[int, datetime]]) -> None:
    """Remember the new mtime of files whose content did not change, so they are not hashed again."""
    if touched:
        con.executemany("update files set modified_at = ? where version_id = ?", [(m, v) for v, m in touched])


def record_presence(con: duckdb.DuckDBPyConnection, removed: list[int], returned: list[int]) -> None:
    """Mark file versions whose path left the inbox as removed (their rows stay loaded), and
    clear the mark of those whose path came back."""
    con.execute("update files set removed_at = now() where list_contains(?, version_id)", [removed])
    con.execute("update files set removed_at = null where list_contains(?, version_id)", [returned])


def record_skipped(con: duckdb.DuckDBPyConnection, entries: list[tuple[str, str]]) -> None:
    """Make ``skipped_entries`` hold exactly ``entries`` (path, reason): what this discover could
    not take. An entry skipped again for the same reason keeps its row and ``skipped_since``; an
    entry that is gone or loadable leaves; nothing is written when nothing changed."""
    before = dict(con.execute("select path, reason from skipped_entries").fetchall())
    now = dict(entries)
    stale = [path for path, reason in before.items() if now.get(path) != reason]
    fresh = {path: reason for path, reason in now.items() if before.get(path) != reason}
    if stale:
        con.execute("delete from skipped_entries where list_contains(?, path)", [stale])
    if fresh:
        con.execute("insert into skipped_entries select unnest(?), unnest(?), now()",
                    [list(fresh), list(fresh.values())])


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, flow_run_id: str | None) -> None:
    """Record the run as running; runs a crash left 'running' are marked crashed first."""
    con.execute("update runs set status = 'crashed', message = 'the run stopped before finishing' "
                "where status = 'running'")
    con.execute("insert into runs (run_id, flow_run_id, started_at, status) values (?, ?, now(), 'running')",
                [run_id, flow_run_id])


def is_running(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    """True while the run's closing transaction has not committed (nor a later run marked it crashed)."""
    return con.execute("select count(*) from runs where run_id = ? and status = 'running'", [run_id]).fetchone()[0] > 0


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: dict[str, int],
               stage_seconds: dict[str, float], message: str | None = None) -> None:
    """Record the run's outcome and the snapshot its transaction commits (call it last, inside the
    run's closing transaction: with one writer at a time that snapshot is the next id)."""
    assignments = ", ".join(f"{name} = ?" for name in counts)
    con.execute(
        f"update runs set finished_at = now(), status = ?, stage_seconds = ?, message = ?, snapshot_id = ?"
        f"{', ' if counts else ''}{assignments} where run_id = ?",
        [status, json.dumps(stage_seconds), message, current_snapshot(con) + 1, *counts.values(), run_id],
    )
    con.execute(f"call {CATALOG}.set_commit_message('wirehouse', ?)", [f"run {run_id} {status}"])
