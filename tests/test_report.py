"""`wirehouse report`: terminal tables and the offline HTML page, on a real seeds/ warehouse."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest
from typer.testing import CliRunner

from expectations.docs_assets import installed
from flows.cli import app
from flows.report import write_report
from tests.conftest import query
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


def svg_of(page: str, chart: str) -> str:
    return re.search(rf'<svg id="{chart}".*?</svg>', page, re.S).group(0)


def test_report_html_leads_with_the_headline_totals(report_page):
    totals = re.search(r'<div class="totals">(.*?)</div></div>', report_page, re.S).group(1)
    assert "<b>14</b>articles" in totals and "<b>3</b>sources" in totals
    assert "2017-06-08 to 2018-01-10" in totals and "undated articles" in totals


def test_report_html_shows_no_internal_ids(report_page, seeded):
    ids = query(seeded, "select list(article_id) || list(distinct run_id) from articles")[0][0]
    assert not any(identifier in report_page for identifier in ids)
    assert "entity_id" not in report_page and "run_id" not in report_page


def test_report_timeline_has_a_time_axis_and_undated_mentions_apart(report_page):
    timeline = svg_of(report_page, "chart-timeline")
    assert ">undated</text>" in timeline and ">Jan 2018</text>" in timeline
    assert date.today().isoformat() not in timeline  # never on the run's day


def test_report_map_draws_mentioned_places_over_a_world_outline(report_page):
    if not installed():
        pytest.skip("world outline not installed: `make setup` (python -m expectations.docs_assets; needs npm)")
    world = svg_of(report_page, "chart-map")
    assert len(re.search(r'<path d="([^"]+)"', world).group(1)) > 10_000
    assert "<title>Moscow: " in world and world.count("<circle") >= 10


def test_report_network_sizes_entities_by_mentions_and_colours_them_by_type(report_page):
    network = svg_of(report_page, "chart-network")
    radii = set(re.findall(r'<circle cx="[\d.]+" cy="[\d.]+" r="([\d.]+)"', network))
    fills = set(re.findall(r'<circle[^>]*fill="(#[0-9a-f]{6})"', network))
    assert len(radii) >= 5 and len(fills) >= 3


def test_report_lists_near_duplicate_stories(report_page):
    section = re.search(r"<h2>Near-duplicate stories</h2>(.*?)</section>", report_page, re.S).group(1)
    assert "Putin must nudge Syria into U.N. peace deal" in section


def test_report_quotes_a_sentence_for_each_top_entity(report_page):
    section = re.search(r"<h2>In their words.*?</h2>(.*?)</section>", report_page, re.S).group(1)
    assert section.count("<tr><td>") == 5 and "<tr><td>Russia</td>" in section


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


def test_report_says_every_file_loaded_instead_of_an_empty_table(seeded, tmp_path):
    result = runner.invoke(app, ["report", "--db", str(seeded), "--html", str(tmp_path / "r.html")],
                           env={"COLUMNS": "160"})
    assert "Files not loaded: none" in result.stdout
    assert not re.search(r"Files not loaded\s*\n\S*\s*path", result.stdout)


def warehouse_whose_newest_run(tmp_path, status: str, counts: dict[str, int]):
    """A warehouse holding one run, recorded with ``status`` and ``counts`` (no file loaded)."""
    from warehouse import load as loader
    from warehouse.store import apply_views

    db = tmp_path / "data" / "wirehouse.ducklake"
    with open_writer(db) as con, loader.transaction(con):
        apply_views(con)
        loader.start_run(con, "0123456789", None)
        loader.finish_run(con, "0123456789", status, counts, {}, "OSError: No space left on device")
    return db


def test_the_html_report_after_a_failed_run_does_not_claim_every_file_is_loaded(tmp_path):
    db = warehouse_whose_newest_run(tmp_path, "failed", {})
    write_report(db, tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "is loaded" not in page
    assert "The newest run (01234567) has status failed" in page


def test_the_html_report_names_the_entries_the_newest_run_skipped(tmp_path):
    db = warehouse_whose_newest_run(tmp_path, "completed", {"files_skipped": 2})
    write_report(db, tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "the newest run skipped 2 inbox entries" in page


def test_the_terminal_report_after_a_failed_run_says_what_status_says(tmp_path):
    db = warehouse_whose_newest_run(tmp_path, "failed", {})
    result = runner.invoke(app, ["report", "--db", str(db), "--html", str(tmp_path / "r.html")], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "The newest run (01234567) has status failed" in result.stdout


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
