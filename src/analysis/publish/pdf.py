"""The two-page A4 profile of a report page (``reports/<lang>/<id>.pdf``), printed by Chromium.

The page says what goes into its profile: the output of every notebook cell tagged
``profile`` is wrapped in an element of class ``profile-part`` (templates/offline/index.html.j2).
Here the exported page is loaded in headless Chromium (Debian's, driven by playwright;
nothing is downloaded, and every request other than ``file:`` and ``data:`` is refused), the
body gets the class ``pdf-profile``, whose print rules in site.css keep only the page's
title, the profile's parts and the footer's source line, folded sections are opened,
and Chromium prints it to A4. A profile longer than :data:`MAX_PAGES` is refused.

Each worker launches one Chromium, the first time it prints, and reuses it for every
page it prints after (both editions, every report it builds); it is closed when the
worker exits, and dies with it otherwise (playwright's driver ends with its pipe).

The bytes are the same for the same page: Chromium stamps the moment of printing as the
PDF's creation and modification date, which is replaced by the page's build time.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from analysis.errors import OutputError

# The most pages a profile may have (issue 18: "a 2-page PDF profile").
MAX_PAGES = 2
# The class the body gets while printing: site.css's profile rules apply under it only.
BODY_CLASS = "pdf-profile"
# Where to find Chromium: this variable's path if set, else a chromium on PATH, else Debian's.
CHROMIUM_VARIABLE = "KIELCE_CHROMIUM"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
]
INSTALL_HINT = (
    "install Debian's Chromium ('make chromium', or sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core), "
    f"or set {CHROMIUM_VARIABLE} to a Chromium or Chrome executable"
)
PRINT_TIMEOUT_MS = 60_000


class ChromiumMissing(OutputError):
    """No Chromium to print with, or no playwright to drive it; the message says what to install."""


def find_chromium() -> str:
    """The Chromium executable to print with, or :class:`ChromiumMissing` in one line."""
    given = os.environ.get(CHROMIUM_VARIABLE)
    if given:
        if os.path.isfile(given) and os.access(given, os.X_OK):
            return given
        raise ChromiumMissing(f"the PDF profiles need Chromium, and {CHROMIUM_VARIABLE}={given} is not an executable file; {INSTALL_HINT}")
    found = shutil.which("chromium") or (DEBIAN_CHROMIUM if os.access(DEBIAN_CHROMIUM, os.X_OK) else None)
    if found is None:
        raise ChromiumMissing(f"the PDF profiles need Chromium, and none was found; {INSTALL_HINT}")
    return found


def check_printer() -> None:
    """Fail early (before any kernel starts) when the profiles cannot be printed: no Chromium or no playwright."""
    find_chromium()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise ChromiumMissing("the PDF profiles need the playwright package: pip install -e . (it is among the base dependencies)") from None


# --- counting pages and fixing the date -------------------------------------------------------------

# A page object's dictionary: "/Type /Page" not followed by a letter ("/Pages" is the page tree).
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")


def count_pages(pdf: bytes) -> int:
    """How many pages ``pdf`` has: its page objects (``/Type /Page``), counted in the file's bytes.

    Chromium (Skia) writes every object's dictionary uncompressed; a PDF that packs its
    objects into compressed object streams could hide pages from this count, so it is refused.
    """
    if not pdf.startswith(b"%PDF-"):
        raise ValueError("not a PDF (it does not start with %PDF-)")
    if _OBJECT_STREAM.search(pdf):
        raise ValueError("the PDF keeps its objects in compressed object streams; its pages cannot be counted here")
    return len(_PAGE_OBJECT.findall(pdf))


# Chromium's dates, e.g. /CreationDate (D:20261201194512+00'00'): the time of printing.
_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:(\d{14})([^)]*)\)")


def fix_dates(pdf: bytes, built_iso: str) -> bytes:
    """The PDF's creation and modification dates set to ``built_iso`` (the page's build time, UTC).

    Digits replace digits, so no byte moves and the cross-reference table stays right.
    """
    from datetime import datetime, timezone

    stamp = datetime.fromisoformat(built_iso).astimezone(timezone.utc).strftime("%Y%m%d%H%M%S").encode()

    def replace(match: re.Match) -> bytes:
        zone = match.group(3)
        utc = re.sub(rb"\d", b"0", zone)  # +01'00' -> +00'00', Z stays Z: the same length
        return match.group(0)[: match.start(2) - match.start(0)] + stamp + utc + b")"

    return _DATE.sub(replace, pdf)


# --- printing -------------------------------------------------------------------------------------


def footer_template(footer: str, page_word: str) -> str:
    """Chromium's footer for every printed page: ``footer`` on the left and "``page_word`` n/N" on the right, both
    escaped (a city's name comes from data); Chromium fills the ``pageNumber`` and ``totalPages`` spans."""
    from html import escape

    return (
        '<div style="font-size:7pt;color:#555;width:100%;margin:0 12mm;display:flex;justify-content:space-between;'
        'font-family:sans-serif">'
        f"<span>{escape(footer)}</span>"
        f'<span>{escape(page_word)} <span class="pageNumber"></span>/<span class="totalPages"></span></span></div>'
    )


class Printer:
    """One headless Chromium, launched on first use and reused for every profile printed with it."""

    def __init__(self):
        self._playwright = None
        self._browser = None
        self._page = None  # one tab, reused: a new browser context and page cost about 0.16 s a profile

    def _start(self):
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        self.close()
        executable = find_chromium()
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise ChromiumMissing("the PDF profiles need the playwright package: pip install -e . (it is among the base dependencies)") from None
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Exception as exc:
            self.close()
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ChromiumMissing(f"Chromium ({executable}) did not start: {first}; {INSTALL_HINT}") from None
        return self._browser

    def print_profile(
        self, html: str, *, name: str, built_iso: str, footer: str = "", page_word: str = "Page", max_pages: int | None = MAX_PAGES
    ) -> bytes:
        """The profile of the exported page ``html`` as PDF bytes; :class:`OutputError` naming ``name`` if longer than
        ``max_pages`` (``None``: any length, for a variant an evaluator asked for; the build says how long it is).

        Every page's foot carries ``footer`` (the page's title and build date, as text: escaped here) and its
        number, "``page_word`` 1/2" (an official passes printed pages on: which report, of when, which page)."""
        page = self._tab()
        try:
            # A new document each time: nothing of the previous profile (its body class, opened details) remains.
            page.set_content(without_hidden_images(html), wait_until="load")
            page.evaluate(
                """(bodyClass) => {
                    document.body.classList.add(bodyClass);
                    document.querySelectorAll("details").forEach((d) => { d.open = true; });
                }""",
                BODY_CLASS,
            )
            pdf = page.pdf(
                format="A4",
                print_background=True,
                prefer_css_page_size=False,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer_template(footer, page_word),
            )
        except BaseException:
            self._close_tab()  # a tab in an unknown state is not used again
            raise
        try:
            pages = count_pages(pdf)
        except ValueError as exc:
            raise OutputError(f"{name}: the printed profile cannot be checked: {exc}") from None
        if max_pages is not None and pages > max_pages:
            raise OutputError(
                f"{name}: the printed profile has {pages} pages, more than {max_pages}; shorten what the notebook's cells tagged 'profile' show"
            )
        if pages == 0:
            raise OutputError(f"{name}: Chromium printed a profile with no page")
        return fix_dates(pdf, built_iso)

    def _tab(self):
        """The printing tab: offline, only local resources, print media, opened on first use."""
        browser = self._start()
        if self._page is not None and not self._page.is_closed() and self._page.context.browser is browser:
            return self._page
        self._close_tab()
        context = browser.new_context(java_script_enabled=True, offline=True)
        page = context.new_page()
        page.set_default_timeout(PRINT_TIMEOUT_MS)
        page.route("**/*", _only_local)
        page.emulate_media(media="print")  # laid out once, as printed: the parts the profile hides are never laid out
        self._page = page
        return page

    def _close_tab(self) -> None:
        page, self._page = self._page, None
        if page is not None:
            try:
                page.context.close()
            except Exception:
                pass

    def close(self) -> None:
        self._close_tab()
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        if browser is not None:
            try:
                browser.close()
            except Exception:
                pass
        if playwright is not None:
            try:
                playwright.stop()
            except Exception:
                pass


# A cell's opening tag, whatever the order of its attributes (the template writes id before class; nbconvert's own
# exporter sorted them), and not its inner "jp-Cell-outputWrapper" (which took the images of a profile cell as its
# own and emptied them).
_CELL_START = re.compile(r'<div\b[^>]*?\sclass="(jp-Cell(?![\w-])[^"]*)"')
_DATA_IMAGE = re.compile(r'(<img\b[^>]*?\bsrc=")data:[^"]{200,}(")')
PROFILE_CELL_CLASS = "celltag_profile"  # nbconvert's class for a cell tagged "profile"


def without_hidden_images(html: str) -> str:
    """The page with the embedded images of cells outside the profile emptied (``data:,``).

    The profile never shows them, but Chromium would decode them all (about 1.6 MB of figures
    on a benchmark page, most of the time it takes to print). Cells are not nested: an image
    belongs to the cell whose start precedes it; a cell tagged ``profile`` keeps its images.
    """
    starts = [(match.start(), PROFILE_CELL_CLASS in match.group(1).split()) for match in _CELL_START.finditer(html)]
    positions = [start for start, _ in starts]

    def empty_unless_profile(match: re.Match) -> str:
        import bisect

        index = bisect.bisect_right(positions, match.start()) - 1
        if index >= 0 and starts[index][1]:
            return match.group(0)
        return match.group(1) + "data:," + match.group(2)

    return _DATA_IMAGE.sub(empty_unless_profile, html)


def _only_local(route) -> None:
    """Let ``file:`` and ``data:`` through, refuse anything else (the pages need nothing from the network)."""
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


_WORKER_PRINTER: Printer | None = None


def worker_printer() -> Printer:
    """This worker's printer: one Chromium per worker process, closed when the worker exits."""
    global _WORKER_PRINTER
    if _WORKER_PRINTER is None:
        import multiprocessing.util

        _WORKER_PRINTER = Printer()
        # atexit does not run in pool workers; a finalizer does.
        multiprocessing.util.Finalize(None, close_worker_printer, exitpriority=10)
    return _WORKER_PRINTER


def close_worker_printer() -> None:
    global _WORKER_PRINTER
    printer, _WORKER_PRINTER = _WORKER_PRINTER, None
    if printer is not None:
        printer.close()


def profile_name(page: Path) -> str:
    """``reports/pl/benchmark-kielce.html`` → ``benchmark-kielce.pdf``."""
    return Path(page).with_suffix(".pdf").name
