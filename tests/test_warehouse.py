"""The warehouse files: migrations, the single-transaction load, publishing, lock conflicts."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import duckdb
import pyarrow as pa
import pytest

from transforms.articles import articles_table
from transforms.extract import MENTION_SCHEMA, SENTENCE_SCHEMA
from warehouse import load as loader
from warehouse.store import WarehouseBusy, migration_files, open_writer

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


def test_load_batch_writes_all_rows(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        loader.load_batch(con, small_batch())
        assert counts(con) == (1, 1, 1, 1)


def test_exception_inside_load_leaves_the_warehouse_as_before(tmp_path, monkeypatch):
    with open_writer(tmp_path / "w.duckdb") as con:
        def explode(con, batch):
            raise RuntimeError("disk on fire")
        monkeypatch.setattr(loader, "insert_validation", explode)
        with pytest.raises(RuntimeError):
            loader.load_batch(con, small_batch())
        assert counts(con) == (0, 0, 0, 0)


def test_same_content_loaded_again_is_not_stored_twice(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        loader.load_batch(con, small_batch("run-1"))
        loader.load_batch(con, small_batch("run-2"))
        assert con.execute("select count(*) from articles").fetchone()[0] == 1
        assert con.execute("select status from files order by version_id").fetchall() == [("superseded",), ("loaded",)]


def test_publish_copies_the_writer_file_for_readers(tmp_path):
    db = tmp_path / "w.duckdb"
    with open_writer(db) as con:
        loader.load_batch(con, small_batch())
    publish(db)
    with duckdb.connect(str(db), read_only=True) as reader:
        assert reader.execute("select count(*) from articles").fetchone()[0] == 1


def test_a_reader_of_the_published_file_does_not_block_the_writer(tmp_path):
    db = tmp_path / "w.duckdb"
    with open_writer(db):
        pass
    publish(db)
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}, read_only=True); print('open', flush=True); time.sleep(30)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with open_writer(db, attempts=1) as con:
            loader.load_batch(con, small_batch())
        publish(db)
    finally:
        holder.kill()


def test_writer_held_by_another_process_fails_naming_the_holder(tmp_path):
    db = tmp_path / "w.duckdb"
    with open_writer(db):
        pass
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(writer_path(db))!r}); print('open', flush=True); time.sleep(30)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseBusy) as failure:
            with open_writer(db, attempts=2, wait_seconds=0.1):
                pass
        assert f"PID {holder.pid}" in str(failure.value)
    finally:
        holder.kill()
