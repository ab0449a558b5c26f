"""The `wirehouse` command line on a real warehouse."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from flows.cli import app
from presentation.safe_text import terminal_safe
from tests.conftest import SEED_FILES, SEEDS, settled_copy, write_settled

runner = CliRunner()


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory, prefect_api):
    """The seeds in a warehouse, shared by the read-only tests of this module."""
    from flows.ingest import ingest

    folder = tmp_path_factory.mktemp("cli")
    for name in SEED_FILES:
        settled_copy(SEEDS / name, folder / "inbox" / name)
    ingest(folder / "inbox", folder / "data" / "wirehouse.duckdb", {"settle_seconds": 0})
    return folder / "data" / "wirehouse.duckdb"


def test_sql_counts_mentions(loaded_db):
    result = runner.invoke(app, ["sql", "select count(*) as n from mentions", "--db", str(loaded_db), "--format", "csv"])
    assert result.exit_code == 0, result.output
    header, value = result.output.split()
    assert header == "n" and int(value) > 100


def test_sql_refuses_drop_table_with_a_clear_message(loaded_db):
    result = runner.invoke(app, ["sql", "drop table articles", "--db", str(loaded_db)])
    assert result.exit_code == 1
    assert "only reads" in result.output and "DROP" in result.output
    assert "Traceback" not in result.output


def test_sql_refuses_a_write_hidden_after_a_select(loaded_db):
    result = runner.invoke(app, ["sql", "select 1; delete from articles", "--db", str(loaded_db)])
    assert result.exit_code == 1 and "DELETE" in result.output


def test_sql_cannot_read_files_outside_the_warehouse(loaded_db):
    result = runner.invoke(app, ["sql", "select * from read_csv('/etc/passwd')", "--db", str(loaded_db)])
    assert result.exit_code == 1 and "query failed" in result.output


def test_sql_reports_a_syntax_error_in_one_line(loaded_db):
    result = runner.invoke(app, ["sql", "selec 1", "--db", str(loaded_db)])
    assert result.exit_code == 1 and "query failed" in result.output and "Traceback" not in result.output


def test_sql_json_stays_valid_json_however_long_the_text(loaded_db):
    query = "select headline, body from articles order by length(body) desc limit 3"
    result = runner.invoke(app, ["sql", query, "--db", str(loaded_db), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 3 and len(rows[0]["body"]) > 1000 and "\n" in rows[0]["body"]


def test_sql_csv_writes_values_byte_exact(loaded_db):
    result = runner.invoke(app, ["sql", "select 'a' || chr(13) || 'b,' || chr(10) || '\"c\"' as v, null as n",
                                 "--db", str(loaded_db), "--format", "csv"])
    assert list(csv.reader(io.StringIO(result.stdout, newline=""))) == [["v", "n"], ["a\rb,\n\"c\"", ""]]


def test_sql_table_shows_null_as_null_and_an_empty_string_as_nothing(loaded_db):
    result = runner.invoke(app, ["sql", "select null as missing, '' as blank", "--db", str(loaded_db)])
    value_line = [line for line in result.stdout.splitlines() if "│" in line][-1]
    assert [cell.strip() for cell in value_line.split("│")[1:-1]] == ["NULL", ""]


def test_sql_table_shows_the_first_rows_and_says_more_were_not_fetched(loaded_db):
    result = runner.invoke(app, ["sql", "select range as n from range(150)", "--db", str(loaded_db)])
    assert "100 rows; more not fetched" in result.stdout and " 99 " in result.stdout and " 100 " not in result.stdout


def test_sql_max_rows_0_shows_every_row(loaded_db):
    result = runner.invoke(app, ["sql", "select range as n from range(150)", "--db", str(loaded_db), "--max-rows", "0"])
    assert " 149 " in result.stdout and result.stdout.rstrip().endswith("150 rows")


def test_sql_shows_a_row_too_wide_for_the_terminal_as_a_record(loaded_db):
    result = runner.invoke(app, ["sql", "select * from articles limit 1", "--db", str(loaded_db)],
                           env={"COLUMNS": "80"})
    assert "record 1" in result.stdout and "\nheadline " in result.stdout and "1 row" in result.stdout


def test_sql_help_lists_the_output_formats():
    result = runner.invoke(app, ["sql", "--help"])
    assert "table|vertical|csv|json" in result.output


def test_sql_error_keeps_duckdbs_candidate_columns_on_one_line(loaded_db):
    result = runner.invoke(app, ["sql", "select headlin from articles", "--db", str(loaded_db)])
    assert result.exit_code == 1
    assert "Candidate bindings" in result.output and "headline" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_sql_without_a_warehouse_says_to_run_first(tmp_path):
    result = runner.invoke(app, ["sql", "select 1", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "wirehouse run" in result.output


def test_status_lists_runs_and_files_not_loaded(inbox, db, run_flow):
    write_settled(inbox / "empty.txt", b"")
    run_flow(inbox, db)
    result = runner.invoke(app, ["status", "--db", str(db)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "completed" in result.output and "empty.txt" in result.output and "rejected" in result.output


def test_status_counts_a_duplicate_file_as_not_loaded(inbox, db, run_flow):
    settled_copy(inbox / SEED_FILES[0], inbox / "copy.txt")
    run_flow(inbox, db)
    result = runner.invoke(app, ["status", "--db", str(db)], env={"COLUMNS": "200"})
    lines = result.stdout.splitlines()
    header = [cell.strip() for cell in next(line for line in lines if "not_loaded" in line).split("┃")]
    run_line = [cell.strip() for cell in next(line for line in lines if "completed" in line).split("│")]
    assert run_line[header.index("not_loaded")] == "1"
    assert "duplicate" in result.stdout


def test_run_with_a_missing_inbox_fails_with_a_readable_message(tmp_path):
    result = runner.invoke(app, ["run", "--inbox", str(tmp_path / "nope"), "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 1 and "is not a folder" in result.output and "Traceback" not in result.output


def test_terminal_escapes_are_shown_not_executed():
    assert terminal_safe("red\x1b[31m alert") == "red\\x1b[31m alert"


def test_run_help_shows_each_option_default():
    result = runner.invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    assert "[default: seeds/]" in result.output and "[default: local]" in result.output
