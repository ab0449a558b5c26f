"""End to end: real Prefect flow, real spaCy model, real GX suites, a real DuckDB file."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from datetime import datetime

import pandas as pd
import pyarrow as pa
import pytest

from tests.conftest import SEEDS, query, scalar, settled_copy, table_counts, write_settled

GENEVA_FILE = "000_d24fb50e498e2310.txt"
MULTI_FILE = "001_0df5ebf0a88efb3e.txt"
# data/bench/inbox-10000/reuters-10828.txt: one article, a headline and no body, so no sentences.
HEADLINE_ONLY = b"BRAZIL BANK STRIKE CONTINUES, STOCK MARKET CLOSED\n"


def test_seeds_load_as_fourteen_articles(inbox, db, run_flow):
    summary = run_flow(inbox, db)
    assert scalar(db, "select count(*) from articles") == 14
    assert summary.totals["files_new"] == 5
    assert scalar(db, "select count(*) from files where status = 'loaded'") == 5


def test_every_mention_text_equals_its_body_slice(inbox, db, run_flow):
    run_flow(inbox, db)
    assert scalar(db, "select count(*) from mentions") > 100
    assert scalar(db, """
        select count(*) from mentions m join articles a using (article_id)
        where substr(a.body, m.start_char + 1, m.end_char - m.start_char) <> m.text
           or m.start_char >= m.end_char or m.end_char > length(a.body)""") == 0


def test_every_sentence_lies_inside_its_body(inbox, db, run_flow):
    run_flow(inbox, db)
    assert scalar(db, """
        select count(*) from sentences s join articles a using (article_id)
        where s.start_char < 0 or s.start_char >= s.end_char or s.end_char > length(a.body)""") == 0
    assert scalar(db, "select count(*) from articles where article_id not in (select article_id from sentences)") == 0


def test_rerun_adds_no_rows_except_its_run(inbox, db, run_flow):
    run_flow(inbox, db)
    before = table_counts(db)
    again = run_flow(inbox, db)
    assert table_counts(db) == before
    assert scalar(db, "select count(*) from runs where status = 'completed'") == 2
    assert again.nothing_new and "nothing new" in again.headline()


def test_rerun_does_not_hash_unchanged_files(inbox, db, run_flow, monkeypatch):
    import warehouse.discover as discover

    run_flow(inbox, db)
    hashed = []
    monkeypatch.setattr(discover, "sha256_of", lambda path: hashed.append(path) or "x" * 64)
    run_flow(inbox, db)
    assert hashed == []


def test_changed_file_replaces_its_old_articles(inbox, db, run_flow):
    run_flow(inbox, db)
    old_ids = {r[0] for r in query(db, "select article_id from articles a join files f on f.sha256 = a.file_sha256 "
                                       "where f.path = ?", [GENEVA_FILE])}
    changed = (SEEDS / GENEVA_FILE).read_text() + "\nThe talks resume in Geneva next week, officials said.\n"
    write_settled(inbox / GENEVA_FILE, changed.encode())
    summary = run_flow(inbox, db)
    assert summary.totals["files_changed"] == 1
    assert scalar(db, "select count(*) from articles where list_contains(?, article_id)", [sorted(old_ids)]) == 0
    assert scalar(db, "select count(*) from articles") == 14
    assert query(db, "select status from files where path = ? order by version_id", [GENEVA_FILE]) == [
        ("superseded",), ("loaded",)]
    assert scalar(db, "select count(*) from articles where body like '%resume in Geneva next week%'") == 1


def test_same_content_under_two_paths_is_recorded_once_as_duplicate(inbox, db, run_flow):
    settled_copy(SEEDS / MULTI_FILE, inbox / "copy-of-001.txt")
    run_flow(inbox, db)
    assert scalar(db, "select count(*) from articles") == 14
    status, reason = query(db, "select status, reason from files where path = 'copy-of-001.txt'")[0]
    assert status == "duplicate" and "001_0df5ebf0a88efb3e.txt" in reason


def test_empty_and_binary_files_are_rejected_and_the_rest_loads(inbox, db, run_flow):
    write_settled(inbox / "empty.txt", b"")
    write_settled(inbox / "photo.txt", bytes(range(256)) * 20)
    summary = run_flow(inbox, db)
    rows = dict(query(db, "select path, reason from files where status = 'rejected'"))
    assert set(rows) == {"empty.txt", "photo.txt"}
    assert "empty" in rows["empty.txt"] and "binary" in rows["photo.txt"]
    assert scalar(db, "select count(*) from articles") == 14
    assert summary.totals["files_rejected"] == 2


def shifted_offsets(extract):
    """An extract that moves every mention one character right: a deliberately broken batch."""
    def broken(*args, **kwargs):
        result = extract(*args, **kwargs)
        mentions = result.mentions
        for name in ("start_char", "end_char"):
            index = mentions.schema.get_field_index(name)
            mentions = mentions.set_column(index, name, pa.compute.add(mentions.column(name), 1))
        return type(result)(result.sentences, mentions)
    return broken


def test_failing_expectation_quarantines_the_batch(inbox, db, run_flow, monkeypatch):
    import flows.workers

    monkeypatch.setattr(flows.workers, "extract", shifted_offsets(flows.workers.extract))
    summary = run_flow(inbox, db)
    assert scalar(db, "select count(*) from articles") == 0
    assert scalar(db, "select count(*) from mentions") == 0
    reasons = {r[0] for r in query(db, "select reason from files where status = 'quarantined'")}
    assert scalar(db, "select count(*) from files where status = 'quarantined'") == 5
    assert all("body slice" in reason for reason in reasons), reasons
    assert scalar(db, "select count(*) from validation_results where not success and severity = 'error'") >= 1
    assert summary.totals["files_quarantined"] == 5


def test_a_file_whose_article_has_no_sentences_is_quarantined_alone(inbox, db, run_flow):
    write_settled(inbox / "headline-only.txt", HEADLINE_ONLY)
    article_id = f"{hashlib.sha256(HEADLINE_ONLY).hexdigest()[:16]}-0000"

    summary = run_flow(inbox, db)

    assert query(db, "select path, reason from files where status = 'quarantined'") == [(
        "headline-only.txt",
        f"quarantined by validation: articles: article has no sentences (e.g. article {article_id})")]
    assert scalar(db, "select count(*) from files where status = 'loaded'") == 5
    assert scalar(db, "select count(*) from articles") == 14
    assert summary.totals["files_quarantined"] == 1


def test_a_file_quarantined_alone_leaves_its_failure_in_validation_results(inbox, db, run_flow):
    write_settled(inbox / "headline-only.txt", HEADLINE_ONLY)

    run_flow(inbox, db)

    assert query(db, """select success, unexpected_count from validation_results
                        where suite = 'articles' and "column" = 'sentence_count'""") == [(False, 1)]


def with_stray_sentence(extract):
    """An extract that adds a sentence of an article no file has: a failure of no file."""
    def broken(*args, **kwargs):
        from transforms.extract import SENTENCE_SCHEMA, rows_to_table

        result = extract(*args, **kwargs)
        stray = rows_to_table([("0000000000000000-0099", 0, 0, 1)], SENTENCE_SCHEMA)
        return dataclasses.replace(result, sentences=pa.concat_tables([result.sentences, stray]))
    return broken


def test_a_failure_traced_to_no_file_quarantines_the_whole_batch(inbox, db, run_flow, monkeypatch):
    import flows.workers

    monkeypatch.setattr(flows.workers, "extract", with_stray_sentence(flows.workers.extract))
    run_flow(inbox, db)
    reasons = [r[0] for r in query(db, "select reason from files where status = 'quarantined'")]
    assert len(reasons) == 5
    assert all("article_id not in this batch's articles" in reason for reason in reasons), reasons
    assert scalar(db, "select count(*) from articles") == 0
    assert scalar(db, "select count(*) from sentences") == 0


def extracted_batch(*shas: str):
    """A batch of loaded files with one article each, and one row per article in every
    extraction table."""
    from records.batch import Batch, FileVersion
    from transforms.articles import articles_table
    from transforms.extract import MENTION_SCHEMA, QUOTE_SCHEMA, SENTENCE_SCHEMA, rows_to_table

    files = [FileVersion(f"{sha[:4]}.txt", sha, 12, datetime(2026, 1, 1), "loaded", None, "utf-8", 1) for sha in shas]
    ids = [f"{sha[:16]}-0000" for sha in shas]
    articles = articles_table([{"article_id": i, "file_sha256": sha, "ordinal": 0, "body": "Putin spoke.",
                                "word_count": 2} for i, sha in zip(ids, shas)])
    rows = {"sentences": rows_to_table([(i, 0, 0, 12) for i in ids], SENTENCE_SCHEMA),
            "mentions": rows_to_table([(i, 0, 0, 5, "Putin", "PERSON", *[None] * 6) for i in ids], MENTION_SCHEMA),
            "quotes": rows_to_table([(i, 0, 0, 12, "Putin spoke.", None, None) for i in ids], QUOTE_SCHEMA)}
    return Batch("run", files, articles, rows)


def quarantined(batch, outcome):
    from transforms.quarantine import without_quarantined

    return without_quarantined(batch, outcome.failed_files, outcome.failed_whole_batch, outcome.reason())


def failed_validation(failed_files: dict[str, str]):
    """An outcome with one failed error check, traced to failed_files."""
    from expectations.validate import RESULT_COLUMNS, ValidationOutcome

    results = pd.DataFrame([["mentions", "expect_column_pair_values_to_be_equal", "text,body_slice",
                             "error", False, 1, "1 of 2 mentions: text differs from body slice"]],
                           columns=RESULT_COLUMNS)
    return ValidationOutcome(results, failed_files=failed_files)


def test_a_quarantined_file_keeps_its_articles_and_rows_out_of_the_load_batch():
    good, bad = "a" * 64, "b" * 64
    batch = quarantined(extracted_batch(good, bad), failed_validation({bad: "mentions: broken"}))

    assert [(f.sha256, f.status, f.reason) for f in batch.files] == [
        (good, "loaded", None), (bad, "quarantined", "quarantined by validation: mentions: broken")]
    assert batch.articles.column("file_sha256").to_pylist() == [good]
    assert {name: rows.column("article_id").to_pylist() for name, rows in batch.rows.items()} == {
        name: [f"{good[:16]}-0000"] for name in ("sentences", "mentions", "quotes")}


def test_validation_blaming_content_no_loaded_file_has_quarantines_every_file():
    batch = quarantined(extracted_batch("a" * 64, "b" * 64), failed_validation({"c" * 64: "mentions: broken"}))

    assert [f.status for f in batch.files] == ["quarantined", "quarantined"]
    assert all("text differs from body slice" in f.reason for f in batch.files)
    assert batch.articles.num_rows == 0 and not any(rows.num_rows for rows in batch.rows.values())


def test_validation_results_and_data_docs_are_kept(inbox, db, run_flow):
    summary = run_flow(inbox, db)
    suites = {r[0] for r in query(db, "select distinct suite from validation_results")}
    assert {"articles", "sentences", "mentions"} <= suites
    assert summary.docs_path is not None and summary.docs_path.exists()


def test_run_row_records_counts_and_status(inbox, db, run_flow):
    run_flow(inbox, db)
    status, files_new, articles = query(db, "select status, files_new, articles from runs")[0]
    assert (status, files_new, articles) == ("completed", 5, 14)


def test_run_summary_counts_the_quotes_it_loaded(inbox, db, run_flow):
    summary = run_flow(inbox, db)
    assert summary.totals["quotes"] == scalar(db, "select count(*) from quotes") > 0
    assert scalar(db, "select quotes from runs") == summary.totals["quotes"]
