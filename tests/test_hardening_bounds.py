"""Bounded work per input (issue 16): near-duplicate candidates bounded per LSH bucket, a cap on
articles per file, long texts cut into pieces before spaCy, and the memory of a one-word file."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest

from bench.corpus import CORPUS, corpus_stories, story_text
from tests.conftest import SEED_FILES, SEEDS, query, scalar, settled_copy, write_settled
from tests.reliability import peak_rss_mb_of_run
from tests.test_neardup import load_text
from transforms.extract import MAX_DOC_WORDS, WORD, pieces
from transforms.neardup import CANDIDATES_PER_BUCKET
from transforms.parse import TooManyArticles, parse
from warehouse import neardup
from warehouse.store import open_writer

COPY = "LONDON (Reuters) - Shares rose.\n\n"
CAP = 30
OVER_CAP_FILE = "copies.txt"
ONE_WORD_FILE = "one-word.txt"
ONE_WORD_WORDS = 2 * MAX_DOC_WORDS + 2_000

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason=f"news corpus not found at {CORPUS}")


# --- near-duplicates: a cluster of n copies costs O(n) -----------------------------------


def test_a_cluster_of_copies_gives_candidate_pairs_linear_in_its_size(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        ids = load_text(con, "copies.txt", COPY * 120)
        pairs = neardup.candidate_pairs(con, ids, CANDIDATES_PER_BUCKET)
    assert len(pairs) <= 120 * CANDIDATES_PER_BUCKET  # all against all: 120 x 119 = 14,280


def near_copies(story: dict, copies: int) -> str:
    """``copies`` versions of a story: with and without its headline, some with a line added."""
    versions = []
    for number in range(copies):
        text = story_text(story) if number % 3 else story["body"]
        versions.append(text + (f"\nCopy {number} sent again by the desk.\n" if number % 2 else ""))
    return "\f\n".join(versions)


def marks_after_loading(db: Path, files: dict[str, str]) -> list[tuple]:
    with open_writer(db) as con:
        for path, text in files.items():
            load_text(con, path, text)
        return con.execute("select article_id, duplicate_of, round(similarity, 6) from articles "
                           "where duplicate_of is not null order by all").fetchall()


@needs_corpus
def test_bounded_candidates_mark_real_news_as_comparing_every_pair_does(tmp_path, monkeypatch):
    news = [story for story in islice(corpus_stories(), 1_200) if story.get("body")]
    files = {f"news-{start}.txt": "\f\n".join(story_text(s) for s in news[start:start + 200])
             for start in range(0, len(news), 200)}
    files |= {f"resent-{n}.txt": near_copies(story, 3 * CANDIDATES_PER_BUCKET) for n, story in enumerate(news[:3])}
    bounded = marks_after_loading(tmp_path / "bounded.duckdb", files)
    monkeypatch.setattr("flows.loading.CANDIDATES_PER_BUCKET", 10**9)
    assert bounded == marks_after_loading(tmp_path / "every-pair.duckdb", files)
    assert len(bounded) > 3 * 3 * CANDIDATES_PER_BUCKET - 3


# --- articles per file and text per spaCy document ----------------------------------------


def test_parse_refuses_a_text_with_more_articles_than_the_cap():
    with pytest.raises(TooManyArticles, match=rf"^too many articles: {CAP + 1}, the limit is {CAP} per file "):
        parse(COPY * (CAP + 1), max_articles=CAP)


def test_parse_keeps_every_article_of_a_text_at_the_cap():
    assert len(parse(COPY * CAP, max_articles=CAP)) == CAP


def test_a_text_over_the_word_cap_reaches_spacy_in_pieces_within_the_cap():
    body = " ".join(["word"] * (2 * MAX_DOC_WORDS + 1))
    assert [words for _, _, words in pieces(body)] == [MAX_DOC_WORDS, MAX_DOC_WORDS, 1]


def test_a_long_text_is_cut_at_its_last_paragraph_break_within_the_cap():
    first, second = " ".join(["alpha"] * (MAX_DOC_WORDS - 10)), " ".join(["beta"] * 20)
    body = f"{first}\n\n{second}"
    assert [(offset, text) for offset, text, _ in pieces(body)] == [(0, first), (len(first) + 2, second)]


def test_a_long_paragraph_is_cut_after_its_last_sentence_within_the_cap():
    first, second = "Talks resumed. " * (MAX_DOC_WORDS // 2 - 1), " ".join(["more"] * 10)
    body = first + second
    assert [text for _, text, _ in pieces(body)] == [first.rstrip(), second]


def test_a_news_article_reaches_spacy_whole():
    body = (SEEDS / SEED_FILES[0]).read_text(encoding="utf-8")
    assert pieces(body) == [(0, body, len(body.split()))]


def test_a_text_just_short_enough_to_skip_locating_words_holds_the_cap_at_most():
    body = "a " * (MAX_DOC_WORDS - 1) + "a"  # the most words 2 * MAX_DOC_WORDS - 1 characters hold
    assert pieces(body) == [(0, body, MAX_DOC_WORDS)]


def test_words_are_counted_alike_with_and_without_locating_them():
    spaces = "".join(chr(c) for c in range(0x3001) if chr(c).isspace() or chr(c) in "\u200b\ufeff")
    body = "x".join(spaces) + "x"
    assert pieces(body)[0][2] == len(WORD.findall(body))


# --- the real flow ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bounded_run(tmp_path_factory, prefect_api):
    """One real flow run, articles per file capped at CAP, over the seeds, a file of CAP + 10
    copies and a file of one word repeated ONE_WORD_WORDS times: the warehouse."""
    from flows.ingest import ingest

    root = tmp_path_factory.mktemp("bounded")
    inbox = root / "inbox"
    for name in SEED_FILES:
        settled_copy(SEEDS / name, inbox / name)
    write_settled(inbox / OVER_CAP_FILE, (COPY * (CAP + 10)).encode())
    write_settled(inbox / ONE_WORD_FILE, " ".join(["word"] * ONE_WORD_WORDS).encode())
    db = root / "data" / "wirehouse.duckdb"
    ingest(inbox, db, {"settle_seconds": 0, "max_articles_per_file": CAP})
    return db


def test_a_file_over_the_article_cap_is_rejected_with_its_count(bounded_run):
    assert query(bounded_run, "select status, reason from report_file_problems where path = ?", [OVER_CAP_FILE]) == [
        ("rejected", f"too many articles: {CAP + 10}, the limit is {CAP} per file "
                     "(split it into smaller files, or raise max_articles_per_file)")]


def test_files_within_the_cap_load_beside_one_over_it(bounded_run):
    assert scalar(bounded_run, "select count(*) from articles a join files f on f.sha256 = a.file_sha256 "
                               "where f.path <> ?", [ONE_WORD_FILE]) == 14


def test_no_sentence_of_a_one_word_file_is_longer_than_the_cap(bounded_run):
    longest = scalar(bounded_run, """
        select max(len(string_split(trim(substr(a.body, s.start_char + 1, s.end_char - s.start_char)), ' ')))
        from sentences s join articles a using (article_id) join files f on f.sha256 = a.file_sha256
        where f.path = ?""", [ONE_WORD_FILE])
    assert longest <= MAX_DOC_WORDS


def test_the_sentences_of_a_cut_text_cover_it_in_order(bounded_run):
    spans = query(bounded_run, """
        select s.start_char, s.end_char from sentences s join articles a using (article_id)
        join files f on f.sha256 = a.file_sha256 where f.path = ? order by s.sentence_no""", [ONE_WORD_FILE])
    assert spans[0][0] == 0 and spans[-1][1] == len(" ".join(["word"] * ONE_WORD_WORDS))
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))


def test_a_file_whose_text_was_cut_is_listed_with_the_reason(bounded_run):
    assert query(bounded_run, "select status, reason from report_file_problems where path = ?", [ONE_WORD_FILE]) == [
        ("loaded", f"text cut for extraction: 1 article(s) over {MAX_DOC_WORDS:,} words (article 0: "
                   f"{ONE_WORD_WORDS:,}) read by spaCy in pieces of at most {MAX_DOC_WORDS:,} words, "
                   "so no sentence is longer")]


def test_a_one_word_file_loads_with_bounded_memory(tmp_path):
    """One file of 60,000 words (12 times the words one spaCy document may hold)."""
    inbox = tmp_path / "inbox"
    write_settled(inbox / ONE_WORD_FILE, " ".join(["word"] * 60_000).encode())
    peak_mb = peak_rss_mb_of_run(inbox, tmp_path / "data" / "wirehouse.duckdb", tmp_path)
    assert peak_mb < 1024, f"peak RSS {peak_mb:.0f} MB"
