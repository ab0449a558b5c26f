"""Quote attribution against hand labels: how many quotations get a speaker, and how many are right.

    .venv/bin/python -m bench.quote_quality [--model NAME] [--list]

tests/answers/quotes.json holds quotations of seeds/ and of Reuters-21578 stories (read from
../shared/corpus, never copied) with the speaker a reader names (null: unnamed, or not speech).
Each labelled story goes through the flow's parse and extract (``transforms.parse.parse``,
``transforms.extract.extract`` with the news components); a labelled quotation is found by the
start of its text. Figures:
- with a speaker: quotations given a speaker / quotations whose label names one;
- right: given speakers that are right / all given speakers (a speaker given to a quotation whose
  label is null is wrong). A speaker is right when it is the labelled name, ends with the
  labelled surname, or (organisations) one name contains the other ("Boeing" / "Boeing Co") or
  is its acronym ("SEC" / "Securities and Exchange Commission").
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import corpus_stories, story_text
from transforms import DEFAULT_MODEL
from transforms.resolve import initials

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "answers" / "quotes.json"


@dataclass(frozen=True)
class Outcome:
    source: str
    quote: str
    truth: str | None
    given: str | None

    @property
    def right(self) -> bool:
        return self.given is not None and self.truth is not None and same_speaker(self.truth, self.given)


def folded(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())


def same_speaker(truth: str, given: str) -> bool:
    """The labelled name, its surname ending the given one, one name holding the other, or an
    acronym of the other (SEC / Securities and Exchange Commission)."""
    if truth.isupper() and initials(given) == truth or given.isupper() and initials(truth) == given:
        return True
    truth, given = folded(truth), folded(given)
    return truth == given or given.split()[-1:] == truth.split()[-1:] or f" {truth} " in f" {given} " \
        or f" {given} " in f" {truth} "


def read_labels(path: Path = LABELS) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["quotes"]


def source_texts(sources: set[str]) -> dict[str, str]:
    """Source name -> raw text: seeds files, and corpus stories as wire files."""
    texts = {s: (ROOT / s).read_text(encoding="utf-8") for s in sources if s.startswith("seeds/")}
    wanted = {s.split(":", 1)[1] for s in sources if s.startswith("reuters21578:")}
    for story in corpus_stories():
        if str(story["newid"]) in wanted:
            texts[f"reuters21578:{story['newid']}"] = story_text(story)
    return texts


def extracted_quotes(labels: list[dict], model: str) -> dict[tuple[str, int], list[dict]]:
    """(source, article ordinal) -> the extraction's quotes of that article."""
    from transforms.extract import extract
    from transforms.parse import parse

    articles = {}
    for source, text in source_texts({label["source"] for label in labels}).items():
        for article in parse(text):
            articles[f"{source}|{article.ordinal}"] = article.body
    quotes = extract(articles.items(), model=model).quotes.to_pylist()
    found: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for quote in quotes:
        source, ordinal = quote["article_id"].rsplit("|", 1)
        found[(source, int(ordinal))].append(quote)
    return found


def outcomes(labels: list[dict], found: dict[tuple[str, int], list[dict]]) -> list[Outcome]:
    """Each labelled quotation with the speaker the extraction gave it (None if not found)."""
    result = []
    for label in labels:
        quotes = found.get((label["source"], label["article"]), [])
        match = next((q for q in quotes if " ".join(q["text"].split()).startswith(label["quote"])), None)
        result.append(Outcome(label["source"], label["quote"], label["speaker"], match and match["speaker"]))
    return result


def summary(results: list[Outcome]) -> str:
    named = [r for r in results if r.truth is not None]
    given = [r for r in results if r.given is not None]
    covered = sum(1 for r in named if r.given is not None)
    right = sum(1 for r in given if r.right)
    return (f"{len(results)} labelled quotations, {len(named)} with a named speaker: "
            f"with a speaker {covered}/{len(named)} ({covered / max(len(named), 1):.1%}); "
            f"right {right}/{len(given)} ({right / max(len(given), 1):.1%})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--list", action="store_true", help="print every quotation with its two speakers")
    args = parser.parse_args(argv)
    labels = read_labels()
    results = outcomes(labels, extracted_quotes(labels, args.model))
    if args.list:
        for r in results:
            mark = "ok" if r.right or (r.truth is None and r.given is None) else "--"
            print(f"{mark}\t{r.source}\t{r.truth}\t{r.given}\t{r.quote}")
    print(summary(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
