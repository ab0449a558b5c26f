"""The `wirehouse` command line on a real warehouse."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from flows.cli import app, terminal_safe
from tests.conftest import write_settled

runner = CliRunner()


@pytest.fixture
def loaded_db(inbox, db, run_flow):
    run_flow(inbox, db)
    return db


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


def test_sql_without_a_warehouse_says_to_run_first(tmp_path):
    result = runner.invoke(app, ["sql", "select 1", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "wirehouse run" in result.output


def test_status_lists_runs_and_files_not_loaded(inbox, db, run_flow):
    write_settled(inbox / "empty.txt", b"")
    run_flow(inbox, db)
    result = runner.invoke(app, ["status", "--db", str(db)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "completed" in result.output and "empty.txt" in result.output and "rejected" in result.output


def test_run_with_a_missing_inbox_fails_with_a_readable_message(tmp_path):
    result = runner.invoke(app, ["run", "--inbox", str(tmp_path / "nope"), "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 1 and "is not a folder" in result.output and "Traceback" not in result.output


def test_terminal_escapes_are_shown_not_executed():
    assert terminal_safe("red\x1b[31m alert") == "red\\x1b[31m alert"


def test_run_help_shows_each_option_default():
    result = runner.invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    assert "[default: seeds/]" in result.output and "[default: local]" in result.output
