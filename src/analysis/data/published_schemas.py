"""Schemas of the published CSVs (``reports/data/``): what every download promises.

Each frame a notebook publishes goes through :func:`analysis.publish.reporting.write_tables`,
which validates it against the schema :func:`schema_for` names, so a table that
drifts from its schema fails when it is written. The same schemas describe the
tables in ``reports/data/datapackage.json`` (:mod:`analysis.data.datapackage`).

The CSVs are language-independent: English column names, codes, plain numbers.
"""

from __future__ import annotations

import pandera.pandas as pa

from analysis import config
from analysis.data.schemas import _CODE

_LEVEL = {"unit": "maturity level (1–5)"}
_SHARE = {"unit": "share (0–1)"}


def _text(description, *checks, nullable=False):
    return pa.Column(str, list(checks), nullable=nullable, description=description)


def _number(description, *checks, unit=None, nullable=True):
    return pa.Column(float, list(checks), nullable=nullable, description=description, metadata={"unit": unit} if unit else None)


def _count(description, *checks, nullable=False):
    return pa.Column("Int64", list(checks), nullable=nullable, description=description)


def _flag(description, nullable=False):
    return pa.Column("boolean", nullable=nullable, description=description)


_SEVERITIES = ("note", "warning", "error")
_AREA = _text("Thematic area of the smart-city diagnosis.", pa.Check.isin(config.AREAS))
_DIMENSION = _text("Dimension of the maturity model.", pa.Check.isin(config.DIMENSIONS))
_SMALL = _flag("True for an area with fewer than five raters (marked in every table, left out of summaries).")

# --- the benchmark of one city: benchmark-<city>*.csv -------------------------------------------------

BENCHMARK = pa.DataFrameSchema(
    {
        "code": _text("Canonical ISO 37120 indicator code.", pa.Check.str_matches(_CODE)),
        "theme": _text("ISO 37120 theme, in English."),
        "city": _text("City (the focal city and its peers).", pa.Check.str_length(min_value=1)),
        "value": _number("The city's value, in the unit of the column unit; empty when the source has no data."),
        "year": pa.Column(
            "Int64",
            pa.Check.in_range(1900, 2100),
            nullable=True,
            metadata={"type": "year"},
            description="Reference year of the value; empty when none was printed.",
        ),
        "rank": _count("Rank among the cities with a comparable value (1 = best); empty when not ranked.", pa.Check.ge(1), nullable=True),
        "n_ranked": _count("Number of cities ranked on this indicator; empty for an unranked (neutral) indicator.", pa.Check.ge(0), nullable=True),
        "score_minmax": _number("Min-max score, 0 (worst city) to 100 (best city), polarity applied.", unit="points (0–100)"),
        "score_z": _number("z-score across the ranked cities, polarity applied (positive is better).", unit="standard deviations"),
        "flag": _text("Most severe screening flag of the value (note, warning, error); empty when none.", pa.Check.isin(("", *_SEVERITIES))),
        "excluded": _flag("True when the value is left out of ranks and scores (its flag's severity is excluded)."),
        "year_flag": _text(
            "gap when the reference year is more than the allowed gap from the others, no year when none was printed; empty otherwise.",
            pa.Check.isin(("", "gap", "no year")),
        ),
        "polarity": _text("Which direction is better: higher, lower, or neutral (not ranked).", pa.Check.isin(config.POLARITIES)),
        "unit": _text("The unit of value."),
    },
    unique=["code", "city"],
    name="benchmark",
    coerce=True,
    strict=True,
    ordered=True,
    title="Benchmark: every indicator value with its rank and scores",
    description="One row per indicator and city of a city's ISO 37120 benchmark.",
)

BENCHMARK_THEMES = pa.DataFrameSchema(
    {
        "theme": _text("ISO 37120 theme, in English."),
        "city": _text("City.", pa.Check.str_length(min_value=1)),
        "n_indicators": _count("Indicators of the theme in the benchmark.", pa.Check.ge(0)),
        "n_reported": _count("Indicators of the theme the city reports a usable value for.", pa.Check.ge(0)),
        "score_minmax": _number("Mean min-max score of the theme's indicators (0–100).", unit="points (0–100)"),
        "score_z": _number("Mean z-score of the theme's indicators.", unit="standard deviations"),
        "coverage": _number("n_reported / n_indicators.", pa.Check.in_range(0, 1), unit="share (0–1)"),
        "scored": _flag("True when the coverage reaches the minimum and the theme is scored."),
        "rank": _count("Rank of the city on the theme (1 = best); empty when not scored.", pa.Check.ge(1), nullable=True),
        "n_better": _count(
            "Focal city only: indicators of the theme clearly better than the peer median (each construct once); empty for peers.",
            pa.Check.ge(0),
            nullable=True,
        ),
        "n_worse": _count("Focal city only: indicators clearly worse than the peer median (each construct once).", pa.Check.ge(0), nullable=True),
        "n_level": _count("Focal city only: indicators level with the peer median (each construct once).", pa.Check.ge(0), nullable=True),
        "verdict": _text(
            "Focal city only: better, worse or level when more than half of at least 3 comparable indicators are (level only "
            "with none clearly better or worse); otherwise partly better (partly worse) when some are clearly better (worse) "
            "and none the other way, mixed when some are each; debatable when every gap is on an indicator whose better "
            "direction is contested (such gaps make no verdict); too few with fewer than 3; empty for peers.",
            pa.Check.isin(("", "better", "worse", "level", "partly better", "partly worse", "mixed", "debatable", "too few")),
        ),
    },
    unique=["theme", "city"],
    name="benchmark_themes",
    coerce=True,
    strict=True,
    ordered=True,
    title="Benchmark: theme scores and verdicts",
    description="One row per theme and city: the theme's min-max score, coverage and rank; for the focal city, how many "
    "indicators are clearly better, clearly worse or level under the one verdict rule, and the theme's verdict.",
)

BENCHMARK_FLAGS = pa.DataFrameSchema(
    {
        "code": _text("Canonical ISO 37120 indicator code.", pa.Check.str_matches(_CODE)),
        "city": _text("City.", pa.Check.str_length(min_value=1)),
        "value": _number("The flagged value."),
        "raw": _text("The printed cell (or the city file's value), verbatim."),
        "rule": _text("The screening rule that flagged the value.", pa.Check.str_length(min_value=1)),
        "severity": _text("note, warning (the value carries ⚠) or error (left out of ranks and scores by default).", pa.Check.isin(_SEVERITIES)),
        "message": _text("One sentence on why the value was flagged, in English.", pa.Check.str_length(min_value=1)),
        "unit": _text("The indicator's unit (English, as in indicator_metadata.csv).", nullable=True),
        "other": _text(
            "What the rule compared the value with: the other city, indicator, group of shares or range (empty when none).", nullable=True
        ),
        "amount": _number("The rule's number: the shares' total, the ratio to the other value or median (empty when none)."),
    },
    name="benchmark_quality_flags",
    coerce=True,
    strict=True,
    ordered=True,
    title="Benchmark: screening of the source values",
    description="One row per flag raised on a source value (a value may carry several).",
    metadata={"foreign_keys": [{"fields": ["code", "city"], "resource": "benchmark"}]},
)

BENCHMARK_ROBUSTNESS = pa.DataFrameSchema(
    {
        "city": _text("City.", pa.Check.str_length(min_value=1)),
        "theme": _text("ISO 37120 theme, or the overall score."),
        "rank_nominal": _count("Rank with the report's settings.", pa.Check.ge(1), nullable=True),
        "rank_median": _number("Median rank over the analysis variants.", pa.Check.ge(1)),
        "rank_p05": _number("5th percentile of the rank over the variants.", pa.Check.ge(1)),
        "rank_p95": _number("95th percentile of the rank over the variants.", pa.Check.ge(1)),
        "n_variants": _count("Number of variants in which the city was ranked on this theme.", pa.Check.ge(0)),
        r"^share_rank_\d+$": pa.Column(
            float,
            pa.Check.in_range(0, 1),
            nullable=True,
            regex=True,
            metadata=_SHARE,
            description="Share of the variants in which the city takes this rank.",
        ),
    },
    unique=["city", "theme"],
    name="benchmark_robustness",
    coerce=True,
    strict=True,
    ordered=True,
    title="Benchmark: robustness of the ranks",
    description="One row per city and theme: the rank over the variants of normalisation, aggregation, missing "
    "values, doubtful values, contested polarities, reference years and weights.",
)

# Whether higher or lower is better is debatable for the indicator (polarity_confidence in data/raw/indicator_metadata.csv): the page says such a
# clear gap is neither a strength nor a weakness, so the tables that call it one say so too (an editor found the
# workbook's "strength" for fewer cars beside the page's "debatable").
_CONTESTED = _flag("True where whether a higher or a lower value is better is debatable (indicator_metadata.csv, polarity_confidence contested).")

BENCHMARK_STRENGTHS = pa.DataFrameSchema(
    {
        "kind": _text(
            "strength or weakness of the focal city in the direction the main calculation assumes; where direction_contested is "
            "True the page counts it as neither, but as a clear difference whose better direction is debatable (an analyst: "
            "kind=strength beside the page's 'no strengths were found').",
            pa.Check.isin(("strength", "weakness")),
        ),
        "code": _text("Canonical ISO 37120 indicator code.", pa.Check.str_matches(_CODE)),
        "value": _number("The focal city's value.", nullable=False),
        "peer_median": _number("Median of the peers' values, leaving out those that cannot be right as printed and those flagged doubtful."),
        "gap": _number("value minus peer_median, in the indicator's unit."),
        "score_z": _number("The focal city's z-score (positive is better).", unit="standard deviations"),
        "flag": _text("Most severe screening flag of the value; empty when none.", pa.Check.isin(("", *_SEVERITIES))),
        "robust_share": _number(
            "Share of the claim variants (peers' doubtful values kept or left out, contested polarities kept or not ranked, peer "
            "values of too distant a year kept or left out, each peer left out in turn, a material gap two thirds as large or half as large again; "
            "never an error re-admitted) in which the indicator stays materially better (strength) or worse (weakness).",
            pa.Check.in_range(0, 1),
            unit="share (0–1)",
        ),
        "ranked_share": _number(
            "Share of the claim variants that rank the indicator's direction in which it stays materially better or worse: "
            "robust_share for an indicator of agreed direction; where the direction is contested, the variants that do not "
            "rank it are left out of the base (half of them), as the page's confidence words and tables count it.",
            pa.Check.in_range(0, 1),
            unit="share (0–1)",
        ),
        "direction_contested": _CONTESTED,
    },
    unique=["kind", "code"],
    name="benchmark_strengths",
    coerce=True,
    strict=True,
    ordered=True,
    title="Benchmark: strengths and weaknesses",
    description="The focal city's strengths and weaknesses under the one verdict rule: materially better (worse) than the peer "
    "median under the indicator's own material gap, each construct once, beyond small-count noise, never a flagged value. "
    "The ones the page lists (at most top_n of each kind, the firmest first, as on the page); every indicator's verdict "
    "is in benchmark-<city>-comparison.csv.",
)

_VERDICTS = ("better", "worse", "level", "not comparable")

BENCHMARK_COMPARISON = pa.DataFrameSchema(
    {
        "code": _text("Canonical ISO 37120 indicator code.", pa.Check.str_matches(_CODE)),
        "construct": _text("The construct the indicator measures (shared by indicators that measure one thing); the code when it stands alone."),
        "counted": _flag("True for the member whose verdict counts for its construct (each construct is counted once)."),
        "value": _number("The focal city's value; empty when it has none."),
        "year": pa.Column(
            "Int64", pa.Check.in_range(1900, 2100), nullable=True, metadata={"type": "year"}, description="Reference year of the value."
        ),
        "peer_median": _number("Median of the peers' values, leaving out those that cannot be right as printed and those flagged doubtful."),
        "reference_year": _number("Median reference year of the peers' values."),
        "gap": _number("value minus peer_median, in the indicator's unit."),
        "material_gap": _number("The smallest gap that matters, in the indicator's unit (a relative rule resolved against the peer median)."),
        "material_gap_kind": _text(
            "absolute or relative: how indicator_metadata.csv states the material gap.", pa.Check.isin(("absolute", "relative"))
        ),
        "rounding": _number(
            "How much smaller the gap could be within the rounding of the printed values (half the unit of the last printed "
            "digit of the value and of the median); a gap is material only if it reaches material_gap less this. 0 where "
            "no printed cell is known.",
            pa.Check.ge(0),
        ),
        "implied_events": _count(
            "For a rate of rare events: the focal city's implied count of events (rate x population / 100 000, or rate x live "
            "births / 1 000 for a rate per 1 000 live births; data/raw/city_facts.csv); empty otherwise.",
            pa.Check.ge(0),
            nullable=True,
        ),
        "rate_low": _number(
            "Lower bound of the 95% Poisson interval of the focal rate, in the indicator's unit; empty unless a rate of rare events."
        ),
        "rate_high": _number(
            "Upper bound of the 95% Poisson interval of the focal rate, in the indicator's unit; empty unless a rate of rare events."
        ),
        "verdict": _text(
            "better or worse (a gap of at least the material gap, beyond Poisson noise), level (within either), or not comparable "
            "(neutral, no value, a flagged value to verify at source, no peer value, or reference years too far apart).",
            pa.Check.isin(_VERDICTS),
        ),
        "verdict_reason": _text("Why the verdict, in English.", pa.Check.str_length(min_value=1)),
        "flag": _text("Most severe screening flag of the focal value; empty when none.", pa.Check.isin(("", *_SEVERITIES))),
        "direction_contested": _CONTESTED,
    },
    unique=["code"],
    name="benchmark_comparison",
    coerce=True,
    strict=True,
    ordered=True,
    title="Benchmark: every indicator against the peer median, with its verdict",
    description="One row per indicator: the focal city's value, the peer median, the material gap and the verdict of the one rule "
    "that every count, strength and weakness of the report uses.",
)

BENCHMARK_TO_CHECK = pa.DataFrameSchema(
    {
        "code": _text("Canonical ISO 37120 indicator code.", pa.Check.str_matches(_CODE)),
        "indicator": _text("The indicator's name, in English."),
        "city": _text("The focal city (only its own values are listed).", pa.Check.str_length(min_value=1)),
        "value": _number("The flagged value."),
        "raw": _text("The printed cell (or the city file's value), verbatim."),
        "rule": _text("The screening rule that flagged the value.", pa.Check.str_length(min_value=1)),
        "severity": _text("error (cannot be right as printed) or warning (doubtful).", pa.Check.isin(("error", "warning"))),
        "message": _text("In plain words, why the value should be verified at source, in English.", pa.Check.str_length(min_value=1)),
        "unit": _text("The indicator's unit (English, as in indicator_metadata.csv).", nullable=True),
        "other": _text(
            "What the rule compared the value with: the other city, indicator, group of shares or range (empty when none).", nullable=True
        ),
        "amount": _number("The rule's number: the shares' total, the ratio to the other value or median (empty when none)."),
    },
    name="benchmark_to_check",
    coerce=True,
    strict=True,
    ordered=True,
    title="Benchmark: the focal city's values to verify at source",
    description="The focal city's values flagged by the screening (errors first, then warnings): to verify at source before the "
    "next ISO 37120 submission. Never counted as strengths or weaknesses.",
    metadata={"foreign_keys": [{"fields": ["code", "city"], "resource": "benchmark"}]},
)

# --- the dispersion report ---------------------------------------------------------------------------

SCORE_DISPERSION = pa.DataFrameSchema(
    {
        "area": _AREA,
        "dimension": _DIMENSION,
        "n": _count("Number of stakeholder raters.", pa.Check.ge(0)),
        "mean": _number("Mean stakeholder level.", unit=_LEVEL["unit"]),
        "ci_low": _number("Lower end of the t-based 95 % interval of the mean; empty for an area with fewer than five raters.", unit=_LEVEL["unit"]),
        "ci_high": _number("Upper end of the t-based 95 % interval of the mean; empty for an area with fewer than five raters.", unit=_LEVEL["unit"]),
        "median": _number("Median level.", unit=_LEVEL["unit"]),
        "sd": _number("Standard deviation of the levels.", unit="levels"),
        "q1": _number("First quartile of the levels.", unit=_LEVEL["unit"]),
        "q3": _number("Third quartile of the levels.", unit=_LEVEL["unit"]),
        "iqr": _number("Interquartile range of the levels (q3 - q1): the spread of the middle half of the answers.", unit="levels"),
        "within_one": _number("Share of answers at most one level from the median.", pa.Check.in_range(0, 1), unit=_SHARE["unit"]),
        "range": _number("Highest minus lowest level.", unit="levels"),
        "rwg": _number("r_wg, within-group agreement against a uniform null (1 = full agreement)."),
        "consensus": _number("Tastle–Wierman consensus (1 = everyone gives one level)."),
        "small_group": _SMALL,
    },
    unique=["area", "dimension"],
    name="score_dispersion",
    coerce=True,
    strict=True,
    ordered=True,
    title="Maturity scores: dispersion",
    description="One row per area and dimension: dispersion statistics of the stakeholders' levels.",
)

AGREEMENT = pa.DataFrameSchema(
    {
        "area": _AREA,
        "n_raters": _count("Number of stakeholder raters.", pa.Check.ge(0)),
        "kendall_w": _number("Kendall's W: agreement on the order of the five dimensions (0 none, 1 full)."),
        "kendall_p": _number("p-value of Kendall's W.", pa.Check.in_range(0, 1)),
        "krippendorff_alpha": _number(
            "Krippendorff's alpha (ordinal): 0 = the answers to a dimension agree no more than answers reshuffled within the area, negative = less."
        ),
        "friedman_p": _number("p-value of Friedman's test that the dimensions differ.", pa.Check.in_range(0, 1)),
        "straightliners": _count("Raters who gave one level to all five dimensions.", pa.Check.ge(0)),
        "small_group": _SMALL,
    },
    unique=["area"],
    name="agreement",
    coerce=True,
    strict=True,
    ordered=True,
    title="Maturity scores: agreement among raters",
    description="One row per area: agreement statistics and the small-group flag.",
)

EXPERT_VS_STAKEHOLDERS = pa.DataFrameSchema(
    {
        "area": _AREA,
        "dimension": _DIMENSION,
        "expert_low": _count("The expert's level (lower end of a printed range).", pa.Check.in_range(1, 5)),
        "expert_high": _count("The expert's level (upper end of a printed range).", pa.Check.in_range(1, 5)),
        "expert_mid": _number("Middle of the expert's range.", unit=_LEVEL["unit"], nullable=False),
        "n": _count("Number of stakeholder raters.", pa.Check.ge(0)),
        "stakeholder_mean": _number("Mean stakeholder level.", unit=_LEVEL["unit"]),
        "stakeholder_median": _number("Median stakeholder level.", unit=_LEVEL["unit"]),
        "gap_mean": _number("stakeholder_mean minus expert_mid.", unit="levels"),
        "gap_median": _number("stakeholder_median minus expert_mid.", unit="levels"),
        "share_above": _number(
            "Share of stakeholders scoring above expert_mid (the middle of a printed range).", pa.Check.in_range(0, 1), unit="share (0–1)"
        ),
        "share_below": _number(
            "Share of stakeholders scoring below expert_mid (the middle of a printed range).", pa.Check.in_range(0, 1), unit="share (0–1)"
        ),
        "small_group": _SMALL,
    },
    unique=["area", "dimension"],
    name="expert_vs_stakeholders",
    coerce=True,
    strict=True,
    ordered=True,
    title="Maturity scores: expert against stakeholders",
    description="One row per area and dimension: the expert's score against the stakeholders'.",
    metadata={"foreign_keys": [{"fields": ["area", "dimension"], "resource": "score_dispersion"}]},
)

EXPERT_VS_STAKEHOLDERS_TEST = pa.DataFrameSchema(
    {
        "method": _text("The method of the comparison.", pa.Check.str_length(min_value=1)),
        "unit": _text("The unit of analysis (rater, or area x dimension cell for the per-cell aside).", pa.Check.str_length(min_value=1)),
        "n_clusters": _count(
            "Number of units (raters or cells) of the areas with at least five raters; 0 when no such area was chosen.", pa.Check.ge(0)
        ),
        "estimate": _number("Stakeholder-minus-expert difference over the areas with at least five raters.", unit="levels"),
        "ci_low": _number("Lower end of its interval.", unit="levels"),
        "ci_high": _number("Upper end of its interval.", unit="levels"),
        "p_value": _number("p-value (full precision); empty for a method without one.", pa.Check.in_range(0, 1)),
    },
    unique=["method"],
    name="expert_vs_stakeholders_test",
    coerce=True,
    strict=True,
    ordered=True,
    title="Maturity scores: is the gap between stakeholders and expert real?",
    description="One row per method: the stakeholder-minus-expert difference with its unit, number of clusters, interval and p-value.",
)

RATERS = pa.DataFrameSchema(
    {
        "rater": _text("Rater id (one per stakeholder unit).", pa.Check.str_length(min_value=1)),
        "rater_labels": _text("The rater as printed (all spellings).", pa.Check.str_length(min_value=1)),
        "areas": _text("Areas the unit rated, separated by '; '.", pa.Check.str_length(min_value=1)),
        "n_areas": _count("Number of areas rated.", pa.Check.ge(1)),
        "n_sets": _count("Number of questionnaires (one per area).", pa.Check.ge(1)),
        "copies": _count("Questionnaires that copy the unit's answers in another area.", pa.Check.ge(0)),
        "copy_of": _text("Which area's answers each copy repeats (area=original; ...); empty when none."),
        "same_answers_as": _text(
            "Per area, other labels that gave exactly the same non-flat answers, with the answers as evidence "
            "(area: labels (answers); ...); empty when none. Likely one questionnaire entered twice."
        ),
        "straightliner": _flag("True when the unit gave one level to all five dimensions in every area it rated."),
        "straightlined_areas": _count("Areas in which the unit gave one level to all five dimensions.", pa.Check.ge(0)),
        "same_answers_across_areas": _flag("True when the unit gave the same answers in every area; empty for a unit with one area.", nullable=True),
        "max_difference_across_areas": _number("Largest difference between the unit's answers in two areas.", unit="levels"),
    },
    unique=["rater"],
    name="raters",
    coerce=True,
    strict=True,
    ordered=True,
    title="Maturity scores: rater diagnostics",
    description="One row per stakeholder unit: areas, questionnaires, copies (copy_of), straight-lining, overall level (overall_level).",
)

STRAIGHTLINER_EXCLUSION = pa.DataFrameSchema(
    {
        "area": _AREA,
        "n_raters_all": _count("Raters, all questionnaires.", pa.Check.ge(0)),
        "n_raters_without": _count("Raters without the straight-lined questionnaires.", pa.Check.ge(0)),
        "mean_all": _number("Mean level, all questionnaires.", unit=_LEVEL["unit"]),
        "mean_without": _number("Mean level without the straight-liners.", unit=_LEVEL["unit"]),
        "kendall_w_all": _number("Kendall's W, all questionnaires."),
        "kendall_w_without": _number("Kendall's W without the straight-liners."),
        "alpha_all": _number("Krippendorff's alpha, all questionnaires."),
        "alpha_without": _number("Krippendorff's alpha without the straight-liners."),
        "small_group": _SMALL,
    },
    unique=["area"],
    name="straightliner_exclusion",
    coerce=True,
    strict=True,
    ordered=True,
    title="Maturity scores: with and without the straight-liners",
    description="One row per area: results with all questionnaires and without the straight-lined ones.",
    metadata={"foreign_keys": [{"fields": ["area"], "resource": "agreement"}]},
)

RATER_VARIANCE = pa.DataFrameSchema(
    {
        "area": _AREA,
        "n_raters": _count("Stakeholder rating sets with all five dimensions.", pa.Check.ge(0)),
        "n_dimensions": _count("Dimensions rated.", pa.Check.ge(0)),
        "var_rater": _number(
            "Variance between the raters' overall levels (ANOVA estimate of the rater × dimension random-effects model).",
            pa.Check.ge(0),
            unit="levels²",
        ),
        "var_dimension": _number("Variance between the dimensions, shared by all raters.", pa.Check.ge(0), unit="levels²"),
        "var_residual": _number("The rest: a rater's own view of one dimension, and noise.", pa.Check.ge(0), unit="levels²"),
        "share_rater": _number("Share of the variance between raters' overall levels.", pa.Check.in_range(0, 1), unit=_SHARE["unit"]),
        "share_dimension": _number("Share of the variance between dimensions.", pa.Check.in_range(0, 1), unit=_SHARE["unit"]),
        "share_residual": _number("Share of the variance left over.", pa.Check.in_range(0, 1), unit=_SHARE["unit"]),
        "small_group": _SMALL,
        "share_rater_low": _number(
            "Lower end of the 95% percentile interval of share_rater over resamples of the raters (2000, seeded); empty for a small group.",
            pa.Check.in_range(0, 1),
            unit=_SHARE["unit"],
            nullable=True,
        ),
        "share_rater_high": _number("Upper end of that interval of share_rater.", pa.Check.in_range(0, 1), unit=_SHARE["unit"], nullable=True),
        "share_dimension_low": _number("Lower end of that interval of share_dimension.", pa.Check.in_range(0, 1), unit=_SHARE["unit"], nullable=True),
        "share_dimension_high": _number(
            "Upper end of that interval of share_dimension.", pa.Check.in_range(0, 1), unit=_SHARE["unit"], nullable=True
        ),
    },
    unique=["area"],
    name="rater_variance",
    coerce=True,
    strict=True,
    ordered=True,
    title="Maturity scores: where the variance of the answers comes from",
    description="One row per area: the variance of the stakeholders' answers split into raters' overall level, dimension and residual.",
    metadata={"foreign_keys": [{"fields": ["area"], "resource": "agreement"}]},
)

DUPLICATE_SENSITIVITY = pa.DataFrameSchema(
    {
        "area": _AREA,
        **{
            f"{name}_{suffix}": column
            for name, describe in (
                ("n_sets", lambda s: _count(f"Rating sets, {s}.", pa.Check.ge(0))),
                ("mean", lambda s: _number(f"Mean level, {s}.", unit=_LEVEL["unit"])),
                ("kendall_w", lambda s: _number(f"Kendall's W, {s}.")),
                ("alpha", lambda s: _number(f"Krippendorff's alpha, {s}.")),
                ("share_rater", lambda s: _number(f"Share of the variance between raters' overall levels, {s}.", unit=_SHARE["unit"])),
            )
            for suffix, column in (("all", describe("all questionnaires")), ("without", describe("without likely duplicates")))
        },
        "duplicates": _count("Likely duplicates left out (identical non-flat answers under another label in the area).", pa.Check.ge(0)),
    },
    unique=["area"],
    name="duplicate_sensitivity",
    coerce=True,
    strict=True,
    ordered=True,
    title="Maturity scores: with and without likely duplicate questionnaires",
    description="One row per area: results with every questionnaire and without the likely duplicates.",
    metadata={"foreign_keys": [{"fields": ["area"], "resource": "agreement"}]},
)

# File name → schema. The dispersion tables have fixed names; a benchmark's names carry the city's slug.
FIXED = {
    "score-dispersion.csv": SCORE_DISPERSION,
    "agreement.csv": AGREEMENT,
    "expert-vs-stakeholders.csv": EXPERT_VS_STAKEHOLDERS,
    "expert-vs-stakeholders-test.csv": EXPERT_VS_STAKEHOLDERS_TEST,
    "raters.csv": RATERS,
    "straightliner-exclusion.csv": STRAIGHTLINER_EXCLUSION,
    "rater-variance.csv": RATER_VARIANCE,
    "duplicate-sensitivity.csv": DUPLICATE_SENSITIVITY,
}
BENCHMARK_SUFFIXES = {
    "-themes": BENCHMARK_THEMES,
    "-quality-flags": BENCHMARK_FLAGS,
    "-robustness": BENCHMARK_ROBUSTNESS,
    "-strengths": BENCHMARK_STRENGTHS,
    "-comparison": BENCHMARK_COMPARISON,
    "-to-check": BENCHMARK_TO_CHECK,
    "": BENCHMARK,
}


def schema_for(name: str, slug: str | None = None) -> pa.DataFrameSchema | None:
    """The schema of the published CSV ``name`` (e.g. ``benchmark-kielce-themes.csv``), or None.

    With ``slug`` (the city of a benchmark), the suffix after ``benchmark-<slug>`` decides;
    without it, the longest known suffix does.
    """
    if name in FIXED:
        return FIXED[name]
    if not (name.startswith("benchmark-") and name.endswith(".csv")):
        return None
    stem = name[: -len(".csv")]
    if slug is not None:
        return BENCHMARK_SUFFIXES.get(stem[len(f"benchmark-{slug}") :]) if stem.startswith(f"benchmark-{slug}") else None
    for suffix, schema in BENCHMARK_SUFFIXES.items():
        if suffix and stem.endswith(suffix) and len(stem) > len("benchmark-") + len(suffix):
            return schema
    return BENCHMARK


def validate_published(name: str, frame, slug: str | None = None):
    """Validate ``frame`` against the schema of ``name``; an unknown name or a mismatch raises one line."""
    from analysis.data.schemas import validate
    from analysis.errors import SchemaValidationError

    schema = schema_for(name, slug)
    if schema is None:
        raise SchemaValidationError(f"{name}: no schema for this published table; add one to analysis.data.published_schemas")
    return validate(schema, frame, name)
