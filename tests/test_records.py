"""The declaration of the batch tables (records/tables.py) matches the migrated warehouse."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from records.tables import TABLES, batch_schema
from warehouse.store import open_writer


def declared_columns(table: str) -> set[tuple[str, str, bool]]:
    """(name, DuckDB type, nullable) of every declared column, typed by DuckDB from its Arrow type."""
    con = duckdb.connect()
    con.register("declared", pa.schema([(c.name, c.type) for c in TABLES[table]]).empty_table())
    types = {row[0]: row[1] for row in con.execute("describe declared").fetchall()}
    return {(c.name, types[c.name], c.nullable) for c in TABLES[table]}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> dict[str, set[tuple[str, str, bool]]]:
    with open_writer(tmp_path_factory.mktemp("records") / "w.ducklake") as con:
        rows = con.execute("select table_name, column_name, data_type, is_nullable from duckdb_columns() "
                           "where database_name = 'lake'").fetchall()
    columns: dict[str, set] = {}
    for table, name, type_, nullable in rows:
        columns.setdefault(table, set()).add((name, type_, nullable))
    return columns


@pytest.mark.parametrize("table", sorted(TABLES))
def test_declared_columns_match_the_migrated_table(table, migrated):
    assert declared_columns(table) == migrated[table]


def test_a_batch_schema_leaves_out_what_the_load_and_the_warehouse_fill():
    assert "run_id" not in batch_schema("articles").names
    assert "entity_id" not in batch_schema("mentions").names
    assert batch_schema("sentences").names == ["article_id", "sentence_no", "start_char", "end_char"]
