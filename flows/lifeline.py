"""A child process that must not outlive this one gets a lifeline: a tiny watchdog process that
stops the child once this process is gone, however it went (exit, exception, or SIGKILL from the
kernel's out-of-memory killer, which no handler or ``atexit`` sees). Linux only (it reads /proc).

This process holds the write end of the watchdog's stdin and never writes to it; the kernel closes
it when this process ends, and the watchdog's read returns. The child is then asked to stop
(SIGTERM) and killed if still there after ``GRACE_SECONDS``. Its start time, read here while it
cannot have been reaped yet, tells it apart from a later process that reuses its pid.

Why not PR_SET_PDEATHSIG: it fires when the *thread* that started the child ends, and Prefect
starts its ephemeral API server from whichever thread first needs it (here a short-lived one).

The watchdog runs this file as a script (``python -I -S``: no site packages, nothing imported but
the standard library), so it starts in milliseconds.
"""

from __future__ import annotations

import os
import signal
import sys
import time

GRACE_SECONDS = 5.0


def start_ticks(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot), or None when it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in ("Z", "X") else int(fields[19])


def lifeline(pid: int):
    """A watchdog that stops process ``pid`` when this process ends; keep it referenced for as long
    as this process lives (dropping it closes the pipe, which stops ``pid``). None where /proc is
    not available or ``pid`` is already gone (a ``subprocess.Popen`` otherwise)."""
    import subprocess  # here: the watchdog itself imports only what it needs, to start in milliseconds

    ticks = start_ticks(pid)
    if ticks is None:
        return None
    return subprocess.Popen([sys.executable, "-I", "-S", __file__, str(pid), str(ticks)], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(pid: int, ticks: int) -> None:
    """SIGTERM process ``pid`` if it is still the one that started at ``ticks``; SIGKILL it after the grace time."""
    for sig, wait in ((signal.SIGTERM, GRACE_SECONDS), (signal.SIGKILL, 0.0)):
        if start_ticks(pid) != ticks:
            return
        os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and start_ticks(pid) == ticks:
            time.sleep(0.05)


def watch(pid: int, ticks: int) -> None:
    """Wait for the parent to end (end of stdin), then stop ``pid``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops the child itself
    sys.stdin.buffer.read()
    try:
        stop(pid, ticks)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    watch(int(sys.argv[1]), int(sys.argv[2]))
