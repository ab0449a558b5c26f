"""Loading steps that need a computation between two warehouse steps, in one transaction.

``warehouse/`` only runs SQL and ``transforms/`` only computes, so the near-duplicate marks of a
batch and the run's entity merge are wired here: read from the warehouse, compute in transforms,
hand the result back, all inside the caller's transaction (a batch lands whole or not at all;
the entity merge is part of the run's closing transaction).
"""

from __future__ import annotations

import duckdb

from transforms.entity_merge import merged_keys
from transforms.neardup import CANDIDATES_PER_BUCKET, candidates, duplicate_marks, signature_tables, signatures
from warehouse import entities, neardup
from warehouse import load as loader


def load_batch(con: duckdb.DuckDBPyConnection, batch: loader.Batch) -> None:
    """Write one batch and its near-duplicate marks in a single transaction (entities are merged
    once per run: settle_entities)."""
    with loader.transaction(con):
        loader.write_batch(con, batch)
        mark_near_duplicates(con)


def mark_near_duplicates(con: duckdb.DuckDBPyConnection) -> int:
    """Sign new articles, mark those that copy an article in the warehouse; returns how many were marked."""
    neardup.forget_removed_articles(con)
    released = neardup.release_orphaned_duplicates(con)
    signed = signatures(neardup.unsigned_articles(con))
    neardup.store_signatures(con, *signature_tables(signed))
    pending = released + [s.article_id for s in signed]
    if not pending:
        return 0
    pairs = neardup.candidate_pairs(con, pending, CANDIDATES_PER_BUCKET)
    rows = neardup.candidate_rows(con, {article_id for pair in pairs for article_id in pair})
    marks = duplicate_marks(candidates(rows, pending), pairs)
    neardup.store_marks(con, marks)
    return len(marks)


def merge_entities(con: duckdb.DuckDBPyConnection) -> None:
    """Bring ``entities``, ``entity_keys`` and the mention and quote links up to date with the
    mentions loaded and deleted since the last merge."""
    entities.apply_merge(con, merged_keys(entities.key_counts(con)))


def settle_entities(con: duckdb.DuckDBPyConnection, loaded: bool = True) -> None:
    """Merge the entities of every batch loaded since the last merge (inside the caller's
    transaction); when this run ``loaded`` nothing, only if an earlier run died before its merge
    (a no-op run stays cheap).

    Runs once per run, in the run's closing transaction, not once per batch: the merge is global
    (one new spelling can change any entity's winner), so per batch it would cost the run's
    whole key set again each time. Between batches the snapshots a batch commits lack the merge
    (their new mentions are unlinked); a run that dies there leaves them so, and the next run's
    merge links them."""
    if loaded or loader.has_unlinked_mentions(con):
        merge_entities(con)
