"""What every page's words share: escaping, headings, names, units and flag markers.

Each of these exists once. A value that comes from data (a city, a rater label, an
area name read from ``data/raw/``) is passed through :func:`md_escape` before it is
put into Markdown, so it is shown as text and never read as markup.
"""

from __future__ import annotations

import html
import re

from analysis.data import labels
from analysis.text.i18n import Lang

_MD_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")

# What the markers after a value mean: a doubtful value (warning), one that cannot be right as printed (error).
FLAG_MARKERS = {"warning": "\u00a0⚠", "error": "\u00a0✖"}  # a marker never starts a line alone (an editor)


def md_escape(text) -> str:
    """``text`` safe inside Markdown: HTML-escape ``< > &``, then backslash-escape Markdown specials.

    >>> md_escape("<1> & Co.")
    '&lt;1&gt; &amp; Co\\\\.'
    """
    return _MD_SPECIALS.sub(r"\\\1", html.escape(str(text), quote=False))


def heading(text: str, level: int = 2, *, number: int | None = None) -> str:
    """A Markdown heading: ``heading("Raters", number=5)`` is ``'## 5. Raters'``."""
    return "#" * level + " " + (f"{number}. {text}" if number else text)


def flag_marker(flag: str | None) -> str:
    """The marker shown after a flagged value (empty for none)."""
    return FLAG_MARKERS.get(flag or "", "")


def indicator_name(code: str, tr: Lang) -> str:
    """The indicator's name in ``tr``'s language (Polish as printed in the source), else its code."""
    return labels.indicator_names(tr.lang).get(code, code)


def short_indicator_name(code: str, tr: Lang) -> str:
    """The indicator's short name for running text ("tax collection"), else its full name (:func:`indicator_name`)."""
    return labels.short_indicator_names(tr.lang).get(code) or indicator_name(code, tr)


def theme_name(theme: str, tr: Lang) -> str:
    """The theme's name in ``tr``'s language, else the English theme."""
    return labels.theme_names(tr.lang).get(theme, theme)


def area_name(area: str, tr: Lang) -> str:
    return labels.area_names(tr.lang).get(area, area)


def dimension_name(dimension: str, tr: Lang) -> str:
    return labels.dimension_names(tr.lang).get(dimension, dimension)


def unit_label(unit: str, tr: Lang) -> str:
    """A unit of measure as the page's language writes it (the metadata keeps English units). English groups digits
    with a comma, as its numbers do (an English editor: "51,907 vs a median of 25,172 per 100 000"), and says of whom."""
    units = {
        "per 100 000": tr("per 100,000 residents"),
        "km per 100 000": tr("km per 100,000 residents"),
        "ha per 100 000": tr("ha per 100,000 residents"),
        "per 1 000 live births": tr("per 1,000 live births"),
        "per capita": tr("per capita"),
        "t per capita": tr("t per capita"),
        "m2 per capita": tr("m² per capita"),
        "l/day per capita": tr("l/day per capita"),
        "kWh/year per capita": tr("kWh/year per capita"),
        "trips per capita": tr("trips per capita"),
        "per customer": tr("per customer"),
        "kWh/m2": tr("kWh/m²"),
        "µg/m3": tr("µg/m³"),
        "ratio": tr("ratio"),
        "hours": tr("hours"),
        "years": tr("years"),
        "min": tr("min"),
        "destinations": tr("destinations"),
    }
    return units.get(unit, unit)
