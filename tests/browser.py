"""Render a page in a real headless browser (Debian's chromium, installed by .ci/run) and read the pixels."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# CI installs chromium: there a missing browser is a failure, on a developer's machine a skip.
needs_chromium = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="chromium is not installed")


def screenshot(page, out_png, width=1280, height=2000):
    """Screenshot of the local file `page`; the browser has no network and no profile of its own."""
    assert CHROMIUM, "chromium is not installed (apt-get install chromium)"
    with tempfile.TemporaryDirectory() as profile:
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={profile}", f"--screenshot={out_png}", f"--window-size={width},{height}",
                   Path(page).resolve().as_uri()]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert Path(out_png).is_file(), f"chromium wrote no screenshot: {proc.stderr[-2000:]}"
    return out_png


def pixels(png):
    from matplotlib import image

    return image.imread(str(png))


def is_blank(png):
    """True when the screenshot is one flat colour (nothing rendered)."""
    data = pixels(png)[..., :3]
    return float(data.std()) < 1e-3


AXE_FOLDER = Path(__file__).parent / "browser"  # package.json: axe-core and puppeteer-core (`npm ci` there)
NODE = shutil.which("node")
_AXE_READY = NODE is not None and (AXE_FOLDER / "node_modules" / "axe-core").is_dir() and \
    (AXE_FOLDER / "node_modules" / "puppeteer-core").is_dir()
needs_axe = pytest.mark.skipif((CHROMIUM is None or not _AXE_READY) and not os.environ.get("CI"),
                               reason="needs chromium, node and `npm ci` in tests/browser")


def axe(pages):
    """{page: {"violations": [...], "tops": {element id: top in px}}}: axe-core's WCAG 2.1 A and AA
    rules run on each local page in headless chromium (tests/browser/axe_check.js), at 1280 x 800."""
    import json

    assert CHROMIUM and _AXE_READY, "needs chromium, node and `npm ci` in tests/browser"
    pages = [str(Path(p).resolve()) for p in pages]
    proc = subprocess.run([NODE, str(AXE_FOLDER / "axe_check.js"), CHROMIUM, *pages], capture_output=True, text=True,
                          timeout=60 + 5 * len(pages), cwd=AXE_FOLDER)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def violations(found):
    """The pages with violations, each rule once with a few of its elements (for an assertion message)."""
    return {page: [(v["id"], v["help"], v["nodes"][:2]) for v in result["violations"]]
            for page, result in found.items() if result["violations"]}
