"""Answers to a researcher's first questions, each one table (``notebooks/explore.ipynb`` shows them).

Pure functions on the tidy tables: how two cities compare on one theme
(:func:`compare_cities`), which indicators each city leaves empty
(:func:`missing_by_theme`, :func:`missing_for_city`), and how spread one area's
maturity scores are (:func:`score_spread`). Each reads the processed tables when
it is not given one, and refuses an unknown city, theme or area with
:class:`~analysis.errors.UnknownNameError` listing the known ones. The reader's
wording of these tables is in :mod:`analysis.text.explore`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.api import _with_metadata, known_areas, known_cities, load_indicators, load_maturity_scores, resolve_names
from analysis.methods.comparison import FLAGGED

# Why a row of compare_cities names no better city (the column ``note``): ``level`` (a gap under what matters,
# or within the noise of a few events) or why it cannot be compared.
NOT_COMPARED = ("neutral", "definitions", "missing", "excluded", "flagged", "years", "level", "chance")


def screened_values(
    indicators: pd.DataFrame | None = None, *, themes: str | Sequence[str] | None = None, exclude_flagged: str = "errors"
) -> pd.DataFrame:
    """Every (indicator, city) with its screening: adds ``flag`` (worst severity, or empty),
    ``flag_rule`` and ``excluded`` to :func:`analysis.load_indicators` ``(with_metadata=True)``.

    All cities are screened together (some rules compare a city with the others), then
    the rows are restricted to ``themes``. This is the long table the theme figures draw.

    Examples
    --------
    >>> from analysis import explore
    >>> values = explore.screened_values(themes="Transportation")
    >>> sorted(set(values["theme"])), {"flag", "excluded", "polarity"} <= set(values.columns)
    (['Transportation'], True)
    """
    from analysis.methods import benchmark, screening

    frame = _with_metadata(indicators)
    theme_list = resolve_names("theme", themes, list(dict.fromkeys(frame["theme"])))
    flags = screening.screen_values(frame)
    screened = benchmark.add_screening(frame, flags, exclude_flagged)
    if theme_list is not None:
        screened = screened[screened["theme"].isin(theme_list)]
    return screened.reset_index(drop=True)


def _verdicts(values: pd.DataFrame, city: str, other: str, max_year_gap: int) -> pd.DataFrame:
    """Per code: the verdict of ``city`` against ``other`` by the one rule, and the material gap in the unit."""
    from analysis.data.city_facts import exposures
    from analysis.methods import benchmark, comparison

    pair = values[values["city"].isin([city, other])]
    compared = comparison.compare(
        pair,
        city,
        benchmark.comparison_metadata(pair),
        against=other,
        populations=exposures(),
        max_year_gap=max_year_gap,
        set_aside_flagged=True,
    )
    return compared.set_index("code")[["verdict", "material_gap", "level_rule"]]


def compare_cities(
    city: str = "Kielce",
    other: str = "Gdynia",
    theme: str = "Transportation",
    *,
    indicators: pd.DataFrame | None = None,
    exclude_flagged: str = "errors",
    max_year_gap: int = 3,
) -> pd.DataFrame:
    """Two cities side by side on the indicators of one ISO 37120 theme.

    Parameters
    ----------
    city, other : str
        The two cities (case and accents do not matter).
    theme : str
        An ISO 37120 theme (:func:`analysis.known_themes`).
    indicators : pandas.DataFrame, optional
        The indicator table; default the processed one.
    exclude_flagged : {"errors", "none", "errors+warnings"}
        Screened values left out (as in the benchmark report); a flagged value is
        never compared either way.
    max_year_gap : int, default 3
        Reference years further apart make a row ``not comparable``.

    Returns
    -------
    pandas.DataFrame
        One row per indicator of the theme, in code order: ``code, indicator,
        unit, polarity, value, year, flag, other_value, other_year, other_flag,
        difference`` (``value − other_value``, in the unit), ``material_gap`` (the
        smallest difference that matters, in the unit), ``verdict`` of ``city``
        against ``other`` by the benchmark's one rule
        (:func:`analysis.methods.comparison.compare`: ``better``, ``worse``,
        ``level`` — under the material gap or within the Poisson noise of a rare
        event — or ``not comparable``; a value flagged warning or error on either
        side is never compared), ``better`` (the city that is clearly better, or
        empty) and ``note`` (why no city is: ``level``, ``neutral`` — no better
        direction —, ``definitions`` — cities define or source it too differently
        to compare —, ``missing`` — a city has no value —, ``excluded`` — a value
        cannot be right as printed —, ``flagged`` — a doubtful value to verify at
        source —, ``years`` — reference years too far apart —, or ``chance`` — a
        difference of a few events, within chance). ``attrs`` holds
        the resolved ``city``, ``other`` and ``theme``.

    Raises
    ------
    analysis.errors.UnknownNameError
        For an unknown city or theme, or when ``city`` and ``other`` are the same.

    Examples
    --------
    >>> import analysis
    >>> table = analysis.compare_cities("Kielce", "Gdynia", "Transportation")
    >>> table.attrs["city"], table.attrs["other"], len(table)
    ('Kielce', 'Gdynia', 9)
    >>> row = table.set_index("code").loc["TR18.3"]
    >>> float(row["value"]), float(row["other_value"]), row["verdict"], row["better"]
    (177.23, 240.0, 'worse', 'Gdynia')
    >>> analysis.compare_cities("Kielce", "Gdynia", "Transport")
    Traceback (most recent call last):
    ...
    analysis.errors.UnknownNameError: unknown theme 'Transport'; known themes: Economy, Education, ...
    """
    frame = _with_metadata(indicators)
    cities = known_cities(frame)
    (first,) = resolve_names("city", [city], cities)
    (second,) = resolve_names("city", [other], cities)
    if first == second:
        from analysis.errors import UnknownNameError

        raise UnknownNameError(
            f"compare two different cities; both are {first!r} (known cities: {', '.join(cities)})", kind="city", names=[city, other], known=cities
        )
    (theme_name,) = resolve_names("theme", [theme], list(dict.fromkeys(frame["theme"])))
    values = screened_values(frame, themes=theme_name, exclude_flagged=exclude_flagged)
    columns = ["code", "value", "year", "flag", "excluded", "missing"]
    mine = values[values["city"] == first].set_index("code")
    theirs = values[values["city"] == second].set_index("code")[columns[1:]].add_prefix("other_")
    table = mine[["indicator", "unit", "polarity", *columns[1:]]].join(theirs, how="left").reset_index()
    table["difference"] = table["value"] - table["other_value"]
    verdicts = _verdicts(values, first, second, max_year_gap)
    table["material_gap"] = table["code"].map(verdicts["material_gap"])
    table["verdict"] = table["code"].map(verdicts["verdict"])
    flagged = table["flag"].isin(FLAGGED) | table["other_flag"].fillna("").isin(FLAGGED)
    note = pd.Series("", index=table.index, dtype=object)
    unclear = table["verdict"] == "not comparable"
    note[table["verdict"] == "level"] = "level"
    # A difference of a few events is level for another reason than a small gap (an editor: road deaths, 3.03 against
    # 0.40, read "a gap smaller than what matters").
    note[(table["verdict"] == "level") & (table["code"].map(verdicts["level_rule"]) == "chance")] = "chance"
    note[unclear] = "years"
    note[unclear & flagged] = "flagged"
    note[unclear & (table["missing"] | table["other_missing"].fillna(True).astype(bool))] = "missing"
    note[unclear & (table["excluded"] | table["other_excluded"].fillna(False).astype(bool))] = "excluded"
    comparable = values.drop_duplicates("code").set_index("code")["comparable_across_cities"].astype("boolean").fillna(True)
    note[unclear & ~table["code"].map(comparable).fillna(True).astype(bool)] = "definitions"
    note[table["polarity"] == "neutral"] = "neutral"
    better = pd.Series("", index=table.index, dtype=object)
    better[table["verdict"] == "better"] = first
    better[table["verdict"] == "worse"] = second
    table["better"], table["note"] = better, note
    out = table[
        [
            "code",
            "indicator",
            "unit",
            "polarity",
            "value",
            "year",
            "flag",
            "other_value",
            "other_year",
            "other_flag",
            "difference",
            "material_gap",
            "verdict",
            "better",
            "note",
        ]
    ].copy()
    out.attrs.update(city=first, other=second, theme=theme_name)
    return out


def missing_by_theme(indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many indicators of each theme every city leaves without a value.

    Returns
    -------
    pandas.DataFrame
        One row per theme (in the order of the data): ``theme``, ``n_indicators``,
        then one column per city (in the order of the data) with the number of the
        theme's indicators that city has no value for.

    Examples
    --------
    >>> import analysis
    >>> missing = analysis.missing_by_theme()
    >>> missing.columns.tolist()[:7]
    ['theme', 'n_indicators', 'Kielce', 'Eindhoven', 'Gdynia', 'Oakville', 'Porto']
    >>> int(missing["n_indicators"].sum())
    100
    >>> int(missing.set_index("theme").at["Transportation", "Kielce"])
    0
    """
    frame = indicators if indicators is not None else load_indicators()
    cities = known_cities(frame)
    themes = list(dict.fromkeys(frame["theme"]))
    counts = frame.pivot_table(index="theme", columns="city", values="missing", aggfunc="sum").reindex(index=themes, columns=cities)
    sizes = frame.groupby("theme")["code"].nunique().reindex(themes)
    out = counts.fillna(0).astype(int)
    out.insert(0, "n_indicators", sizes.astype(int))
    out.columns.name = None
    return out.rename_axis("theme").reset_index()


def missing_for_city(city: str = "Kielce", indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """The indicators ``city`` has no value for, with the other cities that do report them.

    Returns
    -------
    pandas.DataFrame
        One row per missing indicator, in code order: ``code, theme, tier,
        n_others_reporting`` (how many other cities give a value) and
        ``others_reporting`` (their names, comma-separated). ``attrs["city"]`` is
        the resolved city.

    Raises
    ------
    analysis.errors.UnknownCityError
        For a city not in the data.

    Examples
    --------
    >>> import analysis
    >>> gaps = analysis.missing_for_city("Kielce")
    >>> gaps.columns.tolist()
    ['code', 'theme', 'tier', 'n_others_reporting', 'others_reporting']
    >>> bool((gaps["n_others_reporting"] >= 0).all()), gaps.attrs["city"]
    (True, 'Kielce')
    """
    frame = indicators if indicators is not None else load_indicators()
    (name,) = resolve_names("city", [city], known_cities(frame))
    reported = frame[~frame["missing"] & (frame["city"] != name)].groupby("code", sort=False)["city"].agg(list)
    gaps = frame[(frame["city"] == name) & frame["missing"]][["code", "theme", "tier"]].reset_index(drop=True)
    others = gaps["code"].map(reported).apply(lambda cities: cities if isinstance(cities, list) else [])
    gaps["n_others_reporting"] = others.map(len).astype(int)
    gaps["others_reporting"] = others.map(", ".join)
    gaps.attrs["city"] = name
    return gaps


def score_spread(area: str = "safety", *, scores: pd.DataFrame | None = None, n_boot: int = 2000, seed: int = 2018) -> pd.DataFrame:
    """How spread the stakeholders' maturity scores of one area are, dimension by dimension.

    Parameters
    ----------
    area : str
        An area id (:func:`analysis.known_areas`, e.g. ``"safety"``).
    scores : pandas.DataFrame, optional
        The maturity scores; default the processed table.
    n_boot, seed : int
        Bootstrap resamples of the mean's 95 % interval and their seed.

    Returns
    -------
    pandas.DataFrame
        One row per dimension: ``dimension, n`` (stakeholders who scored it),
        ``mean, ci_low, ci_high, median, sd, iqr, min, max, range, rwg`` (levels
        1–5; as :func:`analysis.methods.dispersion.describe_cells` computes them),
        ``expert_low, expert_high`` (the expert's score or range) and
        ``small_group`` (fewer than five raters: read with care).

    Raises
    ------
    analysis.errors.UnknownNameError
        For an unknown area; the message lists the known ones.

    Examples
    --------
    >>> import analysis
    >>> spread = analysis.score_spread("safety", n_boot=200)
    >>> spread["dimension"].tolist()
    ['strategy', 'data', 'technology', 'governance', 'engagement']
    >>> spread["n"].tolist(), bool(spread["small_group"].all())
    ([3, 3, 3, 3, 3], True)
    >>> bool(((spread["min"] <= spread["median"]) & (spread["median"] <= spread["max"])).all())
    True
    """
    from analysis.methods import dispersion

    frame = scores if scores is not None else load_maturity_scores()
    (name,) = resolve_names("area", [area], known_areas())
    chosen = frame[frame["area"] == name].reset_index(drop=True)
    cells = dispersion.describe_cells(chosen, n_boot=n_boot, seed=seed)
    stakeholder = dispersion.stakeholders(chosen).groupby("dimension")["score_low"]
    cells["min"] = cells["dimension"].map(stakeholder.min()).astype(float)
    cells["max"] = cells["dimension"].map(stakeholder.max()).astype(float)
    expert = chosen[chosen["rater_type"] == "expert"].set_index("dimension")
    cells["expert_low"] = cells["dimension"].map(expert["score_low"]).astype(float)
    cells["expert_high"] = cells["dimension"].map(expert["score_high"]).astype(float)
    columns = [
        "dimension",
        "n",
        "mean",
        "ci_low",
        "ci_high",
        "median",
        "sd",
        "iqr",
        "min",
        "max",
        "range",
        "rwg",
        "expert_low",
        "expert_high",
        "small_group",
    ]
    out = cells[columns].reset_index(drop=True)
    out.attrs["area"] = name
    return out
