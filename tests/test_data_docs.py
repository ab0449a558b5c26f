"""Great Expectations Data Docs that work offline: vendored assets, results listed, warnings shown as\n"passed with warnings", never as failures."""

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


def status_of(page: Path) -> tuple[str, str]:
    """(icon classes, status text) of a validation result page."""
    status = re.search(r'Status:</span>\s*<i class="([^"]*)"[^>]*></i>\s*(\w[\w ]*)', page.read_text(encoding="utf-8"))
    return status.group(1), status.group(2).strip()


def result_page(docs: Path, suite: str, run_name: str) -> Path:
    return next((docs.parent / "validations" / suite / run_name).glob("*/*.html"))


def test_a_batch_with_only_warnings_is_shown_as_passed_with_warnings(docs):
    icon, text = status_of(result_page(docs, "articles", "warned"))
    assert text == "Passed with warnings" and "text-warning" in icon and "text-danger" not in icon


def test_a_clean_batch_is_still_shown_as_succeeded(docs):
    assert status_of(result_page(docs, "articles", "clean"))[1] == "Succeeded"


def test_the_index_marks_only_the_warned_result_as_passed_with_warnings(docs):
    index = docs.read_text(encoding="utf-8")
    assert index.count("'_validation_success_text': 'Passed with warnings'") == 1
    assert "'_validation_success_text': 'Failed'" not in index
    warned = re.search(r"\{'validation_success': '((?:(?!\{'validation_success').)*?)'_table_row_link_path': "
                       r"'validations/articles/warned/", index, re.S).group(1)
    assert "text-warning" in warned


@needs("chromium")
def test_the_index_lists_the_results_in_chromium_offline(docs, tmp_path):
    dom = subprocess.run([shutil.which("chromium"), *HEADLESS_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                          "--virtual-time-budget=5000", "--dump-dom", docs.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert dom.count("ge-success-icon") >= 8  # two runs of four suites, each a row with its status
    assert "ge-failed-icon" not in dom and 'title="Passed with warnings"' in dom
