"""The two-page PDF profile (analysis.publish.pdf): counting pages, fixed dates, Chromium found or named.

The tests that print start Chromium (Debian's, driven by playwright) and are marked slow; the
published profiles themselves are checked in test_publisher.py.
"""

from __future__ import annotations

import re
import shutil

import pytest

from analysis.errors import OutputError
from analysis.publish import pdf

# A minimal PDF as Chromium (Skia) writes one: plain object dictionaries, a page tree, two pages.
TWO_PAGES = (
    b"%PDF-1.4\n1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\n"
    b"2 0 obj\n<</Type /Pages /Count 2 /Kids [3 0 R 4 0 R]>>\nendobj\n"
    b"3 0 obj\n<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>>\nendobj\n"
    b"4 0 obj\n<</Type/Page/Parent 2 0 R /MediaBox [0 0 595 842]>>\nendobj\n"
    b"5 0 obj\n<</Producer (Skia/PDF m120) /CreationDate (D:20261201194512+01'00') /ModDate (D:20261201194513+01'00')>>\nendobj\n"
    b"trailer\n<</Root 1 0 R /Info 5 0 R>>\n%%EOF\n"
)


def test_pages_are_counted_by_their_page_objects_not_the_page_tree():
    assert pdf.count_pages(TWO_PAGES) == 2
    three = TWO_PAGES.replace(b"5 0 obj", b"6 0 obj\n<</Type /Page /Parent 2 0 R>>\nendobj\n5 0 obj")
    assert pdf.count_pages(three) == 3


def test_a_pdf_whose_pages_cannot_be_counted_is_refused_not_counted_as_short():
    with pytest.raises(ValueError, match="object streams"):
        pdf.count_pages(TWO_PAGES.replace(b"5 0 obj\n<<", b"5 0 obj\n<</Type /ObjStm "))
    with pytest.raises(ValueError, match="not a PDF"):
        pdf.count_pages(b"<html>")


def test_chromiums_dates_become_the_build_time_without_moving_a_byte():
    fixed = pdf.fix_dates(TWO_PAGES, "2026-11-23T12:00:05+00:00")
    assert len(fixed) == len(TWO_PAGES)  # the cross-reference offsets stay right
    assert b"/CreationDate (D:20261123120005+00'00')" in fixed and b"/ModDate (D:20261123120005+00'00')" in fixed
    assert fixed.replace(b"20261123120005+00'00'", b"") == re.sub(rb"\d{14}\+01'00'", b"", TWO_PAGES)
    # The same page built at the same moment gives the same bytes, whenever it was printed.
    later = TWO_PAGES.replace(b"D:20261201194512", b"D:20271231235959")
    assert pdf.fix_dates(later, "2026-11-23T12:00:05+00:00") == fixed


def test_only_the_profiles_cells_keep_their_embedded_images_in_the_printed_copy():
    figure = "data:image/png;base64," + "A" * 500
    page = (
        f'<div class="jp-Cell jp-CodeCell celltag_profile" id="a"><img alt="kept" src="{figure}"></div>'
        f'<div class="jp-Cell jp-CodeCell celltag_fold" id="b"><img alt="emptied" src="{figure}"><img alt="small" src="data:,x"></div>'
        f'<div class="jp-Cell jp-CodeCell celltag_profile celltag_fold" id="c"><img class="report-figure" src="{figure}" alt="kept too"></div>'
    )
    light = pdf.without_hidden_images(page)
    assert light.count(figure) == 2
    assert '<img alt="emptied" src="data:,">' in light and 'src="data:,x"' in light
    assert light.replace('src="data:,"', f'src="{figure}"', 1) == page


def test_a_missing_chromium_is_named_in_one_line_with_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv(pdf.CHROMIUM_VARIABLE, str(tmp_path / "no-such-chromium"))
    with pytest.raises(pdf.ChromiumMissing) as refused:
        pdf.find_chromium()
    message = str(refused.value)
    assert "\n" not in message and "apt-get install" in message and "chromium" in message and "KIELCE_CHROMIUM" in message
    assert isinstance(refused.value, OutputError)  # the command line prints it as one line, no traceback
    monkeypatch.delenv(pdf.CHROMIUM_VARIABLE)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(pdf, "DEBIAN_CHROMIUM", str(tmp_path / "usr-bin-chromium"))
    with pytest.raises(pdf.ChromiumMissing, match="none was found"):
        pdf.find_chromium()


def _page(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>'
        "@media print { body.pdf-profile .hidden-in-profile { display: none; } .block { height: 200mm; } }"
        '</style></head><body class="report-page">' + body + "</body></html>"
    )


def test_every_printed_page_names_the_report_its_date_and_its_number():
    """An official's finding: the printed profile had no page numbers and no date. The footer carries the page's
    title and build date (escaped: a city's name comes from data) and Chromium's page number of total."""
    footer = pdf.footer_template("<img src=x onerror=alert(1)> na tle miast · 2 grudnia 2026 r.", "Strona")
    assert "&lt;img src=x onerror=alert(1)&gt; na tle miast · 2 grudnia 2026 r." in footer and "<img" not in footer
    assert 'Strona <span class="pageNumber"></span>/<span class="totalPages"></span>' in footer
    assert "font-size:7pt" in footer  # Chromium's default footer text is too small to read


@pytest.fixture(scope="module")
def printer():
    if not (shutil.which("chromium") or shutil.which(pdf.DEBIAN_CHROMIUM)):
        pytest.skip("Debian's chromium is needed (make chromium)")
    instance = pdf.Printer()
    yield instance
    instance.close()


@pytest.mark.slow
def test_one_chromium_prints_the_same_bytes_twice_and_hides_what_the_profile_leaves_out(printer):
    short = _page(
        '<h1>Title</h1><div class="block">one</div><div class="block hidden-in-profile">two</div><div class="block hidden-in-profile">three</div>'
    )
    first = printer.print_profile(short, name="benchmark-x (en)", built_iso="2026-11-23T12:00:00+00:00")
    browser, tab = printer._browser, printer._page
    second = printer.print_profile(short, name="benchmark-x (en)", built_iso="2026-11-23T12:00:00+00:00")
    assert printer._browser is browser and printer._page is tab  # launched once, one tab reused (a new one cost 0.16 s)
    assert first.startswith(b"%PDF-") and first == second
    assert pdf.count_pages(first) == 1  # the body class is set: two of the three page-high blocks are hidden
    assert b"D:20261123120000" in first


@pytest.mark.slow
def test_a_profile_longer_than_two_pages_is_refused_naming_the_report(printer):
    long = _page('<h1>Title</h1><div class="block">one</div><div class="block">two</div><div class="block">three</div>')
    with pytest.raises(OutputError, match=r"^benchmark-x \(pl\): the printed profile has 3 pages, more than 2"):
        printer.print_profile(long, name="benchmark-x (pl)", built_iso="2026-11-23T12:00:00+00:00")


@pytest.mark.slow
def test_nothing_is_requested_from_the_network_while_printing(printer):
    # A local server stands for the network: without the route that refuses it, Chromium would fetch from it.
    import http.server
    import threading

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = _page(f'<link rel="stylesheet" href="{base}/a.css"><h1>Title</h1><img src="{base}/x.png" alt="x">')
        data = printer.print_profile(page, name="benchmark-x (en)", built_iso="2026-11-23T12:00:00+00:00")
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.count_pages(data) == 1
    assert hits == []


@pytest.mark.slow
def test_a_profile_printed_in_a_used_tab_is_the_one_a_fresh_printer_prints(printer):
    """The tab is reused between profiles: nothing of the previous one (its body class, its opened
    details, its footer) may reach the next."""
    other = _page('<h1>Other</h1><details><summary>s</summary><div class="block">open me</div></details>')
    short = _page('<h1>Title</h1><div class="block">one</div><div class="block hidden-in-profile">two</div>')
    printer.print_profile(other, name="benchmark-y (pl)", built_iso="2026-11-23T12:00:00+00:00", footer="Other · 1", page_word="Strona")
    used = printer.print_profile(short, name="benchmark-x (en)", built_iso="2026-11-23T12:00:00+00:00")
    printer._close_tab()  # the next profile gets a new tab, as the first one of a worker does
    fresh = printer.print_profile(short, name="benchmark-x (en)", built_iso="2026-11-23T12:00:00+00:00")
    assert used == fresh
