"""The comparison columns of ``indicator_metadata.csv``: what makes a gap between two cities a finding.

Curated domain knowledge, one value and one reason per indicator (``data/raw/README.md``):

* ``material_gap`` and ``material_gap_kind`` — the smallest difference that changes anything for
  a city: ``absolute`` in the indicator's own unit (percentage points for ``%``), or ``relative``,
  a fraction (0–1] of the reference value (the peer median or the other city's value);
* ``material_gap_reason`` — why;
* ``construct``, ``construct_representative``, ``construct_reason`` — indicators measuring one
  thing share a construct id (empty: the indicator stands alone); exactly one member represents it;
* ``rate_of_events`` — the value is a count of events per 100 000 residents (deaths, crimes,
  patents) or per 1 000 live births (child deaths), so a Poisson interval of the implied count
  says how much of a gap is noise (:data:`EVENT_RATE_UNITS`);
* ``comparable_across_cities`` and ``comparability_reason`` — ``false`` where cities measure the
  quantity so differently (what counts, whose residents, which source) that a gap between two cities
  compares definitions, not cities: such an indicator is neither compared nor ranked, whatever its
  polarity; the reason is required.

:func:`parse_comparison_columns` turns the text cells into typed columns and checks every rule
that spans cells; a bad cell raises :class:`~analysis.data.parsing.CellParseError` naming the
file, line and column. The per-cell checks are repeated in the pandera schema
(:data:`COMPARISON_SCHEMA_COLUMNS`), so the processed table promises them too.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.parsing import CellParseError

COMPARISON_COLUMNS = (
    "material_gap",
    "material_gap_kind",
    "material_gap_reason",
    "construct",
    "construct_representative",
    "construct_reason",
    "rate_of_events",
    "comparable_across_cities",
    "comparability_reason",
)
GAP_KINDS = ("absolute", "relative")
# The units a rate of events may have: per how many of which denominator of ``city_facts.csv`` (the implied count of
# events is rate x denominator / base).
EVENT_RATE_UNITS = {"per 100 000": (100_000, "population"), "per 1 000 live births": (1_000, "live_births")}
MIN_REASON = 10
_CONSTRUCT_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_BOOLEANS = {"true": True, "false": False}

COMPARISON_SCHEMA_COLUMNS = {
    "material_gap": pa.Column(
        float,
        pa.Check.gt(0),
        description="The smallest gap between two values that changes anything for a city: in the indicator's unit (percentage "
        "points for %) when material_gap_kind is absolute, a fraction of the reference value when relative.",
    ),
    "material_gap_kind": pa.Column(
        str, pa.Check.isin(GAP_KINDS), description="absolute (material_gap in the indicator's unit) or relative (a fraction of the reference)."
    ),
    "material_gap_reason": pa.Column(str, pa.Check.str_length(min_value=MIN_REASON), description="Why a gap of that size matters for a city."),
    "construct": pa.Column(
        str,
        pa.Check.str_matches(r"^([a-z][a-z0-9_]*)?$"),
        description="Id shared by indicators that measure one thing (counted once); empty when the indicator stands alone.",
    ),
    "construct_representative": pa.Column(
        bool, description="True for the member whose verdict stands for the construct (and for every indicator that stands alone)."
    ),
    "construct_reason": pa.Column(
        str,
        description="Why the members measure one thing and why the representative was chosen; for an indicator alone, empty or why it is not grouped with a related one.",
    ),
    "rate_of_events": pa.Column(
        bool,
        description="True when the value counts events (deaths, crimes, patents) per 100 000 residents or per 1 000 live births: "
        "the implied count has Poisson noise.",
    ),
    "comparable_across_cities": pa.Column(
        bool,
        description="False where cities define or source the quantity so differently that a gap compares definitions, not cities: "
        "the indicator is then neither compared nor ranked.",
    ),
    "comparability_reason": pa.Column(str, description="Why the indicator cannot be compared between cities; empty when it can."),
}


def parse_comparison_columns(table: pd.DataFrame, path: Path | str) -> pd.DataFrame:
    """``table`` (text cells and a ``line`` column, as read by ``read_raw_table``) with typed comparison columns.

    Checks, each failing with file, line and column: a material gap that is missing, not a number,
    not positive, or (relative) above 1; an unknown kind; a reason shorter than 10 characters; a
    boolean that is not ``true``/``false``; a construct id that is malformed or used by one indicator
    only (a typo would silently make a new construct); a construct without exactly one
    representative, or without a reason; an indicator that stands alone but is not its own
    representative; ``rate_of_events`` on a unit not in :data:`EVENT_RATE_UNITS`; an indicator that cannot
    be compared between cities without a reason.
    """
    out = table.copy()

    def fail(reason, text, line, column):
        raise CellParseError(reason, text, file=path, line=line, column=column)

    gaps, representatives, events, comparable = [], [], [], []
    for row in table.itertuples():
        text = row.material_gap.strip()
        if not text:
            fail("every indicator needs a material_gap (no silent default)", text, row.line, "material_gap")
        try:
            gap = float(text)
        except ValueError:
            fail("material_gap must be a number with a decimal point", text, row.line, "material_gap")
        if not math.isfinite(gap) or gap <= 0:
            fail("material_gap must be positive", text, row.line, "material_gap")
        if row.material_gap_kind not in GAP_KINDS:
            fail(f"expected one of {', '.join(GAP_KINDS)}", row.material_gap_kind, row.line, "material_gap_kind")
        if row.material_gap_kind == "relative" and gap > 1:
            fail("a relative material_gap is a fraction of the reference value, from 0 to 1", text, row.line, "material_gap")
        if len(row.material_gap_reason.strip()) < MIN_REASON:
            fail("every material_gap needs a reason", row.material_gap_reason, row.line, "material_gap_reason")
        for column, parsed in (("construct_representative", representatives), ("rate_of_events", events), ("comparable_across_cities", comparable)):
            cell = getattr(row, column).strip().lower()
            if cell not in _BOOLEANS:
                fail("expected true or false", getattr(row, column), row.line, column)
            parsed.append(_BOOLEANS[cell])
        if events[-1] and row.unit not in EVENT_RATE_UNITS:
            allowed = " or ".join(repr(unit) for unit in EVENT_RATE_UNITS)
            fail(f"rate_of_events needs the unit {allowed} (the count is the rate x its denominator)", row.unit, row.line, "rate_of_events")
        if not comparable[-1] and len(row.comparability_reason.strip()) < MIN_REASON:
            fail("an indicator that cannot be compared between cities needs a reason", row.comparability_reason, row.line, "comparability_reason")
        construct = row.construct.strip()
        if construct and not _CONSTRUCT_ID.match(construct):
            fail("a construct id is lower case letters, digits and _", row.construct, row.line, "construct")
        if construct and len(row.construct_reason.strip()) < MIN_REASON:
            fail("every construct member needs a reason", row.construct_reason, row.line, "construct_reason")
        if not construct and not representatives[-1]:
            fail("an indicator without a construct represents itself: true", row.construct_representative, row.line, "construct_representative")
        gaps.append(gap)
    out["material_gap"] = pd.Series(gaps, index=out.index, dtype="float64")
    out["construct_representative"] = pd.Series(representatives, index=out.index, dtype=bool)
    out["rate_of_events"] = pd.Series(events, index=out.index, dtype=bool)
    out["comparable_across_cities"] = pd.Series(comparable, index=out.index, dtype=bool)
    members = out[out["construct"] != ""]
    for construct, group in members.groupby("construct", sort=False):
        first = group.iloc[0]
        if len(group) < 2:
            fail(
                "unknown construct: no other indicator shares this id (leave it empty for an indicator that stands alone)",
                construct,
                first["line"],
                "construct",
            )
        n_representatives = int(group["construct_representative"].sum())
        if n_representatives != 1:
            line = group.loc[group["construct_representative"], "line"].iloc[1] if n_representatives > 1 else first["line"]
            fail(f"construct {construct!r} needs exactly one representative, has {n_representatives}", construct, line, "construct_representative")
    return out
