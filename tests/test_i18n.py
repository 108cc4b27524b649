"""Catalogues and number formats of the two editions."""

import re
from pathlib import Path

import pytest

from analysis.data import labels
from analysis.text import catalogue
from analysis.text.i18n import Lang


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogue template as ``pybabel extract`` makes it from the code now (``make i18n``'s first step)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    catalogue.extract(pot)
    return pot


def _problems(extracted, kind: str, po=None) -> list[str]:
    po = catalogue.read(po or catalogue.PO["pl"], "pl")
    return [problem for problem in catalogue.problems(catalogue.read(extracted), po) if problem.startswith(kind)]


def test_extraction_sees_every_kind_of_source(extracted):
    ids = {message.id if isinstance(message.id, str) else tuple(message.id) for message in catalogue.read(extracted) if message.id}
    assert "Rows" in ids  # tr("Rows") in notebooks/explore.ipynb
    assert "ISO 37120 benchmark: {city}" in ids  # a title in reports.yml
    assert "solid waste by treatment" in ids  # a group in data/raw/indicator_relations.csv
    assert "yes" in ids  # self.text("yes") in i18n.py
    # ngettext() in templates/dispersion-finding-straightlining.md.j2, a fragment passed into a {% trans %}
    assert ("%(k)s of the %(m)s questionnaire", "%(k)s of the %(m)s questionnaires") in ids
    # {% trans %} in templates/benchmark-headline.md.j2, whitespace trimmed, and a {% pluralize %} of it
    assert (
        "Clearly worse on most of the comparable indicators of the theme %(themes)s (a theme is judged with at least %(n)s comparable indicators).",
        "Clearly worse on most of the comparable indicators of: %(themes)s (a theme is judged with at least %(n)s comparable indicators).",
    ) in ids
    assert ("and marked %(n)s doubtful value (⚠).", "and marked %(n)s doubtful values (⚠).") in ids
    assert not {"hatched", "stakeholder_axis"} & ids  # a dict named text is not tr.text


def test_every_extracted_message_has_a_polish_translation(extracted):
    assert not _problems(extracted, "untranslated")


def test_no_polish_entry_is_unused(extracted):
    assert not _problems(extracted, "unused")


def test_no_polish_entry_is_fuzzy(extracted):
    assert not _problems(extracted, "fuzzy")


def test_polish_translations_keep_the_placeholders(extracted):
    assert not _problems(extracted, "placeholders")


def test_the_committed_template_is_up_to_date(extracted):
    """``locales/messages.pot`` is what ``pybabel extract`` gives now (the dates aside): run ``make i18n``."""
    assert catalogue.same_catalogue(extracted, catalogue.POT)


def _bad_po(tmp_path, edit) -> Path:
    from babel.messages.pofile import write_po

    po = catalogue.read(catalogue.PO["pl"], "pl")
    edit(po)
    path = tmp_path / "bad.po"
    with path.open("wb") as handle:
        write_po(handle, po, width=0)
    return path


def _untranslate(po):
    po["Rows"].string = ""


def _add_unused(po):
    po.add("A sentence no code uses any more", "Zdanie, którego kod już nie używa")


def _make_fuzzy(po):
    po["Rows"].flags.add("fuzzy")


def _break_placeholder(po):
    po["ISO 37120 benchmark: {city}"].string = "Benchmark ISO 37120: {miasto}"


def _drop(po):
    del po["Rows"]


@pytest.mark.parametrize(
    "edit, kind",
    [(_untranslate, "untranslated"), (_drop, "untranslated"), (_add_unused, "unused"), (_make_fuzzy, "fuzzy"), (_break_placeholder, "placeholders")],
)
def test_each_check_fails_on_a_bad_entry(extracted, tmp_path, edit, kind):
    assert len(_problems(extracted, kind, _bad_po(tmp_path, edit))) == 1


def test_a_stale_template_is_noticed(extracted, tmp_path):
    stale = tmp_path / "stale.pot"
    stale.write_text(extracted.read_text(encoding="utf-8").replace('msgid "Rows"', 'msgid "Row"'), encoding="utf-8")
    assert not catalogue.same_catalogue(extracted, stale)
    dated = tmp_path / "dated.pot"
    dated.write_text(
        re.sub(r"POT-Creation-Date: [^\\]*", "POT-Creation-Date: 1999-01-01 00:00+0000", extracted.read_text(encoding="utf-8")), encoding="utf-8"
    )
    assert catalogue.same_catalogue(extracted, dated)


@pytest.mark.parametrize(
    "lang, value, decimals, expected",
    [
        # CLDR for Polish (minimumGroupingDigits = 2): no separator in four-digit numbers.
        ("pl", 1234.5, 1, "1234,5"),
        ("pl", 12345.25, 1, "12\u00a0345,3"),  # half-up, as the source rounds
        ("pl", 2990, 0, "2990"),
        ("pl", 1234567, 0, "1\u00a0234\u00a0567"),
        ("pl", -0.5, 2, "\u22120,50"),
        ("en", 1234.5, 1, "1,234.5"),
        ("en", 2.25, 1, "2.3"),
    ],
)
def test_numbers_are_written_as_each_language_writes_them(lang, value, decimals, expected):
    assert Lang(lang).num(value, decimals) == expected


def test_percent_share_signs_and_missing_values():
    pl, en = Lang("pl"), Lang("en")
    assert pl.pct(12.5, 1) == "12,5\u00a0%"
    assert en.pct(12.5, 1) == "12.5%"
    assert pl.share(0.96) == "96\u00a0%"
    assert pl.num(0.7, 1, signed=True) == "+0,7"
    assert pl.num(float("nan"), 1) == "–"
    assert pl.yes_no(True) == "tak" and en.yes_no(False) == "no"


def test_polish_plural_forms():
    """The forms come from the real catalogue (the dispersion figures use this message), not from a dictionary copied into the test."""
    from analysis.text import i18n

    pl = Lang("pl")
    singular, plural = "{n} rater", "{n} raters"
    assert (singular, plural) in i18n.catalogue("pl")
    forms = {n: pl.plural(singular, plural, n, n=n) for n in (1, 2, 5, 22, 0)}
    assert forms == {1: "1 oceniający", 2: "2 oceniających", 5: "5 oceniających", 22: "22 oceniających", 0: "0 oceniających"}


def test_unknown_language_is_refused_with_the_allowed_ones():
    with pytest.raises(ValueError, match="pl, en"):
        Lang("de")


def test_polish_labels_come_from_the_printed_tables():
    assert labels.theme_names("pl")["Environment"] == "Środowisko"  # as printed
    # A display name corrects a calque of the printed heading (ODPADY STAŁE: 'solid waste'); the heading stays in the raw table.
    assert labels.theme_names("pl")["Solid waste"] == "Odpady komunalne"
    assert labels.theme_names("pl")["Fire and emergency response"] == "Ochrona przeciwpożarowa i ratownictwo"
    assert labels.indicator_names("pl")["FN9.4"].startswith("Ściągalność podatków")
    assert labels.area_names("pl")["environment"] == "Środowisko i ład przestrzenny"
    assert labels.dimension_names("pl")["data"] == "Informacje i dane"
    names = labels.indicator_names("pl")
    assert len(names) == 100
    assert names["EC5.1"] == "Stopa bezrobocia"
    assert "(wskaźnik podstawowy" not in " ".join(names.values())
    assert "<sub>" not in " ".join(names.values())


def test_polish_indicator_names_use_the_terms_of_polish_public_administration():
    """A Polish editor: the printed names of local-government finance calque "as a percentage of" where Polish has fixed
    terms; one table named wastewater "ścieki miejskie" and "ścieki komunalne"; "odsetek młodzieży" left out children."""
    names = labels.indicator_names("pl")
    assert names["FN9.3"] == "Udział dochodów własnych w dochodach ogółem"
    assert names["FN9.2"] == "Udział wydatków majątkowych w wydatkach ogółem"
    assert not [code for code, name in names.items() if "jako odsetek" in name]
    assert [code for code in names if code.startswith("WW20.") and "ścieków" in names[code] and "komunalnych" not in names[code]] == []
    assert names["ED6.6"] == "Odsetek dzieci i młodzieży w wieku szkolnym uczęszczających do szkół"
    assert names["GV11.3"] == "Odsetek kobiet wśród pracowników administracji miejskiej"


def test_polish_indicator_names_carry_no_misprinted_foreign_letters():
    """The source prints EV8.5 as "dیتlenku siarki" (Arabic letters); the page shows "dwutlenku"."""
    import re

    names = labels.indicator_names("pl")
    assert names["EV8.5"] == "Stężenie SO₂ (dwutlenku siarki)"
    assert not [code for code, name in names.items() if re.search(r"[\u0600-\u06ff]", name)]


def test_indicator_names_do_not_repeat_a_printed_code():
    """The water theme prints its names as "WS21.01 Odsetek …"; the code is shown once, in its own column."""
    import re

    for lang in ("pl", "en"):
        names = labels.indicator_names(lang)
        assert not [code for code, name in names.items() if re.match(r"[A-Z]{2}\d{1,2}\.\s?\d", name)], lang
    # WS21.1 is displayed under a corrected name (indicator_names_pl.csv); the printed one, without its code, is its provenance.
    assert labels.indicator_names("pl")["WS21.1"] == "Odsetek mieszkańców miasta korzystających z sieci wodociągowej"
    assert labels.plain_label("WS21.01 Odsetek mieszkańców miasta z dostępem do wody przeznaczonej do spożycia (wskaźnik podstawowy)") == (
        "Odsetek mieszkańców miasta z dostępem do wody przeznaczonej do spożycia"
    )
    assert labels.plain_label("WS21.07 Odsetek strat wody (woda brakująca) (wskaźnik podstawowy)") == "Odsetek strat wody (woda brakująca)"


def test_printed_sub_and_superscript_digits_become_characters_not_plain_digits():
    """A Polish editor: "[µg/m3]", "kWh/m2", "NO2" read as typos on a city hall's page; the source prints
    ``<sup>``/``<sub>`` tags. A particle size stays on the line (PM2,5), as Polish writes it."""
    assert labels.plain_label("Zużycie energii (kWh/m <sup>2</sup> ) (wskaźnik podstawowy)") == "Zużycie energii (kWh/m²)"
    assert labels.plain_label("Stężenie pyłu (PM <sub>2,5</sub> ) [µg/m <sup>3</sup> ]") == "Stężenie pyłu (PM2,5) [µg/m³]"
    assert labels.plain_label("Stężenie NO <sub>2</sub> (dwutlenku azotu)") == "Stężenie NO₂ (dwutlenku azotu)"
    names = labels.indicator_names("pl")
    assert (
        names["EV8.6"] == "Stężenie O₃ (ozonu)" and names["EV8.2"] == "Stężenie pyłu zawieszonego PM10"
    )  # its unit after it (indicator_names_pl.csv)
    from analysis.text.common import unit_label

    assert unit_label("µg/m3", Lang("en")) == "µg/m³" and unit_label("m2 per capita", Lang("pl")) == "m² na mieszkańca"


def test_misleading_printed_indicator_names_are_corrected_from_data_with_a_reason():
    """A Polish editor and a Kielce official: "Odsetek przestępstw … na 100 000 mieszkańców" (a rate is not a
    percentage), "Hałas" (no quantity), "destynacji", "praktykujących" … The corrections live in
    data/raw/indicator_names_pl.csv, each anchored to the printed name and with its reason."""
    from analysis.data.cleaning import load_indicator_names_pl

    names = labels.indicator_names("pl")
    assert names["SF14.5"] == "Liczba przestępstw z użyciem przemocy na 100 000 mieszkańców"
    assert names["HL12.7"] == "Liczba samobójstw na 100 000 mieszkańców"
    assert names["EV8.7"] == "Odsetek mieszkańców narażonych na nadmierny hałas"
    assert not [code for code, name in names.items() if name.startswith("Odsetek") and "na 100 000" in name]
    assert labels.printed_indicator_names_pl()["SF14.5"].startswith("Odsetek przestępstw")  # provenance kept
    assert len(load_indicator_names_pl(None, labels.printed_indicator_names_pl())) >= 20


def test_an_indicator_has_one_polish_name_on_a_page():
    """A Polish editor: "pasów ruchu dla rowerów" in the box, "pasów rowerowych" in the tables; "terenów zieleni" and
    "terenów zielonych"; "liczba przedsiębiorstw" and "Liczba firm"; "służb ratunkowych" and "ratowniczych"; "na 1000
    urodzeń żywych" in the name and "na 1000 żywych urodzeń" in the unit."""
    from analysis.text.common import short_indicator_name
    from analysis.text.i18n import Lang

    names, pl = labels.indicator_names("pl"), Lang("pl")
    for code, term, short_term in (
        ("TR18.7", "pasów ruchu dla rowerów", "pasy ruchu dla rowerów"),
        ("UP19.1", "terenów zieleni", "tereny zieleni"),
        ("EC5.6", "przedsiębiorstw", "przedsiębiorstw"),
        ("FR10.5", "służb ratowniczych", "służb ratowniczych"),
    ):
        assert term in names[code], (code, names[code])
        assert short_term in short_indicator_name(code, pl), (code, short_indicator_name(code, pl))
    assert pl("per 1,000 live births") == "na 1000 urodzeń żywych"


@pytest.mark.parametrize(
    "row, column",
    [
        ("SF14.5,Odsetek czegoś innego,Liczba,why", "printed"),
        ("XX1.1,Cokolwiek,Liczba,why", "code"),
        ("SF14.5,Odsetek przestępstw z użyciem przemocy na 100 000 mieszkańców,,why", "name_pl"),
    ],
)
def test_a_bad_corrected_name_names_file_line_and_column(tmp_path, row, column):
    from analysis.data.cleaning import load_indicator_names_pl
    from analysis.data.parsing import CellParseError

    path = tmp_path / "indicator_names_pl.csv"
    path.write_text("code,printed,name_pl,reason\n" + row + "\n", encoding="utf-8")
    with pytest.raises(CellParseError) as caught:
        load_indicator_names_pl(path, labels.printed_indicator_names_pl())
    assert "indicator_names_pl.csv:2" in str(caught.value) and column in str(caught.value)


@pytest.mark.parametrize(
    "row, column",
    [
        ("XX1.1,tax collection,ściągalność podatków,l,h,n,w,,,why", "code"),
        ("FN9.4,tax collection,,l,h,n,w,,,why", "short_pl"),
        ("FN9.4,tax collection,ściągalność podatków,l,h,n,w,,,", "reason"),
        ("FN9.4,a,b,l,h,n,w,,,why\nFN9.4,c,d,l,h,n,w,,,why", "code"),
        # Each direction written out (a Polish adjective agrees with its noun: "niższa ściągalność", "wyższe stężenie").
        ("FN9.4,tax collection,ściągalność podatków,l,h,,w,,,why", "lower_pl"),
        # Why a direction is debatable, in both languages or in neither.
        ("TR18.4,car ownership,liczba samochodów,l,h,n,w,car ownership also follows household income,,why", "why_debatable_pl"),
        ("TR18.4,car ownership,liczba samochodów,l,h,n,w,,liczba samochodów zależy także od zamożności,why", "why_debatable_en"),
    ],
)
def test_a_bad_short_name_names_file_line_and_column(tmp_path, row, column):
    from analysis.data.cleaning import load_indicator_metadata, load_indicator_short_names
    from analysis.data.parsing import CellParseError

    path = tmp_path / "indicator_short_names.csv"
    header = "code,short_en,short_pl,lower_en,higher_en,lower_pl,higher_pl,why_debatable_en,why_debatable_pl,reason\n"
    path.write_text(header + row + "\n", encoding="utf-8")
    with pytest.raises(CellParseError) as caught:
        load_indicator_short_names(path, codes=load_indicator_metadata()["code"])
    line = 2 + row.count("\n")
    assert f"indicator_short_names.csv:{line}" in str(caught.value) and column in str(caught.value)


def test_every_ranked_indicator_has_a_short_name():
    """Issue 18: the box names its claims by short names (five officials read every word of it; "Stężenie drobnego
    pyłu zawieszonego (PM2,5) [µg/m³]" became "pył PM2,5"). Any ranked indicator (a polarity, comparable across cities)
    can be a claim once a report is run with other peer cities or settings (``peers=[Gdynia, Porto]``), not only the
    ones the five default pages name: without a row it fell back to its full name mid-sentence ("Mocne strony: Liczba
    nowych patentów na 100 000 mieszkańców na rok (8,8 wobec …)")."""
    from analysis.data.cleaning import load_indicator_metadata

    metadata = load_indicator_metadata()
    ranked = set(metadata.loc[(metadata["polarity"] != "neutral") & metadata["comparable_across_cities"].astype(bool), "code"])
    # 68 since four more are defined differently between cities (sanitation, voters, green area, youth unemployment); 63 since
    # poverty, homelessness and outdoor recreation space are too (the fifteenth session); 59 since police-recorded property and
    # violent crime are too, 58 since light passenger transport is (the seventeenth).
    assert len(ranked) >= 58
    for lang in ("pl", "en"):
        missing = sorted(ranked - set(labels.short_indicator_names(lang)))
        assert not missing, (lang, missing)
        # With both directions written out ("niższa ściągalność podatków"), for the bottom line.
        assert not sorted(ranked - set(labels.direction_phrases(lang))), lang


def test_every_indicator_of_debatable_direction_with_a_short_name_says_why():
    """Four officials of the ninth session: "less waste, fewer cars and less water look like good news: why is that not
    settled?". Every ranked indicator of debatable direction the first screen can name gives its reason in both
    languages, taken from the metadata's reason (``confidence_reason``), not invented for the page."""
    from analysis.data.cleaning import load_indicator_metadata

    metadata = load_indicator_metadata()
    debatable = set(metadata.loc[(metadata["polarity_confidence"] == "contested") & (metadata["polarity"] != "neutral"), "code"])
    named = debatable & set(labels.short_indicator_names("en"))
    assert {"TR18.4", "SW16.2", "WS21.4"} <= named
    for lang in ("en", "pl"):
        assert not sorted(named - set(labels.why_debatable(lang))), lang
    # A reason only where the direction is debatable: elsewhere it would say what the page does not.
    assert not set(labels.why_debatable("en")) - debatable


def test_polish_catalogue_puts_a_no_break_space_before_a_percent_sign():
    """Babel's numbers write "90 %" with a no-break space; a translation typed "90 %%" with a plain one (the
    box's ranking lines), so the line could break before the sign."""
    from babel.messages.pofile import read_po

    from analysis.text import i18n

    path = Path(i18n.__file__).parent / "locales" / "pl" / "LC_MESSAGES" / "messages.po"
    catalogue = read_po(path.open("rb"), locale="pl")
    plain = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        plain += [text for text in strings if text and re.search(r"[0-9)] %", text)]
    assert not plain, plain[:3]


@pytest.mark.parametrize(
    ("variant", "term"),
    [
        ("wariantów porównania", "wariantów obliczeń"),
        ("wariantów analizy", "wariantów obliczeń"),
        ("sporn", "dyskusyjny kierunek oceny"),
        # A Polish editor: "najmniejsza istotna różnica" is the name of Fisher's LSD test (NIR) in Polish statistics, and
        # "istotna" reads as statistically significant; the threshold is the box's "wyraźna różnica".
        ("istotn", "próg wyraźnej różnicy"),
        # The city delivered 98 % of its values: the theme has too few comparable indicators, not too little data.
        ("za mało danych do oceny", "za mało porównywalnych wskaźników"),
        ("w których kierunek oceniono", "w których przyjęto kierunek oceny"),
        # "Wszystkie łącznie" read as "all of them wrong" (they cannot all be right at once).
        ("wszystkie łącznie", "wszystkie jednocześnie"),
        # One confidence scale (a Polish editor: the same three weaknesses "wrażliwe" in one line of the box, "niepewne" in
        # the next): what the bottom line says plainly is "odporny", the rest "prawdopodobny" and "niepewny".
        ("umiarkowanie odporn", "prawdopodobny"),
        ("wrażliw", "niepewny"),
    ],
)
def test_polish_catalogue_uses_one_term_for_one_thing(variant, term):
    """A Polish editor: the box says "warianty obliczeń" and "dyskusyjny kierunek oceny", a note below "warianty
    porównania", a column "warianty analizy", the method "sporne kierunki": a reader takes three words for three things."""
    from babel.messages.pofile import read_po

    from analysis.text import i18n

    path = Path(i18n.__file__).parent / "locales" / "pl" / "LC_MESSAGES" / "messages.po"
    catalogue = read_po(path.open("rb"), locale="pl")
    found = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found += [text[:80] for text in strings if text and variant in text]
    assert not found, (term, found[:3])


def test_formatting_a_number_does_not_import_pandas():
    """A rebuild with nothing changed formats a variant's integer parameters for the index pages; ``Lang.num`` imported
    pandas to test for a missing value, half a second of a 1.5 s rebuild (make bench)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from analysis.text.i18n import Lang\n"
        "assert 'pandas' not in sys.modules, 'imported by i18n itself'\n"
        "tr = Lang('pl')\n"
        "assert tr.int(4) == '4' and tr.num(float('nan')) == tr.num(None) and tr.num(2.25) == '2,3'\n"
        "import numpy\n"
        "assert tr.num(numpy.float32('nan')) == tr.num(None)\n"
        "assert 'pandas' not in sys.modules\n"
        "import pandas\n"
        "assert tr.num(pandas.NA) == tr.num(None) and tr.num(pandas.NaT) == tr.num(None)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
