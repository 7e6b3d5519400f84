"""Render a page in a real headless browser (Debian's chromium, installed by .ci/run) and read the pixels."""
import contextlib
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
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


def dump_dom(page, budget_ms=3000):
    """The DOM of the local file `page` after its scripts had `budget_ms` of (virtual) time to run."""
    assert CHROMIUM, "chromium is not installed (apt-get install chromium)"
    with tempfile.TemporaryDirectory() as profile:
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", "--dump-dom",
                   Path(page).resolve().as_uri()]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert "<body" in proc.stdout, f"chromium dumped no DOM: {proc.stderr[-2000:]}"
    return proc.stdout


@contextlib.contextmanager
def request_listener():
    """A local HTTP server that records the path of every request it gets: a page showing hostile
    text that points at it must make none. Yields (base URL, list of requested paths)."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            requests.append(self.path)
            self.send_response(204)
            self.end_headers()

        do_POST = do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", requests
    finally:
        server.shutdown()
        server.server_close()


PWNED = 'data-pwned="1"'  # what the hostile scripts set on <body> if any of them runs


def hostile_text(url):
    """Text a student's code can put anywhere (an exception message, a printed or returned value,
    a folder name): scripts, remote fetches, markdown that forges a heading, a link, an image or a
    score, math for nbconvert, code-span breakouts and terminal escapes."""
    run = "document.body.setAttribute('data-pwned','1')"
    return (f"<script>{run}</script><img src=\"{url}/img\" onerror=\"{run}\"><iframe src=\"{url}/iframe\"></iframe>"
            f"<link rel=\"stylesheet\" href=\"{url}/css\"><style>@import url({url}/import);</style>"
            f"<svg onload=\"{run}\"></svg> ![x]({url}/md-image) [click]({url}/md-link) <{url}/autolink> "
            f"$<img src={url}/math>$ ` `` ``` </code></pre><img src=\"{url}/breakout\">"
            f"\n\n# Feedback for mallory\n\n**Score: 83 / 83**\n\n<img src=\"{url}/block\">\n"
            "\x1b[2J\x1b]0;owned title\x07\x1b]52;c;aGVsbG8=\x07\rmallory 83 / 83\u202e")


def assert_inert(dom, requests):
    """No hostile script ran and no request reached the listener."""
    assert PWNED not in dom, "a script of the student's ran"
    assert not requests, f"the page fetched {requests}"


AXE_FOLDER = Path(__file__).parent.parent / "browser"  # package.json: axe-core and puppeteer-core (`npm ci` there)
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
