"""Names of indicators, themes, maturity areas and dimensions in Polish and English.

The Polish names are the ones printed in the source (``data/raw/``), never
re-translated: indicator and theme names from the ISO 37120 table, area and
dimension names from the maturity tables. Only presentation changes: the printed
tier suffix ``(wskaźnik podstawowy)`` is dropped (the tier has its own column),
headings printed in capitals are set in sentence case, ``<sub>``/``<sup>`` digits
become sub- and superscript characters (``m²``, ``NO₂``; ``PM2,5`` stays on the line), a code printed at the start of a name (the water theme prints
``WS21.01 Odsetek …``: the code has its own column) is dropped, and the source's evident misprints (:data:`SOURCE_MISPRINTS`, such
as Arabic letters inside a Polish word) are corrected for display. The one theme the source prints without a heading
(economy) takes its Polish name from ``data/raw/theme_labels.csv``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from analysis import config
from analysis.config import check_language

_TIER_SUFFIX = re.compile(r"\s*\(wskaźnik (podstawowy|pomocniczy)\)")
_SUB_SUP = re.compile(r"\s*<su([bp])>\s*(.*?)\s*</su[bp]>")
_LEADING_CODE = re.compile(r"^[A-Z]{2}\d{1,2}\.\s?\d{1,2}\s+")
# Misprints in the printed table, corrected only where a name is shown (data/raw stays verbatim):
# EV8.5 prints "dیتlenku" (two Arabic letters inside "dwutlenku", sulphur dioxide).
# EV8.4 prints "dinitlenku azotu" for NO2, nitrogen dioxide ("ditlenku"/"dwutlenku azotu"; "dinitlenek" is N2O4's
# fragment, a chemistry error a reader would quote).
SOURCE_MISPRINTS = {"d\u06cc\u062alenku": "dwutlenku", "dinitlenku azotu": "dwutlenku azotu"}


def sentence_case(text: str) -> str:
    """``'ODPADY STAŁE'`` → ``'Odpady stałe'`` (text already in mixed case is kept)."""
    if text != text.upper():
        return text
    lowered = text.lower()
    return lowered[:1].upper() + lowered[1:]


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _script(match: re.Match) -> str:
    """``m <sup>2</sup>`` → ``m²``, ``NO <sub>2</sub>`` → ``NO₂``; a particle size stays on the line as Polish and
    English write it (``PM <sub>2,5</sub>`` → ``PM2,5``), and anything but digits loses only its tags."""
    inner = match.group(2)
    if not inner.isdigit() or match.string[: match.start()].endswith("PM"):
        return inner
    return inner.translate(_SUPERSCRIPT if match.group(1) == "p" else _SUBSCRIPT)


def plain_label(text: str) -> str:
    """A printed name without the tier suffix and markup tags (sub- and superscript digits as characters)."""
    text = " ".join(_SUB_SUP.sub(_script, _TIER_SUFFIX.sub("", text)).split())
    text = _LEADING_CODE.sub("", text)
    return re.sub(r"\s+([)\]])", r"\1", text)


def _corrected(text: str) -> str:
    for misprint, correction in SOURCE_MISPRINTS.items():
        text = text.replace(misprint, correction)
    return text


@lru_cache(maxsize=4)
def _iso_labels(iso_path: str, metadata_path: str, themes_path: str) -> tuple[dict, dict, dict, dict]:
    from analysis.data.cleaning import load_indicator_metadata
    from analysis.data.parsing import canonical_code

    table = pd.read_csv(iso_path, sep="\t", dtype=str, keep_default_na=False)
    metadata = load_indicator_metadata(metadata_path).set_index("code")
    indicator_pl, theme_pl = {}, {}
    for printed, name, theme in zip(table["code_printed"], table["indicator_pl"], table["theme_pl"]):
        code = canonical_code(printed)
        indicator_pl[code] = _corrected(plain_label(name))
        if theme.strip() and code in metadata.index:
            theme_pl.setdefault(metadata.at[code, "theme"], sentence_case(theme.strip()))
    from analysis.data.cleaning import load_theme_labels

    # theme_labels.csv names the themes printed without a heading, and corrects a printed heading
    # whose Polish is wrong or ambiguous (each row with its reason); the printed heading stays in the raw table.
    for theme, name in load_theme_labels(themes_path).items():  # validated as make data validates it
        theme_pl[theme] = name
    from pathlib import Path

    from analysis.data.cleaning import load_indicator_names_pl

    # indicator_names_pl.csv corrects printed names whose Polish is wrong or misleading ("Odsetek … na 100 000"),
    # each row anchored to the printed name and with its reason; the printed label stays in the raw table.
    corrections = Path(iso_path).parent / "indicator_names_pl.csv"
    if corrections.exists():
        indicator_pl.update(load_indicator_names_pl(corrections, printed=dict(indicator_pl)))
    indicator_en = {code: plain_label(name) for code, name in metadata["indicator"].items()}
    theme_en = {theme: theme for theme in metadata["theme"]}
    return indicator_pl, indicator_en, theme_pl, theme_en


def short_indicator_names(lang: str) -> dict[str, str]:
    """Indicator code → the short name the first screen's running text uses (``data/raw/indicator_short_names.csv``);
    an indicator without a row is not in it.

    Examples
    --------
    >>> from analysis.data.labels import short_indicator_names
    >>> short_indicator_names("pl")["FN9.4"], short_indicator_names("en")["FN9.4"]
    ('ściągalność podatków', 'tax collection rate')
    """
    paths = config.paths()
    return dict(_short_names(str(paths.raw / "indicator_short_names.csv"), str(paths.indicator_metadata))[check_language(lang)])


def direction_phrases(lang: str) -> dict[str, dict[str, str]]:
    """Indicator code → ``{"lower": …, "higher": …}``, the phrases that say the city's value is lower or higher than
    the peer median, in running text (``data/raw/indicator_short_names.csv``); an indicator without a row is not in it.

    Examples
    --------
    >>> from analysis.data.labels import direction_phrases
    >>> direction_phrases("pl")["FN9.4"]["lower"], direction_phrases("en")["HL12.1"]["higher"]
    ('niższa ściągalność podatków', 'higher life expectancy')
    """
    paths = config.paths()
    lang = check_language(lang)
    names = _short_names(str(paths.raw / "indicator_short_names.csv"), str(paths.indicator_metadata))
    lower, higher = names.get(f"lower_{lang}", {}), names.get(f"higher_{lang}", {})
    return {code: {"lower": lower[code], "higher": higher[code]} for code in lower}


def why_debatable(lang: str) -> dict[str, str]:
    """Indicator code → why its better direction is debatable, in a clause that holds on either side of the median
    (``data/raw/indicator_short_names.csv``, ``why_debatable_*``); only the indicators of debatable direction that the
    first screen can name have one.

    Examples
    --------
    >>> from analysis.data.labels import why_debatable
    >>> why_debatable("en")["TR18.4"]
    'car ownership also follows household income'
    """
    paths = config.paths()
    names = _short_names(str(paths.raw / "indicator_short_names.csv"), str(paths.indicator_metadata))
    return dict(names.get(f"why_{check_language(lang)}", {}))


@lru_cache(maxsize=4)
def _short_names(path: str, metadata_path: str) -> dict[str, dict[str, str]]:
    from pathlib import Path

    from analysis.data.cleaning import load_indicator_metadata, load_indicator_short_names

    if not Path(path).exists():
        return {"en": {}, "pl": {}}
    return load_indicator_short_names(path, codes=load_indicator_metadata(metadata_path)["code"])


def printed_indicator_names_pl() -> dict[str, str]:
    """Indicator code → the Polish name as printed (tier suffix, tags and misprints handled as for display), before
    the corrections of ``data/raw/indicator_names_pl.csv``."""
    from analysis.data.parsing import canonical_code

    table = pd.read_csv(config.paths().iso_table, sep="\t", dtype=str, keep_default_na=False)
    return {canonical_code(printed): _corrected(plain_label(name)) for printed, name in zip(table["code_printed"], table["indicator_pl"])}


def _label_sources() -> tuple[str, str, str]:
    """The raw files the names come from, resolved now (the cache is keyed by them)."""
    paths = config.paths()
    return str(paths.iso_table), str(paths.indicator_metadata), str(paths.theme_labels_csv)


def indicator_names(lang: str) -> dict[str, str]:
    """Indicator code → name in ``lang`` (Polish as printed in the ISO 37120 table).

    Examples
    --------
    >>> import analysis
    >>> analysis.indicator_names("pl")["EC5.1"], analysis.indicator_names("en")["EC5.1"]
    ('Stopa bezrobocia', "City's unemployment rate")
    """
    pl, en, _, _ = _iso_labels(*_label_sources())
    return dict(pl if check_language(lang) == "pl" else en)


def theme_names(lang: str) -> dict[str, str]:
    """English theme name (the key used in the data) → name in ``lang``.

    Examples
    --------
    >>> import analysis
    >>> analysis.theme_names("pl")["Solid waste"]
    'Odpady komunalne'
    """
    _, _, pl, en = _iso_labels(*_label_sources())
    return dict(pl if check_language(lang) == "pl" else en)


@lru_cache(maxsize=4)
def _maturity_labels(path: str, key: str) -> pd.DataFrame:
    from pathlib import Path

    from analysis.data.cleaning import load_maturity_model

    path = Path(path)
    return load_maturity_model(path.name, path.parent).drop(columns="line").set_index(key)


def area_names(lang: str) -> dict[str, str]:
    """Area id (``digital`` …) → name in ``lang`` (Polish as printed in section 4).

    Examples
    --------
    >>> import analysis
    >>> analysis.area_names("pl")["safety"], analysis.area_names("en")["safety"]
    ('Bezpieczeństwo', 'Safety')
    """
    table = _maturity_labels(str(config.paths().maturity_areas), "area")
    column = "name_pl" if check_language(lang) == "pl" else "name_en"
    return {area: sentence_case(name) for area, name in table[column].items()}


def dimension_names(lang: str) -> dict[str, str]:
    """Dimension id (``strategy`` …) → name in ``lang`` (Polish as printed in the score tables).

    Examples
    --------
    >>> import analysis
    >>> analysis.dimension_names("pl")["data"]
    'Informacje i dane'
    """
    table = _maturity_labels(str(config.paths().maturity_dimensions), "dimension")
    column = "score_table_label_pl" if check_language(lang) == "pl" else "name_en"
    return dict(table[column].items())


@lru_cache(maxsize=4)
def _city_names_pl(path: str) -> dict[str, dict[str, str]]:
    from analysis.data.cleaning import load_city_names_pl

    return load_city_names_pl(path)


def city_case_forms_pl() -> dict[str, dict[str, str]]:
    """City → its Polish case forms (``genitive``, ``dative``, ``accusative``, ``instrumental``, ``locative``),
    from ``data/raw/city_names_pl.csv``; a city without a row is not in it.

    Examples
    --------
    >>> import analysis
    >>> from analysis.data.labels import city_case_forms_pl
    >>> city_case_forms_pl()["Kielce"]["locative"]
    'Kielcach'
    """
    return {city: dict(forms) for city, forms in _city_names_pl(str(config.paths().raw / "city_names_pl.csv")).items()}


@lru_cache(maxsize=4)
def _country_names_pl(path: str) -> dict[str, str]:
    from analysis.data.cleaning import load_country_names_pl

    return load_country_names_pl(path)


def country_names_pl() -> dict[str, str]:
    """Country code → the Polish name the pages show where official Polish differs from CLDR's, from
    ``data/raw/country_names_pl.csv``; a country without a row is named as CLDR names it.

    Examples
    --------
    >>> import analysis
    >>> from analysis.data.labels import country_names_pl
    >>> country_names_pl()["NL"]
    'Niderlandy'
    """
    return dict(_country_names_pl(str(config.paths().raw / "country_names_pl.csv")))
