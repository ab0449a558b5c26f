"""Discover: which inbox files are new, changed, unchanged or duplicate content.

Unchanged files are recognised by (path, size, mtime) against the warehouse without being read,
so a run costs work in proportion to what is new, not to everything ever seen.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import duckdb

from warehouse.load import record_presence, record_skipped

TEMPORARY_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".swp", ".swx", "~")


@dataclass(frozen=True)
class KnownFile:
    """The current version of a path as the warehouse records it."""

    version_id: int
    sha256: str
    size_bytes: int
    modified_at: datetime
    removed_at: datetime | None = None


@dataclass(frozen=True)
class Candidate:
    """A new or changed file version that the run must process."""

    path: str                      # relative to the inbox
    absolute_path: str
    sha256: str
    size_bytes: int
    modified_at: datetime
    change: str                    # new | changed | duplicate
    duplicate_of: str | None = None


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    unchanged: int = 0
    touched: list[tuple[int, datetime]] = field(default_factory=list)  # (version_id, new mtime) of same-content files
    skipped: list[tuple[str, str]] = field(default_factory=list)       # (path shown, why) not taken this run
    removed: list[str] = field(default_factory=list)                   # known paths no longer in the inbox

    def count(self, change: str) -> int:
        return sum(1 for c in self.candidates if c.change == change)

    def lasting(self) -> list[tuple[str, str]]:
        """The skipped entries someone must look at (not hidden, temporary or passing ones)."""
        return [(path, why) for path, why in self.skipped if why not in PASSING]


def known_files(con: duckdb.DuckDBPyConnection) -> dict[str, KnownFile]:
    """Current version of every path the warehouse has seen."""
    rows = con.execute(
        "select path, version_id, sha256, size_bytes, modified_at, removed_at from files where is_current"
    ).fetchall()
    return {path: KnownFile(*rest) for path, *rest in rows}


def loaded_content(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """sha256 -> path of every content currently loaded."""
    rows = con.execute("select sha256, min(path) from files where status = 'loaded' group by sha256").fetchall()
    return dict(rows)


HIDDEN = "hidden or temporary file"
UNSETTLED = "still being written (modified moments ago); deferred to the next run"
VANISHED = "vanished while the inbox was listed"
# Skips that need no one's attention, so are not recorded in `skipped_entries`: skipped on
# purpose, or gone or loadable by the next run.
PASSING = (HIDDEN, UNSETTLED, VANISHED)
LINK_OUT = "symbolic link pointing outside the inbox (refused)"
NAME_NOT_UTF8 = "file name is not valid UTF-8; rename the file to load it"
FOLDER_NAME_NOT_UTF8 = "folder name is not valid UTF-8; rename the folder to load its files"


def shown_path(path: str) -> str:
    """``path`` as text that can be stored and printed: bytes of the name that are not UTF-8
    (held by Python as surrogates) appear as ``\\xNN`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def kind_refused(mode: int) -> str:
    """Why an inbox entry that is not a regular file is not taken (it is never opened)."""
    if stat.S_ISDIR(mode):
        return "symbolic link to a folder (links to folders are not followed)"
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO), not a regular file; never opened"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device node, not a regular file; never opened"
    if stat.S_ISSOCK(mode):
        return "socket, not a regular file; never opened"
    return "not a regular file; never opened"


def unreachable(entry: os.DirEntry, error: OSError) -> str:
    """Why an entry whose status cannot be read is not taken."""
    if isinstance(error, FileNotFoundError):
        return "broken symbolic link (its target does not exist)" if entry.is_symlink() else VANISHED
    if error.errno == errno.ELOOP:
        return "symbolic link loop (its target can never be reached)"
    return f"cannot be read: {error.strerror or error}"


def skip_reason(entry: os.DirEntry, inbox: Path, settle_seconds: float, now: float) -> str | None:
    """Why an inbox entry (not a folder) is not taken this run, or None to take it. Only the
    entry's status is read: a FIFO or device is never opened."""
    if entry.name.startswith(".") or entry.name.endswith(TEMPORARY_SUFFIXES):
        return HIDDEN
    if not is_utf8(entry.name):
        return NAME_NOT_UTF8
    if entry.is_symlink() and not Path(os.path.realpath(entry.path)).is_relative_to(inbox.resolve()):
        return LINK_OUT
    try:
        info = entry.stat()
    except OSError as error:
        return unreachable(entry, error)
    if not stat.S_ISREG(info.st_mode):
        return kind_refused(info.st_mode)
    if now - info.st_mtime < settle_seconds:
        return UNSETTLED
    return None


def listed_folder(folder: str) -> list[os.DirEntry]:
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda e: e.name)


def walk_inbox(inbox: Path, settle_seconds: float) -> Iterator[tuple[str, os.DirEntry | None, str | None]]:
    """(path, entry, why not taken) for every entry under the inbox but the folders it enters;
    a folder it cannot list or name comes as (path, None, why) and is not entered. Hidden folders
    and links to folders are not entered. An inbox that cannot be listed raises."""
    now = time.time()
    pending = [str(inbox)]
    while pending:
        folder = pending.pop()
        try:
            entries = listed_folder(folder)
        except OSError as error:
            if folder == str(inbox):
                raise
            yield folder, None, f"folder cannot be listed: {error.strerror or error}; its files were not looked at"
            continue
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                yield entry.path, entry, skip_reason(entry, inbox, settle_seconds, now)
            elif entry.name.startswith("."):
                continue
            elif not is_utf8(entry.name):
                yield entry.path, None, FOLDER_NAME_NOT_UTF8
            else:
                pending.append(entry.path)


class NotARegularFile(OSError):
    """A listed file was replaced by a FIFO, device, socket or folder before it was read."""


@contextmanager
def opened_regular_file(path: str) -> Iterator[BinaryIO]:
    """The file open for reading, refused (``NotARegularFile``) unless it is still a regular file.
    Opened without blocking: a FIFO put in a file's place after the listing must not hang the run
    (opening or reading a FIFO waits for a writer that may never come)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotARegularFile(errno.EINVAL, "no longer a regular file", path)
        yield handle


def sha256_of(path: str) -> str:
    """The file's sha256 (read as ``opened_regular_file`` opens it)."""
    with opened_regular_file(path) as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def content_of(path: str) -> bytes:
    """The file's bytes (read as ``opened_regular_file`` opens it)."""
    with opened_regular_file(path) as handle:
        return handle.read()


def mtime_of(info: os.stat_result) -> datetime:
    return datetime.fromtimestamp(info.st_mtime, UTC).replace(tzinfo=None)


def discover(con: duckdb.DuckDBPyConnection, inbox: Path, *, settle_seconds: float = 1.0) -> Discovery:
    """Classify every file under ``inbox`` against what the warehouse already holds, record the
    entries it cannot take (``skipped_entries``) and which known paths have left the inbox (or
    come back). One entry never stops the rest: it is skipped with a reason."""
    if not inbox.is_dir():
        raise NotADirectoryError(f"inbox {inbox} is not a folder")
    known, content = known_files(con), loaded_content(con)
    found, present, unlisted = Discovery(), set(), []
    for path, entry, reason in walk_inbox(inbox, settle_seconds):
        rel = os.path.relpath(path, inbox)
        present.add(rel)
        if entry is None:
            unlisted.append(rel + os.sep)
        if reason:
            found.skipped.append((shown_path(rel), reason))
            continue
        try:
            classify(found, content, known.get(rel), rel, entry)
        except OSError as error:  # deleted or made unreadable between listing and hashing
            found.skipped.append((rel, f"cannot be read: {error.strerror or error}"))
    found.removed = sorted(path for path, file in known.items() if path not in present and file.removed_at is None
                           and not path.startswith(tuple(unlisted)))
    returned = [file.version_id for path, file in known.items() if path in present and file.removed_at]
    record_presence(con, [known[path].version_id for path in found.removed], returned)
    record_skipped(con, found.lasting())
    return found


def classify(found: Discovery, content: dict[str, str], previous: KnownFile | None, rel: str,
             entry: os.DirEntry) -> None:
    """Add one readable inbox file to ``found`` as unchanged, touched, new, changed or duplicate."""
    info = entry.stat()
    size, mtime = info.st_size, mtime_of(info)
    if previous and (previous.size_bytes, previous.modified_at) == (size, mtime):
        found.unchanged += 1
        return
    sha = sha256_of(entry.path)
    if previous and previous.sha256 == sha:
        found.unchanged += 1
        found.touched.append((previous.version_id, mtime))
        return
    change = "changed" if previous else "new"
    twin = content.get(sha)
    if twin and twin != rel:
        found.candidates.append(Candidate(rel, entry.path, sha, size, mtime, "duplicate", twin))
        return
    content.setdefault(sha, rel)
    found.candidates.append(Candidate(rel, entry.path, sha, size, mtime, change))
