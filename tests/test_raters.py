"""Variance decomposition, likely duplicates and the spread of opinions (analysis.methods.raters)."""

import numpy as np
import pandas as pd
import pytest

from analysis.methods import raters

DIMENSIONS = ["strategy", "data", "technology", "governance", "engagement"]


def scores_of(area_answers: dict[str, dict[str, list[int]]]) -> pd.DataFrame:
    """Stakeholder scores from {area: {rater label: [five levels]}} (rater id = label)."""
    rows = []
    for area, answers in area_answers.items():
        for label, levels in answers.items():
            for dimension, level in zip(DIMENSIONS, levels):
                rows.append(
                    {
                        "area": area,
                        "rater": label,
                        "rater_label": label,
                        "rater_type": "stakeholder",
                        "dimension": dimension,
                        "score_low": level,
                        "score_high": level,
                    }
                )
    return pd.DataFrame(rows)


def test_all_variance_between_raters_gives_share_rater_one():
    # Each rater gives one level to everything, the levels differ between raters.
    frame = scores_of({"a": {f"r{i}": [level] * 5 for i, level in enumerate([1, 2, 3, 4, 5, 3])}})
    row = raters.rater_variance(frame).iloc[0]
    assert row["share_rater"] == pytest.approx(1.0)
    assert row["share_dimension"] == pytest.approx(0.0)
    assert row["share_residual"] == pytest.approx(0.0)


def test_all_variance_between_dimensions_gives_share_dimension_one():
    # Every rater gives the same profile: the dimensions differ, raters do not.
    frame = scores_of({"a": {f"r{i}": [1, 2, 3, 4, 5] for i in range(6)}})
    row = raters.rater_variance(frame).iloc[0]
    assert row["share_dimension"] == pytest.approx(1.0)
    assert row["share_rater"] == pytest.approx(0.0)


def test_variance_components_by_hand():
    # Additive table rater + dimension: MS_rater = 3, MS_dim = 3, MS_res = 0 → σ²_r = 3/3 = 1, σ²_d = 1.
    table = pd.DataFrame([[1, 2, 3], [2, 3, 4], [3, 4, 5]])
    parts = raters.variance_components(table)
    assert parts == pytest.approx({"var_rater": 1.0, "var_dimension": 1.0, "var_residual": 0.0})
    # Pure noise around one mean: a negative moment estimate is set to zero, never below.
    noise = pd.DataFrame([[1, 5], [5, 1]])
    parts = raters.variance_components(noise)
    assert parts["var_rater"] == 0.0 and parts["var_dimension"] == 0.0 and parts["var_residual"] == pytest.approx(16.0)


@pytest.mark.slow  # an iterative mixed-model fit per area (about 10 s)
def test_the_mean_squares_are_those_of_statsmodels_anova():
    from statsmodels.formula.api import ols
    from statsmodels.stats.anova import anova_lm

    rng = np.random.default_rng(5)
    for n, k in [(3, 5), (9, 5), (13, 4)]:
        table = pd.DataFrame(rng.integers(1, 6, size=(n, k)).astype(float))
        long = table.rename_axis(index="rater", columns="dimension").stack().rename("score").reset_index().astype({"rater": str, "dimension": str})
        squares = anova_lm(ols("score ~ C(rater) + C(dimension)", data=long).fit())
        ms_r, ms_d, ms_e = squares["mean_sq"]
        parts = raters.variance_components(table)
        assert parts["var_residual"] == pytest.approx(ms_e)
        assert parts["var_rater"] == pytest.approx(max((ms_r - ms_e) / k, 0))
        assert parts["var_dimension"] == pytest.approx(max((ms_d - ms_e) / n, 0))


@pytest.mark.slow  # an iterative mixed-model fit per area (about 10 s)
def test_the_moment_estimates_equal_the_mixed_model_on_the_real_data():
    """For complete, balanced tables the ANOVA estimates are the REML estimates of statsmodels' MixedLM."""
    import warnings

    import statsmodels.api as sm

    from analysis.data.cleaning import clean_maturity_scores

    scores, _ = clean_maturity_scores()
    ours = raters.rater_variance(scores).set_index("area")
    stakeholder = scores[scores["rater_type"] == "stakeholder"].assign(one=1)
    for area in ["digital", "environment", "society"]:
        data = stakeholder[stakeholder["area"] == area]
        model = sm.MixedLM.from_formula(
            "score_low ~ 1", groups="one", vc_formula={"rater": "0 + C(rater)", "dimension": "0 + C(dimension)"}, data=data
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = model.fit(reml=True)
        vc = dict(zip(model.exog_vc.names, fit.vcomp))
        assert ours.loc[area, "var_rater"] == pytest.approx(vc["rater"], abs=2e-3)
        assert ours.loc[area, "var_dimension"] == pytest.approx(vc["dimension"], abs=2e-3)
        assert ours.loc[area, "var_residual"] == pytest.approx(fit.scale, abs=2e-3)


def test_the_real_areas_are_mostly_rater_level():
    from analysis.data.cleaning import clean_maturity_scores

    scores, _ = clean_maturity_scores()
    table = raters.rater_variance(scores)
    assert len(table) == 7
    assert np.allclose(table[["share_rater", "share_dimension", "share_residual"]].sum(axis=1), 1.0)
    large = table[~table["small_group"]]
    assert (large["share_rater"] > 0.5).all() and (large["share_dimension"] < 0.05).all()


def test_identical_non_flat_answers_under_two_labels_are_found():
    frame = scores_of({"a": {"A": [3, 3, 2, 2, 2], "B": [3, 3, 2, 2, 2], "C": [1, 2, 3, 4, 5]}})
    found = raters.likely_duplicates(frame).set_index("rater")
    assert found.loc["A", "same_answers_as"] == "B" and found.loc["A", "duplicate_of"] == ""
    assert found.loc["B", "same_answers_as"] == "A" and found.loc["B", "duplicate_of"] == "A"
    assert found.loc["C", "same_answers_as"] == ""
    assert found["identical_pairs"].iloc[0] == 1
    assert list(raters.drop_likely_duplicates(frame)["rater"].unique()) == ["A", "C"]


def test_identical_flat_answers_are_not_evidence_of_copying():
    frame = scores_of({"a": {"A": [3] * 5, "B": [3] * 5, "C": [1, 2, 3, 4, 5]}})
    found = raters.likely_duplicates(frame)
    assert (found["same_answers_as"] == "").all() and (found["duplicate_of"] == "").all()
    assert len(raters.drop_likely_duplicates(frame)) == len(frame)


def test_same_label_with_different_answers_in_two_areas_is_not_a_duplicate():
    frame = scores_of({"a": {"A": [3, 3, 2, 2, 2], "B": [1, 2, 2, 2, 2]}, "b": {"A": [1, 2, 2, 2, 2], "C": [4, 4, 4, 5, 5]}})
    found = raters.likely_duplicates(frame)
    assert (found["same_answers_as"] == "").all()


def test_chance_pairs_by_hand():
    # Two raters, two levels equally likely on each of 5 dimensions (observed 1 and 2 everywhere):
    # P(identical) = 0.5^5, minus the two flat profiles 2 × 0.5^10 → 1 pair × (1/32 − 2/1024).
    frame = scores_of({"a": {"A": [1, 1, 1, 1, 2], "B": [2, 2, 2, 2, 1]}})
    assert raters.likely_duplicates(frame)["chance_pairs"].iloc[0] == pytest.approx(1 / 32 - 2 / 1024)


def test_the_sensitivity_shows_both_runs():
    frame = scores_of(
        {"a": {"A": [3, 3, 2, 2, 2], "B": [3, 3, 2, 2, 2], "C": [1, 2, 3, 4, 5], "D": [2, 2, 3, 3, 4], "E": [5, 4, 4, 4, 3], "F": [1, 1, 2, 1, 1]}}
    )
    from analysis.methods import dispersion

    table = dispersion.duplicate_sensitivity(frame).iloc[0]
    assert table["n_sets_all"] == 6 and table["n_sets_without"] == 5 and table["duplicates"] == 1
    assert table["mean_all"] != table["mean_without"]


def test_spread_of_opinions_by_hand():
    from analysis.methods import dispersion

    frame = scores_of({"a": {f"r{i}": [level, 3, 3, 3, 3] for i, level in enumerate([1, 2, 3, 3, 5])}})
    row = dispersion.describe_cells(frame).set_index("dimension").loc["strategy"]
    assert (row["q1"], row["median"], row["q3"], row["iqr"]) == (2, 3, 3, 1)
    assert row["within_one"] == pytest.approx(3 / 5)  # 2, 3, 3 are within one level of 3; 1 and 5 are not
    from scipy import stats

    values = np.array([1, 2, 3, 3, 5.0])
    low, high = stats.t.interval(0.95, 4, loc=values.mean(), scale=stats.sem(values))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((max(low, 1), min(high, 5)))  # cut at the scale's ends
    assert low < 1  # this case shows the cut


def test_no_interval_for_groups_under_five():
    from analysis.methods import dispersion

    frame = scores_of({"a": {f"r{i}": [i + 1, 3, 3, 3, 3] for i in range(4)}})
    cells = dispersion.describe_cells(frame)
    assert cells["ci_low"].isna().all() and cells["ci_high"].isna().all()


def test_the_t_interval_is_wider_than_the_percentile_bootstrap_it_replaced():
    """Issue 17: a percentile bootstrap over 7–13 raters is too narrow; the t interval is not."""
    from scipy import stats

    from analysis.methods import dispersion

    values = np.array([1, 2, 2, 3, 3, 3, 4.0])
    low, high = dispersion.t_interval_of_mean(values)
    boot = stats.bootstrap((values,), np.mean, n_resamples=4000, method="percentile", rng=np.random.default_rng(1)).confidence_interval
    assert high - low > 1.1 * (boot.high - boot.low)


def test_collapse_copies_treats_likely_duplicates():
    from analysis.methods import dispersion

    frame = scores_of({"a": {"A": [3, 3, 2, 2, 2], "B": [3, 3, 2, 2, 2], "C": [1, 2, 3, 4, 5]}})
    collapsed = dispersion.collapse_rater_copies(frame)
    assert sorted(collapsed["rater"].unique()) == ["A", "C"]
    assert dispersion.unit_counts(frame)["likely_duplicates"] == 1


def test_identical_pairs_by_chance_keeps_each_raters_levels():
    # Two raters with the same levels {1, 2, 2, 3, 3}: 5! / (2! 2!) = 30 orders, so 1/30 by chance.
    table = pd.DataFrame([[1, 2, 2, 3, 3], [3, 3, 2, 2, 1], [4, 4, 4, 4, 5]])
    assert raters.identical_pairs_by_chance(table) == pytest.approx(1 / 30)
    # Flat answers never count; different levels can never match.
    assert raters.identical_pairs_by_chance(pd.DataFrame([[2] * 5, [2] * 5, [1, 2, 3, 4, 5]])) == 0


def test_duplicate_evidence_counts_a_pair_of_units_once_across_copies():
    from analysis.methods import dispersion

    # A and B match in area a; both copy their answers into area b: one pair of units, not two.
    frame = scores_of(
        {
            "a": {"A": [3, 3, 2, 2, 2], "B": [3, 3, 2, 2, 2], "C": [1, 2, 3, 4, 5]},
            "b": {"A": [3, 3, 2, 2, 2], "B": [3, 3, 2, 2, 2], "D": [5, 4, 3, 2, 1]},
        }
    )
    evidence = dispersion.duplicate_evidence(frame)
    assert evidence["pairs"] == 1
    assert evidence["expected"] == pytest.approx(1 / 10)  # levels {2, 2, 2, 3, 3}: 5! / (3! 2!) = 10 orders
    assert dispersion.unit_counts(frame)["likely_duplicates"] == 2  # one in each area


def test_the_t_interval_stays_on_the_scale():
    """A psychometrician's reading: intervals such as 0.9 to 2.1 named a level below 1 that does not exist."""
    from analysis.methods import dispersion

    low, high = dispersion.t_interval_of_mean(np.array([1, 1, 1, 1, 2, 3.0]))
    assert low == 1.0 and 1.0 < high < 5.0
    low, high = dispersion.t_interval_of_mean(np.array([5, 5, 5, 5, 4, 3.0]))
    assert high == 5.0 and 1.0 < low < 5.0
    low, high = dispersion.t_interval_of_mean(np.array([2, 3, 3, 4, 3.0]))  # inside the scale: unchanged
    assert (low, high) == pytest.approx((2.12, 3.88), abs=0.01)


def test_the_shares_have_intervals_from_resampling_the_raters():
    """A methodologist: "they describe the units asked, so no interval is given" contradicted the random-effects model;
    with 7 to 13 raters the rater share's interval runs down to about a quarter. All rater effect: every resample gives
    share_rater 1 (narrow); a noisy table: wide; fewer than five raters: no interval."""
    pure = raters.answer_tables(scores_of({"a": {f"r{i}": [level] * 5 for i, level in enumerate([1, 2, 3, 4, 5, 3])}}))
    found = raters.share_intervals(pure, n_boot=500, seed=1).iloc[0]
    assert found["share_rater_low"] == pytest.approx(1.0) and found["share_dimension_high"] == pytest.approx(0.0)
    rng = np.random.default_rng(3)
    noisy = raters.answer_tables(scores_of({"a": {f"r{i}": list(rng.integers(1, 6, size=5) + i % 3) for i in range(8)}}))
    found = raters.share_intervals(noisy, n_boot=500, seed=1).iloc[0]
    assert found["share_rater_high"] - found["share_rater_low"] > 0.3
    point = raters.rater_variance(scores_of({"a": {f"r{i}": list(rng.integers(1, 6, size=5)) for i in range(3)}}))
    small = raters.share_intervals(raters.answer_tables(scores_of({"a": {f"r{i}": [1, 2, 3, 4, 5] for i in range(3)}})))
    assert point["small_group"].all() and small[raters.SHARE_INTERVAL_COLUMNS].isna().all(axis=None)
    # Seeded: the same intervals on every run.
    pd.testing.assert_frame_equal(raters.share_intervals(noisy, n_boot=200, seed=5), raters.share_intervals(noisy, n_boot=200, seed=5))
