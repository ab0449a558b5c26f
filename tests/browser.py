"""Where the browser tests find headless Chromium and chromedriver (Debian's packages), and why they skip."""

from __future__ import annotations

import shutil

import pytest

BROWSER_PACKAGES = {"chromium": "chromium", "chromedriver": "chromium-driver"}
HEADLESS_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]


def missing_browser_parts(*parts: str) -> list[str]:
    """The programs among ``parts`` that are not on PATH."""
    return [part for part in parts if shutil.which(part) is None]


def needs(*parts: str) -> pytest.MarkDecorator:
    """Skip, saying in one line what is missing and how to install it, unless every part is on PATH."""
    missing = missing_browser_parts(*parts)
    packages = " ".join(BROWSER_PACKAGES[part] for part in missing)
    return pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)}: `make browser` "
                                                    f"(apt-get install {packages})")
