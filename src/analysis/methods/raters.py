"""What the raters tell us: where the variance of the answers comes from, likely duplicate
questionnaires, and how spread the opinions are.

Pure functions on ``maturity_scores.csv`` (stakeholder rows; the expert is left out).

Variance decomposition
----------------------
In each area every stakeholder rating set scores the same five dimensions, so the
answers form a complete raters × dimensions table with one answer per cell. The
two-way random-effects model ``score = μ + rater + dimension + residual`` splits its
variance into

* ``rater``: differences in the raters' overall level (how generous a unit is),
* ``dimension``: differences between the five dimensions that all raters share
  (what raters agree are the area's strong and weak points),
* ``residual``: everything else (a rater's own view of one dimension, and noise).

The components are the ANOVA (expected-mean-squares) estimates of that model, the
ones the intraclass correlations of Shrout & Fleiss are built on, from the mean
squares of ``statsmodels``' ``anova_lm``: σ²_rater = (MS_rater − MS_res) / k,
σ²_dimension = (MS_dim − MS_res) / n, σ²_residual = MS_res, a negative estimate set
to 0. For a complete, balanced table these equal the REML estimates of a mixed model
with crossed random effects (``statsmodels`` ``MixedLM`` with variance components;
``tests/test_raters.py`` checks the two agree on the real data) and, unlike that
iterative fit, they need no optimiser that can fail on the boundary with three
raters. No interval is given: with 3–13 raters and 5 dimensions the shares are
descriptions of the units asked, who are all the units there are, not a sample.

Likely duplicates
-----------------
Two rating sets of one area under different labels with identical answers on every
dimension are likely one questionnaire entered twice (or one unit answering for
two) when the answers are not flat: identical flat (straight-lined) answers are
common and no evidence of copying. ``chance_pairs`` is how many identical non-flat
pairs the area would show by chance if raters answered independently with the
area's own distribution of levels per dimension, so a reader can weigh the evidence.
A unit's set reused in another area is the existing ``copy_of`` of
:func:`analysis.methods.dispersion.rating_sets`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis.methods.dispersion import MIN_RATERS_FOR_AGREEMENT, agreement_by_area, stakeholders

VARIANCE_COLUMNS = [
    "area",
    "n_raters",
    "n_dimensions",
    "var_rater",
    "var_dimension",
    "var_residual",
    "share_rater",
    "share_dimension",
    "share_residual",
    "small_group",
]


def _answer_table(scores: pd.DataFrame, area: str) -> pd.DataFrame:
    """Stakeholder answers of one area as rating sets × dimensions (complete rows only)."""
    cell = stakeholders(scores)
    cell = cell[cell["area"] == area]
    table = cell.pivot(index="rater", columns="dimension", values="score_low")
    table = table.reindex(index=list(dict.fromkeys(cell["rater"])), columns=list(dict.fromkeys(cell["dimension"])))
    return table.dropna().astype(float)


def variance_components(table: pd.DataFrame) -> dict:
    """σ² of rater, dimension and residual for a complete raters × dimensions table of answers.

    >>> t = pd.DataFrame([[1, 2, 3], [2, 3, 4], [3, 4, 5]], columns=list("abc"))
    >>> {k: round(v, 3) for k, v in variance_components(t).items()}
    {'var_rater': 1.0, 'var_dimension': 1.0, 'var_residual': 0.0}
    """
    from statsmodels.formula.api import ols
    from statsmodels.stats.anova import anova_lm

    n, k = table.shape
    if n < 2 or k < 2:
        return {"var_rater": np.nan, "var_dimension": np.nan, "var_residual": np.nan}
    long = table.rename_axis(index="rater", columns="dimension").stack().rename("score").reset_index()
    long["rater"] = long["rater"].astype(str)
    long["dimension"] = long["dimension"].astype(str)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a perfect fit (zero residual) divides by zero in F
        squares = anova_lm(ols("score ~ C(rater) + C(dimension)", data=long).fit())
    ms_rater = squares.loc["C(rater)", "mean_sq"]
    ms_dimension = squares.loc["C(dimension)", "mean_sq"]
    ms_residual = max(float(squares.loc["Residual", "mean_sq"]), 0.0)
    if ms_residual < 1e-12:
        ms_residual = 0.0
    return {
        "var_rater": max((ms_rater - ms_residual) / k, 0.0),
        "var_dimension": max((ms_dimension - ms_residual) / n, 0.0),
        "var_residual": ms_residual,
    }


def rater_variance(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area: how much of the variance of the stakeholders' answers lies between raters'
    overall levels, between dimensions, and in the rest (shares add up to 1).

    ``small_group`` marks areas with fewer than five raters (shown, not counted in summaries).
    """
    rows = []
    for area in dict.fromkeys(stakeholders(scores)["area"]):
        table = _answer_table(scores, area)
        parts = variance_components(table)
        total = sum(parts.values())
        shares = {f"share_{name[4:]}": (value / total if total > 0 else np.nan) for name, value in parts.items()}
        rows.append({"area": area, "n_raters": len(table), "n_dimensions": table.shape[1], **parts, **shares})
    out = pd.DataFrame(rows, columns=VARIANCE_COLUMNS[:-1])
    out["small_group"] = out["n_raters"] < MIN_RATERS_FOR_AGREEMENT
    return out[VARIANCE_COLUMNS]


def _chance_identical_pairs(table: pd.DataFrame) -> float:
    """Expected identical non-flat pairs among the table's rows if each rater drew each
    dimension's level independently from that dimension's observed distribution."""
    n = len(table)
    if n < 2:
        return 0.0
    # P(two independent rows are identical) = Π_d Σ_l p_dl²; subtract the flat profiles' share.
    freq = [table[c].value_counts(normalize=True) for c in table.columns]
    same = float(np.prod([(p**2).sum() for p in freq]))
    levels = set.intersection(*(set(p.index) for p in freq))
    flat = sum(float(np.prod([p.get(level, 0.0) ** 2 for p in freq])) for level in levels)
    return (n * (n - 1) / 2) * max(same - flat, 0.0)


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
    rows = []
    for area in dict.fromkeys(cell["area"]):
        table = _answer_table(scores, area)
        labels = cell[cell["area"] == area].groupby("rater", sort=False)["rater_label"].first()
        answers = {rater: "-".join(str(int(v)) for v in row) for rater, row in zip(table.index, table.to_numpy())}
        flat = {rater: len(set(row)) == 1 for rater, row in zip(table.index, table.to_numpy())}
        groups: dict[str, list] = {}
        for rater in table.index:
            if not flat[rater]:
                groups.setdefault(answers[rater], []).append(rater)
        pairs = sum(len(g) * (len(g) - 1) // 2 for g in groups.values())
        chance = _chance_identical_pairs(table)
        for rater in table.index:
            group = groups.get(answers[rater], [rater]) if not flat[rater] else [rater]
            others = [r for r in group if r != rater]
            rows.append(
                {
                    "area": area,
                    "rater": rater,
                    "rater_label": labels[rater],
                    "answers": answers[rater],
                    "flat": flat[rater],
                    "same_answers_as": "; ".join(str(labels[r]) for r in others),
                    "duplicate_of": str(labels[group[0]]) if group[0] != rater else "",
                    "chance_pairs": chance,
                    "identical_pairs": pairs,
                }
            )
    columns = ["area", "rater", "rater_label", "answers", "flat", "same_answers_as", "duplicate_of", "chance_pairs", "identical_pairs"]
    return pd.DataFrame(rows, columns=columns)


def drop_likely_duplicates(scores: pd.DataFrame) -> pd.DataFrame:
    """Scores without the later sets of each group of identical non-flat answers in one area
    (the first set of the group is kept); the expert is kept."""
    found = likely_duplicates(scores)
    drop = set(zip(found.loc[found["duplicate_of"] != "", "area"], found.loc[found["duplicate_of"] != "", "rater"]))
    keep = [not (t == "stakeholder" and (a, r) in drop) for a, r, t in zip(scores["area"], scores["rater"], scores["rater_type"])]
    return scores[keep].reset_index(drop=True)


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


def opinion_spread(scores: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per area × dimension: how spread the units' opinions are, in words a reader can check.

    ``q1``, ``median``, ``q3`` and ``iqr`` (levels; the middle half of the answers lies
    between q1 and q3), ``within_one`` (share of answers at most one level from the
    median) and a t-based interval of the mean (``t_low``, ``t_high``) — for groups of at
    least five raters only; with fewer there is none (NaN). The units asked are all the
    units there are, so the interval describes how precisely their mean is pinned down
    by the answers given, not a population of other units.
    """
    from scipy import stats

    cell = stakeholders(scores)
    rows = []
    for (area, dimension), group in cell.groupby(["area", "dimension"], sort=False):
        values = group["score_low"].to_numpy(float)
        n = len(values)
        median = float(np.median(values))
        q1, q3 = np.percentile(values, [25, 75])
        low = high = np.nan
        if n >= MIN_RATERS_FOR_AGREEMENT:
            mean, sem = values.mean(), stats.sem(values)
            if sem > 0:
                low, high = stats.t.interval(confidence, n - 1, loc=mean, scale=sem)
            else:
                low = high = mean
        rows.append(
            {
                "area": area,
                "dimension": dimension,
                "n": n,
                "q1": q1,
                "median": median,
                "q3": q3,
                "iqr": q3 - q1,
                "within_one": float(np.mean(np.abs(values - median) <= 1)),
                "t_low": low,
                "t_high": high,
            }
        )
    return pd.DataFrame(rows)
