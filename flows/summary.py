"""What one run did: the batch being built, stage timings and the run's counts."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from transforms.extract import Extraction
from warehouse.discover import Candidate, Discovery
from warehouse.load import Batch, FileVersion


class StageClock:
    """Seconds spent per stage, summed over the run's batches."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += round(time.perf_counter() - started, 3)


@dataclass
class ParsedBatch:
    """The files of one batch with their outcome so far, and their articles."""

    files: list[FileVersion] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)
    deferred: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def add_file(self, candidate: Candidate, status: str, reason: str | None, encoding: str | None = None,
                 article_count: int = 0, warnings: tuple[str, ...] = ()) -> None:
        self.files.append(FileVersion(candidate.path, candidate.sha256, candidate.size_bytes,
                                      candidate.modified_at, status, reason, encoding, article_count))
        self.warnings.extend((candidate.path, w) for w in warnings)

    def defer(self, candidate: Candidate, why: str) -> None:
        self.deferred.append((candidate.path, why))

    def rejections(self) -> list[tuple[str, str]]:
        return [(f.path, f.reason) for f in self.files if f.status == "rejected"]

    def to_load_batch(self, run_id: str, extraction: Extraction, outcome) -> Batch:
        """The batch to write: everything parsed, or, when validation failed, only file rows
        with the parsed files quarantined for the validation's reason."""
        from transforms.articles import articles_table

        if not outcome.failed:
            return Batch(run_id, self.files, articles_table(self.articles), extraction.tables(), outcome.results)
        reason = f"quarantined by validation: {outcome.reason()}"
        files = [FileVersion(f.path, f.sha256, f.size_bytes, f.modified_at, "quarantined", reason,
                             f.encoding, f.article_count) if f.status == "loaded" else f for f in self.files]
        nothing = {name: rows.slice(0, 0) for name, rows in extraction.tables().items()}
        return Batch(run_id, files, articles_table([]), nothing, outcome.results)


RUN_COUNTS = ("files_seen", "files_new", "files_changed", "files_unchanged", "files_duplicate",
              "files_rejected", "files_quarantined", "articles", "sentences", "mentions")


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
    top_entities: list[tuple[str, str, int]] = field(default_factory=list)
    docs_path: Path | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)
    entity_keys: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def start(cls, run_id: str, inbox: Path, db: Path, found: Discovery) -> RunSummary:
        totals = dict.fromkeys(RUN_COUNTS, 0)
        totals.update(files_seen=len(found.candidates) + found.unchanged, files_new=found.count("new"),
                      files_changed=found.count("changed"), files_unchanged=found.unchanged)
        return cls(run_id, inbox, db, totals, skipped=list(found.skipped))

    def add_batch(self, batch: Batch, parsed: ParsedBatch, outcome) -> None:
        for status in ("duplicate", "rejected", "quarantined"):
            self.totals[f"files_{status}"] += sum(1 for f in batch.files if f.status == status)
        for table in ("articles", "sentences", "mentions"):
            self.totals[table] += batch.count(table)
        self.quarantined += [(f.path, f.reason) for f in batch.files if f.status == "quarantined"]
        self.rejected += parsed.rejections()
        self.skipped += parsed.deferred
        mentions = batch.rows["mentions"]
        self.entity_keys.update(zip(mentions.column("text").to_pylist(), mentions.column("label").to_pylist()))
        self.validation += outcome.results.to_dict("records")
        self.docs_path = outcome.docs_path or self.docs_path
        self.top_entities = top_mentions(batch.rows["mentions"], self.top_entities)

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
        return [*files, ("files skipped", len(self.skipped)),
                ("articles", t["articles"]), ("sentences", t["sentences"]), ("mentions", t["mentions"]),
                ("entities", len(self.entity_keys)),
                ("validation pass rate", "n/a" if rate is None else f"{rate:.0%}"),
                *((f"seconds {stage}", round(seconds, 2)) for stage, seconds in self.stage_seconds.items())]

    @property
    def duration(self) -> float:
        return round(sum(self.stage_seconds.values()), 2)

    @property
    def nothing_new(self) -> bool:
        return not (self.totals["files_new"] or self.totals["files_changed"])

    def headline(self) -> str:
        t = self.totals
        if self.nothing_new:
            return (f"nothing new: {t['files_unchanged']} file(s) unchanged, 0 articles added "
                    f"({self.duration:.1f}s)")
        return (f"{t['files_new']} new and {t['files_changed']} changed file(s) -> {t['articles']} article(s), "
                f"{t['mentions']} mention(s); {t['files_quarantined']} quarantined, {t['files_rejected']} rejected, "
                f"{t['files_duplicate']} duplicate ({self.duration:.1f}s)")


def top_mentions(mentions: pa.Table, previous: list[tuple[str, str, int]], limit: int = 10) -> list[tuple[str, str, int]]:
    """The most mentioned (text, label) pairs so far, most first."""
    counts: dict[tuple[str, str], int] = {(t, l): n for t, l, n in previous}
    for text, label in zip(mentions.column("text").to_pylist(), mentions.column("label").to_pylist()):
        counts[(text, label)] = counts.get((text, label), 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(text, label, n) for (text, label), n in ranked[:limit]]
