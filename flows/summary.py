"""What one run did: stage timings and the run's counts."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.compute as pc

from records.batch import Batch
from warehouse.discover import Discovery


class StageClock:
    """Seconds spent per stage, summed over the run's batches."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.started = time.perf_counter()

    def elapsed(self) -> float:
        """Wall seconds since the clock was made (the run's start)."""
        return round(time.perf_counter() - self.started, 3)

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += round(time.perf_counter() - started, 3)


RUN_COUNTS = ("files_seen", "files_new", "files_changed", "files_unchanged", "files_duplicate",
              "files_rejected", "files_quarantined", "files_skipped", "articles", "sentences", "mentions", "quotes")


@dataclass
class RunSummary:
    run_id: str
    inbox: Path
    db: Path
    totals: dict[str, int] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    validation: list[dict] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    docs_path: Path | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)
    extracted_on: str = "1 process(es)"
    extract_worker_seconds: float = 0.0
    words: int = 0
    wall_seconds: float = 0.0

    @classmethod
    def start(cls, run_id: str, inbox: Path, db: Path, found: Discovery) -> RunSummary:
        totals = dict.fromkeys(RUN_COUNTS, 0)
        totals.update(files_seen=len(found.candidates) + found.unchanged, files_new=found.count("new"),
                      files_changed=found.count("changed"), files_unchanged=found.unchanged,
                      files_skipped=len(found.skipped))
        return cls(run_id, inbox, db, totals, skipped=list(found.skipped))

    def add_batch(self, parsed: Batch, batch: Batch, outcome, extract_seconds: float) -> None:
        """Count a batch as parsed and as loaded (``batch``: less what validation quarantined)."""
        self.extract_worker_seconds += extract_seconds
        self.words += pc.sum(parsed.articles["word_count"]).as_py() or 0
        for status in ("duplicate", "rejected", "quarantined"):
            self.totals[f"files_{status}"] += sum(1 for f in batch.files if f.status == status)
        for table in ("articles", "sentences", "mentions", "quotes"):
            self.totals[table] += batch.count(table)
        self.quarantined += [(f.path, f.reason) for f in batch.files if f.status == "quarantined"]
        self.rejected += parsed.rejections()
        self.skipped += parsed.deferred
        self.totals["files_skipped"] += len(parsed.deferred)
        self.validation += outcome.results.to_dict("records")

    def verdicts(self) -> str:
        """One closing line: PASS, WARN or ERROR per suite, naming its first failed expectation."""
        if not self.validation:
            return "validation: nothing to validate"
        suites: dict[str, list[dict]] = defaultdict(list)
        for result in self.validation:
            suites[result["suite"]].append(result)
        verdicts = []
        for suite, results in sorted(suites.items()):
            failed = [r for r in results if not r["success"]]
            errors = [r for r in failed if r["severity"] == "error"]
            named = (errors or failed)[:1]
            verdict = "ERROR" if errors else "WARN" if failed else "PASS"
            verdicts.append(f"{suite} {verdict}" + "".join(
                f" ({r['expectation']}{' on ' + r['column'] if isinstance(r.get('column'), str) else ''})"
                for r in named))
        return "validation: " + ", ".join(verdicts)

    def counts(self) -> dict[str, int]:
        return dict(self.totals)

    def validation_pass_rate(self) -> float | None:
        """Share of this run's expectation results that passed; None when nothing was validated."""
        if not self.validation:
            return None
        return sum(1 for r in self.validation if r["success"]) / len(self.validation)

    def overview(self) -> list[tuple[str, object]]:
        """(measure, value) rows of the run-summary table: files, rows, validation and stage seconds."""
        t, rate = self.totals, self.validation_pass_rate()
        files = [(f"files {kind}", t[f"files_{kind}"]) for kind in
                 ("new", "changed", "unchanged", "duplicate", "rejected", "quarantined")]
        return [*files, ("files skipped", t["files_skipped"]),
                ("articles", t["articles"]), ("sentences", t["sentences"]), ("mentions", t["mentions"]),
                ("quotes", t["quotes"]),
                ("validation pass rate", "n/a" if rate is None else f"{rate:.0%}"),
                *((f"seconds {stage}", round(seconds, 2)) for stage, seconds in self.stage_seconds.items())]

    def stage_notes(self) -> dict[str, str]:
        """What each stage got through, as rates over the seconds the run spent in it."""
        t, s = self.totals, self.stage_seconds
        def rate(count: float, stage: str, unit: str) -> str:
            return f"{count / s[stage]:,.0f} {unit}/s" if s.get(stage) else ""
        extract = (f"{self.extract_worker_seconds:.1f} worker-s on {self.extracted_on}, "
                   f"{self.words / self.extract_worker_seconds:,.0f} words/s per worker"
                   if self.extract_worker_seconds else "")
        return {"discover": rate(t["files_seen"], "discover", "files"),
                "parse": rate(t["files_new"] + t["files_changed"], "parse", "files"),
                "extract": extract,
                "validate": rate(t["articles"], "validate", "articles"),
                "load": rate(t["sentences"] + t["mentions"] + t["articles"], "load", "rows")}

    def profile(self) -> list[tuple[str, float, str, str]]:
        """(stage, wall seconds, share of the run, throughput) rows: where the run's time went.
        Extraction overlaps the other stages, so its row counts only the time the flow waited
        for it; its worker-seconds are in the note. 'orchestration' is the rest of the run."""
        wall = max(self.wall_seconds, sum(self.stage_seconds.values()), 1e-9)
        notes = self.stage_notes()
        rows = [(stage, seconds, notes.get(stage, "")) for stage, seconds in self.stage_seconds.items()]
        rows.append(("orchestration", max(wall - sum(self.stage_seconds.values()), 0.0), "Prefect task runs and waits"))
        return [(stage, round(seconds, 2), f"{seconds / wall:.0%}", note) for stage, seconds, note in rows]

    def clock_in(self, clock: StageClock) -> None:
        """Take the run's stage seconds and wall time so far."""
        self.stage_seconds = dict(clock.seconds)
        self.wall_seconds = clock.elapsed()

    @property
    def duration(self) -> float:
        return round(max(self.wall_seconds, sum(self.stage_seconds.values())), 2)

    @property
    def nothing_new(self) -> bool:
        return not (self.totals["files_new"] or self.totals["files_changed"])

    def headline(self, seconds: float | None = None) -> str:
        """One line on what the run did, ending with ``seconds`` (default: the flow's own duration;
        the CLI passes the wall time its user waited, start-up included)."""
        t, took = self.totals, self.duration if seconds is None else seconds
        if self.nothing_new:
            return f"nothing new: {t['files_unchanged']} file(s) unchanged, 0 articles added ({took:.1f}s)"
        return (f"{t['files_new']} new and {t['files_changed']} changed file(s) -> {t['articles']} article(s), "
                f"{t['mentions']} mention(s); {t['files_quarantined']} quarantined, {t['files_rejected']} rejected, "
                f"{t['files_duplicate']} duplicate ({took:.1f}s)")
