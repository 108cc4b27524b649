import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import dispersion as d


def scores_frame(area_ratings: dict[str, dict[str, list]], expert: dict | None = None) -> pd.DataFrame:
    """{area: {rater: [strategy, data, technology, governance, engagement]}} → tidy scores."""
    dims = ["strategy", "data", "technology", "governance", "engagement"]
    rows = []
    for area, raters in area_ratings.items():
        if expert and area in expert:
            for dim, (low, high) in zip(dims, expert[area]):
                rows.append({"area": area, "rater": "expert", "rater_label": "expert", "rater_type": "expert", "dimension": dim, "score_low": low, "score_high": high})
        for rater, values in raters.items():
            for dim, value in zip(dims, values):
                if value is None:
                    continue
                rows.append({"area": area, "rater": rater, "rater_label": rater, "rater_type": "stakeholder", "dimension": dim, "score_low": value, "score_high": value})
    return pd.DataFrame(rows)


# --- dispersion of one cell ------------------------------------------------------------------

def test_rwg_by_hand():
    # 1, 2, 3: sample variance 1 → 1 − 1/2
    assert d.rwg([1, 2, 3]) == pytest.approx(0.5)
    assert d.rwg([2, 2, 2]) == 1.0  # a single distinct value
    assert d.rwg([1, 5]) == 0.0  # variance 8 > 2: truncated at 0
    assert math.isnan(d.rwg([3]))
    assert d.rwg([1, 3, np.nan]) == pytest.approx(0.0)  # missing rating ignored; variance 2


def test_tastle_wierman_consensus_by_hand():
    assert d.tastle_wierman_consensus([3, 3, 3]) == pytest.approx(1.0)
    assert d.tastle_wierman_consensus([1, 5]) == pytest.approx(0.0)
    # 1, 2: μ = 1.5, both 0.125 away in units of the width 4 → 1 + log2(0.875)
    assert d.tastle_wierman_consensus([1, 2]) == pytest.approx(1 + math.log2(0.875))


def test_bootstrap_interval_is_seeded_and_degenerate_cases_are_points():
    values = [1, 2, 2, 3, 4, 1, 2]
    first = d.bootstrap_mean_ci(values, 2000, 7)
    assert first == d.bootstrap_mean_ci(values, 2000, 7)
    assert first[0] < np.mean(values) < first[1]
    assert d.bootstrap_mean_ci([2, 2, 2], 2000, 7) == (2.0, 2.0)
    assert d.bootstrap_mean_ci([4], 2000, 7) == (4.0, 4.0)


def test_describe_cells_by_hand():
    frame = scores_frame({"a": {"r1": [1, 2, 3, 4, 5], "r2": [3, 2, 3, 4, 5], "r3": [2, 2, 3, 4, None]}})
    cells = d.describe_cells(frame, n_boot=500, seed=1).set_index("dimension")
    strategy = cells.loc["strategy"]
    assert (strategy["n"], strategy["mean"], strategy["median"], strategy["range"]) == (3, 2.0, 2.0, 2.0)
    assert strategy["sd"] == pytest.approx(1.0)
    assert strategy["iqr"] == pytest.approx(1.0)  # 25th 1.5, 75th 2.5
    assert strategy["rwg"] == pytest.approx(0.5)
    data = cells.loc["data"]
    assert data["sd"] == 0 and data["rwg"] == 1.0 and data["ci_low"] == data["ci_high"] == 2.0
    assert cells.loc["engagement", "n"] == 2  # missing rating


# --- agreement ---------------------------------------------------------------------------------

def kendall_w_by_formula(matrix: np.ndarray) -> float:
    """Textbook Kendall's W with tie correction (Siegel & Castellan), for the cross-check."""
    m, k = matrix.shape
    ranks = np.apply_along_axis(stats.rankdata, 1, matrix)
    column_sums = ranks.sum(axis=0)
    s = ((column_sums - column_sums.mean()) ** 2).sum()
    ties = sum(((counts ** 3) - counts).sum() for counts in (np.unique(row, return_counts=True)[1] for row in matrix))
    return 12 * s / (m ** 2 * (k ** 3 - k) - m * ties)


def test_kendall_w_perfect_and_none():
    identical = pd.DataFrame([[1, 2, 3, 4, 5]] * 3)
    w, p = d.kendall_w(identical)
    assert w == pytest.approx(1.0) and p < 0.05
    opposite = pd.DataFrame([[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]])  # two raters
    w, _ = d.kendall_w(opposite)
    assert w == pytest.approx(0.0)


def test_kendall_w_with_ties_matches_the_textbook_formula_and_pingouin():
    import pingouin

    matrix = pd.DataFrame([[1, 2, 2, 3, 3], [2, 2, 3, 3, 4], [1, 1, 2, 4, 4], [3, 3, 3, 3, 2]])
    w, p = d.kendall_w(matrix)
    assert w == pytest.approx(kendall_w_by_formula(matrix.to_numpy(float)))
    assert w == pytest.approx(float(pingouin.friedman(data=matrix, method="chisq")["W"].iloc[0]))
    chi2 = 4 * 4 * w  # m (k − 1) W
    assert p == pytest.approx(stats.chi2.sf(chi2, 4))


def test_kendall_w_undefined_when_everyone_straight_lines_or_one_rater():
    assert all(math.isnan(x) for x in d.kendall_w(pd.DataFrame([[2] * 5, [3] * 5])))
    assert all(math.isnan(x) for x in d.kendall_w(pd.DataFrame([[1, 2, 3, 4, 5]])))


def test_friedman_f_test_against_pingouin_and_scipy_direction():
    matrix = pd.DataFrame([[1, 2, 3, 4, 5], [1, 2, 3, 5, 4], [2, 1, 3, 4, 5], [1, 3, 2, 4, 5]])
    p = d.friedman_f_test(matrix)
    assert p < 0.01  # the dimensions clearly differ
    w = d.kendall_w(matrix)[0]
    m, k = matrix.shape
    f = w * (m - 1) / (1 - w)
    df1 = k - 1 - 2 / m
    assert p == pytest.approx(stats.f.sf(f, df1, (m - 1) * df1))  # Iman–Davenport by hand
    assert math.isnan(d.friedman_f_test(matrix.head(2)))  # two raters: too few


def krippendorff_alpha_by_hand(data: np.ndarray, levels=(1, 2, 3, 4, 5)) -> float:
    """Ordinal alpha from the coincidence matrix (Krippendorff 2011), for the cross-check."""
    index = {v: i for i, v in enumerate(levels)}
    coincidence = np.zeros((len(levels), len(levels)))
    for unit in data.T:
        values = unit[~np.isnan(unit)]
        if len(values) < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidence[index[a], index[b]] += 1 / (len(values) - 1)
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()

    def delta(c, k):
        low, high = min(c, k), max(c, k)
        return (n_c[low:high + 1].sum() - (n_c[c] + n_c[k]) / 2) ** 2

    observed = sum(coincidence[c, k] * delta(c, k) for c in range(len(levels)) for k in range(len(levels)))
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in range(len(levels)) for k in range(len(levels))) / (n - 1)
    return 1 - observed / expected


def test_krippendorff_alpha_against_a_hand_implementation():
    data = pd.DataFrame([[1, 2, 3, 3, 2], [1, 2, 4, 3, np.nan], [2, 2, 3, 4, 1], [1, 3, 3, 3, 2]])
    expected = krippendorff_alpha_by_hand(data.to_numpy(float))
    assert d.krippendorff_alpha(data) == pytest.approx(expected)
    assert d.krippendorff_alpha(data) > 0.4


def test_krippendorff_alpha_edge_cases():
    assert d.krippendorff_alpha(pd.DataFrame([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]])) == pytest.approx(1.0)
    # Each rater has a level of their own: disagreement beyond chance → negative alpha.
    assert d.krippendorff_alpha(pd.DataFrame([[1, 1, 1, 1, 2], [4, 4, 4, 4, 3]])) < 0
    assert math.isnan(d.krippendorff_alpha(pd.DataFrame([[3] * 5, [3] * 5])))  # a single distinct value


def test_agreement_flags_small_groups():
    frame = scores_frame({
        "big": {f"r{i}": [1 + (i + j) % 5 for j in range(5)] for i in range(6)},
        "small": {"a": [1, 2, 3, 4, 5], "b": [1, 2, 3, 5, 4], "c": [2, 2, 2, 2, 2]},
    })
    agreement = d.agreement_by_area(frame).set_index("area")
    assert not agreement.at["big", "small_group"] and agreement.at["small", "small_group"]
    assert agreement.at["small", "straightliners"] == 1


# --- expert versus stakeholders ---------------------------------------------------------------------

def test_expert_gap_with_a_range():
    frame = scores_frame(
        {"a": {"r1": [3, 1, 2, 2, 2], "r2": [2, 1, 2, 2, 2], "r3": [4, 1, 2, 2, 2]}},
        expert={"a": [(1, 2), (2, 2), (2, 2), (2, 2), (2, 2)]},
    )
    comparison = d.expert_vs_stakeholders(frame).set_index("dimension")
    strategy = comparison.loc["strategy"]
    assert (strategy["expert_low"], strategy["expert_high"], strategy["expert_mid"]) == (1, 2, 1.5)
    assert strategy["stakeholder_mean"] == 3.0 and strategy["gap_mean"] == 1.0  # above the upper end
    assert strategy["share_above"] == pytest.approx(2 / 3)
    assert comparison.loc["data", "gap_mean"] == -1.0  # below the lower end
    assert comparison.loc["technology", "gap_mean"] == 0.0


def test_paired_test_direction():
    higher = pd.DataFrame({"stakeholder_mean": [2.5, 3.0, 2.2, 2.8, 3.1, 2.6], "expert_mid": [1, 2, 1, 2, 2, 1]})
    result = d.paired_test_stakeholders_higher(higher)
    assert result["n_higher"] == 6 and result["p_value"] < 0.05
    assert result["p_value"] == pytest.approx(stats.wilcoxon(higher["stakeholder_mean"] - higher["expert_mid"], alternative="greater").pvalue)
    lower = higher.assign(stakeholder_mean=higher["expert_mid"] - 0.5)
    assert d.paired_test_stakeholders_higher(lower)["p_value"] > 0.5


# --- raters ------------------------------------------------------------------------------------------

def test_rater_diagnostics_by_hand():
    frame = scores_frame({
        "a": {"x": [2, 2, 2, 2, 2], "y": [1, 2, 3, 4, 5], "z": [4, 4, 4, 4, 4]},
        "b": {"x": [2, 2, 2, 2, 2], "y": [1, 2, 3, 4, 4]},
    })
    raters = d.rater_diagnostics(frame).set_index("rater")
    # area a mean = (10 + 15 + 20) / 15 = 3; area b mean = (10 + 14) / 10 = 2.4
    assert raters.at["x", "straightliner"] and raters.at["x", "n_areas"] == 2
    # x's set for b copies the one for a: counted once by default (the question is about the rater) ...
    assert raters.at["x", "n_sets"] == 2 and raters.at["x", "copies"] == 1 and raters.at["x", "copy_of"] == "b=a"
    assert raters.at["x", "leniency"] == pytest.approx(2 - 3)
    # ... and per area when asked (the behaviour before collapse_copies existed).
    per_set = d.rater_diagnostics(frame, collapse_copies=False).set_index("rater")
    assert per_set.at["x", "leniency"] == pytest.approx(((2 - 3) + (2 - 2.4)) / 2)
    assert raters.at["y", "copies"] == 0 and raters.at["y", "copy_of"] == ""
    assert raters.at["z", "leniency"] == pytest.approx(1.0)
    assert bool(raters.at["x", "same_answers_across_areas"]) is True
    assert bool(raters.at["y", "same_answers_across_areas"]) is False and raters.at["y", "max_difference_across_areas"] == 1
    assert pd.isna(raters.at["z", "same_answers_across_areas"])


def test_excluding_straightliners_changes_means_not_the_expert():
    frame = scores_frame({"a": {"x": [5, 5, 5, 5, 5], "y": [1, 2, 3, 4, 5], "w": [1, 2, 2, 3, 3]}}, expert={"a": [(1, 1)] * 5})
    kept = d.exclude_straightliners(frame)
    assert set(kept["rater"]) == {"y", "w", "expert"}
    effect = d.exclusion_effect(frame).set_index("area")
    assert effect.at["a", "n_raters_all"] == 3 and effect.at["a", "n_raters_without"] == 2
    assert effect.at["a", "mean_all"] == pytest.approx((25 + 15 + 11) / 15)
    assert effect.at["a", "mean_without"] == pytest.approx(26 / 10)


def test_run_on_the_real_scores():
    from analysis.cleaning import load_maturity_scores

    scores, _ = load_maturity_scores()  # straight from data/raw
    result = d.run_dispersion(scores, n_boot=500)
    assert len(result.cells) == 35 and len(result.agreement) == 7
    safety = result.agreement.set_index("area").loc["safety"]
    assert safety["n_raters"] == 3 and safety["small_group"]
    # The stakeholders' means match the printed averages (one decimal, half-up).
    cells = result.cells.set_index(["area", "dimension"])
    assert cells.at[("society", "technology"), "mean"] == 2.25
    raters = result.raters.set_index("rater")
    assert raters.at["ZFE", "areas"] == "environment; economy; transport; infrastructure"
    assert set(result.downloads()) >= {"score-dispersion.csv", "agreement.csv", "raters.csv"}
    assert {"area", "dimension", "n", "mean", "sd", "iqr", "rwg"} <= set(result.downloads()["score-dispersion.csv"].columns)
    assert {"area", "n_raters", "kendall_w", "kendall_p", "krippendorff_alpha", "friedman_p"} <= set(result.agreement.columns)
    assert {"rater", "areas", "straightliner", "leniency"} <= set(result.raters.columns)


def test_key_findings_report_the_computed_numbers():
    from analysis.cleaning import load_maturity_scores

    scores, _ = load_maturity_scores()
    result = d.run_dispersion(scores, n_boot=200)
    text = d.key_findings(result)
    straight = d.straightliners(scores)
    assert f"**{int(straight['straightliner'].sum())}** rating sets give one level" in text
    assert int(straight["straightliner"].sum()) == 21  # counted by hand from the printed tables
    assert "above the expert in **31 of 35** cells" in text
    assert "of the 15 raters who rated several areas, 14 gave identical answers" in text
    assert "negative in **7 of 7** areas" in text
