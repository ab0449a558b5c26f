"""The warehouse on DuckLake: a SQL catalog (a SQLite file, or PostgreSQL for teams) plus Parquet data files.

Every connection is an in-memory DuckDB with the catalog attached as ``lake`` and made the default
database, so the warehouse's SQL names its tables unqualified. The writer attaches it read-write
(one run at a time: the flow's lock file); readers attach it read-only and see the last committed
snapshot, whatever a run is writing meanwhile. Each commit is a DuckLake snapshot; a transaction
that never commits leaves no trace in the catalog.

DuckDB's extensions are never downloaded: they come from the signed extension packages
(``duckdb-extension-ducklake``, ``-sqlite``, ``-postgres``) and are loaded with signature checks on,
from an extension folder this module fills with links to the packages' files under the names
DuckDB expects (the sqlite package ships ``sqlite.duckdb_extension``, DuckDB looks for
``sqlite_scanner.duckdb_extension``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb

CATALOG = "lake"
# DuckDB's name for each extension -> the registry package that ships it (and that file's stem).
EXTENSION_PACKAGES = {"ducklake": "ducklake", "sqlite_scanner": "sqlite", "postgres_scanner": "postgres"}
NO_DOWNLOADS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


class WarehouseBusy(RuntimeError):
    """The catalog was locked by another process (after the attempts the caller asked for)."""


class WarehouseNotFound(FileNotFoundError):
    """No catalog where the settings point (or one that needs `wirehouse migrate` first)."""


class NotAWarehouse(WarehouseNotFound):
    """Something other than a Wirehouse warehouse is at a path the settings point to: it is never written to."""


class WarehouseDamaged(RuntimeError):
    """A part of the warehouse is missing: a run stops rather than rebuild from the inbox."""


@dataclass(frozen=True)
class Lake:
    """Where one warehouse lives. ``db`` names it and holds its local state (lock, extensions);
    with no ``catalog`` setting the catalog is the SQLite file ``<db stem>.ducklake`` beside it
    and the data files go to ``<db stem>.files/``; ``catalog`` (e.g.
    ``postgres:dbname=wirehouse host=127.0.0.1``) and ``data_path`` move them elsewhere."""

    db: Path
    catalog: str | None = None
    data_path: str | None = None
    catalog_schema: str | None = None

    @property
    def metadata_schema(self) -> str | None:
        """The catalog database's schema for this warehouse's tables; ``{db}`` in the setting stands
        for a name derived from the warehouse's path, so that many warehouses share one database."""
        if not self.catalog_schema:
            return None
        key = hashlib.sha256(str(self.db.resolve()).encode()).hexdigest()[:16]
        return self.catalog_schema.replace("{db}", f"w_{key}")

    @property
    def sqlite_file(self) -> Path | None:
        return None if self.catalog else self.db.with_suffix(".ducklake")

    @property
    def catalog_uri(self) -> str:
        return f"ducklake:{self.catalog or 'sqlite:' + str(self.sqlite_file)}"

    @property
    def data_folder(self) -> str:
        path = self.data_path or str(self.db.parent / f"{self.db.stem}.files")
        return path if path.endswith("/") else path + "/"

    @property
    def is_local(self) -> bool:
        """Data files on a local or mounted file system (not object storage)."""
        return "://" not in self.data_folder

    @property
    def old_format_files(self) -> list[Path]:
        """The files of the pre-DuckLake format (a writer file and its published copy), if present."""
        candidates = [self.db.with_suffix(".duckdb"), self.db.with_name(f"{self.db.stem}.writer.duckdb")]
        return [path for path in candidates if is_old_format_warehouse(path)]

    @property
    def name(self) -> str:
        return self.db.name

    def describe(self) -> str:
        return f"catalog {self.catalog or self.sqlite_file}, data {self.data_folder}"


def as_lake(where: Lake | Path) -> Lake:
    return where if isinstance(where, Lake) else Lake(Path(where))


def is_duckdb_file(path: Path) -> bool:
    return file_head(path)[8:12] == b"DUCK"


def file_head(path: Path) -> bytes:
    """The first bytes of a file, where formats put their signature."""
    with open(path, "rb") as handle:
        return handle.read(16)


def extension_folder(lake: Lake) -> Path:
    """DuckDB's extension directory for this warehouse: links to the packages' signed binaries."""
    folder = lake.db.parent / "duckdb_extensions"
    version, platform = duckdb.__version__, duckdb.execute("pragma platform").fetchone()[0]
    target = folder / f"v{version}" / platform
    target.mkdir(parents=True, exist_ok=True)
    for name, package in EXTENSION_PACKAGES.items():
        link, source = target / f"{name}.duckdb_extension", package_binary(package, version)
        if link.resolve() != source.resolve():  # missing, or left pointing into an older environment
            staging = target / f".{name}.{os.getpid()}"
            staging.unlink(missing_ok=True)
            staging.symlink_to(source)
            staging.replace(link)  # atomic: a concurrent process sees the old link or the new one
    return folder


def package_binary(package: str, version: str) -> Path:
    spec = importlib.util.find_spec(f"duckdb_extension_{package}")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the DuckDB extension package duckdb-extension-{package}=={version} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "extensions" / f"v{version}" / f"{package}.duckdb_extension"
    if not path.is_file():
        raise RuntimeError(f"duckdb-extension-{package} has no binary for DuckDB {version} ({path})")
    return path


def spill_folder(lake: Lake) -> Path:
    """Where DuckDB spills what does not fit in memory: beside the warehouse (``<db stem>.tmp``),
    never a ``.tmp`` in whatever folder the command was started from (an in-memory DuckDB's
    default). DuckDB makes it on first spill and removes what it spilled when done."""
    return lake.db.parent / f"{lake.db.stem}.tmp"


def duckdb_with_extensions(lake: Lake) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the DuckLake extension and the catalog's driver loaded; nothing
    is downloaded and unsigned extensions stay refused."""
    con = duckdb.connect(config={**NO_DOWNLOADS, "extension_directory": str(extension_folder(lake)),
                                 "temp_directory": str(spill_folder(lake))})
    con.execute("load ducklake")
    con.execute("load postgres_scanner" if lake.catalog and lake.catalog.startswith("postgres:") else "load sqlite_scanner")
    return con


def is_lock_conflict(error: duckdb.Error) -> bool:
    return "locked" in str(error).lower() or "busy" in str(error).lower()


def attach(con: duckdb.DuckDBPyConnection, lake: Lake, *, read_only: bool, attempts: int, wait_seconds: float,
           snapshot: int | None = None) -> None:
    """Attach the catalog as ``lake`` and make it the default database, retrying while locked."""
    # The data path comes from the settings, not from the catalog, so that a warehouse moved or
    # restored as a whole (catalog and data folder) reads and writes its own files.
    options = [f"data_path '{escaped(lake.data_folder)}'", "override_data_path true"]
    if read_only:
        options.append("read_only")
    if lake.metadata_schema:
        options.append(f"metadata_schema '{escaped(lake.metadata_schema)}'")
    if snapshot is not None:
        options.append(f"snapshot_version {int(snapshot)}")
    statement = f"attach '{escaped(lake.catalog_uri)}' as {CATALOG} ({', '.join(options)})"
    for attempt in range(1, attempts + 1):
        try:
            con.execute(statement)
            con.execute(f"use {CATALOG}")
            return
        except duckdb.Error as error:
            if read_only and "creating a new DuckLake is explicitly disabled" in str(error):
                raise WarehouseNotFound(f"no warehouse in {lake.describe()}: run `wirehouse run` first") from None
            if not is_lock_conflict(error):
                raise
            if attempt == attempts:
                raise WarehouseBusy(f"the catalog of {lake.describe()} stayed locked: {first_line(error)}; "
                                    f"gave up after {attempts} attempts") from error
            time.sleep(wait_seconds * attempt)


def escaped(text: str) -> str:
    return text.replace("'", "''")


def first_line(error: BaseException) -> str:
    return str(error).splitlines()[0]


def create_sqlite_catalog(path: Path) -> None:
    """An empty SQLite catalog file in WAL mode, so that readers never block the writer's commit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as catalog:
        catalog.execute("pragma journal_mode = wal")
    catalog.close()


def check_can_create(lake: Lake, allow_old_format: bool = False) -> None:
    """Refuse to start a new catalog where an old warehouse's pieces are: never rebuild silently."""
    if lake.old_format_files and not allow_old_format:
        raise WarehouseNotFound(
            f"{lake.old_format_files[0]} is a warehouse in the old single-file format: "
            f"convert it with `wirehouse migrate --db {lake.db}` (nothing is lost), then run again")
    refuse_orphaned_data(lake)


def refuse_orphaned_data(lake: Lake) -> None:
    """Stop before a new, empty catalog would adopt a data folder that holds another catalog's files
    (or files that are no catalog's: another program's)."""
    data = Path(lake.data_folder)
    if lake.is_local and data.exists() and not data.is_dir():
        raise NotAWarehouse(f"{data} is where the warehouse's data files go, but it is {what_is(data)}: "
                            "it was not touched; move it away, or give --db another path")
    if lake.is_local and data.is_dir() and any(data.iterdir()):
        foreign = next((path for path in data.rglob("*") if path.is_file() and not path.name.startswith("ducklake-")), None)
        if foreign is not None:
            raise NotAWarehouse(
                f"the catalog {lake.catalog or lake.sqlite_file} is new but its data folder {data} holds files that are "
                f"not a warehouse's (e.g. {foreign}): they were not touched; give --db another path (or set data_path "
                "to an empty folder)")
        raise WarehouseDamaged(
            f"the catalog {lake.catalog or lake.sqlite_file} is missing or empty but {data} holds the warehouse's "
            "data files: restore the catalog (or move the data folder away to start a new, empty warehouse)")


def is_new_catalog(con: duckdb.DuckDBPyConnection) -> bool:
    """True for a catalog no migration has run on yet."""
    return not con.execute("select count(*) from duckdb_tables() where database_name = ? and table_name = "
                           "'schema_migrations'", [CATALOG]).fetchone()[0]


def catalog_exists(lake: Lake) -> bool:
    return lake.catalog is not None or lake.sqlite_file.is_file()


def missing_data_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Data files the current snapshot refers to that are not on disk (local data paths only)."""
    tables = [row[0] for row in con.execute(
        "select table_name from duckdb_tables() where database_name = ?", [CATALOG]).fetchall()]
    missing = []
    for table in tables:
        files = con.execute(f"select data_file, delete_file from ducklake_list_files('{CATALOG}', ?)", [table]).fetchall()
        missing += [path for pair in files for path in pair if path and not Path(path).exists()]
    return missing


def check_data_files(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    if not lake.is_local:
        return
    missing = missing_data_files(con)
    if missing:
        raise WarehouseDamaged(
            f"{len(missing)} data file(s) of the warehouse are missing, e.g. {missing[0]}: restore them "
            f"(or the data folder {lake.data_folder}) from a backup; the catalog is intact and nothing was changed")


# Recognition: a warehouse is recognised before it is touched. The marker is the catalog table
# ``wirehouse`` (migration 015); a warehouse made before it is recognised by its migrations record.
MARKER_TABLE = "wirehouse"
MARKER_MIGRATION = "015"
SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_FILE = "a SQLite database file"


@cache
def migration_tables(before: str = "999") -> frozenset[str]:
    """The tables Wirehouse's migrations numbered below ``before`` create."""
    return frozenset(name.lower() for file, sql in migration_files() if file < before
                     for name in re.findall(r"create table (?:if not exists )?(\w+)", sql, flags=re.IGNORECASE))


def is_old_format_warehouse(path: Path) -> bool:
    """A DuckDB file holding every table of Wirehouse's first five migrations: the pre-DuckLake format
    (opened read-only; a file DuckDB cannot open is not one)."""
    if not path.is_file() or not is_duckdb_file(path):
        return False
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            tables = {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}
    except duckdb.Error:
        return False
    return migration_tables("006") <= tables


def what_is(path: Path) -> str:
    """What a path that is not Wirehouse's holds, in a few words for an error message."""
    if path.is_dir():
        return "a folder"
    try:
        head = file_head(path)
    except OSError as error:
        return f"a file that cannot be read ({error.strerror or error})"
    if not head:
        return "an empty file"
    if head[8:12] == b"DUCK":
        return "a DuckDB database file"
    if head.startswith(SQLITE_HEADER):
        return SQLITE_FILE
    return "a file of another kind (binary)" if b"\x00" in head else "a text file"


def sqlite_rows(path: Path, sql: str) -> list[tuple] | None:
    """Rows of one query on a SQLite file opened read-only (nothing written); None when SQLite cannot
    open it just now (locked by another process, a read-only folder): the attach that follows
    reports that."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()
    except sqlite3.OperationalError:
        return None
    except sqlite3.DatabaseError as error:  # not a database after all, malformed, encrypted
        raise NotAWarehouse(f"{path} is a SQLite file that cannot be read ({error}), not a Wirehouse catalog: "
                            "it was not touched; move it away, or give --db another path") from None


def refuse_foreign_catalog_file(path: Path) -> None:
    """A SQLite catalog file is Wirehouse's to use when it holds no tables yet, or a DuckLake whose
    tables are Wirehouse's (read from DuckLake's own ``ducklake_table``, without loading DuckDB's
    extensions)."""
    kind = what_is(path)
    if kind == SQLITE_FILE:
        tables = {row[0] for row in sqlite_rows(path, "select name from sqlite_master where type = 'table'") or []}
        if not tables:
            return
        if "ducklake_metadata" in tables:
            current = sqlite_rows(path, "select table_name from ducklake_table where end_snapshot is null") or []
            refuse_foreign_tables({row[0] for row in current}, path)
            return
        kind = f"another program's SQLite database (tables {', '.join(sorted(tables)[:3])})"
    raise NotAWarehouse(f"{path} is {kind}, not a Wirehouse catalog: it was not touched; move it away, "
                        "or give --db another path")


def refuse_foreign_paths(lake: Lake) -> None:
    """Stop, before anything is written, when a file this warehouse would use holds something that is
    not Wirehouse's: ``--db`` itself (unless it is the catalog, or an old-format warehouse to
    migrate), the SQLite catalog, the run's lock file."""
    if lake.db.exists() and lake.db != lake.sqlite_file and not is_old_format_warehouse(lake.db):
        raise NotAWarehouse(f"{lake.db} is {what_is(lake.db)}, not a Wirehouse warehouse: it was not touched; give "
                            "--db a warehouse's .ducklake catalog file, or a new path to start one")
    if lake.sqlite_file is not None and lake.sqlite_file.exists():
        refuse_foreign_catalog_file(lake.sqlite_file)
    lock = Path(f"{lake.db}.lock")
    if lock.exists() and (not lock.is_file() or lock.stat().st_size):
        raise NotAWarehouse(f"{lock} is where the run lock goes, but it is {what_is(lock)}: it was not touched; "
                            "move it away, or give --db another path")


def refuse_foreign_tables(tables: set[str], catalog: str | Path) -> None:
    """A DuckLake holding ``tables`` is Wirehouse's when they include the marker table, or (made
    before the marker) ``schema_migrations`` and only tables Wirehouse's migrations create; one
    with no tables is new."""
    if not tables or MARKER_TABLE in tables:
        return
    if "schema_migrations" in tables and tables <= migration_tables() | {"schema_migrations"}:
        return
    raise NotAWarehouse(f"the catalog {catalog} is another program's DuckLake (tables {', '.join(sorted(tables)[:3])}), "
                        "not a Wirehouse warehouse: it was not touched; give --db (or the catalog setting) a Wirehouse "
                        "warehouse, or a new place to start one")


def refuse_foreign_lake(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    """``refuse_foreign_tables`` for the DuckLake attached on ``con`` (a catalog that is not a SQLite file)."""
    refuse_foreign_tables({row[0] for row in con.execute(
        "select table_name from duckdb_tables() where database_name = ?", [CATALOG]).fetchall()}, lake.catalog)


def recognise_catalog(con: duckdb.DuckDBPyConnection, lake: Lake, attempts: int, wait_seconds: float) -> None:
    """Before a writer attaches a catalog that is not a SQLite file (those ``refuse_foreign_paths``
    reads directly): look at it read-only (attaching read-write would initialise or upgrade it)
    and refuse another program's."""
    try:
        attach(con, lake, read_only=True, attempts=attempts, wait_seconds=wait_seconds)
    except WarehouseNotFound:  # no DuckLake there yet
        refuse_foreign_postgres_schema(con, lake)
        return
    try:
        refuse_foreign_lake(con, lake)
    finally:
        con.execute("use memory")
        con.execute(f"detach {CATALOG}")


def recognise(lake: Lake) -> None:
    """Raise ``NotAWarehouse``, having written nothing to the warehouse's files, when one of them or
    the catalog's content is another program's; a warehouse not made yet passes."""
    refuse_foreign_paths(lake)
    if lake.catalog:
        con = duckdb_with_extensions(lake)
        try:
            recognise_catalog(con, lake, attempts=1, wait_seconds=0)
        finally:
            con.close()


def refuse_foreign_postgres_schema(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    """A PostgreSQL schema that holds no DuckLake yet must hold no tables at all: DuckLake would
    otherwise add its catalog tables beside another program's."""
    if not (lake.catalog or "").startswith("postgres:"):
        return
    schema = lake.metadata_schema or "public"
    con.execute(f"attach '{escaped(lake.catalog.removeprefix('postgres:'))}' as catalog_database (type postgres, read_only)")
    try:
        tables = sorted(row[0] for row in con.execute(
            "select table_name from duckdb_tables() where database_name = 'catalog_database' and schema_name = ?",
            [schema]).fetchall())
    finally:
        con.execute("detach catalog_database")
    if tables:
        raise NotAWarehouse(f"the PostgreSQL schema {schema} of the catalog {lake.catalog} holds another program's tables "
                            f"({', '.join(tables[:3])}) and no Wirehouse warehouse: it was not touched; set catalog_schema "
                            "to a schema of Wirehouse's own")


def missing_views(where: Lake | Path) -> list[str]:
    """The reporting views the warehouse lacks: all of them until a run completes (a run makes them
    at its end)."""
    with open_reader(where) as con:
        present = {row[0] for row in con.execute(
            "select view_name from duckdb_views() where database_name = ?", [CATALOG]).fetchall()}
    return [name for name in (file.removesuffix(".sql") for file, _ in view_files()) if name not in present]


def pending_migrations(where: Lake | Path) -> list[str]:
    """The migrations this code has that the warehouse has not applied yet: a warehouse an older
    Wirehouse made, until a writer (the next run) brings it up to date; readers never migrate."""
    with open_reader(where) as con:
        applied = {row[0] for row in con.execute("select name from schema_migrations").fetchall()}
    return [name for name, _ in migration_files() if name not in applied]


def migration_files() -> list[tuple[str, str]]:
    """(name, sql) of every migration, in the order they apply."""
    folder = resources.files("warehouse") / "migrations"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(name, (folder / name).read_text(encoding="utf-8")) for name in names]


def view_files() -> list[tuple[str, str]]:
    """(name, sql) of every view, each after the views its SQL reads from."""
    folder = resources.files("warehouse") / "views"
    views = {p.name.removesuffix(".sql"): (folder / p.name).read_text(encoding="utf-8")
             for p in folder.iterdir() if p.name.endswith(".sql")}
    return [(f"{name}.sql", views[name]) for name in dependency_order(views)]


def referenced_views(sql: str, names: Iterable[str]) -> set[str]:
    """Which of ``names`` the SQL names outside its ``--`` comments."""
    code = re.sub(r"--[^\n]*", "", sql)
    return {name for name in names if re.search(rf"\b{re.escape(name)}\b", code)}


def dependency_order(views: dict[str, str]) -> list[str]:
    """View names, each after every view its SQL references (ties by name)."""
    reads = {name: referenced_views(sql, views.keys() - {name}) for name, sql in views.items()}
    ordered: list[str] = []
    while len(ordered) < len(reads):
        ready = sorted(name for name, needs in reads.items() if name not in ordered and needs <= set(ordered))
        if not ready:
            raise ValueError(f"views reference each other in a cycle: {sorted(reads.keys() - set(ordered))}")
        ordered += ready
    return ordered


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded in schema_migrations, each in its own transaction
    (one snapshot each); returns their names."""
    con.execute("create table if not exists schema_migrations (name varchar not null, applied_at timestamp not null)")
    done = {row[0] for row in con.execute("select name from schema_migrations").fetchall()}
    applied = []
    for name, sql in migration_files():
        if name in done:
            continue
        con.execute("begin transaction")
        con.execute(sql)
        con.execute("insert into schema_migrations values (?, now())", [name])
        if name >= MARKER_MIGRATION:  # the marker names the schema version in the same transaction
            con.execute(f"update {MARKER_TABLE} set schema_version = ?", [int(name[:3])])
        con.execute("commit")
        applied.append(name)
    return applied


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """Re-create every reporting view in the catalog (they are the reporting API, so always current)."""
    for _, sql in view_files():
        con.execute(sql)


def current_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    """The id of the last committed snapshot of the catalog."""
    return con.execute(f"select * from {CATALOG}.current_snapshot()").fetchone()[0]


def open_connection(where: Lake | Path, *, read_only: bool, attempts: int = 1, wait_seconds: float = 1.0,
                    snapshot: int | None = None, allow_old_format: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the warehouse's catalog attached as the default database."""
    lake = as_lake(where)
    refuse_foreign_paths(lake)
    if not catalog_exists(lake):
        if read_only:
            raise WarehouseNotFound(f"no warehouse at {lake.sqlite_file}: run `wirehouse run` first"
                                    + (" (or `wirehouse migrate` for an old-format warehouse)" if lake.old_format_files else ""))
        check_can_create(lake, allow_old_format)
        create_sqlite_catalog(lake.sqlite_file)
    con = duckdb_with_extensions(lake)
    try:
        if lake.catalog and not read_only:
            recognise_catalog(con, lake, attempts, wait_seconds)
        attach(con, lake, read_only=read_only, attempts=attempts, wait_seconds=wait_seconds, snapshot=snapshot)
        if lake.catalog and read_only:
            refuse_foreign_lake(con, lake)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def open_writer(where: Lake | Path, *, attempts: int = 1, wait_seconds: float = 1.0,
                allow_old_format: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """The migrated read-write connection to the warehouse; stops with ``WarehouseDamaged`` when
    data files the catalog refers to are gone (``allow_old_format``: only `wirehouse migrate`).

    One attempt by default, ``WarehouseBusy`` when the catalog is locked: the flow's tasks retry
    as a whole (flows/retries.py), and waiting here as well would multiply the attempts."""
    lake = as_lake(where)
    con = open_connection(lake, read_only=False, attempts=attempts, wait_seconds=wait_seconds,
                          allow_old_format=allow_old_format)
    try:
        if is_new_catalog(con):
            refuse_orphaned_data(lake)  # a PostgreSQL catalog dropped or emptied, say
        check_data_files(con, lake)
        apply_migrations(con)
        yield con
    finally:
        con.close()


@contextmanager
def open_reader(where: Lake | Path, snapshot: int | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the last committed snapshot (or to ``snapshot``)."""
    con = open_connection(where, read_only=True, attempts=5, wait_seconds=0.5, snapshot=snapshot)
    try:
        yield con
    finally:
        con.close()
