"""The warehouse in and out of single DuckDB files: export a snapshot to one ``.duckdb`` file, and
convert a warehouse of the old single-file format (a writer file and its published copy) into the
DuckLake catalog in one transaction, losing nothing."""

from __future__ import annotations

import glob
import os
from pathlib import Path

import duckdb

from warehouse.processes import is_running, start_ticks
from warehouse.store import CATALOG, Lake, WarehouseNotFound, apply_views, escaped, open_connection, open_writer

SOURCE = "old_format"


def export_file(lake: Lake, target: Path, snapshot: int | None = None) -> Path:
    """Copy the warehouse's tables and views (as of ``snapshot``, else the last commit) into a new
    DuckDB file ``target``, which then needs no extension to open. The copy is written to a hidden
    partial file renamed to ``target`` once complete, so ``target`` never exists half-written; the
    partial file of an export that was killed is removed by the next export to the same name."""
    if target.exists():
        raise FileExistsError(f"{target} exists: export writes a new file; remove it or pick another name")
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_partials(target)
    partial = target.with_name(f".{target.name}.{os.getpid()}-{start_ticks(os.getpid())}.partial")
    con = open_connection(lake, read_only=True, snapshot=snapshot)
    try:
        con.execute(f"attach '{escaped(str(partial))}' as export_target")
        con.execute(f"copy from database {CATALOG} to export_target")
        con.execute("detach export_target")
    except BaseException:
        con.close()
        partial.unlink(missing_ok=True)
        raise
    con.close()
    partial.rename(target)
    return target


def remove_abandoned_partials(target: Path) -> None:
    """Delete the partial files that exports to ``target`` left when their process ended. A
    partial's name holds its process's pid and start time, so a later process that was given the
    same pid does not keep it."""
    for partial in target.parent.glob(f".{glob.escape(target.name)}.*.partial"):
        pid, _, ticks = partial.name.removesuffix(".partial").rsplit(".", 1)[-1].partition("-")
        if pid.isdigit() and ticks.isdigit() and not is_running(int(pid), int(ticks)):
            partial.unlink(missing_ok=True)


def old_format_source(lake: Lake) -> Path:
    """The old file to convert: the writer file (the source of truth) when present, else the published copy."""
    files = lake.old_format_files
    if not files:
        raise WarehouseNotFound(f"no old-format warehouse beside {lake.db} ({lake.db.with_suffix('.duckdb').name} "
                                f"or {lake.db.stem}.writer.duckdb): nothing to migrate")
    writer = [path for path in files if path.name.endswith(".writer.duckdb")]
    return (writer or files)[0]


def table_columns(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, list[str]]:
    rows = con.execute("select table_name, column_name from duckdb_columns() where database_name = ? "
                       "and schema_name = 'main' order by table_name, column_index", [database]).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def migrate_old_format(lake: Lake) -> dict[str, int]:
    """Convert the old-format warehouse beside ``lake.db`` into a new, empty DuckLake catalog in one
    transaction; returns rows copied per table. The old files are kept, renamed
    ``<name>.pre-ducklake.duckdb``, so that they are never mistaken for the warehouse again."""
    source = old_format_source(lake)
    if lake.sqlite_file is not None and lake.sqlite_file.exists():
        raise FileExistsError(f"{lake.sqlite_file} already exists: migrate converts into a new catalog only")
    old_files = lake.old_format_files
    copied: dict[str, int] = {}
    with open_writer(lake, allow_old_format=True) as con:
        if con.execute("select count(*) from runs").fetchone()[0]:
            raise FileExistsError(f"the catalog of {lake.describe()} already holds runs: migrate converts into a new catalog only")
        con.execute(f"attach '{escaped(str(source))}' as {SOURCE} (read_only)")
        old, new = table_columns(con, SOURCE), table_columns(con, CATALOG)
        con.execute("begin transaction")
        for table, columns in old.items():
            if table == "schema_migrations" or table not in new:
                continue
            shared = ", ".join(f'"{c}"' for c in columns if c in new[table])
            con.execute(f"insert into {CATALOG}.{table} ({shared}) select {shared} from {SOURCE}.{table}")
            copied[table] = con.execute(f"select count(*) from {SOURCE}.{table}").fetchone()[0]
        apply_views(con)
        con.execute(f"call {CATALOG}.set_commit_message('wirehouse', ?)", [f"migrated from {source.name}"])
        con.execute("commit")
        con.execute(f"detach {SOURCE}")
    for path in old_files:
        path.rename(path.with_name(path.name.removesuffix(".duckdb") + ".pre-ducklake.duckdb"))
    return copied
