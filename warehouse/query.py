"""Read-only queries against the published warehouse: ad-hoc SQL and the status report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.store import open_reader

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


def run_query(db: Path, sql: str, parameters: list | dict | None = None) -> QueryResult:
    """Rows of one read-only query on the published warehouse (no file or network access)."""
    with open_reader(db) as con:
        con.execute("set enable_external_access = false")
        refuse_writes(con, sql)
        cursor = con.execute(sql, parameters or [])
        rows = cursor.fetchall()
        columns = [d[0] for d in cursor.description] if cursor.description else []
    return QueryResult(columns, rows)


def recent_runs(db: Path, limit: int = 10) -> QueryResult:
    """The newest runs, in the columns that fit a terminal."""
    return run_query(db, "select strftime(started_at, '%m-%d %H:%M:%S') as started, status, seconds, "
                         "files_new as new, files_changed as changed, articles, mentions, "
                         "files_rejected + files_quarantined + files_duplicate as not_loaded, coalesce(message, '') as message "
                         "from report_recent_runs limit ?", [limit])


def file_problems(db: Path) -> QueryResult:
    return run_query(db, "select path, status, reason from report_file_problems")
