import functools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.methods import dispersion as d


def scores_frame(area_ratings: dict[str, dict[str, list]], expert: dict | None = None) -> pd.DataFrame:
    """{area: {rater: [strategy, data, technology, governance, engagement]}} → tidy scores."""
    dims = ["strategy", "data", "technology", "governance", "engagement"]
    rows = []
    for area, raters in area_ratings.items():
        if expert and area in expert:
            for dim, (low, high) in zip(dims, expert[area]):
                rows.append(
                    {
                        "area": area,
                        "rater": "expert",
                        "rater_label": "expert",
                        "rater_type": "expert",
                        "dimension": dim,
                        "score_low": low,
                        "score_high": high,
                    }
                )
        for rater, values in raters.items():
            for dim, value in zip(dims, values):
                if value is None:
                    continue
                rows.append(
                    {
                        "area": area,
                        "rater": rater,
                        "rater_label": rater,
                        "rater_type": "stakeholder",
                        "dimension": dim,
                        "score_low": value,
                        "score_high": value,
                    }
                )
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
    assert data["sd"] == 0 and data["rwg"] == 1.0
    assert np.isnan(data["ci_low"]) and np.isnan(data["ci_high"])  # three raters: no interval (issue 17)
    assert data["within_one"] == 1.0 and strategy["within_one"] == 1.0
    assert cells.loc["engagement", "n"] == 2  # missing rating


# --- agreement ---------------------------------------------------------------------------------


def kendall_w_by_formula(matrix: np.ndarray) -> float:
    """Textbook Kendall's W with tie correction (Siegel & Castellan), for the cross-check."""
    m, k = matrix.shape
    ranks = np.apply_along_axis(stats.rankdata, 1, matrix)
    column_sums = ranks.sum(axis=0)
    s = ((column_sums - column_sums.mean()) ** 2).sum()
    ties = sum(((counts**3) - counts).sum() for counts in (np.unique(row, return_counts=True)[1] for row in matrix))
    return 12 * s / (m**2 * (k**3 - k) - m * ties)


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
    import pingouin  # the library writes the formula out; pingouin computes the same

    expected = pingouin.friedman(data=matrix, method="f")
    assert p == pytest.approx(float(expected["p_unc" if "p_unc" in expected.columns else "p-unc"].iloc[0]))
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
        return (n_c[low : high + 1].sum() - (n_c[c] + n_c[k]) / 2) ** 2

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
    frame = scores_frame(
        {
            "big": {f"r{i}": [1 + (i + j) % 5 for j in range(5)] for i in range(6)},
            "small": {"a": [1, 2, 3, 4, 5], "b": [1, 2, 3, 5, 4], "c": [2, 2, 2, 2, 2]},
        }
    )
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
    # Against the middle of the range (1.5), as the text, the scatter figure and the Wilcoxon aside measure it;
    # the table used to measure from the nearer end (3 − 2 = 1.0) and count only answers above 2.
    assert strategy["stakeholder_mean"] == 3.0 and strategy["gap_mean"] == 1.5
    assert strategy["gap_median"] == 1.5 and strategy["share_above"] == 1.0 and strategy["share_below"] == 0.0
    assert comparison.loc["data", "gap_mean"] == -1.0  # a single score: unchanged
    assert comparison.loc["technology", "gap_mean"] == 0.0


def test_the_per_question_table_measures_from_the_middle_of_the_experts_range_like_the_text():
    """A methodologist: Digital/Technology showed +0.33 (the top of the expert's 1–2) while the text, the scatter
    figure and the Wilcoxon aside use the middle (+0.83)."""
    from analysis.text import dispersion as text
    from analysis.text.i18n import Lang

    result = real_result(200)
    comparison = result.comparison.set_index(["area", "dimension"])
    assert comparison.at[("digital", "technology"), "gap_mean"] == pytest.approx(0.83, abs=0.005)
    infrastructure = comparison.loc["infrastructure"]
    assert infrastructure.loc[["strategy", "technology", "engagement"], "gap_mean"].round(2).tolist() == [1.0, 1.1, 1.2]
    assert comparison.at[("digital", "technology"), "share_above"] == pytest.approx(7 / 9)
    # One rule everywhere: the gap is the mean minus the point the figure and the Wilcoxon aside use.
    differences = comparison["stakeholder_mean"] - comparison["expert_mid"]
    assert np.allclose(comparison["gap_mean"], differences)
    frame, _ = text.comparison_table(result, Lang("en"))
    assert np.allclose(frame["Gap to the expert"], differences.to_numpy())


def test_paired_test_direction():
    higher = pd.DataFrame({"stakeholder_mean": [2.5, 3.0, 2.2, 2.8, 3.1, 2.6], "expert_mid": [1, 2, 1, 2, 2, 1]})
    result = d.paired_test_stakeholders_higher(higher)
    assert result["n_higher"] == 6 and result["p_value"] < 0.05
    # Two-sided, like the p-value of the same test in the table of methods (issue 17: text and table disagreed).
    assert result["p_value"] == pytest.approx(stats.wilcoxon(higher["stakeholder_mean"] - higher["expert_mid"]).pvalue)
    lower = higher.assign(stakeholder_mean=higher["expert_mid"] - 0.5)
    below = d.paired_test_stakeholders_higher(lower)
    assert below["n_lower"] == 6 and below["n_higher"] == 0 and below["median_difference"] < 0  # the direction is in the counts


# --- raters ------------------------------------------------------------------------------------------


def test_rater_diagnostics_by_hand():
    frame = scores_frame(
        {
            "a": {"x": [2, 2, 2, 2, 2], "y": [1, 2, 3, 4, 5], "z": [4, 4, 4, 4, 4]},
            "b": {"x": [2, 2, 2, 2, 2], "y": [1, 2, 3, 4, 4]},
        }
    )
    raters = d.rater_diagnostics(frame).set_index("rater")
    # area a mean = (10 + 15 + 20) / 15 = 3; area b mean = (10 + 14) / 10 = 2.4
    assert raters.at["x", "straightliner"] and raters.at["x", "n_areas"] == 2
    # x's set for b copies the one for a: counted once by default (the question is about the rater) ...
    assert raters.at["x", "n_sets"] == 2 and raters.at["x", "copies"] == 1 and raters.at["x", "copy_of"] == "b=a"
    assert raters.at["x", "overall_level"] == pytest.approx(2 - 3)
    # ... and per area when asked (the behaviour before collapse_copies existed).
    per_set = d.rater_diagnostics(frame, collapse_copies=False).set_index("rater")
    assert per_set.at["x", "overall_level"] == pytest.approx(((2 - 3) + (2 - 2.4)) / 2)
    assert raters.at["y", "copies"] == 0 and raters.at["y", "copy_of"] == ""
    assert raters.at["z", "overall_level"] == pytest.approx(1.0)
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
    result = real_result(2000)  # the report's resamples; clean_maturity_scores(): straight from data/raw
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
    assert {"rater", "areas", "straightliner", "overall_level"} <= set(result.raters.columns)


@functools.lru_cache(maxsize=1)
def _real_scores():
    from analysis.data.cleaning import clean_maturity_scores

    scores, _ = clean_maturity_scores()  # straight from data/raw, not from a build output
    return scores


def real_scores():
    return _real_scores().copy()


@functools.cache
def real_result(n_boot: int = 200, collapse_copies: bool = True, areas: tuple[str, ...] | None = None):
    """One run on the real scores per setting, shared by the tests that only read it (the run takes ~1.5 s)."""
    return d.run_dispersion(real_scores(), n_boot=n_boot, collapse_copies=collapse_copies, areas=list(areas) if areas else None)


def test_the_real_units_counted_from_the_raw_tables():
    counts = d.unit_counts(real_scores())
    # Counted by hand from sections 4.x.3: 61 printed rows, 44 distinct units; 15 units rated
    # several areas, 14 of them with identical rows everywhere (ZFE four times, UKS(1)-(4) twice, ...).
    assert (counts["raters"], counts["sets"], counts["copies"]) == (44, 61, 16)
    assert (counts["multi_area_raters"], counts["raters_copying_all"]) == (15, 14)
    assert (counts["straightlining_raters"], counts["straightlining_sets"]) == (14, 21)


def test_key_findings_report_the_computed_numbers():
    from analysis.text import dispersion as text
    from analysis.text.i18n import Lang

    result = real_result(2000)
    findings = text.key_findings(result, Lang("en"))
    boot = result.gap(d.METHOD_BOOTSTRAP)
    assert f"about {boot['estimate']:.1f} levels higher than the expert" in findings
    # Counted, like every count of the findings, over areas with at least five raters (safety's
    # five questions left out; two of them are above the expert, so 31 of 35 overall).
    assert (
        "Of the 30 questions (area and dimension) of areas with at least five raters, the stakeholders' mean is above the expert's score in 29;"
        in findings
    )
    # Small groups are left out of the counts: safety (3 raters) is not among the 6 areas.
    assert "In all 6 areas with at least five raters" in findings  # not "6 of the 6" (an editor)
    # The spread: the middle half of the answers (issue 17), not the range one rater decides.
    large = result.cells[~result.cells["small_group"]]
    narrow = int((large["iqr"] <= 1).sum())
    assert "In 5 to 14 of the 30 questions (area and dimension) of areas with at least five raters, depending on how the quartiles" in findings
    assert f"({narrow} with the linear rule used here), the middle half of the answers lies within one level" in findings
    assert narrow == 14
    # The level comes first (an official asked for it), then the variance finding with the shares of the real data
    # (60–89 % rater level, at most 2 % dimensions).
    # A methodologist: without the straight-lined questionnaires the overall level explains less than the rest, so not
    # "above all" but "much of".
    assert findings.split("\n")[1].startswith(
        "* **Much of the variance is the units' overall level; the five dimensions show no clear common profile"
    )
    assert "explain 60%–89% of the variance of the answers, differences between the dimensions shared by all units at most 2%" in findings
    assert "the rest (11%–39%) is each unit's own view of single dimensions" in findings
    # A methodologist: the shares come with intervals from resampling the raters (not "no interval": a random-effects model).
    assert "resampling the raters, their 95% intervals reach down to 27% for the overall level and up to 18% for the dimensions" in findings
    assert {"share_rater_low", "share_dimension_high"} <= set(result.downloads()["rater-variance.csv"].columns)
    # The flat questionnaires carry much of the overall level (the sceptical reading): said, with the shares without them.
    assert "Much of the overall level comes from the 21 questionnaires that give one level to every dimension" in findings
    # A methodologist: alpha at or below zero is the finding itself, not a statistic that "adds little".
    assert "do not mean disagreement" not in findings and "add little" not in findings
    assert "Raters agree little on which dimension of an area is stronger or weaker." in findings
    assert "no better than chance" not in findings and "true value" not in findings
    # Pairs of units counted once (a copy in another area is not a second pair), against a chance model that keeps each unit's levels.
    assert "5 questionnaires give exactly the same answers as a questionnaire of another label in the same area" in findings
    assert "3 such pairs of units, where units giving their own levels in a random order would produce about 0.6" in findings
    assert "**61 questionnaires came from 44 stakeholder units.** 15 units rated several areas and 14" in findings
    assert "16 questionnaires are copies" in findings
    assert "**14 of the 44 units (21 of the 61 questionnaires)" in findings
    assert "Safety (3 raters)" in findings
    # The two false sentences of the first version are gone.
    intro = text.about_section(result, Lang("en"))
    assert "prints only" not in intro and "prints every stakeholder's scores" in intro
    section = text.section_dispersion(Lang("en"))
    assert "the variance of the answers is more than half" in section and "spread is at least half" not in section


def test_polish_edition_speaks_polish_with_polish_numbers_and_names_from_the_data():
    from analysis.text import dispersion as text
    from analysis.text.i18n import Lang

    result = real_result(200)
    tr = Lang("pl")
    findings = text.key_findings(result, tr)
    boot = result.gap(d.METHOD_BOOTSTRAP)
    assert f"o około {tr.num(boot['estimate'], 1)} poziomu wyżej niż ekspert" in findings
    assert "," in tr.num(boot["estimate"], 1)
    assert "Bezpieczeństwo (3 oceniających)" in findings  # area name as printed in the source
    assert "Stakeholders" not in findings and "questionnaire" not in findings
    frame, _ = text.raters_table(result, tr)
    assert list(frame.columns) == ["Oceniający", "Obszary", "Ankiety", "Kopie", "Ankiety jednopoziomowe"]
    assert "Infrastruktura komunalna i efektywność energetyczna" in " ".join(frame["Obszary"])
    for build in (text.cells_table, text.agreement_table, text.comparison_table, text.exclusion_table):
        frame, _ = build(result, tr)
        assert "Bezpieczeństwo *" in set(frame["Obszar"])  # the small group is marked in every table


# --- copies, raters as the unit ----------------------------------------------------------------------


def test_a_rater_whose_sets_are_copies_is_counted_once():
    frame = scores_frame(
        {
            "a": {"x": [2, 3, 3, 2, 2], "y": [1, 1, 2, 2, 3], "z": [4, 4, 4, 4, 4]},
            "b": {"x": [2, 3, 3, 2, 2], "y": [1, 1, 2, 2, 2]},
            "c": {"x": [2, 3, 3, 2, 2], "w": [3, 3, 3, 3, 3]},
        },
        expert={"a": [(1, 1)] * 5, "b": [(2, 2)] * 5, "c": [(1, 2)] * 5},
    )
    sets = d.rating_sets(frame).set_index(["area", "rater"])
    assert sets.at[("b", "x"), "copy_of"] == "a" and sets.at[("c", "x"), "copy_of"] == "a"
    assert sets.at[("a", "x"), "copy_of"] == "" and sets.at[("b", "y"), "copy_of"] == ""  # y changed one score
    counts = d.unit_counts(frame)
    assert (counts["raters"], counts["sets"], counts["copies"], counts["distinct_sets"]) == (4, 7, 2, 5)
    assert (counts["multi_area_raters"], counts["raters_copying_all"]) == (2, 1)
    collapsed = d.collapse_rater_copies(frame)
    assert len(collapsed[(collapsed["rater"] == "x")]) == 5  # one set left
    assert len(collapsed[collapsed["rater_type"] == "expert"]) == 15  # the expert is untouched
    raters = d.rater_diagnostics(frame).set_index("rater")
    assert (raters.at["x", "n_sets"], raters.at["x", "copies"], raters.at["x", "copy_of"]) == (3, 2, "b=a; c=a")
    # Rater-level inference sees x once: 4 raters, and the gap uses x's ratings of area a only.
    result = d.run_dispersion(frame, n_boot=200)
    # Every area here has fewer than five raters, so the run's summary leaves them all out; the method counts x once.
    assert np.isnan(result.gap(d.METHOD_BOOTSTRAP)["estimate"]) and result.paired_test["n_cells"] == 0
    boot = d.expert_gap_tests(result.rater_scores, result.comparison, n_boot=200).set_index("method").loc[d.METHOD_BOOTSTRAP]
    assert boot["n_clusters"] == 4
    gaps = d.rating_gaps(result.rater_scores)
    assert len(gaps) == 25 and set(gaps.loc[gaps["rater"] == "x", "area"]) == {"a"}
    assert boot["estimate"] == pytest.approx(gaps["gap"].mean())
    # Area questions keep every set: area b still has two raters.
    assert result.agreement.set_index("area").at["b", "n_raters"] == 2
    uncollapsed = d.run_dispersion(frame, n_boot=200, collapse_copies=False)
    assert len(d.rating_gaps(uncollapsed.rater_scores)) == 35


def test_cluster_bootstrap_is_wider_than_the_per_cell_interval_when_raters_repeat_one_answer():
    # Eight raters, each giving one level to every dimension of two areas (16 sets, 80 ratings):
    # the 10 cell means are nearly equal, so a per-cell interval is narrow, but there are only
    # 8 independent opinions, which is what resampling whole raters sees.
    levels = [1, 2, 2, 3, 3, 4, 5, 4]
    ratings = {f"r{i}": [level] * 5 for i, level in enumerate(levels)}
    frame = scores_frame({"a": ratings, "b": ratings}, expert={"a": [(2, 2)] * 5, "b": [(2, 2)] * 5})
    result = d.run_dispersion(frame, n_boot=2000, collapse_copies=False)
    tests = result.gap_tests.set_index("method")
    boot, cells = tests.loc[d.METHOD_BOOTSTRAP], tests.loc[d.METHOD_WILCOXON]
    assert boot["estimate"] == pytest.approx(np.mean(levels) - 2)
    assert boot["ci_high"] - boot["ci_low"] > 0.8
    assert cells["ci_high"] - cells["ci_low"] < 1e-9  # every cell mean is 3.0: a zero-width interval
    assert boot["ci_high"] - boot["ci_low"] > 10 * (cells["ci_high"] - cells["ci_low"] + 0.01)
    assert tests.loc[d.METHOD_SIGN_FLIP, "p_value"] > cells["p_value"]


def test_cluster_bootstrap_by_hand_and_seeded():
    gaps = pd.DataFrame({"rater": ["a", "a", "b", "c"], "gap": [1.0, 3.0, 0.0, -1.0]})
    first = d.cluster_bootstrap_gap(gaps, n_boot=500, seed=3)
    assert first["estimate"] == pytest.approx(3 / 4) and first["n_clusters"] == 3 and first["n_ratings"] == 4
    assert first == d.cluster_bootstrap_gap(gaps, n_boot=500, seed=3)
    # Lowest possible resample: c three times (−1); highest: a three times (2).
    assert -1 <= first["ci_low"] < first["estimate"] < first["ci_high"] <= 2
    one = d.cluster_bootstrap_gap(gaps[gaps["rater"] == "a"], n_boot=500, seed=3)
    assert one["ci_low"] == one["ci_high"] == 2.0


def test_sign_flip_test_is_exact_for_few_raters():
    # Three raters all above: of the 8 sign patterns only all-plus and all-minus reach |T|.
    gaps = pd.DataFrame({"rater": ["a", "a", "b", "c"], "gap": [1.0, 1.0, 2.0, 1.0]})
    assert d.sign_flip_test(gaps)["p_value"] == pytest.approx(2 / 8)
    # Balanced raters: the observed mean is 0, every pattern is at least as extreme.
    balanced = pd.DataFrame({"rater": ["a", "b"], "gap": [1.0, -1.0]})
    assert d.sign_flip_test(balanced)["p_value"] == pytest.approx(1.0)
    many = pd.DataFrame({"rater": [f"r{i}" for i in range(30)], "gap": [1.0] * 30})
    assert d.sign_flip_test(many, n_perm=999, seed=1)["p_value"] == pytest.approx(1 / 1000)


def test_mixed_model_recovers_a_known_gap_on_simulated_data():
    rng = np.random.default_rng(11)
    true_gap, n_raters, per_rater = 0.8, 40, 10
    rater_level = rng.normal(0, 0.6, n_raters)
    rows = [{"rater": f"r{i}", "gap": true_gap + rater_level[i] + rng.normal(0, 0.4)} for i in range(n_raters) for _ in range(per_rater)]
    gaps = pd.DataFrame(rows)
    mixed = d.mixed_model_gap(gaps)
    assert mixed["ci_low"] < true_gap < mixed["ci_high"]
    assert mixed["ci_high"] - mixed["ci_low"] < 1.0 and mixed["p_value"] < 0.001
    boot = d.cluster_bootstrap_gap(gaps, n_boot=2000, seed=1)
    assert boot["ci_low"] < true_gap < boot["ci_high"]
    # Without a gap the interval covers 0.
    null = d.mixed_model_gap(gaps.assign(gap=gaps["gap"] - true_gap - gaps["gap"].mean() + true_gap))
    assert null["ci_low"] < null["estimate"] < null["ci_high"]
    assert np.isnan(d.mixed_model_gap(gaps[gaps["rater"] == "r0"])["estimate"])  # one rater: no model


def test_hodges_lehmann_by_hand():
    # Walsh averages of 1, 2, 4: 1, 1.5, 2, 2.5, 3, 4 → median 2.25.
    estimate, low, high = d.hodges_lehmann_interval([1, 2, 4])
    assert estimate == pytest.approx(2.25)
    assert low == 1 and high == 4  # three values: the interval is the whole range


def test_the_real_expert_gap_by_every_method():
    result = real_result(2000)
    tests = result.gap_tests.set_index("method")
    assert list(tests["unit"]) == ["rater", "rater", "rater", "area x dimension cell"]
    # 44 units, of which 3 gave only likely duplicates of another unit's answers (UKŚ (2), UKŚ (4), MZB):
    # with collapse_copies (the default) they count once, as their copies do; the 3 units of Safety (3 raters,
    # a small group) are left out like every small group, and with them Safety's 5 questions.
    assert list(tests["n_clusters"]) == [38, 38, 38, 30]
    boot, mixed = tests.loc[d.METHOD_BOOTSTRAP], tests.loc[d.METHOD_MIXED]
    # Stakeholders above the expert by every method, and the cluster-aware intervals exclude 0.
    assert (tests["estimate"] > 0).all()
    assert boot["ci_low"] > 0 and mixed["ci_low"] > 0
    assert abs(boot["estimate"] - mixed["estimate"]) < 0.1
    # The per-cell interval ignores the clustering and is the narrowest.
    widths = tests["ci_high"] - tests["ci_low"]
    assert widths[d.METHOD_WILCOXON] < widths[d.METHOD_BOOTSTRAP]
    download = result.downloads()["expert-vs-stakeholders-test.csv"]
    assert list(download.columns) == ["method", "unit", "n_clusters", "estimate", "ci_low", "ci_high", "p_value"]
    assert download["p_value"].dropna().gt(0).all()  # not rounded to 0
    assert {"n_sets", "copies", "copy_of", "same_answers_as"} <= set(result.downloads()["raters.csv"].columns)


# --- small groups --------------------------------------------------------------------------------------


def test_small_groups_are_marked_everywhere_and_left_out_of_counts():
    frame = scores_frame(
        {
            "big": {f"r{i}": [1 + (i + j) % 5 for j in range(5)] for i in range(5)},  # exactly five: not small
            "small": {"a": [1, 2, 3, 4, 5], "b": [5, 4, 3, 2, 1], "c": [2, 2, 2, 2, 2], "e": [1, 1, 2, 2, 3]},
        },
        expert={"big": [(2, 2)] * 5, "small": [(2, 2)] * 5},
    )
    result = d.run_dispersion(frame, n_boot=200)
    assert result.small_areas == ["small"] == d.small_group_areas(frame)
    for table in (result.cells, result.agreement, result.comparison, result.exclusion):
        flags = table.groupby("area")["small_group"].first()
        assert not flags["big"] and flags["small"]
    assert list(result.large_agreement()["area"]) == ["big"]
    from analysis.text import dispersion as text
    from analysis.text.i18n import Lang

    findings = text.key_findings(result, Lang("en"))
    assert "of the 1 area with at least five raters" in findings
    assert "of the 5 questions (area and dimension) of areas with at least five raters" in findings
    assert "**Small groups:** small (4 raters)" in findings


# --- parameters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "collapse_copies, n_boot, message",
    [
        ("yes", 2000, "parameter collapse_copies='yes': expected true or false"),
        (1, 2000, "parameter collapse_copies=1: expected true or false"),
        (True, 5, "parameter n_boot=5: expected a whole number from 100 to 100000"),
        (True, 2000.5, "parameter n_boot=2000.5: expected a whole number from 100 to 100000"),
        (True, "2000", "parameter n_boot='2000': expected a whole number from 100 to 100000"),
        (True, float("nan"), "parameter n_boot=nan: expected a whole number from 100 to 100000"),
    ],
)
def test_invalid_parameters_fail_with_one_line(collapse_copies, n_boot, message):
    from analysis.params import DispersionParams

    with pytest.raises(ValueError) as error:
        DispersionParams.check(collapse_copies=collapse_copies, n_boot=n_boot)
    assert str(error.value) == message and "\n" not in str(error.value)
    with pytest.raises(ValueError) as error:
        d.run_dispersion(scores_frame({"a": {"x": [1, 2, 3, 4, 5]}}), collapse_copies=collapse_copies, n_boot=n_boot)
    assert str(error.value) == message


def test_the_result_carries_its_parameters():
    """Before: DispersionResult kept only collapse_copies and n_boot, so the notebook handed areas,
    exclude_straightliners and seed back to the run note."""
    from analysis.params import DispersionParams

    params = DispersionParams(areas=["safety", "digital"], exclude_straightliners=True, n_boot=200, seed=7)
    result = d.run_dispersion(real_scores(), params)
    assert result.params is params and result.n_boot == 200 and result.collapse_copies is True
    assert d.run_dispersion(real_scores(), areas=["safety"], n_boot=200).params.areas == ["safety"]


def test_rater_labels_are_escaped_for_markdown():
    from analysis.text.dispersion import md_escape

    assert md_escape("MZD(1)") == "MZD\\(1\\)"
    assert md_escape("<b>*x*") == "&lt;b&gt;\\*x\\*"  # one escaping rule for every page (analysis.text.common)


# --- figures and notebook ------------------------------------------------------------------------------


def test_every_dispersion_figure_marks_the_small_group_and_speaks_the_page_language():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figures import plots
    from analysis.text import dispersion as text
    from analysis.text.i18n import Lang

    tr = Lang("pl")
    result = real_result(200)
    areas, dims = text.names(tr)
    figure_labels = text.figure_labels(tr)

    def all_text(fig):
        found = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
        return " ".join(found)

    figures = [
        plots.plot_ratings_strip(
            result.scores, text.strip_title(result, tr), dims, area_names=areas, small_areas=result.small_areas, labels=figure_labels
        ),
        plots.plot_mean_heatmap(
            result.cells,
            text.heatmap_title(result, tr),
            dims,
            area_names=areas,
            small_areas=result.small_areas,
            labels=figure_labels,
            number=lambda v: tr.num(v, 1),
        ),
        plots.plot_agreement(result.agreement, text.agreement_title(result, tr), area_names=areas, labels=figure_labels),
        plots.plot_expert_vs_stakeholders(result.comparison, text.expert_title(result, tr), labels=figure_labels),
    ]
    for fig in figures:
        words = all_text(fig)
        assert "*" in words, "small group not marked"
        assert fig.get_size_inches()[0] <= 9
        assert "raters" not in words and "Safety" not in words
        for t in fig.findobj(matplotlib.text.Text):
            if t.get_text().strip():
                assert t.get_fontsize() >= 8, (t.get_text(), t.get_fontsize())
        plt.close(fig)
    assert "Bezpieczeństwo *" in all_text(figures[1]) or "Bezpieczeństwo *" in " ".join(t.get_text() for t in figures[1].axes[0].get_yticklabels())


def test_the_notebook_is_thin_with_one_parameters_cell_and_no_outputs():
    import json

    from analysis import config

    notebook = json.loads((config.paths().notebooks / "score_dispersion.ipynb").read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    tagged = [c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    parameters = "".join(tagged[0]["source"])
    for line in ('lang = "en"', "collapse_copies = True", "n_boot = 2000", "exclude_straightliners = False"):
        assert line in parameters
    # Markdown cannot change language: every word the reader sees comes from code cells.
    assert all(c["cell_type"] == "code" for c in notebook["cells"])
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in notebook["cells"])


@pytest.mark.slow  # papermill starts a kernel
def test_the_polish_notebook_runs_on_other_parameters(project_copy, tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import run_cli

    assert run_cli(project_copy, "data").returncode == 0
    out, tables = tmp_path / "dispersion-pl.ipynb", tmp_path / "tables"
    env = {**os.environ, "KIELCE_PROJECT_ROOT": str(project_copy)}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            "-k",
            "python3",
            str(project_copy / "notebooks" / "score_dispersion.ipynb"),
            str(out),
            "-p",
            "lang",
            "pl",
            "-y",
            "areas: [environment, infrastructure, safety]",
            "-p",
            "collapse_copies",
            "False",
            "-p",
            "n_boot",
            "200",
            "-p",
            "output_dir",
            str(tables),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    page = out.read_text(encoding="utf-8")
    assert "## Najważniejsze wnioski" in page and "## Key findings" not in page
    assert "Infrastruktura komunalna i efektywność energetyczna" in page
    assert "collapse_copies = False" in page
    # Downloads stay language-independent.
    header = (tables / "expert-vs-stakeholders-test.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "method,unit,n_clusters,estimate,ci_low,ci_high,p_value"
    raters = (tables / "raters.csv").read_text(encoding="utf-8")
    assert "n_sets,copies,copy_of" in raters.splitlines()[0] and "infrastructure=environment" in raters


# --- the Polish edition: numerals, plain words ----------------------------------------------------------


def test_polish_nouns_and_verbs_agree_with_their_numbers():
    """1 obszar / 2–4 obszary / 5+ obszarów: no 'z 1 obszarów', no 'Liczba … wynosi' detours."""
    from analysis.text import dispersion as text
    from analysis.text.i18n import Lang

    tr = Lang("pl")
    result = real_result(200)
    findings = text.key_findings(result, tr)
    assert "**Łącznie 61 ankiet pochodzi od 44 podmiotów.** Więcej niż jeden obszar oceniło 15 podmiotów, a 14 z nich udzieliło" in findings
    assert "zatem 16 ankiet jest kopiami" in findings
    assert "**Ten sam poziom wszystkim pięciu wymiarom przyznało 14 z 44 podmiotów (21 z 61 ankiet).**" in findings
    assert (
        "We wszystkich 6 obszarach z co najmniej pięcioma oceniającymi" in findings
        and "Spośród 30 pytań (obszar i wymiar)" in findings
        and "od oceny eksperckiej w 29;" in findings
    )
    about = text.about_section(result, tr)
    # "16 z tych ankiet", not "16 z nich" (which read as 16 of the units: the native reader's review)
    assert "Łącznie 61 ankiet (każda to ocena jednego obszaru przez jeden podmiot) pochodzi od 44 podmiotów; 16 z tych ankiet" in about
    # An editor: "61 ankiet, pominięto 19, zatem pozostaje 41 jednostek" did not add up; the other 42 come from 41 units.
    assert (
        "pominięto 19 ankiet skopiowanych lub być może zdublowanych, a także 3 ankiety z obszarów z mniej niż pięcioma "
        "oceniającymi; pozostałych 39 ankiet pochodzi od 38 podmiotów" in about
    )
    for page_text in (findings, about):
        assert "Liczba" not in page_text and "wynosi 1" not in page_text and "(liczba:" not in page_text
    assert "Gdy każdego z 38 oceniających liczy się jeden raz" in text.gap_tests_note(result, tr)  # Safety's 3 units left out

    # One area with at least five raters, one rater of several areas, one copy.
    frame = scores_frame(
        {"big": {f"r{i}": [1 + (i + j) % 5 for j in range(5)] for i in range(5)}, "other": {"r0": [1, 2, 3, 4, 5], "x": [2, 2, 3, 3, 4]}},
        expert={"big": [(2, 2)] * 5, "other": [(2, 2)] * 5},
    )
    small = d.run_dispersion(frame, n_boot=200)
    findings = text.key_findings(small, tr)
    assert "W 1 z 1 obszaru z co najmniej pięcioma oceniającymi" in findings
    assert "**Łącznie 7 ankiet pochodzi od 6 podmiotów.** Więcej niż jeden obszar ocenił 1 podmiot, a 1 z nich udzielił" in findings
    assert "zatem 1 ankieta jest kopią" in findings
    assert "other (2 oceniających)" in findings
    english = text.key_findings(small, Lang("en"))
    assert "In 1 of the 1 area with at least five raters" in english and "1 questionnaire is a copy" in english
    lone = d.run_dispersion(scores_frame({"solo": {"a": [1, 2, 3, 4, 5]}}, expert={"solo": [(2, 2)] * 5}), n_boot=200)
    assert "solo (1 oceniający)" in text.key_findings(lone, tr)
    assert "Żaden podmiot nie ocenił więcej niż jednego obszaru" in text.key_findings(lone, tr)


def test_the_run_note_and_glossary_use_plain_words_and_names_from_the_data():
    from analysis.data import labels
    from analysis.text import dispersion as text
    from analysis.text.i18n import Lang

    result = real_result(200, areas=("safety", "digital"))
    for lang in ("pl", "en"):
        tr = Lang(lang)
        note = text.run_note(result, tr)
        assert "True" not in note and "False" not in note and "_" not in note, note
        assert labels.area_names(lang)["safety"] in note
        question = [line for line in text.glossary(tr).splitlines() if line.startswith(f"* **{tr('Question')}**")][0]
        assert labels.dimension_names(lang)["strategy"] in question and labels.area_names(lang)["digital"] in question
    assert "identyczne ankiety jednego podmiotu liczone jeden raz: tak" in text.run_note(real_result(200), Lang("pl"))


def test_dispersion_figures_stay_legible_on_a_phone_and_write_polish_numbers():
    """Drawn at most 6.5 inches wide with 9.5-point text, an SVG shrunk to the 372 px of a
    390 px phone still shows every label at 8 px or more; tick labels use the decimal comma."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figures import plots
    from analysis.text import dispersion as text
    from analysis.text.i18n import Lang

    tr = Lang("pl")
    result = real_result(200)
    areas, dims = text.names(tr)
    figure_labels = text.figure_labels(tr)
    figures = [
        plots.plot_ratings_strip(
            result.scores, text.strip_title(result, tr), dims, area_names=areas, small_areas=result.small_areas, labels=figure_labels
        ),
        plots.plot_mean_heatmap(
            result.cells,
            text.heatmap_title(result, tr),
            dims,
            area_names=areas,
            small_areas=result.small_areas,
            labels=figure_labels,
            number=lambda v: tr.num(v, 1),
        ),
        plots.plot_agreement(result.agreement, text.agreement_title(result, tr), area_names=areas, labels=figure_labels),
        plots.plot_expert_vs_stakeholders(result.comparison, text.expert_title(result, tr), labels=figure_labels),
    ]
    for fig in figures:
        fig.canvas.draw()
        width_px = fig.get_size_inches()[0] * 96  # SVG in points, shown at 96 px per inch
        for t in fig.findobj(matplotlib.text.Text):
            if t.get_text().strip() and t.get_visible():
                on_phone = t.get_fontsize() * 96 / 72 * 372 / width_px
                assert on_phone >= 8, (t.get_text(), round(on_phone, 1))
        ticks = [t.get_text() for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()]
        assert not [t for t in ticks if any(c.isdigit() for c in t) and "." in t], ticks
        plt.close(fig)
    strip_titles = " ".join(ax.get_title() for ax in figures[0].axes).replace("\u00a0", " ")
    assert "(3 oceniających)" in strip_titles and "(13 oceniających)" in strip_titles


def test_the_raters_section_and_the_wilcoxon_aside_agree_with_their_numbers():
    from analysis.text import dispersion as text
    from analysis.text.i18n import Lang

    tr = Lang("pl")
    result = real_result(200)
    assert "Jeden wiersz na podmiot (44 podmioty, 61 ankiet, w tym 16 kopii), w kolejności" in text.section_raters(result, tr)
    assert "One row per stakeholder unit (44 units, 61 questionnaires, 16 of them copies), in" in text.section_raters(result, Lang("en"))
    separate = real_result(200, collapse_copies=False)
    assert "(44 podmioty, 16 kopii)" in text.units_note(separate, tr)
    assert "collapse_copies" not in text.units_note(separate, tr) + text.key_findings(separate, tr)
    # One question only: 'z 1 pytania', not 'z 1 pytań' (five raters: a smaller group is left out of the aside).
    one = d.run_dispersion(scores_frame({"a": {r: [3, None, None, None, None] for r in "vwxyz"}}, expert={"a": [(2, 2)] * 5}), n_boot=200)
    assert one.paired_test["n_cells"] == 1
    assert "w 1, a niższa w 0 z 1 pytania" in text.wilcoxon_aside(one, tr)
    frame, _ = text.gap_tests_table(result, tr)
    assert list(frame.iloc[:, 0])[:2] == ["Bootstrap klastrowy", "Test permutacyjny ze zmianą znaków"]


def test_the_heat_map_title_marks_a_small_group_it_names():
    from analysis.text import dispersion as text
    from analysis.text.i18n import Lang

    # The lowest mean of all (1.3) is safety's, an area of three raters: the title takes the extremes of the
    # areas with at least five raters and says so; a run of small groups only names them with the mark.
    result = real_result(200)
    assert text.heatmap_title(result, Lang("pl")).startswith("Średni poziom w obszarach z co najmniej pięcioma oceniającymi: od 2,1")
    small_only = real_result(200, areas=("safety",))
    assert text.heatmap_title(small_only, Lang("pl")).startswith("Średni poziom od 1,3 (Bezpieczeństwo *, Zaangażowanie interesariuszy)")
    assert "(Safety *, Stakeholder engagement)" in text.heatmap_alt(small_only, Lang("en"))


def test_an_interval_never_wraps_inside_a_table_cell():
    from analysis.text.dispersion import interval_text
    from analysis.text.i18n import Lang

    assert interval_text(0.36, 0.89, Lang("pl")) == "od\u00a00,36\u00a0do\u00a00,89"
    assert interval_text(0.36, 0.89, Lang("en")) == "0.36\u00a0to\u00a00.89"
    assert interval_text(float("nan"), 0.89, Lang("en")) == "–"


def test_the_share_within_one_level_is_compared_with_answers_shuffled_across_dimensions():
    """A methodologist: "80 % within one level of the median" against an even spread (60 %) read as agreement, while
    answers shuffled across the dimensions of their area give the same 80 %. Fires: raters who agree on a profile
    (levels 1 and 5 by dimension) are far closer than shuffled; silent: every dimension drawn alike is not."""
    profile = scores_frame({"a": {f"r{i}": [1, 5, 1, 5, 3] for i in range(6)}})
    found = d.shuffled_within_one(profile, n_perm=200, seed=1)
    assert found["observed"] == 1.0 and found["high"] < 0.9
    rng = np.random.default_rng(7)
    alike = scores_frame({"a": {f"r{i}": list(rng.integers(1, 6, size=5)) for i in range(8)}})
    found = d.shuffled_within_one(alike, n_perm=400, seed=1)
    assert found["low"] <= found["observed"] <= found["high"]
    # Small groups are left out, as in every summary; nothing left: no numbers.
    assert np.isnan(d.shuffled_within_one(profile, small_areas=["a"])["mean"])
