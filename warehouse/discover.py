"""Discover: which inbox files are new, changed, unchanged or duplicate content.

Unchanged files are recognised by (path, size, mtime) against the warehouse without being read,
so a run costs work in proportion to what is new, not to everything ever seen.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.load import record_presence

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
    skipped: list[tuple[str, str]] = field(default_factory=list)       # (path, why) not looked at this run
    removed: list[str] = field(default_factory=list)                   # known paths no longer in the inbox

    def count(self, change: str) -> int:
        return sum(1 for c in self.candidates if c.change == change)


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


def skip_reason(entry: os.DirEntry, inbox: Path, settle_seconds: float, now: float) -> str | None:
    """Why an inbox entry is not taken this run, or None to take it."""
    if entry.name.startswith(".") or entry.name.endswith(TEMPORARY_SUFFIXES):
        return "hidden or temporary file"
    if entry.is_symlink() and not Path(os.path.realpath(entry.path)).is_relative_to(inbox.resolve()):
        return "symbolic link pointing outside the inbox (refused)"
    try:
        if not entry.is_file():
            return "not a regular file (broken link, link loop, device or socket)"
        modified = entry.stat().st_mtime
    except FileNotFoundError:
        return "vanished while the inbox was listed"
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if now - modified < settle_seconds:
        return "still being written (modified moments ago); deferred to the next run"
    return None


def walk_inbox(inbox: Path, settle_seconds: float) -> Iterator[tuple[os.DirEntry, str | None]]:
    """Every file or link under the inbox with its skip reason; hidden folders and links to
    folders are not entered."""
    now = time.time()
    pending = [inbox]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith("."):
                        pending.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False) or entry.is_symlink():
                    yield entry, skip_reason(entry, inbox, settle_seconds, now)


def sha256_of(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def mtime_of(stat: os.stat_result) -> datetime:
    return datetime.fromtimestamp(stat.st_mtime, UTC).replace(tzinfo=None)


def discover(con: duckdb.DuckDBPyConnection, inbox: Path, *, settle_seconds: float = 1.0) -> Discovery:
    """Classify every file under ``inbox`` against what the warehouse already holds, and record
    which known paths have left the inbox (or come back)."""
    if not inbox.is_dir():
        raise NotADirectoryError(f"inbox {inbox} is not a folder")
    known, content = known_files(con), loaded_content(con)
    found, present = Discovery(), set()
    for entry, reason in walk_inbox(inbox, settle_seconds):
        rel = os.path.relpath(entry.path, inbox)
        present.add(rel)
        if reason:
            found.skipped.append((rel, reason))
            continue
        try:
            classify(found, content, known.get(rel), rel, entry)
        except OSError as error:  # deleted or made unreadable between listing and hashing
            found.skipped.append((rel, f"cannot be read: {error.strerror or error}"))
    found.removed = sorted(path for path, file in known.items() if path not in present and file.removed_at is None)
    returned = [file.version_id for path, file in known.items() if path in present and file.removed_at]
    record_presence(con, [known[path].version_id for path in found.removed], returned)
    return found


def classify(found: Discovery, content: dict[str, str], previous: KnownFile | None, rel: str,
             entry: os.DirEntry) -> None:
    """Add one readable inbox file to ``found`` as unchanged, touched, new, changed or duplicate."""
    stat = entry.stat()
    size, mtime = stat.st_size, mtime_of(stat)
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
