"""Prefect's ephemeral API server, stopped with the process that started it.

Without PREFECT_API_URL, Prefect starts its API as a uvicorn subprocess (``SubprocessASGIServer``)
and stops it at exit (``atexit``). A process killed outright (SIGKILL, as the out-of-memory killer
does) runs no ``atexit``, and its API server kept running, orphaned, holding its port and Prefect's
database. ``TiedServer`` gives each server process it starts a lifeline (flows/lifeline.py).
"""

from __future__ import annotations

from typing import ClassVar

from prefect.server.api.server import SubprocessASGIServer

from flows.lifeline import lifeline


class TiedServer(SubprocessASGIServer):
    """``TiedServer()`` registers itself as the instance Prefect's client uses for the ephemeral
    API (``SubprocessASGIServer()`` then returns it, as Prefect's own test harness registers its
    server), so it must be created before anything else asks Prefect for that server."""

    lifelines: ClassVar[list] = []  # the watchdogs: referenced for as long as this process lives

    def _run_uvicorn_command(self):
        process = super()._run_uvicorn_command()
        self.lifelines.append(lifeline(process.pid))
        return process
