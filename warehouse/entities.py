"""Corpus-level entity merge, storage side: the key counts it is computed from, and applying it.

Runs once per run, in the run's closing transaction (``flows.loading.settle_entities``). The
merge itself (spelling variants, short forms, NER label slips) is computed by
``transforms.resolve.merge_keys`` over the key counts of the whole warehouse, which
``key_counts`` returns: the merge stays global, since one new spelling can change which key wins,
but it is linear and cheap. ``apply_merge`` is handed the result and compares it with the merge
the last run stored in ``entity_keys``; only the entities whose keys moved, appeared, vanished,
gained or lost mentions are rebuilt and only the mentions of those keys re-linked, so that work
follows what the run changed, and the outcome equals a rebuild from every mention. The SQL is in
``warehouse/statements/``.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from warehouse.sql import registered, statement


def key_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(entity key, mentions) of every entity key in the warehouse (also left in the temp table
    ``key_counts`` for ``apply_merge``, in the same transaction)."""
    con.execute(statement("key_counts"))
    return [(key, n) for key, n, _ in con.table("key_counts").fetchall()]


def apply_merge(con: duckdb.DuckDBPyConnection, merged: pa.Table) -> None:
    """Bring ``entities``, ``entity_keys`` and the mention and quote links up to date with
    ``merged`` (entity_key, target_key, entity_id: the merge of ``key_counts``)."""
    with registered(con, "merged_keys", merged):
        con.execute(statement("entity_changes"))
    con.execute(statement("rebuild_entities"))
    con.execute(statement("link_entities"))
