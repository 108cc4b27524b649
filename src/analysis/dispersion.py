"""How much the maturity scores disperse and how far the raters agree.

Pure functions on ``maturity_scores.csv`` (one row per area, rater, dimension;
``score_low``/``score_high`` equal except for an expert range such as ``1-2``).

Which library computes what
---------------------------
* bootstrap confidence interval of the mean: ``scipy.stats.bootstrap`` (percentile);
* Kendall's W with tie correction and its chi-square p-value: from Friedman's
  statistic of ``scipy.stats.friedmanchisquare`` (tie-corrected), W = χ² / (m (k − 1));
* Friedman test with the Iman–Davenport F correction (better for few raters):
  ``pingouin.friedman(method="f")``;
* Krippendorff's alpha (ordinal, values 1–5): ``krippendorff.alpha``;
* Wilcoxon signed-rank test, expert versus stakeholders: ``scipy.stats.wilcoxon``;
* rwg and Tastle–Wierman consensus are short formulas written out here.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

SCALE = (1, 2, 3, 4, 5)
# Variance of a uniform ("no agreement") distribution over A = 5 levels: (A² − 1) / 12 = 2.
UNIFORM_NULL_VARIANCE = (len(SCALE) ** 2 - 1) / 12
# Below this many raters an agreement statistic is shown but flagged as not solid.
MIN_RATERS_FOR_AGREEMENT = 5


def stakeholders(scores: pd.DataFrame) -> pd.DataFrame:
    return scores[scores["rater_type"] == "stakeholder"]


def rating_matrix(scores: pd.DataFrame, area: str, dimensions: list[str] | None = None) -> pd.DataFrame:
    """Stakeholder ratings of one area as raters × dimensions (NaN where a rating is missing)."""
    cell = stakeholders(scores)
    cell = cell[cell["area"] == area]
    matrix = cell.pivot(index="rater", columns="dimension", values="score_low")
    order = dimensions or list(dict.fromkeys(cell["dimension"]))
    raters = list(dict.fromkeys(cell["rater"]))
    return matrix.reindex(index=raters, columns=order).astype(float)


# --- one area × dimension -------------------------------------------------------------


def rwg(values) -> float:
    """Within-group agreement r_wg = 1 − s² / σ²_EU (σ²_EU = 2 on a 5-point scale), truncated at 0.

    1 means every rater gave the same level; 0 means the ratings vary as much as
    (or more than) random answers would. NaN for fewer than two ratings.
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
        (values,), np.mean, n_resamples=n_boot, confidence_level=confidence, method="percentile",
        rng=np.random.default_rng(seed), vectorized=True,
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def describe_cells(scores: pd.DataFrame, n_boot: int = 2000, seed: int = 2018) -> pd.DataFrame:
    """Per area × dimension: n, mean with bootstrap CI, median, sd, IQR, range, rwg, consensus."""
    rows = []
    cell_scores = stakeholders(scores)
    areas = list(dict.fromkeys(cell_scores["area"]))
    dimensions = list(dict.fromkeys(cell_scores["dimension"]))
    for area_index, area in enumerate(areas):
        for dimension_index, dimension in enumerate(dimensions):
            values = cell_scores.loc[(cell_scores["area"] == area) & (cell_scores["dimension"] == dimension), "score_low"].to_numpy(float)
            # Each cell has its own seeded stream, so a subset of areas gives the same intervals.
            low, high = bootstrap_mean_ci(values, n_boot, [seed, area_index, dimension_index])
            q1, q3 = (np.percentile(values, [25, 75]) if len(values) else (np.nan, np.nan))
            rows.append({
                "area": area, "dimension": dimension, "n": len(values),
                "mean": values.mean() if len(values) else np.nan, "ci_low": low, "ci_high": high,
                "median": np.median(values) if len(values) else np.nan,
                "sd": values.std(ddof=1) if len(values) > 1 else np.nan,
                "iqr": q3 - q1, "range": values.max() - values.min() if len(values) else np.nan,
                "rwg": rwg(values), "consensus": tastle_wierman_consensus(values),
            })
    return pd.DataFrame(rows)


# --- one area: agreement among raters ----------------------------------------------------


def kendall_w(matrix: pd.DataFrame) -> tuple[float, float]:
    """Kendall's W (tie-corrected) of raters (rows) ranking the dimensions (columns), with its p-value.

    Computed from Friedman's tie-corrected χ² (scipy): W = χ² / (m (k − 1)), p from
    χ² with k − 1 degrees of freedom. Raters with a missing rating are dropped.
    NaN when fewer than two raters remain or when every rater gives all
    dimensions the same level (no ranking to agree on).
    """
    complete = matrix.dropna()
    m, k = complete.shape
    if m < 2 or k < 3 or (complete.nunique(axis=1) == 1).all():
        return float("nan"), float("nan")
    chi2, p = stats.friedmanchisquare(*[complete[column].to_numpy() for column in complete.columns])
    return float(chi2 / (m * (k - 1))), float(p)


def friedman_f_test(matrix: pd.DataFrame) -> float:
    """p-value of Friedman's test that the dimensions differ, Iman–Davenport F version (pingouin).

    NaN with fewer than three complete raters or no variation within raters.
    """
    import pingouin

    complete = matrix.dropna()
    if len(complete) < 3 or (complete.nunique(axis=1) == 1).all():
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = pingouin.friedman(data=complete.reset_index(drop=True), method="f")
    column = "p_unc" if "p_unc" in result.columns else "p-unc"
    return float(result[column].iloc[0])


def krippendorff_alpha(matrix: pd.DataFrame, scale=SCALE) -> float:
    """Krippendorff's alpha, ordinal, value domain 1–5 (``krippendorff`` package).

    Rows are raters, columns the units rated (here the five dimensions); missing
    ratings are allowed. 1 = perfect agreement, 0 = no better than chance,
    negative = systematic disagreement. NaN when every rating is the same (no
    variation to agree on) or fewer than two raters rated any unit.
    """
    import krippendorff

    data = matrix.to_numpy(dtype=float)
    values = data[~np.isnan(data)]
    pairable = (np.sum(~np.isnan(data), axis=0) >= 2).sum()
    if len(np.unique(values)) < 2 or pairable == 0:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal", value_domain=list(scale)))


def agreement_by_area(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area: raters, Kendall's W and p, Krippendorff's alpha, Friedman p, and a small-group flag."""
    rows = []
    for area in dict.fromkeys(stakeholders(scores)["area"]):
        matrix = rating_matrix(scores, area)
        w, p = kendall_w(matrix)
        n_raters = len(matrix)
        rows.append({
            "area": area, "n_raters": n_raters, "kendall_w": w, "kendall_p": p,
            "krippendorff_alpha": krippendorff_alpha(matrix), "friedman_p": friedman_f_test(matrix),
            "straightliners": int((matrix.nunique(axis=1) == 1).sum()),
            "small_group": n_raters < MIN_RATERS_FOR_AGREEMENT,
        })
    return pd.DataFrame(rows)


# --- expert versus stakeholders ---------------------------------------------------------------


def expert_vs_stakeholders(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area × dimension: the expert's interval against the stakeholders' ratings.

    ``gap_mean`` / ``gap_median`` are how far the stakeholder mean / median lies
    above the expert's upper bound (positive) or below the lower bound
    (negative); 0 inside the interval. ``share_above`` is the share of
    stakeholders rating above the expert's upper bound.
    """
    expert = scores[scores["rater_type"] == "expert"].set_index(["area", "dimension"])
    rows = []
    for (area, dimension), cell in stakeholders(scores).groupby(["area", "dimension"], sort=False):
        if (area, dimension) not in expert.index:
            continue
        low, high = expert.loc[(area, dimension), ["score_low", "score_high"]]
        values = cell["score_low"].to_numpy(float)
        mean, median = values.mean(), float(np.median(values))
        rows.append({
            "area": area, "dimension": dimension, "expert_low": int(low), "expert_high": int(high),
            "expert_mid": (low + high) / 2, "n": len(values), "stakeholder_mean": mean, "stakeholder_median": median,
            "gap_mean": _gap_to_interval(mean, low, high), "gap_median": _gap_to_interval(median, low, high),
            "share_above": float((values > high).mean()), "share_below": float((values < low).mean()),
        })
    return pd.DataFrame(rows)


def _gap_to_interval(value: float, low: float, high: float) -> float:
    if value > high:
        return float(value - high)
    if value < low:
        return float(value - low)
    return 0.0


def paired_test_stakeholders_higher(comparison: pd.DataFrame) -> dict:
    """Wilcoxon signed-rank test over the cells: stakeholder mean − expert midpoint > 0?

    One-sided, because the question is whether stakeholders rate *higher*. The
    signed-rank test suits 35 paired differences of bounded, non-normal scores;
    zero differences are split between the signs (``zero_method='zsplit'``).
    Cells share raters, so they are not fully independent: read p as a guide.
    """
    differences = (comparison["stakeholder_mean"] - comparison["expert_mid"]).to_numpy(float)
    if len(differences) == 0 or np.allclose(differences, 0):
        return {"n_cells": len(differences), "n_higher": 0, "n_lower": 0, "median_difference": 0.0, "statistic": np.nan, "p_value": np.nan}
    result = stats.wilcoxon(differences, zero_method="zsplit", alternative="greater")
    return {
        "n_cells": len(differences),
        "n_higher": int((differences > 0).sum()),
        "n_lower": int((differences < 0).sum()),
        "median_difference": float(np.median(differences)),
        "statistic": float(result.statistic),
        "p_value": float(result.pvalue),
    }


# --- raters ---------------------------------------------------------------------------------------


def straightliners(scores: pd.DataFrame) -> pd.DataFrame:
    """Per (area, rater): whether the rater gave every dimension the same level."""
    cell = stakeholders(scores)
    grouped = cell.groupby(["area", "rater"], sort=False)["score_low"]
    out = grouped.agg(n_dimensions="size", distinct="nunique", rater_mean="mean").reset_index()
    out["straightliner"] = (out["distinct"] == 1) & (out["n_dimensions"] > 1)
    return out


def exclude_straightliners(scores: pd.DataFrame) -> pd.DataFrame:
    """Scores without the (area, rater) pairs that straight-lined; the expert is kept."""
    flagged = straightliners(scores)
    drop = set(map(tuple, flagged.loc[flagged["straightliner"], ["area", "rater"]].to_numpy()))
    keep = [not (t == "stakeholder" and (a, r) in drop) for a, r, t in zip(scores["area"], scores["rater"], scores["rater_type"])]
    return scores[keep].reset_index(drop=True)


def rater_diagnostics(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per stakeholder rater.

    ``leniency`` is the rater's mean score minus the mean of all stakeholder
    scores of the same area, averaged over the rater's areas (positive = rates
    higher than colleagues). ``straightliner`` is true when the rater gave one
    level to all five dimensions in every area they rated. For raters in several
    areas, ``same_answers_across_areas`` says whether their five scores were
    identical everywhere and ``max_difference_across_areas`` is the largest
    change of one dimension's score between two areas.
    """
    cell = stakeholders(scores)
    area_mean = cell.groupby("area")["score_low"].mean()
    lines = straightliners(scores)
    lines["deviation"] = lines["rater_mean"] - lines["area"].map(area_mean)
    rows = []
    for rater, group in lines.groupby("rater", sort=False):
        areas = list(group["area"])
        labels = sorted(set(cell.loc[cell["rater"] == rater, "rater_label"]))
        profiles = cell[cell["rater"] == rater].pivot(index="area", columns="dimension", values="score_low")
        multi = len(areas) > 1
        rows.append({
            "rater": rater, "rater_labels": "; ".join(labels), "areas": "; ".join(areas), "n_areas": len(areas),
            "straightliner": bool(group["straightliner"].all()),
            "straightlined_areas": int(group["straightliner"].sum()),
            "mean_score": float(cell.loc[cell["rater"] == rater, "score_low"].mean()),
            "leniency": float(group["deviation"].mean()),
            "same_answers_across_areas": bool((profiles.nunique(axis=0) == 1).all()) if multi else pd.NA,
            "max_difference_across_areas": float((profiles.max() - profiles.min()).max()) if multi else np.nan,
        })
    return pd.DataFrame(rows)


def exclusion_effect(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area: raters, mean score, Kendall's W and Krippendorff's alpha, with all raters
    (``*_all``) and without straight-liners (``*_without``)."""
    parts = []
    for suffix, data in (("all", scores), ("without", exclude_straightliners(scores))):
        agreement = agreement_by_area(data).set_index("area")
        part = pd.DataFrame({
            f"n_raters_{suffix}": agreement["n_raters"],
            f"mean_{suffix}": stakeholders(data).groupby("area")["score_low"].mean(),
            f"kendall_w_{suffix}": agreement["kendall_w"],
            f"alpha_{suffix}": agreement["krippendorff_alpha"],
        })
        parts.append(part)
    out = parts[0].join(parts[1], how="left")
    out[f"n_raters_without"] = out["n_raters_without"].fillna(0).astype(int)
    order = list(dict.fromkeys(stakeholders(scores)["area"]))
    columns = [f"{name}_{suffix}" for name in ("n_raters", "mean", "kendall_w", "alpha") for suffix in ("all", "without")]
    return out.reindex(order)[columns].rename_axis("area").reset_index()


# --- one run, as the notebook uses it -------------------------------------------------------------


@dataclass
class DispersionResult:
    """All tables of one run of the score-dispersion analysis."""

    scores: pd.DataFrame
    cells: pd.DataFrame
    agreement: pd.DataFrame
    comparison: pd.DataFrame
    paired_test: dict
    raters: pd.DataFrame
    exclusion: pd.DataFrame

    def downloads(self) -> dict[str, pd.DataFrame]:
        return {
            "score-dispersion.csv": self.cells.round(4),
            "agreement.csv": self.agreement.round(4),
            "expert-vs-stakeholders.csv": self.comparison.round(4),
            "raters.csv": self.raters.round(4),
            "straightliner-exclusion.csv": self.exclusion.round(4),
        }


def run_dispersion(
    scores: pd.DataFrame, areas=None, exclude_straightliners_: bool = False, n_boot: int = 2000, seed: int = 2018
) -> DispersionResult:
    """Describe, compare and diagnose the maturity scores of ``areas`` (default all)."""
    if n_boot < 100:
        raise ValueError(f"n_boot must be at least 100, got {n_boot}")
    if areas is not None:
        unknown = sorted(set(areas) - set(scores["area"]))
        if unknown:
            raise ValueError(f"unknown area(s) {unknown}; known areas: {', '.join(dict.fromkeys(scores['area']))}")
        scores = scores[scores["area"].isin(areas)].reset_index(drop=True)
    # Rater diagnostics and the exclusion comparison always look at every rater.
    raters = rater_diagnostics(scores)
    exclusion = exclusion_effect(scores)
    used = exclude_straightliners(scores) if exclude_straightliners_ else scores
    comparison = expert_vs_stakeholders(used)
    return DispersionResult(
        scores=used,
        cells=describe_cells(used, n_boot=n_boot, seed=seed),
        agreement=agreement_by_area(used),
        comparison=comparison,
        paired_test=paired_test_stakeholders_higher(comparison),
        raters=raters,
        exclusion=exclusion,
    )


def key_findings(result: DispersionResult) -> str:
    """Markdown bullets with the run's main numbers."""
    cells, agreement, test = result.cells, result.agreement, result.paired_test
    split = cells[cells["range"] >= 3]
    low_rwg = cells[cells["rwg"] < 0.5]
    negative_alpha = agreement[agreement["krippendorff_alpha"] < 0]
    straight = result.raters
    multi = straight[straight["n_areas"] > 1]
    lines = [
        f"* {len(cells)} area × dimension cells, {int(stakeholders(result.scores).groupby('area')['rater'].nunique().sum())} stakeholder rating sets (one rater scoring one area).",
        f"* In **{len(split)} of {len(cells)}** cells the stakeholders' answers span three or more levels (e.g. 1 to 4); "
        f"in **{len(low_rwg)}** cells agreement r_wg is below 0.5, i.e. the spread is at least half of what random answers would give.",
        f"* Krippendorff's alpha is negative in **{len(negative_alpha)} of {len(agreement)}** areas: "
        "raters differ more in their overall level than the dimensions differ from each other.",
        f"* Stakeholders rate above the expert in **{test['n_higher']} of {test['n_cells']}** cells "
        f"(median difference {test['median_difference']:+.2f} levels; Wilcoxon signed-rank, one-sided p = {test['p_value']:.2g}).",
        f"* **{int(straight['straightlined_areas'].sum())}** rating sets give one level to all five dimensions (straight-lining); "
        f"of the {len(multi)} raters who rated several areas, {int(multi['same_answers_across_areas'].fillna(False).astype(bool).sum())} gave identical answers in every area.",
    ]
    return "\n".join(lines)


def strip_title(result: DispersionResult) -> str:
    test = result.paired_test
    return (f"Stakeholders' ratings spread over several levels, and sit above the expert's score "
            f"in {test['n_higher']} of {test['n_cells']} area × dimension cells")


def heatmap_title(result: DispersionResult) -> str:
    cells = result.cells
    top = cells.loc[cells["mean"].idxmax()]
    low = cells.loc[cells["mean"].idxmin()]
    return (f"Mean maturity ranges from {low['mean']:.1f} ({low['area']}, {low['dimension']}) "
            f"to {top['mean']:.1f} ({top['area']}, {top['dimension']}); ± is the standard deviation")


def agreement_title(result: DispersionResult) -> str:
    agreement = result.agreement[~result.agreement["small_group"]]
    if agreement.empty:
        return "Agreement among raters per area"
    best = agreement.loc[agreement["kendall_w"].idxmax()]
    return (f"Raters agree little on which dimension is strongest: Kendall's W at most {best['kendall_w']:.2f} "
            f"({best['area']}) among areas with enough raters")


def expert_title(result: DispersionResult) -> str:
    test = result.paired_test
    return f"Points above the dashed line: stakeholders rate higher than the expert ({test['n_higher']} of {test['n_cells']} cells)"


def paired_test_note(test: dict) -> str:
    """One paragraph on the Wilcoxon test result."""
    if np.isnan(test["p_value"]):
        return "The stakeholders' means equal the expert's scores in every cell; there is nothing to test."
    verdict = "rate systematically higher than the expert" if test["p_value"] < 0.05 else "do not rate clearly higher than the expert"
    return (
        f"Stakeholders' means lie above the expert's score in {test['n_higher']} cells and below it in {test['n_lower']} "
        f"(of {test['n_cells']}); the median difference is {test['median_difference']:+.2f} levels. "
        f"Wilcoxon signed-rank test, one-sided: W = {test['statistic']:.0f}, p = {test['p_value']:.2g} — the stakeholders {verdict}."
    )
