"""Schemas of the tidy tables (pandera): what every processed file promises."""

from __future__ import annotations

from pathlib import Path

import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from . import config
from .errors import SchemaValidationError

_CODE = r"^[A-Z]{2}\d{1,2}\.\d{1,2}$"


def validate(schema: pa.DataFrameSchema, frame, source: Path | str):
    try:
        return schema.validate(frame, lazy=True)
    except (SchemaError, SchemaErrors) as exc:
        failures = getattr(exc, "failure_cases", None)
        detail = failures.head(10).to_string() if failures is not None else str(exc)
        raise SchemaValidationError(f"{source}: table {schema.name!r} fails validation:\n{detail}") from None


INDICATOR_METADATA_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(_CODE), unique=True),
        "theme": pa.Column(str, pa.Check.str_length(min_value=1)),
        "indicator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "tier": pa.Column(str, pa.Check.isin(config.TIERS)),
        "unit": pa.Column(str, pa.Check.str_length(min_value=1)),
        "polarity": pa.Column(str, pa.Check.isin(config.POLARITIES)),
        "polarity_reason": pa.Column(str, pa.Check.str_length(min_value=10)),
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
