"""Great Expectations Data Docs that work offline: vendored assets, results listed, warnings not failures."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from expectations.docs_assets import installed
from expectations.validate import build_data_docs
from tests.browser import HEADLESS_FLAGS, needs
from tests.test_expectations import LABELS, make_batch, run

pytestmark = pytest.mark.skipif(not installed(), reason="Data Docs assets not installed: `make setup` "
                                                        "(runs python -m expectations.docs_assets; needs npm)")
ADDRESS = re.compile(r'(?:src|href)="([^"#]+)"')


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    """The Data Docs index of one clean batch and one whose headline is missing (a warning)."""
    folder = tmp_path_factory.mktemp("docs")
    run(folder, *make_batch(), run_name="clean")
    articles, sentences, mentions, quotes = make_batch()
    articles.loc[0, "headline"] = None
    run(folder, articles, sentences, mentions, quotes, run_name="warned")
    build_data_docs(folder / "gx", "clean", LABELS)
    return build_data_docs(folder / "gx", "warned", LABELS)


def test_data_docs_load_their_css_and_scripts_from_the_docs_folder(docs):
    for page in docs.parent.rglob("*.html"):
        for address in ADDRESS.findall(page.read_text(encoding="utf-8")):
            if address.endswith((".css", ".js")):
                assert not address.startswith(("http:", "https:", "//")), (page.name, address)
                assert (page.parent / address).resolve().is_file(), (page.name, address)


def test_a_batch_with_only_warnings_is_not_shown_as_failed(docs):
    page = next((docs.parent / "validations" / "articles" / "warned").glob("*/*.html"))
    status = re.search(r'Status:</span>\s*<i class="([^"]*)"[^>]*></i>\s*(\w+)', page.read_text(encoding="utf-8"))
    assert status.group(2) == "Succeeded" and "text-danger" not in status.group(1)
    assert "'validation_success_text': 'Failed'" not in docs.read_text(encoding="utf-8")


@needs("chromium")
def test_the_index_lists_the_results_in_chromium_offline(docs, tmp_path):
    dom = subprocess.run([shutil.which("chromium"), *HEADLESS_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                          "--virtual-time-budget=5000", "--dump-dom", docs.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert dom.count("ge-success-icon") >= 8  # two runs of four suites, each a row with its status
    assert "ge-failed-icon" not in dom
