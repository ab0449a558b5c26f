"""The warehouse built from the seeds holds exactly what the recorded digest says.

Pins the whole warehouse (every table, every row; run ids and clock readings normalised) so that a
refactor cannot change what is stored unnoticed. When extraction or the schema changes on purpose,
re-record it and review the tables named as changed:

    .venv/bin/python -m bench.warehouse_digest --seeds --write tests/answers/warehouse_seeds.digest
"""

from __future__ import annotations

from bench.warehouse_digest import (canonical_tables, differing_tables, digest_lines, fixed_inbox, read_digest,
                                    seed_files)
from tests.conftest import ROOT

SEEDS_DIGEST = ROOT / "tests" / "answers" / "warehouse_seeds.digest"


def test_seeds_warehouse_matches_its_recorded_digest(tmp_path, run_flow):
    db = tmp_path / "data" / "wirehouse.ducklake"
    run_flow(fixed_inbox(tmp_path / "inbox", seed_files()), db)
    assert differing_tables(read_digest(SEEDS_DIGEST), digest_lines(canonical_tables(db))) == []


def test_digest_names_the_tables_that_differ():
    before = ["articles 14 aaa", "files 5 bbb", "runs 1 ccc"]
    after = ["articles 14 aaa", "files 5 bbx", "quotes 2 ddd"]
    assert differing_tables(before, after) == ["files", "quotes", "runs"]
