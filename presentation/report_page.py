"""The offline HTML report page: report rows in, one self-contained HTML page out.

The page is a Jinja2 template with autoescape on, so every value from the warehouse (names,
quotes, paths: article-derived or user-controlled) is escaped where it is written; a
Content-Security-Policy also forbids scripts and remote loads. This module only lays out: it turns
query results into chart geometry (positions, sizes, colours) that the template draws as SVG.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from warehouse.query import QueryResult
from presentation.verdict import load_verdict
from warehouse.report import Report

LABEL_COLOURS = {"PERSON": "#1f77b4", "ORG": "#ff7f0e", "GPE": "#2ca02c", "LOC": "#17becf", "NORP": "#9467bd",
                 "FAC": "#8c564b", "EVENT": "#d62728"}
OTHER_LABEL_COLOUR = "#7f7f7f"
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#e377c2"]


@dataclass(frozen=True)
class Mark:
    """One drawn thing: a point or bar at (x, y) with a size, colour and the text that goes with it."""

    x: float
    y: float
    size: float = 0
    colour: str = ""
    text: object = ""
    anchor: str = "start"


@dataclass(frozen=True)
class Segment:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str = "#999"
    width: float = 1
    opacity: float = 1


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    bars: list[Mark]  # x: bar length, y: top of the bar's row, text: the name, size: the value


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    left: int
    axis_end: int
    baseline: int
    top_pad: int
    undated_x: int
    top: int
    ticks: list[Mark]
    lines: list[Segment]
    points: list[Mark]
    undated: list[Mark]
    names: list[Mark]


@dataclass(frozen=True)
class Network:
    size: int
    edges: list[Segment]
    nodes: list[Mark]  # text: the entity's name; size: radius; anchor: where its label goes
    legend: list[Mark]


@dataclass(frozen=True)
class WorldMap:
    width: int
    height: int
    land: str  # SVG path data of the land outline, empty when the outline is not installed
    places: list[Mark]
    labelled: list[Mark]


def bar_chart(result: QueryResult, label: str, value: str) -> BarChart:
    """Horizontal bars of ``value`` per ``label``, in the result's order (largest first)."""
    rows = [(r[result.columns.index(label)], r[result.columns.index(value)]) for r in result.rows]
    top = max((v for _, v in rows), default=1) or 1
    bar_height, left, width = 22, 200, 760
    bars = [Mark(x=round((width - left - 60) * v / top, 1), y=i * bar_height, text=name, size=v)
            for i, (name, v) in enumerate(rows)]
    return BarChart(width, max(len(rows), 1) * bar_height + 10, left, bars)


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


def timeline(result: QueryResult, undated: QueryResult) -> Timeline:
    """Mentions per day of the top entities on a real time axis (a day without mentions is a gap
    on the axis), with the mentions in undated articles drawn apart at the right."""
    days = [row[1] for row in result.rows]
    first, last = (min(days), max(days)) if days else (date.today(), date.today())
    names = sorted({row[0] for row in result.rows} | {row[0] for row in undated.rows})
    top = max([row[2] for row in result.rows] + [row[1] for row in undated.rows] + [1])
    width, height, left, right, bottom, top_pad = 760, 300, 50, 300, 40, 20
    undated_x, axis_end, baseline = width - right + 50, width - right - 10, height - bottom

    def x_of(day: date) -> float:
        return round(left + (axis_end - left) * ((day - first).days / max((last - first).days, 1)), 1)

    def y_of(mentions: int) -> float:
        return round(baseline - (baseline - top_pad) * mentions / top, 1)

    ticks = [Mark(x_of(day), baseline, text=day.isoformat() if (last - first).days <= 62 else day.strftime("%b %Y"))
             for day in axis_ticks(first, last)] if days else []
    lines, points, undated_points, labels = [], [], [], []
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        series = [(row[1], row[2]) for row in result.rows if row[0] == name]
        lines += [Segment(x_of(day_a), y_of(n_a), x_of(day_b), y_of(n_b), colour, 2)
                  for (day_a, n_a), (day_b, n_b) in zip(series, series[1:])
                  if (day_b - day_a).days == 1]  # a line only joins consecutive days: gaps stay gaps
        points += [Mark(x_of(day), y_of(n), 4, colour) for day, n in series]
        undated_points += [Mark(round(undated_x + (i - len(names) / 2) * 6, 1), y_of(row[1]), 4, colour)
                           for row in undated.rows if row[0] == name]
        labels.append(Mark(width - right + 110, top_pad + 16 * i + 4, colour=colour, text=name))
    return Timeline(width, height, left, axis_end, baseline, top_pad, undated_x, top, ticks, lines, points,
                    undated_points, labels)


def label_colour(label: str) -> str:
    return LABEL_COLOURS.get(label, OTHER_LABEL_COLOUR)


def network(pairs: QueryResult, nodes: QueryResult) -> Network:
    """Entities on a circle in name order (deterministic), sized by mentions and coloured by type;
    a line per pair, thicker for more sentences naming both."""
    kinds = {row[0]: (row[1], row[2]) for row in nodes.rows}
    names = sorted({row[0] for row in pairs.rows} | {row[1] for row in pairs.rows})
    size, radius = 760, 250
    centre = size / 2
    position = {name: (round(centre + radius * math.cos(2 * math.pi * i / len(names) - math.pi / 2), 1),
                       round(centre + radius * math.sin(2 * math.pi * i / len(names) - math.pi / 2), 1))
                for i, name in enumerate(names)}
    most = max((row[2] for row in pairs.rows), default=1) or 1
    busiest = max((mentions for _, mentions in kinds.values()), default=1) or 1
    edges = [Segment(*position[a], *position[b], "#888", round(1 + 5 * n / most, 1), .5) for a, b, n, _ in pairs.rows]
    circles = []
    for name, (x, y) in position.items():
        label, mentions = kinds.get(name, ("", 1))
        circles.append(Mark(x, y, round(4 + 16 * math.sqrt(mentions / busiest), 1), label_colour(label),
                            (name, mentions), "start" if x >= centre else "end"))
    used = sorted({kinds.get(name, ("", 0))[0] for name in names} - {""})
    legend = [Mark(20 + 110 * i, 14, 6, label_colour(label), label) for i, label in enumerate(used)]
    return Network(size, edges, circles, legend)


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


def world_map(places: QueryResult, outline: Path | None) -> WorldMap:
    """Mentioned places on an equirectangular world map: a circle per place, sized by mentions,
    over the land outline (when the vendored outline is installed)."""
    width, height = 960, 480

    def xy(longitude: float, latitude: float) -> tuple[float, float]:
        return round((longitude + 180) / 360 * width, 1), round((90 - latitude) / 180 * height, 1)

    land = ""
    if outline is not None and outline.is_file():
        land = " ".join(ring_path([xy(*point) for point in ring], width) for ring in land_rings(outline))
    busiest = max((row[3] for row in places.rows), default=1) or 1
    marks = [Mark(*xy(lon, lat), round(3 + 14 * math.sqrt(n / busiest), 1), text=(name, n))
             for name, lat, lon, n in places.rows]
    return WorldMap(width, height, land, marks, marks[:8])


def headline_totals(totals: QueryResult) -> list[tuple[str, object]]:
    """(name, value) of the figures an analyst reads first: articles, sources, dates covered, undated."""
    articles, sources, first_day, last_day, undated, near_duplicates = totals.rows[0]
    dates = f"{first_day} to {last_day}" if first_day else "no printed dates"
    return [("articles", articles), ("sources", sources), ("dated", dates), ("undated articles", undated),
            ("near-duplicate copies", near_duplicates)]


@lru_cache(maxsize=1)
def templates() -> Environment:
    """The page templates, escaping every value (``.j2`` files are HTML/SVG)."""
    return Environment(loader=PackageLoader("presentation"), autoescape=select_autoescape(["html.j2"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_report(report: Report, db_name: str, world_outline: Path | None = None) -> str:
    """The whole report page as one HTML string (``world_outline``: TopoJSON of the land for the map)."""
    return templates().get_template("report.html.j2").render(
        report=report, db_name=db_name, generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        totals=headline_totals(report.totals), bars=bar_chart(report.top_entities, "name", "mentions"),
        timeline=timeline(report.timeline, report.undated), world=world_map(report.places, world_outline),
        network=network(report.pairs, report.nodes),
        verdict=load_verdict(report.newest_run, bool(report.file_problems.rows)))
