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
