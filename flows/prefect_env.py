"""The one Prefect set-up every entry point shares: the CLI, `serve`/`ui`, the benches and the tests.

It only sets environment variables (before Prefect is imported), so importing it costs nothing.
"""

from __future__ import annotations

import os
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
