"""A tiny run of the pipeline benchmark: it must work end to end (no timing is asserted)."""

from __future__ import annotations

import pytest

from bench.corpus import CORPUS, build_inbox, story_text
from bench.pipeline import main

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason=f"benchmark corpus not found at {CORPUS}")


def test_story_text_starts_with_headline_then_dateline():
    story = {"title": "COCOA REVIEW", "dateline": "SALVADOR, Feb 26 -", "body": "Showers continued.\n"}
    assert story_text(story) == "COCOA REVIEW\n\nSALVADOR, Feb 26 - Showers continued.\n"


@needs_corpus
def test_build_inbox_writes_one_file_per_story(tmp_path):
    inbox = build_inbox(12, tmp_path)
    assert len(list(inbox.glob("*.txt"))) == 12


@needs_corpus
def test_benchmark_smoke_prints_every_measure(prefect_api, capsys, tmp_path):
    report_file = tmp_path / "BENCHMARKS.md"
    assert main(["--articles", "20", "--rss", "20", "--write", str(report_file), "--data", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    for measure in ("(a) bare nlp.pipe, 1 process", "(b) extract stage, 2 processes", "(c) whole flow",
                    "(d) load, mention rows", "(e) no-op rerun", "(f) peak RSS"):
        assert measure in printed
    assert report_file.read_text().startswith("# Benchmarks")
