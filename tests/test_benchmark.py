import numpy as np
import pandas as pd
import pytest

from analysis.benchmark import (
    UnknownCityError,
    add_vintage_flags,
    city_slug,
    focal_summary,
    normalise_scores,
    quality_flags,
    rank_cities,
    resolve_city,
    run_benchmark,
    select_cities,
    strengths_and_weaknesses,
    theme_scores,
)


def frame(rows):
    """rows: (code, city, value, polarity[, year]) → a tidy indicator frame."""
    records = []
    for row in rows:
        code, city, value, polarity, *rest = row
        year = rest[0] if rest else 2016
        records.append({
            "code": code, "theme": "T" + code[0], "tier": "core", "city": city,
            "value": np.nan if value is None else float(value), "unit": "%", "year": year,
            "missing": value is None, "raw": "" if value is None else str(value),
            "indicator": f"indicator {code}", "polarity": polarity,
        })
    out = pd.DataFrame(records)
    out["year"] = out["year"].astype("Int64")
    return out


def col(table, column, code="A1"):
    rows = table[table["code"] == code].set_index("city")[column]
    return {city: (None if pd.isna(v) else v) for city, v in rows.items()}


def test_rank_higher_is_better_with_ties_and_missing():
    table = rank_cities(frame([("A1", "a", 10, "higher"), ("A1", "b", 30, "higher"), ("A1", "c", 10, "higher"), ("A1", "d", None, "higher"), ("A1", "e", 5, "higher")]))
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
    equal = normalise_scores(frame([("A1", "a", 7, "higher"), ("A1", "b", 7, "higher")]))
    assert col(equal, "score_minmax") == {"a": 50.0, "b": 50.0}
    assert col(equal, "score_z") == {"a": 0.0, "b": 0.0}
    single = normalise_scores(frame([("A1", "a", 7, "higher"), ("A1", "b", None, "higher")]))
    assert col(single, "score_minmax") == {"a": 50.0, "b": None}
    assert col(single, "score_z") == {"a": 0.0, "b": None}


def test_theme_score_respects_min_coverage():
    rows = [
        ("A1", "a", 1, "higher"), ("A1", "b", 2, "higher"),
        ("A2", "a", None, "higher"), ("A2", "b", 5, "higher"),
        ("A3", "a", None, "higher"), ("A3", "b", 1, "higher"),
        ("A4", "a", 3, "neutral"), ("A4", "b", 4, "neutral"),
    ]
    table = normalise_scores(rank_cities(frame(rows)))
    scores = theme_scores(table, min_coverage=0.5).set_index("city")
    assert scores.at["a", "coverage"] == pytest.approx(1 / 3)  # neutral A4 does not count
    assert np.isnan(scores.at["a", "score_minmax"]) and not scores.at["a", "scored"]
    assert scores.at["b", "score_minmax"] == pytest.approx((100 + 50 + 50) / 3)
    low_bar = theme_scores(table, min_coverage=0.3).set_index("city")
    assert low_bar.at["a", "score_minmax"] == 0.0


def test_year_gap_flags():
    table = add_vintage_flags(frame([("A1", "a", 1, "higher", 2016), ("A1", "b", 2, "higher", 2012), ("A1", "c", 3, "higher", 2013), ("A1", "d", 3, "higher", None)]), "a", 3)
    assert col(table, "year_gap") == {"a": 0, "b": 4, "c": 3, "d": None}
    assert col(table, "year_flag") == {"a": "", "b": "gap", "c": "", "d": "no year"}


def test_focal_summary_gap_to_peer_median():
    table = normalise_scores(rank_cities(frame([("A1", "a", 10, "lower"), ("A1", "b", 20, "lower"), ("A1", "c", 40, "lower"), ("A1", "d", None, "lower")])))
    table = add_vintage_flags(table, "a", 3)
    row = focal_summary(table, "a").iloc[0]
    assert row["peer_median"] == 30 and row["gap_to_peer_median"] == -20
    assert bool(row["better_than_median"]) is True
    assert row["n_peers_reporting"] == 2


def test_strengths_and_weaknesses_order_and_sign():
    rows = []
    for code, values in {"A1": (9, 1, 1), "A2": (1, 9, 9), "A3": (5, 5, 5), "A4": (6, 5, 4)}.items():
        rows += [(code, city, v, "higher") for city, v in zip("abc", values)]
    table = add_vintage_flags(normalise_scores(rank_cities(frame(rows))), "a", 3)
    strengths, weaknesses = strengths_and_weaknesses(table, "a", top_n=5)
    assert list(strengths["code"]) == ["A1", "A4"]
    assert list(weaknesses["code"]) == ["A2"]  # A3 is level: neither


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


def test_quality_flags():
    rows = frame([("A1", "a", 118.5, "higher"), ("A1", "b", 42.0, "higher"), ("A1", "c", 42.0, "higher"), ("A2", "a", 0.0, "higher"), ("A2", "b", 0.0, "higher"), ("A3", "a", 5.0, "higher", None)])
    flags = quality_flags(rows)
    issues = set(zip(flags["code"], flags["city"], flags["issue"]))
    assert ("A1", "a", "percentage above 100") in issues
    assert ("A1", "b", "same value as c") in issues and ("A1", "c", "same value as b") in issues
    assert ("A3", "a", "no reference year") in issues
    assert not any(code == "A2" for code, _, _ in issues)  # equal zeros are not suspicious


def test_run_benchmark_on_the_real_data_knows_kielce():
    from analysis.benchmark import attach_metadata
    from analysis.cleaning import load_indicator_metadata, load_indicators

    # Straight from data/raw (a fresh clone has no processed data yet).
    result = run_benchmark(attach_metadata(load_indicators(cities_dir=None), load_indicator_metadata()), "kielce")
    summary = result.summary.set_index("code")
    # Kielce has the lowest poverty rate (3.6 %) of the five cities: rank 1 of 5.
    assert summary.at["EC5.3", "rank"] == 1 and summary.at["EC5.3", "n_ranked"] == 5
    # Highest unemployment among the reporting cities is Porto (17.6 %); Kielce 7.7 % is third.
    assert summary.at["EC5.1", "rank"] == 3
    assert pd.isna(summary.at["TV17.3", "rank"])  # landlines: neutral
    downloads = result.downloads()["benchmark-kielce.csv"]
    assert list(downloads.columns[:9]) == ["code", "theme", "city", "value", "year", "rank", "n_ranked", "score_minmax", "score_z"]
    assert len(downloads) == 500
    flags = result.quality_flags
    assert ((flags["code"] == "EN7.1") & (flags["issue"] == "same value as Gdynia")).any()
    assert ((flags["code"] == "ED6.2") & (flags["city"] == "Oakville") & (flags["issue"] == "percentage above 100")).any()


def test_headline_counts_by_hand():
    from analysis.benchmark import headline

    rows = []
    # A1: a best of 3; A2: a worst of 3; A3: only a reports (no comparison); A4: neutral
    for code, values, polarity in [("A1", (9, 5, 1), "higher"), ("A2", (9, 5, 1), "lower"), ("A3", (4, None, None), "higher"), ("A4", (1, 2, 3), "neutral")]:
        rows += [(code, city, v, polarity) for city, v in zip("abc", values)]
    result = run_benchmark(frame(rows), "a")
    text = headline(result, 0.5, 3)
    assert "ranks first on **1** and last on **1**" in text  # A3 (first of one) does not count
    assert "better than the peer median on **1 of 2**" in text
