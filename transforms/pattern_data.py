"""The one reader of the project's pattern data (transforms/patterns/*.jsonl): word lists and
regular expressions kept as data so they can be reviewed and extended without touching code."""

from __future__ import annotations

import json
from importlib import resources


def read_patterns(name: str) -> list[dict]:
    """Rows of a JSONL file under transforms/patterns/ (blank lines skipped)."""
    text = (resources.files("transforms") / "patterns" / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]
