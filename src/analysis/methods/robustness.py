"""Uncertainty and sensitivity analysis of the benchmark's ranks (JRC/OECD Handbook, steps 5–8).

Every city's rank on every theme and on an overall score (the mean of its theme
scores) is recomputed under every combination of an analyst's reasonable choices:

=================  ==================================================================
choice             options (the report's nominal choice first)
=================  ==================================================================
``normalisation``  ``minmax`` (0–100), ``zscore``, ``rank`` (0–100 by rank),
                   ``distance`` (100 − distance to the best city, as % of the largest
                   magnitude)
``aggregation``    ``mean``, ``geometric`` (of the score shifted to be ≥ 1), ``median``
                   (weighted)
``missing``        ``left_out``, ``imputed`` (peer median), ``common`` (only the indicators
                   every city reports: a sceptical reading found Kielce 3rd, not 4th, on
                   the 32 of them, where averaging what each city reports put it 4th)
``exclude``        ``errors``, ``errors+warnings`` (no variant re-admits an error)
``polarity``       ``curated``, ``neutral`` (contested polarities not ranked),
                   ``alternative`` (each contested polarity read the other way,
                   ``alternative_polarity`` in ``indicator_metadata.csv``: more doctors
                   or police officers per resident better, fewer cars not ranked; a
                   sceptical reading: the grid only ever un-ranked a contested direction)
``years``          ``all``, ``within_gap`` (only values within ``max_year_gap`` of
                   the indicator's median year over the cities that report it, the lower
                   middle one of an even count: the same
                   on every city's page; an analyst found one pair of cities ordered in
                   89.9 % of the variants on one page and 91.0 % on the other while the
                   reference was the page's own city's year)
``themes``         ``all`` (the overall score is the mean of every scored theme),
                   ``three_or_more`` (only of the themes with at least
                   :data:`MIN_THEME_INDICATORS` ranked indicators, each of them telling
                   the cities apart in that variant: an analyst found the overall rank
                   resting on equal weights for themes of one or two indicators, whose
                   verdicts the page itself withholds)
``weights``        ``equal``, ``dirichlet`` (random weights around equal),
                   ``leave_one_out`` (one indicator left out of the scores, the themes'
                   coverage and the theme sets, other choices nominal)
=================  ==================================================================

The full grid of the discrete choices (4 × 3 × 3 × 2 × 3 × 2 × 2 = 864) is crossed with
equal weights and as many Dirichlet weight draws as ``n_variants`` asks for, and
the leave-one-out variants are added. Everything is numpy arrays: one pass per
data treatment (54), all normalisations, weights and cities at once, so the cost
grows linearly with the number of variants.

Ranks: 1 is best; ties share the best rank; a city without a score on a theme
(coverage below ``min_coverage``) has no rank in that variant, and the statistics
of its rank are taken over the variants where it has one.
"""

from __future__ import annotations

import itertools
import pickle
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.params import BenchmarkParams

NORMALISATIONS = ("minmax", "zscore", "rank", "distance")
AGGREGATIONS = ("mean", "geometric", "median")
MISSING = ("left_out", "imputed", "common")
# No variant puts back a value that cannot be right as printed (issue 16): errors are left out in every one
# (unless the report itself is run with exclude_flagged="none", whose nominal variant keeps them).
EXCLUDE = ("errors", "errors+warnings")
POLARITY = ("curated", "neutral", "alternative")
YEARS = ("all", "within_gap")
THEME_SETS = ("all", "three_or_more")
# A theme enters the overall score of the "three_or_more" variants with at least this many ranked indicators: the
# number of comparable indicators a theme verdict needs (analysis.methods.benchmark.THEME_VERDICT_MIN).
MIN_THEME_INDICATORS = 3
CHOICES = {
    "normalisation": NORMALISATIONS,
    "aggregation": AGGREGATIONS,
    "missing": MISSING,
    "exclude": EXCLUDE,
    "polarity": POLARITY,
    "years": YEARS,
    "themes": THEME_SETS,
}
GRID_SIZE = int(np.prod([len(options) for options in CHOICES.values()]))
# Concentration of the Dirichlet weights: 20 × (number of indicators) keeps every
# weight within about ±30 % of equal in most draws — "around equal", not arbitrary.
DIRICHLET_CONCENTRATION = 20.0
OVERALL = "overall"
WEIGHT_CHUNK = 16
_SEVERITY_LEVEL = {"": 0, "note": 0, "warning": 1, "error": 2}
_EXCLUDE_LEVEL = {"none": 3, "errors": 2, "errors+warnings": 1}
DEFAULT = BenchmarkParams()  # the defaults of analyse() are the report's


@dataclass
class Robustness:
    """The result of :func:`analyse` for one focal city.

    ``ranks``: (variant, theme+overall, city) int array, 0 = no rank.
    ``variants``: one row per variant with its choices. ``summary``: per city ×
    theme the rank statistics (see :func:`rank_summary`). ``sensitivity``: per
    choice the mean absolute shift of the focal city's ranks when only that choice
    changes. ``focal_scores``: (variant, theme) the focal city's theme scores.
    (An indicator's robustness is its claim's share of the comparison's variants,
    ``methods.benchmark.claim_shares``; the share of variants in which an indicator stayed
    among the city's ``top_n`` best, a top-N contest no page used, is gone: an analyst of
    the sixteenth session.)
    """

    focal_city: str
    cities: list
    themes: list
    variants: pd.DataFrame
    ranks: np.ndarray
    focal_scores: np.ndarray
    summary: pd.DataFrame
    sensitivity: pd.DataFrame
    # The overall ranks of the main calculation on ISO 37120's core indicators alone (the ``tier`` printed in the
    # source), city → rank (0: no rank): a scenario beside the grid, not one of its variants. An analyst of the sixteenth
    # session found Kielce 5th on them; a second found that pooled as half the grid it overturned every order for
    # reasons of a different index (about half the indicators and whole themes left out; Kielce's only core energy
    # value doubtful, so no Energy score for Kielce and 100 for Porto on one indicator).
    core_ranks: dict | None = None
    # The share of the 864 grid variants (equal weights) in which each city takes each overall place on the core indicators
    # alone, city → {place: share} (an analyst of the eighteenth session: the first screen's "5th on the core indicators",
    # one calculation, was the line most likely to be quoted, and across the grid Kielce is 5th there in about a third).
    core_shares: dict | None = None

    @property
    def n_variants(self) -> int:
        return len(self.variants)

    def share_best_theme(self) -> pd.Series:
        """Per theme: share of variants in which it is the focal city's highest-scoring theme."""
        return _share_extreme(self.focal_scores, self.themes[:-1], best=True)

    def share_worst_theme(self) -> pd.Series:
        return _share_extreme(self.focal_scores, self.themes[:-1], best=False)


def _share_extreme(scores: np.ndarray, themes: list, best: bool) -> pd.Series:
    filled = np.where(np.isnan(scores), -np.inf if best else np.inf, scores)
    extreme = filled.max(axis=1, keepdims=True) if best else filled.min(axis=1, keepdims=True)
    hit = (filled == extreme) & ~np.isnan(scores)
    return pd.Series(hit.mean(axis=0), index=themes)


# --- inputs ----------------------------------------------------------------------------------


def prepare(table: pd.DataFrame, focal_city: str, contested: set, max_year_gap: int, alternatives: dict | None = None):
    """Arrays from the benchmark table (one row per code × city with ``flag``); ``alternatives`` maps a contested
    code to the direction of its other reading (higher, lower or neutral; the curated one where it has none)."""
    # Only the columns read here (reindexing the whole benchmark table copies every column).
    table = table[
        [
            c
            for c in (
                "code",
                "city",
                "value",
                "year",
                "flag",
                "polarity",
                "comparable_across_cities",
                "within_chance",
                "unscored",
                "theme",
                "tier",
            )
            if c in table
        ]
    ]
    codes = sorted(dict.fromkeys(table["code"]))
    cities = sorted(dict.fromkeys(table["city"]))
    if table.duplicated(["code", "city"]).any():
        raise ValueError("the benchmark table has more than one row for a (code, city)")
    # (code × city) arrays, each row of the table put in its place (NaN and no flag where a pair has no row).
    shape = (len(codes), len(cities))
    place = (pd.Index(codes).get_indexer(table["code"]), pd.Index(cities).get_indexer(table["city"]))
    values, years = np.full(shape, np.nan), np.full(shape, np.nan)
    values[place] = table["value"].to_numpy(float)
    years[place] = pd.to_numeric(table["year"], errors="coerce").to_numpy(float)
    severity = np.zeros(shape, dtype=int)
    if "flag" in table:
        severity[place] = table["flag"].fillna("").map(_SEVERITY_LEVEL).fillna(0).to_numpy(int)
    meta = table.drop_duplicates("code").set_index("code").reindex(codes)
    directions = {"higher": 1.0, "lower": -1.0, "neutral": 0.0}
    sign = meta["polarity"].map(directions).to_numpy(float)
    is_contested = np.array([code in contested for code in codes])
    alternatives = alternatives or {}
    other = np.array([directions.get(alternatives.get(code, ""), s) if c else s for code, s, c in zip(codes, sign, is_contested)], dtype=float)
    rankable = np.ones(len(codes), dtype=bool)
    if "comparable_across_cities" in meta:  # an indicator defined too differently between cities is never ranked
        rankable &= meta["comparable_across_cities"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if "within_chance" in meta:  # a rate of rare events on which no two cities differ beyond chance is never ranked
        rankable &= ~meta["within_chance"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if "unscored" in meta:  # a construct's second member, or cities closer together than what matters: never ranked
        rankable &= meta["unscored"].fillna("").astype(str).eq("").to_numpy(dtype=bool)
    sign, other = np.where(rankable, sign, 0.0), np.where(rankable, other, 0.0)
    themes = list(dict.fromkeys(table.sort_values("code", kind="stable")["theme"]))
    themes = sorted(themes)
    membership = np.zeros((len(codes), len(themes)))
    membership[np.arange(len(codes)), [themes.index(t) for t in meta["theme"]]] = 1.0
    focal = cities.index(focal_city)
    # Far from the indicator's median year, not from the focal city's: the ranking's variants, and so every order
    # between two cities, are then the same on every city's page. The lower middle year of an even count, a year some
    # city reports (2015.5 kept no value at all with a gap of 0).
    with np.errstate(all="ignore"):
        reference = np.nanquantile(years, 0.5, axis=1, keepdims=True, method="lower")
    gap = np.abs(years - reference)
    far = (gap > max_year_gap) & ~np.isnan(gap)
    # ISO 37120's core indicators (all of them where the table has no tier).
    core = meta["tier"].eq("core").fillna(False).to_numpy(dtype=bool) if "tier" in meta else np.ones(len(codes), dtype=bool)
    return dict(
        codes=codes,
        cities=cities,
        core=core,
        themes=themes,
        values=values,
        severity=severity,
        sign=sign,
        other=other,
        contested=is_contested,
        membership=membership,
        far=far,
        focal=focal,
    )


# --- the pieces, vectorised -----------------------------------------------------------------


def _normalise(oriented: np.ndarray) -> np.ndarray:
    """(4, I, C) scores, higher = better, NaN where ``oriented`` is NaN."""
    valid = ~np.isnan(oriented)
    with np.errstate(all="ignore"):
        low, high = np.nanmin(oriented, axis=1, keepdims=True), np.nanmax(oriented, axis=1, keepdims=True)
        spread = high - low
        flat = ~(spread > 0)
        minmax = np.where(flat, 50.0, 100 * (oriented - low) / np.where(flat, 1, spread))
        n = valid.sum(axis=1, keepdims=True)
        mean = np.nanmean(oriented, axis=1, keepdims=True)
        sd = np.sqrt(np.nansum((oriented - mean) ** 2, axis=1, keepdims=True) / np.maximum(n - 1, 1))
        zscore = np.where(flat | (n < 2), 0.0, (oriented - mean) / np.where(sd > 0, sd, 1))
        better = _min_ranks(np.where(valid, -oriented, np.inf)) - 1  # cities strictly better (axis 1 is the last)
        rank_score = np.where(n > 1, 100 * (n - 1 - better) / np.maximum(n - 1, 1), 50.0)
        magnitude = np.nanmax(np.abs(oriented), axis=1, keepdims=True)
        distance = np.where(flat, 50.0, 100 - 100 * (high - oriented) / np.where(magnitude > 0, magnitude, 1))
    stack = np.stack([minmax, zscore, rank_score, distance])
    # An indicator on which every reporting city prints the same value (or only one reports) tells no city apart: no
    # score, as in benchmark.normalise_scores (50 for all put it into the theme means).
    return np.where((valid & ~flat)[None], stack, np.nan)


def _median_order(scores: np.ndarray, membership: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each theme's indicators in order of score, per normalisation and city, for the weighted median.

    Returns ``(members, ordered)``, both (N, H, M, C) with M the largest theme: the indicator at each place and its
    score, padded with indicator 0 and NaN. The order is the one sort per theme :func:`_aggregate` did before; it
    does not depend on the weights, so it is taken once per data treatment, not once per chunk of weight sets.
    """
    n_norm, _, n_city = scores.shape
    groups = [np.flatnonzero(membership[:, h]) for h in range(membership.shape[1])]
    width = max((len(g) for g in groups), default=0)
    members = np.zeros((n_norm, len(groups), width, n_city), dtype=np.intp)
    ordered = np.full((n_norm, len(groups), width, n_city), np.nan)
    for h, group in enumerate(groups):
        sub = scores[:, group, :]  # (N, m, C)
        order = np.argsort(np.where(np.isnan(sub), np.inf, sub), axis=1)
        members[:, h, : len(group)] = group[order]
        ordered[:, h, : len(group)] = np.take_along_axis(sub, order, axis=1)
    return members, ordered


def _aggregate(scores: np.ndarray, weights: np.ndarray, membership: np.ndarray, order: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """(K, 3, N, H, C) theme scores: weighted mean, geometric and median per weight vector.

    ``order`` is :func:`_median_order` of ``scores`` (computed here when not given).
    """
    valid = ~np.isnan(scores)  # (N, I, C)
    filled = np.where(valid, scores, 0.0)
    wt = weights[:, :, None] * membership[None]  # (K, I, H)

    def weighted_sum(x):  # (K, N, H, C) = sum over indicators of weight × x, through BLAS
        return np.tensordot(wt, x, axes=([1], [1])).transpose(0, 2, 1, 3)

    den = weighted_sum(valid.astype(float))
    with np.errstate(all="ignore"):
        mean = weighted_sum(filled) / den
        # Geometric mean on a scale shifted so that the lowest score of each normalisation is 1.
        shift = 1.0 - np.nanmin(scores, axis=(1, 2), keepdims=True)
        logs = np.where(valid, np.log(np.where(valid, scores + shift, 1.0)), 0.0)
        geometric = np.exp(weighted_sum(logs) / den) - shift[None, :, :, :]
    # Weighted median: in each theme's score order, the first score at which the weights add up to half the
    # theme's total (all themes at once; the padding weighs 0 and comes last, so the sums are the per-theme ones).
    members, ordered = order if order is not None else _median_order(scores, membership)
    w_sorted = weights[:, members] * ~np.isnan(ordered)[None]  # (K, N, H, M, C)
    cum = np.cumsum(w_sorted, axis=3)
    total = cum[:, :, :, -1:, :]
    first = np.argmax(cum >= 0.5 * total - 1e-12, axis=3)  # (K, N, H, C)
    picked = np.take_along_axis(np.broadcast_to(ordered, w_sorted.shape), first[:, :, :, None, :], axis=3)[:, :, :, 0, :]
    median = np.where(total[:, :, :, 0, :] > 0, picked, np.nan)
    return np.stack([mean, geometric, median], axis=1)


# Up to this many cities, ranks are counted by comparing every pair of cities (a (..., C, C) array); beyond it,
# scipy's rankdata sorts along the axis (O(C log C) per row), so memory stays linear in the cities.
PAIRWISE_RANKS_UP_TO = 12


def _min_ranks(filled: np.ndarray) -> np.ndarray:
    """``scipy.stats.rankdata(filled, method="min", axis=-1)`` (int64, 1 = smallest, ties share the smallest rank) for
    an array without NaN; for few cities, 1 + the number of strictly smaller values, counted pairwise (the same ranks)."""
    if filled.shape[-1] > PAIRWISE_RANKS_UP_TO:
        from scipy.stats import rankdata

        return rankdata(filled, method="min", axis=-1)
    return 1 + (filled[..., None, :] < filled[..., :, None]).sum(axis=-1, dtype=np.int64)


def _rank(scores: np.ndarray) -> np.ndarray:
    """Ranks over the last axis (1 = highest, ties share the best rank, 0 = no score)."""
    filled = np.where(np.isnan(scores), np.inf, -scores)
    ranks = _min_ranks(filled)
    return np.where(np.isnan(scores), 0, ranks).astype(np.int32)


# --- the analysis ---------------------------------------------------------------------------


def analyse(*args, **kwargs) -> Robustness:
    """See :func:`_analyse`; numpy's warnings on all-empty rows (no city reports) are expected."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _analyse(*args, **kwargs)


def _treatment(
    data: dict,
    weights: np.ndarray,
    missing: str,
    exclude: str,
    polarity: str,
    within_gap: bool,
    min_coverage: float,
    core_only: bool = False,
    left_out: int | None = None,
):
    """One data treatment, every normalisation, aggregation and weight set at once: ``(full, scores, reported,
    polar)`` — theme scores and the two overall scores (K, A, N, H+2, C: the mean of every theme, then of the themes
    with at least :data:`MIN_THEME_INDICATORS` ranked indicators), indicator scores (N, I, C), which values are
    reported (I, C) and which indicators are ranked (I). ``left_out``: an indicator (its row) left out of everything, its
    theme's coverage and the themes of at least three ranked indicators included, as if the table had no such row (an
    analyst of the seventeenth session: a weight of 0 kept it in the coverage, so leaving out Energy's EN7.6, which Porto
    does not report, could not give Porto the Energy score it has without it)."""
    values, sign, severity, membership = data["values"], data["sign"], data["severity"], data["membership"]
    usable = (severity < _EXCLUDE_LEVEL[exclude]) & ~np.isnan(values)
    if within_gap:
        usable &= ~data["far"]
    if missing == "common":
        usable &= usable.all(axis=1, keepdims=True)
    direction = {"curated": sign, "neutral": np.where(data["contested"], 0.0, sign), "alternative": data["other"]}[polarity]
    if core_only:  # the supporting indicators are out of the basket, not missing: a theme's coverage counts the core ones
        direction = np.where(data["core"], direction, 0.0)
    if left_out is not None:
        direction = np.where(np.arange(len(direction)) == left_out, 0.0, direction)
    polar = direction != 0
    oriented = np.where(usable & polar[:, None], values * direction[:, None], np.nan)
    reported = ~np.isnan(oriented)
    coverage = (membership.T @ reported) / np.maximum(membership.T @ polar.astype(float), 1)[:, None]  # (H, C)
    enough = coverage >= min_coverage
    if missing == "imputed":
        with np.errstate(all="ignore"):
            peer = np.nanmedian(np.where(reported, oriented, np.nan), axis=1, keepdims=True)
        oriented = np.where(~reported & polar[:, None] & ~np.isnan(peer), peer, oriented)
    scores = _normalise(oriented)  # (N, I, C)
    # Weight sets in chunks of WEIGHT_CHUNK keep the working arrays cache-sized, so the
    # cost grows linearly with the number of variants.
    order = _median_order(scores, membership)
    aggregated = np.concatenate(
        [_aggregate(scores, weights[start : start + WEIGHT_CHUNK], membership, order) for start in range(0, len(weights), WEIGHT_CHUNK)]
    )  # (K, A, N, H, C)
    aggregated = np.where(enough[None, None, None], aggregated, np.nan)
    # Counted among a theme's ranked indicators only where they tell the cities apart (an analyst of the seventeenth session:
    # a row every city prints alike, or one city alone reports, has no score, yet counted towards the three, so Wastewater,
    # scored on one indicator, was among the themes of "at least three ranked indicators").
    scored = ~np.isnan(scores).all(axis=(0, 2))  # (I,)
    thick = (membership.T @ scored.astype(float)) >= MIN_THEME_INDICATORS  # (H,)
    if not thick.any():  # no theme that large: the variant keeps them all (it is then the "all" one)
        thick = np.ones_like(thick)
    with np.errstate(all="ignore"):
        overall = np.nanmean(aggregated, axis=3, keepdims=True)
        overall_thick = np.nanmean(np.where(thick[None, None, None, :, None], aggregated, np.nan), axis=3, keepdims=True)
    return np.concatenate([aggregated, overall, overall_thick], axis=3), scores, reported, polar


_KEPT_TREATMENTS: dict[bytes, dict] = {}


def _analyse(
    table: pd.DataFrame,
    focal_city: str,
    *,
    contested: set = frozenset(),
    max_year_gap: int = DEFAULT.max_year_gap,
    min_coverage: float = DEFAULT.min_coverage,
    n_variants: int = DEFAULT.n_variants,
    seed: int = DEFAULT.seed,
    exclude_flagged: str = DEFAULT.exclude_flagged,
    alternatives: dict | None = None,
) -> Robustness:
    """Ranks of every city on every theme and overall under every variant (see the module doc).

    ``table`` is the benchmark table (``code, theme, city, value, year, polarity,
    flag``); ``contested`` the codes whose polarity is contested and ``alternatives`` the direction of
    their other reading (code → higher, lower or neutral); ``n_variants`` the
    number of grid × weight variants wanted (at least the grid of 864; more adds
    Dirichlet weight draws, 864 per draw); ``seed`` fixes the draws. The result does
    not depend on the order of the rows of ``table``. The parameters are the benchmark's
    (:class:`~analysis.params.BenchmarkParams`, checked by :func:`~analysis.methods.benchmark.run_benchmark`).
    """
    data = prepare(table, focal_city, set(contested), max_year_gap, alternatives)
    values, sign, severity = data["values"], data["sign"], data["severity"]
    membership, focal = data["membership"], data["focal"]
    n_ind, n_city = values.shape
    n_draws = max(0, int(np.ceil(n_variants / GRID_SIZE)) - 1)
    rng = np.random.default_rng(seed)
    equal = np.ones((1, n_ind))
    draws = rng.dirichlet(np.full(n_ind, DIRICHLET_CONCENTRATION), size=n_draws) * n_ind if n_draws else np.empty((0, n_ind))
    weight_sets = np.vstack([equal, draws])

    theme_rows, score_rows, variant_rows = [], [], []
    excludes = (exclude_flagged, *[e for e in EXCLUDE if e != exclude_flagged])[: len(EXCLUDE)]
    # No treatment depends on the focal city: its scores are kept for the next focal city of the same data and choices
    # (a report benchmarks every city against the same others).
    data_key = pickle.dumps(
        (
            data["codes"],
            data["cities"],
            values,
            severity,
            sign,
            data["other"],
            data["contested"],
            membership,
            data["far"],
            data["core"],
            exclude_flagged,
            min_coverage,
            n_variants,
            seed,
        ),
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    if data_key not in _KEPT_TREATMENTS:
        _KEPT_TREATMENTS.clear()
        _KEPT_TREATMENTS[data_key] = {}
    kept = _KEPT_TREATMENTS[data_key]
    for missing, exclude, polarity, years in itertools.product(MISSING, excludes, POLARITY, YEARS):
        nominal_data = (missing, exclude, polarity, years) == ("left_out", exclude_flagged, "curated", "all")
        weights = weight_sets
        treatment = (missing, exclude, polarity, years)
        if treatment in kept:
            full, scores, reported, polar = kept[treatment]
        else:
            full, scores, reported, polar = _treatment(data, weights, missing, exclude, polarity, years == "within_gap", min_coverage)
            for array in (full, scores, reported, polar):
                array.setflags(write=False)  # shared by the next focal cities' analyses
            kept[treatment] = (full, scores, reported, polar)
        n_grid = len(weight_sets)
        n_themes = full.shape[3] - 2
        for theme_set, overall in zip(THEME_SETS, (n_themes, n_themes + 1)):
            # The theme scores and one of the two overall scores (the themes' ranks repeat across the two sets).
            picked = full[:n_grid, :, :, [*range(n_themes), overall]]
            theme_rows.append(picked.reshape(-1, *picked.shape[3:]))
            score_rows.append(full[:n_grid, :, :, :n_themes, focal].reshape(-1, n_themes))
            for k, aggregation, normalisation in itertools.product(range(n_grid), AGGREGATIONS, NORMALISATIONS):
                variant_rows.append(
                    (normalisation, aggregation, missing, exclude, polarity, years, theme_set, "equal" if k == 0 else "dirichlet", k, "")
                )
        if nominal_data:
            # Each ranked indicator left out in turn, from the main calculation: a treatment of its own, whose coverage
            # and themes no longer count it (kept, as the grid's, for the next focal city).
            for at in np.flatnonzero(sign != 0):
                key = (*treatment, "left_out", int(at))
                if key not in kept:
                    left, *_ = _treatment(data, equal, missing, exclude, polarity, False, min_coverage, left_out=int(at))
                    left.setflags(write=False)
                    kept[key] = left
                theme_rows.append(kept[key][:1, AGGREGATIONS.index("mean"), NORMALISATIONS.index("minmax")][:, : n_themes + 1])
                score_rows.append(kept[key][:1, AGGREGATIONS.index("mean"), NORMALISATIONS.index("minmax"), :n_themes, focal])
                variant_rows.append(("minmax", "mean", missing, exclude, polarity, years, "all", "leave_one_out", 0, np.asarray(data["codes"])[at]))

    all_scores = np.concatenate(theme_rows)  # (V, H+1, C)
    ranks = _rank(all_scores)
    variants = pd.DataFrame(variant_rows, columns=[*CHOICES, "weights", "weight_draw", "left_out"])
    nominal = {**{choice: options[0] for choice, options in CHOICES.items()}, "exclude": exclude_flagged}
    variants["nominal"] = (
        np.logical_and.reduce([variants[c].to_numpy() == v for c, v in nominal.items()]) & (variants["weights"] == "equal").to_numpy()
    )
    themes = [*data["themes"], OVERALL]
    summary = rank_summary(ranks, themes, data["cities"], variants)
    sensitivity = choice_sensitivity(ranks[:, :, focal], variants)
    core_ranks, core_shares = None, None
    if data["core"].any() and not data["core"].all():
        core_rows = []
        for treatment in itertools.product(MISSING, excludes, POLARITY, YEARS):
            key = ("core", *treatment)
            if key not in kept:
                missing, exclude, polarity, years = treatment
                core, *_ = _treatment(data, equal, missing, exclude, polarity, years == "within_gap", min_coverage, core_only=True)
                core.setflags(write=False)
                kept[key] = core
            n_themes = kept[key].shape[3] - 2
            core_rows.append(kept[key][0, :, :, [n_themes, n_themes + 1], :].reshape(-1, 1, n_city))  # both theme sets
            if treatment == ("left_out", exclude_flagged, "curated", "all"):
                overall_core = kept[key][0, AGGREGATIONS.index("mean"), NORMALISATIONS.index("minmax"), [n_themes], :]  # (1, C)
                core_ranks = dict(zip(data["cities"], _rank(overall_core[None])[0, 0].tolist()))
        core_grid = _rank(np.concatenate(core_rows))[:, 0, :]  # (864, C); 0: no rank
        core_shares = {
            city: {place: float(np.mean(core_grid[:, c] == place)) for place in range(1, n_city + 1)} for c, city in enumerate(data["cities"])
        }
    return Robustness(focal_city, data["cities"], themes, variants, ranks, np.concatenate(score_rows), summary, sensitivity, core_ranks, core_shares)


def nominal_index(variants: pd.DataFrame) -> int:
    """Row of the report's own choices (first option of every choice, equal weights)."""
    return int(np.flatnonzero(variants["nominal"].to_numpy())[0])


def rank_summary(ranks: np.ndarray, themes: list, cities: list, variants: pd.DataFrame) -> pd.DataFrame:
    """Per city × theme: ``rank_nominal``, ``rank_median``, ``rank_p05``, ``rank_p95``, ``rank_min``,
    ``rank_max``, ``n_variants`` (variants in which the city has a rank) and ``share_rank_1`` …
    ``share_rank_<number of cities>`` (shares of those variants)."""
    nominal = ranks[nominal_index(variants)]
    # The ranks are whole numbers 1 … C: every statistic comes from how often each rank occurs (the k-th smallest
    # rank is 1 + the number of ranks whose cumulative count is at most k), as np.nanmedian, np.nanpercentile
    # (method lower / higher) and np.nanmin / np.nanmax give them over the variants with a rank.
    top = max(len(cities), int(ranks.max(initial=0)))
    occurs = np.stack([(ranks == r).sum(axis=0) for r in range(1, top + 1)])  # (rank, theme, city)
    cumulative = np.cumsum(occurs, axis=0)
    counted = cumulative[-1] if top else np.zeros(ranks.shape[1:], dtype=int)

    def kth(k) -> np.ndarray:  # the k-th smallest rank (0-based) per (theme, city); NaN without any rank
        value = 1 + (cumulative <= np.asarray(k)[None]).sum(axis=0)
        return np.where(counted > 0, value.astype(float), np.nan)

    last = np.maximum(counted - 1, 0)
    median = np.where(counted % 2 == 1, kth(last // 2), (kth(np.maximum(counted // 2 - 1, 0)) + kth(counted // 2)) / 2)
    p05 = kth(np.floor(last * np.true_divide(5, 100)).astype(np.intp))
    p95 = kth(np.ceil(last * np.true_divide(95, 100)).astype(np.intp))
    low, high = kth(np.zeros_like(last)), kth(last)
    frame = pd.DataFrame(
        {
            "city": np.repeat([cities], len(themes), axis=0).ravel(),
            "theme": np.repeat(themes, len(cities)),
            "rank_nominal": pd.array(np.where(nominal > 0, nominal, 0).ravel(), dtype="Int64"),
            "rank_median": median.ravel(),
            "rank_p05": p05.ravel(),
            "rank_p95": p95.ravel(),
            "rank_min": low.ravel(),
            "rank_max": high.ravel(),
            "n_variants": counted.ravel(),
        }
    )
    frame.loc[frame["rank_nominal"] == 0, "rank_nominal"] = pd.NA
    for r in range(1, len(cities) + 1):
        with np.errstate(all="ignore"):
            frame[f"share_rank_{r}"] = (occurs[r - 1] / np.maximum(counted, 1)).ravel()
    return frame.sort_values(["city", "theme"]).reset_index(drop=True)


def overall_order(robustness: Robustness) -> pd.DataFrame:
    """Per other city, how the focal city's overall rank compares with it over the variants in which both have one.

    Columns ``city``, ``n_variants``, ``share_above`` (the focal city ranks higher, a smaller rank number),
    ``share_below`` and ``share_tied``. Two cities whose 5–95 % rank ranges overlap may still keep one order in
    almost every variant (a sceptical reading: Kielce's range 3–5 overlapped Eindhoven's, whose median rank was 3
    to Kielce's 5): the page's "does not separate" rests on this order, not on the ranges.

    ``least_above`` and ``least_below``: the smallest of those shares among the variants of any one setting of any one
    choice of :data:`CHOICES` (``least_above_choice``, ``least_below_choice``: which choice) (e.g. only the variants whose overall score averages the themes of at least three
    indicators). An order one setting turns around (under a half there) rests on that choice, whatever its share over
    the whole grid: two analysts found Kielce "probably behind Gdynia" in 69.5 % of the variants, 93 % with every theme
    in the overall score and 46 % with the themes of three or more indicators, where Kielce is 3rd.
    """
    overall = robustness.ranks[:, -1, :]
    focal = robustness.cities.index(robustness.focal_city)
    settings = [(column, robustness.variants[column].to_numpy()) for column in CHOICES if column in robustness.variants]
    rows = []
    for k, city in enumerate(robustness.cities):
        if k == focal:
            continue
        both = (overall[:, focal] > 0) & (overall[:, k] > 0)
        n = int(both.sum())
        mine, theirs = overall[both, focal], overall[both, k]
        above, below = mine < theirs, mine > theirs
        least_above = least_below = np.nan
        turned_above = turned_below = ""
        if n:
            least_above, least_below = float(above.mean()), float(below.mean())
            for column, values in settings:
                values = values[both]
                for value in pd.unique(values):
                    chosen = values == value
                    if float(above[chosen].mean()) < least_above:
                        least_above, turned_above = float(above[chosen].mean()), column
                    if float(below[chosen].mean()) < least_below:
                        least_below, turned_below = float(below[chosen].mean()), column
        rows.append(
            {
                "city": city,
                "n_variants": n,
                "share_above": float(above.mean()) if n else np.nan,
                "share_below": float(below.mean()) if n else np.nan,
                "share_tied": float((mine == theirs).mean()) if n else np.nan,
                "least_above": least_above,
                "least_below": least_below,
                "least_above_choice": turned_above,
                "least_below_choice": turned_below,
            }
        )
    columns = ["city", "n_variants", "share_above", "share_below", "share_tied", "least_above", "least_below"]
    return pd.DataFrame(rows, columns=[*columns, "least_above_choice", "least_below_choice"])


# An order between two cities is said (plainly or with "probably") only if no one setting of one choice turns it around:
# it holds in at least this share of the variants of every setting.
ORDER_LEAST_SHARE = 0.5


def focal_rank_shares(robustness: Robustness, **choices: str) -> pd.Series:
    """The focal city's overall rank over the variants with the given ``choices`` (``polarity="neutral"``): the share of
    each rank (index 1 … number of cities) among those in which it has one; empty when none has.

    A sceptical reading and an official: the main calculation scores the indicators of debatable direction (fewer cars,
    less waste and water) as lower-is-better, in Kielce's favour, while the page calls them neither strength nor
    weakness; the place without them answers whether it rests on them."""
    keep = np.ones(len(robustness.variants), dtype=bool)
    for column, value in choices.items():
        keep &= (robustness.variants[column] == value).to_numpy()
    overall = robustness.ranks[keep, -1, robustness.cities.index(robustness.focal_city)]
    overall = overall[overall > 0]
    if not len(overall):
        return pd.Series(dtype=float)
    counts = pd.Series(overall).value_counts(normalize=True)
    return counts.reindex(range(1, len(robustness.cities) + 1), fill_value=0.0)


def choice_sensitivity(focal_ranks: np.ndarray, variants: pd.DataFrame) -> pd.DataFrame:
    """Per choice: the mean absolute shift of the focal city's ranks (themes and overall), and of its overall place
    alone (``overall_shift``), when only that choice leaves the report's default (equal weights otherwise; for ``weights``,
    the Dirichlet draws; for ``leave_one_out``, each indicator left out in turn), and the
    share of those (variant, theme) pairs whose rank changes."""
    base = variants.iloc[nominal_index(variants)]
    nominal = focal_ranks[nominal_index(variants)]
    rows = []
    choices = {**CHOICES, "weights": ("equal", "dirichlet"), "leave_one_out": ("equal", "leave_one_out")}
    # Each choice's column compared with the default once (not once per other choice).
    at_base = {choice: variants[choice].to_numpy() == base[choice] for choice in CHOICES}
    weights = variants["weights"].to_numpy()
    for choice, options in choices.items():
        others = [c for c in CHOICES if c != choice]
        mask = np.ones(len(variants), dtype=bool)
        for other in others:
            mask &= at_base[other]
        if choice in CHOICES:
            mask &= (weights == "equal") & ~at_base[choice]
        else:
            mask &= weights == options[1]
        picked = focal_ranks[mask]
        both = (picked > 0) & (nominal[None] > 0)
        shift = np.abs(picked.astype(int) - nominal[None].astype(int))[both]
        # The overall place on its own (an analyst of the eleventh session: averaged over the themes' ranks too, the
        # theme-set choice, which moves the overall place only, looked minor where it moved Kielce from 4th to 3rd).
        overall = np.abs(picked[:, -1].astype(int) - int(nominal[-1]))[both[:, -1]] if picked.ndim == 2 else np.array([])
        rows.append(
            {
                "choice": choice,
                "n_variants": int(mask.sum()),
                "mean_abs_rank_shift": float(shift.mean()) if shift.size else 0.0,
                "share_changed": float((shift > 0).mean()) if shift.size else 0.0,
                "overall_shift": float(overall.mean()) if overall.size else 0.0,
            }
        )
    return pd.DataFrame(rows).sort_values(["mean_abs_rank_shift", "choice"], ascending=[False, True]).reset_index(drop=True)


def download(robustness: Robustness) -> pd.DataFrame:
    """``benchmark-<city>-robustness.csv``: language-independent, one row per city × theme."""
    columns = ["city", "theme", "rank_nominal", "rank_median", "rank_p05", "rank_p95", "n_variants"]
    shares = [c for c in robustness.summary if c.startswith("share_rank_")]
    out = robustness.summary[columns + shares].copy()
    out[shares] = out[shares].round(4)
    return out
