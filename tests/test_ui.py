"""The Prefect UI, in headless Chromium, shows a completed run's summary artifact."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.browser import HEADLESS_FLAGS, needs
from tests.conftest import ROOT, scalar
from tests.prefect_server import local_prefect_server, wirehouse

OUTPUT = ROOT / "tests" / "output"
CHROMIUM_FLAGS = [*HEADLESS_FLAGS, "--window-size=1400,1600"]


def artifacts_tab_text(page_url: str, screenshot: Path) -> str:
    """The visible text of a flow run page after opening its Artifacts tab; saves a screenshot."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
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


@needs("chromium", "chromedriver")
def test_the_run_page_shows_the_run_summary_artifact(inbox, db, tmp_path, tmp_path_factory):
    with local_prefect_server(tmp_path_factory.mktemp("prefect-ui")) as (api_url, env):
        run = wirehouse(["run", "--inbox", str(inbox), "--db", str(db)], {**env, "WIREHOUSE_SETTLE_SECONDS": "0"},
                        tmp_path / "run.log")
        assert run.wait(timeout=300) == 0, (tmp_path / "run.log").read_text()[-3000:]
        flow_run_id = scalar(db, "select flow_run_id from runs")
        page = f"{api_url.removesuffix('/api')}/runs/flow-run/{flow_run_id}"
        text = artifacts_tab_text(page, OUTPUT / "run-page-artifacts.png")
    assert "run-summary" in text
    assert "5 new and 0 changed file(s) -> 14 article(s)" in text
    assert (OUTPUT / "run-page-artifacts.png").stat().st_size > 10_000
