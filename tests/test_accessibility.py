"""The pages nngrade writes, measured in a real browser: axe-core's WCAG 2.1 A and AA rules find
nothing on the class report and on every student's feedback page, and the class report's
"What to reteach" starts within the first screen (1280 x 800)."""
import pytest

from browser import axe, needs_axe, violations

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
