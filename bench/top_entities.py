"""The top 200 entities of a 10k-article Reuters-21578 run, scored against hand judgements.

    .venv/bin/python -m bench.top_entities [--articles 10000] [--reuse] [--list]

The first ``--articles`` stories of ../shared/corpus go through the flow's own parse and extract
(``transforms.parse.parse`` on the story as a wire file, ``transforms.extract.extract`` with the
configured model, one process), and the mentions' keys are merged by
``transforms.resolve.merge_keys``, the function the warehouse's entity merge calls; an entity's
name is its target key's most frequent spelling, as ``rebuild_entities.sql`` picks it. Prefect,
GX and DuckDB are left out: they do not change which entities there are. Mentions are kept under
the git-ignored data/bench/top_entities/ (``--reuse`` scores them again without extracting).
Entities are ranked by mentions, numeric and time labels left out (as the report's views do).

Each ranked (name, label) is looked up in tests/answers/top_entities_reuters.json, where a reader
judged it ``right`` or ``wrong`` (not an entity, wrong label, or two entities merged) from the
stories; the bench prints the share judged wrong and lists unjudged entries (``--list`` prints the
whole top 200 with verdicts, for judging).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bench.corpus import BENCH_DATA, corpus_stories, story_text

ROOT = Path(__file__).resolve().parents[1]
JUDGED = ROOT / "tests" / "answers" / "top_entities_reuters.json"
NOT_RANKED = ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT")
TOP = 200


def corpus_articles(count: int) -> list[tuple[str, str]]:
    """(article_id, body) of the first ``count`` stories, split by the flow's parse."""
    from transforms.parse import parse

    articles = []
    for story, _ in zip(corpus_stories(), range(count)):
        for article in parse(story_text(story)):
            articles.append((f"{story['newid']}#{article.ordinal}", article.body))
    return articles


def extracted_mentions(count: int, folder: Path, reuse: bool) -> pa.Table:
    """The run's mentions, extracted now or read back from ``folder``."""
    path = folder / f"mentions-{count}.parquet"
    if reuse and path.exists():
        return pq.read_table(path)
    from transforms.extract import extract

    articles = corpus_articles(count)
    started = time.perf_counter()
    mentions = extract(articles).mentions
    print(f"extracted {len(articles):,} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(mentions, path)
    return mentions


def ranked_entities(mentions: pa.Table) -> list[tuple[str, str, int]]:
    """(name, label, mentions) of every entity, most mentioned first."""
    from transforms.resolve import KeyCount, merge_keys

    rows = [r for r in mentions.select(["entity_key", "canonical"]).to_pylist() if r["entity_key"]]
    per_key = Counter(r["entity_key"] for r in rows)
    merged = merge_keys(KeyCount(key, key.split(":", 1)[0], n) for key, n in per_key.items())
    spellings: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        target = merged[r["entity_key"]]
        spellings[target][(r["entity_key"] != target, r["canonical"])] += 1
    entities = []
    for target, names in spellings.items():
        label = target.split(":", 1)[0]
        if label in NOT_RANKED:
            continue
        (_, name), _ = min(names.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
        entities.append((name, label, sum(names.values())))
    return sorted(entities, key=lambda e: (-e[2], e[0]))


def read_judgements(path: Path = JUDGED) -> dict[tuple[str, str], dict]:
    """(name, label) -> {"verdict": right|wrong, "why": ...}."""
    if not path.exists():
        return {}
    return {(e["name"], e["label"]): e for e in json.loads(path.read_text(encoding="utf-8"))["entities"]}


def score(top: list[tuple[str, str, int]], judged: dict[tuple[str, str], dict]) -> tuple[int, int, list]:
    """(judged, wrong, unjudged entries) of the top entities."""
    seen = [judged.get((name, label)) for name, label, _ in top]
    unjudged = [entry for entry, verdict in zip(top, seen) if verdict is None]
    wrong = sum(1 for verdict in seen if verdict and verdict["verdict"] == "wrong")
    return len(top) - len(unjudged), wrong, unjudged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true", help="score the mentions of the last run again")
    parser.add_argument("--list", action="store_true", help="print the whole top 200 with verdicts")
    args = parser.parse_args(argv)
    top = ranked_entities(extracted_mentions(args.articles, BENCH_DATA / "top_entities", args.reuse))[:TOP]
    judged = read_judgements()
    if args.list:
        for rank, (name, label, n) in enumerate(top, start=1):
            verdict = judged.get((name, label), {}).get("verdict", "?")
            print(f"{rank}\t{name}\t{label}\t{n}\t{verdict}")
    count, wrong, unjudged = score(top, judged)
    for name, label, n in unjudged:
        print(f"unjudged: {name} ({label}, {n} mentions)")
    print(f"top {len(top)} entities of {args.articles:,} Reuters-21578 stories: {count} judged, "
          f"{wrong} wrong ({wrong / max(count, 1):.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
