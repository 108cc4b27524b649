"""What the score-dispersion report says, in the reader's language.

Every sentence, heading, table header and figure title of
``notebooks/score_dispersion.ipynb`` comes from here, through a
:class:`analysis.text.i18n.Lang` called ``tr`` (English text in the code, Polish in
``locales/pl/LC_MESSAGES/messages.po``). Area and dimension names come from the
data (:mod:`analysis.data.labels`), never translated here. Numbers are the run's own:
nothing in a sentence is typed in by hand.

Functions return Markdown (for ``IPython.display.Markdown``) or, for tables, a
``(frame, formats)`` pair ready for :func:`analysis.publish.reporting.show_table`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data import labels
from analysis.methods.dispersion import (
    METHOD_BOOTSTRAP,
    METHOD_MIXED,
    METHOD_SIGN_FLIP,
    METHOD_WILCOXON,
    MIN_RATERS_FOR_AGREEMENT,
    SMALL_MARK,
    DispersionResult,
)
from analysis.text.common import heading, md_escape  # noqa: F401  (text.md_escape in notebooks)
from analysis.text.i18n import Lang


def names(tr: Lang) -> tuple[dict, dict]:
    """(area id → name, dimension id → name) in the reader's language, from the data."""
    return labels.area_names(tr.lang), labels.dimension_names(tr.lang)


def prose_names(tr: Lang) -> tuple[dict, dict]:
    """:func:`names` escaped for Markdown prose (the names come from data/raw; tables escape their cells)."""
    areas, dims = names(tr)
    return {key: md_escape(name) for key, name in areas.items()}, {key: md_escape(name) for key, name in dims.items()}


def area_label(area: str, tr: Lang, small_areas) -> str:
    """The area's name, with the small-group mark when it has fewer than five raters."""
    name = labels.area_names(tr.lang).get(area, area)
    return f"{name} {SMALL_MARK}" if area in set(small_areas) else name


def p_text(p: float, tr: Lang) -> str:
    """A p-value for a reader: three decimals, or '< 0.001'."""
    if p is None or (isinstance(p, float) and np.isnan(p)):
        return "–"
    if p < 0.001:
        return "< " + tr.num(0.001, 3)
    return tr.num(p, 3)


def p_clause(p: float, tr: Lang) -> str:
    """'p = 0.012' or 'p < 0.001' (decimal comma in Polish)."""
    text = p_text(p, tr)
    return "p " + text if text.startswith("<") else "p = " + text


def interval_text(low: float, high: float, tr: Lang, decimals: int = 2) -> str:
    """'0.36 to 0.89' style interval ('–' when undefined)."""
    if pd.isna(low) or pd.isna(high):
        return "–"
    # No-break spaces: '0.36 to 0.89' is one value and must not wrap inside a narrow table column.
    return tr("{low} to {high}", low=tr.num(low, decimals), high=tr.num(high, decimals)).replace(" ", "\u00a0")


def _unit_totals(counts: dict, tr: Lang) -> dict:
    """'44 units', '61 questionnaires', '16 of them copies' with each noun in its right form."""
    return dict(
        raters=tr.plural("{n} unit", "{n} units", int(counts["raters"]), n=tr.int(counts["raters"])),
        sets=tr.plural("{n} questionnaire", "{n} questionnaires", int(counts["sets"]), n=tr.int(counts["sets"])),
        copies=tr.plural("{n} of them a copy", "{n} of them copies", int(counts["copies"]), n=tr.int(counts["copies"])),
    )


def _from_units(n: int, tr: Lang) -> str:
    """'from 44 stakeholder units' (Polish: 'od 44 jednostek', 'od 1 jednostki')."""
    return tr.plural("from {n} stakeholder unit", "from {n} stakeholder units", int(n), n=tr.int(n))


def _k_of_m(k: int, m: int, tr: Lang, singular: str, plural: str, **values) -> str:
    """A 'k of the m …' sentence whose noun agrees with m (Polish: 'z 1 obszaru', 'z 6 obszarów')."""
    return tr.plural(singular, plural, int(m), k=tr.int(k), m=tr.int(m), **values)


# --- the page's prose -------------------------------------------------------------------


def title(tr: Lang) -> str:
    return "# " + tr("Maturity scores: how much they disperse and how far raters agree")


def introduction(result: DispersionResult, tr: Lang) -> str:
    """One paragraph of context above the key findings (the page's first screen)."""
    return tr(
        "In the 2018 diagnosis of Kielce, an expert from Smart Factor and the city's stakeholders (departments, "
        "municipal units and companies) scored the city's smart-city maturity from level 1 (ad hoc) to level 5 "
        "(optimised) on five dimensions in seven thematic areas."
    )


def about_section(result: DispersionResult, tr: Lang) -> str:
    """What the report looks at and which data it uses (after the findings and the glossary)."""
    counts = result.counts
    return "\n\n".join(
        [
            heading(tr("About this report")),
            tr(
                "The diagnosis prints every stakeholder's scores and, under them, the average of each area and dimension. "
                "This report looks at the individual ratings behind those averages: is an average a consensus or a split "
                "between low and high scores, do the stakeholders see the same city as the expert, and did some "
                "stakeholders fill in their questionnaires without engagement?"
            ),
            tr.plural(
                "The {n} questionnaire (one stakeholder unit scoring one area) comes {from_units}; {copies}.",
                "The {n} questionnaires (one stakeholder unit scoring one area) come {from_units}; {copies}.",
                int(counts["sets"]),
                n=tr.int(counts["sets"]),
                from_units=_from_units(counts["raters"], tr),
                copies=tr.plural(
                    "{n} of them repeats exactly the same unit's answers for another area",
                    "{n} of them repeat exactly the same unit's answers for another area",
                    int(counts["copies"]),
                    n=tr.int(counts["copies"]),
                ),
            ),
            units_note(result, tr),
        ]
    )


def key_findings(result: DispersionResult, tr: Lang) -> str:
    """Plain-language findings for a city official, as Markdown bullets (the page's first screen).

    Counts over areas and cells leave out areas with fewer than five raters, and say so.
    """
    areas, dims = prose_names(tr)
    counts, cells, small = result.counts, result.cells, result.small_areas
    lines = []
    variance_line = variance_finding(result, tr)
    if variance_line:
        lines.append(variance_line)

    gap = result.gap(METHOD_BOOTSTRAP)
    if np.isnan(gap["estimate"]):
        lines.append(tr("No area of this run has both expert and stakeholder scores, so the two cannot be compared."))
    else:
        values = dict(gap=tr.num(abs(gap["estimate"]), 1), low=tr.num(gap["ci_low"], 1), high=tr.num(gap["ci_high"], 1))
        if gap["ci_low"] > 0:
            head = tr("**Stakeholders rate the city about {gap} levels higher than the expert.**", **values)
        elif gap["ci_high"] < 0:
            head = tr("**Stakeholders rate the city about {gap} levels lower than the expert.**", **values)
        else:
            head = tr("**Stakeholders and the expert do not clearly differ** (difference about {gap} levels).", **values)
        # Counted over areas with at least five raters, like every other count of the findings.
        compared = result.comparison[~result.comparison["small_group"]]
        gaps = compared["stakeholder_mean"] - compared["expert_mid"]
        sentence = tr(
            "Counting each stakeholder unit once, the 95% interval of the difference runs from {low} to {high} levels on the five-level scale "
            "(a bootstrap over the units).",
            **values,
        )
        if len(compared):
            sentence += " " + _k_of_m(
                int((gaps > 0).sum()),
                len(compared),
                tr,
                "The stakeholders' average is above the expert's score in {k} of the {m} question (area and dimension) "
                "of areas with at least five raters.",
                "The stakeholders' average is above the expert's score in {k} of the {m} questions (area and dimension) "
                "of areas with at least five raters.",
            )
        lines.append(head + " " + sentence)

    large = cells[~cells["small_group"]]
    if len(large):
        narrow = large[large["iqr"] <= 1]
        lines.append(
            _k_of_m(
                len(narrow),
                len(large),
                tr,
                "**Most answers lie within one level of the middle.** In {k} of the {m} question (area and dimension) of "
                "areas with at least five raters, the middle half of the answers lies within one level;",
                "**Most answers lie within one level of the middle.** In {k} of the {m} questions (area and dimension) of "
                "areas with at least five raters, the middle half of the answers lies within one level;",
            )
            + " "
            + tr(
                "on average {share} of the answers are at most one level from the question's median. The full range is wide all the same: in {wide} of these questions the lowest "
                "and the highest answer are three or more levels apart.",
                share=tr.share(large["within_one"].mean()),
                wide=tr.int(int((large["range"] >= 3).sum())),
            )
        )

    agreement = result.large_agreement()
    if len(agreement):
        no_better = agreement[agreement["krippendorff_alpha"] <= 0]
        lines.append(
            _k_of_m(
                len(no_better),
                len(agreement),
                tr,
                "**The agreement statistics add little to this.** In {k} of the {m} area with at least five raters, "
                "Krippendorff's alpha is zero or below, which is what one expects when the dimensions barely differ and "
                "units differ in their overall level; it does not measure how close the answers are.",
                "**The agreement statistics add little to this.** In {k} of the {m} areas with at least five raters, "
                "Krippendorff's alpha is zero or below, which is what one expects when the dimensions barely differ and "
                "units differ in their overall level; it does not measure how close the answers are.",
            )
        )

    if len(large) == 0:
        lines.append(tr("No area of this run has five or more raters, so counts over areas and questions are not given."))

    copies_line = tr.plural(
        "**{n} questionnaire came {from_units}.**",
        "**{n} questionnaires came {from_units}.**",
        int(counts["sets"]),
        n=tr.int(counts["sets"]),
        from_units=_from_units(counts["raters"], tr),
    )
    if counts["multi_area_raters"] == 0:
        copies_line += " " + tr("No unit rated more than one area, so no questionnaire is a copy.")
    else:
        copies_line += " " + _copies_sentence(counts, tr)
    if counts["likely_duplicates"]:
        copies_line += " " + duplicates_sentence(result, tr)
    if result.collapse_copies:
        copies_line += " " + tr("Where a question is about the raters, this report counts each unit once.")
    else:
        copies_line += " " + tr("In this run copies count as separate questionnaires everywhere.")
    lines.append(copies_line)

    lines.append(
        tr.plural(
            "**{n} {of_units} ({sets}) gave the same level to all five dimensions.**",
            "**{n} {of_units} ({sets}) gave the same level to all five dimensions.**",
            int(counts["straightlining_raters"]),
            n=tr.int(counts["straightlining_raters"]),
            of_units=tr.plural("of the {n} unit", "of the {n} units", int(counts["raters"]), n=tr.int(counts["raters"])),
            sets=_k_of_m(counts["straightlining_sets"], counts["sets"], tr, "{k} of the {m} questionnaire", "{k} of the {m} questionnaires"),
        )
        + " "
        + tr("This may be an honest overall view or a questionnaire filled in quickly; section 5 shows what changes without them.")
    )

    if small:
        n_small = result.agreement.set_index("area").loc[small, "n_raters"]
        listed = tr.join([f"{areas.get(a, a)} ({tr.plural('{n} rater', '{n} raters', int(n), n=tr.int(n))})" for a, n in n_small.items()])
        lines.append(
            tr(
                "**Small groups:** {areas}. With fewer than five raters one answer can swing a result, so these areas are "
                "marked {mark} in every table and figure and left out of the counts above.",
                areas=listed,
                mark=f"\\{SMALL_MARK}",
            )
        )
    return "\n".join(f"* {line}" for line in lines)


def variance_finding(result: DispersionResult, tr: Lang) -> str:
    """The first finding: where the variance of the answers lies (areas with at least five raters)."""
    variance = result.variance
    if variance is None or variance.empty:
        return ""
    large = variance[~variance["small_group"]].dropna(subset=["share_rater"])
    if large.empty:
        return ""
    text = tr.plural(
        "**Units differ above all in their overall level; the five dimensions show no clear common profile of strong "
        "and weak points.** In the {m} area with at least five raters, differences in a unit's overall level explain "
        "{low}–{high} of the variance of the answers, differences between the dimensions shared by all units at most {dim}; "
        "the rest ({rest_low}–{rest_high}) is each unit's own view of single dimensions, which one answer per question "
        "cannot tell apart from noise.",
        "**Units differ above all in their overall level; the five dimensions show no clear common profile of strong "
        "and weak points.** In the {m} areas with at least five raters, differences in a unit's overall level explain "
        "{low}–{high} of the variance of the answers, differences between the dimensions shared by all units at most {dim}; "
        "the rest ({rest_low}–{rest_high}) is each unit's own view of single dimensions, which one answer per question "
        "cannot tell apart from noise.",
        len(large),
        m=tr.int(len(large)),
        low=tr.share(large["share_rater"].min()),
        high=tr.share(large["share_rater"].max()),
        dim=tr.share(large["share_dimension"].max()),
        rest_low=tr.share(large["share_residual"].min()),
        rest_high=tr.share(large["share_residual"].max()),
    )
    without = result.variance_without_flat
    if without is not None and result.counts["straightlining_sets"]:
        kept = without[~without["small_group"]].dropna(subset=["share_rater"])
        if len(kept):
            text += " " + tr.plural(
                "Much of the overall level comes from the {n} questionnaire that gives one level to every dimension: "
                "without them only {k} areas keep five raters or more, and there the overall level explains {low}–{high}, "
                "the rest {rest_low}–{rest_high}.",
                "Much of the overall level comes from the {n} questionnaires that give one level to every dimension: "
                "without them only {k} areas keep five raters or more, and there the overall level explains {low}–{high}, "
                "the rest {rest_low}–{rest_high}.",
                int(result.counts["straightlining_sets"]),
                n=tr.int(result.counts["straightlining_sets"]),
                k=tr.int(len(kept)),
                low=tr.share(kept["share_rater"].min()),
                high=tr.share(kept["share_rater"].max()),
                rest_low=tr.share(kept["share_residual"].min()),
                rest_high=tr.share(kept["share_residual"].max()),
            )
    expert = result.expert_range
    if expert is not None:
        expert = expert[expert["area"].isin(large["area"])]
    if expert is not None and len(expert):
        close = int((expert["range"] <= 1).sum())
        text += " " + _k_of_m(
            close,
            len(expert),
            tr,
            "The expert, too, scores the five dimensions at most one level apart in {k} of the {m} area.",
            "The expert, too, scores the five dimensions at most one level apart in {k} of the {m} areas.",
        )
    return text


def duplicates_sentence(result: DispersionResult, tr: Lang) -> str:
    """The likely duplicates: how many questionnaires, and the evidence counted once (pairs of units)."""
    counts, evidence = result.counts, result.duplicate_evidence
    return tr.plural(
        "In addition, {n} questionnaire gives exactly the same answers as a questionnaire of another label in the same "
        "area, and they are not all one level: {pairs} such pairs of units, where units giving their own levels in a "
        "random order would produce about {chance}. Possibly one questionnaire entered twice, or filled in jointly.",
        "In addition, {n} questionnaires give exactly the same answers as a questionnaire of another label in the same "
        "area, and they are not all one level: {pairs} such pairs of units, where units giving their own levels in a "
        "random order would produce about {chance}. Possibly one questionnaire entered twice, or filled in jointly.",
        int(counts["likely_duplicates"]),
        n=tr.int(counts["likely_duplicates"]),
        pairs=tr.int(evidence["pairs"]),
        chance=tr.num(evidence["expected"], 1),
    )


def _copies_sentence(counts: dict, tr: Lang) -> str:
    """'15 units rated several areas and 14 of them gave identical answers …, so 16 questionnaires are copies.'"""
    return tr(
        "{multi} and {same}, {copies}.",
        multi=tr.plural(
            "{n} unit rated several areas", "{n} units rated several areas", int(counts["multi_area_raters"]), n=tr.int(counts["multi_area_raters"])
        ),
        same=tr.plural(
            "{n} of them gave identical answers in every area",
            "{n} of them gave identical answers in every area",
            int(counts["raters_copying_all"]),
            n=tr.int(counts["raters_copying_all"]),
        ),
        copies=tr.plural("so {n} questionnaire is a copy", "so {n} questionnaires are copies", int(counts["copies"]), n=tr.int(counts["copies"])),
    )


def glossary(tr: Lang) -> str:
    """Short plain-language definitions of the words and statistics the report uses."""
    entries = [
        (tr("Maturity level"), tr("A score from 1 (ad hoc approach) to 5 (optimised) for one dimension of one area.")),
        (
            tr("Rater, questionnaire"),
            tr(
                "A rater is one stakeholder unit (a department, municipal unit or company); a "
                "questionnaire (rating set) is one rater's five scores for one area."
            ),
        ),
        (
            tr("Question"),
            tr(
                "One dimension of one area, for example “{dimension}” in the area “{area}”.",
                dimension=md_escape(labels.dimension_names(tr.lang)["strategy"]),
                area=md_escape(labels.area_names(tr.lang)["digital"]),
            ),
        ),
        (tr("Copy"), tr("A questionnaire with exactly the same scores as the same rater's questionnaire for another area.")),
        (tr("Straight-lining"), tr("Giving the same level to all five dimensions of an area.")),
        (
            tr("Small group"),
            tr("An area with fewer than {n} raters: its results are shown but not counted in summaries.", n=tr.int(MIN_RATERS_FOR_AGREEMENT)),
        ),
        (
            tr("95% interval"),
            tr(
                "How precisely the answers given pin down an average: a range computed so that, over many such groups of answers, 95 in 100 would contain the average they estimate. Shown only for groups of at least five raters."
            ),
        ),
        (
            tr("Cluster bootstrap"),
            tr("Recomputing the result many times on random redraws of whole raters (with all their answers) to see how much it could vary."),
        ),
        (
            tr("Sign-flip test"),
            tr(
                "A test of whether stakeholders and the expert really differ: it checks how often a "
                "difference this large appears when each rater's answers are, at random, counted "
                "as above or below the expert's score."
            ),
        ),
        (tr("Mixed model"), tr("A regression that lets each rater have a level of their own; used here to check the bootstrap.")),
        (
            tr("p-value"),
            tr(
                "How likely a difference at least this large would be if there were no real difference; "
                "below 0.05 is usually read as a clear difference. All p-values here are two-sided unless "
                "the text says otherwise."
            ),
        ),
        (
            tr("Standard deviation, IQR, range"),
            tr(
                "How far the answers lie from one another: the typical distance from "
                "the mean, the width of the middle half of the answers, and highest "
                "minus lowest level."
            ),
        ),
        (
            tr("r_wg"),
            tr("Agreement within a group: 1 = everyone gave the same level, 0 = the answers vary as much as answers picked at random or more."),
        ),
        (tr("Consensus (Tastle–Wierman)"), tr("1 = everyone on one level, 0 = the group split between levels 1 and 5.")),
        (tr("Kendall's W"), tr("Whether raters put the five dimensions in the same order: 0 = no common order, 1 = the same order.")),
        (
            tr("Krippendorff's alpha"),
            tr(
                "Whether raters give the same dimension the same level: 1 = full agreement, "
                "0 = no better than chance, below 0 = each rater has a level of their own."
            ),
        ),
    ]
    return "\n".join(f"* **{term}**: {text}" for term, text in entries)


def units_note(result: DispersionResult, tr: Lang) -> str:
    """Which unit each section uses."""
    counts = result.counts
    values = dict(sets=tr.int(counts["sets"]), raters=tr.int(counts["raters"]), copies=tr.int(counts["copies"]))
    if result.collapse_copies:
        return tr(
            "Units: sections 1 to 3 describe each area, so they use every questionnaire of that area ({sets} in "
            "all). Section 4 compares the stakeholders with the expert counting each unit once: {left_out}, so "
            "{remaining}. Section 5 lists every unit.",
            sets=values["sets"],
            left_out=tr.plural(
                "the {n} copied or possibly duplicated questionnaire is left out",
                "the {n} copied or possibly duplicated questionnaires are left out",
                _sets_left_out(result),
                n=tr.int(_sets_left_out(result)),
            ),
            remaining=tr.plural("{n} unit remains", "{n} units remain", _units_left(result), n=tr.int(_units_left(result))),
        )
    totals = _unit_totals(counts, tr)
    return tr(
        "Units: sections 1 to 3 describe each area, so they use every questionnaire of that area ({sets} in all). "
        "In this run copied questionnaires count separately in sections 4 and 5 as well ({raters}, {copies}).",
        sets=values["sets"],
        raters=totals["raters"],
        copies=tr.plural("{n} copy", "{n} copies", int(counts["copies"]), n=values["copies"]),
    )


def _sets_left_out(result: DispersionResult) -> int:
    """Questionnaires the rater-level sections leave out: copies and likely duplicates (a set can be both)."""
    sets = result.sets
    return int(((sets["copy_of"] != "") | (sets["duplicate_of"] != "")).sum())


def _units_left(result: DispersionResult) -> int:
    """Stakeholder units the rater-level sections count (copies and likely duplicates collapsed)."""
    scores = result.rater_scores
    return int(scores.loc[scores["rater_type"] == "stakeholder", "rater"].nunique())


def excluded_note(tr: Lang) -> str:
    return "*" + tr("Straight-liners are excluded from sections 1–4 of this run.") + "*"


def section_ratings(tr: Lang) -> str:
    return "\n\n".join(
        [
            heading(tr("Every rating"), number=1),
            tr(
                "Each dot is one stakeholder's score for one dimension; the diamond is the stakeholders' average (the number "
                "the diagnosis prints under the scores), the black bar the expert's score. Where the expert wrote a range "
                "such as 1-2, the bar spans it. Areas marked {mark} have fewer than five raters.",
                mark=f"\\{SMALL_MARK}",
            ),
        ]
    )


def section_dispersion(tr: Lang) -> str:
    return "\n\n".join(
        [
            heading(tr("Dispersion per area and dimension"), number=2),
            tr(
                "For each area and dimension: the stakeholders' mean with a 95% interval (Student's t, for areas with at "
                "least five raters), the median, the standard deviation, the interquartile range (IQR), the share of "
                "answers at most one level from the median, the range (highest minus lowest level), r_wg and the "
                "Tastle–Wierman consensus."
            ),
            tr(
                "r_wg = 1 − variance / 2, where 2 is the variance of answers spread evenly over the five levels. An r_wg "
                "below 0.5 means the variance of the answers is more than half of what random answers would give; "
                "values below 0 are set to 0."
            ),
        ]
    )


def section_agreement(tr: Lang) -> str:
    return "\n\n".join(
        [
            heading(tr("Agreement among raters, per area"), number=3),
            tr(
                "Kendall's W (tie-corrected, with the p-value of the test W = 0) asks whether raters put the five "
                "dimensions in the same order; Friedman's test (Iman–Davenport F version) whether the dimensions get "
                "different scores; Krippendorff's alpha (ordinal, levels 1–5) whether raters give the same dimension the "
                "same level. Alpha is zero when the answers to one dimension agree no more than answers drawn at random "
                "from the whole area, and negative when they agree less."
            ),
            tr(
                "Unit: the questionnaires of the area. In areas with fewer than five raters a statistic can swing from one "
                "extreme to the other on one answer: they are marked {mark} and hatched, and left out of counts.",
                mark=f"\\{SMALL_MARK}",
            ),
        ]
    )


def section_expert(result: DispersionResult, tr: Lang) -> str:
    return "\n\n".join(
        [
            heading(tr("Expert versus stakeholders"), number=4),
            tr(
                "The difference is each stakeholder score minus the expert's score for the same area and dimension (the "
                "middle of a range such as 1-2), in levels. Answers of one rater are not independent of each other, so "
                "every method below keeps them together: a cluster bootstrap over raters gives the interval, a sign-flip "
                "test (each rater's differences flipped together) gives the p-value, and a mixed model with a random "
                "intercept per rater checks both."
            ),
            units_note(result, tr),
        ]
    )


def gap_tests_note(result: DispersionResult, tr: Lang) -> str:
    """The estimates of the cluster-aware methods in one paragraph."""
    boot, flip, mixed = (result.gap(m) for m in (METHOD_BOOTSTRAP, METHOD_SIGN_FLIP, METHOD_MIXED))
    if np.isnan(boot["estimate"]):
        return tr("No area of this run has both expert and stakeholder scores, so the two cannot be compared.")
    return tr(
        "Counting {raters} once, stakeholders score on average {gap} levels relative to the expert (95% interval from "
        "the cluster bootstrap: {interval}); the sign-flip test gives {p_flip}. The mixed model agrees: {mixed_gap} "
        "levels (95% interval {mixed_interval}, {p_mixed}).",
        raters=tr.plural("each of the {n} rater", "each of the {n} raters", int(boot["n_clusters"]), n=tr.int(boot["n_clusters"])),
        gap=tr.num(boot["estimate"], 2, signed=True),
        interval=interval_text(boot["ci_low"], boot["ci_high"], tr),
        p_flip=p_clause(flip["p_value"], tr),
        mixed_gap=tr.num(mixed["estimate"], 2, signed=True),
        mixed_interval=interval_text(mixed["ci_low"], mixed["ci_high"], tr),
        p_mixed=p_clause(mixed["p_value"], tr),
    )


def wilcoxon_aside(result: DispersionResult, tr: Lang) -> str:
    """The per-cell Wilcoxon test, labelled as ignoring the clustering."""
    test = result.paired_test
    if np.isnan(test["p_value"]):
        return tr("The stakeholders' means equal the expert's scores in every question; there is nothing to test.")
    return (
        "*"
        + tr.plural(
            "Descriptive aside, which ignores that questions share raters: the stakeholders' mean is above the expert's "
            "score in {higher} and below it in {lower} of {cells} question (median difference {median} levels; "
            "Wilcoxon signed-rank test over the questions, two-sided {p}). Because the same raters and copied "
            "questionnaires enter many questions, this p-value overstates the precision; the estimates above do not.",
            "Descriptive aside, which ignores that questions share raters: the stakeholders' mean is above the expert's "
            "score in {higher} and below it in {lower} of {cells} questions (median difference {median} levels; "
            "Wilcoxon signed-rank test over the questions, two-sided {p}). Because the same raters and copied "
            "questionnaires enter many questions, this p-value overstates the precision; the estimates above do not.",
            int(test["n_cells"]),
            higher=tr.int(test["n_higher"]),
            lower=tr.int(test["n_lower"]),
            cells=tr.int(test["n_cells"]),
            median=tr.num(test["median_difference"], 2, signed=True),
            p=p_clause(test["p_value"], tr),
        )
        + "*"
    )


def section_raters(result: DispersionResult, tr: Lang) -> str:
    counts = result.counts
    return "\n\n".join(
        [
            heading(tr("Raters"), number=5),
            tr(
                "One row per stakeholder unit ({raters}, {sets}, {copies}). "
                "Straight-lined means the unit gave one level to all five dimensions in every area it rated. Leniency is "
                "the unit's mean minus the mean of all stakeholders of the same area, averaged over its areas: positive "
                "for units that score higher than their colleagues.",
                **_unit_totals(counts, tr),
            )
            + (" " + tr("Copied questionnaires count once in the mean and the leniency.") if result.collapse_copies else ""),
            _leniency_extremes(result, tr),
        ]
    )


def _leniency_extremes(result: DispersionResult, tr: Lang) -> str:
    """How far apart the units' overall levels lie (no ranking of named units: the labels are the
    source's unexplained abbreviations; each unit's value is in raters.csv)."""
    raters = result.raters.dropna(subset=["leniency"])
    if len(raters) < 2:
        return ""
    return tr(
        "The unit scoring furthest above its colleagues does so by {high_value} levels on average, the one furthest below by "
        "{low_value} levels; each unit's value is in raters.csv.",
        high_value=tr.num(raters["leniency"].max(), 2, signed=True),
        low_value=tr.num(raters["leniency"].min(), 2, signed=True),
    )


def section_exclusion(tr: Lang) -> str:
    return "\n\n".join(
        [
            "### " + tr("What changes without the straight-liners"),
            tr("Mean score, Kendall's W and Krippendorff's alpha per area, with all questionnaires and without the straight-lined ones."),
        ]
    )


def section_glossary(tr: Lang) -> str:
    return heading(tr("Words used in this report")) + "\n\n" + glossary(tr)


def section_findings(result: DispersionResult, tr: Lang) -> str:
    return heading(tr("Key findings")) + "\n\n" + key_findings(result, tr)


def downloads(result: DispersionResult, tr: Lang) -> str:
    """The downloads section: every CSV the run publishes, with what one row is."""
    rows = {
        "score-dispersion.csv": tr("one row per area and dimension: dispersion statistics"),
        "agreement.csv": tr("one row per area: agreement statistics and the small-group flag"),
        "expert-vs-stakeholders.csv": tr("one row per area and dimension: the expert's score against the stakeholders'"),
        "expert-vs-stakeholders-test.csv": tr(
            "one row per method: the stakeholder-minus-expert difference with its unit, number of clusters, interval and p-value"
        ),
        "raters.csv": tr("one row per stakeholder unit: areas, questionnaires, copies (copy_of), straight-lining, leniency"),
        "straightliner-exclusion.csv": tr("one row per area: results with and without the straight-liners"),
        "rater-variance.csv": tr("one row per area: the variance of the answers split into raters' overall level, dimension and the rest"),
        "duplicate-sensitivity.csv": tr("one row per area: results with every questionnaire and without the likely duplicates"),
    }
    listed = [f"* `{name}`: {rows[name]}" for name in result.downloads()]
    return "\n\n".join(
        [
            heading(tr("Downloads")),
            tr("The tables of this report are published as CSV next to it (in data/), with English column names and plain numbers in every edition:"),
            "\n".join(listed),
        ]
    )


def run_note(result: DispersionResult, tr: Lang) -> str:
    """The run's settings, from its parameters (``result.params``)."""
    area_names, _ = prose_names(tr)
    p = result.params
    return tr(
        "Settings of this run: areas: {areas}; straight-liners excluded: {exclude}; copies counted once: {collapse}; "
        "bootstrap resamples: {n_boot}; random seed: {seed}.",
        areas=tr.join(area_names.get(a, a) for a in p.areas) if p.areas else tr("all"),
        exclude=tr.yes_no(p.exclude_straightliners),
        collapse=tr.yes_no(p.collapse_copies),
        n_boot=tr.int(p.n_boot),
        seed=str(p.seed),
    )


# --- figure titles and alt texts -----------------------------------------------------------


def strip_title(result: DispersionResult, tr: Lang) -> str:
    test = result.paired_test
    return tr(
        "Stakeholders' scores spread over several levels and lie above the expert's in {higher} of {cells} questions",
        higher=tr.int(test["n_higher"]),
        cells=tr.int(test["n_cells"]),
    )


def strip_alt(result: DispersionResult, tr: Lang) -> str:
    large = result.cells[~result.cells["small_group"]]
    return (
        strip_title(result, tr)
        + ". "
        + tr(
            "Dot plot of every stakeholder score per area and dimension with the stakeholders' mean and the expert's "
            "score; in {k} of {m} questions of areas with at least five raters the scores span three or more levels.",
            k=tr.int((large["range"] >= 2).sum()),
            m=tr.int(len(large)),
        )
    )


def heatmap_title(result: DispersionResult, tr: Lang) -> str:
    areas, dims = names(tr)
    cells = result.cells
    top, low = cells.loc[cells["mean"].idxmax()], cells.loc[cells["mean"].idxmin()]
    return tr(
        "Mean level from {low} ({low_area}, {low_dimension}) to {high} ({high_area}, {high_dimension}); ± standard deviation",
        low=tr.num(low["mean"], 1),
        low_area=area_label(low["area"], tr, result.small_areas),
        low_dimension=dims.get(low["dimension"], low["dimension"]),
        high=tr.num(top["mean"], 1),
        high_area=area_label(top["area"], tr, result.small_areas),
        high_dimension=dims.get(top["dimension"], top["dimension"]),
    )


def heatmap_alt(result: DispersionResult, tr: Lang) -> str:
    return (
        heatmap_title(result, tr)
        + ". "
        + tr(
            "Heat map of the stakeholders' mean level per area (rows) and dimension (columns); the largest standard deviation is {sd} levels.",
            sd=tr.num(result.cells["sd"].max(), 1),
        )
    )


def variance_intro(tr: Lang) -> str:
    """What the variance decomposition asks, before the agreement statistics."""
    return tr(
        "Where do the differences between answers come from? In each area the answers form a table of raters and the five "
        "dimensions. Its variance splits into differences in the raters' overall level (how generous a unit is), "
        "differences between the dimensions that all raters share (the area's strong and weak points as the group sees "
        "them) and the rest (a rater's own view of one dimension, and noise). The shares are estimated with a two-way "
        "random-effects model (ANOVA estimates, as for intraclass correlations); they describe the units asked, so no "
        "interval is given."
    )


def variance_title(result: DispersionResult, tr: Lang) -> str:
    large = result.variance[~result.variance["small_group"]]
    if large.empty:
        return tr("Where the variance of the answers comes from, per area")
    return tr(
        "Raters' overall level explains {low}–{high} of the variance of the answers, the dimensions at most {dim} (areas with at least five raters)",
        low=tr.share(large["share_rater"].min()),
        high=tr.share(large["share_rater"].max()),
        dim=tr.share(large["share_dimension"].max()),
    )


def variance_alt(result: DispersionResult, tr: Lang) -> str:
    return variance_title(result, tr) + ". " + tr("One bar per area, split into the three shares; areas with fewer than five raters are marked.")


def variance_table(result: DispersionResult, tr: Lang) -> tuple[pd.DataFrame, dict]:
    variance = result.variance
    frame = pd.DataFrame(
        {
            tr("Area"): [area_label(a, tr, result.small_areas) for a in variance["area"]],
            tr("Raters"): variance["n_raters"].astype(int),
            tr("Raters' overall level"): variance["share_rater"],
            tr("Dimensions"): variance["share_dimension"],
            tr("Rest"): variance["share_residual"],
        }
    )
    formats = {tr("Raters"): "int", tr("Raters' overall level"): "share0", tr("Dimensions"): "share0", tr("Rest"): "share0"}
    return frame, formats


def duplicates_note(result: DispersionResult, tr: Lang) -> str:
    """Section 5: the likely duplicates and what changes without them (a sensitivity, not a removal)."""
    if not result.counts["likely_duplicates"]:
        return tr("No two questionnaires of one area under different labels give identical answers that are not all the same level.")
    return (
        duplicates_sentence(result, tr)
        + " "
        + tr(
            "The table shows each area's results with every questionnaire and without the likely duplicates; the rest of "
            "this report uses every questionnaire for the areas' statistics and counts the duplicates once where a question "
            "is about the raters (when copies are counted once)."
        )
    )


def duplicates_table(result: DispersionResult, tr: Lang) -> tuple[pd.DataFrame, dict]:
    table = result.duplicate_sensitivity
    frame = pd.DataFrame(
        {
            tr("Area"): [area_label(a, tr, result.small_areas) for a in table["area"]],
            tr("Questionnaires"): table["n_sets_all"].astype(int),
            tr("Likely duplicates"): table["duplicates"].astype(int),
            tr("Mean, all questionnaires"): table["mean_all"],
            tr("Mean, without duplicates"): table["mean_without"],
            tr("Alpha, all questionnaires"): table["alpha_all"],
            tr("Alpha, without duplicates"): table["alpha_without"],
            tr("Raters' level share, all questionnaires"): table["share_rater_all"],
            tr("Raters' level share, without duplicates"): table["share_rater_without"],
        }
    )
    formats = {
        tr("Questionnaires"): "int",
        tr("Likely duplicates"): "int",
        tr("Mean, all questionnaires"): "num2",
        tr("Mean, without duplicates"): "num2",
        tr("Alpha, all questionnaires"): "num2",
        tr("Alpha, without duplicates"): "num2",
        tr("Raters' level share, all questionnaires"): "share0",
        tr("Raters' level share, without duplicates"): "share0",
    }
    return frame, formats


def agreement_title(result: DispersionResult, tr: Lang) -> str:
    areas, _ = names(tr)
    agreement = result.large_agreement()
    if agreement.empty or agreement["kendall_w"].isna().all():
        return tr("Agreement among raters per area")
    best = agreement.loc[agreement["kendall_w"].idxmax()]
    return tr(
        "Raters agree little on which dimension is strongest: Kendall's W at most {w} ({area}) in areas with at least five raters",
        w=tr.num(best["kendall_w"], 2),
        area=areas.get(best["area"], best["area"]),
    )


def agreement_alt(result: DispersionResult, tr: Lang) -> str:
    agreement = result.large_agreement()
    return (
        agreement_title(result, tr)
        + ". "
        + tr(
            "Bar charts of Kendall's W and Krippendorff's alpha per area; alpha is negative in {k} of the {m} areas with at least five raters.",
            k=tr.int((agreement["krippendorff_alpha"] < 0).sum()),
            m=tr.int(len(agreement)),
        )
    )


def expert_title(result: DispersionResult, tr: Lang) -> str:
    test = result.paired_test
    return tr(
        "Points above the dashed line: stakeholders rate higher than the expert ({higher} of {cells} questions)",
        higher=tr.int(test["n_higher"]),
        cells=tr.int(test["n_cells"]),
    )


def expert_alt(result: DispersionResult, tr: Lang) -> str:
    boot = result.gap(METHOD_BOOTSTRAP)
    return (
        expert_title(result, tr)
        + ". "
        + tr(
            "Scatter plot of the stakeholders' mean against the expert's score, one point per area and dimension; "
            "counting each rater once the stakeholders score {gap} levels relative to the expert.",
            gap=tr.num(boot["estimate"], 1, signed=True),
        )
    )


def figure_labels(tr: Lang) -> dict:
    """Every label the dispersion figures draw, in the reader's language; ``n_raters`` and
    ``number`` are functions (a count of raters with its noun in the right form, a decimal)."""
    return {
        "n_raters": lambda n: tr.plural("{n} rater", "{n} raters", int(n), n=tr.int(n)),
        "number": lambda value, decimals=1: tr.num(value, decimals),
        "raters": tr("raters"),
        "small": tr("fewer than five raters"),
        "level": tr("maturity level (1–5)"),
        "one": tr("one stakeholder"),
        "mean": tr("stakeholders' mean"),
        "expert": tr("expert (shaded: a range such as 1-2)"),
        "mean_level": tr("mean maturity level"),
        "kendall": tr("Kendall's W (0 = no common order, 1 = same order)"),
        "alpha": tr("Krippendorff's alpha (1 = agree, 0 = chance)"),
        "hatched": tr("hatched grey: fewer than five raters"),
        "same": tr("same score"),
        "range": tr("expert gave a range (plotted at its middle)"),
        "expert_axis": tr("expert's score"),
        "stakeholder_axis": tr("stakeholders' mean score"),
        "small_points": tr("area with fewer than five raters"),
        "large_points": tr("area with at least five raters"),
        "share_rater": tr("differences in the raters' overall level"),
        "share_dimension": tr("differences between the five dimensions"),
        "share_residual": tr("the rest (a rater's view of one dimension, noise)"),
        "share_axis": tr("share of the variance of the answers"),
        "percent": lambda value: tr.share(value),
    }


# --- reader's tables ----------------------------------------------------------------------------


def cells_table(result: DispersionResult, tr: Lang) -> tuple[pd.DataFrame, dict]:
    areas, dims = names(tr)
    cells = result.cells
    frame = pd.DataFrame(
        {
            tr("Area"): [area_label(a, tr, result.small_areas) for a in cells["area"]],
            tr("Dimension"): [dims.get(d, d) for d in cells["dimension"]],
            tr("Raters"): cells["n"].astype(int),
            tr("Mean"): cells["mean"],
            tr("95% interval"): [interval_text(lo, hi, tr, 1) for lo, hi in zip(cells["ci_low"], cells["ci_high"])],
            tr("Median"): cells["median"],
            tr("SD"): cells["sd"],
            tr("IQR"): cells["iqr"],
            tr("Range"): cells["range"],
            tr("r_wg"): cells["rwg"],
            tr("Consensus"): cells["consensus"],
        }
    )
    formats = {
        tr("Raters"): "int",
        tr("Mean"): "num2",
        tr("95% interval"): "text",
        tr("Median"): "num1",
        tr("SD"): "num2",
        tr("IQR"): "num1",
        tr("Range"): "int",
        tr("r_wg"): "num2",
        tr("Consensus"): "num2",
    }
    return frame, formats


def agreement_table(result: DispersionResult, tr: Lang) -> tuple[pd.DataFrame, dict]:
    agreement = result.agreement
    frame = pd.DataFrame(
        {
            tr("Area"): [area_label(a, tr, result.small_areas) for a in agreement["area"]],
            tr("Raters"): agreement["n_raters"].astype(int),
            tr("Straight-liners"): agreement["straightliners"].astype(int),
            tr("Kendall's W"): agreement["kendall_w"],
            tr("p (W)"): [p_text(p, tr) for p in agreement["kendall_p"]],
            tr("Friedman p"): [p_text(p, tr) for p in agreement["friedman_p"]],
            tr("Krippendorff's alpha"): agreement["krippendorff_alpha"],
        }
    )
    formats = {
        tr("Raters"): "int",
        tr("Straight-liners"): "int",
        tr("Kendall's W"): "num2",
        tr("p (W)"): "text",
        tr("Friedman p"): "text",
        tr("Krippendorff's alpha"): "num2",
    }
    return frame, formats


def comparison_table(result: DispersionResult, tr: Lang) -> tuple[pd.DataFrame, dict]:
    _, dims = names(tr)
    comparison = result.comparison
    expert = [tr.int(lo) if lo == hi else f"{tr.int(lo)}–{tr.int(hi)}" for lo, hi in zip(comparison["expert_low"], comparison["expert_high"])]
    frame = pd.DataFrame(
        {
            tr("Area"): [area_label(a, tr, result.small_areas) for a in comparison["area"]],
            tr("Dimension"): [dims.get(d, d) for d in comparison["dimension"]],
            tr("Expert"): expert,
            tr("Raters"): comparison["n"].astype(int),
            tr("Stakeholders' mean"): comparison["stakeholder_mean"],
            tr("Stakeholders' median"): comparison["stakeholder_median"],
            tr("Gap to the expert"): comparison["gap_mean"],
            tr("Share above the expert"): comparison["share_above"],
        }
    )
    formats = {
        tr("Expert"): "text",
        tr("Raters"): "int",
        tr("Stakeholders' mean"): "num2",
        tr("Stakeholders' median"): "num1",
        tr("Gap to the expert"): "signed2",
        tr("Share above the expert"): "share0",
    }
    return frame, formats


def gap_tests_table(result: DispersionResult, tr: Lang) -> tuple[pd.DataFrame, dict]:
    method_names = {
        METHOD_BOOTSTRAP: tr("Cluster bootstrap over raters"),
        METHOD_SIGN_FLIP: tr("Sign-flip test over raters"),
        METHOD_MIXED: tr("Mixed model, random intercept per rater"),
        METHOD_WILCOXON: tr("Wilcoxon signed-rank over questions (ignores clustering; descriptive)"),
    }
    unit_names = {"rater": tr("rater"), "area x dimension cell": tr("question (area × dimension)")}
    tests = result.gap_tests
    frame = pd.DataFrame(
        {
            tr("Method"): [method_names[m] for m in tests["method"]],
            tr("Unit"): [unit_names.get(u, u) for u in tests["unit"]],
            tr("Units (n)"): tests["n_clusters"].astype(int),
            tr("Difference (levels)"): tests["estimate"],
            tr("95% interval"): [interval_text(lo, hi, tr) for lo, hi in zip(tests["ci_low"], tests["ci_high"])],
            tr("p-value (two-sided)"): [p_text(p, tr) for p in tests["p_value"]],
        }
    )
    formats = {tr("Units (n)"): "int", tr("Difference (levels)"): "signed2", tr("95% interval"): "text", tr("p-value (two-sided)"): "text"}
    return frame, formats


def raters_table(result: DispersionResult, tr: Lang) -> tuple[pd.DataFrame, dict]:
    """Seven columns, so the table fits a phone's width: code, areas, questionnaires,
    copies, straight-lined, mean, leniency. Sorted by leniency, highest first."""
    areas, _ = names(tr)
    raters = result.raters.sort_values("leniency", ascending=False)
    frame = pd.DataFrame(
        {
            tr("Rater"): raters["rater_labels"],
            tr("Areas"): ["; ".join(area_label(a, tr, result.small_areas) for a in text.split("; ")) for text in raters["areas"]],
            tr("Questionnaires"): raters["n_sets"].astype(int),
            tr("Copies"): raters["copies"].astype(int),
            tr("Straight-lined"): raters["straightliner"].astype(bool),
            tr("Mean"): raters["mean_score"],
            tr("Leniency"): raters["leniency"],
        }
    )
    formats = {
        tr("Rater"): "text",
        tr("Areas"): "text",
        tr("Questionnaires"): "int",
        tr("Copies"): "int",
        tr("Straight-lined"): "yesno",
        tr("Mean"): "num1",
        tr("Leniency"): "signed2",
    }
    return frame, formats


def exclusion_table(result: DispersionResult, tr: Lang) -> tuple[pd.DataFrame, dict]:
    exclusion = result.exclusion
    small = list(exclusion.loc[exclusion["small_group"], "area"])
    frame = pd.DataFrame(
        {
            tr("Area"): [area_label(a, tr, small) for a in exclusion["area"]],
            tr("Raters, all"): exclusion["n_raters_all"].astype(int),
            tr("Raters, without"): exclusion["n_raters_without"].astype(int),
            tr("Mean, all"): exclusion["mean_all"],
            tr("Mean, without"): exclusion["mean_without"],
            tr("W, all"): exclusion["kendall_w_all"],
            tr("W, without"): exclusion["kendall_w_without"],
            tr("Alpha, all"): exclusion["alpha_all"],
            tr("Alpha, without"): exclusion["alpha_without"],
        }
    )
    formats = {header: "num2" for header in frame.columns[3:]}
    formats.update({tr("Raters, all"): "int", tr("Raters, without"): "int"})
    return frame, formats


def small_caption(tr: Lang) -> str:
    return tr("{mark} fewer than five raters: shown, not counted in summaries", mark=SMALL_MARK)


def exclusion_caption(tr: Lang) -> str:
    return tr("{small}; “without”: without the straight-lined questionnaires", small=small_caption(tr))


def row_classes(area_ids, small_areas) -> list[str]:
    small = set(small_areas)
    return ["small-group" if a in small else "" for a in area_ids]
