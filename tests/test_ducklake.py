"""The warehouse's files on DuckLake: losing or moving one never makes a run rebuild silently; an
old single-file warehouse converts with one command, losing nothing; export to one DuckDB file;
maintenance compacts and expires without changing what the warehouse holds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import query, table_counts
from tests.test_warehouse import small_batch
from flows.loading import load_batch
from warehouse import load as loader
from warehouse.processes import start_ticks
from warehouse.store import (WarehouseDamaged, WarehouseNotFound, create_sqlite_catalog, migration_files, open_reader,
                             open_writer)

TABLES = ["files", "articles", "sentences", "mentions", "entities", "quotes", "validation_results", "runs"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, prefect_api) -> Path:
    """A warehouse of two runs over the seeds (two files, then all five), never modified by tests."""
    from flows.ingest import ingest
    from tests.conftest import SEED_FILES, SEEDS, settled_copy

    root = tmp_path_factory.mktemp("seeded")
    inbox, db = root / "inbox", root / "data" / "wirehouse.ducklake"
    for names in (SEED_FILES[:2], SEED_FILES[2:]):
        for name in names:
            settled_copy(SEEDS / name, inbox / name)
        ingest(inbox, db, {"settle_seconds": 0})
    return db


def copy_of(db: Path, target: Path) -> Path:
    """The warehouse's catalog and data folder copied under ``target`` (a backup, say)."""
    shutil.copytree(db.parent, target, ignore=shutil.ignore_patterns("duckdb_extensions", "prefect", "gx"))
    return target / db.name


def counts(db: Path) -> dict[str, int]:
    return {table: query(db, f"select count(*) from {table}")[0][0] for table in TABLES}


def test_a_missing_catalog_beside_data_files_stops_the_run_with_a_message(seeded, tmp_path):
    db = copy_of(seeded, tmp_path / "data")
    db.unlink()
    with pytest.raises(WarehouseDamaged, match="catalog .* is missing or empty but .* holds the warehouse's data files"):
        with open_writer(db):
            pass
    assert not db.exists(), "no new catalog was started"


def test_an_empty_catalog_beside_data_files_stops_the_run(seeded, tmp_path):
    db = copy_of(seeded, tmp_path / "data")
    db.unlink()
    create_sqlite_catalog(db)  # as a dropped and re-created PostgreSQL catalog database would be
    with pytest.raises(WarehouseDamaged, match="missing or empty"):
        with open_writer(db):
            pass


def test_a_missing_data_file_stops_the_run_and_names_it(seeded, tmp_path):
    db = copy_of(seeded, tmp_path / "data")
    victim = next((db.parent / "wirehouse.files").rglob("*.parquet"))
    victim.unlink()
    with pytest.raises(WarehouseDamaged, match="data file\\(s\\) of the warehouse are missing"):
        with open_writer(db):
            pass


def test_wirehouse_run_on_a_damaged_warehouse_fails_in_one_line(seeded, tmp_path, prefect_api):
    db = copy_of(seeded, tmp_path / "data")
    next((db.parent / "wirehouse.files").rglob("*.parquet")).unlink()
    (tmp_path / "inbox").mkdir()
    result = CliRunner().invoke(app, ["run", "--inbox", str(tmp_path / "inbox"), "--db", str(db)])
    assert result.exit_code == 1
    assert "data file(s) of the warehouse are missing" in result.output and "Traceback" not in result.output


def test_a_moved_data_folder_stops_the_run(seeded, tmp_path):
    db = copy_of(seeded, tmp_path / "data")
    (db.parent / "wirehouse.files").rename(tmp_path / "elsewhere")
    with pytest.raises(WarehouseDamaged):
        with open_writer(db):
            pass


def test_a_copied_warehouse_continues_from_its_catalog(seeded, tmp_path, run_flow):
    from tests.conftest import SEED_FILES, SEEDS, settled_copy

    db = copy_of(seeded, tmp_path / "data")
    before = counts(seeded)
    inbox = tmp_path / "inbox"
    settled_copy(SEEDS / SEED_FILES[0], inbox / SEED_FILES[0])  # most files are gone from the inbox
    run_flow(inbox, db)
    after = counts(db)
    assert after["runs"] == before["runs"] + 1
    assert {t: n for t, n in after.items() if t != "runs"} == {t: n for t, n in before.items() if t != "runs"}


def test_an_old_format_warehouse_stops_the_run_and_asks_for_migrate(tmp_path):
    old_format_warehouse(tmp_path / "w.writer.duckdb")
    with pytest.raises(WarehouseNotFound, match="wirehouse migrate"):
        with open_writer(tmp_path / "w.ducklake"):
            pass


def old_format_warehouse(path: Path) -> dict[str, int]:
    """A single-file DuckDB warehouse as the old format left it (its migrations 001-012, two runs'
    rows); returns its row counts."""
    with duckdb.connect(str(path)) as con:
        for name, sql in migration_files():
            if name < "013":
                con.execute(sql)
        for run_id in ("run-1", "run-2"):
            con.execute("insert into runs (run_id, started_at, status) values (?, now(), 'completed')", [run_id])
        batch = small_batch("run-1")
        load_batch(con, replace(batch, articles=batch.articles.drop_columns(["date_source"])))  # not in 001-012
        return {table: con.execute(f"select count(*) from {table}").fetchone()[0] for table in TABLES}


def test_migrate_converts_an_old_format_warehouse_losing_nothing(tmp_path):
    expected = old_format_warehouse(tmp_path / "wirehouse.writer.duckdb")
    result = CliRunner().invoke(app, ["migrate", "--db", str(tmp_path / "wirehouse.ducklake")])
    assert result.exit_code == 0, result.output
    assert counts(tmp_path / "wirehouse.ducklake") == expected
    assert sorted(p.name for p in tmp_path.glob("*.duckdb")) == ["wirehouse.writer.pre-ducklake.duckdb"]


def test_migrate_with_nothing_to_migrate_fails_in_one_line(tmp_path):
    result = CliRunner().invoke(app, ["migrate", "--db", str(tmp_path / "wirehouse.ducklake")])
    assert result.exit_code == 1 and "nothing to migrate" in result.output and "Traceback" not in result.output


def test_export_writes_one_duckdb_file_with_the_tables_and_views(seeded, tmp_path):
    target = tmp_path / "copy.duckdb"
    result = CliRunner().invoke(app, ["export", str(target), "--db", str(seeded)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(target), read_only=True) as con:
        exported = {table: con.execute(f"select count(*) from {table}").fetchone()[0] for table in TABLES}
        runs_shown = con.execute("select count(*) from report_recent_runs").fetchone()[0]
    assert exported == counts(seeded) and runs_shown == exported["runs"]



def test_export_removes_the_partial_file_a_killed_export_left_and_leaves_no_partial_of_its_own(seeded, tmp_path):
    target = tmp_path / "out" / "export.duckdb"
    target.parent.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ticks = start_ticks(dead.pid)
    dead.kill()
    dead.wait()
    abandoned = target.with_name(f".export.duckdb.{dead.pid}-{ticks}.partial")
    abandoned.write_bytes(b"half an export")
    result = CliRunner().invoke(app, ["export", str(target), "--db", str(seeded)])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in target.parent.iterdir()) == ["export.duckdb"]

def test_maintenance_compacts_and_expires_without_changing_the_data(seeded, tmp_path, prefect_api):
    from flows.maintain import maintain

    db = copy_of(seeded, tmp_path / "data")
    before, files_before = table_counts(db), data_files(db)
    done = maintain(db, {"retention_days": 0})
    assert table_counts(db) == before
    assert done["snapshots expired"] > 0 and done["files merged"] > 0
    assert data_files(db) < files_before
    with open_reader(db) as con:
        assert con.execute("select count(*) from lake.snapshots()").fetchone()[0] < 5


def data_files(db: Path) -> int:
    return sum(1 for _ in (db.parent / "wirehouse.files").rglob("*.parquet"))


def test_maintenance_is_a_deployment_of_its_own_on_its_interval(tmp_path):
    from datetime import timedelta

    from flows.serve import maintenance_deployment
    from flows.settings import load_settings

    settings = load_settings(db=tmp_path / "wirehouse.ducklake", maintenance_interval_seconds=3600)
    deployment = maintenance_deployment(settings)
    assert (deployment.flow_name, deployment.name) == ("wirehouse-maintain", "wirehouse-maintenance")
    assert deployment.schedules[0].schedule.interval == timedelta(hours=1)
    assert "maintenance" in deployment.tags and deployment.parameters == {"db": str(settings.db.resolve())}
