"""Run progress: bars on a terminal, plain lines elsewhere, nothing for a small run."""

from __future__ import annotations

import io

from rich.console import Console

from flows import progress


def shown(terminal: bool, files: int) -> str:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=terminal, width=100)
    with progress.shown_on(console):
        progress.advance("files parsed", files // 2, files, files)
        progress.advance("files parsed", files - files // 2, files, files)
        progress.advance("batches loaded", 1, 1, files)
    return stream.getvalue()


def test_a_long_run_off_a_terminal_prints_plain_lines_with_rate():
    lines = shown(terminal=False, files=1000).splitlines()
    assert lines[0] == "files parsed: 500/1,000"  # the first update sets the pace's start
    assert lines[1].startswith("files parsed: 1,000/1,000 (") and lines[1].endswith("/s)")
    assert lines[2].startswith("batches loaded: 1/1 (")
    assert "\x1b" not in "".join(lines)


def test_a_long_run_on_a_terminal_draws_a_bar_per_stage():
    output = shown(terminal=True, files=1000)
    assert "files parsed" in output and "batches loaded" in output and "1000/1000" in output and "━" in output


def test_a_small_run_shows_no_progress():
    assert shown(terminal=False, files=progress.MIN_FILES - 1) == ""
