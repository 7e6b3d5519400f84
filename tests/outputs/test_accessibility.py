"""The pages nngrade writes, measured in a real browser: axe-core's WCAG 2.1 A and AA rules find
nothing on the class report, on every student's feedback page and on the similarity page, and the
class report's "What to reteach" starts within the first screen (1280 x 800)."""
import shutil

import pytest

from helpers.browser import axe, needs_axe, violations

pytestmark = needs_axe
FIRST_SCREEN = 800  # px: a laptop's browser window


@pytest.fixture(scope="module")
def measured(graded_class):
    """axe-core's findings on report.html and every feedback.html of the graded test class."""
    root, _ = graded_class
    out = root / "out"
    pages = [out / "report.html", *sorted(out.glob("*/feedback.html"))]
    assert len(pages) > 10
    return out, axe(pages)


def test_every_page_passes_wcag_21_aa(measured):
    _, found = measured
    assert not violations(found), violations(found)


def test_what_to_reteach_is_on_the_first_screen(measured):
    out, found = measured
    tops = found[str((out / "report.html").resolve())]["tops"]
    assert 0 < tops["reteach"] < FIRST_SCREEN - 200, tops  # the heading and the start of its list
    assert tops["reteach"] < tops["distribution"] < tops["functions"] < tops["problems"], tops


def test_the_measurement_sees_violations(tmp_path):
    """The harness is live: a page without lang, with an image without alt and grey-on-white text is caught."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><head><title>t</title></head><body><main><h1>t</h1>'
                    '<img src="data:image/png;base64,iVBORw0KGgo="><p style="color:#aaa">faint</p></main></body></html>')
    found = {v["id"] for v in axe([page])[str(page.resolve())]["violations"]}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= found, found


def test_the_similarity_page_passes_wcag_21_aa(graded_class, tmp_path):
    """With a pair, a group, an earlier term and an unreadable folder: every part of the page shown."""
    from grader.cli import main

    root, _ = graded_class
    subs, archive = tmp_path / "subs", tmp_path / "earlier"
    shutil.copytree(root / "subs", subs)
    styles = sorted(p for p in subs.iterdir() if p.is_dir() and p.name.startswith("style_"))
    for copy in ("copy_a", "copy_b"):
        shutil.copytree(styles[0], subs / copy)
    shutil.copytree(styles[1], archive / "last_year")
    (subs / "empty_folder").mkdir()
    assert main(["similarity", str(subs), "--archive", str(archive), "--out", str(tmp_path / "sim")]) == 0
    page = tmp_path / "sim" / "similarity.html"
    found = axe([page])
    assert not violations(found), violations(found)
