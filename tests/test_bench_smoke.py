"""A tiny run of the pipeline benchmark: it must work end to end (no timing is asserted)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bench.corpus import CORPUS, build_inbox, story_text
from tests.conftest import ROOT

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason=f"benchmark corpus not found at {CORPUS}")


def test_story_text_starts_with_headline_then_dateline():
    story = {"title": "COCOA REVIEW", "dateline": "SALVADOR, Feb 26 -", "body": "Showers continued.\n"}
    assert story_text(story) == "COCOA REVIEW\n\nSALVADOR, Feb 26 - Showers continued.\n"


@needs_corpus
def test_build_inbox_writes_one_file_per_story(tmp_path):
    inbox = build_inbox(12, tmp_path)
    assert len(list(inbox.glob("*.txt"))) == 12


@needs_corpus
def test_benchmark_smoke_prints_every_measure(tmp_path):
    # A subprocess, like `make bench`: the flow's log handlers must not outlive this test's streams.
    report_file = tmp_path / "BENCHMARKS.md"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"),
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
    result = subprocess.run(
        [sys.executable, "-m", "bench.pipeline", "--articles", "20", "--rss", "20",
         "--write", str(report_file), "--data", str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for measure in ("(a) bare nlp.pipe, 1 process", "(b) extract stage, 2 processes", "(c) whole flow",
                    "(d) load, mention rows", "(e) no-op rerun", "(f) peak RSS"):
        assert measure in result.stdout
    assert report_file.read_text().startswith("# Benchmarks")
