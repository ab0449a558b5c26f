"""Check that this tree's parser returns exactly what the parser of an earlier commit returns.

    .venv/bin/python -m bench.parse_equivalence [--before 4fdba78] [--stories 2000]

Texts: the segmentation set (bench/segment_set.py), the multi-article set
(bench/multi_article_set.py), seeds/ and tests/fixtures/segment/ (each file's bytes decoded by
its own tree's transforms.decode), and the first --stories one-story Reuters-21578 files
(bench/corpus.py). Each is parsed with its file name and one fixed modification time, so dates
inferred from the file are compared too. Every field of every ParsedArticle must be equal (its
first line, warnings and language included), or the same error raised. The baseline tree is
imported as `transforms_before` (bench/parse_speed.py). Prints how many texts and articles were
compared and each text that differs with its first differing field; exits 1 when any differs.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import itertools
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from bench.corpus import ROOT, corpus_stories, story_text
from bench.parse_speed import parser_at, set_files
from transforms import decode as current_decode
from transforms import parse as current_parse

BASELINE = "4fdba78"  # main before round 7's speed-ups
MODIFIED = datetime(1987, 6, 30, 12, 0)
FILE_FOLDERS = (ROOT / "seeds", ROOT / "tests" / "fixtures" / "segment")


def named_texts(stories: int) -> list[tuple[str, str | bytes]]:
    """Return (name, text) for every text compared; seeds and fixtures as raw bytes."""
    files = [(str(path.relative_to(ROOT)), path.read_bytes())
             for folder in FILE_FOLDERS for path in sorted(folder.glob("*.txt"))]
    wire = [(f"reuters-{story['newid']}.txt", story_text(story))
            for story in itertools.islice(corpus_stories(), stories)]
    return set_files() + files + wire


def parsed(parse_module, decode_module, name: str, text: str | bytes) -> list[tuple] | str:
    """Return each article's fields as a tuple, or the error raised, for one text."""
    try:
        if isinstance(text, bytes):
            text = decode_module.decode(text).text
        articles = parse_module.parse(text, Path(name).name, MODIFIED)
    except Exception as error:  # an error is an output too: both trees must raise the same one
        return f"{type(error).__name__}: {error}"
    return [dataclasses.astuple(article) for article in articles]


def first_difference(before: list[tuple] | str, after: list[tuple] | str) -> str:
    """Return where two parses differ, for a reader."""
    if isinstance(before, str) or isinstance(after, str) or len(before) != len(after):
        return f"before {before if isinstance(before, str) else len(before)} articles, " \
               f"after {after if isinstance(after, str) else len(after)}"
    names = [field.name for field in dataclasses.fields(current_parse.ParsedArticle)]
    for ordinal, (old, new) in enumerate(zip(before, after)):
        for name, old_value, new_value in zip(names, old, new):
            if old_value != new_value:
                return f"article {ordinal} {name}: before {old_value!r}, after {new_value!r}"
    return "equal"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--before", default=BASELINE, help="git revision of the baseline parser")
    options.add_argument("--stories", type=int, default=2000, help="one-story Reuters-21578 files")
    args = options.parse_args()
    texts = named_texts(args.stories)
    differing = articles = 0
    with tempfile.TemporaryDirectory() as folder:
        before_parse = parser_at(args.before, Path(folder))
        before_decode = importlib.import_module("transforms_before.decode")
        for name, text in texts:
            before = parsed(before_parse, before_decode, name, text)
            after = parsed(current_parse, current_decode, name, text)
            articles += len(after) if isinstance(after, list) else 0
            if before != after:
                differing += 1
                print(f"DIFFERS {name}: {first_difference(before, after)}")
    print(f"{len(texts):,} texts, {articles:,} articles: {differing} differ from {args.before}")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
