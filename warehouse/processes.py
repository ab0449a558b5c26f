"""Which process is which, told apart from a later process that reuses its pid: a pid and the time
its process started (Linux: read from /proc). Standard library only, so that the watchdog of
``flows/lifeline.py`` imports it in milliseconds."""

from __future__ import annotations


def start_ticks(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot), or None when it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in ("Z", "X") else int(fields[19])


def is_running(pid: int, ticks: int) -> bool:
    """True while process ``pid`` is the one that started at ``ticks`` (not gone, not a zombie,
    not a later process given the same pid)."""
    return start_ticks(pid) == ticks
