"""Parse throughput of this tree against the parser of an earlier commit, in the same process.

    .venv/bin/python -m bench.parse_speed [--before ea17f97] [--stories 2000] [--sets]

The baseline is `transforms/` as it was at --before (extracted with `git archive` into a temp
folder and imported as the package `transforms_before`). Both parse the same one-story
Reuters-21578 files (bench/corpus.py), or with --sets the files of the segmentation and
multi-article sets, in chunks of CHUNK texts alternated between the two and repeated ROUNDS times, so the load of a shared machine falls on both alike. Time is the process's
CPU time (time.process_time), not wall time: on a shared machine other processes' bursts would
otherwise land on one parser's chunks (wall-time ratios of one tree ranged 0.69-0.97x at load
average 10-12). Prints stories per CPU second for each and the ratio after/before (above 1: this
tree is faster).
"""

from __future__ import annotations

import argparse
import importlib
import io
import itertools
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from bench import multi_article_set, segment_set
from bench.corpus import ROOT, corpus_stories, story_text
from transforms import parse as current

CHUNK = 50
ROUNDS = 3
BASELINE = "ea17f97"  # the parser before issue 11


def parser_at(revision: str, folder: Path):
    """Return the transforms.parse module of `revision`, imported from `folder` as transforms_before."""
    archive = subprocess.run(["git", "archive", revision, "transforms"], cwd=ROOT, check=True, capture_output=True).stdout
    tarfile.open(fileobj=io.BytesIO(archive)).extractall(folder, filter="data")
    package = folder / "transforms_before"
    (folder / "transforms").rename(package)
    for source in package.glob("*.py"):
        source.write_text(source.read_text(encoding="utf-8").replace("transforms.", "transforms_before."), encoding="utf-8")
    sys.path.insert(0, str(folder))
    return importlib.import_module("transforms_before.parse")


def set_files() -> list[tuple[str, str]]:
    """Return (name, text) of every file of the segmentation set (bench/segment_set.py) and the
    multi-article set (bench/multi_article_set.py), each built when missing."""
    if not (multi_article_set.OUT / "labels.jsonl").exists():
        multi_article_set.build()
    multi = sorted((multi_article_set.OUT / "files").glob("*.txt"))
    return ([(f"segment_set/{row['file']}", row["text"]) for row in segment_set.load()]
            + [(f"multi_article/{path.name}", path.read_text(encoding="utf-8")) for path in multi])


def seconds_per_parser(parsers: dict, texts: list[str]) -> dict[str, float]:
    """Return the total CPU seconds each parser took over ROUNDS rounds of alternated chunks."""
    spent = dict.fromkeys(parsers, 0.0)
    for round_no in range(ROUNDS):
        for start in range(0, len(texts), CHUNK):
            chunk = texts[start:start + CHUNK]
            order = list(parsers) if (start // CHUNK + round_no) % 2 else list(reversed(parsers))
            for name in order:
                began = time.process_time()
                for text in chunk:
                    parsers[name].parse(text)
                spent[name] += time.process_time() - began
    return spent


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--before", default=BASELINE, help="git revision of the baseline parser")
    options.add_argument("--stories", type=int, default=2000, help="one-story files to parse")
    options.add_argument("--sets", action="store_true", help="parse the segmentation and multi-article sets instead")
    args = options.parse_args()
    if args.sets:
        texts = [text for _, text in set_files()]
    else:
        texts = [story_text(story) for story in itertools.islice(corpus_stories(), args.stories)]
    with tempfile.TemporaryDirectory() as folder:
        parsers = {"before": parser_at(args.before, Path(folder)), "after": current}
        for parser in parsers.values():  # first calls load lazily read data (gazetteer) outside the timing
            parser.parse("X\n\nTORONTO - The company said it would sell its unit for cash.\n")
        spent = seconds_per_parser(parsers, texts)
    for name, seconds in spent.items():
        print(f"{name:<6} ({args.before if name == 'before' else 'this tree'}): "
              f"{ROUNDS * len(texts) / seconds:,.0f} {'files' if args.sets else 'stories'} per CPU second")
    print(f"after/before throughput: {spent['before'] / spent['after']:.2f}x")


if __name__ == "__main__":
    main()
