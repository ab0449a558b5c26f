"""Benchmark inputs: real news articles from the shared Reuters-21578 corpus, one file each.

The corpus (Reuters-21578, Distribution 1.0; research use only) is read from ../shared/corpus and
never copied into the repository; derived inboxes go to the git-ignored data/bench/.
"""

from __future__ import annotations

import gzip
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "reuters21578.jsonl.gz"
BENCH_DATA = ROOT / "data" / "bench"


def corpus_stories(path: Path = CORPUS) -> Iterator[dict]:
    """Stories of the corpus that have body text, in corpus order."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            story = json.loads(line)
            if (story.get("body") or "").strip():
                yield story


def story_text(story: dict) -> str:
    """The story as a wire file: headline, blank line, dateline and body."""
    title = (story.get("title") or "").strip()
    body = story["body"].strip()
    dateline = (story.get("dateline") or "").strip()
    text = f"{dateline} {body}" if dateline else body
    return f"{title}\n\n{text}\n" if title else f"{text}\n"


def build_inbox(count: int, root: Path = BENCH_DATA) -> Path:
    """An inbox of ``count`` one-story files under ``root`` (reused when already built)."""
    folder = root / f"inbox-{count}"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for written, story in enumerate(corpus_stories(), start=1):
        (folder / f"reuters-{story['newid']}.txt").write_text(story_text(story), encoding="utf-8")
        if written == count:
            break
    if written < count:
        raise ValueError(f"the corpus holds only {written} stories with text; asked for {count}")
    past = time.time() - 3600  # older than any settle window: discover takes the files at once
    for entry in folder.iterdir():
        os.utime(entry, (past, past))
    marker.touch()
    return folder

