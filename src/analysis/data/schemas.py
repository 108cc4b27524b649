"""Schemas of the tidy tables (pandera): what every processed file promises."""

from __future__ import annotations

from pathlib import Path

import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from analysis import config
from analysis.data.comparison_metadata import COMPARISON_SCHEMA_COLUMNS
from analysis.errors import SchemaValidationError

_CODE = r"^[A-Z]{2}\d{1,2}\.\d{1,2}$"


def validate(schema: pa.DataFrameSchema, frame, source, lines=None):
    """``frame`` validated against ``schema``; a failure raises one line naming file, line and column.

    ``source`` is the file the rows come from, or a Series (aligned with
    ``frame``) of files when rows come from several. ``lines`` gives each row's
    1-based line in its file; without it, row ``i`` of the frame is line ``i + 2``
    (a CSV read whole: the header is line 1).
    """
    try:
        return schema.validate(frame, lazy=True)
    except (SchemaError, SchemaErrors) as exc:
        raise SchemaValidationError(describe_failure(exc, schema, frame, source, lines)) from None


def describe_failure(exc, schema, frame, source, lines=None) -> str:
    import pandas as pd

    failures = getattr(exc, "failure_cases", None)
    if failures is None or len(failures) == 0:
        return f"{_source_at(source, None)}: table {schema.name!r}: {str(exc).splitlines()[0]}"
    failures = failures.reset_index(drop=True)
    first = failures.iloc[0]
    index = first.get("index")
    position = None
    if index is not None and not pd.isna(index) and index in frame.index:
        position = frame.index.get_loc(index)
    file = _source_at(source, position)
    line = None
    if position is not None:
        line = lines.iloc[position] if lines is not None else position + 2
        line = None if pd.isna(line) else int(line)
    column = first.get("column")
    column = None if column is None or pd.isna(column) or column == schema.name else column
    check = str(first.get("check"))
    where = file + (f":{line}" if line is not None else "")
    if column is not None:
        where += f", column {column!r}"
    more = len(failures) - 1
    value = first.get("failure_case")
    value = value.item() if hasattr(value, "item") else value
    return f"{where}: {value!r} fails {check}" + (f" (and {more} more failure(s))" if more else "") + f" [table {schema.name}]"


def _source_at(source, position) -> str:
    if isinstance(source, (str, Path)):
        return str(source)
    if position is not None:
        return str(source.iloc[position])
    return str(source.iloc[0]) if len(source) else "<table>"


INDICATOR_METADATA_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(_CODE), unique=True, description="Canonical ISO 37120 indicator code (EC5.1 … WS21.7)."),
        "theme": pa.Column(str, pa.Check.str_length(min_value=1), description="ISO 37120 theme, in English."),
        "indicator": pa.Column(str, pa.Check.str_length(min_value=1), description="English indicator name, after the ISO 37120:2014 wording."),
        "tier": pa.Column(str, pa.Check.isin(config.TIERS), description="ISO 37120 core or supporting indicator."),
        "unit": pa.Column(
            str, pa.Check.str_length(min_value=1), description="The unit every value of this indicator is given in (%, min, per 100 000, …)."
        ),
        "polarity": pa.Column(
            str, pa.Check.isin(config.POLARITIES), description="Which direction is better: higher, lower, or neutral (not ranked)."
        ),
        "polarity_reason": pa.Column(str, pa.Check.str_length(min_value=10), description="Why the polarity was chosen."),
        # How far a reader could argue the other direction (issue: inputs such as beds and staff).
        "polarity_confidence": pa.Column(
            str,
            pa.Check.isin(("clear", "contested")),
            description="clear, or contested where a reader could argue the other direction (the robustness analysis reruns ranks without it).",
        ),
        "confidence_reason": pa.Column(
            str, pa.Check.str_length(min_value=10), description="Why the polarity is clear or contested (for contested ones: the other reading)."
        ),
        # The other reading as a direction, for the robustness grid's "alternative" polarity (a sceptical reading: the grid
        # only ever un-ranked a contested direction, never tried "more doctors is better").
        "alternative_polarity": pa.Column(
            str,
            pa.Check.isin(("", *config.POLARITIES)),
            description="For a contested polarity, the direction of the other reading (higher, lower, or neutral: not ranked); empty when clear.",
        ),
        # A printed label whose meaning differs from the ISO definition (empty when none), in both languages.
        "label_note": pa.Column(
            str,
            description="Where the printed Polish label means something other than the ISO 37120 definition, the note in English; empty otherwise.",
        ),
        "label_note_pl": pa.Column(str, description="The same note in Polish; empty otherwise."),
        **COMPARISON_SCHEMA_COLUMNS,
    },
    name="indicator_metadata",
    title="ISO 37120 indicator metadata",
    description="One row per indicator of the printed comparison table, curated by this project (not from the "
    "source): English name, theme, tier, unit and polarity, each polarity with its reason "
    "(data/raw/indicator_metadata.csv, copied here so that the package is self-contained).",
    strict=True,
    ordered=True,
)

INDICATORS_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(_CODE), description="Canonical ISO 37120 indicator code (the printed SW16.1 0 is SW16.10)."),
        "theme": pa.Column(str, description="ISO 37120 theme, in English."),
        "tier": pa.Column(str, pa.Check.isin(config.TIERS), description="ISO 37120 core or supporting indicator."),
        "city": pa.Column(
            str,
            pa.Check.str_length(min_value=1),
            description="City: a column of the printed table, or the name of a data/raw/cities/<city>.csv file.",
        ),
        "value": pa.Column(
            float, nullable=True, description="The value, in the unit of the column unit; empty when the source gives no data (missing is then True)."
        ),
        "unit": pa.Column(str, description="The unit of value (the indicator's unit in indicator_metadata.csv)."),
        "year": pa.Column(
            "Int64",
            pa.Check.in_range(1900, 2100),
            nullable=True,
            metadata={"type": "year"},
            description="The reference year printed with the value; empty when none was printed.",
        ),
        "missing": pa.Column(bool, description="True when the source has no value (printed bd)."),
        "raw": pa.Column(str, description="The printed cell, verbatim (Polish decimal comma, units, year in brackets)."),
    },
    checks=[
        pa.Check(lambda df: df["missing"] == df["value"].isna(), error="missing flag must match an empty value"),
    ],
    unique=["code", "city"],
    name="indicators",
    title="ISO 37120 indicator values by city",
    description="One row per indicator and city: the printed comparison table of section 2 (Kielce, Eindhoven, "
    "Gdynia, Oakville, Porto) plus every city added as data/raw/cities/<city>.csv.",
    metadata={"foreign_keys": [{"fields": ["code"], "resource": "indicator_metadata"}]},
    strict=True,
    ordered=True,
)

MATURITY_SCORES_SCHEMA = pa.DataFrameSchema(
    {
        "area": pa.Column(str, pa.Check.isin(config.AREAS), description="Thematic area of the smart-city diagnosis (sections 4.1–4.7)."),
        "rater": pa.Column(
            str, pa.Check.str_length(min_value=1), description="One id per rating unit (UKS(1) and UKŚ (1) are one rater); expert for the expert."
        ),
        "rater_label": pa.Column(str, pa.Check.str_length(min_value=1), description="The rater as printed."),
        "rater_type": pa.Column(
            str, pa.Check.isin(("expert", "stakeholder")), description="expert (Smart Factor) or stakeholder (a city department, unit or company)."
        ),
        "dimension": pa.Column(str, pa.Check.isin(config.DIMENSIONS), description="Dimension of the maturity model."),
        "score_low": pa.Column(
            int,
            pa.Check.in_range(1, 5),
            metadata={"unit": "maturity level (1–5)"},
            description="The maturity level given; the lower end where the expert printed a range such as 1-2.",
        ),
        "score_high": pa.Column(
            int,
            pa.Check.in_range(1, 5),
            metadata={"unit": "maturity level (1–5)"},
            description="The maturity level given; the upper end of a printed range (equal to score_low otherwise).",
        ),
    },
    checks=[pa.Check(lambda df: df["score_low"] <= df["score_high"], error="score_low must not exceed score_high")],
    unique=["area", "rater", "dimension"],
    name="maturity_scores",
    title="Smart-city maturity scores by area, rater and dimension",
    description="One row per area, rater and dimension: the expert's and the stakeholders' maturity scores (levels 1–5) of sections 4.1–4.7.",
    strict=True,
    ordered=True,
)

PUBLISHED_MEANS_SCHEMA = pa.DataFrameSchema(
    {
        "area": pa.Column(str, pa.Check.isin(config.AREAS), description="Thematic area."),
        "dimension": pa.Column(str, pa.Check.isin(config.DIMENSIONS), description="Dimension of the maturity model."),
        "printed_mean": pa.Column(
            float,
            pa.Check.in_range(1, 5),
            metadata={"unit": "maturity level (1–5)"},
            description="The stakeholders' average as printed (one decimal).",
        ),
        "n": pa.Column(int, pa.Check.ge(1), description="Number of stakeholder scores averaged."),
        "recomputed_mean": pa.Column(
            float, pa.Check.in_range(1, 5), metadata={"unit": "maturity level (1–5)"}, description="Our exact mean of the same scores."
        ),
        "recomputed_rounded": pa.Column(
            float,
            pa.Check.in_range(1, 5),
            metadata={"unit": "maturity level (1–5)"},
            description="Our mean rounded half-up to one decimal, as the report rounds.",
        ),
        "agrees": pa.Column(bool, description="True when the rounded mean equals the printed one."),
    },
    unique=["area", "dimension"],
    name="published_means_check",
    title="Printed stakeholder averages, recomputed",
    description="For each area and dimension, the printed stakeholder average against our mean of the printed scores.",
    strict=True,
    ordered=True,
)


# --- the curated and model tables of data/raw/, as read (text cells): `make data` validates each ----------

_TEXT = pa.Check.str_length(min_value=1)
_REASON = pa.Check.str_length(min_value=10)

RAW_UNIT_RANGES_SCHEMA = pa.DataFrameSchema(
    {
        "unit": pa.Column(str, _TEXT, unique=True),
        "min": pa.Column(str, pa.Check.str_matches(r"^(-?[0-9]+(\.[0-9]+)?)?$")),
        "max": pa.Column(str, pa.Check.str_matches(r"^(-?[0-9]+(\.[0-9]+)?)?$")),
        "reason": pa.Column(str, _REASON),
        "source": pa.Column(str, _TEXT),
    },
    name="unit_ranges",
)

RAW_THEME_LABELS_SCHEMA = pa.DataFrameSchema(
    {"theme": pa.Column(str, _TEXT, unique=True), "name_pl": pa.Column(str, _TEXT), "source": pa.Column(str, _REASON)},
    name="theme_labels",
)

_NUMBER = pa.Check.str_matches(r"^[0-9]+(\.[0-9]+)?$")

RAW_REFERENCE_RANGES_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, _TEXT),  # one range an indicator and country: cleaning.load_reference_ranges
        "low": pa.Column(str, _NUMBER),
        "high": pa.Column(str, _NUMBER),
        "unit": pa.Column(str, _TEXT),
        "scope": pa.Column(str, _REASON),
        "country": pa.Column(str, pa.Check.str_matches(r"^([A-Z]{2})?$")),
        "approximate": pa.Column(str, pa.Check.isin(["true", "false"])),
        "source": pa.Column(str, _REASON),
        "year": pa.Column(str, pa.Check.str_matches(r"^(19|20)[0-9]{2}$")),
        "note": pa.Column(str, _REASON),
    },
    name="reference_ranges",
)

RAW_CITY_NAMES_PL_SCHEMA = pa.DataFrameSchema(
    {
        "city": pa.Column(str, _TEXT, unique=True),
        **{case: pa.Column(str, _TEXT) for case in ("genitive", "dative", "accusative", "instrumental", "locative")},
        "declined": pa.Column(str, pa.Check.isin(["true", "false"])),
        "source": pa.Column(str, _REASON),
    },
    name="city_names_pl",
)

RAW_CITY_COUNTRIES_SCHEMA = pa.DataFrameSchema(
    {
        "city": pa.Column(str, _TEXT, unique=True),
        "country": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}$")),
        "reason": pa.Column(str, _REASON),
    },
    name="city_countries",
)

RAW_COUNTRY_NAMES_PL_SCHEMA = pa.DataFrameSchema(
    {
        "country": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}$"), unique=True),
        "cldr_pl": pa.Column(str, _TEXT),
        "name_pl": pa.Column(str, _TEXT),
        "reason": pa.Column(str, _REASON),
        "source": pa.Column(str, _REASON),
    },
    name="country_names_pl",
)

RAW_MATURITY_LEVELS_SCHEMA = pa.DataFrameSchema(
    {
        "level": pa.Column(str, pa.Check.isin([str(level) for level in range(1, 6)]), unique=True),
        "name_pl": pa.Column(str, _TEXT),
        "name_en": pa.Column(str, _TEXT),
    },
    name="maturity_levels",
)

RAW_MATURITY_DIMENSIONS_SCHEMA = pa.DataFrameSchema(
    {
        "position": pa.Column(str, pa.Check.isin([str(position) for position in range(1, len(config.DIMENSIONS) + 1)]), unique=True),
        "dimension": pa.Column(str, pa.Check.isin(config.DIMENSIONS), unique=True),
        "name_pl": pa.Column(str, _TEXT),
        "score_table_label_pl": pa.Column(str, _TEXT),
        "name_en": pa.Column(str, _TEXT),
    },
    name="maturity_dimensions",
)

RAW_MATURITY_AREAS_SCHEMA = pa.DataFrameSchema(
    {
        "section": pa.Column(str, pa.Check.str_matches(r"^4\.[1-9]$"), unique=True),
        "area": pa.Column(str, pa.Check.isin(config.AREAS), unique=True),
        "name_pl": pa.Column(str, _TEXT),
        "name_en": pa.Column(str, _TEXT),
    },
    name="maturity_areas",
)
