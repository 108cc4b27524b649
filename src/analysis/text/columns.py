"""What the columns of the published tables are called for a reader (the workbooks' headers and sheets).

The CSVs keep their machine names (``peer_median``) as the data contract; a workbook made for a
person shows each column by its label in the page's language (``Mediana miast odniesienia``).
Every column of a benchmark table needs a label here: a test checks it against the published schemas.
"""

from __future__ import annotations

import re

from analysis.text.i18n import N_, Lang

COLUMN_LABELS = {
    "city": N_("City"),
    "code": N_("Code"),
    "indicator": N_("Indicator"),
    "theme": N_("Theme"),
    "unit": N_("Unit of measure"),
    "value": N_("Value"),
    "raw": N_("Value as printed"),
    "year": N_("Year"),
    "year_flag": N_("Year far from the focal city's"),
    "polarity": N_("Better when"),
    "peer_median": N_("Peer median"),
    "gap": N_("Gap to the peer median"),
    "material_gap": N_("Smallest material gap"),
    "verdict": N_("Verdict"),
    "verdict_reason": N_("Why this verdict"),
    "counted": N_("Counts for its construct"),
    "direction_contested": N_("Better direction debatable"),
    "material_gap_kind": N_("Gap stated as"),
    "rounding": N_("Rounding of the printed values (gap could be smaller by)"),
    "reference_year": N_("Peers' median year"),
    "implied_events": N_("Implied number of events"),
    "rate_low": N_("Rate, lower bound (95%)"),
    "rate_high": N_("Rate, upper bound (95%)"),
    "n_better": N_("Clearly better"),
    "n_worse": N_("Clearly worse"),
    "n_level": N_("Level with the peers"),
    "construct": N_("Construct"),
    # The workbook's reading of ``construct`` (publish.workbook): the other indicators of the same construct.
    "same_construct_as": N_("Measures the same as"),
    "rank": N_("Rank"),
    "n_ranked": N_("Cities ranked"),
    "score_minmax": N_("Score (0-100)"),
    "score_z": N_("Standardised score (z)"),
    "flag": N_("Flag"),
    "excluded": N_("Left out of the analysis"),
    "coverage": N_("Share of indicators reported"),
    "n_indicators": N_("Indicators"),
    "n_reported": N_("Indicators reported"),
    "scored": N_("Scored"),
    "kind": N_("Kind"),
    "rule": N_("Rule"),
    "severity": N_("Severity"),
    "message": N_("What was found"),
    "other": N_("Compared with"),
    "amount": N_("The rule's figure (total or ratio)"),
    "robust_share": N_("Robustness (share of variants)"),
    "ranked_share": N_("Robustness (share of the variants that rank the direction)"),
    "n_variants": N_("Variants of the calculation"),
    "rank_nominal": N_("Place in the main calculation"),  # the page's term (an editor: "raport" is used nowhere else)
    "rank_median": N_("Median rank"),
    "rank_p05": N_("Rank, 5th percentile"),
    "rank_p95": N_("Rank, 95th percentile"),
}

# Coded values of the published tables as a reader reads them (the CSVs keep the codes).
VALUE_LABELS = {
    "verdict": {
        "better": N_("clearly better"),
        "worse": N_("clearly worse"),
        "level": N_("no clear difference"),
        "not comparable": N_("not comparable"),
        "partly better": N_("better on some, worse on none"),
        "partly worse": N_("worse on some, better on none"),
        "mixed": N_("mixed: better on some, worse on others"),
        "debatable": N_("differs only where the better direction is debatable"),
        "too few": N_("too few comparable indicators"),
    },
    # "debatable": set by the workbook where direction_contested is true (fewer cars is no settled strength).
    "kind": {"strength": N_("strength"), "weakness": N_("weakness"), "debatable": N_("clear difference of debatable direction")},
    "severity": {"error": N_("error"), "warning": N_("warning"), "note": N_("note")},
    "flag": {"error": N_("error"), "warning": N_("warning"), "note": N_("note")},
    "polarity": {"higher": N_("higher"), "lower": N_("lower"), "neutral": N_("none (not ranked)")},
    "material_gap_kind": {"absolute": N_("absolute, in the indicator's unit"), "relative": N_("relative, a share of the reference")},
    "year_flag": {"gap": N_("more than the allowed years apart"), "no year": N_("no year printed")},
    "rule": {
        "share_out_of_range": N_("share outside 0–100%"),
        "implausible_for_unit": N_("does not fit its unit"),
        "parts_exceed_whole": N_("shares of one whole over 100%"),
        "relation_violated": N_("larger than a value it is part of"),
        "zero_implies_zero": N_("not zero where a related value is"),
        "outside_reference_range": N_("outside the range of reference statistics"),
        "outlier": N_("far from the other cities"),
        "country_disagreement": N_("far from a city of the same country"),
        "same_value": N_("the same value as another city"),
        "same_as_related": N_("the same value as a different indicator"),
        "ratio_out_of_range": N_("implausible ratio to a related value"),
        "label_differs": N_("printed label differs from the ISO definition"),
        "no_year": N_("no reference year"),
    },
    "theme": {"overall": N_("all themes together")},
}


def value_label(column: str, value, tr: Lang):
    """A coded value of a published column in ``tr``'s language (other values as they are)."""
    labels = VALUE_LABELS.get(column)
    if labels is None or not isinstance(value, str) or value not in labels:
        return value
    return tr.text(labels[value])


# The sheet of each table of a benchmark report, by what follows the report's name in the CSV's name.
SHEET_NAMES = {
    "": N_("Indicator values"),
    "themes": N_("Themes"),
    "strengths": N_("Strengths and weaknesses"),
    "robustness": N_("Robustness"),
    "quality-flags": N_("Screening"),
    "comparison": N_("Comparison"),
    "to-check": N_("Values to check"),
}


# Columns numbered by a rank (as many as there are cities): share_rank_1, share_rank_2, ...
_SHARE_RANK = re.compile(r"share_rank_(\d+)")


def column_label(column: str, tr: Lang) -> str:
    """The reader's name of a published column in ``tr``'s language (the machine name where none is set)."""
    if column in COLUMN_LABELS:
        return tr.text(COLUMN_LABELS[column])
    if match := _SHARE_RANK.fullmatch(column):
        return tr("Share of variants at rank {rank}", rank=match.group(1))
    return column


def sheet_name(report_id: str, table: str, tr: Lang) -> str:
    """The sheet of ``table`` (``benchmark-kielce-themes.csv``) in the workbook of ``report_id`` (``benchmark-kielce``)."""
    stem = table.removesuffix(".csv")
    suffix = stem[len(report_id) + 1 :] if stem.startswith(report_id + "-") else "" if stem == report_id else stem
    return tr.text(SHEET_NAMES[suffix]) if suffix in SHEET_NAMES else suffix
