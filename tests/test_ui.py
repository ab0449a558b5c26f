"""The Prefect UI, in headless Chromium: a completed run's summary artifact, and untrusted text in
artifact cells shown as written, never as markup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.artifacts import inert
from tests.browser import HEADLESS_FLAGS, needs
from tests.conftest import ROOT, scalar
from tests.prefect_server import local_prefect_server, wirehouse

OUTPUT = ROOT / "tests" / "output"
CHROMIUM_FLAGS = [*HEADLESS_FLAGS, "--window-size=1400,1600"]
UNTRUSTED_CELLS = ["O'Brien", "<b>injected</b>", "AT&T", "**not bold**", 'say "no"']
pytestmark = needs("chromium", "chromedriver")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with local_prefect_server(tmp_path_factory.mktemp("prefect-ui")) as api:
        yield api


def chromium_driver():
    """Selenium driving the system's headless Chromium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def artifacts_tab_text(page_url: str, screenshot: Path) -> str:
    """The visible text of a flow run page after opening its Artifacts tab; saves a screenshot."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser = chromium_driver()
    try:
        browser.get(page_url)
        wait = WebDriverWait(browser, 60)
        # The tab appears once the run has loaded (the UI hides it for runs not yet finished).
        wait.until(lambda b: b.find_element(By.XPATH, "//li[contains(@class,'p-tab')][normalize-space(.)='Artifacts']")).click()
        wait.until(lambda b: "run-summary" in b.find_element(By.TAG_NAME, "body").text)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        screenshot.unlink(missing_ok=True)
        browser.save_screenshot(str(screenshot))
        return browser.find_element(By.TAG_NAME, "body").text
    finally:
        browser.quit()


def table_cells(page_url: str, count: int) -> tuple[list[str], list[str]]:
    """(visible text of each text cell, tags of any markup inside them) of a table artifact's page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser = chromium_driver()
    try:
        browser.get(page_url)
        cells = WebDriverWait(browser, 60).until(
            lambda b: len(found := b.find_elements(By.CSS_SELECTOR, "td .markdown-renderer")) >= count and found)
        markup = browser.find_elements(By.CSS_SELECTOR, "td .markdown-renderer :is(b, strong, em, i, a, img, script)")
        return [cell.text for cell in cells], [element.tag_name for element in markup]
    finally:
        browser.quit()


def test_the_run_page_shows_the_run_summary_artifact(server, inbox, db, tmp_path):
    api_url, env = server
    run = wirehouse(["run", "--inbox", str(inbox), "--db", str(db)], {**env, "WIREHOUSE_SETTLE_SECONDS": "0"},
                    tmp_path / "run.log")
    assert run.wait(timeout=300) == 0, (tmp_path / "run.log").read_text()[-3000:]
    flow_run_id = scalar(db, "select flow_run_id from runs")
    page = f"{api_url.removesuffix('/api')}/runs/flow-run/{flow_run_id}"
    text = artifacts_tab_text(page, OUTPUT / "run-page-artifacts.png")
    assert "run-summary" in text
    assert "5 new and 0 changed file(s) -> 14 article(s)" in text
    assert (OUTPUT / "run-page-artifacts.png").stat().st_size > 10_000


def test_artifact_cells_show_untrusted_text_as_written_and_no_markup(server):
    from prefect import flow
    from prefect.artifacts import create_table_artifact
    from prefect.settings import PREFECT_API_URL, temporary_settings

    @flow(name="untrusted-cells")
    def attach_cells():
        return create_table_artifact(key="untrusted-cells", table=[{"name": inert(text)} for text in UNTRUSTED_CELLS])

    api_url, _ = server
    with temporary_settings({PREFECT_API_URL: api_url}):
        artifact_id = attach_cells()
    shown, markup = table_cells(f"{api_url.removesuffix('/api')}/artifacts/artifact/{artifact_id}", len(UNTRUSTED_CELLS))
    assert shown == UNTRUSTED_CELLS
    assert markup == []
