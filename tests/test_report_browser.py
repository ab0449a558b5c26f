"""The HTML report in headless Chromium, offline: it renders its charts, and a screenshot is kept."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from flows.report import write_report
from tests.browser import HEADLESS_FLAGS, needs
from tests.conftest import ROOT
from tests.report_warehouse import seeds_warehouse

SCREENSHOT = ROOT / "tests" / "output" / "report.png"
pytestmark = needs("chromium")


@pytest.fixture(scope="module")
def report_html(prefect_api, tmp_path_factory) -> Path:
    html_path = tmp_path_factory.mktemp("browser-report") / "report.html"
    write_report(seeds_warehouse(tmp_path_factory), html_path)
    return html_path


def chromium(tmp_path: Path, html: Path, *flags: str) -> str:
    """Run headless Chromium on ``html`` with networking off; returns its stdout."""
    command = [shutil.which("chromium"), *HEADLESS_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
               *(flags if any(f.startswith("--window-size") for f in flags) else ["--window-size=1280,1600", *flags]),
               html.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def png_size_and_pixels(path: Path) -> tuple[tuple[int, int], bytes]:
    """(width, height) and the decompressed scanlines of a PNG, with the standard library only."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8:offset + 8 + length])
        offset += length + 12
    return (width, height), zlib.decompress(b"".join(chunks))


def test_report_screenshot_shows_a_rendered_page(report_html, tmp_path):
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    chromium(tmp_path, report_html, f"--screenshot={SCREENSHOT}")
    size, pixels = png_size_and_pixels(SCREENSHOT)
    assert size == (1280, 1600) and SCREENSHOT.stat().st_size > 20_000
    # a blank or single-colour page compresses to a handful of distinct byte values
    assert len(set(pixels)) > 64


def non_blank_bands(size: tuple[int, int], pixels: bytes, bands: int) -> int:
    """How many of ``bands`` horizontal stripes of the image have a row that is not one flat colour
    (a flat row, whatever its PNG filter, is at most two distinct byte values)."""
    width, height = size
    stride = len(pixels) // height
    rows = [pixels[y * stride + 1:(y + 1) * stride] for y in range(height)]
    per_band = height // bands
    return sum(any(len(set(row)) > 2 for row in rows[b * per_band:(b + 1) * per_band]) for b in range(bands))


def test_the_whole_report_renders_content_from_top_to_bottom(report_html, tmp_path):
    shot = tmp_path / "full.png"
    chromium(tmp_path, report_html, "--window-size=1280,5200", f"--screenshot={shot}")
    size, pixels = png_size_and_pixels(shot)
    assert size == (1280, 5200)
    assert non_blank_bands(size, pixels, 20) >= 16  # totals, charts, map, network and tables all drew


def test_report_charts_are_in_the_rendered_dom(report_html, tmp_path):
    dom = chromium(tmp_path, report_html, "--dump-dom")
    for chart in ("chart-top-entities", "chart-timeline", "chart-map", "chart-network"):
        assert f'<svg id="{chart}"' in dom
    assert dom.count("<circle") > 10 and "Vladimir Putin" in dom
