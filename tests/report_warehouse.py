"""One real flow run over seeds/ shared by the view, report and browser tests of a session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEED_FILES, SEEDS, settled_copy

_built: dict[str, Path] = {}


def seeds_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published warehouse of one run over seeds/, built on first use (needs `prefect_api`)."""
    if "seeds" not in _built:
        from flows.ingest import ingest

        root = tmp_path_factory.mktemp("report-seeds")
        for name in SEED_FILES:
            settled_copy(SEEDS / name, root / "inbox" / name)
        db = root / "data" / "wirehouse.duckdb"
        ingest(root / "inbox", db, {"settle_seconds": 0})
        _built["seeds"] = db
    return _built["seeds"]
