"""Shared fixtures: a Prefect test harness, temp inboxes made of real seed files, flow runs."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(p.name for p in SEEDS.iterdir())


@pytest.fixture(scope="session", autouse=True)
def prefect_home(tmp_path_factory: pytest.TempPathFactory):
    """Prefect state in a temp dir, telemetry off, for every test session."""
    from flows.prefect_env import configure_prefect

    os.environ.pop("PREFECT_HOME", None)
    return configure_prefect(tmp_path_factory.mktemp("prefect-home"))


@pytest.fixture(scope="session", autouse=True)
def catalog_under_test():
    """With WIREHOUSE_TEST_CATALOG=postgres, every warehouse of the session gets its catalog in a
    throwaway PostgreSQL server (a schema per warehouse path); else the default SQLite file."""
    if os.environ.get("WIREHOUSE_TEST_CATALOG") != "postgres":
        yield "sqlite"
        return
    from tests.postgres_catalog import create_database, postgres_cluster

    with postgres_cluster() as port:
        os.environ["WIREHOUSE_CATALOG"] = create_database(port)
        os.environ["WIREHOUSE_CATALOG_SCHEMA"] = "{db}"
        yield "postgres"


@pytest.fixture(scope="session")
def prefect_api(prefect_home):
    """A real temporary Prefect API for flow runs (Prefect's own test harness)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def settled_copy(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` with an mtime in the past, so discover does not defer it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    past = time.time() - 60
    os.utime(target, (past, past))
    return target


def write_settled(target: Path, content: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    past = time.time() - 30
    os.utime(target, (past, past))
    return target


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A fresh inbox holding the five seed files."""
    folder = tmp_path / "inbox"
    for name in SEED_FILES:
        settled_copy(SEEDS / name, folder / name)
    return folder


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "wirehouse.duckdb"


@pytest.fixture
def run_flow(prefect_api):
    """Run the real ingestion flow: run_flow(inbox, db) -> RunSummary."""
    from flows.ingest import ingest

    def run(inbox: Path, db: Path, **overrides):
        return ingest(inbox, db, {"settle_seconds": 0, **overrides})

    return run


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of ``sql`` on the warehouse's last committed snapshot (its catalog as settings place it)."""
    from flows.settings import load_settings
    from warehouse.store import open_reader

    with open_reader(load_settings(db=db).lake) as con:
        return con.execute(sql, params or []).fetchall()


def scalar(db: Path, sql: str, params: list | None = None):
    return query(db, sql, params)[0][0]


def table_counts(db: Path) -> dict[str, int]:
    tables = ["files", "articles", "sentences", "mentions", "entities", "quotes", "validation_results"]
    return {t: scalar(db, f"select count(*) from {t}") for t in tables}
