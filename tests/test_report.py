"""`wirehouse report`: terminal tables and the offline HTML page, on a real seeds/ warehouse."""

from __future__ import annotations

import re
import shutil

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.report import write_report
from tests.report_warehouse import seeds_warehouse
from warehouse.store import open_writer

runner = CliRunner()
SCRIPT_NAME = "<script>alert(1)</script>"
ANSI_NAME = "\x1b[2J\x1b[31mred alert"


@pytest.fixture(scope="module")
def seeded(prefect_api, tmp_path_factory):
    return seeds_warehouse(tmp_path_factory)


@pytest.fixture(scope="module")
def hostile(seeded, tmp_path_factory):
    """A copy of the seeds warehouse whose top person and place carry hostile names."""
    db = tmp_path_factory.mktemp("hostile-report") / "wirehouse.ducklake"
    shutil.copyfile(seeded.with_suffix(".ducklake"), db)  # the catalog and its data files
    shutil.copytree(seeded.with_name(f"{seeded.stem}.files"), db.with_name("wirehouse.files"))
    with open_writer(db) as con:
        con.execute("update entities set name = ? where name = 'Vladimir Putin'", [SCRIPT_NAME])
        con.execute("update entities set name = ? where name = 'Syria'", [ANSI_NAME])
    return db


@pytest.fixture(scope="module")
def report_page(seeded, tmp_path_factory) -> str:
    """The HTML page `wirehouse report` writes for the seeds warehouse."""
    html_path = tmp_path_factory.mktemp("report") / "report.html"
    result = runner.invoke(app, ["report", "--db", str(seeded), "--html", str(html_path)])
    assert result.exit_code == 0, result.output
    return html_path.read_text(encoding="utf-8")


def test_report_html_draws_the_three_charts_as_inline_svg(report_page):
    for chart in ("chart-top-entities", "chart-timeline", "chart-network"):
        assert f'<svg id="{chart}"' in report_page
    assert "Staffan de Mistura" in report_page


def test_report_html_loads_nothing_from_the_network(report_page):
    assert set(re.findall(r"https?://[^\s\"']+", report_page)) == {"http://www.w3.org/2000/svg"}
    assert "default-src 'none'" in report_page


def test_report_html_escapes_a_script_in_an_entity_name(hostile, tmp_path):
    write_report(hostile, tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page


def test_report_terminal_tables_show_escape_sequences_without_running_them(hostile, tmp_path):
    result = runner.invoke(app, ["report", "--db", str(hostile), "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert "\\x1b[31mred alert" in result.output and "Top entities" in result.output


def test_report_on_a_missing_warehouse_fails_with_a_message(tmp_path):
    result = runner.invoke(app, ["report", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "wirehouse run" in result.output and not (tmp_path / "report.html").exists()


def test_report_on_a_warehouse_without_articles_still_writes_the_page(tmp_path):
    from warehouse.store import apply_views

    db = tmp_path / "empty.ducklake"
    with open_writer(db) as con:
        apply_views(con)
    write_report(db, tmp_path / "report.html")
    assert '<svg id="chart-network"' in (tmp_path / "report.html").read_text(encoding="utf-8")
