"""The layers import downwards only: storage and validation never reach into computation,
presentation or wiring, computation never reaches into anything else, presentation only reads the
warehouse's report rows, and the shared records reach into nothing (every import, also inside
functions)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

# package -> the project packages its modules must not import
FORBIDDEN = {
    "warehouse": {"transforms", "flows", "presentation"},
    "expectations": {"transforms", "flows", "presentation"},
    "transforms": {"flows", "warehouse", "expectations", "presentation"},
    "records": {"flows", "warehouse", "expectations", "transforms", "presentation"},
    "presentation": {"flows", "transforms", "expectations"},  # it reads the warehouse's report rows
}


def imported_packages(source: str) -> set[str]:
    """The top-level package of every module the source imports."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def layer_violations(package: str) -> list[str]:
    """``module imports package`` for each forbidden import of the package's modules."""
    return [f"{path.relative_to(ROOT)} imports {name}"
            for path in sorted((ROOT / package).rglob("*.py"))
            for name in sorted(imported_packages(path.read_text(encoding="utf-8")) & FORBIDDEN[package])]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_no_layer_above_it(package):
    assert layer_violations(package) == []


def test_an_import_inside_a_function_is_seen():
    source = "def f():\n    from flows.ingest import ingest\n    import warehouse.store\n"
    assert imported_packages(source) == {"flows", "warehouse"}
