"""`wirehouse report` wiring: read the report from the published warehouse, write the HTML page."""

from __future__ import annotations

from pathlib import Path

from expectations.docs_assets import world_outline_file
from warehouse.query import QueryResult
from warehouse.report import Report, collect_report
from presentation.report_page import render_report


def write_report(db: Path, html_path: Path) -> Report:
    """Collect the report from ``db`` and write its HTML page to ``html_path``; returns the report."""
    report = collect_report(db)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(render_report(report, db.name, world_outline_file()), encoding="utf-8")
    return report


def terminal_sections(report: Report) -> list[tuple[str, QueryResult]]:
    """(title, query result) of the sections shown as terminal tables, in order."""
    return [("Totals", report.totals), ("Top entities", report.top_entities), ("Entities named together", report.pairs),
            ("Quotes by speaker", report.quotes), ("Countries mentioned", report.countries),
            ("Near-duplicate stories", report.clusters),
            ("Top entities by agency", report.agencies), ("Validation", report.validation),
            ("Files not loaded", report.file_problems)]
