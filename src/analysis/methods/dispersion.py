"""How much the maturity scores disperse and how far the raters agree.

Pure functions on ``maturity_scores.csv`` (one row per area, rater, dimension;
``score_low``/``score_high`` equal except for an expert range such as ``1-2``).

Which library computes what
---------------------------
* bootstrap confidence interval of the mean: ``scipy.stats.bootstrap`` (percentile);
* Kendall's W with tie correction and its chi-square p-value: from Friedman's
  statistic of ``scipy.stats.friedmanchisquare`` (tie-corrected), W = χ² / (m (k − 1));
* Friedman test with the Iman–Davenport F correction (better for few raters), as
  ``pingouin.friedman(method="f")`` computes it (cross-checked in the tests);
* Krippendorff's alpha (ordinal, values 1–5): ``krippendorff.alpha``;
* expert versus stakeholders, with the rater as the unit: a cluster bootstrap over
  raters and a sign-flip test that keeps each rater's answers together (both
  vectorised numpy, written out here), cross-checked by ``statsmodels`` MixedLM
  with a random intercept per rater;
* Wilcoxon signed-rank test over the area × dimension cells (``scipy.stats.wilcoxon``),
  a descriptive aside only: it treats cells that share raters as independent;
* rwg and Tastle–Wierman consensus are short formulas written out here.

Units
-----
A *rating set* is one rater's five scores for one area (61 sets in the source);
a *rater* is one stakeholder unit (44). A set that repeats, dimension by
dimension, the same rater's set for an earlier area is a *copy* (16). Questions
about an area (its dispersion and agreement) use every set of that area;
questions about raters (straight-lining, overall level, expert versus stakeholders)
count a rater's copies once when ``collapse_copies`` is true.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import stats

from analysis.methods.raters import (
    MIN_RATERS_FOR_AGREEMENT,
    answer_tables,
    drop_likely_duplicates,
    expert_dimension_range,
    identical_pairs_by_chance,
    likely_duplicates,
    rater_variance,
    share_intervals,
    stakeholders,
)
from analysis.params import DispersionParams

SCALE = (1, 2, 3, 4, 5)
# Variance of a uniform ("no agreement") distribution over A = 5 levels: (A² − 1) / 12 = 2.
UNIFORM_NULL_VARIANCE = (len(SCALE) ** 2 - 1) / 12
# How tables and figures mark a small group (explained in every caption and legend).
SMALL_MARK = "*"
CONFIDENCE = 0.95
DEFAULT = DispersionParams()  # the defaults of the functions below are the report's (analysis.params)


def rating_matrix(scores: pd.DataFrame, area: str, dimensions: list[str] | None = None) -> pd.DataFrame:
    """Stakeholder ratings of one area as raters × dimensions (NaN where a rating is missing)."""
    cell = stakeholders(scores)
    cell = cell[cell["area"] == area]
    matrix = cell.pivot(index="rater", columns="dimension", values="score_low")
    order = dimensions or list(dict.fromkeys(cell["dimension"]))
    raters = list(dict.fromkeys(cell["rater"]))
    return matrix.reindex(index=raters, columns=order).astype(float)


class _Tables:
    """The tables of one set of scores that several steps need, each made the first time it is asked for.

    :func:`run_dispersion` makes one for each set of scores it looks at (the chosen scores, and
    from them those without straight-liners, without likely duplicates, with copies collapsed) and
    passes it to its steps, so no step computes again what another has computed (a run used to
    compute the rating sets seven times and the agreement five). It lives for one run only:
    nothing is kept between runs or between parameters. The public functions make their own.
    The tables are shared between steps, which must not change them.
    """

    def __init__(self, scores: pd.DataFrame):
        self.scores = scores

    @cached_property
    def cell(self) -> pd.DataFrame:
        return stakeholders(self.scores)

    @cached_property
    def cell_values(self) -> dict[tuple, np.ndarray]:
        """The stakeholders' levels of each (area, dimension) present, in data order."""
        grouped = self.cell.groupby(["area", "dimension"], sort=False)["score_low"]
        return {key: values.to_numpy(float) for key, values in grouped}

    @cached_property
    def answers(self) -> dict[str, pd.DataFrame]:
        return answer_tables(self.scores)

    @cached_property
    def duplicates(self) -> pd.DataFrame:
        return likely_duplicates(self.scores, tables=self.answers)

    @cached_property
    def sets(self) -> pd.DataFrame:
        return _rating_sets(self)

    @cached_property
    def small_areas(self) -> list[str]:
        counts = self.cell.groupby("area", sort=False)["rater"].nunique()
        return [area for area, n in counts.items() if n < MIN_RATERS_FOR_AGREEMENT]

    @cached_property
    def matrices(self) -> dict[str, pd.DataFrame]:
        return _rating_matrices(self.cell)

    @cached_property
    def agreement(self) -> pd.DataFrame:
        return _agreement_by_area(self)

    @cached_property
    def variance(self) -> pd.DataFrame:
        return rater_variance(self.scores, tables=self.answers)

    @cached_property
    def without_straightliners(self) -> _Tables:
        return _Tables(_exclude_straightliners(self))

    @cached_property
    def without_duplicates(self) -> _Tables:
        return _Tables(drop_likely_duplicates(self.scores, found=self.duplicates))

    @cached_property
    def copies_collapsed(self) -> _Tables:
        return _Tables(_collapse_rater_copies(self))


def _rating_matrices(cell: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """:func:`rating_matrix` of every area of the stakeholder rows ``cell``, in data order, from one pass."""
    if cell.duplicated(["area", "rater", "dimension"]).any():
        return {area: rating_matrix(cell, area) for area in dict.fromkeys(cell["area"])}  # pivot's own error
    out = {}
    for area, group in cell.groupby("area", sort=False):
        rows, raters = pd.factorize(group["rater"])  # in order of first appearance, as rating_matrix orders them
        columns, dimensions = pd.factorize(group["dimension"])
        values = np.full((len(raters), len(dimensions)), np.nan)
        values[rows, columns] = group["score_low"].to_numpy(float)
        out[area] = pd.DataFrame(values, index=pd.Index(raters, name="rater"), columns=pd.Index(dimensions, name="dimension"))
    return out


# --- one area × dimension -------------------------------------------------------------


def rwg(values) -> float:
    """Within-group agreement r_wg = 1 − s² / σ²_EU (σ²_EU = 2 on a 5-point scale), truncated at 0.

    1 means every rater gave the same level; 0 means the ratings vary as much as
    (or more than) answers spread evenly over the five levels. NaN for fewer than two ratings.
    """
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) < 2:
        return float("nan")
    return float(max(0.0, 1 - values.var(ddof=1) / UNIFORM_NULL_VARIANCE))


def tastle_wierman_consensus(values, scale=SCALE) -> float:
    """Tastle & Wierman (2007) ordinal consensus: 1 = all on one level, 0 = split between the extremes.

    Cns = 1 + Σ pᵢ log₂(1 − |Xᵢ − μ| / d), d = max(scale) − min(scale).
    """
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return float("nan")
    levels = np.asarray(scale, dtype=float)
    shares = np.array([(values == level).mean() for level in levels])
    width = levels.max() - levels.min()
    mu = values.mean()
    present = shares > 0
    return float(1 + np.sum(shares[present] * np.log2(1 - np.abs(levels[present] - mu) / width)))


def bootstrap_mean_ci(values, n_boot: int, seed, confidence: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean; a single value or one distinct value gives a point."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return float("nan"), float("nan")
    if len(np.unique(values)) == 1:
        return float(values[0]), float(values[0])
    result = stats.bootstrap(
        (values,),
        np.mean,
        n_resamples=n_boot,
        confidence_level=confidence,
        method="percentile",
        rng=np.random.default_rng(seed),
        vectorized=True,
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def t_interval_of_mean(values, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """A t-based interval of the mean (Student's t with n − 1 degrees of freedom).

    Chosen over a percentile bootstrap, which is too narrow with 7–13 values (it ignores
    the t distribution's heavier tails). Groups under :data:`MIN_RATERS_FOR_AGREEMENT`
    get none (NaN, NaN); a group whose answers are all equal gets a point. The interval is
    cut at the ends of the scale (levels 1 and 5): the mean of answers on the scale cannot
    lie outside it, and an interval "from 0.9" (a psychometrician's reading) names a level
    that does not exist.
    """
    return _t_interval_of_mean(values, confidence, {})


def _t_interval_of_mean(values, confidence: float, quantiles: dict) -> tuple[float, float]:
    """:func:`t_interval_of_mean`, with the t quantiles of each number of degrees of freedom kept
    in ``quantiles`` for the next group of one call (scipy's ``t.interval(confidence, df, loc, scale)``
    is ``t.interval(confidence, df)`` × scale + loc, so the numbers are the same)."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) < MIN_RATERS_FOR_AGREEMENT:
        return float("nan"), float("nan")
    mean, sem = float(values.mean()), float(stats.sem(values))
    if sem == 0:
        return mean, mean
    df = len(values) - 1
    if (confidence, df) not in quantiles:
        quantiles[confidence, df] = stats.t.interval(confidence, df)
    low, high = quantiles[confidence, df]
    return float(max(low * sem + mean, SCALE[0])), float(min(high * sem + mean, SCALE[-1]))


def describe_cells(scores: pd.DataFrame, n_boot: int = 2000, seed: int = 2018) -> pd.DataFrame:
    """Per area × dimension: n, mean with its interval, median, sd, quartiles, IQR, share of
    answers within one level of the median, range, rwg, consensus.

    Unit: the area's rating sets (n = raters who scored that dimension of that area). Levels
    1–5; ``range`` is highest minus lowest level (one rater decides it; ``iqr``, the spread of
    the middle half, and ``within_one`` describe the group better). ``ci_low``/``ci_high`` is a
    t-based 95 % interval of the mean (:func:`t_interval_of_mean`, cut at levels 1 and 5) for groups
    of at least five raters, and missing for smaller groups; ``small_group`` is true when the area has fewer than
    five raters. ``n_boot`` and ``seed`` are accepted for symmetry with the other steps and unused.
    """
    return _describe_cells(_Tables(scores))


def _describe_cells(tables: _Tables) -> pd.DataFrame:
    rows = []
    cell_scores = tables.cell
    areas = list(dict.fromkeys(cell_scores["area"]))
    dimensions = list(dict.fromkeys(cell_scores["dimension"]))
    quantiles: dict = {}
    for area in areas:
        for dimension in dimensions:
            values = tables.cell_values.get((area, dimension), np.array([], dtype=float))
            low, high = _t_interval_of_mean(values, CONFIDENCE, quantiles)
            q1, q3 = np.percentile(values, [25, 75]) if len(values) else (np.nan, np.nan)
            median = np.median(values) if len(values) else np.nan
            rows.append(
                {
                    "area": area,
                    "dimension": dimension,
                    "n": len(values),
                    "mean": values.mean() if len(values) else np.nan,
                    "ci_low": low,
                    "ci_high": high,
                    "median": median,
                    "sd": values.std(ddof=1) if len(values) > 1 else np.nan,
                    "q1": q1,
                    "q3": q3,
                    "iqr": q3 - q1,
                    "within_one": float(np.mean(np.abs(values - median) <= 1)) if len(values) else np.nan,
                    "range": values.max() - values.min() if len(values) else np.nan,
                    "rwg": rwg(values),
                    "consensus": tastle_wierman_consensus(values),
                }
            )
    cells = pd.DataFrame(rows)
    small = set(tables.small_areas)
    cells["small_group"] = cells["area"].isin(small) if len(cells) else pd.Series(dtype=bool)
    return cells


def shuffled_within_one(scores: pd.DataFrame, n_perm: int = 400, seed: int = 2018, small_areas=()) -> dict:
    """The share of answers within one level of their question's median (``within_one``, averaged over the questions
    of the areas not in ``small_areas``) that answers shuffled across the dimensions of their area would give:
    ``observed``, and ``mean``, ``low`` and ``high`` (2.5 and 97.5 percentiles) over ``n_perm`` shuffles (seeded).

    The baseline for "most answers lie within one level of the middle": a methodologist found that answers spread
    evenly over the five levels (60 %) is the wrong one: answers gather at levels 1 to 3 whatever the question, and
    shuffled within their area they give the same 80 %. An observed share near the shuffled one says the answers to
    one question are no closer than answers to the area's other questions."""
    cell = stakeholders(scores)
    cell = cell[~cell["area"].isin(set(small_areas))]
    if cell.empty:
        return {"observed": np.nan, "mean": np.nan, "low": np.nan, "high": np.nan}
    rng = np.random.default_rng(seed)

    def share(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
        # values: (n_perm, n) levels; groups: (n,) question index 0..n_groups-1 → per shuffle, the mean over questions
        shares = []
        for g in range(n_groups):
            block = values[:, groups == g]
            median = np.median(block, axis=1, keepdims=True)
            shares.append(np.mean(np.abs(block - median) <= 1, axis=1))
        return np.column_stack(shares)

    observed, shuffled = [], []
    for _, area in cell.groupby("area", sort=False):
        groups = area.groupby("dimension", sort=False).ngroup().to_numpy()
        n_groups = int(groups.max()) + 1
        values = area["score_low"].to_numpy(float)
        observed.append(share(values[None, :], groups, n_groups))
        permuted = np.array([rng.permutation(values) for _ in range(n_perm)])
        shuffled.append(share(permuted, groups, n_groups))
    observed_mean = float(np.hstack(observed).mean())
    means = np.hstack(shuffled).mean(axis=1)
    return {
        "observed": observed_mean,
        "mean": float(means.mean()),
        "low": float(np.percentile(means, 2.5)),
        "high": float(np.percentile(means, 97.5)),
    }


# --- one area: agreement among raters ----------------------------------------------------


def kendall_w(matrix: pd.DataFrame) -> tuple[float, float]:
    """Kendall's W (tie-corrected) of raters (rows) ranking the dimensions (columns), with its p-value.

    Computed from Friedman's tie-corrected χ² (scipy): W = χ² / (m (k − 1)), p from
    χ² with k − 1 degrees of freedom. Raters with a missing rating are dropped.
    NaN when fewer than two raters remain or when every rater gives all
    dimensions the same level (no ranking to agree on).
    """
    return _kendall_w(_complete_rows(matrix.to_numpy(dtype=float)))


def _complete_rows(values: np.ndarray) -> np.ndarray:
    """The rows of a raters × dimensions array without a missing rating."""
    return values[~np.isnan(values).any(axis=1)]


def _all_flat(complete: np.ndarray) -> bool:
    """Whether every row of a complete array gives one level to every column (true with no row)."""
    return bool((complete == complete[:, :1]).all())


def _kendall_w(complete: np.ndarray) -> tuple[float, float]:
    """:func:`kendall_w` of the complete rows of a rating matrix, as an array."""
    m, k = complete.shape
    if m < 2 or k < 3 or _all_flat(complete):
        return float("nan"), float("nan")
    chi2, p = stats.friedmanchisquare(*[complete[:, j] for j in range(k)])
    return float(chi2 / (m * (k - 1))), float(p)


def friedman_f_test(matrix: pd.DataFrame) -> float:
    """p-value of Friedman's test that the dimensions differ, Iman–Davenport F version.

    F = W (m − 1) / (1 − W) with W the tie-corrected Kendall's W, on
    k − 1 − 2/m and (m − 1)(k − 1 − 2/m) degrees of freedom, exactly as
    ``pingouin.friedman(method="f")`` computes it (the tests cross-check against
    pingouin; written out here because importing pingouin alone costs a second).
    NaN with fewer than three complete raters or no variation within raters;
    0 when W = 1 (every rater gives the same order).
    """
    complete = _complete_rows(matrix.to_numpy(dtype=float))
    return _friedman_f_test(complete, _kendall_w(complete)[0])


def _friedman_f_test(complete: np.ndarray, w: float) -> float:
    """:func:`friedman_f_test` of the complete rows of a rating matrix, given their Kendall's W."""
    m, k = complete.shape
    if m < 3 or _all_flat(complete):
        return float("nan")
    if np.isnan(w):
        return float("nan")
    if w >= 1:
        return 0.0
    f = w * (m - 1) / (1 - w)
    df1 = k - 1 - 2 / m
    return float(stats.f.sf(f, df1, (m - 1) * df1))


def krippendorff_alpha(matrix: pd.DataFrame, scale=SCALE) -> float:
    """Krippendorff's alpha, ordinal, value domain 1–5 (``krippendorff`` package).

    Rows are raters, columns the units rated (here the five dimensions); missing
    ratings are allowed. 1 = perfect agreement, 0 = the answers to a unit agree no more
    than answers reshuffled within the matrix, negative = less than that. NaN when every rating is the same (no
    variation to agree on) or fewer than two raters rated any unit.
    """
    return _krippendorff_alpha(matrix.to_numpy(dtype=float), scale)


def _krippendorff_alpha(data: np.ndarray, scale=SCALE) -> float:
    import krippendorff

    values = data[~np.isnan(data)]
    pairable = (np.sum(~np.isnan(data), axis=0) >= 2).sum()
    if len(np.unique(values)) < 2 or pairable == 0:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal", value_domain=list(scale)))


def small_group_areas(scores: pd.DataFrame) -> list[str]:
    """Areas rated by fewer than :data:`MIN_RATERS_FOR_AGREEMENT` (5) stakeholder raters, in data order."""
    return _Tables(scores).small_areas


def agreement_by_area(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area: raters, Kendall's W and p, Krippendorff's alpha, Friedman p, and a small-group flag.

    Unit: the rating sets of the area (one per rater; copies of a set the same
    rater gave another area count here, because the question is about this area).
    ``small_group`` is true below five raters.
    """
    return _agreement_by_area(_Tables(scores))


def _distinct_per_row(values: np.ndarray) -> np.ndarray:
    """How many distinct levels each row of a raters × dimensions array holds (missing ones not counted)."""
    return np.array([len(np.unique(row[~np.isnan(row)])) for row in values], dtype=int)


def _agreement_by_area(tables: _Tables) -> pd.DataFrame:
    rows = []
    for area, matrix in tables.matrices.items():
        values = matrix.to_numpy()
        complete = _complete_rows(values)
        w, p = _kendall_w(complete)
        n_raters = len(values)
        rows.append(
            {
                "area": area,
                "n_raters": n_raters,
                "kendall_w": w,
                "kendall_p": p,
                "krippendorff_alpha": _krippendorff_alpha(values),
                "friedman_p": _friedman_f_test(complete, w),
                "straightliners": int((_distinct_per_row(values) == 1).sum()),
                "small_group": n_raters < MIN_RATERS_FOR_AGREEMENT,
            }
        )
    columns = ["area", "n_raters", "kendall_w", "kendall_p", "krippendorff_alpha", "friedman_p", "straightliners", "small_group"]
    return pd.DataFrame(rows, columns=columns)  # columns even with no stakeholder left (all straight-lined)


# --- rating sets, raters and copies ------------------------------------------------------------


def rating_sets(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per stakeholder rating set (area, rater), in the order of the data.

    Columns: ``area``, ``rater``, ``rater_label`` (as printed), ``n_dimensions``,
    ``distinct`` (distinct levels given), ``rater_mean`` (mean level),
    ``straightliner`` (one level for all of at least two dimensions) and
    ``copy_of``: the area of the same rater's earlier set with exactly the same
    level on every dimension (missing ratings must be missing in both), or ``""``
    for an original. A rater's first set is always the original, so each rater
    has exactly one original per distinct answer profile.

    ``same_answers_as`` and ``duplicate_of`` are :func:`analysis.methods.raters.likely_duplicates`:
    the other labels of the same area with identical non-flat answers, and the first of them.
    """
    return _rating_sets(_Tables(scores))


def _rating_sets(tables: _Tables) -> pd.DataFrame:
    cell = tables.cell
    if cell.empty:
        return pd.DataFrame(
            columns=[
                "area",
                "rater",
                "rater_label",
                "n_dimensions",
                "distinct",
                "rater_mean",
                "straightliner",
                "copy_of",
                "same_answers_as",
                "duplicate_of",
            ]
        )
    grouped = cell.groupby(["area", "rater"], sort=False)
    out = grouped["score_low"].agg(n_dimensions="size", distinct="nunique", rater_mean="mean").reset_index()
    out.insert(2, "rater_label", grouped["rater_label"].first().to_numpy())
    out["straightliner"] = (out["distinct"] == 1) & (out["n_dimensions"] > 1)
    answers: dict[tuple, list] = {}
    for area, rater, dimension, score in zip(cell["area"], cell["rater"], cell["dimension"], cell["score_low"].astype(float)):
        answers.setdefault((area, rater), []).append((dimension, score))
    profiles = {key: tuple(sorted(pairs)) for key, pairs in answers.items()}
    first_area: dict[tuple, str] = {}
    copy_of = []
    for area, rater in zip(out["area"], out["rater"]):
        key = (rater, profiles[(area, rater)])
        copy_of.append(first_area.get(key, ""))
        first_area.setdefault(key, area)
    out["copy_of"] = copy_of
    found = tables.duplicates
    found_keys = list(zip(found["area"], found["rater"]))
    same_answers_as, duplicate_of = dict(zip(found_keys, found["same_answers_as"])), dict(zip(found_keys, found["duplicate_of"]))
    keys = list(zip(out["area"], out["rater"]))
    out["same_answers_as"] = [same_answers_as.get(key, "") for key in keys]
    out["duplicate_of"] = [duplicate_of.get(key, "") for key in keys]
    return out


def collapse_rater_copies(scores: pd.DataFrame) -> pd.DataFrame:
    """Scores without the stakeholder sets that copy the same rater's earlier set, and without the
    later sets of each group of identical non-flat answers under different labels in one area
    (likely one questionnaire entered twice); the expert is kept.

    After this, each rater counts once per distinct answer profile.
    """
    return _collapse_rater_copies(_Tables(scores))


def _collapse_rater_copies(tables: _Tables) -> pd.DataFrame:
    scores, sets = tables.scores, tables.sets
    dropped = (sets["copy_of"] != "") | (sets["duplicate_of"] != "")
    copies = set(zip(sets.loc[dropped, "area"], sets.loc[dropped, "rater"]))
    if not copies:
        return scores.reset_index(drop=True)
    keep = [not (t == "stakeholder" and (a, r) in copies) for a, r, t in zip(scores["area"], scores["rater"], scores["rater_type"])]
    return scores[keep].reset_index(drop=True)


def unit_counts(scores: pd.DataFrame) -> dict:
    """How many stakeholder raters, rating sets and copies ``scores`` holds, and how many
    of each straight-lined. Keys: ``raters``, ``sets``, ``copies``, ``distinct_sets``,
    ``straightlining_sets``, ``straightlining_raters`` (raters with at least one
    straight-lined set), ``multi_area_raters`` (raters of two or more areas),
    ``raters_copying_all`` (of those, raters whose sets are all copies of the first),
    ``likely_duplicates`` (sets with the same non-flat answers as an earlier set of another
    label in the same area) and ``likely_duplicate_areas`` (areas with at least one)."""
    return _unit_counts(_Tables(scores))


def _unit_counts(tables: _Tables) -> dict:
    sets = tables.sets
    per_rater = (sets["copy_of"] != "").groupby(sets["rater"], sort=False).agg(n_sets="size", copies="sum")
    multi = per_rater[per_rater["n_sets"] > 1]
    return {
        "raters": int(sets["rater"].nunique()),
        "sets": int(len(sets)),
        "copies": int((sets["copy_of"] != "").sum()),
        "distinct_sets": int((sets["copy_of"] == "").sum()),
        "straightlining_sets": int(sets["straightliner"].sum()),
        "straightlining_raters": int(sets.loc[sets["straightliner"], "rater"].nunique()),
        "multi_area_raters": int(len(multi)),
        "raters_copying_all": int((multi["copies"] == multi["n_sets"] - 1).sum()),
        "likely_duplicates": int((sets["duplicate_of"] != "").sum()),
        "likely_duplicate_areas": int(sets.loc[sets["duplicate_of"] != "", "area"].nunique()),
    }


# --- expert versus stakeholders ---------------------------------------------------------------


def expert_vs_stakeholders(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area × dimension: the expert's score against the stakeholders' ratings.

    Where the expert printed a range such as ``1-2``, the expert's score is its middle
    (``expert_mid``, 1.5), the same rule as the text, the scatter figure, :func:`rating_gaps` and
    the Wilcoxon aside. ``gap_mean`` / ``gap_median`` are the stakeholder mean / median minus
    ``expert_mid`` (positive: stakeholders higher); ``share_above`` / ``share_below`` the shares of
    stakeholders rating above / below ``expert_mid``. Unit: the area's rating sets;
    ``small_group`` marks areas with fewer than five raters.
    """
    return _expert_vs_stakeholders(_Tables(scores))


def _expert_vs_stakeholders(tables: _Tables) -> pd.DataFrame:
    scores = tables.scores
    expert = scores[scores["rater_type"] == "expert"].set_index(["area", "dimension"])
    expert_range = dict(zip(expert.index, zip(expert["score_low"].to_numpy(), expert["score_high"].to_numpy())))
    small = set(tables.small_areas)
    rows = []
    for (area, dimension), values in tables.cell_values.items():
        if (area, dimension) not in expert_range:
            continue
        low, high = expert_range[area, dimension]
        mid = (low + high) / 2
        mean, median = values.mean(), float(np.median(values))
        rows.append(
            {
                "area": area,
                "dimension": dimension,
                "expert_low": int(low),
                "expert_high": int(high),
                "expert_mid": mid,
                "n": len(values),
                "stakeholder_mean": mean,
                "stakeholder_median": median,
                "gap_mean": float(mean - mid),
                "gap_median": float(median - mid),
                "share_above": float((values > mid).mean()),
                "share_below": float((values < mid).mean()),
                "small_group": area in small,
            }
        )
    return pd.DataFrame(rows)


def paired_test_stakeholders_higher(comparison: pd.DataFrame) -> dict:
    """Wilcoxon signed-rank test over the cells: stakeholder mean − expert midpoint > 0?

    A descriptive aside: the cells share raters (and copies of the same set), so
    they are not independent and the p-value overstates the precision; the
    cluster-aware methods are in :func:`expert_gap_tests`. Two-sided, like every test of
    the gap (the same p-value appears in the table of methods; Kendall's W and Friedman's
    test are upper-tail tests); zero differences are
    split between the signs (``zero_method='zsplit'``).
    """
    differences = (comparison["stakeholder_mean"] - comparison["expert_mid"]).to_numpy(float)
    if len(differences) == 0 or np.allclose(differences, 0):
        return {"n_cells": len(differences), "n_higher": 0, "n_lower": 0, "median_difference": 0.0, "statistic": np.nan, "p_value": np.nan}
    result = stats.wilcoxon(differences, zero_method="zsplit")  # two-sided, like the table of methods
    return {
        "n_cells": len(differences),
        "n_higher": int((differences > 0).sum()),
        "n_lower": int((differences < 0).sum()),
        "median_difference": float(np.median(differences)),
        "statistic": float(result.statistic),
        "p_value": float(result.pvalue),
    }


def rating_gaps(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per stakeholder rating that has an expert score: ``area, rater, dimension,
    score, expert_mid, gap`` with gap = score − expert midpoint, in levels (the
    midpoint of a printed range such as 1-2 is 1.5). Cells without an expert score are left out."""
    expert = scores[scores["rater_type"] == "expert"]
    mid = ((expert["score_low"] + expert["score_high"]) / 2).to_numpy(float)
    expert_mid = pd.Series(mid, index=pd.MultiIndex.from_arrays([expert["area"], expert["dimension"]]))
    cell = stakeholders(scores)
    key = pd.MultiIndex.from_arrays([cell["area"], cell["dimension"]])
    out = pd.DataFrame(
        {
            "area": cell["area"].to_numpy(),
            "rater": cell["rater"].to_numpy(),
            "dimension": cell["dimension"].to_numpy(),
            "score": cell["score_low"].to_numpy(float),
            "expert_mid": expert_mid.reindex(key).to_numpy(float),
        }
    )
    out = out[~np.isnan(out["expert_mid"])].reset_index(drop=True)
    out["gap"] = out["score"] - out["expert_mid"]
    return out


def _cluster_sums(gaps: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per rater: the sum of their gaps and their number of ratings."""
    codes, _ = pd.factorize(gaps["rater"])
    sums = np.bincount(codes, weights=gaps["gap"].to_numpy(float))
    counts = np.bincount(codes).astype(float)
    return sums, counts


def cluster_bootstrap_gap(gaps: pd.DataFrame, n_boot: int = DEFAULT.n_boot, seed=DEFAULT.seed, confidence: float = CONFIDENCE) -> dict:
    """Mean gap (stakeholder score − expert, in levels, over all ratings) with a percentile
    interval from a bootstrap that resamples whole raters with all their ratings.

    Each resample draws as many raters as there are, with replacement, and takes
    the mean over all ratings of the drawn raters, so raters who answered more
    cells weigh more, as in the point estimate. One rater: the interval is the point.
    Returns ``estimate, ci_low, ci_high, n_clusters, n_ratings``.
    """
    sums, counts = _cluster_sums(gaps)
    n_clusters = len(sums)
    if n_clusters == 0:
        return {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n_clusters": 0, "n_ratings": 0}
    estimate = float(sums.sum() / counts.sum())
    if n_clusters == 1:
        low = high = estimate
    else:
        draws = np.random.default_rng(seed).integers(0, n_clusters, size=(n_boot, n_clusters))
        resampled = sums[draws].sum(axis=1) / counts[draws].sum(axis=1)
        tail = (1 - confidence) / 2 * 100
        low, high = np.percentile(resampled, [tail, 100 - tail])
    return {"estimate": estimate, "ci_low": float(low), "ci_high": float(high), "n_clusters": n_clusters, "n_ratings": int(counts.sum())}


def sign_flip_test(gaps: pd.DataFrame, n_perm: int = 10_000, seed=DEFAULT.seed) -> dict:
    """Two-sided test that the mean gap is 0, flipping the sign of each rater's gaps together.

    Null hypothesis: for every rater, their whole block of gaps is as likely to
    be positive as negative (symmetric about 0), so answers of one rater are never
    split. The statistic is the mean gap over all ratings. With at most 12 raters
    all 2^R sign patterns are enumerated (exact p); otherwise ``n_perm`` random
    patterns, p = (1 + #{|T*| ≥ |T|}) / (n_perm + 1). NaN p with no rater or no gap.
    """
    sums, counts = _cluster_sums(gaps)
    n_clusters = len(sums)
    if n_clusters == 0 or np.allclose(sums, 0):
        return {"estimate": float(sums.sum() / counts.sum()) if n_clusters else np.nan, "p_value": np.nan, "n_clusters": n_clusters}
    observed = sums.sum() / counts.sum()
    if n_clusters <= 12:
        patterns = ((np.arange(2**n_clusters)[:, None] >> np.arange(n_clusters)) & 1) * 2 - 1
        flipped = patterns @ sums / counts.sum()
        p = float(np.mean(np.abs(flipped) >= abs(observed) - 1e-12))
    else:
        signs = np.random.default_rng(seed).integers(0, 2, size=(n_perm, n_clusters), dtype=np.int8) * 2 - 1
        flipped = signs @ sums / counts.sum()
        p = float((1 + np.sum(np.abs(flipped) >= abs(observed) - 1e-12)) / (n_perm + 1))
    return {"estimate": float(observed), "p_value": p, "n_clusters": n_clusters}


def mixed_model_gap(gaps: pd.DataFrame, confidence: float = CONFIDENCE) -> dict:
    """Mean gap from a linear mixed model ``gap ~ 1 + (1 | rater)`` (statsmodels MixedLM, REML).

    The fixed intercept is the gap of a typical rater; the random intercept takes
    up each rater's own level. Wald interval and two-sided p from the model.
    NaN with fewer than two raters or no variation; a fit that does not converge
    still returns its estimate (a cross-check, not the headline).
    """
    from statsmodels.regression.mixed_linear_model import MixedLM

    empty = {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan, "n_clusters": int(gaps["rater"].nunique())}
    if gaps["rater"].nunique() < 2 or gaps["gap"].nunique() < 2:
        return empty
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MixedLM(gaps["gap"].to_numpy(float), np.ones((len(gaps), 1)), groups=gaps["rater"].to_numpy())
        try:
            fit = model.fit(reml=True)
        except (np.linalg.LinAlgError, ValueError):
            return empty
    low, high = np.asarray(fit.conf_int(alpha=1 - confidence))[0]
    return {
        "estimate": float(fit.fe_params[0]),
        "ci_low": float(low),
        "ci_high": float(high),
        "p_value": float(fit.pvalues[0]),
        "n_clusters": empty["n_clusters"],
    }


def hodges_lehmann_interval(differences, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """Hodges–Lehmann pseudo-median of paired differences with the interval that goes with
    the Wilcoxon signed-rank test (Walsh averages, normal approximation of the rank
    critical value). Treats every difference as independent."""
    values = np.asarray(differences, dtype=float)
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return np.nan, np.nan, np.nan
    i, j = np.triu_indices(n)
    walsh = np.sort((values[i] + values[j]) / 2)
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    k = int(np.floor(n * (n + 1) / 4 - z * np.sqrt(n * (n + 1) * (2 * n + 1) / 24)))
    k = min(max(k, 0), len(walsh) - 1)
    return float(np.median(walsh)), float(walsh[k]), float(walsh[len(walsh) - 1 - k])


# Method ids as written in expert-vs-stakeholders-test.csv (English, language-independent).
METHOD_BOOTSTRAP = "cluster bootstrap over raters"
METHOD_SIGN_FLIP = "sign-flip test over raters"
METHOD_MIXED = "mixed model with rater random intercept"
METHOD_WILCOXON = "Wilcoxon signed-rank over cells (ignores clustering)"


def expert_gap_tests(scores: pd.DataFrame, comparison: pd.DataFrame, n_boot: int = DEFAULT.n_boot, seed: int = DEFAULT.seed) -> pd.DataFrame:
    """Stakeholders minus expert, in levels, by four methods: one row each with
    ``method, unit, n_clusters, estimate, ci_low, ci_high, p_value`` (two-sided p).

    ``scores`` are the rater-level scores (copies already collapsed when the run
    asks for it); the first three methods treat the rater as the unit. The
    Wilcoxon row uses the 35 cell means of ``comparison`` as if independent
    (estimate: Hodges–Lehmann pseudo-median of the cell differences) and is kept
    only as a descriptive aside. The bootstrap gives the interval and no p; the
    sign-flip test gives the p and no interval.
    """
    return _expert_gap_tests(scores, comparison, n_boot, seed, wilcoxon_p=None)


def _expert_gap_tests(scores: pd.DataFrame, comparison: pd.DataFrame, n_boot: int, seed: int, wilcoxon_p: float | None) -> pd.DataFrame:
    """:func:`expert_gap_tests`; ``wilcoxon_p`` is the p-value of
    :func:`paired_test_stakeholders_higher` on the same ``comparison`` when the caller has it
    (the same test on the same differences: with up to 13 cells and ties, scipy runs an exact
    permutation test, about half a second)."""
    gaps = rating_gaps(scores)
    boot = cluster_bootstrap_gap(gaps, n_boot=n_boot, seed=seed)
    flip = sign_flip_test(gaps, n_perm=max(n_boot, 10_000), seed=seed)
    mixed = mixed_model_gap(gaps)
    differences = (comparison["stakeholder_mean"] - comparison["expert_mid"]).to_numpy(float) if len(comparison) else np.array([])
    hl, hl_low, hl_high = hodges_lehmann_interval(differences)
    if wilcoxon_p is None:
        wilcoxon_p = np.nan
        if len(differences) and not np.allclose(differences, 0):
            wilcoxon_p = float(stats.wilcoxon(differences, zero_method="zsplit").pvalue)
    rows = [
        {
            "method": METHOD_BOOTSTRAP,
            "unit": "rater",
            "n_clusters": boot["n_clusters"],
            "estimate": boot["estimate"],
            "ci_low": boot["ci_low"],
            "ci_high": boot["ci_high"],
            "p_value": np.nan,
        },
        {
            "method": METHOD_SIGN_FLIP,
            "unit": "rater",
            "n_clusters": flip["n_clusters"],
            "estimate": flip["estimate"],
            "ci_low": np.nan,
            "ci_high": np.nan,
            "p_value": flip["p_value"],
        },
        {
            "method": METHOD_MIXED,
            "unit": "rater",
            "n_clusters": mixed["n_clusters"],
            "estimate": mixed["estimate"],
            "ci_low": mixed["ci_low"],
            "ci_high": mixed["ci_high"],
            "p_value": mixed["p_value"],
        },
        {
            "method": METHOD_WILCOXON,
            "unit": "area x dimension cell",
            "n_clusters": len(differences),
            "estimate": hl,
            "ci_low": hl_low,
            "ci_high": hl_high,
            "p_value": wilcoxon_p,
        },
    ]
    return pd.DataFrame(rows)


# --- raters ---------------------------------------------------------------------------------------


def straightliners(scores: pd.DataFrame) -> pd.DataFrame:
    """Per (area, rater): whether the rater gave every dimension the same level (one row per rating set)."""
    return rating_sets(scores)[["area", "rater", "n_dimensions", "distinct", "rater_mean", "straightliner"]]


def exclude_straightliners(scores: pd.DataFrame) -> pd.DataFrame:
    """Scores without the (area, rater) pairs that straight-lined; the expert is kept."""
    return _exclude_straightliners(_Tables(scores))


def _exclude_straightliners(tables: _Tables) -> pd.DataFrame:
    scores, flagged = tables.scores, tables.sets
    drop = set(map(tuple, flagged.loc[flagged["straightliner"], ["area", "rater"]].to_numpy()))
    keep = [not (t == "stakeholder" and (a, r) in drop) for a, r, t in zip(scores["area"], scores["rater"], scores["rater_type"])]
    return scores[keep].reset_index(drop=True)


def rater_diagnostics(scores: pd.DataFrame, collapse_copies: bool = DEFAULT.collapse_copies) -> pd.DataFrame:
    """One row per stakeholder rater (the unit here is the rater, not the rating set).

    ``n_sets`` is the rater's rating sets (= areas rated, ``n_areas``), ``copies``
    how many of them repeat an earlier set of the same rater exactly, and
    ``copy_of`` lists them as ``area=original area`` joined by ``; `` (empty when none).
    ``same_answers_as`` lists, per area, the other labels that gave exactly the same non-flat
    answers, with the answers as evidence (``environment: UKŚ (4) (2-2-1-2-1)``).
    ``overall_level`` is the rater's mean score minus the mean of all stakeholder
    scores of the same area (all sets of that area), averaged over the rater's
    sets, in levels (positive = rates higher than colleagues); with
    ``collapse_copies`` only the rater's original sets enter the average and
    ``mean_score``. ``straightliner`` is true when the rater gave one level to all
    dimensions in every set. For raters of several areas,
    ``same_answers_across_areas`` says whether their scores were identical
    everywhere and ``max_difference_across_areas`` is the largest change of one
    dimension's score between two areas (NA / NaN for raters of one area).
    """
    return _rater_diagnostics(_Tables(scores), collapse_copies)


def _rater_diagnostics(tables: _Tables, collapse_copies: bool) -> pd.DataFrame:
    cell, sets, found = tables.cell, tables.sets, tables.duplicates
    area_mean = cell.groupby("area")["score_low"].mean()
    deviation = (sets["rater_mean"] - sets["area"].map(area_mean)).to_numpy(float)
    answers_of = dict(zip(zip(found["area"], found["rater"]), found["answers"]))
    answers = [answers_of.get(key, "") for key in zip(sets["area"], sets["rater"])]
    # One pass over the rows: each rater's sets (in data order), labels, and scores by area and dimension.
    sets_of: dict = {}
    for position, rater in enumerate(sets["rater"]):
        sets_of.setdefault(rater, []).append(position)
    labels_of: dict = {}
    scores_of: dict = {}
    for rater, label, area, dimension, score in zip(
        cell["rater"], cell["rater_label"], cell["area"], cell["dimension"], cell["score_low"].astype(float)
    ):
        labels_of.setdefault(rater, set()).add(label)
        scores_of.setdefault(rater, {}).setdefault(dimension, {})[area] = score
    area, copy_of, same = sets["area"].to_numpy(object), sets["copy_of"].to_numpy(object), sets["same_answers_as"].to_numpy(object)
    straight, mean, n_dimensions = sets["straightliner"].to_numpy(bool), sets["rater_mean"].to_numpy(float), sets["n_dimensions"].to_numpy()
    rows = []
    for rater, positions in sets_of.items():
        positions = np.array(positions)
        areas = list(area[positions])
        multi = len(areas) > 1
        used = positions[copy_of[positions] == ""] if collapse_copies else positions
        copies = positions[copy_of[positions] != ""]
        # Per dimension the rater scored: the distinct levels over areas and the largest change.
        by_dimension = [np.array([v for v in per_area.values() if not np.isnan(v)]) for per_area in scores_of[rater].values()]
        differences = [levels.max() - levels.min() for levels in by_dimension if len(levels)]
        rows.append(
            {
                "rater": rater,
                "rater_labels": "; ".join(sorted(labels_of[rater])),
                "areas": "; ".join(areas),
                "n_areas": len(areas),
                "n_sets": len(positions),
                "copies": len(copies),
                "copy_of": "; ".join(f"{area[i]}={copy_of[i]}" for i in copies),
                "same_answers_as": "; ".join(f"{area[i]}: {same[i]} ({answers[i]})" for i in positions if same[i]),
                "straightliner": bool(straight[positions].all()),
                "straightlined_areas": int(straight[positions].sum()),
                "mean_score": float((mean[used] * n_dimensions[used]).sum() / n_dimensions[used].sum()),
                "overall_level": float(deviation[used].mean()),
                "same_answers_across_areas": all(len(np.unique(levels)) == 1 for levels in by_dimension) if multi else pd.NA,
                "max_difference_across_areas": float(max(differences)) if multi and differences else np.nan,
            }
        )
    return pd.DataFrame(rows)


QUANTILE_RULES = (
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
)
"""numpy's names of the nine quantile rules of Hyndman and Fan (1996); ``linear`` (type 7) is numpy's default."""


def narrow_iqr_counts(cells: pd.DataFrame, scores: pd.DataFrame) -> dict[str, int]:
    """How many questions of ``cells`` (rows of :func:`describe_cells`, e.g. the areas with at least five raters)
    have an interquartile range of at most one level, per quantile rule of :data:`QUANTILE_RULES`: with a handful of
    whole-number answers the count depends on the rule (``linear`` is the one the tables use)."""
    cell = stakeholders(scores)
    values = cell.groupby(["area", "dimension"])["score_low"].apply(lambda v: v.dropna().to_numpy(float))
    keys = list(zip(cells["area"], cells["dimension"]))
    out = {}
    for rule in QUANTILE_RULES:
        count = 0
        for key in keys:
            answers = values.get(key)
            if answers is not None and len(answers):
                q1, q3 = np.percentile(answers, [25, 75], method=rule)
                count += int(q3 - q1 <= 1)
        out[rule] = count
    return out


def overall_levels(sets: pd.DataFrame, collapse_copies: bool = DEFAULT.collapse_copies, small_areas=()) -> pd.Series:
    """Each unit's overall level (``overall_level`` of :func:`rater_diagnostics`), computed over its areas that are not
    in ``small_areas`` only (the small-group rule of every summary): units whose every area is small get none.

    ``sets`` is :func:`rating_sets`; the area means use every questionnaire of the area, as in
    :func:`rater_diagnostics`, and with ``collapse_copies`` a unit's copies do not enter its own average. A Series
    indexed by rater, in the order of first appearance.
    """
    weight = sets["n_dimensions"].astype(float)
    total = (sets["rater_mean"] * weight).groupby(sets["area"], sort=False).sum()
    area_mean = total / weight.groupby(sets["area"], sort=False).sum()
    deviation = sets["rater_mean"] - sets["area"].map(area_mean)
    keep = ~sets["area"].isin(set(small_areas))
    if collapse_copies:
        keep &= sets["copy_of"] == ""
    return deviation[keep].groupby(sets.loc[keep, "rater"], sort=False).mean().dropna()


def overall_level_spread(raters: pd.DataFrame, sets: pd.DataFrame, collapse_copies: bool = DEFAULT.collapse_copies, small_areas=()) -> dict:
    """How the units' overall levels (``overall_level`` of :func:`rater_diagnostics`) are spread, without naming a unit.

    ``raters`` is :func:`rater_diagnostics`, ``sets`` :func:`rating_sets` of the same scores. Keys: ``n`` (units
    with a level), ``low``, ``q1``, ``median``, ``q3``, ``high`` (levels; quartiles by linear interpolation) and
    ``answers_low`` / ``answers_high``: the fewest and most answers one unit's level rests on (its original
    sets only when ``collapse_copies``, as the level counts them). With ``small_areas`` the levels are those of
    :func:`overall_levels` without those areas (units of small areas only left out). Empty dict with fewer than
    two units.
    """
    if small_areas:
        by_rater = overall_levels(sets, collapse_copies, small_areas)
        levels = by_rater.to_numpy(float)
        kept = by_rater.index
    else:
        levels = raters["overall_level"].dropna().to_numpy(float)
        kept = raters.loc[raters["overall_level"].notna(), "rater"]
    if len(levels) < 2:
        return {}
    used = sets[sets["copy_of"] == ""] if collapse_copies else sets
    used = used[~used["area"].isin(set(small_areas))]
    answers = used.groupby("rater")["n_dimensions"].sum()
    answers = answers[answers.index.isin(kept)]
    q1, median, q3 = np.percentile(levels, [25, 50, 75])
    return {
        "n": len(levels),
        "low": float(levels.min()),
        "q1": float(q1),
        "median": float(median),
        "q3": float(q3),
        "high": float(levels.max()),
        "answers_low": int(answers.min()),
        "answers_high": int(answers.max()),
    }


def exclusion_effect(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area: raters, mean score, Kendall's W and Krippendorff's alpha, with all raters
    (``*_all``) and without straight-liners (``*_without``); ``small_group`` is the
    small-group flag with all raters."""
    return _exclusion_effect(_Tables(scores))


def _exclusion_effect(tables: _Tables) -> pd.DataFrame:
    parts = []
    for suffix, data in (("all", tables), ("without", tables.without_straightliners)):
        agreement = data.agreement.set_index("area")
        part = pd.DataFrame(
            {
                f"n_raters_{suffix}": agreement["n_raters"],
                f"mean_{suffix}": data.cell.groupby("area")["score_low"].mean(),
                f"kendall_w_{suffix}": agreement["kendall_w"],
                f"alpha_{suffix}": agreement["krippendorff_alpha"],
            }
        )
        parts.append(part)
    out = parts[0].join(parts[1], how="left")
    out["n_raters_without"] = out["n_raters_without"].fillna(0).astype(int)
    order = list(dict.fromkeys(tables.cell["area"]))
    columns = [f"{name}_{suffix}" for name in ("n_raters", "mean", "kendall_w", "alpha") for suffix in ("all", "without")]
    out = out.reindex(order)[columns].rename_axis("area").reset_index()
    out["small_group"] = out["n_raters_all"] < MIN_RATERS_FOR_AGREEMENT
    return out


def duplicate_evidence(scores: pd.DataFrame) -> dict:
    """How strong the evidence for likely duplicates is, counted once: identical non-flat pairs of
    different raters among the original questionnaires (a copy in another area does not count
    again), against the pairs expected if each rater gave their own levels to the dimensions in a
    random order (:func:`analysis.methods.raters.identical_pairs_by_chance`).

    Keys: ``pairs`` (observed rater pairs, each once), ``expected`` (by chance), ``p_value``
    (Poisson probability of at least ``pairs`` with that mean).
    """
    return _duplicate_evidence(_Tables(scores))


def _duplicate_evidence(tables: _Tables) -> dict:
    sets = tables.sets
    originals = set(zip(sets.loc[sets["copy_of"] == "", "area"], sets.loc[sets["copy_of"] == "", "rater"]))
    pairs, expected = set(), 0.0
    for area, table in tables.answers.items():
        table = table[[(area, rater) in originals for rater in table.index]]
        expected += identical_pairs_by_chance(table)
        rows = {rater: tuple(row) for rater, row in zip(table.index, table.to_numpy())}
        raters = list(rows)
        for i, a in enumerate(raters):
            for b in raters[i + 1 :]:
                if rows[a] == rows[b] and len(set(rows[a])) > 1:
                    pairs.add(frozenset((a, b)))
    p_value = float(stats.poisson.sf(len(pairs) - 1, expected)) if pairs else 1.0
    return {"pairs": len(pairs), "expected": float(expected), "p_value": p_value}


def variance_without_straightliners(scores: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.methods.raters.rater_variance` of the areas without the flat questionnaires
    (one level for every dimension), which put all their variance into the rater's overall level."""
    return _Tables(scores).without_straightliners.variance


def duplicate_sensitivity(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area: the area's results with every set (``*_all``) and without likely duplicates
    (``*_without``): rating sets, mean level, Kendall's W, Krippendorff's alpha and the
    rater share of the variance. A sensitivity, not a removal: both are published."""
    return _duplicate_sensitivity(_Tables(scores))


def _duplicate_sensitivity(tables: _Tables) -> pd.DataFrame:
    parts = []
    for suffix, data in (("all", tables), ("without", tables.without_duplicates)):
        agreement = data.agreement.set_index("area")
        variance = data.variance.set_index("area")
        parts.append(
            pd.DataFrame(
                {
                    f"n_sets_{suffix}": agreement["n_raters"],
                    f"mean_{suffix}": data.cell.groupby("area")["score_low"].mean(),
                    f"kendall_w_{suffix}": agreement["kendall_w"],
                    f"alpha_{suffix}": agreement["krippendorff_alpha"],
                    f"share_rater_{suffix}": variance["share_rater"],
                }
            )
        )
    out = parts[0].join(parts[1], how="left")
    order = list(dict.fromkeys(tables.cell["area"]))
    names = ("n_sets", "mean", "kendall_w", "alpha", "share_rater")
    out = out.reindex(order)[[f"{name}_{suffix}" for name in names for suffix in ("all", "without")]]
    out["duplicates"] = (out["n_sets_all"] - out["n_sets_without"]).astype(int)
    return out.rename_axis("area").reset_index()


# --- one run, as the notebook uses it -------------------------------------------------------------


# Columns of ``DispersionResult.raters`` left out of the published raters.csv.
RATERS_UNPUBLISHED = ("mean_score", "overall_level")


@dataclass
class DispersionResult:
    """All tables of one run of the score-dispersion analysis; ``params`` are the run's parameters.

    ``scores`` are the scores the area statistics use (every set of an area);
    ``rater_scores`` those the rater-level questions use (copies collapsed when
    ``collapse_copies``). ``counts`` is :func:`unit_counts` of ``scores``.
    ``comparison`` has every question, small groups marked; ``paired_test`` and ``gap_tests``
    summarise the questions of areas with at least five raters only (the small-group rule).
    """

    scores: pd.DataFrame
    rater_scores: pd.DataFrame
    cells: pd.DataFrame
    agreement: pd.DataFrame
    comparison: pd.DataFrame
    paired_test: dict
    gap_tests: pd.DataFrame
    raters: pd.DataFrame
    sets: pd.DataFrame
    exclusion: pd.DataFrame
    counts: dict
    small_areas: list
    variance: pd.DataFrame = None
    duplicates: pd.DataFrame = None
    duplicate_sensitivity: pd.DataFrame = None
    expert_range: pd.DataFrame = None
    variance_without_flat: pd.DataFrame = None
    duplicate_evidence: dict = None
    params: DispersionParams = DEFAULT

    @property
    def collapse_copies(self) -> bool:
        return self.params.collapse_copies

    @property
    def n_boot(self) -> int:
        return self.params.n_boot

    def downloads(self) -> dict[str, pd.DataFrame]:
        """CSV tables for ``reports/data/``: English column names, plain numbers (4 decimals)."""
        return {
            "score-dispersion.csv": self.cells.round(4),
            "agreement.csv": self.agreement.round(4),
            "expert-vs-stakeholders.csv": self.comparison.round(4),
            # p-values keep their precision: rounded to 4 decimals a p of 1e-5 would read 0.
            "expert-vs-stakeholders-test.csv": self.gap_tests.round({"estimate": 4, "ci_low": 4, "ci_high": 4}),
            # Without each unit's mean and overall level: the labels name real public bodies, and a sortable level
            # beside them is the ranking the page declines to make (a methodologist; the API keeps the columns).
            "raters.csv": self.raters.drop(columns=list(RATERS_UNPUBLISHED), errors="ignore").round(4),
            "straightliner-exclusion.csv": self.exclusion.round(4),
            "rater-variance.csv": self.variance.round(4),
            "duplicate-sensitivity.csv": self.duplicate_sensitivity.round(4),
        }

    def large_agreement(self) -> pd.DataFrame:
        """Agreement rows of areas with at least five raters (the ones counted in summaries)."""
        return self.agreement[~self.agreement["small_group"]]

    def gap(self, method: str = METHOD_BOOTSTRAP) -> pd.Series:
        """The row of ``gap_tests`` for ``method``."""
        return self.gap_tests.set_index("method").loc[method]


def run_dispersion(scores: pd.DataFrame, params: DispersionParams | None = None, **options) -> DispersionResult:
    """Describe, compare and diagnose the maturity scores of ``params.areas`` (default all).

    ``params`` is a :class:`~analysis.params.DispersionParams`, or give its fields as keywords
    (``areas=``, ``collapse_copies=``, ``exclude_straightliners=``, ``n_boot=``, ``seed=``): the
    model is built and checked once, before any work (a bad value raises
    :class:`~analysis.errors.ParameterError` naming the parameter and what is allowed; an
    unknown area is an :class:`~analysis.errors.UnknownNameError` listing the known ones).
    Rater diagnostics, copies and the straight-lining comparison always look at every rater of
    the chosen areas; ``exclude_straightliners`` drops straight-lined sets from everything else.
    The stakeholder-minus-expert summaries (``gap_tests``, ``paired_test``) leave out areas with
    fewer than :data:`MIN_RATERS_FOR_AGREEMENT` raters, as every summary of the page does.
    """
    if params is None:
        params = DispersionParams.check(options)
    elif options:
        raise TypeError(f"run_dispersion takes a DispersionParams or keyword parameters, not both (got {', '.join(options)})")
    p = params
    if p.areas is not None:
        unknown = sorted(set(p.areas) - set(scores["area"]))
        if unknown:
            from analysis.errors import UnknownNameError

            raise UnknownNameError.listing("area", unknown, dict.fromkeys(scores["area"]))
        scores = scores[scores["area"].isin(p.areas)].reset_index(drop=True)
    # Each table of each set of scores is computed once and shared by the steps that need it.
    chosen = _Tables(scores)
    used = chosen.without_straightliners if p.exclude_straightliners else chosen
    rater_scores = used.copies_collapsed.scores if p.collapse_copies else used.scores
    comparison = _expert_vs_stakeholders(used)
    # The summaries of the gap leave out the small groups, like every other summary of the page: the
    # per-question table keeps them (marked), the tests and counts do not.
    small = set(used.small_areas)
    compared = comparison[~comparison["small_group"]].reset_index(drop=True) if len(comparison) else comparison
    compared_scores = rater_scores[~rater_scores["area"].isin(small)].reset_index(drop=True)
    paired_test = paired_test_stakeholders_higher(compared)
    return DispersionResult(
        scores=used.scores,
        rater_scores=rater_scores,
        cells=_describe_cells(used),
        agreement=used.agreement,
        comparison=comparison,
        paired_test=paired_test,
        gap_tests=_expert_gap_tests(compared_scores, compared, p.n_boot, p.seed, wilcoxon_p=paired_test["p_value"]),
        raters=_rater_diagnostics(chosen, collapse_copies=p.collapse_copies),
        sets=chosen.sets,
        exclusion=_exclusion_effect(chosen),
        counts=_unit_counts(chosen),
        small_areas=list(used.small_areas),
        # The shares with intervals from resampling the raters (the headline's variance; the sensitivity tables keep points).
        variance=used.variance.merge(share_intervals(used.answers, params.n_boot, params.seed), on="area", how="left"),
        duplicates=chosen.duplicates,
        duplicate_sensitivity=_duplicate_sensitivity(used),
        expert_range=expert_dimension_range(used.scores),
        variance_without_flat=used.without_straightliners.variance,
        duplicate_evidence=_duplicate_evidence(chosen),
        params=params,
    )
