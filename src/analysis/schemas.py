"""Schemas of the tidy tables (pandera): what every processed file promises."""

from __future__ import annotations

from pathlib import Path

import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from . import config
from .errors import SchemaValidationError

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
    return (f"{where}: {value!r} fails {check}"
            + (f" (and {more} more failure(s))" if more else "") + f" [table {schema.name}]")


def _source_at(source, position) -> str:
    if isinstance(source, (str, Path)):
        return str(source)
    if position is not None:
        return str(source.iloc[position])
    return str(source.iloc[0]) if len(source) else "<table>"


INDICATOR_METADATA_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(_CODE), unique=True),
        "theme": pa.Column(str, pa.Check.str_length(min_value=1)),
        "indicator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "tier": pa.Column(str, pa.Check.isin(config.TIERS)),
        "unit": pa.Column(str, pa.Check.str_length(min_value=1)),
        "polarity": pa.Column(str, pa.Check.isin(config.POLARITIES)),
        "polarity_reason": pa.Column(str, pa.Check.str_length(min_value=10)),
        # How far a reader could argue the other direction (issue: inputs such as beds and staff).
        "polarity_confidence": pa.Column(str, pa.Check.isin(("clear", "contested"))),
        "confidence_reason": pa.Column(str, pa.Check.str_length(min_value=10)),
        # A printed label whose meaning differs from the ISO definition (empty when none), in both languages.
        "label_note": pa.Column(str),
        "label_note_pl": pa.Column(str),
    },
    name="indicator_metadata",
    strict=True,
    ordered=True,
)

INDICATORS_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(_CODE)),
        "theme": pa.Column(str),
        "tier": pa.Column(str, pa.Check.isin(config.TIERS)),
        "city": pa.Column(str, pa.Check.str_length(min_value=1)),
        "value": pa.Column(float, nullable=True),
        "unit": pa.Column(str),
        "year": pa.Column("Int64", pa.Check.in_range(1900, 2100), nullable=True),
        "missing": pa.Column(bool),
        "raw": pa.Column(str),
    },
    checks=[
        pa.Check(lambda df: df["missing"] == df["value"].isna(), error="missing flag must match an empty value"),
    ],
    unique=["code", "city"],
    name="indicators",
    strict=True,
    ordered=True,
)

MATURITY_SCORES_SCHEMA = pa.DataFrameSchema(
    {
        "area": pa.Column(str, pa.Check.isin(config.AREAS)),
        "rater": pa.Column(str, pa.Check.str_length(min_value=1)),
        "rater_label": pa.Column(str, pa.Check.str_length(min_value=1)),
        "rater_type": pa.Column(str, pa.Check.isin(("expert", "stakeholder"))),
        "dimension": pa.Column(str, pa.Check.isin(config.DIMENSIONS)),
        "score_low": pa.Column(int, pa.Check.in_range(1, 5)),
        "score_high": pa.Column(int, pa.Check.in_range(1, 5)),
    },
    checks=[pa.Check(lambda df: df["score_low"] <= df["score_high"], error="score_low must not exceed score_high")],
    unique=["area", "rater", "dimension"],
    name="maturity_scores",
    strict=True,
    ordered=True,
)

PUBLISHED_MEANS_SCHEMA = pa.DataFrameSchema(
    {
        "area": pa.Column(str, pa.Check.isin(config.AREAS)),
        "dimension": pa.Column(str, pa.Check.isin(config.DIMENSIONS)),
        "printed_mean": pa.Column(float, pa.Check.in_range(1, 5)),
        "n": pa.Column(int, pa.Check.ge(1)),
        "recomputed_mean": pa.Column(float, pa.Check.in_range(1, 5)),
        "recomputed_rounded": pa.Column(float, pa.Check.in_range(1, 5)),
        "agrees": pa.Column(bool),
    },
    unique=["area", "dimension"],
    name="published_means_check",
    strict=True,
    ordered=True,
)
