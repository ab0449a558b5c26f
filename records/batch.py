"""The batch: one record carried from parse to load.

Parse makes it (each file version's outcome and the articles table, built once), extraction adds
the rows keyed by article (sentences, mentions, quotes), validation adds its results, and
quarantine (transforms/quarantine.py) takes out the files validation failed; the load writes what
is left. What stays separate, and why: the discover candidate (a file not read yet), the
extraction (a worker's output, with the seconds it took) and the validation outcome (a verdict:
which files to quarantine) are inputs to a step, not reshapes of the batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:  # pandas costs about a second to import; a run with nothing new never needs it
    import pandas as pd


@dataclass(frozen=True)
class FileVersion:
    """One file version's outcome in this batch, as recorded in ``files``."""

    path: str
    sha256: str
    size_bytes: int
    modified_at: datetime
    status: str                  # loaded | quarantined | rejected | duplicate
    reason: str | None = None
    encoding: str | None = None
    article_count: int = 0


@dataclass(frozen=True)
class Batch:
    """Everything one load transaction writes, and what parse noticed on the way. ``rows`` maps a
    warehouse table to rows keyed by article_id (sentences, mentions, quotes); they load only
    with their article."""

    run_id: str
    files: list[FileVersion]
    articles: pa.Table
    rows: dict[str, pa.Table] = field(default_factory=dict)
    validation: pd.DataFrame | None = None
    deferred: list[tuple[str, str]] = field(default_factory=list)   # (path, why) left for the next run
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (path, warning) of loaded files

    def count(self, table: str) -> int:
        if table == "articles":
            return self.articles.num_rows
        return self.rows[table].num_rows if table in self.rows else 0

    def rejections(self) -> list[tuple[str, str]]:
        """(path, reason) of the files parse rejected."""
        return [(f.path, f.reason) for f in self.files if f.status == "rejected"]

    def with_rows(self, rows: dict[str, pa.Table]) -> Batch:
        return replace(self, rows=rows)

    def with_validation(self, results: pd.DataFrame) -> Batch:
        return replace(self, validation=results)
