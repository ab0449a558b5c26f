"""Near-duplicates across the whole warehouse: store signatures, find LSH candidates, mark copies.

Runs inside the load transaction, after the batch's articles are inserted. An article without a
stored signature is new (or predates this stage) and gets one; new articles and articles whose
original has been removed are then compared with every article sharing an LSH band key. Of a
group of matching articles the original is the one already in the warehouse, else the one with
a headline, else the longest, else the smallest id; the others point to it (`duplicate_of`) with
their MinHash similarity to it, so every cluster is one original and its copies.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from transforms.neardup import NEAR_DUPLICATE_MIN_SIMILARITY, Signature, signature, similarity


@dataclass(frozen=True)
class Candidate:
    """What deciding an original needs to know about one article."""

    article_id: str
    minhash: tuple[int, ...]
    is_pending: bool
    has_headline: bool
    word_count: int
    duplicate_of: str | None

    def rank(self) -> tuple:
        """Sort key: the smallest is the best original."""
        return (self.is_pending, not self.has_headline, -self.word_count, self.article_id)


def mark_near_duplicates(con: duckdb.DuckDBPyConnection) -> int:
    """Sign new articles, mark those that copy an article in the warehouse; returns how many were marked."""
    forget_removed_articles(con)
    pending = release_orphaned_duplicates(con) + sign_unsigned_articles(con)
    if not pending:
        return 0
    matches = candidate_pairs(con, pending)
    articles = candidates_by_id(con, pending, {m for pair in matches for m in pair})
    marks = duplicate_marks(articles, matches)
    store_marks(con, marks)
    return len(marks)


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


def sign_unsigned_articles(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Compute and store signatures for articles that have none; returns the ids signed."""
    rows = con.execute("""
        select article_id, body from articles
        where article_id not in (select article_id from article_signatures)
        order by article_id""").fetchall()
    signatures = [s for s in (signature(article_id, body) for article_id, body in rows) if s is not None]
    store_signatures(con, signatures)
    return [s.article_id for s in signatures]


def store_signatures(con: duckdb.DuckDBPyConnection, signatures: list[Signature]) -> None:
    """Bulk-insert signatures and their band keys."""
    if not signatures:
        return
    minhashes = pa.table({
        "article_id": [s.article_id for s in signatures],
        "minhash": pa.array([list(s.minhash) for s in signatures], pa.list_(pa.uint32())),
    })
    bands = pa.table({
        "article_id": [s.article_id for s in signatures for _ in s.band_keys],
        "band": pa.array([band for s in signatures for band in range(len(s.band_keys))], pa.int16()),
        "band_key": pa.array([key for s in signatures for key in s.band_keys], pa.int64()),
    })
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


def candidates_by_id(con: duckdb.DuckDBPyConnection, pending: list[str], ids: set[str]) -> dict[str, Candidate]:
    """Return the candidates named, with the originals of those already marked as copies."""
    wanted = sorted(ids)
    originals = con.execute(
        "select distinct duplicate_of from articles where list_contains(?, article_id) and duplicate_of is not null",
        [wanted]).fetchall()
    wanted = sorted(ids | {row[0] for row in originals})
    rows = con.execute("""
        select a.article_id, s.minhash, a.headline is not null, a.word_count, a.duplicate_of
        from articles a join article_signatures s using (article_id)
        where list_contains(?, a.article_id)""", [wanted]).fetchall()
    pending_ids = set(pending)
    return {
        row[0]: Candidate(row[0], tuple(row[1]), row[0] in pending_ids, row[2], row[3], row[4])
        for row in rows
    }


def duplicate_marks(articles: dict[str, Candidate], pairs: list[tuple[str, str]]) -> list[tuple[str, str, float]]:
    """Return (article_id, original_id, similarity) for each pending article that copies a better original."""
    near: dict[str, list[Candidate]] = {}
    for mine, other in pairs:
        if similarity(articles[mine].minhash, articles[other].minhash) >= NEAR_DUPLICATE_MIN_SIMILARITY:
            near.setdefault(mine, []).append(articles[other])
    marks = []
    for article_id in sorted(near, key=lambda a: articles[a].rank()):
        article = articles[article_id]
        best = min(near[article_id], key=Candidate.rank)
        if best.rank() < article.rank():
            original = original_of(best, articles, {m[0]: m[1] for m in marks})
            marks.append((article_id, original.article_id, similarity(article.minhash, original.minhash)))
    return marks


def original_of(candidate: Candidate, articles: dict[str, Candidate], marked: dict[str, str]) -> Candidate:
    """Return the original a candidate stands for: itself, or the article it is a copy of."""
    original_id = marked.get(candidate.article_id) or candidate.duplicate_of
    return articles[original_id] if original_id else candidate


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
