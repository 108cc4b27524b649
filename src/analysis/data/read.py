"""Read the processed tables (the notebooks' only inputs) with their proper types.

Each table is checked against the hash the data step recorded when it wrote it
(a damaged or half-replaced table is refused with one line naming it) and against
its schema; the quotes that neutralised spreadsheet formulas are removed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.data.build import verify_processed
from analysis.data.cleaning import load_indicator_metadata
from analysis.data.schemas import INDICATORS_SCHEMA, MATURITY_SCORES_SCHEMA, validate
from analysis.data.storage import read_regular_bytes, restore_formulas
from analysis.errors import DataError


def _read(path: Path, dtypes: dict) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist; run `make data` first")
    verify_processed(path)
    try:
        data = read_regular_bytes(path)  # a named pipe is refused, never waited on
    except OSError as exc:
        raise DataError(f"cannot read it ({exc.strerror or exc}); run `make data`", file=path) from None
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=dtypes, keep_default_na=False, na_values={"value": [""], "year": [""]})
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"cannot read it as the processed table ({str(exc).splitlines()[0]}); run `make data`", file=path) from None
    return restore_formulas(frame)


def read_indicators(path: Path | None = None) -> pd.DataFrame:
    """``indicators.csv``, validated: value float, year Int64, missing bool."""
    path = Path(path) if path is not None else config.paths().indicators_csv
    frame = _read(
        path,
        {"code": str, "theme": str, "tier": str, "city": str, "value": "float64", "unit": str, "year": "Int64", "missing": bool, "raw": str},
    )
    return validate(INDICATORS_SCHEMA, frame, path)


# What the verdict rule needs of indicator_metadata.csv (analysis.methods.comparison), besides the polarity.
COMPARISON_METADATA = ["material_gap", "material_gap_kind", "construct", "construct_representative", "rate_of_events", "comparable_across_cities"]


def attach_metadata(indicators: pd.DataFrame, metadata: pd.DataFrame) -> pd.DataFrame:
    """Add the English indicator name, polarity and the verdict rule's columns (material gap, construct,
    rate of events) to the tidy indicator table."""
    columns = ["code", "indicator", "polarity", *[c for c in COMPARISON_METADATA if c in metadata]]
    joined = indicators.merge(metadata[columns], on="code", how="left", validate="many_to_one")
    unknown = joined.loc[joined["polarity"].isna(), "code"].unique()
    if len(unknown):
        raise ValueError(f"indicators without metadata: {sorted(unknown)}")
    return joined


def read_benchmark_input(indicators_path: Path | None = None, metadata_path: Path | None = None) -> pd.DataFrame:
    """Processed indicators joined with their English names and polarity."""
    return attach_metadata(read_indicators(indicators_path), load_indicator_metadata(metadata_path))


def read_maturity_scores(path: Path | None = None) -> pd.DataFrame:
    path = Path(path) if path is not None else config.paths().maturity_scores_csv
    frame = _read(
        path,
        {"area": str, "rater": str, "rater_label": str, "rater_type": str, "dimension": str, "score_low": "int64", "score_high": "int64"},
    )
    return validate(MATURITY_SCORES_SCHEMA, frame, path)


def read_table(path: Path) -> pd.DataFrame:
    """Any small raw table (TSV) as text."""
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
