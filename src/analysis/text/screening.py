"""The words for the screening's flags: one sentence per flag, in the reader's language.

:func:`analysis.methods.screening.screen_values` returns codes and numbers; this module
turns them into sentences (English for the CSV downloads, the page's language on a page).
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.data import knowledge
from analysis.text.common import unit_label
from analysis.text.i18n import Lang


def _printed_decimals(value) -> int:
    """The decimals a value carries (13.96: 2, 5.0: 0)."""
    from decimal import Decimal

    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return min(6, max(0, -int(exponent)))


def _as_printed(value, tr) -> str:
    """A value with the decimals it carries (13.96 stays 13,96, 5.0 is 5): a flag must not round away the doubt."""
    return tr.num(float(value), _printed_decimals(value))


def _with_unit(value, unit: str, tr) -> str:
    """ "3.6%" in English, "3,6\u00a0%" in Polish (the language's own percent rule, :meth:`Lang.pct`), "13,96 kWh/m²"
    for any other unit; with the decimals the value carries."""
    if unit == "%":
        return tr.pct(float(value), _printed_decimals(value))
    return f"{_as_printed(value, tr)} {unit}"


def flag_message(flag: dict, tr) -> str:
    """The sentence a city official reads for one flag, in ``tr``'s language."""
    rule, other, amount = flag["rule"], flag.get("other", ""), flag.get("amount", math.nan)
    if rule == "share_out_of_range":
        return tr("A share must lie between 0 and 100%; this one is printed as {value}.", value=tr.num(flag["value"], 2))
    if rule == "implausible_for_unit":
        return tr(
            "A value of {value} does not fit the unit ({unit}): expected {range}.",
            value=tr.num(flag["value"], 0),
            unit=unit_label(flag["unit"], tr),
            range=other,
        )
    if rule == "outside_reference_range":
        low, _, high = str(flag["other"]).partition("–")
        unit = unit_label(flag["unit"], tr)
        return tr(
            "A value of {value} lies outside the range of {low}–{high} that reference statistics give for this "
            "indicator: probably another definition; verify at source.",
            # The unit with the value and the range (a Polish editor: "poza przedziałem 5–40" said not of what), as each
            # language writes it ("3.6%", "3,6 %"; an English editor: "3.6 %").
            value=_with_unit(flag["value"], unit, tr),
            low=_as_printed(low, tr) if low else low,
            high=_with_unit(high, unit, tr) if high else high,
        )
    if rule == "parts_exceed_whole":
        return tr("The shares of one whole ({group}) add up to {total}, more than the whole.", group=tr.text(other), total=tr.pct(amount, 1))
    if rule == "relation_violated":
        return tr("This value cannot be larger than indicator {other} of the same city, but it is.", other=other)
    if rule == "zero_implies_zero":
        # "Or empty": a share of nothing is undefined (an English editor: the recycled share of zero hazardous waste).
        return tr("Indicator {other} is zero for this city, so this value should be zero or left empty too.", other=other)
    if rule == "outlier":
        # ``amount`` is this value over the others' median: which way it lies is said (an English editor).
        if amount >= 1:
            return tr("About {ratio} times the median of the other cities: check the definition and the unit.", ratio=tr.num(amount, 0))
        return tr("About {ratio} times lower than the median of the other cities: check the definition and the unit.", ratio=tr.num(1 / amount, 0))
    if rule == "country_disagreement":
        # ``amount`` is this value over the other city's: which of the two is higher is said, as a ratio above one, and that
        # the table cannot tell which is wrong (an English editor: on the focal city's list it read as the suspect).
        if amount >= 1:
            return tr(
                "This value is {ratio} times that for {city}, a city of the same country with the same national statistics; either of the two may be the wrong one.",
                ratio=tr.num(amount, 1),
                city=other,
            )
        return tr(
            "The value for {city}, a city of the same country with the same national statistics, is {ratio} times this one; either of the two may be the wrong one.",
            ratio=tr.num(1 / amount, 1),
            city=other,
        )
    if rule == "same_value":
        # Each city in the genitive in Polish ("dla Gdyni"), as the sentence needs it.
        cities = tr.join(tr.decline(city.strip(), "gen") for city in str(other).split(",") if city.strip())
        return tr("The same value is printed for {cities}: possibly a copied cell.", cities=cities)
    if rule == "ratio_out_of_range":
        related, _, bounds = str(other).partition(" ")
        low, _, high = bounds.partition("–")
        return tr(
            "Its ratio to indicator {other} of the same city is {ratio}, outside the range of {low}–{high} that the two usually keep: "
            "probably another definition or measuring site; verify at source.",
            other=related,
            ratio=tr.num(amount, 2),
            low=_as_printed(low, tr) if low else low,
            high=_as_printed(high, tr) if high else high,
        )
    if rule == "same_as_related":
        return tr("The same value is printed for indicator {other}, a different quantity: possibly one figure reported twice.", other=other)
    if rule == "label_differs":
        return tr.text(other) if tr.lang == "en" else _label_note_pl(flag["code"], other)
    if rule == "no_year":
        return tr("Printed without a reference year.")
    raise ValueError(f"unknown screening rule {rule!r}")


def _label_note_pl(code: str, english: str) -> str:
    review = knowledge.load_review().set_index("code")
    if code in review.index and review.at[code, "label_note_pl"].strip():
        return review.at[code, "label_note_pl"]
    return english


def describe_flags(flags: pd.DataFrame, tr: Lang | None = None) -> pd.DataFrame:
    """``flags`` with a ``message`` column: why each value was flagged, in English unless ``tr`` says otherwise."""
    tr = tr or Lang("en")
    out = flags.copy()
    out["message"] = [flag_message(row, tr) for row in flags.to_dict("records")] if len(flags) else pd.Series(dtype=str)
    return out
