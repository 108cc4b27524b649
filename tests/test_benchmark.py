import html
import re

import numpy as np
import pandas as pd
import pytest

from analysis.data.cities import city_slug, resolve_city
from analysis.errors import UnknownCityError
from analysis.methods.benchmark import (
    add_vintage_flags,
    focal_summary,
    normalise_scores,
    rank_cities,
    run_benchmark,
    select_cities,
    strengths_and_weaknesses,
    theme_scores,
)
from analysis.text import benchmark as benchmark_text
from analysis.text.i18n import Lang


def frame(rows):
    """rows: (code, city, value, polarity[, year]) → a tidy indicator frame."""
    records = []
    for row in rows:
        code, city, value, polarity, *rest = row
        year = rest[0] if rest else 2016
        records.append(
            {
                "code": code,
                "theme": "T" + code[0],
                "tier": "core",
                "city": city,
                "value": np.nan if value is None else float(value),
                "unit": "%",
                "year": year,
                "missing": value is None,
                # No printed cell: the rounding of printed values is left out of these cases (it has its own tests).
                "raw": "",
                "indicator": f"indicator {code}",
                "polarity": polarity,
                # The verdict rule's metadata (indicator_metadata.csv): a material gap of 10 % of the reference.
                "material_gap": 0.10,
                "material_gap_kind": "relative",
                "construct": "",
                "construct_representative": True,
                "rate_of_events": False,
                "comparable_across_cities": True,
            }
        )
    out = pd.DataFrame(records)
    out["year"] = out["year"].astype("Int64")
    return out


def col(table, column, code="A1"):
    rows = table[table["code"] == code].set_index("city")[column]
    return {city: (None if pd.isna(v) else v) for city, v in rows.items()}


def test_rank_higher_is_better_with_ties_and_missing():
    table = rank_cities(
        frame(
            [("A1", "a", 10, "higher"), ("A1", "b", 30, "higher"), ("A1", "c", 10, "higher"), ("A1", "d", None, "higher"), ("A1", "e", 5, "higher")]
        )
    )
    assert col(table, "rank") == {"a": 2, "b": 1, "c": 2, "d": None, "e": 4}
    assert set(col(table, "n_ranked").values()) == {4}


def test_rank_lower_is_better():
    table = rank_cities(frame([("A1", "a", 10, "lower"), ("A1", "b", 30, "lower"), ("A1", "c", 20, "lower")]))
    assert col(table, "rank") == {"a": 1, "b": 3, "c": 2}


def test_neutral_indicators_are_not_ranked_or_scored():
    table = normalise_scores(rank_cities(frame([("A1", "a", 10, "neutral"), ("A1", "b", 30, "neutral")])))
    assert col(table, "rank") == {"a": None, "b": None}
    assert col(table, "n_ranked") == {"a": None, "b": None}
    assert col(table, "score_minmax") == {"a": None, "b": None}


def test_minmax_and_z_scores_are_oriented():
    table = normalise_scores(frame([("A1", "a", 10, "lower"), ("A1", "b", 20, "lower"), ("A1", "c", 40, "lower"), ("A1", "d", None, "lower")]))
    assert col(table, "score_minmax") == pytest.approx({"a": 100.0, "b": 200 / 3, "c": 0.0, "d": None})
    # oriented values -10, -20, -40: mean -70/3, sample sd sqrt(700/3)
    sd = np.sqrt(((40 / 3) ** 2 + (10 / 3) ** 2 + (50 / 3) ** 2) / 2)  # = 15.275
    z = col(table, "score_z")
    assert z["a"] == pytest.approx((-10 + 70 / 3) / sd)
    assert z["c"] == pytest.approx((-40 + 70 / 3) / sd)
    assert z["d"] is None


def test_normalisation_with_equal_values_or_one_city():
    # The twelfth reading: rows every city prints alike were scored 50 for all and entered the theme means; they tell
    # no city apart, so they are not scored (as they are not ranked).
    equal = normalise_scores(frame([("A1", "a", 7, "higher"), ("A1", "b", 7, "higher")]))
    assert col(equal, "score_minmax") == {"a": None, "b": None}
    assert col(equal, "score_z") == {"a": None, "b": None}
    single = normalise_scores(frame([("A1", "a", 7, "higher"), ("A1", "b", None, "higher")]))
    assert col(single, "score_minmax") == {"a": None, "b": None}
    assert col(single, "score_z") == {"a": None, "b": None}


def test_theme_score_respects_min_coverage():
    rows = [
        ("A1", "a", 1, "higher"),
        ("A1", "b", 2, "higher"),
        ("A2", "a", None, "higher"),
        ("A2", "b", 5, "higher"),
        ("A3", "a", None, "higher"),
        ("A3", "b", 1, "higher"),
        ("A4", "a", 3, "neutral"),
        ("A4", "b", 4, "neutral"),
    ]
    table = normalise_scores(rank_cities(frame(rows)))
    scores = theme_scores(table, min_coverage=0.5).set_index("city")
    assert scores.at["a", "coverage"] == pytest.approx(1 / 3)  # neutral A4 does not count
    assert np.isnan(scores.at["a", "score_minmax"]) and not scores.at["a", "scored"]
    assert scores.at["b", "score_minmax"] == pytest.approx(100)  # A2 and A3: b alone reports them, no score
    low_bar = theme_scores(table, min_coverage=0.3).set_index("city")
    assert low_bar.at["a", "score_minmax"] == 0.0


def test_year_gap_flags():
    table = add_vintage_flags(
        frame([("A1", "a", 1, "higher", 2016), ("A1", "b", 2, "higher", 2012), ("A1", "c", 3, "higher", 2013), ("A1", "d", 3, "higher", None)]),
        "a",
        3,
    )
    assert col(table, "year_gap") == {"a": 0, "b": 4, "c": 3, "d": None}
    assert col(table, "year_flag") == {"a": "", "b": "gap", "c": "", "d": "no year"}


def test_focal_summary_gap_to_peer_median():
    table = normalise_scores(
        rank_cities(frame([("A1", "a", 10, "lower"), ("A1", "b", 20, "lower"), ("A1", "c", 40, "lower"), ("A1", "d", None, "lower")]))
    )
    table = add_vintage_flags(table, "a", 3)
    row = focal_summary(table, "a").iloc[0]
    assert row["peer_median"] == 30 and row["gap_to_peer_median"] == -20
    assert bool(row["better_than_median"]) is True
    assert row["n_peers_reporting"] == 2


def test_strengths_and_weaknesses_order_and_sign():
    rows = []
    # Peers never print the same value here: the screening flags that (same_value) and a flagged peer value
    # leaves the peer median.
    for code, values in {"A1": (9, 1, 2), "A2": (1, 9, 8), "A3": (5, 5, 5), "A4": (6, 5, 4)}.items():
        rows += [(code, city, v, "higher") for city, v in zip("abc", values)]
    result = run_benchmark(frame(rows), "a", screening_context=EMPTY_CONTEXT, populations={}, n_variants=288)
    # A1: gap 7.5 = 50 material gaps of 0.15 (10 % of the median 1.5); A4: gap 1.5 vs material gap 0.45 (3.3 of them).
    assert list(result.strengths["code"]) == ["A1", "A4"]
    assert result.strengths["gap_multiple"].round(2).tolist() == [50.0, 3.33]
    assert list(result.weaknesses["code"]) == ["A2"]  # A3 is level: neither


def test_a_construct_is_one_strength_with_its_representative_stated():
    rows = []
    for code, values in {"A1": (9, 1, 2), "A2": (9, 2, 3), "A3": (9, 1, 2)}.items():
        rows += [(code, city, v, "higher") for city, v in zip("abc", values)]
    table = frame(rows)
    table["construct"] = np.where(table["code"].isin(["A1", "A2"]), "enrolment", "")
    table["construct_representative"] = table["code"] != "A1"  # A2 represents the construct, A3 stands alone
    result = run_benchmark(table, "a", screening_context=EMPTY_CONTEXT, populations={}, n_variants=288)
    assert sorted(result.strengths["code"]) == ["A2", "A3"]  # fires: A1 and A2 are one strength
    assert result.strengths.set_index("code").at["A2", "members"] == "A1; A2"
    assert result.counts["better"] == 2 and result.counts["constructs"] == 2
    alone = run_benchmark(frame(rows), "a", screening_context=EMPTY_CONTEXT, populations={}, n_variants=288)
    assert sorted(alone.strengths["code"]) == ["A1", "A2", "A3"]  # silent: three indicators standing alone


def test_a_rare_event_gap_within_poisson_noise_is_no_weakness():
    rows = []
    for code, values in {"A1": (2.02, 1.0, 1.3, 1.4), "A2": (30.3, 10.0, 13.0, 14.0), "A3": (20.2, 10.0, 13.0, 14.0)}.items():
        rows += [(code, city, v, "lower") for city, v in zip("abcd", values)]
    table = frame(rows)
    table["unit"] = "per 100 000"
    table["rate_of_events"] = True
    populations = {city: 198_000 for city in "abcd"}
    result = run_benchmark(table, "a", screening_context=EMPTY_CONTEXT, populations=populations, n_variants=288)
    verdicts = result.comparison.set_index("code")["verdict"]
    assert verdicts["A1"] == "level"  # fires: about 4 events against about 3 (the median's count), p = 1
    assert verdicts["A2"] == "worse"  # silent: about 60 events against about 26, p < 0.001
    # Fires, where a test of one interval stayed silent: about 40 events against about 26 is p = 0.11, although
    # 26 lies outside the 95 % interval of 40 (28.6-54.5): the two counts are both noisy.
    assert verdicts["A3"] == "level"
    assert list(result.weaknesses["code"]) == ["A2"]
    assert result.weaknesses.at[0, "implied_events"] == 60


def test_resolve_city_and_unknown_city():
    assert resolve_city("gdynia", ["Kielce", "Gdynia"]) == "Gdynia"
    assert city_slug("Bielsko-Biała") == "bielsko-biala"
    with pytest.raises(UnknownCityError, match="known cities: Kielce, Gdynia"):
        resolve_city("Warsaw", ["Kielce", "Gdynia"])


def test_select_cities_with_peers_and_themes():
    table = frame([("A1", "a", 1, "higher"), ("A1", "b", 2, "higher"), ("A1", "c", 3, "higher"), ("B1", "a", 1, "higher")])
    selected, focal, peers = select_cities(table, "a", peers=["c"], themes=["TA"])
    assert focal == "a" and peers == ["c"] and set(selected["city"]) == {"a", "c"} and set(selected["theme"]) == {"TA"}
    with pytest.raises(ValueError, match="unknown theme"):
        select_cities(table, "a", themes=["nope"])


# The old quality_flags test moved to tests/test_screening.py: flags are now rules with
# ids and severities (share_out_of_range, same_value, no_year, ...).


EMPTY_CONTEXT = {
    "relations": pd.DataFrame(columns=["relation", "code", "other", "group", "reason", "line"]),
    "review": pd.DataFrame(columns=["code", "polarity_confidence", "confidence_reason", "label_note", "label_note_pl"]),
    "countries": {},
}


def test_all_equal_rows_are_not_ranked_and_first_place_is_alone_or_shared():
    table = rank_cities(
        frame(
            [
                ("A1", "a", 5, "higher"),
                ("A1", "b", 5, "higher"),
                ("A1", "c", 5, "higher"),
                ("A2", "a", 9, "higher"),
                ("A2", "b", 9, "higher"),
                ("A2", "c", 1, "higher"),
                ("A3", "a", 9, "higher"),
                ("A3", "b", 2, "higher"),
                ("A3", "c", 1, "higher"),
            ]
        )
    )
    assert col(table, "rank", "A1") == {"a": None, "b": None, "c": None}
    assert col(table, "first_place", "A2") == {"a": "shared", "b": "shared", "c": ""}
    assert col(table, "first_place", "A3") == {"a": "alone", "b": "", "c": ""}


def test_excluded_values_are_not_ranked_or_scored():
    rows = frame([("A1", "a", 10, "higher"), ("A1", "b", 30, "higher"), ("A1", "c", 20, "higher")])
    rows["excluded"] = rows["city"] == "b"
    table = normalise_scores(rank_cities(rows))
    assert col(table, "rank") == {"a": 2, "b": None, "c": 1}
    assert col(table, "score_minmax") == {"a": 0.0, "b": None, "c": 100.0}


def test_each_indicator_has_its_own_material_gap():
    rows = []
    # Both peers at least 2 below (beyond most peers by the material gap, the fifteenth session: 50.5 left 1.5).
    for code, values in {"A1": (52, 49.5, 50.0), "A2": (52, 49.5, 50.0)}.items():
        rows += [(code, city, v, "higher") for city, v in zip("abc", values)]
    table = frame(rows)
    table.loc[table["code"] == "A2", ["material_gap", "material_gap_kind"]] = [2.0, "absolute"]
    result = run_benchmark(table, "a", screening_context=EMPTY_CONTEXT, populations={}, n_variants=288)
    verdicts = result.comparison.set_index("code")["verdict"]
    assert verdicts["A1"] == "level"  # silent: 2 points under 10 % of 50
    assert verdicts["A2"] == "better"  # fires: 2 points is this indicator's material gap


def test_flagged_values_are_never_strengths():
    """Before: a value flagged warning was listed as a strength with its marker (TR18.2 was Kielce's first)."""
    rows = []
    for code, values in {"A1": (9, 1, 1), "A2": (8, 1, 1), "A3": (7, 1, 1)}.items():
        rows += [(code, city, v, "higher") for city, v in zip("abc", values)]
    table = frame(rows)
    table["flag"] = np.where(table["code"] == "A2", "warning", np.where(table["code"] == "A3", "error", ""))
    table["excluded"] = table["flag"] == "error"
    table = add_vintage_flags(normalise_scores(rank_cities(table)), "a", 3)
    from analysis.methods.benchmark import comparison_table

    compared = comparison_table(table, "a", ["b", "c"], {})
    strengths, _ = strengths_and_weaknesses(compared, focal_summary(table, "a"), top_n=5)
    assert list(strengths["code"]) == ["A1"]  # silent on the unflagged A1
    assert compared.set_index("code").loc[["A2", "A3"], "verdict"].tolist() == ["not comparable", "not comparable"]


@pytest.mark.parametrize(
    "given, message",
    [
        ({"exclude_flagged": "some"}, "parameter exclude_flagged='some': expected one of: none, errors, errors+warnings"),
        ({"lang": "de"}, "parameter lang='de': expected one of: pl, en"),
        ({"n_variants": 0}, "parameter n_variants=0: expected a whole number from 1 to 20000"),
        # The same model refuses NaN and inf in the library as before the kernel starts.
        ({"min_coverage": float("nan")}, "parameter min_coverage=nan: expected a number from 0 to 1"),
        ({"min_coverage": float("inf")}, "parameter min_coverage=inf: expected a number from 0 to 1"),
    ],
)
def test_invalid_parameters_fail_with_one_line_naming_the_allowed_values(given, message):
    from analysis.errors import ParameterError
    from analysis.params import BenchmarkParams

    with pytest.raises(ParameterError) as caught:
        BenchmarkParams.check(given)
    assert str(caught.value) == message
    with pytest.raises(ValueError) as caught:  # the library checks with the same model, before any work
        run_benchmark(frame([("A1", "a", 1.0, "higher")]), "a", screening_context=EMPTY_CONTEXT, **given)
    assert str(caught.value) == message


def test_the_benchmark_input_must_carry_the_material_gaps():
    """No silent default: a frame without indicator_metadata's comparison columns is refused in one line."""
    rows = frame([("A1", "a", 10.0, "higher"), ("A1", "b", 1.0, "higher")]).drop(columns=["material_gap"])
    with pytest.raises(ValueError, match="^the benchmark input lacks material_gap; join indicator_metadata.csv"):
        run_benchmark(rows, "a", screening_context=EMPTY_CONTEXT, populations={}, n_variants=288)


def test_a_peer_list_with_the_focal_city_is_refused():
    """Before: run_benchmark(frame, "a", peers=["a", "b"]) quietly dropped "a" from its peers."""
    from analysis.errors import ParameterError

    with pytest.raises(ParameterError, match=r"^parameter peers=\['A', 'b'\]: the focal city a is not its own peer"):
        run_benchmark(frame([("A1", "a", 1.0, "higher")]), "a", peers=["A", "b"], screening_context=EMPTY_CONTEXT)


def test_run_benchmark_on_the_real_data_knows_kielce(kielce_benchmark):
    result = kielce_benchmark  # straight from data/raw (a fresh clone has no processed data yet)
    summary = result.summary.set_index("code")
    # Kielce's poverty rate (3.6 %, the lowest of the five) is doubtful (⚠): left out of ranks and scores, as of the
    # verdicts (a sceptical reading: it scored 100 in the overall ranking while the page said no doubtful value counted).
    # Poverty is no longer ranked for any city (each country's own poverty line: not comparable); Kielce's energy use of
    # public buildings (13.96 kWh/m², outside its reference range) is left out of the ranks of the three others.
    assert summary.at["EC5.3", "flag"] == "warning" and summary.at["EC5.3", "excluded"]
    assert pd.isna(summary.at["EC5.3", "rank"]) and pd.isna(summary.at["EC5.3", "n_ranked"])
    assert summary.at["EN7.3", "excluded"] and pd.isna(summary.at["EN7.3", "rank"]) and summary.at["EN7.3", "n_ranked"] == 3
    # Highest unemployment among the reporting cities is Porto (17.6 %); Kielce 7.7 % is third.
    assert summary.at["EC5.1", "rank"] == 3
    assert pd.isna(summary.at["TV17.3", "rank"])  # landlines: neutral
    downloads = benchmark_text.downloads(result)["benchmark-kielce.csv"]
    assert list(downloads.columns[:9]) == ["code", "theme", "city", "value", "year", "rank", "n_ranked", "score_minmax", "score_z"]
    assert len(downloads) == 500
    assert {"flag", "excluded"} <= set(downloads.columns)
    flags = result.quality_flags
    assert ((flags["code"] == "EN7.1") & (flags["city"] == "Eindhoven") & (flags["rule"] == "same_value")).any()
    # A gross survival rate may exceed 100 % (Oakville 118.53 %): no share_out_of_range error (a sceptical reading).
    assert not ((flags["code"] == "ED6.2") & (flags["city"] == "Oakville") & (flags["rule"] == "share_out_of_range")).any()
    assert list(benchmark_text.downloads(result)["benchmark-kielce-quality-flags.csv"].columns) == [
        "code",
        "city",
        "value",
        "raw",
        "rule",
        "severity",
        "message",
        "unit",
        "other",
        "amount",
    ]


def test_headline_counts_by_hand():
    from analysis.text.benchmark import headline
    from analysis.text.i18n import Lang

    rows = []
    # A1: a alone first; A2: a worst; A3: only a reports (no comparison); A4: neutral; A5: all equal;
    # A6: a shares first with b
    for code, values, polarity in [
        ("A1", (9, 5, 1), "higher"),
        ("A2", (9, 5, 1), "lower"),
        ("A3", (4, None, None), "higher"),
        ("A4", (1, 2, 3), "neutral"),
        ("A5", (2, 2, 2), "higher"),
        ("A6", (7, 7, 1), "higher"),
    ]:
        rows += [(code, city, v, polarity) for city, v in zip("abc", values)]
    result = run_benchmark(frame(rows), "a", screening_context=EMPTY_CONTEXT, populations={}, n_variants=288)
    text = headline(result, Lang("en"))
    # A1 better and A2 worse (gaps of 6 against a material gap of 0.3); A3 has no peer value, A4 is neutral,
    # and A5 and A6 print the same value as another city (same_value warnings): doubtful, so not comparable.
    assert result.comparison.set_index("code").loc[["A5", "A6"], "flag"].tolist() == ["warning", "warning"]
    assert result.counts == {
        "better": 1,
        "worse": 1,
        "level": 0,
        "not comparable": 4,
        "compared": 2,
        "constructs": 6,
        "better_debatable": 0,
        "worse_debatable": 0,
    }
    assert "of 2 comparable indicators it is clearly better than the peer median on 1, clearly worse on 1 and level with it on none of them" in text
    # None in words, in Polish too (a Polish reader: "w 0 miasto ma wartość wyraźnie lepszą").
    polish = headline(result, Lang("pl"))
    assert (
        "Spośród 2 porównywalnych wskaźników: wartość wyraźnie lepsza od mediany miast odniesienia – w 1, wyraźnie gorsza – w 1, bez wyraźnej różnicy – w żadnym."
        in polish
    )
    assert " w 0 " not in polish
    assert "4 more cannot be compared" in text
    # Two comparable indicators in one theme: too few for a theme verdict, and the headline says so.
    assert "In no theme with at least 3 comparable indicators is it clearly better or clearly worse on most of them." in text
    # Ranks and min-max scores left the headline (they stay in the details).
    assert "first place" not in text and "score" not in text


def test_a_theme_verdict_needs_three_comparable_indicators():
    rows = []
    for code, values in [("A1", (9, 1, 2)), ("A2", (9, 1, 2.5)), ("A3", (9, 2, 3)), ("B1", (9, 1, 2)), ("B2", (9, 1, 2.5))]:
        rows += [(code, city, v, "higher") for city, v in zip("abc", values)]
    result = run_benchmark(frame(rows), "a", screening_context=EMPTY_CONTEXT, populations={}, n_variants=288)
    verdicts = result.theme_verdicts.set_index("theme")
    assert verdicts.at["TA", "verdict"] == "better" and verdicts.at["TA", "n_better"] == 3  # fires: 3 of 3
    assert verdicts.at["TB", "verdict"] == "too few" and verdicts.at["TB", "n_better"] == 2  # silent: only 2 comparable
    themes = result.theme_scores.set_index(["theme", "city"])
    assert themes.at[("TA", "a"), "verdict"] == "better" and themes.at[("TA", "b"), "verdict"] == ""
    from analysis.text.benchmark import headline
    from analysis.text.i18n import Lang

    assert "Clearly better on most of the comparable indicators of: **TA**" not in headline(result, Lang("en"))
    assert (
        "Clearly better on most of the comparable indicators of the theme TA (a theme is judged with at least 3 comparable indicators)."
        in headline(result, Lang("en"))
    )


@pytest.fixture(scope="module")
def kielce(kielce_benchmark):
    return kielce_benchmark


def test_kielce_headline_numbers_are_pinned(kielce):
    from analysis.text.benchmark import headline, scores_note, top_claims
    from analysis.text.i18n import Lang

    english = headline(kielce, Lang("en"))
    # Issue 16: one verdict rule (each indicator's material gap, each construct once, no flagged value,
    # beyond Poisson noise). Before: 23 better, 24 worse, 19 level of 66 under one 10 % rule, counting the
    # three school-enrolment indicators three times; now 92 constructs (100 indicators), 63 comparable.
    # After a sceptical reading: a median needs 3 unflagged peer values and a claim the city beyond most of them
    # (before: 12 better, 16 worse, 35 level, 29 not comparable of 63).
    # And values outside a reference range (reference_ranges.csv: EN7.3, EN7.6, Oakville's HL12.7) are doubtful;
    # Kielce's poverty share (3.6 %, under Poland's extreme-poverty rate: another poverty line than its peers') too.
    # Road deaths (TR18.8: about 6 against Gdynia's about 1) are no longer a same-country disagreement: level.
    # The fifth reading: mobile connections (national SIM counts), high-capacity transit (which modes count) and
    # school enrolment (a gross ratio that counts pupils from surrounding communes) are defined too differently
    # between cities to compare; the pupil/teacher ratio is an input (neutral); potable water (WS21.1 worse,
    # WS21.2 level) is a construct whose members disagree: level (before: 8 better, 10 worse, 35 level of 53).
    # The sixth reading: emergency response time (FR10.5) rested on Gdynia's and Oakville's copies of their fire
    # brigade's time (5 and 5, 5.78 and 5.78: indicator_relations.csv, distinct_quantities): two peers left, not comparable.
    # The seventh: noise exposure (EV8.7: thresholds and noise-map sources differ; Gdynia 4.2 %, Kielce 23.9 %) and
    # own-source revenue (FN9.3: national fiscal design) are defined too differently between cities to compare.
    # The eighth: Oakville's 15.5 public transport trips per resident (a car-oriented suburb) lies inside the named
    # reference range of TR18.3 and is no outlier: kept in the median (215), Kielce's 177 is level.
    # The eleventh: under-five mortality (HL12.4: Kielce 1.14 and Gdynia 1.21 per 1 000 live births, under every EU
    # country's rate: reference_ranges.csv) and the source's label of SF14.2 ("crimes against life", wider than
    # homicides) are doubtful: both to verify, not comparable.
    # The twelfth: greenhouse-gas inventories (EV8.3: scopes, grid emission factors, industry in the boundary) are not
    # harmonised between cities: not comparable, like noise exposure.
    # The fourteenth: potable water supply (WS21.1: residents served) and an improved source (WS21.2: wells count) are
    # compared each on its own (98.1 % served is worse, not a disagreement made level); fewer cars and less waste per
    # resident (TR18.4, SW16.2) are of contested direction, like household water use: counted, but no theme's verdict.
    # The sixteenth (an analyst of the tenth session): sewer access printed "97 %" against a median of 99.09, a gap of
    # 2.09 against a material 2, may be 1.34 within the rounding of the printed values: level, not a weakness.
    # The seventeenth (an analyst of the thirteenth session): improved sanitation (WS21.3) is reported as the sewer share by
    # Gdynia (95 % against 94.9 %) and with septic tanks by the others (Kielce 99.88 % against 97 %): not comparable.
    # The eighteenth (the same analyst): registered voters (automatic registers: a share of denominators), green area (the
    # Polish "tereny zieleni" leave forests out) and the Polish youth "unemployment rates" (8.5 % where Poland's is about
    # 18 %: the share of under-25s among the registered unemployed) are defined differently between cities; so are renewable
    # energy (electricity or all energy, local or the grid) and the debt service ratio (own-source revenue as denominator;
    # the second analyst of the fourteenth session).
    # The nineteenth (the second analyst's left-overs): outdoor recreation space (what counts is left to each city; Porto's
    # 1.7 m² is less than one of its parks), homelessness (one-night counts against counts over a year) and poverty
    # (ISO 37120 counts residents below each country's own line; Porto's 18.7 % is Portugal's rate) are not compared; nor are
    # internet connections (one a household: Oakville's 34 908 per 100 000 is its 34 195 households per 100 000), nor tax
    # collection (national tax administration; no Polish peer value: the third analyst of the fifteenth session). The
    # twentieth (the same analyst): beyond most peers by the material gap, not by any amount: NO₂ (1.3 above Eindhoven's, under
    # a material gap of 5), waste and cars per resident are level.
    # The twenty-first (an analyst of the seventeenth session): police-recorded property and violent crime (SF14.3, SF14.5)
    # follow each country's penal code and recording rules (Eurostat advises against comparing their levels between
    # countries): not compared. Kielce's property crime was level; its violent crime, set aside as doubtful, was not compared already.
    assert kielce.counts == {
        "better": 1,
        "worse": 2,
        "level": 30,
        "not comparable": 60,
        "compared": 33,
        "constructs": 93,
        "better_debatable": 1,
        "worse_debatable": 0,
    }
    # The gaps of debatable direction counted apart (editors and officials of three sessions: "clearly better on 3"
    # here beside "no strengths were found" in the box; all three are of debatable direction).
    assert (
        "Counting once the indicators that measure the same thing, of 33 comparable indicators it is clearly better than the "
        "peer median on none of them, clearly worse on 2, clearly different on 1 whose better direction is debatable, and level with it on 30"
    ) in english
    assert ("On “Total domestic water consumption per capita”, which direction is better is debatable") in english
    assert (
        "60 more cannot be compared" in english
        and "The remaining 7 measure what other indicators already count." in english
        and "definitions that differ between cities" in english
    )
    # The sixth reading: Environment was "clearly worse on most" in 24 of the 80 variants (two of its three worse
    # indicators hold in half of them); a theme's majority now counts only claims of at least medium confidence.
    # The eighth: a confidence-filtered "mixed" sat beside 3 of 4 worse; the verdict is the plain majority again and the
    # box says how many of them are firm.
    # Environment is partly worse since NO₂ is level (beyond most peers by the material gap: the fifteenth session).
    assert "Clearly worse on most" not in english
    assert "Holding in at least two thirds of the variants of the calculation (medium or high confidence): strengths 0, weaknesses 1." in english
    # The seventh reading: "level on 35" mixed small gaps with constants, chance and no majority of peers.
    assert (
        # 25 since a gap is taken less the rounding of the printed values (sewer access printed "97 %", 2.09 against 2).
        "What “level” covers: a gap smaller than the smallest that matters – 16; the same value in every city – 7; a difference within the "
        "chance variation of a few events – 3; beyond the peer median but not beyond most peers by that much – 4; measures of one thing that disagree – 0."
    ) in english
    assert kielce.theme_verdicts.set_index("theme").at["Environment", "verdict"] == "partly worse"
    assert "Clearly better on most" not in english
    # Min-max theme scores, the overall rank and first places left the headline (kept in the details).
    assert "score" not in english and "rank" not in english and "first place" not in english
    details = scores_note(kielce, Lang("en"))
    assert "strongest" not in details and "weakest" not in details
    # The eleventh: constructs scored once and no 0 against 100 for cities closer together than what matters.
    # 2 and 5 since outdoor recreation, homelessness and poverty are not compared either (1 and 5 before; the fifteenth session).
    # 2 and 5 again once the themes of at least three ranked indicators count only indicators that tell the cities apart (3
    # and 5 while TR18.2 alone was no longer compared: the seventeenth session).
    assert "its rank is 4 of 5 cities; in at least 90% of the variants of the ranking it lies between 2 and 5" in details
    # Once the values to verify are set aside (an English editor: the charts show trees planted from 56 to 11 226).
    assert "the cities, once the values to verify are set aside, lie closer together than the smallest difference that matters for each" in details
    assert "“Percentage of city population living in slums”" in details and "7 second measures are left out" in details
    # Rates of rare events that separate no two cities beyond chance are not ranked (the sixth reading).
    assert "“Transportation fatalities per 100 000 population” are rates of rare events" in details
    # The fifteenth: four shares of one whole cannot all be right, not each (incineration 0.04 % is plausible alone).
    assert (
        "left out 8 values that cannot be right as printed, each alone or, for shares of one whole, all together, and also left out 42 doubtful"
        in english
    )
    polish = headline(kielce, Lang("pl"))
    assert (
        # "w żadnym", not "w 0" (an editor, in the box's counts).
        "Spośród 33 porównywalnych wskaźników: wartość wyraźnie lepsza od mediany miast odniesienia – w żadnym, wyraźnie gorsza – w 2, "
        "wyraźnie inna, ale o dyskusyjnym kierunku oceny – w 1, bez wyraźnej różnicy – w 30."
    ) in polish
    # "Kolejnych", and the seven second measures said, so the counts add up to 100 (a Polish editor of the fifteenth session).
    assert (
        "Kolejnych 60 wskaźników nie można porównać" in polish and "Pozostałych 7 wskaźników to dodatkowe miary zjawisk już uwzględnionych." in polish
    )
    assert "miasto ma w obszarze „Środowisko”" not in polish
    assert "najwyżej oceniony" not in scores_note(kielce, Lang("pl"))
    # 23 takes the 2–4 form in Polish ("wartości wątpliwe"), 12 the many form.
    assert "wyłączono 8 wartości, które" in polish and "i wyłączono też 42 wartości wątpliwe (⚠)." in polish
    # A Polish editor: "na tle miast: Eindhoven, Gdynia…" (nominatives after a colon); declined instead.
    # How many of the 100 could be compared, in the first sentence (a Polish editor of the seventeenth session: "porównanie
    # według 100 wskaźników" where 34 could be).
    assert polish.startswith("**Kielce** na tle Eindhovenu, Gdyni, Oakville i Porto: spośród 100 wskaźników ISO 37120 porównać można było 33.")
    # The issue's fragile claims: TR18.2 (doubtful, ⚠) is no strength at all now; the three enrolment indicators
    # are one strength at most; TR18.9 (implausible for all reporting cities) is neither ranked nor scored.
    assert "TR18.2" not in set(kielce.strengths["code"]) and (kielce.strengths["flag"] == "").all() and (kielce.weaknesses["flag"] == "").all()
    assert kielce.comparison.set_index("code").at["TR18.2", "verdict"] == "not comparable"
    assert len({"ED6.1", "ED6.5", "ED6.6"} & set(kielce.strengths["code"])) <= 1
    assert "SH15.1" not in set(kielce.weaknesses["code"])
    tr189 = kielce.table[kielce.table["code"] == "TR18.9"]
    assert tr189.loc[~tr189["missing"], "excluded"].all() and tr189["rank"].isna().all()
    # Ordered by the gap in multiples of the indicator's material gap.
    # Gone after a sceptical reading: WW20.5 (100 % tied with two peers, above a midpoint median of 50), SW16.10 and
    # EN7.7 (two peer values, the SW16.10 ones flagged), TR18.7 (the middle city of five).
    # EN7.3 (13.96 kWh/m2, outside its reference range) and HL12.7 (against Oakville's 1.68) are doubtful now;
    # so is EC5.3 (3.6 % in poverty: under Poland's extreme-poverty rate, another line than the peers').
    # The fifth reading: TV17.2, ED6.6 and TR18.1 are not comparable between cities, WS21.1 is a construct whose
    # members disagree (tested on constructed data in tests/test_comparison.py).
    # Not waste and cars (SW16.2, TR18.4): beyond most peers by their material gaps in too few variants (the fifteenth session).
    assert list(kielce.strengths["code"]) == ["WS21.4"]
    # Not sewer access (WW20.1): 2.09 points against a material 2 lies within the rounding of "97 %" (an analyst).
    # Not tax collection (FN9.4) since the fifteenth session: national tax administration, no Polish peer value.
    assert list(kielce.weaknesses["code"]) == ["HL12.1", "EV8.1"]
    assert kielce.comparison.set_index("code").at["TR18.3", "verdict"] == "level"
    # The strengths table's median is the verdict's (Eindhoven's doubtful 119 l set aside): 128.7 as in the theme table.
    assert kielce.strengths.set_index("code").at["WS21.4", "peer_median"] == kielce.comparison.set_index("code").at["WS21.4", "peer_median"]
    verdicts = kielce.comparison.set_index("code")
    assert verdicts.at["FR10.5", "verdict"] == "not comparable"
    assert (verdicts.loc[["TV17.2", "TR18.1", "ED6.1", "ED6.5", "ED6.6", "ED6.4"], "verdict"] == "not comparable").all()
    # The fifteenth: served by the public water supply takes the smallest gap of served by wastewater collection
    # (2 points, WW20.1): 98.1 % against 100 % is level (residents off the network, 100 % with an improved source).
    assert verdicts.at["WS21.1", "verdict"] == "level" and verdicts.at["WS21.2", "verdict"] == "level"
    assert verdicts.at["WS21.1", "material_gap"] == verdicts.at["WW20.1", "material_gap"] == 2
    theme_verdicts = kielce.theme_verdicts.set_index("theme")
    # Transportation level since cars per resident are (beyond most peers by the material gap: the fifteenth session).
    assert theme_verdicts.at["Transportation", "verdict"] == "level" and theme_verdicts.at["Water and sanitation", "verdict"] == "debatable"
    # The firmest first: tax collection and fine dust held in every variant. Life expectancy held in 75 % while a
    # variant's median could be one city (Gdynia's 78.5 alone, or Eindhoven's); with two at least, in 60 %: left out.
    # Tax collection is not compared since the fifteenth session.
    assert list(top_claims(kielce, Lang("en"), "weakness")["Indicator"].str[:20]) == ["Fine particulate mat"]
    assert kielce.claims.set_index("code").at["HL12.1", "weakness"] == 0.5  # 0.6 before the material margin over most peers


def test_downloads_are_language_independent(kielce):
    downloads = benchmark_text.downloads(kielce)
    robustness = downloads["benchmark-kielce-robustness.csv"]
    assert list(robustness.columns[:7]) == ["city", "theme", "rank_nominal", "rank_median", "rank_p05", "rank_p95", "n_variants"]
    assert "share_rank_1" in robustness.columns and "overall" in set(robustness["theme"])
    strengths = downloads["benchmark-kielce-strengths.csv"]
    assert list(strengths.columns) == [
        "kind",
        "code",
        "value",
        "peer_median",
        "gap",
        "score_z",
        "flag",
        "robust_share",
        "ranked_share",
        "direction_contested",
    ]
    # Fewer cars, less waste and water: listed among the strengths by the verdict rule, marked as of debatable direction
    # (the Polish workbook called them "mocna strona" beside the page's "debatable": an editor).
    # Water alone since waste and cars are level (beyond most peers by the material gap: the fifteenth session).
    assert set(strengths.loc[strengths["direction_contested"], "code"]) == {"WS21.4"}
    assert strengths.loc[strengths["direction_contested"], "kind"].eq("strength").all()
    assert set(strengths["kind"]) == {"strength", "weakness"}
    assert strengths["robust_share"].between(0, 1).all()


def test_md_escape_neutralises_markdown_and_html():
    from analysis.text.benchmark import md_escape

    assert md_escape("St. <b>Anna</b> & *Co*_1") == "St\\. &lt;b&gt;Anna&lt;/b&gt; &amp; \\*Co\\*\\_1"


@pytest.mark.slow  # papermill starts a kernel
def test_the_notebook_runs_in_polish_with_non_default_parameters(project_copy):
    """The report itself, on other parameters: Polish, warnings left out, a small grid."""
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import run_cli

    assert run_cli(project_copy, "data").returncode == 0
    output = project_copy / "out.ipynb"
    env = {**os.environ, "KIELCE_PROJECT_ROOT": str(project_copy)}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(project_copy / "notebooks" / "benchmark.ipynb"),
            str(output),
            "-p",
            "lang",
            "pl",
            "-p",
            "exclude_flagged",
            "errors+warnings",
            "-p",
            "n_variants",
            "288",
            "-p",
            "focal_city",
            "gdynia",
        ],
        cwd=project_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    cells = json.loads(output.read_text(encoding="utf-8"))["cells"]
    shown = "".join("".join(o.get("data", {}).get("text/markdown", "")) for c in cells for o in c.get("outputs", []))
    assert "W poniższym zestawieniu każdy wskaźnik przeliczono na skalę od 0" in shown and "wariantów rankingu" in shown
    assert "## Wrażliwość miejsc w rankingu na założenia obliczeń" in shown


@pytest.mark.parametrize(
    "count, polish, english",
    [
        (1, "oznaczono 1 wartość wątpliwą (⚠).", "marked 1 doubtful value (⚠)."),
        (3, "oznaczono 3 wartości wątpliwe (⚠).", "marked 3 doubtful values (⚠)."),
        (5, "oznaczono 5 wartości wątpliwych (⚠).", "marked 5 doubtful values (⚠)."),
        (22, "oznaczono 22 wartości wątpliwe (⚠).", "marked 22 doubtful values (⚠)."),
    ],
)
def test_headline_declines_the_number_of_doubtful_values(count, polish, english):
    """Before: "oznaczyła 23 wartości wątpliwych" and "marked 1 doubtful ones" for every count."""
    from analysis.text.i18n import Lang

    # The message of templates/benchmark-headline.md.j2 ({% trans %} placeholders are %(name)s).
    forms = ("and marked %(n)s doubtful value (⚠).", "and marked %(n)s doubtful values (⚠).")
    assert (Lang("pl").plural_form(*forms, count) % {"n": count}).endswith(polish)
    assert (Lang("en").plural_form(*forms, count) % {"n": count}).endswith(english)


def test_the_scores_note_names_no_strongest_or_weakest_theme_by_min_max_score():
    """A sceptical reading: "Shelter is the weakest theme" of Kielce rested on 0.12 % of residents in slums scaled to 0
    of 100 against 0 % elsewhere. The min-max note says what the scores are and gives the overall rank's range; the
    theme verdicts (material gaps) say which themes are better or worse."""
    from analysis.text.benchmark import scores_note
    from analysis.text.i18n import Lang

    rows = []
    for code, values in [("A1", (9, 5, 1)), ("A2", (8, 6, 2)), ("B1", (1, 5, 9)), ("B2", (2, 6, 8))]:
        rows += [(code, city, v, "higher") for city, v in zip("abc", values)]
    result = run_benchmark(frame(rows), "a", screening_context=EMPTY_CONTEXT, n_variants=288)
    text = scores_note(result, Lang("en"))
    # Oriented: 0 the worst, 100 the best (an editor: "the lowest … the highest" is wrong for PM2.5, where the chart's
    # legend says "100 – the best").
    assert text.startswith("The scores below scale each indicator from 0 (the worst result among the cities) to 100 (the best)")
    assert "od 0 (najsłabszy wynik wśród miast) do 100 (najlepszy)" in scores_note(result, Lang("pl"))
    assert "strongest" not in text and "weakest" not in text and "**TA**" not in text and "**TB**" not in text
    assert "its rank is" in text and "of the variants of the ranking" in text


def test_units_are_in_the_page_language():
    from analysis.text.benchmark import unit_label
    from analysis.text.i18n import Lang

    assert unit_label("per 100 000", Lang("pl")) == "na 100\u00a0000 mieszk."
    assert unit_label("t per capita", Lang("pl")) == "t na mieszkańca"
    # English groups digits with a comma and says of whom (an English editor of the eighteenth session: "51,907 vs a median
    # of 25,172 per 100 000").
    assert unit_label("per 100 000", Lang("en")) == "per 100,000 residents"
    assert unit_label("%", Lang("pl")) == "%"


def test_polish_first_screen_has_polish_units_and_sensible_decimals(kielce):
    from analysis.publish.reporting import table_html
    from analysis.text import benchmark as text_benchmark
    from analysis.text.benchmark import claim_formats, top_claims
    from analysis.text.i18n import Lang

    tr = Lang("pl")
    claims = top_claims(kielce, tr, "weakness")
    assert "per 100 000" not in set(claims["Jednostka"])
    html = table_html(claims, tr, formats=claim_formats(kielce, tr))
    # Before: 144 200,00 connections and 99,78 % with two decimals; now decimals fit the size.
    assert ">20,8<" in html and ">13,5<" in html and ",00<" not in html
    details = table_html(text_benchmark.strengths_table(kielce, tr, "strength"), tr, formats=text_benchmark.strengths_formats(tr))
    assert ">93,8<" in details and ">128,7<" in details
    assert ">144\u00a0200<" in table_html(pd.DataFrame({"Kielce": [144200.0]}), tr, formats={"Kielce": "auto"})


def test_method_note_names_the_exclusion_setting_in_words(kielce):
    from analysis.text.benchmark import method_note
    from analysis.text.i18n import Lang

    assert "wyłączane wartości budzące zastrzeżenia: błędy i ostrzeżenia;" in method_note(kielce, Lang("pl"))
    assert "flagged values left out: errors and warnings;" in method_note(kielce, Lang("en"))


def test_flags_intro_says_it_counts_flags_not_values(kielce):
    """The headline's 25 doubtful values and the screening section's 28 warnings are different counts."""
    from analysis.text.benchmark import flags_intro
    from analysis.text.i18n import Lang

    english = flags_intro(kielce, Lang("en"))
    # 34 warnings since the same value printed for two different indicators of one city is flagged (6 flags).
    # 33 since Oakville's transport trips lie inside their reference range (no outlier flag).
    # 40: under-five mortality of Kielce and Gdynia below every EU country's rate (2), the source's Polish label of
    # SF14.2 ("crimes against life", not homicides) on every city's value (5).
    # 42: Oakville's survival rates over 105 % (ED6.2, ED6.3: reference_ranges.csv) too.
    # 44: Oakville's 0 % of tertiary wastewater treatment (its plants on Lake Ontario remove phosphorus: a range of Ontario's).
    # 45: Porto's PM2.5, 0.20 of its PM10 (indicator_relations.csv, ratio_range: 0.4-1 in cities of developed countries).
    assert "Flags raised — errors: 8; warnings: 45; notes: 13 (one value can carry several flags" in english
    assert "Liczba zgłoszeń – błędy: 8; ostrzeżenia: 45; uwagi: 13" in flags_intro(kielce, Lang("pl"))


def test_first_screen_says_which_claims_are_not_robust(kielce):
    """Before: a 48 % "Robust in" sat in the table without a word; now the weak claims are named."""
    from analysis.text.benchmark import first_screen_note, top_claims
    from analysis.text.i18n import Lang

    english = first_screen_note(kielce, Lang("en"))
    # Issue 16: "Robust in" is the share of the 80 claim variants in which the claim stays material (claim_shares).
    # The ninth reading: a 50 % strength of contested direction headed "Strengths of Kielce"; the tables show the claims
    # of at least medium confidence, and the sentence under them names the others.
    # The eleventh reading: "4 more claims" while 5 hold in fewer than two thirds (the sixth weakness, wastewater
    # collection, is not among the detailed table's five): every claim counts, the firmest of each kind first.
    # The fourteenth: fewer cars per resident is of contested direction (35 %): among them now.
    # An official: water use was said plainly in the box and "50 %, a signal" here; half of the claim variants do not rank
    # a debatable direction at all, so those are pointed to the box, which counts the variants that rank it.
    assert english.startswith(
        # The sixteenth: a variant's median needs two peer values, not one; life expectancy holds in 60 %, not 75 %.
        # One since NO₂ is level (beyond most peers by the material gap: the fifteenth session).
        "Left out of the tables above: 1 more claim that holds in fewer than two thirds of the variants of the calculation: "
        # "(in 50% of the variants)", not "(50%)" (an English editor: read as the indicator's value); each kind under its
        # word (two editors: a strength mixed with weaknesses unlabelled).
        # By short name with the side (a second parameter sweep: full names, capitalised, mid-sentence).
        "weaknesses – lower life expectancy (in 50% of the variants)."
    )
    assert " ".join(english.split()).endswith(
        "Also left out, as a clear difference whose better direction is debatable: household water use. How firm it is is said "
        "in “In brief” at the top of the page, counting only the variants that rank its direction."
    )
    assert "(35%)" not in english and "(30%)" not in english
    shown = set(top_claims(kielce, Lang("en"), "strength")["Indicator"]) | set(top_claims(kielce, Lang("en"), "weakness")["Indicator"])
    assert not any(name in english for name in shown)
    assert "Energy consumption" not in english and "Tax collected" not in english  # 100 % of the variants
    # Fine dust: worse under every choice while the variants skipped the headline's construct rule; PM10, its second
    # measure, is level where the material gap is half as large again, so the construct is level there (the seventeenth
    # sceptical reading): 70 %; 80 % since the variants also try two thirds of the material gap (both measures worse there).
    # Two thirds since a claim needs the city beyond most peers by the material gap (the fifteenth session). Every variant
    # since a level member on the same side of the median no longer voids the construct's claim (PM10, 6.8 above most peers
    # under a raised threshold of 7.5: three analysts of the sixteenth and seventeenth sessions).
    assert kielce.claims.set_index("code").at["EV8.1", "weakness"] == pytest.approx(1.0)
    polish = first_screen_note(kielce, Lang("pl"))
    assert polish.startswith("Poza powyższymi tabelami: 1 dalsze wskazanie, które utrzymuje się w mniej niż dwóch trzecich wariantów obliczeń: ")
    assert "Pominięto tu również wyraźną różnicę o dyskusyjnym kierunku oceny: zużycie wody" in polish


def test_a_small_gap_to_the_peer_median_is_level_not_better():
    """Before: the headline counted 52 % against a peer median of 50 % as "better than the peer median"."""
    rows = []
    for code, values in [("A1", (52, 49.5, 50.5)), ("A2", (80, 49.5, 50.5)), ("A3", (20, 49.5, 50.5)), ("A4", (47, 49.5, 50.5))]:
        rows += [(code, city, v, "higher") for city, v in zip("abc", values)]
    result = run_benchmark(frame(rows), "a", screening_context=EMPTY_CONTEXT, populations={}, n_variants=288)
    assert result.counts == {
        "better": 1,
        "worse": 1,
        "level": 2,
        "not comparable": 0,
        "compared": 4,
        "constructs": 4,
        "better_debatable": 0,
        "worse_debatable": 0,
    }


def test_the_comparison_csv_reproduces_the_headline_counts(kielce):
    """benchmark-<city>-comparison.csv: the verdict of every indicator; the rows that count give the headline's numbers."""
    published = benchmark_text.downloads(kielce)["benchmark-kielce-comparison.csv"]
    assert list(published.columns[:8]) == ["code", "construct", "counted", "value", "year", "peer_median", "reference_year", "gap"]
    counted = published.loc[published["counted"], "verdict"].value_counts().to_dict()
    assert counted == {v: kielce.counts[v] for v in ("better", "worse", "level", "not comparable")}
    rows = published.set_index("code")
    assert rows.at["TR18.8", "implied_events"] == 6 and rows.at["TR18.8", "verdict"] == "level"  # about 6 road deaths: noise
    assert rows.at["TR18.8", "level_rule"] == "chance" if "level_rule" in rows else True
    assert pd.isna(rows.at["EC5.1", "implied_events"])  # not a rate of events: no interval
    assert rows.at["TR18.2", "flag"] == "warning" and rows.at["TR18.2", "verdict"] == "not comparable"


def test_the_to_check_list_holds_only_the_focal_citys_flagged_values(kielce):
    from analysis.methods.benchmark import to_check

    listed = to_check(kielce)
    flags = kielce.quality_flags
    assert set(listed["city"]) == {"Kielce"}  # silent on the peers' flags
    assert not flags[(flags["city"] != "Kielce") & flags["severity"].isin(["error", "warning"])].empty
    assert set(listed["severity"]) == {"error", "warning"}  # notes are no doubt about the value
    mine = flags[(flags["city"] == "Kielce") & flags["severity"].isin(["error", "warning"])]
    assert len(listed) == len(mine)
    first_warning = list(listed["severity"]).index("warning")
    assert (listed["severity"].iloc[:first_warning] == "error").all() and (listed["severity"].iloc[first_warning:] == "warning").all()
    published = benchmark_text.downloads(kielce)["benchmark-kielce-to-check.csv"]
    assert list(published.columns) == ["code", "indicator", "city", "value", "raw", "rule", "severity", "message", "unit", "other", "amount"]
    assert (
        published.set_index(["code", "rule"]).at[("TR18.9", "implausible_for_unit"), "message"].startswith("A value of 39,481 does not fit the unit")
    )


def test_the_to_check_section_speaks_of_the_focal_citys_values_only(kielce):
    from analysis.text.benchmark import sections, to_check_intro, to_check_table
    from analysis.text.i18n import Lang

    english = to_check_intro(kielce, Lang("en"))
    # 15 flags on 14 values (TR18.2 carries two warnings; EN7.3, EN7.6, EC5.3 and HL12.4 lie outside their reference ranges; SF14.2 has the source label);
    # 5 of the values are errors (4 non-zero shares of one whole over 100 %, and TR18.9); the two printed zeros of that whole are not flagged.
    assert english.startswith("Before the next ISO 37120 submission, Kielce should verify 14 of its values at source")
    # "Doubtful" first (9 of the 14): a first screen cut after "uznano za niemożliwe" read as all of them (an official).
    assert "which the screening found doubtful or impossible as printed." in english
    # A sceptical reading: "5 of them cannot be right as printed" while only the set of 4 shares is impossible.
    assert (
        "Of these, 4 shares of one whole add up to more than the whole: at least one of them is wrong, and no one can tell "
        "which (✖). Besides, 1 value cannot be right as printed (✖). They are left out of ranks and scores." in english
    )
    # Kept when the run keeps every flagged value (a parameter sweep: with exclude_flagged "none" the page said "left
    # out of ranks and scores" of values the ranking kept).
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata

    kept = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "kielce", exclude_flagged="none")
    assert "left out of ranks and scores" not in to_check_intro(kept, Lang("en"))
    assert "This run keeps them in ranks and scores, like every other flagged value (a setting of the report)" in to_check_intro(kept, Lang("en"))
    assert "wartości te – tak jak wszystkie inne wartości budzące zastrzeżenia – uwzględniono w rankingach i wynikach punktowych" in to_check_intro(
        kept, Lang("pl")
    )
    polish = to_check_intro(kielce, Lang("pl"))
    assert polish.startswith("Przed kolejną aktualizacją danych według normy ISO 37120 należy sprawdzić u źródła 14 wartości podanych dla Kielc")
    assert "Spośród nich 4 wartości to udziały w tej samej całości, których suma przekracza 100\u00a0%" in polish
    assert "Ponadto 1 wartość nie może być poprawna w opublikowanej postaci" in polish
    assert sections(Lang("pl"))["to_check"] == "Wartości do sprawdzenia przed kolejną aktualizacją danych według ISO 37120"
    table = to_check_table(kielce, Lang("en"))
    # One row per value (an editor counted 13 rows under "12 values"): TR18.2's two reasons share its row.
    assert len(table) == 14 and list(table["Code"][:1]) == ["SW16.3"] and "Gdynia" not in set(table["Code"])
    assert table.set_index("Code").loc["SW16.3", "Credibility"] == "one of a set that cannot all be right\u00a0✖"
    assert table.set_index("Code").loc["TR18.9", "Credibility"] == "cannot be right as printed\u00a0✖"
    assert table.set_index("Code").loc["TR18.2", "Why"].count("Gdynia") == 1 and "label" in table.set_index("Code").loc["TR18.2", "Why"]


def test_the_to_check_section_without_flags_or_with_warnings_only():
    from analysis.text.benchmark import to_check_intro, to_check_table
    from analysis.text.i18n import Lang

    clean = [("A1", city, v, "higher") for city, v in zip("abc", (9, 5, 1))]
    result = run_benchmark(frame(clean), "a", screening_context=EMPTY_CONTEXT, populations={}, n_variants=288)
    assert to_check_intro(result, Lang("en")) == "The screening raised no doubt about any value of a."  # silent
    assert to_check_table(result, Lang("en")).empty
    copied = clean + [("A2", city, v, "higher") for city, v in zip("abc", (7, 7, 1))]  # a and b print the same value
    result = run_benchmark(frame(copied), "a", screening_context=EMPTY_CONTEXT, populations={}, n_variants=288)
    text = to_check_intro(result, Lang("en"))
    assert text.startswith("Before the next ISO 37120 submission, a should verify 1 of its values at source")
    # Left out of ranks and scores by default, as of the verdicts (a sceptical reading: doubtful Kielce values scored 100
    # each in the overall ranking while the page said none was counted); ranked and marked under "errors".
    assert text.endswith(
        "It is doubtful (⚠): shown in the tables but left out of the results and the main ranking; only some of the variants that test the ranking's stability keep it."
    )
    assert pd.isna(result.summary.set_index("code").at["A2", "rank"])
    ranked = run_benchmark(frame(copied), "a", screening_context=EMPTY_CONTEXT, populations={}, n_variants=288, exclude_flagged="errors")
    assert to_check_intro(ranked, Lang("en")).endswith("It is doubtful (⚠): kept in the tables, but not counted as a strength or weakness.")
    assert ranked.summary.set_index("code").at["A2", "rank"] == 1


def test_claim_shares_measure_whether_a_strength_stays_materially_better():
    from analysis.methods.benchmark import claim_shares

    rows = []
    for code, values in {
        "A1": (9, 1, 1, 1),  # clearly better whatever the choices: 1
        "A2": (9, 1, 10, 10),  # level with the median 10; better only without c or without d: 2 of 5 peer sets
        "A3": (48, 100, 1, 90),  # b's 100 cannot be right (error): never re-admitted
        "A4": (9, 1, 1, 1),  # flagged warning: never a claim
    }.items():
        rows += [(code, city, v, "higher") for city, v in zip("abcd", values)]
    table = frame(rows)
    table["flag"] = np.where((table["code"] == "A3") & (table["city"] == "b"), "error", "")
    table.loc[(table["code"] == "A4") & (table["city"] == "a"), "flag"] = "warning"
    shares = claim_shares(table, "a", ["b", "c", "d"], {}, contested=set()).set_index("code")
    assert shares["n_variants"].iloc[0] == 2 * 2 * 2 * 3 * 4  # three material gaps: two thirds, as set, half as large again
    assert shares.at["A1", "strength"] == 1.0 and shares.at["A1", "weakness"] == 0.0
    # Above the median without c or without d, but never above most peers (9 is below the remaining 10): never a strength.
    assert shares.at["A2", "strength"] == 0.0
    # A3: b's error is left out in every variant. A variant's median needs two peer values, one fewer than the
    # headline's (it used to need one: the sixteenth sceptical reading): with all peers and without b, c and d remain,
    # the median of 1 and 90 is 45.5 and 48 is beyond only one of them: level; without c (d's 90 alone) or without d
    # (c's 1 alone) one city is left, not a median: not compared. It used to be a claim each way in a quarter of them.
    assert shares.at["A3", "n_variants"] == 96 and shares.at["A3", "weakness"] == shares.at["A3", "strength"] == 0.0
    assert shares.at["A4", "strength"] == 0.0
    contested = claim_shares(table, "a", ["b", "c", "d"], {}, contested={"A1"}).set_index("code")
    assert contested.at["A1", "strength"] == 0.5  # not ranked in the half of the variants that drop contested polarities
    # The variants make few different comparisons (the eighth reading: "80 of 80" were 8): A1's peers all print 1,
    # so every set of peers gives one median; three material gaps; two polarity choices when contested.
    assert shares.at["A1", "n_distinct"] == 3 and contested.at["A1", "n_distinct"] == 6


def test_claim_variants_apply_the_headline_s_peer_minimum_and_construct_rule():
    """The seventeenth sceptical reading: the claim variants compared an indicator with two peer values in the variant
    that leaves nothing out (the headline asks three: patents and outage length were "worse" in 60 %), and skipped the
    construct rule (PM2.5 held in 100 % while PM10, its second measure, was level in 30 % of the variants)."""
    from analysis.methods.benchmark import claim_shares

    rows = []
    for code, values in {
        "A1": (20, 10, 10, None, None),  # two peer values only: never compared, in no variant
        "A2": (20, 10, 10, 10, 10),  # worse... with B2 (same construct) worse by 30 %: level where the gap is 1.5 x larger
        "B2": (13, 10, 10, 10, 10),
    }.items():
        rows += [(code, city, v, "lower") for city, v in zip("abcde", values)]
    table = frame(rows)
    table.loc[table["code"].isin(["A2", "B2"]), "construct"] = "AB"
    table.loc[table["code"] == "B2", "construct_representative"] = False
    table.loc[table["code"] == "B2", "material_gap"] = 0.25
    shares = claim_shares(table, "a", ["b", "c", "d", "e"], {}, contested=set()).set_index("code")
    assert shares.at["A1", "weakness"] == 0.0  # fires: 0.6 before (every variant with both peer values)
    # B2's 30 % gap is worse with a material gap of 25 % (and of two thirds of it), level with 37.5 %: level on the same side
    # of the median is no contradiction (three analysts of two sessions: PM10 voided PM2.5 so), so A2 holds in every variant.
    assert shares.at["A2", "weakness"] == pytest.approx(1.0) and shares.at["B2", "weakness"] == pytest.approx(2 / 3)
    # A member level on the other side of the median (or at it) says otherwise: the construct's claim holds in no variant.
    table.loc[(table["code"] == "B2") & (table["city"] == "a"), "value"] = 9.9
    shares = claim_shares(table, "a", ["b", "c", "d", "e"], {}, contested=set()).set_index("code")
    assert shares.at["A2", "weakness"] == 0.0


def test_the_in_brief_box_says_what_the_page_finds_in_plain_words(kielce, city_benchmark):
    """Issue 18: the first screen of a city page: what was compared and the confidence scale (once, before it is
    used), at most three strengths and weaknesses by short name with a confidence word, the overall place on the
    same scale, the data's years and source, the next steps with the to-check count linked to its list."""
    import re

    from analysis.methods import benchmark
    from analysis.text import benchmark as text

    result = kielce  # from data/raw (a fresh clone has no processed data before its first build)
    box = text.in_brief(result, Lang("pl"))
    counts = result.counts
    assert box.startswith('<section class="in-brief" aria-labelledby="in-brief-title">\n<h2 id="in-brief-title">W skrócie</h2>')
    shown, folded = box.split('<details class="in-brief-more">')
    # What was compared, with its scope (a sceptical reading: "43 of 100 comparable; level on 35" was folded, so
    # "no strength, three weaknesses" read as "Kielce lags"); the scale before its first use (two officials).
    basis = re.search(r'<p class="in-brief-basis">(.*?)</p>', shown, re.S).group(1)
    lead = re.search(r'<p class="in-brief-lead">(.*?)</p>', shown, re.S).group(1)
    # An editor: "…, które można porównać" could attach to the 100; a second: 43 + 50 is not 100 (7 measure what
    # another counts). The breakdown opens the details; the scope itself is in the bottom line's second sentence.
    assert (
        '<li class="in-brief-compared">Porównanie z medianą (wartością środkową) pozostałych miast było możliwe '
        f"w {counts['compared']} spośród 100 wskaźników normy ISO\u00a037120 (60 nie można było porównać, a 7 to dodatkowe miary zjawisk już uwzględnionych). "
        # What "clearly" means, once (an English editor and an official of the ninth session).
        # All three conditions, said as such (a Polish editor of the thirteenth session: "gdy …, gdy … i gdy" left it open).
        "Wartość jest wyraźnie lepsza (gorsza), jeżeli łącznie: 1) jej różnica względem mediany osiąga próg wyraźnej różnicy ustalony "
        "(wraz z uzasadnieniem) dla danego wskaźnika, także po uwzględnieniu zaokrąglenia opublikowanych wartości; 2) miasto wypada lepiej (gorzej) "
        "niż większość pozostałych miast, także o co najmniej ten próg; 3) w przypadku rzadkich zdarzeń różnica wykracza poza losową zmienność.</li>"
    ) in folded
    # "wynik", not "wniosek" (an editor: a motion, to a councillor); the low tier said too.
    # Not "pewność" (an eighth official nearly told the mayor "these results are certain": "pewność wysoka" read as a
    # statement about the data), nor "stabilny" (two officials read "wyższe stężenie pyłu – oba wyniki stabilne" as
    # "the pollution is not getting worse" and struck it from their note), nor "jednoznaczny" (an editor: it cannot be
    # graded, reads as "beyond dispute" and meant three things on one page; a sceptical reading: it overclaims):
    # robustness to a change of assumptions, the editor's words.
    # The scale says how the plain bottom line speaks (eight officials rewrote the analyst's confidence phrases before
    # passing the note on): a result of high confidence stated plainly, one of medium confidence with "prawdopodobnie",
    # one of low confidence only counted; the robustness words of the tables and details tied to it.
    # Short on the first screen (three officials of the fifth session cut the full rule from every note they sent, and its
    # ninety words kept a person's reading of the first screen over a minute); the full rule opens the details.
    # What a variant is, said on the first screen and in the copied note (a Polish and an English editor: "wariantów
    # obliczeń" meant nothing to an official), and that the counts are the main calculation's (a sceptical reading:
    # "no strength" holds in the main calculation only).
    # Shorter again (five officials of the sixth session: three to five minutes for a person to read a first screen of
    # 330 words): one example of a variant, the scale's words quoted.
    # What the main calculation is, in the same sentence (four officials of the ninth session: "w bazowym wariancie
    # obliczeń" recurs on the first screen and nothing there said what it is).
    # Shorter again (officials of the eleventh session: three minutes for a first screen of 327 words, this key's 80
    # among them): that robustness says nothing of the source data opens the details.
    assert basis == (
        "Jak czytać wyniki: obliczenia wykonano przy głównych założeniach (bazowy wariant obliczeń) i w wielu innych "
        # "Utrzymuje się", as the rest of the page says it: "potwierdza się" read as "the data were verified" (a Polish
        # editor of the eleventh session; another had called "utrzymuje się" a calque).
        # "Bez zastrzeżeń", not the calque "bez dodatkowych określeń" (a Polish editor of the thirteenth session).
        "wariantach (np. po pominięciu jednego z miast). Wynik podany bez określeń „prawdopodobnie” i „niepewny” utrzymuje się w co najmniej 90\u00a0% wariantów, "
        # Two thirds in words (a Polish editor of the eleventh session: "67 %" left out 80 of 120 variants, which count).
        "„prawdopodobny” (lub „prawdopodobnie”) – w co najmniej dwóch trzecich, „niepewny” – w mniej niż dwóch trzecich. "
        # The counts, not the indicators' values (a Polish editor: "liczby wskaźników" read as their values); not "w każdej
        # grupie", a group the text never names (a Polish editor of the eleventh session).
        "Podane liczby wskaźników dotyczą bazowego wariantu obliczeń. "
        # What "not settled" means, that robustness says nothing of the data and that the page makes no recommendations,
        # as the first screen's key says them (an official of the sixteenth session: the copied note, which carries this
        # key, left out all three, and the fold called it "the same").
        "Miejsce lub kolejność „nierozstrzygnięte” nie spełniają warunków wyniku prawdopodobnego (kolejność dwóch miast musi się "
        "ponadto utrzymywać w co najmniej połowie wariantów przy każdej opcji każdego z założeń). Utrzymywanie się wyniku w wielu "
        "wariantach nie świadczy o poprawności danych źródłowych. Opracowanie nie zawiera zaleceń dotyczących polityki miejskiej."
    )
    assert (
        len(html.unescape(re.sub(r"<[^>]+>", "", basis)).split()) <= 110
    )  # 107 in Polish (80 and 75 before the eleventh session; 68 and 69 before it said what the main calculation is; 60 and 57 before the sixteenth)
    rule = re.search(r'<li class="in-brief-rule">(.*?)</li>', folded, re.S).group(1)
    # Each word of the bottom line defined, "niepewne" too; how a debatable difference is counted (an English editor: the
    # box said water use plainly, the table 50 %). Only what the first screen's key does not say: the details' names of
    # the levels (two Polish editors of the tenth session: the long form repeated "Jak czytać wyniki" almost word for word).
    assert (
        # "Niżej", not "W szczegółach": the print shows no fold of that name (a Polish editor of the eleventh session); the
        # names said as names (the same editor: too many words left out).
        # The thresholds "given above", not "in 'Jak czytać wyniki'", which is folded on the screen (a Polish editor of the
        # thirteenth session); "co najmniej prawdopodobny", which the details use, defined (the same editor).
        "Poniżej poziomy skali podano w pełnym brzmieniu: wynik podany wyżej bez określeń „prawdopodobnie” i „niepewny” to „wynik odporny na zmianę założeń”, wynik ze słowem "
        "„prawdopodobnie” lub „prawdopodobny” – „wynik prawdopodobny”, a wynik określony jako niepewny – „wynik niepewny” (progi podano powyżej; „wynik co "
        "najmniej prawdopodobny” to wynik odporny na zmianę założeń albo prawdopodobny); przy różnicach o dyskusyjnym kierunku oceny liczą się tylko "
        "warianty, w których przyjęto kierunek oceny. "
        "Utrzymywanie się wyniku w wielu wariantach nie świadczy o poprawności danych źródłowych."
    ) == rule
    assert "90" not in rule and "wynik odporny na zmianę założeń" in folded
    assert folded.index("in-brief-rule") < folded.index("in-brief-compared")
    # "No strength" said of the main calculation; which of the level ones are clearly better or worse in some variants
    # only is in the details (the count of them, twenty words of the bottom line, went into no official's note).
    # Said once, before the counts it qualifies (an analyst of the eleventh session: "w 3 jest wyraźnie niższa" stated plainly).
    assert "; w bazowym wariancie obliczeń w 30 z nich" in html.unescape(shown) and "; nie stwierdzono mocnych stron." in html.unescape(shown)
    # The first screen's line says that some are (an analyst of the thirteenth session: "none", said plainly, holds in 8
    # of the 120 variants); the sentences do not count them. Two officials of the sixteenth session, given the line
    # without the count, both briefed "Kielce has no strengths" as settled.
    assert "w części wariantów" not in lead and "ale wyraźnie lepsze lub gorsze w części wariantów" in folded
    assert (
        # Among the indicators compared (an official of the seventeenth session: "nie stwierdzono ich" would be quoted as
        # "Kielce has no strengths"); no count of values better in some variants only since ozone's direction is debatable
        # (its lower annual mean was the one, in 20 % of the variants).
        "Mocne strony:</strong> nie stwierdzono ich wśród porównanych wskaźników (w bazowym wariancie obliczeń)."
    ) in shown
    # How the variants differ is said once, in the details (it stood on the first screen as well).
    assert "różnią się m.in. progiem, od którego różnicę uznaje się za wyraźną" in folded and "różnią się m.in." not in shown
    assert "pewnoś" not in box and "stabiln" not in box and "jednoznaczn" not in box
    # The bottom line first, five short sentences a briefing can take as they are (officials: "three or four sentences
    # at the top"; a sentence does not open with a digit, an editor), one a line.
    lead = re.search(r'<p class="in-brief-lead">(.*?)</p>', shown, re.S).group(1)
    # One sentence a top-level <span> (a sentence may hold a span of its own, the pointer left out of print).
    sentences = [html.unescape(re.sub(r"<[^>]+>", "", part)).strip() for part in re.split(r"(?:^|\n)<span>", lead) if part.strip()]
    assert sentences == [
        # The data's age first, and "largely national" said of the one claim it is true of (an official read it of
        # all three, fine dust included, where Kielce is far above Gdynia too).
        # A sixth official: the peers and their years in the bottom line too, and the confidence of each weakness there
        # (life expectancy had been passed on as "confirmed" like the others).
        # A seventh: the bottom line is what gets copied, so the scope, the age of the results and whose ranking it is
        # belong in it too, and the last sentence says what to do.
        # The peers' countries (an official: "Oakville is unknown to most people"), their years said as theirs (an editor:
        # "(dane z lat 2001–2017)" after "Porto" read as Porto's).
        # Shorter (three officials needed 45-50 s for a bottom line of 170 words; the briefing is to take under a minute).
        # The source named before the ranking sentence mentions it; "ich dane" read as all five cities' (two officials, an editor).
        # Four more officials still edited a 163-word bottom line before sending it: what they struck is gone ("wyniki nie
        # opisują stanu obecnego", "(wartości środkowej)", the claims of low confidence, "Przed kolejnym porównaniem").
        # The source as the data of the Kielce diagnosis (an editor: "diagnozy firmy Smart Factor" on Gdynia's page read as a
        # template error); the age is filled in on publication (analysis.publish.site.fill_data_ages).
        # All five cities' data from it (an official read "na podstawie danych z diagnozy miasta Kielce; dane pozostałych miast
        # – z lat …" as Kielce's alone).
        # The peers' years said of "these cities" and the diagnosis as where the data were compiled (two officials of the
        # seventh session: "wszystkich miast … pozostałych miast" in one sentence read twice; why would Eindhoven's data
        # come from a diagnosis of Kielce?).
        # Shorter (officials of the eleventh session put a person's reading of a first screen of 327 words at three
        # minutes): the peers' years in a relative clause, the source of all five cities' data said once.
        "Kielce (dane najczęściej z 2016\u00a0r.) porównano z Eindhovenem (Niderlandy), Gdynią, Oakville (Kanada) i Porto (Portugalia), "
        # "Pochodzą z różnych lat okresu", not "dotyczą lat" (a Polish editor: read as series covering the whole period).
        # "Zestawiono": compiled there, so the peers' data too (an official of the eleventh session asked why Eindhoven's data
        # would come from a diagnosis of Kielce when it read "źródło wszystkich danych").
        "których dane pochodzą z różnych lat okresu 2001–2017; wszystkie dane zestawiono w diagnozie miasta Kielce (Smart Factor, 2018\u00a0r.).",
        # "Nie stwierdzono": none is clearly better at all ("nie potwierdzono" sounded as if candidates had been rejected).
        # "Neither better nor worse", the verdict's words: not "not clearly different from the median" (a sceptical reading:
        # cycle paths, 25.8 against a median of 63.5, are level because Kielce is not beyond most of the peers).
        # Stated plainly, "no strength" is true of the main calculation only: some are uncertain, on the scale's own word
        # (two sceptical readings: full-time employment is clearly better in half of the variants; a share beside it
        # was a third threshold, an editor); the details name them.
        # Of the 100 (a sceptical reading: "35 of 43" alone read as "Kielce lags"; officials wrote "43 of the 100 that
        # could be compared" into their notes): the scope in the sentence, the breakdown in the details.
        # "Than the median" (a sceptical reading and an editor: "niż w pozostałych miastach" read as each of them; Kielce is
        # clearly worse than Eindhoven alone on 10).
        # "W bazowym wariancie obliczeń" before the counts, once (an analyst of the eleventh session: the three lower
        # values, two of them holding in about half of the variants, were stated plainly).
        "Spośród 100 wskaźników normy ISO\u00a037120 porównać można było 33 (wskaźniki mierzące to samo zjawisko uwzględniono tylko raz); w bazowym wariancie obliczeń w 30 z nich wartość dla Kielc nie odbiega wyraźnie "
        # Said positively (three officials and two editors: "nie stwierdzono mocnych stron poza niepewnymi", a double
        # negative, read as "are there strengths or not?").
        # Not "stwierdzono jedynie niepewne mocne strony" (an editor: by the page's own definition a level indicator is no
        # strength, not even an uncertain one, and "niepewne" meant two things in one box): none found, and how many are
        # clearly better in some variants only, counted in the sentence (a copied note has no details to open).
        # In the main calculation, and both sides of the level ones counted (two editors and a sceptical reading: the 7 better
        # alone, with the 10 worse left out, read as a one-sided gloss; "no strength" holds in the main calculation only).
        # Said of the 35 they are among (an official and an editor: after "no strengths" the 10 worse read as 10 weaknesses,
        # and 7 + 10 did not fit 43 − 35 = 8).
        # Not in brackets (an official and an editor: "tylko w części wariantów" read as qualifying the 35, "z nich" as the 43).
        # The count of those, both sides, is in the details again (officials of the sixth session: the first screen took a
        # person three to five minutes; no official's note kept it).
        # The clear differences of debatable direction counted and named in the sentence (officials of the seventh session:
        # their line of its own under the key told the mayor nothing, and the reader added 35 + 5 + 3 to find 43).
        # Said of the main calculation (a Polish editor: named plainly, cars and waste read as holding in 90 % of the variants).
        # Which way, all three lying below the median (two officials of the eighth session: "more or fewer cars?").
        # "Nie odbiega wyraźnie", five words fewer than "nie jest ani wyraźnie lepsza, ani wyraźnie gorsza" (the officials'
        # own paraphrase, ninth session).
        # Counted here, named in the details with each one's confidence and reason (their names, confidence words and one
        # reason were 40 words of the first screen: officials of the eleventh session, three minutes; the key says the
        # counts are the main calculation's).
        "od mediany pozostałych miast; "
        # The clearly worse counted (an official of the eleventh session: 36 + 3 is not 43), pointing to the sentence that
        # gives each one's confidence (a second official read "4 clearly worse" against 1 firm, 1 probable, 2 uncertain).
        # By its number (a Polish editor: "zob. słabe strony" read as a section of the page).
        # The sentence's label, not its number (a Polish editor of the fifteenth session: "zob. pkt 3" pointed at no visible
        # number, and the first screen's third line is another).
        "w 2 jest wyraźnie gorsza (zob. „Słabe strony”); "
        # A single one named (an official of the seventeenth session: the mayor asks "which?").
        "w 1 (zużycie wody w gospodarstwach domowych – wynik prawdopodobny) jest wyraźnie niższa, ale nie jest przesądzone, czy jest to korzystne (zob. szczegóły); "
        "nie stwierdzono mocnych stron.",
        # An eighth official: the copied bottom line had neither the numbers nor which way they go, and "potwierdzone" covered a
        # weakness of medium confidence; each claim now says its direction, the city's value against the median and its
        # confidence (the confidence never starts a line).
        # An eighth official and an editor: "wobec 96,5 %" said not against what; the unit of life expectancy.
        # A claim group shares its confidence, said of all ("oba wyniki odporne…"); the median named once a sentence; the
        # same-country peer's values in the details (a bottom line to read in under a minute); the claims of low
        # confidence counted (a sceptical reading: without them 35 + 3 + 3 is not 43, and the two left out are weaknesses).
        # Eight officials over two sessions rewrote that version before passing it on (rounded numbers, no confidence
        # phrases): the bottom line now says it as they did, on the scale under it; the exact one is in the details.
        # The sixteenth sceptical reading: life expectancy's "probably" rested on variants whose "median" was one city (Gdynia's
        # or Eindhoven's); a variant's median needs two now, and it holds in 60 %: uncertain, counted.
        # The seventeenth: fine dust is probable (70 %) once the variants apply the construct rule (PM10 level in 30 %).
        # Tax collection no longer (national tax administration: the third analyst of the fifteenth session).
        # Plain since a level member on the same side of the median no longer voids it (three analysts, the seventeenth session).
        "Słabe strony: wyższe stężenie pyłu "
        # The uncertain ones by name (four officials of the seventh session: "ponadto 3 niepewne (w szczegółach)" named
        # nothing, and the copied note dropped it, life expectancy with it).
        # "Wobec mediany" in each claim (two officials of the ninth session: what is 11?).
        # Not sewer access: its gap lies within the rounding of the printed "97 %" (an analyst of the tenth session).
        # "Wyniki niepewne", the key's word with its noun (a Polish editor of the eleventh session: "niepewne:" alone read as
        # doubtful data or one more weakness).
        "zawieszonego PM2,5 (21 wobec mediany 14 µg/m³; w Gdyni – 14); ponadto – choć wynik jest niepewny – krótsze przeciętne trwanie życia (różnica ma w dużej mierze charakter ogólnokrajowy).",
        # "Obliczenia własne" read as the city hall's own (an official, an editor); a settled place names the shorter side.
        # The confidence after the place it is of (two officials and an editor read it as said of "ahead of Porto").
        # The other place of the 90 % band (two officials: "3rd or 4th in at least 90 %" went into their notes), who drew the
        # ranking up without a hanging genitive (an editor).
        # Not settled since the grid also averages only the themes of at least three ranked indicators (an analyst: the
        # overall rank gave themes of one indicator, whose verdicts the page withholds, the weight of themes of six).
        # The band plainly (the key's plain statement is one of at least 90 % of the variants), the main calculation's place after it.
        # The city-by-city orders of an unsettled place in the details only (twenty words; three minutes, above).
        # Not "(autorów tego porównania …)": parsed as a ranking of the authors (a Polish editor of the eleventh session).
        # The most frequent place where the band is every place (an official of the fourteenth session briefed "any place
        # from 1st to 5th", where 1st comes in 5 % of the variants).
        "Ranking ogólny (opracowany przez autorów tego porównania, a nie przez firmę Smart Factor): miejsce nierozstrzygnięte – najczęściej 4. "
        # The order against the other Polish city stays (three officials of the eleventh session: councillors will ask).
        # Every order the evidence allows (a Polish editor and an analyst of the thirteenth session: Gdynia's alone, the
        # weakest of the four, read as "only Gdynia is ahead").
        # Said as orders against each city (a Polish editor of the thirteenth session: the list read as "probably 4th", a
        # place that holds in 52 % of the variants).
        # Gdynia's order was not settled while one choice turned it around (two analysts of the twelfth and thirteenth
        # sessions); probable since improved sanitation, which Gdynia reports as its sewer share, is not compared.
        # Behind Oakville probable since ozone's direction is debatable (an analyst of the seventeenth session); the place on
        # ISO 37120's core indicators alone where it differs, said as differing, not as a place (an analyst and two officials of the
        # same session: the place, said plainly beside the scale, read as settled); as the main calculation's place, with no
        # variants behind it, since "the order differs" read as a euphemism for last place (an official, an analyst and a Polish
        # editor of the eighteenth session).
        # Porto's order not settled, leaning ahead, since crime rates are not compared (the same session); all three probable
        # once the themes of three ranked indicators count only those that tell cities apart.
        "wśród 5 miast (w 51\u00a0% wariantów, a także w bazowym wariancie obliczeń); względem poszczególnych miast: "
        "prawdopodobnie za Oakville, Eindhovenem i Gdynią; kolejność względem Porto nierozstrzygnięta (częściej przed Porto); w rankingu opartym wyłącznie na wskaźnikach podstawowych normy ISO 37120: miejsce nierozstrzygnięte – najczęściej 5. "
        "(w 35\u00a0% wariantów tego rankingu, a także w bazowym wariancie obliczeń).",
        # How they compare as printed is in the details only: "if confirmed, 4 would be strengths", then "as printed, 4 are
        # clearly better", read as "Kielce was robbed of good results" (four officials) where three probably follow another
        # definition (a sceptical reading).
        # Four officials of a later session: "no strength" misled without the favourable values set aside (counted, named
        # in the details); a sceptical reading: half of the ranking's variants keep the doubtful values, so "the main
        # calculation".
        # "Gdyby okazały się poprawne", not "w opublikowanej postaci" (three officials of the seventh session dropped the
        # hedge and told the mayor that Kielce had lost four good results).
        # How many cannot be right as printed, first (officials of the eighth session: not all 14 are doubtful); "cannot all
        # be right", not "impossible" (four are shares of one whole: at least one of them is wrong, not each).
        # How many are certainly wrong, at least, and both counts of the same 14 (four officials of the ninth session read
        # "5 z nich nie może być jednocześnie prawidłowych; gdyby pozostałe okazały się poprawne, 4 z nich…" two or three
        # times: the other 9, or all 14?).
        # "In the main calculation", the key's term (was "in the results and the ranking's main calculation").
        # Labelled, as the weaknesses and the ranking are (eleventh session: officials scan the first screen's labels).
        "Do sprawdzenia u źródła: 14 budzących zastrzeżenia wartości dla Kielc; w bazowym wariancie obliczeń je pominięto "
        "(co najmniej 2 z nich są błędne; 2 byłyby wyraźnie korzystne, gdyby okazały się poprawne i porównywalne z danymi innych miast).",
    ]
    # Only the labels and the verdicts in bold (an eighth official: a paragraph all in bold, nothing stood out).
    # Not "nie stwierdzono mocnych stron" in bold (four officials: a headline risk, and a finding, not a label).
    assert re.findall(r"<strong>(.*?)</strong>", lead) == [
        "Słabe strony:",
        "Ranking ogólny",
        "Do sprawdzenia u źródła:",
    ]
    # The counts the bottom line does not name, the ranking's details and the next steps are folded (three officials: "W
    # skrócie" was not short); the differences of debatable direction and the data's source stay in sight.
    # The data line opens the details (an official: sentence 1 names the source and the typical year; said twice).
    # The differences of debatable direction are named in the bottom line; their line with each one's confidence opens the
    # details after the rule (officials of the seventh session: under the key it told the mayor nothing).
    assert shown.index("in-brief-lead") < shown.index("in-brief-basis") and "in-brief-data" not in shown and "in-brief-debatable" not in shown
    assert folded.index("in-brief-rule") < folded.index("in-brief-debatable") < folded.index("in-brief-data")
    # (No "Other results" line on Kielce's page since the seventeenth session: the uncertain weakness it named is named above.)
    assert "in-brief-others" not in folded and "in-brief-standing" in folded and "in-brief-to-check" in folded
    # The source and the data's years (issue 18), and what they mean (two officials: the age was hidden mid-line).
    assert (
        '<li class="in-brief-data"><strong>Dane:</strong> dla Kielc – z lat 2011–2017. '
        "Źródło: „Kompleksowa diagnoza miasta Kielce…”, Smart Factor, 2018\u00a0r."
    ) in folded
    # The counts under the verdict rule are folded, with how many of them are firm (a sceptical reading: "clearly worse
    # on 5" rested partly on two gaps that hold in half of the variants).
    # An editor: the folded counts called the three of debatable direction "clearly better" while the box said
    # whether that is good is open; they are counted apart now.
    assert (
        f"Spośród {counts['compared']} porównywalnych wskaźników: wartość wyraźnie lepsza od mediany – w żadnym, wyraźnie gorsza – w {counts['worse']}, "
        f"wyraźnie różna od mediany przy dyskusyjnym kierunku oceny – w 1, bez wyraźnej różnicy – w {counts['level']}."
    ) in folded
    # "Co najmniej umiarkowanie odporne", not "odporne lub umiarkowanie odporne" (two Polish editors of the seventh
    # session: a class the scale does not name, read as the authors' own doubt).
    # A list, not a sentence whose nouns must agree with any count (a Polish reader: "1 to wyniki", "Spośród 1 … wartości").
    assert "Wartości wyraźnie gorsze: 2, w tym z wynikiem co najmniej prawdopodobnym: 1." in folded and "z 0 " not in folded
    # An editor: the tables below counted them with the others; the headline and the theme table count them apart now
    # (editors and officials of three sessions), the tables of indicators list them, marked.
    assert (
        "(Zamieszczone niżej tabele wskaźników wyraźnie lepszych i wyraźnie gorszych obejmują także wskaźniki o dyskusyjnym kierunku oceny, z odpowiednim oznaczeniem.)"
        in folded
    )
    # The fourteenth reading: every clearly better one is of contested direction (fewer cars, less waste and water).
    # Two officials and an editor: "clearly better, but which direction is better is debatable" contradicts itself and
    # does not say which three: "clearly apart from the median", by short name.
    # An editor: "odbiegają" says neither more nor less; the side of the median is said. A sceptical reading: Gdynia
    # prints nearly the same water use and waste; by the page's own rule those gaps are largely national, said so.
    # With the unit (an editor: without "na mieszkańca" they read as totals).
    assert (
        # One colon, no agreement to break (an editor: "wartości … są wyraźnie niższe: liczba przedsiębiorstw", one item).
        # Named on the first screen, the numbers folded (a bottom line to read in under a minute).
        # Per resident (an editor: without it they read as totals).
        # Each on the bottom line's scale, by the share of the variants that rank its direction (a sceptical reading:
        # waste, stated plainly, holds in 60 % of them, cars in 70 %, water in all).
        "<strong>Wyraźne różnice o dyskusyjnym kierunku oceny:</strong> w przypadku Kielc wyraźnie poniżej mediany – zużycie wody w "
        # Cars: 70 % of them while a variant's median could be one city, 55 % with two at least (the sixteenth reading).
        # Which variants count said in a few words (left to the details, two officials of the seventh session read "clearly"
        # as 90 % of all the variants against the table's 50 %).
        # Water use: 80 % of those variants once the construct rule applies (total water use level in some): probable.
        # The uncertain ones named (a Polish editor of the thirteenth session: the printed line gave why waste and cars are
        # debatable and never named them).
        # The scale's word before the uncertain ones (a Polish editor of the fourteenth session: "A oraz B (wynik niepewny)"
        # read as said of both).
        # Probable again (80 % of them) since total water use, level on the same side of the median, no longer voids it.
        "gospodarstwach domowych na mieszkańca (wynik prawdopodobny); nie jest "
        "przesądzone, czy jest to korzystne, czy niekorzystne (uwzględniono tu tylko warianty, w których przyjęto kierunek oceny). "
        # Why, each reason once (four officials of the ninth session: fewer cars, less waste, less water look like good news).
        "Dlaczego kierunek oceny jest dyskusyjny: zużycie wody zależy także od dochodów, cen "
        "wody i opomiarowania.</li>"
    ) in folded  # in the details since the bottom line names them (officials of the seventh session)
    assert (
        '<li class="in-brief-debatable-numbers">Wskaźniki o dyskusyjnym kierunku oceny (nie jest przesądzone, czy korzystniejsza jest wartość wyższa, czy niższa): wyraźnie poniżej '
        "mediany – zużycie wody w gospodarstwach domowych (93,8 wobec mediany 128,7 l/dobę na "
        "mieszkańca; podobnie w Gdyni: 96,3).</li>"
    ) in folded
    assert "wyraźnie lepsze" not in re.search(r'<li class="in-brief-debatable">.*?</li>', folded, re.S).group(0)
    # Only claims of at least medium confidence (robust in two thirds of the variants) reach the box.
    strengths = result.strengths
    assert strengths[(strengths["flag"] != "warning") & (strengths["robust_share"] >= text.ROBUST_SHARE)].empty
    # Three claims, each group with its confidence said of all of it ("oba wyniki odporne…"; "A (…) i B (…) – wynik
    # …" left open whether it covered A, two officials and an editor).
    # The exact numbers and each group's confidence in the details, first (the analyst's version).
    assert (
        # The median named with a single claim (tax collection, before it, is no longer compared).
        '<li class="in-brief-exact"><strong>Słabe strony – dokładne wartości:</strong> wyższe stężenie '
        "pyłu zawieszonego PM2,5 (20,8 wobec mediany 13,5 µg/m³)\u00a0– wynik "
        # The uncertain one with its numbers too, and the same-country value "largely national" rests on (an official of
        # the seventeenth session: no figure for it anywhere on the page; "ponadto 1 inna – wynik niepewny" before).
        "odporny na zmianę założeń; krótsze przeciętne trwanie życia (77,2 wobec 81,3 roku; w Gdyni – 78,5, a więc różnica ma w "
        "dużej mierze charakter ogólnokrajowy)\u00a0– wynik niepewny.</li>"
    ) in folded
    # The clearly worse of low confidence are counted in the bottom line and named in the details only: a sceptical
    # reading found two at their material gap, holding in 40 of 80 variants; life expectancy is the third (60 %).
    # Named, and so in the copied note too (four officials of the seventh session: the count named nothing, and the copy
    # left it out with its pointer, life expectancy with it).
    # Largely national, said of the uncertain claim too (an analyst of the seventeenth session: Gdynia shares 68 % of the gap).
    assert sentences[2].endswith(
        "; ponadto – choć wynik jest niepewny – krótsze przeciętne trwanie życia (różnica ma w dużej mierze charakter ogólnokrajowy)."
    )  # NO₂ level since the fifteenth session
    # The pointer is the debatable differences' (their names are in the details); the core basket's place is said.
    assert lead.count("in-brief-pointer") == 1 and "(zob. szczegóły)</span>; nie stwierdzono" in lead
    assert (
        "ISO 37120: miejsce nierozstrzygnięte – najczęściej 5. (w 35\u00a0% wariantów tego rankingu, a także w bazowym wariancie obliczeń).</span>"
        in lead
    )
    # No "Pozostałe wyniki" repeating the uncertain weakness named above (a Polish editor of the seventeenth session);
    # Oakville's names the further strengths its bottom line only counts, the pointer a sentence of its own (a Polish
    # editor of the thirteenth session: ") (" after a probable one).
    assert "in-brief-others" not in folded
    assert (
        '<li class="in-brief-others"><strong>Pozostałe wyniki:</strong> mocne strony – niższe stężenie dwutlenku azotu NO₂ i prawdopodobnie '
        'mniejsze straty wody.<span class="in-brief-see-below"> Wszystkie wskaźniki przedstawiono w tabelach obszarów poniżej.</span></li>'
    ) in html.unescape(benchmark_text.in_brief(city_benchmark("oakville"), Lang("pl")))
    flags = benchmark.to_check(result).drop_duplicates(["code", "city"])
    # An official: "u źródła" (which source?); the next steps say what to do (two officials: "what should we do?").
    # Whether the values to verify touch the findings, and that the page recommends no policy (an official).
    # The adjective before the noun (an editor: "wartości dla Kielc budzących zastrzeżenia" could be the city's doubts).
    assert f'<a href="#to-check">{len(flags)} budzących zastrzeżenia wartości dla Kielc</a>' in lead
    assert (
        # Two steps, in order, and with which data (a Polish editor: "po sprawdzeniu … na podstawie nowszych danych" read as
        # either the corrected values or later years).
        '<li class="in-brief-to-check"><strong>Dalsze prace nad danymi:</strong> należy sprawdzić wartości budzące zastrzeżenia, '
        "a następnie powtórzyć porównanie na podstawie poprawionych i – w miarę możliwości – nowszych danych.\nInnych zaleceń – w "
        "szczególności dotyczących polityki miejskiej lub działań władz miasta – opracowanie nie zawiera.</li>"
    ) in folded
    assert text.confidence(0.95, Lang("en")) == ("high", "high confidence")
    assert text.confidence(0.7, Lang("en"))[0] == "medium" and text.confidence(0.5, Lang("en"))[0] == "low"
    assert text.confidence(float("nan"), Lang("en"))[0] == "low"


def test_a_debatable_difference_of_medium_or_low_confidence_says_so_after_its_name():
    """An editor: "wyraźnie poniżej mediany – prawdopodobnie zużycie wody" read as unsure which indicator is meant, and
    "– niepewnie: liczba przedsiębiorstw" put an adverb where no verb is."""
    import re

    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata

    table = attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())

    def line(city: str) -> str:
        box = benchmark_text.in_brief(run_benchmark(table, city), Lang("pl"))
        return html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<li class="in-brief-debatable">(.*?)</li>', box, re.S).group(1)))

    gdynia, eindhoven = line("gdynia"), line("eindhoven")
    # (Gdynia's water use: 70 % of the variants that rank its direction before the construct rule, total water use
    # disagreeing in some: uncertain now; its firms per 100 000 probable.)
    assert "wyraźnie poniżej mediany – zużycie wody w gospodarstwach domowych na mieszkańca (wynik niepewny);" in gdynia
    assert "wyraźnie powyżej mediany – liczba przedsiębiorstw na 100\u00a0000 mieszk. (wynik prawdopodobny);" in gdynia
    # Porto's firms per 100 000 are probable after a firm one, its water use uncertain (Eindhoven's firms are level since a
    # claim needs the city beyond most peers by the material gap: the fifteenth session).
    assert (
        "wyraźnie powyżej mediany – masa odebranych odpadów komunalnych na mieszkańca, a prawdopodobnie także liczba przedsiębiorstw na "
        "100\u00a0000 mieszk., a także – z wynikiem niepewnym – zużycie wody w gospodarstwach domowych na mieszkańca;"
    ) in line("porto")
    assert (
        "– prawdopodobnie" not in gdynia
        and "niepewnie" not in eindhoven
        and "masa odebranych odpadów komunalnych na mieszkańca, a także – z wynikiem niepewnym – liczba samochodów osobowych na mieszkańca;"
        in eindhoven
    )


def test_the_bottom_line_says_which_way_the_differences_of_debatable_direction_go(city_benchmark):
    """Two Kielce officials of the eighth session: "w 3 – wyraźnie inna … (samochody, …)" left them asking whether Kielce
    has more or fewer cars. One side for all of them: said in the sentence; both sides: each named under its side."""
    import re

    def sentence(city: str, lang: str) -> str:
        box = benchmark_text.in_brief(city_benchmark(city), Lang(lang))
        lead = re.search(r'<p class="in-brief-lead">(.*?)</p>', box, re.S).group(1)
        return html.unescape(re.sub(r"<[^>]+>", "", re.findall(r"<span>(.*?)</span>", lead, re.S)[1]))

    # A single one named (an official of the seventeenth session: "which one?").
    assert (
        "w 1 (zużycie wody w gospodarstwach domowych – wynik prawdopodobny) jest wyraźnie niższa, ale nie jest przesądzone, czy jest to korzystne"
        in sentence("kielce", "pl")
    )
    # Several, not named: where they are, kept in the copied note (an English editor of the eighteenth session).
    assert "on 3 it is clearly higher, but whether that is good or bad is debatable (listed in the full report)" in sentence("porto", "en")
    assert '<span class="in-brief-listed"> (listed in the full report)</span>' in benchmark_text.in_brief(city_benchmark("porto"), Lang("en"))
    gdynia = sentence("gdynia", "pl")
    assert "w 2 jest wyraźnie inna, ale nie jest przesądzone, czy jest to korzystne" in gdynia
    # Each named under its side, with its confidence and why, in the details (officials of the eleventh session: the
    # names, confidence words and reason were forty words of a first screen read in three minutes).
    details = html.unescape(benchmark_text.in_brief(city_benchmark("gdynia"), Lang("pl")).split('<details class="in-brief-more">')[1])
    assert (
        "wyraźnie poniżej mediany – zużycie wody w gospodarstwach domowych na mieszkańca (wynik niepewny); wyraźnie powyżej "
        "mediany – liczba przedsiębiorstw na 100\u00a0000 mieszk. (wynik prawdopodobny)"
    ) in details
    assert "zużycie wody zależy także od dochodów, cen wody i opomiarowania" in details


def test_the_claims_not_shown_say_each_group_s_level_when_groups_differ():
    """An English editor: Oakville's "and 4 more, 1 probable and 1 uncertain" read as "4 more, of which 1 probable…"."""
    import re

    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata

    # Oakville's strengths again (Porto's weaknesses while Oakville's were all firm; the fifteenth session).
    result = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "oakville")
    for lang, expected in (
        # Those of high confidence plainly, as the scale says (a Polish editor: "odporne" is undefined in the copied note).
        ("en", "; and 1 more strength, as well as 1 probable strength (listed in the full report)."),
        ("pl", "; ponadto 1 inna mocna strona, a także 1 prawdopodobna mocna strona (wymienione w pełnym opracowaniu)."),
    ):
        box = benchmark_text.in_brief(result, Lang(lang))
        # The sentence's text (where the counted ones are named is a span of its own).
        strengths = html.unescape(re.sub(r"<[^>]+>", "", re.findall(r"<span>(.*?)</span>\n", box, re.S)[2]))
        assert strengths.endswith(expected), strengths
        # Kept in the copied note, unlike the pointers into the page: without it the mayor got two strengths named nowhere
        # (three editors of the eighteenth session).
        listed = "(listed in the full report)" if lang == "en" else "(wymienione w pełnym opracowaniu)"
        assert f'<span class="in-brief-listed"> {listed}</span>.</span>' in box


def test_the_in_brief_box_puts_units_after_the_name_so_no_unit_word_agrees_with_a_number(kielce):
    """A Polish editor: "77,2 lata wobec mediany 81,3 lata" is wrong (a fraction takes "roku"); and a name that already
    ends with its unit got it twice ("(PM2,5) [µg/m³]: 20,8 µg/m³", "na mieszkańca (na mieszkańca)")."""
    import re

    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata
    from analysis.text import benchmark as text

    # Life expectancy is firm when reference years up to five apart are admitted (Porto's 2010, Oakville's 2011; with
    # three, a variant's median is Gdynia's and Eindhoven's alone or too old: 60 %, uncertain, not in the box).
    # With tax collection compared, as until the fifteenth session (now not comparable: national tax administration), for
    # the one claim on the real data whose same-country peer has no value.
    metadata = load_indicator_metadata()
    metadata.loc[metadata["code"] == "FN9.4", ["comparable_across_cities", "comparability_reason"]] = [True, ""]
    wide = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), metadata), "kielce", max_year_gap=5)
    box = text.in_brief(wide, Lang("pl"), limit=4)  # every firm weakness (three)
    plain = html.unescape(re.search(r'<p class="in-brief-lead">(.*?)</p>', box, re.S).group(1))
    # Rounded in the bottom line, the counted noun agreeing with the whole number before it ("81 lat", not "81 roku");
    # the exact numbers in the details.
    assert "krótsze przeciętne trwanie życia (77 wobec mediany 81 lat; różnica ma w dużej mierze charakter ogólnokrajowy)" in plain
    lead = html.unescape(re.search(r'<li class="in-brief-exact">(.*?)</li>', box, re.S).group(1))
    # A counted noun as a unit agrees with the number: a fraction takes "roku" (an editor: "77,2 lata" is wrong Polish;
    # a second read "w latach: 77,2" as a period); a symbol follows the median; a percentage is said of both numbers.
    assert not re.search(r"\d\s(lata|lat|godzin\w*)\b", lead), lead
    # "Largely national" with what it rests on, the same-country value (an editor, an official and a sceptical reading:
    # inferred from one city, which the page did not say).
    assert "krótsze przeciętne trwanie życia (77,2 wobec 81,3 roku; w Gdyni – 78,5, a więc różnica ma w dużej mierze charakter ogólnokrajowy)" in lead
    assert "niższa ściągalność podatków (87,9\u00a0% wobec mediany 96,5\u00a0%; tylko na tle miast zagranicznych, gdyż brak danych dla Gdyni)" in lead
    # The fourteenth sceptical reading: Gdynia (78.5) shares two thirds of the gap: said, as national, of that claim
    # only; fine dust: Gdynia shares a quarter of the gap (silent).
    # All three of high confidence since a level member on the same side no longer voids PM2.5 (the seventeenth session).
    assert "wyższe stężenie pyłu zawieszonego PM2,5 (20,8 wobec 13,5 µg/m³)\u00a0– wszystkie trzy wyniki odporne na zmianę założeń." in lead
    # Gdynia's values in the details, by short name (a bottom line to read in under a minute).
    assert (
        # Tax collection with "no data" (an official of the thirteenth session: it is against foreign cities only).
        '<li class="in-brief-same"><strong>Dla porównania – dane dla Gdyni (miasta w tym samym kraju):</strong> ściągalność podatków\u00a0– brak '
        "danych; przeciętne trwanie życia\u00a0– 78,5 roku; stężenie pyłu zawieszonego PM2,5\u00a0– 13,5 µg/m³.</li>"
    ) in box
    # An editor: no unit in square brackets.
    assert "[" not in box.split('<details class="in-brief-more">')[0]
    # Who Gdynia is, said once (a Gdynia box said "Kielce (same country)" beside six claims), and that it is given
    # only where it has a value (an editor and two officials: tax collection has none).
    assert box.count("(miasta w tym samym kraju)") == 1
    # A fourth reading: "in at least 90 % of the variants that can compare the indicator" was untrue of a contested
    # direction (WS21.4 at 50 %: the variants that do not rank it counted against it); the scale now says so.
    english = text.in_brief(kielce, Lang("en"))
    # One base for every claim (the eighth reading): all 80 variants; one that cannot compare counts against.
    assert (
        "Variants of the calculation: 120 for each indicator's result (they differ in the threshold of a clear difference, the data years and the set of cities, among others) and 17,322 for the ranking"
        in english
    )
    # An editor: a formula in brackets is no unit ("Stężenie NO₂ (dwutlenku azotu): 15,2" had none).
    gdynia = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "gdynia")
    polish = text.in_brief(gdynia, Lang("pl"))
    # The median named, NO₂ being the first claim since women elected is probable (its gap is two seats of the smallest council).
    assert "niższe stężenie dwutlenku azotu NO₂ (15,2 wobec mediany 24,9 µg/m³)" in polish
    # A percentage with its sign beside the city's (an editor: "95,0 % wobec mediany 100,0 %; Kielce: 99,9"); the
    # same-country peer's value beside a gap that is not national (an official of the eighteenth session read Kielce's PM2.5 as
    # national beside the life expectancy that is).
    assert "(95\u00a0% wobec mediany 99\u00a0%; w Kielcach – 97\u00a0%)" in polish
    assert (
        "stężenie dwutlenku azotu (NO₂)\u00a0– 25,6 µg/m³;" in polish
        and "odsetek mieszkańców korzystających z sieci kanalizacyjnej\u00a0– 97\u00a0%" in polish
    )

    # The base of the share (a variant that cannot compare counts against the claim) is in the note under the tables,
    # with the number of peer values a variant needs as the code has it (the sixteenth sceptical reading: the note and
    # comparison.compare's docstring said "one fewer than the headline" while the variants asked for one).
    from analysis.methods import benchmark as methods
    from analysis.methods import comparison

    assert methods.VARIANT_MIN_PEERS == comparison.MIN_PEERS - 1 == 2
    note = text.claims_note(kielce, Lang("en"))
    assert "A variant needs three peer values, as the main calculation does, or two if it has left one out" in note
    assert "a variant left with fewer cannot compare the indicator and counts against the claim" in note
    # The construct rule, said (the seventeenth reading: the variants skipped it).
    assert "a claim holds in a variant only if no other comparable measure of the same thing has another verdict there" in note
    assert "Wariant wymaga – tak jak bazowy wariant obliczeń – trzech wartości miast odniesienia albo dwóch" in text.claims_note(kielce, Lang("pl"))
    assert "counts only the variants that rank its direction (half of them)" in text.claims_note(kielce, Lang("en"))


def test_the_in_brief_box_says_when_the_values_that_cannot_be_right_are_one_fault(kielce):
    """A sceptical reading: "7 cannot be right as printed" counted six shares of one whole (solid waste by treatment,
    adding up to 124 %) as six findings, of which only one need be wrong."""
    import re

    from analysis.text import benchmark as text

    # A third reading: "cannot be right" for each of the six overstated it: the sum proves at least one is wrong.
    english = re.sub(r"\s+", " ", text.in_brief(kielce, Lang("en")))
    # In the box's folded details (the summary says how many values to verify, linked to the list).
    assert (
        "Among the values to verify, 4 shares of one whole add up to 124.3%, so at least one of them is wrong; 1 other value cannot be right as printed."
        in english
    )
    polish = re.sub(r"\s+", " ", text.in_brief(kielce, Lang("pl")))
    # An editor: two colons in one sentence, "sumować się do" a calque, "w tej postaci" with nothing to refer to.
    assert (
        "Wśród wartości do sprawdzenia są 4 udziały procentowe, których suma nie powinna przekraczać 100 %, a wynosi 124,3 % – "
        "co najmniej jeden z nich jest więc błędny; ponadto 1 wartość w opublikowanej postaci nie może być poprawna." in polish
    )


def test_theme_tables_show_the_median_and_gap_behind_each_verdict(kielce):
    """A sceptical reading: the theme tables showed a peer median with the peers' doubtful values in it while the
    verdict and benchmark-<city>-comparison.csv left them out (11 indicators differed; TR18.1 'better' beside a
    median of 6.06 that no verdict used)."""
    from analysis.text import benchmark as text

    tr = Lang("en")
    comparison = kielce.comparison.set_index("code")
    assert comparison.index.is_unique
    seen = 0
    for theme in kielce.summary["theme"].unique():
        table = text.theme_table(kielce, theme, tr).set_index("Code")
        for code, row in table.iterrows():
            expected = comparison.loc[code, "peer_median"]
            shown = row["Peer median"]
            assert (pd.isna(shown) and pd.isna(expected)) or shown == expected, code
            gap = comparison.loc[code, "gap"]
            assert (pd.isna(row["Gap to median"]) and pd.isna(gap)) or row["Gap to median"] == gap, code
            seen += 1
    assert seen == len(kielce.summary)
    tr18 = text.theme_table(kielce, "Transportation", tr).set_index("Code").loc["TR18.1"]
    # Since doubtful values are left out of ranks and scores too, the scores' median is the verdict's (it was 6.06).
    assert tr18["Peer median"] == kielce.summary.set_index("code").loc["TR18.1", "peer_median"] == 7.68


def test_theme_verdicts_count_each_construct_once_and_add_up_to_the_headline(kielce):
    """A sceptical reading: the theme table added up to 36 level of 93 against the headline's 35 of 92 (UP19.3,
    one construct with SH15.1, was counted in Urban planning too)."""
    themes = kielce.theme_verdicts
    for verdict, column in (("better", "n_better"), ("worse", "n_worse"), ("level", "n_level"), ("not comparable", "n_not_comparable")):
        assert int(themes[column].sum()) == kielce.counts[verdict], verdict


def test_the_in_brief_box_gives_the_overall_standing_only_as_the_evidence_allows(kielce, kielce_with_tax_collection):
    """Issue 16/18: no bare "5th of 5": the 5-95 % range of the overall rank and the cities it overlaps, declined."""
    import re

    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata
    from analysis.methods.robustness import overall_order
    from analysis.text import benchmark as text

    standing = text.overall_standing(kielce, Lang("pl"))
    summary = kielce.robustness.summary
    mine = summary[(summary["theme"] == "overall") & (summary["city"] == "Kielce")].iloc[0]
    assert (standing["p05"], standing["p95"]) == (int(mine["rank_p05"]), int(mine["rank_p95"]))
    # The fourth sceptical reading: "the data do not separate it from Eindhoven" (ranges 3-5 and 3-5 overlap) while
    # Eindhoven's median rank was 3 to Kielce's 5. The pairwise order over the variants decides now.
    # The fifth reading: "usually below Eindhoven" (82 %) was misleading; only the high tier places two cities, the
    # rest are a group. The sixth: "below Eindhoven in at least 90 %" rested on rates of rare events that separate no
    # two cities beyond chance (road deaths, homicides, fire deaths); without them in the ranks, 89.98 %: a group.
    # The seventh: with noise exposure and own-source revenue out of the ranks (not comparable between cities),
    # Kielce ranks below Eindhoven in 92.5 % of the variants.
    # The eleventh: scored as the comparison counts (constructs once, no 0 against 100 for 0.12 % against 0 % of
    # residents in informal settlements), Eindhoven is no longer separated (84.8 %): a group with Porto.
    # The twelfth: with greenhouse gases not comparable and survival rates over 105 % doubtful, Kielce ranks above
    # Porto in at least 90 % of the variants; its order with Eindhoven leans one way (87 %) and the box says so.
    # The thirteenth: two officials and a sceptical reading: "not settled (below Eindhoven in 89 %)" while the page's one
    # scale calls 89 % medium confidence; the orders are placed on that scale now.
    # The sixteenth (an analyst of the tenth session): with the overall score also taken over the themes of at least three
    # ranked indicators, Kielce is behind Gdynia in 72 % and ahead of Porto in 83 % of the variants: both medium. Behind
    # Oakville in 90.1 % rested on two random weight draws (75.7 % with another seed; the same analyst): with 19 draws,
    # 84 %, medium like the others.
    # The seventeenth (two analysts of the twelfth and thirteenth sessions): behind Gdynia in 69.5 % of the variants, but 46 %
    # with the themes of at least three ranked indicators, where Kielce is 3rd: an order one choice turns around is not
    # settled (``least_below`` under a half), and the details say which choice.
    # The eighteenth (an analyst of the thirteenth session): improved sanitation, reported by Gdynia as its sewer share, is
    # no longer compared; behind Gdynia in 80 % of the variants, and in at least 64 % with each setting of each choice.
    # The nineteenth (the fifteenth session): with outdoor recreation space, homelessness and poverty not compared, Oakville
    # is 1st in the main calculation and named first; Kielce's band is 2nd to 5th.
    # The twentieth (the sixteenth session): the ranking's variants are the same on every page; behind Oakville in 75 %
    # of them, 49.8 % with one normalisation: not settled.
    # The twenty-first (an analyst of the seventeenth session): with ozone of debatable direction (its annual mean is lowest
    # where traffic breaks it down), behind Oakville in 81 % of the variants and in at least 57 % with each option: probable.
    # The twenty-second (an analyst of the seventeenth session): with police-recorded property and violent crime not compared
    # (national penal codes; Eurostat), Kielce is ahead of Porto in 65 % of the variants: not settled, leaning ahead.
    # The twenty-third (an analyst of the seventeenth session): with light passenger transport (TR18.2) not compared, like
    # high-capacity transport (which lines count is each city's choice; Kielce's doubtful 670.9 km per 100 000 led the
    # variants that keep doubtful values), Kielce is behind Eindhoven (94 %) and Gdynia (90.5 %) in at least 90 % of the
    # variants: said plainly; ahead of Porto in 61 %.
    # The twenty-fourth (a second analyst of the same session): the themes of "at least three ranked indicators" counted rows
    # that score no city (every city alike, or one alone reporting); counting only those that tell the cities apart, Kielce is
    # behind Eindhoven in 89 % and Gdynia in 81 %: probable, as behind Oakville (75 %); ahead of Porto in 67 %, but in 44 %
    # with one normalisation: not settled.
    assert (standing["below"], standing["below_medium"], standing["above"], standing["group"]) == ("", "Oakville, Eindhovenu i Gdyni", "", "Porto")
    assert standing["above_medium"] == "" and standing["n_above"] == 0 and "usually_below" not in standing
    assert standing["group_lean"] == " (częściej przed Porto)"
    order = overall_order(kielce.robustness).set_index("city")
    assert 2 / 3 < order.at["Porto", "share_above"] < 0.9 and order.at["Porto", "least_above"] < 0.5
    assert 2 / 3 <= order.at["Eindhoven", "share_below"] < 0.9 and 2 / 3 <= order.at["Oakville", "share_below"] < 0.9
    # The place it takes most often, with its share; the range the firm orders allow (an editor: "1st-4th of 5, above
    # Kielce and Porto" on Oakville's page contradicted itself).
    assert (standing["mode"], standing["low"], standing["high"], standing["nominal"]) == (4, 2, 5, 4)
    assert standing["mode_share"] == pytest.approx(mine["share_rank_4"])
    box = text.in_brief(kielce, Lang("pl"))
    # The place on the page's scale (an official: 83 % is "medium"; the ranking is the page's own, not the source's).
    # What the ranking is and every city's place in it (officials: "what does it measure, and who is last?").
    assert (
        "<strong>Ranking ogólny – szczegóły:</strong> od 2. do 5. miejsca wśród 5 miast w co najmniej 90\u00a0% wariantów rankingu, "
        "najczęściej 4. (51\u00a0%). Ranking porządkuje miasta według średniej z ich wyników w obszarach tematycznych; "
        "kolejność w bazowym wariancie obliczeń: 1.\u00a0Oakville, 2.\u00a0Eindhoven, 3.\u00a0Gdynia, 4.\u00a0Kielce, 5.\u00a0Porto. "
        # The order on ISO 37120's core indicators alone, a scenario beside the grid (two analysts of the sixteenth session:
        # Kielce is 5th on them; pooled as half the grid, that other basket overturned every order).
        "W rankingu opartym wyłącznie na wskaźnikach podstawowych normy ISO 37120 (inny zestaw wskaźników, a nie jeden z wariantów: pomija około połowy "
        "wskaźników i niektóre obszary w całości) kolejność w bazowym wariancie obliczeń jest następująca: 1.\u00a0Eindhoven, "
        "2.\u00a0Gdynia, 3.\u00a0Oakville, 4.\u00a0Porto, 5.\u00a0Kielce. Po pominięciu"
    ) in box
    # The orders against each city, folded (officials: three confidence statements in one line).
    assert (
        # "Za" and "przed", as the bottom line says them (a Polish editor: "poniżej … powyżej Porto" against "przed Porto").
        # Gdynia's order was not settled (69 %, 46 % with one setting) while improved sanitation, which Gdynia reports as its
        # sewer share, was compared. No trailing space where no rule follows.
        # Oakville's order not settled since the ranking's variants are the same on every page (behind Oakville in 75 % of
        # them, 49.8 % with one normalisation; 78 % and 51.9 % while the years' reference was Kielce's).
        # Behind Oakville probable since ozone's direction is debatable (81 %, at least 57 % with each option: the seventeenth
        # session); no rule follows where no order is turned around.
        # Porto's order not settled since crime rates are not compared (the seventeenth session; 67 %, 44 % with one
        # normalisation, once the themes of three ranked indicators count only those that tell cities apart).
        "Miejsce w rankingu ogólnym względem poszczególnych miast: za Oakville, Eindhovenem i Gdynią (wynik prawdopodobny); "
        "kolejność względem Porto nierozstrzygnięta (wyżej niż Porto w 67\u00a0% wariantów, ale tylko w 44\u00a0% wariantów przy jednej "
        "z opcji założenia „sposób normalizacji”)."
    ) in html.unescape(re.sub(r"<[^>]+>", "", box.split('<details class="in-brief-more">')[1]))
    english = text.in_brief(kielce, Lang("en"))
    assert (
        "<strong>Overall ranking – details:</strong> 2nd to 5th of 5 cities in at least 90% of the ranking variants, most often 4th (51%). The ranking"
        in english
    )
    # In the bottom line, a place of low confidence as not settled, with the main calculation's place; each order in the
    # details only (officials of the eleventh session: a first screen of 327 words took three minutes).
    assert (
        # The most frequent place, not the band (an official of the fifteenth session briefed "2nd to 5th" as "it could be 2nd").
        "place not settled: most often 4th of 5 cities (51% of the variants, and in the main calculation); against each city: probably behind "
        "Oakville, Eindhoven and Gdynia; order against Porto not settled (more often ahead of Porto); on ISO 37120's core indicators alone, "
        "place not settled: most often 5th (35% of that ranking's variants, and in the main calculation).</span>"
    ) in english
    assert "city by city" not in english and "Overall ranking against each city:" in english.split('<details class="in-brief-more">')[1]
    oakville_result = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "oakville")
    oakville = text.overall_standing(oakville_result, Lang("en"))
    # The 5-95 % band, said as "in 90 % of the variants" (an editor: "1st to 3rd" from the firm orders alone was untrue
    # beside the page's own band); the report's own rank when it differs from the most frequent one.
    # 1st to 4th since the grid also reads contested directions the other way (1st to 3rd before; the fifteenth reading);
    # 1st to 3rd again since under-five mortality (Oakville's 4.7 per 1 000 live births, about 10 child deaths against
    # Eindhoven's 5) separates no city beyond chance; Oakville is then probably ahead of Gdynia. 1st to 4th since the
    # overall score is also taken over the themes of at least three ranked indicators (an analyst, tenth session).
    # Gdynia in the group since one choice turns that order around (Oakville ahead in 68.8 %, 45.7 % with one setting; the
    # thirteenth session).
    # 1st to 5th since Porto's PM2.5 is to be verified (0.20 of its PM10). Ahead of Porto probable, no longer firm, since
    # homelessness, poverty and outdoor recreation space are not compared (the fifteenth session); 1st in the main
    # calculation, 2nd most often.
    # Ahead of Porto firm again since internet connections (a count of households) are not compared; probable (89.8 %) once
    # full-time employment is of debatable direction (Dutch part-time work: an analyst of the fifteenth session).
    # Kielce's order not settled either once the ranking's variants are the same on every page (75 %, 49.8 % with one
    # normalisation), as Kielce's page says (the sixteenth session).
    # Kielce's order probable again once ozone's direction is debatable (81 %, 57 % with each option: the seventeenth session).
    # Porto's order not settled once crime rates are not compared (80 %, 45 % with one normalisation: the seventeenth session).
    # Porto's probable again (78 %, 57 % with each option) once the themes of three ranked indicators count only those that
    # tell the cities apart (the same session).
    assert (oakville["low"], oakville["high"]) == (1, 5) and oakville["n_above"] == 0 and oakville["n_group"] == 2
    assert (oakville["mode"], oakville["nominal"]) == (1, 1)
    # Which way an unsettled order leans, in the folded details (the twelfth reading: "not settled" read as a coin toss).
    assert "Eindhoven in " in oakville["leans"]
    assert f"not settled ({oakville['leans']})" in text.in_brief(oakville_result, Lang("en")).split('<details class="in-brief-more">')[1]
    # Each order said as taken alone (two editors: "1st to 4th of 5 …; ahead of Kielce and Porto" read as a contradiction).
    import re

    lead = html.unescape(re.sub(r"<[^>]+>", "", text.in_brief(oakville_result, Lang("pl")).split('<details class="in-brief-more">')[0]))
    # Not "z każdym miastem" (a Polish editor: it announced four cities and named two).
    # Every order the evidence allows since the thirteenth session (a Polish editor and an analyst: one order alone misled).
    assert (
        # Ahead of Kielce probable and no rival for 1st since ozone's direction is debatable (the seventeenth session); the way
        # each unsettled order leans (an official of the same session).
        # Oakville 1st most often again, and ahead of Porto probable, once the themes of three ranked indicators count only the
        # indicators that tell the cities apart (the same session).
        "najczęściej 1. wśród 5 miast (w 38\u00a0% wariantów, a także w bazowym wariancie obliczeń), a mniej więcej równie często "
        "1. miejsce zajmuje Eindhoven (w 37\u00a0% wariantów); względem poszczególnych miast: "
        "prawdopodobnie przed Kielcami i Porto; kolejność względem Eindhovenu i Gdyni nierozstrzygnięta (częściej za Eindhovenem, "
        "częściej przed Gdynią)"
    ) in lead
    assert (
        "względem poszczególnych miast: przed Kielcami i Porto (wynik prawdopodobny); kolejność względem Eindhovenu i Gdyni nierozstrzygnięta"
        in html.unescape(text.in_brief(oakville_result, Lang("pl")).split('<details class="in-brief-more">')[1])
    )
    assert "zwykle" not in box
    # The theme's verdict with its counts (the eighth reading), folded, with how many of them are firm (a sceptical
    # reading: nitrogen dioxide holds in half of the variants).
    # (No theme has a majority since NO₂ is level: beyond most peers by the material gap, the fifteenth session.)
    assert "W obszarze „Środowisko”" not in box.split('<details class="in-brief-more">')[1]
    # The breakdown of "not clearly different" is the headline's, below the box (an official read the box's version
    # twice: which group were the other 24?); the box gives the peers' years and the country's own peer instead.
    assert "Wśród wskaźników bez wyraźnej różnicy" not in box
    # The peers' years said as theirs, not "tych miast" (a Polish editor and an official of the seventh session: this
    # city's too?): a relative clause after the peers since the eleventh session; the source of all five cities' data.
    assert "i Porto (Portugalia), których dane pochodzą z różnych lat okresu 2001–2017; wszystkie dane zestawiono w diagnozie" in box
    assert (
        "W przypadku 35 wartości podanych dla pozostałych miast rok danych jest odległy o ponad 3\u00a0lata od roku, z którego pochodzi odpowiednia wartość dla Kielc"
        in box
    )
    # No bare "Gdynia (same country): no value" beside a claim (an official's first screen): what it means is said instead,
    # that the claim rests on foreign cities alone (an official of the thirteenth session). Tax collection, the one such
    # claim, is compared here as it was until the fifteenth session.
    taxed = text.in_brief(kielce_with_tax_collection, Lang("pl"))
    assert (
        # With the other two of high confidence since PM2.5 is (the seventeenth session): one word for the three.
        "niższa ściągalność podatków (87,9\u00a0% wobec mediany 96,5\u00a0%; tylko na tle miast zagranicznych, gdyż brak danych dla Gdyni) i wyższe "
        "stężenie pyłu zawieszonego PM2,5 (20,8 wobec 13,5 µg/m³)\u00a0– oba wyniki odporne na zmianę założeń" in taxed
    )
    # The missing value said once per claim, with what it means, not as a bare "Gdynia: brak danych".
    assert taxed.split('<details class="in-brief-more">')[0].count("tylko na tle miast zagranicznych, gdyż brak danych dla Gdyni") == 2


def test_the_overall_order_counts_the_variants_in_which_both_cities_have_a_rank():
    """Overlapping rank ranges are not the same as an unsettled order: the order over the variants decides."""
    import numpy as np

    from analysis.methods.robustness import Robustness, overall_order

    # Overall ranks (last theme) of focal "a" and peers "b", "c", "d" in 10 variants; 0 = no rank.
    a = [2, 2, 2, 2, 2, 2, 2, 2, 2, 3]
    b = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]  # above a in 10 of 10
    c = [3, 3, 3, 3, 3, 3, 3, 1, 1, 0]  # below a in 7 of the 9 with a rank
    d = [4, 4, 1, 1, 4, 1, 4, 1, 4, 2]  # 5 of 10 below a
    ranks = np.zeros((10, 2, 4), dtype=int)
    ranks[:, 1, :] = np.array([a, b, c, d]).T
    rob = Robustness("a", ["a", "b", "c", "d"], ["T", "overall"], pd.DataFrame(index=range(10)), ranks, None, None, None)
    order = overall_order(rob).set_index("city")
    assert order.loc["b", ["n_variants", "share_above", "share_below"]].tolist() == [10, 0.0, 1.0]
    assert order.at["c", "n_variants"] == 9 and order.at["c", "share_above"] == pytest.approx(7 / 9)
    assert order.at["d", "share_above"] == 0.5 and order.at["d", "share_below"] == 0.5


def test_a_theme_is_level_only_when_none_of_its_indicators_is_clearly_better_or_worse():
    """The fourth sceptical reading: Health was "level" (most indicators level) beside a weakness of high confidence
    in it (life expectancy). A majority of level indicators with a clear gap among them is mixed."""
    from analysis.methods.benchmark import _theme_row

    assert _theme_row("T", {"better": 0, "worse": 0, "level": 3, "not comparable": 1})["verdict"] == "level"
    # The eleventh: "mixed" said both ways for a theme with one weakness and nothing better; it needs both now.
    assert _theme_row("T", {"better": 0, "worse": 1, "level": 3, "not comparable": 0})["verdict"] == "partly worse"
    assert _theme_row("T", {"better": 1, "worse": 0, "level": 4, "not comparable": 0})["verdict"] == "partly better"
    assert _theme_row("T", {"better": 1, "worse": 1, "level": 3, "not comparable": 0})["verdict"] == "mixed"
    assert _theme_row("T", {"better": 2, "worse": 0, "level": 2, "not comparable": 0})["verdict"] == "partly better"
    assert _theme_row("T", {"better": 3, "worse": 1, "level": 1, "not comparable": 0})["verdict"] == "better"
    assert _theme_row("T", {"better": 0, "worse": 0, "level": 2, "not comparable": 5})["verdict"] == "too few"


def test_the_strengths_table_opens_with_the_claims_of_the_box(kielce):
    """The fourth sceptical reading: the box listed enrolment and car ownership; the table under it opened with
    mobile connections (a contested direction, 50 % of the variants), which the box had left out."""
    from analysis.data import labels
    from analysis.text import benchmark as text

    tr = Lang("en")
    for kind in ("strength", "weakness"):
        table = text.top_claims(kielce, tr, kind)
        shares = table[tr("Robust in")].tolist()
        assert shares == sorted(shares, key=lambda share: share < text.ROBUST_SHARE)  # firm claims first
        box = text.in_brief(kielce, tr)
        # The box names them by their short names with the direction (data/raw/indicator_short_names.csv), the table by
        # the full ones.
        full_to_code = {text.indicator_name(code, tr): code for code in kielce.comparison["code"]}
        firm = [name for name, share in zip(table[tr("Indicator")], shares) if share >= text.ROBUST_SHARE]
        phrases = labels.direction_phrases("en")
        for name in firm:
            assert any(html.escape(phrase) in box for phrase in phrases[full_to_code[name]].values()), name
    assert text._indicator("TV17.2", tr) not in set(text.top_claims(kielce, tr, "strength")[tr("Indicator")])


def test_rates_of_rare_events_that_separate_no_two_cities_are_not_ranked():
    """A sceptical reading: Kielce's order with Eindhoven moved from 96 % to 87 % of the variants without three rates of
    rare events whose highest and lowest city differ by chance (about 6 road deaths against 7, 1, 2, 5)."""
    from analysis.methods.benchmark import chance_only

    rows = []
    for code, values in {"R1": (3.0, 3.5, 0.5, 1.0), "R2": (30.0, 35.0, 2.5, 10.0)}.items():
        rows += [(code, city, v, "lower") for city, v in zip("abcd", values)]
    table = frame(rows)
    table["unit"] = "per 100 000"
    table["rate_of_events"] = True
    populations = {city: 200_000 for city in "abcd"}
    assert chance_only(table, populations) == {"R1"}  # fires: 7 events against 1 (p = 0.07); R2: 70 against 5, silent
    assert chance_only(table, {}) == set()  # no populations, no test
    result = run_benchmark(table, "a", screening_context=EMPTY_CONTEXT, populations=populations, n_variants=288)
    ranked = result.table.set_index(["code", "city"])["rank"]
    screened = result.table.set_index(["code", "city"])["excluded"]
    # R2 is ranked (c's 2.5, a screening doubt, is left out as every doubtful value is).
    assert ranked.loc["R1"].isna().all() and ranked.loc["R2"][~screened.loc["R2"]].notna().all() and ranked.loc["R2"].notna().sum() >= 3
    assert result.table.loc[result.table["code"] == "R1", "n_ranked"].isna().all()


def test_a_theme_verdict_is_the_plain_majority_and_the_box_counts_its_firm_claims(kielce, city_benchmark):
    """Environment: 3 of 4 comparable constructs clearly worse, only PM2.5 of at least medium confidence: the verdict
    is the plain majority ("worse"), and the first screen says how many of its claims are firm (1), not a verdict
    folded over confidence (a sceptical reading). Kielce's Environment is "partly worse" since NO₂ is level (beyond most
    peers by the material gap: the fifteenth session); Oakville's is a majority now, both of its claims firm."""
    from analysis.text.benchmark import _theme_claims
    from analysis.text.i18n import Lang

    verdicts = kielce.theme_verdicts.set_index("theme")
    assert verdicts.loc["Environment", "verdict"] == "partly worse"
    assert (verdicts.loc["Environment", "n_worse"], verdicts.loc["Environment", "n_compared"]) == (1, 3)
    assert verdicts.loc["Economy", "verdict"] == "level"
    assert not _theme_claims(kielce, Lang("en"))  # no majority, nothing to count
    oakville = city_benchmark("oakville")
    assert oakville.theme_verdicts.set_index("theme").loc["Environment", "verdict"] == "better"
    environment = [theme for theme in _theme_claims(oakville, Lang("en")) if "Environment" in theme["name"]]
    assert len(environment) == 1 and (environment[0]["n"], environment[0]["of"], environment[0]["firm"]) == (2, 3, 2)


def test_the_largest_strengths_table_puts_the_firmest_first(kielce):
    """The tenth sceptical reading: "the 3 largest strengths" opened with domestic water use (50 %, contested
    direction) while the note said "ordered by the gap" and the first screen's tables by confidence: one order now."""
    from analysis.text.benchmark import strengths_table
    from analysis.text.i18n import Lang

    table = strengths_table(kielce, Lang("en"), "strength")
    shares = list(table["Robust in"])
    # With fewer cars of contested direction (35 %), household water use (50 %) is the firmest of three weak strengths.
    assert shares == sorted(shares, reverse=True) and table["Code"].iloc[0] == "WS21.4"


def test_the_strengths_table_title_says_how_many_are_of_debatable_direction(kielce):
    """An editor: "Największe mocne strony Kielc" titled three rows of debatable direction while the box above says no
    strength is confirmed; the title says how many of them are so."""
    from analysis.text.benchmark import caption

    polish = caption(kielce, Lang("pl"), "strengths")
    # All three are of debatable direction: the title does not call them strengths (three officials read "Największe
    # mocne strony" under a box saying none was found).
    # Nor "clearly better" (a Polish editor: "wyraźnie lepsza …, wszystkie o dyskusyjnym kierunku" contradicted itself).
    # One row since the fifteenth session (water use): said of it, not "(1) – wszystkie …, więc żadnego" (a Polish editor).
    assert polish.startswith(
        "Wskaźnik, w którym wartość dla Kielc wyraźnie odbiega od mediany miast odniesienia w kierunku uznanym w bazowym "
        "wariancie obliczeń za korzystny (1) – o dyskusyjnym kierunku oceny, dlatego nie uznano go za mocną stronę"
    )
    assert "mocne strony" not in polish and "lepsza" not in polish and "wszystkie" not in polish
    weaknesses = caption(kielce, Lang("pl"), "weaknesses")
    assert "dyskusyjnym" not in weaknesses  # silent: no weakness of debatable direction
    # Not "Największe słabe strony" (a Polish editor: the table holds claims the box calls uncertain, ordered by confidence).
    assert weaknesses.startswith("Wskaźniki, w których wartość dla Kielc jest wyraźnie gorsza od mediany miast odniesienia (2, od najpewniejszego")
    assert "(1): of debatable direction, so not counted as a strength" in caption(kielce, Lang("en"), "strengths")


def test_unscored_leaves_out_second_members_and_cities_closer_than_the_material_gap():
    """The eleventh sceptical reading: min-max scaling made 0 against 100 of 0.12 % against 0 % of residents in
    informal settlements, and fine dust (PM2.5 and PM10, one construct) was scored twice."""
    from analysis.methods.benchmark import unscored

    rows = []
    for code, values, gap, kind, construct, representative in [
        ("S1", (0.12, 0.0, 0.04), 1.0, "absolute", "", True),  # spread 0.12 under a gap of 1 point: fires
        ("S2", (10.0, 0.0, 5.0), 1.0, "absolute", "", True),  # spread 10: silent
        ("S3", (100.0, 104.0, 102.0), 0.05, "relative", "", True),  # 4 under 5 % of 102 (5.1): fires
        ("S4", (100.0, 110.0, 102.0), 0.05, "relative", "", True),  # 10 over 5.1: silent
        ("C1", (1.0, 5.0, 9.0), 1.0, "absolute", "dust", True),  # the representative: silent
        ("C2", (1.0, 5.0, 9.0), 1.0, "absolute", "dust", False),  # the second member: fires
        ("Z1", (3.0, 3.0, 3.0), 1.0, "absolute", "", True),  # no spread at all: no rank anyway, not "spread"
    ]:
        for city, value in zip("abc", values):
            rows.append(
                {
                    "code": code,
                    "city": city,
                    "value": value,
                    "missing": False,
                    "excluded": False,
                    "material_gap": gap,
                    "material_gap_kind": kind,
                    "construct": construct,
                    "construct_representative": representative,
                }
            )
    frame = pd.DataFrame(rows)
    reasons = frame.assign(reason=unscored(frame)).drop_duplicates("code").set_index("code")["reason"].to_dict()
    assert reasons == {"S1": "spread", "S2": "", "S3": "spread", "S4": "", "C1": "", "C2": "construct", "Z1": ""}
    # An excluded value does not widen the spread.
    frame.loc[(frame["code"] == "S2") & (frame["city"] == "a"), ["value", "excluded"]] = [1000.0, True]
    frame.loc[(frame["code"] == "S2") & (frame["city"] == "b"), "value"] = 4.5
    assert unscored(frame)[frame["code"] == "S2"].eq("spread").all()


def test_a_claim_carries_the_value_of_the_peer_of_its_own_country():
    """Two readers asked whether a gap is the city's or its country's (life expectancy 77.2 against a median of 81.3,
    Gdynia 78.5): each claim gives the same-country peers' median; none when the city has no peer of its country."""
    from analysis.methods.benchmark import NATIONAL_SHARE, add_same_country

    table = pd.DataFrame(
        {
            "code": ["A", "A", "A", "A", "B", "B"],
            "city": ["k", "g", "e", "o", "k", "g"],
            "value": [77.2, 78.5, 81.8, 85.0, 1.0, None],
            "missing": [False, False, False, False, False, True],
            "excluded": [False, False, False, False, False, False],
        }
    )
    claims = pd.DataFrame({"code": ["A", "B"]})
    add_same_country(claims, table, "k", ["g", "e", "o"], {"k": "PL", "g": "PL", "e": "NL", "o": "CA"})
    assert claims["same_country"].tolist() == ["g", "g"]
    assert claims["same_country_value"].iloc[0] == 78.5 and pd.isna(claims["same_country_value"].iloc[1])
    # How much of the gap the country's peer shares (the fourteenth reading: life expectancy is mostly Poland's).
    shared = pd.DataFrame({"code": ["A", "A"], "value": [77.2, 70.0], "peer_median": [81.3, 81.3]})
    add_same_country(shared, table, "k", ["g", "e", "o"], {"k": "PL", "g": "PL", "e": "NL", "o": "CA"})
    assert shared["same_country_share"].iloc[0] == pytest.approx(2.8 / 4.1)  # fires: most of 4.1 years
    assert shared["same_country_share"].iloc[1] == pytest.approx(2.8 / 11.3)  # silent: a quarter of 11.3
    assert shared["same_country_share"].iloc[0] >= NATIONAL_SHARE > shared["same_country_share"].iloc[1]
    alone = pd.DataFrame({"code": ["A"]})
    add_same_country(alone, table, "e", ["k", "g", "o"], {"k": "PL", "g": "PL", "e": "NL", "o": "CA"})
    assert alone["same_country"].tolist() == [""] and alone["same_country_value"].isna().all()


def test_the_box_does_not_repeat_an_abbreviated_unit_the_name_ends_with():
    """An editor: "Liczba bezdomnych na 100 000 mieszkańców (na 100 000 mieszk.)" said the unit twice (degrees now:
    homelessness and internet connections are not compared)."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata
    from analysis.text import benchmark as text

    oakville = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "oakville", n_variants=288)
    box = text.in_brief(oakville, Lang("pl"))
    assert "mieszkańców (na 100 000 mieszk.)" not in box and "mieszkańców (na 100\u00a0000 mieszk.)" not in box
    # The short name with its direction, the unit after the median.
    assert "więcej osób z wyższym wykształceniem (51\u00a0907 wobec mediany 25\u00a0172 na 100\u00a0000 mieszk.)" in box


def test_figure_alt_texts_count_what_they_say(kielce):
    """The twelfth reading: "the rank holds in at least 90 % on 3 of 17 themes" counted one-rank 5-95 % ranges (the
    shares gave 4 then); "the best score on 9 of 56 ranked indicators" counted scores of 100 among rows not ranked."""
    from analysis.text.benchmark import rank_uncertainty_alt, score_heatmap_alt

    summary = kielce.robustness.summary
    mine = summary[(summary["city"] == "Kielce") & (summary["theme"] != "overall")]
    held = int((mine[[c for c in mine.columns if c.startswith("share_rank_")]].max(axis=1) >= 0.9).sum())
    assert f"on {held} of {len(mine)} themes" in rank_uncertainty_alt(kielce, Lang("en"))
    ranked = kielce.table[(kielce.table["city"] == "Kielce") & kielce.table["rank"].notna()]
    assert f"on {int((ranked['rank'] == 1).sum())} of {len(ranked)} ranked indicators" in score_heatmap_alt(kielce, Lang("en"))


def test_the_strengths_download_follows_the_pages_order_without_float_noise(kielce):
    """The twelfth reading: the download listed the weaknesses in another order than the page and stored the median
    of two values as 0.5800000000000001."""
    from analysis.methods.benchmark import strengths_download

    out = strengths_download(kielce)
    for kind in ("strength", "weakness"):
        shares = out.loc[out["kind"] == kind, "robust_share"].fillna(0).tolist()
        assert shares == sorted(shares, reverse=True)
    # (Cars per resident, whose median of two values was 0.5800000000000001, are level since the fifteenth session.)
    assert out.at[out.index[out["code"] == "WS21.4"][0], "peer_median"] == 128.71
    assert all(len(repr(float(v)).split(".")[-1]) <= 6 for v in out["peer_median"].dropna())


def test_head_to_head_counts_material_gaps_against_each_peer_alone():
    """The thirteenth sceptical reading: a firm order under the composite ("below Oakville in at least 90 % of the
    variants") read as worse across the board; the box gives the city against each peer, indicator by indicator."""
    from analysis.methods.benchmark import head_to_head

    rows = []
    for code, values, polarity, extra in [
        ("A1", (10.0, 5.0), "higher", {}),  # 5 over a gap of 1: better (fires)
        ("A2", (10.0, 9.5), "higher", {}),  # under the gap: level (silent)
        ("A3", (10.0, 5.0), "lower", {}),  # lower is better: worse
        ("A4", (10.0, 5.0), "higher", {"rate_of_events": True}),  # a rate of rare events: left out
        ("A5", (10.0, 5.0), "higher", {"flag": "warning"}),  # a doubtful value: left out
        ("A6", (10.0, 5.0), "neutral", {}),  # no direction: left out
    ]:
        for city, value in zip("ab", values):
            row = {
                "code": code,
                "theme": "T",
                "city": city,
                "value": value,
                "year": 2016,
                "missing": False,
                "excluded": False,
                "polarity": polarity,
                "material_gap": 1.0,
                "material_gap_kind": "absolute",
                "comparable_across_cities": True,
                "within_chance": False,
                "unscored": "",
                "flag": "",
                "rate_of_events": False,
            }
            rows.append(row | (extra if city == "a" else {}))
    frame = pd.DataFrame(rows)
    counts = head_to_head(frame, "a", ["b"]).set_index("city").loc["b"].to_dict()
    assert counts == {"better": 1, "worse": 1, "level": 1, "compared": 3}
    # An indicator of contested direction (fewer cars per resident: also lower incomes) is left out (the fourteenth
    # reading); the others stay.
    assert head_to_head(frame, "a", ["b"], contested={"A3"}).set_index("city").loc["b"].to_dict() == {
        "better": 1,
        "worse": 0,
        "level": 1,
        "compared": 2,
    }
    # A gap that reaches the material gap only as printed is level: the rounding of both printed values is allowed for,
    # as in the page's own verdicts (an analyst: 97 against 94.9 over a gap of 2 counted as better).
    printed = frame.assign(raw=frame["value"].map(lambda v: f"{v:.1f}".replace(".", ",")))
    printed.loc[printed["code"] == "A2", "value"] = printed.loc[printed["code"] == "A2", "city"].map({"a": 97.0, "b": 94.9})
    printed.loc[printed["code"] == "A2", "material_gap"] = 2.0
    assert (
        head_to_head(frame.assign(value=printed["value"], material_gap=printed["material_gap"]), "a", ["b"]).set_index("city").at["b", "better"] == 2
    )
    printed.loc[printed["code"] == "A2", "raw"] = printed.loc[printed["code"] == "A2", "city"].map({"a": "97%", "b": "94,9%"})
    assert head_to_head(printed, "a", ["b"]).set_index("city").at["b", "better"] == 1
    # Reference years too far apart: not compared.
    frame.loc[(frame["code"] == "A1") & (frame["city"] == "b"), "year"] = 2001
    assert head_to_head(frame, "a", ["b"], max_year_gap=3).set_index("city").at["b", "better"] == 0


def _theme_comparison(rows):
    return pd.DataFrame(
        [
            {"code": code, "theme": theme, "construct": code, "representative": True, "verdict": verdict, "direction_contested": contested}
            for code, theme, verdict, contested in rows
        ]
    )


def test_a_gap_of_contested_direction_makes_no_theme_verdict():
    """The fourteenth sceptical reading: Transportation "better on some, worse on none" rested on fewer cars per
    resident, which also follows lower incomes. A gap on an indicator of contested direction is counted (and said)
    but makes no verdict; the straightforward loop agrees."""
    from analysis.methods.benchmark import _theme_verdicts_loop, debatable_counts, theme_verdicts

    frame = _theme_comparison(
        [
            ("T1", "Transport", "better", True),  # fires: the only gap is debatable
            ("T2", "Transport", "level", False),
            ("T3", "Transport", "level", False),
            ("W1", "Water", "better", True),  # the debatable gap beside a clear worse one: partly worse
            ("W2", "Water", "worse", False),
            ("W3", "Water", "level", False),
            ("H1", "Health", "worse", False),  # silent: no contested direction
            ("H2", "Health", "level", False),
            ("H3", "Health", "level", False),
        ]
    )
    verdicts = theme_verdicts(frame).set_index("theme")
    assert verdicts.at["Transport", "verdict"] == "debatable" and verdicts.at["Transport", "n_better"] == 1
    assert verdicts.at["Transport", "n_debatable"] == 1
    assert verdicts.at["Water", "verdict"] == "partly worse"
    assert verdicts.at["Health", "verdict"] == "partly worse" and verdicts.at["Health", "n_debatable"] == 0
    pd.testing.assert_frame_equal(theme_verdicts(frame), _theme_verdicts_loop(frame))
    assert debatable_counts(frame) == {"better_debatable": 2, "worse_debatable": 0}
    # Without the column (an older frame) nothing is contested: the verdict is the plain one.
    plain = theme_verdicts(frame.drop(columns="direction_contested")).set_index("theme")
    assert plain.at["Transport", "verdict"] == "partly better" and plain.at["Water", "verdict"] == "mixed"


def test_the_box_gives_the_city_against_each_peer(kielce):
    from analysis.text import benchmark as text

    box = text.in_brief(kielce, Lang("pl"))
    # Without the indicators of contested direction (the fourteenth reading: fewer cars is no plain "better").
    assert (
        "Porównanie z każdym miastem z osobna, wskaźnik po wskaźniku (bez wskaźników rzadkich zdarzeń, np. zgonów w pożarach, i wskaźników o dyskusyjnym kierunku oceny)"
        in box
    )
    # Each gap less the rounding of both printed values, as the page's verdicts (an analyst of the seventeenth session); ozone
    # of debatable direction left out since the same session.
    assert "lepiej niż Oakville w 2, gorzej – w 7" in box and "lepiej niż Eindhoven w żadnym, gorzej – w 6" in box
    assert "lepiej niż Gdynia w żadnym, gorzej – w 7" in box


def test_a_theme_verdict_in_words_does_not_contradict_its_counts(kielce):
    """An official: "worse on some, better on none" beside "clearly better: 1" (water use, of contested direction). A
    sceptical reading: Wastewater "worse on some" rested on one gap of 2.09 against 2 that holds in half of the variants.
    An analyst: Environment "clearly worse" on 2 of 3 indicators needs nitrogen dioxide, which holds in half of them."""
    from analysis.text.benchmark import _theme_verdict_words, theme_verdict_table

    tr = Lang("en")
    row = {
        "theme": "T",
        "verdict": "partly worse",
        "n_better": 1,
        "n_worse": 1,
        "n_better_clear": 0,
        "n_worse_clear": 1,
        "n_level": 2,
        "n_not_comparable": 0,
    }
    assert _theme_verdict_words(row, tr, (0, 1)) == "worse on some; better only where the better direction is debatable"  # fires
    alone = {**row, "n_better": 0, "n_level": 3}
    assert _theme_verdict_words(alone, tr, (0, 1)) == "worse on some, better on none"  # silent
    assert _theme_verdict_words(alone, tr, (0, 0)) == "worse on some, better on none (low confidence)"
    # A majority verdict that needs an uncertain gap: 2 of 3 worse, 1 of them firm ("worse on some" without the other).
    majority = {**alone, "verdict": "worse", "n_worse": 2, "n_worse_clear": 2, "n_level": 1}
    assert _theme_verdict_words(majority, tr, (0, 2)) == "clearly worse"
    assert _theme_verdict_words(majority, tr, (0, 1)) == "clearly worse (low confidence)"
    table = theme_verdict_table(kielce, tr).set_index("Theme")
    # Wastewater's one gap (sewer access, 2.09 against 2) lies within the rounding of "97 %": no clear difference now.
    assert table.at["Wastewater", "Verdict"] == "no clear difference"
    # Fine dust alone since nitrogen dioxide is level (beyond most peers by the material gap: the fifteenth session).
    assert table.at["Environment", "Verdict"] == "worse on some, better on none"
    assert theme_verdict_table(kielce, Lang("pl")).set_index("Obszar").at["Środowisko", "Ocena"] == "gorzej w części wskaźników, w żadnym lepiej"
    assert table.at["Transportation", "Verdict"] == "no clear difference"  # cars per resident level too
    water = table.loc["Water and sanitation"]
    # Its one gap in a column of its own (it was "Clearly better: 1" and "Of the gaps, debatable direction: 1").
    assert water["Clearly better"] == 0 and water["Clearly different, debatable direction"] == 1
    counts = ["Clearly better", "Clearly worse", "Clearly different, debatable direction", "No clear difference", "Not comparable"]
    themes = kielce.theme_verdicts.set_index("theme")
    assert (table[counts].sum(axis=1).to_numpy() == (themes["n_compared"] + themes["n_not_comparable"]).to_numpy()).all()
    assert water["Verdict"] == "differs only where the better direction is debatable"


def test_the_members_of_a_construct_share_their_direction_and_its_confidence():
    """A fifteenth sceptical reading: total water use (WS21.5) was of clear direction while domestic water use (WS21.4),
    its construct's representative, was contested for the same reason."""
    from analysis.data.cleaning import load_indicator_metadata
    from analysis.data.knowledge import load_review

    meta = load_indicator_metadata()[["code", "construct"]].merge(load_review()[["code", "polarity_confidence"]], on="code")
    grouped = meta[meta["construct"].fillna("").astype(str).str.strip() != ""].groupby("construct")
    # (Polarities may differ: untreated against treated wastewater measure one thing from two sides.)
    assert (grouped["polarity_confidence"].nunique() == 1).all()


def test_the_box_picks_the_firmest_claims_from_all_of_them_not_the_five_largest_gaps():
    """A Polish editor: Gdynia's box said "the firmest 2 of 4" strengths and showed two: the other two firm ones lay
    beyond the five largest gaps the detailed table keeps. And its folded details said "Wśród wartości do sprawdzenia:
    w tym 1, która…", a fragment made for a parenthesis."""
    import re

    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata, run_benchmark
    from analysis.text import benchmark as text

    gdynia = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "gdynia")
    firm = text.claim_confidence_counts(gdynia)["firm_better"]
    # 5 since women's share of elected office (all values below parity) is of clear direction; 4 since a variant's
    # median needs two peer values (the sixteenth sceptical reading): fewer homicides holds in 60 %, no longer 90 %.
    # 5 again since the claim variants also try two thirds of the material gap (eleventh session); 4 since the Polish youth
    # "unemployment rate" (the share of under-25s among the registered unemployed) is not compared; 3 since homelessness
    # (one-night counts against counts over a year) is not compared either (the fifteenth session). Oakville has more firm
    # strengths than the box shows now.
    assert firm == 3 and len(gdynia.strengths) <= 5 < len(gdynia.all_strengths) + 1
    oakville = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "oakville")
    firm = text.claim_confidence_counts(oakville)["firm_better"]
    assert firm == 5 and len(oakville.strengths) == 5
    box = text.in_brief(oakville, Lang("en"))
    strengths = html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<strong>Strengths:</strong> (.*?)</span>\n", box).group(1)))
    assert strengths.count(" vs ") == min(3, firm)  # fires: before, 2 of 4
    # The confirmed ones not shown are counted too (an editor: "and 4 more of low confidence" left 2 confirmed unsaid),
    # after the confidence words, not as "and 1 more" (read as one more of the last confidence).
    # Each group with the scale's word (an editor: "and 2 more" read as of high confidence; both hold in 80 %).
    assert strengths.endswith("; and 1 more strength, as well as 1 probable strength (listed in the full report).")
    exact = re.search(r'<li class="in-brief-exact"><strong>Strengths – exact values:</strong> (.*?)</li>', box).group(1)
    assert exact.endswith("– all three high confidence; and 2 more of at least medium confidence.")
    box = text.in_brief(gdynia, Lang("en"))
    assert (
        (
            # The scale's word for the uncertain ones, a semicolon between the groups (an editor: "…in poverty, with low
            # confidence: …" read as said of poverty).
            # The one of low confidence is counted, not named, in the bottom line (a sceptical reading: a coin flip); the
            # details name it.
            # Cycle paths and degrees level since a claim needs the city beyond most peers by the material gap: Gdynia's lie 3.2 km
            # and 2 928 per 100 000 under Kielce's, under material gaps of 10 and 5 000 (an analyst of the fifteenth session).
            # Not repeated where the bottom line names them (a Polish editor of the seventeenth session): Gdynia's two uncertain
            # ones are named there, so the box has no "Other results" line.
            "Other results:"
        )
        not in box
        and "uncertain: lower unemployment" in box
        and "uncertain: lower life expectancy" in box
    )
    assert len(text.top_claims(gdynia, Lang("en"), "strength")) == 3
    polish = text.in_brief(gdynia, Lang("pl"))
    # The qualifier after the verb (a Polish editor of the seventeenth session: "do sprawdzenia w opublikowanej postaci" read as
    # what is to be checked).
    assert "w tym 1, która" not in polish and "Jedna z wartości do sprawdzenia nie może być poprawna w opublikowanej postaci." in polish


def test_the_first_screen_of_the_kielce_box_stays_short(kielce):
    """Issue 18: a bottom line of five short sentences a briefing can take as it is (the claims with their numbers),
    then what was compared and the scale, the differences of debatable direction and the data's source; the rest
    folded (three officials: "W skrócie" was not short; they copy the bottom line and read the rest only to check it).
    Officials, editors and sceptical readings asked for the scope, the scale before its use, its caveat, the data's
    age, the numbers and the direction, the median named beside each number, the units, who ranks ahead and behind,
    how many claims are of low confidence, the peers' countries, so the bottom line grew; this guards the box from
    growing: at most 320 words shown in each edition (305 in Polish and 265 in English when this was written), at
    most 160 in the bottom line (157 and 147; four officials still edited a bottom line of 163 words before sending it,
    striking the data's age said twice and the gloss of "median"; the confidence words grew: "wynik odporny na zmianę
    założeń", an editor's, says what it measures). At most 170 since the scope ("Of the 100 …, 43 could be compared"),
    the median, the source as "the data of Smart Factor's diagnosis of Kielce" (an editor: on Gdynia's page it read as
    a template error) and the other place of the ranking's band ("możliwe też 3.": two officials wrote it into their
    notes) moved into it from the lines under it (166 in both editions; three officials read 170 words in 45-50 s).
    At most 176 since "no strength was found" counts the indicators clearly better in some variants only (174 and 175;
    an editor: "only uncertain strengths" called level indicators strengths). At most 190 and 340 since "no strengths"
    says it is the main calculation's and counts both sides of the level ones (188 and 189), and the scale says what a
    variant is and that the counts are the main calculation's (327 and 338 words shown; two editors and a sceptical
    reading: a first screen short enough to read in a minute had left its key terms undefined).
    At most 290 words shown since the scale is short there and whole in the details (284 and 289 with the data line
    folded and the counts behind "no strength" said; 279 and 280 at first; three officials of a
    later session put a person's reading of a first screen of 330 words at two minutes or more).
    At most 290 and 205 since the count of the level ones clearly different in some variants, the long form of the scale
    and how a debatable difference's confidence is counted are in the details (262 and 269 shown, 152 and 156 in the
    bottom line; five officials of the sixth session estimated three to five minutes for a person to read 330 words); 273
    and 278 once the debatable line said again which variants count (two officials of the seventh session read its
    "clearly" on the scale of all the variants). 274 and 275 shown, 199 in the bottom line, since the bottom line names the
    uncertain weaknesses and the differences of debatable direction, whose line of its own left the first screen (four
    officials of the seventh session: "ponadto 3 niepewne" named nothing, the line told the mayor nothing). At most 220 in
    the bottom line (214 in Polish) since sentence 5 says how many of the values set aside cannot all be right (three
    officials of the eighth session: "not all 14 are doubtful", the most useful fact for the city hall; a shorter card of 186
    words got the same estimate of a person's reading time as the page of 279). At most 295 since the key says what the main
    calculation is (four officials of the ninth session: the phrase recurs on the first screen, undefined); at most 305
    since the bottom line gives one reason why a difference's direction is debatable (the same four: "less waste, fewer
    cars and less water look like good news"), 303 and 306 with the level ones said in five words fewer. At most 307 since
    under-five mortality is a rate of rare events (an analyst: about 2 child deaths against 4) and so ranks no city: Kielce's
    band of places widened to 3rd-5th ("możliwe też 3. lub 5.", 307 and 306). At most 309 since the values set aside
    "would be clearly favourable if correct and comparable" (an analyst: the screening's reason for each of
    them is another definition, not a wrong number; 309 and 308). At most 314 since "with other cities' data" says
    comparable with what, and each group of debatable differences carries its confidence word after it (an official and
    a Polish editor of the tenth session: "prawdopodobnie zużycie wody" read as unsure which indicator is meant; 314 and
    310). At most 340 and a bottom line of 255 since Kielce's place is not settled either (an analyst of the tenth session:
    the grid now also averages only the themes of at least three ranked indicators) and the line says the band and each
    order (336 and 327 shown, 251 and 245 in the bottom line, the band said plainly: the key's plain statement is one of
    at least 90 % of the variants). At most 255 and 192 since the eleventh session's officials put a person's reading
    of that first screen at three minutes: the bottom line counts the differences of debatable direction (named, each
    with its confidence and why, in the details), an unsettled place gives its band (each order in the details), the
    lead and the key are shorter, and that robustness says nothing of the data's correctness opens the details (249
    and 249 shown, 186 and 189 in the bottom line); 262 and 200 since the second sentence counts the clearly worse too,
    so it adds up (an official: 36 + 3 is not 43; 256 and 195); 265 and 203 since an unsettled place says the order
    against the same country's peers (three officials: councillors will ask about Gdynia; 257 and 262, 195 and 200).
    Four officials of the twelfth session still put a person's reading of that first screen at 150 to 300 s, counting the
    key they read again after the sentences: the first screen is now five labelled lines, the claims' words without their
    numbers, and the scale in one sentence (144 and 132 words); the five sentences with their numbers are folded under
    them, opened for print, and are what the button copies (the sentences keep their limit). At most 195 since the
    lines say on how many indicators the city is level, the main calculation's place and what the values set aside
    would say if right (two officials of the thirteenth session: without them "Strengths: none found" read as "worse at
    everything" and "2nd to 5th, probably behind Gdynia" as 2nd or 3rd; 191 and 184). At most 225 since an unsettled
    place gives every order, the strengths line says some are better in some variants, and the scale says what it does
    not measure, and the orders are said to be against each city (a Polish editor and an analyst of the thirteenth session;
    220 and 215). At most 240 since the data line counts the clear differences of debatable direction too, so the
    first screen adds up to the indicators compared (an official of the thirteenth session: 43 − 36 left 7, and the
    weaknesses line names 4; 234 and 235). At most 245 since a city whose order one choice turns around is named as not
    settled (two analysts: "probably behind Gdynia" was 46 % with one setting; 238 and 242). At most 250 since the data
    line counts the clearly worse as sentence 2 does (an official: "36 + 3 is not 43"; 242 and 245). At most 255 since
    a weakness no peer of the city's own country reports says it is against foreign cities only (an official: Kielce's
    tax collection is compared with Eindhoven, Oakville and Porto alone; 247 and 253). At most 260 since the peer without a
    value is named and an unsettled place that spans every place gives the most frequent one with its share (officials of
    the fourteenth session read the bare note as "level with Gdynia", and "1st to 5th" as "any place"; 252 and 257). At most
    270 since the weaknesses line counts the values clearly worse in some variants only, as the strengths line counts the
    better ones, and the count of indicators compared says that measures of one thing count once (an official and an
    analyst of the fifteenth session: "a few better" alone leaned favourable; "35 of the 100 indicators" counted measures;
    263 and 263). At most 290 since the scale says what "not settled" means and that the page makes no recommendations on
    city policy (two Polish editors and an official of the sixteenth session), and Kielce's orders against three cities are
    not settled, named (271 in Polish, 277 in English while the grid also ranked on ISO 37120's core indicators only; 284 in
    English once it no longer does and Kielce's three probable orders are named again). At most 295 since the counts carry a
    label of their own and Kielce's orders are two plain, one probable and one not settled with its lean (a Polish editor
    and an analyst of the seventeenth session; 287 in Polish, 292 in English)."""
    import re

    from analysis.text import benchmark as text

    for lang, labels in (
        ("pl", ["Wyraźne różnice o dyskusyjnym"]),
        ("en", ["Clear differences whose better"]),
    ):
        box = text.in_brief(kielce, Lang(lang))
        shown = box.split('<details class="in-brief-more">')[0]
        # What the first screen shows: the heading, the five lines and the scale; the folds' labels are controls.
        first = shown.split('<details class="in-brief-numbers">')[0]
        read = re.sub(r'<p class="copy-brief".*?</p>', "", first, flags=re.S)  # the copy button is a control, not text to read
        words = html.unescape(re.sub(r"<[^>]+>", " ", read)).split()
        # At most 310 since the first screen is the briefing the button copies and says what an official, an analyst and a
        # Polish editor of the eighteenth session asked of it: the core basket's place, the same country's value beside a gap
        # that is not national, the peers' most frequent years and "median" glossed once (304 and 306; the shares of the
        # ranking went to the sentences below). At most 370 since the scale says what "clearly" means and the order's second
        # condition, which the copied note carries without the details (an English editor of the same session), and how many of
        # the clearly worse are uncertain (two officials: "w 2 jest wyraźnie gorsza" beside an uncertain one); 354 in Polish, 365 in
        # English, which says the same country's city is in the same country.
        # 380 since the data line says whose the oldest data are and that all come from the diagnosis, in a sentence of its own
        # (a Polish editor: "(Porto) (wszystkie zestawione …)"), and the scale's "clearly" says "among other conditions" (376).
        assert len(words) <= 395, (lang, len(words))  # 388: the Polish scale's sentences made whole (a third editor)
        # The data's years first, then the five numbered sentences a briefing takes as they are (the copy button copies them).
        assert re.findall(r'<p class="in-brief-fact-data"><strong>(.*?)</strong>', first) == (["Dane:"] if lang == "pl" else ["Data:"])
        assert re.findall(r"<li[^>]*><strong>(.*?)</strong>", first)[:3] == (
            ["Wyniki:", "Mocne strony:", "Słabe strony:"] if lang == "pl" else ["Results:", "Strengths:", "Weaknesses:"]
        )
        assert len(re.findall(r"<li", re.search(r'<ol class="in-brief-facts">(.*?)</ol>', first, re.S).group(1))) == 5
        lead = re.search(r'<p class="in-brief-lead">(.*?)</p>', shown, re.S).group(1)
        # At most 225 (220 in Polish, 222 in English) since the debatable differences carry the scale's hedges and one
        # reason, the English names the city's country and says "tax collection rate" (ninth session). At most 230 since the
        # band "3. lub 5.", "z danymi innych miast" and the confidence words after each group (229 in Polish, tenth session).
        # At most 215 since an unsettled place gives every order, and the ones not settled (the thirteenth session; 207 and 214);
        # 220 since a weakness no same-country peer reports is said to be against foreign cities only (211 and 219); 225 since
        # an unsettled place that spans every place gives the most frequent one with its share (fourteenth session). 235 since
        # the named debatable difference carries its confidence word and the ranking says that on ISO 37120's core indicators
        # alone the order differs (an analyst and two officials of the seventeenth session; 228 in English).
        # 245 since the same country's value stands beside a gap that is not national and the core basket's place is said (an
        # official, an analyst and a Polish editor of the eighteenth session; 241 in Polish).
        assert len(html.unescape(re.sub(r"<[^>]+>", "", lead)).split()) <= 255, lead  # 251: "choć wynik jest niepewny", "je pominięto"
        assert lead.count("<span>") == 5
        lines = re.findall(r'<li class="in-brief-[a-z-]+"><strong>(.*?)</strong>', shown.split('<details class="in-brief-numbers">')[1])
        # No line under the key: the differences of debatable direction are counted and named in the bottom line, their
        # line is in the details (officials of the seventh session).
        assert lines == [] and labels[0] in box.split('<details class="in-brief-more">')[1], lines
        assert '<a href="#to-check">14 ' in first and '<a href="#to-check">14 ' in lead
        assert '<details class="in-brief-more">' in box  # the rest is folded, not dropped


def test_the_box_says_why_indicators_cannot_be_compared(kielce):
    """An official: "50 nie da się porównać" said not why; a sceptical reading: 19 of them can be compared, they just
    cannot be judged better or worse. The folded details give the reasons, which add up to the count."""
    import re

    from analysis.text import benchmark as text

    reasons = text._not_comparable_reasons(kielce, Lang("en"))
    # Defined differently between cities second since the fifteenth session (15, with homelessness, poverty and outdoor
    # recreation space); 19 since police-recorded property and violent crime are not compared (the seventeenth session); first,
    # 20, since light passenger transport is not either (the same session).
    assert reasons.startswith(
        "defined differently between cities: 20, no agreed better direction: 19, too few values of the other cities: 13"
    )  # fires
    assert sum(int(n) for n in re.findall(r": (\d+)", reasons)) == kielce.counts["not comparable"]
    assert "other reasons" not in reasons  # every reason of the comparison has its kind
    polish = text.in_brief(kielce, Lang("pl")).split('<details class="in-brief-more">')[1]
    assert (
        "Nie da się porównać (60): inna definicja lub inne źródło w poszczególnych miastach – 20, brak uznanego kierunku oceny – 19, "
        "za mało wartości dla pozostałych miast – 13"
    ) in polish


def test_the_in_brief_box_carries_a_hidden_copy_button_with_its_labels_as_attributes(kielce):
    """The button is shown by the page's script (copy.js, browser-tested); without it nothing offers a copy. Its
    labels and the source sentence are attributes, escaped, in the page's language."""
    import re

    from analysis.text import benchmark as text

    # The source's whole title in the copied note (an editor: "Kielce…" and "described at the end of the page" mean nothing in an e-mail).
    for lang, source in (
        ("pl", "Źródło danych: „Kompleksowa diagnoza miasta Kielce pod kątem transformacji w miasto inteligentne”"),
        ("en", "Source of the data: Smart Factor"),
    ):
        html = text.in_brief(kielce, Lang(lang))
        holder = re.search(r'<p class="copy-brief" hidden>(.*?)</p>', html, re.S)
        assert holder, lang
        assert re.search(r'data-source="' + re.escape(source), holder.group(1)), lang
        assert "&#39;" in holder.group(1) or lang == "pl"  # "Smart Factor's" escaped inside the attribute
        # The scale the script copies is the first screen's, with its no-break spaces (an editor: "90 %" could break in an
        # e-mail's narrow window; striptags had collapsed them when the button carried it).
        scale = re.search(r'<p class="in-brief-scale-short">(.*?)</p>', html, re.S).group(1)
        assert "co najmniej 90\u00a0% wariantów" in scale or lang == "en"
        assert "data-scale" not in holder.group(1)
        assert "<script" not in html


def test_a_doubtful_value_left_out_of_a_theme_table_is_named_not_explained_twice(kielce):
    """Left out of ranks by default, a doubtful value's row said its whole reason in the note column, which pushed two
    twelve-column theme tables past the width of A4 (the browser's print test); the reason is in the to-check table."""
    from analysis.text import benchmark as text

    table = text.theme_table(kielce, "Health", Lang("pl")).set_index("Kod")
    assert table.at["HL12.2", "Uwaga"] == "wyłączono: wartość wątpliwa (powód podano w części „Wartości do sprawdzenia”)"
    assert table.at["HL12.1", "Uwaga"] == ""
    waste = text.theme_table(kielce, "Solid waste", Lang("en")).set_index("Code")
    assert waste.at["SW16.3", "Note"].startswith("left out: ") and "Values to verify" not in waste.at["SW16.3", "Note"]


def test_under_five_mortality_is_a_rate_of_rare_events_counted_from_live_births(kielce):
    """An analyst: the box's "4 would be clearly favourable if they proved correct" counted under-five mortality, 1.14
    against a median of 2.14 per 1 000 live births: a gap equal to the smallest one that matters, resting on about 2
    child deaths a year against 4 (the births are in data/raw/city_facts.csv)."""
    row = kielce.comparison.set_index("code").loc["HL12.4"]
    assert (row["implied_events"], row["reference_events"]) == (2, 4)
    assert row["p_value"] > 0.5
    assert "HL12.4" not in set(kielce.doubtful["code"])
    # No two cities differ beyond chance (Oakville's 4.7 is about 10 deaths among 2 100 births, Eindhoven's 2.0 about 5
    # among 2 300): the indicator ranks no city.
    assert kielce.table.loc[kielce.table["code"] == "HL12.4", "within_chance"].all()


def test_the_box_says_which_values_to_verify_would_change_the_findings(kielce):
    """Two officials and a sceptical reading: "no strength was found" read as "Kielce has no assets", where four of its
    values set aside for checking would each be a clear strength if confirmed (poverty 3.6 % against a median of 12.3 %)."""
    import re

    from analysis.text import benchmark as text

    doubtful = kielce.doubtful.set_index("code")
    # Under-five mortality (1.14 against 2.14 per 1 000 live births) is about 2 child deaths against 4: chance, not a
    # strength even if confirmed (an analyst: "it rests on about 2 deaths").
    # Recycling (90.3 % against a median of 51 %) too, one of the waste shares summing to 124 %: which of them is wrong
    # the data do not say (an analyst: "3 of the 14 would be favourable" left it out). Not a debatable direction.
    # Poverty (3.6 % against a median of 12.3 %) no longer: each country's own poverty line, not compared (the fifteenth
    # session); it stays among the values to verify.
    # Violent crime (159.3 against a median of 1 181 per 100 000) no longer either: national penal codes, not compared (the
    # seventeenth session).
    assert set(doubtful.index) == {"EN7.3", "SW16.3"} and set(doubtful["verdict"]) == {"better"}
    assert doubtful.at["EN7.3", "value"] == 13.96 and doubtful.at["EN7.3", "peer_median"] == pytest.approx(104.0)
    box = text.in_brief(kielce, Lang("pl"))
    lead = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="in-brief-lead">(.*?)</p>', box, re.S).group(1)))
    # Named with their numbers in the details, not counted in the bottom line (four officials read the count as good
    # results taken away).
    assert "wyraźnie lepsze od mediany" not in lead
    assert (
        "Wartości do sprawdzenia, które w opublikowanej postaci są wyraźnie lepsze od mediany: zużycie energii w budynkach publicznych "
        "(14 wobec mediany 104 kWh/m²)"
    ) in box.split('<details class="in-brief-more">')[1]
    english = text.in_brief(kielce, Lang("en"))
    assert "Values to verify that are clearly better than the median as printed: " in english.split('<details class="in-brief-more">')[1]


def test_doubtful_verdicts_ask_every_value_set_aside_and_leave_the_peers_doubts_aside():
    from analysis.methods.benchmark import doubtful_verdicts

    rows = [("A1", city, v, "higher") for city, v in zip("abcd", (90.0, 10.0, 11.0, 12.0))]
    rows += [("A2", city, v, "higher") for city, v in zip("abcd", (1.0, 10.0, 11.0, 12.0))]
    table = frame(rows)
    table["flag"] = ["warning", "", "", "", "error", "", "", ""]
    table["excluded"] = table["flag"] != ""
    out = doubtful_verdicts(table, "a", ["b", "c", "d"], {}, 3)
    # A2's error is asked too: "if it proved correct" (an analyst: recycling, one of shares summing to 124 %, was left out).
    assert out["code"].tolist() == ["A1", "A2"] and out["verdict"].tolist() == ["better", "worse"]
    # A peer's flagged value stays out of the median: with e's 40 set aside, A1 against 10, 11 and 12.
    wider = frame([("A1", city, v, "higher") for city, v in zip("abcde", (90.0, 10.0, 11.0, 12.0, 40.0))])
    wider["flag"] = ["warning", "", "", "", "warning"]
    wider["excluded"] = False
    assert doubtful_verdicts(wider, "a", ["b", "c", "d", "e"], {}, 3)["peer_median"].tolist() == [11.0]
    table["flag"] = ""
    assert doubtful_verdicts(table, "a", ["b", "c", "d"], {}, 3).empty  # nothing doubtful, nothing to say


def test_a_reason_after_a_colon_goes_on_in_lower_case(kielce):
    """A Polish editor: "wyłączono: Części jednej całości (odpady komunalne…" – a capital after a colon; abbreviations
    and codes keep theirs."""
    from analysis.text import benchmark as text

    assert text._after_colon("Części jednej całości") == "części jednej całości"
    assert text._after_colon("ISO 37120 wymaga") == "ISO 37120 wymaga" and text._after_colon("NO₂ poza zakresem") == "NO₂ poza zakresem"
    notes = " ".join(text.theme_table(kielce, "Solid waste", Lang("pl"))["Uwaga"])
    assert "wyłączono: części jednej całości" in notes and "wyłączono: Części" not in notes  # fires: before, "wyłączono: Części"


def test_a_theme_with_nothing_to_compare_says_so_in_its_figure_description(kielce):
    """A Polish editor: the Recreation figure's description, read aloud, said "Spośród 0 porównywalnych wskaźników … w
    przypadku 0"."""
    from analysis.text import benchmark as text

    alt = text.theme_dots_alt(kielce, "Recreation", Lang("pl"))
    assert "Spośród 0" not in alt and "żadnego wskaźnika nie można porównać" in alt
    assert "Spośród" in text.theme_dots_alt(kielce, "Environment", Lang("pl"))
    # A Polish editor: "Spośród 1 porównywalnego wskaźnika … w przypadku 0, a wyraźnie gorsza – 0".
    # Energy since property crime, Safety's one comparable indicator, is not compared (national penal codes: the seventeenth
    # session); Safety has none now.
    energy, economy = text.theme_dots_alt(kielce, "Energy", Lang("pl")), text.theme_dots_alt(kielce, "Economy", Lang("pl"))
    assert "żadnego wskaźnika nie można porównać" in text.theme_dots_alt(kielce, "Safety", Lang("pl"))
    assert energy.endswith("W jedynym porównywalnym wskaźniku tego obszaru wartość dla Kielc nie różni się wyraźnie od mediany miast odniesienia.")
    assert "W żadnym z 3 porównywalnych wskaźników tego obszaru" in economy and "w przypadku 0" not in economy
    # A Polish editor of the seventh session: Gdynia's Urban planning still said "Spośród 1 porównywalnego wskaźnika …
    # lepsza … w przypadku 0, a wyraźnie gorsza – 1"; and a debatable gap was counted as better (the theme table counts it
    # apart now).
    environment = text.theme_dots_alt(kielce, "Environment", Lang("pl"))
    assert environment.endswith("wartość dla Kielc wyraźnie lepsza od mediany miast odniesienia – w żadnym, wyraźnie gorsza – w 1.")
    water = text.theme_dots_alt(kielce, "Water and sanitation", Lang("pl"))
    assert water.endswith("wyraźnie inna, ale o dyskusyjnym kierunku oceny – w 1.") and "w przypadku" not in water


def test_the_details_give_the_place_without_the_indicators_of_debatable_direction(kielce):
    """A sceptical reading and an official: the main calculation scores fewer cars, less waste and water use as
    lower-is-better, in Kielce's favour, while the box says whether that is good is debatable. The details say the place
    over the variants that leave those indicators unranked (polarity "neutral"): 4th holds, firmer without them."""
    import re

    import numpy as np

    from analysis.methods.robustness import focal_rank_shares
    from analysis.text import benchmark as text

    robustness = kielce.robustness
    everything = focal_rank_shares(robustness)
    summary = robustness.summary
    mine = summary[(summary["theme"] == "overall") & (summary["city"] == "Kielce")].iloc[0]
    # Without a filter it is the summary's own shares.
    assert np.allclose(everything.to_numpy(), [mine[f"share_rank_{r}"] for r in range(1, 6)])
    neutral = focal_rank_shares(robustness, polarity="neutral")
    overall = robustness.ranks[(robustness.variants["polarity"] == "neutral").to_numpy(), -1, robustness.cities.index("Kielce")]
    assert neutral.sum() == pytest.approx(1) and neutral[4] == pytest.approx((overall == 4).sum() / (overall > 0).sum())
    # 4th in 58 % without them (90 % before the grid also averaged only the themes of three or more ranked indicators).
    assert neutral.idxmax() == 4 and neutral[4] > everything[4]
    assert focal_rank_shares(robustness, polarity="no such choice").empty
    folded = text.in_brief(kielce, Lang("pl")).split('<details class="in-brief-more">')[1]
    standing = re.search(r'<li class="in-brief-standing">(.*?)</li>', folded, re.S).group(1)
    assert standing.endswith(
        "Po pominięciu wskaźników o dyskusyjnym kierunku oceny (w bazowym wariancie obliczeń ocenia się je w jednym, przyjętym kierunku): "
        # "Wariantów rankingu" (an English editor: the 2649 ranking variants, not the 80 of each indicator's result).
        # Probable since six indicators defined differently between cities are not compared (71 %); uncertain (66.5 %, said
        # so, not "67 %") while homelessness, poverty, outdoor recreation space and internet connections were not either;
        # probable (73 %) once tax collection is not (the fifteenth session); uncertain (65 %) once light passenger transport
        # is not either (the seventeenth).
        f"4. miejsce w {benchmark_text.scale_share(neutral[4], Lang('pl'))} wariantów rankingu (wynik niepewny)."
    )


def test_the_plain_bottom_line_rounds_from_the_value_and_never_to_two_equal_numbers():
    """The bottom line rounds as a briefing does ("88 % wobec mediany 96 %"): from the value itself (a sceptical
    reading: Porto's 96,47 % printed "96,5" and then rounded to 97 widened an 8.6-point gap to 9), with more decimals
    where fewer would make the two numbers equal, and a counted unit agreeing with the rounded number."""
    from analysis.text.benchmark import _versus

    pl = Lang("pl")
    assert _versus({"value": 87.9, "peer_median": 96.47, "unit": "%"}, pl, rounded=True) == "88\u00a0% wobec mediany 96\u00a0%"
    assert _versus({"value": 97.4, "peer_median": 96.6, "unit": "%"}, pl, rounded=True) == "97,4\u00a0% wobec mediany 96,6\u00a0%"
    assert _versus({"value": 77.2, "peer_median": 81.25, "unit": "years"}, pl, rounded=True) == "77 wobec mediany 81 lat"
    assert _versus({"value": 77.2, "peer_median": 82.0, "unit": "years"}, pl, rounded=True) == "77 wobec mediany 82 lata"
    assert _versus({"value": 20.8, "peer_median": 10.9, "unit": "µg/m3"}, pl, rounded=True, median_named=True).startswith("21 wobec 11 ")
    assert _versus({"value": 0.33, "peer_median": 0.43, "unit": "ratio"}, pl, rounded=True) == "0,33 wobec mediany 0,43"
    assert _versus({"value": 2.9, "peer_median": 1.0, "unit": "ratio"}, Lang("en"), rounded=True) == "2.9 vs a median of 1.0"


def test_an_unsettled_place_says_each_order_on_the_bottom_lines_scale():
    """An editor: Gdynia's "w większości wariantów przed Kielcami i Porto" understated what the details call "odporny".
    The orders of an unsettled place are said as the bottom line says everything: high confidence plainly, medium with
    "prawdopodobnie"."""

    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata, run_benchmark
    from analysis.methods.robustness import overall_order
    from analysis.text import benchmark as text

    # No order on the real data holds in 90 % of the variants since the seventeenth session (crime rates not compared, and the
    # themes of three ranked indicators counting only those that tell cities apart); with crime rates compared as they were,
    # Eindhoven's page has a firm order (Porto, 90.5 %) and a probable one (Kielce, 82 %).
    metadata = load_indicator_metadata()
    metadata.loc[metadata["code"].isin(["SF14.3", "SF14.5"]), ["comparable_across_cities", "comparability_reason"]] = [True, ""]
    data = attach_metadata(clean_indicators(cities_dir=None), metadata)
    eindhoven = run_benchmark(data, "eindhoven")
    order = overall_order(eindhoven.robustness).set_index("city")
    assert order.at["Porto", "share_above"] >= 0.9 > order.at["Kielce", "share_above"] >= 2 / 3
    # In the details (the bottom line gives the band only since the eleventh session: a first screen read in three minutes).
    details = text.in_brief(eindhoven, Lang("pl")).split('<details class="in-brief-more">')[1]
    assert "względem poszczególnych miast: przed Porto (wynik odporny na zmianę założeń), przed Kielcami (wynik prawdopodobny)" in details
    assert "w większości wariantów" not in details
    tiers = {"below": ["Gdynia"], "below_medium": [], "above": [], "above_medium": ["Kielce", "Porto"]}
    assert text._sides(tiers, Lang("pl")) == "za Gdynią; prawdopodobnie przed Kielcami i Porto"
    assert text._sides(tiers, Lang("en")) == "behind Gdynia; probably ahead of Kielce and Porto"


def test_doubtful_values_carry_their_units_and_a_mixed_table_title_does_not_contradict_itself(kielce):
    """An editor: "zużycie energii w budynkach publicznych (14,0 wobec mediany 104,0)" had no unit; Gdynia's table title
    called its rows "the largest strengths …, of which 2 are not strengths"."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata, run_benchmark
    from analysis.text import benchmark as text

    better = text._doubtful_names(kielce, Lang("pl"))["better"]
    assert "zużycie energii w budynkach publicznych (14 wobec mediany 104 kWh/m²)" in better
    # Recycling since violent crime (159.3 per 100 000) is not compared (the seventeenth session).
    assert "odsetek odpadów komunalnych poddawanych recyklingowi (90,3\u00a0% wobec mediany 51\u00a0%)" in better
    assert "umieralność" not in better  # about 2 child deaths against 4: chance (a rate per 1 000 live births)
    data = attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())
    # Four of its five of agreed direction since youth unemployment is not compared (the Polish figure is another statistic);
    # three of four since homelessness is not compared either (the fifteenth session).
    gdynia = run_benchmark(data, "gdynia", top_n=3)
    title = text._claims_title(gdynia, Lang("pl"), "strengths")
    # Five of the six of agreed direction (the table lists them before the two of debatable direction: a parameter sweep).
    # Which five (an English editor: they are the largest gaps, ordered by confidence; "shown, the firmest first"
    # read as the five firmest, while a probable one was left out).
    assert title.startswith(
        "Wskaźniki, w których wartość dla Gdyni jest wyraźnie lepsza od mediany miast odniesienia (pokazano 3 z 4 – najpewniejsze wyniki, "
        "od najpewniejszego)"
    )
    assert text._claims_title(gdynia, Lang("en"), "strengths").startswith(
        "Indicators on which Gdynia is clearly better than the peer median (3 of 4, the firmest first)"
    )
    # Debatable ones shown too: said as such (no agreement to break with one: an editor, "1 z nich … niezaliczane").
    seven = text._claims_title(run_benchmark(data, "gdynia", top_n=5), Lang("pl"), "strengths")
    assert (
        "(pokazano 5 z 6 – najpewniejsze wyniki, od najpewniejszego; wśród pokazanych – wskaźniki o dyskusyjnym kierunku oceny, niezaliczane do mocnych stron: 1)"
        in seven
    )
    eight = text._claims_title(run_benchmark(data, "gdynia", top_n=8), Lang("en"), "strengths")
    assert "clearly better than the peer median (6, the firmest first; 2 of them of debatable direction, not counted as strengths)" in eight
    assert "Największe mocne strony" not in title


def test_the_uncertain_results_are_named_on_both_sides(kielce):
    """A sceptical reading: the details named the uncertain strengths (level, but better in some variants) and not the
    uncertain weaknesses, though cycle paths and green area are worse in 40 % of the variants."""
    import re

    from analysis.text import benchmark as text

    near = re.search(r'<li class="in-brief-near">(.*?)</li>', text.in_brief(kielce, Lang("pl")), re.S).group(1)
    # "lepsze" and "gorsze", not "mocne strony" (an editor: a level indicator is no strength, not even an uncertain one).
    # The main calculation first (a Polish editor: "lepsze lub gorsze … (bez wyraźnej różnicy …)" read as a contradiction).
    assert near.startswith("<strong>Wskaźniki bez wyraźnej różnicy w bazowym wariancie obliczeń, ale wyraźnie lepsze lub gorsze w części wariantów:")
    # (Full-time employment no longer: not beyond most peers by the material gap in any variant, the fifteenth session.)
    # (Ozone's lower annual mean no longer: its direction is debatable since the seventeenth session.)
    assert "lepsze –" not in near
    assert (
        "gorsze – wyższe stężenie dwutlenku azotu NO₂ (w 40\u00a0% wariantów), mniejsza długość dróg dla rowerów i pasów ruchu dla rowerów (w 40\u00a0% wariantów)"
        in near
    )
    # Those beyond the first four are counted (a sceptical reading: the list was cut at four a side without saying so).
    # Beyond them, those on both sides once (7 better and 10 worse, 2 of them on both sides; sewer access among the worse since its gap is taken less the rounding).
    # Ozone among the better ones since the claim variants also try two thirds of the material gap (an analyst of the
    # eleventh session: at 0.92 of its gap it was the nearest and in no variant's list).
    # None more since registered voters are not compared and tertiary treatment is to be verified for Oakville too.
    # (Ozone no longer among the better ones: its direction is debatable since the seventeenth session.)
    assert "lepsze –" not in near
    # None on both sides since the fifteenth session (degrees per resident: never materially beyond most peers).
    assert near.endswith("(w 33\u00a0% wariantów), a ponadto 6 innych.")
    # 9 and 12 since the variants also try two thirds of the material gap (ozone, at 0.92 of its gap, among them); 7 and 11
    # since registered voters, green area and youth unemployment are defined differently between cities.
    # 4 and 9 since homelessness is not compared either.
    # 1 and 10 since a claim needs the city beyond most peers by the material gap (NO₂ among the worse, level now).
    # 0 and 10 since ozone's direction is debatable (the seventeenth session).
    assert len(text.near_shares(kielce, "strength")) == 0 and len(text.near_shares(kielce, "weakness")) == 10
    shares = kielce.claims.set_index("code")
    assert shares.at["EC5.4", "strength"] == 0 and shares.at["TR18.7", "weakness"] == 0.4


def test_the_area_tables_say_when_the_better_direction_is_debatable(kielce):
    """An editor: the area tables said "Korzystna wartość: niższa … wyraźnie lepiej" for fewer cars, while the box says
    whether that is good is debatable."""
    from analysis.text import benchmark as text

    pl = Lang("pl")
    # Water use (cars per resident are level since a claim needs the city beyond most peers by the material gap).
    water = text.theme_table(kielce, "Water and sanitation", pl).set_index("Kod")
    assert water.at["WS21.4", "Korzystna wartość"] == "dyskusyjna (przyjęto: niższa)"
    assert water.at["WS21.4", "Ocena"] == "wyraźnie niżej (kierunek dyskusyjny)"
    table = text.theme_table(kielce, "Transportation", pl).set_index("Kod")
    assert table.at["TR18.4", "Korzystna wartość"] == "dyskusyjna (przyjęto: niższa)" and table.at["TR18.4", "Ocena"] == "bez wyraźnej różnicy"
    # An indicator of settled direction keeps its words (TR18.9, air connectivity, is contested too).
    contested = set(kielce.comparison.loc[kielce.comparison["direction_contested"], "code"])
    assert "TR18.9" in contested and table.at["TR18.9", "Korzystna wartość"] == "dyskusyjna (przyjęto: wyższa)"
    clear = table.drop(index=[code for code in table.index if code in contested])
    assert not clear["Ocena"].str.contains("dyskusyjny").any() and not clear["Korzystna wartość"].str.contains("dyskusyjna").any()
    # An indicator not ranked says that no value is the better one (a Polish editor: "Korzystna wartość: poza rankingiem",
    # and in the workbook "Lepiej, gdy wartość jest: poza rankingiem", read as nonsense).
    health = text.theme_table(kielce, "Health", pl).set_index("Kod")
    assert health.at["HL12.2", "Korzystna wartość"] == "nie dotyczy – poza rankingiem"  # no bracket: A4 has no 3 px to spare


def test_the_ranking_table_gives_the_band_as_from_and_to_not_as_best_and_worst(kielce):
    """An editor: "Najlepsze miejsce (5. percentyl)" 3 beside "1. miejsce (odsetek wariantów)" 2 % read as a
    contradiction; the band is "in at least 90 % of the variants: from … to", as the box says it."""
    from analysis.text import benchmark as text

    table = text.robustness_table(kielce, Lang("pl"))
    assert list(table.columns[1:5]) == [
        "Miejsce w bazowym wariancie obliczeń",
        "Mediana miejsca",
        "Miejsca w co najmniej 90\u00a0% wariantów: od",
        "Miejsca w co najmniej 90\u00a0% wariantów: do",
    ], list(table.columns)
    assert not any("percentyl" in column or "Najlepsze" in column for column in table.columns)
    formats = text.robustness_formats(Lang("pl"))
    assert set(formats) <= set(table.columns)


def test_the_theme_tables_say_their_gaps_come_from_unrounded_values(kielce):
    """An editor: life expectancy 77,2 against a median of 81,3 with a gap of −4,0 read as a subtraction done wrong."""
    from analysis.text import benchmark as text

    pl = Lang("pl")
    health = text.theme_table(kielce, "Health", pl).set_index("Kod")
    shown = [pl.num(health.at["HL12.1", column], 1) for column in ("Wartość", "Mediana miast odniesienia", "Różnica względem mediany")]
    assert shown == ["77,2", "81,3", "−4,0"], shown  # as printed: 77,2 − 81,3 is −4,1
    assert "Różnicę względem mediany obliczono z wartości niezaokrąglonych" in text.theme_verdict_note(kielce, Lang("pl"))


def test_the_claims_note_does_not_call_a_debatable_difference_low_confidence_where_the_box_calls_it_probable(kielce):
    """An English editor: the box called household water use "probable" (among the variants that rank its direction)
    while the note under the tables said a claim of debatable direction holds in at most half of the variants: "low
    confidence". The note now says what its share counts and where the box's confidence comes from."""
    from analysis.text import benchmark as text

    english, polish = text.claims_note(kielce, Lang("en")), text.claims_note(kielce, Lang("pl"))
    assert (
        "low confidence)" not in english
        and "“Robust in” counts only the variants that rank its direction (half of them), as “In brief” does" in english
    )
    assert "wynik niepewny)" not in polish and "tak jak w ramce „W skrócie” – dotyczy tylko wariantów, w których przyjęto kierunek oceny" in polish


def test_tables_and_workbook_give_a_debatable_difference_the_share_the_box_reads(kielce):
    """An English editor: the workbook gave household water use "40 %" (of all 80 variants, half of which do not rank
    its direction) beside the box's "probably" (32 of the 40 that do). The table, its note, the CSV's ranked_share and
    so the workbook now count the variants that rank the direction, as the box does; robust_share keeps the old base."""
    from analysis.methods import benchmark as methods
    from analysis.text import benchmark as text

    strengths = methods.strengths_download(kielce).set_index("code")
    water = strengths.loc["WS21.4"]
    # Half of the variants that rank it since a claim needs the city beyond most peers by the material gap (the fifteenth
    # session): with Gdynia's 96.3 l within 2.5 of Kielce's 93.8, a variant left with Gdynia and one other peer fails.
    # 40 % and 80 % since total water use (same construct), level on the same side of the median, no longer voids it.
    assert bool(water["direction_contested"]) and water["robust_share"] == pytest.approx(0.4)
    assert water["ranked_share"] == pytest.approx(0.8)  # the box's "probable" (at least two thirds)
    assert text._debatable_levels(kielce, kielce.comparison[kielce.comparison["code"] == "WS21.4"]) == {"WS21.4": "medium"}
    agreed = strengths[~strengths["direction_contested"].astype(bool)]
    assert (agreed["ranked_share"] == agreed["robust_share"]).all()
    table = text.strengths_table(kielce, Lang("en"), "strength").set_index("Code")
    assert table.loc["WS21.4", "Robust in"] == pytest.approx(0.8)
    assert "holds in 48 of the 60 variants that rank its direction" in table.loc["WS21.4", "Note"]
    polish = text.strengths_table(kielce, Lang("pl"), "strength").set_index("Kod")
    assert "utrzymuje się w 48 z 60 wariantów, w których przyjęto kierunek oceny" in polish.loc["WS21.4", "Uwaga"]
    # A share of agreed direction keeps its base of every variant.
    weaknesses = text.strengths_table(kielce, Lang("en"), "weakness").set_index("Code")
    assert "holds in 120 of 120 variants" in weaknesses.loc["EV8.1", "Note"]


def test_an_unsettled_place_gives_the_main_calculation_s_place_too():
    """An English editor: Gdynia's bottom line said "place not settled: 1st to 3rd" and never that it is 2nd in the main
    calculation (only the details did). 1st there since improved sanitation, reported by Gdynia as its sewer share, is not
    compared (3rd before)."""
    import re

    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata

    gdynia = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "gdynia")
    for lang, expected in (
        # 3rd since homelessness, poverty and outdoor recreation space are not compared (the fifteenth session).
        # The most frequent place since the fifteenth session (an official briefed "2nd to 5th" as "it could be 2nd").
        # 41 % (was 38 %) since ozone's direction is debatable (the seventeenth session); 45 % since light passenger transport
        # is not compared and the themes of three ranked indicators count only those that tell cities apart (the same session).
        ("en", "place not settled: most often 3rd of 5 cities (45% of the variants, and in the main calculation)"),
        ("pl", "miejsce nierozstrzygnięte – najczęściej 3. wśród 5 miast (w 45\u00a0% wariantów, a także w bazowym wariancie obliczeń)"),
    ):
        lead = re.search(r'<p class="in-brief-lead">(.*?)</p>', benchmark_text.in_brief(gdynia, Lang(lang)), re.S).group(1)
        assert expected in html.unescape(re.sub(r"<[^>]+>", "", lead)), lead


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Four shares of one whole summing to more than it: one of them is wrong, not four.
        ([("a", "parts_exceed_whole", "waste"), ("b", "parts_exceed_whole", "waste"), ("c", "parts_exceed_whole", "waste")], 1),
        # Plus a value impossible for its unit: two.
        ([("a", "parts_exceed_whole", "waste"), ("b", "parts_exceed_whole", "waste"), ("t", "implausible_for_unit", "0–1000")], 2),
        # A share that is impossible alone already makes its set's sum possible to explain: one.
        ([("a", "parts_exceed_whole", "waste"), ("b", "parts_exceed_whole", "waste"), ("a", "share_out_of_range", "0–100")], 1),
        # Two sets, two.
        ([("a", "parts_exceed_whole", "waste"), ("b", "parts_exceed_whole", "waste"), ("c", "parts_exceed_whole", "energy")], 2),
        ([], 0),
    ],
)
def test_least_wrong_counts_a_set_of_shares_once(rows, expected):
    from analysis.methods.benchmark import least_wrong

    flags = pd.DataFrame(rows, columns=["code", "rule", "other"]).assign(severity="error")
    warning = pd.DataFrame([("w", "ten_times_median", "")], columns=["code", "rule", "other"]).assign(severity="warning")
    assert least_wrong(pd.concat([flags, warning], ignore_index=True)) == expected


def test_the_values_set_aside_are_counted_as_certainly_wrong_and_as_favourable_of_the_same_values(kielce):
    """Four officials read "5 z nich nie może być jednocześnie prawidłowych; gdyby pozostałe okazały się poprawne, 4 z
    nich…" two or three times (the other 9, or all 14?); the floor of the wrong ones and the favourable ones, both of the
    14."""
    from analysis.methods.benchmark import least_wrong, to_check

    assert least_wrong(to_check(kielce)) == 2
    english = benchmark_text._doubtful_sides(kielce, Lang("en"), 2)
    # 3 since poverty, Kielce's 3.6 % among them, is not compared (the fifteenth session); 2 since violent crime, Kielce's
    # 159.3 per 100 000 among them, is not compared either (the seventeenth).
    assert english == " (at least 2 of them are wrong; 2 would be clearly favourable if correct and comparable with other cities' data)"
    assert "pozostałe" not in benchmark_text._doubtful_sides(kielce, Lang("pl"), 2)


def test_the_bottom_line_names_the_city_s_country_where_the_edition_s_readers_may_not_know_it(kielce):
    """An English editor: the Kielce page never said that Kielce (nor Gdynia) is in Poland. The English edition names it;
    the Polish one does not name Poland, and names the Netherlands for Eindhoven."""
    english = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(kielce, Lang("en"))))
    polish = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(kielce, Lang("pl"))))
    assert "Kielce (Poland; data most often from 2016" in english
    assert "Kielce (dane najczęściej z 2016\u00a0r." in polish and "Polska" not in polish
    assert benchmark_text._own_country(run_benchmark(kielce.table, "eindhoven"), Lang("pl")) == "Niderlandy"


def test_the_robustness_intro_says_which_years_a_variant_keeps_and_that_inputs_are_reversed_only_in_variants(kielce):
    """A Polish editor: "dla wszystkich lat odniesienia lub tylko najnowszych" said no rule, and "więcej personelu … jako
    wartość korzystniejsza" contradicted the method's "nakłady nie są oceniane" on the same page."""
    polish = benchmark_text.robustness_intro(kielce, Lang("pl"))
    english = benchmark_text.robustness_intro(kielce, Lang("en"))
    # Each indicator's median year, the same on every page (an analyst of the fifteenth session: with Kielce's year as the
    # reference, one order of two cities had two shares on their two pages).
    assert "tylko z lat odległych o najwyżej 3\u00a0lata od mediany lat, z których pochodzą wartości danego wskaźnika" in polish.replace(
        " lata", "\u00a0lata"
    )
    assert "uwzględnieniem wartości ze wszystkich lat albo" in polish
    assert "wskaźników nakładów, których bazowy wariant obliczeń nie ocenia" in polish
    assert "the values of every year or only those within 3 years of each indicator's median year" in english and "recent" not in english


def test_a_theme_table_marks_the_indicators_counted_once_with_another(kielce):
    """An English editor: the Environment table showed three clearly worse rows (PM2.5, PM10, NO₂) where the box and the
    theme verdicts count two; PM10 is counted once with PM2.5."""
    from analysis.text.benchmark import theme_table

    table = theme_table(kielce, "Environment", Lang("en")).set_index("Code")
    assert table.at["EV8.2", "Note"] == "not counted separately: counted once with EV8.1"
    assert table.at["EV8.1", "Note"] == "" and table.at["EV8.4", "Note"] == ""


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_the_theme_rule_names_every_verdict_the_theme_table_can_show(kielce, lang):
    """An English editor: "differs only where the better direction is debatable" stood in the table, not in its rule."""
    from analysis.text.benchmark import theme_verdict_note, verdict_label

    note = re.sub(r"\s+", " ", theme_verdict_note(kielce, Lang(lang)))
    for verdict in ("better", "worse", "level", "partly better", "mixed", "too few", "debatable"):
        assert verdict_label(verdict, Lang(lang)) in note, verdict


def test_a_value_without_a_rank_beside_a_count_of_cities_ranked_says_why(kielce):
    """An English editor: "Rank –" beside "Cities ranked 5" (deaths in natural disasters: 0 in every city). rank_cities
    ranks only where values differ; the theme table's note now says so."""
    from analysis.text import benchmark as text

    tr = Lang("en")
    safety = text.theme_table(kielce, "Fire and emergency response", tr).set_index("Code")
    row = safety.loc["FR10.3"]
    assert pd.isna(row["Rank"]) and row["Cities ranked"] == 5
    assert "no rank: every value compared is the same" in row["Note"]
    polish = text.theme_table(kielce, "Fire and emergency response", Lang("pl")).set_index("Kod")
    assert "miejsca nie ustalono: wszystkie porównywane wartości są jednakowe" in polish.loc["FR10.3", "Uwaga"]
    # A ranked value has no such note.
    ranked = safety[safety["Rank"].notna()]
    assert len(ranked) and not ranked["Note"].str.contains("no rank").any()


@pytest.mark.parametrize(
    ("gap", "polish", "english"), [(1, "o ponad 1\u00a0rok", "more than 1\u00a0year"), (5, "o ponad 5\u00a0lat", "more than 5\u00a0years")]
)
def test_the_years_apart_agree_with_their_number(gap, polish, english):
    """A Polish reader: "o ponad %(gap)s lata" was right for a year gap of 2 to 4 only (max_year_gap is a parameter)."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata

    result = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "kielce", max_year_gap=gap)
    assert "rok danych jest odległy " + polish + " od roku" in html.unescape(benchmark_text.in_brief(result, Lang("pl")))
    assert "the year is " + english + " from that of" in html.unescape(benchmark_text.in_brief(result, Lang("en")))


def test_an_uncertain_claim_says_when_it_fails_only_where_it_cannot_be_compared(kielce):
    """A sceptical reading: life expectancy is "uncertain" though it is worse in every one of the 48 of 80 variants that
    can compare it (with peers' values of years within 3 of Kielce's, too few are left); "uncertain" said not why.
    claim_shares counts those variants (n_untested); the table's note and the details say so; the box keeps its word.
    Since the fifteenth session a claim also needs the city beyond most peers by the material gap, and Kielce's life
    expectancy (77.2) is within 1.5 years of Gdynia's (78.5), so the variants with a larger gap contradict it: it holds in 60
    of the 120, fails in 12 that can test it, and the words "the others cannot test it" are no longer said of it. The
    wording is tested on a row that fails only where it cannot be tested."""
    from analysis.text import benchmark as text

    claims = kielce.claims.set_index("code")
    assert claims.at["HL12.1", "weakness"] == pytest.approx(0.5) and claims.at["HL12.1", "n_untested"] == 48
    assert claims.at["EV8.1", "n_untested"] == 0
    table = text.strengths_table(kielce, Lang("en"), "weakness").set_index("Code")
    assert "holds in 60 of 120 variants (12 distinct comparisons); 48 variants cannot compare it" in table.at["HL12.1", "Note"]
    assert "cannot compare" not in table.at["EV8.1", "Note"]
    polish = text.strengths_table(kielce, Lang("pl"), "weakness").set_index("Kod")
    assert "; w 48 wariantach nie można go porównać" in polish.at["HL12.1", "Uwaga"]
    # And that they count against it, as the box says (a Polish editor of the fifteenth session).
    assert polish.at["HL12.1", "Uwaga"].endswith("i nie liczy się ich jako wariantów, w których wynik się utrzymuje")
    assert table.at["HL12.1", "Note"].endswith("and do not count as holding it")
    box = html.unescape(text.in_brief(kielce, Lang("pl")))
    # Named in the bottom line and nowhere else in the box (no "Pozostałe wyniki" repeating it: the seventeenth session).
    assert "in-brief-others" not in box and "w pozostałych nie można go sprawdzić" not in box
    # A row that fails only in the variants that cannot test it.
    row = {"n_variants": 120, "robust_share": 0.6, "n_untested": 48}
    assert text._untested_only(row, Lang("pl")) == (
        " (wynik utrzymuje się w 72 z 120 wariantów; w pozostałych nie można go sprawdzić – jest w nich za mało "
        # Too few peer values, or their years too far (an analyst: 16 of the 32 keep three peers whose median year lies
        # 4 years from Kielce's; "brakuje wartości" was untrue of them). And that such a variant counts against the result (a
        # Polish editor of the fifteenth session: read literally, it held in every variant that could test it, yet was
        # called uncertain).
        "wartości miast odniesienia albo pochodzą one z lat zbyt odległych od roku danych dla tego miasta – a wariant, w którym wyniku nie "
        "można sprawdzić, liczy się jako go niepotwierdzający)"
    )
    assert text._untested_only({**row, "robust_share": 0.5}, Lang("pl")) == ""  # fails in some that can test it
    lead = re.search(r'<p class="in-brief-lead">(.*?)</p>', box, re.S).group(1)
    assert "wszystkich wariantach" not in lead


def test_a_short_table_lists_claims_of_agreed_direction_before_debatable_ones():
    """A parameter sweep: with top_n=1 Gdynia's strengths table held only water use (debatable direction, the largest gap)
    under a caption saying none is a strength, and the strengths CSV and workbook likewise, while the box named six."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata, listed_claims, strengths_download

    data = attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())
    gdynia = run_benchmark(data, "gdynia", top_n=1)
    contested = set(gdynia.comparison.loc[gdynia.comparison["direction_contested"], "code"])
    assert gdynia.all_strengths["code"].iloc[0] in contested  # the largest gap is of debatable direction
    assert len(gdynia.strengths) == 1 and gdynia.strengths["code"].iloc[0] not in contested
    strengths = strengths_download(gdynia)
    assert not strengths.loc[strengths["kind"] == "strength", "direction_contested"].any()
    agreed = gdynia.counts["better"] - gdynia.counts["better_debatable"]
    title = benchmark_text.caption(gdynia, Lang("en"), "strengths")
    assert f"clearly better than the peer median (1 of {agreed}, the firmest first)" in title
    assert f"(pokazano 1 z {agreed} – najpewniejsze wyniki" in benchmark_text.caption(gdynia, Lang("pl"), "strengths")
    # Room left: the debatable ones fill it, after every claim of agreed direction.
    frame = pd.DataFrame({"code": ["D1", "A1", "D2", "A2"], "gap_multiple": [9, 5, 4, 3]})
    assert listed_claims(frame, 3, {"D1", "D2"})["code"].tolist() == ["D1", "A1", "A2"]
    assert listed_claims(frame, 1, {"D1", "D2"})["code"].tolist() == ["A1"]
    assert listed_claims(frame, 5, {"D1", "D2"})["code"].tolist() == ["D1", "A1", "D2", "A2"]


def test_a_run_that_keeps_impossible_values_does_not_say_it_left_them_out():
    """A parameter sweep: with exclude_flagged "none" the headline said "left out 0 values that cannot be right as
    printed, each alone or … all together", and the to-check section "left out of ranks and scores"."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata
    from analysis.text.benchmark import headline

    kept = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "eindhoven", exclude_flagged="none")
    english, polish = headline(kept, Lang("en")), headline(kept, Lang("pl"))
    assert (
        "found 8 values that cannot be right as printed, kept in this run's ranks and scores as a setting of the report (not in the comparison with the median), and marked 42"
        in english
    )
    assert "left out 0" not in english
    assert (
        "stwierdzono 8 wartości, które w opublikowanej postaci nie mogą być poprawne (zgodnie z ustawieniami tej wersji raportu uwzględniono je w rankingach i wynikach punktowych, ale nie w porównaniu z medianą), i oznaczono"
        in polish
    )


def test_a_level_indicator_better_in_some_variants_and_worse_in_others_is_named_once(kielce, monkeypatch):
    """A parameter sweep (themes Finance and Shelter): "lepsze – mniej osób bezdomnych (w 40 % wariantów); gorsze – mniej
    osób bezdomnych (w 20 % wariantów)": one indicator on both sides, and a favourable phrase under "worse". No run on the
    real data has such an indicator since a claim needs the city beyond most peers by the material gap (the fifteenth
    session); cycle paths are made better in 10 % of the variants here."""
    import pandas as pd

    real = benchmark_text.near_shares

    def both(result, kind):
        shares = real(result, kind)
        return pd.concat([shares, pd.Series({"TR18.7": 0.1})]) if kind == "strength" else shares

    monkeypatch.setattr(benchmark_text, "near_shares", both)

    def near(lang):
        box = html.unescape(benchmark_text.in_brief(kielce, Lang(lang)))
        return re.sub(r"<[^>]+>", "", re.search(r'<li class="in-brief-near">(.*?)</li>', box, re.S).group(1))

    assert near("pl").endswith(
        "w części wariantów lepsze, w części gorsze – drogi dla rowerów i pasy ruchu dla rowerów (wyraźnie lepiej w 10\u00a0% wariantów, wyraźnie gorzej w 40\u00a0%)."
    )
    assert near("pl").count("rowerów i pas") == 1
    assert "better or worse depending on the variant – cycle paths and lanes (better in 10%, worse in 40% of the variants)" in near("en")


def test_one_value_zero_years_and_one_year_of_data_read_as_sentences():
    """A parameter sweep: "For 1 of the other cities' values … keeps them", "o ponad 0 lat", "z 2016 r.." and "a 1 to
    dodatkowe miary" (counts and settings that the default run never shows)."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata

    data = attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())

    def box(result, lang):
        return html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(result, Lang(lang))))

    one_peer = run_benchmark(data, "kielce", peers=["Gdynia"])
    assert (
        "For 1 value of the other cities the year is more than 3\u00a0years from that of the matching value of Kielce; the main calculation keeps it"
        in box(one_peer, "en")
    )
    same_year = run_benchmark(data, "kielce", max_year_gap=0)
    assert "rok danych jest inny niż rok, z którego pochodzi odpowiednia wartość dla Kielc" in box(same_year, "pl")
    assert "o ponad 0" not in box(same_year, "pl") and "more than 0" not in box(same_year, "en")
    energy = run_benchmark(data, "kielce", themes=["Energy"], min_coverage=1)
    assert "r.." not in box(energy, "pl")
    for result in (one_peer, same_year, energy, run_benchmark(data, "kielce", themes=["Environment"])):
        assert not re.search(r"a [01] to dodatkowe miary|, 0 measure", box(result, "pl") + box(result, "en"))


def test_one_comparable_indicator_and_none_level_read_as_sentences():
    """A parameter sweep (Oakville against Eindhoven alone, Safety only): "porównać można było 1; w 0 z nich…",
    "Spośród 1 porównywalnych wskaźników", "Of the 1 comparable indicators". Recreation since Safety compares none there
    (police-recorded crime is not compared between countries: the seventeenth session)."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata
    from analysis.text.benchmark import headline

    data = attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())
    result = run_benchmark(data, "oakville", peers=["Eindhoven"], themes=["Recreation"])
    assert result.counts["compared"] == 1 and result.counts["level"] == 0

    def box(lang):
        return html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(result, Lang(lang))))

    polish, english = box("pl"), box("en")
    assert "porównać można było tylko jeden, a w jego przypadku wartość dla Oakville wyraźnie odbiega od wartości dla Eindhovenu" in polish
    assert " w 0 " not in polish and "on 0 of them" not in english
    assert "Spośród 1 porównywalnego wskaźnika:" in polish and "Of the 1 comparable indicator:" in english
    assert "Spośród 1 porównywalnego wskaźnika:" in headline(result, Lang("pl"))
    assert "of 1 comparable indicator it is" in headline(result, Lang("en"))


def test_a_single_value_to_verify_is_not_all_of_them():
    """A parameter sweep (Oakville against Eindhoven, Safety only): "należy sprawdzić u źródła 1 wartość … Wszystkie są
    wątpliwe (⚠)". Gdynia against Eindhoven since police-recorded crime is not compared (the seventeenth session)."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata
    from analysis.text.benchmark import to_check_intro

    result = run_benchmark(
        attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "gdynia", peers=["Eindhoven"], themes=["Safety"]
    )
    polish, english = to_check_intro(result, Lang("pl")), to_check_intro(result, Lang("en"))
    assert "Jest to wartość wątpliwa (⚠): pokazano ją w tabelach" in polish and "Wszystkie" not in polish
    assert "It is doubtful (⚠)" in english and "All of them" not in english


def test_the_robustness_intro_says_only_what_the_run_did():
    """A parameter sweep: n_variants=1 draws no random weights, yet the intro said "equal or random weights"; with
    Eindhoven as Oakville's only peer no choice moves a rank, yet it named the one that "moves the ranks most" (0.00)."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata
    from analysis.text.benchmark import robustness_intro

    data = attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())
    few = run_benchmark(data, "kielce", n_variants=1)
    assert "equal weights, and each indicator" in robustness_intro(few, Lang("en"))
    assert "zastosowaniem wag równych oraz" in robustness_intro(few, Lang("pl"))
    assert "random" not in robustness_intro(few, Lang("en"))
    assert "equal or random weights" in robustness_intro(run_benchmark(data, "kielce"), Lang("en"))
    # A gap of 0 is "the same year" (not "within 0 years"); a city without a rank in the main calculation is not said to
    # be unmoved by every choice (a second parameter sweep: Energy only, min_coverage=1).
    same = run_benchmark(data, "kielce", max_year_gap=0)
    assert "only those of each indicator's median year" in robustness_intro(same, Lang("en"))
    assert "tylko z roku będącego medianą lat, z których pochodzą wartości danego wskaźnika" in robustness_intro(same, Lang("pl"))
    unranked = run_benchmark(data, "kielce", themes=["Energy"], min_coverage=1.0)
    assert "Kielce has no overall rank in the main calculation, so how far each choice moves it cannot be measured." in robustness_intro(
        unranked, Lang("en")
    )
    assert "None of these choices" not in robustness_intro(unranked, Lang("en"))
    still = run_benchmark(data, "oakville", peers=["Eindhoven"], themes=["Recreation"])  # Safety compares none now
    if still.robustness.sensitivity["mean_abs_rank_shift"].max() == 0:
        assert "None of these choices moves Oakville's ranks." in robustness_intro(still, Lang("en"))
        assert "Żadne z tych założeń nie zmienia miejsca Oakville – ani w rankingu ogólnym, ani w żadnym obszarze." in robustness_intro(
            still, Lang("pl")
        )
    else:  # pragma: no cover - the data changed
        pytest.fail("expected no choice to move Oakville's rank against Eindhoven alone")


def test_the_ranking_line_says_the_main_calculation_s_place_where_it_differs():
    """A parameter sweep: "probably 1st out of 2 cities" beside a main order with Oakville 2nd (max_year_gap=0, Porto
    alone); Kielce unranked in the main calculation (Energy only, min_coverage=1) was never said to be."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata

    data = attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())

    def line(result, lang):
        box = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(result, Lang(lang))))
        mark = box.index("(opracowany" if lang == "pl" else "(by the authors")
        start = box.rindex("\n", 0, mark) + 1
        return box[start : box.index("\n", mark)]

    # (Against Porto alone Oakville is 1st since under-five mortality is a rate of rare events: Gdynia and Porto then; 1st in
    # the main calculation there too since six indicators defined differently between cities are not compared, so the main
    # calculation's place is set here.)
    oakville = run_benchmark(data, "oakville", max_year_gap=0, peers=["Gdynia", "Porto"])
    real = benchmark_text.overall_standing

    def main_place(computed: int, said: int):
        """overall_standing with the main calculation's place set to ``said`` (the most frequent one, as computed, is
        ``computed`` and so is the main calculation's)."""

        def patched(result, tr):
            standing = real(result, tr)
            assert standing["mode"] == computed and standing["nominal"] == computed  # as computed
            return {**standing, "nominal": said}

        return patched

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(benchmark_text, "overall_standing", main_place(1, 2))
        # "2nd or 3rd" since police-recorded crime is not compared (the seventeenth session).
        assert "probably 1st out of 3 cities (possibly 2nd or 3rd; 2nd in the main calculation)" in line(oakville, "en")
        assert "prawdopodobnie 1. miejsce wśród 3 miast (możliwe też 2. lub 3.; w bazowym wariancie obliczeń – 2. miejsce)" in line(oakville, "pl")
    unranked = run_benchmark(data, "kielce", themes=["Energy"], min_coverage=1.0)
    assert "not ranked in the main calculation: too few of its themes have enough data)" in line(unranked, "en")
    # Kielce's own page: the main calculation's place is the one said, nothing added.
    kielce = run_benchmark(data, "kielce")
    assert "place not settled: most often 4th of 5 cities (51% of the variants, and in the main calculation)" in line(kielce, "en")
    # The most frequent place and the main calculation's differing, both said: Eindhoven's page, most often 1st and 2nd in
    # the main calculation (so until ozone's direction became debatable, and again since police-recorded crime is not
    # compared: the seventeenth session).
    eindhoven = run_benchmark(data, "eindhoven")
    assert "place not settled: most often 1st of 5 cities (37% of the variants; 2nd in the main calculation)" in line(eindhoven, "en")


def test_against_one_peer_the_box_names_that_city_not_a_median():
    """A parameter sweep (peers=Gdynia): "100 % wobec mediany 95 %" (Gdynia's value), "dane pozostałych miast", a
    "For comparison – Gdynia's values" line repeating them, and "(np. bez jednego z miast)", a variant that does not
    exist with one peer."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata

    result = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "kielce", peers=["Gdynia"])

    def box(lang):
        return html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(result, Lang(lang))))

    polish, english = box("pl"), box("en")
    assert "wyższe stężenie pyłu zawieszonego PM2,5 (21 wobec 14 µg/m³ w Gdyni)" in polish
    assert "higher concentration of fine particulate matter (PM2.5) (21 vs 14 µg/m³ in Gdynia)" in english
    assert "wobec mediany" not in polish and "vs a median" not in english
    # The level ones against Gdynia's value too (a second parameter sweep: "od mediany pozostałych miast").
    assert "wartość dla Kielc nie odbiega wyraźnie od wartości dla Gdyni" in polish and "mediany pozostałych miast" not in polish
    assert "the value of Kielce is not clearly different from the value of Gdynia" in english
    assert "porównano z Gdynią; dane tego miasta pochodzą z lat 2010–2015, a dane obu miast zestawiono" in polish
    # A peer of another country: its country and its years not in two brackets in a row (a second parameter sweep:
    # "z Eindhovenem (Niderlandy) (dane z lat …)").
    eindhoven = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "kielce", peers=["Eindhoven"])
    lead = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(eindhoven, Lang("pl"))))
    assert "porównano z Eindhovenem (Niderlandy); dane tego miasta pochodzą z lat" in lead and ") (" not in lead
    assert "pozostałych miast pochodzą" not in polish
    assert "Dla porównania" not in polish and "For comparison" not in english
    assert "(np. przy wyższym progu wyraźnej różnicy)" in polish and "bez jednego z miast" not in polish
    assert "(różnią się m.in. progiem, od którego różnicę uznaje się za wyraźną, oraz latami danych)" in polish and "zestawem miast" not in polish
    assert (
        "Gdy miast odniesienia jest mniej niż trzy – jak tutaj (1) – porównanie jest możliwe tylko wtedy, gdy znane są wartości dla wszystkich"
        in benchmark_text.claims_note(result, Lang("pl"))
    )


def test_a_run_where_no_comparable_indicator_differs_says_none_not_all_of_them():
    """A parameter sweep: "porównać można było 3; w 3 z nich wartość … nie odbiega wyraźnie" said of all of them."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata

    result = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "kielce", themes=["Education"])
    assert result.counts["level"] == result.counts["compared"] == 3
    polish = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(result, Lang("pl"))))
    english = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(result, Lang("en"))))
    assert (
        "porównać można było 3 (wskaźniki mierzące to samo zjawisko uwzględniono tylko raz); w żadnym z nich wartość dla Kielc nie odbiega wyraźnie "
        "od mediany pozostałych miast"
    ) in polish
    assert (
        "3 could be compared (those measuring the same thing counted once); on none of them does the value of Kielce differ clearly from the "
        "median of the other cities"
    ) in english
    # Neither side, said once (a parameter sweep: "no strengths were found …. No weaknesses were found …").
    assert "od mediany pozostałych miast; w bazowym wariancie obliczeń nie stwierdzono ani mocnych, ani słabych stron." in polish
    assert "słabych stron" not in polish.replace("ani mocnych, ani słabych stron", "", 1).split("Szczegóły wyników")[0]
    assert "no strengths or weaknesses were found in the main calculation." in english and "No weaknesses were found" not in english


def test_a_run_limited_to_some_themes_says_so_in_the_scope_and_the_ranking_s_name():
    """A parameter sweep (themes=Transportation): "Of the 9 ISO 37120 indicators" of a standard of 100, and an
    "Overall ranking" of one theme."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata

    data = attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())
    result = run_benchmark(data, "gdynia", themes=["Transportation"])

    def box(lang):
        return html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(result, Lang(lang))))

    polish, english = box("pl"), box("en")
    assert "Spośród 9 wskaźników normy ISO\u00a037120 w obszarze „Transport” porównać można było" in polish
    assert "Of the 9 ISO 37120 indicators in the theme “Transportation”, " in english
    assert "Ranking w obszarze „Transport” (opracowany" in polish and "Ranking in the theme “Transportation” (by the authors" in english
    # The details too (a second parameter sweep: "Ranking ogólny – szczegóły" under "Ranking w obszarze „Transport”").
    assert "Ranking w obszarze „Transport” – szczegóły:" in polish and "ogólny" not in polish
    assert "Ranking in the theme “Transportation” against each city:" in english
    kielce = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(run_benchmark(data, "kielce"), Lang("pl"))))
    assert "Spośród 100 wskaźników normy ISO\u00a037120 porównać można było 33" in kielce and "Ranking ogólny (opracowany" in kielce


def test_table_titles_and_pointers_say_what_the_tables_hold():
    """A second parameter sweep: "(0, the firmest first) …: none" over an empty table, and "the tables below list the
    debatable ones too" where top_n=1 left them out."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata

    data = attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())
    empty = run_benchmark(data, "kielce", themes=["Finance", "Shelter"])
    assert empty.strengths.empty
    assert benchmark_text.caption(empty, Lang("en"), "strengths") == "Indicators on which Kielce is clearly better than the peer median"
    assert (
        benchmark_text.caption(empty, Lang("pl"), "strengths")
        == "Wskaźniki, w których wartość dla Kielc jest wyraźnie lepsza od mediany miast odniesienia"
    )
    assert "list the debatable ones too" not in benchmark_text.in_brief(run_benchmark(data, "gdynia", top_n=1), Lang("en"))
    assert "list the debatable ones too" in benchmark_text.in_brief(run_benchmark(data, "kielce"), Lang("en"))


def test_the_to_check_paragraph_says_the_other_one_for_one():
    """A second parameter sweep (Transportation only): "Of these, 1 value cannot be right as printed (✖). … The others
    are doubtful (⚠)" of the one other value."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata
    from analysis.text.benchmark import to_check_intro

    result = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "gdynia", themes=["Transportation"])
    english, polish = to_check_intro(result, Lang("en")), to_check_intro(result, Lang("pl"))
    assert "The other one is doubtful (⚠)" in english and "The others" not in english
    assert "Pozostała wartość jest wątpliwa (⚠): pokazano ją w tabelach" in polish


def test_the_headline_says_none_rather_than_zero_values_left_out():
    """A second parameter sweep (Finance and Shelter only): "left out 0 values that cannot be right as printed, each
    alone or … all together, and marked 0 doubtful values"."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata
    from analysis.text.benchmark import headline

    result = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "kielce", themes=["Finance", "Shelter"])
    english, polish = headline(result, Lang("en")), headline(result, Lang("pl"))
    assert "found no value that cannot be right as printed and no doubtful value." in english and " 0 " not in english
    assert "nie stwierdzono wartości, które w opublikowanej postaci nie mogą być poprawne, ani wartości wątpliwych." in polish


def test_a_rounded_value_is_never_a_false_hundred_or_zero():
    """A second parameter sweep (peers=Gdynia): "wyższy odsetek … z dostępem do ulepszonych urządzeń sanitarnych (100 %
    wobec 95 % w Gdyni)" of 99.9 %, which reads as full coverage."""
    from analysis.text.benchmark import _plain_decimals

    assert _plain_decimals(99.9, 95.0) == 1 and _plain_decimals(100.0, 95.0) == 0
    assert _plain_decimals(87.89, 96.47) == 0  # "88 % wobec 96 %", as before
    assert _plain_decimals(0.04, 2.5) == 2


def test_two_themes_and_the_next_step_read_as_city_hall_polish():
    """A second parameter sweep (Finance and Shelter only): "w obszarach: „Finanse” i „Mieszkalnictwo”" (a colon
    before the names) and "Dalsze prace nad danymi: powtórzyć porównanie …" (a bare infinitive)."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata

    result = run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "kielce", themes=["Finance", "Shelter"])
    polish = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(result, Lang("pl"))))
    assert "w obszarach „Finanse” i „Mieszkalnictwo”" in polish and "w obszarach:" not in polish
    assert "należy powtórzyć porównanie na podstawie nowszych danych." in polish


def test_the_bottom_line_names_no_uncertain_claim_while_a_firmer_one_goes_unnamed(city_benchmark):
    """Gdynia's bottom line named two uncertain strengths (youth and overall unemployment) beside a probable one it only
    counted, and Oakville's three uncertain weaknesses beside two firm ones it only counted: the firmest are named first,
    so once a firmer claim is only counted, the uncertain ones are counted too (a first screen officials of the eleventh
    session read in three minutes). Kielce, whose every firmer weakness is named, still names its uncertain ones."""
    import re

    def lead(city: str, lang: str) -> str:
        box = benchmark_text.in_brief(city_benchmark(city), Lang(lang))
        return html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="in-brief-lead">(.*?)</p>', box, re.S).group(1)))

    # A probable one only counted, so the uncertain one is counted too (Porto's weaknesses until the fifteenth session, when
    # a claim came to need the city beyond most peers by the material gap; said of the claims directly now).
    row = {"level": "high", "phrase": "mniej przejazdów transportem publicznym", "plain": "16 wobec mediany 215"}
    counted = benchmark_text._plain_claims([row], ["medium"], Lang("pl"), 1, ["wyższe stężenie ozonu O₃"], "weaknesses", numbers=False)
    assert counted.endswith(
        '; ponadto 1 prawdopodobna słaba strona i 1 niepewna słaba strona<span class="in-brief-listed"> (wymienione w pełnym opracowaniu)</span>'
    )
    # Oakville's strengths: a fourth firm one counted, so the probable one is counted too (Porto's weaknesses said so until
    # property crime, a firm one, was no longer compared: the seventeenth session).
    assert "; ponadto 1 inna mocna strona, a także 1 prawdopodobna mocna strona (wymienione w pełnym opracowaniu)." in lead("oakville", "pl")
    # Gdynia's strengths and weaknesses name every firmer one, so their uncertain ones are named (since homelessness, the
    # third firm strength beyond the box, is not compared: the fifteenth session).
    gdynia = lead("gdynia", "pl")
    strengths = [line for line in gdynia.splitlines() if line.startswith("Mocne strony:")][0]
    assert strengths.endswith("; ponadto – choć wynik jest niepewny – niższa stopa bezrobocia.")
    assert "ponadto" not in strengths.replace("; ponadto – choć wynik jest niepewny –", "")
    oakville = lead("oakville", "en")
    # (Its uncertain one, women elected, is level since a gap must exceed two seats of a 13-member council.)
    # (Ozone, its uncertain weakness until the seventeenth session, is of debatable direction: none of low confidence now.)
    assert "uncertain" not in oakville.split("Weaknesses:")[1].split(".")[0] and "probable" not in oakville.split("Weaknesses:")[1].split(".")[0]
    assert "; ponadto – choć wynik jest niepewny – krótsze przeciętne trwanie życia (różnica ma w dużej mierze charakter ogólnokrajowy)." in lead(
        "kielce", "pl"
    )


def test_the_second_sentence_adds_up_to_the_indicators_compared(city_benchmark):
    """A Kielce official of the eleventh session: "w 36 … nie odbiega; w 3 – wyraźnie niższa" of 43 compared left four
    unaccounted for (the weaknesses of the next sentence). The clearly better and worse are counted in the sentence too,
    so its counts add up, on every city's page."""
    import re

    for city in ("kielce", "eindhoven", "gdynia", "oakville", "porto"):
        box = benchmark_text.in_brief(city_benchmark(city), Lang("en"))
        lead = re.search(r'<p class="in-brief-lead">(.*?)</p>', box, re.S).group(1)
        sentence = html.unescape(re.sub(r"<[^>]+>", "", re.findall(r"<span>(.*?)</span>\n", lead + "\n", re.S)[1]))
        compared = int(re.search(r"indicators, (\d+) could be compared", sentence).group(1))
        parts = [int(n) for n in re.findall(r"(?:; |, )on (\d+)", sentence)]
        assert len(parts) >= 2 and sum(parts) == compared, (city, sentence)
    assert (
        "; in the main calculation, on 30 of them the value of Kielce is not clearly different from the median of the other cities; on 2 it is clearly worse (see “Weaknesses”); on 1"
        in html.unescape(benchmark_text.in_brief(city_benchmark("kielce"), Lang("en")))
    )


def test_a_probable_place_names_only_the_other_places_its_plain_orders_allow(crime_compared):
    """A Polish editor of the eleventh session: Porto's "probably 5th out of 5 cities (possibly 3rd or 4th), behind
    Eindhoven, Oakville and Gdynia" contradicts itself: behind three cities, each stated plainly (at least 90 % of the
    variants), it cannot be 3rd. The band's other places are those the plain orders allow."""
    import re

    # With crime rates compared, as Porto's page was until the seventeenth session (its place is not settled since).
    porto = crime_compared("porto")
    standing = benchmark_text.overall_standing(porto, Lang("en"))
    # Behind Kielce plainly too since Porto's PM2.5 (0.20 of its PM10) is to be verified: no other place was possible. Behind
    # two plainly since homelessness, poverty and outdoor recreation space are not compared (the fifteenth session): the
    # band reaches 2nd, which those two orders rule out.
    # Behind two plainly (Eindhoven and Gdynia) since tax collection is not compared either: the band's 2nd is ruled out.
    assert (standing["low"], standing["high"]) == (2, 5) and standing["n_below"] == 2  # the band and the plain orders
    lead = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(porto, Lang("en")).split('<details class="in-brief-more">')[0]))
    assert "probably 5th out of 5 cities (possibly 3rd or 4th), behind Eindhoven and Gdynia, and probably also behind Oakville and Kielce;" in lead
    assert "2nd" not in lead.split("Overall ranking")[1]


def test_the_sensitivity_table_gives_the_overall_place_s_shift_apart(city_benchmark, crime_compared):
    """An analyst of the eleventh session: the theme-set choice (all themes, or only those of at least three ranked
    indicators) moved Kielce from 4th to 3rd overall, yet ranked near the bottom of the sensitivity table, whose shift
    is averaged over the themes' ranks too, which that choice cannot move. The overall place's shift is its own column.
    Gdynia's since improved sanitation is not compared (no single choice now moves Kielce's overall place); Eindhoven's since
    homelessness, poverty and outdoor recreation space are not compared (the fifteenth session)."""
    # Gdynia's page since the themes of three ranked indicators count only those that tell cities apart (Oakville's moved by 2
    # then: the seventeenth session).
    sensitivity = city_benchmark("gdynia").robustness.sensitivity.set_index("choice")
    assert sensitivity.at["themes", "overall_shift"] == 1.0 and sensitivity.at["themes", "mean_abs_rank_shift"] < 0.1
    gdynia = city_benchmark("gdynia")
    table = benchmark_text.sensitivity_table(gdynia, Lang("pl")).set_index("Założenie")
    assert list(table.columns)[-1] == "Średnia zmiana miejsca w rankingu ogólnym (liczba pozycji)"
    # The sentence above it names both (a Polish editor: "moves Kielce's ranks most" was untrue of the overall place).
    assert (
        benchmark_text.robustness_intro(gdynia, Lang("pl"))
        .rstrip()
        .endswith(
            # The choices named as names, in quotes (a Polish editor of the fourteenth session: "założenie: dyskusyjne
            # kierunki … – średnio o …; na samo miejsce … – założenie: …" was a broken sentence), one choice named once
            # (a second editor: the same choice named twice read as a template error), "miejsca", not "pozycji".
            "Na miejsca Gdyni we wszystkich rankingach łącznie najsilniej wpływa założenie „dyskusyjne kierunki oceny wskaźników” "
            # (0.68 and normalisation since police-recorded crime is not compared: the seventeenth session.)
            "(zmienia je średnio o 0,68 miejsca), a na samo miejsce w rankingu ogólnym – założenie „sposób normalizacji” "
            "(zmienia je średnio o 1,00 miejsca). Równie silnie na miejsce w rankingu ogólnym wpływa założenie „zakres obszarów w "
            "wyniku ogólnym” (zmienia je średnio o 1,00 miejsca)."
        )
    )
    # Eindhoven's with crime rates compared (its page named two choices so until the seventeenth session).
    eindhoven_intro = benchmark_text.robustness_intro(crime_compared("eindhoven"), Lang("pl")).rstrip()
    # One choice named once where it moves both (no page has such a choice since the fifteenth session: set here).
    from markupsafe import Markup

    one = benchmark_text.render(
        "benchmark-robustness-intro.md.j2",
        Lang("pl"),
        n_variants=17280,
        city="Kielce",
        choice=Markup("uwzględnienie lub pominięcie wartości wątpliwych (⚠)"),  # the code's own label, as robustness_intro passes it
        shift=0.6,
        overall_choice=Markup("uwzględnienie lub pominięcie wartości wątpliwych (⚠)"),
        overall_shift=1.0,
        years="tylko z lat odległych o nie więcej niż 3 lata od roku danych dla Kielc",
        random_weights=True,
        unranked=False,
        also_themes="",
        n_also_themes=0,
        also_overall="",
        n_also_overall=0,
    )
    assert one.rstrip().endswith(
        "Na miejsca Kielc we wszystkich rankingach łącznie, a także na samo miejsce w rankingu ogólnym, najsilniej wpływa założenie "
        # "Wpływa na …", and the shift said with its own verb (a Polish editor: "wpływa … (średnio o …)" is no collocation).
        "„uwzględnienie lub pominięcie wartości wątpliwych (⚠)” (zmienia je średnio o 0,60 miejsca, a miejsce w rankingu ogólnym – o 1,00)."
    )
    # A choice that moves the place as much is named too (a Polish editor of the fifteenth session: "najsilniej wpływa"
    # named one choice where the table beside it gives another the same 1,00).
    assert eindhoven_intro.endswith(
        "Równie silnie na miejsce w rankingu ogólnym wpływa założenie „zakres obszarów w wyniku ogólnym” (zmienia je średnio o 1,00 miejsca)."
    )
    assert (
        benchmark_text.robustness_intro(crime_compared("porto"), Lang("en"))
        .rstrip()
        .endswith("The choice “contested polarities” moves Porto's ranks as much (mean shift 0.50 places).")
    )


def test_one_uncertain_claim_is_labelled_in_the_singular(city_benchmark):
    """A Polish editor of the eleventh session: Porto's "wyniki niepewne:" named one indicator."""

    # Said of the claims directly since no page names a single uncertain one after a firmer one (Porto's was the register
    # of voters, no longer compared: automatic registers).
    row = {"level": "high", "phrase": "niższa ściągalność podatków", "plain": "88\u00a0% wobec mediany 96\u00a0%"}
    one = benchmark_text._plain_claims([row], [], Lang("pl"), 1, ["wyższe stężenie NO₂"], "weaknesses", numbers=False)
    two = benchmark_text._plain_claims([row], [], Lang("pl"), 2, ["wyższe stężenie NO₂", "krótsze trwanie życia"], "weaknesses", numbers=False)
    assert one == "niższa ściągalność podatków; ponadto – choć wynik jest niepewny – wyższe stężenie NO₂"
    assert two == "niższa ściągalność podatków; ponadto – choć wyniki są niepewne – wyższe stężenie NO₂ i krótsze trwanie życia"


def test_an_unsettled_place_still_says_every_order_the_evidence_allows(city_benchmark):
    """Three Kielce officials of the eleventh session, briefing from the first screen: councillors will ask about Gdynia,
    the other Polish city, and an unsettled place's band said nothing of it (each order was in the details). Then the
    order against the same country's peers alone; a Polish editor and an analyst of the thirteenth session: it read as
    "only Gdynia is ahead" (2nd), and it was the weakest of Kielce's four orders (69.5 %). Every order of at least medium
    confidence now, on its scale, as a settled place gives them."""
    import re

    def ranking(city: str, lang: str, part: str = "lead") -> str:
        box = benchmark_text.in_brief(city_benchmark(city), Lang(lang))
        shown = re.search(r'<p class="in-brief-lead">(.*?)</p>' if part == "lead" else r'<ol class="in-brief-facts">(.*?)</ol>', box, re.S)
        return [line for line in html.unescape(re.sub(r"<[^>]+>", "", shown.group(1))).splitlines() if "ranking" in line.lower()][0]

    # The first screen's line as the sentence below it (two officials of the thirteenth session read the band and the order
    # alone, "2nd to 5th, probably behind Gdynia", as 2nd or 3rd).
    # Gdynia's order not settled while one choice turned it around (two analysts); probable since improved sanitation, which
    # Gdynia reports as its sewer share, is not compared (80 %, at least 64 % with each setting of each choice); 84 % since six
    # indicators defined differently between cities are not compared. Oakville first, 1st in the main calculation, since
    # homelessness, poverty and outdoor recreation space are not compared (the fifteenth session). Oakville's order not
    # settled since the ranking's variants are the same on every page: Oakville's page said the same (the sixteenth).
    # Behind Oakville probable since ozone's direction is debatable; each unsettled order with the way it leans and the place
    # on ISO 37120's core indicators alone where it differs (an official and an analyst of the seventeenth session).
    # Porto's order not settled, leaning ahead, since police-recorded crime is not compared (the seventeenth session); every
    # order probable or not settled once the themes of three ranked indicators count only those that tell cities apart.
    kielce = (
        "; względem poszczególnych miast: prawdopodobnie za Oakville, Eindhovenem i Gdynią; "
        "kolejność względem Porto nierozstrzygnięta (częściej przed Porto); w rankingu opartym wyłącznie na wskaźnikach "
        "podstawowych normy ISO 37120: miejsce nierozstrzygnięte – najczęściej 5. (w 35\u00a0% wariantów tego rankingu, a także w bazowym wariancie obliczeń)."
    )
    assert ranking("kielce", "pl").endswith("(w 51\u00a0% wariantów, a także w bazowym wariancie obliczeń)" + kielce)
    # The first screen's line without the share (the issue: "42 % spośród 2385 wariantów" meant nothing to the mayor).
    assert ranking("kielce", "pl", "facts").endswith("miejsce nierozstrzygnięte – najczęściej 4. wśród 5 miast" + kielce)
    assert ranking("gdynia", "en").endswith(
        "(45% of the variants, and in the main calculation); against each city: probably behind Eindhoven; probably ahead of Kielce "
        "and Porto; order against Oakville not settled (more often behind Oakville); "
        "on ISO 37120's core indicators alone, place not settled: most often 3rd (31% of that ranking's variants; 2nd in the main calculation)."
    )
    assert ranking("eindhoven", "en").endswith(
        "(37% of the variants; 2nd in the main calculation), and Oakville is 1st about as often (38%); against each city: probably "
        "ahead of Gdynia, Kielce and Porto; order against Oakville not settled (more often ahead of Oakville); "
        "on ISO 37120's core indicators alone, place not settled: most often 1st (31% of that ranking's variants, and in the main calculation)."
    )
    assert ranking("oakville", "pl").endswith(
        "względem poszczególnych miast: prawdopodobnie przed Kielcami i Porto; kolejność względem Eindhovenu i Gdyni nierozstrzygnięta "
        "(częściej za Eindhovenem, częściej przed Gdynią); "
        "w rankingu opartym wyłącznie na wskaźnikach podstawowych normy ISO 37120: miejsce nierozstrzygnięte – najczęściej 5. "
        "(w 29\u00a0% wariantów tego rankingu; w bazowym wariancie obliczeń – 3. miejsce)."
    )


def test_the_first_screen_lines_do_not_read_as_worse_at_everything(city_benchmark):
    """Two Kielce officials of the thirteenth session, briefing from the five lines of the first screen: "Strengths: none
    found" read as "Kielce is worse at everything" without how many indicators are level, and as "no assets" without the
    values set aside that would be favourable if right. The data line says how many are level in the main calculation,
    and the line on the values to check says what they would show, as the sentences below do (two officials of the
    sixteenth session, given the line without it, briefed "no strengths" as settled)."""
    import re

    box = benchmark_text.in_brief(city_benchmark("kielce"), Lang("pl"))
    facts = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<ol class="in-brief-facts">(.*?)</ol>', box, re.S).group(1)))
    lead = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="in-brief-lead">(.*?)</p>', box, re.S).group(1)))
    assert "w 30 z nich wartość dla Kielc nie odbiega wyraźnie od mediany (wartości środkowej) pozostałych miast" in facts
    checked = [line for line in facts.splitlines() if line.startswith("Do sprawdzenia u źródła:")][0]
    assert "2 byłyby wyraźnie korzystne" in checked and checked in lead


def test_the_first_screen_names_the_city_s_country_where_the_edition_s_readers_may_not_know_it(city_benchmark):
    """An English editor once found Poland named nowhere on the Kielce page; the first screen's data line now opens the
    box, so it names the country in English and, as the Polish bottom line does, not in Polish."""
    import re

    def data_line(lang: str) -> str:
        box = benchmark_text.in_brief(city_benchmark("kielce"), Lang(lang))
        return html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="in-brief-fact-data">(.*?)</p>', box, re.S).group(1)))

    assert data_line("en").startswith("Data: Kielce (Poland) most often from 2016")
    assert data_line("pl").startswith("Dane: Kielce – najczęściej z 2016\u00a0r.")


def test_the_first_screen_adds_up_to_the_indicators_compared(city_benchmark):
    """An official of the thirteenth session, briefing from the five lines: 43 could be compared and 36 are level, so 7
    differ, but the weaknesses line names 4. The data line counts the differences of debatable direction too, as the
    sentences below it do, so level + debatable + the claims the lines name or count add up to the indicators compared."""
    import re

    result = city_benchmark("kielce")
    counts = result.counts
    box = benchmark_text.in_brief(result, Lang("pl"))
    data = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<li class="in-brief-fact-results">(.*?)</li>', box, re.S).group(1)))
    debatable = counts.get("better_debatable", 0) + counts.get("worse_debatable", 0)
    worse = counts["worse"] - counts.get("worse_debatable", 0)
    assert (
        f"w {counts['level']} z nich" in data
        and f"; w {debatable} (zużycie wody w gospodarstwach domowych – wynik prawdopodobny) jest wyraźnie niższa, ale nie jest przesądzone" in data
    )
    # The clearly worse counted too (a fourth official: "36 + 3 is not 43"; the weaknesses line names them).
    assert f"; w {worse} jest wyraźnie gorsza (w 1 z nich wynik jest niepewny);" in data  # each one's confidence in the weaknesses line
    firm = counts["better"] + counts["worse"] - debatable
    assert counts["level"] + debatable + firm == counts["compared"] == 33


def test_the_data_years_are_said_as_the_most_frequent_not_as_most_of_them(city_benchmark):
    """An analyst of the thirteenth session: "Porto … mostly from 2014" held for 38 of its 86 values (44 %), Eindhoven's
    2015 for 42 of 88; the page gives the most frequent year, so it says "most often" ("najczęściej")."""
    import re

    for city, year in (("porto", "2014"), ("eindhoven", "2015")):
        for lang, said in (("en", f"most often from {year}"), ("pl", f"najczęściej z {year}\u00a0r.")):
            box = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(city_benchmark(city), Lang(lang))))
            assert said in box and "mostly" not in box and "głównie" not in box, (city, lang)


def test_a_claim_no_peer_of_the_city_s_own_country_reports_says_it_is_against_foreign_cities_only(city_benchmark, kielce_with_tax_collection):
    """An official of the thirteenth session: Kielce's firm weakness, tax collection, is compared with Eindhoven, Oakville
    and Porto alone, as Gdynia prints no value, so whether it is a national difference (as life expectancy largely is)
    cannot be told; the page said nothing of it. The first screen, the sentences and the details now say so, naming the
    peer without a value (an official of the fourteenth session read "against foreign cities only" as "level with Gdynia").
    Tax collection is not compared since the fifteenth session (national tax administration); compared here as before, it
    is the one such claim on the real data."""
    import re

    box = benchmark_text.in_brief(kielce_with_tax_collection, Lang("pl"))
    text = html.unescape(re.sub(r"<[^>]+>", "", box))
    spaced = text.replace("\u00a0", " ")
    assert (
        "Słabe strony: niższa ściągalność podatków (88 % wobec mediany 96 %; tylko na tle miast zagranicznych, gdyż brak danych dla Gdyni)" in spaced
    )
    assert "niższa ściągalność podatków (88 % wobec mediany 96 %; tylko na tle miast zagranicznych, gdyż brak danych dla Gdyni)" in spaced
    assert "niższa ściągalność podatków (87,9 % wobec mediany 96,5 %; tylko na tle miast zagranicznych, gdyż brak danych dla Gdyni)" in spaced
    assert "ściągalność podatków – brak danych" in spaced
    english = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(kielce_with_tax_collection, Lang("en"))))
    assert "a lower tax collection rate (88% vs a median of 96%; against foreign cities only: no data for Gdynia)" in english
    # Not where the same country's peer reports a value (PM2.5: Gdynia 13.5), nor on a page with no such peer.
    assert "PM2,5 (porównanie tylko" not in text
    assert "other countries only" not in html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(city_benchmark("porto"), Lang("en"))))


def test_one_sewer_share_reported_twice_is_not_two_weaknesses(city_benchmark):
    """An analyst of the thirteenth session: Gdynia's first screen named as two firm weaknesses a lower share of residents
    with improved sanitation (95 %) and a lower share served by sewers (94.9 %). Improved sanitation counts septic tanks
    too (Kielce prints 99.88 % against 97 % on sewers, Porto 100 % against 98.18 %), so Gdynia's 95 % is its sewer share
    again: indicator_metadata.csv marks WS21.3 as defined differently between cities, and the sewer share stands alone."""
    gdynia = city_benchmark("gdynia")
    codes = set(gdynia.weaknesses["code"]) | set(gdynia.all_weaknesses["code"] if gdynia.all_weaknesses is not None else [])
    assert "WW20.1" in codes and "WS21.3" not in codes
    row = gdynia.comparison.set_index("code").loc["WS21.3"]
    assert row["verdict"] != "worse"


def test_an_even_split_of_an_order_is_said_as_one_not_as_a_lean(city_benchmark, monkeypatch):
    """An analyst of the thirteenth session: Eindhoven's page said it ranks "above Oakville in 50 % of the variants", a
    lean on a scale whose every other figure is one. Where the two shares are within two points, the order is said to go
    each way in about half of the variants (the shares set here: no page has such an order since four indicators defined
    differently between cities are not compared). Oakville's page, whose two unsettled orders are Eindhoven's and Gdynia's
    (Eindhoven's and Porto's have one only since the seventeenth session)."""
    from analysis.methods import robustness

    real = robustness.overall_order

    def even(result):
        order = real(result)
        order.loc[order["city"] == "Gdynia", ["share_above", "share_below"]] = (0.504, 0.492)
        return order

    monkeypatch.setattr(robustness, "overall_order", even)
    leans = benchmark_text.overall_standing(city_benchmark("oakville"), Lang("pl"))["leans"]
    assert "wyżej niż Gdynia w około połowie wariantów, a niżej w pozostałych" in leans
    assert "niżej niż Eindhoven w 52\u00a0% wariantów" in leans  # a lean stays a lean


def test_the_same_country_line_ends_with_one_full_stop_after_an_abbreviation(city_benchmark, monkeypatch):
    """Gdynia's line of Kielce's values ended "tereny zieleni – 464,9 ha na 100 000 mieszk.." while green area was compared:
    the template's full stop after a value that ends with an abbreviation's."""
    import re

    monkeypatch.setattr(benchmark_text, "_same_values", lambda rows, tr: "liczba osób bezdomnych\u00a0– 324,7 na 100\u00a0000 mieszk.")
    box = benchmark_text.in_brief(city_benchmark("gdynia"), Lang("pl"))
    line = re.search(r'<li class="in-brief-same">.*?</li>', box).group(0)
    assert line.endswith("na 100\u00a0000 mieszk.</li>")


def test_the_values_set_aside_say_nothing_of_a_contested_direction(city_benchmark):
    """An analyst of the fourteenth session: Oakville's "4 would be clearly favourable if correct" counted trees planted
    (UP19.2), whose better direction the page calls debatable; the filter read a column the comparison table never has,
    so no value of contested direction was ever left out."""
    from analysis.data.cleaning import load_indicator_metadata

    metadata = load_indicator_metadata()
    contested = set(metadata.loc[metadata["polarity_confidence"] == "contested", "code"])
    for city in ("kielce", "gdynia", "eindhoven", "oakville", "porto"):
        doubtful = city_benchmark(city).doubtful
        assert not set(doubtful["code"]) & contested, (city, sorted(set(doubtful["code"]) & contested))


def test_a_least_share_that_rounds_to_the_rule_s_half_is_said_as_under_half(city_benchmark):
    """A Polish editor of the fourteenth session: Oakville's details said its order against Eindhoven held "only in 50 %
    of the variants with one option" beside the rule "at least half" (49.9 %), a contradiction made by rounding. No page
    has such an order since homelessness, poverty and outdoor recreation space are not compared (the fifteenth session):
    the share is set here, on Kielce's order against Oakville (at least 53 % under each option)."""
    from analysis.methods import robustness

    real = robustness.overall_order

    def rounding_to_half(result):
        order = real(result)
        order.loc[order["city"] == "Oakville", "least_below"] = 0.4991
        return order

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(robustness, "overall_order", rounding_to_half)
        row = robustness.overall_order(city_benchmark("kielce").robustness).set_index("city").loc["Oakville"]
        assert row["least_below"] < robustness.ORDER_LEAST_SHARE and round(row["least_below"] * 100) == 50
        leans = benchmark_text.overall_standing(city_benchmark("kielce"), Lang("pl"))["leans"]
    assert "ale w mniej niż połowie wariantów przy jednej z opcji założenia" in leans and "tylko w 50\u00a0%" not in leans


def test_one_seat_on_a_small_council_is_no_clear_difference(city_benchmark):
    """An analyst of the fourteenth session: women elected (GV11.2) had a material gap of 8 points, two seats of a council
    of about 25, while Oakville's 15.38 % is 2 of 13 and Porto's 23.1 % is 3 of 13: Oakville's "weakness" of 9.5 points
    was one seat. The gap is now two seats of the smallest body (15 points)."""
    from analysis.data.cleaning import load_indicator_metadata

    metadata = load_indicator_metadata().set_index("code")
    assert metadata.at["GV11.2", "material_gap"] >= 2 / 13 * 100 - 0.5
    oakville = city_benchmark("oakville")
    row = oakville.comparison.set_index("code").loc["GV11.2"]
    assert row["verdict"] == "level"
    assert city_benchmark("gdynia").comparison.set_index("code").at["GV11.2", "verdict"] == "better"  # 41 % stays


def test_a_peer_of_the_edition_s_own_country_is_not_given_its_country(city_benchmark):
    """A Polish editor of the fourteenth session: Eindhoven's Polish page compared it "z Kielcami (Polska), Gdynią
    (Polska)…"; a Polish reader needs no country after a Polish city, as the focal city's own is left out there too. The
    English edition keeps it."""
    import re

    def first(lang: str) -> str:
        box = benchmark_text.in_brief(city_benchmark("eindhoven"), Lang(lang))
        return html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="in-brief-lead">(.*?)</p>', box, re.S).group(1))).splitlines()[0]

    assert "porównano z Kielcami, Gdynią, Oakville (Kanada) i Porto (Portugalia)" in first("pl")
    assert "compared with Kielce (Poland), Gdynia (Poland), Oakville (Canada) and Porto (Portugal)" in first("en")


def test_the_first_screen_gives_each_counted_difference_its_confidence_and_says_whose_counts_they_are(city_benchmark):
    """An analyst and an official of the fourteenth session: "on 4 it is clearly worse", said plainly beside a scale whose
    plain word holds in 90 % of the variants, read as four firm weaknesses where two are uncertain. The data line's
    counts are the main calculation's, and the scale says so; each clear difference it counts is named in the lines below
    with its confidence word (the count "(w tym w 1 z wynikiem niepewnym)" said it twice)."""
    import re

    def lines(city: str, lang: str) -> dict[str, str]:
        box = benchmark_text.in_brief(city_benchmark(city), Lang(lang))
        facts = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<ol class="in-brief-facts">(.*?)</ol>', box, re.S).group(1)))
        scale = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="in-brief-scale-short">(.*?)</p>', box, re.S).group(1)))
        found = {line.split(":")[0]: line for line in facts.splitlines() if line.strip()}
        found["scale"] = scale
        return found

    kielce = lines("kielce", "pl")
    # How many of them are uncertain (two officials and an English editor of the eighteenth session read "w 2 jest wyraźnie
    # gorsza" beside the uncertain life expectancy as a contradiction).
    assert "; w 2 jest wyraźnie gorsza (w 1 z nich wynik jest niepewny);" in kielce["Wyniki"]
    # The values worse in some variants only are counted only where the strengths line counts those better (none since
    # ozone's direction is debatable: the seventeenth session).
    assert (
        kielce["Słabe strony"].replace("\u00a0", " ")
        == "Słabe strony: wyższe stężenie pyłu zawieszonego PM2,5 (21 wobec mediany 14 µg/m³; w Gdyni – 14); ponadto – choć wynik jest niepewny – krótsze przeciętne"
        " trwanie życia (różnica ma w dużej mierze charakter ogólnokrajowy)."
    )
    assert (
        "Podane liczby wskaźników oraz wyniki opatrzone dopiskiem „w bazowym wariancie obliczeń” dotyczą wyłącznie obliczeń przy głównych założeniach"
        in kielce["scale"]
    )
    assert (
        "Counts of indicators and results “in the main calculation” come from the calculation under the main assumptions"
        in lines("kielce", "en")["scale"]
    )
    gdynia = lines("gdynia", "pl")
    assert "; w 4 jest wyraźnie lepsza (w 1 z nich wynik jest niepewny);" in gdynia["Wyniki"] and gdynia["Mocne strony"].endswith(
        "ponadto – choć wynik jest niepewny – niższa stopa bezrobocia."
    )


def test_a_share_beside_the_scale_is_never_rounded_up_to_a_cut_it_does_not_reach(kielce):
    """The fifteenth session: Kielce's place without the indicators of debatable direction holds in 66.5 % of the ranking
    variants, printed "67 %" beside "wynik niepewny" while the scale's "probable" starts at two thirds. A share within
    half a point below a cut of the scale (half, two thirds, 90 %) is said to a tenth, rounded down."""
    import re

    from analysis.publish.reporting import format_value
    from analysis.text.benchmark import scale_share

    pl, en = Lang("pl"), Lang("en")
    assert scale_share(0.6653, pl) == "66,5\u00a0%" and scale_share(0.6653, en) == "66.5%"
    assert scale_share(0.8996, en) == "89.9%" and scale_share(0.4991, en) == "49.9%"
    # Elsewhere, and at or above a cut, whole per cents as before.
    assert scale_share(0.6667, en) == "67%" and scale_share(0.64, en) == "64%" and scale_share(0.9, en) == "90%"
    assert scale_share(0.655, en) == "66%" and scale_share(float("nan"), en) == "–"
    # The tables' "robust in" column too.
    assert format_value(0.6653, "scale", en) == "66.5%"
    # On the page: Kielce's place without the debatable indicators, its share set here to the one it had (66.5 %).
    from analysis.methods import robustness

    real = robustness.focal_rank_shares

    def two_thirds_less(result, **choice):
        shares = real(result, **choice)
        return shares.where(shares.index != 4, 0.6653) if choice else shares

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(robustness, "focal_rank_shares", two_thirds_less)
        standing = re.search(r'<li class="in-brief-standing">(.*?)</li>', benchmark_text.in_brief(kielce, pl), re.S).group(1)
    assert "4. miejsce w 66,5\u00a0% wariantów rankingu (wynik niepewny)." in standing


def test_full_time_employment_is_of_debatable_direction_and_one_other_measure_is_named_in_the_singular(city_benchmark):
    """An analyst of the fifteenth session: Eindhoven's one firm weakness, full-time employment (28 % against a median of
    42.5 %), said more about Dutch part-time work, mostly chosen, than about secure employment; it is of debatable
    direction now, with its reason. A Polish editor: "łącznie z innymi wskaźnikami tego zjawiska: EV8.2" named one."""
    eindhoven = city_benchmark("eindhoven")
    compared = eindhoven.comparison.set_index("code")
    assert bool(compared.at["EC5.4", "direction_contested"]) and compared.at["EC5.4", "verdict"] == "worse"
    box = html.unescape(benchmark_text.in_brief(eindhoven, Lang("pl")))
    assert (
        "odsetek zatrudnionych na pełny etat zależy także od tego, jak powszechna jest w danym kraju praca w niepełnym wymiarze godzin z wyboru"
        in box
    )
    assert "Słabe strony:</strong> nie stwierdzono ich w bazowym wariancie obliczeń" in box
    note = benchmark_text.strengths_table(city_benchmark("kielce"), Lang("pl"), "weakness").set_index("Kod").at["EV8.1", "Uwaga"]
    assert note.startswith("liczony jeden raz łącznie z innym wskaźnikiem tego zjawiska: EV8.2;")


@pytest.mark.parametrize("city", ["kielce", "gdynia", "oakville"])
def test_the_first_screen_uses_zastrzezenia_in_one_sense_and_says_it_makes_no_recommendations(city_benchmark, city):
    """A Polish editor of the fifteenth session: the scale's "wynik podany bez zastrzeżeń" (a result stated plainly) stood
    two lines below "14 budzących zastrzeżenia wartości" (the values to verify): one word in two senses. The scale now
    names the words it means. An official of the same session briefed "focus on air quality" as the page's advice: the
    first screen says the page makes none."""
    import re

    for lang, plain, none in (
        ("pl", "wynik bez określeń „prawdopodobnie” i „niepewny”", "Opracowanie nie zawiera zaleceń dotyczących polityki miejskiej."),
        ("en", "a result without “probably” or “uncertain”", "The page makes no recommendations on city policy."),
    ):
        box = html.unescape(benchmark_text.in_brief(city_benchmark(city), Lang(lang)))
        first = re.sub(r"<[^>]+>", "", box.split('<details class="in-brief-numbers">')[0])
        assert "bez zastrzeżeń" not in box
        assert plain in first and none in first


def test_the_further_claims_carry_each_its_own_confidence_word(city_benchmark):
    """A Polish editor of the fifteenth session: Oakville's "pozostałe co najmniej prawdopodobne: niższe stężenie NO₂ i
    mniejsze straty wody (wynik prawdopodobny)" read as said of both, where NO₂ holds in at least 90 % of the variants.
    Each probable one now says "prawdopodobnie" before it, as the first screen does, and the label says no confidence."""
    import re

    def others(city: str, lang: str) -> str:
        text = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(city_benchmark(city), Lang(lang))))
        return re.search(r"(?:Pozostałe wyniki|Other results):[^\n]*", text).group(0)

    assert "mocne strony – niższe stężenie dwutlenku azotu NO₂ i prawdopodobnie mniejsze straty wody." in others("oakville", "pl")
    assert "strengths – lower nitrogen dioxide (NO₂) concentration and probably lower water loss." in others("oakville", "en")
    # (Porto's page, which had a further probable weakness, names every claim since property crime is not compared.)
    assert "(wynik prawdopodobny)" not in others("oakville", "pl") and "co najmniej" not in others("oakville", "pl")


def test_a_most_frequent_place_another_city_takes_more_often_names_that_city(city_benchmark):
    """An analyst of the sixteenth session: Eindhoven's page and Oakville's both said "most often 1st" (Eindhoven in 40 %
    of the ranking variants, Oakville in 33 %), which side by side read as a contradiction. The page whose city takes its
    most frequent place less often than another city says so."""
    import re

    def line(city: str, lang: str) -> str:
        text = html.unescape(re.sub(r"<[^>]+>", "", benchmark_text.in_brief(city_benchmark(city), Lang(lang))))
        return [row for row in text.splitlines() if row.startswith(("Ranking ogólny (opracowany przez autorów porównania", "Overall ranking (the"))][
            0
        ]

    # Eindhoven's page: 1st in 37 % of the variants, Oakville in 38 % (since the themes of three ranked indicators count only
    # those that tell cities apart, the seventeenth session; Oakville's page had the rival before, and in between none did).
    # Said alike on both pages, with the shares, as "about as often": within 5 points, which of the two is ahead turns with the
    # random weights' seed (an analyst of the eighteenth session: Oakville ahead with 17 of 40 seeds; a Polish editor: "ale
    # nieco częściej 1. zajmuje Oakville" without the shares read as a contradiction, and "jeszcze częściej" overstated it).
    assert "most often 1st of 5 cities (37% of the variants; 2nd in the main calculation), and Oakville is 1st about as often (38%);" in line(
        "eindhoven", "en"
    )
    assert (
        "najczęściej 1. wśród 5 miast (w 37\u00a0% wariantów; w bazowym wariancie obliczeń – 2. miejsce), a mniej więcej równie często "
        "1. miejsce zajmuje Oakville (w 38\u00a0% wariantów);"
    ) in line("eindhoven", "pl")
    lead = html.unescape(
        re.search(r'<p class="in-brief-lead">(.*?)</p>', benchmark_text.in_brief(city_benchmark("eindhoven"), Lang("en")), re.S).group(1)
    )
    assert "and Oakville is 1st about as often (38%);" in lead
    assert "most often 1st of 5 cities (38% of the variants, and in the main calculation), and Eindhoven is 1st about as often (37%);" in line(
        "oakville", "en"
    )
    # Oakville's own page says its most frequent place plainly: no city takes 1st more often.
    assert "even more often" not in line("oakville", "en") and "even more often" not in line("kielce", "en")


def test_the_flags_table_names_severities_as_the_values_to_verify_do(kielce):
    """A Polish editor of the sixteenth session: the screening table's "Stopień" said "ostrzeżenie / błąd / uwaga", the
    table of values to verify "wątpliwa ⚠ / niemożliwa w opublikowanej postaci ✖", for the same flags."""
    table = benchmark_text.flags_table(kielce, Lang("pl"))
    in_set = "jedna z wartości, które nie mogą być wszystkie jednocześnie poprawne\u00a0✖"
    words = set(table["Zastrzeżenie"])
    assert words <= {"niemożliwa w opublikowanej postaci\u00a0✖", in_set, "wątpliwa\u00a0⚠", "uwaga"} and "wątpliwa\u00a0⚠" in words
    assert "wątpliwa\u00a0⚠" in set(benchmark_text.to_check_table(kielce, Lang("pl"))["Zastrzeżenie"])
    # A share of the waste shares summing to 124.3 % as the table of values to verify says it (a Polish editor of the
    # seventeenth session: "niemożliwa" here, "nie mogą być wszystkie poprawne" there).
    recycling = table[(table["Kod"] == "SW16.3") & (table["Miasto"] == "Kielce")]["Zastrzeżenie"]
    assert list(recycling)[:1] == [in_set]
    assert benchmark_text.to_check_table(kielce, Lang("pl")).set_index("Kod").at["SW16.3", "Zastrzeżenie"] == in_set


def test_police_recorded_crime_rates_are_not_compared_between_countries(city_benchmark):
    """An analyst of the seventeenth session: Porto's plain weakness "more property crime" (4 023 per 100 000 against about
    1 250-1 440) compared penal codes, not cities: in Poland a theft under a value threshold is a petty offence and is not
    recorded as a crime, and Eurostat warns against comparing police-recorded crime between countries. The violent crime
    rates span a factor of 52. Both are not compared, with the reason and its source in the metadata."""
    from analysis.data.cleaning import load_indicator_metadata

    metadata = load_indicator_metadata().set_index("code")
    for code in ("SF14.3", "SF14.5"):
        assert not metadata.at[code, "comparable_across_cities"]
        assert "Eurostat" in metadata.at[code, "comparability_reason"]
    # Homicide stays: the one crime whose definition is close across countries (its source label is to verify apart).
    assert metadata.at["SF14.2", "comparable_across_cities"]
    porto = city_benchmark("porto")
    weaknesses = porto.comparison.loc[porto.comparison["verdict"] == "worse", "code"]
    assert "SF14.3" not in set(weaknesses)
    assert "przestępstw przeciwko mieniu" not in benchmark_text.in_brief(porto, Lang("pl"))


def test_the_first_screen_s_counts_carry_a_label_of_their_own(kielce):
    """A Polish editor of the seventeenth session: "Dane:" labelled the data's years and the results (33 compared, 30 level,
    2 worse) alike. The counts follow "Wyniki:" / "Results:", now the first of the five numbered sentences."""
    import re

    for lang, data, results in (("pl", "Dane:", "Wyniki:"), ("en", "Data:", "Results:")):
        box = benchmark_text.in_brief(kielce, Lang(lang))
        data_line = re.search(r'<p class="in-brief-fact-data">(.*?)</p>', box, re.S).group(1)
        line = re.search(r'<li class="in-brief-fact-results">(.*?)</li>', box, re.S).group(1)
        assert re.findall(r"<strong>(.*?)</strong>", data_line) == [data] and re.findall(r"<strong>(.*?)</strong>", line) == [results]
        after = html.unescape(re.sub(r"<[^>]+>", "", line.split(f"<strong>{results}</strong>")[1]))
        assert after.lstrip().startswith(("porównać można było 33", "33 of the 100"))


def test_the_same_country_line_gives_the_value_an_uncertain_largely_national_claim_rests_on(kielce):
    """An official of the seventeenth session: the printed profile called Kielce's shorter life expectancy (an uncertain
    weakness) "largely national" and gave Gdynia's PM2.5 only, so the figure behind it (Gdynia, 78.5) was nowhere."""
    import re

    box = benchmark_text.in_brief(kielce, Lang("pl"))
    line = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<li class="in-brief-same">(.*?)</li>', box, re.S).group(1)))
    assert line.endswith("stężenie pyłu zawieszonego PM2,5\u00a0– 13,5 µg/m³; przeciętne trwanie życia\u00a0– 78,5 roku.")


def test_light_passenger_transport_is_not_compared_like_high_capacity_transport():
    """An analyst of the seventeenth session: TR18.1 (high-capacity transport) was not compared, as each city decides which
    lines count, while TR18.2 (light passenger transport), whose own metadata said the same and whose values span a factor of
    13 (Eindhoven 52.1, Kielce 670.9 km per 100 000), was, and Kielce's doubtful 670.9 led the variants that keep doubtful
    values."""
    from analysis.data.cleaning import load_indicator_metadata

    metadata = load_indicator_metadata().set_index("code")
    assert not metadata.at["TR18.1", "comparable_across_cities"] and not metadata.at["TR18.2", "comparable_across_cities"]
    assert "TR18.1" in metadata.at["TR18.2", "comparability_reason"]
