"""Near-duplicates across the whole warehouse, storage side: signatures, LSH candidates, marks.

Runs inside the load transaction, after the batch's articles are inserted
(``flows.loading.mark_near_duplicates`` wires it). An article without a stored signature is new
(or predates this stage): ``unsigned_articles`` hands out its body and ``store_signatures`` takes
the signature ``transforms.neardup`` computed. New articles and articles whose original has been
removed are then compared with the best-ranked few articles of each LSH band bucket they fall in
(so a cluster of n copies costs O(n) pairs, not O(n²)): ``candidate_pairs`` and
``candidate_rows`` return what ``transforms.neardup.duplicate_marks`` decides on, and
``store_marks`` writes its decision (`duplicate_of` and the similarity).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from warehouse.sql import registered, statement


def forget_removed_articles(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the signatures of articles the load deleted (their file changed or went away)."""
    for table in ("article_signatures", "article_signature_bands"):
        con.execute(f"delete from {table} where article_id not in (select article_id from articles)")


def release_orphaned_duplicates(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Unmark articles whose original was deleted; returns their ids, to be compared again."""
    released = [row[0] for row in con.execute("""
        select article_id from articles
        where duplicate_of is not null and duplicate_of not in (select article_id from articles)""").fetchall()]
    if released:  # DuckLake has no UPDATE ... RETURNING
        con.execute("""
            update articles set duplicate_of = null, similarity = null
            where duplicate_of is not null and duplicate_of not in (select article_id from articles)""")
    return released


def unsigned_articles(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(article_id, body) of the articles that have no signature yet, by id."""
    return con.execute("""
        select article_id, body from articles
        where article_id not in (select article_id from article_signatures)
        order by article_id""").fetchall()


def store_signatures(con: duckdb.DuckDBPyConnection, minhashes: pa.Table, bands: pa.Table) -> None:
    """Bulk-insert signatures (article_id, minhash) and their band keys (article_id, band, band_key)."""
    if not minhashes.num_rows:
        return
    with registered(con, "new_signatures", minhashes), registered(con, "new_signature_bands", bands):
        con.execute("insert into article_signatures by name select * from new_signatures")
        con.execute("insert into article_signature_bands by name select * from new_signature_bands")


def candidate_pairs(con: duckdb.DuckDBPyConnection, pending: list[str], per_bucket: int) -> list[tuple[str, str]]:
    """Return (pending article, other article) pairs that share an LSH band key, the other among
    the ``per_bucket`` best-ranked articles of that band bucket (statements/near_duplicate_candidates.sql)."""
    with registered(con, "pending_articles", pa.table({"article_id": pa.array(pending, pa.string())})):
        return con.execute(statement("near_duplicate_candidates"), {"per_bucket": per_bucket}).fetchall()


def candidate_rows(con: duckdb.DuckDBPyConnection, ids: set[str]) -> list[tuple]:
    """(article_id, minhash, has headline, word_count, duplicate_of) of the articles named and of
    the originals of those already marked as copies."""
    wanted = pa.table({"article_id": pa.array(sorted(ids), pa.string())})
    with registered(con, "wanted_articles", wanted):
        return con.execute("""
            with named as (
                select article_id from wanted_articles
                union
                select a.duplicate_of from articles a join wanted_articles w using (article_id)
                where a.duplicate_of is not null)
            select a.article_id, s.minhash, a.headline is not null, a.word_count, a.duplicate_of
            from articles a join article_signatures s using (article_id) join named using (article_id)""").fetchall()


def store_marks(con: duckdb.DuckDBPyConnection, marks: list[tuple[str, str, float]]) -> None:
    """Set duplicate_of and similarity on the marked articles in one statement."""
    if not marks:
        return
    frame = pa.table({
        "article_id": [m[0] for m in marks],
        "original_id": [m[1] for m in marks],
        "score": [m[2] for m in marks],
    })
    with registered(con, "near_duplicate_marks", frame):
        con.execute("""
            update articles set duplicate_of = marks.original_id, similarity = marks.score
            from near_duplicate_marks marks where articles.article_id = marks.article_id""")
