"""Where extraction runs: a pool of spaCy worker processes that lives for one whole run.

Starting a process and loading a model costs seconds, so a run starts its workers once, right
after discover (they load the model while the first batch is parsed), and every batch of the run
goes to the same workers. Each worker runs single-process ``nlp.pipe`` over a chunk of articles
and sends back compact Arrow tables, not serialized Docs. The pool is used only from the flow's
own process, and passed explicitly to what uses it (``with extraction_pool(...) as pool:``, then
``extract_here_or_in_pool(..., pool)``); on a Dask cluster (``--runner dask``) each Dask worker
process is the worker instead.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace
from multiprocessing import get_context

import pyarrow as pa
from prefect import get_run_logger

from transforms.extract import Extraction, extract, load_pipeline

# Articles per unit of work sent to a worker: small enough that both workers stay busy to the
# end of a batch, large enough that nlp.pipe batches stay full and messages stay few.
CHUNK_ARTICLES = 48
# Below this many files a run extracts in its own process: spawning workers and loading the
# model in each costs more than it saves.
POOL_MIN_FILES = 200


def usable_cores() -> int:
    """CPU cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def worker_count(files: int, configured: int) -> int:
    """Extraction processes for a run over ``files`` files: the configured number, else every
    usable core once the run is big enough to pay for the workers' start-up."""
    if configured:
        return configured
    return usable_cores() if files >= POOL_MIN_FILES else 1


def article_chunks(articles: pa.Table, size: int = CHUNK_ARTICLES) -> list[pa.Table]:
    """``articles`` cut into consecutive slices of at most ``size`` rows."""
    return [articles.slice(start, size) for start in range(0, articles.num_rows, size)]


def id_body_lists(articles: pa.Table) -> tuple[list[str], list[str]]:
    """The article ids and bodies as plain lists: what crosses to a worker (a pickled Arrow
    slice may carry its parent's whole buffers)."""
    return articles.column("article_id").to_pylist(), articles.column("body").to_pylist()


def timed_extract(article_ids: list[str], bodies: list[str], model: str, batch_size: int) -> Extraction:
    """Extraction of the articles in this process, carrying the seconds it took."""
    started = time.perf_counter()
    result = extract(zip(article_ids, bodies), model=model, batch_size=batch_size)
    return replace(result, seconds=time.perf_counter() - started)


def warm(model: str, parent: int) -> None:
    """Worker start-up: load the pipeline once, before the first chunk arrives, and end with the
    run's process should it die without shutting the pool down (a SIGKILL): an orphaned worker
    would otherwise wait for work forever, holding the model's memory."""
    threading.Thread(target=exit_when_orphaned, args=(parent,), daemon=True).start()
    load_pipeline(model)


def exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


class ExtractionPool:
    """Worker processes with ``model`` loaded, shared by every batch of a run."""

    def __init__(self, model: str, processes: int) -> None:
        self.model = model
        self.processes = processes
        self.broken = False  # a worker died: the rest of the run extracts in the flow's process
        # spawn, not fork: the flow's process runs Prefect's threads and event loop.
        self._executor = ProcessPoolExecutor(processes, mp_context=get_context("spawn"),
                                             initializer=warm, initargs=(model, os.getpid()))
        for _ in range(processes):  # start every worker now so the model loads during parse
            self._executor.submit(os.getpid)

    def wait_until_warm(self) -> None:
        """Return once every worker has loaded the model (benchmarks start their clocks here)."""
        seen: set[int] = set()
        while len(seen) < self.processes:
            seen |= {future.result() for future in [self._executor.submit(os.getpid) for _ in range(self.processes)]}
            time.sleep(0.05)

    def extract(self, articles: pa.Table, batch_size: int) -> Extraction:
        """Sentences, mentions and quotes of ``articles``, chunks spread over the workers."""
        futures: list[Future] = [self._executor.submit(timed_extract, *id_body_lists(chunk), self.model, batch_size)
                                 for chunk in article_chunks(articles)]
        return Extraction.concat([future.result() for future in futures])

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


@contextmanager
def extraction_pool(model: str, processes: int) -> Iterator[ExtractionPool | None]:
    """The run's pool while the block runs (None for one process), shut down when it ends."""
    if processes <= 1:
        yield None
        return
    pool = ExtractionPool(model, processes)
    try:
        yield pool
    finally:
        pool.close()


def extract_here_or_in_pool(articles: pa.Table, model: str, batch_size: int,
                            pool: ExtractionPool | None = None) -> Extraction:
    """Extraction of ``articles`` by ``pool`` when it runs ``model``, else in this process (single
    runs, small runs, and tasks running on a Dask worker). A pool whose worker died (killed for
    memory, or a script without a ``__main__`` guard, which spawned workers cannot import) is
    marked broken with a warning and the run goes on in this process."""
    if pool is not None and pool.model == model and not pool.broken:
        try:
            return pool.extract(articles, batch_size)
        except BrokenProcessPool as error:
            pool.broken = True
            get_run_logger().warning("an extraction worker process ended abruptly (%s); the rest of this "
                                     "run extracts in the flow's own process", error)
    return timed_extract(*id_body_lists(articles), model, batch_size)
