"""Hostile and odd input: every file ends loaded, or rejected with a readable reason, or is
deferred or refused by discover, and never stops the rest of the batch."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import SEED_FILES, SEEDS, query, scalar, settled_copy, write_settled
from tests.reliability import peak_rss_mb_of_run
from warehouse.discover import discover
from warehouse.store import open_writer

HOSTILE = Path(__file__).with_name("fixtures") / "hostile"
NEWLINE_NAME = "line\nbreak.txt"
ONE_LINE_5MB = "one-line-5mb.txt"
BEING_WRITTEN = "being-written.txt"
OUTSIDE_LINK = "outside-link.txt"
ARTICLE = b"ROME (Reuters) - Italy's Prime Minister met Pope Francis at the Vatican in Rome on Friday.\n"

EXPECTED = [  # (path, status, words the reason must contain)
    ("empty.txt", "rejected", "empty file"),
    ("whitespace-only.txt", "rejected", "only whitespace"),
    ("binary.txt", "rejected", "binary content"),
    (ONE_LINE_5MB, "rejected", "file too large"),
    ("invalid-utf8.txt", "loaded", None),
    ("utf16-bom.txt", "loaded", None),
    ("latin1.txt", "loaded", None),
    ("crlf.txt", "loaded", None),
    ("cr.txt", "loaded", None),
    ("page.html", "loaded", None),
    ("russian.txt", "loaded", None),
    ("name with spaces.txt", "loaded", None),
    ("ünïcödé 東京.txt", "loaded", None),
    (NEWLINE_NAME, "loaded", None),
    ("untrusted.txt", "loaded", None),
    ("copy of 002.txt", "duplicate", "same content as 002_"),
]


def hostile_inbox(folder: Path, outside: Path) -> Path:
    """Seeds plus every hostile fixture, generated odd files, a link out and a fresh file."""
    for name in SEED_FILES:
        settled_copy(SEEDS / name, folder / name)
    for path in HOSTILE.iterdir():
        settled_copy(path, folder / path.name)
    settled_copy(SEEDS / SEED_FILES[2], folder / "copy of 002.txt")
    write_settled(folder / NEWLINE_NAME, ARTICLE)
    write_settled(folder / ONE_LINE_5MB, b"Words without end " * (5 * 2**20 // 18))
    write_settled(outside / "secret.txt", b"PARIS (Reuters) - Nobody may read this file from the inbox.\n")
    os.symlink(outside / "secret.txt", folder / OUTSIDE_LINK)
    (folder / BEING_WRITTEN).write_bytes(ARTICLE.replace(b"Friday", b"Saturday"))
    return folder


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, prefect_api):
    """One real flow run over the hostile inbox: (inbox, db, summary)."""
    from flows.ingest import ingest

    root = tmp_path_factory.mktemp("hostile")
    inbox = hostile_inbox(root / "inbox", root / "outside")
    db = root / "data" / "wirehouse.duckdb"
    summary = ingest(inbox, db, {"settle_seconds": 20})
    return inbox, db, summary


@pytest.mark.parametrize(("path", "status", "reason"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_each_hostile_file_ends_with_a_status_and_reason(hostile_run, path, status, reason):
    _, db, _ = hostile_run
    rows = query(db, "select status, coalesce(reason, '') from files where path = ?", [path])
    assert len(rows) == 1 and rows[0][0] == status, rows
    assert reason is None or reason in rows[0][1]


def test_seeds_load_whole_beside_the_hostile_files(hostile_run):
    _, db, summary = hostile_run
    seed_shas = [r[0] for r in query(db, "select sha256 from files where list_contains(?, path)", [SEED_FILES])]
    assert scalar(db, "select count(*) from articles where list_contains(?, file_sha256)", [seed_shas]) == 14
    assert summary.totals["files_rejected"] == 4 and summary.totals["files_quarantined"] == 0


def test_legacy_encodings_are_recorded_per_file(hostile_run):
    _, db, _ = hostile_run
    encodings = dict(query(db, "select path, encoding from files where status = 'loaded'"))
    assert encodings["utf16-bom.txt"] == "utf-16"
    assert encodings["invalid-utf8.txt"] not in ("utf-8", "utf-8-sig")
    assert encodings["latin1.txt"] not in ("utf-8", "utf-8-sig")


def test_latin1_text_keeps_its_accents(hostile_run):
    _, db, _ = hostile_run
    body = scalar(db, "select body from articles join files on sha256 = file_sha256 where path = 'latin1.txt'")
    assert "étrangères" in body and "Genève" in body


@pytest.mark.parametrize("path", ["crlf.txt", "cr.txt"])
def test_old_line_ends_leave_no_carriage_returns(hostile_run, path):
    _, db, _ = hostile_run
    bodies = query(db, "select body from articles join files on sha256 = file_sha256 where path = ?", [path])
    assert bodies and all("\r" not in body for (body,) in bodies)


def test_non_english_text_is_labelled_with_its_language(hostile_run):
    _, db, _ = hostile_run
    assert scalar(db, "select language from articles join files on sha256 = file_sha256 "
                      "where path = 'russian.txt'") == "ru"


def test_link_out_of_the_inbox_is_never_read(hostile_run):
    _, db, _ = hostile_run
    assert scalar(db, "select count(*) from files where path = ?", [OUTSIDE_LINK]) == 0
    assert scalar(db, "select count(*) from articles where body like '%Nobody may read%'") == 0


def test_link_out_of_the_inbox_is_reported_as_refused_in_the_run_summary(hostile_run):
    _, _, summary = hostile_run
    assert (OUTSIDE_LINK, "symbolic link pointing outside the inbox (refused)") in summary.skipped


def test_file_still_being_written_is_deferred_then_loaded_by_the_next_run(hostile_run, run_flow):
    inbox, db, _ = hostile_run
    assert scalar(db, "select count(*) from files where path = ?", [BEING_WRITTEN]) == 0
    past = time.time() - 60
    os.utime(inbox / BEING_WRITTEN, (past, past))
    run_flow(inbox, db)
    assert query(db, "select status from files where path = ?", [BEING_WRITTEN]) == [("loaded",)]


def test_discover_refuses_a_link_out_of_the_inbox_with_a_reason(tmp_path):
    inbox = tmp_path / "inbox"
    write_settled(tmp_path / "outside.txt", ARTICLE)
    inbox.mkdir()
    os.symlink(tmp_path / "outside.txt", inbox / OUTSIDE_LINK)
    with open_writer(tmp_path / "w.duckdb") as con:
        found = discover(con, inbox, settle_seconds=0)
    assert found.candidates == []
    assert found.skipped == [(OUTSIDE_LINK, "symbolic link pointing outside the inbox (refused)")]


def test_discover_follows_a_link_that_stays_inside_the_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    write_settled(inbox / "sub" / "a.txt", ARTICLE)
    os.symlink(inbox / "sub" / "a.txt", inbox / "b.txt")
    with open_writer(tmp_path / "w.duckdb") as con:
        found = discover(con, inbox, settle_seconds=0)
    assert sorted(c.path for c in found.candidates) == ["b.txt", "sub/a.txt"]
    assert [c.change for c in found.candidates if c.path == "sub/a.txt"] == ["duplicate"]


@pytest.mark.parametrize(("make_link", "reason"), [
    (lambda inbox: os.symlink(inbox / "missing.txt", inbox / "broken.txt"),
     "broken symbolic link (its target does not exist)"),
    (lambda inbox: os.symlink(inbox / "broken.txt", inbox / "broken.txt"),
     "symbolic link loop (its target can never be reached)"),
], ids=["dangling", "loop"])
def test_discover_skips_a_broken_link_with_a_reason(tmp_path, make_link, reason):
    inbox = tmp_path / "inbox"
    write_settled(inbox / "a.txt", ARTICLE)
    make_link(inbox)
    with open_writer(tmp_path / "w.duckdb") as con:
        found = discover(con, inbox, settle_seconds=0)
    assert [c.path for c in found.candidates] == ["a.txt"]
    assert found.skipped == [("broken.txt", reason)]


def vanishing_after_discover(discover_inbox, victim: str, action):
    """discover, then ``action`` on the file ``victim``: a file that changes under the run."""
    def wrapped(con, inbox, **kwargs):
        found = discover_inbox(con, inbox, **kwargs)
        action(inbox / victim)
        return found
    return wrapped


def two_file_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    settled_copy(SEEDS / SEED_FILES[0], inbox / "keep.txt")
    write_settled(inbox / "victim.txt", ARTICLE)
    return inbox


def test_file_deleted_between_discover_and_parse_is_skipped_and_the_rest_loads(tmp_path, db, run_flow, monkeypatch):
    import flows.ingest

    inbox = two_file_inbox(tmp_path)
    monkeypatch.setattr(flows.ingest, "discover_inbox",
                        vanishing_after_discover(flows.ingest.discover_inbox, "victim.txt", Path.unlink))
    run_flow(inbox, db)
    assert query(db, "select path, status from files") == [("keep.txt", "loaded")]


def test_file_changed_between_discover_and_parse_is_deferred_then_loaded(tmp_path, db, run_flow, monkeypatch):
    import flows.ingest

    inbox = two_file_inbox(tmp_path)
    rewrite = lambda path: write_settled(path, ARTICLE.replace(b"Friday", b"Sunday"))  # noqa: E731
    with monkeypatch.context() as patch:
        patch.setattr(flows.ingest, "discover_inbox",
                      vanishing_after_discover(flows.ingest.discover_inbox, "victim.txt", rewrite))
        run_flow(inbox, db)
    assert query(db, "select path from files") == [("keep.txt",)]
    run_flow(inbox, db)
    assert scalar(db, "select count(*) from articles where body like '%Sunday%'") == 1


def fifo_in_place_of(path: Path) -> None:
    """Replace the file with a FIFO, and a writer that opens it and goes: a read that waits for a
    writer (the code before this test) then sees an empty file instead of hanging the test."""
    path.unlink()
    os.mkfifo(path)
    threading.Thread(target=lambda: open(path, "wb").close(), daemon=True).start()


def test_file_replaced_by_a_fifo_between_discover_and_parse_is_deferred_unread_and_the_rest_loads(
        tmp_path, db, run_flow, monkeypatch):
    import flows.ingest

    inbox = two_file_inbox(tmp_path)
    monkeypatch.setattr(flows.ingest, "discover_inbox",
                        vanishing_after_discover(flows.ingest.discover_inbox, "victim.txt", fifo_in_place_of))
    try:
        summary = run_flow(inbox, db)
    finally:
        os.close(os.open(inbox / "victim.txt", os.O_RDONLY | os.O_NONBLOCK))  # releases a writer still waiting
    assert query(db, "select path, status from files") == [("keep.txt", "loaded")]
    (reason,) = [why for path, why in summary.skipped if path == "victim.txt"]
    assert reason.startswith("no longer a regular file")


def link_loop_in_place_of(path: Path) -> None:
    """Replace the file with a link to itself: opening it fails with ELOOP, as a file made unreadable
    would with EACCES (which root, who runs CI, never sees)."""
    path.unlink()
    os.symlink(path.name, path)


def test_file_unreadable_after_discover_is_deferred_with_the_reason_and_the_rest_loads(tmp_path, db, run_flow, monkeypatch):
    import flows.ingest

    inbox = two_file_inbox(tmp_path)
    monkeypatch.setattr(flows.ingest, "discover_inbox",
                        vanishing_after_discover(flows.ingest.discover_inbox, "victim.txt", link_loop_in_place_of))
    summary = run_flow(inbox, db)
    assert query(db, "select path, status from files") == [("keep.txt", "loaded")]
    (reason,) = [why for path, why in summary.skipped if path == "victim.txt"]
    assert reason.startswith("cannot be read now (Too many levels of symbolic links)")


def test_fifty_megabyte_file_is_rejected_with_bounded_memory(tmp_path):
    inbox = tmp_path / "inbox"
    write_settled(inbox / "huge.txt", (ARTICLE * (50 * 2**20 // len(ARTICLE))))
    settled_copy(SEEDS / SEED_FILES[0], inbox / "small.txt")
    db = tmp_path / "data" / "wirehouse.duckdb"
    peak_mb = peak_rss_mb_of_run(inbox, db, tmp_path)
    assert peak_mb < 1024, f"peak RSS {peak_mb:.0f} MB"
    assert query(db, "select path, status from files order by path") == [("huge.txt", "rejected"), ("small.txt", "loaded")]
    assert "file too large" in scalar(db, "select reason from files where path = 'huge.txt'")
