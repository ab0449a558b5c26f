"""Corpus-level entity merge: per-article entity keys -> one ``entities`` row per entity.

Runs inside the load transaction after the batch's rows are inserted. The key counts of the whole
warehouse are merged by ``transforms.resolve.merge_keys`` (spelling variants, short forms, NER
label slips): the merge stays global, since one new spelling can change which key wins, but it is
linear and cheap. Its result is compared with the merge the last load stored in ``entity_keys``;
only the entities whose keys moved, appeared, vanished, gained or lost mentions are rebuilt and
only the mentions of those keys re-linked, so that work follows what the batch changed, and the
outcome equals a rebuild from every mention. Ids are derived from the merged key, so an entity
keeps its id across runs as long as its key wins the merge. The SQL is in ``warehouse/statements/``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import duckdb
import pyarrow as pa

from transforms.resolve import KeyCount, entity_id, merge_keys


@cache
def statement(name: str) -> str:
    """The SQL of ``warehouse/statements/<name>.sql``."""
    return (resources.files("warehouse") / "statements" / f"{name}.sql").read_text(encoding="utf-8")


def key_counts(con: duckdb.DuckDBPyConnection) -> list[KeyCount]:
    """Every entity key in the warehouse with its number of mentions (also left in the temp table
    ``key_counts`` for the statements that follow)."""
    con.execute(statement("key_counts"))
    rows = con.table("key_counts").fetchall()
    return [KeyCount(key, key.split(":", 1)[0], n) for key, n, _ in rows]


def key_frame(merged: dict[str, str]) -> pa.Table:
    """entity_key -> target_key and the target's entity_id (typed, so an empty batch binds too)."""
    return pa.table({"entity_key": pa.array(list(merged), pa.string()),
                     "target_key": pa.array(list(merged.values()), pa.string()),
                     "entity_id": pa.array([entity_id(k) for k in merged.values()], pa.string())})


def merge_entities(con: duckdb.DuckDBPyConnection) -> None:
    """Bring ``entities``, ``entity_keys`` and the mention and quote links up to date with the
    batch's new and deleted mentions."""
    con.register("merged_keys", key_frame(merge_keys(key_counts(con))))
    con.execute(statement("entity_changes"))
    con.unregister("merged_keys")
    con.execute(statement("rebuild_entities"))
    con.execute(statement("link_entities"))
