"""Every published page, in both editions, opened in headless Chromium with the network blocked.

Uses Debian's Chromium (/usr/bin/chromium), which `.ci/run` installs; playwright
drives it without downloading a browser of its own, and axe-core (shipped inside
the ``axe-playwright-python`` wheel) is injected into each page for the
accessibility scan. The site is built once per session in a scratch copy of
the project, with the fictional Testville added.
"""

from __future__ import annotations

import re
import shutil
import string
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from analysis.text import i18n

from .conftest import FIXTURES, PROJECT_ROOT, run_cli

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EDITIONS = ("pl", "en")
MAX_PAGE_BYTES = 3 * 1024 * 1024


@pytest.fixture(scope="session")
def site(tmp_path_factory, built) -> Path:
    """A project copy with Testville added and every report published in both languages.

    Starts from a copy of conftest's ``built`` (data and Testville's report already there), so
    Testville's notebooks are not run a second time in the session.
    """
    root = tmp_path_factory.mktemp("site") / "project"
    shutil.copytree(built, root, symlinks=True)
    build = run_cli(root, "reports", timeout=1800)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return root / "reports"


def _pages(reports: Path) -> list[Path]:
    pages = []
    for lang in EDITIONS:
        pages += sorted((reports / lang).rglob("*.html"))
    return pages


@pytest.fixture(scope="module")
def browser():
    # Module scope: one sync playwright per thread at a time, and test_pdf's printer starts its own.
    from playwright.sync_api import sync_playwright

    assert shutil.which("chromium"), "Debian's chromium is needed for this test; `bash .ci/run` installs it"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Visit:
    """One page opened with the network blocked; what it requested and logged."""

    def __init__(self, browser, path: Path, width: int = 1280, media: str = "screen"):
        self.blocked, self.failed, self.errors = [], [], []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        if media != "screen":
            self.page.emulate_media(media=media)

        def only_local(route):
            if route.request.url.startswith(("file://", "data:")):
                route.continue_()
            else:
                self.blocked.append(route.request.url)
                route.abort()

        self.page.route("**/*", only_local)
        self.page.on("requestfailed", lambda request: self.failed.append(request.url))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(path.as_uri(), wait_until="load")

    def close(self):
        self.context.close()


def _relative_targets(page) -> list[str]:
    return page.eval_on_selector_all(
        "a[href], img[src], link[href]",
        "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))",
    )


def _english_fragments() -> set[str]:
    """Literal runs of every translated English message (placeholders cut out), long enough to be telling."""
    return _fragments([(k if isinstance(k, str) else k[1]) for k in i18n.catalogue("pl")], i18n.catalogue("pl"), polish=False)


def _polish_fragments() -> set[str]:
    polish = []
    for value in i18n.catalogue("pl").values():
        polish += [value] if isinstance(value, str) else list(value)
    return _fragments(polish, i18n.catalogue("pl"), polish=True)


def _fragments(messages, catalogue, polish: bool) -> set[str]:
    english_words = set()
    for key, value in catalogue.items():
        source = key if isinstance(key, str) else key[1]
        target = value if isinstance(value, str) else value[-1]
        if source == target:
            english_words.add(source)  # identical in both languages (a proper name, a code)
    out = set()
    for message in messages:
        if message in english_words:
            continue
        for literal, *_ in string.Formatter().parse(message):
            for piece in re.split(r"[*_`#\[\]()|:;.!?]", literal or ""):
                piece = " ".join(piece.split())
                # Three words or more: short words ("Kielce", "ISO 37120", "n") are shared.
                if len(piece) >= 14 and len(piece.split()) >= 3:
                    out.add(piece)
    return out


# --- static checks -------------------------------------------------------------------------


def test_both_editions_hold_the_same_pages(site):
    pl = sorted(p.relative_to(site / "pl") for p in (site / "pl").rglob("*.html"))
    en = sorted(p.relative_to(site / "en") for p in (site / "en").rglob("*.html"))
    assert pl == en
    names = {p.as_posix() for p in pl}
    assert {"index.html", "benchmark-kielce.html", "benchmark-testville.html", "score-dispersion.html"} <= names
    assert (site / "index.html").exists()


def test_every_page_is_small_enough(site):
    sizes = {p.name: p.stat().st_size for p in _pages(site)}
    assert all(size < MAX_PAGE_BYTES for size in sizes.values()), sizes


def test_every_table_on_every_page_has_a_title(site):
    """Before: three tables of the exploration page and one of score dispersion had no <caption>, and the
    other dispersion tables carried a footnote in its place."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.in_caption = [], False

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append("")
            elif tag == "caption":
                self.in_caption = True

        def handle_endtag(self, tag):
            if tag == "caption":
                self.in_caption = False

        def handle_data(self, data):
            if self.in_caption and self.tables:
                self.tables[-1] += data

    untitled, footnotes = {}, {}
    for page in _pages(site):
        parser = Tables()
        parser.feed(page.read_text(encoding="utf-8"))
        name = page.relative_to(site).as_posix()
        missing = sum(1 for caption in parser.tables if not caption.strip())
        if missing:
            untitled[name] = missing
        marked = [c for c in parser.tables if c.lstrip().startswith(("†", "*", "‡"))]
        if marked:
            footnotes[name] = marked
    assert not untitled, untitled
    assert not footnotes, footnotes


def test_csv_downloads_are_language_independent(site):
    data = site / "data"
    assert (data / "benchmark-kielce.csv").exists()
    assert not list((site / "pl").glob("*.csv")) and not list((site / "en").glob("*.csv"))


# --- in the browser -----------------------------------------------------------------------------


def test_every_page_offline_linked_switchable_and_in_its_language(site, browser):
    english, polish = _english_fragments(), _polish_fragments()
    assert english and polish
    problems = []
    for path in _pages(site):
        lang = path.relative_to(site).parts[0]
        visit = Visit(browser, path)
        page = visit.page
        where = path.relative_to(site).as_posix()
        if visit.blocked or visit.failed or visit.errors:
            problems.append(f"{where}: blocked {visit.blocked} failed {visit.failed} errors {visit.errors}")
        if page.get_attribute("html", "lang") != lang:
            problems.append(f"{where}: <html lang> is {page.get_attribute('html', 'lang')!r}")
        for target in _relative_targets(page):
            if target is None or target.startswith(("data:", "http:", "https:", "mailto:")):
                if target and target.startswith(("http:", "https:")):
                    problems.append(f"{where}: external link {target}")
                continue
            parsed = urlparse(target)
            if parsed.path:
                resolved = (path.parent / unquote(parsed.path)).resolve()
                if not resolved.exists():
                    problems.append(f"{where}: broken link {target}")
            elif parsed.fragment and not page.query_selector(f"[id='{parsed.fragment}'], [name='{parsed.fragment}']"):
                problems.append(f"{where}: anchor #{parsed.fragment} not on the page")
        switch = page.query_selector("a.lang-switch")
        if switch is None:
            problems.append(f"{where}: no language switch")
        else:
            other = (path.parent / switch.get_attribute("href")).resolve()
            other_lang = "en" if lang == "pl" else "pl"
            expected = (site / other_lang / path.relative_to(site / lang)).resolve()
            if other != expected:
                problems.append(f"{where}: language switch leads to {other}, not {expected}")
        alts = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.getAttribute('alt'))")
        if any(not alt or "No description" in alt for alt in alts):
            problems.append(f"{where}: image without a description")
        text = page.inner_text("body")
        foreign = english if lang == "pl" else polish
        leaked = sorted(fragment for fragment in foreign if fragment in text)
        if leaked:
            problems.append(f"{where}: text of the other language: {leaked[:5]}")
        if "True" in re.findall(r"\bTrue\b|\bFalse\b", text):
            problems.append(f"{where}: raw True/False")
        visit.close()
    assert not problems, "\n".join(problems)


def test_city_pages_have_their_own_title_and_heading(site, browser):
    for lang in EDITIONS:
        for slug, name in (("kielce", "Kielce"), ("testville", "Testville")):
            visit = Visit(browser, site / lang / f"benchmark-{slug}.html")
            assert name in visit.page.title()
            headings = visit.page.eval_on_selector_all("h1", "hs => hs.map(h => h.innerText)")
            assert len(headings) == 1 and name in headings[0], headings
            assert visit.page.query_selector("nav.site-toc a[href^='#']") is not None
            visit.close()


def test_no_serious_accessibility_violation(site, browser):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    for path in _pages(site):
        visit = Visit(browser, path)
        results = axe.run(visit.page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{path.relative_to(site)}: {violation['id']} ({violation['impact']}): {violation['help']} {targets}")
        visit.close()
    assert not problems, "\n".join(problems)


def test_no_page_scrolls_sideways_on_a_phone(site, browser):
    problems = []
    for path in [*_pages(site), site / "index.html"]:
        visit = Visit(browser, path, width=390)
        widths = visit.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            problems.append(f"{path.relative_to(site)}: scroll width {widths[0]} > viewport {widths[1]}")
        visit.close()
    assert not problems, "\n".join(problems)


def test_no_table_is_wider_than_its_column_at_1280_px(site, browser):
    """Issue 18: no table scrolls sideways at 1280 px, its folded sections opened. A Kielce official found the "Uwaga"
    column of the Polish area tables cut off: every Polish city page had 17 tables 15–170 px wider than their column
    (long header words, an indicator code as wide as a text column), the English ones none."""
    problems = []
    for path in _pages(site):
        visit = Visit(browser, path, width=1280)
        visit.page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        wide = visit.page.evaluate(
            "() => [...document.querySelectorAll('.table-scroll')].filter(s => s.scrollWidth > s.clientWidth + 1)"
            ".map(s => [(s.querySelector('caption') || {}).textContent, s.scrollWidth - s.clientWidth])"
        )
        problems += [f"{path.relative_to(site)}: {caption!r} {extra} px too wide" for caption, extra in wide]
        visit.close()
    assert not problems, "\n".join(problems[:20])


def test_print_layout_hides_navigation_and_cuts_no_table(site, browser, tmp_path):
    """Printed as a browser prints it: the folded sections opened (the page's beforeprint handler), at the width
    inside A4's margins (190 mm, 718 px). An official's print ran off the page: the check measured at 794 px with
    the folds closed, and the screen's table font (more specific than the print rule) applied on paper."""
    from analysis.publish.pdf import count_pages

    for lang in EDITIONS:
        visit = Visit(browser, site / lang / "benchmark-kielce.html", width=718, media="print")
        page = visit.page
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        assert not page.is_visible("header.site-header")
        assert page.evaluate("() => document.querySelectorAll('details.fold:not([open])').length") == 0
        # The box's folded details print too (the city against each peer, the values that cannot be right).
        assert page.evaluate("() => document.querySelectorAll('details.in-brief-more:not([open])').length") == 0
        assert page.locator("details.in-brief-more").count() == 1
        widths = page.evaluate(
            "() => [...document.querySelectorAll('table')].map(t => [t.getBoundingClientRect().width,"
            " parseFloat(getComputedStyle(t).fontSize), (t.querySelector('caption') || {}).textContent])"
        )
        client = page.evaluate("() => document.documentElement.clientWidth")
        cut = [caption for width, _, caption in widths if width > client + 1]
        assert not cut, f"tables wider than the A4 page: {cut}"
        assert all(size <= 7.5 * 4 / 3 for _, size, _ in widths), "tables print at their screen size"
        # The theme charts are left out (their tables give the values); the page says so once.
        assert page.evaluate("() => [...document.querySelectorAll('figure.screen-only')].every(f => !f.checkVisibility())")
        assert page.locator("figure.screen-only").count() >= 10 and page.locator("p.print-only").count() == 1

        pdf = tmp_path / f"kielce-{lang}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        assert pdf.stat().st_size > 10_000
        assert count_pages(pdf.read_bytes()) <= 30  # 46 before (ten pages half empty)
        # Page 1 holds the box, not the title alone (kept whole, the opened box was pushed to page 2: an official).
        runs = _text_runs_per_page(pdf.read_bytes())
        assert runs[0] >= sorted(runs)[len(runs) // 2] / 2, f"page 1 nearly empty: {runs[:3]} text runs"
        visit.close()


def _text_runs_per_page(pdf: bytes) -> list[int]:
    """How many text-showing operators (Tj, TJ) each page of a Chromium PDF draws, in page order: a measure of how full
    a page of text is (Chromium writes each page's content as one Flate stream, objects uncompressed)."""
    import zlib

    objects = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)}

    def pages(node: bytes):
        for kid in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", node, re.S)[1]):
            child = objects[int(kid)]
            yield from pages(child) if re.search(rb"/Type\s*/Pages", child) else [child]

    root = next(o for o in objects.values() if re.search(rb"/Type\s*/Pages", o) and b"/Parent" not in o)
    runs = []
    for page in pages(root):
        body = objects[int(re.search(rb"/Contents\s+(\d+) 0 R", page)[1])]
        stream = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)[1]
        runs.append(len(re.findall(rb"T[jJ]\b", zlib.decompress(stream) if b"FlateDecode" in body else stream)))
    return runs


def test_markup_in_a_city_file_name_is_refused_and_a_quoted_name_is_shown_as_text(tmp_path, browser):
    """A file name with markup stops the data step in one line; a name with an apostrophe
    (a character HTML attributes and Markdown care about) is shown as text everywhere."""

    root = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / "data" / "raw", root / "data" / "raw")
    shutil.copytree(PROJECT_ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(PROJECT_ROOT / "reports.yml", root / "reports.yml")
    cities = root / "data" / "raw" / "cities"
    cities.mkdir(exist_ok=True)
    testville = (FIXTURES / "cities" / "testville.csv").read_text(encoding="utf-8")
    hostile = cities / "<img src=x onerror=window.__pwned=1>.csv"
    hostile.write_text(testville, encoding="utf-8")
    refused = run_cli(root, "data")
    assert refused.returncode != 0
    assert len(refused.stderr.strip().splitlines()) == 1 and "onerror" in refused.stderr
    hostile.unlink()
    (cities / "'s-hertogenbosch.csv").write_text(testville, encoding="utf-8")
    assert run_cli(root, "data").returncode == 0
    report = run_cli(root, "report", "--city", "'s-hertogenbosch", timeout=900)
    assert report.returncode == 0, report.stdout[-2000:] + report.stderr[-2000:]
    for lang in EDITIONS:
        visit = Visit(browser, root / "reports" / lang / "benchmark-s-hertogenbosch.html")
        name = visit.page.inner_text("h1")
        assert "'S-Hertogenbosch" in name or "’S-Hertogenbosch" in name, name
        assert "'S-Hertogenbosch" in visit.page.inner_text("nav.site-nav")
        assert visit.errors == [] and visit.blocked == []
        visit.close()


def test_a_long_table_sorts_by_value_and_filters_in_the_page_itself(tmp_path, browser):
    """Issue 18: tables of more than 20 rows can be sorted (aria-sort on the headers) and filtered, offline."""
    import pandas as pd

    from analysis.publish.reporting import table_html
    from analysis.publish.runner import TEMPLATES_DIR
    from analysis.text.i18n import Lang

    values = [2.5, 10.0, None, 1.25] + [float(i) for i in range(20, 40)]
    frame = pd.DataFrame({"Miasto": [f"Miasto {i}" for i in range(len(values))], "Wartość": values})
    script = (TEMPLATES_DIR / "offline" / "tables.js").read_text(encoding="utf-8")
    page = tmp_path / "table.html"
    page.write_text(
        f'<!DOCTYPE html><html lang="pl"><body>{table_html(frame, Lang("pl"), caption="Wyniki")}<script>{script}</script></body></html>',
        encoding="utf-8",
    )
    visit = Visit(browser, page)
    try:
        assert visit.page.is_visible("input.table-filter")
        header = visit.page.locator("th", has_text="Wartość")
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "ascending"
        column = visit.page.eval_on_selector_all("tbody tr td:nth-child(2)", "cells => cells.map(c => c.textContent)")
        # By value (1,25 < 2,50 < 10,00), not as text ("10,00" < "2,50"); "no data" last.
        assert column[:3] == ["1,25", "2,50", "10,00"] and column[-1] == "–"
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "descending"
        visit.page.fill("input.table-filter", "Miasto 3")
        shown = visit.page.eval_on_selector_all("tbody tr:not([hidden]) td:first-child", "cells => cells.map(c => c.textContent)")
        assert sorted(shown) == ["Miasto 3"]
        assert not visit.errors
    finally:
        visit.close()


def test_the_in_brief_box_fits_the_first_screen_at_1280_by_800(site, browser):
    """Issue 18: the box fits the first screen of a 1280×800 window, its claims included (an official's first screen
    cut the last weakness; the contents beside the report narrowed the box to 62 em). Every city's page: the strengths
    and weaknesses carry their numbers on the first screen now, and Oakville's and Gdynia's name the most."""
    for lang in EDITIONS:
        for slug in ("kielce", "eindhoven", "gdynia", "oakville", "porto"):
            visit = Visit(browser, site / lang / f"benchmark-{slug}.html", width=1280)
            visit.page.set_viewport_size({"width": 1280, "height": 800})
            bottom = visit.page.evaluate("() => document.querySelector('.in-brief').getBoundingClientRect().bottom")
            assert bottom <= 800, f"{lang}, {slug}: the box ends at {bottom:.0f} px"
            assert visit.page.evaluate("() => window.scrollY") == 0
            visit.close()


def test_the_bottom_line_copies_as_plain_text_with_its_title_author_date_and_source(site, browser):
    """Issue 18: officials briefing the mayor copied the bottom line by hand, lost the link and asked who made the
    page and when; later ones spent minutes cutting the longer sentences it copied down to the five they sent. The button
    puts the first screen's five sentences as shown, its data line and scale, the source, the title and the line under it
    on the clipboard as plain text; it is in the heading's row at 1280 px (the box keeps its height) and not printed."""
    for lang, title_word, source_word, data_word, scale_word in (
        ("pl", "Kielce na tle", "Źródło danych", "Dane:", "Skala: wynik bez określeń"),
        ("en", "ISO 37120", "Source of the data", "Data:", "Scale: a result without"),
    ):
        visit = Visit(browser, site / lang / "benchmark-kielce.html", width=1280)
        visit.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = visit.page
        byline = page.inner_text(".byline")
        assert byline.startswith("Opracowanie:" if lang == "pl" else "Prepared by")
        button = page.locator(".copy-brief-button")
        assert button.is_visible()
        heading, box = page.locator("#in-brief-title").bounding_box(), button.bounding_box()
        assert box["y"] < heading["y"] + heading["height"], "the button is in the heading's row"
        button.click()
        page.wait_for_function("() => document.querySelector('.copy-brief-status').textContent.length > 0")
        text = page.evaluate("() => navigator.clipboard.readText()")
        lines = text.strip().split("\n")
        # Without the pointers into the page: an e-mail has no details to open (three officials cut "(w szczegółach)").
        lead = page.evaluate(
            "() => Array.from(document.querySelectorAll('.in-brief-facts > li')).map(s => {"
            " const c = s.cloneNode(true); c.querySelectorAll('.in-brief-see-below, .in-brief-pointer').forEach(p => p.remove()); return c.textContent; })"
        )
        assert len(lead) == 5
        # Kielce's uncertain weaknesses are named in the bottom line, so they travel into the e-mail (four officials of the
        # seventh session: "ponadto 3 niepewne (w szczegółach)" named nothing and the copy dropped it).
        marker = "niepewne:" if lang == "pl" else "uncertain:"
        shown = page.text_content(".in-brief-facts")
        assert marker not in shown or marker in text, (shown, text)
        assert "szczegół" not in text and "details)" not in text
        # The data's age, filled in from the page's date when it was published (every official wrote it into the note).
        built = page.evaluate("() => Array.from(document.querySelectorAll('data.data-age')).filter(d => !d.textContent).length")
        age = r"najczęściej\s+z\s+2016\s+r\.,\s+sprzed\s+\d+\s+lat;" if lang == "pl" else r"most\s+often\s+from\s+2016,\s+\d+\s+years\s+old;"
        data = " ".join(page.text_content(".in-brief-fact-data").split())
        assert built == 0 and re.search(age, data), data
        # The note first, as the box shows it (two officials deleted the title and the byline that opened the copy before they
        # could send it; an official of the eighteenth session: the data line came after the five): the data's years, then one
        # sentence a line, numbered as the box numbers them; where it comes from after it.
        note = [" ".join(line.split()) for line in text.split("\n\n")[0].split("\n")]
        assert note[0].startswith(data_word) and re.search(age, note[0]), note[0]
        assert note[1:] == [f"{number}. " + " ".join(sentence.replace("\u2060", "").split()) for number, sentence in enumerate(lead, 1)]
        assert page.evaluate("() => getComputedStyle(document.querySelector('ol.in-brief-facts')).listStyleType") == "decimal"
        assert "<" not in text and "\u2060" not in text
        # The confidence words with their definition (two officials: the copy used "wynik stabilny" without it), then the
        # source, then the page's title with who prepared it and when.
        assert lines[len(lead) + 2].startswith(scale_word), lines[len(lead) + 2]
        assert lines[len(lead) + 3].startswith(source_word)
        assert title_word in lines[-1].replace("\u00a0", " ") and lines[-1].split()[-len(byline.split()) :] == byline.split()
        # The status stays on the button's line: a longer one wrapped and pushed the button over the first sentence
        # (two officials: it hid the data's years).
        page.click(".in-brief-numbers > summary")
        first = page.locator(".in-brief-fact-data").bounding_box()
        after = button.bounding_box()
        assert after["y"] + after["height"] <= first["y"] + 1, (after, first)
        visit.page.emulate_media(media="print")
        assert not button.is_visible()
        assert not visit.errors, visit.errors
        visit.close()
    # A bottom line that points into the details (Kielce's named debatable difference: "(zob. szczegóły)") is copied without
    # the pointer: an e-mail has no details to open. Claims counted but not named (Oakville's "ponadto 1 inna mocna strona, a
    # także 1 prawdopodobna") say where they are named, and that travels (three editors of the eighteenth session: the mayor
    # got strengths named nowhere).
    pointed = listed = 0
    for slug in ("kielce", "oakville", "gdynia", "eindhoven"):
        visit = Visit(browser, site / "pl" / f"benchmark-{slug}.html", width=1280)
        visit.context.grant_permissions(["clipboard-read", "clipboard-write"])
        has_pointer = visit.page.locator(".in-brief-facts .in-brief-pointer").count()
        has_listed = visit.page.locator(".in-brief-facts .in-brief-listed").count()
        if has_pointer or has_listed:
            visit.page.locator(".copy-brief-button").click()
            visit.page.wait_for_function("() => document.querySelector('.copy-brief-status').textContent.length > 0")
            copied = visit.page.evaluate("() => navigator.clipboard.readText()")
            if has_pointer:
                pointed += 1
                assert "szczegół" in visit.page.text_content(".in-brief-facts") and "szczegół" not in copied
            if has_listed:
                listed += 1
                assert "wymienione w pełnym opracowaniu" in copied.replace("\u00a0", " ")
        visit.close()
    assert pointed and listed, (pointed, listed)


def test_the_printed_profile_leaves_out_what_points_to_the_page(site, browser):
    """An editor: the two-page profile said "(full lists below)" where nothing follows; the page keeps it."""
    from analysis.publish.pdf import BODY_CLASS

    visit = Visit(browser, site / "pl" / "benchmark-kielce.html", width=718, media="print")
    page = visit.page
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator(".in-brief-see-below").first.is_visible()
    page.evaluate(f"() => document.body.classList.add('{BODY_CLASS}')")
    assert not page.locator(".in-brief-see-below").first.is_visible()
    assert not visit.errors, visit.errors
    visit.close()


def test_the_printed_profile_starts_a_table_that_fits_a_page_on_a_new_page_with_its_caption(site, browser):
    """The two-page profile left the values-to-verify table's caption and header at the foot of page 1 and every row on
    page 2: a table that fits on a page is not broken inside, its widest text gets the widest column."""
    from analysis.publish.pdf import BODY_CLASS

    visit = Visit(browser, site / "pl" / "benchmark-kielce.html", width=718, media="print")
    page = visit.page
    page.evaluate(f"() => document.body.classList.add('{BODY_CLASS}')")
    block = page.locator(".profile-part .table-block").first
    assert block.evaluate("b => getComputedStyle(b).breakInside") == "avoid"
    assert "do sprawdzenia" in block.locator("caption").inner_text()
    widths = block.evaluate("b => Array.from(b.querySelectorAll('thead th')).map(th => th.getBoundingClientRect().width)")
    assert widths[-1] == max(widths), widths
    assert not visit.errors, visit.errors
    visit.close()
