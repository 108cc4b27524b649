"""What the score-dispersion report says, in the reader's language.

Every sentence, heading, table header and figure title of
``notebooks/score_dispersion.ipynb`` comes from here, through a
:class:`analysis.text.i18n.Lang` called ``tr`` (English text in the code, Polish in
``locales/pl/LC_MESSAGES/messages.po``). Area and dimension names come from the
data (:mod:`analysis.data.labels`), never translated here. Numbers are the run's own:
nothing in a sentence is typed in by hand.

Functions return Markdown (for ``IPython.display.Markdown``) or, for tables, a
``(frame, formats)`` pair ready for :func:`analysis.publish.reporting.show_table`.

The paragraphs (introduction, key findings, the sections' explanations, notes) are templates in
``text/templates/dispersion-*.md.j2``, rendered by :func:`analysis.text.render.render`, which
escapes every value from data itself. Headings, the glossary, table labels, figure titles, alt
texts and captions stay ``tr(...)`` calls.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from markupsafe import Markup

from analysis.data import labels
from analysis.methods.dispersion import (
    METHOD_BOOTSTRAP,
    METHOD_MIXED,
    METHOD_SIGN_FLIP,
    METHOD_WILCOXON,
    MIN_RATERS_FOR_AGREEMENT,
    SMALL_MARK,
    DispersionResult,
    narrow_iqr_counts,
    overall_level_spread,
    overall_levels,
    shuffled_within_one,
)
from analysis.text.common import heading, md_escape  # noqa: F401  (text.md_escape in notebooks)
from analysis.text.i18n import Lang
from analysis.text.render import render


def names(tr: Lang) -> tuple[dict, dict]:
    """(area id → name, dimension id → name) in the reader's language, from the data."""
    return labels.area_names(tr.lang), labels.dimension_names(tr.lang)


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


# --- the page's prose -------------------------------------------------------------------


def title(tr: Lang) -> str:
    return "# " + tr("Maturity scores: how much they disperse and how far raters agree")


def introduction(result: DispersionResult, tr: Lang) -> str:
    """One paragraph of context above the key findings (``templates/dispersion-introduction.md.j2``)."""
    return render("dispersion-introduction.md.j2", tr)


def about_section(result: DispersionResult, tr: Lang) -> str:
    """What the report looks at and which data it uses, after the findings and the glossary
    (``templates/dispersion-about.md.j2``, then the units note)."""
    counts = result.counts
    about = render("dispersion-about.md.j2", tr, sets=int(counts["sets"]), raters=int(counts["raters"]), copies=int(counts["copies"]))
    return "\n\n".join([heading(tr("About this report")), about, units_note(result, tr)])


def key_findings(result: DispersionResult, tr: Lang) -> str:
    """Plain-language findings for a city official, as Markdown bullets (the page's first screen),
    each from a template ``templates/dispersion-finding-*.md.j2``.

    Counts over areas and cells leave out areas with fewer than five raters, and say so.
    """
    areas, _ = names(tr)
    counts, cells, small = result.counts, result.cells, result.small_areas
    lines = []
    level_line = level_finding(result, tr)
    if level_line:
        lines.append(level_line)
    variance_line = variance_finding(result, tr)
    if variance_line:
        lines.append(variance_line)

    gap = result.gap(METHOD_BOOTSTRAP)
    gap_values = None
    # Only small groups compared: the no-large-area finding below says the comparison is not given.
    only_small = np.isnan(gap["estimate"]) and len(result.comparison) and result.comparison["small_group"].all()
    if not np.isnan(gap["estimate"]):
        direction = "higher" if gap["ci_low"] > 0 else "lower" if gap["ci_high"] < 0 else "none"
        # Counted over areas with at least five raters, like every other count of the findings.
        compared = result.comparison[~result.comparison["small_group"]]
        gaps = compared["stakeholder_mean"] - compared["expert_mid"]
        gap_values = dict(
            direction=direction,
            size=abs(gap["estimate"]),
            low=gap["ci_low"],
            high=gap["ci_high"],
            # The mean alone overstates it (a methodologist: "above in 29 of 30" holds of means only): the median
            # and the majority of units too.
            compared=dict(
                k=int((gaps > 0).sum()),
                m=len(compared),
                median_above=int((compared["stakeholder_median"] > compared["expert_mid"]).sum()),
                median_equal=int((compared["stakeholder_median"] == compared["expert_mid"]).sum()),
                majority=int((compared["share_above"] > 0.5).sum()),
            )
            if len(compared)
            else None,
            expert=_expert_leniency(result),
        )
    if not only_small:
        lines.append(render("dispersion-finding-gap.md.j2", tr, gap=gap_values))

    large = cells[~cells["small_group"]]
    if len(large):
        lines.append(
            render(
                "dispersion-finding-spread.md.j2",
                tr,
                k=int((large["iqr"] <= 1).sum()),
                m=len(large),
                share=large["within_one"].mean(),
                shuffled=shuffled_within_one(result.scores, seed=result.params.seed, small_areas=result.small_areas),
                wide=int((large["range"] >= 3).sum()),
                rules=_quantile_rules(large, result.scores),
            )
        )

    agreement = result.large_agreement()
    if len(agreement):
        lines.append(render("dispersion-finding-agreement.md.j2", tr, k=int((agreement["krippendorff_alpha"] <= 0).sum()), m=len(agreement)))

    if len(large) == 0:
        lines.append(render("dispersion-finding-no-large-area.md.j2", tr))

    lines.append(
        render(
            "dispersion-finding-copies.md.j2",
            tr,
            sets=int(counts["sets"]),
            raters=int(counts["raters"]),
            multi=int(counts["multi_area_raters"]),
            copying_all=int(counts["raters_copying_all"]),
            copies=int(counts["copies"]),
            duplicates=_duplicates_values(result) if counts["likely_duplicates"] else None,
            collapse=result.collapse_copies,
        )
    )
    lines.append(
        render(
            "dispersion-finding-straightlining.md.j2",
            tr,
            n=int(counts["straightlining_raters"]),
            raters=int(counts["raters"]),
            flat_sets=int(counts["straightlining_sets"]),
            sets=int(counts["sets"]),
        )
    )

    if small:
        n_small = result.agreement.set_index("area").loc[small, "n_raters"]
        # Each group: its name from the data, escaped, with the code's own count of raters.
        groups = [Markup(f"{md_escape(areas.get(a, a))} ({tr.plural('{n} rater', '{n} raters', int(n), n=tr.int(n))})") for a, n in n_small.items()]
        lines.append(render("dispersion-finding-small-groups.md.j2", tr, groups=groups, mark=SMALL_MARK))
    return "\n".join(f"* {line}" for line in lines)


def _expert_leniency(result: DispersionResult) -> dict | None:
    """The expert measured like a unit's overall level (a sceptical reading: the gap's interval treats one person's
    scores as fixed): the expert's mean minus the stakeholders' mean, per area with at least five raters (the
    small-group rule of every summary), averaged over those areas, and how many units' level (``overall_level``) is at
    most that."""
    compared = result.comparison[~result.comparison["small_group"]] if len(result.comparison) else result.comparison
    by_area = compared.groupby("area")[["expert_mid", "stakeholder_mean"]].mean().dropna()
    # The units measured over the same areas: the small groups left out (a unit of a small group only has none).
    units = overall_levels(result.sets, result.collapse_copies, result.small_areas)
    if by_area.empty or units.empty:
        return None
    leniency = float((by_area["expert_mid"] - by_area["stakeholder_mean"]).mean())
    return {"leniency": leniency, "k": int((units <= leniency).sum()), "n": len(units)}


def _quantile_rules(large: pd.DataFrame, scores: pd.DataFrame) -> dict | None:
    """The lowest and highest count of questions with a middle half within one level over the common quantile
    rules (a methodologist: "14 of 30" is numpy's linear rule; others give 5 to 15); None when all agree."""
    counts = narrow_iqr_counts(large, scores)
    low, high = min(counts.values()), max(counts.values())
    return None if low == high else {"low": low, "high": high}


def level_finding(result: DispersionResult, tr: Lang) -> str | None:
    """The level the scores put the city at (an official's first question), over the areas with at least five
    raters: the stakeholders' mean of the question means, its lowest and highest area, and the expert's mean."""
    import math

    compared = result.comparison[~result.comparison["small_group"]]
    if compared.empty:
        return None
    areas, _ = names(tr)
    by_area = compared.groupby("area")["stakeholder_mean"].mean()
    mean = float(compared["stakeholder_mean"].mean())
    # The levels the mean lies between, as a reader rounds it (2.4 lies between level 2 and level 3).
    lower = min(4, max(1, math.floor(round(mean, 1))))
    return render(
        "dispersion-finding-level.md.j2",
        tr,
        m=len(by_area),
        mean=mean,
        low=float(by_area.min()),
        high=float(by_area.max()),
        area_low=md_escape(areas.get(by_area.idxmin(), by_area.idxmin())),
        area_high=md_escape(areas.get(by_area.idxmax(), by_area.idxmax())),
        lower=lower,
        upper=lower + 1,
        expert=float(compared["expert_mid"].mean()),
        raters=_rater_range(result),
    )


def _rater_range(result: DispersionResult) -> dict | None:
    """The fewest and most raters of the areas with at least five (for the sentence on what such groups can tell
    apart); None when no area has five."""
    large = result.large_agreement()["n_raters"]
    return {"low": int(large.min()), "high": int(large.max())} if len(large) else None


def variance_finding(result: DispersionResult, tr: Lang) -> str:
    """The first finding: where the variance of the answers lies (areas with at least five raters;
    ``templates/dispersion-finding-variance.md.j2``)."""
    variance = result.variance
    if variance is None or variance.empty:
        return ""
    large = variance[~variance["small_group"]].dropna(subset=["share_rater"])
    if large.empty:
        return ""
    values = dict(
        m=len(large),
        low=large["share_rater"].min(),
        high=large["share_rater"].max(),
        dim=large["share_dimension"].max(),
        rest_low=large["share_residual"].min(),
        rest_high=large["share_residual"].max(),
        without=None,
        expert=None,
        intervals=None,
    )
    if {"share_rater_low", "share_dimension_high"} <= set(large.columns) and large["share_rater_low"].notna().any():
        values["intervals"] = dict(rater_low=large["share_rater_low"].min(), dimension_high=large["share_dimension_high"].max())
    without = result.variance_without_flat
    if without is not None and result.counts["straightlining_sets"]:
        kept = without[~without["small_group"]].dropna(subset=["share_rater"])
        if len(kept):
            values["without"] = dict(
                n=int(result.counts["straightlining_sets"]),
                k=len(kept),
                low=kept["share_rater"].min(),
                high=kept["share_rater"].max(),
                rest_low=kept["share_residual"].min(),
                rest_high=kept["share_residual"].max(),
            )
    expert = result.expert_range
    if expert is not None:
        expert = expert[expert["area"].isin(large["area"])]
    if expert is not None and len(expert):
        values["expert"] = dict(k=int((expert["range"] <= 1).sum()), m=len(expert))
    return render("dispersion-finding-variance.md.j2", tr, **values)


def _duplicates_values(result: DispersionResult) -> dict:
    """The likely duplicates: how many questionnaires, and the evidence counted once (pairs of units)."""
    evidence = result.duplicate_evidence
    return dict(n=int(result.counts["likely_duplicates"]), pairs=int(evidence["pairs"]), chance=evidence["expected"])


def duplicates_sentence(result: DispersionResult, tr: Lang) -> str:
    """The likely duplicates and the evidence counted once (``templates/dispersion-duplicates.md.j2``)."""
    return render("dispersion-duplicates.md.j2", tr, **_duplicates_values(result))


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
                "A test of whether the stakeholders' scores differ from this expert's scores more than chance "
                "would give: it checks how often a difference this large appears when each rater's answers "
                "are, at random, counted as above or below the expert's score."
            ),
        ),
        (tr("Mixed model"), tr("A regression that lets each rater have a level of their own; used here to check the bootstrap.")),
        (
            tr("p-value"),
            tr(
                "How likely a result at least this large would be if there were no real difference or "
                "agreement. The p-values of the stakeholders-minus-expert difference are two-sided; those "
                "of Kendall's W and of Friedman's test are one-sided (only more agreement, or larger "
                "differences between the dimensions, than chance would give counts against it)."
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
            tr(
                "Agreement within a group: 1 = everyone gave the same level, 0 = the answers vary as much as answers spread "
                "evenly over the five levels (each level equally often), or more; it does not mean that anyone answered at random."
            ),
        ),
        (tr("Consensus (Tastle–Wierman)"), tr("1 = everyone on one level, 0 = the group split between levels 1 and 5.")),
        (
            tr("Kendall's W"),
            tr(
                "Whether raters put the five dimensions in the same order: 1 = the same order; raters ordering them at random give about 1 divided by the number of raters, not 0."
            ),
        ),
        (
            tr("Krippendorff's alpha"),
            tr(
                "Whether raters give the same dimension the same level: 1 = full agreement, "
                "0 = the answers to a dimension agree no more than answers reshuffled within the area, "
                "below 0 = they agree less (each rater has a level of their own)."
            ),
        ),
    ]
    return "\n".join(f"* **{term}**: {text}" for term, text in entries)


def units_note(result: DispersionResult, tr: Lang) -> str:
    """Which unit each section uses (``templates/dispersion-units-note.md.j2``), counted from the run's own scores
    (so the counts add up in a run without the straight-liners too)."""
    counts = result.counts
    sets = _questionnaires(result.scores)
    rater_sets = _questionnaires(result.rater_scores)
    small = rater_sets[rater_sets["area"].isin(result.small_areas)]
    kept = rater_sets[~rater_sets["area"].isin(result.small_areas)]
    return render(
        "dispersion-units-note.md.j2",
        tr,
        collapse=result.collapse_copies,
        sets=len(sets),
        raters=int(counts["raters"]),
        copies=int(counts["copies"]),
        left_out=len(sets) - len(rater_sets) if result.collapse_copies else None,
        small=len(small) if result.collapse_copies else 0,
        remaining=int(kept["rater"].nunique()) if result.collapse_copies else None,
        per_area=_per_area(kept, tr) if result.collapse_copies and len(kept) else None,
    )


def _per_area(kept: pd.DataFrame, tr: Lang) -> list:
    """How many questionnaires each area contributes to section 4 (a methodologist: after the copies go, an area
    "with at least five raters" may rest on one questionnaire there), as "area n", in the order of the data."""
    areas, _ = names(tr)
    counts = kept.groupby("area", sort=False).size()
    return [Markup(f"{md_escape(areas.get(a, a))} {tr.int(n)}") for a, n in counts.items()]


def _questionnaires(scores: pd.DataFrame) -> pd.DataFrame:
    """The stakeholders' questionnaires (area, rater) of ``scores``, one row each."""
    stakeholder = scores[scores["rater_type"] == "stakeholder"]
    return stakeholder[["area", "rater"]].drop_duplicates()


def excluded_note(tr: Lang) -> str:
    return render("dispersion-excluded-note.md.j2", tr)


def section_ratings(tr: Lang) -> str:
    return "\n\n".join([heading(tr("Every rating"), number=1), render("dispersion-ratings-intro.md.j2", tr, mark=SMALL_MARK)])


def section_dispersion(tr: Lang) -> str:
    return "\n\n".join([heading(tr("Dispersion per area and dimension"), number=2), render("dispersion-dispersion-intro.md.j2", tr)])


def section_agreement(tr: Lang) -> str:
    return "\n\n".join([heading(tr("Agreement among raters, per area"), number=3), render("dispersion-agreement-intro.md.j2", tr, mark=SMALL_MARK)])


def section_expert(result: DispersionResult, tr: Lang) -> str:
    return "\n\n".join([heading(tr("Expert versus stakeholders"), number=4), render("dispersion-expert-intro.md.j2", tr), units_note(result, tr)])


def gap_tests_note(result: DispersionResult, tr: Lang) -> str:
    """The estimates of the cluster-aware methods in one paragraph (``templates/dispersion-gap-tests-note.md.j2``)."""
    boot, flip, mixed = (result.gap(m) for m in (METHOD_BOOTSTRAP, METHOD_SIGN_FLIP, METHOD_MIXED))
    gap = None
    if not np.isnan(boot["estimate"]):
        # Intervals and p-values are written by the code (number formats, no-break spaces): Markdown as they are.
        gap = dict(
            n=int(boot["n_clusters"]),
            boot=boot["estimate"],
            interval=Markup(interval_text(boot["ci_low"], boot["ci_high"], tr)),
            p_flip=Markup(p_clause(flip["p_value"], tr)),
            mixed=mixed["estimate"],
            mixed_interval=Markup(interval_text(mixed["ci_low"], mixed["ci_high"], tr)),
            p_mixed=Markup(p_clause(mixed["p_value"], tr)),
        )
    small_only = bool(len(result.comparison)) and bool(result.comparison["small_group"].all())
    return render("dispersion-gap-tests-note.md.j2", tr, gap=gap, small_only=small_only)


def wilcoxon_aside(result: DispersionResult, tr: Lang) -> str:
    """The per-cell Wilcoxon test, labelled as ignoring the clustering (``templates/dispersion-wilcoxon-aside.md.j2``)."""
    test = result.paired_test
    values = None
    if not test["n_cells"]:
        return ""  # no question of an area with at least five raters: the note above says so
    if not np.isnan(test["p_value"]):
        values = dict(
            higher=int(test["n_higher"]),
            lower=int(test["n_lower"]),
            cells=int(test["n_cells"]),
            median=test["median_difference"],
            p=Markup(p_clause(test["p_value"], tr)),
        )
    return render("dispersion-wilcoxon-aside.md.j2", tr, test=values)


def section_raters(result: DispersionResult, tr: Lang) -> str:
    counts = result.counts
    intro = render(
        "dispersion-raters-intro.md.j2",
        tr,
        raters=int(counts["raters"]),
        sets=int(counts["sets"]),
        copies=int(counts["copies"]),
        collapse=result.collapse_copies,
    )
    return "\n\n".join([heading(tr("Raters"), number=5), intro, _overall_level(result, tr)])


def _overall_level(result: DispersionResult, tr: Lang) -> str:
    """How the units' overall levels are spread, the extremes without names (public pages do not rank named
    units: the level mixes generosity with what a unit knows, and the labels are the source's unexplained
    abbreviations; no unit's value is published)."""
    spread = overall_level_spread(result.raters, result.sets, result.collapse_copies, result.small_areas)
    if not spread:
        return ""
    return render("dispersion-overall-level.md.j2", tr, spread=spread, small=bool(result.small_areas))


def section_exclusion(tr: Lang) -> str:
    return "\n\n".join(["### " + tr("What changes without the straight-liners"), render("dispersion-exclusion-intro.md.j2", tr)])


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
            "one row per method: the stakeholder-minus-expert difference in the areas with at least five raters, with its unit, number of clusters, interval and p-value"
        ),
        "raters.csv": tr(
            "one row per stakeholder unit: areas, questionnaires, copies (copy_of), answers the same as another label's "
            "(same_answers_as) and straight-lining; no unit's overall level (see section 5)"
        ),
        "straightliner-exclusion.csv": tr("one row per area: results with and without the straight-liners"),
        "rater-variance.csv": tr("one row per area: the variance of the answers split into raters' overall level, dimension and the rest"),
        "duplicate-sensitivity.csv": tr("one row per area: results with every questionnaire and without the likely duplicates"),
    }
    listed = [f"* `{name}`: {rows[name]}" for name in result.downloads()]
    return "\n\n".join(
        [
            heading(tr("Downloads")),
            render("dispersion-downloads-intro.md.j2", tr),
            "\n".join(listed),
        ]
    )


def run_note(result: DispersionResult, tr: Lang) -> str:
    """The run's settings, from its parameters (``result.params``; ``templates/dispersion-run-note.md.j2``)."""
    areas, _ = names(tr)
    p = result.params
    return render(
        "dispersion-run-note.md.j2",
        tr,
        areas=[areas.get(a, a) for a in p.areas] if p.areas else [],
        exclude=Markup(tr.yes_no(p.exclude_straightliners)),  # the code's own translated word
        collapse=Markup(tr.yes_no(p.collapse_copies)),
        n_boot=p.n_boot,
        seed=str(p.seed),
    )


# --- figure titles and alt texts -----------------------------------------------------------


def strip_title(result: DispersionResult, tr: Lang) -> str:
    test = result.paired_test
    if not test["n_cells"]:  # no question of an area with at least five raters to count
        return tr("Stakeholders' scores per area and dimension, with the expert's")
    compared = result.comparison[~result.comparison["small_group"]]
    return tr(
        "Stakeholders' scores spread over several levels; of the {cells} questions of areas with at least five raters, "
        "their mean lies above the expert's in {higher}, their median in {median}",
        higher=tr.int(test["n_higher"]),
        cells=tr.int(test["n_cells"]),
        median=tr.int((compared["stakeholder_median"] > compared["expert_mid"]).sum()),
    )


def strip_alt(result: DispersionResult, tr: Lang) -> str:
    large = result.cells[~result.cells["small_group"]]
    return (
        strip_title(result, tr)
        + ". "
        + tr(
            "Dot plot of every stakeholder score per area and dimension with the stakeholders' mean and the expert's "
            "score; in {k} of {m} questions of areas with at least five raters the answers take three or more different levels.",
            k=tr.int((large["range"] >= 2).sum()),
            m=tr.int(len(large)),
        )
    )


def heatmap_title(result: DispersionResult, tr: Lang) -> str:
    areas, dims = names(tr)
    # The extremes of the areas with at least five raters, like every summary (all areas when none has five).
    cells = _large_cells(result)
    top, low = cells.loc[cells["mean"].idxmax()], cells.loc[cells["mean"].idxmin()]
    values = dict(
        low=tr.num(low["mean"], 1),
        low_area=area_label(low["area"], tr, result.small_areas),
        low_dimension=dims.get(low["dimension"], low["dimension"]),
        high=tr.num(top["mean"], 1),
        high_area=area_label(top["area"], tr, result.small_areas),
        high_dimension=dims.get(top["dimension"], top["dimension"]),
    )
    if len(cells) < len(result.cells):
        return tr(
            "Mean level in areas with at least five raters from {low} ({low_area}, {low_dimension}) to {high} ({high_area}, {high_dimension}); ± standard deviation",
            **values,
        )
    return tr("Mean level from {low} ({low_area}, {low_dimension}) to {high} ({high_area}, {high_dimension}); ± standard deviation", **values)


def heatmap_alt(result: DispersionResult, tr: Lang) -> str:
    return (
        heatmap_title(result, tr)
        + ". "
        + tr(
            "Heat map of the stakeholders' mean level per area (rows) and dimension (columns); in areas with at least five raters the largest standard deviation is {sd} levels.",
            sd=tr.num(_large_cells(result)["sd"].max(), 1),
        )
    )


def _large_cells(result: DispersionResult) -> pd.DataFrame:
    """The questions of areas with at least five raters, or every question when no area has five."""
    large = result.cells[~result.cells["small_group"]]
    return large if len(large) else result.cells


def variance_intro(tr: Lang) -> str:
    """What the variance decomposition asks, before the agreement statistics (``templates/dispersion-variance-intro.md.j2``)."""
    return render("dispersion-variance-intro.md.j2", tr)


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
    """Section 5: the likely duplicates and what changes without them, a sensitivity, not a removal
    (``templates/dispersion-duplicates-note.md.j2``)."""
    if not result.counts["likely_duplicates"]:
        return render("dispersion-duplicates-note.md.j2", tr, n=0)
    return render("dispersion-duplicates-note.md.j2", tr, **_duplicates_values(result))


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
    if not test["n_cells"]:  # no question of an area with at least five raters to count
        return tr("Points above the dashed line: stakeholders rate higher than the expert")
    return tr(
        "Points above the dashed line: the stakeholders' mean is higher than the expert's score ({higher} of the {cells} questions of areas with at least five raters)",
        higher=tr.int(test["n_higher"]),
        cells=tr.int(test["n_cells"]),
    )


def expert_alt(result: DispersionResult, tr: Lang) -> str:
    boot = result.gap(METHOD_BOOTSTRAP)
    if np.isnan(boot["estimate"]):
        return (
            expert_title(result, tr)
            + ". "
            + tr("Scatter plot of the stakeholders' mean against the expert's score, one point per area and dimension.")
        )
    return (
        expert_title(result, tr)
        + ". "
        + tr(
            "Scatter plot of the stakeholders' mean against the expert's score, one point per area and dimension; "
            "counting each rater once, in the areas with at least five raters, the stakeholders score {gap} levels relative to the expert.",
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
        "kendall": tr("Kendall's W (1 = same order; random orders give about 1 / raters)"),
        "alpha": tr("Krippendorff's alpha (1 = agree, 0 = no more than reshuffled answers)"),
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
        METHOD_WILCOXON: tr("Wilcoxon signed-rank over questions (estimate: Hodges–Lehmann pseudo-median; ignores clustering; descriptive)"),
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
    """Five columns, so the table fits a phone's width: label, areas, questionnaires, copies, straight-lined.
    In alphabetical order of the labels and without a unit's mean: public pages do not rank named units by their
    overall level (a sortable mean column would; it is in raters.csv, and section 5 describes its spread without
    names)."""
    areas, _ = names(tr)
    raters = result.raters.iloc[sorted(range(len(result.raters)), key=lambda i: _alphabetical(result.raters["rater_labels"].iloc[i]))]
    frame = pd.DataFrame(
        {
            tr("Rater"): raters["rater_labels"],
            tr("Areas"): ["; ".join(area_label(a, tr, result.small_areas) for a in text.split("; ")) for text in raters["areas"]],
            tr("Questionnaires"): raters["n_sets"].astype(int),
            tr("Copies"): raters["copies"].astype(int),
            tr("Straight-lined"): raters["straightliner"].astype(bool),
        }
    )
    formats = {
        tr("Rater"): "text",
        tr("Areas"): "text",
        tr("Questionnaires"): "int",
        tr("Copies"): "int",
        tr("Straight-lined"): "yesno",
    }
    return frame, formats


def _alphabetical(label: str) -> tuple:
    """A sort key for labels in alphabetical order, Polish letters beside their base letters (UKŚ after UKS, not
    after Z), case ignored."""
    import unicodedata

    base = unicodedata.normalize("NFD", label.replace("Ł", "L").replace("ł", "l"))
    return ("".join(c for c in base if not unicodedata.combining(c)).casefold(), label)


def exclusion_table(result: DispersionResult, tr: Lang) -> tuple[pd.DataFrame, dict]:
    exclusion = result.exclusion
    small = list(exclusion.loc[exclusion["small_group"], "area"])
    frame = pd.DataFrame(
        {
            tr("Area"): [area_label(a, tr, small) for a in exclusion["area"]],
            tr("Raters, all"): exclusion["n_raters_all"].astype(int),
            # Areas that fall under five raters without the straight-liners: their "without" results are marked
            # like a small group's (a methodologist found W and alpha of 3 and 4 raters shown unmarked).
            tr("Raters, without"): [
                f"{tr.int(n)} {SMALL_MARK}" if n < MIN_RATERS_FOR_AGREEMENT else tr.int(n) for n in exclusion["n_raters_without"].astype(int)
            ],
            tr("Mean, all"): exclusion["mean_all"],
            tr("Mean, without"): exclusion["mean_without"],
            tr("W, all"): exclusion["kendall_w_all"],
            tr("W, without"): exclusion["kendall_w_without"],
            tr("Alpha, all"): exclusion["alpha_all"],
            tr("Alpha, without"): exclusion["alpha_without"],
        }
    )
    formats = {header: "num2" for header in frame.columns[3:]}
    formats.update({tr("Raters, all"): "int", tr("Raters, without"): "text"})
    return frame, formats


def caption(tr: Lang, table: str) -> str:
    """The title (``<caption>``) of each table of the page, by the table's key."""
    titles = {
        "cells": lambda: tr("Stakeholders' scores for each area and dimension: centre and spread"),
        "variance": lambda: tr("What the differences between answers come from, per area"),
        "agreement": lambda: tr("Agreement measures per area"),
        "gap_tests": lambda: tr("The stakeholders' scores minus the expert's, areas with at least five raters: four methods"),
        "comparison": lambda: tr("The expert's score beside the stakeholders', per area and dimension"),
        "raters": lambda: tr("Every rating unit, by label: how many areas it answered, its copies and straight-lining"),
        "duplicates": lambda: tr("Each area with and without probable duplicates"),
        "exclusion": lambda: tr("Each area with and without straight-lined questionnaires"),
    }
    return titles[table]()


def small_note(tr: Lang) -> str:
    return tr("{mark} fewer than five raters: shown, not counted in summaries", mark=SMALL_MARK)


def exclusion_note(tr: Lang) -> str:
    return tr(
        "{small}; “without”: without the straight-lined questionnaires; {mark} beside “Raters, without”: fewer than five raters "
        "remain, so the results without them are marked like a small group's, not counted in summaries",
        small=small_note(tr),
        mark=SMALL_MARK,
    )


def row_classes(area_ids, small_areas) -> list[str]:
    small = set(small_areas)
    return ["small-group" if a in small else "" for a in area_ids]
