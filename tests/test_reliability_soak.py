"""Soak: 25 consecutive runs with files added, changed, removed and returning between them end
equal to one run over the last version of every file ever seen. Removing a file from the inbox
never erases what was loaded; `files.removed_at` records that it is gone."""

from __future__ import annotations

import random
from pathlib import Path

from tests.conftest import query, scalar, write_settled
from tests.reliability import duplicate_keys, fingerprint

RUNS = 25
CITIES = ["GENEVA", "MOSCOW", "PARIS", "BERLIN", "ROME", "MADRID", "VIENNA", "OSLO"]
PEOPLE = ["Angela Merkel", "Emmanuel Macron", "Vladimir Putin", "Sergei Lavrov", "Theresa May", "Pope Francis"]


def article(n: int, version: int) -> bytes:
    """A short two-sentence article, distinct for every (n, version)."""
    city, first, second = CITIES[n % 8], PEOPLE[n % 6], PEOPLE[(n + version + 1) % 6]
    return (f"{city} (Reuters) - {first} met {second} in {city.title()} for talks number {n}.{version}, "
            f"officials said.\nThe next round is planned for week {version + 1}, a spokesman said.\n").encode()


class Inbox:
    """An inbox changed step by step, remembering the last version of every path ever seen."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.last, self.present, self.made = folder, {}, set(), 0

    def write(self, name: str, content: bytes) -> None:
        write_settled(self.folder / name, content)
        self.last[name] = content
        self.present.add(name)

    def add(self) -> None:
        self.made += 1
        self.write(f"story-{self.made:02d}.txt", article(self.made, 0))

    def change(self, rng: random.Random, step: int) -> None:
        name = rng.choice(sorted(self.present))
        self.write(name, article(int(name[6:8]) if name.startswith("story") else 99, step))

    def remove(self, rng: random.Random) -> None:
        name = rng.choice(sorted(self.present))
        (self.folder / name).unlink()
        self.present.discard(name)

    def bring_back(self, rng: random.Random) -> None:
        gone = sorted(set(self.last) - self.present)
        if gone:
            name = rng.choice(gone)
            self.write(name, self.last[name])

    def copy_under_new_name(self, rng: random.Random, step: int) -> None:
        self.write(f"copy {step}.txt", self.last[rng.choice(sorted(self.present))])

    def step(self, rng: random.Random, step: int) -> None:
        self.add()
        if step % 2:
            self.change(rng, step)
        if step % 3 == 2:
            self.remove(rng)
        if step % 5 == 4:
            self.bring_back(rng)
        if step % 7 == 6:
            self.copy_under_new_name(rng, step)

    def write_last_versions(self, folder: Path) -> Path:
        for name, content in self.last.items():
            write_settled(folder / name, content)
        return folder


def test_many_runs_with_churn_equal_one_run_over_the_last_versions(tmp_path, db, run_flow):
    rng, inbox = random.Random(7), Inbox(tmp_path / "inbox")
    for _ in range(3):
        inbox.add()
    for step in range(RUNS):
        run_flow(inbox.folder, db)
        inbox.step(rng, step)
    run_flow(inbox.folder, db)
    clean = tmp_path / "clean" / "wirehouse.duckdb"
    run_flow(inbox.write_last_versions(tmp_path / "every-file-ever"), clean)
    assert fingerprint(db) == fingerprint(clean)
    assert set(duplicate_keys(db).values()) == {0}
    removed = {path for (path,) in query(db, "select path from files where is_current and removed_at is not null")}
    assert removed == set(inbox.last) - inbox.present and removed
    assert scalar(db, "select count(*) from runs where status = 'completed'") == RUNS + 1


def test_removed_file_keeps_its_articles_and_is_recorded_as_removed(tmp_path, db, run_flow):
    inbox = Inbox(tmp_path / "inbox")
    inbox.add(), inbox.add()
    run_flow(inbox.folder, db)
    articles = scalar(db, "select count(*) from articles")
    (inbox.folder / "story-01.txt").unlink()
    run_flow(inbox.folder, db)
    assert scalar(db, "select count(*) from articles") == articles
    assert query(db, "select path, status from files where removed_at is not null") == [("story-01.txt", "loaded")]


def test_file_that_returns_is_no_longer_marked_removed(tmp_path, db, run_flow):
    inbox = Inbox(tmp_path / "inbox")
    inbox.add()
    run_flow(inbox.folder, db)
    (inbox.folder / "story-01.txt").unlink()
    run_flow(inbox.folder, db)
    inbox.write("story-01.txt", inbox.last["story-01.txt"])
    run_flow(inbox.folder, db)
    assert query(db, "select status, removed_at from files") == [("loaded", None)]


def test_file_changed_to_content_loaded_elsewhere_drops_its_old_content(tmp_path, db, run_flow):
    inbox = Inbox(tmp_path / "inbox")
    inbox.add(), inbox.add()
    run_flow(inbox.folder, db)
    inbox.write("story-02.txt", inbox.last["story-01.txt"])
    run_flow(inbox.folder, db)
    assert scalar(db, "select count(distinct file_sha256) from articles") == 1
    assert query(db, "select status from files where path = 'story-02.txt' order by version_id") == [
        ("superseded",), ("duplicate",)]
