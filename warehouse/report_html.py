"""The offline HTML report: one self-contained page, inline CSS and SVG charts, no script, no network.

Every value that comes from the warehouse (names, quotes, paths) is article-derived or
user-controlled, so every one passes through ``html.escape`` before it reaches the page; the page
also forbids scripts and remote loads with a Content-Security-Policy.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from html import escape

from warehouse.query import QueryResult
from warehouse.report import Report

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#e377c2"]
STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5rem 0; } td, th { padding: 2px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } tr:nth-child(even) td { background: #fafafa; }
svg text { font: 12px system-ui, sans-serif; } .muted { color: #777; }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def text(value: object) -> str:
    """A value as escaped HTML text."""
    return escape("" if value is None else str(value), quote=True)


def html_table(result: QueryResult) -> str:
    """A query result as an HTML table, or a note that it is empty."""
    if not result.rows:
        return '<p class="muted">none</p>'
    head = "".join(f"<th>{text(c)}</th>" for c in result.columns)
    body = "".join("<tr>" + "".join(f"<td>{text(v)}</td>" for v in row) + "</tr>" for row in result.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def svg(chart_id: str, width: int, height: int, title: str, body: str) -> str:
    return (f'<svg id="{chart_id}" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img"><title>{text(title)}</title>{body}</svg>')


def bar_chart(result: QueryResult, label: str, value: str) -> str:
    """Horizontal bars of ``value`` per ``label``, largest first."""
    rows = [(r[result.columns.index(label)], r[result.columns.index(value)]) for r in result.rows]
    top = max((v for _, v in rows), default=1) or 1
    bar_height, left, width = 22, 200, 760
    bars = "".join(
        f'<text x="{left - 8}" y="{i * bar_height + 15}" text-anchor="end">{text(name)}</text>'
        f'<rect x="{left}" y="{i * bar_height + 3}" width="{(width - left - 60) * v / top:.1f}" '
        f'height="{bar_height - 6}" fill="{PALETTE[0]}"/>'
        f'<text x="{left + (width - left - 60) * v / top + 6:.1f}" y="{i * bar_height + 15}">{text(v)}</text>'
        for i, (name, v) in enumerate(rows))
    return svg("chart-top-entities", width, max(len(rows), 1) * bar_height + 10, "Top entities by mentions", bars)


def timeline_chart(result: QueryResult) -> str:
    """One line per entity: mentions per day, days spaced evenly in date order."""
    days = sorted({row[2] for row in result.rows})
    names = sorted({row[1] for row in result.rows})
    top = max((row[3] for row in result.rows), default=1) or 1
    width, height, left, bottom, top_pad = 760, 300, 50, 40, 20
    step = (width - left - 160) / max(len(days) - 1, 1)

    def point(day, mentions) -> tuple[float, float]:
        return left + days.index(day) * step, height - bottom - (height - bottom - top_pad) * mentions / top

    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 160}" y2="{height - bottom}" stroke="#999"/>',
             f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end">{top}</text>',
             f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end">0</text>']
    parts += [f'<text x="{point(day, 0)[0]:.1f}" y="{height - bottom + 16}" text-anchor="middle">{text(day)}</text>'
              for day in days]
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        points = [point(row[2], row[3]) for row in result.rows if row[1] == name]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points]
        parts.append(f'<text x="{width - 150}" y="{top_pad + 16 * i + 4}" fill="{colour}">{text(name)}</text>')
    return svg("chart-timeline", width, height, "Mentions per day of the top entities", "".join(parts))


def network_chart(result: QueryResult) -> str:
    """Entities on a circle in name order (deterministic), a line per pair, thicker for more sentences."""
    names = sorted({row[0] for row in result.rows} | {row[1] for row in result.rows})
    size, radius = 760, 260
    centre = size / 2
    position = {name: (centre + radius * math.cos(2 * math.pi * i / len(names) - math.pi / 2),
                       centre + radius * math.sin(2 * math.pi * i / len(names) - math.pi / 2))
                for i, name in enumerate(names)}
    most = max((row[2] for row in result.rows), default=1) or 1
    edges = "".join(
        f'<line x1="{position[a][0]:.1f}" y1="{position[a][1]:.1f}" x2="{position[b][0]:.1f}" '
        f'y2="{position[b][1]:.1f}" stroke="#888" stroke-opacity=".6" stroke-width="{1 + 5 * n / most:.1f}"/>'
        for a, b, n, _ in result.rows)
    nodes = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{PALETTE[1]}"/>'
        f'<text x="{x + (10 if x >= centre else -10):.1f}" y="{y + 4:.1f}" '
        f'text-anchor="{"start" if x >= centre else "end"}">{text(name)}</text>'
        for name, (x, y) in position.items())
    return svg("chart-network", size, size, "Entities named in the same sentence", edges + nodes)


def section(title: str, *content: str) -> str:
    return f"<section><h2>{text(title)}</h2>{''.join(content)}</section>"


def render_report(report: Report, db_name: str) -> str:
    """The whole report page as one HTML string."""
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join([
        f"<h1>Wirehouse report</h1><p class=\"muted\">{text(db_name)} &middot; generated {generated}</p>",
        section("Top entities", bar_chart(report.top_entities, "name", "mentions"), html_table(report.top_entities)),
        section("Timeline of the top entities", timeline_chart(report.timeline),
                '<p class="muted">Days in date order, evenly spaced. An article that prints no date counts on '
                "the day of the run that loaded it.</p>"),
        section("Co-occurrence network", network_chart(report.pairs), html_table(report.pairs)),
        section("Quotes by speaker", html_table(report.quotes)),
        section("Countries mentioned", html_table(report.countries)),
        section("Top entities by agency", html_table(report.agencies)),
        section("Validation", html_table(report.validation)),
        section("Files not loaded", html_table(report.file_problems)),
    ])
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>Wirehouse report</title><style>{STYLE}</style></head><body>{body}</body></html>")
