"""``data/raw/city_facts.csv``: each city's population, with its year and source, validated line by line.

The comparison (:mod:`analysis.methods.comparison`) turns a rate of events per 100 000 into the
implied count of events (rate x population / 100 000) and its Poisson interval; the population
comes from here. Columns ``city, population, year, approximate, source``: a population that is not
a positive whole number, a year that is not four digits, ``approximate`` other than true/false,
a missing source or a city given twice stops the build naming the file, line and column. A city
without a row (an added city) simply gets no small-count interval.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis.data.parsing import CellParseError

COLUMNS = ("city", "population", "year", "approximate", "source")
MIN_SOURCE = 10


def city_facts_path() -> Path:
    return config.paths().raw / "city_facts.csv"


def load_city_facts(path: Path | str | None = None) -> pd.DataFrame:
    """The city facts, typed: ``population`` and ``year`` int, ``approximate`` bool."""
    from analysis.data.cleaning import read_raw_table

    path = Path(path) if path is not None else city_facts_path()
    table = read_raw_table(path, sep=",", required=COLUMNS, allowed=())

    def fail(reason, text, line, column):
        raise CellParseError(reason, text, file=path, line=line, column=column)

    seen: dict[str, int] = {}
    records = []
    for row in table.itertuples():
        city = row.city.strip()
        if not city:
            fail("every row needs a city", row.city, row.line, "city")
        if city in seen:
            fail(f"city given twice (first on line {seen[city]})", row.city, row.line, "city")
        seen[city] = row.line
        if not row.population.strip().isdigit() or int(row.population) <= 0:
            fail("population must be a positive whole number (no separators)", row.population, row.line, "population")
        if not (row.year.strip().isdigit() and len(row.year.strip()) == 4):
            fail("year must be four digits", row.year, row.line, "year")
        if row.approximate.strip().lower() not in ("true", "false"):
            fail("expected true or false", row.approximate, row.line, "approximate")
        if len(row.source.strip()) < MIN_SOURCE:
            fail("every population needs its source (statistics office, table, year)", row.source, row.line, "source")
        records.append(
            {
                "city": city,
                "population": int(row.population),
                "year": int(row.year),
                "approximate": row.approximate.strip().lower() == "true",
                "source": row.source.strip(),
            }
        )
    return pd.DataFrame.from_records(records, columns=list(COLUMNS))


def populations(facts: pd.DataFrame | None = None) -> dict[str, int]:
    """City -> population (from :func:`load_city_facts` by default)."""
    facts = load_city_facts() if facts is None else facts
    return dict(zip(facts["city"], facts["population"].astype(int)))
