"""`wirehouse run` as a person sees it: a first line at once, and the wall time they waited."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from flows.prefect_env import ephemeral_api_starting
from flows.summary import RunSummary
from tests.conftest import ROOT


def test_run_speaks_before_prefect_and_reports_the_wall_time_waited(inbox, db):
    env = {**os.environ, "WIREHOUSE_SETTLE_SECONDS": "0", "COLUMNS": "200"}
    env.pop("PREFECT_API_URL", None)  # the ephemeral API, as a fresh clone runs
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--inbox", str(inbox), "--db", str(db)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    waited = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("wirehouse run: ")  # printed before Prefect was even imported
    reported = float(re.search(r"duplicate \(([\d.]+)s\)", done.stdout).group(1))
    # The figure covers start-up and Prefect's API, not only the flow; what it cannot cover is
    # the process's own shutdown after printing it.
    assert reported >= 0.5 * waited, (reported, waited)


def test_no_ephemeral_api_is_started_when_runs_use_a_running_server():
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        assert ephemeral_api_starting() is None


def test_the_installed_packages_are_compiled_so_no_command_compiles_them():
    # `make setup` compiles the venv (compileall): with PYTHONDONTWRITEBYTECODE set nothing is
    # ever cached, and each command compiled some 1,400 modules (seconds of a no-op run).
    import pandas
    import prefect

    for module in (prefect, pandas):
        assert Path(importlib.util.cache_from_source(module.__file__)).is_file(), f"{module.__name__}: run `make setup`"


def test_the_closing_line_gives_each_suite_its_verdict_naming_a_failed_expectation():
    summary = RunSummary("r", Path("inbox"), Path("w.duckdb"), validation=[
        {"suite": "articles", "expectation": "expect_column_values_to_not_be_null", "column": "headline",
         "severity": "warn", "success": False},
        {"suite": "articles", "expectation": "expect_column_values_to_be_unique", "column": "article_id",
         "severity": "error", "success": True},
        {"suite": "mentions", "expectation": "expect_column_values_to_be_in_set", "column": "label",
         "severity": "error", "success": False},
        {"suite": "sentences", "expectation": "expect_table_row_count_to_be_between", "column": None,
         "severity": "error", "success": True},
    ])
    assert summary.verdicts() == ("validation: articles WARN (expect_column_values_to_not_be_null on headline), "
                                  "mentions ERROR (expect_column_values_to_be_in_set on label), sentences PASS")
