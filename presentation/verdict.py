"""The one sentence `wirehouse status`, `wirehouse report` and the HTML report say about loading."""

from __future__ import annotations

from warehouse.query import QueryResult


def load_verdict(runs: QueryResult, problems: bool) -> str:
    """What can truthfully be said about loading, from the newest runs (``recent_runs``) and
    whether any file version did not load: a run that did not complete leaves files it had not
    loaded unrecorded, and a completed one may have left entries for later."""
    if not runs.rows:
        return "No run has been recorded yet."
    newest = dict(zip(runs.columns, runs.rows[0]))
    if newest["status"] != "completed":
        return (f"The newest run ({newest['run']}) has status {newest['status']}: files it had not loaded are not "
                "listed here; the next `wirehouse run` takes them again.")
    skipped = newest["skipped"]
    if not skipped:
        return "Every other current file version is loaded." if problems else "Every current file version is loaded."
    entries = f"{skipped} inbox entr{'y' if skipped == 1 else 'ies'}"
    if problems:
        return (f"Every other current file version is loaded; the newest run skipped {entries}: those "
                "marked skipped above, and any hidden, temporary or still being written (see the run's log).")
    return (f"Every current file version is loaded; the newest run skipped {entries}, hidden, temporary "
            "or still being written (see the run's log).")
