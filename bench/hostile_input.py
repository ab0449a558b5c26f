"""Hostile-input benchmark: peak memory and run time of one file that is all copies or all one word.

    .venv/bin/python -m bench.hostile_input --write docs/BENCHMARKS.md

Generates (in a temp folder, never committed) a file of N tiny identical stories and a ~1 MB file
of one repeated word, and runs each through the real flow in a child process (a fresh warehouse
each), sampling the peak RSS of the child and its workers; a run over the seeds alone, in the same
session, is the baseline. Time per story is measured at several sizes with the articles-per-file
cap raised to the size, so that the whole file loads: near-duplicate search over N copies must
grow linearly. The file at the default cap is rejected with its count.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.pipeline import say, tree_rss
from flows.settings import Settings

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
STORY = "LONDON (Reuters) - Shares rose.\n\n"
WORD_FILE_BYTES = 999_999
SIZES = (2_000, 5_000, 20_000)
SECTION = "## Hostile input: one file of copies, one file of one word"
# The child: one flow run, printing its wall seconds, stage seconds and files table as JSON.
CHILD = """
import json, sys, time
from pathlib import Path
from flows.prefect_env import configure_prefect
inbox, db, overrides = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
configure_prefect(db.parent / "prefect")
from flows.ingest import ingest
from flows.settings import load_settings
from warehouse.store import open_reader
started = time.perf_counter()
summary = ingest(inbox, db, {"settle_seconds": 0, **overrides})
seconds = time.perf_counter() - started
with open_reader(load_settings(db=db).lake) as con:
    files = con.execute("select path, status, reason, article_count from files order by path").fetchall()
print(json.dumps({"seconds": seconds, "stages": summary.stage_seconds, "files": files}))
"""


def copies_file(folder: Path, stories: int) -> Path:
    """An inbox holding one file of ``stories`` identical tiny stories."""
    return write_inbox(folder / f"copies-{stories}", "copies.txt", STORY * stories)


def one_word_file(folder: Path) -> Path:
    """An inbox holding one file of a single word repeated to just under the byte limit."""
    return write_inbox(folder / "one-word", "one-word.txt", ("word " * (WORD_FILE_BYTES // 5)).rstrip() + "\n")


def seeds_inbox(folder: Path) -> Path:
    inbox = folder / "seeds"
    shutil.copytree(SEEDS, inbox)
    return inbox


def write_inbox(inbox: Path, name: str, text: str) -> Path:
    inbox.mkdir(parents=True)
    (inbox / name).write_text(text, encoding="utf-8")
    return inbox


def measured_run(inbox: Path, overrides: dict | None = None) -> dict:
    """One flow run over ``inbox`` into a fresh warehouse in a child process: its peak RSS (MB,
    the child and its workers, sampled every 0.1 s) and what the child reports."""
    import psutil

    with tempfile.TemporaryDirectory() as folder, open(Path(folder) / "stderr", "w+") as errors:
        run = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(inbox), str(Path(folder) / "w.ducklake"), json.dumps(overrides or {})],
            stdout=subprocess.PIPE, stderr=errors, text=True,
            env={**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"})
        process, peak = psutil.Process(run.pid), 0
        while run.poll() is None:
            peak = max(peak, tree_rss(process))
            time.sleep(0.1)
        output = run.stdout.read()
        if run.returncode:
            errors.seek(0)
            raise RuntimeError(f"the flow over {inbox} failed (exit {run.returncode}): {errors.read()[-3000:]}")
    return {**json.loads(output.strip().splitlines()[-1]), "peak_mb": peak / 2**20}


def measure(sizes: tuple[int, ...], folder: Path) -> dict:
    """Every run of the benchmark, the seeds-only baseline first."""
    cap = Settings.model_fields["max_articles_per_file"].default
    runs = {}
    say("seeds only")
    runs["seeds"] = measured_run(seeds_inbox(folder))
    say("one-word file")
    runs["one word"] = measured_run(one_word_file(folder))
    largest = copies_file(folder, max(sizes))
    say(f"{max(sizes):,} copies, default cap ({cap:,})")
    runs["copies at the default cap"] = measured_run(largest)
    for stories in sizes:
        say(f"{stories:,} copies, cap raised")
        inbox = largest if stories == max(sizes) else copies_file(folder, stories)
        runs[f"{stories} copies"] = measured_run(inbox, {"max_articles_per_file": stories})
    return {"cap": cap, "sizes": list(sizes), "runs": runs}


def report(results: dict) -> str:
    runs, sizes = results["runs"], results["sizes"]
    base = runs["seeds"]["peak_mb"]
    rows = [("seeds only (5 files, 14 articles): the baseline", runs["seeds"]),
            (f"one-word file ({WORD_FILE_BYTES:,} bytes, one article)", runs["one word"]),
            (f"{max(sizes):,} copies at the default cap ({results['cap']:,})", runs["copies at the default cap"])]
    rows += [(f"{n:,} copies, cap raised to {n:,}", runs[f"{n} copies"]) for n in sizes]
    lines = [SECTION, "",
             "`.venv/bin/python -m bench.hostile_input --write docs/BENCHMARKS.md` (also run by `make bench`). "
             f"Files generated at run time: `{STORY.strip()}` repeated (a file of tiny identical stories; "
             f"{len(STORY) * max(sizes):,} bytes at {max(sizes):,}) and one word repeated to {WORD_FILE_BYTES:,} bytes. "
             "Each run is the real flow in a child process on a fresh warehouse (ephemeral Prefect API included); "
             "peak RSS is summed over the child and its own children (Prefect's ephemeral API server, extraction "
             "workers), sampled every 0.1 s; seconds are wall seconds of the flow call in the child.", "",
             "| run | outcome | peak RSS MB | vs seeds | run seconds | load seconds |", "|---|---|---|---|---|---|"]
    for name, run in rows:
        lines.append(f"| {name} | {outcome(run['files'])} | {run['peak_mb']:.0f} | {run['peak_mb'] / base:.2f}x | "
                     f"{run['seconds']:.1f} | {run['stages'].get('load', 0):.1f} |")
    lines += ["", "Time per story with the whole file loaded (run seconds, less nothing: Prefect's start and the "
              "flow's fixed costs are included, so small files look dearer per story):", "",
              "| stories | run seconds | ms per story | load seconds | load ms per story |", "|---|---|---|---|---|"]
    for n in sizes:
        run = runs[f"{n} copies"]
        lines.append(f"| {n:,} | {run['seconds']:.1f} | {1000 * run['seconds'] / n:.2f} | "
                     f"{run['stages'].get('load', 0):.1f} | {1000 * run['stages'].get('load', 0) / n:.2f} |")
    first, last = runs[f"{sizes[0]} copies"], runs[f"{sizes[-1]} copies"]
    growth = (last["seconds"] / first["seconds"]) / (sizes[-1] / sizes[0])
    lines += ["", f"From {sizes[0]:,} to {sizes[-1]:,} stories ({sizes[-1] // sizes[0]}x), the run's time grew "
              f"{last['seconds'] / first['seconds']:.1f}x: {growth:.2f} of linear (1.00 = linear, below 1 = the "
              "fixed costs still weigh)."]
    return "\n".join(lines) + "\n"


def outcome(files: list[list]) -> str:
    """What became of a run's files: "5 loaded (14 articles)", with the reasons recorded."""
    statuses: dict[str, list[int]] = {}
    for _, status, _, articles in files:
        statuses.setdefault(status, []).append(articles)
    counts = ", ".join(f"{len(n)} {status} ({sum(n):,} articles)" for status, n in statuses.items())
    reasons = sorted({reason for _, _, reason, _ in files if reason})
    return counts + "".join(f"; `{reason}`" for reason in reasons)


def write_section(path: Path, section: str) -> None:
    """Replace this benchmark's section of ``path`` (or add it at the end), keeping the rest."""
    old = path.read_text(encoding="utf-8")
    head, marker, tail = old.partition(SECTION)
    rest = tail[tail.find("\n## "):] if marker and "\n## " in tail else ""
    path.write_text(head.rstrip() + "\n\n" + section + rest, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="stories per file, smallest first")
    parser.add_argument("--write", type=Path, help="write the markdown section to this file (section replaced)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        results = measure(tuple(args.sizes), Path(folder))
    print(json.dumps(results, default=str), file=sys.stderr)
    text = report(results)
    print(text)
    if args.write:
        write_section(args.write, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
