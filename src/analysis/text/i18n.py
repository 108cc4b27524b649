"""Every sentence a reader sees, in Polish or English, and numbers as each language writes them.

English is the source language: reader-facing text is written in English in the
code and passed through a :class:`Lang`, which looks it up in the gettext
catalogue of the page's language (``locales/<lang>/LC_MESSAGES/messages.po``, read
with Babel; kept with ``pybabel extract``/``update`` by ``python -m analysis.text.catalogue``,
i.e. ``make i18n``, from the template ``locales/messages.pot``). Placeholders use
``str.format`` names so a translation may reorder them::

    tr = Lang("pl")
    tr("{city} ranks first on {n} indicators", city=city, n=tr.int(16))
    tr.plural("{n} rater", "{n} raters", 44, n=tr.int(44))

City names are declined in Polish: a translation writes ``{city:gen}``, ``{city:dat}``, ``{city:acc}``,
``{city:ins}`` or ``{city:loc}`` where the English has ``{city}`` (``"Strengths of {city}"`` →
``"Mocne strony {city:gen}"`` → *Mocne strony Kielc*), in templates ``%(city:gen)s``. The forms come
from ``data/raw/city_names_pl.csv``; a city without a row there is named with the noun *miasto*
declined in front of it (*Mocne strony miasta Testville*), and English ignores the case.

Numbers go through Babel with the page's locale: ``tr.num(1234.5, 1)`` is
``'1234,5'`` in Polish (CLDR: Polish groups digits only from five-digit numbers,
``12 345``, with a no-break space) and ``'1,234.5'`` in English.

Missing translations are an error in tests (``tests/test_i18n.py``), never a
silent fallback in a published page: :meth:`Lang.__call__` falls back to the
English text only so that a researcher's exploratory call does not crash.
"""

from __future__ import annotations

import math
import string
import sys
from functools import cache
from pathlib import Path

from analysis.config import LANGUAGES, check_language  # noqa: F401  (re-exported)

LOCALES = {"pl": "pl_PL", "en": "en_GB"}
LOCALE_DIR = Path(__file__).resolve().parent / "locales"
# CLDR's minimumGroupingDigits: Polish writes 1234 but 12 345 (Babel does not apply it).
MIN_GROUPING_DIGITS = {"pl": 2, "en": 1}
NO_DATA = "–"


@cache
def catalogue(lang: str) -> dict:
    """msgid → translation (a str, or a tuple of plural forms) for ``lang``; empty for English."""
    from babel.messages.pofile import read_po

    check_language(lang)
    messages: dict = {}
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    for po_path in sorted(folder.glob("*.po")):
        with po_path.open("rb") as handle:
            for message in read_po(handle, locale=LOCALES[lang]):
                if not message.id or message.fuzzy:
                    continue
                key = message.id if isinstance(message.id, str) else tuple(message.id)
                if isinstance(message.string, str):
                    if message.string:
                        messages[key] = message.string
                elif message.string and all(message.string):
                    messages[key] = tuple(message.string)
    return messages


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is defined (``pybabel extract`` finds it); it is
    translated where it is shown, with :meth:`Lang.text`."""
    return message


# The format specs a translation may put after a city's placeholder, and the Polish case each names.
CASES = {"gen": "genitive", "dat": "dative", "acc": "accusative", "ins": "instrumental", "loc": "locative"}
# The noun "miasto" (city) in each case, put before the name of a city without declined forms.
MIASTO = {"nom": "miasto", "gen": "miasta", "dat": "miastu", "acc": "miasto", "ins": "miastem", "loc": "mieście"}


class _Formatter(string.Formatter):
    """``str.format`` whose specs ``gen``/``dat``/``acc``/``ins``/``loc`` decline a city name."""

    def __init__(self, lang: Lang):
        self.lang = lang

    def format_field(self, value, format_spec):
        if format_spec in CASES:
            return self.lang.decline(value, format_spec)
        return super().format_field(value, format_spec)


class Lang:
    """Translator and number formatter for one language (``'pl'`` or ``'en'``)."""

    def __init__(self, lang: str = "en"):
        self.lang = check_language(lang)
        self.locale = LOCALES[lang]
        self._messages = catalogue(lang)

    def __repr__(self) -> str:
        return f"Lang({self.lang!r})"

    # --- text -------------------------------------------------------------------------
    def text(self, message: str) -> str:
        """The translation of ``message`` (the English text itself in English)."""
        if self.lang == "en":
            return message
        return self._messages.get(message, message)

    def __call__(self, message: str, **values) -> str:
        """Translate ``message`` and fill its ``{placeholders}`` with ``values``."""
        text = self.text(message)
        return _Formatter(self).vformat(text, (), values) if values else text

    def decline(self, city, case: str) -> str:
        """``city`` in the Polish ``case`` (``gen``, ``dat``, ``acc``, ``ins``, ``loc``); as it is in English.

        >>> Lang("pl").decline("Kielce", "loc"), Lang("pl").decline("Testville", "gen"), Lang("en").decline("Kielce", "loc")
        ('Kielcach', 'miasta Testville', 'Kielce')
        """
        if case not in CASES:
            raise ValueError(f"unknown case {case!r}; expected one of {', '.join(CASES)}")
        name = str(city)
        if self.lang != "pl":
            return name
        from analysis.data.labels import city_case_forms_pl

        forms = city_case_forms_pl().get(name)
        return forms[CASES[case]] if forms else f"{MIASTO[case]} {name}"

    def has(self, message: str) -> bool:
        return self.lang == "en" or message in self._messages

    def plural(self, singular: str, plural: str, count: int, **values) -> str:
        """The form of a message for ``count`` (Polish has three: 1 / 2–4 / 5+)."""
        return _Formatter(self).vformat(self.plural_form(singular, plural, count), (), values)

    def plural_form(self, singular: str, plural: str, count) -> str:
        """The translated form of a plural message for ``count``, its placeholders unfilled: Babel's
        plural rule of the page's locale picks it (also for the templates' ``ngettext``)."""
        from babel import Locale

        if self.lang == "en":
            return singular if count == 1 else plural
        forms = self._messages.get((singular, plural))
        if forms is None:
            return singular if count == 1 else plural
        rule = Locale.parse(self.locale).plural_form
        index = {"one": 0, "few": 1, "many": 2, "other": 2}[rule(abs(count))]
        return forms[min(index, len(forms) - 1)]

    # --- numbers ----------------------------------------------------------------------
    def num(self, value, decimals: int = 1, *, signed: bool = False) -> str:
        """``value`` with exactly ``decimals`` decimals in this language; '–' for no data."""
        from babel.numbers import format_decimal

        if value is None or (isinstance(value, float) and math.isnan(value)) or _is_na(value):
            return NO_DATA
        from decimal import ROUND_HALF_UP, Decimal

        # Half-up, as the source document rounds (2.25 → 2.3), not Babel's half-even.
        exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if exact == 0:
            exact = abs(exact)  # −0.001 rounds to 0, never to "−0"
        grouped = abs(exact) >= 10 ** (3 + MIN_GROUPING_DIGITS[self.lang] - 1)
        pattern = ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals > 0 else "")
        text = format_decimal(exact, format=pattern, locale=self.locale, decimal_quantization=True)
        text = text.replace("-", "\u2212")
        if signed and exact > 0:
            text = "+" + text
        return text

    def int(self, value) -> str:
        return self.num(value, 0)

    def auto(self, value, *, signed: bool = False) -> str:
        """``value`` with decimals fitting its size (:func:`auto_decimals`): ``144200`` → ``'144 200'``,
        ``99.78`` → ``'99,8'``, ``1.01`` → ``'1,01'``, ``0.0007`` → ``'0,0007'``, ``0`` → ``'0'``."""
        if value is None or _is_na(value):
            return NO_DATA
        return self.num(value, auto_decimals(float(value)), signed=signed)

    def pct(self, value, decimals: int = 0) -> str:
        """A value already in percent (``12.5`` → ``'12,5 %'`` in Polish, ``'12.5%'`` in English)."""
        if self.num(value, decimals) == NO_DATA:
            return NO_DATA
        number = self.num(value, decimals)
        return f"{number}\u00a0%" if self.lang == "pl" else f"{number}%"

    def share(self, value, decimals: int = 0) -> str:
        """A share 0–1 as a percentage (``0.96`` → ``'96 %'``)."""
        if value is None or self.num(value, decimals) == NO_DATA:
            return NO_DATA
        return self.pct(float(value) * 100, decimals)

    def yes_no(self, value) -> str:
        """'tak'/'nie' (yes/no) for a boolean; '–' for no value."""
        if value is None or (not isinstance(value, (bool,)) and _is_na(value)):
            return NO_DATA
        return self.text("yes") if bool(value) else self.text("no")

    def ordinal(self, n) -> str:
        """A place in a ranking: ``'3.'`` in Polish, ``'3rd'`` in English (CLDR's ordinal rule, through Babel,
        picks the English suffix).

        >>> Lang("en").ordinal(3), Lang("en").ordinal(11), Lang("en").ordinal(22), Lang("pl").ordinal(3)
        ('3rd', '11th', '22nd', '3.')
        """
        from babel import Locale

        n = int(n)
        if self.lang == "pl":
            return f"{n}."
        form = Locale.parse(self.locale).ordinal_form(n)
        return f"{n}{ {'one': 'st', 'two': 'nd', 'few': 'rd'}.get(form, 'th') }"

    def join(self, items) -> str:
        """``a, b and c`` in this language."""
        from babel.lists import format_list

        items = [str(item) for item in items]
        return format_list(items, locale=self.locale) if items else ""


def auto_decimals(value: float) -> int:
    """Decimals that show ``value`` sensibly when rows of a table have different units:
    none from 1000 up (or for 0), one from 10 (so 99.78 % stays 99.8, not 100), two from 1,
    and below 1 enough for two significant digits (at most four decimals)."""
    size = abs(value)
    if size == 0 or size >= 1000:
        return 0
    if size >= 10:
        return 1
    if size >= 1:
        return 2
    return min(4, 1 - math.floor(math.log10(size)))


def _is_na(value) -> bool:
    """Whether ``value`` is a missing value of pandas or numpy. Without importing pandas: a value of pandas exists only
    once pandas is imported, and the import alone took half of a rebuild with nothing changed (the index pages format
    a variant's integer parameters)."""
    pd = sys.modules.get("pandas")
    if pd is None:
        try:
            return bool(value != value)  # NaN of any float type, numpy's too
        except (TypeError, ValueError):
            return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
