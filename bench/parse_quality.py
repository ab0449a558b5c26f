"""Parse quality: article-boundary precision/recall/F1 and per-field accuracy against labels.

    .venv/bin/python -m bench.parse_quality

Scores two labelled sets: seeds/ (hand-labelled, tests/answers/seeds.json) and the multi-article
set built from Reuters-21578 by bench/multi_article_set.py (built under data/bench/ when missing).
A boundary is the input line an article starts on; a predicted article counts as right when a
labelled article starts on the same line. A field is right when the article starting on the
labelled line has exactly the labelled value; an article whose start was missed gets every
field wrong.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.multi_article_set import OUT as MULTI_ARTICLE_SET, build
from transforms.decode import decode
from transforms.parse import ParsedArticle, parse

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("headline", "byline", "authors", "dateline", "agency", "published_at")


@dataclass(frozen=True)
class Scores:
    """Boundary counts and per-field right/total counts over a labelled set."""

    files: int
    true_starts: int
    predicted_starts: int
    labelled_starts: int
    fields_right: Counter
    fields_total: Counter

    def precision(self) -> float:
        return self.true_starts / self.predicted_starts if self.predicted_starts else 1.0

    def recall(self) -> float:
        return self.true_starts / self.labelled_starts if self.labelled_starts else 1.0

    def f1(self) -> float:
        p, r = self.precision(), self.recall()
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        return self.fields_right[name] / self.fields_total[name]


def field_value(article: ParsedArticle, name: str):
    """Return an article's field in the labels' form (lists, ISO dates)."""
    value = getattr(article, name)
    if name == "authors":
        return list(value)
    return value.isoformat() if name == "published_at" and value else value


def score(labelled: list[tuple[str, list[dict]]]) -> Scores:
    """Return the scores of parse() over (text, labelled articles) pairs."""
    true = predicted = expected = 0
    right, total = Counter(), Counter()
    for text, labels in labelled:
        by_start = {article.first_line: article for article in parse(text)}
        predicted += len(by_start)
        expected += len(labels)
        for label in labels:
            found = by_start.get(label["first_line"])
            true += found is not None
            for name in FIELDS:
                if name in label:
                    total[name] += 1
                    right[name] += found is not None and field_value(found, name) == label[name]
    return Scores(len(labelled), true, predicted, expected, right, total)


def seeds_set() -> list[tuple[str, list[dict]]]:
    """Return seeds/ with its hand-labelled answers."""
    answers = json.loads((ROOT / "tests" / "answers" / "seeds.json").read_text(encoding="utf-8"))
    return [(decode((ROOT / "seeds" / name).read_bytes()).text, labels)
            for name, labels in sorted(answers.items()) if not name.startswith("_")]


def multi_article_set(folder: Path = MULTI_ARTICLE_SET) -> list[tuple[str, list[dict]]]:
    """Return the built multi-article set, building it first when missing."""
    if not (folder / "labels.jsonl").exists():
        build(folder)
    rows = [json.loads(line) for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    return [((folder / "files" / row["file"]).read_text(encoding="utf-8"), row["articles"]) for row in rows]


def report(name: str, scores: Scores) -> str:
    """Return the scores as readable lines."""
    lines = [
        f"{name}: {scores.files} files, {scores.labelled_starts} labelled articles, {scores.predicted_starts} found",
        f"  boundaries  precision {scores.precision():.3f}  recall {scores.recall():.3f}  F1 {scores.f1():.3f}",
    ]
    lines += [f"  {field:<12} accuracy {scores.accuracy(field):.3f}  ({scores.fields_right[field]}/{scores.fields_total[field]})"
              for field in FIELDS if scores.fields_total[field]]
    return "\n".join(lines)


def main() -> None:
    print(report("seeds/", score(seeds_set())))
    print(report("multi-article set (Reuters-21578)", score(multi_article_set())))


if __name__ == "__main__":
    main()
