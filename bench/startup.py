"""Start-up wall time of the commands a person types, measured as processes.

    .venv/bin/python -m bench.startup [--source DIR] [--no-bytecode] [--repeat N]

Each figure is the wall time of one `wirehouse` process (first output line, and exit) on the
bundled seeds, with Prefect's ephemeral API and against a running local Prefect server. The
baseline is the ephemeral API's own cost, measured in the same session: an empty Prefect flow run
as a process. ``--source`` runs another checkout of the code (e.g. the commit before a change)
with this environment, for before/after figures. ``--no-bytecode`` makes every process compile
every module from source, as in a virtualenv installed without compiled bytecode when
PYTHONDONTWRITEBYTECODE is set (so nothing is ever cached): `make setup` compiles it at install.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMPTY_FLOW = "from prefect import flow\nflow(name='empty')(lambda: None)()"


@dataclass(frozen=True)
class Timing:
    first_output: float
    wall: float
    exit_code: int


def timed(command: list[str], env: dict[str, str]) -> Timing:
    """Seconds until the process's first output byte and until it exits (run in the checkout
    PYTHONPATH names: ``python -m`` puts the working folder first on the path)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=env["PYTHONPATH"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    first = process.stdout.read(1)
    first_output = time.perf_counter() - started if first else float("nan")
    process.stdout.read()
    code = process.wait()
    return Timing(first_output, time.perf_counter() - started, code)


def typical(command: list[str], env: dict[str, str], repeat: int) -> Timing:
    """The run of ``command`` with the median wall time of ``repeat`` runs (on a shared machine
    one run can take twice another's time)."""
    runs = sorted((timed(command, env) for _ in range(repeat)), key=lambda t: t.wall)
    return runs[len(runs) // 2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """A local Prefect server (as `wirehouse ui` starts it) and its API address, once healthy."""
    import httpx

    from flows.serve import server_command

    port = free_port()
    server = subprocess.Popen(server_command(port), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return server, api
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.kill()
    raise RuntimeError("the Prefect server did not start")


def seeds_inbox(folder: Path) -> Path:
    inbox = folder / "inbox"
    shutil.copytree(ROOT / "seeds", inbox)
    return inbox


def measure(source: Path, bytecode: bool = True, repeat: int = 1) -> dict[str, Timing]:
    """Every figure, in one session, running the code checked out at ``source`` (without any
    compiled bytecode unless ``bytecode``); each figure but a first run is the median of ``repeat``."""
    results: dict[str, Timing] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        env = {**os.environ, "PYTHONPATH": str(source), "PREFECT_HOME": str(folder / "prefect"),
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", "WIREHOUSE_SETTLE_SECONDS": "0",
               "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120", "COLUMNS": "120"}
        env.pop("PREFECT_API_URL", None)
        if not bytecode:  # bytecode looked up in an empty folder, and never written
            env.update(PYTHONPYCACHEPREFIX=str(folder / "no-bytecode"), PYTHONDONTWRITEBYTECODE="1")
        inbox = seeds_inbox(folder)
        cli = [sys.executable, "-m", "flows.cli"]
        timed([sys.executable, "-c", EMPTY_FLOW], env)  # creates the Prefect database: not counted
        results["empty Prefect flow (ephemeral API)"] = typical([sys.executable, "-c", EMPTY_FLOW], env, repeat)
        run = [*cli, "run", "--inbox", str(inbox)]
        results["run, first (ephemeral API)"] = timed([*run, "--db", str(folder / "a" / "w.duckdb")], env)
        results["run, no-op (ephemeral API)"] = typical([*run, "--db", str(folder / "a" / "w.duckdb")], env, repeat)
        results['sql "select 1"'] = typical([*cli, "sql", "select 1", "--db", str(folder / "a" / "w.duckdb")], env,
                                            repeat)
        server, api = start_server(env)
        try:
            served = {**env, "PREFECT_API_URL": api}
            results["run, first (running server)"] = timed([*run, "--db", str(folder / "b" / "w.duckdb")], served)
            results["run, no-op (running server)"] = typical([*run, "--db", str(folder / "b" / "w.duckdb")], served,
                                                             repeat)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return results


def table(results: dict[str, Timing]) -> str:
    rows = [f"| {name} | {t.first_output:.2f} | {t.wall:.2f} |" + ("" if t.exit_code == 0 else f" exit {t.exit_code}")
            for name, t in results.items()]
    return "\n".join(["| command | first output (s) | wall (s) |", "|---|---|---|", *rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT, help="checkout whose code is run [default: this one]")
    parser.add_argument("--no-bytecode", action="store_true", help="compile every module from source in every process")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (but first runs), median reported")
    args = parser.parse_args(argv)
    print(table(measure(args.source.resolve(), bytecode=not args.no_bytecode, repeat=args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
