"""Entity-resolution quality: precision and recall of merges against hand labels on real articles.

    .venv/bin/python -m bench.entity_quality

Runs the real ingestion flow over the 30 Reuters-21578 stories labelled in
tests/answers/entities_reuters.json (inbox and warehouse under the git-ignored data/bench/), then
scores the warehouse's entity ids. A labelled unit is a name as one story prints it ("Baker" in
story 794) and the person it refers to; a mention belongs to the unit whose name the article text
ends with at the mention's end (so "Mrs Reagan" is told from "Reagan"). Units are compared in
pairs, within and across stories: a pair the warehouse gives one entity_id is a predicted merge,
a pair naming one person a true merge. Precision = right merges / predicted merges, recall =
right merges / true merges. Names the NER never tagged are counted as not found, not scored.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from bench.corpus import BENCH_DATA, corpus_stories, story_text

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "answers" / "entities_reuters.json"
FILE_NEWID = re.compile(r"reuters-(\d+)\.txt$")


@dataclass(frozen=True)
class Unit:
    """A labelled name in one story, the person it refers to, and the entity the warehouse gave it."""

    newid: str
    name: str
    person: str
    entity_id: str


def read_labels(path: Path = LABELS) -> dict[str, dict[str, str]]:
    """newid -> {name as printed: person}."""
    return {a["newid"]: a["names"] for a in json.loads(path.read_text(encoding="utf-8"))["articles"]}


def build_inbox(newids: set[str], folder: Path) -> Path:
    """An inbox holding one file per labelled story, rebuilt from the corpus."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    past = time.time() - 3600  # older than any settle window: discover takes the files at once
    for story in corpus_stories():
        if str(story["newid"]) in newids:
            path = folder / f"reuters-{story['newid']}.txt"
            path.write_text(story_text(story), encoding="utf-8")
            os.utime(path, (past, past))
    return folder


def labelled_name(context: str, names: dict[str, str]) -> str | None:
    """The longest labelled name the text ends with (possessive allowed), or None."""
    text = " ".join(context.split())
    text = re.sub(r"['’]s$", "", text)
    found = [name for name in names if text == name or text.endswith(" " + name)]
    return max(found, key=len) if found else None


def units(mentions: list[tuple], labels: dict[str, dict[str, str]]) -> set[Unit]:
    """The labelled units the warehouse's mentions fall on."""
    found = set()
    for path, _, entity_id, context in mentions:
        match = FILE_NEWID.search(path)
        names = labels.get(match.group(1), {}) if match else {}
        name = labelled_name(context, names)
        if name:
            found.add(Unit(match.group(1), name, names[name], entity_id))
    return found


def merge_scores(found: set[Unit]) -> tuple[int, int, int]:
    """(right merges, predicted merges, true merges) over every pair of units."""
    right = predicted = true = 0
    for a, b in combinations(sorted(found, key=lambda u: (u.newid, u.name, u.entity_id)), 2):
        same_entity, same_person = a.entity_id == b.entity_id, a.person == b.person
        right += same_entity and same_person
        predicted += same_entity
        true += same_person
    return right, predicted, true


def mistakes(found: set[Unit]) -> list[str]:
    """Readable lines for every person split over several entities and every entity over several people."""
    people: dict[str, set[str]] = {}
    entities: dict[str, set[str]] = {}
    for u in found:
        people.setdefault(u.person, set()).add(u.entity_id)
        entities.setdefault(u.entity_id, set()).add(u.person)
    lines = [f"split: {person} is {len(ids)} entities" for person, ids in sorted(people.items()) if len(ids) > 1]
    lines += [f"merged: {' + '.join(sorted(names))}" for names in entities.values() if len(names) > 1]
    return sorted(lines)


def not_found(found: set[Unit], labels: dict[str, dict[str, str]]) -> list[str]:
    """Labelled names (story:name) that no mention fell on."""
    seen = {(u.newid, u.name) for u in found}
    return sorted(f"{newid}:{name}" for newid, names in labels.items() for name in names if (newid, name) not in seen)


# Every mention with its file path, entity and the body text just before it. The bench reads the
# warehouse as any user does, through the read-only query API of `wirehouse sql`.
MENTIONS_IN_CONTEXT = """
    select f.path, m.text, m.entity_id,
           substr(a.body, greatest(m.start_char - ?, 0) + 1, m.end_char - greatest(m.start_char - ?, 0))
    from mentions m join articles a using (article_id)
    join files f on f.sha256 = a.file_sha256 and f.is_current and f.status = 'loaded'"""


def mentions_in_context(db: Path, context_chars: int = 40):
    """Rows of MENTIONS_IN_CONTEXT on the warehouse ``db``."""
    from warehouse.query import run_query

    return run_query(db, MENTIONS_IN_CONTEXT, [context_chars, context_chars])


def measure(root: Path = BENCH_DATA / "entities") -> tuple[set[Unit], int]:
    """Run the flow over the labelled stories; returns (units found, units labelled)."""
    from flows.ingest import ingest
    from flows.prefect_env import configure_prefect

    labels = read_labels()
    configure_prefect(ROOT / "data" / "prefect")
    db = root / "wirehouse.ducklake"
    db.unlink(missing_ok=True)
    shutil.rmtree(root / "wirehouse.files", ignore_errors=True)
    ingest(build_inbox(set(labels), root / "inbox"), db, {"settle_seconds": 0})
    return units(mentions_in_context(db).rows, labels), sum(len(names) for names in labels.values())


def main() -> None:
    found, labelled = measure()
    right, predicted, true = merge_scores(found)
    named = len({(u.newid, u.name) for u in found})
    print(f"entity resolution on {len(read_labels())} Reuters-21578 stories: {named}/{labelled} labelled names found by NER, "
          f"{len({u.person for u in found})} people")
    print(f"  merges  precision {right / predicted if predicted else 1.0:.3f} ({right}/{predicted})  "
          f"recall {right / true if true else 1.0:.3f} ({right}/{true})")
    for line in mistakes(found):
        print(f"  {line}")
    print(f"  not found: {', '.join(not_found(found, read_labels()))}")


if __name__ == "__main__":
    main()
