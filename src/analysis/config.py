"""Project paths and the fixed vocabularies of the diagnosis.

Every path the library, the notebooks and the CLI use is defined here, so nothing
builds a path by hand. ``KIELCE_PROJECT_ROOT`` overrides the root (tests use it to
run a build in a scratch copy of the project).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Paths:
    """The project's folders and files under one root, resolved when asked for.

    The module-level constants above are fixed at import (notebooks use them);
    the build and the CLI call :func:`paths` instead, so a test can point
    ``KIELCE_PROJECT_ROOT`` at a scratch copy and run in-process.
    """

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def cities(self) -> Path:
        return self.raw / "cities"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def report_data(self) -> Path:
        return self.reports / "data"

    @property
    def manifest(self) -> Path:
        return self.root / "reports.yml"

    @property
    def indicators_csv(self) -> Path:
        return self.processed / "indicators.csv"

    @property
    def maturity_scores_csv(self) -> Path:
        return self.processed / "maturity_scores.csv"

    @property
    def published_means_csv(self) -> Path:
        return self.processed / "published_means_check.csv"

    @property
    def iso_table(self) -> Path:
        return self.raw / "iso37120_comparison.tsv"

    @property
    def indicator_metadata(self) -> Path:
        return self.raw / "indicator_metadata.csv"

    @property
    def expert_scores(self) -> Path:
        return self.raw / "maturity_expert_scores.tsv"

    @property
    def stakeholder_scores(self) -> Path:
        return self.raw / "maturity_stakeholder_scores.tsv"


def paths(root: Path | str | None = None) -> Paths:
    """The project paths, from ``root``, else ``KIELCE_PROJECT_ROOT`` as it is now, else this checkout."""
    if root is None:
        root = os.environ.get("KIELCE_PROJECT_ROOT") or Path(__file__).resolve().parents[2]
    return Paths(Path(root).resolve())


# The languages of the reports (English is the source language of every message).
LANGUAGES = ("pl", "en")


def check_language(lang: str) -> str:
    """``lang`` if it is a supported language, else ``ValueError`` listing the allowed ones."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    return lang


# Earliest reference year a city file may give (the ISO 37120 standard dates from 2014;
# the printed table's oldest data are from the 2000s).
EARLIEST_YEAR = 1990

# The five cities of the printed ISO 37120 table, in printed order.
SOURCE_CITIES = ("Kielce", "Eindhoven", "Gdynia", "Oakville", "Porto")

AREAS = ("digital", "society", "environment", "economy", "safety", "transport", "infrastructure")
DIMENSIONS = ("strategy", "data", "technology", "governance", "engagement")
TIERS = ("core", "supporting")
POLARITIES = ("higher", "lower", "neutral")

# Label of the printed average row of every stakeholder table.
AVERAGE_ROW_LABEL = "ŚREDNIA"
