"""The one Prefect set-up every entry point shares: the CLI, `serve`/`ui`, the benches and the tests.

Importing it costs nothing: it sets environment variables before Prefect is imported, and imports
Prefect only to start the ephemeral API early.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

# Prefect's 20 s default is too short for a fresh Prefect database, or for two runs starting
# together on a busy 2-core machine: the ephemeral API then fails with "Timed out while attempting
# to connect to ephemeral Prefect API server".
EPHEMERAL_STARTUP_TIMEOUT_SECONDS = "90"


def configure_prefect(home: Path) -> Path:
    """Keep Prefect's local state in ``home`` (unless PREFECT_HOME is set), telemetry off and a
    start-up timeout long enough for the ephemeral API; returns the Prefect home in use."""
    home = Path(os.environ.setdefault("PREFECT_HOME", str(home.resolve())))
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", EPHEMERAL_STARTUP_TIMEOUT_SECONDS)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    return home


def ephemeral_api_starting() -> threading.Thread | None:
    """Start Prefect's ephemeral API now, in a thread, when runs use it (no PREFECT_API_URL): its
    server process then boots while this process imports the flow, instead of after. Join the
    thread before the flow runs. None when runs use a running server."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return None
    from flows.ephemeral_api import TiedServer  # imports Prefect's server: here, not in the thread

    # The same instance Prefect's client starts on first use; a failed start here is retried
    # (and reported) there.
    starting = threading.Thread(target=TiedServer().start, name="prefect-ephemeral-api", daemon=True)
    starting.start()
    return starting
