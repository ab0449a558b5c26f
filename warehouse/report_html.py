"""The offline HTML report: one self-contained page, inline CSS and SVG charts, no script, no network.

Every value that comes from the warehouse (names, quotes, paths) is article-derived or
user-controlled, so every one passes through ``html.escape`` before it reaches the page; the page
also forbids scripts and remote loads with a Content-Security-Policy.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from html import escape
from pathlib import Path

from warehouse.query import QueryResult
from warehouse.report import Report

LABEL_COLOURS = {"PERSON": "#1f77b4", "ORG": "#ff7f0e", "GPE": "#2ca02c", "LOC": "#17becf", "NORP": "#9467bd",
                 "FAC": "#8c564b", "EVENT": "#d62728"}
OTHER_LABEL_COLOUR = "#7f7f7f"
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#e377c2"]
STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5rem 0; } td, th { padding: 2px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } tr:nth-child(even) td { background: #fafafa; }
svg text { font: 12px system-ui, sans-serif; } .muted { color: #777; }
.totals { display: flex; gap: 1rem; margin: 1rem 0; } .totals div { background: #f2f6fb; padding: .6rem 1rem; border-radius: 6px; }
.totals b { display: block; font-size: 1.6rem; } .legend span { margin-right: 1rem; }
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


def axis_ticks(first: date, last: date, most: int = 5) -> list[date]:
    """Round dates (month starts, or days) between first and last, at most ``most`` of them."""
    span = (last - first).days
    if span <= most:
        return [first + timedelta(days=i) for i in range(span + 1)]
    if span <= 62:
        step = math.ceil(span / most)
        return [first + timedelta(days=i) for i in range(0, span + 1, step)]
    months = [date(y, m, 1) for y in range(first.year, last.year + 1) for m in range(1, 13)
              if first <= date(y, m, 1) <= last]
    return months[::math.ceil(len(months) / most)] if months else [first]


def timeline_chart(result: QueryResult, undated: QueryResult) -> str:
    """Mentions per day of the top entities on a real time axis (a day without mentions is a gap
    on the axis), with the mentions in undated articles drawn apart at the right."""
    days = [row[1] for row in result.rows]
    first, last = (min(days), max(days)) if days else (date.today(), date.today())
    names = sorted({row[0] for row in result.rows} | {row[0] for row in undated.rows})
    top = max([row[2] for row in result.rows] + [row[1] for row in undated.rows] + [1])
    width, height, left, right, bottom, top_pad = 760, 300, 50, 300, 40, 20
    undated_x, axis_end = width - right + 50, width - right - 10

    def x_of(day: date) -> float:
        return left + (axis_end - left) * ((day - first).days / max((last - first).days, 1))

    def y_of(mentions: int) -> float:
        return height - bottom - (height - bottom - top_pad) * mentions / top

    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{axis_end}" y2="{height - bottom}" stroke="#999"/>',
             f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end">{top}</text>',
             f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end">0</text>',
             f'<line x1="{undated_x - 20}" y1="{top_pad}" x2="{undated_x - 20}" y2="{height - bottom}" '
             f'stroke="#bbb" stroke-dasharray="4 3"/>',
             f'<text x="{undated_x}" y="{height - bottom + 16}" text-anchor="middle">undated</text>']
    parts += [f'<line x1="{x_of(day):.1f}" y1="{height - bottom}" x2="{x_of(day):.1f}" y2="{height - bottom + 4}" '
              f'stroke="#999"/><text x="{x_of(day):.1f}" y="{height - bottom + 16}" text-anchor="middle">'
              f'{text(day.isoformat() if (last - first).days <= 62 else day.strftime("%b %Y"))}</text>'
              for day in axis_ticks(first, last)] if days else []
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        points = [(row[1], row[2]) for row in result.rows if row[0] == name]
        for (day_a, n_a), (day_b, n_b) in zip(points, points[1:]):
            if (day_b - day_a).days == 1:  # a line only joins consecutive days: gaps stay gaps
                parts.append(f'<line x1="{x_of(day_a):.1f}" y1="{y_of(n_a):.1f}" x2="{x_of(day_b):.1f}" '
                             f'y2="{y_of(n_b):.1f}" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{x_of(day):.1f}" cy="{y_of(n):.1f}" r="4" fill="{colour}"/>' for day, n in points]
        parts += [f'<circle cx="{undated_x + (i - len(names) / 2) * 6:.1f}" cy="{y_of(row[1]):.1f}" r="4" '
                  f'fill="{colour}" fill-opacity=".7"/>' for row in undated.rows if row[0] == name]
        parts.append(f'<text x="{width - right + 110}" y="{top_pad + 16 * i + 4}" fill="{colour}">{text(name)}</text>')
    return svg("chart-timeline", width, height, "Mentions per day of the top entities", "".join(parts))


def label_colour(label: str) -> str:
    return LABEL_COLOURS.get(label, OTHER_LABEL_COLOUR)


def network_chart(pairs: QueryResult, nodes: QueryResult) -> str:
    """Entities on a circle in name order (deterministic), sized by mentions and coloured by type;
    a line per pair, thicker for more sentences naming both."""
    kinds = {row[0]: (row[1], row[2]) for row in nodes.rows}
    names = sorted({row[0] for row in pairs.rows} | {row[1] for row in pairs.rows})
    size, radius = 760, 250
    centre = size / 2
    position = {name: (centre + radius * math.cos(2 * math.pi * i / len(names) - math.pi / 2),
                       centre + radius * math.sin(2 * math.pi * i / len(names) - math.pi / 2))
                for i, name in enumerate(names)}
    most = max((row[2] for row in pairs.rows), default=1) or 1
    busiest = max((mentions for _, mentions in kinds.values()), default=1) or 1
    edges = "".join(
        f'<line x1="{position[a][0]:.1f}" y1="{position[a][1]:.1f}" x2="{position[b][0]:.1f}" '
        f'y2="{position[b][1]:.1f}" stroke="#888" stroke-opacity=".5" stroke-width="{1 + 5 * n / most:.1f}"/>'
        for a, b, n, _ in pairs.rows)
    circles = []
    for name, (x, y) in position.items():
        label, mentions = kinds.get(name, ("", 1))
        circles.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{4 + 16 * math.sqrt(mentions / busiest):.1f}" '
                       f'fill="{label_colour(label)}" fill-opacity=".85"><title>{text(name)}: {mentions} mentions'
                       f'</title></circle><text x="{x + (22 if x >= centre else -22):.1f}" y="{y + 4:.1f}" '
                       f'text-anchor="{"start" if x >= centre else "end"}">{text(name)}</text>')
    used = sorted({kinds.get(name, ("", 0))[0] for name in names} - {""})
    legend = "".join(f'<circle cx="{20 + 110 * i}" cy="14" r="6" fill="{label_colour(label)}"/>'
                     f'<text x="{30 + 110 * i}" y="18">{text(label)}</text>' for i, label in enumerate(used))
    return svg("chart-network", size, size, "Entities named in the same sentence", edges + "".join(circles) + legend)


@lru_cache(maxsize=1)
def land_rings(outline: Path) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The world's land as rings of (longitude, latitude), decoded from a TopoJSON file."""
    topology = json.loads(outline.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantized positions
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> tuple[tuple[float, float], ...]:
        points: list[tuple[float, float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points += arc[1:] if points else arc
        return tuple(points)

    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings += [ring(indexes) for polygon in polygons for indexes in polygon]
    return tuple(rings)


def ring_path(points: list[tuple[float, float]], width: float) -> str:
    """SVG path data of one ring; where it crosses the antimeridian (a jump of half the map) the
    pen lifts, and such a ring is left open rather than closed with a line across the map."""
    parts, crosses = [], False
    for i, (x, y) in enumerate(points):
        jump = i > 0 and abs(x - points[i - 1][0]) > width / 2
        crosses |= jump
        parts.append(f"{'M' if i == 0 or jump else 'L'}{x:.1f},{y:.1f}")
    return "".join(parts) + ("" if crosses else "Z")


def map_chart(places: QueryResult, outline: Path | None) -> str:
    """Mentioned places on an equirectangular world map: a circle per place, sized by mentions,
    over the land outline (when the vendored outline is installed)."""
    width, height = 960, 480

    def xy(longitude: float, latitude: float) -> tuple[float, float]:
        return (longitude + 180) / 360 * width, (90 - latitude) / 180 * height

    land = ""
    if outline is not None and outline.is_file():
        path = " ".join(ring_path([xy(*point) for point in ring], width) for ring in land_rings(outline))
        land = f'<path d="{path}" fill="#e4e8ec" stroke="#b8c0c8" stroke-width=".5"/>'
    busiest = max((row[3] for row in places.rows), default=1) or 1
    points = "".join(
        f'<circle cx="{xy(lon, lat)[0]:.1f}" cy="{xy(lon, lat)[1]:.1f}" r="{3 + 14 * math.sqrt(n / busiest):.1f}" '
        f'fill="#d62728" fill-opacity=".55" stroke="#a00" stroke-width=".5"><title>{text(name)}: {n} mentions'
        f'</title></circle>' for name, lat, lon, n in places.rows)
    labels = "".join(f'<text x="{xy(lon, lat)[0] + 6:.1f}" y="{xy(lon, lat)[1] - 6:.1f}">{text(name)}</text>'
                     for name, lat, lon, _ in places.rows[:8])
    return svg("chart-map", width, height, "Places mentioned", f'<rect width="{width}" height="{height}" '
               f'fill="#f7fbff"/>{land}{points}{labels}')


def headline_totals(totals: QueryResult) -> str:
    """The figures an analyst reads first: articles, sources, dates covered, undated articles."""
    articles, sources, first_day, last_day, undated, near_duplicates = totals.rows[0]
    dates = f"{first_day} to {last_day}" if first_day else "no printed dates"
    boxes = [("articles", articles), ("sources", sources), ("dated", dates), ("undated articles", undated),
             ("near-duplicate copies", near_duplicates)]
    return '<div class="totals">' + "".join(f"<div><b>{text(value)}</b>{text(name)}</div>"
                                            for name, value in boxes) + "</div>"


def section(title: str, *content: str) -> str:
    return f"<section><h2>{text(title)}</h2>{''.join(content)}</section>"


def render_report(report: Report, db_name: str, world_outline: Path | None = None) -> str:
    """The whole report page as one HTML string (``world_outline``: TopoJSON of the land for the map)."""
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join([
        f"<h1>Wirehouse report</h1><p class=\"muted\">{text(db_name)} &middot; generated {generated}</p>",
        headline_totals(report.totals),
        section("Top entities", bar_chart(report.top_entities, "name", "mentions"), html_table(report.top_entities)),
        section("Timeline of the top entities", timeline_chart(report.timeline, report.undated),
                '<p class="muted">Days on a time axis, by the date each article was published; mentions in '
                "articles that print no date are shown apart, as undated.</p>"),
        section("In their words: the top entities in a sentence", html_table(report.examples)),
        section("Places mentioned", map_chart(report.places, world_outline), html_table(report.countries)),
        section("Co-occurrence network", network_chart(report.pairs, report.nodes), html_table(report.pairs)),
        section("Near-duplicate stories", html_table(report.clusters)),
        section("Quotes by speaker", html_table(report.quotes)),
        section("Top entities by agency", html_table(report.agencies)),
        section("Validation", html_table(report.validation)),
        section("Files not loaded", html_table(report.file_problems) if report.file_problems.rows
                else '<p class="muted">Every current file version is loaded.</p>'),
    ])
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>Wirehouse report</title><style>{STYLE}</style></head><body>{body}</body></html>")
