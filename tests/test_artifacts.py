"""The Prefect artifacts of a real run, read back through the Prefect API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.artifacts import inert, top_entity_rows, validation_markdown
from flows.summary import RUN_COUNTS, RunSummary
from tests.conftest import SEED_FILES, SEEDS, scalar, settled_copy
from warehouse.report import top_entities


@pytest.fixture(scope="module")
def seeds_run(prefect_api, tmp_path_factory):
    """(warehouse, flow run id) of one run over the seeds in two batches."""
    from flows.ingest import ingest

    folder = tmp_path_factory.mktemp("artifacts")
    for name in SEED_FILES:
        settled_copy(SEEDS / name, folder / "inbox" / name)
    db = folder / "data" / "wirehouse.duckdb"
    ingest(folder / "inbox", db, {"settle_seconds": 0, "batch_files": 3})
    return db, scalar(db, "select flow_run_id from runs")


def artifact_rows(flow_run_id: str, key: str) -> list[dict]:
    """The rows of the run's table artifact ``key``."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]), key=ArtifactFilterKey(any_=[key])))
    assert len(found) == 1
    return json.loads(found[0].data) if isinstance(found[0].data, str) else found[0].data


def test_top_entities_artifact_counts_entities_as_the_report_does(seeds_run):
    db, flow_run_id = seeds_run
    report = {name: mentions for _, name, _, mentions, _ in top_entities(db, 10).rows}
    assert {row["entity"]: row["mentions"] for row in artifact_rows(flow_run_id, "top-entities")} == report


def test_run_profile_artifact_has_the_publish_row_the_terminal_shows(seeds_run):
    stages = {row["stage"] for row in artifact_rows(seeds_run[1], "run-profile")}
    assert {"discover", "parse", "extract", "validate", "load", "publish", "orchestration"} <= stages


def test_validation_summary_shows_the_data_docs_path_as_written():
    summary = RunSummary("r", Path("inbox"), Path("w.duckdb"))
    markdown = validation_markdown(summary, Path("/data/gx/docs/index.html"))
    assert "`/data/gx/docs/index.html`" in markdown


def test_artifact_cells_keep_hyphens_and_dots_inside_names_as_printed():
    assert [inert(name) for name in ("Bashar al-Assad", "U.S.", "Abu Dhabi (UAE)")] == [
        "Bashar al-Assad", "U.S.", "Abu Dhabi (UAE)"]


def test_artifact_cells_escape_a_list_marker_at_the_start():
    assert [inert(text) for text in ("- item", "1. item")] == ["\\- item", "1\\. item"]


def test_artifact_cells_escape_html_markup_but_keep_quotes_as_written():
    assert inert("O'Brien said \"no\" <b>&") == "O'Brien said \"no\" &lt;b&gt;&amp;"


def validation_result(suite: str, severity: str, success: bool) -> dict:
    return {"suite": suite, "expectation": "expect_column_values_to_not_be_null", "column": "headline",
            "severity": severity, "success": success, "details": "1 unexpected"}


def test_validation_summary_says_passed_with_warnings_when_only_warnings_fail():
    summary = RunSummary("r", Path("inbox"), Path("w.duckdb"))
    summary.validation = [validation_result("articles", "warn", False), validation_result("mentions", "error", True)]
    assert "**Passed with warnings**: 1 warning(s), no errors" in validation_markdown(summary, None)


def test_validation_summary_says_failed_when_an_error_fails():
    summary = RunSummary("r", Path("inbox"), Path("w.duckdb"))
    summary.validation = [validation_result("articles", "warn", False), validation_result("mentions", "error", False)]
    assert "**Failed**: 1 error(s), 1 warning(s)" in validation_markdown(summary, None)


def test_a_run_that_loaded_no_articles_lists_no_top_entities_without_opening_the_warehouse(tmp_path):
    from flows.settings import load_settings

    missing = load_settings(db=tmp_path / "none.ducklake").lake  # opening it would fail
    nothing_loaded = RunSummary("r", Path("inbox"), Path("w.duckdb"), dict.fromkeys(RUN_COUNTS, 0))
    assert top_entity_rows(nothing_loaded, missing) == []
