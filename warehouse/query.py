"""Read-only queries against the warehouse's catalog: ad-hoc SQL (now or as of a run) and the status report."""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.store import Lake, as_lake, open_reader

READ_STATEMENTS = {"SELECT"}  # `pragma version` and other reading pragmas arrive here as SELECT
# Table functions that change the session, the warehouse or files, or run SQL this check cannot
# see (a string handed to query() or json_execute_serialized_sql()): refused by name before they
# run. `enable_logging(storage = 'file', ...)` writes log files into the warehouse's data folder.
REFUSED_FUNCTIONS = {
    "enable_logging", "disable_logging", "truncate_duckdb_logs", "checkpoint", "force_checkpoint",
    "query", "json_execute_serialized_sql", "sqlite_attach", "sqlite_query", "postgres_attach",
    "postgres_query", "postgres_execute", "ducklake_add_data_files", "ducklake_cleanup_old_files",
    "ducklake_delete_orphaned_files", "ducklake_expire_snapshots", "ducklake_flush_inlined_data",
    "ducklake_merge_adjacent_files", "ducklake_rewrite_data_files", "ducklake_set_option",
    "ducklake_set_commit_message", "ducklake_commit",
}
EXPLAIN_PREFIX_TOKENS = 32  # `explain analyze (format json, ...)`: where the explained statement must start
FETCH_CHUNK_ROWS = 1000


class QueryNotAnswered(Exception):
    """A query that gives no (more) rows, for a reason its one-line message tells the user."""


class WriteRefused(QueryNotAnswered, ValueError):
    """A statement that would change the warehouse or the session, refused before it runs."""


class EmptyQuery(QueryNotAnswered, ValueError):
    """SQL holding no statement (only a semicolon, say)."""


class QueryStopped(QueryNotAnswered, RuntimeError):
    """A query stopped at one of its bounds (time, memory); the message says how to raise it."""


class BadBound(QueryNotAnswered, ValueError):
    """A bound DuckDB does not accept (e.g. a memory limit of '1XB')."""


class ValueWithoutPythonForm(QueryNotAnswered, RuntimeError):
    """A value of the result that Python's types cannot hold (an interval of 10^8 years)."""


@dataclass(frozen=True)
class QueryBounds:
    """What one query may use: wall seconds from its start to its last row (0: no limit), DuckDB's
    memory limit (a size such as '1GB'; None: DuckDB's default) with as much again spilled to a
    private temporary folder, and the rows fetched (0: all)."""

    timeout_seconds: float = 0
    memory_limit: str | None = None
    max_rows: int = 0


UNBOUNDED = QueryBounds()


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


@dataclass
class StreamedRows:
    """An open query's columns and its rows in chunks, read from DuckDB only as they are asked for;
    ``cut`` is true once the rows stopped at ``max_rows`` with more left unread."""

    columns: list[str]
    chunks: Iterator[list[tuple]]
    cut: bool = False


def statement_kind(statement: duckdb.Statement) -> str:
    """The statement's type, or its first two words for types the Python enum lacks (UPDATE EXTENSIONS)."""
    name = statement.type.name
    return name if name.isidentifier() and name != "INVALID" else " ".join(statement.query.split()[:2]).upper()


def statement_kinds(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return [kind for statement in con.extract_statements(sql) for kind in judged_kinds(con, statement)]


def judged_kinds(con: duckdb.DuckDBPyConnection, statement: duckdb.Statement) -> list[str]:
    """The kinds a statement is judged by: an EXPLAIN by the statement it explains, since
    `explain analyze` runs it."""
    if statement.type.name != "EXPLAIN":
        return [statement_kind(statement)]
    return explained_kinds(con, statement.query) or ["EXPLAIN"]  # of something that does not parse alone


def explained_kinds(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    """The kinds of the statement an EXPLAIN explains: the first tail of ``sql`` after `explain`
    (and `analyze` or an option list) that parses on its own; [] when none does."""
    for position, _ in duckdb.tokenize(sql)[1:EXPLAIN_PREFIX_TOKENS]:
        try:
            return [kind for statement in con.extract_statements(sql[position:])
                    for kind in judged_kinds(con, statement)]
        except duckdb.Error:
            continue
    return []


def called_functions(sql: str) -> set[str]:
    """Lower-case names followed by "(" in ``sql``: its function calls (comments and string
    constants are never names)."""
    tokens = duckdb.tokenize(sql)
    names = set()
    for (start, kind), (end, _) in zip(tokens, tokens[1:]):
        name = re.match(r'"((?:[^"]|"")*)"|(\w+)', sql[start:end])
        if kind.name in ("identifier", "keyword") and sql[end] == "(" and name:
            names.add(name[2].lower() if name[1] is None else name[1].replace('""', '"').lower())
    return names


def refuse_writes(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise ``WriteRefused`` unless every statement of ``sql`` only reads and calls no function
    that changes the session, the warehouse or files (``EmptyQuery`` if it holds no statement)."""
    kinds = statement_kinds(con, sql)
    if not kinds:
        raise EmptyQuery("no statement to run: give a query, e.g. \"select count(*) from articles\"")
    writes = [kind for kind in kinds if kind not in READ_STATEMENTS]
    if writes:
        raise WriteRefused(
            f"refused: `wirehouse sql` only reads, and this is a {writes[0]} statement. "
            "The warehouse changes only through `wirehouse run`.")
    refused = sorted(called_functions(sql) & REFUSED_FUNCTIONS)
    if refused:
        raise WriteRefused(
            f"refused: `wirehouse sql` only reads, and {refused[0]}() changes the session, the warehouse or "
            "files, or runs SQL of its own. The warehouse changes only through `wirehouse run`.")


def run_query(where: Lake | Path, sql: str, parameters: list | dict | None = None, as_of_run: str | None = None) -> QueryResult:
    """Every row of one read-only query (see ``open_query``), for queries whose size the caller knows."""
    with open_query(where, sql, UNBOUNDED, parameters, as_of_run) as result:
        return QueryResult(result.columns, [row for chunk in result.chunks for row in chunk])


@contextmanager
def open_query(where: Lake | Path, sql: str, bounds: QueryBounds, parameters: list | dict | None = None,
               as_of_run: str | None = None) -> Iterator[StreamedRows]:
    """One read-only query on the warehouse's last committed snapshot, or on the snapshot the run
    ``as_of_run`` committed, within ``bounds``. The query reaches the warehouse's data files and
    nothing else, and the settings are locked, so that no statement lifts a bound or re-opens
    external access. Rows are fetched as ``chunks`` is read, which must be inside this block."""
    lake = as_lake(where)
    snapshot = run_snapshot(lake, as_of_run) if as_of_run else None
    with ExitStack() as stack:
        spill = stack.enter_context(tempfile.TemporaryDirectory(prefix="wirehouse-sql-")) if bounds.memory_limit else None
        con = stack.enter_context(open_reader(lake, snapshot))  # closed before the spill folder is removed
        confine(con, lake, bounds, spill)
        refuse_writes(con, sql)
        deadline = stack.enter_context(interrupted_after(con, bounds.timeout_seconds))
        with stopped_at_bounds(deadline, bounds):
            cursor = con.execute(sql, parameters or [])
        result = StreamedRows([d[0] for d in cursor.description] if cursor.description else [], iter(()))
        result.chunks = bounded_chunks(cursor, result, deadline, bounds)
        yield result


def confine(con: duckdb.DuckDBPyConnection, lake: Lake, bounds: QueryBounds, spill: str | None) -> None:
    """Let ``con`` reach only the warehouse's data files and use at most the memory of ``bounds``
    (and as much again in the private folder ``spill``); then lock its settings."""
    if spill:
        try:
            con.execute("set memory_limit = ?", [bounds.memory_limit])
        except duckdb.Error as error:
            raise BadBound(f"memory limit {bounds.memory_limit!r} is not a size DuckDB knows (e.g. 512MB, 2GB): "
                           f"{str(error).splitlines()[0]}") from None
        con.execute("set max_temp_directory_size = ?", [bounds.memory_limit])
        con.execute("set temp_directory = ?", [spill])
    if lake.is_local:
        con.execute("set allowed_directories = [?]", [lake.data_folder])
    con.execute("set enable_external_access = false")
    con.execute("set enable_progress_bar = false")  # DuckDB may draw one on stdout: never into csv or json
    con.execute("set lock_configuration = true")


@dataclass
class Deadline:
    seconds: float
    passed: bool = False


@contextmanager
def interrupted_after(con: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[Deadline]:
    """Interrupt whatever ``con`` runs once ``seconds`` have passed (0: never); DuckDB has no
    statement timeout of its own. The deadline yielded says whether it passed."""
    deadline = Deadline(seconds)
    if not seconds:
        yield deadline
        return

    def interrupt() -> None:
        deadline.passed = True
        try:
            con.interrupt()
        except duckdb.Error:  # the query ended and its connection closed at this very moment
            pass

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield deadline
    finally:
        timer.cancel()


@contextmanager
def stopped_at_bounds(deadline: Deadline, bounds: QueryBounds) -> Iterator[None]:
    """DuckDB's interrupt and out-of-memory errors as ``QueryStopped``, naming the bound and its flag."""
    try:
        yield
    except duckdb.OutOfMemoryException:
        raise QueryStopped(f"query needed more than its memory limit of {bounds.memory_limit} (and as much again "
                           "spilled to disk): narrow it, or raise the limit with --memory-limit SIZE") from None
    except duckdb.Error as error:
        if not (deadline.passed and is_interrupt(error)):
            raise
        raise QueryStopped(f"query stopped after {deadline.seconds:g} s, its time limit: narrow it, "
                           "or raise the limit with --timeout SECONDS (0: none)") from None


def is_interrupt(error: duckdb.Error) -> bool:
    """True for DuckDB's interrupt, also when it reaches Python wrapped in another error: an
    interrupt landing between two fetches of a streamed result comes as an Invalid Input Error
    ("Attempting to execute an unsuccessful or closed pending query result Error: INTERRUPT ...")."""
    return isinstance(error, duckdb.InterruptException) or "INTERRUPT Error" in str(error)


def bounded_chunks(cursor: duckdb.DuckDBPyConnection, result: StreamedRows, deadline: Deadline,
                   bounds: QueryBounds) -> Iterator[list[tuple]]:
    """Chunks of at most FETCH_CHUNK_ROWS rows, ``bounds.max_rows`` rows in all (0: all); one row
    more is fetched to know whether rows were left unread (then ``result.cut``)."""
    fetched = 0
    while True:
        wanted = min(FETCH_CHUNK_ROWS, bounds.max_rows + 1 - fetched) if bounds.max_rows else FETCH_CHUNK_ROWS
        with stopped_at_bounds(deadline, bounds):
            try:
                chunk = cursor.fetchmany(wanted)
            except (OverflowError, ValueError) as error:
                raise ValueWithoutPythonForm(f"a value of the result has no Python form ({error}): "
                                             "cast it to varchar in the query") from None
        if bounds.max_rows and fetched + len(chunk) > bounds.max_rows:
            result.cut = True
            chunk = chunk[:bounds.max_rows - fetched]
        fetched += len(chunk)
        if chunk:
            yield chunk
        if result.cut or len(chunk) < wanted:
            return


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
