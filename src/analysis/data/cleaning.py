"""Load the raw tables and clean them into tidy frames.

Readers here take a path and return a validated DataFrame; nothing is written.
Every error names the file, the line, the row (indicator code or rater) and the
column of the offending cell.
"""

from __future__ import annotations

import csv
import math
import os
import re
import stat
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.data.cities import check_city_identities, city_name_from_path
from analysis.data.comparison_metadata import COMPARISON_COLUMNS, parse_comparison_columns
from analysis.data.parsing import (
    CellParseError,
    canonical_code,
    parse_cell,
    parse_cells,
    parse_number,
    parse_published_mean,
    parse_score,
    rater_id,
    round_half_up,
)
from analysis.data.schemas import (
    INDICATOR_METADATA_SCHEMA,
    INDICATORS_SCHEMA,
    MATURITY_SCORES_SCHEMA,
    PUBLISHED_MEANS_SCHEMA,
    RAW_CITY_COUNTRIES_SCHEMA,
    RAW_CITY_NAMES_PL_SCHEMA,
    RAW_COUNTRY_NAMES_PL_SCHEMA,
    RAW_MATURITY_AREAS_SCHEMA,
    RAW_MATURITY_DIMENSIONS_SCHEMA,
    RAW_MATURITY_LEVELS_SCHEMA,
    RAW_REFERENCE_RANGES_SCHEMA,
    RAW_THEME_LABELS_SCHEMA,
    RAW_UNIT_RANGES_SCHEMA,
    validate,
)
from analysis.errors import DataError

TIER_LABELS = {"wskaźnik podstawowy": "core", "wskaźnik pomocniczy": "supporting"}

# Every table of data/raw/ and what reads it through a schema at `make data` (a test checks the
# list against the folder): a file that nothing validates would be trusted unread.
RAW_TABLES = {
    "iso37120_comparison.tsv": "load_source_indicators",
    "indicator_metadata.csv": "load_indicator_metadata, knowledge.load_review",
    "indicator_relations.csv": "knowledge.load_relations",
    "unit_ranges.csv": "load_unit_ranges (from load_indicators)",
    "city_countries.csv": "load_city_countries (from load_indicators)",
    "country_names_pl.csv": "load_country_names_pl (from build.build_processed_data)",
    "city_facts.csv": "city_facts.load_city_facts (from build.build_processed_data)",
    "city_names_pl.csv": "load_city_names_pl (from build.build_processed_data)",
    "indicator_names_pl.csv": "load_indicator_names_pl (from build.build_processed_data, labels)",
    "indicator_short_names.csv": "load_indicator_short_names (from build.build_processed_data, labels)",
    "reference_ranges.csv": "load_reference_ranges (from build.build_processed_data)",
    "theme_labels.csv": "load_theme_labels (from load_source_indicators)",
    "maturity_expert_scores.tsv": "load_expert_scores",
    "maturity_stakeholder_scores.tsv": "load_stakeholder_tables",
    "maturity_levels.tsv": "load_maturity_model (from load_maturity_scores)",
    "maturity_dimensions.tsv": "load_maturity_model (from load_maturity_scores)",
    "maturity_areas.tsv": "load_maturity_model (from load_maturity_scores)",
}


def require_rows(table: pd.DataFrame, path: Path, column: str, required, what: str, *, ordered: bool = True) -> None:
    """Every value of ``required`` must have a row in ``table[column]``; a deleted one fails in one line.

    The line named is where the missing row belongs: before the next required row that is
    present (``ordered``), else after the last row.
    """
    required = list(required)
    present = dict(zip(table[column], table["line"]))
    missing = [value for value in required if value not in present]
    if not missing:
        return
    first = missing[0]
    last_line = int(table["line"].max()) + 1 if len(table) else 2
    line = last_line
    if ordered:
        later = [present[value] for value in required[required.index(first) + 1 :] if value in present]
        line = int(min(later)) if later else last_line
    shown = ", ".join(repr(value) for value in missing)
    raise DataError(f"no row for the {what} {shown}; required: {', '.join(map(str, required))}", file=path, line=line, column=column)


def _validate_raw(schema, table: pd.DataFrame, path: Path) -> None:
    """A raw table as read (text cells and ``line``) against its schema; a table of no rows has nothing to check."""
    if len(table):
        validate(schema, table.drop(columns="line"), path, lines=table["line"])


# --- curated tables of data/raw/ (the screening reads them through analysis.data.knowledge) ---------------


def load_city_countries(path: Path | str | None = None, required_cities=config.SOURCE_CITIES) -> dict[str, str]:
    """City → country code (cities without a row have no country and skip the country rule).

    Every city of the printed table must have a row: one deleted fails naming the file, line and column.
    """
    path = Path(path) if path is not None else config.paths().raw / "city_countries.csv"
    table = read_raw_table(path, sep=",", required=("city", "country", "reason"))
    _validate_raw(RAW_CITY_COUNTRIES_SCHEMA, table, path)
    require_rows(table, path, "city", required_cities, "city of the printed table")
    return dict(zip(table["city"], table["country"]))


def load_country_names_pl(path: Path | str | None = None) -> dict[str, str]:
    """Country code → the Polish name the pages show where official Polish differs from CLDR's
    (``data/raw/country_names_pl.csv``: ``country, cldr_pl, name_pl, reason, source``); a country without a row is
    named as CLDR names it.

    ``cldr_pl`` anchors each row to the name it replaces: when Babel's CLDR names the country otherwise (an update
    corrected it, or a typo), the build stops naming the file, line and column, so that no override outlives its
    reason. A repeated country, a code CLDR does not know or an empty name, reason or source stops it too.
    """
    from babel import Locale

    path = Path(path) if path is not None else config.paths().raw / "country_names_pl.csv"
    table = read_raw_table(path, sep=",", required=("country", "cldr_pl", "name_pl", "reason", "source"), allowed=())
    _validate_raw(RAW_COUNTRY_NAMES_PL_SCHEMA, table, path)
    territories = Locale.parse("pl").territories
    names: dict[str, str] = {}
    for row in table.itertuples():
        if row.country not in territories:
            raise CellParseError("not a country CLDR names", row.country, file=path, line=row.line, column="country")
        if row.cldr_pl != territories[row.country]:
            raise CellParseError(
                f"not CLDR's Polish name of {row.country} ({territories[row.country]!r})", row.cldr_pl, file=path, line=row.line, column="cldr_pl"
            )
        names[row.country] = row.name_pl.strip()
    return names


def load_reference_ranges(path: Path | str | None = None, metadata: pd.DataFrame | None = None) -> pd.DataFrame:
    """Plausible ranges of single indicators from named external references (``data/raw/reference_ranges.csv``):
    columns ``code, low, high`` (floats), ``unit, scope``, ``country`` (empty: the range holds for every city; a
    two-letter code of ``city_countries.csv``: only for that country's cities), ``approximate`` (bool), ``source,
    year, note, line``.

    A code that is not an indicator, a unit other than the indicator's, ``low`` above ``high`` or a country of no
    city fails naming the file, line and column.
    """
    path = Path(path) if path is not None else config.paths().raw / "reference_ranges.csv"
    table = read_raw_table(
        path, sep=",", required=("code", "low", "high", "unit", "scope", "approximate", "source", "year", "note"), allowed=("country",)
    )
    if "country" not in table:
        table = table.assign(country="")
    _validate_raw(RAW_REFERENCE_RANGES_SCHEMA, table, path)
    metadata = metadata if metadata is not None else load_indicator_metadata()
    units = dict(zip(metadata["code"], metadata["unit"]))
    countries = set(load_city_countries().values()) if (table["country"] != "").any() else set()
    table = table.copy()
    for row in table.itertuples():
        if row.code not in units:
            raise CellParseError("not an indicator of indicator_metadata.csv", row.code, file=path, line=row.line, column="code")
        if row.country and row.country not in countries:
            raise CellParseError(
                f"no city of city_countries.csv is in this country ({', '.join(sorted(countries))})",
                row.country,
                file=path,
                line=row.line,
                column="country",
            )
        if row.unit != units[row.code]:
            raise CellParseError(f"the indicator's unit is {units[row.code]!r}", row.unit, file=path, line=row.line, column="unit")
        if float(row.low) > float(row.high):
            raise CellParseError(f"low {row.low} is above high {row.high}", row.high, file=path, line=row.line, column="high")
    # One range an indicator and country (a second would make which one holds depend on the row order).
    twice = table[table.duplicated(["code", "country"], keep="first")]
    if not twice.empty:
        row = twice.iloc[0]
        where = f"country {row['country']}" if row["country"] else "every city"
        raise CellParseError(f"a second range of this indicator for {where}", row["code"], file=path, line=row["line"], column="code")
    table["low"] = table["low"].astype(float)
    table["high"] = table["high"].astype(float)
    table["approximate"] = table["approximate"] == "true"
    return table


CASES = ("genitive", "dative", "accusative", "instrumental", "locative")


def load_city_names_pl(path: Path | str | None = None) -> dict[str, dict[str, str]]:
    """City → its Polish case forms (``{"genitive": "Kielc", "locative": "Kielcach", ...}``).

    The nominative is the city's name itself. A row marked ``declined`` false keeps the name in every
    case (``w Porto``), and then every form must be the name; a city without a row is named with the
    noun *miasto* declined in front of it (``w mieście Testville``: :mod:`analysis.text.i18n`).
    """
    path = Path(path) if path is not None else config.paths().raw / "city_names_pl.csv"
    table = read_raw_table(path, sep=",", required=("city", *CASES, "declined", "source"), allowed=())
    _validate_raw(RAW_CITY_NAMES_PL_SCHEMA, table, path)
    require_rows(table, path, "city", config.SOURCE_CITIES, "city of the printed table", ordered=False)
    forms = {}
    for row in table.itertuples():
        if row.declined == "false":
            for case in CASES:
                if getattr(row, case) != row.city:
                    raise CellParseError("an undeclined name keeps its form in every case", getattr(row, case), file=path, line=row.line, column=case)
        forms[row.city] = {case: getattr(row, case) for case in CASES}
    return forms


def load_indicator_names_pl(path: Path | str | None, printed: dict[str, str]) -> dict[str, str]:
    """Indicator code → the Polish name the pages show where the printed name is wrong or misleading Polish
    (``data/raw/indicator_names_pl.csv``: ``code, printed, name_pl, reason``).

    ``printed`` (code → the printed name as :mod:`analysis.data.labels` presents it) anchors each row: a row whose
    ``printed`` differs from it (the source table changed, or a typo) stops the build naming the file, line and
    column, as does an unknown or repeated code or an empty name or reason. The printed label stays in
    ``iso37120_comparison.tsv`` as provenance.
    """
    path = Path(path) if path is not None else config.paths().raw / "indicator_names_pl.csv"
    table = read_raw_table(path, sep=",", required=("code", "printed", "name_pl", "reason"), allowed=())
    names: dict[str, str] = {}
    for row in table.itertuples():
        if row.code not in printed:
            raise CellParseError("not an indicator of the printed table", row.code, file=path, line=row.line, column="code")
        if row.code in names:
            raise CellParseError("a second row for this indicator", row.code, file=path, line=row.line, column="code")
        if row.printed != printed[row.code]:
            raise CellParseError(
                f"not the printed name of {row.code} ({printed[row.code]!r})", row.printed, file=path, line=row.line, column="printed"
            )
        for column in ("name_pl", "reason"):
            if not getattr(row, column).strip():
                raise CellParseError("empty: every corrected name needs its name and its reason", "", file=path, line=row.line, column=column)
        names[row.code] = row.name_pl.strip()
    return names


def load_indicator_short_names(path: Path | str | None = None, codes=None) -> dict[str, dict[str, str]]:
    """``{"en": {code: name}, "pl": {code: name}, "lower_en": {code: phrase}, …}``: the short names the first screen's
    running text uses ("tax collection", "pył PM2,5") and the phrases that say the city's value is lower or higher
    than its peers' median ("lower tax collection", "niższa ściągalność podatków": an official asked for the direction
    in the bottom line, and a Polish adjective agrees with its noun, so each phrase is written out;
    ``data/raw/indicator_short_names.csv``: ``code, short_en, short_pl, lower_en, higher_en, lower_pl, higher_pl,
    why_debatable_en, why_debatable_pl, reason``). ``why_en`` and ``why_pl`` hold, for an indicator whose better
    direction is debatable, why it is, in a clause that holds on either side of the median ("car ownership also follows
    household income": four officials asked why fewer cars, less waste and less water are not simply good). The tables
    keep the full names. An unknown code (with ``codes``, the indicators of ``indicator_metadata.csv``), a repeated
    one, an empty name, phrase or reason, or a reason for debatability in one language only stops the build naming the
    file, line and column.
    """
    path = Path(path) if path is not None else config.paths().raw / "indicator_short_names.csv"
    phrases = ("lower_en", "higher_en", "lower_pl", "higher_pl")
    whys = ("why_debatable_en", "why_debatable_pl")
    table = read_raw_table(path, sep=",", required=("code", "short_en", "short_pl", *phrases, *whys, "reason"), allowed=())
    known = set(codes) if codes is not None else None
    names: dict[str, dict[str, str]] = {"en": {}, "pl": {}, **{column: {} for column in phrases}, "why_en": {}, "why_pl": {}}
    for row in table.itertuples():
        if known is not None and row.code not in known:
            raise CellParseError("not an indicator of indicator_metadata.csv", row.code, file=path, line=row.line, column="code")
        if row.code in names["en"]:
            raise CellParseError("a second row for this indicator", row.code, file=path, line=row.line, column="code")
        for column in ("short_en", "short_pl", *phrases, "reason"):
            if not getattr(row, column).strip():
                raise CellParseError(
                    "empty: every short name needs both languages, both directions and its reason", "", file=path, line=row.line, column=column
                )
        names["en"][row.code], names["pl"][row.code] = row.short_en.strip(), row.short_pl.strip()
        for column in phrases:
            names[column][row.code] = getattr(row, column).strip()
        given = [column for column in whys if getattr(row, column).strip()]
        if len(given) == 1:
            missing = next(column for column in whys if column not in given)
            raise CellParseError("empty: why the direction is debatable is needed in both languages", "", file=path, line=row.line, column=missing)
        for column in given:
            names[column.replace("_debatable", "")][row.code] = getattr(row, column).strip()
    return names


def load_unit_ranges(path: Path | str | None = None, units=None) -> pd.DataFrame:
    """The values each unit allows: columns ``unit``, ``min``, ``max`` (floats; ±inf where open), ``reason``, ``line``.

    ``units`` (the units of ``indicator_metadata.csv``) must each have a row.
    """
    path = Path(path) if path is not None else config.paths().raw / "unit_ranges.csv"
    table = read_raw_table(path, sep=",", required=("unit", "min", "max", "reason", "source"))
    _validate_raw(RAW_UNIT_RANGES_SCHEMA, table, path)
    if units is not None:
        require_rows(table, path, "unit", sorted(set(units)), "unit of indicator_metadata.csv", ordered=False)
    table = table.copy()
    table["min"] = [float(text) if text else -math.inf for text in table["min"]]
    table["max"] = [float(text) if text else math.inf for text in table["max"]]
    for row in table.itertuples():
        if row.min > row.max:
            raise CellParseError(f"min {row.min:g} is above max {row.max:g}", str(row.max), file=path, line=row.line, column="max")
    return table


def unit_bounds(ranges: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """``{unit: (min, max)}`` of :func:`load_unit_ranges`."""
    return {unit: (low, high) for unit, low, high in zip(ranges["unit"], ranges["min"], ranges["max"])}


def load_theme_labels(path: Path | str | None = None, required_themes=(), known_themes=None) -> dict[str, str]:
    """English theme → Polish display name, for the themes the source prints without a heading and
    for printed headings whose Polish is wrong or ambiguous (the row's ``source`` says why).

    Each theme in ``required_themes`` (those without a printed heading) must have a row, and
    every row must name a theme of ``known_themes`` (the themes of ``indicator_metadata.csv``).
    """
    path = Path(path) if path is not None else config.paths().raw / "theme_labels.csv"
    table = read_raw_table(path, sep=",", required=("theme", "name_pl", "source"))
    _validate_raw(RAW_THEME_LABELS_SCHEMA, table, path)
    if known_themes is not None:
        for row in table.itertuples():
            if row.theme not in set(known_themes):
                raise CellParseError("not a theme of indicator_metadata.csv", row.theme, file=path, line=row.line, column="theme")
    require_rows(table, path, "theme", sorted(required_themes), "theme printed without a heading", ordered=False)
    return dict(zip(table["theme"], table["name_pl"]))


EXPERT_RATER = "expert"
EXPERT_LABEL = "Smart Factor expert"


def _decode(path: Path, sep: str | None = None) -> str:
    """The file's text; a file that is not UTF-8 fails naming the line, the column and the byte.

    Only a regular file is opened: a directory fails, and a named pipe (which would block the
    build until someone writes to it) is refused before it is opened.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: raw table not found") from None
    except OSError as exc:
        raise DataError(f"cannot read the file: {exc.strerror}", file=path) from None
    if not stat.S_ISREG(mode):
        kind = "a directory" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode) else "not a regular file"
        raise DataError(f"{kind}, where a raw table must be a regular file (UTF-8 text)", file=path)
    if Path(path).is_symlink():
        # A sweep: data/raw/cities/x.csv linked to /etc/shadow; the error about its first cell quoted that line.
        # A link may point within the raw data (its folder or the one above), never elsewhere on the machine.
        target, home = Path(path).resolve(), Path(path).parent.resolve()
        if not (target.is_relative_to(home) or target.is_relative_to(home.parent)):
            raise DataError("a symbolic link to a file outside the raw data; copy the file into data/raw instead", file=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read the file: {exc.strerror}", file=path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - start + 1
        header_name = None
        if sep is not None:
            header = data[: data.find(b"\n")] if b"\n" in data else data
            names = header.decode("utf-8", "replace").rstrip("\r").split(sep)
            field = data[start : exc.start].count(sep.encode())
            header_name = names[field] if field < len(names) else None
        raise DataError(
            f"byte 0x{data[exc.start]:02x} at character {column} is not UTF-8: the file must be encoded as UTF-8; save it as UTF-8 "
            "(it looks like another encoding, e.g. Windows-1250 or ISO-8859-2)",
            file=path,
            line=line,
            column=header_name,
        ) from None
    return _refuse_invisible(text.removeprefix(BOM), path, sep)  # a byte-order mark (Excel's "CSV UTF-8") is not data


BOM = "\ufeff"
# Characters no table cell may hold: C0 and C1 control characters (tab, line feed and carriage
# return aside) and DEL; the bidirectional controls that reorder what a reader sees (U+202E shows
# "cod.exe" as "exe.doc"); line and paragraph separators; a byte-order mark inside the text. They
# are invisible in an editor and would reach the processed tables, the published CSVs and the pages.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")


def _refuse_invisible(text: str, path: Path, sep: str | None) -> str:
    """``text``, or a DataError naming the line, the column and the first control or bidi character in it."""
    import unicodedata

    found = INVISIBLE.search(text)
    if found is None:
        return text
    start = text.rfind("\n", 0, found.start()) + 1
    line = text.count("\n", 0, found.start()) + 1
    header_name = None
    if sep is not None:
        names = text[: text.find("\n")].rstrip("\r").split(sep) if "\n" in text else text.split(sep)
        field = text[start : found.start()].count(sep)
        header_name = names[field] if field < len(names) else None
    character = found.group(0)
    name = unicodedata.name(character, "a control character")
    raise DataError(
        f"character U+{ord(character):04X} ({name}) at character {found.start() - start + 1}: control and text-direction "
        "characters are not allowed in a raw table (they are invisible and change what a reader sees); remove it",
        file=path,
        line=line,
        column=header_name,
    )


def read_raw_table(path: Path, *, sep: str, required: tuple[str, ...], allowed: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Read a raw table as text, cell by cell, with the file's line number of each row.

    Nothing is interpreted: ``bd`` stays ``bd`` and no cell becomes NaN. With
    ``allowed``, a column outside ``required + allowed`` is an error (it would
    otherwise be dropped without a word).
    """
    path = Path(path)
    return _parse_raw_text(_decode(path, sep), path, sep=sep, required=required, allowed=allowed)


def _parse_raw_text(text: str, path: Path, *, sep: str, required: tuple[str, ...], allowed: tuple[str, ...] | None = None) -> pd.DataFrame:
    import io

    with io.StringIO(text, newline="") as handle:
        reader = csv.reader(handle, delimiter=sep, quoting=csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL)
        try:
            return _read_rows(reader, path, sep, required, allowed)
        except csv.Error as exc:  # a field over csv.field_size_limit(), a NUL byte, ...
            raise DataError(f"not a readable {'TSV' if sep == chr(9) else 'CSV'} line: {exc}", file=path, line=reader.line_num) from None


def _read_rows(reader, path: Path, sep: str, required: tuple[str, ...], allowed: tuple[str, ...] | None) -> pd.DataFrame:
    header = next(reader, None)
    if header is None:
        raise DataError("the file is empty; expected a header line with the columns " + ", ".join(required), file=path, line=1, column=required[0])
    missing = [column for column in required if column not in header]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}; found {', '.join(header)}", file=path, line=1, column=missing[0])
    if allowed is not None:
        unknown = [column for column in header if column not in (*required, *allowed)]
        if unknown:
            raise DataError(
                f"unknown column(s) {', '.join(repr(c) for c in unknown)}; allowed: {', '.join((*required, *allowed))}",
                file=path,
                line=1,
                column=unknown[0],
            )
    duplicated = sorted({column for column in header if header.count(column) > 1})
    if duplicated:
        raise DataError(f"column(s) {', '.join(duplicated)} given twice in the header", file=path, line=1, column=duplicated[0])
    rows = []
    for line_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise CellParseError(f"{len(row)} cells where the header has {len(header)}", sep.join(row), file=path, line=line_number)
        rows.append([line_number, *row])
    return pd.DataFrame(rows, columns=["line", *header], dtype=object)


def load_indicator_metadata(path: Path | None = None) -> pd.DataFrame:
    """Our curated description of the 100 indicators: theme, English name, unit, polarity and what gap is material."""
    path = Path(path) if path is not None else config.paths().indicator_metadata
    text = _decode(path, ",")  # read (and its file checked) on every call; parsed and validated once per content
    key = (str(path), text)
    if key in _LAST_METADATA:
        return _LAST_METADATA[key].copy()
    table = _parse_raw_text(
        text,
        path,
        sep=",",
        required=(
            "code",
            "theme",
            "indicator",
            "tier",
            "unit",
            "polarity",
            "polarity_reason",
            "polarity_confidence",
            "confidence_reason",
            "alternative_polarity",
            "label_note",
            "label_note_pl",
            *COMPARISON_COLUMNS,
        ),
    )
    for row in table.itertuples():
        if canonical_code(row.code) != row.code:
            raise CellParseError("code is not canonical", row.code, file=path, line=row.line, column="code")
    duplicated = table[table["code"].duplicated()]
    if not duplicated.empty:
        first = duplicated.iloc[0]
        raise CellParseError("duplicate indicator code", first["code"], file=path, line=first["line"], column="code")
    table = parse_comparison_columns(table, path)
    metadata = validate(INDICATOR_METADATA_SCHEMA, table.drop(columns="line"), path, lines=table["line"])
    _LAST_METADATA.clear()
    _LAST_METADATA[key] = metadata
    return metadata.copy()


# The last metadata read, keyed by its path and text: a build reads the file three times, the API once per call.
_LAST_METADATA: dict[tuple[str, str], pd.DataFrame] = {}


def _default_bounds(metadata: pd.DataFrame) -> dict[str, tuple[float, float]]:
    return unit_bounds(load_unit_ranges(units=metadata["unit"]))


def load_source_indicators(
    path: Path | None = None, metadata: pd.DataFrame | None = None, bounds: dict[str, tuple[float, float]] | None = None
) -> pd.DataFrame:
    """Tidy the printed ISO 37120 comparison table: one row per (indicator, city).

    A column other than the printed ones (e.g. a city added to the table by hand)
    is an error: cities are added as files in ``data/raw/cities/``. Every theme printed without
    a heading needs its Polish name in ``theme_labels.csv`` (validated here).
    """

    path = Path(path) if path is not None else config.paths().iso_table
    metadata = load_indicator_metadata() if metadata is None else metadata
    meta = metadata.set_index("code")
    table = read_raw_table(path, sep="\t", required=("theme_pl", "code_printed", "indicator_pl", "tier_pl", *config.SOURCE_CITIES), allowed=())
    seen: dict[str, int] = {}
    long_rows = []
    headed_themes = set()
    for row in table.to_dict("records"):
        line, printed = row["line"], row["code_printed"]
        try:
            code = canonical_code(printed)
        except CellParseError as exc:
            raise exc.located(file=path, line=line, row=printed, column="code_printed") from None
        if code not in meta.index:
            raise CellParseError("indicator code not in indicator_metadata.csv", printed, file=path, line=line, row=printed, column="code_printed")
        if code in seen:
            raise CellParseError(f"indicator {code} already on line {seen[code]}", printed, file=path, line=line, row=printed, column="code_printed")
        seen[code] = line
        tier = TIER_LABELS.get(row["tier_pl"])
        if tier is None:
            raise CellParseError(f"expected one of {sorted(TIER_LABELS)}", row["tier_pl"], file=path, line=line, row=printed, column="tier_pl")
        if tier != meta.at[code, "tier"]:
            raise CellParseError(
                f"printed tier {tier} contradicts indicator_metadata.csv ({meta.at[code, 'tier']})",
                row["tier_pl"],
                file=path,
                line=line,
                row=printed,
                column="tier_pl",
            )
        if row["theme_pl"].strip():
            headed_themes.add(meta.at[code, "theme"])
        for city in config.SOURCE_CITIES:
            long_rows.append((line, printed, code, city, row[city]))
    missing_codes = sorted(set(meta.index) - set(seen))
    if missing_codes:
        raise CellParseError(f"indicators in the metadata but not in the table: {missing_codes}", "", file=path)
    themes = list(dict.fromkeys(metadata["theme"]))
    load_theme_labels(config.paths().raw / "theme_labels.csv", required_themes=[t for t in themes if t not in headed_themes], known_themes=themes)
    cells = pd.DataFrame(long_rows, columns=["line", "code_printed", "code", "city", "raw"])
    tidy = tidy_indicator_cells(cells, metadata, path, bounds)
    tidy["_line"] = cells["line"].to_numpy()
    return tidy


def tidy_indicator_cells(
    cells: pd.DataFrame, metadata: pd.DataFrame, source: Path | str = "<cells>", bounds: dict[str, tuple[float, float]] | None = None
) -> pd.DataFrame:
    """Parse printed cells in one vectorised pass and attach theme, tier and unit.

    ``cells`` has ``code`` (canonical), ``city`` and ``raw`` (the printed cell),
    optionally ``line`` and ``code_printed`` for error messages. The first cell
    that cannot be parsed, or whose printed unit contradicts the indicator's,
    raises :class:`CellParseError` naming source, line, indicator and city.
    ``bounds`` are the values each unit allows (default: ``data/raw/unit_ranges.csv``).
    Returns the columns of ``indicators.csv``.
    """
    bounds = _default_bounds(metadata) if bounds is None else bounds
    meta = metadata.set_index("code")
    parsed = parse_cells(cells["raw"])

    def fail(position: int, reason: str | None = None):
        row = cells.iloc[position]
        where = {"file": source, "line": row.get("line"), "row": row.get("code_printed", row["code"]), "column": row["city"]}
        if reason is None:
            try:
                parse_cell(row["raw"])
            except CellParseError as exc:
                raise exc.located(**where) from None
        raise CellParseError(reason or "cannot parse", row["raw"], **where)

    bad = np.flatnonzero(~parsed["ok"].to_numpy())
    if len(bad):
        fail(int(bad[0]))
    unknown = ~cells["code"].isin(meta.index)
    if unknown.any():
        fail(int(np.flatnonzero(unknown.to_numpy())[0]), "indicator code not in indicator_metadata.csv")
    # One factorisation of the codes, then each attribute looked up per distinct code (100), not per cell (a million).
    code_index, distinct = pd.factorize(cells["code"].to_numpy(dtype=object))
    per_code = meta.reindex(distinct)

    def attribute(column: str) -> np.ndarray:
        return per_code[column].to_numpy(dtype=object)[code_index]

    units = pd.Series(attribute("unit"), index=cells.index)
    out_of_range = _out_of_range(parsed["value"], parsed["year"], units, attribute("indicator"), bounds)
    if out_of_range is not None:
        position, reason, _ = out_of_range
        fail(position, reason)
    contradicting = parsed["unit"].notna() & (parsed["unit"] != units)
    if contradicting.any():
        position = int(np.flatnonzero(contradicting.to_numpy())[0])
        fail(position, f"printed unit {parsed['unit'].iloc[position]!r} contradicts the indicator's unit {units.iloc[position]!r}")
    return pd.DataFrame(
        {
            "code": cells["code"].to_numpy(),
            "theme": attribute("theme"),
            "tier": attribute("tier"),
            "city": cells["city"].to_numpy(),
            "value": parsed["value"].to_numpy(),
            "unit": units.to_numpy(),
            "year": parsed["year"].to_numpy(),
            "missing": parsed["missing"].to_numpy(),
            "raw": cells["raw"].to_numpy(),
        }
    )


def percent_bounds(indicator: str, low: float = 0.0, high: float = 100.0) -> tuple[float, float]:
    """The values an indicator measured in % may take, from its ISO 37120 name.

    A share of a whole lies in 0–100. Two kinds of ISO 37120 percentage are not
    shares: a *percentage change* may be negative, and enrolment and survival
    rates are gross ratios that exceed 100 when pupils from outside the city or
    repeaters are counted (Oakville prints 118.53 % for ED6.2).
    ``low`` and ``high`` are the bounds of a share (``%`` in ``unit_ranges.csv``).
    """
    name = indicator.lower()
    low = -math.inf if "percentage change" in name else low
    high = math.inf if ("survival rate" in name or "enrolled" in name) else high
    return low, high


def _out_of_range(values, years, units, indicators, bounds: dict[str, tuple[float, float]]) -> tuple[int, str, str] | None:
    """(position, reason, column) of the first value outside what its unit allows, or year outside 1990–this year.

    ``bounds`` maps a unit to its (min, max) (:func:`unit_bounds`); a
    percentage takes the bounds of ``%`` widened by :func:`percent_bounds`. ``column`` is
    ``'value'`` or ``'year'``.
    """
    import datetime

    this_year = datetime.date.today().year
    values = pd.to_numeric(pd.Series(values, copy=False), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    years = pd.to_numeric(pd.Series(years, copy=False), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    # Bounds are worked out once per (unit, indicator), not once per cell: 100 names, not a million cells.
    # Each column factorised on its own and the pair as one integer: a MultiIndex of a million rows cost half a second.
    unit_codes, unit_names = pd.factorize(pd.Series(units, copy=False).to_numpy(dtype=object), use_na_sentinel=False)
    name_codes, names = pd.factorize(pd.Series(indicators, copy=False).to_numpy(dtype=object), use_na_sentinel=False)
    codes, pairs = pd.factorize(unit_codes.astype(np.int64) * max(len(names), 1) + name_codes)
    uniques = [(unit_names[pair // max(len(names), 1)], names[pair % max(len(names), 1)]) for pair in pairs]
    unbounded = (-math.inf, math.inf)
    per_key = np.array(
        [percent_bounds(name, *bounds.get(unit, (0.0, 100.0))) if unit == "%" else bounds.get(unit, unbounded) for unit, name in uniques],
        dtype="float64",
    ).reshape(-1, 2)
    limits = per_key[codes] if len(codes) else np.empty((0, 2))
    bad_value = (values < limits[:, 0]) | (values > limits[:, 1]) | np.isinf(values)
    bad_year = (years < config.EARLIEST_YEAR) | (years > this_year)
    first = np.flatnonzero(bad_value | bad_year)
    if not len(first):
        return None
    position = int(first[0])
    if bad_value[position]:
        low, high = limits[position]
        unit = uniques[codes[position]][0]
        if not math.isfinite(values[position]):
            return position, "not a finite number", "value"
        if unit == "%":
            return position, f"a percentage must be between {low:g} and {high:g}", "value"
        side = f"cannot be below {low:g}" if values[position] < low else f"cannot exceed {high:g}"
        return position, f"a value in {unit!r} {side} (data/raw/unit_ranges.csv)", "value"
    return position, f"the reference year must be between {config.EARLIEST_YEAR} and {this_year}", "year"


def _indicator_record(code, meta, city, value, year, missing, raw) -> dict:
    return {
        "code": code,
        "theme": meta.at[code, "theme"],
        "tier": meta.at[code, "tier"],
        "city": city,
        "value": value,
        "unit": meta.at[code, "unit"],
        "year": year,
        "missing": missing,
        "raw": raw,
    }


def load_city_file(path: Path, metadata: pd.DataFrame, bounds: dict[str, tuple[float, float]] | None = None) -> pd.DataFrame:
    """Read one evaluator-supplied city (columns ``code, value, year, unit``).

    Codes must be canonical and known, each at most once; ``value`` is a plain
    number (dot or comma decimal) or empty for no data; ``year`` is empty or a
    four-digit year; ``unit`` is empty or the indicator's unit. Indicators the
    file does not list are recorded as missing for this city. A value must be finite and
    within what its unit allows (``bounds``, default ``data/raw/unit_ranges.csv``).
    """
    path = Path(path)
    bounds = _default_bounds(metadata) if bounds is None else bounds
    meta = metadata.set_index("code")
    table = read_raw_table(path, sep=",", required=("code", "value", "year", "unit"))
    city = city_name_from_path(path)
    given: dict[str, dict] = {}
    if table.empty:
        raise DataError("the file has a header but no indicator rows; give at least one row code,value,year,unit", file=path, line=1)
    for row in table.to_dict("records"):
        line, code = row["line"], row["code"].strip()
        if code not in meta.index:
            raise CellParseError("unknown indicator code (use canonical codes such as EC5.1)", code, file=path, line=line, row=code, column="code")
        if code in given:
            raise CellParseError(f"duplicate code, first given on line {given[code]['line']}", code, file=path, line=line, row=code, column="code")
        value_text, year_text, unit_text = row["value"].strip(), row["year"].strip(), row["unit"].strip()
        try:
            value = parse_number(value_text) if value_text else None
        except CellParseError as exc:
            raise exc.located(file=path, line=line, row=code, column="value") from None
        year = None
        if year_text:
            if not (year_text.isascii() and year_text.isdigit()) or len(year_text) != 4:
                raise CellParseError("year must be four digits", year_text, file=path, line=line, row=code, column="year")
            year = int(year_text)
        problem = _out_of_range([value], [year], [meta.at[code, "unit"]], [meta.at[code, "indicator"]], bounds)
        if problem is not None:
            _, reason, column = problem
            raise CellParseError(reason, value_text if column == "value" else year_text, file=path, line=line, row=code, column=column)
        if unit_text and unit_text != meta.at[code, "unit"]:
            raise CellParseError(
                f"unit contradicts the indicator's unit {meta.at[code, 'unit']!r}", unit_text, file=path, line=line, row=code, column="unit"
            )
        given[code] = {"line": line, "value": value, "year": year, "raw": value_text}
    if all(entry["value"] is None for entry in given.values()):
        raise DataError("every value is empty: the city would have a report with nothing in it", file=path, line=2, column="value")
    records = []
    for code in meta.index:
        entry = given.get(code)
        if entry is None or entry["value"] is None:
            records.append(_indicator_record(code, meta, city, None, entry and entry["year"], True, entry["raw"] if entry else ""))
        else:
            records.append(_indicator_record(code, meta, city, entry["value"], entry["year"], False, entry["raw"]))
        records[-1]["_line"] = entry["line"] if entry else None
    return pd.DataFrame.from_records(records)


_DEFAULT = object()


def clean_indicators(
    iso_table: Path | None = None,
    metadata_path: Path | None = None,
    cities_dir: Path | None = _DEFAULT,
) -> pd.DataFrame:
    """All indicator values, tidy: the printed table plus every ``cities/<city>.csv``.

    Rows follow the printed indicator order, then the printed city order, then
    extra cities alphabetically. Two cities whose report names (slugs) would be
    equal fail naming both sources (see :mod:`analysis.data.cities`).
    """
    paths = config.paths()
    iso_table = Path(iso_table) if iso_table is not None else paths.iso_table
    cities_dir = paths.cities if cities_dir is _DEFAULT else cities_dir
    metadata = load_indicator_metadata(metadata_path)
    bounds = unit_bounds(load_unit_ranges(paths.raw / "unit_ranges.csv", units=metadata["unit"]))
    load_city_countries(paths.raw / "city_countries.csv", required_cities=config.SOURCE_CITIES)
    city_files = sorted(Path(cities_dir).glob("*.csv")) if cities_dir is not None and Path(cities_dir).is_dir() else []
    identities = [(city, f"{iso_table} (column {city})") for city in config.SOURCE_CITIES]
    identities += [(city_name_from_path(city_path), str(city_path)) for city_path in city_files]
    check_city_identities(identities)
    frames = [load_source_indicators(iso_table, metadata, bounds)]
    sources = [str(iso_table)]
    for city_path in city_files:
        frames.append(load_city_file(city_path, metadata, bounds))
        sources.append(str(city_path))
    for frame, source in zip(frames, sources):
        frame["_source"] = source
    indicators = pd.concat(frames, ignore_index=True)
    order = {code: position for position, code in enumerate(metadata["code"])}
    cities = list(dict.fromkeys(indicators["city"]))
    indicators["_code"] = indicators["code"].map(order)
    indicators["_city"] = indicators["city"].map({city: i for i, city in enumerate(cities)})
    indicators = indicators.sort_values(["_code", "_city"], kind="stable").drop(columns=["_code", "_city"])
    indicators["year"] = indicators["year"].astype("Int64")
    indicators["value"] = indicators["value"].astype("float64")
    indicators["missing"] = indicators["missing"].astype(bool)
    indicators = indicators.reset_index(drop=True)
    sources, lines = indicators.pop("_source"), indicators.pop("_line")
    return validate(INDICATORS_SCHEMA, indicators, sources, lines=lines)


def load_expert_scores(path: Path | None = None) -> pd.DataFrame:
    """The expert's 7 × 5 maturity scores; a printed range such as ``1-2`` keeps both ends.

    Every area × dimension must have exactly one score: a missing or repeated one
    fails naming the file and line.
    """
    path = Path(path) if path is not None else config.paths().expert_scores
    table = read_raw_table(path, sep="\t", required=("area", "section", "dimension", "dimension_pl", "score"))
    records = []
    seen: dict[tuple[str, str], int] = {}
    for row in table.to_dict("records"):
        _check_vocabulary(row, path, "area", config.AREAS)
        _check_vocabulary(row, path, "dimension", config.DIMENSIONS)
        key = (row["area"], row["dimension"])
        if key in seen:
            raise DataError(
                f"a second expert score for {row['area']}/{row['dimension']} (the first is on line {seen[key]})",
                file=path,
                line=row["line"],
                row=f"{row['area']}/{EXPERT_RATER}",
                column="dimension",
            )
        seen[key] = row["line"]
        try:
            low, high = parse_score(row["score"])
        except CellParseError as exc:
            raise exc.located(file=path, line=row["line"], row=f"{row['area']}/{EXPERT_RATER}", column=row["dimension"]) from None
        records.append(_score_record(row["area"], EXPERT_RATER, EXPERT_LABEL, "expert", row["dimension"], low, high))
        records[-1]["_line"] = row["line"]
    missing = [f"{area}/{dimension}" for area in config.AREAS for dimension in config.DIMENSIONS if (area, dimension) not in seen]
    if missing:
        raise DataError(f"no expert score for {', '.join(missing)}; every area needs one score per dimension", file=path, column="score")
    return pd.DataFrame.from_records(records)


def _check_vocabulary(row: dict, path: Path, column: str, allowed: tuple[str, ...]) -> None:
    if row[column] not in allowed:
        raise CellParseError(f"expected one of {list(allowed)}", row[column], file=path, line=row["line"], column=column)


def _score_record(area, rater, label, rater_type, dimension, low, high) -> dict:
    return {
        "area": area,
        "rater": rater,
        "rater_label": label,
        "rater_type": rater_type,
        "dimension": dimension,
        "score_low": low,
        "score_high": high,
    }


def load_stakeholder_tables(path: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stakeholder tables: (long scores, printed averages).

    Scores are one row per (area, rater, dimension). A rater printed two ways
    (``UKS(1)`` / ``UKŚ (1)``) gets one ``rater`` id and keeps its printed
    ``rater_label``. The printed average (ŚREDNIA) rows come back separately as
    ``area, dimension, printed_mean`` with the mean as an exact Decimal.
    """
    path = Path(path) if path is not None else config.paths().stakeholder_scores
    table = read_raw_table(path, sep="\t", required=("area", "section", "rater_label", *config.DIMENSIONS))
    scores, averages = [], []
    seen: dict[tuple[str, str], int] = {}
    for row in table.to_dict("records"):
        _check_vocabulary(row, path, "area", config.AREAS)
        label = row["rater_label"]
        if label.strip() == config.AVERAGE_ROW_LABEL:
            for dimension in config.DIMENSIONS:
                try:
                    printed = parse_published_mean(row[dimension])
                except CellParseError as exc:
                    raise exc.located(file=path, line=row["line"], row=f"{row['area']}/{label}", column=dimension) from None
                averages.append({"area": row["area"], "dimension": dimension, "printed_mean": printed, "line": row["line"]})
            continue
        try:
            rater = rater_id(label)
        except CellParseError as exc:
            raise exc.located(file=path, line=row["line"], row=row["area"], column="rater_label") from None
        key = (row["area"], rater)
        if key in seen:
            raise CellParseError(
                f"rater {rater} appears twice in area {row['area']} (first on line {seen[key]})",
                label,
                file=path,
                line=row["line"],
                column="rater_label",
            )
        seen[key] = row["line"]
        for dimension in config.DIMENSIONS:
            try:
                low, high = parse_score(row[dimension])
            except CellParseError as exc:
                raise exc.located(file=path, line=row["line"], row=f"{row['area']}/{label}", column=dimension) from None
            if low != high:
                raise CellParseError(
                    "a stakeholder score is a single level",
                    row[dimension],
                    file=path,
                    line=row["line"],
                    row=f"{row['area']}/{label}",
                    column=dimension,
                )
            scores.append(_score_record(row["area"], rater, label, "stakeholder", dimension, low, high))
            scores[-1]["_line"] = row["line"]
    areas_with_average = {entry["area"] for entry in averages}
    areas_with_scores = {entry["area"] for entry in scores}
    without = [area for area in config.AREAS if area not in areas_with_scores]
    if without:
        raise DataError(
            f"no stakeholder scores for the area(s) {', '.join(without)}; every area of the diagnosis has a stakeholder table",
            file=path,
            line=int(table["line"].max()) + 1 if len(table) else 2,
            column="area",
        )
    if areas_with_scores != areas_with_average:
        raise CellParseError(
            f"areas with scores {sorted(areas_with_scores)} and areas with a printed average {sorted(areas_with_average)} differ",
            "",
            file=path,
        )
    return pd.DataFrame.from_records(scores), pd.DataFrame.from_records(averages)


MATURITY_MODEL = {
    # file: (columns, schema, key column, the keys every copy must have)
    "maturity_levels.tsv": (("level", "name_pl", "name_en"), RAW_MATURITY_LEVELS_SCHEMA, "level", tuple(str(level) for level in range(1, 6))),
    "maturity_dimensions.tsv": (
        ("position", "dimension", "name_pl", "score_table_label_pl", "name_en"),
        RAW_MATURITY_DIMENSIONS_SCHEMA,
        "dimension",
        config.DIMENSIONS,
    ),
    "maturity_areas.tsv": (("section", "area", "name_pl", "name_en"), RAW_MATURITY_AREAS_SCHEMA, "area", config.AREAS),
}


def load_maturity_model(name: str, raw_dir: Path | None = None) -> pd.DataFrame:
    """One table of the maturity model (``maturity_levels.tsv``, ``maturity_dimensions.tsv``, ``maturity_areas.tsv``), validated.

    Each must hold all five levels, five dimensions or seven areas: a deleted row fails naming the
    file, the line where it belongs and the key column. Returned as read (text cells, ``line``).
    """
    columns, schema, key, required = MATURITY_MODEL[name]
    path = Path(raw_dir if raw_dir is not None else config.paths().raw) / name
    table = read_raw_table(path, sep="\t", required=columns)
    validate(schema, table.drop(columns="line"), path, lines=table["line"])
    require_rows(table, path, key, required, key)
    return table


def clean_maturity_scores(expert_path: Path | None = None, stakeholder_path: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(maturity_scores, published_means_check), both validated.

    Every printed stakeholder average must be reproduced by the raters' scores
    (rounded half-up to one decimal, as printed); one that is not fails naming the
    line of the printed average and its dimension.
    """
    paths = config.paths()
    expert_path = Path(expert_path) if expert_path is not None else paths.expert_scores
    stakeholder_path = Path(stakeholder_path) if stakeholder_path is not None else paths.stakeholder_scores
    for name in MATURITY_MODEL:  # the model the scores refer to: every level, dimension and area
        load_maturity_model(name, paths.raw)
    expert = load_expert_scores(expert_path)
    stakeholders, averages = load_stakeholder_tables(stakeholder_path)
    expert["_source"], stakeholders["_source"] = str(expert_path), str(stakeholder_path)
    scores = pd.concat([expert, stakeholders], ignore_index=True)
    area_order = {area: i for i, area in enumerate(config.AREAS)}
    dimension_order = {dimension: i for i, dimension in enumerate(config.DIMENSIONS)}
    scores["_area"] = scores["area"].map(area_order)
    scores["_type"] = (scores["rater_type"] != "expert").astype(int)
    scores["_dimension"] = scores["dimension"].map(dimension_order)
    # Stakeholders stay in printed order within an area (stable sort).
    scores = scores.sort_values(["_area", "_type", "_dimension"], kind="stable")
    scores = scores.drop(columns=["_area", "_type", "_dimension"]).reset_index(drop=True)
    sources, lines = scores.pop("_source"), scores.pop("_line")
    scores = validate(MATURITY_SCORES_SCHEMA, scores, sources, lines=lines)
    check = check_published_means(scores, averages)
    check = validate(PUBLISHED_MEANS_SCHEMA, check, stakeholder_path, lines=averages["line"])
    for position, row in enumerate(check.itertuples()):
        if not row.agrees:
            raise DataError(
                f"the printed average {_as_printed(row.printed_mean)} is not reproduced: the {row.n} rater(s) of "
                f"{row.area} average {row.recomputed_mean:g}, which rounds to {row.recomputed_rounded:.1f}",
                file=stakeholder_path,
                line=int(averages["line"].iloc[position]),
                row=f"{row.area}/{config.AVERAGE_ROW_LABEL}",
                column=row.dimension,
            )
    return scores, check


def _as_printed(value: float) -> str:
    """A printed average as printed (one decimal)."""
    return f"{value:.1f}"


def check_published_means(scores: pd.DataFrame, averages: pd.DataFrame) -> pd.DataFrame:
    """Recompute every printed stakeholder average and compare at the printed precision.

    The recomputed mean is exact (a fraction) and is rounded half-up to one
    decimal, as the report rounds; ``agrees`` says whether that equals the print.
    """
    stakeholders = scores[scores["rater_type"] == "stakeholder"]
    rows = []
    for average in averages.to_dict("records"):
        cell = stakeholders[(stakeholders["area"] == average["area"]) & (stakeholders["dimension"] == average["dimension"])]
        n = len(cell)
        exact = Fraction(int(cell["score_low"].sum()), n) if n else None
        rounded = round_half_up(exact) if n else None
        rows.append(
            {
                "area": average["area"],
                "dimension": average["dimension"],
                "printed_mean": float(average["printed_mean"]),
                "n": n,
                "recomputed_mean": round(float(exact), 6) if n else float("nan"),
                "recomputed_rounded": float(rounded) if n else float("nan"),
                "agrees": bool(n) and rounded == Decimal(average["printed_mean"]),
            }
        )
    return pd.DataFrame.from_records(rows)
