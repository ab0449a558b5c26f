"""The `wirehouse` command line (Typer): run, sql, status, report, serve, ui."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import socket
import sys
import time
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from flows.prefect_env import configure_prefect, ephemeral_api_starting
from flows.settings import Settings, load_settings
from presentation.safe_text import terminal_safe

if TYPE_CHECKING:
    from warehouse.query import StreamedRows

app = typer.Typer(
    help="Wirehouse: turn a folder of raw news text into a validated DuckDB warehouse.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # help texts are plain: "[default: seeds/]" must print, not vanish as markup
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

IMPORTED_AT = time.monotonic()

InboxOption = Annotated[Path | None, typer.Option("--inbox", help="Folder of news text files [default: seeds/].")]
DbOption = Annotated[Path | None, typer.Option("--db", help="Warehouse catalog file [default: data/wirehouse.ducklake].")]


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {terminal_safe(message)}", markup=True, soft_wrap=True)  # paths stay whole
    return typer.Exit(code=1)


def settings_or_exit(**flags: object) -> Settings:
    try:
        return load_settings(**flags)
    except Exception as error:  # pydantic's ValidationError, a malformed wirehouse.toml
        raise fail(f"invalid settings: {error}") from None


def print_table(columns: list[str], rows: list[tuple], title: str | None = None, header: bool = True,
                null: str = "") -> None:
    table = Table(title=title, show_header=header)
    for column in columns:
        table.add_column(terminal_safe(column), overflow="fold")
    for row in rows:
        table.add_row(*(null if v is None else terminal_safe(v) for v in row))
    out.print(table, markup=False)


def check_recognised(settings: Settings) -> None:
    """Stop in one line, before anything is written, when a file the warehouse would use (--db, its
    catalog, its lock) holds something that is not Wirehouse's."""
    from warehouse.store import NotAWarehouse, refuse_foreign_paths

    try:
        refuse_foreign_paths(settings.lake)
    except NotAWarehouse as error:
        raise fail(str(error)) from None


def catalog_refusal(settings: Settings) -> str | None:
    """Why the catalog is not this warehouse's to write (another program's DuckLake or PostgreSQL
    tables; a SQLite catalog file was judged already by `check_recognised`), looked at read-only;
    None when it is, or is not made yet. A locked or damaged catalog passes: the run meets it and
    reports it in its own words."""
    import duckdb

    from warehouse.store import NotAWarehouse, WarehouseBusy, recognise

    try:
        recognise(settings.lake)
        return None
    except NotAWarehouse as error:
        return str(error)
    except (WarehouseBusy, duckdb.Error):
        return None


def check_can_run(settings: Settings) -> None:
    """Fail fast with a readable message before the flow starts."""
    check_recognised(settings)
    if not settings.inbox.is_dir():
        raise fail(f"inbox {settings.inbox} is not a folder (set --inbox or WIREHOUSE_INBOX)")
    if importlib.util.find_spec(settings.model) is None and not Path(settings.model).is_dir():
        raise fail(f"spaCy model {settings.model!r} is not installed; install its package or set WIREHOUSE_MODEL")


def check_scheduler_reachable(address: str) -> None:
    """Fail fast when nothing listens at a Dask scheduler's HOST:PORT."""
    host, _, port = address.removeprefix("tcp://").rpartition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=5).close()
    except ValueError:
        raise fail(f"--address {address!r} is not HOST:PORT") from None
    except OSError as error:
        raise fail(f"cannot reach the Dask scheduler at {address}: {error.strerror or error}") from None


RunnerOption = Annotated[str | None, typer.Option(
    "--runner", help="Where extraction runs: local (worker processes here) or dask. [default: local]")]
AddressOption = Annotated[str | None, typer.Option(
    "--address", help="With --runner dask: the Dask scheduler's HOST:PORT.")]


@app.command()
def run(inbox: InboxOption = None, db: DbOption = None, runner: RunnerOption = None,
        address: AddressOption = None) -> None:
    """Run one ingestion flow now: new and changed files of the inbox into the warehouse."""
    settings = settings_or_exit(inbox=inbox, db=db, runner=runner, dask_address=address)
    out.print(f"wirehouse run: {terminal_safe(settings.inbox)} -> {terminal_safe(settings.db)} "
              f"(starting Prefect{'' if os.environ.get('PREFECT_API_URL') else ' and its local API'})",
              markup=False, soft_wrap=True)
    check_can_run(settings)
    if settings.runner == "dask":
        check_scheduler_reachable(settings.dask_address)
    configure_prefect(settings.data_dir / "prefect")
    api_starting = ephemeral_api_starting()
    from flows.ingest import RunAlreadyActive, ingest_on
    from flows.progress import shown_on
    from warehouse.store import WarehouseBusy, WarehouseDamaged, WarehouseNotFound

    overrides = {"runner": settings.runner, "dask_address": settings.dask_address}
    refusal = catalog_refusal(settings)  # while the API starts
    if api_starting is not None:
        api_starting.join()
    if refusal:
        raise fail(refusal)
    try:
        with shown_on(out):
            summary = ingest_on(settings.runner, settings.dask_address)(settings.inbox, settings.db, overrides)
    except (RunAlreadyActive, WarehouseBusy, WarehouseDamaged, WarehouseNotFound) as error:
        raise fail(str(error)) from None
    except Exception as error:  # Prefect has logged the details above; end on one line
        raise fail(f"run failed: {type(error).__name__}: {error}. The warehouse is as it was before the "
                   "failed batch; see the log above and `wirehouse status`.") from None
    print_summary(summary, seconds_since_start())


def seconds_since_start() -> float:
    """Wall seconds since this process started, interpreter start-up included (from /proc on
    Linux; elsewhere since this module was imported)."""
    try:
        started_ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(uptime - started_ticks / os.sysconf("SC_CLK_TCK"), 0.0)
    except (OSError, ValueError, IndexError):
        return time.monotonic() - IMPORTED_AT


SKIPPED_SHOWN = 20


def print_summary(summary, waited: float) -> None:
    out.print(terminal_safe(summary.headline(waited)), markup=False, soft_wrap=True)
    t = summary.totals
    rows = [("files", f"{t['files_seen']} seen, {t['files_new']} new, {t['files_changed']} changed, "
                      f"{t['files_unchanged']} unchanged, {t['files_duplicate']} duplicate"),
            ("articles", t["articles"]), ("mentions", t["mentions"]), ("quotes", t["quotes"]),
            ("quarantined", t["files_quarantined"]), ("rejected", t["files_rejected"]),
            ("skipped", t["files_skipped"]),
            ("duration", f"{waited:.1f}s wall, of which the flow {summary.duration:.1f}s "
                         "(the rest: start-up and Prefect's API)"),
            ("warehouse", summary.db)]
    print_table(["", ""], rows, header=False)
    if summary.skipped:
        shown = summary.skipped[:SKIPPED_SHOWN]
        print_table(["path", "why"], shown, title=f"Inbox entries skipped ({len(shown)} of {len(summary.skipped)} "
                                                  "shown; `wirehouse status` lists the ones to fix)")
    print_table(["stage", "seconds", "share", "throughput"], summary.profile(), title="where the time went")
    for path, reason in summary.quarantined + summary.rejected:
        err.print(f"not loaded: {terminal_safe(path)}: {terminal_safe(reason)}", markup=False)
    out.print(terminal_safe(summary.verdicts()), markup=False, soft_wrap=True)


class OutputFormat(str, Enum):
    table = "table"
    vertical = "vertical"
    csv = "csv"
    json = "json"


AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", help="A run id (or a unique prefix, see `wirehouse status`): query the warehouse as that run left it.")]


# Rows fetched when --max-rows is not given: a screenful for people, more for pipes.
DEFAULT_MAX_ROWS = {OutputFormat.table: 100, OutputFormat.vertical: 100, OutputFormat.csv: 10_000, OutputFormat.json: 10_000}


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="A read-only SQL query (SELECT, DESCRIBE, SHOW, EXPLAIN).")],
    db: DbOption = None,
    format: Annotated[OutputFormat, typer.Option(
        "--format", help="table (records when too wide for the terminal), vertical (one record per block), "
                         "csv or json (byte-exact, written as the rows arrive).")] = OutputFormat.table,
    max_rows: Annotated[int | None, typer.Option(
        "--max-rows", min=0, help="Rows fetched; the rest are never read [default: 100 for table and vertical, "
                                  "10000 for csv and json]; 0 fetches all.")] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0, help="Seconds the query may take, its rows' fetching included; 0: no limit.")] = 60.0,
    memory_limit: Annotated[str, typer.Option(
        "--memory-limit", help="Memory the query may use, e.g. 512MB or 4GB; as much again may spill to a "
                               "private temporary folder, removed afterwards.")] = "1GB",
    as_of: AsOfOption = None,
) -> None:
    """Run a read-only query on the warehouse's last committed run; safe while loads run."""
    import duckdb

    from warehouse.query import QueryBounds, QueryNotAnswered, UnknownRun, open_query

    settings = settings_or_exit(db=db)
    bounds = QueryBounds(timeout, memory_limit, DEFAULT_MAX_ROWS[format] if max_rows is None else max_rows)
    try:
        with open_query(settings.lake, query, bounds, as_of_run=as_of) as result:
            write_result(result, format, bounds.max_rows)
    except (QueryNotAnswered, FileNotFoundError, UnknownRun) as error:
        raise fail(str(error)) from None
    except duckdb.Error as error:
        older = made_by_an_older_wirehouse(settings, error)
        raise fail(f"query failed: {duckdb_message(error)}" + (f"; {older}; `sql` only reads." if older else "")) from None
    except BrokenPipeError:  # `wirehouse sql ... | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        raise typer.Exit(code=0) from None


def duckdb_message(error: Exception) -> str:
    """DuckDB's message on one line, with its hints ("Candidate bindings", "Did you mean") but
    without the echoed query and caret that follow them."""
    message = str(error).split("\nLINE ")[0]
    return " ".join(line.strip() for line in message.splitlines() if line.strip())


def write_result(result: StreamedRows, format: OutputFormat, max_rows: int) -> None:
    """csv and json rows as they are fetched, tables once their (bounded) rows are in; then the
    footer (for csv and json only when rows were left unread, and on stderr, off the data)."""
    if format in (OutputFormat.csv, OutputFormat.json):
        count = (write_csv if format is OutputFormat.csv else write_json)(result.columns, result.chunks)
        if result.cut:
            err.print(rows_footer(count, result.cut, max_rows, as_records=False), markup=False, soft_wrap=True)
        return
    rows = [row for chunk in result.chunks for row in chunk]
    as_records = format is OutputFormat.vertical or table_width(result.columns, rows) > out.width
    if as_records:
        print_records(result.columns, rows)
    else:
        print_table(result.columns, rows, null="NULL")
    out.print(rows_footer(len(rows), result.cut, max_rows, as_records and format is OutputFormat.table),
              markup=False, soft_wrap=True)


def write_csv(columns: list[str], chunks: Iterable[list[tuple]]) -> int:
    """Rows as CSV on stdout, byte-exact; only on a terminal are control characters shown instead.
    Returns how many rows it wrote."""
    safe = sys.stdout.isatty()
    writer = csv.writer(sys.stdout)
    writer.writerow(columns)
    count = 0
    for chunk in chunks:
        writer.writerows([[terminal_safe(v) if safe else ("" if v is None else v) for v in row] for row in chunk])
        count += len(chunk)
    return count


def write_json(columns: list[str], chunks: Iterable[list[tuple]]) -> int:
    """Rows as one JSON array of objects on stdout, written a chunk at a time; returns the count."""
    count = 0
    sys.stdout.write("[")
    for chunk in chunks:
        for row in chunk:
            sys.stdout.write((", " if count else "") + json.dumps(dict(zip(columns, row)), default=str, ensure_ascii=True))
            count += 1
    sys.stdout.write("]\n")
    return count


def table_width(columns: list[str], rows: list[tuple]) -> int:
    """Characters the widest line of a table of ``rows`` would need, borders included."""
    widths = [max([len(column), *(len(terminal_safe(row[i])) for row in rows)]) for i, column in enumerate(columns)]
    return sum(widths) + 3 * len(columns) + 1


def print_records(columns: list[str], rows: list[tuple]) -> None:
    """One block per row, a line per column: readable however wide the row."""
    names = [terminal_safe(column) for column in columns]
    pad = max(map(len, names), default=0)
    for number, row in enumerate(rows, 1):
        out.print(f"-[ record {number} ]" + "-" * max(pad, 8), markup=False, soft_wrap=True)
        for name, value in zip(names, row):
            out.print(f"{name.ljust(pad)} | {'NULL' if value is None else terminal_safe(value)}", markup=False, soft_wrap=True)


def rows_footer(count: int, cut: bool, max_rows: int, as_records: bool) -> str:
    text = f"{count} row{'' if count == 1 else 's'}"
    if cut:
        text += f"; more not fetched (--max-rows {max_rows}; raise it, or 0 fetches all)"
    return text + (" - shown as records: too wide for the terminal" if as_records else "")


@app.command()
def status(db: DbOption = None, limit: Annotated[int, typer.Option(help="How many runs to show.")] = 10) -> None:
    """Recent runs, and the files that did not load with the reason."""
    import duckdb

    from presentation.verdict import load_verdict
    from warehouse.query import file_problems, recent_runs

    settings = settings_or_exit(db=db)
    try:
        runs, problems = recent_runs(settings.lake, limit), file_problems(settings.lake)
    except FileNotFoundError as error:
        raise fail(str(error)) from None
    except duckdb.Error as error:
        raise unreadable(settings, error) from None
    print_table(runs.columns, runs.rows, title="Recent runs")
    if problems.rows:
        print_table(problems.columns, problems.rows, title="Files not loaded (or loaded with a note)")
    out.print(load_verdict(runs, bool(problems.rows)), markup=False, soft_wrap=True)


@app.command()
def report(
    db: DbOption = None,
    html: Annotated[Path | None, typer.Option("--html", help="HTML report file [default: report.html next to the warehouse].")] = None,
) -> None:
    """Key reporting views as terminal tables, and an offline HTML report with charts."""
    import duckdb

    from flows.report import HtmlNotWritten, terminal_sections, write_report
    from presentation.verdict import load_verdict

    settings = settings_or_exit(db=db)
    html_path = html or settings.db.parent / "report.html"
    try:
        result = write_report(settings.lake, html_path)
    except (FileNotFoundError, HtmlNotWritten) as error:
        raise fail(str(error)) from None
    except duckdb.Error as error:
        raise unreadable(settings, error) from None
    for title, section in terminal_sections(result):
        if section.rows:
            print_table(section.columns, section.rows, title=title)
        else:
            out.print(f"{title}: none", markup=False)
    out.print(load_verdict(result.newest_run, bool(result.file_problems.rows)), markup=False, soft_wrap=True)
    out.print(f"HTML report: {terminal_safe(html_path)}", markup=False)


def unreadable(settings: Settings, error: Exception) -> typer.Exit:
    """One line on why `status` or `report` could not read the warehouse: most often (a name not
    found) a warehouse an older Wirehouse made, or one no run has completed on, which has no
    reporting views yet."""
    import duckdb

    from warehouse.store import first_line, missing_views

    older = made_by_an_older_wirehouse(settings, error)
    if older:
        return fail(f"{older}; `status` and `report` only read.")
    missing = missing_views(settings.lake) if isinstance(error, duckdb.CatalogException) else []
    if missing:
        return fail(f"the warehouse {settings.db} has no completed run yet: its reporting views (e.g. {missing[0]}) "
                    "are made when a run completes. Run `wirehouse run` (if a run failed, its log says why).")
    return fail(f"cannot read the warehouse {settings.db}: {first_line(error)}")


def made_by_an_older_wirehouse(settings: Settings, error: Exception) -> str | None:
    """When a reader's error is a name not found (a table, view or column) and the warehouse lacks
    migrations of this code, the clause saying so and what brings it up to date; else None. Every
    reader (`status`, `report`, `sql`) says it the same way."""
    import duckdb

    from warehouse.store import pending_migrations

    if not isinstance(error, duckdb.CatalogException | duckdb.BinderException):
        return None
    pending = pending_migrations(settings.lake)
    if not pending:
        return None
    return (f"the warehouse {settings.db} was made by an older Wirehouse ({len(pending)} migration(s) to apply, "
            f"e.g. {pending[0]}): one `wirehouse run` brings it up to date")


@app.command()
def export(
    target: Annotated[Path, typer.Argument(help="The new .duckdb file to write.")],
    db: DbOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Export the warehouse (tables and views, as of the last run or --as-of) to one DuckDB file."""
    from warehouse.portable import export_file
    from warehouse.query import UnknownRun, run_snapshot

    settings = settings_or_exit(db=db)
    try:
        snapshot = run_snapshot(settings.lake, as_of) if as_of else None
        export_file(settings.lake, target, snapshot)
    except (FileNotFoundError, FileExistsError, UnknownRun) as error:
        raise fail(str(error)) from None
    out.print(f"exported to {terminal_safe(target)} (open it with any DuckDB: duckdb -readonly {terminal_safe(target)})",
              markup=False)


@app.command()
def migrate(db: DbOption = None) -> None:
    """Convert a warehouse of the old single-file format (<name>.duckdb, <name>.writer.duckdb) to DuckLake."""
    from warehouse.portable import migrate_old_format

    settings = settings_or_exit(db=db)
    check_recognised(settings)
    try:
        copied = migrate_old_format(settings.lake)
    except (FileNotFoundError, FileExistsError) as error:
        raise fail(str(error)) from None
    print_table(["table", "rows"], sorted(copied.items()), title=f"Migrated into {settings.lake.describe()}")
    out.print("The old files are kept as *.pre-ducklake.duckdb; delete them once you are satisfied.", markup=False)


@app.command()
def maintain(db: DbOption = None) -> None:
    """Run warehouse maintenance now: expire snapshots past retention_days, compact small files."""
    settings = settings_or_exit(db=db)
    check_recognised(settings)
    configure_prefect(settings.data_dir / "prefect")
    api_starting = ephemeral_api_starting()  # the API tied to this process, as `run` starts it
    from flows.maintain import maintain as maintain_flow
    from warehouse.store import WarehouseBusy

    if api_starting is not None:
        api_starting.join()
    try:
        done = maintain_flow(settings.db)
    except (FileNotFoundError, WarehouseBusy) as error:
        raise fail(str(error)) from None
    print_table(["", ""], list(done.items()), header=False)


@app.command()
def serve(
    inbox: InboxOption = None,
    db: DbOption = None,
    interval: Annotated[float | None, typer.Option("--interval", help="Seconds between runs [default: 300].")] = None,
    cron: Annotated[str | None, typer.Option("--cron", help="A cron schedule, instead of the interval.")] = None,
    watch: Annotated[bool | None, typer.Option("--watch/--no-watch", help="Also run when files arrive.")] = None,
) -> None:
    """Serve the ingestion deployment on its schedule until Ctrl-C (needs a server: `wirehouse ui`)."""
    settings = settings_or_exit(inbox=inbox, db=db, schedule_interval_seconds=interval, schedule_cron=cron, watch=watch)
    check_can_run(settings)
    configure_prefect(settings.data_dir / "prefect")
    from prefect.settings import PREFECT_API_URL

    from flows.serve import serve as serve_deployment

    if not PREFECT_API_URL.value():
        raise fail("`wirehouse serve` needs a Prefect server for its schedule: start one with `wirehouse ui` and "
                   "set PREFECT_API_URL=http://127.0.0.1:4200/api")
    serve_deployment(settings)


@app.command()
def ui(port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 4200) -> None:
    """Start a local Prefect server and UI on 127.0.0.1, telemetry off, until Ctrl-C."""
    settings = settings_or_exit()
    configure_prefect(settings.data_dir / "prefect")
    from flows.serve import run_server

    out.print(f"Prefect UI at http://127.0.0.1:{port} - send runs there with "
              f"PREFECT_API_URL=http://127.0.0.1:{port}/api", markup=False)
    raise typer.Exit(run_server(port))


if __name__ == "__main__":
    app()
