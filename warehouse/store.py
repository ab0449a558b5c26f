"""The DuckDB files: one private writer file, one published copy that readers open.

DuckDB lets one process hold a file read-write and that excludes readers in other processes.
So the flow writes to ``<name>.writer.duckdb`` and, after each committed batch, publishes a
checkpointed copy to ``<name>.duckdb`` by an atomic rename. Readers (``wirehouse sql``, a user's
DuckDB shell) open the published file; they never block a load and never see a half batch, and
see new data when they next open the file.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<holder>.+?\(PID \d+\))")


class WarehouseBusy(RuntimeError):
    """The writer file is held by another process after all retries."""


def writer_path(db: Path) -> Path:
    """The private read-write file behind the published ``db``."""
    return db.with_name(f"{db.stem}.writer{db.suffix}")


def lock_holder(error: duckdb.Error) -> str:
    """The process DuckDB names as holding a file lock, or the raw message."""
    match = LOCK_HOLDER.search(str(error))
    return match.group("holder").strip() if match else str(error).splitlines()[0]


def is_lock_conflict(error: duckdb.Error) -> bool:
    return "lock" in str(error).lower()


def connect_with_retry(path: Path, *, read_only: bool, attempts: int, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """Open ``path``, retrying with backoff while another process holds its lock."""
    for attempt in range(1, attempts + 1):
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as error:
            if not is_lock_conflict(error):
                raise
            if attempt == attempts:
                raise WarehouseBusy(
                    f"{path} is locked by {lock_holder(error)}; gave up after {attempts} attempts"
                ) from error
            time.sleep(wait_seconds * attempt)
    raise AssertionError("unreachable")


def migration_files() -> list[tuple[str, str]]:
    """(name, sql) of every migration, in the order they apply."""
    folder = resources.files("warehouse") / "migrations"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(name, (folder / name).read_text(encoding="utf-8")) for name in names]


def view_files() -> list[tuple[str, str]]:
    """(name, sql) of every view, base_* before report_*."""
    folder = resources.files("warehouse") / "views"
    names = sorted((p.name for p in folder.iterdir() if p.name.endswith(".sql")),
                   key=lambda n: (not n.startswith("base_"), n))
    return [(name, (folder / name).read_text(encoding="utf-8")) for name in names]


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded in schema_migrations; returns their names."""
    con.execute("create table if not exists schema_migrations (name varchar primary key, applied_at timestamp not null)")
    done = {row[0] for row in con.execute("select name from schema_migrations").fetchall()}
    applied = []
    for name, sql in migration_files():
        if name in done:
            continue
        con.execute("begin transaction")
        con.execute(sql)
        con.execute("insert into schema_migrations values (?, now())", [name])
        con.execute("commit")
        applied.append(name)
    return applied


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """Re-create every reporting view (they are the reporting API, so always current)."""
    for _, sql in view_files():
        con.execute(sql)


@contextmanager
def open_writer(db: Path, *, attempts: int = 5, wait_seconds: float = 1.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """The migrated read-write connection to the writer file."""
    path = writer_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = connect_with_retry(path, read_only=False, attempts=attempts, wait_seconds=wait_seconds)
    try:
        apply_migrations(con)
        yield con
    finally:
        con.close()


@contextmanager
def open_reader(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the published warehouse."""
    if not db.exists():
        raise FileNotFoundError(f"no warehouse at {db}: run `wirehouse run` first")
    con = connect_with_retry(db, read_only=True, attempts=5, wait_seconds=0.5)
    try:
        yield con
    finally:
        con.close()


def publish(db: Path) -> Path:
    """Copy the checkpointed writer file over ``db`` atomically; returns ``db``."""
    source = writer_path(db)
    staging = db.with_name(f".{db.name}.publishing-{os.getpid()}")
    try:
        shutil.copyfile(source, staging)
        os.replace(staging, db)
    finally:
        staging.unlink(missing_ok=True)
    return db
