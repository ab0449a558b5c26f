"""Extraction throughput against bare ``nlp.pipe``, both measured in this process on the same texts.

    .venv/bin/python -m bench.extraction_speed [--articles 1000] [--repeats 5] [--model NAME ...]

(a) bare ``nlp.pipe``: the model with only its sentence segmenter and NER (what extraction
loads), none of the project's components, Docs discarded. (b) Wirehouse's extraction:
``transforms.extract.extract`` (the same model plus span hygiene, label voting, canonical names,
places and quotes, building the sentence, mention and quote tables). Both run in this process on
the same texts, the parsed bodies of the first ``--articles`` Reuters-21578 stories, as
``--repeats`` interleaved pairs (bare, Wirehouse, bare, Wirehouse, ...): a neighbour's load on a
shared machine falls on both halves of a pair alike. The figure is the median over the pairs of
(b)/(a) in words per second; the target is at least 0.9. With several ``--model`` names, each
installed model is measured in turn (one not installed is reported so).
"""

from __future__ import annotations

import argparse
import statistics
import time

import spacy

from bench.top_entities import corpus_articles
from transforms import DEFAULT_MODEL

REPEATS = 5


def bare_pipeline(model: str):
    """The model as extraction loads it, without the project's components."""
    from transforms.extract import UNUSED_COMPONENTS

    nlp = spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp


def bare_seconds(nlp, texts: list[str]) -> float:
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - started


def extract_seconds(articles: list[tuple[str, str]], model: str) -> float:
    from transforms.extract import extract

    started = time.perf_counter()
    extract(articles, model=model)
    return time.perf_counter() - started


def measure(model: str, articles: list[tuple[str, str]], repeats: int) -> tuple[float, float, float]:
    """(bare words per second, Wirehouse words per second, Wirehouse / bare) as medians over
    ``repeats`` interleaved pairs."""
    from transforms.extract import load_pipeline

    texts = [body for _, body in articles]
    words = sum(len(text.split()) for text in texts)
    nlp = bare_pipeline(model)
    load_pipeline(model)(texts[0])  # loaded and warmed before the clock starts, as the bare one
    pairs = [(bare_seconds(nlp, texts), extract_seconds(articles, model)) for _ in range(repeats)]
    print("pairs (bare s, Wirehouse s, ratio): " + ", ".join(f"({b:.1f}, {o:.1f}, {b / o:.2f})" for b, o in pairs))
    return (words / statistics.median(bare for bare, _ in pairs), words / statistics.median(ours for _, ours in pairs),
            statistics.median(bare / ours for bare, ours in pairs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=REPEATS, help="interleaved (bare, Wirehouse) pairs")
    parser.add_argument("--model", action="append", help=f"spaCy model package (default {DEFAULT_MODEL})")
    args = parser.parse_args(argv)
    articles = corpus_articles(args.articles)
    print(f"{len(articles):,} articles, {sum(len(b.split()) for _, b in articles):,} words, median of {args.repeats} interleaved pairs")
    for model in args.model or [DEFAULT_MODEL]:
        if not spacy.util.is_package(model):
            print(f"{model}: not installed")
            continue
        bare, ours, ratio = measure(model, articles, args.repeats)
        print(f"{model}: bare nlp.pipe {bare:,.0f} words/s; Wirehouse extract {ours:,.0f} words/s; "
              f"{ratio:.3f} x bare")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
