"""The first key finding of the score-dispersion page: the level the scores put the city at."""

from __future__ import annotations

import pytest

from analysis.text.i18n import Lang


@pytest.fixture(scope="module")
def result():
    from .test_dispersion import real_result

    return real_result()


def test_the_findings_open_with_the_level_the_city_is_rated_at(result):
    """A Kielce official: "the actual level (about 2 of 5) is not stated in any of the key findings"."""
    from analysis.text import dispersion as text

    compared = result.comparison[~result.comparison["small_group"]]
    mean = compared["stakeholder_mean"].mean()
    expert = compared["expert_mid"].mean()
    first = text.key_findings(result, Lang("en")).split("\n")[0]
    assert first.startswith("* **Maturity is rated at the lower levels.** In the 6 areas with at least five raters")
    assert f"average {mean:.1f} on the scale of 1 to 5" in first and f"the expert's average {expert:.1f}." in first
    assert "between level 2 and level 3" in first
    polish = text.key_findings(result, Lang("pl")).split("\n")[0]
    assert "interesariusze ocenili dojrzałość średnio na 2,4 w skali od 1 do 5" in polish and "ekspert – średnio na 1,6." in polish


def test_the_overall_level_extremes_are_distances_not_signed_values(result):
    """A Polish editor: "a najsurowsza – średnio o −1,29 poziomu niższe" says the opposite of what it means."""
    from analysis.text import dispersion as text

    low = result.raters["overall_level"].min()
    assert low < 0
    polish = text.section_raters(result, Lang("pl"))
    assert f"od {Lang('pl').num(-low, 2)} poziomu poniżej średniej obszaru" in polish
    english = text.section_raters(result, Lang("en"))
    assert f"from {Lang('en').num(-low, 2)} levels below the area's mean" in english


def test_section_5_ranks_no_named_unit_and_describes_the_spread_without_names(result):
    """The project's rule for public pages (a methodologist): no table of named units sorted by leniency, no named
    extremes; the spread and the extremes without names, with what the level mixes and how little it rests on."""
    from analysis.methods import dispersion as d
    from analysis.text import dispersion as text

    spread = d.overall_level_spread(result.raters, result.sets, result.collapse_copies)
    assert (spread["n"], spread["answers_low"], spread["answers_high"]) == (44, 5, 10)
    assert spread["low"] == result.raters["overall_level"].min() and spread["high"] == result.raters["overall_level"].max()
    assert spread["q1"] < spread["median"] < spread["q3"]
    for lang in ("en", "pl"):
        frame, formats = text.raters_table(result, Lang(lang))
        assert (
            len(frame.columns) == 5
            and "Mean" not in frame.columns
            and "Średnia" not in frame.columns
            and "Leniency" not in frame.columns
            and "Łagodność" not in frame.columns
        )
        labels = list(frame.iloc[:, 0])
        assert labels == sorted(labels, key=text._alphabetical) and labels != list(result.raters.sort_values("overall_level")["rater_labels"])
    assert sorted(["UKŚ (1)", "ZFE", "UKS (2)", "Or"], key=text._alphabetical) == ["Or", "UKŚ (1)", "UKS (2)", "ZFE"]  # Ś beside S
    english = text.section_raters(result, Lang("en")) + text.caption(Lang("en"), "raters")
    assert "furthest" not in english and "overall_level" not in english.replace("(column overall_level)", "")
    assert "in alphabetical order of the labels" in english and "mixes how generously a unit scores with real differences" in english
    assert "(5 to 10 answers per unit)" in english and "neither this page nor raters.csv gives it unit by unit" in english
    # A methodologist: the level is measured precisely enough; what the data cannot support is a judgement of the units.
    assert "a judgement of the units that the data cannot support" in english
    assert "the mean of all stakeholders of the same area (the unit included)" in english
    without_small = d.overall_level_spread(result.raters, result.sets, result.collapse_copies, result.small_areas)
    assert f"the middle half of the units lies between {Lang('en').num(without_small['q1'], 2, signed=True)}" in english
    polish = text.section_raters(result, Lang("pl")) + text.caption(Lang("pl"), "raters") + text.downloads(result, Lang("pl"))
    for word in ("łagodn", "Łagodn", "surow", "pozostałe jednostki"):
        assert word not in polish, word
    assert "Ogólny poziom ocen podmiotu" in polish and "(łącznie z tym podmiotem)" in polish


def test_the_expert_gap_says_the_expert_is_one_rater_placed_among_the_units(result):
    """A sceptical reading: the gap's interval treated one person's scores as a fixed standard, though the page's own
    finding is that raters differ most in their overall level (the expert's would sit in the lower third)."""
    from analysis.methods import dispersion as d
    from analysis.text import dispersion as text

    compared = result.comparison[~result.comparison["small_group"]]
    by_area = compared.groupby("area")[["expert_mid", "stakeholder_mean"]].mean()
    leniency = (by_area["expert_mid"] - by_area["stakeholder_mean"]).mean()
    units = d.overall_levels(result.sets, result.collapse_copies, result.small_areas)
    k = int((units <= leniency).sum())
    assert 0 < k < len(units)
    english = text.key_findings(result, Lang("en"))
    assert f"the expert's is {Lang('en').num(leniency, 2)} levels, and {k} of the {len(units)} units are as low or lower" in english
    assert "not a standard" in english


def test_the_gap_to_the_expert_leaves_out_the_small_groups_as_the_page_promises(result):
    """A methodologist: the page promised small groups were "left out of the counts above", yet the gap (+0.69, 41 units),
    the expert's overall level (−0.68, seven areas) and the titles' "31 of 35 questions" all included Safety (3 raters)."""
    from analysis.methods import dispersion as d
    from analysis.text import dispersion as text

    assert result.small_areas == ["safety"]
    boot = result.gap(d.METHOD_BOOTSTRAP)
    assert boot["n_clusters"] == 38 and round(boot["estimate"], 2) == 0.74
    assert 0.40 < boot["ci_low"] < 0.50 and 1.00 < boot["ci_high"] < 1.06
    assert "safety" not in set(d.rating_gaps(result.rater_scores[~result.rater_scores["area"].isin(result.small_areas)])["area"])
    assert (result.paired_test["n_cells"], result.paired_test["n_higher"]) == (30, 29)
    assert result.gap(d.METHOD_WILCOXON)["n_clusters"] == 30
    # The per-question table keeps every question, Safety's marked.
    assert len(result.comparison) == 35
    english = text.key_findings(result, Lang("en"))
    assert "the expert's is −0.79 levels, and 12 of the 41 units are as low or lower" in english
    assert "in the areas with at least five raters, the 95% interval of the difference runs from 0.5 to 1.0 levels" in english
    assert (
        "left out of the summaries above, the comparison with the expert included (the counts of questionnaires, copies and straight-lining take in every area)"
        in english
    )
    for words in (text.strip_title(result, Lang("en")), text.expert_title(result, Lang("en")), text.wilcoxon_aside(result, Lang("en"))):
        assert "29" in words and "30 questions of areas with at least five raters" in words, words
        assert "35" not in words and "31" not in words
    assert "leave out the areas with fewer than five raters" in text.section_expert(result, Lang("en"))
    note = text.units_note(result, Lang("en"))
    assert "and so are the 3 questionnaires of areas with fewer than five raters; the other 39 questionnaires come from 38" in note


def test_a_run_of_small_groups_only_compares_nothing_and_its_counts_add_up():
    """The notebook's other parameters (digital and safety without straight-liners: 4 and 3 raters): the small-group
    rule leaves no question to summarise, so no title counts "0 of 0 questions" and the units note's counts add up."""
    from analysis.methods import dispersion as d
    from analysis.text import dispersion as text

    from .test_dispersion import real_scores

    run = d.run_dispersion(real_scores(), areas=["digital", "safety"], exclude_straightliners=True, n_boot=200)
    assert run.small_areas == ["digital", "safety"] and run.paired_test["n_cells"] == 0
    assert (run.gap_tests["n_clusters"] == 0).all()
    for lang in ("en", "pl"):
        tr = Lang(lang)
        words = text.strip_title(run, tr) + text.expert_title(run, tr) + text.expert_alt(run, tr)
        assert " 0 " not in words and "–" not in words, words
        assert text.wilcoxon_aside(run, tr) == ""
    english = text.key_findings(run, Lang("en"))
    assert "the comparison with the expert, are not given" in english and "levels higher than the expert" not in english
    assert text.gap_tests_note(run, Lang("en")).startswith("No area of this run has five or more raters")
    note = text.units_note(run, Lang("en"))
    assert "every questionnaire of that area (7 in all)" in note
    # No zero counts said as numbers (a parameter sweep, areas=safety: "the other 0 questionnaires come from 0 units").
    assert (
        "Section 4 compares the stakeholders with the expert counting each unit once: the 7 questionnaires of areas with fewer than five raters are left out; no questionnaire is left for it."
        in note
    )
    assert " 0 " not in note and " 0 " not in text.units_note(run, Lang("pl"))
    polish = text.key_findings(run, Lang("pl"))
    assert "w żadnym obszarze nie ma co najmniej pięciu oceniających" in polish and "nie został z" not in polish


def test_the_glossary_states_sidedness_and_alphas_zero_correctly():
    """A methodologist: "all p-values are two-sided" while W's and Friedman's are upper-tail tests; alpha 0 is not
    "chance" but answers reshuffled within the area; the sign-flip test does not tell whether the two "really differ";
    p < 0.05 is not "a clear difference"."""
    from analysis.text import dispersion as text

    english = text.glossary(Lang("en"))
    assert "two-sided unless" not in english and "clear difference" not in english and "really differ" not in english
    assert "those of Kendall's W and of Friedman's test are one-sided" in english
    assert "0 = the answers to a dimension agree no more than answers reshuffled within the area" in english
    assert "differ from this expert's scores more than chance would give" in english
    assert text.figure_labels(Lang("en"))["alpha"] == "Krippendorff's alpha (1 = agree, 0 = no more than reshuffled answers)"
    polish = text.glossary(Lang("pl")) + text.figure_labels(Lang("pl"))["alpha"]
    assert "zgodność przypadkowa" not in polish and "niż przypadkowa" not in polish and "wyraźnej różnicy" not in polish
    assert "chyba że" not in polish and "jednostronne" in polish and "przetasowane w obrębie obszaru" in polish
    assert "rzeczywiście różnią" not in polish
    assert "one-sided" in text.section_agreement(Lang("en"))


def test_the_polish_wording_has_one_meaning(result):
    """A Polish reader: "jednakowe odpowiedzi" (straight-lining) reads as identical questionnaires, "przedział (np. 1-2)"
    as a confidence interval, "różnią się … średnio o +0,69" says no direction; settings named three ways; a seed
    printed as a quantity."""
    from analysis.params import DispersionParams
    from analysis.publish import site
    from analysis.text import dispersion as text

    tr = Lang("pl")
    page = "\n".join(
        [
            text.key_findings(result, tr),
            text.glossary(tr),
            text.section_ratings(tr),
            text.section_expert(result, tr),
            text.gap_tests_note(result, tr),
            text.section_raters(result, tr),
            text.duplicates_note(result, tr),
            text.section_exclusion(tr),
            text.exclusion_note(tr),
            text.downloads(result, tr),
            text.run_note(result, tr),
            " ".join(str(v) for v in text.figure_labels(tr).values() if isinstance(v, str)),
            " ".join(text.exclusion_table(result, tr)[0].columns),
            " ".join(text.agreement_table(result, tr)[0].columns),
        ]
    )
    for wrong in ("jednakow", "Jednakow", "jednostka analizy", "jednostką analizy", "przedział (np.", "przedział, np.", "1-2",
                  "dotyczy oceniających", "chyba że tekst", "różnią się od oceny eksperckiej średnio", "w granicach jednego poziomu",
                  ", wszyscy", "Ziarno losowania", "łagodn"):  # fmt: skip
        assert wrong not in page, wrong
    assert "są średnio o 0,74 poziomu wyższe od oceny eksperckiej" in page
    assert "zakres, np. 1–2" in page and "Ankieta jednopoziomowa" in page and "Średnia – wszystkie ankiety" in page
    assert "różnią się najwyżej o jeden poziom" in page and "w analizach dotyczących oceniających" in page
    # The run note names the settings as the parameters' labels do.
    note = text.run_note(result, tr).lower()
    for name in ("areas", "exclude_straightliners", "collapse_copies", "n_boot"):
        assert DispersionParams.declared()[name].label and tr.text(DispersionParams.declared()[name].label).lower() in note, name
    seed = DispersionParams.declared()["seed"]
    assert site.describe_value(seed, 2018, Lang("en")) == "2018" and site.describe_value(seed, 2018, tr) == "2018"


def test_small_groups_are_left_out_of_every_summary_the_page_gives(result):
    """A methodologist: the heat map's title took Safety (3 raters) as the minimum, the units' spread and "12 of the
    44 units" counted Safety's units, the straight-liner table showed W and alpha of 3 and 4 raters unmarked, and
    section 4 did not say that an area may rest on one questionnaire there."""
    from analysis.methods import dispersion as d
    from analysis.text import dispersion as text

    en = Lang("en")
    title = text.heatmap_title(result, en)
    assert "Safety" not in title and "1.3" not in title and title.startswith("Mean level in areas with at least five raters from 2.1")
    assert "Safety" not in text.heatmap_alt(result, en)
    # Without small areas the levels are the raters.csv values of the other units (no unit here mixes both).
    levels = d.overall_levels(result.sets, result.collapse_copies)
    assert levels.reindex(result.raters["rater"]).to_numpy() == pytest.approx(result.raters["overall_level"].to_numpy())
    spread = d.overall_level_spread(result.raters, result.sets, result.collapse_copies, result.small_areas)
    assert spread["n"] == 41
    assert "Measured over the 41 units of areas with at least five raters (small groups left out)" in text.section_raters(result, en)
    assert "12 of the 41 units are as low or lower" in text.key_findings(result, en)
    frame, _ = text.exclusion_table(result, en)
    marked = dict(zip(result.exclusion["area"], frame["Raters, without"]))
    assert marked["digital"] == "4 *" and marked["transport"] == "3 *" and marked["economy"] == "4 *" and marked["society"] == "10"
    assert "fewer than five raters remain" in text.exclusion_note(en)
    note = text.units_note(result, en)
    assert "Economy and innovation 1" in note and "Municipal infrastructure and energy efficiency 3" in note and "Safety" not in note


def test_above_the_expert_is_said_of_means_medians_and_majorities(result):
    """A methodologist: "above the expert in 29 of 30 questions" holds of the means only (the median is above in 16
    and equal in 14, a majority of units above in 16), and "2.4 vs 1.6" sat beside a headline gap of "about 0.7"."""
    from analysis.text import dispersion as text

    en = Lang("en")
    english = text.key_findings(result, en)
    assert "the stakeholders' mean is above the expert's score in 29; their median is above it in 16 and equal to it in 14" in english
    assert "a majority of the units scores above the expert in 16" in english
    assert "the gap counts each unit once, so it is not exactly the difference of those averages" in english
    title = text.strip_title(result, en)
    assert "their mean lies above the expert's in 29, their median in 16" in title
    assert "the stakeholders' mean is higher than the expert's score (29 of the 30 questions" in text.expert_title(result, en)
    polish = text.key_findings(result, Lang("pl"))
    assert "mediana – wyższa w 16 i równa w 14" in polish


def test_r_wg_and_alpha_name_their_reference_not_random_answering(result):
    """A methodologist: "0 = the answers vary as much as answers picked at random" invites "they answered at random";
    the reference is a uniform spread over the five levels. The published schema said alpha below 0 is "less
    agreement than chance"."""
    from analysis.data.published_schemas import AGREEMENT
    from analysis.text import dispersion as text

    for lang in ("en", "pl"):
        words = text.glossary(Lang(lang)) + text.section_dispersion(Lang(lang))
        assert "picked at random" not in words and "random answers" not in words and "wybrane losowo" not in words
        assert "odpowiedzi losowych" not in words
    assert "spread evenly over the five levels (each level equally often)" in text.glossary(Lang("en"))
    assert "rozłożone równomiernie na pięć poziomów" in text.glossary(Lang("pl"))
    assert "chance" not in AGREEMENT.columns["krippendorff_alpha"].description


def test_raters_csv_gives_no_unit_a_level_a_reader_could_sort_into_a_ranking(result):
    """A methodologist: the page names no unit by its overall level, yet raters.csv called the column "leniency"; and a
    later one: with the column named neutrally, sorting it still ranks recognisable public bodies. The published file
    has neither the level nor the mean score; the API's result keeps them for researchers."""
    from analysis.data.published_schemas import RATERS
    from analysis.text import dispersion as text

    raters = result.downloads()["raters.csv"]
    assert not {"overall_level", "mean_score", "leniency"} & set(raters.columns)
    assert {"overall_level", "mean_score"} <= set(result.raters.columns)
    RATERS.validate(raters)
    for lang in ("en", "pl"):
        assert "leniency" not in text.section_raters(result, Lang(lang)) + text.downloads(result, Lang(lang))


def test_the_findings_say_what_7_to_13_raters_can_tell_apart_and_which_quartile_rule_counts(result):
    """A methodologist: the area order 2.3–2.7 read as a finding, and "the middle half within one level in 14 of 30"
    depends on the quantile rule (numpy's linear; others give 5 to 15); the 80% within one level had no reference."""
    from analysis.methods import dispersion as d
    from analysis.text import dispersion as text

    english = text.key_findings(result, Lang("en"))
    # A methodologist: dimensions are compared on the same raters (about half a level can be told apart): areas only.
    assert "With 7 to 13 raters per area, differences between areas smaller than about one level cannot be told apart" in english
    large = result.cells[~result.cells["small_group"]]
    counts = d.narrow_iqr_counts(large, result.scores)
    assert counts["linear"] == int((large["iqr"] <= 1).sum()) == 14
    assert (min(counts.values()), max(counts.values())) == (5, 14)
    assert "In 5 to 14 of the 30 questions" in english and "(14 with the linear rule used here)" in english
    # The baseline: answers shuffled across the dimensions of their area (a later methodologist: an even spread over
    # the five levels, 60 %, was the wrong one; shuffled answers give the same 80 %).
    shuffled = d.shuffled_within_one(result.scores, seed=result.params.seed, small_areas=result.small_areas)
    assert shuffled["observed"] == pytest.approx(large["within_one"].mean())
    assert shuffled["low"] <= shuffled["observed"] <= shuffled["high"]
    assert (
        "which is what answers shuffled at random across the dimensions of their area give too (81%; 95% of the shuffles between 78% and 84%)"
        in english
    )
    assert "spread evenly" not in english
    polish = text.key_findings(result, Lang("pl"))
    assert "Przy 7–13 oceniających na obszar" in polish and "losowo przemieszane między wymiarami obszaru (81\u00a0%" in polish


def test_the_polish_edition_calls_a_rater_a_podmiot_and_says_each_thing_once(result):
    """A Polish reviewer: "jednostka" meant the rater, a municipal unit and the unit of analysis; "ocenionych przez co
    najmniej pięć jednostek", "rzetelna ogólna opinia", "Test zmiany znaku", "w którym została wypełniona po raz
    pierwszy", "gdyby w rzeczywistości nie było różnicy", a second "Łącznie" in a row, "w dolnej części skali" and
    "zmienność" beside "wariancja" for one quantity."""
    from analysis.text import dispersion as text

    tr = Lang("pl")
    page = "\n".join(
        [
            text.introduction(result, tr),
            text.key_findings(result, tr),
            text.about_section(result, tr),
            text.units_note(result, tr),
            text.glossary(tr),
            text.section_dispersion(tr),
            text.variance_intro(tr),
            text.variance_title(result, tr),
            text.gap_tests_note(result, tr),
            text.wilcoxon_aside(result, tr),
            text.section_raters(result, tr),
            text.downloads(result, tr),
            text.run_note(result, tr),
            " ".join(str(v) for v in text.figure_labels(tr).values() if isinstance(v, str)),
        ]
    )
    for wrong in (
        "jednostka miejska",
        "jednostki miejskie",
        "przez co najmniej pięć",
        "przez mniej niż pięć",
        "rzetelna ogólna opinia",
        "est zmiany znaku",
        "po raz pierwszy",
        "w rzeczywistości nie było",
        "Łącznie 15",
        "w dolnej części skali",
        "zmiennoś",
        "Zmienność",
        "Jednostki analizy",
    ):
        assert wrong not in page, wrong
    # "jednostka" is left only in "miejska jednostka organizacyjna" (and "jednostronne", another word).
    import re

    assert set(re.findall(r"jednost(?!ronn)\w*", page)) <= {"jednostka", "jednostki"}, set(re.findall(r"jednost(?!ronn)\w*", page))
    assert page.count("jednostk") == page.count("jednostka organizacyjna") + page.count("jednostki organizacyjne")
    assert "miejska jednostka organizacyjna" in page and "miejskie jednostki organizacyjne" in page
    assert "z co najmniej pięcioma oceniającymi" in page and "przemyślana ogólna opinia" in page
    assert "test permutacyjny ze zmianą znaków" in page.lower() and "w którym występują w źródle jako pierwsze" in page
    assert "(hipoteza zerowa)" in page and "Więcej niż jeden obszar oceniło 15 podmiotów" in page
    assert "oceniono na niższych poziomach skali" in page and "wariancji odpowiedzi" in page
    assert re.search(r"\d %", page) is None  # the no-break space before a percent sign stays


def test_every_report_s_seed_is_written_as_a_code_not_a_number():
    """An English editor: the benchmark page's footer said "Random seed: 2,018"."""
    from analysis import params
    from analysis.publish import site
    from analysis.text.i18n import Lang

    for model in (params.BenchmarkParams, params.DispersionParams):
        seed = model.declared()["seed"]
        assert site.describe_value(seed, 2018, Lang("en")) == "2018" and site.describe_value(seed, 12345, Lang("pl")) == "12345", model


def test_no_straight_liner_is_said_as_none():
    """A parameter sweep (areas=safety): "Ten sam poziom wszystkim pięciu wymiarom przyznało 0 z 3 podmiotów … część 5
    pokazuje, co się zmienia bez tych ankiet"."""
    from analysis.methods import dispersion as d
    from analysis.text import dispersion as text

    from .test_dispersion import real_scores

    run = d.run_dispersion(real_scores(), areas=["safety"], n_boot=100)
    assert "**Żaden z 3 podmiotów nie przyznał tego samego poziomu wszystkim pięciu wymiarom.**" in text.key_findings(run, Lang("pl"))
    english = text.key_findings(run, Lang("en"))
    assert "**None of the 3 units gave the same level to all five dimensions.**" in english and "without them" not in english
