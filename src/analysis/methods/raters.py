"""What the raters tell us: where the variance of the answers comes from, and likely duplicate
questionnaires.

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
ones the intraclass correlations of Shrout & Fleiss are built on: σ²_rater =
(MS_rater − MS_res) / k, σ²_dimension = (MS_dim − MS_res) / n, σ²_residual = MS_res, a
negative estimate set to 0. The mean squares are written out (a few array sums per area);
``tests/test_raters.py`` checks them against ``statsmodels``' ``anova_lm``, and the
components against the REML estimates of ``statsmodels``' ``MixedLM`` with crossed
variance components, which they equal for a complete, balanced table. The iterative fit
is not used itself: it warns and can fail on the boundary with three raters, and it
would take most of the report's time budget. No interval is given: with 3–13 raters and
5 dimensions the shares describe the units asked, who are all the units there are.

Likely duplicates
-----------------
Two rating sets of one area under different labels with identical answers on every
dimension are likely one questionnaire entered twice (or one unit answering for
two) when the answers are not flat: identical flat (straight-lined) answers are
common and no evidence of copying. ``chance_pairs`` is how many identical non-flat
pairs the area would show by chance if raters answered independently with the
area's own distribution of levels per dimension, so a reader can weigh the evidence.
A unit's set reused in another area is the ``copy_of`` of
:func:`analysis.methods.dispersion.rating_sets`; :func:`analysis.methods.dispersion.duplicate_sensitivity`
shows each area's results with and without the likely duplicates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Below this many raters an area is a small group: its statistics are shown but flagged,
# and it is left out of counts such as "negative in N of M areas".
MIN_RATERS_FOR_AGREEMENT = 5

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


def stakeholders(scores: pd.DataFrame) -> pd.DataFrame:
    """The stakeholders' rows of ``scores`` (the expert left out)."""
    return scores[scores["rater_type"] == "stakeholder"]


def answer_tables(scores: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Stakeholder answers per area as rating sets × dimensions (complete rows only), areas in data
    order, raters in the order in which they first appear in the scores (in any area)."""
    cell = stakeholders(scores)
    if cell.empty:
        return {}
    dimensions = pd.Index(list(dict.fromkeys(cell["dimension"])), name="dimension")
    # Rows of each area in the order in which the raters first appear anywhere in the scores (the
    # order pivot_table gave, which the first of a group of likely duplicates depends on).
    rater_codes, all_raters = pd.factorize(cell["rater"])
    levels = cell["score_low"].to_numpy(float)
    columns = dimensions.get_indexer(cell["dimension"])
    tables = {}
    for area, rows in cell.groupby("area", sort=False).indices.items():
        rows = rows[~np.isnan(levels[rows])]  # answered only
        if not len(rows):
            continue  # no answer at all: no table (as pivot_table had no row for it)
        present = np.unique(rater_codes[rows])  # sorted: in order of first appearance in the scores
        values = np.full((len(present), len(dimensions)), np.nan)
        # One answer per rater and dimension, the first (pivot_table's "first"): written last.
        values[np.searchsorted(present, rater_codes[rows])[::-1], columns[rows][::-1]] = levels[rows][::-1]
        complete = ~np.isnan(values).any(axis=1)
        # copy=False keeps the array row by row, as pivot_table's tables were: sums over the table then
        # add in the same order, to the last bit.
        tables[area] = pd.DataFrame(values[complete], index=pd.Index(all_raters[present[complete]], name="rater"), columns=dimensions, copy=False)
    return tables


def variance_components(table: pd.DataFrame) -> dict:
    """σ² of rater, dimension and residual for a complete raters × dimensions table of answers.

    The mean squares of the two-way ANOVA without interaction (one answer per cell), written out
    (``tests/test_raters.py`` checks them against ``statsmodels``' ``anova_lm``):

    >>> t = pd.DataFrame([[1, 2, 3], [2, 3, 4], [3, 4, 5]], columns=list("abc"))
    >>> {k: round(float(v), 3) for k, v in variance_components(t).items()}
    {'var_rater': 1.0, 'var_dimension': 1.0, 'var_residual': 0.0}
    """
    values = np.asarray(table, dtype=float)
    n, k = values.shape
    if n < 2 or k < 2:
        return {"var_rater": np.nan, "var_dimension": np.nan, "var_residual": np.nan}
    grand = values.mean()
    ss_rater = k * ((values.mean(axis=1) - grand) ** 2).sum()
    ss_dimension = n * ((values.mean(axis=0) - grand) ** 2).sum()
    ss_residual = max(((values - grand) ** 2).sum() - ss_rater - ss_dimension, 0.0)
    ms_rater, ms_dimension = ss_rater / (n - 1), ss_dimension / (k - 1)
    ms_residual = ss_residual / ((n - 1) * (k - 1))
    if ms_residual < 1e-12:
        ms_residual = 0.0
    return {
        "var_rater": float(max((ms_rater - ms_residual) / k, 0.0)),
        "var_dimension": float(max((ms_dimension - ms_residual) / n, 0.0)),
        "var_residual": float(ms_residual),
    }


def rater_variance(scores: pd.DataFrame, tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Per area: how much of the variance of the stakeholders' answers lies between raters'
    overall levels, between dimensions, and in the rest (shares add up to 1).

    ``small_group`` marks areas with fewer than five raters (shown, not counted in summaries).
    ``tables`` is :func:`answer_tables` of ``scores`` when the caller has it already.
    """
    rows = []
    for area, table in (answer_tables(scores) if tables is None else tables).items():
        parts = variance_components(table)
        total = sum(parts.values())
        shares = {f"share_{name[4:]}": (value / total if total > 0 else np.nan) for name, value in parts.items()}
        rows.append({"area": area, "n_raters": len(table), "n_dimensions": table.shape[1], **parts, **shares})
    out = pd.DataFrame(rows, columns=VARIANCE_COLUMNS[:-1])
    out["small_group"] = out["n_raters"] < MIN_RATERS_FOR_AGREEMENT
    return out[VARIANCE_COLUMNS]


SHARE_INTERVAL_COLUMNS = ["share_rater_low", "share_rater_high", "share_dimension_low", "share_dimension_high"]


def share_intervals(tables: dict[str, pd.DataFrame], n_boot: int = 2000, seed=2018, confidence: float = 0.95) -> pd.DataFrame:
    """Per area: percentile intervals of ``share_rater`` and ``share_dimension`` over ``n_boot`` resamples of the
    raters (whole rows of the raters × dimensions table, with replacement; seeded), the components estimated as in
    :func:`variance_components` (negative ones set to zero). NaN for an area with fewer than
    :data:`MIN_RATERS_FOR_AGREEMENT` raters. A methodologist: "they describe the units asked, so no interval" contradicted
    the random-effects model the page names; with 7 to 13 raters the shares are uncertain, and the page says how much.
    Vectorised over the resamples (one array of resamples × raters × dimensions per area)."""
    rng = np.random.default_rng(seed)
    tail = (1 - confidence) / 2 * 100
    rows = []
    for area, table in tables.items():
        values = np.asarray(table, dtype=float)
        n, k = values.shape
        row = {"area": area, **dict.fromkeys(SHARE_INTERVAL_COLUMNS, np.nan)}
        if n >= MIN_RATERS_FOR_AGREEMENT and k >= 2:
            drawn = values[rng.integers(0, n, size=(n_boot, n))]  # resamples × raters × dimensions
            grand = drawn.mean(axis=(1, 2))
            ss_rater = k * ((drawn.mean(axis=2) - grand[:, None]) ** 2).sum(axis=1)
            ss_dimension = n * ((drawn.mean(axis=1) - grand[:, None]) ** 2).sum(axis=1)
            ss_total = ((drawn - grand[:, None, None]) ** 2).sum(axis=(1, 2))
            ms_residual = np.maximum(ss_total - ss_rater - ss_dimension, 0.0) / ((n - 1) * (k - 1))
            ms_residual[ms_residual < 1e-12] = 0.0
            var_rater = np.maximum((ss_rater / (n - 1) - ms_residual) / k, 0.0)
            var_dimension = np.maximum((ss_dimension / (k - 1) - ms_residual) / n, 0.0)
            total = var_rater + var_dimension + ms_residual
            with np.errstate(invalid="ignore", divide="ignore"):
                rater, dimension = var_rater / total, var_dimension / total  # NaN where a resample repeats one rater
            if np.isfinite(rater).any():
                row["share_rater_low"], row["share_rater_high"] = np.nanpercentile(rater, [tail, 100 - tail])
                row["share_dimension_low"], row["share_dimension_high"] = np.nanpercentile(dimension, [tail, 100 - tail])
        rows.append(row)
    return pd.DataFrame(rows, columns=["area", *SHARE_INTERVAL_COLUMNS])


def _chance_identical_pairs(values: np.ndarray) -> float:
    """Expected identical non-flat pairs among the rows of ``values`` if each rater drew each
    dimension's level independently from that dimension's observed distribution."""
    n = len(values)
    if n < 2:
        return 0.0
    levels = np.unique(values)
    # p[d, l]: share of answers at level l on dimension d.
    shares = (values[:, :, None] == levels[None, None, :]).mean(axis=0)
    same = float(np.prod((shares**2).sum(axis=1)))  # P(two rows identical) = Π_d Σ_l p_dl²
    flat = float(np.prod(shares**2, axis=0).sum())  # … of which both flat at one level
    return (n * (n - 1) / 2) * max(same - flat, 0.0)


DUPLICATE_COLUMNS = ["area", "rater", "rater_label", "answers", "flat", "same_answers_as", "duplicate_of", "chance_pairs", "identical_pairs"]


def likely_duplicates(scores: pd.DataFrame, tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per stakeholder rating set: its answers and the sets of the same area that gave
    exactly the same non-flat answers under another label.

    Columns: ``area``, ``rater``, ``rater_label``, ``answers`` (levels in dimension order,
    e.g. ``3-3-2-2-2``), ``flat``, ``same_answers_as`` (labels of the other sets, ``; ``-joined,
    empty when none), ``duplicate_of`` (the label of the first such set in data order, empty
    for the first itself), ``chance_pairs`` (identical non-flat pairs expected by chance in
    the area) and ``identical_pairs`` (observed). ``tables`` is :func:`answer_tables` of
    ``scores`` when the caller has it already.
    """
    cell = stakeholders(scores)
    first = cell.groupby(["area", "rater"], sort=False)["rater_label"].first()
    labels = dict(zip(first.index, first.to_numpy()))
    rows = []
    for area, table in (answer_tables(scores) if tables is None else tables).items():
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


def drop_likely_duplicates(scores: pd.DataFrame, found: pd.DataFrame | None = None) -> pd.DataFrame:
    """Scores without the later sets of each group of identical non-flat answers in one area
    (the first set of the group is kept); the expert is kept. ``found`` is
    :func:`likely_duplicates` of ``scores`` when the caller has it already."""
    found = likely_duplicates(scores) if found is None else found
    drop = set(zip(found.loc[found["duplicate_of"] != "", "area"], found.loc[found["duplicate_of"] != "", "rater"]))
    keep = [not (t == "stakeholder" and (a, r) in drop) for a, r, t in zip(scores["area"], scores["rater"], scores["rater_type"])]
    return scores[keep].reset_index(drop=True)


def expert_dimension_range(scores: pd.DataFrame) -> pd.DataFrame:
    """Per area: how far apart the expert's scores of the five dimensions lie (``range``, in levels,
    of the midpoints of the expert's scores; an expert range such as ``1-2`` counts as 1.5)."""
    expert = scores[scores["rater_type"] == "expert"]
    mid = (expert["score_low"] + expert["score_high"]) / 2
    spread = mid.groupby(expert["area"], sort=False).agg(["min", "max"])
    return pd.DataFrame({"area": spread.index, "range": (spread["max"] - spread["min"]).to_numpy()})


def _permutations(levels) -> int:
    """Distinct orders of a rater's five levels (5! divided by the factorials of repeated levels)."""
    from math import factorial

    counts = pd.Series(list(levels)).value_counts()
    total = factorial(len(levels))
    for count in counts:
        total //= factorial(int(count))
    return total


def identical_pairs_by_chance(table: pd.DataFrame) -> float:
    """Identical non-flat pairs expected in ``table`` if each rater kept their own levels but gave
    them to the dimensions in a random order: two raters can only match when they used the same
    levels, and then with probability 1 / (distinct orders of those levels). This keeps each
    rater's overall level (which dominates these answers), unlike a model of independent dimensions."""
    multisets = [tuple(sorted(row)) for row in table.to_numpy()]
    expected = 0.0
    for i in range(len(multisets)):
        for j in range(i + 1, len(multisets)):
            if multisets[i] == multisets[j] and len(set(multisets[i])) > 1:
                expected += 1 / _permutations(multisets[i])
    return expected
