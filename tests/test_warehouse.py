"""The warehouse on DuckLake: migrations, the single-transaction load, readers beside the writer, extensions, lock conflicts."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from flows.loading import load_batch
from transforms.articles import articles_table
from transforms.extract import MENTION_SCHEMA, SENTENCE_SCHEMA
from warehouse import load as loader
from warehouse.store import (WarehouseBusy, dependency_order, migration_files, open_reader, open_writer,
                             referenced_views, view_files)

SHA = "ab" * 32


def article(ordinal: int = 0, body: str = "Putin met Erdogan in Sochi.") -> dict:
    return {"article_id": f"{SHA[:16]}-{ordinal:04d}", "file_sha256": SHA, "ordinal": ordinal, "headline": "H",
            "body": body, "language": "en", "word_count": len(body.split()), "authors": [], "captions": [],
            "boilerplate": [], "subheadings": []}


def small_batch(run_id: str = "run-1") -> loader.Batch:
    files = [loader.FileVersion("a.txt", SHA, 10, datetime(2024, 1, 1), "loaded", None, "utf-8", 1)]
    sentences = pa.Table.from_pylist([{"article_id": f"{SHA[:16]}-0000", "sentence_no": 0, "start_char": 0,
                                       "end_char": 27}], schema=SENTENCE_SCHEMA)
    mentions = pa.Table.from_pylist([{"article_id": f"{SHA[:16]}-0000", "sentence_no": 0, "start_char": 0,
                                      "end_char": 5, "text": "Putin", "label": "PERSON"}], schema=MENTION_SCHEMA)
    return loader.Batch(run_id, files, articles_table([article()]), {"sentences": sentences, "mentions": mentions})


def counts(con) -> tuple[int, ...]:
    return tuple(con.execute(f"select count(*) from {t}").fetchone()[0]
                 for t in ("files", "articles", "sentences", "mentions"))


def test_migrations_apply_once_and_are_recorded(tmp_path):
    db = tmp_path / "w.duckdb"
    for _ in range(2):
        with open_writer(db) as con:
            names = [r[0] for r in con.execute("select name from schema_migrations order by name").fetchall()]
    assert names == [name for name, _ in migration_files()]


def test_every_view_is_applied_after_the_views_it_reads():
    views = view_files()
    names = [name.removesuffix(".sql") for name, _ in views]
    for position, (name, sql) in enumerate(views):
        assert referenced_views(sql, names) - {names[position]} <= set(names[:position]), name


def test_view_order_follows_references_not_file_names():
    views = {"a_report": "create view a_report as select * from z_base",
             "z_base": "-- read by a_report\ncreate view z_base as select 1"}
    assert dependency_order(views) == ["z_base", "a_report"]


def test_views_referencing_each_other_in_a_cycle_are_refused():
    with pytest.raises(ValueError, match="cycle"):
        dependency_order({"a": "select * from b", "b": "select * from a"})


def test_load_batch_writes_all_rows(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, small_batch())
        assert counts(con) == (1, 1, 1, 1)


def test_exception_inside_load_leaves_the_warehouse_as_before(tmp_path, monkeypatch):
    with open_writer(tmp_path / "w.duckdb") as con:
        def explode(con, batch):
            raise RuntimeError("disk on fire")
        monkeypatch.setattr(loader, "insert_validation", explode)
        with pytest.raises(RuntimeError):
            load_batch(con, small_batch())
        assert counts(con) == (0, 0, 0, 0)


def test_same_content_loaded_again_is_not_stored_twice(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, small_batch("run-1"))
        load_batch(con, small_batch("run-2"))
        assert con.execute("select count(*) from articles").fetchone()[0] == 1
        assert con.execute("select status from files order by version_id").fetchall() == [("superseded",), ("loaded",)]


def test_a_reader_sees_the_last_commit_never_an_open_transaction(tmp_path):
    db = tmp_path / "w.duckdb"
    with open_writer(db) as con:
        load_batch(con, small_batch("run-1"))
        con.execute("begin transaction")
        con.execute("delete from mentions")
        with open_reader(db) as reader:
            assert reader.execute("select count(*) from mentions").fetchone()[0] == 1
        con.execute("commit")
    with open_reader(db) as reader:
        assert reader.execute("select count(*) from mentions").fetchone()[0] == 0


def test_a_reader_querying_in_another_process_does_not_block_the_writers_commits(tmp_path):
    db = tmp_path / "w.duckdb"
    with open_writer(db):
        pass
    reader = subprocess.Popen([sys.executable, "-c", READ_IN_A_LOOP, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "open"
        for run in range(5):
            with open_writer(db, attempts=1) as con:
                load_batch(con, small_batch(f"run-{run}"))
    finally:
        reader.kill()
        reader.wait()
    with open_reader(db) as con:
        assert con.execute("select count(*) from files").fetchone()[0] == 5


READ_IN_A_LOOP = """
import sys
from warehouse.store import open_reader
with open_reader(sys.argv[1]) as con:
    print("open", flush=True)
    while True:
        con.execute("select count(*) from files, articles").fetchall()
"""


def test_extensions_load_from_the_registry_packages_signed_and_never_downloaded(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        loaded = dict(con.execute("select extension_name, install_path from duckdb_extensions() "
                                  "where loaded and install_path like '%.duckdb_extension'").fetchall())
        settings = dict(con.execute("select name, value from duckdb_settings() where name in "
                                    "('autoinstall_known_extensions', 'autoload_known_extensions', "
                                    "'allow_unsigned_extensions')").fetchall())
    assert sorted(loaded) == ["ducklake", "sqlite_scanner"]
    sources = {name: Path(path).resolve() for name, path in loaded.items()}
    assert sources["ducklake"].parent.parent.parent.name == "duckdb_extension_ducklake"
    assert sources["sqlite_scanner"].name == "sqlite.duckdb_extension"
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false",
                        "allow_unsigned_extensions": "false"}


def test_a_commit_refused_because_another_process_locks_the_catalog_is_a_busy_warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    with open_writer(db):
        pass
    holder = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], "
                               "isolation_level=None); c.execute('begin exclusive'); print('open', flush=True); "
                               "time.sleep(60)", str(db.with_suffix(".ducklake"))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseBusy, match="locked"):
            with open_writer(db, attempts=1) as con:
                load_batch(con, small_batch())
    finally:
        holder.kill()
        holder.wait()
    with open_reader(db) as con:
        assert counts(con) == (0, 0, 0, 0)
