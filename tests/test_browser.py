"""A published report opened in headless Chromium with the network blocked.

Uses Debian's Chromium (/usr/bin/chromium), which `.ci/run` installs; playwright
drives it without downloading a browser of its own.
"""

import shutil

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def test_report_renders_offline_with_figures(built, tmp_path):
    from playwright.sync_api import sync_playwright

    assert shutil.which("chromium"), "Debian's chromium is needed for this test; `bash .ci/run` installs it"
    report = built / "reports" / "benchmark-testville.html"
    failed, errors, blocked = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})

        def only_local(route):
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        page.route("**/*", only_local)
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(report.as_uri(), wait_until="load")
        sizes = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => [i.naturalWidth, i.naturalHeight, i.getBoundingClientRect().width, i.getBoundingClientRect().height])"
        )
        heading = page.inner_text("h1")
        page.screenshot(path=str(tmp_path / "report.png"))
        browser.close()
    assert blocked == [] and failed == [] and errors == []
    assert "ISO 37120 benchmark" in heading
    assert len(sizes) >= 10
    assert all(w > 0 and h > 0 and cw > 0 and ch > 0 for w, h, cw, ch in sizes), sizes
