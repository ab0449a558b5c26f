"""Progress of a run for the person who started it: Rich bars with rate and ETA on a terminal,
plain lines otherwise (a log file, CI), and nothing for runs too small to need either.

The flow reports through ``advance``; only `wirehouse run` listens (``shown_on``), so served and
test runs are unchanged. The flow runs in the CLI's own process, so a module-level listener is enough.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TaskID, TextColumn,
                           TimeRemainingColumn)
from rich.text import Text

# Runs over fewer files take seconds: a bar would only flicker.
MIN_FILES = 200


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.1f}/s" if task.speed else "")


class PlainProgress:
    """A line per stage at most every ``every`` seconds (and when it completes), with rate and ETA."""

    def __init__(self, console: Console, every: float = 5.0) -> None:
        self.console, self.every = console, every
        self.started: float | None = None  # the first update: Prefect's start-up is not the run's pace
        self.done: dict[str, int] = {}
        self.printed: dict[str, float] = {}

    def advance(self, stage: str, amount: int, total: int) -> None:
        self.done[stage] = done = self.done.get(stage, 0) + amount
        now = time.monotonic()
        self.started = self.started or now
        if done < total and now - self.printed.get(stage, 0.0) < self.every:
            return
        self.printed[stage] = now
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        pace = f"{rate:,.1f}/s" + (f", about {(total - done) / rate:.0f}s left" if done < total and rate else "")
        self.console.print(f"{stage}: {done:,}/{total:,}" + (f" ({pace})" if rate else ""), markup=False,
                           highlight=False)

    def close(self) -> None:
        pass


class BarProgress:
    """A Rich bar per stage, started with the first update."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(),
                                 RateColumn(), TimeRemainingColumn(), console=console)
        self.tasks: dict[str, TaskID] = {}

    def advance(self, stage: str, amount: int, total: int) -> None:
        if not self.tasks:
            self.progress.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.tasks[stage], advance=amount, total=total)

    def close(self) -> None:
        self.progress.stop()


_listener: PlainProgress | BarProgress | None = None


def advance(stage: str, amount: int, total: int, files: int) -> None:
    """Tell whoever watches this run that ``amount`` more of ``total`` went through ``stage``, in
    a run over ``files`` files (small runs show nothing)."""
    if _listener is not None and files >= MIN_FILES:
        _listener.advance(stage, amount, total)


@contextmanager
def shown_on(console: Console) -> Iterator[None]:
    """While the block runs, show the progress of its run on ``console``: bars on a terminal, lines otherwise."""
    global _listener
    _listener = BarProgress(console) if console.is_terminal else PlainProgress(console)
    try:
        yield
    finally:
        _listener.close()
        _listener = None
