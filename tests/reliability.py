"""What two warehouses must share to count as equal: row counts and keys, not run ids or times."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import query

KEYS = {
    "articles": "select article_id, file_sha256, md5(body) from articles",
    "sentences": "select article_id, sentence_no, start_char, end_char from sentences",
    "mentions": "select article_id, start_char, end_char, label from mentions",
    "current_files": "select path, sha256 from files where is_current",
    "loaded_content": "select distinct sha256 from files where status = 'loaded'",
}


def fingerprint(db: Path) -> dict[str, list[tuple]]:
    """Sorted keys of every content table and of the current file versions."""
    return {name: sorted(query(db, sql)) for name, sql in KEYS.items()}


def duplicate_keys(db: Path) -> dict[str, int]:
    """Rows that share a key with another row, per table (all zero in a sound warehouse)."""
    checks = {
        "articles": "select count(*) - count(distinct article_id) from articles",
        "sentences": "select count(*) - count(distinct (article_id, sentence_no)) from sentences",
        "mentions": "select count(*) - count(distinct (article_id, start_char, end_char, label)) from mentions",
        "current_files": "select count(*) - count(distinct path) from files where is_current",
    }
    return {name: query(db, sql)[0][0] for name, sql in checks.items()}
