import numpy as np
import pandas as pd
import pytest

from analysis.data.cities import city_slug, resolve_city
from analysis.errors import UnknownCityError
from analysis.methods.benchmark import (
    add_vintage_flags,
    focal_summary,
    material_gap,
    normalise_scores,
    rank_cities,
    run_benchmark,
    select_cities,
    strengths_and_weaknesses,
    theme_scores,
)
from analysis.text import benchmark as benchmark_text


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
                "raw": "" if value is None else str(value),
                "indicator": f"indicator {code}",
                "polarity": polarity,
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
    equal = normalise_scores(frame([("A1", "a", 7, "higher"), ("A1", "b", 7, "higher")]))
    assert col(equal, "score_minmax") == {"a": 50.0, "b": 50.0}
    assert col(equal, "score_z") == {"a": 0.0, "b": 0.0}
    single = normalise_scores(frame([("A1", "a", 7, "higher"), ("A1", "b", None, "higher")]))
    assert col(single, "score_minmax") == {"a": 50.0, "b": None}
    assert col(single, "score_z") == {"a": 0.0, "b": None}


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
    assert scores.at["b", "score_minmax"] == pytest.approx((100 + 50 + 50) / 3)
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


def test_material_gap_needs_relative_and_absolute_size():
    summary = pd.DataFrame({"gap_to_peer_median": [0.12, 5.0, 0.5, 1.0], "peer_median": [0.0, 40.0, 40.0, 20.0], "unit": ["%", "%", "%", "km"]})
    # 0.12 pp on a share: relative gap infinite but under one percentage point -> not material
    assert list(material_gap(summary, 0.10)) == [False, True, False, False]


def test_warning_values_are_listed_with_their_flag_and_excluded_never():
    rows = []
    for code, values in {"A1": (9, 1, 1), "A2": (8, 1, 1), "A3": (7, 1, 1)}.items():
        rows += [(code, city, v, "higher") for city, v in zip("abc", values)]
    table = frame(rows)
    table["flag"] = np.where(table["code"] == "A2", "warning", np.where(table["code"] == "A3", "error", ""))
    table["excluded"] = table["flag"] == "error"
    table = add_vintage_flags(normalise_scores(rank_cities(table)), "a", 3)
    strengths, _ = strengths_and_weaknesses(table, "a", top_n=5)
    assert list(strengths["code"]) == ["A1", "A2"]
    assert list(strengths["flag"]) == ["", "warning"]


@pytest.mark.parametrize(
    "given, message",
    [
        ({"exclude_flagged": "some"}, "parameter exclude_flagged='some': expected one of: none, errors, errors+warnings"),
        ({"lang": "de"}, "parameter lang='de': expected one of: pl, en"),
        ({"min_gap": -1}, "parameter min_gap=-1: expected a number from 0 to 10"),
        ({"n_variants": 0}, "parameter n_variants=0: expected a whole number from 1 to 1000000"),
        # The same model refuses NaN and inf in the library as before the kernel starts.
        ({"min_coverage": float("nan")}, "parameter min_coverage=nan: expected a number from 0 to 1"),
        ({"min_gap": float("inf")}, "parameter min_gap=inf: expected a number from 0 to 10"),
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


def test_min_gap_of_ten_is_accepted_as_the_manifest_allows():
    """Before: reports.yml allowed min_gap=10 and the library refused it (0 <= min_gap < 10),
    after a kernel had started."""
    rows = [("A1", "a", 10.0, "higher"), ("A1", "b", 1.0, "higher"), ("A1", "c", 2.0, "higher")]
    assert list(run_benchmark(frame(rows), "a", screening_context=EMPTY_CONTEXT, n_variants=288).strengths["code"]) == ["A1"]
    result = run_benchmark(frame(rows), "a", screening_context=EMPTY_CONTEXT, n_variants=288, min_gap=10)
    assert result.params.min_gap == 10.0 and list(result.strengths["code"]) == []  # a gap of 8.5 is not ten peer medians


def test_a_peer_list_with_the_focal_city_is_refused():
    """Before: run_benchmark(frame, "a", peers=["a", "b"]) quietly dropped "a" from its peers."""
    from analysis.errors import ParameterError

    with pytest.raises(ParameterError, match=r"^parameter peers=\['A', 'b'\]: the focal city a is not its own peer"):
        run_benchmark(frame([("A1", "a", 1.0, "higher")]), "a", peers=["A", "b"], screening_context=EMPTY_CONTEXT)


def test_run_benchmark_on_the_real_data_knows_kielce(kielce_benchmark):
    result = kielce_benchmark  # straight from data/raw (a fresh clone has no processed data yet)
    summary = result.summary.set_index("code")
    # Kielce has the lowest poverty rate (3.6 %) of the five cities: rank 1 of 5.
    assert summary.at["EC5.3", "rank"] == 1 and summary.at["EC5.3", "n_ranked"] == 5
    # Highest unemployment among the reporting cities is Porto (17.6 %); Kielce 7.7 % is third.
    assert summary.at["EC5.1", "rank"] == 3
    assert pd.isna(summary.at["TV17.3", "rank"])  # landlines: neutral
    downloads = benchmark_text.downloads(result)["benchmark-kielce.csv"]
    assert list(downloads.columns[:9]) == ["code", "theme", "city", "value", "year", "rank", "n_ranked", "score_minmax", "score_z"]
    assert len(downloads) == 500
    assert {"flag", "excluded"} <= set(downloads.columns)
    flags = result.quality_flags
    assert ((flags["code"] == "EN7.1") & (flags["city"] == "Eindhoven") & (flags["rule"] == "same_value")).any()
    assert ((flags["code"] == "ED6.2") & (flags["city"] == "Oakville") & (flags["rule"] == "share_out_of_range")).any()
    assert list(benchmark_text.downloads(result)["benchmark-kielce-quality-flags.csv"].columns) == [
        "code",
        "city",
        "value",
        "raw",
        "rule",
        "severity",
        "message",
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
    result = run_benchmark(frame(rows), "a", screening_context=EMPTY_CONTEXT, n_variants=288)
    text = headline(result, Lang("en"))
    # Old wording "ranks first on 1" counted every rank 1; now alone and shared first are told apart,
    # and all-equal rows (A5) and rows only the focal city reports (A3) count as neither.
    assert "alone in first place on 1 and shares first place on 1" in text
    assert "Of 3 comparable indicators, it is clearly better than the peer median on 2, clearly worse on 1, and level with it on 0" in text


@pytest.fixture(scope="module")
def kielce(kielce_benchmark):
    return kielce_benchmark


def test_kielce_headline_numbers_are_pinned(kielce):
    from analysis.text.benchmark import headline, top_claims
    from analysis.text.i18n import Lang

    english = headline(kielce, Lang("en"))
    # The nominal strongest and weakest themes hold in fewer than two thirds of the variants: said plainly,
    # with the theme that takes their place more often (checked by hand from share_best/worst_theme).
    assert (
        "Kielce scores highest on **Telecommunication and innovation** (score 87 of 100), but this is not a robust result: "
        "it is the strongest theme in only 42% of 2,385 variants of the analysis."
    ) in english
    assert "**Education** comes out strongest more often (in 47% of the variants)." in english
    assert (
        "Its lowest score is on **Recreation** (score 8 of 100), but this is not robust: it is the weakest theme in only 17% of the variants."
        in english
    )
    assert "**Shelter** comes out weakest more often (in 68% of the variants)." in english
    assert "is the strongest theme of Kielce" not in english and "Its weakest theme is" not in english
    assert "its rank is 5 of 5 cities; in at least 90% of the variants it lies between 3 and 5" in english
    assert "alone in first place on 13 and shares first place on 3" in english
    # Before: "better than the peer median on 30 of 66", counting gaps of 0.1 %. Counted by hand with
    # material_gap (10 % of the median, 1 point for shares): 23 clearly better, 24 clearly worse, 19 level.
    assert (
        "Of 66 comparable indicators, it is clearly better than the peer median on 23, clearly worse on 24, "
        "and level with it on 19 (a gap under 10% of the median, or under one percentage point for shares)."
    ) in english
    assert "left out 12 values that cannot be right as printed and marked 23 doubtful values (⚠)" in english
    polish = headline(kielce, Lang("pl"))
    assert (
        "Najwyższy wynik miasto Kielce uzyskuje w obszarze **Telekomunikacja i innowacje** (87 na 100), ale nie jest to wynik "
        "stabilny: obszar ten jest najmocniejszy tylko w 42\u00a0% spośród 2385 wariantów analizy."
    ) in polish
    assert "Częściej najsłabszy okazuje się obszar **Mieszkalnictwo** (w 68\u00a0% wariantów)." in polish
    assert "zajmuje 5. miejsce wśród 5 miast" in polish
    assert (
        "Spośród 66 porównywalnych wskaźników w 23 ma wartość wyraźnie lepszą od mediany miast porównawczych, "
        "w 24 – wyraźnie gorszą, a w 19 zbliżoną do mediany (różnica mniejsza niż 10\u00a0% jej wartości"
    ) in polish
    # 23 takes the 2–4 form in Polish ("wartości wątpliwe"), 12 the many form.
    assert "wyłączyła 12 wartości, które" in polish and "oznaczyła 23 wartości wątpliwe (⚠)." in polish
    # The three fragile claims: TR18.2 (doubtful) is not on the first screen, SH15.1 (0.12 pp)
    # is not a weakness, TR18.9 (implausible for all reporting cities) is neither ranked nor scored.
    first_screen = top_claims(kielce, Lang("en"), "strength")
    assert not first_screen["Indicator"].str.contains("light passenger").any()
    assert "TR18.2" in set(kielce.strengths["code"]) and kielce.strengths.set_index("code").at["TR18.2", "flag"] == "warning"
    assert "SH15.1" not in set(kielce.weaknesses["code"])
    tr189 = kielce.table[kielce.table["code"] == "TR18.9"]
    assert tr189.loc[~tr189["missing"], "excluded"].all() and tr189["rank"].isna().all()
    assert list(top_claims(kielce, Lang("en"), "weakness")["Indicator"].str[:20]) == [
        "Particulate matter (",
        "Number of fire-relat",
        "Fine particulate mat",
    ]


def test_downloads_are_language_independent(kielce):
    downloads = benchmark_text.downloads(kielce)
    robustness = downloads["benchmark-kielce-robustness.csv"]
    assert list(robustness.columns[:7]) == ["city", "theme", "rank_nominal", "rank_median", "rank_p05", "rank_p95", "n_variants"]
    assert "share_rank_1" in robustness.columns and "overall" in set(robustness["theme"])
    strengths = downloads["benchmark-kielce-strengths.csv"]
    assert list(strengths.columns) == ["kind", "code", "value", "peer_median", "gap", "score_z", "flag", "robust_share"]
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
    assert "Najwyższy wynik miasto Gdynia uzyskuje w obszarze" in shown or "Najmocniejszy obszar miasta Gdynia to" in shown
    assert "## Stabilność miejsc w rankingu" in shown


@pytest.mark.parametrize(
    "count, polish, english",
    [
        (1, "oznaczyła 1 wartość wątpliwą (⚠).", "marked 1 doubtful value (⚠)."),
        (3, "oznaczyła 3 wartości wątpliwe (⚠).", "marked 3 doubtful values (⚠)."),
        (5, "oznaczyła 5 wartości wątpliwych (⚠).", "marked 5 doubtful values (⚠)."),
        (22, "oznaczyła 22 wartości wątpliwe (⚠).", "marked 22 doubtful values (⚠)."),
    ],
)
def test_headline_declines_the_number_of_doubtful_values(count, polish, english):
    """Before: "oznaczyła 23 wartości wątpliwych" and "marked 1 doubtful ones" for every count."""
    from analysis.text.i18n import Lang

    # The message of templates/benchmark-headline.md.j2 ({% trans %} placeholders are %(name)s).
    forms = ("and marked %(n)s doubtful value (⚠).", "and marked %(n)s doubtful values (⚠).")
    assert (Lang("pl").plural_form(*forms, count) % {"n": count}).endswith(polish)
    assert (Lang("en").plural_form(*forms, count) % {"n": count}).endswith(english)


def test_headline_calls_a_robust_strongest_theme_strongest():
    """Two themes where the focal city clearly leads on one and trails on the other in every variant."""
    from analysis.text.benchmark import ROBUST_SHARE, headline
    from analysis.text.i18n import Lang

    rows = []
    for code, values in [("A1", (9, 5, 1)), ("A2", (8, 6, 2)), ("B1", (1, 5, 9)), ("B2", (2, 6, 8))]:
        rows += [(code, city, v, "higher") for city, v in zip("abc", values)]
    result = run_benchmark(frame(rows), "a", screening_context=EMPTY_CONTEXT, n_variants=288)
    assert result.robustness.share_best_theme()["TA"] >= ROBUST_SHARE
    text = headline(result, Lang("en"))
    assert "**TA** is the strongest theme of a (score 100 of 100) and stays the strongest in 100% of" in text
    assert "Its weakest theme is **TB** (score 0 of 100), and it stays the weakest in 100% of the variants." in text
    assert "not a robust" not in text and "more often" not in text


def test_units_are_in_the_page_language():
    from analysis.text.benchmark import unit_label
    from analysis.text.i18n import Lang

    assert unit_label("per 100 000", Lang("pl")) == "na 100\u00a0000 mieszk."
    assert unit_label("t per capita", Lang("pl")) == "t na mieszkańca"
    assert unit_label("per 100 000", Lang("en")) == "per 100 000"
    assert unit_label("%", Lang("pl")) == "%"


def test_polish_first_screen_has_polish_units_and_sensible_decimals(kielce):
    from analysis.publish.reporting import table_html
    from analysis.text.benchmark import claim_formats, top_claims
    from analysis.text.i18n import Lang

    tr = Lang("pl")
    claims = top_claims(kielce, tr, "strength")
    assert "per 100 000" not in set(claims["Jednostka"])
    html = table_html(claims, tr, formats=claim_formats(kielce, tr))
    # Before: 144 200,00 connections and 99,78 % with two decimals; now decimals fit the size.
    assert ">144\u00a0200<" in html and ">99,8<" in html and ",00<" not in html


def test_method_note_names_the_exclusion_setting_in_words(kielce):
    from analysis.text.benchmark import method_note
    from analysis.text.i18n import Lang

    assert "wyłączane wartości oznaczone: błędy;" in method_note(kielce, Lang("pl"))
    assert "flagged values left out: errors;" in method_note(kielce, Lang("en"))


def test_flags_intro_says_it_counts_flags_not_values(kielce):
    """The headline's 23 doubtful values and the screening section's 26 warnings are different counts."""
    from analysis.text.benchmark import flags_intro
    from analysis.text.i18n import Lang

    english = flags_intro(kielce, Lang("en"))
    assert "Flags raised — errors: 12; warnings: 26; notes: 13 (one value can carry several flags" in english
    assert "Liczba zgłoszeń – błędy: 12; ostrzeżenia: 26; uwagi: 13" in flags_intro(kielce, Lang("pl"))


def test_first_screen_says_which_claims_are_not_robust(kielce):
    """Before: a 48 % "Robust in" sat in the table without a word; now the weak claims are named."""
    from analysis.text.benchmark import first_screen_note
    from analysis.text.i18n import Lang

    english = first_screen_note(kielce, Lang("en"))
    assert english.startswith(
        "3 of the claims above hold in fewer than two thirds of the variants of the analysis: "
        "Number of cell phone connections per 100 000 population (48%), "
    )
    assert "Percentage of female" not in english  # robust in 100 % of the variants
    polish = first_screen_note(kielce, Lang("pl"))
    assert polish.startswith("3 z powyższych wskazań utrzymują się w mniej niż dwóch trzecich wariantów analizy: ")


def test_a_small_gap_to_the_peer_median_is_level_not_better():
    """Before: the headline counted 52 % against a peer median of 50 % as "better than the peer median"."""
    from analysis.methods.benchmark import median_comparison

    rows = []
    for code, values in [("A1", (52, 50, 50)), ("A2", (80, 50, 50)), ("A3", (20, 50, 50)), ("A4", (47, 50, 50))]:
        rows += [(code, city, v, "higher") for city, v in zip("abc", values)]
    result = run_benchmark(frame(rows), "a", screening_context=EMPTY_CONTEXT, n_variants=288)
    assert median_comparison(result.summary, 0.10) == {"compared": 4, "better": 1, "worse": 1, "level": 2}
    assert median_comparison(result.summary, 0.0) == {"compared": 4, "better": 2, "worse": 2, "level": 0}
