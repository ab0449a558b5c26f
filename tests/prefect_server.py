"""A real local Prefect server for tests, started the way users start it: `wirehouse ui`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wirehouse(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """`wirehouse ARGS` in its own process group, so stopping it stops its children too."""
    return subprocess.Popen([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env, start_new_session=True,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    """Interrupt the process group like Ctrl-C, then kill what is left."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(condition: Callable[[], object], timeout: float, what: str, interval: float = 1.0):
    """The first truthy value of ``condition()``, polled until ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


def healthy(api_url: str) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def local_prefect_server(home: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """(api_url, environment for clients) of a `wirehouse ui` server with its state under ``home``."""
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1", "PREFECT_API_URL": api_url}
    server = wirehouse(["ui", "--port", str(port)], {k: v for k, v in env.items() if k != "PREFECT_API_URL"},
                       home / "server.log")
    try:
        wait_for(lambda: healthy(api_url) or server.poll() is not None, 120, "the Prefect server")
        assert server.poll() is None, (home / "server.log").read_text()[-3000:]
        yield api_url, env
    finally:
        stop(server)


def table_artifact(client, flow_run_id, key: str) -> dict:
    """{column[0]: column[1]} of the run's table artifact ``key``, read through the Prefect API."""
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    found = client.read_artifacts(artifact_filter=ArtifactFilter(
        flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]), key=ArtifactFilterKey(any_=[key])))
    assert len(found) == 1, f"{len(found)} {key!r} artifacts on run {flow_run_id}"
    rows = json.loads(found[0].data) if isinstance(found[0].data, str) else found[0].data
    return {first: second for first, second in (tuple(row.values()) for row in rows)}
