"""`wirehouse sql` is bounded (time, memory, rows fetched) and every error is one line: on a real
warehouse of the seeds, through the real command line (in a subprocess where a closed pipe
acts on the process's own stdout)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import SEED_FILES, SEEDS, settled_copy

runner = CliRunner()
WIREHOUSE = Path(sys.executable).with_name("wirehouse")
NEVER_ENDS = "select sum(x) from range(10000000000000) t(x)"
ENDLESS_ROWS = "select range as n from range(300000000)"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, prefect_api) -> Path:
    """The seeds in a warehouse, shared by the read-only tests of this module."""
    from flows.ingest import ingest

    folder = tmp_path_factory.mktemp("sqlb")
    for name in SEED_FILES:
        settled_copy(SEEDS / name, folder / "inbox" / name)
    ingest(folder / "inbox", folder / "data" / "wirehouse.duckdb", {"settle_seconds": 0})
    return folder / "data" / "wirehouse.duckdb"


def sql(warehouse: Path, query: str, *flags: str):
    return runner.invoke(app, ["sql", query, "--db", str(warehouse), *flags])


def one_line_error(result) -> str:
    """The command's output, checked to be a single `error:` line after exit code 1."""
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def data_files(warehouse: Path) -> list[Path]:
    return sorted(p for p in warehouse.with_name(f"{warehouse.stem}.files").rglob("*"))


# Time

def test_a_query_past_its_timeout_is_stopped_with_one_line_naming_the_flag(warehouse):
    line = one_line_error(sql(warehouse, NEVER_ENDS, "--timeout", "1"))
    assert "stopped after 1 s" in line and "--timeout" in line


def test_the_timeout_also_bounds_fetching_rows(warehouse):
    result = sql(warehouse, ENDLESS_ROWS, "--timeout", "1", "--max-rows", "0", "--format", "csv")
    assert result.exit_code == 1 and result.stdout.startswith("n\n0\n")
    assert result.stderr.count("\n") == 1 and "stopped after 1 s" in result.stderr


def test_an_interrupt_reaching_python_inside_an_invalid_input_error_is_the_time_limit():
    """Seen in about one run in three of the test above on a busy machine: the timer's interrupt
    landed between two fetches and DuckDB raised it wrapped (was `query failed: Invalid Input Error`)."""
    import duckdb

    from warehouse.query import Deadline, QueryBounds, QueryStopped, stopped_at_bounds

    wrapped = duckdb.InvalidInputException("Attempting to execute an unsuccessful or closed pending query result\n"
                                           "Error: INTERRUPT Error: Interrupted!")
    with pytest.raises(QueryStopped, match="query stopped after 1 s, its time limit"):
        with stopped_at_bounds(Deadline(1.0, passed=True), QueryBounds(1.0, "1GB", 0)):
            raise wrapped


# Memory

def test_a_query_needing_more_than_its_memory_limit_stops_with_one_line_naming_the_flag(warehouse):
    line = one_line_error(sql(warehouse, "select list(x) from range(100000000) t(x)", "--memory-limit", "100MB"))
    assert "memory limit of 100MB" in line and "--memory-limit" in line


def test_a_memory_limit_duckdb_cannot_read_is_one_line(warehouse):
    line = one_line_error(sql(warehouse, "select 1", "--memory-limit", "lots"))
    assert "'lots' is not a size" in line


def test_a_query_that_spills_uses_a_private_folder_removed_afterwards(warehouse, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # DuckDB's default spill folder is .tmp in the working folder
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = sql(warehouse, "select x from range(15000000) t(x) order by x desc", "--memory-limit", "200MB",
                 "--max-rows", "1", "--format", "csv")
    assert result.stdout.splitlines()[1] == "14999999"
    assert list(tmp_path.iterdir()) == []


# Rows

def test_only_max_rows_rows_are_fetched_from_an_endless_result(warehouse):
    result = sql(warehouse, ENDLESS_ROWS, "--format", "csv", "--max-rows", "3", "--timeout", "60")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "0", "1", "2"]


def test_csv_fetches_ten_thousand_rows_by_default_and_says_so_on_stderr(warehouse):
    result = sql(warehouse, ENDLESS_ROWS, "--format", "csv", "--timeout", "60")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) == 1 + 10_000 and rows[-1] == ["9999"]
    assert "10000 rows; more not fetched (--max-rows 10000" in result.stderr


def test_json_cut_at_max_rows_is_still_one_valid_array(warehouse):
    result = sql(warehouse, ENDLESS_ROWS, "--format", "json", "--max-rows", "2", "--timeout", "60")
    assert json.loads(result.stdout) == [{"n": 0}, {"n": 1}]


def test_a_result_of_exactly_max_rows_is_not_called_cut(warehouse):
    result = sql(warehouse, "select range as n from range(3)", "--max-rows", "3")
    assert result.stdout.rstrip().endswith("3 rows")


# Statements that could change the session, the warehouse or files

@pytest.mark.parametrize("statement", [
    "explain analyze create temp table t as select 1",
    "explain analyze insert into runs (run_id, started_at, status) values ('x', now(), 'completed')",
    "/* a comment */ EXPLAIN (FORMAT json) delete from files",
    "explain create table t as select 1",
])
def test_explain_of_a_write_is_refused_like_the_write(warehouse, statement):
    line = one_line_error(sql(warehouse, statement))
    assert "only reads" in line and ("CREATE" in line or "INSERT" in line or "DELETE" in line)


def test_explain_analyze_of_a_read_still_runs(warehouse):
    result = sql(warehouse, "explain analyze select count(*) from articles", "--format", "csv")
    assert result.exit_code == 0 and "analyzed_plan" in result.stdout


def test_enable_logging_to_a_file_is_refused_before_it_writes_one(warehouse):
    before = data_files(warehouse)
    data = warehouse.with_name(f"{warehouse.stem}.files")
    line = one_line_error(sql(warehouse, f"select * from enable_logging(storage = 'file', storage_path = '{data}')"))
    assert "enable_logging() changes" in line
    assert data_files(warehouse) == before


@pytest.mark.parametrize("statement", [
    "select * from enable_logging()", "select * from truncate_duckdb_logs()", "select * from force_checkpoint()",
    "select * from query('select 42')", "select * from json_execute_serialized_sql(json_serialize_sql('select 1'))",
    "select * from ducklake_cleanup_old_files('lake', cleanup_all => true)",
    "select * from ducklake_merge_adjacent_files('lake')", 'select * from "Enable_Logging" ()',
])
def test_functions_that_change_state_or_run_hidden_sql_are_refused(warehouse, statement):
    assert "only reads" in one_line_error(sql(warehouse, statement))


@pytest.mark.parametrize("statement", ["pragma enable_profiling", "pragma enable_checkpoint_on_shutdown",
                                       "pragma disable_optimizer"])
def test_pragmas_that_change_settings_are_refused(warehouse, statement):
    assert "PRAGMA statement" in one_line_error(sql(warehouse, statement))


def test_update_extensions_is_refused_naming_the_statement(warehouse):
    assert "UPDATE EXTENSIONS statement" in one_line_error(sql(warehouse, "update extensions"))


def test_function_names_in_strings_and_aliases_are_not_refused(warehouse):
    result = sql(warehouse, "select 'enable_logging(' as query", "--format", "csv")
    assert result.stdout.splitlines() == ["query", "enable_logging("]


# Errors

def test_a_value_python_cannot_hold_is_one_line(warehouse):
    assert "no Python form" in one_line_error(sql(warehouse, "select interval '100000000 years' as forever"))


def test_output_cut_off_by_its_reader_ends_quietly(warehouse):
    done = subprocess.run(f"'{WIREHOUSE}' sql '{ENDLESS_ROWS}' --db '{warehouse}' --format csv --max-rows 0 --timeout 60 | head -2",
                          shell=True, capture_output=True, timeout=300)
    assert done.stdout.decode().splitlines() == ["n", "0"]
    assert done.stderr == b""


def test_sql_holding_no_statement_is_one_line(warehouse):
    assert "no statement to run" in one_line_error(sql(warehouse, ";"))
