"""Warehouse digest: every table's contents, canonically ordered, as one sha256 per table.

A refactor that must not change behaviour is checked by building the same warehouse before and
after it and comparing digests. The build is fixed: the input files get a fixed mtime (datelines
without a year take it from the file), one real flow run loads them, and what is random or
time-based is normalised: run ids become ``run-1``, ``run-2`` ... in start order (also inside
text such as a reason naming a run), and clock readings are left out (see ``CLOCK_COLUMNS``).

    .venv/bin/python -m bench.warehouse_digest --seeds --write tests/answers/warehouse_seeds.digest
    .venv/bin/python -m bench.warehouse_digest --stories 1500 --check data/bench/reuters-1500.digest

``--write`` (re)records a reference; do it on purpose, when extraction or the schema changes and
the new contents are the intended ones. ``--check`` compares and names the tables that differ;
``--dump FILE`` also writes the canonical rows, to diff two builds table by table.
The Reuters-21578 stories are read from ../shared/corpus and written under the git-ignored data/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench.corpus import BENCH_DATA, ROOT, corpus_stories, story_text

SEEDS = ROOT / "seeds"
# The mtime every input file gets: 2026-01-15 12:00 UTC.
FIXED_MTIME = 1768478400
# Columns holding clock readings of the build (not its contents), left out of the digest.
CLOCK_COLUMNS = {"discovered_at", "started_at", "finished_at", "applied_at", "removed_at", "stage_seconds"}
RUN_ID_COLUMNS = {"run_id", "flow_run_id"}


def fixed_inbox(folder: Path, files: dict[str, str | bytes]) -> Path:
    """``folder`` holding ``files`` (name -> content), every one with the fixed mtime."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return folder


def seed_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(SEEDS.iterdir()) if p.is_file()}


def reuters_files(count: int) -> dict[str, str]:
    """The first ``count`` corpus stories with text, one wire file each (as bench.corpus writes them)."""
    files = {}
    for story in corpus_stories():
        files[f"reuters-{story['newid']}.txt"] = story_text(story)
        if len(files) == count:
            return files
    raise ValueError(f"the corpus holds only {len(files)} stories with text; asked for {count}")


def run_labels(con) -> dict[str, str]:
    """run_id -> ``run-N`` in the order the runs started."""
    ids = [row[0] for row in con.execute("select run_id from runs order by started_at, run_id").fetchall()]
    return {run_id: f"run-{n}" for n, run_id in enumerate(ids, start=1)}


def normalised(value, labels: dict[str, str]):
    if isinstance(value, str):
        for run_id, label in labels.items():
            value = value.replace(run_id, label)
        return value
    if isinstance(value, (list, tuple)):
        return [normalised(v, labels) for v in value]
    if isinstance(value, dict):
        return {k: normalised(v, labels) for k, v in value.items()}
    return value


def table_rows(con, table: str, labels: dict[str, str]) -> list[str]:
    """The table's rows as sorted JSON lines of its non-clock columns (sorted by name)."""
    columns = sorted(row[0] for row in con.execute(
        "select column_name from duckdb_columns() where database_name = 'lake' and table_name = ?",
        [table]).fetchall() if row[0] not in CLOCK_COLUMNS)
    quoted = ", ".join(f'"{c}"' for c in columns)
    rows = con.execute(f'select {quoted} from "{table}"').fetchall()
    return sorted(json.dumps(dict(zip(columns, normalised(list(row), labels))), default=str, sort_keys=True)
                  for row in rows)


def canonical_tables(db: Path) -> dict[str, list[str]]:
    """Every table of the warehouse -> its canonical rows."""
    from flows.settings import load_settings
    from warehouse.store import open_reader

    with open_reader(load_settings(db=db).lake) as con:
        labels = run_labels(con)
        tables = sorted(row[0] for row in con.execute(
            "select table_name from duckdb_tables() where database_name = 'lake'").fetchall())
        return {table: table_rows(con, table, labels) for table in tables}


def digest_lines(tables: dict[str, list[str]]) -> list[str]:
    """One ``table rows sha256`` line per table."""
    return [f"{table} {len(rows)} {hashlib.sha256(chr(10).join(rows).encode()).hexdigest()}"
            for table, rows in tables.items()]


def differing_tables(expected: list[str], actual: list[str]) -> list[str]:
    """Names of the tables whose digest line differs (or that only one side has)."""
    before = {line.split()[0]: line for line in expected}
    after = {line.split()[0]: line for line in actual}
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def read_digest(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def build_warehouse(files: dict[str, str | bytes], workdir: Path) -> Path:
    """The warehouse one real flow run makes of ``files``; returns its path."""
    from flows.ingest import ingest

    inbox = fixed_inbox(workdir / "inbox", files)
    db = workdir / "data" / "wirehouse.ducklake"
    ingest(inbox, db, {"settle_seconds": 0})
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--seeds", action="store_true", help="build from seeds/")
    source.add_argument("--stories", type=int, help="build from the first N Reuters-21578 stories")
    parser.add_argument("--write", type=Path, help="record the digest in this file")
    parser.add_argument("--check", type=Path, help="compare with the digest in this file")
    parser.add_argument("--dump", type=Path, help="also write the canonical rows here")
    args = parser.parse_args(argv)

    from flows.prefect_env import configure_prefect

    configure_prefect(BENCH_DATA / "prefect")
    files = seed_files() if args.seeds else reuters_files(args.stories)
    workdir = Path(tempfile.mkdtemp(prefix="digest-", dir=BENCH_DATA if BENCH_DATA.is_dir() else None))
    try:
        tables = canonical_tables(build_warehouse(files, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    lines = digest_lines(tables)
    if args.dump:
        args.dump.write_text("".join(f"== {t}\n" + "".join(r + "\n" for r in rows) for t, rows in tables.items()),
                             encoding="utf-8")
    print("\n".join(lines))
    if args.write:
        args.write.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    if args.check:
        differ = differing_tables(read_digest(args.check), lines)
        print(f"differs from {args.check}: {', '.join(differ)}" if differ else f"same as {args.check}")
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
