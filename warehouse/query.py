"""Read-only queries against the warehouse's catalog: ad-hoc SQL (now or as of a run) and the status report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.store import Lake, as_lake, open_reader

READ_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA"}


class WriteRefused(ValueError):
    """A statement that would change the warehouse, refused before it runs."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def statement_kinds(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return [statement.type.name for statement in con.extract_statements(sql)]


def refuse_writes(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise ``WriteRefused`` unless every statement of ``sql`` only reads."""
    writes = [kind for kind in statement_kinds(con, sql) if kind not in READ_STATEMENTS]
    if writes:
        raise WriteRefused(
            f"refused: `wirehouse sql` only reads, and this is a {writes[0]} statement. "
            "The warehouse changes only through `wirehouse run`."
        )


def run_query(where: Lake | Path, sql: str, parameters: list | dict | None = None, as_of_run: str | None = None) -> QueryResult:
    """Rows of one read-only query on the warehouse's last committed snapshot, or on the snapshot
    the run ``as_of_run`` committed. The query reaches the warehouse's data files and nothing else."""
    lake = as_lake(where)
    snapshot = run_snapshot(lake, as_of_run) if as_of_run else None
    with open_reader(lake, snapshot) as con:
        if lake.is_local:
            con.execute("set allowed_directories = [?]", [lake.data_folder])
        con.execute("set enable_external_access = false")
        refuse_writes(con, sql)
        cursor = con.execute(sql, parameters or [])
        rows = cursor.fetchall()
        columns = [d[0] for d in cursor.description] if cursor.description else []
    return QueryResult(columns, rows)


class UnknownRun(LookupError):
    """--as-of names a run that the warehouse has no snapshot for."""


def run_snapshot(lake: Lake, run_id: str) -> int:
    """The snapshot the run ``run_id`` committed (a unique prefix of its id will do)."""
    with open_reader(lake) as con:
        rows = con.execute("select run_id, snapshot_id from runs where starts_with(run_id, ?) order by run_id",
                           [run_id]).fetchall()
    if len(rows) != 1:
        found = "no run" if not rows else f"{len(rows)} runs"
        raise UnknownRun(f"{found} with an id starting {run_id!r}: see `wirehouse status` for run ids")
    if rows[0][1] is None:
        raise UnknownRun(f"run {rows[0][0]} has no snapshot (it did not finish, or predates the DuckLake format)")
    return rows[0][1]


def recent_runs(db: Path, limit: int = 10) -> QueryResult:
    """The newest runs, in the columns that fit a terminal (the run id's first 8 characters are
    enough for `wirehouse sql --as-of`)."""
    return run_query(db, "select left(run_id, 8) as run, strftime(started_at, '%m-%d %H:%M:%S') as started, "
                         "status, seconds, "
                         "files_new as new, files_changed as changed, articles, mentions, "
                         "files_rejected + files_quarantined + files_duplicate as not_loaded, files_skipped as skipped, "
                         "coalesce(message, '') as message "
                         "from report_recent_runs limit ?", [limit])


def file_problems(db: Path) -> QueryResult:
    return run_query(db, "select path, status, reason from report_file_problems")
