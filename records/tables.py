"""One declaration of the columns of each table a batch writes: name, Arrow type, nullability.

The migrations stay the SQL truth (tests/test_records.py checks that every declared table matches
its migrated table column for column). From this declaration come the Arrow schemas the batch
tables are built with (transforms/), the columns validation checks (expectations/validate.py) and
the file columns the load inserts (warehouse/load.py). A column is filled by the batch itself
(``batch``), by the load statement (``load``: run ids, load order) or later by the warehouse
(``warehouse``: merges, near-duplicate marks, defaults).

Arrow fields stay nullable whatever the column declares: a row that breaks a not-null rule must
reach validation, which quarantines its file with a reason, rather than stop the run.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

TEXT, INT, BIGINT, FLOAT = pa.string(), pa.int32(), pa.int64(), pa.float64()
TEXTS, TIME, FLAG = pa.list_(pa.string()), pa.timestamp("us"), pa.bool_()


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    nullable: bool = True
    filled_by: str = "batch"    # batch | load | warehouse
    checked: bool = False       # validation checks it (expectations/suites.py)


def required(name: str, type_: pa.DataType, **options) -> Column:
    return Column(name, type_, nullable=False, **options)


TABLES: dict[str, tuple[Column, ...]] = {
    "files": (
        required("path", TEXT), required("sha256", TEXT), required("size_bytes", BIGINT),
        required("modified_at", TIME), required("status", TEXT), Column("reason", TEXT), Column("encoding", TEXT),
        required("article_count", INT),
        required("version_id", BIGINT, filled_by="load"), required("discovered_at", TIME, filled_by="load"),
        required("run_id", TEXT, filled_by="load"),
        required("is_current", FLAG, filled_by="warehouse"), Column("removed_at", TIME, filled_by="warehouse"),
    ),
    "articles": (
        required("article_id", TEXT, checked=True), required("file_sha256", TEXT, checked=True),
        required("ordinal", INT), Column("headline", TEXT, checked=True), Column("dek", TEXT),
        Column("byline", TEXT), Column("authors", TEXTS), Column("dateline", TEXT), Column("agency", TEXT),
        Column("published_at", TIME), Column("date_source", TEXT, checked=True),
        required("body", TEXT, checked=True), Column("captions", TEXTS), Column("credits", TEXT),
        Column("boilerplate", TEXTS), Column("subheadings", TEXTS), Column("language", TEXT, checked=True),
        required("word_count", INT, checked=True),
        Column("duplicate_of", TEXT, filled_by="warehouse"), Column("similarity", FLOAT, filled_by="warehouse"),
        required("run_id", TEXT, filled_by="load"),
    ),
    "sentences": (
        required("article_id", TEXT, checked=True), required("sentence_no", INT, checked=True),
        required("start_char", INT, checked=True), required("end_char", INT, checked=True),
    ),
    "mentions": (
        required("article_id", TEXT, checked=True), Column("sentence_no", INT, checked=True),
        required("start_char", INT, checked=True), required("end_char", INT, checked=True),
        required("text", TEXT, checked=True), required("label", TEXT, checked=True),
        Column("canonical", TEXT), Column("entity_key", TEXT), Column("place_status", TEXT),
        Column("country_code", TEXT), Column("latitude", FLOAT), Column("longitude", FLOAT),
        Column("entity_id", TEXT, filled_by="warehouse"),
    ),
    "quotes": (
        required("article_id", TEXT, checked=True), required("quote_no", INT, checked=True),
        required("start_char", INT, checked=True), required("end_char", INT, checked=True),
        required("text", TEXT, checked=True), Column("speaker", TEXT, checked=True),
        Column("speaker_key", TEXT, checked=True),
        Column("speaker_entity_id", TEXT, filled_by="warehouse"),
    ),
    "validation_results": (
        required("suite", TEXT), required("expectation", TEXT), Column("column", TEXT),
        required("severity", TEXT), required("success", FLAG), required("unexpected_count", BIGINT),
        Column("details", TEXT),
        required("run_id", TEXT, filled_by="load"),
    ),
}


def batch_columns(table: str) -> list[str]:
    """Names of the columns of ``table`` a batch carries, in declaration order."""
    return [c.name for c in TABLES[table] if c.filled_by == "batch"]


def checked_columns(table: str) -> list[str]:
    """Names of the columns of ``table`` validation checks."""
    return [c.name for c in TABLES[table] if c.checked]


def batch_schema(table: str) -> pa.Schema:
    """The Arrow schema of ``table``'s rows in a batch (every field nullable: see the module doc)."""
    return pa.schema([(c.name, c.type) for c in TABLES[table] if c.filled_by == "batch"])
