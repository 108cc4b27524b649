"""Uncertainty and sensitivity analysis of the ranks."""

import numpy as np
import pandas as pd
import pytest

from analysis.methods import benchmark, robustness


def frame(rows, flags=None):
    """rows: (code, theme, city, value, polarity, year) → a benchmark table with flags."""
    out = pd.DataFrame(rows, columns=["code", "theme", "city", "value", "polarity", "year"])
    out["value"] = out["value"].astype(float)
    out["year"] = out["year"].astype("Int64")
    out["missing"] = out["value"].isna()
    out["flag"] = [(flags or {}).get((c, k), "") for c, k in zip(out["code"], out["city"])]
    out["excluded"] = out["flag"] == "error"
    return out


SMALL = frame(
    [
        ("A1", "T1", "a", 10, "higher", 2016),
        ("A1", "T1", "b", 20, "higher", 2016),
        ("A1", "T1", "c", 30, "higher", 2010),
        ("A2", "T1", "a", 5, "lower", 2016),
        ("A2", "T1", "b", 1, "lower", 2016),
        ("A2", "T1", "c", 9, "lower", 2016),
        ("B1", "T2", "a", 3, "higher", 2016),
        ("B1", "T2", "b", None, "higher", None),
        ("B1", "T2", "c", 1, "higher", 2016),
        ("B2", "T2", "a", 7, "higher", 2016),
        ("B2", "T2", "b", 8, "higher", 2016),
        ("B2", "T2", "c", 99, "higher", 2016),
    ],
    flags={("B2", "c"): "warning", ("A1", "b"): "error"},
)


@pytest.fixture(scope="module")
def small():
    # SMALL leaves out its errors only (its "excluded" column): the nominal variant is the "errors" one.
    return robustness.analyse(SMALL, "a", contested={"A2"}, max_year_gap=3, n_variants=1200, seed=1, exclude_flagged="errors")


def test_variant_count_is_grid_times_weight_draws_plus_leave_one_out(small):
    # 864 grid combinations (no variant re-admits an error; missing values left out, imputed or only the indicators every
    # city reports; contested directions as curated, not ranked or read the other way; the overall score of every theme
    # or of the themes with at least 3 ranked indicators) × (equal + 1 Dirichlet draw) + one variant per polar indicator
    # left out
    assert robustness.GRID_SIZE == 864 and small.n_variants == 864 * 2 + 4
    assert set(small.variants["themes"]) == {"all", "three_or_more"}
    assert set(small.variants["polarity"]) == {"curated", "neutral", "alternative"}
    assert set(small.variants["missing"]) == {"left_out", "imputed", "common"}
    assert set(small.variants["exclude"]) == {"errors", "errors+warnings"}
    assert small.variants["nominal"].sum() == 1


def test_nominal_variant_reproduces_the_report_ranks(small):
    table = benchmark.normalise_scores(benchmark.rank_cities(SMALL))
    report = benchmark.theme_scores(table, 0.5).set_index(["city", "theme"])["rank"]
    nominal = small.summary.set_index(["city", "theme"])["rank_nominal"]
    for key, rank in report.items():
        assert nominal[key] == rank, key
    overall = benchmark.overall_scores(benchmark.theme_scores(table, 0.5)).set_index("city")["rank"]
    for city, rank in overall.items():
        assert nominal[(city, "overall")] == rank


def test_nominal_rank_lies_within_the_range_over_variants(small):
    summary = small.summary.dropna(subset=["rank_nominal"])
    assert (summary["rank_min"] <= summary["rank_nominal"]).all()
    assert (summary["rank_nominal"] <= summary["rank_max"]).all()
    assert (summary["rank_p05"] <= summary["rank_median"]).all() and (summary["rank_median"] <= summary["rank_p95"]).all()
    shares = summary[[c for c in summary if c.startswith("share_rank_")]].sum(axis=1)
    assert np.allclose(shares, 1.0)


def test_results_do_not_depend_on_the_order_of_cities_or_indicators(small):
    shuffled = SMALL.sample(frac=1.0, random_state=7).reset_index(drop=True)
    again = robustness.analyse(shuffled, "a", contested={"A2"}, max_year_gap=3, n_variants=1200, seed=1, exclude_flagged="errors")
    pd.testing.assert_frame_equal(small.summary, again.summary)
    pd.testing.assert_frame_equal(small.sensitivity, again.sensitivity)


def test_hand_computed_theme_ranks_under_a_changed_choice(small):
    # T1 nominal (min-max, errors excluded): A1 b excluded -> a 0, c 100; A2 (lower): b 100, a 50, c 0
    # -> a 25, b 100, c 50 -> ranks b 1, c 2, a 3.
    nominal = small.ranks[robustness.nominal_index(small.variants)]
    theme = small.themes.index("T1")
    assert dict(zip(small.cities, nominal[theme])) == {"a": 3, "b": 1, "c": 2}
    # With the contested polarity of A2 made neutral, T1 rests on A1 alone: c 100 > a 0; b unranked (no usable value).
    v = small.variants
    neutral = (
        (v["polarity"] == "neutral")
        & (v["normalisation"] == "minmax")
        & (v["aggregation"] == "mean")
        & (v["missing"] == "left_out")
        & (v["exclude"] == "errors")
        & (v["years"] == "all")
        & (v["weights"] == "equal")
    )
    ranks = small.ranks[np.flatnonzero(neutral)[0]]
    assert dict(zip(small.cities, ranks[theme])) == {"a": 2, "b": 0, "c": 1}


def test_sensitivity_names_every_choice(small):
    assert set(small.sensitivity["choice"]) == {*robustness.CHOICES, "weights", "leave_one_out"}
    assert (small.sensitivity["mean_abs_rank_shift"] >= 0).all()


def test_the_result_holds_no_top_n_contest(small):
    """An analyst of the sixteenth session: ``indicator_shares``, the share of variants in which an indicator stayed among
    the city's five best, was a top-N contest documented as robustness and used by no page; an indicator's robustness is
    its claim's share of the comparison's variants (``methods.benchmark.claim_shares``)."""
    assert not hasattr(small, "indicator_shares")


def test_more_variants_only_add_weight_draws():
    few = robustness.analyse(SMALL, "a", n_variants=robustness.GRID_SIZE)
    many = robustness.analyse(SMALL, "a", n_variants=robustness.GRID_SIZE * 4)
    assert many.n_variants - few.n_variants == robustness.GRID_SIZE * 3
    assert (few.summary["rank_nominal"].fillna(0) == many.summary["rank_nominal"].fillna(0)).all()


def test_the_kielce_analysis_reproduces_the_report(kielce_benchmark):
    result = kielce_benchmark
    robust = result.robustness
    assert robust.n_variants >= 1000
    nominal = robust.summary.set_index(["city", "theme"])["rank_nominal"]
    report = result.theme_scores.set_index(["city", "theme"])["rank"]
    assert all(nominal[key] == rank for key, rank in report.dropna().items())
    assert all(nominal[(city, "overall")] == rank for city, rank in result.overall.set_index("city")["rank"].items())
    best = robust.share_best_theme()
    # Solid waste since the grid also ranks on the indicators every city reports only (a sceptical reading).
    assert best.idxmax() in ("Wastewater", "Shelter", "Safety", "Solid waste")
    # 0.4247 while a third of the grid re-admitted the values that cannot be right as printed (issue 16); 0.4038 while
    # Oakville's gross survival rates over 100 % were wrongly "errors" (left out of every variant); 0.4834 while
    # mobile connections (defined differently between cities, now never ranked) were ranked; 0.3480 while rates of rare events within chance were.
    # 0.2824 while noise exposure and own-source revenue (defined differently between cities) were ranked.
    # 0.2763 while constructs were scored once per member and indicators on which the cities lie closer together than
    # their material gap were scored 0 against 100 (benchmark.unscored, the eleventh reading).
    # 0.1625 while rows every city prints alike were scored 50 for all (now not scored: the twelfth reading).
    # 0.0178 while fewer cars and less waste per resident (TR18.4, SW16.2) were of clear direction (now contested: ranked
    # or not by the grid's polarity choice) and WS21.2 a construct's second member (the fourteenth reading).
    # 0.0165 while doubtful values (warnings) were ranked in the main calculation (now left out, as of the verdicts).
    # 0.0500 while the grid never read a contested direction the other way (now "alternative": more doctors, nurses,
    # police officers per resident better; the fifteenth reading).
    # 0.0521 while the overall score was always the mean of every theme (now also of the themes of at least three ranked
    # indicators; the grid of 864 then takes two random weight draws, not five).
    # 0.0650 with two random weight draws, 0.0431 with nineteen (the default of 17 280 variants).
    # 0.0301 since improved sanitation (WS21.3) is not compared: Gdynia reports its sewer share as it (95 % against 94.9 %),
    # the others count septic tanks too (an analyst of the thirteenth session).
    # 0.0840 since outdoor recreation space (RE13.2: what counts is left to each city), homelessness (one-night counts
    # against counts over a year) and poverty (each country's own line) are not compared (the fifteenth session).
    # 0 once internet connections (a count of households) are not compared: the theme has no ranked indicator left; Solid
    # waste is pinned instead.
    assert best["Telecommunication and innovation"] == 0
    # 0.5592 while the variant that keeps values near a reference year took Kielce's year as the reference (now each
    # indicator's median year, the same on every page).
    # 0.5567 while police-recorded property and violent crime (SF14.3, SF14.5: national penal codes) were ranked; 0.5673 while
    # light passenger transport (TR18.2: which lines count is each city's choice) was.
    assert best["Solid waste"] == pytest.approx(0.5689, abs=1e-3)


def test_a_variant_ranks_on_the_indicators_every_city_reports_only():
    """A sceptical reading: averaging whatever each city reports put Kielce 4th, while on the 32 indicators all five
    cities report it was 3rd; no variant tested that. The ``common`` treatment ranks on those only."""
    table = frame(
        [
            # Every city reports A1, on which c is best; only a and c report A2, on which a is far ahead.
            ("A1", "T1", "a", 10, "higher", 2016),
            ("A1", "T1", "b", 20, "higher", 2016),
            ("A1", "T1", "c", 30, "higher", 2016),
            ("A2", "T1", "a", 100, "higher", 2016),
            ("A2", "T1", "b", None, "higher", None),
            ("A2", "T1", "c", 0, "higher", 2016),
        ]
    )
    result = robustness.analyse(table, "a", n_variants=robustness.GRID_SIZE, min_coverage=0.5)
    variants = result.variants
    overall = result.themes.index("overall") if "overall" in result.themes else len(result.themes) - 1
    a, c = result.cities.index("a"), result.cities.index("c")
    common = (variants["missing"] == "common").to_numpy() & (variants["weights"] == "equal").to_numpy()
    left_out = (variants["missing"] == "left_out").to_numpy() & (variants["weights"] == "equal").to_numpy()
    assert common.any()
    # On A1 alone c is first and a last in every such variant (fires: without the treatment there is none).
    assert (result.ranks[common, overall, c] == 1).all() and (result.ranks[common, overall, a] == 3).all()
    # Leaving the missing value out keeps A2, which lifts a above c in some variants (silent for the new rule).
    assert (result.ranks[left_out, overall, a] < result.ranks[left_out, overall, c]).any()


def test_the_alternative_polarity_reads_a_contested_direction_the_other_way():
    """A sceptical reading: the grid only ever un-ranked a contested direction and never tried its other reading (more
    doctors per resident is better), which put Kielce 3rd in the main calculation. The "alternative" variants rank a
    contested indicator in the direction of ``alternative_polarity``: the same ranks as the curated variants of a table
    whose polarity is that direction."""
    other = robustness.analyse(
        SMALL, "a", contested={"A2"}, alternatives={"A2": "higher"}, max_year_gap=3, n_variants=600, seed=1, exclude_flagged="errors"
    )
    flipped = SMALL.assign(polarity=np.where(SMALL["code"] == "A2", "higher", SMALL["polarity"]))
    plain = robustness.analyse(flipped, "a", max_year_gap=3, n_variants=600, seed=1, exclude_flagged="errors")
    alternative = (other.variants["polarity"] == "alternative").to_numpy()
    curated = ((plain.variants["polarity"] == "curated") & (plain.variants["weights"] != "leave_one_out")).to_numpy()
    assert alternative.sum() == curated.sum() > 0
    assert np.array_equal(other.ranks[alternative], plain.ranks[curated])
    # And without a stated other reading the alternative variants are the curated ones.
    same = ((other.variants["polarity"] == "curated") & (other.variants["weights"] != "leave_one_out")).to_numpy()
    assert not np.array_equal(other.ranks[alternative], other.ranks[same])
    none = robustness.analyse(SMALL, "a", contested={"A2"}, max_year_gap=3, n_variants=600, seed=1, exclude_flagged="errors")
    grid = (none.variants["weights"] != "leave_one_out").to_numpy()
    assert np.array_equal(
        none.ranks[grid & (none.variants["polarity"] == "alternative").to_numpy()],
        none.ranks[grid & (none.variants["polarity"] == "curated").to_numpy()],
    )


def test_the_overall_score_is_also_taken_over_the_themes_of_three_or_more_indicators_only():
    """An analyst: the overall rank gave a theme of one indicator the weight of a theme of six, and no variant changed
    which themes count. T1 (three indicators) puts a first, T2 (one indicator) puts b far ahead: b leads the mean of
    both themes, a the mean of T1 alone."""
    table = frame(
        [
            *[(f"A{i}", "T1", city, value, "higher", 2016) for i in (1, 2, 3) for city, value in (("a", 10), ("b", 8), ("c", 1))],
            ("B1", "T2", "a", 0, "higher", 2016),
            ("B1", "T2", "b", 100, "higher", 2016),
            ("B1", "T2", "c", 50, "higher", 2016),
        ]
    )
    result = robustness.analyse(table, "a", n_variants=1, exclude_flagged="errors")
    overall = result.ranks[:, -1, :]
    cities = result.cities
    plain = (result.variants["themes"] == "all") & (result.variants["weights"] == "equal") & (result.variants["normalisation"] == "minmax")
    plain &= (result.variants["aggregation"] == "mean") & (result.variants["missing"] == "left_out")
    plain &= (result.variants["polarity"] == "curated") & (result.variants["years"] == "all")
    both = result.variants.loc[plain].drop(columns=["themes"]).iloc[0].to_dict()
    thick = (result.variants["themes"] == "three_or_more") & np.logical_and.reduce(
        [result.variants[k] == v for k, v in both.items() if k not in ("nominal", "weight_draw", "left_out")]
    )
    assert overall[plain.to_numpy()][0][cities.index("b")] == 1
    assert overall[thick.to_numpy()][0][cities.index("a")] == 1
    # The themes' own ranks are the same in both sets.
    assert (result.ranks[plain.to_numpy()][0][:-1] == result.ranks[thick.to_numpy()][0][:-1]).all()


def test_the_theme_set_of_the_grid_asks_as_many_indicators_as_a_theme_verdict():
    """The "three_or_more" variants average the themes a verdict can be given for: one threshold, not two."""
    assert robustness.MIN_THEME_INDICATORS == benchmark.THEME_VERDICT_MIN


def test_an_order_one_setting_of_one_choice_turns_around_is_not_said_probable():
    """Two analysts (twelfth and thirteenth sessions): Kielce behind Gdynia in 69.5 % of the ranking variants was said
    "probably", though with the overall score over the themes of at least three indicators (half the grid) Kielce was
    behind in 46 % only. ``overall_order`` gives, per city, the smallest share among the variants of any one setting of
    any one choice, and which choice; the page calls such an order not settled."""
    import numpy as np
    import pandas as pd

    from analysis.methods.robustness import CHOICES, ORDER_LEAST_SHARE, Robustness, overall_order

    # 12 variants: the focal city A is below B in all 6 with themes "all" and in 2 of the 6 with themes "min3"
    # (8 of 12, two thirds overall); above C in every variant of either setting.
    themes = ["all"] * 6 + ["min3"] * 6
    variants = pd.DataFrame({column: [next(iter(options))] * 12 for column, options in CHOICES.items()})
    variants["themes"] = themes
    a_rank = np.array([3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1])
    b_rank = np.array([1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3])
    c_rank = np.array([4] * 12)
    ranks = np.stack([a_rank, b_rank, c_rank], axis=1)[:, None, :]
    robustness = Robustness("A", ["A", "B", "C"], ["overall"], variants, ranks, np.zeros((12, 1)), pd.DataFrame(), pd.DataFrame())
    order = overall_order(robustness).set_index("city")
    assert order.at["B", "share_below"] == 8 / 12
    assert order.at["B", "least_below"] == 2 / 6 < ORDER_LEAST_SHARE and order.at["B", "least_below_choice"] == "themes"
    assert order.at["C", "share_above"] == 1 and order.at["C", "least_above"] == 1 and order.at["C", "least_above_choice"] == ""


def test_an_order_between_two_cities_has_the_same_share_on_both_cities_pages(city_benchmark):
    """An analyst of the fifteenth session: Eindhoven ahead of Porto held in 89.9 % of the ranking variants on
    Eindhoven's page and in 91.0 % on Porto's, so one first screen said it plainly and the other "probably". The
    variant that keeps only values near a reference year took the page's own city's year as the reference; it now takes
    each indicator's median year, so the ranking's variants, and every order between two cities, are the same on every
    page."""
    from analysis.methods.robustness import overall_order

    cities = ["eindhoven", "gdynia", "kielce", "oakville", "porto"]
    orders = {city: overall_order(city_benchmark(city).robustness).set_index("city") for city in cities}
    names = {city: city_benchmark(city).robustness.focal_city for city in cities}
    checked = 0
    for a in cities:
        for b in cities:
            if a == b:
                continue
            mine, theirs = orders[a].loc[names[b]], orders[b].loc[names[a]]
            assert mine["n_variants"] == theirs["n_variants"]
            assert mine["share_above"] == theirs["share_below"], (a, b, mine["share_above"], theirs["share_below"])
            assert mine["least_above"] == theirs["least_below"], (a, b)
            checked += 1
    assert checked == 20


def test_the_years_variant_keeps_the_values_of_a_year_some_city_reports():
    """With ``max_year_gap=0`` the variant keeps only the values of the reference year; the median of an even count of
    years (2015.5) is no year at all, and would have left every value of such an indicator out."""
    from analysis.methods.robustness import prepare

    table = frame(
        [
            ("A1", "T1", "a", 10, "higher", 2014),
            ("A1", "T1", "b", 20, "higher", 2015),
            ("A1", "T1", "c", 30, "higher", 2016),
            ("A1", "T1", "d", 40, "higher", 2017),
        ]
    )
    data = prepare(table, "a", set(), 0)
    assert data["far"].tolist() == [[True, False, True, True]]


def test_the_ranking_on_iso_37120_s_core_indicators_is_a_scenario_beside_the_grid():
    """Two analysts of the sixteenth session: one found Kielce 5th, not 4th, on ISO 37120's core indicators alone and
    asked for that basket to be tested; the other found that pooled as half of the grid it overturned every order for
    reasons of another index (about half the indicators and whole themes left out). The main calculation's ranks on the
    core indicators are given beside the grid (``core_ranks``); the supporting ones are out of that basket, not
    missing, so a theme's coverage counts the core ones, and a theme without any has no score."""
    table = frame(
        [
            # Core A1: c best; supporting A2: a far ahead. T2 has one supporting indicator only.
            ("A1", "T1", "a", 10, "higher", 2016),
            ("A1", "T1", "b", 20, "higher", 2016),
            ("A1", "T1", "c", 30, "higher", 2016),
            ("A2", "T1", "a", 100, "higher", 2016),
            ("A2", "T1", "b", 0, "higher", 2016),
            ("A2", "T1", "c", 0, "higher", 2016),
            ("B1", "T2", "a", 5, "higher", 2016),
            ("B1", "T2", "b", 1, "higher", 2016),
            ("B1", "T2", "c", 1, "higher", 2016),
        ]
    )
    table["tier"] = table["code"].map({"A1": "core", "A2": "supporting", "B1": "supporting"})
    result = robustness.analyse(table, "a", contested=set(), max_year_gap=3, n_variants=1, seed=1, min_coverage=0.5)
    assert "indicators" not in result.variants.columns  # not one of the grid's choices
    nominal = result.ranks[robustness.nominal_index(result.variants), -1, :]
    assert dict(zip(result.cities, nominal.tolist())) == {"a": 1, "b": 3, "c": 2}
    assert result.core_ranks == {"a": 3, "b": 2, "c": 1}
    # And over that basket's own grid of 864 (an analyst of the eighteenth session: the main calculation's place alone was
    # the line most likely to be quoted, and it is one of 864): one core indicator, so every variant ranks c, b, a.
    assert result.core_shares == {"a": {1: 0.0, 2: 0.0, 3: 1.0}, "b": {1: 0.0, 2: 1.0, 3: 0.0}, "c": {1: 1.0, 2: 0.0, 3: 0.0}}
    # No tier: no scenario.
    untiered = robustness.analyse(table.drop(columns="tier"), "a", n_variants=1, min_coverage=0.5)
    assert untiered.core_ranks is None and untiered.core_shares is None


def test_the_core_basket_s_grid_varies_as_the_main_grid_does(kielce_benchmark):
    """The core basket's place, said on the first screen, is the share of its own 864 grid variants (equal weights): on the
    real data Kielce is 5th in the main calculation there, but in about a third of the variants only (an analyst of the
    eighteenth session computed 35 %), so the page says the place is not settled."""
    shares = kielce_benchmark.robustness.core_shares["Kielce"]
    assert abs(sum(shares.values()) - 1) < 1e-9
    assert kielce_benchmark.robustness.core_ranks["Kielce"] == 5 and max(shares, key=shares.get) == 5
    assert 0.3 < shares[5] < 0.4 and shares[1] > 0


def test_leaving_an_indicator_out_leaves_it_out_of_its_theme_s_coverage_too():
    """An analyst of the seventeenth session: a leave-one-out variant gave the indicator a weight of 0 but still counted
    it in its theme's coverage, so leaving out Energy's EN7.6, which Porto does not report, never gave Porto the Energy
    score it has without it (and Kielce's place then moves from 4th to 5th). Here b reports A1 only: with A2 in the
    table its theme coverage is a half, under the 0.6 required; without A2 it is whole, and b has a T1 rank."""
    table = frame(
        [
            ("A1", "T1", "a", 10, "higher", 2016),
            ("A1", "T1", "b", 20, "higher", 2016),
            ("A1", "T1", "c", 30, "higher", 2016),
            ("A2", "T1", "a", 5, "higher", 2016),
            ("A2", "T1", "b", None, "higher", None),
            ("A2", "T1", "c", 9, "higher", 2016),
        ]
    )
    result = robustness.analyse(table, "a", n_variants=1, min_coverage=0.6)
    theme, b = result.themes.index("T1"), result.cities.index("b")
    variants = result.variants
    assert result.ranks[variants["nominal"].to_numpy(), theme, b].tolist() == [0]  # no rank: half its theme's indicators
    without_a2 = ((variants["weights"] == "leave_one_out") & (variants["left_out"] == "A2")).to_numpy()
    assert result.ranks[without_a2, theme, b].tolist() == [2]  # fires: before, the coverage still counted A2 (no rank)
    without_a1 = ((variants["weights"] == "leave_one_out") & (variants["left_out"] == "A1")).to_numpy()
    assert result.ranks[without_a1, theme, b].tolist() == [0]  # A2 alone: b reports nothing of it


def test_a_theme_counts_among_those_of_three_ranked_indicators_only_by_the_ones_that_tell_cities_apart():
    """An analyst of the seventeenth session: the variants that average only the themes of at least three ranked indicators
    counted rows that score no city (every city printing the same value), so Wastewater, scored on one indicator, was
    among them. Here T1 has three indicators, two of them alike in every city: only T2 counts there."""
    rows = [("A1", "T1", city, v, "higher", 2016) for city, v in zip("abc", (30, 25, 10))]
    rows += [(code, "T1", city, 5, "higher", 2016) for code in ("A2", "A3") for city in "abc"]
    rows += [(code, "T2", city, v, "higher", 2016) for code in ("B1", "B2", "B3") for city, v in zip("abc", (1, 2, 4))]
    result = robustness.analyse(frame(rows), "a", n_variants=1, min_coverage=0.5)
    variants = result.variants
    overall, a = result.themes.index("overall"), result.cities.index("a")
    nominal_else = (
        (variants["normalisation"] == "minmax")
        & (variants["aggregation"] == "mean")
        & (variants["missing"] == "left_out")
        & (variants["weights"] == "equal")
        & (variants["polarity"] == "curated")
        & (variants["years"] == "all")
    ).to_numpy()
    thick = nominal_else & (variants["themes"] != "all").to_numpy()
    every = nominal_else & (variants["themes"] == "all").to_numpy()
    # Over T2 alone a is last (fires: before, T1 counted as a theme of three, and a, first on it and last on T2, was 2nd).
    assert set(result.ranks[thick, overall, a]) == {3}
    assert set(result.ranks[every, overall, a]) == {2}
