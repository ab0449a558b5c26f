"""`wirehouse serve` against a real local Prefect server: scheduled cycles, artifacts, file arrival."""

from __future__ import annotations

import logging
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest

from flows.deployments import default_settings, prefect_yaml
from flows.serve import arrivals
from tests.conftest import ROOT, query, write_settled
from tests.prefect_server import local_prefect_server, stop, table_artifact, wait_for, wirehouse
from tests.test_hardening_inbox import ROOT_READS_ANYTHING, WITHOUT_ROOT_OVERRIDE, hostile_entries_inbox, permissions_hold

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


# The watch in a process of its own, subject to file permissions (as root: without the capabilities
# that let root read anything); a late file arrives a second after it starts, and it prints what it saw.
WATCH_A_LATE_ARRIVAL = """
import sys, threading
from pathlib import Path
from flows.serve import arrivals
inbox = Path(sys.argv[1])
found = arrivals(inbox, 0.2, threading.Event())
threading.Timer(1.0, lambda: (inbox / "late.txt").write_text("BERLIN (Reuters) - A late story.")).start()
print(next(found))
"""


def test_arrivals_keeps_watching_past_every_entry_discover_skips(tmp_path):
    if not permissions_hold():
        pytest.skip("running as root without setpriv: chmod cannot make an entry unreadable")
    inbox = hostile_entries_inbox(tmp_path / "inbox")  # a FIFO, a device, broken links, a name not UTF-8 ...
    (inbox / "news").chmod(0o644)  # listed but not entered: the status of its files cannot be read
    prefix = WITHOUT_ROOT_OVERRIDE if ROOT_READS_ANYTHING else []
    try:
        watch = subprocess.run([*prefix, sys.executable, "-c", WATCH_A_LATE_ARRIVAL, str(inbox)], cwd=ROOT,
                               capture_output=True, text=True, timeout=120)
    finally:
        (inbox / "news").chmod(0o755)
        (inbox / "sealed").chmod(0o755)
    assert watch.stdout.strip() == str([str(inbox / "late.txt")]), watch.stderr


def test_arrivals_keeps_watching_while_the_inbox_cannot_be_listed(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    stop_event = threading.Event()

    def gone_and_back() -> None:
        shutil.rmtree(inbox)
        time.sleep(0.5)  # a few polls find no inbox
        write_settled(inbox / "back.txt", NEW_ARTICLE)

    found = arrivals(inbox, 0.1, stop_event)
    threading.Timer(0.3, gone_and_back).start()
    assert next(found) == [str(inbox / "back.txt")]
    stop_event.set()


def test_a_missing_inbox_is_warned_about_once_and_its_return_is_told(tmp_path):
    inbox, stop_event = tmp_path / "inbox", threading.Event()
    messages: list[tuple[str, str]] = []
    said = logging.Handler()
    said.emit = lambda record: messages.append((record.levelname, record.getMessage()))
    serve_logger = logging.getLogger("prefect.wirehouse.serve")
    serve_logger.addHandler(said)
    serve_logger.setLevel(logging.INFO)  # as serve logs; the test session's Prefect level may be higher
    threading.Timer(1.0, lambda: write_settled(inbox / "back.txt", NEW_ARTICLE)).start()  # about 10 polls later
    try:
        assert next(arrivals(inbox, 0.1, stop_event)) == [str(inbox / "back.txt")]
    finally:
        stop_event.set()
        serve_logger.removeHandler(said)
        serve_logger.setLevel(logging.NOTSET)
    assert messages == [("WARNING", f"cannot list the inbox {inbox} (No such file or directory); still watching it"),
                        ("INFO", f"the inbox {inbox} can be listed again")]


def test_prefect_yaml_declares_the_deployments_serve_runs():
    committed = (ROOT / "prefect.yaml").read_text(encoding="utf-8")
    assert committed == prefect_yaml(default_settings()), "regenerate: python -m flows.deployments --write prefect.yaml"
