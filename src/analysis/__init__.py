"""Kielce Smart City Benchmarks: the 2018 Kielce smart-city diagnosis as tidy data, benchmarks and reports.

Where to begin
--------------
In JupyterLab (``make lab``), open ``notebooks/explore.ipynb``: it loads the tables
and answers a few worked questions with the functions below. Or, in any Python::

    import analysis
    indicators = analysis.load_indicators()     # ISO 37120: one row per (indicator, city)
    scores = analysis.load_maturity_scores()    # maturity: one row per (area, rater, dimension)

``make data`` builds the tables these read (``data/processed/``); the data dictionary,
every column with its type, unit and allowed values, is ``data/processed/datapackage.json``
(written by ``make data``), and the README's "The tidy data" describes them too.

Load
    load_indicators, load_maturity_scores; the names the data know:
    known_cities, known_themes, known_areas.
Benchmark a city (the benchmark report)
    run_benchmark("Kielce", peers=..., themes=...) -> ranks, scores, strengths
    and weaknesses, robustness over thousands of analysis variants.
Maturity scores (the score-dispersion report)
    run_dispersion(areas=...) -> dispersion, rater agreement, expert versus stakeholders.
Screening of the printed values
    screen(cities=...) -> one row per doubtful value and rule, with its severity.
Worked questions (notebooks/explore.ipynb)
    compare_cities("Kielce", "Gdynia", "Transportation"), missing_by_theme(),
    missing_for_city("Kielce"), score_spread("safety").
Names in Polish and English (as printed in the source)
    indicator_names(lang), theme_names(lang), area_names(lang), dimension_names(lang).
Errors
    Bad input raises a ``ValueError`` subclass with a one-line message:
    UnknownNameError (an unknown city, theme or area; the message lists the known
    ones), UnknownCityError (its subclass for cities), ParameterError, DataError
    (a raw table that is readable but wrong), SchemaValidationError.

Every function has a docstring with examples (``help(analysis.run_benchmark)``); the
submodules (``analysis.methods.benchmark``, ``analysis.methods.dispersion``, ``analysis.methods.screening``,
``analysis.figures.plots``, ``analysis.publish.reporting`` …) hold the rest of the library. The
reports themselves are built by ``make reports`` (``python -m analysis``).

Importing ``analysis`` is cheap: the functions are loaded on first use (pandas is not
imported until then), so the command line stays fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# Public name -> the module that defines it (imported on first access, PEP 562).
_EXPORTS = {
    "load_indicators": "api",
    "load_maturity_scores": "api",
    "known_cities": "api",
    "known_themes": "api",
    "known_areas": "api",
    "run_benchmark": "api",
    "run_dispersion": "api",
    "screen": "api",
    "compare_cities": "explore",
    "missing_by_theme": "explore",
    "missing_for_city": "explore",
    "score_spread": "explore",
    "indicator_names": "data.labels",
    "theme_names": "data.labels",
    "area_names": "data.labels",
    "dimension_names": "data.labels",
    "UnknownNameError": "errors",
    "UnknownCityError": "errors",
    "ParameterError": "errors",
    "DataError": "errors",
    "SchemaValidationError": "errors",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    """A public name of :data:`__all__`, imported from its module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    """The module's names, the lazily loaded public ones (:data:`__all__`) included."""
    return sorted(set(globals()) | set(__all__))
