"""End to end: real Prefect flow, real spaCy model, real GX suites, a real DuckDB file."""

from __future__ import annotations

import shutil

import pyarrow as pa
import pytest

from tests.conftest import SEEDS, query, scalar, settled_copy, table_counts, write_settled

GENEVA_FILE = "000_d24fb50e498e2310.txt"
MULTI_FILE = "001_0df5ebf0a88efb3e.txt"


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
    import flows.ingest

    monkeypatch.setattr(flows.ingest, "extract_articles", shifted_offsets(flows.ingest.extract_articles))
    summary = run_flow(inbox, db)
    assert scalar(db, "select count(*) from articles") == 0
    assert scalar(db, "select count(*) from mentions") == 0
    reasons = {r[0] for r in query(db, "select reason from files where status = 'quarantined'")}
    assert scalar(db, "select count(*) from files where status = 'quarantined'") == 5
    assert all("body slice" in reason for reason in reasons), reasons
    assert scalar(db, "select count(*) from validation_results where not success and severity = 'error'") >= 1
    assert summary.totals["files_quarantined"] == 5


def test_validation_results_and_data_docs_are_kept(inbox, db, run_flow):
    summary = run_flow(inbox, db)
    suites = {r[0] for r in query(db, "select distinct suite from validation_results")}
    assert {"articles", "sentences", "mentions"} <= suites
    assert summary.docs_path is not None and summary.docs_path.exists()


def test_run_row_records_counts_and_status(inbox, db, run_flow):
    run_flow(inbox, db)
    status, files_new, articles = query(db, "select status, files_new, articles from runs")[0]
    assert (status, files_new, articles) == ("completed", 5, 14)
