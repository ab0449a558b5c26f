"""`wirehouse report` wiring: read the report from the published warehouse, write the HTML page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from expectations.docs_assets import world_outline_file
from warehouse.query import QueryResult
from warehouse.report import Report, collect_report
from presentation.report_page import render_report


class HtmlNotWritten(RuntimeError):
    """The HTML report's path cannot be written (a missing or read-only folder, a file in the way)."""


def write_report(db: Path, html_path: Path) -> Report:
    """Collect the report from ``db`` and write its HTML page to ``html_path``; returns the report.
    The page's folder is made first, so that an unusable path fails before the queries run."""
    with html_errors(html_path):
        html_path.parent.mkdir(parents=True, exist_ok=True)
    report = collect_report(db)
    with html_errors(html_path):
        html_path.write_text(render_report(report, db.name, world_outline_file()), encoding="utf-8")
    return report


@contextmanager
def html_errors(html_path: Path) -> Iterator[None]:
    """OSErrors as one line that names the path."""
    try:
        yield
    except OSError as error:
        cause = f"{error.strerror}: {error.filename}" if error.strerror and error.filename else str(error)
        raise HtmlNotWritten(f"cannot write the HTML report {html_path} ({cause}); "
                             "give --html a path in a folder you can write") from None


def terminal_sections(report: Report) -> list[tuple[str, QueryResult]]:
    """(title, query result) of the sections shown as terminal tables, in order."""
    return [("Totals", report.totals), ("Top entities", report.top_entities), ("Entities named together", report.pairs),
            ("Quotes by speaker", report.quotes), ("Countries mentioned", report.countries),
            ("Near-duplicate stories", report.clusters),
            ("Top entities by agency", report.agencies), ("Validation", report.validation),
            ("Files not loaded", report.file_problems)]
