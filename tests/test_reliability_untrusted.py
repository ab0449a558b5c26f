"""Untrusted article text: stored verbatim, rendered inert in terminal output and Prefect
artifacts; `wirehouse sql` cannot write; servers listen on the loopback interface only."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.artifacts import inert, validation_markdown
from flows.cli import app, terminal_safe
from tests.conftest import scalar, settled_copy, write_settled

UNTRUSTED = Path(__file__).with_name("fixtures") / "hostile" / "untrusted.txt"
PAYLOADS = ["<script>alert(1)</script>", "**bold** [click](javascript:alert(1))", "<img src=x onerror=alert(1)>",
            "Robert'); DROP TABLE articles;--", "\x1b[2J\x1b[31mred alert\x1b[0m", "\x1b]0;pwned\x07"]
HOSTILE_NAME = "<img src=x onerror=alert(1)>\x1b[31m.txt"
TERMINAL_ESCAPES = ["\x1b", "\x07", "\x9b", "\r"]

runner = CliRunner()


@pytest.fixture(scope="module")
def untrusted_run(tmp_path_factory, prefect_api):
    """A real run over the untrusted article and an empty file with a hostile name: (db, summary)."""
    from flows.ingest import ingest

    root = tmp_path_factory.mktemp("untrusted")
    settled_copy(UNTRUSTED, root / "inbox" / "untrusted.txt")
    write_settled(root / "inbox" / HOSTILE_NAME, b"")
    db = root / "data" / "wirehouse.duckdb"
    return db, ingest(root / "inbox", db, {"settle_seconds": 0})


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "markdown", "html", "sql", "csi", "osc"])
def test_untrusted_text_is_stored_verbatim(untrusted_run, payload):
    db, _ = untrusted_run
    assert scalar(db, "select count(*) from articles where contains(concat_ws(chr(10), headline, dek, body), ?)",
                  [payload]) == 1


def test_sql_looking_text_did_not_run(untrusted_run):
    db, _ = untrusted_run
    assert scalar(db, "select count(*) from articles") >= 1


def test_hostile_file_name_is_stored_verbatim_with_its_reason(untrusted_run):
    db, _ = untrusted_run
    assert scalar(db, "select status from files where path = ?", [HOSTILE_NAME]) == "rejected"


@pytest.mark.parametrize("payload", PAYLOADS + [HOSTILE_NAME, "a\x9b31mb", "over\rwrite"])
def test_terminal_safe_leaves_no_control_character(payload):
    shown = terminal_safe(payload)
    assert not any(ch in shown for ch in TERMINAL_ESCAPES)


@pytest.mark.parametrize("payload", PAYLOADS + [HOSTILE_NAME, "| cell | break |\n# heading"])
def test_inert_leaves_no_markup_or_control_character(payload):
    shown = inert(payload)
    assert "<" not in shown and ">" not in shown and "\n" not in shown and "\x1b" not in shown
    assert all(f"\\{ch}" in shown for ch in "[]|*#" if ch in payload)


def test_validation_artifact_shows_the_hostile_file_name_inert(untrusted_run):
    _, summary = untrusted_run
    markdown = validation_markdown(summary, summary.docs_path)
    assert "onerror" in markdown and "<img" not in markdown and "\x1b" not in markdown


def test_status_prints_the_hostile_file_name_without_escapes(untrusted_run):
    db, _ = untrusted_run
    result = runner.invoke(app, ["status", "--db", str(db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "onerror" in result.output and "\x1b" not in result.output


def test_sql_terminal_output_shows_escape_sequences_as_text(untrusted_run):
    db, _ = untrusted_run
    result = runner.invoke(app, ["sql", "select body from articles", "--db", str(db), "--format", "vertical"])
    assert result.exit_code == 0 and "\\x1b[2J" in result.output and "\x1b" not in result.output


def test_sql_csv_into_a_pipe_keeps_the_text_byte_exact(untrusted_run):
    db, _ = untrusted_run
    result = runner.invoke(app, ["sql", "select body from articles", "--db", str(db), "--format", "csv"])
    assert result.exit_code == 0 and "\x1b[2J\x1b[31mred alert" in result.output


WRITES = [
    "insert into runs (run_id, started_at, status) values ('x', now(), 'completed')",
    "update articles set body = ''", "delete from files", "drop table articles", "create table t (a int)",
    "alter table files add column x int", "create or replace view report_recent_runs as select 1",
    "copy articles to '{out}'", "attach '{out}' as other", "install httpfs", "load httpfs", "checkpoint",
    "set enable_external_access = true", "select 1; delete from articles",
    "export database '{folder}'",
]


def warehouse_state(db: Path) -> tuple:
    """The catalog's last snapshot and the data files: any write would change one of them."""
    files = sorted(str(p) for p in db.parent.joinpath(f"{db.stem}.files").rglob("*") if p.is_file())
    return scalar(db, "select max(snapshot_id) from lake.snapshots()"), files


@pytest.mark.parametrize("statement", WRITES, ids=lambda s: "-".join(s.split()[:2]))
def test_wirehouse_sql_cannot_write(untrusted_run, tmp_path, statement):
    db, _ = untrusted_run
    before = warehouse_state(db)
    out, folder = tmp_path / "out.csv", tmp_path / "export"
    result = runner.invoke(app, ["sql", statement.format(out=out, folder=folder), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert warehouse_state(db) == before
    assert not out.exists() and not folder.exists()


def test_allowed_pragma_cannot_change_the_file_either(untrusted_run):
    db, _ = untrusted_run
    before = warehouse_state(db)
    runner.invoke(app, ["sql", "pragma enable_checkpoint_on_shutdown", "--db", str(db)])
    runner.invoke(app, ["sql", "pragma force_checkpoint", "--db", str(db)])
    assert warehouse_state(db) == before


def test_prefect_api_server_listens_on_loopback_by_default():
    from prefect.settings import get_current_settings

    assert get_current_settings().server.api.host == "127.0.0.1"


def test_wirehouse_ui_starts_the_server_on_loopback():
    from flows.serve import server_command

    command = server_command(4200)
    assert command[command.index("--host") + 1] == "127.0.0.1"
