"""Project paths and the fixed vocabularies of the diagnosis.

Every path the library, the notebooks and the CLI use is defined here, so nothing
builds a path by hand. ``KIELCE_PROJECT_ROOT`` overrides the root (tests use it to
run a build in a scratch copy of the project).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    """The project's folders and files under one root, resolved when asked for.

    The one path system of the project: every module asks :func:`paths` when it needs a
    path (never at import), so pointing ``KIELCE_PROJECT_ROOT`` at a scratch copy moves
    every read and write, in-process too.
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

    @property
    def maturity_levels(self) -> Path:
        return self.raw / "maturity_levels.tsv"

    @property
    def maturity_dimensions(self) -> Path:
        return self.raw / "maturity_dimensions.tsv"

    @property
    def maturity_areas(self) -> Path:
        return self.raw / "maturity_areas.tsv"

    @property
    def relations_csv(self) -> Path:
        return self.raw / "indicator_relations.csv"

    @property
    def countries_csv(self) -> Path:
        return self.raw / "city_countries.csv"

    @property
    def unit_ranges_csv(self) -> Path:
        return self.raw / "unit_ranges.csv"

    @property
    def theme_labels_csv(self) -> Path:
        return self.raw / "theme_labels.csv"

    @property
    def city_facts_csv(self) -> Path:
        return self.raw / "city_facts.csv"


def paths(root: Path | str | None = None) -> Paths:
    """The project paths, from ``root``, else ``KIELCE_PROJECT_ROOT`` as it is now, else this checkout."""
    if root is None:
        root = os.environ.get("KIELCE_PROJECT_ROOT") or CHECKOUT
    text = str(root)
    return Paths(_resolved(text) if os.path.isabs(text) else Path(text).resolve())  # a relative root follows the cwd


CHECKOUT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=32)
def _resolved(root: str) -> Path:
    # Resolved once per root: the label lookups ask for the paths per name (1 400 times for one workbook),
    # and each resolution walked the file system (a third of a workbook's time).
    return Path(root).resolve()


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
