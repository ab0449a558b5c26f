"""What two warehouses must share to count as equal: row counts and keys, not run ids or times;
`wirehouse run` subprocesses paused at a kill point (tests/fixtures/pause_hook), or measured for
their peak memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SEED_FILES, SEEDS, query, settled_copy

PAUSE_HOOK = Path(__file__).with_name("fixtures") / "pause_hook"
WIREHOUSE = Path(sys.executable).with_name("wirehouse")

KEYS = {
    "articles": "select article_id, file_sha256, md5(body) from articles",
    "sentences": "select article_id, sentence_no, start_char, end_char from sentences",
    "mentions": "select article_id, start_char, end_char, label from mentions",
    "current_files": "select path, sha256 from files where is_current",
    "loaded_content": "select distinct sha256 from files where status = 'loaded'",
}


def fingerprint(db: Path) -> dict[str, list[tuple]]:
    """Sorted keys of every content table and of the current file versions."""
    return {name: sorted(query(db, sql)) for name, sql in KEYS.items()}


def duplicate_keys(db: Path) -> dict[str, int]:
    """Rows that share a key with another row, per table (all zero in a sound warehouse)."""
    checks = {
        "articles": "select count(*) - count(distinct article_id) from articles",
        "sentences": "select count(*) - count(distinct (article_id, sentence_no)) from sentences",
        "mentions": "select count(*) - count(distinct (article_id, start_char, end_char, label)) from mentions",
        "current_files": "select count(*) - count(distinct path) from files where is_current",
    }
    return {name: query(db, sql)[0][0] for name, sql in checks.items()}


def paused_run(stage: str, inbox: Path, db: Path, tmp_path: Path) -> subprocess.Popen:
    """`wirehouse run` (with its ephemeral Prefect API) started in its own process group and
    paused once ``stage`` is reached (a kill point of the pause hook): kill it there."""
    marker = tmp_path / f"paused-at-{stage}"
    env = {**os.environ, "PYTHONPATH": str(PAUSE_HOOK), "WIREHOUSE_TEST_PAUSE_AT": stage,
           "WIREHOUSE_TEST_PAUSE_MARKER": str(marker), "WIREHOUSE_SETTLE_SECONDS": "0",
           "PREFECT_HOME": str(tmp_path / "prefect-killed"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    run = subprocess.Popen([str(WIREHOUSE), "run", "--inbox", str(inbox), "--db", str(db)], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 240
    while not marker.exists():
        if run.poll() is not None or time.monotonic() > deadline:
            run.kill()
            pytest.fail(f"run never reached {stage}: {run.stderr.read().decode()[-2000:]}")
        time.sleep(0.2)
    return run


def peak_rss_mb_of_run(inbox: Path, db: Path, tmp_path: Path) -> float:
    """The peak RSS in MB of a real `wirehouse run` subprocess, as measured by the kernel.

    The run is started from a fresh parent process, whose RUSAGE_CHILDREN then holds this run's
    peak only: in the test process it would hold the largest child of every earlier test."""
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "WIREHOUSE_SETTLE_SECONDS": "0", "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
    env.pop("PREFECT_API_URL", None)
    measure = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(done.returncode)")
    done = subprocess.run([sys.executable, "-c", measure, str(WIREHOUSE), "run", "--inbox", str(inbox),
                           "--db", str(db)], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.strip().splitlines()[-1]) / 1024


def kill_run_at(stage: str, inbox: Path, db: Path, tmp_path: Path) -> None:
    """Start `wirehouse run` in its own process group, SIGKILL the group once ``stage`` is reached."""
    run = paused_run(stage, inbox, db, tmp_path)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    run.stderr.close()


def seed_inbox(folder: Path) -> Path:
    for name in SEED_FILES:
        settled_copy(SEEDS / name, folder / name)
    return folder


def clean_fingerprint(tmp_path: Path, inbox: Path, run_flow) -> dict:
    """The warehouse one uninterrupted run makes of ``inbox``."""
    db = tmp_path / "clean" / "wirehouse.duckdb"
    run_flow(inbox, db)
    return fingerprint(db)
