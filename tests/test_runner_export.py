"""The page exporter (analysis.publish.runner.export_page) without nbconvert's whole-page BeautifulSoup pass: the same
document as nbconvert's own HTMLExporter gives, with the typography's passes finding the characters they look for."""

import nbformat
import pytest
from bs4 import BeautifulSoup


def _notebook(path, markdown: str, html_output: str = "<p>table</p>"):
    cell = nbformat.v4.new_code_cell("display()")
    cell["outputs"] = [
        nbformat.v4.new_output("display_data", data={"text/markdown": markdown}),
        nbformat.v4.new_output("display_data", data={"text/html": html_output}),
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Tytuł"), cell])
    nbformat.write(notebook, path)
    return path


def _export(path, lang="pl"):
    from analysis.publish.runner import export_page

    return export_page(path, lang=lang, title="Strona", header_html="<header>h</header>", footer_html="<footer>f</footer>", toc=lambda page: "")[0]


def test_the_page_is_the_document_nbconvert_gives(tmp_path, monkeypatch):
    from nbconvert import HTMLExporter

    from analysis.publish import runner

    path = _notebook(
        tmp_path / "page.ipynb",
        '## Porównanie: Kielce i Gdynia — Transport\n\nSmart Factor\'s diagnosis, 5 < 7 & "quoted"',
        '<div class="table-scroll" role="region" tabindex="0" aria-label="a &quot;label&quot;"><p>Gdynia — 13,5</p></div>',
    )
    ours = _export(path)
    monkeypatch.setattr(runner, "_exporter_class", lambda: HTMLExporter)
    theirs = _export(path)
    assert str(BeautifulSoup(ours, "html.parser")) == str(BeautifulSoup(theirs, "html.parser"))
    # The heading's dash is a character (the template wrote "&#8212;"), so it gets its no-break space like the rest of
    # the page (fired: before the characters were written out, the heading kept a breakable space before the dash).
    assert "Kielce i\u00a0Gdynia\u00a0— Transport" in ours
    # Markup characters stay escaped; every output area is reachable by keyboard.
    assert "5 &lt; 7 &amp;" in ours and 'aria-label="a &quot;label&quot;"' in ours
    soup = BeautifulSoup(ours, "html.parser")
    areas = soup.select("div.jp-OutputArea-output")
    assert areas and all(area.get("tabindex") == "0" for area in areas)


def test_an_image_without_a_text_alternative_is_an_error_naming_the_notebook(tmp_path):
    path = _notebook(tmp_path / "figure.ipynb", "## Wykres", '<img src="data:image/png;base64,AAAA">')
    with pytest.raises(ValueError, match=r"^figure\.ipynb: an image has no text alternative"):
        _export(path)
    fine = _notebook(tmp_path / "fine.ipynb", "## Wykres", '<img alt="Wykres" src="data:image/png;base64,AAAA">')
    assert 'alt="Wykres"' in _export(fine)


def test_the_printed_copy_keeps_the_profiles_images_in_an_exported_page(tmp_path):
    """The exporter writes a cell's id before its class; the printer's cell finder read only class-first tags, and took
    a cell's inner "jp-Cell-outputWrapper" for a cell, so a profile cell's images were emptied too (fired: before, the
    profile's image was emptied)."""
    from analysis.publish.pdf import PROFILE_CELL_CLASS, without_hidden_images

    image = "data:image/png;base64," + "A" * 400
    cells = []
    for tags in (["profile"], []):
        cell = nbformat.v4.new_code_cell("display()", metadata={"tags": tags})
        cell["outputs"] = [nbformat.v4.new_output("display_data", data={"text/html": f'<img alt="Wykres" src="{image}">'})]
        cells.append(cell)
    path = tmp_path / "profile.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    page = _export(path)
    assert PROFILE_CELL_CLASS in page and page.count(image) == 2
    printed = without_hidden_images(page)
    assert printed.count(image) == 1 and printed.count('src="data:,"') == 1
    assert printed.index(image) < printed.index('src="data:,"')  # the profile's (first) cell keeps its image
