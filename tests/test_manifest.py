"""The manifest (reports.yml), parameter checks and the site's words — no kernel, no browser."""

import re
import shutil

import pytest

from analysis import config
from analysis.cli import main
from analysis.errors import ManifestError, ParameterError, UnknownCityError
from analysis.publish import Vocabulary, default_jobs, find_job, load_manifest, make_variant, parse_assignments, site
from analysis.publish.manifest import check_parameters
from analysis.text.i18n import Lang

from .conftest import FIXTURE_MANIFEST, PROJECT_ROOT

VOCABULARY = Vocabulary(("Kielce", "Eindhoven", "Gdynia", "Oakville", "Porto"), ("Economy", "Education"), years=(2001, 2017))


@pytest.fixture(scope="module")
def manifest():
    return load_manifest(config.paths().manifest)


def benchmark(manifest):
    return manifest.report("benchmark-{city}")


def test_the_project_manifest_declares_both_reports_with_lang(manifest):
    assert [r.name for r in manifest.reports] == ["benchmark-{city}", "score-dispersion", "explore"]
    assert manifest.languages == ["pl", "en"]
    assert all(r.parameters["lang"].set_by_build for r in manifest.reports)
    names = [job.name for job in default_jobs(manifest, VOCABULARY)]
    assert names == [
        "benchmark-kielce",
        "benchmark-eindhoven",
        "benchmark-gdynia",
        "benchmark-oakville",
        "benchmark-porto",
        "score-dispersion",
        "explore",
    ]


@pytest.mark.parametrize("path", [config.paths().manifest, FIXTURE_MANIFEST])
def test_every_text_of_the_manifest_has_a_polish_translation(path):
    manifest = load_manifest(path)
    polish = Lang("pl")
    texts = [manifest.source_note, manifest.publisher, manifest.contact]
    for report in manifest.reports:
        texts += [report.title, report.nav_label] + ([] if report.vintage == "indicator_years" else [report.vintage])
        for parameter in report.parameters.values():
            texts += [parameter.label] + ([parameter.all_label] if parameter.all_label else [])
            texts += list((parameter.choice_labels or {}).values())
    missing = [text for text in texts if not polish.has(text)]
    assert not missing


def test_a_broken_manifest_fails_in_one_line_naming_the_entry(tmp_path):
    path = tmp_path / "reports.yml"
    text = config.paths().manifest.read_text(encoding="utf-8").replace("analysis.params.BenchmarkParams", "analysis.params.BenchmarkParameters")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: reports.0.parameters: Value error, 'analysis.params.BenchmarkParameters' is not a parameter model")
    assert "\n" not in message
    inline = FIXTURE_MANIFEST.read_text(encoding="utf-8").replace("{type: int, default: 5", "{type: integer, default: 5")
    path.write_text(inline, encoding="utf-8")
    with pytest.raises(ManifestError, match=r"reports\.0\.parameters\.str: Input should be a valid string"):
        load_manifest(path)


@pytest.mark.parametrize(
    "given, expected",
    [
        # Issue 10: each of these passed with exit 0 or ended in a pandas TypeError.
        (
            {"colour": "red"},
            "parameter 'colour' is not a parameter of the report benchmark-{city}; allowed: peers, themes, max_year_gap, min_coverage, top_n, "
            "exclude_flagged, n_variants, seed",
        ),
        ({"max_year_gap": "abc"}, "parameter max_year_gap='abc': expected a whole number from 0 to 30"),
        ({"top_n": 2.5}, "parameter top_n=2.5: expected a whole number from 1 to 20"),
        ({"top_n": 0}, "parameter top_n=0: expected a whole number from 1 to 20"),
        ({"min_coverage": 1.5}, "parameter min_coverage=1.5: expected a number from 0 to 1"),
        (
            {"peers": ["Atlantis"]},
            "parameter peers=['Atlantis']: expected a list of city names from: Kielce, Eindhoven, Gdynia, Oakville, Porto, or null for all other cities",
        ),
        ({"lang": "en"}, "parameter 'lang' is set by the build of the report benchmark-{city}"),
        ({"max_year_gap": None}, "parameter max_year_gap is empty: expected a whole number from 0 to 30"),
        ({"max_year_gap": True}, "parameter max_year_gap=true: expected a whole number from 0 to 30"),
        ({"focal_city": "Porto"}, "parameter 'focal_city' is set by the build"),
    ],
)
def test_bad_parameters_fail_with_one_line_listing_what_is_allowed(manifest, given, expected):
    with pytest.raises(ParameterError) as caught:
        check_parameters(benchmark(manifest), given, VOCABULARY)
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


def test_a_single_peer_is_a_list_of_one_city_not_of_letters(manifest):
    # Issue 10: peers=Porto said "unknown city 'P'".
    assert check_parameters(benchmark(manifest), parse_assignments(["peers=porto"]), VOCABULARY) == {"peers": ["Porto"]}
    assert check_parameters(benchmark(manifest), parse_assignments(["peers=[Porto, gdynia]", "max_year_gap=5"]), VOCABULARY) == {
        "peers": ["Porto", "Gdynia"],
        "max_year_gap": 5,
    }


def test_an_empty_city_is_unknown_not_the_dispersion_report(manifest):
    # Issue 10: --city '' built the dispersion report.
    with pytest.raises(UnknownCityError, match=r"unknown city ''; known cities: Kielce, Eindhoven"):
        find_job(manifest, VOCABULARY, city="")


def test_custom_parameters_need_a_variant_name(manifest):
    job = find_job(manifest, VOCABULARY, city="gdynia")
    with pytest.raises(ParameterError, match=r"not published on the default page benchmark-gdynia; name the variant: --as NAME"):
        make_variant(job, None, {"max_year_gap": 5}, VOCABULARY)
    with pytest.raises(ParameterError, match=r"variant name 'Gdynia gap'"):
        make_variant(job, "Gdynia gap", {"max_year_gap": 5}, VOCABULARY)
    variant = make_variant(job, "gdynia-gap5", {"max_year_gap": 5}, VOCABULARY)
    assert variant.id == "variants/gdynia-gap5" and variant.parameters["max_year_gap"] == 5
    assert variant.parameters["focal_city"] == "Gdynia" and variant.given == {"max_year_gap": 5}


def test_cli_refuses_bad_parameters_before_any_kernel_starts(fixture_project, capsys):
    status = main(["report", "--city", "gdynia", "-p", "colour=red", "--as", "x"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("error: parameter 'colour' is not a parameter of the report benchmark-gdynia; allowed: top_n")
    assert err.count("\n") == 1
    assert not (fixture_project / "build" / "logs").exists() and not (fixture_project / "reports").exists()


def test_cli_refuses_custom_parameters_for_the_default_page(fixture_project, capsys):
    status = main(["report", "--city", "gdynia", "-p", "top_n=2"])
    assert status == 1
    assert "name the variant: --as NAME" in capsys.readouterr().err
    assert not (fixture_project / "reports").exists()


def test_parameters_are_written_as_a_person_reads_them(manifest):
    job = make_variant(
        find_job(manifest, VOCABULARY, city="gdynia"), "v", {"peers": ["Kielce", "Porto"], "min_coverage": 0.75, "max_year_gap": 5}, VOCABULARY
    )
    polish = {item["label"]: item["value"] for item in site.describe_parameters(job, Lang("pl"))}
    assert polish == {
        "Miasta odniesienia": "Kielce i Porto",
        "Minimalny odsetek wskaźników obszaru, dla których podano dane": "75\u00a0%",
        "Największa dopuszczalna różnica lat, których dotyczą dane": "5",
    }
    english = {item["label"]: item["value"] for item in site.describe_parameters(job, Lang("en"))}
    assert english["Peer cities"] == "Kielce and Porto" and english["Minimum share of a theme's indicators reported"] == "75%"


def test_city_names_are_escaped_in_the_header_and_the_index(manifest):
    hostile = "<img src=x onerror=alert(1)>"
    vocabulary = Vocabulary(("Kielce", hostile), ("Economy",), years=(2010, 2016))
    jobs = default_jobs(manifest, vocabulary)
    nav = site.nav_entries(jobs)
    header = site.header_html(jobs[1].id, "pl", nav, Lang("pl"), downloads=True)
    assert "<img" not in header and "&lt;img src=x onerror=alert(1)&gt;" in header
    record = {"id": jobs[1].id, "built_at": "2026-11-23T12:00:00+00:00", "tables": ["a.csv"]}
    page = site.index_html("pl", [record], {jobs[1].id: jobs[1]}, nav, manifest)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt; na tle innych miast" in page


def test_the_header_links_every_page_and_the_same_page_in_the_other_edition(manifest):
    jobs = default_jobs(manifest, VOCABULARY)
    header = site.header_html("benchmark-gdynia", "pl", site.nav_entries(jobs), Lang("pl"), downloads=True)
    assert '<header class="site-header">' in header and '<nav class="site-nav" aria-label="Raporty">' in header
    assert re.findall(r'href="([^"#]+)"', header) == [
        "index.html",
        "index.html",
        "benchmark-kielce.html",
        "benchmark-eindhoven.html",
        "benchmark-gdynia.html",
        "benchmark-oakville.html",
        "benchmark-porto.html",
        "score-dispersion.html",
        "explore.html",
        "../en/benchmark-gdynia.html",
    ]
    assert '<a href="benchmark-gdynia.html" aria-current="page">Gdynia</a>' in header
    assert '<a class="lang-switch" href="../en/benchmark-gdynia.html" hreflang="en" lang="en">English</a>' in header
    assert ">Strona główna<" in header and ">Pliki do pobrania<" in header and ">Oceny dojrzałości<" in header
    assert ">Dla badaczy<" in header
    variant = site.header_html("variants/gdynia-gap5", "en", site.nav_entries(jobs), Lang("en"), downloads=False)
    assert 'href="../benchmark-kielce.html"' in variant and 'href="../../pl/variants/gdynia-gap5.html"' in variant


def test_the_table_of_contents_lists_the_pages_sections_with_anchors():
    page = (
        '<h1 id="Top">Old title<a class="anchor-link" href="#Top">¶</a></h1>'
        '<h2 id="Theme-scores">Theme scores<a class="anchor-link" href="#Theme-scores">¶</a></h2>'
        '<h3 id="x">not listed</h3><h2 id="Wyniki-&amp;-dane">Wyniki &amp; <em>dane</em></h2>'
        '<h2 id="site-downloads-title">Downloads</h2>'
    )
    assert site.page_sections(page) == [{"id": "Theme-scores", "text": "Theme scores"}, {"id": "Wyniki-&-dane", "text": "Wyniki & dane"}]
    toc = site.toc_html(page, Lang("pl"))
    assert '<nav class="site-toc" aria-label="Na tej stronie">' in toc
    assert '<a href="#Theme-scores">Theme scores</a>' in toc and '<a href="#Wyniki-&amp;-dane">Wyniki &amp; dane</a>' in toc
    retitled = site.retitle_h1(page, "Kielce <na tle> miast")
    assert retitled.startswith('<h1 id="Top">Kielce &lt;na tle&gt; miast<a class="anchor-link" href="#Top">¶</a></h1>')


def test_the_byline_names_the_publisher_and_the_day_in_the_page_language_as_text():
    """Officials asked who made the page and when, under its title (the publisher was only in the footer)."""
    facts = {"publisher": "Kielce <b>Smart</b> City Benchmarks, an open-source project", "source_note": "x", "contact": "y"}
    polish = site.byline_html(facts, "2026-12-02T23:30:00+00:00", Lang("pl"))
    assert polish.startswith('<p class="byline">Opracowanie: Kielce &lt;b&gt;Smart&lt;/b&gt;') and "<b>" not in polish  # not in the catalogue
    # The day in Warsaw, not in UTC, kept on one line.
    assert polish.endswith("Data opracowania: 3\u00a0grudnia\u00a02026\u00a0r.</p>")
    english = site.byline_html(facts, "2026-12-02T12:00:00+00:00", Lang("en"))
    assert english.endswith("Date: 2\u00a0December\u00a02026.</p>") and english.startswith('<p class="byline">Prepared by ')
    page = '<h1 id="Top">Old<a class="anchor-link" href="#Top">¶</a></h1><p>next</p>'
    assert site.retitle_h1(page, "New", polish).startswith('<h1 id="Top">New<a class="anchor-link" href="#Top">¶</a></h1><p class="byline">')


def test_the_data_age_is_counted_from_the_page_date_in_the_page_language():
    """Every official briefing the mayor wrote the data's age into the note ("sprzed blisko dziesięciu lat"); the
    notebook marks the year, the publication fills in the age from the page's date (Warsaw)."""
    mark = '(dane głównie z 2016 r.<data class="data-age" value="2016"></data>)'
    polish = site.fill_data_ages(mark, "2026-12-02T12:00:00+00:00", Lang("pl"))
    assert polish == '(dane głównie z 2016 r.<data class="data-age" value="2016">, sprzed 10 lat</data>)'
    assert site.fill_data_ages(mark, "2017-06-01T12:00:00+00:00", Lang("pl")).endswith(", sprzed 1 roku</data>)")
    assert site.fill_data_ages(mark, "2019-06-01T12:00:00+00:00", Lang("pl")).endswith(", sprzed 3 lat</data>)")
    assert site.fill_data_ages(mark, "2038-06-01T12:00:00+00:00", Lang("pl")).endswith(", sprzed 22 lat</data>)")
    # New Year's Eve in UTC is already the next year in Warsaw.
    assert site.fill_data_ages(mark, "2026-12-31T23:30:00+00:00", Lang("en")).endswith(", 11 years old</data>)")
    assert site.fill_data_ages(mark, "2017-06-01T12:00:00+00:00", Lang("en")).endswith(", 1 year old</data>)")
    # Data of the page's own year (or later): no age.
    assert site.fill_data_ages(mark, "2016-06-01T12:00:00+00:00", Lang("pl")) == mark
    # Only the library's own mark: text that merely looks like one is not touched.
    assert site.fill_data_ages('&lt;data class="data-age" value="2016"&gt;&lt;/data&gt;', "2026-12-02T12:00:00+00:00", Lang("pl")).startswith("&lt;")


def test_the_language_chooser_offers_polish_first():
    page = site.chooser_html(["en", "pl"])
    assert page.index('href="pl/index.html"') < page.index('href="en/index.html"')
    assert ">Wersja polska<" in page and ">English version<" in page and '<section lang="en">' in page


def test_the_footer_gives_every_parameter_of_a_default_page(manifest):
    job = find_job(manifest, VOCABULARY, city="gdynia")
    footer = site.footer_html(job, ["benchmark-gdynia.csv"], Lang("pl"), "2026-11-23T12:00:00+00:00", manifest.site_facts())
    assert (
        # One sentence a parameter (a Polish editor of the seventeenth session: "…; Obszary tematyczne: …" put capitals after
        # semicolons), and the years not said twice ("różnica lat … (w latach)").
        "<dd>Miasta odniesienia: wszystkie pozostałe miasta. Obszary tematyczne: wszystkie obszary tematyczne. "
        "Największa dopuszczalna różnica lat, których dotyczą dane: 3. "
        "Minimalny odsetek wskaźników obszaru, dla których podano dane: 50\u00a0%. "
        "Mocne i słabe strony w tabelach szczegółowych (najwyżej): 5. "
        "Wartości źródłowe pominięte w analizie: wartości, które w opublikowanej postaci nie mogą być poprawne, oraz wartości wątpliwe. "
        "Zadana liczba wariantów siatki analizy odporności (dochodzą do nich warianty z kolejno pomijanym każdym wskaźnikiem): 17\u00a0280. Wartość początkowa generatora liczb losowych: 2018.</dd>"
    ) in footer
    assert '<a href="../data/benchmark-gdynia.csv" download>benchmark-gdynia.csv</a>' in footer
    assert "23 listopada 2026 r., godz. 13:00 czasu polskiego" in footer and "Kompleksowa diagnoza miasta Kielce" in footer


def test_a_text_parameter_with_choices_refuses_other_values(tmp_path):
    """exclude_flagged=all is refused before any kernel starts, listing the allowed values."""
    from analysis.errors import ParameterError
    from analysis.params import Parameter, model_from_declarations

    parameter = Parameter(type="str", default="errors", choices=["none", "errors", "errors+warnings"], label="x")
    model = model_from_declarations("Inline", {"exclude_flagged": parameter})
    vocabulary = Vocabulary(cities=("Kielce",), themes=("Economy",))
    assert model.check(exclude_flagged="errors+warnings", vocabulary=vocabulary).exclude_flagged == "errors+warnings"
    with pytest.raises(ParameterError, match="one of: none, errors, errors\\+warnings"):
        model.check(exclude_flagged="all", vocabulary=vocabulary)


def test_choices_only_for_text_and_the_default_among_them():
    from pydantic import ValidationError

    from analysis.publish.manifest import Parameter

    with pytest.raises(ValidationError):
        Parameter(type="int", default=1, choices=["1"], label="x")
    with pytest.raises(ValidationError):
        Parameter(type="str", default="all", choices=["none"], label="x")


def test_a_single_theme_or_area_parameter_is_read_in_the_pages_language(manifest):
    from analysis.publish.manifest import Parameter

    theme = Parameter(type="theme", default="Transportation", label="Theme of the comparison")
    area = Parameter(type="area", default="safety", label="Area of the maturity scores")
    assert site.describe_value(theme, "Solid waste", Lang("pl")) == "Odpady komunalne"
    assert site.describe_value(area, "safety", Lang("pl")) == "Bezpieczeństwo"
    assert site.describe_value(area, "safety", Lang("en")) == "Safety"
    job = default_jobs(manifest, VOCABULARY)[-1]
    assert job.name == "explore"
    shown = {row["label"]: row["value"] for row in site.describe_parameters(job, Lang("pl"), every=True)}
    assert shown == {
        "Miasto": "Kielce",
        "Miasto odniesienia": "Gdynia",
        "Obszar tematyczny porównania": "Transport",
        "Obszar ocen dojrzałości": "Bezpieczeństwo",
    }


def test_the_benchmark_report_lists_every_raw_file_its_library_reads(manifest):
    """Before: editing indicator_relations.csv or city_countries.csv (read by the screening) or the
    Polish labels did not rebuild the benchmark pages: they were not among the report's inputs."""

    inputs = {(PROJECT_ROOT / path).resolve() for path in benchmark(manifest).inputs}
    for read in (
        config.paths().relations_csv,
        config.paths().countries_csv,
        config.paths().theme_labels_csv,
        config.paths().raw / "city_names_pl.csv",
        config.paths().iso_table,
        config.paths().indicator_metadata,
    ):
        assert read.resolve() in inputs, read


def test_the_index_pages_have_a_skip_link_like_the_reports(manifest):
    """Before: report pages had "Skip to content" for keyboard readers, the index pages did not."""
    jobs = default_jobs(manifest, VOCABULARY)
    for lang, words in (("pl", "Przejdź do treści"), ("en", "Skip to content")):
        page = site.index_html(lang, [], {}, site.nav_entries(jobs), manifest)
        assert f'<a class="skip-link" href="#content">{words}</a>' in page
        assert page.index("skip-link") < page.index('<header class="site-header">')
        assert '<main id="content"' in page


@pytest.mark.parametrize(
    "given, expected",
    [
        # Before: YAML's .nan passed every range check (nan < 0 and nan > 10 are both false) and
        # reached the kernel; .inf was refused only where the type was int.
        ({"min_coverage": float("nan")}, "parameter min_coverage=nan: expected a number from 0 to 1"),
        ({"min_coverage": float("inf")}, "parameter min_coverage=inf: expected a number from 0 to 1"),
        ({"min_coverage": float("-inf")}, "parameter min_coverage=-inf: expected a number from 0 to 1"),
        ({"max_year_gap": float("nan")}, "parameter max_year_gap=nan: expected a whole number from 0 to 30"),
    ],
)
def test_nan_and_inf_are_refused_before_any_kernel_starts(manifest, given, expected):
    job = find_job(manifest, VOCABULARY, city="gdynia")
    with pytest.raises(ParameterError) as caught:
        make_variant(job, "v", given, VOCABULARY)
    assert str(caught.value).startswith(expected) and "\n" not in str(caught.value)


@pytest.mark.parametrize("peers", [["Gdynia", "Porto"], ["gdynia"], "GDYNIA"])
def test_a_peer_list_with_the_focal_city_is_refused_in_one_line(manifest, peers):
    """Before: peers=[Gdynia, Porto] for Gdynia's benchmark was accepted and the library quietly dropped Gdynia."""
    job = find_job(manifest, VOCABULARY, city="gdynia")
    with pytest.raises(ParameterError) as caught:
        make_variant(job, "v", {"peers": peers}, VOCABULARY)
    message = str(caught.value)
    assert message.startswith(f"parameter peers={peers!r}: ") and "the focal city Gdynia" in message and "\n" not in message


def test_cli_refuses_nan_and_the_focal_city_among_peers_before_any_kernel_starts(fixture_project, capsys):
    status = main(["report", "--city", "gdynia", "--params", "sleep=.nan", "--as", "x"])
    err = capsys.readouterr().err
    assert status == 1 and err.startswith("error: parameter sleep=nan: expected a number from 0 to 60") and err.count("\n") == 1
    shutil.copy(PROJECT_ROOT / "reports.yml", fixture_project / "reports.yml")  # the real declarations
    for params, expected in (
        ("min_coverage=.nan", "error: parameter min_coverage=nan: expected a number from 0 to 1"),
        ("peers=[Porto, gdynia]", "error: parameter peers=['Porto', 'gdynia']: "),
    ):
        status = main(["report", "--city", "gdynia", "--params", params, "--as", "x"])
        err = capsys.readouterr().err
        assert status == 1 and err.startswith(expected) and err.count("\n") == 1, err
    assert "the focal city Gdynia" in err
    assert not (fixture_project / "build" / "logs").exists() and not (fixture_project / "reports").exists()


@pytest.mark.parametrize("path", [config.paths().manifest, FIXTURE_MANIFEST])
def test_a_report_goes_to_a_worker_process_with_its_parameter_model(path):
    """Before: a report with inline declarations could not be pickled for the publisher's workers
    (its model, made at load time, is no attribute of analysis.params)."""
    import pickle

    for report in load_manifest(path).reports:
        copy = pickle.loads(pickle.dumps(report))
        assert copy.parameters == report.parameters and copy.model.defaults() == report.model.defaults()


def test_the_build_time_is_given_on_warsaw_clocks_with_the_polish_date_form():
    """Before: "23 listopada 2026, 12:00 UTC" — a UTC time, and a Polish date without "r."."""
    assert site.format_built("2026-11-23T12:00:00+00:00", Lang("pl")) == "23 listopada 2026 r., godz. 13:00 czasu polskiego"
    assert site.format_built("2026-07-01T12:00:00+00:00", Lang("en")) == "1 July 2026, 14:00 (Warsaw time)"


def test_every_page_and_index_names_its_source_publisher_contact_and_licence(manifest):
    """Issue 18: publisher and contact from the manifest, a licence statement and the source, on every page."""
    job = find_job(manifest, VOCABULARY, city="kielce")
    footer = site.footer_html(job, [], Lang("pl"), "2026-11-23T12:00:00+00:00", manifest.site_facts())
    index = site.index_html("pl", [], {}, site.nav_entries(default_jobs(manifest, VOCABULARY)), manifest)
    # The page's footer marks each line (the printed PDF profile keeps the source line only).
    assert '<dt class="footer-source">Źródło</dt><dd class="footer-source">Kompleksowa diagnoza' in footer
    footer = re.sub(r' class="footer-\w+"', "", footer)
    for page in (footer, index):
        assert "<dt>Źródło</dt><dd>Kompleksowa diagnoza miasta Kielce" in page
        # An official read "Wydawca: Kielce Smart City Benchmarks" as the city's own publication.
        assert (
            "<dt>Opracowanie</dt><dd>niezależny projekt Kielce Smart City Benchmarks, a nie urząd żadnego z opisanych miast – pytania i uwagi" in page
        )
        assert "<dt>Licencja</dt><dd>Kod, który tworzy te strony, jest udostępniony na licencji MIT." in page
    english = re.sub(r' class="footer-\w+"', "", site.footer_html(job, [], Lang("en"), "2026-11-23T12:00:00+00:00", manifest.site_facts()))
    assert "<dt>Licence</dt><dd>The code that makes these pages is under the MIT licence." in english
    # The English edition says it too (a sceptical reading: only the Polish one did).
    assert "independent open-source project; the pages are not a publication of any of these cities&#x27; offices" in english.replace(
        "&#39;", "&#x27;"
    )


def test_a_manifest_without_its_publisher_is_refused(tmp_path):
    text = (PROJECT_ROOT / "reports.yml").read_text(encoding="utf-8")
    path = tmp_path / "reports.yml"
    path.write_text("\n".join(line for line in text.splitlines() if not line.startswith("publisher:")), encoding="utf-8")
    with pytest.raises(ManifestError, match="publisher"):
        load_manifest(path)


@pytest.mark.parametrize("given", [{"city": "Gdynia", "other_city": "gdynia"}, {"other_city": "Kielce"}])
def test_the_exploration_page_refuses_a_city_compared_with_itself(manifest, given):
    """A parameter sweep: city=Gdynia, other_city=gdynia was accepted and compared Gdynia with itself."""
    with pytest.raises(ParameterError, match=r"^parameter other_city=.*: (Gdynia|Kielce) is the city itself; expected another city than"):
        check_parameters(manifest.report("explore"), given, VOCABULARY)
    assert check_parameters(manifest.report("explore"), {"other_city": "Porto"}, VOCABULARY) == {"other_city": "Porto"}


def test_a_variant_s_reference_years_are_those_of_its_cities_and_themes(manifest):
    """A parameter sweep: a peers=Gdynia page said "2001–2017 (all cities of the comparison)", the range of all five."""
    spans = {
        ("Kielce", "Economy"): (2011, 2017),
        ("Gdynia", "Economy"): (2010, 2015),
        ("Porto", "Economy"): (2001, 2014),
        ("Porto", "Education"): (2005, 2016),
        ("Eindhoven", "Economy"): (2014, 2016),
        ("Oakville", "Economy"): (2011, 2016),
    }
    vocabulary = Vocabulary(VOCABULARY.cities, VOCABULARY.themes, years=(2001, 2017), year_spans=spans)
    job = find_job(manifest, vocabulary, city="kielce")
    assert job.vintage_years == (2001, 2017)
    assert make_variant(job, "k-gdynia", {"peers": ["Gdynia"]}, vocabulary).vintage_years == (2010, 2017)
    assert make_variant(job, "k-education", {"themes": ["Education"]}, vocabulary).vintage_years == (2005, 2016)
    assert make_variant(job, "k-top3", {"top_n": 3}, vocabulary).vintage_years == (2001, 2017)


@pytest.mark.parametrize("pair", ["peers=", "themes=  ", "top_n="])
def test_an_empty_value_is_refused_not_read_as_all(manifest, pair):
    """A parameter sweep: peers= (nothing after "=") published a copy of the default page as a variant, while top_n= was
    refused; "null" stays the way to ask for all other cities."""
    with pytest.raises(ParameterError, match=r"^parameter (peers|themes|top_n) is empty: expected .*; give a value or leave it out$"):
        check_parameters(benchmark(manifest), parse_assignments([pair]), VOCABULARY)
    assert check_parameters(benchmark(manifest), parse_assignments(["peers=null"]), VOCABULARY) == {"peers": None}
