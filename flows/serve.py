"""Long-running operation: the ingestion deployment on its schedule, a file-arrival trigger, the local UI.

Wiring only. `wirehouse serve` registers one deployment per warehouse with a Prefect server and runs
its flow runs in this process's runner; `wirehouse ui` starts that server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import math
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from prefect.logging import get_logger

from flows.deployments import Deployment, deployments
from flows.settings import Settings
from warehouse.discover import walk_inbox

FLOW_NAME = "wirehouse-ingest"
SERVER_STOP_SECONDS = 15.0  # a Prefect server stops its services and closes its database in a few seconds
logger = get_logger("wirehouse.serve")


def runner_deployment(deployment: Deployment):
    """``deployment`` as a Prefect RunnerDeployment this process runs (flow imported by module path)."""
    from importlib import import_module

    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.deployments.runner import EntrypointType

    flow = getattr(import_module(deployment.module), deployment.function)
    limit = (ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)
             if deployment.one_at_a_time else None)
    return flow.to_deployment(name=deployment.name, parameters=deployment.parameters, tags=deployment.tags,
                              description=deployment.description, concurrency_limit=limit,
                              entrypoint_type=EntrypointType.MODULE_PATH, **deployment.schedule)


def served_deployments(settings: Settings) -> dict[str, Deployment]:
    """The deployments of ``settings`` with absolute paths, since the runner may run elsewhere."""
    return deployments(settings.model_copy(update={"inbox": settings.inbox.resolve(), "db": settings.db.resolve()}))


def ingest_deployment(settings: Settings):
    """The ingestion deployment of this inbox and warehouse: scheduled, one run at a time, later ones queued."""
    return runner_deployment(served_deployments(settings)["ingest"])


def maintenance_deployment(settings: Settings):
    """The warehouse's maintenance deployment (snapshot expiry, compaction) on its own interval."""
    return runner_deployment(served_deployments(settings)["maintenance"])


def inbox_state(inbox: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every file under ``inbox`` a run's discover would take, however recently
    written: the same walk, so what discover skips with a reason (hidden files, names not UTF-8,
    unreadable files, folders it cannot list or enter, FIFOs, devices, broken links, loops, links
    out of the inbox) is skipped here too and never stops the watch. Raises only when the inbox
    itself cannot be listed."""
    return {path: (entry.stat().st_size, entry.stat().st_mtime_ns)  # the status skip_reason read, cached
            for path, entry, reason in walk_inbox(inbox, settle_seconds=-math.inf) if reason is None}


def arrivals(inbox: Path, poll_seconds: float, stop: threading.Event) -> Iterator[list[str]]:
    """Paths new or changed since the last yield, each time the inbox is quiet for one poll after a
    change. A poll that cannot list the inbox (gone, unmounted, its permissions changed) changes
    nothing: the watch goes on and sees the inbox again when it is back."""
    (seen, failing), pending = listed_state(inbox, {}, None), set()
    while not stop.wait(poll_seconds):
        current, failing = listed_state(inbox, seen, failing)
        changed = {path for path, signature in current.items() if seen.get(path) != signature}
        seen = current
        if changed:
            pending |= changed  # still being written or copied: wait for a quiet poll
        elif pending:
            yield sorted(pending)
            pending = set()


def listed_state(inbox: Path, last: dict[str, tuple[int, int]],
                 failing: str | None) -> tuple[dict[str, tuple[int, int]], str | None]:
    """``inbox_state`` and None, or ``last`` and why when the inbox cannot be listed. ``failing`` is
    the previous poll's why: the warning is given when listing starts failing (or fails for another
    reason) and the return is told once, not on every poll while the inbox is away."""
    try:
        state = inbox_state(inbox)
    except OSError as error:
        why = error.strerror or str(error)
        if why != failing:
            logger.warning("cannot list the inbox %s (%s); still watching it", inbox, why)
        return last, why
    if failing is not None:
        logger.info("the inbox %s can be listed again", inbox)
    return state, None


def trigger_on_arrival(settings: Settings, name: str, stop: threading.Event) -> None:
    """Start a run of the deployment whenever files arrive in the inbox, until ``stop`` is set."""
    from prefect.deployments import run_deployment

    for paths in arrivals(settings.inbox, settings.watch_poll_seconds, stop):
        try:
            run = run_deployment(f"{FLOW_NAME}/{name}", timeout=0, tags=["file-arrival"])
        except Exception as error:  # the server is down or restarting: the next arrival tries again
            logger.warning("%d file(s) arrived but no run could be started: %s", len(paths), error)
            continue
        logger.info("%d file(s) arrived in %s; started run %s", len(paths), settings.inbox, run.name)


def stopping_runner(**options):
    """A Prefect Runner that stops on SIGTERM (a service manager's stop) as it does on Ctrl-C.
    Prefect's own SIGTERM handler calls its async stop from inside the running event loop, where
    it is never awaited ("coroutine 'Runner.astop' was never awaited"); this one turns SIGTERM
    into SIGINT, whose handling cancels the runner's loop and shuts it down in order."""
    from prefect.runner import Runner

    class StoppingRunner(Runner):
        def handle_sigterm(self, *args: object, **kwargs: object) -> None:
            signal.raise_signal(signal.SIGINT)

    return StoppingRunner(**options)


def serve(settings: Settings) -> None:
    """Serve the ingestion and maintenance deployments until interrupted (Ctrl-C or SIGTERM); with
    ``watch``, also run on file arrival."""
    deployment = ingest_deployment(settings)
    runner = stopping_runner(limit=1, query_seconds=settings.watch_poll_seconds, pause_on_shutdown=True)
    runner.add_deployment(deployment)
    runner.add_deployment(maintenance_deployment(settings))
    stop = threading.Event()
    if settings.watch:
        threading.Thread(target=trigger_on_arrival, args=(settings, deployment.name, stop),
                         name="wirehouse-watch", daemon=True).start()
    logger.info("serving deployment %s/%s; Ctrl-C or SIGTERM stops it", FLOW_NAME, deployment.name)
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        logger.info("stopped serving %s/%s", FLOW_NAME, deployment.name)
    finally:
        stop.set()


def server_command(port: int) -> list[str]:
    """`prefect server start` bound to the loopback interface only."""
    return [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]


def server_environment(port: int) -> dict[str, str]:
    """This environment with telemetry off and the UI pointed at this server's API."""
    return {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
            "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api"}


def run_server(port: int) -> int:
    """Run a local Prefect server (API and UI) in the foreground until it stops, Ctrl-C or SIGTERM;
    returns its exit code. SIGTERM sent to this process alone (a service manager's stop, `kill`)
    is passed on to the server, which stops as on Ctrl-C; before, this process died at once and
    left the server running."""
    server = subprocess.Popen(server_command(port), env=server_environment(port))
    signal.signal(signal.SIGTERM, lambda signum, frame: server.terminate())
    try:
        return server.wait()
    except KeyboardInterrupt:  # Ctrl-C in a terminal reaches the server too: let it stop on its own
        return stopped(server)


def stopped(process: subprocess.Popen, grace_seconds: float = SERVER_STOP_SECONDS) -> int:
    """The exit code of ``process`` once it stops: asked with SIGTERM, then killed, if it does not
    within ``grace_seconds`` each time (SIGINT sent to this process alone never reached it)."""
    for ask in (process.terminate, process.kill):
        try:
            return process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            ask()
    return process.wait()
