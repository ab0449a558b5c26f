"""Offline Data Docs: the CSS, scripts and fonts GX's pages load from public CDNs, vendored from
npm packages at install time (`make setup` runs `python -m expectations.docs_assets`), then served
from the docs folder itself, so the pages render styled, with their tables and charts, offline.
The same step vendors the HTML report's world outline (Natural Earth 1:110m countries, from the
`world-atlas` package), which `wirehouse report` inlines as SVG.

Each package is fetched once with `npm pack` (the tarball alone, no dependencies), checked against
its pinned sha512 and unpacked into the virtualenv; `localize_docs` copies the files next to the
pages and points every CDN address at them. `mark_passed_with_warnings` makes the pages say
"Passed with warnings" where only warn expectations failed (GX says "Succeeded" or "Failed").
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ASSETS_DIR = Path(sys.prefix) / "share" / "wirehouse" / "docs-assets"
DOCS_VENDOR = Path("static") / "vendor"
WORLD_ATLAS, WORLD_OUTLINE = "world-atlas@2.0.2", "land-110m.json"

# npm package spec -> (its pinned dist.integrity, what of its tarball the pages need)
PACKAGES = {
    "jquery@3.7.1": ("sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
                     ["dist/jquery.min.js"]),
    "bootstrap@4.3.1": ("sha512-rXqOmH1VilAt2DyPzluTi2blhk17bO7ef+zLLPlWvG494pDxcM234pJ8wTc/6R40UWizAIIMgxjvxZg5kmsbag==",
                        ["dist/css/bootstrap.min.css", "dist/js/bootstrap.min.js"]),
    "popper.js@1.12.9": ("sha512-s0EEi9xiSCdqz9lV4IiVH5yIZnDX/U1t0tCjB+0jXx9jW8lrR7kOpVupiUg175ogqVoudpDXHF1p6dKATCHMeg==",
                         ["dist/umd/popper.min.js"]),
    "bootstrap-table@1.19.1": ("sha512-WvV+l1AI/C+zThaKmfHmi/IuayVNB0qdFyEhFx1jyZhO0oLtNJNANkCR3rvJf6Dkh72dsLElxpE/bzK9seEQLA==",
                               ["dist/bootstrap-table.min.css", "dist/bootstrap-table.min.js",
                                "dist/extensions/filter-control"]),
    "@fortawesome/fontawesome-free@6.6.0": ("sha512-60G28ke/sXdtS9KZCpZSHHkCbdsOGEhIUGlwq6yhY74UpTiToIh8np7A8yphhM4BWsvNFtIvLpi4co+h9Mr9Ow==",
                                            ["css/all.min.css", "webfonts"]),
    "bootstrap-datepicker@1.9.0": ("sha512-9rYYbaVOheGYxjOr/+bJCmRPihfy+LkLSg4fIFMT9Od8WwWB/MB50w0JO1eBgKUMbb7PFHQD5uAfI3ArAxZRXA==",
                                   ["dist/css/bootstrap-datepicker.min.css", "dist/js/bootstrap-datepicker.min.js"]),
    "@forevolve/bootstrap-dark@1.1.0": ("sha512-A3ucpEpxPoTVO490lZZCfjPXxv832l7mm1IxX3bXyxvgwnPGXDLyh7dWrphXKO8YBAu3EswbBEu3VSW8NRMW3A==",
                                        ["dist/css/bootstrap-prefers-dark.css"]),
    "vega@5.33.0": ("sha512-jNAGa7TxLojOpMMMrKMXXBos4K6AaLJbCgGDOw1YEkLRjUkh12pcf65J2lMSdEHjcEK47XXjKiOUVZ8L+MniBA==",
                    ["build/vega.min.js"]),
    "vega-lite@5.23.0": ("sha512-l4J6+AWE3DIjvovEoHl2LdtCUkfm4zs8Xxx7INwZEAv+XVb6kR6vIN1gt3t2gN2gs/y4DYTs/RPoTeYAuEg6mA==",
                         ["build/vega-lite.min.js"]),
    "vega-embed@6.29.0": ("sha512-PmlshTLtLFLgWtF/b23T1OwX53AugJ9RZ3qPE2c01VFAbgt3/GSNI/etzA/GzdrkceXFma+FDHNXUppKuM0U6Q==",
                          ["build/vega-embed.min.js"]),
    WORLD_ATLAS: ("sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
                  [WORLD_OUTLINE]),
}

# Address as GX writes it -> (package, file); matched without the query string GX may append.
CDN = {
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery@3.7.1", "dist/jquery.min.js"),
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": ("bootstrap@4.3.1", "dist/css/bootstrap.min.css"),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": ("bootstrap@4.3.1", "dist/js/bootstrap.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": ("popper.js@1.12.9", "dist/umd/popper.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": ("bootstrap-table@1.19.1", "dist/bootstrap-table.min.css"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": ("bootstrap-table@1.19.1", "dist/bootstrap-table.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        ("bootstrap-table@1.19.1", "dist/extensions/filter-control/bootstrap-table-filter-control.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        ("bootstrap-table@1.19.1", "dist/extensions/filter-control/bootstrap-table-filter-control.min.css"),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        ("bootstrap-table@1.19.1", "dist/extensions/filter-control/bootstrap-table-filter-control.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": ("@fortawesome/fontawesome-free@6.6.0", "css/all.min.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        ("bootstrap-datepicker@1.9.0", "dist/css/bootstrap-datepicker.min.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        ("bootstrap-datepicker@1.9.0", "dist/js/bootstrap-datepicker.min.js"),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        ("@forevolve/bootstrap-dark@1.1.0", "dist/css/bootstrap-prefers-dark.css"),
    "https://cdn.jsdelivr.net/npm/vega@5": ("vega@5.33.0", "build/vega.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-lite@5": ("vega-lite@5.23.0", "build/vega-lite.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-embed@6": ("vega-embed@6.29.0", "build/vega-embed.min.js"),
}
# GX's logo, fetched from a public bucket on every page view: dropped (the page names itself).
REMOTE_IMAGE = re.compile(r'<img[^>]*src="https://great-expectations-web-assets[^"]*"[^>]*>'
                          r"|url\('https://great-expectations-web-assets[^']*'\)")
REMOTE_ADDRESS = re.compile(r'(?:src|href)="(https://[^"?]+)(?:\?[^"]*)?"')


def package_folder(spec: str) -> Path:
    """Where a package's files live, under the assets or a docs site's vendor folder."""
    return Path(spec.replace("/", "__"))


def integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def install(target: Path = ASSETS_DIR) -> None:
    """Fetch each package's tarball with npm, check it and unpack what the pages need into ``target``."""
    with tempfile.TemporaryDirectory() as scratch:
        for spec, (expected, members) in PACKAGES.items():
            done = subprocess.run(["npm", "pack", spec, "--silent", "--pack-destination", scratch],
                                  capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"npm pack {spec} failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
            tarball = Path(scratch) / done.stdout.strip().splitlines()[-1]
            if integrity(tarball) != expected:
                raise SystemExit(f"{spec}: the tarball's sha512 is not the pinned one; not installed")
            with tarfile.open(tarball) as archive:
                for member in archive.getmembers():
                    name = member.name.removeprefix("package/")
                    if member.isfile() and any(name == m or name.startswith(m + "/") for m in members):
                        destination = target / package_folder(spec) / name
                        destination.parent.mkdir(parents=True, exist_ok=True)
                        destination.write_bytes(archive.extractfile(member).read())


def installed(assets: Path = ASSETS_DIR) -> bool:
    needed = [*CDN.values(), (WORLD_ATLAS, WORLD_OUTLINE)]
    return all((assets / package_folder(spec) / path).is_file() for spec, path in needed)


def world_outline_file(assets: Path = ASSETS_DIR) -> Path:
    """The vendored TopoJSON of the world's land (longitude/latitude), for the report's map."""
    return assets / package_folder(WORLD_ATLAS) / WORLD_OUTLINE


def localize_page(html: str, vendor_from_page: str) -> str:
    """The page with every known CDN address pointing into the docs' vendor folder."""
    def local(match: re.Match) -> str:
        address = match.group(1)
        if address not in CDN:
            return match.group(0)
        spec, path = CDN[address]
        attribute = match.group(0).split("=", 1)[0]
        return f'{attribute}="{vendor_from_page}/{package_folder(spec).as_posix()}/{path}"'
    return REMOTE_ADDRESS.sub(local, REMOTE_IMAGE.sub("", html))


def localize_docs(docs: Path, assets: Path = ASSETS_DIR) -> bool:
    """Copy the vendored assets into the docs site and point its pages at them; False (pages left
    as GX wrote them) when the assets were not installed."""
    if not installed(assets):
        return False
    vendor = docs / DOCS_VENDOR
    if not vendor.is_dir():
        shutil.copytree(assets, vendor)
    for page in docs.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "https://" in html:
            relative = Path(os.path.relpath(vendor, page.parent)).as_posix()
            page.write_text(localize_page(html, relative), encoding="utf-8")
    return True


# A validation page's status line and its count of failed expectations, as GX renders them.
SUCCEEDED = re.compile(r'(Status:</span>\s*)<i class="[^"]*text-success[^"]*"([^>]*)></i>\s*Succeeded')
PASSED_WITH_WARNINGS = "Passed with warnings"
UNSUCCESSFUL = re.compile(r'Unsuccessful Expectations</div></td><td[^>]*><div[^>]*>(\d+)</div>')


def with_warnings_marked(html: str) -> str:
    """A validation page that says "Succeeded" although expectations failed (only warnings fail in
    a result stored as a success) made to say "Passed with warnings" with a warning icon."""
    unsuccessful = UNSUCCESSFUL.search(html)
    if not unsuccessful or int(unsuccessful.group(1)) == 0:
        return html
    return SUCCEEDED.sub(rf'\1<i class="fas fa-exclamation-triangle text-warning"\2></i> {PASSED_WITH_WARNINGS}', html)


def index_row_marked(index: str, page: str) -> str:
    """The index with the row linking to ``page`` showing a warning icon and "Passed with warnings"."""
    same_row = r"(?:(?!\{'validation_success').)*?"  # never reaching into the next row
    row = re.compile(r"(\{'validation_success': '" + same_row + r")fa-check-circle text-success ge-success-icon\" >("
                     + same_row + r"'_table_row_link_path': '" + re.escape(page)
                     + r"', '_validation_success_text': )'Success'", re.S)
    warning_icon = f'fa-exclamation-triangle text-warning ge-success-icon" title="{PASSED_WITH_WARNINGS}">'
    return row.sub(lambda m: f"{m.group(1)}{warning_icon}{m.group(2)}'{PASSED_WITH_WARNINGS}'", index)


def mark_passed_with_warnings(docs: Path) -> list[str]:
    """Show results whose only failures are warnings as "Passed with warnings", on their pages and
    in the index (GX knows only succeeded or failed); returns the marked pages, relative to ``docs``."""
    marked = []
    for page in sorted((docs / "validations").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        changed = with_warnings_marked(html)
        if changed != html:
            page.write_text(changed, encoding="utf-8")
        if f"</i> {PASSED_WITH_WARNINGS}" in changed:
            marked.append(page.relative_to(docs).as_posix())
    index = docs / "index.html"
    if marked and index.is_file():
        text = index.read_text(encoding="utf-8")
        for page in marked:
            text = index_row_marked(text, page)
        index.write_text(text, encoding="utf-8")
    return marked


if __name__ == "__main__":
    if shutil.which("npm") is None:
        print("npm is missing: Data Docs will load their CSS and scripts from CDNs (apt-get install npm)")
    elif not installed():
        install()
