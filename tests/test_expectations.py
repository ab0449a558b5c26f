"""Unit tests for the GX suites and the batch validation runner, on real GX with 2-3-row frames."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from expectations import validate
from expectations.validate import (RESULT_COLUMNS, FailedCheck, build_data_docs, files_to_quarantine,
                                   validate_batch)

LABELS = {"PERSON", "GPE", "ORG"}
BODY_A = "Putin met Lavrov in Moscow. “Talks will go on,” Lavrov said."
BODY_B = 'Talks resumed in Geneva. "The gap is narrowing now," a diplomat said.'
QUOTE_A, QUOTE_B = "Talks will go on,", "The gap is narrowing now,"
SHA_A, SHA_B = "0" * 64, "ab" * 32  # the files of articles a1 and a2 in make_batch()


def make_batch() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A clean batch: two articles, their sentences, three mentions and two quotes (one with a
    speaker) that match the bodies."""
    articles = pd.DataFrame({
        "article_id": ["a1", "a2"], "file_sha256": [SHA_A, SHA_B], "ordinal": [0, 1],
        "headline": ["Putin meets Lavrov", "Geneva talks"], "body": [BODY_A, BODY_B],
        "language": ["en", "en"], "word_count": [5, 4], "date_source": [None, "inferred"],
    })
    sentences = pd.DataFrame({
        "article_id": ["a1", "a2"], "sentence_no": [0, 0],
        "start_char": [0, 0], "end_char": [len(BODY_A), len(BODY_B)],
    })
    mentions = pd.DataFrame({
        "article_id": ["a1", "a1", "a2"], "sentence_no": [0, 0, 0],
        "start_char": [0, 10, 17], "end_char": [5, 16, 23],
        "text": ["Putin", "Lavrov", "Geneva"], "label": ["PERSON", "PERSON", "GPE"],
    })
    quote_a, quote_b = BODY_A.index(QUOTE_A), BODY_B.index(QUOTE_B)
    quotes = pd.DataFrame({
        "article_id": ["a1", "a2"], "quote_no": [0, 0],
        "start_char": [quote_a, quote_b], "end_char": [quote_a + len(QUOTE_A), quote_b + len(QUOTE_B)],
        "text": [QUOTE_A, QUOTE_B], "speaker": ["Sergei Lavrov", None],
        "speaker_key": ["PERSON:sergei lavrov", None],
    })
    return articles, sentences, mentions, quotes


def run(tmp_path, articles, sentences, mentions, quotes, run_name="test-run"):
    return validate_batch(articles, sentences, mentions, quotes=quotes, labels=LABELS,
                          gx_dir=tmp_path / "gx", run_name=run_name)


def failed_checks(outcome) -> set[tuple[str, str, str]]:
    """(suite, column, severity) of every failed expectation."""
    failed = outcome.results[~outcome.results["success"]]
    return set(zip(failed["suite"], failed["column"], failed["severity"]))


@pytest.fixture(scope="module")
def clean_outcome(tmp_path_factory):
    return run(tmp_path_factory.mktemp("clean"), *make_batch())


def test_clean_batch_passes_with_no_errors(clean_outcome):
    assert clean_outcome.results["success"].all()
    assert not clean_outcome.failed
    assert clean_outcome.errors.empty
    assert clean_outcome.reason() == ""
    assert clean_outcome.failed_files == {} and not clean_outcome.failed_whole_batch


def test_mention_text_differing_from_body_slice_is_an_error_with_readable_reason(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    mentions.loc[1, "text"] = "Lavrow"

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert failed_checks(outcome) == {("mentions", "text,body_slice", "error")}
    assert outcome.failed
    assert "1 of 3 mentions: text differs from body slice" in outcome.reason()
    assert "'Lavrow'" in outcome.reason() and "\n" not in outcome.reason()


def test_offset_past_body_end_is_an_error(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    sentences.loc[1, "end_char"] = len(BODY_B) + 1

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert failed_checks(outcome) == {("sentences", "body_length,end_char", "error")}
    assert "end_char is past the end of the body" in outcome.reason()


def test_start_char_not_before_end_char_is_an_error(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    mentions.loc[0, ["start_char", "end_char"]] = [5, 5]

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert failed_checks(outcome) == {("mentions", "end_char,start_char", "error")}
    assert outcome.failed


def test_unknown_label_is_an_error(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    mentions.loc[2, "label"] = "PLANET"

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert failed_checks(outcome) == {("mentions", "label", "error")}
    assert "label is not a known label (e.g. 'PLANET')" in outcome.reason()


def test_duplicate_article_id_is_an_error(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    articles.loc[1, "article_id"] = "a1"
    sentences = sentences.iloc[:1]  # a1's sentence; a2 no longer exists
    mentions, quotes = mentions.iloc[:2], quotes.iloc[:1]

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert failed_checks(outcome) == {("articles", "article_id", "error")}
    assert "article_id is duplicated" in outcome.reason()


def test_article_without_sentences_is_an_error(tmp_path):
    articles, sentences, mentions, quotes = make_batch()

    outcome = run(tmp_path, articles, sentences.iloc[:1], mentions, quotes)

    assert failed_checks(outcome) == {("articles", "sentence_count", "error")}
    assert "1 of 2 articles: article has no sentences" in outcome.reason()


def test_article_without_sentences_is_traced_to_its_file_alone(tmp_path):
    articles, sentences, mentions, quotes = make_batch()

    outcome = run(tmp_path, articles, sentences.iloc[:1], mentions, quotes)

    assert outcome.failed_files == {SHA_B: "articles: article has no sentences (e.g. article a2)"}
    assert not outcome.failed_whole_batch


def test_every_failing_row_is_traced_not_only_the_first_twenty(tmp_path):
    """GX's default result lists 20 failing rows; tracing must find every file."""
    shas = [f"{n:064x}" for n in range(30)]
    ids = [f"a{n}" for n in range(30)]
    articles = pd.DataFrame({"article_id": ids, "file_sha256": shas, "headline": "h",
                             "body": BODY_B, "language": "en", "word_count": 4, "date_source": None})
    sentences = pd.DataFrame({"article_id": ids, "sentence_no": 0, "start_char": 0,
                              "end_char": len(BODY_B)})
    mentions = pd.DataFrame({"article_id": ids, "sentence_no": 0, "start_char": 17,
                             "end_char": 23, "text": "Genova", "label": "GPE"})
    no_quotes = make_batch()[3].iloc[:0]

    outcome = run(tmp_path, articles, sentences, mentions, no_quotes)

    assert set(outcome.failed_files) == set(shas)


def test_tracing_failing_rows_leaves_stored_results_at_default_detail(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    mentions.loc[1, "text"] = "Lavrow"

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    stored = next((tmp_path / "gx" / "validations" / "mentions").rglob("*.json")).read_text()
    assert outcome.failed_files
    assert '"unexpected_index_list"' not in stored and '"unexpected_list"' not in stored


def test_sentence_of_an_article_outside_the_batch_fails_the_whole_batch(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    sentences.loc[2] = ["zz", 0, 0, 3]

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert outcome.failed_whole_batch and outcome.failed_files == {}


def test_sentence_of_an_article_outside_the_batch_is_an_error(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    sentences.loc[2] = ["zz", 0, 0, 3]

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert failed_checks(outcome) == {("sentences", "article_in_batch", "error")}


def test_clean_batch_validates_every_quote_and_passes(clean_outcome):
    from expectations.suites import quotes_suite

    quote_results = clean_outcome.results[clean_outcome.results["suite"] == "quotes"]

    assert len(quote_results) == len(quotes_suite().expectations)
    assert quote_results["success"].all()
    assert "0 of 2 quotes: ok" in set(quote_results["details"])


def test_quote_offsets_past_its_body_are_an_error_traced_to_its_file(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    quotes.loc[0, "end_char"] = len(BODY_A) + 1

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert failed_checks(outcome) == {("quotes", "body_length,end_char", "error")}
    assert outcome.failed_files == {
        SHA_A: "quotes: end_char is past the end of the body (e.g. article a1)"}


def test_quote_text_differing_from_body_slice_is_an_error(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    quotes.loc[1, "text"] = "The gap is narrowing,"

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert failed_checks(outcome) == {("quotes", "text,body_slice", "error")}
    assert "1 of 2 quotes: text differs from body slice" in outcome.reason()


def test_quote_of_an_article_outside_the_batch_fails_the_whole_batch(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    quotes.loc[2] = ["zz", 0, 0, 17, QUOTE_A, None, None]

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert failed_checks(outcome) == {("quotes", "article_in_batch", "error")}
    assert outcome.failed_whole_batch and outcome.failed_files == {}


def test_quote_speaker_without_speaker_key_is_only_a_warning(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    quotes.loc[0, "speaker_key"] = None

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert failed_checks(outcome) == {("quotes", "speaker_key", "warn")}
    assert not outcome.failed


def test_missing_headline_is_only_a_warning(tmp_path):
    articles, sentences, mentions, quotes = make_batch()
    articles.loc[0, "headline"] = None

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert failed_checks(outcome) == {("articles", "headline", "warn")}
    assert not outcome.failed
    assert outcome.reason() == ""


def test_results_have_one_row_per_expectation_with_documented_columns(clean_outcome):
    from expectations.suites import all_suites

    results = clean_outcome.results

    assert list(results.columns) == RESULT_COLUMNS
    assert len(results) == sum(len(s.expectations) for s in all_suites(LABELS))
    assert not results.duplicated(["suite", "expectation", "column"]).any()
    assert set(results["severity"]) == {"error", "warn"}
    assert results["success"].dtype == bool and results["unexpected_count"].dtype == "int64"


def test_data_docs_index_exists_once_the_run_is_documented(tmp_path):
    run(tmp_path, *make_batch(), run_name="documented")

    docs = build_data_docs(tmp_path / "gx", "documented", LABELS)

    assert docs is not None and docs.name == "index.html" and docs.is_file()
    assert "documented" in docs.read_text()


def test_data_docs_page_per_batch_of_the_run(tmp_path):
    for _ in range(2):
        run(tmp_path, *make_batch(), run_name="two-batches")

    build_data_docs(tmp_path / "gx", "two-batches", LABELS)

    pages = list((tmp_path / "gx" / "docs" / "validations" / "mentions" / "two-batches").glob("*/*.html"))
    assert len(pages) == 2


def test_data_docs_include_the_quotes_suite(tmp_path):
    run(tmp_path, *make_batch(), run_name="quoted")

    build_data_docs(tmp_path / "gx", "quoted", LABELS)

    assert (tmp_path / "gx" / "docs" / "expectations" / "quotes.html").is_file()
    assert list((tmp_path / "gx" / "docs" / "validations" / "quotes" / "quoted").glob("*/*.html"))


def test_empty_batch_validates_cleanly(tmp_path):
    articles, sentences, mentions, quotes = (frame.iloc[:0] for frame in make_batch())

    outcome = run(tmp_path, articles, sentences, mentions, quotes)

    assert outcome.results["success"].all() and not outcome.failed


def test_repeated_runs_keep_only_recent_results(tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "KEEP_RUNS", 2)
    for n in range(3):
        run(tmp_path, *make_batch(), run_name=f"run-{n}")
        run(tmp_path, *make_batch(), run_name=f"run-{n}")  # a run of two batches counts once
        docs = build_data_docs(tmp_path / "gx", f"run-{n}", LABELS)

    kept = sorted(p.name for p in (tmp_path / "gx" / "validations" / "mentions").iterdir())
    assert kept == ["run-1", "run-2"]
    assert "run-0" not in docs.read_text()


def test_every_expectation_is_marked_error_or_warn():
    from expectations.suites import all_suites, severity_of

    for suite in all_suites(LABELS):
        for expectation in suite.expectations:
            assert severity_of(expectation) in {"error", "warn"}
            assert expectation.meta["problem"]


def test_importing_the_runner_does_not_import_great_expectations():
    code = "import sys, expectations.validate; sys.exit('great_expectations' in sys.modules)"
    repo = Path(__file__).resolve().parents[1]
    assert subprocess.run([sys.executable, "-c", code], cwd=repo).returncode == 0


def test_failing_rows_map_to_their_articles_files_with_an_example_article():
    articles = make_batch()[0]
    check = FailedCheck("mentions", "text differs from body slice", ["a2", "a2"])

    assert files_to_quarantine([check], articles) == {
        SHA_B: "mentions: text differs from body slice (e.g. article a2)"}


def test_a_file_failing_two_checks_gets_one_reason_naming_both():
    articles = make_batch()[0]
    checks = [FailedCheck("articles", "article has no sentences", ["a1"]),
              FailedCheck("mentions", "label is not a known label", ["a1"])]

    assert files_to_quarantine(checks, articles) == {SHA_A: (
        "articles: article has no sentences (e.g. article a1); "
        "mentions: label is not a known label (e.g. article a1)")}


def test_no_failed_checks_quarantine_no_files():
    assert files_to_quarantine([], make_batch()[0]) == {}


def test_a_check_naming_no_rows_cannot_be_traced_to_files():
    checks = [FailedCheck("mentions", "label is not a known label", ["a1"]),
              FailedCheck("articles", "too few rows", None)]

    assert files_to_quarantine(checks, make_batch()[0]) is None


@pytest.mark.parametrize("article_id", [None, "zz"], ids=["missing", "unknown"])
def test_a_row_of_no_known_article_cannot_be_traced_to_files(article_id):
    check = FailedCheck("sentences", "start_char is negative", ["a1", article_id])

    assert files_to_quarantine([check], make_batch()[0]) is None


def test_an_article_without_file_sha256_cannot_be_traced_to_files():
    articles = make_batch()[0]
    articles.loc[0, "file_sha256"] = None

    assert files_to_quarantine([FailedCheck("articles", "file_sha256 is missing", ["a1"])],
                               articles) is None
