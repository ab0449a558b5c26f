"""Scale-out: the run's own worker processes and a Dask cluster give the same warehouse as one
process, and the run summary says where the time went."""

from __future__ import annotations

import pytest

from tests.conftest import query
from tests.reliability import fingerprint

ENTITY_ROWS = "select entity_id, name, label, mentions, articles from entities"
QUOTE_ROWS = "select article_id, quote_no, start_char, end_char, speaker_entity_id from quotes"


def warehouse_contents(db) -> dict[str, list[tuple]]:
    """Every content table's keys, plus the merged entities and quote speakers."""
    return {**fingerprint(db), "entities": sorted(query(db, ENTITY_ROWS)), "quotes": sorted(query(db, QUOTE_ROWS))}


@pytest.fixture(scope="module")
def one_process_contents(tmp_path_factory, prefect_api):
    """The warehouse the seeds make with extraction in the flow's own process, in 2-file batches."""
    from tests.conftest import SEED_FILES, SEEDS, settled_copy
    from flows.ingest import ingest

    folder = tmp_path_factory.mktemp("one-process")
    for name in SEED_FILES:
        settled_copy(SEEDS / name, folder / "inbox" / name)
    db = folder / "wirehouse.duckdb"
    ingest(folder / "inbox", db, {"settle_seconds": 0, "processes": 1, "batch_files": 2})
    return warehouse_contents(db)


@pytest.fixture(scope="module")
def dask_cluster():
    """A local Dask cluster of two single-threaded worker processes: (scheduler address)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_worker_pool_gives_the_same_warehouse_as_one_process(inbox, db, run_flow, one_process_contents):
    summary = run_flow(inbox, db, processes=2, batch_files=2)
    assert summary.extracted_on == "2 process(es)"
    assert warehouse_contents(db) == one_process_contents


def test_dask_runner_gives_the_same_warehouse_as_the_local_runner(inbox, db, prefect_api, dask_cluster,
                                                                  one_process_contents):
    from flows.ingest import ingest_on

    overrides = {"settle_seconds": 0, "batch_files": 2, "runner": "dask", "dask_address": dask_cluster,
                 "dask_chunk_articles": 2}
    summary = ingest_on("dask", dask_cluster)(inbox, db, overrides)
    assert summary.extracted_on == f"the Dask cluster at {dask_cluster}"
    assert warehouse_contents(db) == one_process_contents


def test_dask_extract_tasks_ran_on_both_cluster_workers(inbox, db, prefect_api, dask_cluster):
    from distributed import Client

    from flows.ingest import ingest_on

    from transforms.extract import load_pipeline

    overrides = {"settle_seconds": 0, "runner": "dask", "dask_address": dask_cluster, "dask_chunk_articles": 1}
    with Client(dask_cluster) as client:
        client.run(load_pipeline.cache_clear)  # forget models earlier tests loaded on the workers
        ingest_on("dask", dask_cluster)(inbox, db, overrides)
        models_loaded = client.run(lambda: load_pipeline.cache_info().currsize)
    assert len(models_loaded) == 2 and all(models_loaded.values())


def test_a_dead_extraction_worker_costs_a_warning_not_the_run(prefect_api, caplog):
    import os
    import signal

    import pyarrow as pa
    from prefect import flow

    from flows.workers import extract_here_or_in_pool, extraction_pool
    from transforms import DEFAULT_MODEL
    from transforms.extract import extract

    bodies = ["Vladimir Putin met Angela Merkel in Berlin.", "The talks in Geneva ended on Friday."]
    articles = pa.table({"article_id": ["a", "b"], "body": bodies})

    @flow
    def extract_after_a_worker_dies():
        with extraction_pool(DEFAULT_MODEL, 2) as pool:
            pool.wait_until_warm()
            os.kill(next(iter(pool._executor._processes)), signal.SIGKILL)
            return extract_here_or_in_pool(articles, DEFAULT_MODEL, 64, pool)

    result = extract_after_a_worker_dies()

    assert result.mentions == extract(zip(["a", "b"], bodies), model=DEFAULT_MODEL).mentions
    assert "extraction worker process ended abruptly" in caplog.text


def test_run_summary_profiles_every_stage(inbox, db, run_flow):
    summary = run_flow(inbox, db)
    stages = [row[0] for row in summary.profile()]
    assert stages == ["discover", "parse", "extract", "validate", "load", "publish", "orchestration"]
    assert abs(sum(row[1] for row in summary.profile()) - summary.duration) < 0.05
    assert "worker-s on 1 process(es)" in dict((r[0], r[3]) for r in summary.profile())["extract"]


def test_dask_runner_without_an_address_is_a_settings_error():
    from pydantic import ValidationError

    from flows.settings import load_settings

    with pytest.raises(ValidationError, match="needs the scheduler's address"):
        load_settings(runner="dask")


def test_cli_names_an_unreachable_dask_scheduler(tmp_path):
    import socket

    from typer.testing import CliRunner

    from flows.cli import app

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(app, ["run", "--inbox", "seeds", "--db", str(tmp_path / "w.duckdb"),
                                      "--runner", "dask", "--address", f"127.0.0.1:{port}"])
    assert result.exit_code == 1
    assert f"cannot reach the Dask scheduler at 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output
