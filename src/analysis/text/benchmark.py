"""The prose of the benchmark report, in the page's language.

Every function takes a :class:`~analysis.methods.benchmark.BenchmarkResult` and a translator
``tr`` (:class:`analysis.text.i18n.Lang`) and returns Markdown or a reader's table. Names
of indicators and themes come from :mod:`analysis.data.labels` (Polish as printed in the
source); every data-derived string is passed through :func:`md_escape`.
"""

from __future__ import annotations

import pandas as pd

from analysis.data import labels
from analysis.data.cities import city_slug
from analysis.methods import benchmark as benchmark_method
from analysis.methods import robustness, screening
from analysis.text.common import flag_marker, heading, indicator_name, md_escape, theme_name, unit_label  # noqa: F401  (the notebook uses them as text.*)
from analysis.text.i18n import Lang
from analysis.text.screening import describe_flags, flag_message


def names(tr: Lang) -> tuple[dict, dict]:
    """(indicator names by code, theme names by English theme) in ``tr``'s language."""
    return labels.indicator_names(tr.lang), labels.theme_names(tr.lang)


def sections(tr: Lang) -> dict[str, str]:
    """The ``##`` headings of the report, in order."""
    return {
        "strengths": tr("Strengths and weaknesses"),
        "robustness": tr("How robust the ranks are"),
        "coverage": tr("Coverage and vintage of the data"),
        "scores": tr("Every score at a glance"),
        "themes": tr("Theme by theme"),
        "flags": tr("Screening of the source values"),
        "method": tr("Method and downloads"),
    }


_theme = theme_name
_indicator = indicator_name
_flag_marker = flag_marker


def title(result, tr: Lang) -> str:
    """The page's ``#`` title."""
    return "# " + tr("ISO 37120 benchmark of {city} against its peers", city=md_escape(result.focal_city))


# A theme or rank is called robust only when it holds in at least this share of the variants.
ROBUST_SHARE = 2 / 3


def _extreme_theme_sentences(themes: pd.DataFrame, shares: pd.Series, tr: Lang, *, best: bool, city: str, n_var: int) -> list[str]:
    """The sentence on the focal city's strongest (``best``) or weakest theme, saying plainly
    when the report's choice of it does not hold in at least :data:`ROBUST_SHARE` of the
    variants, and which theme takes that place more often."""
    order = themes.sort_values(["score_minmax", "theme"], ascending=[not best, True])
    nominal = order.iloc[0]
    share = float(shares.get(nominal["theme"], 0.0))
    name = f"**{md_escape(_theme(nominal['theme'], tr))}**"
    values = dict(theme=name, city=city, score=tr.int(nominal["score_minmax"]), share=tr.share(share), n=tr.int(n_var))
    if best and share >= ROBUST_SHARE:
        sentences = [
            tr(
                "{theme} is the strongest theme of {city} (score {score} of 100) and stays the strongest in {share} of {n} variants of the analysis.",
                **values,
            )
        ]
    elif best:
        sentences = [
            tr(
                "{city} scores highest on {theme} (score {score} of 100), but this is not a robust result: it is the strongest theme in only {share} of {n} variants of the analysis.",
                **values,
            )
        ]
    elif share >= ROBUST_SHARE:
        sentences = [tr("Its weakest theme is {theme} (score {score} of 100), and it stays the weakest in {share} of the variants.", **values)]
    else:
        sentences = [
            tr(
                "Its lowest score is on {theme} (score {score} of 100), but this is not robust: it is the weakest theme in only {share} of the variants.",
                **values,
            )
        ]
    rivals = shares.drop(nominal["theme"], errors="ignore")
    rivals = rivals[rivals > share]
    if not rivals.empty:
        rival = rivals.sort_values(ascending=False).index[0]
        rival_values = dict(theme=f"**{md_escape(_theme(rival, tr))}**", share=tr.share(rivals[rival]))
        if best:
            sentences.append(tr("{theme} comes out strongest more often (in {share} of the variants).", **rival_values))
        else:
            sentences.append(tr("{theme} comes out weakest more often (in {share} of the variants).", **rival_values))
    return sentences


def headline(result, tr: Lang) -> str:
    """The opening paragraph: where the focal city stands, each claim with its robustness."""
    focal = md_escape(result.focal_city)
    robust = result.robustness
    n_var = robust.n_variants
    summary = result.summary
    themes = result.theme_scores[(result.theme_scores["city"] == result.focal_city) & result.theme_scores["scored"]]
    sentences = [
        tr(
            "{city} compared with {peers} on {n} ISO 37120 indicators.",
            city=f"**{focal}**",
            peers=tr.join(md_escape(p) for p in result.peers),
            n=tr.int(summary["code"].nunique()),
        )
    ]
    if not themes.empty:
        sentences += _extreme_theme_sentences(themes, robust.share_best_theme(), tr, best=True, city=focal, n_var=n_var)
        sentences += _extreme_theme_sentences(themes, robust.share_worst_theme(), tr, best=False, city=focal, n_var=n_var)
    overall = robust.summary[(robust.summary["city"] == result.focal_city) & (robust.summary["theme"] == "overall")]
    if not overall.empty and pd.notna(overall.iloc[0]["rank_nominal"]):
        row = overall.iloc[0]
        values = dict(
            rank=tr.int(row["rank_nominal"]),
            n=tr.int(len(result.peers) + 1),
            low=tr.int(row["rank_p05"]),
            high=tr.int(row["rank_p95"]),
            p90=tr.pct(90),
        )
        if row["rank_p05"] == row["rank_p95"]:
            sentences.append(
                tr(
                    "On the overall score (the mean of the theme scores) its rank is {rank} of {n} cities, and it keeps this rank in at least {p90} of the variants.",
                    **values,
                )
            )
        else:
            sentences.append(
                tr(
                    "On the overall score (the mean of the theme scores) its rank is {rank} of {n} cities; in at least {p90} of the variants it lies between {low} and {high}.",
                    **values,
                )
            )
    alone = int((summary["first_place"] == "alone").sum())
    shared = int((summary["first_place"] == "shared").sum())
    sentences.append(
        tr(
            "It is alone in first place on {alone} and shares first place on {shared} of the indicators where the cities differ.",
            alone=tr.int(alone),
            shared=tr.int(shared),
        )
    )
    sentences.append(median_sentence(summary, result.parameters["min_gap"], tr))
    n_excluded = int(result.table["excluded"].sum())
    n_warned = int((result.table["flag"] == "warning").sum())
    sentences.append(
        tr.plural(
            "Screening of the source table left out {n} value that cannot be right as printed",
            "Screening of the source table left out {n} values that cannot be right as printed",
            n_excluded,
            n=tr.int(n_excluded),
        )
        + " "
        + tr.plural("and marked {n} doubtful value (⚠).", "and marked {n} doubtful values (⚠).", n_warned, n=tr.int(n_warned))
    )
    return " ".join(sentences)


def median_sentence(summary: pd.DataFrame, min_gap: float, tr: Lang) -> str:
    """Comparable indicators clearly above, clearly below and level with the peer median
    (:func:`analysis.methods.benchmark.median_comparison`), with the margin that makes a gap clear."""
    from analysis.methods.benchmark import MIN_ABS_GAP_BY_UNIT, median_comparison

    counts = median_comparison(summary, min_gap)
    values = {key: tr.int(value) for key, value in counts.items()}
    values["margin"] = tr.share(min_gap)
    # The absolute minimum for shares applies only when such an indicator is among those compared.
    shares = bool((summary["unit"].isin(list(MIN_ABS_GAP_BY_UNIT)) & summary["better_than_median"].notna()).any())
    if shares:
        return tr(
            "Of {compared} comparable indicators, it is clearly better than the peer median on {better}, clearly worse on {worse}, and level with it on {level} (a gap under {margin} of the median, or under one percentage point for shares).",
            **values,
        )
    return tr(
        "Of {compared} comparable indicators, it is clearly better than the peer median on {better}, clearly worse on {worse}, and level with it on {level} (a gap under {margin} of the median).",
        **values,
    )


def top_claims(result, tr: Lang, kind: str, limit: int = 3) -> pd.DataFrame:
    """At most ``limit`` strengths (``kind='strength'``) or weaknesses, as a reader's table.

    The first screen makes only claims that survive the screening: values flagged
    ``warning`` are left to the full tables (where they carry their marker).
    """
    frame = result.strengths if kind == "strength" else result.weaknesses
    frame = frame[frame["flag"] != "warning"].head(limit)
    return pd.DataFrame(
        {
            tr("Indicator"): [_indicator(code, tr) + _flag_marker(flag) for code, flag in zip(frame["code"], frame["flag"])],
            tr("Theme"): [_theme(theme, tr) for theme in frame["theme"]],
            tr("Unit of measure"): [unit_label(u, tr) for u in frame["unit"]],
            result.focal_city: list(frame["value"]),
            tr("Peer median"): list(frame["peer_median"]),
            tr("Robust in"): list(frame["robust_share"]),
        }
    )


def claim_formats(result, tr: Lang) -> dict:
    return {result.focal_city: "auto", tr("Peer median"): "auto", tr("Robust in"): "share0"}


def claims_note(result, tr: Lang) -> str:
    """How to read the strengths and weaknesses tables."""
    return tr(
        "A strength or weakness needs a material gap to the peer median: at least {gap} of the median and, for shares, at least one percentage point. “Robust in” is the share of the analysis variants in which the indicator stays among the city's {top} best (or worst). ⚠ marks a doubtful source value (see the screening section).",
        gap=tr.share(result.parameters["min_gap"]),
        top=tr.int(result.parameters["top_n"]),
    )


def strengths_table(result, tr: Lang, kind: str) -> pd.DataFrame:
    """Every listed strength or weakness with rank, score and flag."""
    frame = result.strengths if kind == "strength" else result.weaknesses
    return pd.DataFrame(
        {
            tr("Code"): list(frame["code"]),
            tr("Indicator"): [_indicator(code, tr) + _flag_marker(flag) for code, flag in zip(frame["code"], frame["flag"])],
            tr("Unit of measure"): [unit_label(u, tr) for u in frame["unit"]],
            tr("Value"): list(frame["value"]),
            tr("Year"): list(frame["year"]),
            tr("Peer median"): list(frame["peer_median"]),
            tr("Rank"): list(frame["rank"]),
            tr("Cities ranked"): list(frame["n_ranked"]),
            tr("z-score"): list(frame["score_z"]),
            tr("Robust in"): list(frame["robust_share"]),
        }
    )


def strengths_formats(tr: Lang) -> dict:
    return {
        tr("Value"): "auto",
        tr("Peer median"): "auto",
        tr("Rank"): "int",
        tr("Cities ranked"): "int",
        tr("z-score"): "num1",
        tr("Robust in"): "share0",
        tr("Year"): "year",
    }


def robustness_intro(result, tr: Lang) -> str:
    robust = result.robustness
    top = robust.sensitivity.iloc[0]
    return tr(
        "Each rank was recomputed under {n} variants of the analysis: four normalisations, three ways to aggregate a theme, missing values left out or imputed, flagged values kept or left out, contested polarities as curated or not ranked, all reference years or only recent ones, equal or random weights, and each indicator left out in turn. The choice that moves {city}'s ranks most is: {choice} (mean shift {shift} places).",
        n=tr.int(robust.n_variants),
        city=md_escape(result.focal_city),
        choice=choice_name(top["choice"], tr),
        shift=tr.num(top["mean_abs_rank_shift"], 2),
    )


def choice_name(choice: str, tr: Lang) -> str:
    return {
        "normalisation": tr("normalisation"),
        "aggregation": tr("aggregation within a theme"),
        "missing": tr("treatment of missing values"),
        "exclude": tr("treatment of flagged values"),
        "polarity": tr("contested polarities"),
        "years": tr("reference years"),
        "weights": tr("indicator weights"),
        "leave_one_out": tr("leaving one indicator out"),
    }.get(choice, choice)


def robustness_table(result, tr: Lang) -> pd.DataFrame:
    """The focal city's rank per theme: nominal, median, 5–95 % range, share of variants ranked first."""
    summary = result.robustness.summary
    focal = summary[summary["city"] == result.focal_city]
    theme_label = {**names(tr)[1], "overall": tr("Overall score")}
    return pd.DataFrame(
        {
            tr("Theme"): [theme_label.get(t, t) for t in focal["theme"]],
            tr("Rank in the report"): list(focal["rank_nominal"]),
            tr("Median rank"): list(focal["rank_median"]),
            tr("Best rank (5th percentile)"): list(focal["rank_p05"]),
            tr("Worst rank (95th percentile)"): list(focal["rank_p95"]),
            tr("Ranked first in"): list(focal["share_rank_1"]),
        }
    )


def robustness_formats(tr: Lang) -> dict:
    return {
        tr("Rank in the report"): "int",
        tr("Median rank"): "num1",
        tr("Best rank (5th percentile)"): "int",
        tr("Worst rank (95th percentile)"): "int",
        tr("Ranked first in"): "share0",
    }


def sensitivity_table(result, tr: Lang) -> pd.DataFrame:
    sensitivity = result.robustness.sensitivity
    return pd.DataFrame(
        {
            tr("Choice"): [choice_name(c, tr) for c in sensitivity["choice"]],
            tr("Mean rank shift (places)"): list(sensitivity["mean_abs_rank_shift"]),
            tr("Ranks changed"): list(sensitivity["share_changed"]),
        }
    )


def sensitivity_formats(tr: Lang) -> dict:
    return {tr("Mean rank shift (places)"): "num2", tr("Ranks changed"): "share0"}


def coverage_table(result, tr: Lang) -> pd.DataFrame:
    coverage = result.coverage
    return pd.DataFrame(
        {
            tr("City"): list(coverage["city"]),
            tr("Reported"): list(coverage["reported"]),
            tr("No data"): list(coverage["missing"]),
            tr("Share reported"): list(coverage["share_reported"]),
            tr("Oldest year"): list(coverage["oldest_year"]),
            tr("Newest year"): list(coverage["newest_year"]),
            tr("Values without a year"): list(coverage["without_year"]),
        }
    )


def coverage_formats(tr: Lang) -> dict:
    return {
        tr("Reported"): "int",
        tr("No data"): "int",
        tr("Share reported"): "share0",
        tr("Oldest year"): "year",
        tr("Newest year"): "year",
        tr("Values without a year"): "int",
    }


def vintage_note(result, tr: Lang) -> str:
    gap = result.parameters["max_year_gap"]
    gaps = result.table[result.table["year_flag"] == "gap"]
    if gaps.empty:
        return tr.plural(
            "No peer value is more than {gap} year away from {city}'s reference year.",
            "No peer value is more than {gap} years away from {city}'s reference year.",
            gap,
            gap=tr.int(gap),
            city=md_escape(result.focal_city),
        )
    lines = [
        tr.plural(
            "Values more than {gap} year away from {city}'s year (hatched in the figure); read these comparisons with care:",
            "Values more than {gap} years away from {city}'s year (hatched in the figure); read these comparisons with care:",
            gap,
            gap=tr.int(gap),
            city=md_escape(result.focal_city),
        ),
        "",
    ]
    for city, codes in gaps.groupby("city", sort=False)["code"]:
        lines.append(f"* **{md_escape(city)}** ({tr.int(len(codes))}): {md_escape(', '.join(codes))}")
    return "\n".join(lines)


def theme_table(result, theme: str, tr: Lang) -> pd.DataFrame:
    """Every indicator of ``theme``: the focal city's value, rank, peer median and flag."""
    rows = result.summary[result.summary["theme"] == theme]
    polarity = {"higher": tr("higher"), "lower": tr("lower"), "neutral": tr("not ranked")}
    return pd.DataFrame(
        {
            tr("Code"): list(rows["code"]),
            tr("Indicator"): [_indicator(code, tr) + _flag_marker(flag) for code, flag in zip(rows["code"], rows["flag"])],
            tr("Unit of measure"): [unit_label(u, tr) for u in rows["unit"]],
            tr("Better"): [polarity[p] for p in rows["polarity"]],
            tr("Value"): list(rows["value"]),
            tr("Year"): list(rows["year"]),
            tr("Rank"): list(rows["rank"]),
            tr("Cities ranked"): list(rows["n_ranked"]),
            tr("Peer median"): list(rows["peer_median"]),
            tr("Gap to median"): list(rows["gap_to_peer_median"]),
            tr("Note"): [
                tr("left out: {reason}", reason=_translated_reason(result, code, tr)) if excluded else ""
                for code, excluded in zip(rows["code"], rows["excluded"])
            ],
        }
    )


def theme_row_classes(result, theme: str) -> list[str]:
    """CSS class per row of :func:`theme_table`: ``excluded`` (shown greyed) or ``flagged``."""
    rows = result.summary[result.summary["theme"] == theme]
    return ["excluded" if excluded else ("flagged" if flag == "warning" else "") for excluded, flag in zip(rows["excluded"], rows["flag"])]


def theme_formats(tr: Lang) -> dict:
    return {
        tr("Value"): "auto",
        tr("Year"): "year",
        tr("Rank"): "int",
        tr("Cities ranked"): "int",
        tr("Peer median"): "auto",
        tr("Gap to median"): "signed_auto",
        tr("Note"): "text",
    }


def _translated_reason(result, code: str, tr: Lang) -> str:
    flags = result.quality_flags
    hit = flags[(flags["code"] == code) & (flags["city"] == result.focal_city)]
    return flag_message(hit.iloc[0].to_dict(), tr) if not hit.empty else ""


def flags_intro(result, tr: Lang) -> str:
    counts = result.quality_flags["severity"].value_counts()
    return tr(
        "Every printed value was screened by rules: shares outside 0–100%, shares of one whole adding up to more than the whole, relations between indicators (declared with a reason in data/raw/indicator_relations.csv), outliers an order of magnitude from the other cities, cities of one country disagreeing five-fold, the same value printed for two cities, values that do not fit their unit, labels that differ from the ISO definition, and values without a reference year. Flags raised — errors: {errors}; warnings: {warnings}; notes: {notes} (one value can carry several flags, so these are not counts of values). Errors are {treatment}.",
        errors=tr.int(counts.get("error", 0)),
        warnings=tr.int(counts.get("warning", 0)),
        notes=tr.int(counts.get("note", 0)),
        treatment=exclude_name(result.parameters["exclude_flagged"], tr),
    )


def exclude_name(exclude_flagged: str, tr: Lang) -> str:
    return {
        "errors": tr("left out of ranks and scores, warnings kept and marked"),
        "none": tr("kept, like every other flagged value"),
        "errors+warnings": tr("left out of ranks and scores, and so are warnings"),
    }[exclude_flagged]


def exclude_setting(exclude_flagged: str, tr: Lang) -> str:
    """The ``exclude_flagged`` parameter in words (the method note shows no parameter codes)."""
    return {"errors": tr("errors"), "none": tr("none"), "errors+warnings": tr("errors and warnings")}[exclude_flagged]


def flags_table(result, tr: Lang) -> pd.DataFrame:
    flags = result.quality_flags
    severity = {"error": tr("error"), "warning": tr("warning"), "note": tr("note")}
    return pd.DataFrame(
        {
            tr("Code"): list(flags["code"]),
            tr("Indicator"): [_indicator(code, tr) for code in flags["code"]],
            tr("City"): list(flags["city"]),
            tr("As printed"): list(flags["raw"]),
            tr("Severity"): [severity[s] for s in flags["severity"]],
            tr("Why"): [flag_message(row, tr) for row in flags.to_dict("records")],
        }
    )


def method_note(result, tr: Lang) -> str:
    p = result.parameters
    return "\n\n".join(
        [
            tr(
                "Focal city {city}; peers {peers}; maximum year gap {gap}; minimum theme coverage {coverage}; flagged values left out: {exclude}; minimum gap {min_gap}; {n} variants (seed {seed}).",
                city=md_escape(result.focal_city),
                peers=tr.join(md_escape(x) for x in result.peers),
                gap=tr.int(p["max_year_gap"]),
                coverage=tr.share(p["min_coverage"]),
                exclude=exclude_setting(p["exclude_flagged"], tr),
                min_gap=tr.share(p["min_gap"]),
                n=tr.int(result.robustness.n_variants),
                seed=md_escape(p["seed"]),
            ),
            tr(
                "Ranks: 1 is best by the indicator's polarity; ties share the best rank; rows where every city prints the same value are not ranked; neutral indicators are not ranked. Polarity follows one written rule: inputs such as staff, beds and officers are not ranked; contested polarities are tested in the robustness analysis. Min-max scores (0–100) and z-scores are computed over the cities with a usable value; a theme score is the mean min-max score of its indicators, the overall score the mean of the theme scores."
            ),
            tr(
                "Downloads (CSV, next to this page in data/): every indicator and city with rank, scores, flag and whether it was left out; the theme scores; the screening flags; the rank robustness per city and theme; the strengths and weaknesses with their robustness."
            ),
        ]
    )


def figure_alt(title: str, summary: str) -> str:
    """Alt text: the figure's title and one sentence on what it shows."""
    return f"{title}. {summary}"


def theme_scores_alt(result, tr: Lang) -> str:
    themes = result.theme_scores[(result.theme_scores["city"] == result.focal_city) & result.theme_scores["scored"]]
    title = tr("Theme scores of every city")
    if themes.empty:
        return figure_alt(title, tr("No theme has enough data for a score."))
    best = themes.sort_values("score_minmax", ascending=False).iloc[0]
    return figure_alt(
        title,
        tr(
            "{city} scores highest on {theme} ({score} of 100).",
            city=result.focal_city,
            theme=_theme(best["theme"], tr),
            score=tr.int(best["score_minmax"]),
        ),
    )


def rank_uncertainty_alt(result, tr: Lang) -> str:
    summary = result.robustness.summary
    focal = summary[(summary["city"] == result.focal_city) & (summary["theme"] != "overall")]
    stable = int((focal["rank_p05"] == focal["rank_p95"]).sum())
    return figure_alt(
        tr("Rank of {city} per theme across the variants", city=result.focal_city),
        tr("The rank holds in at least 90% of the variants on {stable} of {n} themes.", stable=tr.int(stable), n=tr.int(len(focal))),
    )


def theme_label(theme: str, tr: Lang) -> str:
    """A theme's name in ``tr``'s language (Polish as printed in the source)."""
    return _theme(theme, tr)


def vintage_alt(result, tr: Lang) -> str:
    gaps = int((result.table["year_flag"] == "gap").sum())
    return figure_alt(
        tr("Which year each value describes"),
        tr.plural(
            "Peer values describing a year more than {gap} year away from {city}'s: {n}.",
            "Peer values describing a year more than {gap} years away from {city}'s: {n}.",
            result.parameters["max_year_gap"],
            n=tr.int(gaps),
            gap=tr.int(result.parameters["max_year_gap"]),
            city=result.focal_city,
        ),
    )


def score_heatmap_alt(result, tr: Lang) -> str:
    focal = result.table[(result.table["city"] == result.focal_city) & result.table["score_minmax"].notna() & (result.table["polarity"] != "neutral")]
    best = int((focal["score_minmax"] == 100).sum())
    return figure_alt(
        tr("Min-max score of every city on every ranked indicator"),
        tr(
            "{city} has the best score among the cities on {n} of {total} ranked indicators.",
            city=result.focal_city,
            n=tr.int(best),
            total=tr.int(len(focal)),
        ),
    )


def theme_dots_alt(result, theme: str, tr: Lang) -> str:
    from analysis.methods.benchmark import median_comparison

    counts = median_comparison(result.summary[result.summary["theme"] == theme], result.parameters["min_gap"])
    return figure_alt(
        tr("{theme}: where {city} stands among the cities", theme=theme_label(theme, tr), city=result.focal_city),
        tr(
            "Of {n} comparable indicators of this theme, {city} is clearly better than the peer median on {better} and clearly worse on {worse}.",
            city=result.focal_city,
            better=tr.int(counts["better"]),
            worse=tr.int(counts["worse"]),
            n=tr.int(counts["compared"]),
        ),
    )


def first_screen_note(result, tr: Lang, limit: int = 3) -> str:
    """One sentence under the first screen's tables: which of the shown strengths and weaknesses
    hold in fewer than :data:`ROBUST_SHARE` of the variants (said plainly), or that all hold."""
    shown = [frame[frame["flag"] != "warning"].head(limit) for frame in (result.strengths, result.weaknesses)]
    shown = pd.concat(shown, ignore_index=True)
    if shown.empty:
        return ""
    fragile = shown[shown["robust_share"].fillna(0) < ROBUST_SHARE]
    if fragile.empty:
        return tr("Each strength and weakness above holds in at least two thirds of the variants of the analysis.")
    names = tr.join(f"{md_escape(_indicator(code, tr))} ({tr.share(share)})" for code, share in zip(fragile["code"], fragile["robust_share"]))
    return tr.plural(
        "{n} of the claims above holds in fewer than two thirds of the variants of the analysis: {names}. Read it as an indication, not a firm result.",
        "{n} of the claims above hold in fewer than two thirds of the variants of the analysis: {names}. Read them as indications, not firm results.",
        len(fragile),
        n=tr.int(len(fragile)),
        names=names,
    )


def claims_caption(result, tr: Lang, kind: str) -> str:
    """Caption of the first screen's strengths (``kind='strength'``) or weaknesses table."""
    if kind == "strength":
        return tr("Strengths of {city} (at most three, without doubtful values)", city=result.focal_city)
    return tr("Weaknesses of {city} (at most three, without doubtful values)", city=result.focal_city)


def downloads(result) -> dict[str, pd.DataFrame]:
    """The CSV files a benchmark run publishes, by file name (English columns, codes, plain numbers;
    the quality flags with their reason in English)."""
    slug = city_slug(result.focal_city)
    return {
        f"benchmark-{slug}.csv": benchmark_method.download_table(result.table),
        f"benchmark-{slug}-themes.csv": result.theme_scores.round(4),
        f"benchmark-{slug}-quality-flags.csv": describe_flags(result.quality_flags)[screening.FLAG_COLUMNS + ["message"]],
        f"benchmark-{slug}-robustness.csv": robustness.download(result.robustness),
        f"benchmark-{slug}-strengths.csv": benchmark_method.strengths_download(result),
    }
