"""A child process that must not outlive this one gets a lifeline: a tiny watchdog process that
stops the child once this process is gone, however it went (exit, exception, or SIGKILL from the
kernel's out-of-memory killer, which no handler or ``atexit`` sees). Linux only (it reads /proc).

This process holds the write end of the watchdog's stdin and never writes to it; the kernel closes
it when this process ends, and the watchdog's read returns. The child is then asked to stop
(SIGTERM) and killed if still there after ``GRACE_SECONDS``. Its start time, read here while it
cannot have been reaped yet, tells it apart from a later process that reuses its pid
(``warehouse.processes``).

Why not PR_SET_PDEATHSIG: it fires when the *thread* that started the child ends, and Prefect
starts its ephemeral API server from whichever thread first needs it (here a short-lived one).

The watchdog runs ``watch`` of this module (``python -I -S``: no site packages, nothing imported but
the standard library and ``warehouse.processes``), so it starts in milliseconds.
"""

from __future__ import annotations

import os
import signal
import sys
import time

from warehouse.processes import is_running, start_ticks

GRACE_SECONDS = 5.0
# The packages' folder: the watchdog (``-I`` leaves it off sys.path) imports this module from it.
PACKAGES_FOLDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def lifeline(pid: int):
    """A watchdog that stops process ``pid`` when this process ends; keep it referenced for as long
    as this process lives (dropping it closes the pipe, which stops ``pid``). None where /proc is
    not available or ``pid`` is already gone (a ``subprocess.Popen`` otherwise)."""
    import subprocess  # here: the watchdog itself imports only what it needs, to start in milliseconds

    ticks = start_ticks(pid)
    if ticks is None:
        return None
    script = f"import sys; sys.path.insert(0, {PACKAGES_FOLDER!r}); from flows.lifeline import watch; watch({pid}, {ticks})"
    return subprocess.Popen([sys.executable, "-I", "-S", "-c", script], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(pid: int, ticks: int) -> None:
    """SIGTERM process ``pid`` if it is still the one that started at ``ticks``; SIGKILL it after the grace time."""
    for sig, wait in ((signal.SIGTERM, GRACE_SECONDS), (signal.SIGKILL, 0.0)):
        if not is_running(pid, ticks):
            return
        os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and is_running(pid, ticks):
            time.sleep(0.05)


def watch(pid: int, ticks: int) -> None:
    """Wait for the parent to end (end of stdin), then stop ``pid``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops the child itself
    sys.stdin.buffer.read()
    try:
        stop(pid, ticks)
    except ProcessLookupError:
        pass
