"""Quarantine: a batch less the files validation failed, before it is loaded.

Validation traces each failed error check to the files whose rows broke it (``blamed``); a file
so blamed is recorded as quarantined with the reason, and its articles and every row keyed by
those articles stay out of the load. When a check could not be traced, or blames content no
loaded file of the batch has, every loaded file is quarantined with the batch's reason.
"""

from __future__ import annotations

from dataclasses import replace

import pyarrow as pa
import pyarrow.compute as pc

from records.batch import Batch, FileVersion


def quarantine_reasons(files: list[FileVersion], blamed: dict[str, str], whole_batch: bool,
                       reason: str) -> dict[str, str]:
    """sha256 -> reason of each loaded file to quarantine: the ``blamed`` ones, or every loaded
    file (with ``reason``) for the ``whole_batch`` or when blame falls outside the loaded files."""
    loaded = {f.sha256 for f in files if f.status == "loaded"}
    if whole_batch or not blamed.keys() <= loaded:
        return dict.fromkeys(loaded, reason)
    return blamed


def without_quarantined(batch: Batch, blamed: dict[str, str], whole_batch: bool, reason: str) -> Batch:
    """The batch to write after a failed validation: its blamed files quarantined (see
    ``quarantine_reasons``), their articles and rows left out."""
    reasons = quarantine_reasons(batch.files, blamed, whole_batch, reason)
    files = [replace(f, status="quarantined", reason=f"quarantined by validation: {reasons[f.sha256]}")
             if f.status == "loaded" and f.sha256 in reasons else f for f in batch.files]
    kept = pa.array(sorted({f.sha256 for f in files if f.status == "loaded"}), pa.string())
    articles = batch.articles.filter(pc.is_in(batch.articles["file_sha256"], value_set=kept))
    rows = {name: table.filter(pc.is_in(table["article_id"], value_set=articles["article_id"].combine_chunks()))
            for name, table in batch.rows.items()}
    return replace(batch, files=files, articles=articles, rows=rows)
