"""Screenshots of published pages for the README: ``make screenshots``.

Opens pages of ``reports/`` in headless Chromium (Debian's, through playwright,
network blocked) at a desktop width (1280 px) and a phone width (390 px) and
writes PNGs next to this file. Run after ``make reports``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = [
    # (page under reports/, output name, width, full page)
    ("pl/benchmark-kielce.html", "benchmark-kielce-pl-1280.png", 1280, False),
    ("pl/benchmark-kielce.html", "benchmark-kielce-pl-390.png", 390, False),
    ("en/score-dispersion.html", "score-dispersion-en-1280.png", 1280, False),
]


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    missing = [page for page, *_ in SHOTS if not (ROOT / "reports" / page).exists()]
    if missing:
        print(f"error: {', '.join(missing)} not published; run `make reports` first", file=sys.stderr)
        return 1
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for page_name, out_name, width, full in SHOTS:
            context = browser.new_context(viewport={"width": width, "height": 900 if width > 600 else 844})
            page = context.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort())
            page.goto((ROOT / "reports" / page_name).as_uri(), wait_until="load")
            page.screenshot(path=str(Path(__file__).parent / out_name), full_page=full)
            context.close()
            print(f"wrote docs/{out_name}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
