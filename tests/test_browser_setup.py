"""`make browser` installs every part the browser tests use, and those tests say what they miss."""

from __future__ import annotations

import os
import shutil
import subprocess

from tests.browser import missing_browser_parts, needs
from tests.conftest import ROOT


def fake_program(folder, name: str, script: str = "exit 0") -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


def test_make_browser_installs_chromedriver_when_only_chromium_is_there(tmp_path):
    bin_dir, calls = tmp_path / "bin", tmp_path / "apt-get.calls"
    bin_dir.mkdir()
    fake_program(bin_dir, "chromium")
    fake_program(bin_dir, "apt-get", f'echo "$@" >> {calls}')
    os.symlink(shutil.which("id"), bin_dir / "id")
    done = subprocess.run([shutil.which("make"), "-s", "browser"], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": str(bin_dir), "HOME": str(tmp_path)}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "chromium-driver" in calls.read_text()


def test_a_browser_test_without_chromedriver_skips_naming_it(tmp_path, monkeypatch):
    fake_program(tmp_path, "chromium")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert missing_browser_parts("chromium", "chromedriver") == ["chromedriver"]
    mark = needs("chromium", "chromedriver")
    assert mark.args[0] and mark.kwargs["reason"].startswith("needs chromedriver: `make browser`")
