"""The ingestion flow: discover -> parse -> extract -> validate -> load -> publish.

Wiring only: each task opens what it needs (connections, the spaCy pipeline) itself and passes
paths and tables on, never live objects.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import pyarrow as pa
from filelock import FileLock, Timeout
from prefect import flow, get_run_logger, runtime, task
from prefect.cache_policies import NO_CACHE

from flows.artifacts import publish_artifacts
from flows.summary import ParsedBatch, RunSummary, StageClock
from transforms.articles import articles_table, file_articles
from transforms.decode import UndecodableInput
from transforms.extract import Extraction, entity_labels
from transforms.extract import extract as extract_articles
from warehouse import load as loader
from warehouse.discover import Candidate, Discovery
from warehouse.discover import discover as discover_inbox
from warehouse.store import apply_views, open_writer, publish as publish_copy

TRANSIENT = dict(retries=2, retry_delay_seconds=[2, 10])


class RunAlreadyActive(RuntimeError):
    """Another run holds this warehouse for longer than the lock timeout."""


@task(name="discover", cache_policy=NO_CACHE, **TRANSIENT)
def discover(db: Path, inbox: Path, settle_seconds: float) -> Discovery:
    with open_writer(db) as con:
        found = discover_inbox(con, inbox, settle_seconds=settle_seconds)
    logger = get_run_logger()
    logger.info("discovered %d new, %d changed, %d duplicate, %d unchanged file(s) in %s",
                found.count("new"), found.count("changed"), found.count("duplicate"), found.unchanged, inbox)
    for path, why in found.skipped:
        logger.warning("skipped %s: %s", path, why)
    return found


def parse_candidate(candidate: Candidate, batch: ParsedBatch) -> None:
    """Add one file version's outcome (and articles) to the batch."""
    if candidate.change == "duplicate":
        batch.add_file(candidate, "duplicate", f"same content as {candidate.duplicate_of}")
        return
    try:
        raw = Path(candidate.absolute_path).read_bytes()
    except FileNotFoundError:
        batch.defer(candidate, "file vanished between discover and parse; will be seen again if it returns")
        return
    if hashlib.sha256(raw).hexdigest() != candidate.sha256:
        batch.defer(candidate, "file changed while the run was reading it; deferred to the next run")
        return
    try:
        parsed = file_articles(raw, candidate.sha256)
    except UndecodableInput as error:
        batch.add_file(candidate, "rejected", str(error))
        return
    if not parsed.articles:
        batch.add_file(candidate, "rejected", "no article text found")
        return
    batch.add_file(candidate, "loaded", None, parsed.encoding, len(parsed.articles), parsed.warnings)
    batch.articles.extend(parsed.articles)


@task(name="parse", cache_policy=NO_CACHE)
def parse(candidates: list[Candidate]) -> ParsedBatch:
    batch = ParsedBatch()
    for candidate in candidates:
        parse_candidate(candidate, batch)
    logger = get_run_logger()
    for path, why in batch.deferred + batch.rejections():
        logger.warning("%s: %s", path, why)
    logger.info("parsed %d file(s) into %d article(s)", len(candidates), len(batch.articles))
    return batch


def worker_count(articles: int, configured: int) -> int:
    """Processes for nlp.pipe: a second process pays off only for a batch of some size."""
    if configured:
        return configured
    return min(os.cpu_count() or 1, 2) if articles >= 200 else 1


@task(name="extract", cache_policy=NO_CACHE)
def extract(articles: pa.Table, model: str, batch_size: int, processes: int) -> Extraction:
    pairs = zip(articles.column("article_id").to_pylist(), articles.column("body").to_pylist())
    n_process = worker_count(articles.num_rows, processes)
    result = extract_articles(pairs, model=model, batch_size=batch_size, n_process=n_process)
    get_run_logger().info("extracted %d sentence(s) and %d mention(s) with %s on %d process(es)",
                          result.sentences.num_rows, result.mentions.num_rows, model, n_process)
    return result


@task(name="validate", cache_policy=NO_CACHE)
def validate(articles: pa.Table, extraction: Extraction, model: str, gx_dir: Path, run_id: str):
    # GX costs seconds to import: expectations.validate imports it only inside validate_batch.
    from expectations.validate import ValidationOutcome, validate_batch

    if articles.num_rows == 0:
        return ValidationOutcome.nothing_to_validate()
    outcome = validate_batch(
        articles.to_pandas(), extraction.sentences.to_pandas(), extraction.mentions.to_pandas(),
        labels=entity_labels(model), gx_dir=gx_dir, run_name=run_id,
    )
    logger = get_run_logger()
    passed = int(outcome.results["success"].sum()) if not outcome.results.empty else 0
    logger.info("validation: %d of %d expectation(s) passed; Data Docs at %s",
                passed, len(outcome.results), outcome.docs_path)
    if outcome.failed:
        logger.error("batch quarantined: %s", outcome.reason())
    return outcome


@task(name="load", cache_policy=NO_CACHE, **TRANSIENT)
def load(db: Path, run_id: str, parsed: ParsedBatch, extraction: Extraction, outcome) -> loader.Batch:
    batch = parsed.to_load_batch(run_id, extraction, outcome)
    with open_writer(db) as con:
        loader.load_batch(con, batch)
    get_run_logger().info("loaded %d article(s), %d sentence(s), %d mention(s)",
                          batch.count("articles"), batch.count("sentences"), batch.count("mentions"))
    return batch


@task(name="publish", cache_policy=NO_CACHE, **TRANSIENT)
def publish(db: Path, summary: RunSummary, touched: list) -> Path:
    with open_writer(db) as con:
        loader.record_touched(con, touched)
        apply_views(con)
        loader.finish_run(con, summary.run_id, "completed", summary.counts(), summary.stage_seconds)
    published = publish_copy(db)
    publish_artifacts(summary)
    get_run_logger().info(summary.headline())
    return published


def current_run_id() -> str:
    return str(runtime.flow_run.id or uuid.uuid4())


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def process_batch(candidates: list[Candidate], settings, run_id: str, summary: RunSummary, clock: StageClock) -> None:
    """parse -> extract -> validate -> load for one transaction's worth of files."""
    with clock("parse"):
        parsed = parse(candidates)
    articles = articles_table(parsed.articles)
    with clock("extract"):
        extraction = extract(articles, settings.model, settings.nlp_batch_size, settings.processes)
    with clock("validate"):
        outcome = validate(articles, extraction, settings.model, settings.gx_dir, run_id)
    with clock("load"):
        summary.add_batch(load(settings.db, run_id, parsed, extraction, outcome), parsed, outcome)


@flow(name="wirehouse-ingest", flow_run_name="ingest {inbox}", log_prints=True)
def ingest(inbox: Path, db: Path, settings_overrides: dict | None = None) -> RunSummary:
    """One ingestion run: new and changed files under ``inbox`` into the warehouse ``db``."""
    from flows.settings import load_settings

    settings = load_settings(inbox=inbox, db=db, **(settings_overrides or {}))
    run_id = current_run_id()
    clock = StageClock()
    lock = FileLock(str(settings.db) + ".lock")
    try:
        lock.acquire(timeout=settings.lock_timeout_seconds)
    except Timeout as error:
        raise RunAlreadyActive(f"another run holds {settings.db} (lock {lock.lock_file})") from error
    try:
        with open_writer(settings.db) as con:
            loader.start_run(con, run_id, str(runtime.flow_run.id or ""))
        try:
            with clock("discover"):
                found = discover(settings.db, settings.inbox, settings.settle_seconds)
            summary = RunSummary.start(run_id, settings.inbox, settings.db, found)
            for candidates in chunks(found.candidates, settings.batch_files):
                process_batch(candidates, settings, run_id, summary, clock)
            summary.stage_seconds = clock.seconds
            with clock("publish"):
                publish(settings.db, summary, found.touched)
            summary.stage_seconds = clock.seconds
            return summary
        except BaseException as error:
            mark_failed(settings.db, run_id, clock, error)
            raise
    finally:
        lock.release()


def mark_failed(db: Path, run_id: str, clock: StageClock, error: BaseException) -> None:
    """Record the failure on the run row and publish, so `wirehouse status` shows it."""
    with open_writer(db, attempts=2) as con:
        loader.finish_run(con, run_id, "failed", {}, clock.seconds, f"{type(error).__name__}: {error}")
    publish_copy(db)
