"""Helpers every statement module uses: the named SQL files of ``warehouse/statements/`` and
in-memory tables made visible to that SQL for one block."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources

import duckdb


@cache
def statement(name: str) -> str:
    """The SQL of ``warehouse/statements/<name>.sql``."""
    return (resources.files("warehouse") / "statements" / f"{name}.sql").read_text(encoding="utf-8")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, table: object) -> Iterator[None]:
    """``table`` (an Arrow table or a pandas frame) visible to SQL as ``name`` for the block, and
    gone after it even when the block raises. Joined, not passed as a list parameter, so a batch
    of n rows costs a hash join, not n list scans per row."""
    con.register(name, table)
    try:
        yield
    finally:
        con.unregister(name)
