"""Near-duplicates: signatures (transforms.neardup), marking across the warehouse (warehouse.neardup),
and the seeds end to end."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest

from flows.loading import load_batch
from tests.conftest import query, settled_copy, SEEDS
from transforms.articles import articles_table, file_articles
from transforms.neardup import Candidate, candidates, normalised_words, shingles, signature, similarity
from warehouse import load as loader
from warehouse import neardup
from warehouse.store import open_writer

STORY = (
    "GENEVA (Reuters) - U.N. Special Envoy Staffan de Mistura urged Russia on Wednesday to convince "
    "its ally the Syrian government of the need to clinch a peace deal. “Convince the government that "
    "there is no time to lose,” he said. Russia’s Hmeymim air base in Syria was visited by Putin."
)
STRIPPED = STORY.replace("’", " ").replace("“", "").replace("”", "").replace(",", "").replace(".", " .")
OTHER = (
    "MOSCOW (Reuters) - The Kremlin on Thursday described a report published by Democratic U.S. lawmakers "
    "accusing Russia of election meddling as damaging for bilateral relations and for Moscow."
)
GENEVA_FILE = "000_d24fb50e498e2310.txt"
MULTI_FILE = "001_0df5ebf0a88efb3e.txt"


# --- signatures ---------------------------------------------------------------------------


def test_apostrophes_and_punctuation_read_as_spaces():
    assert normalised_words("Russia’s “air base”, Ja'afari") == normalised_words("Russia s air base Ja afari")


def test_shingles_are_five_word_windows():
    assert shingles("one two three four five six") == {"one two three four five", "two three four five six"}


def test_a_body_shorter_than_a_shingle_is_one_shingle():
    assert shingles("Talks resume.") == {"talks resume"}


def test_a_body_without_words_has_no_signature():
    assert signature("a-0000", " … ") is None


def test_copy_with_stripped_punctuation_has_the_same_signature():
    assert similarity(signature("a", STORY).minhash, signature("b", STRIPPED).minhash) == 1.0


def test_unrelated_stories_are_dissimilar():
    assert similarity(signature("a", STORY).minhash, signature("b", OTHER).minhash) < 0.2


def test_equal_signatures_share_every_band_key():
    assert signature("a", STORY).band_keys == signature("b", STRIPPED).band_keys


# --- marking in the warehouse -------------------------------------------------------------


def load_text(con, path: str, text: str) -> list[str]:
    """Load one file's text through the real loader; returns its article ids."""
    raw = text.encode("utf-8")
    sha = hashlib.sha256(raw).hexdigest()
    parsed = file_articles(raw, sha)
    files = [loader.FileVersion(path, sha, len(raw), datetime(2024, 1, 1), "loaded", None, "utf-8",
                                len(parsed.articles))]
    load_batch(con, loader.Batch("run", files, articles_table(parsed.articles), {}))
    return [a["article_id"] for a in parsed.articles]


def marks(con) -> dict[str, tuple]:
    """Return article_id -> (duplicate_of, similarity) of every article."""
    rows = con.execute("select article_id, duplicate_of, similarity from articles").fetchall()
    return {row[0]: row[1:] for row in rows}


def test_copy_loaded_in_a_later_batch_points_to_the_stored_article(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        (original,) = load_text(con, "a.txt", "Envoy urges Russia to act\n\n" + STORY)
        load_text(con, "b.txt", OTHER)
        (copy,) = load_text(con, "c.txt", STRIPPED)
        assert marks(con)[copy] == (original, 1.0)
        assert marks(con)[original] == (None, None)


def test_unrelated_article_is_not_marked(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        load_text(con, "a.txt", STORY)
        (other,) = load_text(con, "b.txt", OTHER)
        assert marks(con)[other] == (None, None)


def test_within_a_batch_the_article_with_a_headline_is_the_original(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        copy, original = load_text(con, "a.txt", STRIPPED + "\f\nEnvoy urges Russia to act\n\n" + STORY)
        assert marks(con)[copy] == (original, 1.0)


def test_copy_is_released_when_its_original_is_removed(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        load_text(con, "a.txt", STORY)
        (copy,) = load_text(con, "b.txt", STRIPPED)
        load_text(con, "a.txt", OTHER)  # a.txt changed: its old article is deleted
        assert marks(con)[copy] == (None, None)
        assert con.execute("select count(*) from article_signatures").fetchone()[0] == 2


# Articles that tie in pairs on every rank key but the id: two with a headline and 11 words (both
# made pending), two without a headline and 17 words; and one longer with a headline.
RANKED_TEXTS = {
    "a.txt": "Shares rise in London\n\nLONDON (Reuters) - Shares rose on Monday as banks gained ground.",
    "b.txt": "Bonds fall in Paris\n\nPARIS (Reuters) - Bonds fell on Monday as yields climbed higher.",
    "c.txt": "TOKYO (Reuters) - The yen weakened on Tuesday after the central bank kept its policy unchanged today.",
    "d.txt": "BERLIN (Reuters) - The euro firmed on Tuesday after the central bank kept its policy unchanged today.",
    "e.txt": "Oil climbs\n\nNEW YORK (Reuters) - Oil prices climbed on Wednesday as supplies tightened after "
             "a pipeline outage cut the flow of crude to the coast.",
    "f.txt": "Gold slips in Zurich\n\nZURICH (Reuters) - Gold slipped on Monday as the dollar gained ground.",
}


def test_the_candidate_query_ranks_a_bucket_as_candidate_rank_does_ties_included(tmp_path):
    """The SQL picks each bucket's best-ranked members; ``Candidate.rank`` then picks the original
    among them. Both orders must be one: every article is put in one bucket, two stored articles
    are made pending, and for every bound the members the query picks are the first by rank."""
    with open_writer(tmp_path / "w.duckdb") as con:
        ids = [load_text(con, path, text)[0] for path, text in RANKED_TEXTS.items()]
        con.execute("update article_signature_bands set band_key = 42")
        pending = [ids[1], ids[5]]
        ranked = sorted(candidates(neardup.candidate_rows(con, set(ids)), pending).values(), key=Candidate.rank)
        assert len({c.rank()[:-1] for c in ranked}) < len(ranked)  # ties on all but the id
        for per_bucket in range(1, len(ids) + 1):
            pairs = neardup.candidate_pairs(con, pending, per_bucket)
            for mine in pending:
                picked = {other for article, other in pairs if article == mine}
                best = {c.article_id for c in ranked[:per_bucket]} - {mine}
                assert picked == best, (mine, per_bucket)


# --- seeds, end to end --------------------------------------------------------------------


def test_headless_stripped_geneva_copy_is_marked_as_duplicate_of_the_001_article(tmp_path, db, run_flow):
    inbox = tmp_path / "inbox"
    for name in (GENEVA_FILE, MULTI_FILE):
        settled_copy(SEEDS / name, inbox / name)
    run_flow(inbox, db)
    (copy_of, score), = query(db, """
        select a.duplicate_of, a.similarity from articles a join files f on f.sha256 = a.file_sha256
        where f.path = ?""", [GENEVA_FILE])
    headline = query(db, "select headline from articles where article_id = ?", [copy_of])[0][0]
    assert headline == "Putin must nudge Syria into U.N. peace deal, mediator says"
    assert score == pytest.approx(1.0)
    assert query(db, "select original_id, articles, duplicate_ids from report_duplicate_clusters") == [
        (copy_of, 2, [query(db, "select article_id from articles where duplicate_of is not null")[0][0]])
    ]
