"""The ingestion flow: discover -> parse -> extract -> validate -> load -> publish.

Wiring only: each task opens what it needs (connections, the spaCy pipeline) itself and passes
paths, tables and the batch record (records/batch.py) on; the one live object passed is the run's
extraction pool, handed explicitly to the extract task.
"""

from __future__ import annotations

import hashlib
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
from filelock import FileLock, Timeout
from prefect import flow, get_run_logger, runtime, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.logging.loggers import flow_run_logger
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows import progress
from flows.artifacts import publish_artifacts
from flows.loading import load_batch, settle_entities
from flows.retries import TRANSIENT
from flows.summary import RunSummary, StageClock
from flows.workers import ExtractionPool, article_chunks, extract_here_or_in_pool, extraction_pool, worker_count
from records.batch import Batch, FileVersion
from transforms.articles import articles_table, file_articles
from transforms.decode import UndecodableInput, reject_oversized
from transforms.extract import Extraction, entity_labels, extraction_note
from transforms.parse import TooManyArticles
from transforms.quarantine import without_quarantined
from warehouse import load as loader
from warehouse import maintain as maintenance
from warehouse.discover import Candidate, Discovery, NotARegularFile, content_of
from warehouse.discover import discover as discover_inbox
from warehouse.store import Lake, apply_views, open_writer

class RunAlreadyActive(RuntimeError):
    """Another run holds this warehouse for longer than the lock timeout."""


@task(name="begin", cache_policy=NO_CACHE, **TRANSIENT)
def begin(lake: Lake, run_id: str, locked_at: datetime) -> None:
    """Delete the data files killed runs left, then record the run as running (and runs a crash
    left running as crashed). ``locked_at``: when this run took the run lock."""
    with open_writer(lake) as con:
        leftovers = maintenance.delete_leftover_files(con, lake, written_before=locked_at)
        with loader.transaction(con):
            loader.start_run(con, run_id, str(runtime.flow_run.id or ""))
    if leftovers:
        get_run_logger().warning("deleted %d data file(s) that an interrupted run wrote but never committed, "
                                 "e.g. %s", len(leftovers), leftovers[0])


@task(name="discover", cache_policy=NO_CACHE, **TRANSIENT)
def discover(lake: Lake, inbox: Path, settle_seconds: float) -> Discovery:
    with open_writer(lake) as con, loader.transaction(con):
        found = discover_inbox(con, inbox, settle_seconds=settle_seconds)
    logger = get_run_logger()
    logger.info("discovered %d new, %d changed, %d duplicate, %d unchanged file(s) in %s",
                found.count("new"), found.count("changed"), found.count("duplicate"), found.unchanged, inbox)
    for path, why in found.skipped:
        logger.warning("skipped %s: %s", path, why)
    if found.removed:
        logger.info("%d file(s) gone from the inbox; their rows are kept: %s", len(found.removed),
                    ", ".join(found.removed[:10]))
    return found


def file_version(candidate: Candidate, status: str, reason: str | None = None, encoding: str | None = None,
                 article_count: int = 0) -> FileVersion:
    return FileVersion(candidate.path, candidate.sha256, candidate.size_bytes, candidate.modified_at, status, reason,
                       encoding, article_count)


def parse_candidate(candidate: Candidate, max_articles: int) -> tuple[FileVersion, list[dict]] | str:
    """One file version's outcome and its articles, or why it is deferred to the next run."""
    if candidate.change == "duplicate":
        return file_version(candidate, "duplicate", f"same content as {candidate.duplicate_of}"), []
    try:
        reject_oversized(candidate.size_bytes)  # before reading: a huge file is never held in memory
        raw = content_of(candidate.absolute_path)
    except UndecodableInput as error:
        return file_version(candidate, "rejected", str(error)), []
    except FileNotFoundError:
        return "file vanished between discover and parse; will be seen again if it returns"
    except NotARegularFile:
        return ("no longer a regular file (replaced by a FIFO, device or folder between discover and parse); "
                "not read, the next run's discover says what it is")
    except OSError as error:  # e.g. made unreadable, or replaced by a link loop, after discover hashed it
        return f"cannot be read now ({error.strerror or error}); deferred, the next run's discover says why"
    if hashlib.sha256(raw).hexdigest() != candidate.sha256:
        return "file changed while the run was reading it; deferred to the next run"
    try:
        parsed = file_articles(raw, candidate.sha256, candidate.path, candidate.modified_at, max_articles)
    except (UndecodableInput, TooManyArticles) as error:
        return file_version(candidate, "rejected", str(error)), []
    if not parsed.articles:
        return file_version(candidate, "rejected", "no article text found"), []
    return (file_version(candidate, "loaded", extraction_note(parsed.articles), parsed.encoding, len(parsed.articles)),
            parsed.articles)


@task(name="parse", cache_policy=NO_CACHE)
def parse(candidates: list[Candidate], run_id: str, max_articles: int) -> Batch:
    files, articles, deferred = [], [], []
    for candidate in candidates:
        outcome = parse_candidate(candidate, max_articles)
        if isinstance(outcome, str):
            deferred.append((candidate.path, outcome))
            continue
        files.append(outcome[0])
        articles += outcome[1]
    batch = Batch(run_id, files, articles_table(articles), deferred=deferred)
    logger = get_run_logger()
    for path, why in batch.deferred + batch.rejections():
        logger.warning("%s: %s", path, why)
    logger.info("parsed %d file(s) into %d article(s)", len(candidates), batch.articles.num_rows)
    return batch


@task(name="extract", cache_policy=NO_CACHE)
def extract(articles: pa.Table, model: str, batch_size: int, pool: ExtractionPool | None = None) -> Extraction:
    result = extract_here_or_in_pool(articles, model, batch_size, pool)
    get_run_logger().info("extracted %d sentence(s) and %d mention(s) from %d article(s) with %s (%.1f worker-seconds)",
                          result.sentences.num_rows, result.mentions.num_rows, articles.num_rows, model,
                          result.seconds)
    return result


@task(name="validate", cache_policy=NO_CACHE)
def validate(batch: Batch, model: str, gx_dir: Path):
    # GX costs seconds to import: expectations.validate imports it only inside validate_batch.
    from expectations.validate import ValidationOutcome, validate_record

    if batch.articles.num_rows == 0:
        return ValidationOutcome.nothing_to_validate()
    outcome = validate_record(batch, labels=entity_labels(model), gx_dir=gx_dir)
    logger = get_run_logger()
    passed = int(outcome.results["success"].sum()) if not outcome.results.empty else 0
    logger.info("validation: %d of %d expectation(s) passed", passed, len(outcome.results))
    if outcome.failed_whole_batch:
        logger.error("batch of %d article(s) quarantined: %s", batch.articles.num_rows, outcome.reason())
    elif outcome.failed:
        logger.error("%d file(s) quarantined: %s", len(outcome.failed_files), outcome.reason())
    return outcome


@task(name="document", cache_policy=NO_CACHE)
def document(gx_dir: Path, run_id: str, model: str) -> Path | None:
    """The run's Data Docs: its batches' validation pages and the index of recent runs."""
    from expectations.validate import build_data_docs

    docs = build_data_docs(gx_dir, run_id, entity_labels(model))
    get_run_logger().info("Data Docs at %s", docs)
    return docs


@task(name="load", cache_policy=NO_CACHE, **TRANSIENT)
def load(lake: Lake, batch: Batch, outcome) -> Batch:
    """Write the batch with its validation results, less the files validation quarantined."""
    batch = batch.with_validation(outcome.results)
    if outcome.failed:
        batch = without_quarantined(batch, outcome.failed_files, outcome.failed_whole_batch, outcome.reason())
    with open_writer(lake) as con:
        load_batch(con, batch)
    get_run_logger().info("loaded %d article(s), %d sentence(s), %d mention(s)",
                          batch.count("articles"), batch.count("sentences"), batch.count("mentions"))
    return batch


@task(name="publish", cache_policy=NO_CACHE, **TRANSIENT)
def publish(lake: Lake, summary: RunSummary, touched: list) -> None:
    """Close the run in one transaction, the run's snapshot: touched mtimes, the entity merge,
    the views and the run row. Readers see it whole at the commit; nothing is copied."""
    with open_writer(lake) as con, loader.transaction(con):
        loader.record_touched(con, touched)
        settle_entities(con, loaded=not summary.nothing_new)
        apply_views(con)
        loader.finish_run(con, summary.run_id, "completed", summary.counts(), summary.stage_seconds)
    get_run_logger().info(summary.headline())


def current_run_id() -> str:
    return str(runtime.flow_run.id or uuid.uuid4())


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def start_extraction(articles: pa.Table, settings, pool: ExtractionPool | None) -> list[PrefectFuture]:
    """Futures of the batch's extraction, started now on the flow's task runner: one task into
    the run's worker ``pool`` (or the flow's process) locally, or one task per chunk of articles
    on a Dask cluster."""
    if articles.num_rows == 0:
        return []
    if settings.runner == "dask":
        with api_url_shared_with_workers():
            return list(extract.map(article_chunks(articles, settings.dask_chunk_articles),
                                    unmapped(settings.model), unmapped(settings.nlp_batch_size)))
    return [extract.submit(articles, settings.model, settings.nlp_batch_size, pool)]


def api_url_shared_with_workers():
    """Settings for tasks submitted to other processes: they carry this run's Prefect API address.
    A run on Prefect's ephemeral API has no PREFECT_API_URL, and a Dask worker would otherwise
    start an API of its own and report the task runs there. (The ephemeral API listens on
    127.0.0.1: a cluster on other machines needs a Prefect server, named by PREFECT_API_URL.)"""
    if PREFECT_API_URL.value():
        return nullcontext()
    return temporary_settings(updates={PREFECT_API_URL: str(FlowRunContext.get().client.api_url)})


@dataclass
class BatchInFlight:
    """A parsed batch whose extraction is running (Prefect futures: the flow's own business)."""

    batch: Batch
    extraction: list[PrefectFuture]


def finish_batch(in_flight: BatchInFlight, settings, summary: RunSummary, clock: StageClock,
                 totals: dict[str, int]) -> None:
    """Wait for the batch's extraction, then validate and load it."""
    with clock("extract"):
        extraction = Extraction.concat([future.result() for future in in_flight.extraction])
    batch = in_flight.batch.with_rows(extraction.tables())
    progress.advance("articles extracted", batch.articles.num_rows, totals["articles"], totals["files"])
    with clock("validate"):
        outcome = validate(batch, settings.model, settings.gx_dir)
    with clock("load"):
        loaded = load(settings.lake, batch, outcome)
    progress.advance("batches loaded", 1, totals["batches"], totals["files"])
    summary.add_batch(batch, loaded, outcome, extraction.seconds)


def ingest_batches(candidates: list[Candidate], settings, run_id: str, summary: RunSummary, clock: StageClock) -> None:
    """parse -> extract -> validate -> load, one transaction per batch of files. Each batch is
    parsed and its extraction started before the previous batch is validated and loaded, so the
    extraction workers keep busy while the single writer loads."""
    processes = 1 if settings.runner == "dask" else worker_count(len(candidates), settings.processes)
    summary.extracted_on = (f"the Dask cluster at {settings.dask_address}" if settings.runner == "dask"
                            else f"{processes} process(es)")
    batches = chunks(candidates, settings.batch_files)
    totals = {"files": len(candidates), "batches": len(batches), "articles": 0}  # articles: as parsed
    with extraction_pool(settings.model, processes) as pool:
        in_flight: BatchInFlight | None = None
        for files in batches:
            with clock("parse"):
                batch = parse(files, run_id, settings.max_articles_per_file)
            progress.advance("files parsed", len(files), totals["files"], totals["files"])
            totals["articles"] += batch.articles.num_rows
            started = BatchInFlight(batch, start_extraction(batch.articles, settings, pool))
            if in_flight is not None:
                finish_batch(in_flight, settings, summary, clock, totals)
            in_flight = started
        if in_flight is not None:
            finish_batch(in_flight, settings, summary, clock, totals)


def notify_failure(flow, flow_run, state) -> None:
    """Failure hook: log the failure and, when a notification block is configured, send it there."""
    from prefect.blocks.core import Block

    from flows.settings import load_settings

    message = f"Wirehouse run {flow_run.name!r} failed: {state.message}"
    flow_run_logger(flow_run, flow).error(message)
    parameters = flow_run.parameters
    settings = load_settings(inbox=parameters.get("inbox"), db=parameters.get("db"),
                             **(parameters.get("settings_overrides") or {}))
    if settings.notify_block:
        Block.load(settings.notify_block).notify(message, subject="Wirehouse run failed")


@flow(name="wirehouse-ingest", flow_run_name="ingest {inbox}", log_prints=True, on_failure=[notify_failure])
def ingest(inbox: Path, db: Path, settings_overrides: dict | None = None) -> RunSummary:
    """One ingestion run: new and changed files under ``inbox`` into the warehouse ``db``."""
    from flows.settings import load_settings

    settings = load_settings(inbox=inbox, db=db, **(settings_overrides or {}))
    run_id = current_run_id()
    clock = StageClock()
    lock = hold_run_lock(settings.db, settings.lock_timeout_seconds)
    locked_at = datetime.now(timezone.utc)
    try:
        begin(settings.lake, run_id, locked_at)
        try:
            with clock("discover"):
                found = discover(settings.lake, settings.inbox, settings.settle_seconds)
            summary = RunSummary.start(run_id, settings.inbox, settings.db, found)
            ingest_batches(found.candidates, settings, run_id, summary, clock)
            if summary.validation:
                with clock("validate"):
                    summary.docs_path = document(settings.gx_dir, run_id, settings.model)
            summary.clock_in(clock)
            with clock("publish"):
                publish(settings.lake, summary, found.touched)
            summary.clock_in(clock)
            publish_artifacts(summary, settings.lake)
            return summary
        except BaseException as error:
            mark_failed(settings.lake, run_id, clock, error)
            raise
    finally:
        lock.release()


def ingest_on(runner: str, dask_address: str | None = None):
    """The ingest flow with the task runner ``runner`` names: Prefect's thread pool with the
    run's own extraction processes ("local"), or an existing Dask cluster ("dask")."""
    if runner != "dask":
        return ingest
    from prefect_dask import DaskTaskRunner

    return ingest.with_options(task_runner=DaskTaskRunner(address=dask_address))


def hold_run_lock(db: Path, timeout: float) -> FileLock:
    """The acquired one-run-per-warehouse lock; waiting for it is logged so the wait shows in the UI."""
    lock = FileLock(str(db) + ".lock")
    try:
        lock.acquire(timeout=0)
        return lock
    except Timeout:
        get_run_logger().warning("another run holds %s; waiting up to %.0fs for it to finish", db, timeout)
    try:
        lock.acquire(timeout=timeout)
    except Timeout as error:
        raise RunAlreadyActive(f"another run holds {db} (lock {lock.lock_file})") from error
    return lock


def mark_failed(lake: Lake, run_id: str, clock: StageClock, error: BaseException) -> None:
    """Record the failure on the run row in one closing transaction, so `wirehouse status` shows it
    (no task retry covers a run already failing: the store itself tries twice). A run whose own
    closing transaction (publish) committed stays completed: its status changed with its data."""
    with open_writer(lake, attempts=2) as con, loader.transaction(con):
        if not loader.is_running(con, run_id):
            return  # its closing transaction committed: the run is complete and readers see it, whatever failed after
        settle_entities(con)  # batches committed before the failure are left merged
        loader.finish_run(con, run_id, "failed", {}, clock.seconds, f"{type(error).__name__}: {error}")
