"""Every entry point (CLI, benches, tests, serve) starts Prefect with the same set-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

PREFECT_DEFAULT_STARTUP_TIMEOUT = 20


def environment_after(code: str) -> dict[str, str]:
    """The Prefect variables a fresh interpreter has after running ``code``, from an environment without any."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    script = f"{code}\nimport os, json; print(json.dumps({{k: v for k, v in os.environ.items() if k.startswith('PREFECT_')}}))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=clean, cwd=ROOT,
                          timeout=120, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_the_pipeline_bench_gives_the_ephemeral_api_the_cli_start_up_timeout():
    bench = environment_after("from bench.pipeline import configure_environment; configure_environment()")
    assert int(bench["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]) > PREFECT_DEFAULT_STARTUP_TIMEOUT


def test_the_test_session_gives_the_ephemeral_api_the_cli_start_up_timeout():
    assert int(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]) > PREFECT_DEFAULT_STARTUP_TIMEOUT


def test_prefect_state_stays_in_the_given_home_with_telemetry_off(tmp_path):
    env = environment_after(f"from pathlib import Path; from flows.prefect_env import configure_prefect; "
                            f"configure_prefect(Path({str(tmp_path / 'home')!r}))")
    assert env["PREFECT_HOME"] == str(tmp_path / "home") and (tmp_path / "home").is_dir()
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
