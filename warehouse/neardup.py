"""Near-duplicates across the whole warehouse, storage side: signatures, LSH candidates, marks.

Runs inside the load transaction, after the batch's articles are inserted
(``flows.loading.mark_near_duplicates`` wires it). An article without a stored signature is new
(or predates this stage): ``unsigned_articles`` hands out its body and ``store_signatures`` takes
the signature ``transforms.neardup`` computed. New articles and articles whose original has been
removed are then compared with every article sharing an LSH band key: ``candidate_pairs`` and
``candidate_rows`` return what ``transforms.neardup.duplicate_marks`` decides on, and
``store_marks`` writes its decision (`duplicate_of` and the similarity).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa


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
        con.execute("update articles set duplicate_of = null, similarity = null where list_contains(?, article_id)",
                    [released])
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
    con.register("new_signatures", minhashes)
    con.register("new_signature_bands", bands)
    con.execute("insert into article_signatures by name select * from new_signatures")
    con.execute("insert into article_signature_bands by name select * from new_signature_bands")
    con.unregister("new_signatures")
    con.unregister("new_signature_bands")


def candidate_pairs(con: duckdb.DuckDBPyConnection, pending: list[str]) -> list[tuple[str, str]]:
    """Return (pending article, other article) pairs that share at least one LSH band key."""
    return con.execute("""
        select distinct mine.article_id, other.article_id
        from article_signature_bands mine
        join article_signature_bands other using (band, band_key)
        where list_contains(?, mine.article_id) and other.article_id <> mine.article_id
        order by all""", [pending]).fetchall()


def candidate_rows(con: duckdb.DuckDBPyConnection, ids: set[str]) -> list[tuple]:
    """(article_id, minhash, has headline, word_count, duplicate_of) of the articles named and of
    the originals of those already marked as copies."""
    wanted = sorted(ids)
    originals = con.execute(
        "select distinct duplicate_of from articles where list_contains(?, article_id) and duplicate_of is not null",
        [wanted]).fetchall()
    wanted = sorted(ids | {row[0] for row in originals})
    return con.execute("""
        select a.article_id, s.minhash, a.headline is not null, a.word_count, a.duplicate_of
        from articles a join article_signatures s using (article_id)
        where list_contains(?, a.article_id)""", [wanted]).fetchall()


def store_marks(con: duckdb.DuckDBPyConnection, marks: list[tuple[str, str, float]]) -> None:
    """Set duplicate_of and similarity on the marked articles in one statement."""
    if not marks:
        return
    frame = pa.table({
        "article_id": [m[0] for m in marks],
        "original_id": [m[1] for m in marks],
        "score": [m[2] for m in marks],
    })
    con.register("near_duplicate_marks", frame)
    con.execute("""
        update articles set duplicate_of = marks.original_id, similarity = marks.score
        from near_duplicate_marks marks where articles.article_id = marks.article_id""")
    con.unregister("near_duplicate_marks")
