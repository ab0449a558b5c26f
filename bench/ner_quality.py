"""Typed NER quality on hand-labelled Reuters-21578 stories: bare ``nlp.pipe`` against Wirehouse.

    .venv/bin/python -m bench.ner_quality [--half tuning|held_out|all] [--errors]

The stories are a fixed pick from ../shared/corpus (never copied into the repository): of the
stories with text from the 10,001st to the 12,000th (after the 10k top-entities run, before the
quote set), those with a title and 80-250 words of body, every 25th. A story's text is its body
with the 1987 hard wrapping undone (one line per paragraph, paragraphs separated by a blank line,
as modern news prints it) and the ``Reuter`` signature left off. tests/answers/ner_reuters.json
holds, per story, every PERSON / ORG / GPE / LOC / NORP span labelled by hand (OntoNotes
conventions, character offsets into that text, the span's text as a check) and the story's half:
the ``tuning`` half is the one rules were tuned on, the ``held_out`` half was never looked at
while tuning.

A prediction is right when its offsets and label equal a labelled span's (exact typed match; a
leading "the" is not scored, as conventions differ);
other labels the model knows (DATE, MONEY...) are not scored. Printed: P/R/F1 overall and per
label for (a) the bare model (its senter and NER, as extraction loads it) and (b) Wirehouse's
pipeline (``transforms.extract.load_pipeline``: the same model plus the news components), and the
mentions each gives that cross a line break.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from bench.corpus import corpus_stories
from bench.multi_article_set import unwrapped
from transforms import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = ROOT / "tests" / "answers" / "ner_reuters.json"
LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP")
ARTICLE = re.compile(r"(?:[Tt]he\s+)?")
FIRST, LAST, EVERY = 10_000, 12_000, 25
MIN_WORDS, MAX_WORDS = 80, 250


def story_body(story: dict) -> str:
    """The body as modern news prints it: one line per paragraph, blank lines between, no signature."""
    paragraphs = unwrapped(story["body"])
    if paragraphs and paragraphs[-1].upper().startswith("REUTER"):
        paragraphs = paragraphs[:-1]
    return "\n\n".join(paragraphs)


def picked_stories() -> Iterator[tuple[str, str]]:
    """(newid, text) of the labelled stories, by the fixed rule of the module docstring."""
    eligible = []
    for index, story in enumerate(corpus_stories()):
        if index >= LAST:
            break
        text = story_body(story)
        if index >= FIRST and story.get("title") and MIN_WORDS <= len(text.split()) <= MAX_WORDS:
            eligible.append((str(story["newid"]), text))
    yield from eligible[::EVERY]


Span = tuple[int, int, str]


def scores(gold: set[Span], predicted: set[Span]) -> tuple[int, int, int]:
    """(right, predicted, labelled) counts."""
    return len(gold & predicted), len(predicted), len(gold)


def prf(right: int, predicted: int, labelled: int) -> str:
    precision = right / predicted if predicted else 0.0
    recall = right / labelled if labelled else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"P {precision:.3f} R {recall:.3f} F1 {f1:.3f}"


def predicted_spans(nlp, texts: list[str]) -> list[set[Span]]:
    return [{(without_article(e.text, e.start_char), e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS}
            for doc in nlp.pipe(texts)]


def without_article(text: str, start: int) -> int:
    """The start past a leading "the ": labelling conventions differ on it (OntoNotes-trained
    models print "the United States"), so it is not scored either way."""
    return start + len(ARTICLE.match(text).group())


def line_crossings(texts: list[str], predictions: list[set[Span]]) -> int:
    return sum("\n" in text[start:end] for text, spans in zip(texts, predictions) for start, end, _ in spans)


def report(name: str, texts: list[str], gold: list[set[Span]], predicted: list[set[Span]]) -> None:
    print(f"{name}: {prf(*map(sum, zip(*(scores(g, p) for g, p in zip(gold, predicted)))))}; "
          f"{line_crossings(texts, predicted)} mentions cross a line break")
    for label in LABELS:
        counts = [scores({s for s in g if s[2] == label}, {s for s in p if s[2] == label})
                  for g, p in zip(gold, predicted)]
        right, guessed, labelled = map(sum, zip(*counts))
        print(f"  {label:<6} {prf(right, guessed, labelled)} ({labelled} labelled)")


def errors(newids: list[str], texts: list[str], gold: list[set[Span]], predicted: list[set[Span]]) -> None:
    for newid, text, g, p in zip(newids, texts, gold, predicted):
        for start, end, label in sorted(g - p):
            print(f"  {newid} missed {text[start:end]!r} {label}")
        for start, end, label in sorted(p - g):
            print(f"  {newid} wrong  {text[start:end]!r} {label}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("tuning", "held_out", "all"), default="all")
    parser.add_argument("--errors", action="store_true", help="list Wirehouse's misses and wrong spans")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    from bench.extraction_speed import bare_pipeline
    from transforms.extract import load_pipeline

    answers = {a["newid"]: a for a in json.loads(ANSWERS.read_text(encoding="utf-8"))["stories"]}
    stories = [(newid, text) for newid, text in picked_stories()
               if newid in answers and args.half in ("all", answers[newid]["half"])]
    newids, texts = [newid for newid, _ in stories], [text for _, text in stories]
    gold = [{(s, e, label) for s, e, label, _ in answers[newid]["spans"]} for newid in newids]
    for newid, text in stories:
        for start, end, label, printed in answers[newid]["spans"]:
            if text[start:end] != printed:
                raise SystemExit(f"ner_reuters.json: story {newid} [{start}:{end}] is {text[start:end]!r}, not {printed!r}")
    print(f"{len(stories)} stories ({args.half}), {sum(len(t.split()) for t in texts):,} words, "
          f"{sum(map(len, gold))} labelled spans, {Counter(s[2] for g in gold for s in g)}")
    bare = predicted_spans(bare_pipeline(args.model), texts)
    ours = predicted_spans(load_pipeline(args.model), texts)
    report("bare nlp.pipe", texts, gold, bare)
    report("Wirehouse", texts, gold, ours)
    if args.errors:
        errors(newids, texts, gold, ours)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
