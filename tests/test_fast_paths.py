"""The fast paths of the benchmark analysis against their straightforward references (issue 16, speed).

``claim_shares``, ``construct_verdicts``, ``count_verdicts`` and ``theme_verdicts`` are vectorised; each keeps a
private straightforward twin (one ``compare`` per set of reference values, one construct or theme at a time) as
the reference. Verdicts, counts and shares must be identical — exactly, not merely close — for every city as the
focal city and with fewer peers (where the peer median needs every peer, and leave-one-out sets fall below it).
The robustness analysis's ranks, rank statistics and weighted median are checked against the numpy and scipy
functions they replaced, on seeded arrays full of ties and gaps.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.data.city_facts import populations
from analysis.data.cleaning import clean_indicators, load_indicator_metadata
from analysis.methods import benchmark, comparison, robustness, screening


@pytest.fixture(scope="module")
def real():
    frame = benchmark.attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())
    context = screening.screening_context()
    flags = screening.screen_values(frame, **context)
    review = context["review"]
    contested = set(review.loc[review["polarity_confidence"] == "contested", "code"])
    return benchmark.add_screening(frame, flags), contested, populations()


def cases(table):
    """Every city as the focal city against all others, then fewer peers and other year gaps."""
    cities = list(dict.fromkeys(table["city"]))
    for focal in cities:
        yield focal, [c for c in cities if c != focal], 3
    yield cities[0], cities[1:4], 3  # three peers: a leave-one-out set of two is too few for a median
    yield cities[0], cities[1:3], 0  # two peers (both needed), a strict year gap
    yield cities[2], cities[3:], 1
    yield cities[1], [cities[2]], 5  # one peer: no leave-one-out sets


@pytest.mark.slow  # every focal city and gap through the straightforward loop (about 9 s); one case runs in the fast suite
def test_claim_shares_match_one_compare_per_set_of_reference_values(real):
    table, contested, pops = real
    for focal, peers, gap in cases(table):
        scored = benchmark.benchmark_table(table, focal, gap)
        fast = benchmark.claim_shares(scored, focal, peers, pops, contested=contested, max_year_gap=gap)
        slow = benchmark._claim_shares_by_compare(scored, focal, peers, pops, contested=contested, max_year_gap=gap)
        pd.testing.assert_frame_equal(fast, slow, check_exact=True, obj=f"claim_shares {focal} against {peers}, gap {gap}")
        choices = len(benchmark.CLAIM_CHOICES["polarity"]) * len(benchmark.CLAIM_CHOICES["material_gap"])
        sets = 4 * choices * (1 + (len(peers) if len(peers) > 1 else 0))
        assert set(fast["n_variants"]) <= set(range(0, sets + 1, choices))
        assert fast["n_variants"].max() == sets  # some indicator is comparable in every variant
    # No contested polarity: the neutral-polarity variants claim as the curated ones.
    focal, peers, gap = next(cases(table))
    scored = benchmark.benchmark_table(table, focal, gap)
    pd.testing.assert_frame_equal(
        benchmark.claim_shares(scored, focal, peers, pops, contested=set()),
        benchmark._claim_shares_by_compare(scored, focal, peers, pops, contested=set()),
        check_exact=True,
    )


def test_claim_shares_without_populations_or_flags(real):
    """No population (no Poisson interval) and a table without screening flags take the same paths both ways."""
    table, contested, _ = real
    focal, peers, gap = next(cases(table))
    scored = benchmark.benchmark_table(table.drop(columns=["flag", "flag_rule", "excluded"]), focal, gap)
    for pops in (None, {}):
        fast = benchmark.claim_shares(scored, focal, peers, pops, contested=contested)
        pd.testing.assert_frame_equal(fast, benchmark._claim_shares_by_compare(scored, focal, peers, pops, contested=contested), check_exact=True)


def _verdicts_match_the_loops(table, pops, chosen):
    seen = set()
    for focal, peers, gap, against in chosen:
        scored = benchmark.benchmark_table(table, focal, gap)
        compared = comparison.compare(
            scored,
            focal,
            benchmark.comparison_metadata(scored),
            against=against,
            peers=peers,
            populations=pops,
            max_year_gap=gap,
            set_aside_flagged=True,
        )
        compared = compared.join(scored[scored["city"] == focal].set_index("code")[["theme"]], on="code")
        pd.testing.assert_frame_equal(comparison.construct_verdicts(compared), comparison._construct_verdicts_loop(compared), check_exact=True)
        assert comparison.count_verdicts(compared) == comparison._count_verdicts_loop(compared)
        pd.testing.assert_frame_equal(benchmark.theme_verdicts(compared), benchmark._theme_verdicts_loop(compared), check_exact=True)
        seen |= set(compared["verdict"])
    return seen


def test_construct_and_theme_verdicts_match_the_loops_for_one_city(real):
    """The fast suite's case: the first focal city against the peer median."""
    table, _, pops = real
    focal, peers, gap = next(cases(table))
    assert _verdicts_match_the_loops(table, pops, [(focal, peers, gap, None)]) >= {"better", "worse", "level"}


@pytest.mark.slow  # the loops over every case take about 5 s
def test_construct_and_theme_verdicts_match_the_loops(real):
    """Every city focal against the peer median, two peers, and one comparison against a single city (the loops are
    slow: the other cases of claim_shares add nothing here, the verdict frame is all these functions see)."""
    table, _, pops = real
    chosen = [(*case, None) for case in cases(table)][:5] + [(*list(cases(table))[6], None)]
    chosen.append((chosen[0][0], chosen[0][1], 3, chosen[0][1][0]))
    assert _verdicts_match_the_loops(table, pops, chosen) == set(comparison.VERDICTS)  # every verdict occurred


def test_the_stand_in_and_missing_representative_cases():
    """A construct whose representative is not comparable takes its first comparable member; one without a
    representative starts from its first member; an all-not-comparable construct keeps the representative; a
    construct across two themes counts once, in the theme of its counted member."""
    rows = [
        ("X1", "X", False, "better", "t"),
        ("X2", "X", True, "not comparable", "t"),
        ("X3", "X", False, "worse", "t"),
        ("Y1", "Y", False, "not comparable", "u"),
        ("Y2", "Y", False, "level", "t"),
        ("Z1", "Z", True, "not comparable", "u"),
        ("Z2", "Z", False, "not comparable", "t"),
        ("W1", "W", True, "better", "u"),
        ("V1", "V", True, "worse", "v"),
    ]
    frame = pd.DataFrame(rows, columns=["code", "construct", "representative", "verdict", "theme"])
    fast = comparison.construct_verdicts(frame)
    pd.testing.assert_frame_equal(fast, comparison._construct_verdicts_loop(frame), check_exact=True)
    assert fast["code"].tolist() == ["X1", "Y2", "Z1", "W1", "V1"]
    assert fast["agree"].tolist() == [False, True, True, True, True]
    themes = benchmark.theme_verdicts(frame)
    pd.testing.assert_frame_equal(themes, benchmark._theme_verdicts_loop(frame), check_exact=True)
    assert themes.set_index("theme")["n_better"].to_dict() == {"t": 1, "u": 1, "v": 0}
    assert themes.set_index("theme")["n_level"].to_dict() == {"t": 1, "u": 0, "v": 0}
    assert comparison.count_verdicts(frame) == comparison._count_verdicts_loop(frame)
    assert comparison.count_verdicts(frame.iloc[:0]) == comparison._count_verdicts_loop(frame.iloc[:0])


def test_the_screening_context_is_read_again_when_a_file_changes(project_copy, monkeypatch):
    """screening_context keeps what it read for the files' exact contents: a change is read (and checked) again,
    and a caller changing what it got changes nothing for the next one."""
    from analysis.data import knowledge

    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(project_copy))
    ranges = project_copy / "data" / "raw" / "reference_ranges.csv"
    first = knowledge.screening_context()
    first["ranges"].loc[0, "low"] = -1.0
    first["countries"].clear()
    again = knowledge.screening_context()
    assert again["ranges"].loc[0, "low"] == 50.0 and again["countries"]
    ranges.write_text(ranges.read_text(encoding="utf-8").replace("EN7.3,50,1000", "EN7.3,40,1000", 1), encoding="utf-8")
    assert knowledge.screening_context()["ranges"].loc[0, "low"] == 40.0
    ranges.write_text(ranges.read_text(encoding="utf-8").replace("EN7.3,40,1000", "EN7.3,4000,1000", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="above high"):
        knowledge.screening_context()
    ranges.unlink()
    with pytest.raises((ValueError, OSError)):
        knowledge.screening_context()


# --- robustness: the rewritten pieces against the straightforward numpy/scipy ways (exactly equal) -----------------


def _rank_reference(scores):
    from scipy.stats import rankdata

    filled = np.where(np.isnan(scores), np.inf, -scores)
    return np.where(np.isnan(scores), 0, rankdata(filled, method="min", axis=-1)).astype(np.int32)


def _median_reference(scores, weights, membership):
    """The weighted median of robustness._aggregate as it was: one sort, cumulative sum and pick per theme."""
    median = np.full((len(weights), scores.shape[0], membership.shape[1], scores.shape[2]), np.nan)
    for h in range(membership.shape[1]):
        members = np.flatnonzero(membership[:, h])
        sub = scores[:, members, :]
        order = np.argsort(np.where(np.isnan(sub), np.inf, sub), axis=1)
        sorted_scores = np.take_along_axis(sub, order, axis=1)
        w_sorted = weights[:, members][:, order] * ~np.isnan(sorted_scores)[None]
        cum = np.cumsum(w_sorted, axis=2)
        total = cum[:, :, -1:, :]
        first = np.argmax(cum >= 0.5 * total - 1e-12, axis=2)
        picked = np.take_along_axis(np.broadcast_to(sorted_scores, w_sorted.shape), first[:, :, None, :], axis=2)[:, :, 0, :]
        median[:, :, h, :] = np.where(total[:, :, 0, :] > 0, picked, np.nan)
    return median


@pytest.mark.parametrize("n_cities", [1, 2, 5, robustness.PAIRWISE_RANKS_UP_TO, robustness.PAIRWISE_RANKS_UP_TO + 1])
def test_ranks_and_rank_statistics_match_scipy_and_numpy(n_cities):
    rng = np.random.default_rng(n_cities)
    scores = rng.integers(0, 4, size=(300, 6, n_cities)).astype(float)  # many ties
    scores[rng.random(scores.shape) < 0.2] = np.nan
    scores[:, 0, :] = np.nan  # a theme no city has a score on
    ranks = robustness._rank(scores)
    np.testing.assert_array_equal(ranks, _rank_reference(scores))
    assert ranks.dtype == np.int32
    variants = pd.DataFrame({"nominal": np.arange(len(ranks)) == 3})
    summary = robustness.rank_summary(ranks, [f"t{i}" for i in range(6)], [f"c{i}" for i in range(n_cities)], variants)
    masked = np.where(ranks > 0, ranks.astype(float), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = {
            "rank_median": np.nanmedian(masked, axis=0),
            "rank_p05": np.nanpercentile(masked, 5, axis=0, method="lower"),
            "rank_p95": np.nanpercentile(masked, 95, axis=0, method="higher"),
            "rank_min": np.nanmin(masked, axis=0),
            "rank_max": np.nanmax(masked, axis=0),
        }
    # rank_summary sorts by city, then theme: compare in the (theme, city) order of the arrays.
    ordered = summary.set_index(["theme", "city"]).loc[[(f"t{h}", f"c{c}") for h in range(6) for c in range(n_cities)]]
    for column, values in expected.items():
        np.testing.assert_array_equal(ordered[column].to_numpy(), values.ravel(), err_msg=column)
    np.testing.assert_array_equal(ordered["n_variants"].to_numpy(), (ranks > 0).sum(axis=0).ravel())


def test_the_weighted_median_matches_one_theme_at_a_time():
    rng = np.random.default_rng(7)
    n_ind, n_themes = 40, 6
    membership = np.zeros((n_ind, n_themes))
    membership[np.arange(n_ind), rng.integers(0, n_themes, n_ind)] = 1.0
    membership[:, 5] = 0.0
    membership[0, 5] = 1.0  # a theme of one indicator
    membership[0, :5] = 0.0
    scores = np.round(rng.normal(50, 20, size=(4, n_ind, 5)))  # ties
    scores[rng.random(scores.shape) < 0.25] = np.nan
    weights = np.vstack([np.ones(n_ind), rng.dirichlet(np.full(n_ind, 20.0), size=9) * n_ind, np.ones(n_ind) - np.eye(n_ind)[3]])
    fast = robustness._aggregate(scores, weights, membership)[:, 2]
    np.testing.assert_array_equal(fast, _median_reference(scores, weights, membership))


def test_screening_the_same_values_again_gives_the_same_flags_and_a_change_is_screened_again(real):
    """screen_values keeps its last result for the exact inputs: the same values give equal flags (a copy: changing
    it changes nothing for the next caller), changed values or curated inputs are screened again."""
    table, _, _ = real
    context = screening.screening_context()
    first = screening.screen_values(table, **context)
    first.loc[0, "rule"] = "changed by a caller"
    second = screening.screen_values(table, **context)
    assert second.loc[0, "rule"] != "changed by a caller"
    pd.testing.assert_frame_equal(second, screening._screen(table[["code", "city", "value", "raw", "unit", "year", "missing"]], **context))
    share = table.index[(table["unit"] == "%") & ~table["missing"]][0]
    changed = table.assign(value=table["value"].where(table.index != share, 140.0))
    flagged = screening.screen_values(changed, **context)
    row = table.loc[share]
    assert ((flagged["code"] == row["code"]) & (flagged["city"] == row["city"]) & (flagged["rule"] == "share_out_of_range")).any()
    assert screening.screen_values(table, **{**context, "countries": {}})["rule"].ne("country_disagreement").all()
    pd.testing.assert_frame_equal(screening.screen_values(table, **context), second)


def _assert_same_result(a: benchmark.BenchmarkResult, b: benchmark.BenchmarkResult) -> None:
    for field in ("table", "comparison", "claims", "strengths", "weaknesses", "theme_scores", "overall", "coverage", "summary"):
        pd.testing.assert_frame_equal(getattr(a, field), getattr(b, field), check_exact=True, obj=field)
    for field in ("summary", "sensitivity", "variants"):
        pd.testing.assert_frame_equal(getattr(a.robustness, field), getattr(b.robustness, field), check_exact=True, obj=field)
    np.testing.assert_array_equal(a.robustness.ranks, b.robustness.ranks)
    np.testing.assert_array_equal(a.robustness.focal_scores, b.robustness.focal_scores)


def test_the_parts_that_do_not_depend_on_the_focal_city_are_kept_and_give_what_a_fresh_run_gives():
    """scored_table (ranks, scores, theme scores, coverage) and the robustness treatments that keep every year are
    kept for the next focal city of the same data: a run after another city's equals a run from nothing, a caller
    changing its result changes nothing for the next, and changed data or parameters are computed again."""
    frame = benchmark.attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())
    cities = list(dict.fromkeys(frame["city"]))

    def fresh(*args, **kwargs):
        benchmark._LAST_SCORED.clear()
        robustness._KEPT_TREATMENTS.clear()
        return benchmark.run_benchmark(*args, **kwargs)

    first = fresh(frame, cities[0])
    first.table.loc[:, "score_minmax"] = -1.0  # a caller changing its copy
    first.theme_scores.loc[:, "score_minmax"] = -1.0
    first.coverage.loc[:, "reported"] = -1
    kept = benchmark.run_benchmark(frame, cities[1])
    assert benchmark._LAST_SCORED and robustness._KEPT_TREATMENTS
    _assert_same_result(kept, fresh(frame, cities[1]))
    # Other parameters of the kept stages: computed again, not taken from the last run.
    benchmark.run_benchmark(frame, cities[1])
    _assert_same_result(benchmark.run_benchmark(frame, cities[1], min_coverage=0.9), fresh(frame, cities[1], min_coverage=0.9))
    benchmark.run_benchmark(frame, cities[1])
    _assert_same_result(
        benchmark.run_benchmark(frame, cities[1], exclude_flagged="errors+warnings"), fresh(frame, cities[1], exclude_flagged="errors+warnings")
    )
    # Changed data: one value of another city.
    benchmark.run_benchmark(frame, cities[0])
    index = frame.index[(frame["city"] == cities[2]) & frame["value"].notna()][5]
    changed = frame.assign(value=frame["value"].where(frame.index != index, frame.loc[index, "value"] * 3))
    _assert_same_result(benchmark.run_benchmark(changed, cities[0]), fresh(changed, cities[0]))
