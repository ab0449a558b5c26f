"""A throwaway PostgreSQL cluster on 127.0.0.1 for running the end-to-end tests with a PostgreSQL
DuckLake catalog (`WIREHOUSE_TEST_CATALOG=postgres`): Debian's server binaries, a temp data folder
owned by the ``postgres`` user (initdb refuses root), a free port, trust authentication on loopback
only, stopped at the end of the session."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER = "postgres"


def server_binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found: apt-get install postgresql")
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(command: list[str]) -> list[str]:
    """The command run as the postgres user when we are root (initdb and postgres refuse root)."""
    return ["runuser", "-u", USER, "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_cluster() -> Iterator[int]:
    """A running cluster; yields its port."""
    binaries, port = server_binaries(), free_port()
    folder = Path(tempfile.mkdtemp(prefix="wirehouse-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, USER, USER)
    data = folder / "data"
    subprocess.run(as_postgres([str(binaries / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
                                "--encoding=UTF8", "--no-sync"]), check=True, capture_output=True)
    subprocess.run(as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "log"), "-o",
                                f"-c listen_addresses=127.0.0.1 -c port={port} -k {folder} -c fsync=off", "start"]),
                   check=True, capture_output=True)
    try:
        yield port
    finally:
        subprocess.run(as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def create_database(port: int) -> str:
    """A new empty database on the cluster; returns the DuckLake catalog setting naming it."""
    name = f"lake_{uuid.uuid4().hex[:12]}"
    psql = server_binaries() / "psql"
    subprocess.run([str(psql), "-h", "127.0.0.1", "-p", str(port), "-U", USER, "-d", "postgres", "-q", "-c",
                    f"create database {name}"], check=True, capture_output=True)
    return f"postgres:dbname={name} host=127.0.0.1 port={port} user={USER}"
