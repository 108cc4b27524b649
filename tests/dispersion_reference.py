"""The score-dispersion analysis as it was computed before the run shared its tables (issue 17).

A frozen copy of the straightforward path of ``analysis.methods.dispersion`` and
``analysis.methods.raters`` at commit 6c23bfc: every function computes what it needs from the
scores itself (so ``rating_sets`` ran seven times in one run). ``tests/test_dispersion_shared.py``
checks that :func:`analysis.methods.dispersion.run_dispersion` still gives exactly these numbers.
Test code only; the helpers that were not changed are imported from the library. If the analysis
changes on purpose, change it here too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.methods.dispersion import (
    DEFAULT,
    MIN_RATERS_FOR_AGREEMENT,
    DispersionResult,
    expert_gap_tests,
    krippendorff_alpha,
    paired_test_stakeholders_higher,
    rwg,
    t_interval_of_mean,
    tastle_wierman_consensus,
)
from analysis.methods.raters import (
    DUPLICATE_COLUMNS,
    VARIANCE_COLUMNS,
    _chance_identical_pairs,
    expert_dimension_range,
    identical_pairs_by_chance,
    share_intervals,
    stakeholders,
    variance_components,
)
from analysis.params import DispersionParams


def answer_tables(scores: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Stakeholder answers per area as rating sets × dimensions (complete rows only), in data order."""
    cell = stakeholders(scores)
    if cell.empty:
        return {}
    wide = cell.pivot_table(index=["area", "rater"], columns="dimension", values="score_low", aggfunc="first", sort=False)
    wide = wide[list(dict.fromkeys(cell["dimension"]))]
    return {area: table.droplevel("area").dropna().astype(float) for area, table in wide.groupby(level="area", sort=False)}


def rater_variance(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area: how much of the variance of the stakeholders' answers lies between raters'
    overall levels, between dimensions, and in the rest (shares add up to 1).

    ``small_group`` marks areas with fewer than five raters (shown, not counted in summaries).
    """
    rows = []
    for area, table in answer_tables(scores).items():
        parts = variance_components(table)
        total = sum(parts.values())
        shares = {f"share_{name[4:]}": (value / total if total > 0 else np.nan) for name, value in parts.items()}
        rows.append({"area": area, "n_raters": len(table), "n_dimensions": table.shape[1], **parts, **shares})
    out = pd.DataFrame(rows, columns=VARIANCE_COLUMNS[:-1])
    out["small_group"] = out["n_raters"] < MIN_RATERS_FOR_AGREEMENT
    return out[VARIANCE_COLUMNS]


def likely_duplicates(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per stakeholder rating set: its answers and the sets of the same area that gave
    exactly the same non-flat answers under another label.

    Columns: ``area``, ``rater``, ``rater_label``, ``answers`` (levels in dimension order,
    e.g. ``3-3-2-2-2``), ``flat``, ``same_answers_as`` (labels of the other sets, ``; ``-joined,
    empty when none), ``duplicate_of`` (the label of the first such set in data order, empty
    for the first itself), ``chance_pairs`` (identical non-flat pairs expected by chance in
    the area) and ``identical_pairs`` (observed).
    """
    cell = stakeholders(scores)
    labels = cell.groupby(["area", "rater"], sort=False)["rater_label"].first()
    rows = []
    for area, table in answer_tables(scores).items():
        values = table.to_numpy()
        answers = ["-".join(str(int(v)) for v in row) for row in values]
        flat = [len(set(row)) == 1 for row in values]
        groups: dict[str, list] = {}
        for rater, answer, is_flat in zip(table.index, answers, flat):
            if not is_flat:
                groups.setdefault(answer, []).append(rater)
        pairs = sum(len(g) * (len(g) - 1) // 2 for g in groups.values())
        chance = _chance_identical_pairs(values)
        for rater, answer, is_flat in zip(table.index, answers, flat):
            group = [rater] if is_flat else groups[answer]
            rows.append(
                (
                    area,
                    rater,
                    labels[(area, rater)],
                    answer,
                    is_flat,
                    "; ".join(str(labels[(area, other)]) for other in group if other != rater),
                    str(labels[(area, group[0])]) if group[0] != rater else "",
                    chance,
                    pairs,
                )
            )
    return pd.DataFrame(rows, columns=DUPLICATE_COLUMNS)


def drop_likely_duplicates(scores: pd.DataFrame) -> pd.DataFrame:
    """Scores without the later sets of each group of identical non-flat answers in one area
    (the first set of the group is kept); the expert is kept."""
    found = likely_duplicates(scores)
    drop = set(zip(found.loc[found["duplicate_of"] != "", "area"], found.loc[found["duplicate_of"] != "", "rater"]))
    keep = [not (t == "stakeholder" and (a, r) in drop) for a, r, t in zip(scores["area"], scores["rater"], scores["rater_type"])]
    return scores[keep].reset_index(drop=True)


def rating_matrix(scores: pd.DataFrame, area: str, dimensions: list[str] | None = None) -> pd.DataFrame:
    """Stakeholder ratings of one area as raters × dimensions (NaN where a rating is missing)."""
    cell = stakeholders(scores)
    cell = cell[cell["area"] == area]
    matrix = cell.pivot(index="rater", columns="dimension", values="score_low")
    order = dimensions or list(dict.fromkeys(cell["dimension"]))
    raters = list(dict.fromkeys(cell["rater"]))
    return matrix.reindex(index=raters, columns=order).astype(float)


def describe_cells(scores: pd.DataFrame, n_boot: int = 2000, seed: int = 2018) -> pd.DataFrame:
    """Per area × dimension: n, mean with its interval, median, sd, quartiles, IQR, share of
    answers within one level of the median, range, rwg, consensus.

    Unit: the area's rating sets (n = raters who scored that dimension of that area). Levels
    1–5; ``range`` is highest minus lowest level (one rater decides it; ``iqr``, the spread of
    the middle half, and ``within_one`` describe the group better). ``ci_low``/``ci_high`` is a
    t-based 95 % interval of the mean (:func:`t_interval_of_mean`) for groups of at least five
    raters, and missing for smaller groups; ``small_group`` is true when the area has fewer than
    five raters. ``n_boot`` and ``seed`` are accepted for symmetry with the other steps and unused.
    """
    rows = []
    cell_scores = stakeholders(scores)
    areas = list(dict.fromkeys(cell_scores["area"]))
    dimensions = list(dict.fromkeys(cell_scores["dimension"]))
    for area in areas:
        for dimension in dimensions:
            values = cell_scores.loc[(cell_scores["area"] == area) & (cell_scores["dimension"] == dimension), "score_low"].to_numpy(float)
            low, high = t_interval_of_mean(values)
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
    small = set(small_group_areas(scores))
    cells["small_group"] = cells["area"].isin(small) if len(cells) else pd.Series(dtype=bool)
    return cells


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
    """p-value of Friedman's test that the dimensions differ, Iman–Davenport F version.

    F = W (m − 1) / (1 − W) with W the tie-corrected Kendall's W, on
    k − 1 − 2/m and (m − 1)(k − 1 − 2/m) degrees of freedom, exactly as
    ``pingouin.friedman(method="f")`` computes it (the tests cross-check against
    pingouin; written out here because importing pingouin alone costs a second).
    NaN with fewer than three complete raters or no variation within raters;
    0 when W = 1 (every rater gives the same order).
    """
    complete = matrix.dropna()
    m, k = complete.shape
    if m < 3 or (complete.nunique(axis=1) == 1).all():
        return float("nan")
    w, _ = kendall_w(complete)
    if np.isnan(w):
        return float("nan")
    if w >= 1:
        return 0.0
    f = w * (m - 1) / (1 - w)
    df1 = k - 1 - 2 / m
    return float(stats.f.sf(f, df1, (m - 1) * df1))


def small_group_areas(scores: pd.DataFrame) -> list[str]:
    """Areas rated by fewer than :data:`MIN_RATERS_FOR_AGREEMENT` (5) stakeholder raters, in data order."""
    counts = stakeholders(scores).groupby("area", sort=False)["rater"].nunique()
    return [area for area, n in counts.items() if n < MIN_RATERS_FOR_AGREEMENT]


def agreement_by_area(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area: raters, Kendall's W and p, Krippendorff's alpha, Friedman p, and a small-group flag.

    Unit: the rating sets of the area (one per rater; copies of a set the same
    rater gave another area count here, because the question is about this area).
    ``small_group`` is true below five raters.
    """
    rows = []
    for area in dict.fromkeys(stakeholders(scores)["area"]):
        matrix = rating_matrix(scores, area)
        w, p = kendall_w(matrix)
        n_raters = len(matrix)
        rows.append(
            {
                "area": area,
                "n_raters": n_raters,
                "kendall_w": w,
                "kendall_p": p,
                "krippendorff_alpha": krippendorff_alpha(matrix),
                "friedman_p": friedman_f_test(matrix),
                "straightliners": int((matrix.nunique(axis=1) == 1).sum()),
                "small_group": n_raters < MIN_RATERS_FOR_AGREEMENT,
            }
        )
    columns = ["area", "n_raters", "kendall_w", "kendall_p", "krippendorff_alpha", "friedman_p", "straightliners", "small_group"]
    return pd.DataFrame(rows, columns=columns)  # columns even with no stakeholder left (all straight-lined)


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
    cell = stakeholders(scores)
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
    profiles = {key: tuple(sorted(zip(group["dimension"], group["score_low"].astype(float)))) for key, group in grouped[["dimension", "score_low"]]}
    first_area: dict[tuple, str] = {}
    copy_of = []
    for area, rater in zip(out["area"], out["rater"]):
        key = (rater, profiles[(area, rater)])
        copy_of.append(first_area.get(key, ""))
        first_area.setdefault(key, area)
    out["copy_of"] = copy_of
    found = likely_duplicates(scores).set_index(["area", "rater"])
    keys = list(zip(out["area"], out["rater"]))
    out["same_answers_as"] = [found["same_answers_as"].get(key, "") for key in keys]
    out["duplicate_of"] = [found["duplicate_of"].get(key, "") for key in keys]
    return out


def collapse_rater_copies(scores: pd.DataFrame) -> pd.DataFrame:
    """Scores without the stakeholder sets that copy the same rater's earlier set, and without the
    later sets of each group of identical non-flat answers under different labels in one area
    (likely one questionnaire entered twice); the expert is kept.

    After this, each rater counts once per distinct answer profile.
    """
    sets = rating_sets(scores)
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
    sets = rating_sets(scores)
    per_rater = sets.groupby("rater", sort=False).agg(n_sets=("area", "size"), copies=("copy_of", lambda c: int((c != "").sum())))
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


def expert_vs_stakeholders(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area × dimension: the expert's interval against the stakeholders' ratings.

    ``gap_mean`` / ``gap_median`` are how far the stakeholder mean / median lies
    above the expert's upper bound (positive) or below the lower bound
    (negative); 0 inside the interval. ``share_above`` is the share of
    stakeholders rating above the expert's upper bound. Unit: the area's rating
    sets; ``small_group`` marks areas with fewer than five raters.
    """
    expert = scores[scores["rater_type"] == "expert"].set_index(["area", "dimension"])
    small = set(small_group_areas(scores))
    rows = []
    for (area, dimension), cell in stakeholders(scores).groupby(["area", "dimension"], sort=False):
        if (area, dimension) not in expert.index:
            continue
        low, high = expert.loc[(area, dimension), ["score_low", "score_high"]]
        values = cell["score_low"].to_numpy(float)
        mean, median = values.mean(), float(np.median(values))
        rows.append(
            {
                "area": area,
                "dimension": dimension,
                "expert_low": int(low),
                "expert_high": int(high),
                "expert_mid": (low + high) / 2,
                "n": len(values),
                "stakeholder_mean": mean,
                "stakeholder_median": median,
                # The middle of a printed range, like every other comparison with the expert (changed on purpose:
                # the table used the nearer end of the range while the text used the middle).
                "gap_mean": float(mean - (low + high) / 2),
                "gap_median": float(median - (low + high) / 2),
                "share_above": float((values > (low + high) / 2).mean()),
                "share_below": float((values < (low + high) / 2).mean()),
                "small_group": area in small,
            }
        )
    return pd.DataFrame(rows)


def straightliners(scores: pd.DataFrame) -> pd.DataFrame:
    """Per (area, rater): whether the rater gave every dimension the same level (one row per rating set)."""
    return rating_sets(scores)[["area", "rater", "n_dimensions", "distinct", "rater_mean", "straightliner"]]


def exclude_straightliners(scores: pd.DataFrame) -> pd.DataFrame:
    """Scores without the (area, rater) pairs that straight-lined; the expert is kept."""
    flagged = straightliners(scores)
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
    cell = stakeholders(scores)
    area_mean = cell.groupby("area")["score_low"].mean()
    sets = rating_sets(scores)
    sets["deviation"] = sets["rater_mean"] - sets["area"].map(area_mean)
    answers = likely_duplicates(scores).set_index(["area", "rater"])["answers"]
    sets["answers"] = [answers.get(key, "") for key in zip(sets["area"], sets["rater"])]
    rows = []
    for rater, group in sets.groupby("rater", sort=False):
        areas = list(group["area"])
        labels = sorted(set(cell.loc[cell["rater"] == rater, "rater_label"]))
        profiles = cell[cell["rater"] == rater].pivot(index="area", columns="dimension", values="score_low")
        multi = len(areas) > 1
        used = group[group["copy_of"] == ""] if collapse_copies else group
        copies = group[group["copy_of"] != ""]
        rows.append(
            {
                "rater": rater,
                "rater_labels": "; ".join(labels),
                "areas": "; ".join(areas),
                "n_areas": len(areas),
                "n_sets": len(group),
                "copies": len(copies),
                "copy_of": "; ".join(f"{a}={o}" for a, o in zip(copies["area"], copies["copy_of"])),
                "same_answers_as": "; ".join(
                    f"{a}: {others} ({answers})" for a, others, answers in zip(group["area"], group["same_answers_as"], group["answers"]) if others
                ),
                "straightliner": bool(group["straightliner"].all()),
                "straightlined_areas": int(group["straightliner"].sum()),
                "mean_score": float((used["rater_mean"] * used["n_dimensions"]).sum() / used["n_dimensions"].sum()),
                "overall_level": float(used["deviation"].mean()),
                "same_answers_across_areas": bool((profiles.nunique(axis=0) == 1).all()) if multi else pd.NA,
                "max_difference_across_areas": float((profiles.max() - profiles.min()).max()) if multi else np.nan,
            }
        )
    return pd.DataFrame(rows)


def exclusion_effect(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area: raters, mean score, Kendall's W and Krippendorff's alpha, with all raters
    (``*_all``) and without straight-liners (``*_without``); ``small_group`` is the
    small-group flag with all raters."""
    parts = []
    for suffix, data in (("all", scores), ("without", exclude_straightliners(scores))):
        agreement = agreement_by_area(data).set_index("area")
        part = pd.DataFrame(
            {
                f"n_raters_{suffix}": agreement["n_raters"],
                f"mean_{suffix}": stakeholders(data).groupby("area")["score_low"].mean(),
                f"kendall_w_{suffix}": agreement["kendall_w"],
                f"alpha_{suffix}": agreement["krippendorff_alpha"],
            }
        )
        parts.append(part)
    out = parts[0].join(parts[1], how="left")
    out["n_raters_without"] = out["n_raters_without"].fillna(0).astype(int)
    order = list(dict.fromkeys(stakeholders(scores)["area"]))
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
    sets = rating_sets(scores)
    originals = set(zip(sets.loc[sets["copy_of"] == "", "area"], sets.loc[sets["copy_of"] == "", "rater"]))
    pairs, expected = set(), 0.0
    for area, table in answer_tables(scores).items():
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
    return rater_variance(exclude_straightliners(scores))


def duplicate_sensitivity(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area: the area's results with every set (``*_all``) and without likely duplicates
    (``*_without``): rating sets, mean level, Kendall's W, Krippendorff's alpha and the
    rater share of the variance. A sensitivity, not a removal: both are published."""
    parts = []
    for suffix, data in (("all", scores), ("without", drop_likely_duplicates(scores))):
        agreement = agreement_by_area(data).set_index("area")
        variance = rater_variance(data).set_index("area")
        parts.append(
            pd.DataFrame(
                {
                    f"n_sets_{suffix}": agreement["n_raters"],
                    f"mean_{suffix}": stakeholders(data).groupby("area")["score_low"].mean(),
                    f"kendall_w_{suffix}": agreement["kendall_w"],
                    f"alpha_{suffix}": agreement["krippendorff_alpha"],
                    f"share_rater_{suffix}": variance["share_rater"],
                }
            )
        )
    out = parts[0].join(parts[1], how="left")
    order = list(dict.fromkeys(stakeholders(scores)["area"]))
    names = ("n_sets", "mean", "kendall_w", "alpha", "share_rater")
    out = out.reindex(order)[[f"{name}_{suffix}" for name in names for suffix in ("all", "without")]]
    out["duplicates"] = (out["n_sets_all"] - out["n_sets_without"]).astype(int)
    return out.rename_axis("area").reset_index()


def run_dispersion(scores: pd.DataFrame, params: DispersionParams | None = None, **options) -> DispersionResult:
    """Describe, compare and diagnose the maturity scores of ``params.areas`` (default all).

    ``params`` is a :class:`~analysis.params.DispersionParams`, or give its fields as keywords
    (``areas=``, ``collapse_copies=``, ``exclude_straightliners=``, ``n_boot=``, ``seed=``): the
    model is built and checked once, before any work (a bad value raises
    :class:`~analysis.errors.ParameterError` naming the parameter and what is allowed; an
    unknown area is an :class:`~analysis.errors.UnknownNameError` listing the known ones).
    Rater diagnostics, copies and the straight-lining comparison always look at every rater of
    the chosen areas; ``exclude_straightliners`` drops straight-lined sets from everything else.
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
    raters = rater_diagnostics(scores, collapse_copies=p.collapse_copies)
    sets = rating_sets(scores)
    exclusion = exclusion_effect(scores)
    counts = unit_counts(scores)
    used = exclude_straightliners(scores) if p.exclude_straightliners else scores
    rater_scores = collapse_rater_copies(used) if p.collapse_copies else used
    comparison = expert_vs_stakeholders(used)
    duplicates = likely_duplicates(scores)
    return DispersionResult(
        scores=used,
        rater_scores=rater_scores,
        cells=describe_cells(used, n_boot=p.n_boot, seed=p.seed),
        agreement=agreement_by_area(used),
        comparison=comparison,
        # The summaries of the gap leave out the small groups (changed on purpose: the page said so, the numbers did not).
        paired_test=paired_test_stakeholders_higher(comparison[~comparison["small_group"]] if len(comparison) else comparison),
        gap_tests=expert_gap_tests(
            rater_scores[~rater_scores["area"].isin(small_group_areas(used))],
            comparison[~comparison["small_group"]] if len(comparison) else comparison,
            n_boot=p.n_boot,
            seed=p.seed,
        ),
        raters=raters,
        sets=sets,
        exclusion=exclusion,
        counts=counts,
        small_areas=small_group_areas(used),
        # The intervals from resampling the raters are the library's (one vectorised function, tested on its own).
        variance=rater_variance(used).merge(share_intervals(answer_tables(used), p.n_boot, p.seed), on="area", how="left"),
        duplicates=duplicates,
        duplicate_sensitivity=duplicate_sensitivity(used),
        expert_range=expert_dimension_range(used),
        variance_without_flat=variance_without_straightliners(used),
        duplicate_evidence=duplicate_evidence(scores),
        params=params,
    )
