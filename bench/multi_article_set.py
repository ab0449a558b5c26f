"""Build the labelled multi-article set: real Reuters-21578 stories concatenated into files.

Each file holds 1-6 stories in the shapes a wire archive has: stories separated by a blank line,
a form feed or a rule line; headline printed once, twice or not at all; dateline with an agency
(`PARIS (Reuters) - `), without one (`PARIS, March 3 - `, as the 1987 wire printed it) or none;
an optional byline; the wire's `Reuter` signature kept or dropped. The labels (where each story
starts, its headline, dateline city, agency, authors) are known because this code placed them.
A story with neither headline nor dateline is only generated where a separator, a signature or
the start of the file marks its start: nothing else could tell a reader where it begins.

Stories are the collection's prose ones: a title, at least 60 words, and paragraphs of at least
eight words (tables of figures are left out). The hard line wrapping of 1987 is undone: a
paragraph is a run of lines up to the next indented line, printed as one line as in seeds/.
Output goes under data/bench/ (git-ignored): the corpus text is not for the repository.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.corpus import BENCH_DATA, corpus_stories

OUT = BENCH_DATA / "multi_article"
FILES = 240
SEED = 21578
SEPARATORS = {"blank": "", "form_feed": "\f", "rule": "----", "stars": "* * *", "equals": "=" * 20}
MIN_WORDS, MIN_PARAGRAPH_WORDS = 60, 8


@dataclass(frozen=True)
class Story:
    """One prose story of the collection."""

    title: str
    city: str
    date: str          # as the dateline printed it: "March 3"
    author: str | None
    paragraphs: tuple[str, ...]
    signature: str


@dataclass(frozen=True)
class Label:
    """What the parser should find for one placed story."""

    first_line: int
    headline: str | None
    dateline: str | None
    agency: str | None
    authors: list[str]


def unwrapped(body: str) -> list[str]:
    """Return the body's paragraphs: a new one at each indented line, wrapped lines joined."""
    paragraphs: list[list[str]] = []
    for line in body.split("\n"):
        if not line.strip():
            continue
        if line[:1].isspace() or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    return [" ".join(lines) for lines in paragraphs]


def story_of(record: dict) -> Story | None:
    """Return the record as a prose Story, or None when it is not one."""
    if not (record.get("body") and record.get("title") and record.get("dateline")):
        return None
    *paragraphs, signature = unwrapped(record["body"])
    place, _, date = record["dateline"].rstrip(" -").partition(",")
    if signature.upper() != "REUTER" or not paragraphs or not place.strip():
        return None
    if sum(len(p.split()) for p in paragraphs) < MIN_WORDS or min(len(p.split()) for p in paragraphs) < MIN_PARAGRAPH_WORDS:
        return None
    author = record.get("author")
    return Story(" ".join(record["title"].split()), place.strip(), date.strip(), author and author.strip(),
                 tuple(paragraphs), signature)


def prose_stories() -> list[Story]:
    """Return every prose story of the corpus, in corpus order."""
    return [story for story in map(story_of, corpus_stories()) if story is not None]


def author_names(author: str | None) -> list[str]:
    """Return the people of a byline like "By Janie Gabbett, Reuters"."""
    if not author:
        return []
    names = author.split(None, 1)[1] if author.split()[0].lower() == "by" else author
    return [name.strip() for name in names.split(",") if name.strip().lower() not in ("reuter", "reuters")]


def render_story(story: Story, rng: random.Random, starts_clearly: bool) -> tuple[list[str], Label]:
    """Return the story's lines (first line at index 0) and its label."""
    dateline_style = rng.choice(["agency", "agency", "no_agency", "no_agency", "none"])
    headline_style = rng.choice(["once"] * 6 + ["twice"] * 2 + ["none"] * 2)
    if headline_style == "none" and dateline_style == "none" and not starts_clearly:
        dateline_style = "agency"
    if dateline_style == "none" and headline_style != "none" and not starts_clearly:
        dateline_style = "no_agency"  # a headline alone between two bodies reads as a sub-heading
    lines = {"once": [story.title, ""], "twice": [story.title, "", story.title, ""], "none": []}[headline_style]
    byline = story.author if story.author and dateline_style != "none" and rng.random() < 0.8 else None
    if byline:
        lines += [byline, ""]
    opening = {"agency": f"{story.city} (Reuters) - ", "no_agency": f"{story.city}, {story.date} - ",
               "none": ""}[dateline_style]
    lines += [opening + story.paragraphs[0], ""]
    for paragraph in story.paragraphs[1:]:
        lines += [paragraph, ""]
    signed = rng.random() < 0.7
    if signed:
        lines += [story.signature, ""]
    agency = "Reuters" if dateline_style == "agency" or signed or (byline and "reuter" in byline.lower()) else None
    label = Label(0, None if headline_style == "none" else story.title,
                  None if dateline_style == "none" else story.city, agency, author_names(byline))
    return lines, label


def render_file(stories: list[Story], rng: random.Random) -> tuple[str, list[Label]]:
    """Return one file's text and the labels of its stories."""
    separator = SEPARATORS[rng.choice(list(SEPARATORS))]
    lines: list[str] = []
    labels: list[Label] = []
    previous_signed = True
    for index, story in enumerate(stories):
        if index and separator:
            lines += [separator, ""]
        starts_clearly = index == 0 or bool(separator) or previous_signed
        story_lines, label = render_story(story, rng, starts_clearly)
        labels.append(Label(len(lines), label.headline, label.dateline, label.agency, label.authors))
        lines += story_lines
        previous_signed = story.signature in story_lines
    return "\n".join(lines), labels


def build(out: Path = OUT, files: int = FILES, seed: int = SEED) -> Path:
    """Write the set (files/*.txt and labels.jsonl) under `out`; returns `out`."""
    rng = random.Random(seed)
    stories = prose_stories()
    rng.shuffle(stories)
    (out / "files").mkdir(parents=True, exist_ok=True)
    with open(out / "labels.jsonl", "w", encoding="utf-8") as labels_file:
        for number in range(files):
            picked = [stories.pop() for _ in range(rng.randint(1, 6))]
            text, labels = render_file(picked, rng)
            name = f"multi_{number:04d}.txt"
            (out / "files" / name).write_text(text, encoding="utf-8")
            labels_file.write(json.dumps({"file": name, "articles": [asdict(label) for label in labels]}) + "\n")
    return out


if __name__ == "__main__":
    print(build())
