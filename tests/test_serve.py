"""`wirehouse serve` against a real local Prefect server: scheduled cycles, artifacts, file arrival."""

from __future__ import annotations

import signal
import threading
from datetime import timedelta

import pytest

from flows.deployments import default_settings, prefect_yaml
from flows.serve import arrivals
from tests.conftest import ROOT, query, write_settled
from tests.prefect_server import local_prefect_server, stop, table_artifact, wait_for, wirehouse

INTERVAL_SECONDS = 40  # longer than one run of the seeds, so the new file lands between two cycles
NEW_ARTICLE = (b"OSLO (Reuters) - Norway's central bank held its key interest rate at 0.5 percent on Thursday, "
               b"Governor Oystein Olsen told reporters in Oslo, adding that inflation had slowed.\n\n"
               b"The decision was expected by all economists polled by Reuters.\n")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with local_prefect_server(tmp_path_factory.mktemp("prefect-server")) as api:
        yield api


def completed_runs(client, deployment_name: str) -> list:
    """Completed flow runs of the deployment, oldest first."""
    from prefect.client.schemas.filters import (DeploymentFilter, DeploymentFilterName, FlowRunFilter,
                                                FlowRunFilterState, FlowRunFilterStateType)
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    return client.read_flow_runs(
        deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment_name])),
        flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))),
        sort=FlowRunSort.EXPECTED_START_TIME_ASC,
    )


def test_two_scheduled_cycles_carry_summaries_and_the_second_loads_only_the_new_file(server, inbox, db, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api_url, env = server
    serving = wirehouse(["serve", "--inbox", str(inbox), "--db", str(db), "--interval", str(INTERVAL_SECONDS)],
                        {**env, "WIREHOUSE_SETTLE_SECONDS": "0"}, tmp_path / "serve.log")
    try:
        with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
            wait_for(lambda: completed_runs(client, db.stem), 150, "the first scheduled run")
            write_settled(inbox / "oslo.txt", NEW_ARTICLE)
            first, second = wait_for(lambda: completed_runs(client, db.stem)[1:] and completed_runs(client, db.stem),
                                     150, "the second scheduled run")[:2]
            summaries = [table_artifact(client, run.id, "run-summary") for run in (first, second)]
    finally:
        stop(serving)
    assert second.expected_start_time - first.expected_start_time == timedelta(seconds=INTERVAL_SECONDS)
    assert {"auto-scheduled", "wirehouse"} <= set(first.tags) & set(second.tags)
    assert (summaries[0]["files new"], summaries[0]["articles"]) == (5, 14)
    assert (summaries[1]["files new"], summaries[1]["files changed"], summaries[1]["files unchanged"]) == (1, 0, 5)
    assert query(db, "select path from files where run_id = ?", [str(second.id)]) == [("oslo.txt",)]


def test_serve_stops_cleanly_on_sigterm(server, inbox, db, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api_url, env = server
    log, db = tmp_path / "serve.log", db.with_name("sigterm.duckdb")  # its own deployment on the shared server
    serving = wirehouse(["serve", "--inbox", str(inbox), "--db", str(db), "--interval", str(INTERVAL_SECONDS)],
                        {**env, "WIREHOUSE_SETTLE_SECONDS": "0"}, log)
    try:
        with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
            wait_for(lambda: completed_runs(client, db.stem), 150, "the first scheduled run")
        serving.send_signal(signal.SIGTERM)  # what a service manager sends
        assert serving.wait(timeout=60) == 0, log.read_text()[-3000:]
    finally:
        stop(serving)
    output = log.read_text()
    assert "never awaited" not in output and "Traceback" not in output
    assert "stopped serving" in output


def test_arrivals_reports_a_new_file_once_the_inbox_is_quiet(tmp_path):
    stop_event = threading.Event()
    def arrive() -> None:
        (tmp_path / "late.txt").write_text("BERLIN (Reuters) - A late story.")
        (tmp_path / ".partial.txt").write_text("hidden files are being written")

    found = arrivals(tmp_path, 0.2, stop_event)
    threading.Timer(0.5, arrive).start()
    assert next(found) == [str(tmp_path / "late.txt")]
    stop_event.set()
    assert next(found, None) is None


def test_prefect_yaml_declares_the_deployments_serve_runs():
    committed = (ROOT / "prefect.yaml").read_text(encoding="utf-8")
    assert committed == prefect_yaml(default_settings()), "regenerate: python -m flows.deployments --write prefect.yaml"
