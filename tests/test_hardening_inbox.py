"""Discover never fails a run because of one inbox entry (issue 16): a name that is not UTF-8,
an unreadable file or folder, a FIFO, a device node, a broken link and a link loop sit beside the
seeds; the seeds load, and each entry is recorded in `skipped_entries` with a reason that the run
summary and `wirehouse status` show.

The runs are real `wirehouse run` processes. chmod 000 does not stop root, so as root the run is
started by `setpriv` without the two capabilities that let root read anything
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): the permission cases then behave as for any user.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import SEED_FILES, SEEDS, query, scalar, settled_copy, write_settled
from warehouse import load as loader
from warehouse.discover import discover, sha256_of
from warehouse.store import apply_views, open_writer

WIREHOUSE = Path(sys.executable).with_name("wirehouse")
ARTICLE = b"ROME (Reuters) - Italy's Prime Minister met Pope Francis at the Vatican in Rome on Friday.\n"
BAD_NAME = b"bad-\xff\xfe-bytes.txt"
BAD_NAME_SHOWN = r"bad-\xff\xfe-bytes.txt"
SKIPPED = [  # (path, words its recorded reason must contain)
    (BAD_NAME_SHOWN, "not valid UTF-8"),
    ("locked.txt", "cannot be read: Permission denied"),
    ("sealed", "folder cannot be listed: Permission denied"),
    ("pipe.txt", "named pipe (FIFO)"),
    ("device.txt", "device node"),
    ("dangling.txt", "broken symbolic link"),
    ("loop.txt", "symbolic link loop"),
]
NOT_RECORDED = [".hidden.txt", "fresh.txt"]  # skipped on purpose / not settled: counted, not recorded
ROOT_READS_ANYTHING = os.geteuid() == 0
WITHOUT_ROOT_OVERRIDE = ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"]


def permissions_hold() -> bool:
    """True when a run can be made subject to file permissions: not root, or root with setpriv."""
    return not ROOT_READS_ANYTHING or (shutil.which("setpriv") is not None and subprocess.run(
        [*WITHOUT_ROOT_OVERRIDE, "true"], capture_output=True).returncode == 0)


def device_node(path: Path) -> bool:
    """Make a character device (the null device's numbers) at ``path``; False when not allowed."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        return False
    return True


def hostile_entries_inbox(folder: Path) -> Path:
    """The seeds, a file in a sub-folder, and one of each entry discover cannot take."""
    for name in SEED_FILES:
        settled_copy(SEEDS / name, folder / name)
    write_settled(folder / "news" / "inner.txt", ARTICLE.replace(b"Friday", b"Monday"))
    descriptor = os.open(os.fsencode(folder) + b"/" + BAD_NAME, os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(descriptor, ARTICLE)
    os.close(descriptor)
    os.utime(os.fsencode(folder) + b"/" + BAD_NAME, (time.time() - 60,) * 2)
    write_settled(folder / "locked.txt", ARTICLE.replace(b"Friday", b"Tuesday")).chmod(0)
    write_settled(folder / "sealed" / "inside.txt", ARTICLE.replace(b"Friday", b"Wednesday"))
    (folder / "sealed").chmod(0)
    os.mkfifo(folder / "pipe.txt")
    device_node(folder / "device.txt")
    os.symlink("nowhere.txt", folder / "dangling.txt")
    os.symlink("loop.txt", folder / "loop.txt")
    write_settled(folder / ".hidden.txt", ARTICLE)
    (folder / "fresh.txt").write_bytes(ARTICLE.replace(b"Friday", b"Thursday"))
    os.utime(folder / "fresh.txt", (time.time() + 3600,) * 2)  # "modified moments ago" for both runs
    return folder


def wirehouse_run(inbox: Path, db: Path) -> subprocess.CompletedProcess:
    """One real `wirehouse run`, subject to file permissions even as root."""
    env = {**os.environ, "COLUMNS": "250", "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
    env.pop("PREFECT_API_URL", None)
    prefix = WITHOUT_ROOT_OVERRIDE if ROOT_READS_ANYTHING else []
    return subprocess.run([*prefix, str(WIREHOUSE), "run", "--inbox", str(inbox), "--db", str(db)], env=env,
                          capture_output=True, text=True, timeout=600)


def status_output(db: Path) -> str:
    result = CliRunner().invoke(app, ["status", "--db", str(db)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.stdout


def skipped_rows(db: Path) -> dict[str, tuple[str, object]]:
    return {path: (reason, since) for path, reason, since in
            query(db, "select path, reason, skipped_since from skipped_entries")}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """One `wirehouse run` over the hostile inbox, and what it left (before the second run)."""
    if not permissions_hold():
        pytest.skip("running as root without setpriv: chmod 000 cannot stop this run from reading")
    root = tmp_path_factory.mktemp("inbox-entries")
    inbox, db = hostile_entries_inbox(root / "inbox"), root / "data" / "wirehouse.ducklake"
    run = wirehouse_run(inbox, db)
    assert run.returncode == 0, run.stderr[-3000:]
    return SimpleNamespace(inbox=inbox, db=db, stdout=run.stdout, skipped=skipped_rows(db), status=status_output(db),
                           runs_skipped=scalar(db, "select files_skipped from runs"),
                           has_device=(inbox / "device.txt").is_char_device())


@pytest.fixture(scope="module")
def second_run(first_run):
    """The next run, after the locked file and folder were made readable and the loaded
    sub-folder `news/` unreadable."""
    inbox, db = first_run.inbox, first_run.db
    (inbox / "locked.txt").chmod(0o644)
    (inbox / "sealed").chmod(0o755)
    (inbox / "news").chmod(0)
    run = wirehouse_run(inbox, db)
    (inbox / "news").chmod(0o755)
    assert run.returncode == 0, run.stderr[-3000:]
    return SimpleNamespace(inbox=inbox, db=db, skipped=skipped_rows(db))


def test_the_seeds_and_a_sub_folder_load_beside_entries_discover_cannot_take(first_run):
    db = first_run.db
    assert scalar(db, "select status from runs") == "completed"
    loaded = {path for (path,) in query(db, "select path from files where status = 'loaded'")}
    assert loaded == {*SEED_FILES, "news/inner.txt"}
    assert scalar(db, "select count(*) from articles") == 15


@pytest.mark.parametrize(("path", "reason"), SKIPPED, ids=[s[0] for s in SKIPPED])
def test_each_entry_discover_cannot_take_is_recorded_with_its_reason(first_run, path, reason):
    if path == "device.txt" and not first_run.has_device:
        pytest.skip("device nodes cannot be made here (no CAP_MKNOD)")
    assert reason in first_run.skipped[path][0]


def test_a_name_that_is_not_utf8_is_recorded_with_its_bytes_escaped(first_run):
    assert first_run.skipped[BAD_NAME_SHOWN][0] == "file name is not valid UTF-8; rename the file to load it"
    assert scalar(first_run.db, "select count(*) from files where path like 'bad-%'") == 0


def test_hidden_and_unsettled_files_are_counted_but_not_recorded(first_run):
    assert not set(NOT_RECORDED) & set(first_run.skipped)
    assert first_run.runs_skipped == len(first_run.skipped) + len(NOT_RECORDED)


def test_the_run_summary_counts_the_skipped_entries_and_names_each_with_its_reason(first_run):
    lines = first_run.stdout.splitlines()
    assert ["skipped", str(first_run.runs_skipped)] in [[cell.strip() for cell in line.split("│")[1:3]]
                                                         for line in lines], first_run.stdout
    for path, reason in SKIPPED:
        if path in first_run.skipped:
            assert any(path in line and reason in line for line in lines), (path, first_run.stdout)


def test_status_lists_each_skipped_entry_with_its_reason(first_run):
    lines = first_run.status.splitlines()
    for path, (reason, _) in first_run.skipped.items():
        assert any(path in line and "skipped" in line and reason in line for line in lines), (path, first_run.status)


def test_status_says_how_many_entries_the_newest_run_skipped(first_run):
    assert f"the newest run skipped {first_run.runs_skipped} inbox entries" in first_run.status


def test_rerunning_keeps_one_row_per_skipped_entry_with_its_first_date(first_run, second_run):
    still_skipped = {path: row for path, row in first_run.skipped.items() if path not in ("locked.txt", "sealed")}
    assert {path: second_run.skipped[path] for path in still_skipped} == still_skipped
    assert scalar(second_run.db, "select count(*) - count(distinct path) from skipped_entries") == 0


def test_an_entry_made_readable_is_loaded_by_the_next_run_and_leaves_the_skipped_entries(second_run):
    loaded = {path for (path,) in query(second_run.db, "select path from files where status = 'loaded'")}
    assert {"locked.txt", "sealed/inside.txt"} <= loaded
    assert not {"locked.txt", "sealed"} & set(second_run.skipped)


def test_files_under_a_folder_that_became_unreadable_are_not_marked_removed(second_run):
    assert "news" in second_run.skipped
    assert query(second_run.db, "select status, removed_at from files where path = 'news/inner.txt'") == [
        ("loaded", None)]


def test_a_link_to_a_folder_is_recorded_as_not_followed(tmp_path):
    inbox = tmp_path / "inbox"
    write_settled(inbox / "sub" / "a.txt", ARTICLE)
    os.symlink(inbox / "sub", inbox / "again")
    with open_writer(tmp_path / "w.ducklake") as con, loader.transaction(con):
        discover(con, inbox, settle_seconds=0)
        recorded = con.execute("select path, reason from skipped_entries").fetchall()
    assert recorded == [("again", "symbolic link to a folder (links to folders are not followed)")]


def test_status_after_a_failed_run_does_not_claim_every_file_is_loaded(tmp_path):
    db = tmp_path / "data" / "wirehouse.ducklake"
    with open_writer(db) as con, loader.transaction(con):
        apply_views(con)
        loader.start_run(con, "0123456789", None)
        loader.finish_run(con, "0123456789", "failed", {}, {}, "OSError: No space left on device")
    output = status_output(db)
    assert "is loaded" not in output
    assert "The newest run (01234567) has status failed" in output


def test_hashing_a_fifo_put_in_place_of_a_file_fails_at_once_instead_of_blocking(tmp_path):
    fifo = tmp_path / "swapped.txt"
    os.mkfifo(fifo)
    outcome: list[object] = []

    def hash_it() -> None:
        try:
            outcome.append(sha256_of(str(fifo)))
        except OSError as error:
            outcome.append(error)

    worker = threading.Thread(target=hash_it, daemon=True)
    worker.start()
    worker.join(10)
    blocked = worker.is_alive()
    if blocked:  # a writer end releases the blocked open, so the test ends either way
        os.close(os.open(fifo, os.O_WRONLY))
        worker.join()
    assert not blocked and isinstance(outcome[0], OSError)
