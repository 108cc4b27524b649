"""Rule-based screening of the source values: which printed values to doubt, and how much.

Pure functions: the tidy indicator table (joined with its metadata) in, one row per
(value, rule) out. Every rule is generic: it never names an indicator code. Where a
rule needs domain knowledge it reads it from data curated next to the metadata:

* ``data/raw/indicator_relations.csv`` — relations between indicators (parts of one
  whole, a part and its total, a finer and a coarser measure, a quantity that must be
  zero when another is zero), one row per relation with a reason;
* ``data/raw/indicator_metadata.csv`` (columns ``polarity_confidence`` … ``label_note_pl``) — per indicator the confidence in its polarity and
  a note where the printed label means something else than the ISO definition;
* ``data/raw/city_countries.csv`` — the country of each city.

Severities
----------
``error``   the value is not usable as printed (a share above 100 %, a part larger than
            its whole): excluded from ranks and scores by default.
``warning`` doubtful (an outlier, a copied cell, a label that differs from ISO): shown and
            marked wherever it appears; left out of ranks and scores by default, as it is of
            every verdict (``exclude_flagged="errors"`` keeps it in them).
``note``    worth knowing (no reference year).

A flag is codes and numbers (``rule``, ``other``, ``amount``); the sentence a reader sees
is written by :mod:`analysis.text.screening`, in English for the CSV download and in the
page's language on the page.
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd

from analysis.data.knowledge import (  # noqa: F401  (re-exported: the screening's curated inputs)
    RELATIONS,
    load_countries,
    load_relations,
    load_review,
    screening_context,
)

SEVERITIES = ("error", "warning", "note")
EXCLUDE_CHOICES = {"none": (), "errors": ("error",), "errors+warnings": ("error", "warning")}
FLAG_COLUMNS = ["code", "city", "value", "raw", "rule", "severity"]

# Severity of each rule (the rule id is what the CSV download carries).
RULE_SEVERITY = {
    "share_out_of_range": "error",
    "implausible_for_unit": "error",
    "parts_exceed_whole": "error",
    "relation_violated": "error",
    "zero_implies_zero": "warning",
    "outside_reference_range": "warning",
    "outlier": "warning",
    "country_disagreement": "warning",
    "same_value": "warning",
    "same_as_related": "warning",
    "ratio_out_of_range": "warning",
    "label_differs": "warning",
    "no_year": "note",
}

# Plausible range of a value by unit: a value outside contradicts its unit.
PLAUSIBLE_RANGE = {
    "min": (0, 120),
    "hours": (0, 24 * 366),
    "years": (40, 100),
    "destinations": (0, 1000),
    "per 1 000 live births": (0, 1000),
    "per customer": (0, 365),
    "ratio": (0, 100),
    "t per capita": (0, 100),
    "per capita": (0, 10),
    "m2 per capita": (0, 1000),
    "l/day per capita": (0, 2000),
}

# Shares of one whole are printed rounded: allow this many percentage points over 100.
WHOLE_TOLERANCE_PP = 0.5

# Outlier: a positive value more than OUTLIER_LOG10 orders of magnitude (a factor of 10)
# from the median of the other cities. Mid-sized cities differ, but no difference in
# one service explains a tenfold gap; smaller gaps are left to the reader. Measured on
# a log scale because positive rates span orders of magnitude; at least
# OUTLIER_MIN_OTHERS other cities must report, or the median means little.
OUTLIER_LOG10 = 1.0
OUTLIER_MIN_OTHERS = 3

# Two cities of one country share national definitions and statistical sources: a
# five-fold gap (log10 ≈ 0.7) on the same rate points to a different definition
# rather than a real difference. Shares in % are left out (their range is bounded).
COUNTRY_RATIO = 5.0
# A gap between two counts of rare events with a two-sided p-value at least this is left to chance (the verdict
# rule's level, analysis.methods.comparison, at its 95 % confidence).
CHANCE_P = 0.05


# --- the rules -----------------------------------------------------------------------------


def _significant(ratio: float, digits: int = 6) -> float:
    """``ratio`` to ``digits`` significant digits (stable bytes in the published CSV). Not to four decimals: 7 / 179.6
    kept as 0.039 read back as 25.6 times where the other city's page says 25.7 (an editor)."""
    return float(f"{float(ratio):.{digits}g}")


def _flag(rows: list, record, rule: str, other: str = "", amount: float = math.nan) -> None:
    rows.append(
        {
            "code": record["code"],
            "city": record["city"],
            "value": record["value"],
            "raw": record["raw"],
            "unit": record["unit"],
            "rule": rule,
            "other": other,
            "amount": amount,
        }
    )


def _share_and_unit_rules(present: pd.DataFrame, rows: list) -> None:
    from analysis.data.cleaning import percent_bounds
    from analysis.data.labels import indicator_names

    names = indicator_names("en")  # the ISO 37120 names tell a gross rate from a share, where the frame has none
    for record in present.to_dict("records"):
        if record["unit"] == "%":
            # The bounds the data step accepts: gross enrolment and survival rates may exceed 100, a percentage
            # change may be negative (a sceptical reading: Oakville's survival rates of 118.5 % were "errors" here
            # while unit_ranges.csv and the cleaning allow them).
            low, high = percent_bounds(str(record.get("indicator") or names.get(record["code"], "")))
            if not low <= record["value"] <= high:
                _flag(rows, record, "share_out_of_range")
        elif record["unit"] in PLAUSIBLE_RANGE:
            low, high = PLAUSIBLE_RANGE[record["unit"]]
            if not low <= record["value"] <= high:
                _flag(rows, record, "implausible_for_unit", other=f"{low:g}–{high:g}")
        if pd.isna(record["year"]):
            _flag(rows, record, "no_year")


def _relation_rules(present: pd.DataFrame, relations: pd.DataFrame, rows: list) -> None:
    records = present.set_index(["code", "city"])
    wide = present.pivot(index="code", columns="city", values="value")

    def record(code, city):
        return records.loc[(code, city)].to_dict() | {"code": code, "city": city}

    wholes = relations[relations["relation"] == "parts_of_whole"]
    for group_name, parts in wholes.groupby("group", sort=False):
        shares = wide.reindex(parts["code"]).dropna(how="all")
        totals = shares.sum(axis=0, min_count=1)
        for city in totals.index[totals > 100 + WHOLE_TOLERANCE_PP]:
            # Only the non-zero shares: a share printed as 0 cannot be why the parts exceed the whole (a sceptical
            # reading: two printed zeros were "cannot be right as printed" and left out of every rank).
            for code in shares.index[shares[city].notna() & (shares[city] != 0)]:
                _flag(rows, record(code, city), "parts_exceed_whole", other=group_name, amount=round(float(totals[city]), 2))
    for relation in relations[relations["relation"] != "parts_of_whole"].itertuples():
        if relation.code not in wide.index or relation.other not in wide.index:
            continue
        mine, theirs = wide.loc[relation.code], wide.loc[relation.other]
        if relation.relation == "distinct_quantities":
            # Two different quantities of one unit printed with the same non-zero value in one city: one figure was
            # probably reported twice (Gdynia's 5 and 5 minutes for emergency services and the fire brigade).
            for city in wide.columns[((mine == theirs) & (mine != 0) & mine.notna()).to_numpy()]:
                for code, other in ((relation.code, relation.other), (relation.other, relation.code)):
                    _flag(rows, record(code, city), "same_as_related", other=other)
        elif relation.relation == "ratio_range":
            # A finer measure implausibly small (or large) against its coarser one in one city (Porto's PM2.5 is 0.20 of its
            # PM10 where the others print 0.64-0.70: an analyst of the fourteenth session).
            low, high = float(relation.low), float(relation.high)
            with np.errstate(all="ignore"):
                ratio = mine / theirs
            for city in wide.columns[((theirs > 0) & mine.notna() & ((ratio < low) | (ratio > high))).to_numpy()]:
                _flag(
                    rows,
                    record(relation.code, city),
                    "ratio_out_of_range",
                    other=f"{relation.other} {low:g}–{high:g}",
                    amount=_significant(float(ratio[city])),
                )
        elif relation.relation == "zero_implies_zero":
            for city in wide.columns[((theirs == 0) & (mine != 0) & mine.notna()).to_numpy()]:
                _flag(rows, record(relation.code, city), "zero_implies_zero", other=relation.other)
        else:
            for city in wide.columns[(mine > theirs).to_numpy()]:
                for code, other in ((relation.code, relation.other), (relation.other, relation.code)):
                    _flag(rows, record(code, city), "relation_violated", other=other)


def _outlier_rule(present: pd.DataFrame, rows: list, ranges: pd.DataFrame | None = None, countries: dict | None = None) -> None:
    """Positive values of non-% units an order of magnitude from the median of the other cities — unless the value lies
    inside its indicator's named reference range (``reference_ranges.csv``): there cities really differ that much
    (a sceptical reading: Oakville's 15.5 public transport trips per resident, a car-oriented suburb, was a doubtful
    "14-fold outlier" and left out of every median)."""
    candidates = present[present["unit"] != "%"]
    wide = candidates.pivot(index="code", columns="city", values="value")
    eligible = (wide.notna().sum(axis=1) >= OUTLIER_MIN_OTHERS + 1) & ~(wide <= 0).any(axis=1)
    logs = np.log10(wide[eligible].to_numpy(float))
    if logs.size == 0:
        return
    distance = np.full(logs.shape, np.nan)
    for j in range(logs.shape[1]):  # one pass per city: the median of the others
        others = np.delete(logs, j, axis=1)
        with np.errstate(all="ignore"):
            distance[:, j] = logs[:, j] - np.nanmedian(others, axis=1)
    hits = pd.DataFrame(distance, index=wide.index[eligible], columns=wide.columns).stack()
    hits = hits[hits.abs() > OUTLIER_LOG10]
    records = candidates.set_index(["code", "city"])
    for (code, city), log_distance in hits.items():
        record = records.loc[(code, city)].to_dict() | {"code": code, "city": city}
        bound = _range_for(ranges, code, city, countries)
        if bound is not None and bound[0] <= record["value"] <= bound[1]:
            continue
        # The value over the median of the others, below one when it is lower (an English editor: "about 14 times away"
        # hid that Eindhoven's police officers are 14 times fewer, not more).
        _flag(rows, record, "outlier", amount=_significant(10**log_distance))


def _same_value_rule(present: pd.DataFrame, rows: list) -> None:
    trivial = (present["value"] == 0) | ((present["unit"] == "%") & (present["value"] == 100))
    candidates = present[~trivial]
    size = candidates.groupby(["code", "value"])["city"].transform("size")
    same = candidates[size > 1]
    cities = same.groupby(["code", "value"])["city"].agg(list)
    for record in same.to_dict("records"):
        others = [c for c in cities[(record["code"], record["value"])] if c != record["city"]]
        _flag(rows, record, "same_value", other=", ".join(others))


def _within_chance(wide: pd.DataFrame, city: str, peers: list, event_rates: set, populations: dict, units=None) -> np.ndarray:
    """(code, peer): true where both values are rates of rare events whose implied counts, from the cities'
    populations (or live births, for a rate per 1 000 live births: ``units`` per row of ``wide``), do not differ beyond chance (the verdict rule's exact Poisson test,
    :func:`~analysis.methods.comparison.poisson_gap_p_value`, p of at least 0.05): a difference of a few events is
    not a disagreement to verify (Kielce's 3.03 road deaths per 100 000, about 6 deaths, against Gdynia's 0.4,
    about 1, was "7.6 times Gdynia's")."""
    from analysis.methods.comparison import event_exposure, poisson_gap_p_value, poisson_rate_interval

    noise = np.zeros((len(wide), len(peers)), dtype=bool)
    if city not in populations:
        return noise
    rows = wide.index.isin(list(event_rates))
    units = [None] * len(wide) if units is None else list(units)

    def events(name):
        counts = poisson_rate_interval(wide[name].to_numpy(), event_exposure(units, name, populations))["implied_events"]
        return counts.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)

    mine = events(city)
    for k, peer in enumerate(peers):
        if peer not in populations:
            continue
        p_value = poisson_gap_p_value(mine, event_exposure(units, city, populations), events(peer), event_exposure(units, peer, populations))
        noise[:, k] = rows & (np.nan_to_num(p_value, nan=0.0) >= CHANCE_P)
    return noise


def _country_rule(present: pd.DataFrame, countries: dict, rows: list, event_rates=frozenset(), populations=None) -> None:
    rates = present[(present["unit"] != "%") & (present["value"] > 0) & present["city"].isin(countries)]
    wide = rates.pivot(index="code", columns="city", values="value")
    records = rates.set_index(["code", "city"])
    for city in wide.columns:
        peers = [c for c in wide.columns if c != city and countries[c] == countries[city]]
        if not peers:
            continue
        ratio = np.maximum(wide[peers].to_numpy(), wide[[city]].to_numpy()) / np.minimum(wide[peers].to_numpy(), wide[[city]].to_numpy())
        if event_rates and populations:
            units = rates.drop_duplicates("code").set_index("code")["unit"].reindex(wide.index)
            ratio = np.where(_within_chance(wide, city, peers, event_rates, populations, units), np.nan, ratio)
        with np.errstate(all="ignore"):
            worst = np.nanmax(np.where(np.isnan(ratio), -np.inf, ratio), axis=1)
        which = np.argmax(np.where(np.isnan(ratio), -np.inf, ratio), axis=1)
        for position in np.flatnonzero(worst >= COUNTRY_RATIO):
            code = wide.index[position]
            record = records.loc[(code, city)].to_dict() | {"code": code, "city": city}
            peer = peers[which[position]]
            # The ratio of this value to the peer's (below 1 where it is the lower): the sentence says which is higher (an
            # editor: "differs 7.1-fold from Gdynia" did not say which way).
            _flag(rows, record, "country_disagreement", other=peer, amount=_significant(wide.at[code, city] / wide.at[code, peer]))


def _range_for(ranges: pd.DataFrame | None, code: str, city: str, countries: dict | None) -> tuple[float, float] | None:
    """``code``'s reference range for ``city`` as ``(low, high)``, or None: the range of the city's country
    (``city_countries.csv``) where the file has one, else the range without a country, which holds for every city (one
    indicator may have one range a country: tertiary wastewater treatment in Poland and in Ontario)."""
    if ranges is None or ranges.empty:
        return None
    rows = ranges[ranges["code"] == code]
    country = (countries or {}).get(city)
    kinds = rows["country"].fillna("").astype(str) if "country" in rows else pd.Series("", index=rows.index)
    for match in (rows[kinds == country] if country else rows.iloc[0:0], rows[kinds == ""]):
        if not match.empty:
            return float(match["low"].iloc[0]), float(match["high"].iloc[0])
    return None


def _reference_range_rule(present: pd.DataFrame, ranges: pd.DataFrame | None, rows: list, countries: dict | None = None) -> None:
    """A value outside its indicator's plausible range from a named reference (``data/raw/reference_ranges.csv``),
    for the cities the range holds for (every city, or the cities of its ``country``)."""
    if ranges is None or ranges.empty:
        return
    for record in present[present["code"].isin(set(ranges["code"]))].to_dict("records"):
        bound = _range_for(ranges, record["code"], record["city"], countries)
        if bound is None:
            continue
        low, high = bound
        if not low <= record["value"] <= high:
            _flag(rows, record, "outside_reference_range", other=f"{low:g}–{high:g}")


def _label_rule(present: pd.DataFrame, review: pd.DataFrame, rows: list) -> None:
    noted = review[review["label_note"].str.strip() != ""].set_index("code")["label_note"]
    for record in present[present["code"].isin(noted.index)].to_dict("records"):
        _flag(rows, record, "label_differs", other=noted[record["code"]])


def screen_values(
    frame: pd.DataFrame,
    relations: pd.DataFrame | None = None,
    review: pd.DataFrame | None = None,
    countries: dict | None = None,
    ranges: pd.DataFrame | None = None,
    event_rates: set | None = None,
    populations: dict | None = None,
) -> pd.DataFrame:
    """Every rule on every printed value of ``frame``: one row per (code, city, rule).

    ``frame`` is the tidy indicator table (``code, city, value, unit, year, missing,
    raw``); missing values are never flagged. Returns :data:`FLAG_COLUMNS` plus
    ``unit``, ``other`` (the other city, indicator or group the rule refers to) and
    ``amount`` (a total, ratio or range), ordered by indicator (as in ``frame``), city
    and rule. The curated inputs default to the files in ``data/raw/``; pass empty
    ones to switch the data-driven rules off. ``event_rates`` (codes of rates of rare events,
    the metadata's ``rate_of_events``) and ``populations`` (city → population, or its denominators, ``city_facts.csv``)
    let the same-country rule leave to chance a difference of a few events (an exact Poisson test). The
    result does not depend on the order of the rows of ``frame``.
    """
    if relations is None or review is None or countries is None:
        context = screening_context()
        relations = context["relations"] if relations is None else relations
        review = context["review"] if review is None else review
        countries = context["countries"] if countries is None else countries
        ranges = context["ranges"] if ranges is None else ranges
        event_rates = context["event_rates"] if event_rates is None else event_rates
        populations = context["populations"] if populations is None else populations
    event_rates, populations = set(event_rates or ()), dict(populations or {})
    # Benchmarking every city in turn screens the same values each time: the last result is kept for the exact
    # inputs (their pickled bytes, compared whole), and a copy returned.
    inputs = frame[[c for c in ("code", "city", "value", "raw", "unit", "year", "missing", "indicator") if c in frame]]
    key = pickle.dumps(
        (inputs, relations, review, sorted(countries.items()), ranges, sorted(event_rates), sorted(populations.items())),
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    if key in _LAST_SCREENING:
        return _LAST_SCREENING[key].copy()
    flags = _screen(inputs, relations, review, countries, ranges, event_rates, populations)
    _LAST_SCREENING.clear()
    _LAST_SCREENING[key] = flags
    return flags.copy()


_LAST_SCREENING: dict[bytes, pd.DataFrame] = {}


def _screen(frame: pd.DataFrame, relations, review, countries, ranges, event_rates=frozenset(), populations=None) -> pd.DataFrame:
    # Only the columns the rules and the flags read: every rule walks records of these (not of the whole table).
    present = frame.loc[~frame["missing"], [c for c in frame if c != "missing"]].sort_values(["code", "city"]).reset_index(drop=True)
    rows: list = []
    _share_and_unit_rules(present, rows)
    _relation_rules(present, relations, rows)
    _outlier_rule(present, rows, ranges, countries)
    _same_value_rule(present, rows)
    _country_rule(present, countries, rows, event_rates, populations)
    _label_rule(present, review, rows)
    _reference_range_rule(present, ranges, rows, countries)
    flags = pd.DataFrame(rows, columns=["code", "city", "value", "raw", "unit", "rule", "other", "amount"])
    flags["severity"] = flags["rule"].map(RULE_SEVERITY)
    order = {code: i for i, code in enumerate(dict.fromkeys(frame["code"]))}
    city_order = {city: i for i, city in enumerate(dict.fromkeys(frame["city"]))}
    flags = flags.assign(_c=flags["code"].map(order), _k=flags["city"].map(city_order), _r=flags["rule"].map(list(RULE_SEVERITY).index))
    flags = flags.sort_values(["_c", "_k", "_r"]).drop(columns=["_c", "_k", "_r"]).reset_index(drop=True)
    return flags[FLAG_COLUMNS + ["unit", "other", "amount"]]


def check_exclude_flagged(exclude_flagged: str) -> tuple[str, ...]:
    """The severities ``exclude_flagged`` excludes; ``ValueError`` naming the allowed values."""
    if exclude_flagged not in EXCLUDE_CHOICES:
        raise ValueError(f"exclude_flagged must be one of {', '.join(EXCLUDE_CHOICES)}; got {exclude_flagged!r}")
    return EXCLUDE_CHOICES[exclude_flagged]


def worst_severity(flags: pd.DataFrame) -> pd.Series:
    """Per (code, city): the most severe flag (``error`` > ``warning`` > ``note``)."""
    if flags.empty:
        return pd.Series(dtype=object, index=pd.MultiIndex.from_tuples([], names=["code", "city"]))
    best = worst_flags(flags)
    return pd.Series(best["severity"].to_numpy(), index=pd.MultiIndex.from_arrays([best["code"], best["city"]]), name="severity")


def worst_flags(flags: pd.DataFrame) -> pd.DataFrame:
    """Per (code, city) with a flag: the row (``code, city, severity, rule``) of its most severe flag (of equal
    severity, the first in the screening's order)."""
    narrow = flags[["code", "city", "severity", "rule"]]
    rank = narrow["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    return narrow.assign(_r=rank).sort_values("_r").drop_duplicates(["code", "city"]).drop(columns="_r")


def excluded_mask(frame: pd.DataFrame, flags: pd.DataFrame, exclude_flagged: str) -> pd.Series:
    """Boolean per row of ``frame``: its value is excluded under ``exclude_flagged``."""
    severities = check_exclude_flagged(exclude_flagged)
    hit = flags[flags["severity"].isin(severities)]
    keys = set(zip(hit["code"], hit["city"]))
    return pd.Series([(c, k) in keys for c, k in zip(frame["code"], frame["city"])], index=frame.index, dtype=bool)
