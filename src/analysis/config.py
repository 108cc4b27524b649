"""Project paths and the fixed vocabularies of the diagnosis.

Every path the library, the notebooks and the CLI use is defined here, so nothing
builds a path by hand. ``KIELCE_PROJECT_ROOT`` overrides the root (tests use it to
run a build in a scratch copy of the project).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJ_ROOT = Path(os.environ.get("KIELCE_PROJECT_ROOT", Path(__file__).resolve().parents[2])).resolve()

RAW_DIR = PROJ_ROOT / "data" / "raw"
PROCESSED_DIR = PROJ_ROOT / "data" / "processed"
EXTRA_CITIES_DIR = RAW_DIR / "cities"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
BUILD_DIR = PROJ_ROOT / "build"
REPORTS_DIR = PROJ_ROOT / "reports"
REPORT_DATA_DIR = REPORTS_DIR / "data"

# Raw tables, transcribed verbatim from the source document.
ISO_TABLE = RAW_DIR / "iso37120_comparison.tsv"
INDICATOR_METADATA = RAW_DIR / "indicator_metadata.csv"
EXPERT_SCORES = RAW_DIR / "maturity_expert_scores.tsv"
STAKEHOLDER_SCORES = RAW_DIR / "maturity_stakeholder_scores.tsv"
MATURITY_LEVELS = RAW_DIR / "maturity_levels.tsv"
MATURITY_DIMENSIONS = RAW_DIR / "maturity_dimensions.tsv"
MATURITY_AREAS = RAW_DIR / "maturity_areas.tsv"

# Processed tables, written by `make data`.
INDICATORS_CSV = PROCESSED_DIR / "indicators.csv"
MATURITY_SCORES_CSV = PROCESSED_DIR / "maturity_scores.csv"
PUBLISHED_MEANS_CSV = PROCESSED_DIR / "published_means_check.csv"

# The five cities of the printed ISO 37120 table, in printed order.
SOURCE_CITIES = ("Kielce", "Eindhoven", "Gdynia", "Oakville", "Porto")

AREAS = ("digital", "society", "environment", "economy", "safety", "transport", "infrastructure")
DIMENSIONS = ("strategy", "data", "technology", "governance", "engagement")
TIERS = ("core", "supporting")
POLARITIES = ("higher", "lower", "neutral")

# Label of the printed average row of every stakeholder table.
AVERAGE_ROW_LABEL = "ŚREDNIA"
