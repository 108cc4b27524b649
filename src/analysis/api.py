"""The public API: the functions ``import analysis`` offers (re-exported lazily by ``analysis/__init__.py``).

Thin, documented entry points over the library: each reads the tidy tables in
``data/processed/`` itself unless it is given a table, checks the names it is given
(an unknown city, theme or area raises :class:`~analysis.errors.UnknownNameError`
listing the known ones) and returns the library's own tables and results.

The examples run as doctests (``tests/test_api.py``) on the processed data, so they
show real output; ``make data`` builds the tables they read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import UnknownNameError

# --- loading ---------------------------------------------------------------------------------------


def load_indicators(*, with_metadata: bool = False, path: str | Path | None = None) -> pd.DataFrame:
    """The ISO 37120 indicators of every city: one row per (indicator, city).

    Parameters
    ----------
    with_metadata : bool, default False
        Add the indicator's English name (``indicator``) and ``polarity``
        (``higher``, ``lower`` or ``neutral``: which direction is better) from
        ``data/raw/indicator_metadata.csv``.
    path : str or Path, optional
        Another ``indicators.csv``; default ``data/processed/indicators.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (canonical, e.g. ``SW16.10``), ``theme``, ``tier``
        (core|supporting), ``city``, ``value`` (float, in ``unit``; NaN when
        missing), ``unit``, ``year`` (reference year, nullable integer),
        ``missing`` (bool) and ``raw`` (the printed cell), validated against the
        schema. Every column is described in the data dictionary
        ``data/processed/datapackage.json``.

    Raises
    ------
    FileNotFoundError
        When the table has not been built (run ``make data``).
    analysis.errors.SchemaValidationError
        When the file breaks its schema.

    See Also
    --------
    load_maturity_scores : the other tidy table.
    known_cities : the cities in this table.

    Examples
    --------
    >>> import analysis
    >>> indicators = analysis.load_indicators()
    >>> indicators.columns.tolist()
    ['code', 'theme', 'tier', 'city', 'value', 'unit', 'year', 'missing', 'raw']
    >>> row = indicators.set_index(["code", "city"]).loc[("EC5.1", "Kielce")]
    >>> float(row["value"]), row["unit"], int(row["year"]), row["raw"]
    (7.7, '%', 2016, '7,7% (2016)')
    >>> analysis.load_indicators(with_metadata=True).loc[0, ["indicator", "polarity"]].tolist()
    ["City's unemployment rate", 'lower']
    """
    from analysis.data import read as datasets

    frame = datasets.read_indicators(path)
    if with_metadata:
        from analysis.data.cleaning import load_indicator_metadata
        from analysis.methods.benchmark import attach_metadata

        frame = attach_metadata(frame, load_indicator_metadata())
    return frame


def load_maturity_scores(*, path: str | Path | None = None) -> pd.DataFrame:
    """The smart-city maturity scores: one row per (area, rater, dimension).

    Parameters
    ----------
    path : str or Path, optional
        Another ``maturity_scores.csv``; default ``data/processed/maturity_scores.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``area`` (``digital``, ``society``, …), ``rater`` (one id per
        stakeholder unit, ``expert`` for the expert), ``rater_label`` (as printed),
        ``rater_type`` (expert|stakeholder), ``dimension`` (``strategy``, ``data``,
        ``technology``, ``governance``, ``engagement``), ``score_low`` and
        ``score_high`` (maturity levels 1–5; equal except where the expert printed
        a range such as ``1-2``).

    Raises
    ------
    FileNotFoundError
        When the table has not been built (run ``make data``).

    See Also
    --------
    run_dispersion : dispersion and rater agreement of these scores.
    score_spread : how spread one area's scores are.

    Examples
    --------
    >>> import analysis
    >>> scores = analysis.load_maturity_scores()
    >>> scores.columns.tolist()
    ['area', 'rater', 'rater_label', 'rater_type', 'dimension', 'score_low', 'score_high']
    >>> scores.groupby("rater_type")["rater"].nunique().to_dict()
    {'expert': 1, 'stakeholder': 44}
    >>> int(scores["score_low"].min()), int(scores["score_high"].max())
    (1, 5)
    """
    from analysis.data import read as datasets

    return datasets.read_maturity_scores(path)


# --- the names the data know -----------------------------------------------------------------------


def known_cities(indicators: pd.DataFrame | None = None) -> list[str]:
    """The cities of the indicator table, in the order of the data (the printed five first).

    Examples
    --------
    >>> import analysis
    >>> analysis.known_cities()[:5]
    ['Kielce', 'Eindhoven', 'Gdynia', 'Oakville', 'Porto']
    """
    frame = indicators if indicators is not None else load_indicators()
    return list(dict.fromkeys(frame["city"]))


def known_themes() -> list[str]:
    """The 17 ISO 37120 themes, by their English names (the keys used in the data).

    Their Polish names are :func:`analysis.data.labels.theme_names` ``("pl")``.

    Examples
    --------
    >>> import analysis
    >>> themes = analysis.known_themes()
    >>> len(themes), themes[0], "Transportation" in themes
    (17, 'Economy', True)
    """
    from analysis.data.cleaning import load_indicator_metadata

    return list(dict.fromkeys(load_indicator_metadata()["theme"]))


def known_areas() -> list[str]:
    """The seven areas of the maturity assessment, by their ids (the keys used in the data).

    Examples
    --------
    >>> import analysis
    >>> analysis.known_areas()
    ['digital', 'society', 'environment', 'economy', 'safety', 'transport', 'infrastructure']
    """
    return list(config.AREAS)


def resolve_names(kind: str, names: str | Iterable[str] | None, known: Sequence[str]) -> list[str] | None:
    """``names`` as the data spell them (matched ignoring case); :class:`UnknownNameError` otherwise.

    ``None`` stays ``None`` (meaning *all*); a single name is a one-element list.

    Examples
    --------
    >>> from analysis.api import resolve_names
    >>> resolve_names("theme", "transportation", ["Economy", "Transportation"])
    ['Transportation']
    >>> resolve_names("theme", ["Transport"], ["Economy", "Transportation"])
    Traceback (most recent call last):
    ...
    analysis.errors.UnknownNameError: unknown theme 'Transport'; known themes: Economy, Transportation
    """
    if names is None:
        return None
    if isinstance(names, str):
        names = [names]
    names = list(names)
    if kind == "city":
        from analysis.data.cities import resolve_city

        return list(dict.fromkeys(resolve_city(name, list(known)) for name in names))
    by_key = {str(name).casefold(): name for name in known}
    unknown = [name for name in names if not isinstance(name, str) or name.strip().casefold() not in by_key]
    if unknown or not names:
        raise UnknownNameError.listing(kind, unknown or ["(none)"], known)
    return list(dict.fromkeys(by_key[name.strip().casefold()] for name in names))


# --- analyses --------------------------------------------------------------------------------------


def _with_metadata(indicators: pd.DataFrame | None) -> pd.DataFrame:
    if indicators is None:
        return load_indicators(with_metadata=True)
    if "polarity" not in indicators:
        from analysis.data.cleaning import load_indicator_metadata
        from analysis.methods.benchmark import attach_metadata

        return attach_metadata(indicators, load_indicator_metadata())
    return indicators


def run_benchmark(
    focal_city: str = "Kielce",
    *,
    peers: Sequence[str] | None = None,
    themes: Sequence[str] | None = None,
    indicators: pd.DataFrame | None = None,
    **options,
):
    """Benchmark one city against its peers on the ISO 37120 indicators, as the benchmark report does.

    Parameters
    ----------
    focal_city : str, default "Kielce"
        The city to benchmark (case and accents do not matter: ``"gdynia"`` works).
    peers : list of str, optional
        The cities to compare with; default every other city.
    themes : str or list of str, optional
        ISO 37120 themes (:func:`known_themes`) to restrict to; default all.
    indicators : pandas.DataFrame, optional
        The indicator table (:func:`load_indicators`); default the processed one.
    **options
        The report's other parameters (``max_year_gap``, ``min_coverage``, ``top_n``,
        ``exclude_flagged``, ``n_variants``, ``seed``): their types, ranges and
        defaults are those of :class:`analysis.params.BenchmarkParams` (the README's table).

    Returns
    -------
    analysis.methods.benchmark.BenchmarkResult
        ``table`` (ranks and scores of every value), ``summary`` (the focal city
        per indicator, with its gap to the peer median), ``theme_scores``,
        ``overall``, ``strengths``, ``weaknesses``, ``coverage``, ``quality_flags``
        and ``robustness``; ``params`` (the run's :class:`~analysis.params.BenchmarkParams`);
        ``analysis.text.benchmark.downloads(result)`` gives the report's CSV tables.

    Raises
    ------
    analysis.errors.UnknownCityError
        For a city that is not in the data (a subclass of :class:`UnknownNameError`).
    analysis.errors.UnknownNameError
        For an unknown theme; the message lists the known ones.
    analysis.errors.ParameterError
        For a parameter out of range, NaN, or a peer list that names the focal city (a
        ``ValueError``; the one-line message names the parameter and what is allowed).

    Examples
    --------
    >>> import analysis
    >>> result = analysis.run_benchmark("Kielce", peers=["Gdynia"], themes="Transportation")
    >>> result.focal_city, result.peers, result.params.max_year_gap
    ('Kielce', ['Gdynia'], 3)
    >>> row = result.summary.set_index("code").loc["TR18.3"]
    >>> float(row["value"]), float(row["peer_median"]), int(row["rank"])
    (177.23, 240.0, 2)
    >>> doubtful = result.summary.set_index("code").loc["TR18.2"]  # a doubtful value: left out of ranks by default
    >>> doubtful["flag"], bool(doubtful["excluded"]), doubtful["rank"]
    ('warning', True, <NA>)
    >>> analysis.run_benchmark("Kielce", themes=["Transport"])
    Traceback (most recent call last):
    ...
    analysis.errors.UnknownNameError: unknown theme 'Transport'; known themes: Economy, Education, ...
    >>> analysis.run_benchmark("Kielce", min_coverage=float("nan"))
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: parameter min_coverage=nan: expected a number from 0 to 1
    """
    from analysis.methods import benchmark

    frame = _with_metadata(indicators)
    theme_list = resolve_names("theme", themes, list(dict.fromkeys(frame["theme"])))
    return benchmark.run_benchmark(frame, focal_city, peers=peers, themes=theme_list, **options)


def run_dispersion(
    areas: str | Sequence[str] | None = None,
    *,
    scores: pd.DataFrame | None = None,
    **options,
):
    """Dispersion and rater agreement of the maturity scores, as the score-dispersion report computes them.

    Parameters
    ----------
    areas : str or list of str, optional
        Area ids (:func:`known_areas`); default all seven.
    scores : pandas.DataFrame, optional
        The scores (:func:`load_maturity_scores`); default the processed table.
    **options
        The report's other parameters: ``collapse_copies`` (count a stakeholder unit's identical
        questionnaires once where the question is about raters), ``exclude_straightliners``
        (leave out rating sets that give every dimension the same level), ``n_boot`` (bootstrap
        resamples) and ``seed``; their types, ranges and defaults are those of
        :class:`analysis.params.DispersionParams` (the README's table).

    Returns
    -------
    analysis.methods.dispersion.DispersionResult
        ``cells`` (per area × dimension: n, mean with bootstrap interval, median,
        sd, IQR, range, r_wg, consensus), ``agreement`` (per area: Kendall's W,
        Friedman's test, Krippendorff's alpha), ``comparison`` and ``gap_tests``
        (expert versus stakeholders), ``raters`` (rater diagnostics) …, ``params`` (the
        run's :class:`~analysis.params.DispersionParams`); ``downloads()`` gives the report's CSV tables.

    Raises
    ------
    analysis.errors.UnknownNameError
        For an unknown area; the message lists the known ones.
    analysis.errors.ParameterError
        For ``n_boot`` out of range or a ``collapse_copies`` that is not a bool (a ``ValueError``;
        the one-line message names the parameter and what is allowed).

    Examples
    --------
    >>> import analysis
    >>> result = analysis.run_dispersion(["transport", "safety"], n_boot=200)
    >>> result.cells.groupby("area", sort=False)["n"].max().to_dict()
    {'safety': 3, 'transport': 7}
    >>> result.small_areas, result.params.n_boot
    (['safety'], 200)
    >>> analysis.run_dispersion("mobility")
    Traceback (most recent call last):
    ...
    analysis.errors.UnknownNameError: unknown area 'mobility'; known areas: digital, society, environment, economy, safety, transport, infrastructure
    """
    from analysis.methods import dispersion

    frame = scores if scores is not None else load_maturity_scores()
    area_list = resolve_names("area", areas, list(dict.fromkeys(frame["area"])))
    return dispersion.run_dispersion(frame, areas=area_list, **options)


def screen(indicators: pd.DataFrame | None = None, *, cities: Sequence[str] | None = None, themes: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Screen the printed indicator values: which ones to doubt, by which rule, and how much.

    The rules (:mod:`analysis.methods.screening`) are generic; their domain knowledge is data
    in ``data/raw/`` (``indicator_relations.csv``, ``city_countries.csv`` and the
    review columns of ``indicator_metadata.csv``). Some rules compare a city with the
    others (outliers, copied cells), so the flags depend on which cities are screened
    together.

    Parameters
    ----------
    indicators : pandas.DataFrame, optional
        The indicator table (:func:`load_indicators`); default the processed one.
    cities : list of str, optional
        The cities to screen together; default all.
    themes : str or list of str, optional
        Only the indicators of these themes; default all.

    Returns
    -------
    pandas.DataFrame
        One row per (code, city, rule): ``code, city, value, raw, rule, severity,
        message`` (``severity`` is ``error`` — not usable as printed, left out of
        ranks by default —, ``warning`` or ``note``), then ``unit``, ``other`` and
        ``amount``.

    Raises
    ------
    analysis.errors.UnknownNameError
        For an unknown city or theme; the message lists the known ones.

    Examples
    --------
    >>> import analysis
    >>> flags = analysis.screen()
    >>> flags.columns.tolist()[:7]
    ['code', 'city', 'value', 'raw', 'rule', 'severity', 'message']
    >>> set(flags["severity"]) <= {"error", "warning", "note"}
    True
    >>> analysis.screen(cities=["Kielce", "Atlantis"])
    Traceback (most recent call last):
    ...
    analysis.errors.UnknownCityError: unknown city 'Atlantis'; known cities: Kielce, Eindhoven, Gdynia, Oakville, Porto...
    """
    from analysis.methods import screening

    frame = indicators if indicators is not None else load_indicators()
    city_list = resolve_names("city", cities, known_cities(frame))
    theme_list = resolve_names("theme", themes, list(dict.fromkeys(frame["theme"])))
    if city_list is not None:
        frame = frame[frame["city"].isin(city_list)]
    if theme_list is not None:
        frame = frame[frame["theme"].isin(theme_list)]
    from analysis.text.screening import describe_flags

    flags = screening.screen_values(frame.reset_index(drop=True))
    return describe_flags(flags)[screening.FLAG_COLUMNS + ["message", "unit", "other", "amount"]]
