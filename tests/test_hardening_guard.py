"""A warehouse is recognised before it is touched (issue 16): anything that is not a Wirehouse
warehouse at `--db`, at the catalog path or in the data folder stops `run`, `migrate` and the
readers in one line, and stays byte for byte as it was; `status` and `report` say in one line what
is wrong with a warehouse they cannot read."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import ROOT, SEED_FILES, SEEDS, settled_copy
from warehouse.store import (Lake, NotAWarehouse, attach, create_sqlite_catalog, duckdb_with_extensions,
                             open_writer)

runner = CliRunner()


def state(path: Path) -> tuple[str, int]:
    """sha256 and mtime of a file: what "not touched" compares."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(path.relative_to(folder)): state(path) for path in sorted(folder.rglob("*")) if path.is_file()}


def invoke(*args: str):
    return runner.invoke(app, [str(arg) for arg in args])


def assert_one_line_error(result, expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert expected in result.output, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0] == result.output.strip().splitlines()[-1], result.output


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    settled_copy(SEEDS / SEED_FILES[0], folder / SEED_FILES[0])
    return folder


def another_programs_duckdb(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create table articles (id integer, title varchar)")
        con.execute("create table customers (name varchar, email varchar)")
        con.execute("insert into customers values ('Ada', 'ada@example.com')")
    return path


def another_programs_sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as con:
        con.execute("create table users (id integer primary key, name text)")
        con.execute("insert into users (name) values ('Ada')")
    con.close()
    return path


def another_programs_ducklake(db: Path) -> Lake:
    """A DuckLake catalog made by someone else (its own table, no Wirehouse marker) at ``db``."""
    lake = Lake(db)
    create_sqlite_catalog(lake.sqlite_file)
    con = duckdb_with_extensions(lake)
    attach(con, lake, read_only=False, attempts=1, wait_seconds=0)
    con.execute("create table customers (name varchar)")
    con.execute("insert into customers select 'customer ' || range from range(5000)")  # past inlining: a data file
    con.close()
    return lake


# --- a run refuses what is not a warehouse, before it writes anything ---------------------------

def test_run_with_db_naming_a_text_file_stops_in_one_line_and_writes_nothing(tmp_path, inbox):
    notes = tmp_path / "data" / "notes.txt"
    notes.parent.mkdir()
    notes.write_text("shopping: milk, eggs\n")
    before = fingerprint(notes.parent)
    result = invoke("run", "--inbox", inbox, "--db", notes)
    assert_one_line_error(result, f"{notes} is a text file, not a Wirehouse warehouse")
    assert fingerprint(notes.parent) == before
    assert sorted(p.name for p in notes.parent.iterdir()) == ["notes.txt"]


def test_run_with_db_naming_another_programs_duckdb_file_leaves_it_byte_for_byte(tmp_path, inbox):
    (tmp_path / "data").mkdir()
    other = another_programs_duckdb(tmp_path / "data" / "other.duckdb")
    before = fingerprint(other.parent)
    result = invoke("run", "--inbox", inbox, "--db", other)
    assert_one_line_error(result, f"{other} is a DuckDB database file, not a Wirehouse warehouse")
    assert fingerprint(other.parent) == before
    assert sorted(p.name for p in other.parent.iterdir()) == ["other.duckdb"]


def test_migrate_refuses_another_programs_duckdb_file_and_keeps_it(tmp_path):
    (tmp_path / "data").mkdir()
    other = another_programs_duckdb(tmp_path / "data" / "other.duckdb")
    before = fingerprint(other.parent)
    result = invoke("migrate", "--db", other)
    assert_one_line_error(result, "not a Wirehouse warehouse")
    assert fingerprint(other.parent) == before
    with duckdb.connect(str(other), read_only=True) as con:
        assert con.execute("select name from customers").fetchall() == [("Ada",)]


def test_another_programs_duckdb_file_beside_the_catalog_is_not_taken_for_an_old_warehouse(tmp_path):
    (tmp_path / "data").mkdir()
    another_programs_duckdb(tmp_path / "data" / "wirehouse.duckdb")
    assert Lake(tmp_path / "data" / "wirehouse.ducklake").old_format_files == []


def test_run_refuses_another_programs_sqlite_file_at_the_catalog_path(tmp_path, inbox):
    catalog = another_programs_sqlite(tmp_path / "app.ducklake")
    before = fingerprint(tmp_path)
    result = invoke("run", "--inbox", inbox, "--db", catalog)
    assert_one_line_error(result, f"{catalog} is another program's SQLite database (tables users), not a Wirehouse catalog")
    assert fingerprint(tmp_path) == before


def test_a_text_file_at_the_catalog_path_is_refused_before_it_is_opened(tmp_path):
    catalog = tmp_path / "wirehouse.ducklake"
    catalog.write_text("not a database\n")
    with pytest.raises(NotAWarehouse, match="is a text file, not a Wirehouse catalog"):
        with open_writer(catalog):
            pass
    assert catalog.read_text() == "not a database\n"


def catalog_and_data(lake: Lake) -> dict[str, tuple[str, int]]:
    return {**fingerprint(Path(lake.data_folder)), "catalog": state(lake.sqlite_file)}


def test_run_refuses_another_programs_ducklake_catalog_and_leaves_it_as_it_was(tmp_path, inbox):
    lake = another_programs_ducklake(tmp_path / "data" / "shop.ducklake")
    before = catalog_and_data(lake)
    env = {**os.environ, "COLUMNS": "400"}
    env.pop("PREFECT_API_URL", None)  # the real command with its ephemeral API, as an operator runs it
    done = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--inbox", str(inbox), "--db", str(lake.db)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(
        f"error: the catalog {lake.sqlite_file} is another program's DuckLake (tables customers), not a Wirehouse warehouse")
    assert catalog_and_data(lake) == before
    assert not Path(f"{lake.db}.lock").exists(), "refused before the run took its lock"


def test_writer_refuses_another_programs_ducklake_catalog(tmp_path):
    lake = another_programs_ducklake(tmp_path / "shop.ducklake")
    with pytest.raises(NotAWarehouse, match="another program's DuckLake"):
        with open_writer(lake):
            pass
    con = duckdb_with_extensions(lake)
    attach(con, lake, read_only=True, attempts=1, wait_seconds=0)
    assert con.execute("select table_name from duckdb_tables() where database_name = 'lake'").fetchall() == [("customers",)]
    con.close()


def test_a_new_catalog_beside_a_data_folder_of_foreign_files_stops_and_leaves_them(tmp_path):
    data = tmp_path / "wirehouse.files"
    (data / "holiday").mkdir(parents=True)
    (data / "holiday" / "beach.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    before = fingerprint(data)
    with pytest.raises(NotAWarehouse, match="holds files that are not a warehouse's"):
        with open_writer(tmp_path / "wirehouse.ducklake"):
            pass
    assert fingerprint(data) == before
    assert not (tmp_path / "wirehouse.ducklake").exists()


def test_a_file_where_the_run_lock_goes_is_refused(tmp_path, inbox):
    lock = tmp_path / "wirehouse.ducklake.lock"
    lock.write_text("important\n")
    result = invoke("run", "--inbox", inbox, "--db", tmp_path / "wirehouse.ducklake")
    assert_one_line_error(result, "is where the run lock goes, but it is a text file")
    assert lock.read_text() == "important\n"


# --- a warehouse made before the marker keeps working -------------------------------------------

def newest_migration_number() -> int:
    from warehouse.store import migration_files

    return int(migration_files()[-1][0][:3])


def test_a_new_warehouse_carries_the_marker_naming_wirehouse_and_its_schema_version(tmp_path):
    with open_writer(tmp_path / "wirehouse.ducklake") as con:
        assert con.execute("select application, schema_version from wirehouse").fetchall() == [
            ("Wirehouse", newest_migration_number())]


def made_by_an_older_wirehouse(tmp_path: Path, before: str = "016") -> Path:
    """A warehouse an older Wirehouse made (every migration before ``before`` applied) with a completed run."""
    from warehouse.store import migration_files

    lake = Lake(tmp_path / "wirehouse.ducklake")
    create_sqlite_catalog(lake.sqlite_file)
    con = duckdb_with_extensions(lake)
    attach(con, lake, read_only=False, attempts=1, wait_seconds=0)
    con.execute("create table schema_migrations (name varchar not null, applied_at timestamp not null)")
    for name, sql in migration_files():
        if name < before:
            con.execute(sql)
            con.execute("insert into schema_migrations values (?, now())", [name])
    con.execute("insert into runs (run_id, started_at, status) values ('old-run', now(), 'completed')")
    con.close()
    return lake.db


def test_a_warehouse_made_before_the_marker_is_recognised_and_given_it(tmp_path):
    lake = Lake(made_by_an_older_wirehouse(tmp_path, before="015"))
    with open_writer(lake) as con:
        assert con.execute("select application, schema_version from wirehouse").fetchall() == [
            ("Wirehouse", newest_migration_number())]
        assert con.execute("select run_id from runs").fetchall() == [("old-run",)]


# --- status and report say in one line what is wrong --------------------------------------------

def test_status_on_a_blank_duckdb_file_at_the_catalog_path_fails_in_one_line(tmp_path):
    blank = tmp_path / "wirehouse.ducklake"
    duckdb.connect(str(blank)).close()
    assert_one_line_error(invoke("status", "--db", blank), f"{blank} is a DuckDB database file, not a Wirehouse catalog")


def test_status_on_an_empty_file_fails_in_one_line(tmp_path):
    empty = tmp_path / "wirehouse.ducklake"
    empty.touch()
    assert_one_line_error(invoke("status", "--db", empty), f"{empty} is an empty file, not a Wirehouse catalog")


def test_status_on_a_blank_duckdb_file_given_as_db_says_it_is_not_a_warehouse(tmp_path):
    blank = tmp_path / "blank.duckdb"
    duckdb.connect(str(blank)).close()
    assert_one_line_error(invoke("status", "--db", blank), f"{blank} is a DuckDB database file, not a Wirehouse warehouse")


def test_report_on_another_programs_ducklake_fails_in_one_line(tmp_path):
    lake = another_programs_ducklake(tmp_path / "shop.ducklake")
    assert_one_line_error(invoke("report", "--db", lake.db), "another program's DuckLake (tables customers)")


def first_run_failed(tmp_path: Path) -> Path:
    """A warehouse whose only run failed: migrated, a `failed` run row, no reporting views."""
    db = tmp_path / "wirehouse.ducklake"
    with open_writer(db) as con:
        con.execute("insert into runs (run_id, started_at, status, message) "
                    "values ('first', now(), 'failed', 'OSError: No space left on device')")
    return db


def test_status_on_a_warehouse_whose_first_run_failed_says_no_run_has_completed(tmp_path):
    db = first_run_failed(tmp_path)
    assert_one_line_error(invoke("status", "--db", db), f"the warehouse {db} has no completed run yet")


def test_report_on_a_warehouse_whose_first_run_failed_says_no_run_has_completed(tmp_path):
    db = first_run_failed(tmp_path)
    result = invoke("report", "--db", db, "--html", tmp_path / "report.html")
    assert_one_line_error(result, f"the warehouse {db} has no completed run yet")


def test_status_on_a_warehouse_an_older_wirehouse_made_says_one_run_brings_it_up_to_date(tmp_path):
    db = made_by_an_older_wirehouse(tmp_path)
    assert_one_line_error(invoke("status", "--db", db), f"the warehouse {db} was made by an older Wirehouse")


def test_report_on_a_warehouse_an_older_wirehouse_made_says_one_run_brings_it_up_to_date(tmp_path):
    db = made_by_an_older_wirehouse(tmp_path)
    result = invoke("report", "--db", db, "--html", tmp_path / "report.html")
    assert_one_line_error(result, f"the warehouse {db} was made by an older Wirehouse")


def test_sql_naming_what_an_older_wirehouse_lacks_says_one_run_brings_it_up_to_date(tmp_path):
    db = made_by_an_older_wirehouse(tmp_path)  # without migration 016: no skipped_entries
    result = invoke("sql", "select path, reason from skipped_entries", "--db", db)
    assert_one_line_error(result, "skipped_entries does not exist")
    assert f"the warehouse {db} was made by an older Wirehouse (1 migration(s) to apply" in result.output


def test_sql_naming_a_missing_table_of_an_up_to_date_warehouse_blames_only_the_name(tmp_path):
    db = tmp_path / "wirehouse.ducklake"
    with open_writer(db):
        pass
    result = invoke("sql", "select * from no_such_table", "--db", db)
    assert_one_line_error(result, "no_such_table does not exist")
    assert "older Wirehouse" not in result.output


def test_status_on_a_missing_warehouse_fails_in_one_line_from_the_real_command(tmp_path):
    db = tmp_path / "nowhere" / "wirehouse.ducklake"
    done = subprocess.run([sys.executable, "-m", "flows.cli", "status", "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"})
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"error: no warehouse at {db}: run `wirehouse run` first"]
    assert not (tmp_path / "nowhere").exists()


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory, prefect_api) -> Path:
    from flows.ingest import ingest

    folder = tmp_path_factory.mktemp("guard")
    settled_copy(SEEDS / SEED_FILES[0], folder / "inbox" / SEED_FILES[0])
    ingest(folder / "inbox", folder / "data" / "wirehouse.ducklake", {"settle_seconds": 0})
    return folder / "data" / "wirehouse.ducklake"


def test_report_to_an_html_path_under_a_file_fails_in_one_line(loaded_db, tmp_path):
    (tmp_path / "notes.txt").write_text("notes\n")
    target = tmp_path / "notes.txt" / "report.html"
    result = invoke("report", "--db", loaded_db, "--html", target)
    assert_one_line_error(result, f"cannot write the HTML report {target}")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_report_to_a_read_only_folder_fails_in_one_line(loaded_db, tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o555)
    result = invoke("report", "--db", loaded_db, "--html", folder / "report.html")
    assert_one_line_error(result, f"cannot write the HTML report {folder / 'report.html'} (Permission denied")


def test_status_on_a_warehouse_made_by_a_run_passes_recognition(loaded_db):
    result = invoke("status", "--db", loaded_db)
    assert result.exit_code == 0, result.output
    assert "Recent runs" in result.output and "Every current file version is loaded." in result.output


@pytest.mark.skipif(not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")), reason="no PostgreSQL server binaries")
def test_a_postgresql_schema_holding_another_programs_tables_is_refused(tmp_path):
    from tests.postgres_catalog import create_database, postgres_cluster

    with postgres_cluster() as port:
        catalog = create_database(port)
        con = duckdb_with_extensions(Lake(tmp_path / "w.ducklake"))
        con.execute(f"attach '{catalog.removeprefix('postgres:')}' as shop (type postgres)")
        con.execute("create schema shop.sales")
        con.execute("create table shop.sales.customers (name varchar)")
        con.close()
        lake = Lake(tmp_path / "w.ducklake", catalog, None, "sales")
        with pytest.raises(NotAWarehouse, match="schema sales .* holds another program's tables \\(customers\\)"):
            with open_writer(lake):
                pass
        con = duckdb_with_extensions(lake)
        con.execute(f"attach '{catalog.removeprefix('postgres:')}' as shop (type postgres, read_only)")
        assert con.execute("select table_name from duckdb_tables() where database_name = 'shop' "
                           "and schema_name = 'sales'").fetchall() == [("customers",)]
        con.close()
