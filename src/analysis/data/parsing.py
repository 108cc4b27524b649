"""Parse the cells of the printed tables.

The source prints numbers the Polish way (``7,7%``), with spaces as thousand
separators and sometimes a dot decimal (``42 490.79``), a reference year in
brackets (``(2016)``), a unit inside the cell (``%``, ``min``) and ``bd`` (brak
danych, no data) in several spellings. Everything here is pure: strings in,
values out, and a :class:`CellParseError` for anything that is not well formed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


class CellParseError(ValueError):
    """A printed cell that cannot be read.

    ``file``, ``row`` (indicator code or rater), ``column`` and ``text`` say where
    and what; the context fields are ``None`` when :func:`parse_cell` is called on
    a bare string and are filled in by the loaders.
    """

    def __init__(self, reason: str, text: str, *, file=None, row=None, column=None, line=None):
        self.reason = reason
        self.text = text
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.line = line
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file + (f":{self.line}" if self.line is not None else ""))
        if self.row is not None:
            where.append(f"row {self.row!r}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        return f"{prefix + ': ' if prefix else ''}cannot parse {_shortened(self.text)!r}: {self.reason}"

    def located(self, *, file=None, row=None, column=None, line=None) -> CellParseError:
        """Return a copy of this error with its location filled in."""
        return CellParseError(
            self.reason,
            self.text,
            file=file if file is not None else self.file,
            row=row if row is not None else self.row,
            column=column if column is not None else self.column,
            line=line if line is not None else self.line,
        )


def _shortened(text: str, limit: int = 200) -> str:
    """A cell as an error message shows it: a 400-digit number or a 100 000-character field is cut."""
    return text if len(text) <= limit else f"{text[:60]}… ({len(text)} characters)"


@dataclass(frozen=True)
class ParsedCell:
    """One printed indicator cell: ``value`` in the printed unit, or ``missing``."""

    value: float | None
    unit: str | None  # unit printed inside the cell ("%" or "min"), None when none was printed
    year: int | None  # reference year printed in brackets, None when none was printed
    missing: bool


MISSING_SPELLINGS = frozenset({"bd", "(bd)", "bd (bd)"})
CELL_UNITS = ("%", "min")

# A number is either digits grouped by single spaces in threes (``42 490.79``,
# ``144 200``) or plain digits (``4226,05``); either may carry a decimal part
# after a comma or a dot. A minus sign is allowed for percentage changes. Digits are
# ASCII only: ``\d`` also takes Arabic-Indic digits, and ``str.isdigit`` superscripts.
_NUMBER = r"-?(?:[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?:[.,][0-9]+)?"
_CELL = re.compile(rf"^(?P<number>{_NUMBER})\s?(?P<unit>%|min)?(?:\s?\((?P<year>[0-9]{{4}})\))?$")
MIN_YEAR, MAX_YEAR = 1900, 2100


def parse_number(text: str) -> float:
    """Parse a printed number: ``'42 490.79'`` → 42490.79, ``'7,7'`` → 7.7."""
    stripped = text.strip()
    if not re.fullmatch(_NUMBER, stripped):
        raise CellParseError("not a number", text)
    if _too_precise(stripped):
        # A sweep: 123456789012345678901 was read as 1.2345678901234568e+20, silently rounded.
        raise CellParseError(TOO_PRECISE, text)
    value = float(stripped.replace(" ", "").replace(",", "."))
    if not math.isfinite(value):
        raise CellParseError(NOT_FINITE, text)
    return value


NOT_FINITE = "not a finite number: too many digits"


def printed_half_unit(text) -> float:
    """Half the unit of the last digit a cell prints: ``'97% (2016)'`` → 0.5, ``'98,18%'`` → 0.005, ``'23 708,15
    (2011)'`` → 0.005; NaN for a missing value or anything that is not a printed number. A value printed as 97 lies
    somewhere from 96.5 to 97.5: a gap between two printed values is known only to within the sum of their halves."""
    if not isinstance(text, str):
        return math.nan
    match = _CELL.match(" ".join(text.split()))
    if match is None:
        return math.nan
    _, _, fraction = match.group("number").replace(",", ".").partition(".")
    return 0.5 * 10.0 ** -len(fraction)


def _too_precise(number: str) -> bool:
    """More significant digits than :data:`MAX_DIGITS` (leading zeros and a fraction's trailing zeros do not count)."""
    whole, _, fraction = "".join(number.lstrip("-").split()).replace(",", ".").partition(".")
    return len((whole + fraction.rstrip("0")).lstrip("0")) > MAX_DIGITS


# A float holds 15 significant decimal digits exactly: a number with more would be rounded without a word.
MAX_DIGITS = 15
TOO_PRECISE = f"more than {MAX_DIGITS} significant digits, more than a float holds exactly"


def parse_cell(text: str) -> ParsedCell:
    """Parse one printed ISO 37120 cell.

    ``'7,7% (2016)'`` → value 7.7, unit ``'%'``, year 2016; ``'13,60%'`` → year
    ``None``; ``'bd'``, ``'(bd)'`` and ``'bd (bd)'`` → missing. Raises
    :class:`CellParseError` for anything else (empty cells included).
    """
    if not isinstance(text, str):
        raise CellParseError("not text", repr(text))
    stripped = " ".join(text.split())
    if stripped in MISSING_SPELLINGS:
        return ParsedCell(value=None, unit=None, year=None, missing=True)
    if not stripped:
        raise CellParseError("empty cell", text)
    match = _CELL.match(stripped)
    if match is None:
        raise CellParseError("expected a number, an optional % or min and an optional (year), or bd", text)
    year = match.group("year")
    if year is not None:
        year = int(year)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CellParseError(f"reference year {year} outside {MIN_YEAR}-{MAX_YEAR}", text)
    return ParsedCell(
        value=parse_number(match.group("number")),
        unit=match.group("unit"),
        year=year,
        missing=False,
    )


_CODE = re.compile(r"^(?P<prefix>[A-Z]{2})\.?(?P<theme>[0-9]{1,2})\.(?P<number>[0-9]{1,2}(?: [0-9])?)$")


def canonical_code(printed: str) -> str:
    """Canonical ISO 37120 code of a printed one.

    The source drops or adds dots and zero-pads: ``EV.8.4`` → ``EV8.4``,
    ``HL.12.1`` → ``HL12.1``, ``GV11.01`` → ``GV11.1``. The solid-waste rows are
    printed with a stray space (``SW16.0 1`` → ``SW16.1``, ``SW16.1 0`` →
    ``SW16.10``).
    """
    match = _CODE.match(printed.strip())
    if match is None:
        raise CellParseError("not an ISO 37120 indicator code", printed)
    number = int(match.group("number").replace(" ", ""))
    if number == 0:
        raise CellParseError("indicator number 0 does not exist", printed)
    return f"{match.group('prefix')}{int(match.group('theme'))}.{number}"


def rater_id(label: str) -> str:
    """Identity of a stakeholder rater across areas.

    One unit is printed ``UKS(1)`` in one area and ``UKŚ (1)`` in another: fold
    diacritics, drop markup and spaces before a bracket, collapse whitespace.
    """
    text = re.sub(r"</?[a-z]+>", "", label)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.split())
    text = re.sub(r"\s+\(", "(", text)
    if not text:
        raise CellParseError("empty rater label", label)
    return text


def parse_score(text: str) -> tuple[int, int]:
    """Parse a maturity score: ``'2'`` → (2, 2); an expert range ``'1-2'`` → (1, 2).

    Both ends are kept: a range is never rounded to one number. Scores are on the
    1–5 scale and a range must go upwards.
    """
    stripped = " ".join(str(text).split())
    match = re.fullmatch(r"([1-5])(?:\s?[-–]\s?([1-5]))?", stripped)
    if match is None:
        raise CellParseError("expected a maturity level 1-5 or a range such as 1-2", text)
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    if high <= low and match.group(2):
        raise CellParseError("a range must go from the lower to the higher level", text)
    return low, high


def parse_published_mean(text: str) -> Decimal:
    """Parse a printed one-decimal average (``'2,1'``) exactly, as a Decimal."""
    stripped = str(text).strip()
    if not re.fullmatch(r"[1-5](?:,[0-9])?", stripped):
        raise CellParseError("expected a printed average such as 2,1", text)
    return Decimal(stripped.replace(",", "."))


def round_half_up(value, places: int = 1) -> Decimal:
    """Round the way the report does: 2.25 → 2.3 (Python's ``round`` gives 2.2).

    ``value`` may be a Fraction, Decimal, int or float; fractions are rounded exactly.
    """
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    elif not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# The grammar of _CELL applied to raw text: any whitespace run where _CELL takes one
# space after collapsing, so no separate collapsing pass is needed.
_CELL_RAW = re.compile(
    r"\s*(?:(?P<missing>bd|\(bd\)|bd\s+\(bd\))"
    r"|(?P<number>-?(?:[0-9]{1,3}(?:\s+[0-9]{3})+|[0-9]+)(?:[.,][0-9]+)?)\s*(?P<unit>%|min)?(?:\s*\((?P<year>[0-9]{4})\))?)\s*\Z"
)


def parse_cells(texts):
    """Vectorised :func:`parse_cell` over a pandas Series of printed cells.

    Returns a DataFrame aligned with ``texts``: ``value`` (float), ``unit``,
    ``year`` (Int64), ``missing`` (bool) and ``ok`` (False where a cell is not
    well formed or its year is out of range; call :func:`parse_cell` on such a
    cell for the precise error). Same grammar as :func:`parse_cell` (a property
    test checks), in one tight loop: about 2 µs a cell, where pandas' ``str``
    methods took three passes of the same cost each.
    """
    import numpy as np
    import pandas as pd

    match = _CELL_RAW.match
    nan = math.nan
    isfinite = math.isfinite
    # Python lists, turned into arrays once: setting and reading numpy elements one at a time cost as much as the match.
    value: list[float] = []
    unit: list[str | None] = []
    year: list[int] = []
    ok: list[bool] = []
    missing: list[bool] = []
    add_value, add_unit, add_year, add_ok, add_missing = value.append, unit.append, year.append, ok.append, missing.append
    for text in texts.tolist():
        found = match(text) if isinstance(text, str) else None
        if found is None:
            add_value(nan), add_unit(None), add_year(0), add_ok(False), add_missing(False)
            continue
        is_missing, number, cell_unit, cell_year = found.groups()
        if is_missing is not None:
            add_value(nan), add_unit(None), add_year(0), add_ok(True), add_missing(True)
            continue
        # A grouped number ("12 345") is the only kind with whitespace inside.
        number_value = float(number.replace(",", ".") if len(number) < 4 else "".join(number.split()).replace(",", "."))
        # A number of at most MAX_DIGITS characters cannot have more significant digits: the count is skipped for it
        # (it cost a third of the parse of a million cells, and the 10 000-city target in make bench).
        if not isfinite(number_value) or (len(number) > MAX_DIGITS and _too_precise(number)):
            add_value(nan), add_unit(None), add_year(0), add_ok(False), add_missing(False)
            continue
        cell_year_value = int(cell_year) if cell_year is not None else 0
        if cell_year is not None and not MIN_YEAR <= cell_year_value <= MAX_YEAR:
            add_value(nan), add_unit(cell_unit), add_year(0), add_ok(False), add_missing(False)
            continue
        add_value(number_value), add_unit(cell_unit), add_year(cell_year_value), add_ok(True), add_missing(False)
    value = np.array(value, dtype="float64")
    year = np.array(year, dtype=np.int64)
    ok = np.array(ok, dtype=bool)
    missing = np.array(missing, dtype=bool)
    has_year = year != 0
    return pd.DataFrame(
        {
            "value": value,
            "unit": pd.Series(unit, index=texts.index, dtype=object),
            "year": pd.arrays.IntegerArray(year, ~(has_year & ok)),
            "missing": missing,
            "ok": ok,
        },
        index=texts.index,
    )
