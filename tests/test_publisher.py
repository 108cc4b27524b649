"""The publisher on two tiny fixture notebooks (tests/fixtures/notebooks): seconds, not full builds.

Both editions, navigation, the index pages, variants, pruning removed cities,
failures and full disks that leave the previous report whole. These start a
kernel, so they are not part of `make test-fast`.
"""

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from analysis.data import storage
from analysis.errors import OutputError

from .conftest import FIXTURES, run_cli

pytestmark = pytest.mark.slow

CITIES = ["kielce", "eindhoven", "gdynia", "oakville", "porto"]


def pages(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root / "reports")): p.read_bytes() for p in sorted((root / "reports").rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(published_fixture_project):
    """The fixture project, built once (conftest): five city pages and one summary page, in Polish and English."""
    return published_fixture_project


def test_both_editions_hold_the_same_pages_and_share_one_set_of_csvs(site):
    reports = site / "reports"
    for lang in ("pl", "en"):
        names = sorted(p.name for p in (reports / lang).glob("*.html"))
        assert names == sorted(["index.html", "score-dispersion.html", *(f"benchmark-{c}.html" for c in CITIES)])
    assert sorted(p.name for p in (reports / "data").glob("*.csv")) == sorted(["fixture-summary.csv", *(f"fixture-{c}.csv" for c in CITIES)])
    pl = (reports / "pl" / "benchmark-gdynia.html").read_text(encoding="utf-8")
    en = (reports / "en" / "benchmark-gdynia.html").read_text(encoding="utf-8")
    assert re.findall(r'href="(\.\./data/[^"]+)"', pl) == re.findall(r'href="(\.\./data/[^"]+)"', en) == ["../data/fixture-gdynia.csv"]
    # The notebook ran once per edition, with its language.
    assert "language: pl" in pl and "language: en" in en


def test_a_report_that_asks_for_it_has_an_excel_workbook_per_edition_linked_from_its_page(site):
    """Issue 18: the benchmark's tables as one workbook per edition, beside the page; the CSVs stay the contract."""
    from openpyxl import load_workbook

    reports = site / "reports"
    for lang in ("pl", "en"):
        book = load_workbook(reports / lang / "benchmark-gdynia.xlsx")
        # First a sheet that says what the workbook is (an official opened one of bare tables), dated by the build.
        about = {"pl": "Informacje o skoroszycie", "en": "About this workbook"}[lang]
        assert book.sheetnames == [about, "fixture-gdynia"]
        facts = {row[0].value: row[1].value for row in book[about].iter_rows()}
        assert facts[{"pl": "Strona", "en": "Page"}[lang]] == "benchmark-gdynia.html"
        assert {"pl": "Źródło", "en": "Source"}[lang] in facts and book.properties.created.year >= 2026
        # Every parameter the page was computed with (a parameter sweep: a variant's workbook looked like the default's).
        assert [key for key in facts if key.startswith({"pl": "Parametr: ", "en": "Parameter: "}[lang])]
        page = (reports / lang / "benchmark-gdynia.html").read_text(encoding="utf-8")
        assert re.search(r'<a (?=[^>]*\bdownload\b)[^>]*\bhref="benchmark-gdynia.xlsx"', page)
    # The score-dispersion report does not ask for one.
    assert not list(reports.rglob("score-dispersion.xlsx"))
    record = json.loads((site / "build" / "records" / "benchmark-gdynia.json").read_text(encoding="utf-8"))
    assert "pl/benchmark-gdynia.xlsx" in record["outputs"]


def test_a_report_that_asks_for_it_has_a_two_page_pdf_profile_per_edition_linked_hashed_and_made_of_its_profile_cells(site):
    """Issue 18: reports/<lang>/benchmark-<city>.pdf, printed by Chromium at build time from the cells tagged 'profile'."""
    import hashlib

    from analysis.publish.pdf import count_pages

    reports = site / "reports"
    record = json.loads((site / "build" / "records" / "benchmark-gdynia.json").read_text(encoding="utf-8"))
    for lang in ("pl", "en"):
        profile = (reports / lang / "benchmark-gdynia.pdf").read_bytes()
        assert profile.startswith(b"%PDF-") and 1 <= count_pages(profile) <= 2
        assert record["outputs"][f"{lang}/benchmark-gdynia.pdf"] == hashlib.sha256(profile).hexdigest()
        page = (reports / lang / "benchmark-gdynia.html").read_text(encoding="utf-8")
        downloads = re.search(r'<section[^>]*id="site-downloads".*?</section>', page, re.S).group(0)
        assert re.search(r'<a href="benchmark-gdynia.pdf" type="application/pdf">[^<]+</a> \(PDF, A4\)', downloads)
        # The tagged cells (the heading "Values" and its list) are the profile's parts; the untagged "Tables" is not.
        parts = re.findall(r'<div class="profile-part">\s*<div (?=[^>]*\bclass="jp-Cell)[^>]*\bid="cell-id=([^"]+)"', page)
        assert len(parts) == page.count('class="profile-part"') == 2

        values, tables = (re.findall(r'id="cell-id=([^"]+)"', page[: page.index(anchor)])[-1] for anchor in ('id="Values"', 'id="Tables"'))
        assert values in parts and tables not in parts
    assert "Dwustronicowy profil miasta do wydruku" in (reports / "pl" / "benchmark-gdynia.html").read_text(encoding="utf-8")
    assert not list(reports.rglob("score-dispersion.pdf"))


def test_each_page_has_its_language_title_h1_navigation_and_toc(site):
    pl = (site / "reports" / "pl" / "benchmark-gdynia.html").read_text(encoding="utf-8")
    en = (site / "reports" / "en" / "benchmark-gdynia.html").read_text(encoding="utf-8")
    assert '<html lang="pl"' in pl and '<html lang="en"' in en
    assert "<title>Gdynia na tle innych miast – wskaźniki ISO 37120</title>" in pl
    assert "<title>ISO 37120 benchmark: Gdynia</title>" in en
    assert re.search(r"<h1[^>]*>Gdynia na tle innych miast\u00a0– wskaźniki ISO\u00a037120<", pl)  # a spaced dash never starts a line
    assert len(re.findall(r"<h1\b", pl)) == 1
    assert '<header class="site-header">' in pl and 'class="site-toc"' in pl and '<footer class="site-footer">' in pl
    assert pl.index('<header class="site-header">') < pl.index('class="site-toc"') < pl.index("tiny notebook for fast publisher tests")
    toc = re.search(r'<nav[^>]*class="site-toc".*?</nav>', pl, re.S).group(0)
    assert re.findall(r'href="#([^"]+)"', toc) == ["Values", "Tables"]
    assert 'id="Values"' in pl and 'id="Tables"' in pl
    assert "Strona główna" in pl and "Pliki do pobrania" in pl and "Zakres danych" in pl
    # One-letter words are bound to the next word with a no-break space on Polish pages.
    footer = re.search(r'<footer class="site-footer">.*?</footer>', pl, re.S).group(0).replace("\u00a0", " ")
    assert (
        "Mocne i słabe strony w tabelach szczegółowych (najwyżej): 5." in footer and "2001–\u20602017" in footer
    )  # the range is not split after its dash
    assert "Home page" in en and "Downloads" in en


def test_every_relative_link_resolves_and_the_switch_leads_to_the_same_page(site):
    reports = site / "reports"
    for page in reports.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"#:]+)"', text):
            assert (page.parent / href).resolve().exists(), f"{page.relative_to(reports)} links to missing {href}"
    for lang, other in (("pl", "en"), ("en", "pl")):
        text = (reports / lang / "score-dispersion.html").read_text(encoding="utf-8")
        switch = re.search(r'<a class="lang-switch" href="([^"]+)" hreflang="(\w+)" lang="(\w+)"', text)
        assert switch.groups() == (f"../{other}/score-dispersion.html", other, other)


def test_the_index_of_each_edition_lists_every_report_in_its_language(site):
    pl = (site / "reports" / "pl" / "index.html").read_text(encoding="utf-8")
    en = (site / "reports" / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="pl">' in pl
    for city in ("Kielce", "Eindhoven", "Gdynia", "Oakville", "Porto"):
        assert f"{city} na tle innych miast – wskaźniki ISO 37120" in pl
        assert f"ISO 37120 benchmark: {city}" in en
    assert "Oceny dojrzałości miasta inteligentnego (smart city): rozrzut ocen i zgodność oceniających" in pl
    # Six CSV links, and the data dictionary (reports/data/datapackage.json) once.
    assert pl.count('href="../data/') == 7 and pl.count('href="../data/datapackage.json"') == 1
    assert "Nie opublikowano żadnego wariantu." in pl
    assert "Zakres danych" in pl and "2001–2017" in pl and "Badanie interesariuszy i ocena ekspercka, wiosna 2018 r." in pl
    chooser = (site / "reports" / "index.html").read_text(encoding="utf-8")
    assert chooser.index("pl/index.html") < chooser.index("en/index.html")


def test_a_rebuild_with_no_change_starts_no_kernel_and_takes_under_a_second(site):
    before = pages(site)
    start = time.perf_counter()
    again = run_cli(site, "reports")
    elapsed = time.perf_counter() - start
    assert again.returncode == 0 and again.stdout.count("up to date, skipped") == 6, again.stdout
    assert pages(site) == before
    assert elapsed < 3  # the interpreter's start included; benchmarks/ measures the build itself (< 1 s)


def test_variants_are_published_apart_and_survive_make_reports(fixture_project):
    first = run_cli(fixture_project, "reports")
    assert first.returncode == 0, first.stdout + first.stderr
    default_page = (fixture_project / "reports" / "en" / "benchmark-gdynia.html").read_bytes()
    default_csv = (fixture_project / "reports" / "data" / "fixture-gdynia.csv").read_bytes()
    variant = run_cli(fixture_project, "report", "--city", "gdynia", "--params", "top_n=2", "--as", "gdynia-top2")
    assert variant.returncode == 0, variant.stdout + variant.stderr
    for lang in ("pl", "en"):
        assert (fixture_project / "reports" / lang / "variants" / "gdynia-top2.html").exists()
    rows = (fixture_project / "reports" / "data" / "variants" / "gdynia-top2" / "fixture-gdynia.csv").read_text().splitlines()
    assert len(rows) == 3  # header and top_n = 2 rows
    assert (fixture_project / "reports" / "en" / "benchmark-gdynia.html").read_bytes() == default_page
    assert (fixture_project / "reports" / "data" / "fixture-gdynia.csv").read_bytes() == default_csv
    index = (fixture_project / "reports" / "pl" / "index.html").read_text(encoding="utf-8")
    assert "Gdynia na tle innych miast – wskaźniki ISO 37120 (wariant gdynia-top2)" in index
    assert "Mocne i słabe strony w tabelach szczegółowych (najwyżej): 2" in index and "top_n" not in index
    assert 'href="../data/variants/gdynia-top2/fixture-gdynia.csv"' in index
    variant_page = (fixture_project / "reports" / "pl" / "variants" / "gdynia-top2.html").read_text(encoding="utf-8")
    assert 'href="../../data/variants/gdynia-top2/fixture-gdynia.csv"' in variant_page
    again = run_cli(fixture_project, "reports")
    assert again.returncode == 0 and "variants/" not in again.stdout
    assert (fixture_project / "reports" / "en" / "variants" / "gdynia-top2.html").exists()
    assert "(wariant gdynia-top2)" in (fixture_project / "reports" / "pl" / "index.html").read_text(encoding="utf-8")


def test_a_removed_city_disappears_with_its_pages_csvs_and_index_entries(fixture_project):
    # Issue 10: rm data/raw/cities/lublin.csv; make reports skipped everything and Lublin stayed published.
    cities = fixture_project / "data" / "raw" / "cities"
    cities.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "cities" / "testville.csv", cities / "testville.csv")
    built = run_cli(fixture_project, "reports")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (fixture_project / "reports" / "pl" / "benchmark-testville.html").exists()
    assert (fixture_project / "reports" / "pl" / "benchmark-testville.xlsx").exists()
    assert (fixture_project / "reports" / "en" / "benchmark-testville.pdf").exists()
    assert "Testville" in (fixture_project / "reports" / "en" / "benchmark-kielce.html").read_text(encoding="utf-8")
    (cities / "testville.csv").unlink()
    again = run_cli(fixture_project, "reports")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "benchmark-testville: no longer in the data, removed" in again.stdout
    reports = fixture_project / "reports"
    assert not list(reports.rglob("*testville*"))
    for lang in ("pl", "en"):
        assert "Testville" not in (reports / lang / "index.html").read_text(encoding="utf-8")
        # The other pages' navigation follows too (their data did not change: re-exported, no kernel).
        assert "Testville" not in (reports / lang / "benchmark-kielce.html").read_text(encoding="utf-8")
    assert "pages rebuilt (no change in its data)" in again.stdout


def test_a_failing_notebook_keeps_the_whole_previous_report(fixture_project):
    assert run_cli(fixture_project, "reports").returncode == 0
    before = pages(fixture_project)
    notebook = fixture_project / "notebooks" / "fixture_city.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("if fail:", "if True:"), encoding="utf-8")
    result = run_cli(fixture_project, "reports", "--jobs", "1")
    assert result.returncode == 1
    assert "benchmark-kielce: FAILED" in result.stdout
    assert "failed at cell 2 ('import csv')" in result.stdout and "RuntimeError: deliberate failure" in result.stdout
    assert pages(fixture_project) == before


def test_a_full_disk_while_writing_a_page_leaves_the_reports_csvs_old_too(fixture_project, monkeypatch):
    # Issue 10: the CSVs of a report were replaced while its HTML kept the old version.
    from analysis.publish import Vocabulary, default_jobs, load_manifest, publish

    assert run_cli(fixture_project, "reports").returncode == 0
    before = pages(fixture_project)
    indicators = fixture_project / "data" / "processed" / "indicators.csv"
    text = indicators.read_text(encoding="utf-8")
    assert "EC5.1,Economy,core,Gdynia,4.9," in text
    indicators.write_text(text.replace("EC5.1,Economy,core,Gdynia,4.9,", "EC5.1,Economy,core,Gdynia,7.9,"), encoding="utf-8")
    real_stage = storage.stage_bytes

    def disk_full_for_pages(path, data):
        if str(path).endswith(".html"):
            raise OutputError(f"cannot write {path}: No space left on device")
        return real_stage(path, data)

    from analysis.publish import batch

    monkeypatch.setattr(batch, "stage_bytes", disk_full_for_pages)  # inherited by the forked workers
    manifest = load_manifest()
    jobs = default_jobs(manifest, Vocabulary.from_data())
    results = publish(jobs, jobs, manifest, max_workers=1)
    failed = [r for r in results if r.status == "failed"]
    # Every city's input changed (one indicators.csv); every page failed to be written.
    assert sorted(r.id for r in failed) == sorted(f"benchmark-{c}" for c in CITIES)
    assert all("No space left on device" in r.message for r in failed)
    after = pages(fixture_project)
    assert after["data/fixture-gdynia.csv"] == before["data/fixture-gdynia.csv"]  # still 4.9, as the page says
    assert after["en/benchmark-gdynia.html"] == before["en/benchmark-gdynia.html"]
    assert not [p for p in (fixture_project / "reports").rglob(".*.tmp")]


def test_a_failing_print_keeps_the_whole_previous_report(fixture_project, monkeypatch):
    """A profile refused (too long) or a Chromium that fails: the report's page, CSV, workbook and PDF all stay old."""
    from analysis.publish import Vocabulary, default_jobs, load_manifest, pdf, publish

    assert run_cli(fixture_project, "reports").returncode == 0
    before = pages(fixture_project)
    record_before = (fixture_project / "build" / "records" / "benchmark-gdynia.json").read_bytes()
    indicators = fixture_project / "data" / "processed" / "indicators.csv"
    text = indicators.read_text(encoding="utf-8")
    indicators.write_text(text.replace("EC5.1,Economy,core,Gdynia,4.9,", "EC5.1,Economy,core,Gdynia,7.9,"), encoding="utf-8")
    monkeypatch.setattr(pdf, "MAX_PAGES", 0)  # every profile is now too long (inherited by the forked workers)
    manifest = load_manifest()
    jobs = default_jobs(manifest, Vocabulary.from_data())
    results = publish(jobs, jobs, manifest, max_workers=1)
    failed = {r.id: r.message for r in results if r.status == "failed"}
    assert sorted(failed) == sorted(f"benchmark-{c}" for c in CITIES)
    assert failed["benchmark-gdynia"].startswith("benchmark-gdynia (pl): the printed profile has 1 pages, more than 0")
    assert pages(fixture_project) == before  # nothing half-written: old pages, CSVs, workbooks and PDFs
    assert (fixture_project / "build" / "records" / "benchmark-gdynia.json").read_bytes() == record_before
    assert not [p for p in (fixture_project / "reports").rglob(".*.tmp")]


def test_a_variant_longer_than_the_profile_s_pages_is_published_and_says_so(fixture_project, monkeypatch):
    """A parameter sweep: make report CITY=kielce PARAMS='peers=[Gdynia, Porto]' AS=k-peers2, a valid command, stopped
    with "the printed profile has 3 pages, more than 2". The published reports still keep to the limit (the test above);
    a variant is published, and its result says how long its profile is."""
    from analysis.publish import Vocabulary, find_job, load_manifest, make_variant, pdf, publish

    assert run_cli(fixture_project, "reports").returncode == 0
    monkeypatch.setattr(pdf, "MAX_PAGES", 0)  # every profile is now "too long" (inherited by the forked workers)
    manifest, vocabulary = load_manifest(), Vocabulary.from_data()
    job = make_variant(find_job(manifest, vocabulary, city="gdynia"), "gdynia-top2", {"top_n": 2}, vocabulary)
    results = publish([job], [job], manifest, max_workers=1)
    assert [r.status for r in results] == ["built"], results[0].message
    assert "variants/gdynia-top2 (pl): the printed profile has 1 pages (the published reports keep to 0)" in results[0].message
    for lang in ("pl", "en"):
        assert (fixture_project / "reports" / lang / "variants" / "gdynia-top2.pdf").exists()
    # Its link promises no page count (a second parameter sweep: "Dwustronicowy profil" beside a 3-page PDF).
    page = (fixture_project / "reports" / "pl" / "variants" / "gdynia-top2.html").read_text(encoding="utf-8")
    assert "Profil miasta do wydruku, w\u00a0języku polskim" in page and "Dwustronicowy" not in page


def test_a_build_without_chromium_stops_in_one_line_before_any_kernel(fixture_project, monkeypatch):
    monkeypatch.setenv("KIELCE_CHROMIUM", str(fixture_project / "no-chromium-here"))
    result = run_cli(fixture_project, "reports")
    assert result.returncode != 0
    assert "need Chromium" in result.stderr and "apt-get install" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (fixture_project / "build" / "executed").exists()  # no notebook was run
    assert not list((fixture_project / "reports").rglob("benchmark-*"))


def _without_build_time(page: bytes) -> bytes:
    """The page with its stated build time (the footer's <time>) taken out."""
    return re.sub(rb"<time[^>]*>.*?</time>", b"<time/>", page, flags=re.S)


def test_the_same_inputs_give_byte_identical_pages_apart_from_the_build_time(fixture_project, monkeypatch):
    # Fault sweep 5: each build gave new random cell ids, so identical inputs gave different HTML.
    # The two builds one second apart within one minute (SOURCE_DATE_EPOCH): the printed footer says the time to the
    # minute, and two builds that straddled a minute differed in it (a CI run failed so).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    first = run_cli(fixture_project, "report", "--city", "gdynia")
    assert first.returncode == 0, first.stdout + first.stderr
    page = {lang: (fixture_project / "reports" / lang / "benchmark-gdynia.html").read_bytes() for lang in ("pl", "en")}
    profile = {lang: (fixture_project / "reports" / lang / "benchmark-gdynia.pdf").read_bytes() for lang in ("pl", "en")}
    # Execute again from scratch: no record, no executed notebook.
    (fixture_project / "build" / "records" / "benchmark-gdynia.json").unlink()
    for executed in (fixture_project / "build" / "executed").glob("benchmark-gdynia.*.ipynb"):
        executed.unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547201")  # a later second: the build time differs
    second = run_cli(fixture_project, "report", "--city", "gdynia")
    assert second.returncode == 0 and ": built in" in second.stdout, second.stdout + second.stderr
    for lang in ("pl", "en"):
        again = (fixture_project / "reports" / lang / "benchmark-gdynia.html").read_bytes()
        assert b'id="cell-id=' in again
        assert _without_build_time(again) == _without_build_time(page[lang])
        # The PDF profile too: its dates are the build time (Chromium's moment of printing is replaced).
        from analysis.publish.pdf import fix_dates

        again_profile = (fixture_project / "reports" / lang / "benchmark-gdynia.pdf").read_bytes()
        assert again_profile != profile[lang]
        assert fix_dates(again_profile, "2000-01-01T00:00:00+00:00") == fix_dates(profile[lang], "2000-01-01T00:00:00+00:00")


def test_the_index_links_each_report_s_profile_and_workbook_and_no_empty_downloads(site):
    """Two Polish editors of the seventeenth session: the index offered officials only CSV files with English names, and
    the researchers' page had a "Pliki do pobrania" heading with nothing under it."""
    reports = site / "reports"
    for lang in ("pl", "en"):
        index = (reports / lang / "index.html").read_text(encoding="utf-8")
        workbooks = sorted(path.name for path in (reports / lang).glob("benchmark-*.xlsx"))
        assert workbooks, "the fixture publishes workbooks"
        for name in workbooks:
            assert f'href="{name}" download' in index
        for name in sorted(path.name for path in (reports / lang).glob("benchmark-*.pdf")):
            assert f'href="{name}"' in index
        assert not re.search(r"<dt>[^<]*</dt>\s*</dl>", index), "a downloads heading with nothing under it"
