"""Benchmark one focal city against its peers on the ISO 37120 indicators.

Pure functions: tidy DataFrames in, DataFrames out. The input is
``data/processed/indicators.csv`` joined with ``indicator_metadata.csv``
(:func:`attach_metadata`); every city is just rows, so any number of cities works.

Conventions
-----------
* Rank 1 is best. ``higher`` polarity ranks the largest value first, ``lower`` the
  smallest. Ties share the best rank of the tie (1, 1, 3). Missing values and
  ``neutral`` indicators get no rank.
* ``score_minmax`` is 0–100 and ``score_z`` a z-score (sample standard deviation),
  both computed over the cities that report the indicator and oriented so that a
  higher score is better. Where every reporting city has the same value (or only
  one city reports), min-max gives 50 and z gives 0: no city is better than
  another. ``neutral`` indicators get no score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cities import city_slug, resolve_city
from .errors import UnknownCityError
from . import screening

KEY = ["code", "city"]


def attach_metadata(indicators: pd.DataFrame, metadata: pd.DataFrame) -> pd.DataFrame:
    """Add the English indicator name and polarity to the tidy indicator table."""
    joined = indicators.merge(metadata[["code", "indicator", "polarity"]], on="code", how="left", validate="many_to_one")
    unknown = joined.loc[joined["polarity"].isna(), "code"].unique()
    if len(unknown):
        raise ValueError(f"indicators without metadata: {sorted(unknown)}")
    return joined


def select_cities(
    frame: pd.DataFrame, focal_city: str, peers: Sequence[str] | None = None, themes: Sequence[str] | None = None
) -> tuple[pd.DataFrame, str, list[str]]:
    """Restrict to the focal city, its peers (default: every other city) and themes.

    Returns the frame, the resolved focal city and the resolved peer list.
    """
    known = list(dict.fromkeys(frame["city"]))
    focal = resolve_city(focal_city, known)
    if peers is None:
        peer_list = [city for city in known if city != focal]
    else:
        peer_list = [resolve_city(peer, known) for peer in peers]
        peer_list = [city for city in dict.fromkeys(peer_list) if city != focal]
    if not peer_list:
        raise ValueError("a benchmark needs at least one peer city")
    selected = frame[frame["city"].isin([focal, *peer_list])]
    if themes is not None:
        known_themes = list(dict.fromkeys(frame["theme"]))
        unknown = [theme for theme in themes if theme not in known_themes]
        if unknown:
            raise ValueError(f"unknown theme(s) {unknown}; known themes: {', '.join(known_themes)}")
        selected = selected[selected["theme"].isin(themes)]
    return selected.reset_index(drop=True), focal, peer_list


def _oriented(frame: pd.DataFrame) -> pd.Series:
    """Values signed so that larger is better; NaN for neutral, missing or excluded values."""
    sign = frame["polarity"].map({"higher": 1.0, "lower": -1.0, "neutral": np.nan})
    oriented = frame["value"] * sign
    if "excluded" in frame:
        oriented = oriented.where(~frame["excluded"].astype(bool))
    return oriented


def rank_cities(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank cities per indicator: adds ``rank`` (1 = best), ``n_ranked`` and ``first_place``.

    ``n_ranked`` is the number of cities with a usable value on a polar indicator.
    A row is ranked only where the values differ: where every reporting city prints
    the same value (or only one reports), no city is better and ``rank`` is empty.
    ``first_place`` is ``'alone'`` for the only city in rank 1, ``'shared'`` when
    several tie for it, else empty. Neutral indicators, missing and excluded values
    get no rank.
    """
    out = frame.copy()
    oriented = _oriented(out)
    by_code = oriented.groupby(out["code"])
    spread = by_code.transform("max") - by_code.transform("min")
    rank = by_code.rank(method="min", ascending=False).where(spread > 0)
    out["rank"] = rank.astype("Int64")
    counts = oriented.notna().groupby(out["code"]).transform("sum")
    out["n_ranked"] = counts.where(out["polarity"] != "neutral").astype("Int64")
    firsts = (rank == 1).groupby(out["code"]).transform("sum")
    out["first_place"] = np.where(rank == 1, np.where(firsts == 1, "alone", "shared"), "")
    return out


def normalise_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``score_minmax`` (0–100) and ``score_z``, both oriented higher = better.

    Computed over the cities with a usable value (excluded values get no score).
    """
    out = frame.copy()
    oriented = _oriented(out)
    grouped = oriented.groupby(out["code"])
    low, high = grouped.transform("min"), grouped.transform("max")
    mean, sd = grouped.transform("mean"), grouped.transform(lambda s: s.std(ddof=1))
    spread = high - low
    minmax = 100 * (oriented - low) / spread.where(spread > 0)
    out["score_minmax"] = minmax.where(~(spread == 0), 50.0).where(oriented.notna())
    z = (oriented - mean) / sd.where(sd > 0)
    no_spread = (spread == 0) | sd.isna()
    out["score_z"] = z.where(~no_spread, 0.0).where(oriented.notna())
    return out


def add_vintage_flags(frame: pd.DataFrame, focal_city: str, max_year_gap: int) -> pd.DataFrame:
    """Add ``year_gap`` (years between a city's value and the focal city's) and ``year_flag``.

    ``year_flag`` is ``'gap'`` when the gap exceeds ``max_year_gap``, ``'no year'``
    when a value has no reference year, and empty otherwise. Flagged rows stay
    in the comparison: the flag tells the reader how much to trust it.
    """
    out = frame.copy()
    focal_year = out[out["city"] == focal_city].set_index("code")["year"]
    out["year_gap"] = (out["year"] - out["code"].map(focal_year)).abs().astype("Int64")
    flag = pd.Series("", index=out.index, dtype=object)
    flag[(out["year_gap"] > max_year_gap).fillna(False).astype(bool)] = "gap"
    flag[out["year"].isna() & ~out["missing"]] = "no year"
    out["year_flag"] = flag
    return out


def add_screening(frame: pd.DataFrame, flags: pd.DataFrame, exclude_flagged: str = "errors") -> pd.DataFrame:
    """Add ``flag`` (the most severe screening flag of the value, or empty), ``flag_reason``
    (its English message) and ``excluded`` (the value is left out of ranks and scores under
    ``exclude_flagged``)."""
    out = frame.copy()
    worst = screening.worst_severity(flags)
    keys = list(zip(out["code"], out["city"]))
    out["flag"] = [worst.get(key, "") for key in keys]
    reasons = flags.assign(_r=flags["severity"].map({s: i for i, s in enumerate(screening.SEVERITIES)}))
    reasons = reasons.sort_values("_r").drop_duplicates(["code", "city"]).set_index(["code", "city"])["message"]
    out["flag_reason"] = [reasons.get(key, "") for key in keys]
    out["excluded"] = screening.excluded_mask(out, flags, exclude_flagged).to_numpy()
    return out


def benchmark_table(
    frame: pd.DataFrame, focal_city: str, max_year_gap: int = 3
) -> pd.DataFrame:
    """Ranks, scores and vintage flags for every (indicator, city) of ``frame``."""
    table = normalise_scores(rank_cities(frame))
    return add_vintage_flags(table, focal_city, max_year_gap)


def focal_summary(table: pd.DataFrame, focal_city: str) -> pd.DataFrame:
    """One row per indicator: the focal city's value, rank and gap to the peer median.

    ``peer_median`` is the median of the peers' usable values (missing and excluded
    values left out); ``gap_to_peer_median`` is focal value minus it, in the
    indicator's unit; ``better_than_median`` says whether that gap points the good
    way (empty for neutral indicators, excluded values or when either side is missing).
    """
    usable = table if "excluded" not in table else table[~table["excluded"]]
    peers = usable[usable["city"] != focal_city]
    peer_median = peers.groupby("code")["value"].median()
    peer_count = peers.groupby("code")["value"].count()
    focal = table[table["city"] == focal_city].set_index("code")
    extra = [c for c in ("first_place", "flag", "flag_reason", "excluded") if c in focal]
    summary = focal[["theme", "indicator", "unit", "polarity", "value", "year", "rank", "n_ranked", "score_minmax", "score_z", "year_flag", *extra]].copy()
    summary["peer_median"] = peer_median.reindex(summary.index)
    summary["n_peers_reporting"] = peer_count.reindex(summary.index).fillna(0).astype(int)
    summary["gap_to_peer_median"] = summary["value"] - summary["peer_median"]
    sign = summary["polarity"].map({"higher": 1.0, "lower": -1.0, "neutral": np.nan})
    directed = summary["gap_to_peer_median"] * sign
    if "excluded" in summary:
        directed = directed.where(~summary["excluded"].astype(bool))
    better = pd.Series(pd.NA, index=summary.index, dtype="boolean")
    better[directed > 0] = True
    better[directed < 0] = False
    summary["better_than_median"] = better
    return summary.reset_index()


def theme_scores(table: pd.DataFrame, min_coverage: float = 0.5) -> pd.DataFrame:
    """Mean score per (theme, city) over the polar indicators the city reports.

    ``coverage`` is the share of the theme's polar indicators with a usable value
    (missing and excluded values do not count); below ``min_coverage`` the scores are
    left empty (too little to summarise).
    """
    polar = table[table["polarity"] != "neutral"].copy()
    usable = ~polar["missing"]
    if "excluded" in polar:
        usable &= ~polar["excluded"].astype(bool)
    polar["_usable"] = usable
    grouped = polar.groupby(["theme", "city"], sort=False)
    scores = grouped.agg(
        n_indicators=("code", "size"),
        n_reported=("_usable", "sum"),
        score_minmax=("score_minmax", "mean"),
        score_z=("score_z", "mean"),
    ).reset_index()
    scores["n_reported"] = scores["n_reported"].astype(int)
    scores["coverage"] = scores["n_reported"] / scores["n_indicators"]
    enough = scores["coverage"] >= min_coverage
    scores["score_minmax"] = scores["score_minmax"].where(enough)
    scores["score_z"] = scores["score_z"].where(enough)
    scores["scored"] = enough
    scores["rank"] = scores.groupby("theme", sort=False)["score_minmax"].rank(method="min", ascending=False).astype("Int64")
    return scores


# Minimum absolute gap to the peer median, by unit, for a difference to be claimed:
# shares near 0 % or 100 % make large relative gaps out of tenths of a point.
MIN_ABS_GAP_BY_UNIT = {"%": 1.0}


def material_gap(summary: pd.DataFrame, min_gap: float = 0.10) -> pd.Series:
    """Whether the focal city's gap to the peer median is large enough to claim.

    Material when ``|gap| >= min_gap * |peer median|`` (a relative gap; a peer
    median of 0 makes any non-zero gap relative-material) and, for units in
    :data:`MIN_ABS_GAP_BY_UNIT` (percentage points for ``%``), ``|gap|`` reaches that
    absolute minimum. False where either side is missing.
    """
    gap = summary["gap_to_peer_median"].abs()
    relative = gap >= min_gap * summary["peer_median"].abs()
    absolute = gap >= summary["unit"].map(MIN_ABS_GAP_BY_UNIT).fillna(0.0)
    return (relative & absolute & (gap > 0)).fillna(False).astype(bool)


def strengths_and_weaknesses(table: pd.DataFrame, focal_city: str, top_n: int = 5,
                             min_gap: float = 0.10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The focal city's ``top_n`` best and worst indicators against its peers.

    Only polar indicators that at least one peer also reports are considered, and
    only material differences (:func:`material_gap` with ``min_gap``); order is by
    z-score (then min-max score). Strengths have z > 0 and a gap pointing the good
    way, weaknesses the opposite, so a city level with its peers has neither.
    Excluded values are never listed; values flagged ``warning`` are listed with
    their ``flag``.
    """
    summary = focal_summary(table, focal_city)
    summary["material"] = material_gap(summary, min_gap)
    usable = summary["score_z"].notna() & (summary["n_ranked"] >= 2) & summary["material"]
    if "excluded" in summary:
        usable &= ~summary["excluded"].astype(bool)
    focal = summary[usable]
    columns = ["code", "theme", "indicator", "value", "unit", "year", "rank", "n_ranked", "score_minmax", "score_z",
               "year_flag", "peer_median", "gap_to_peer_median", "flag", "flag_reason"]
    columns = [c for c in columns if c in focal]
    ordered = focal.sort_values(["score_z", "score_minmax", "code"], ascending=[False, False, True])
    better = ordered["better_than_median"].fillna(False).astype(bool)
    worse = (ordered["better_than_median"] == False).fillna(False).astype(bool)  # noqa: E712
    strengths = ordered[(ordered["score_z"] > 0) & better].head(top_n)[columns]
    weaknesses = ordered[(ordered["score_z"] < 0) & worse].iloc[::-1].head(top_n)[columns]
    return strengths.reset_index(drop=True), weaknesses.reset_index(drop=True)


def coverage_by_city(table: pd.DataFrame) -> pd.DataFrame:
    """Per city: indicators reported, missing, share reported, and reference-year range."""
    grouped = table.groupby("city", sort=False)
    coverage = grouped.agg(
        reported=("missing", lambda m: int((~m).sum())),
        missing=("missing", "sum"),
        oldest_year=("year", "min"),
        newest_year=("year", "max"),
        median_year=("year", "median"),
        without_year=("year_flag", lambda f: int((f == "no year").sum())),
    ).reset_index()
    coverage["share_reported"] = coverage["reported"] / (coverage["reported"] + coverage["missing"])
    return coverage


# Plausible range of a value by unit: a value outside contradicts its unit.
PLAUSIBLE_RANGE = {
    "%": (0, 100),
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


# Indicators that split one whole: their shares cannot add up to more than 100 %.
PARTS_OF_A_WHOLE = {
    "Solid waste by treatment (recycled, landfill, incinerated, burned, dumped, other)": [
        "SW16.3", "SW16.4", "SW16.5", "SW16.6", "SW16.7", "SW16.8",
    ],
}


def quality_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """Problems in the source data worth a reader's attention, one row per (indicator, city, issue).

    * ``percentage above 100`` — a share cannot exceed 100 %.
    * ``same value as <city>`` — two cities print the identical non-trivial value
      in one row (0 and 100 % excluded), a sign of a copied cell.
    * ``no reference year`` — a value printed without its year.
    * ``implausible for unit`` — a value outside the plausible range of its unit
      (e.g. thousands of non-stop flight destinations).
    * ``shares of one whole add up to more than 100`` — e.g. the solid-waste
      treatment shares of one city.
    """
    present = frame[~frame["missing"]]
    flags: list[dict] = []

    def add(row, issue):
        flags.append({"code": row["code"], "indicator": row["indicator"], "city": row["city"], "value": row["value"], "unit": row["unit"], "raw": row["raw"], "issue": issue})

    for _, row in present.iterrows():
        if row["unit"] == "%" and row["value"] > 100:
            add(row, "percentage above 100")
        elif row["unit"] in PLAUSIBLE_RANGE:
            low, high = PLAUSIBLE_RANGE[row["unit"]]
            if not low <= row["value"] <= high:
                add(row, f"implausible for unit {row['unit']!r} (expected {low}-{high})")
        if pd.isna(row["year"]):
            add(row, "no reference year")
    for group_name, codes in PARTS_OF_A_WHOLE.items():
        parts = present[present["code"].isin(codes)]
        for city, shares in parts.groupby("city", sort=False):
            total = shares["value"].sum()
            if total > 100.5:
                first = shares.iloc[0]
                flags.append({"code": "+".join(shares["code"]), "indicator": group_name, "city": city, "value": round(total, 2), "unit": "%", "raw": " + ".join(shares["raw"]), "issue": "shares of one whole add up to more than 100"})
    trivial = present["value"].isin([0.0]) | ((present["unit"] == "%") & (present["value"] == 100.0))
    candidates = present[~trivial]
    for code, group in candidates.groupby("code", sort=False):
        for value, same in group.groupby("value"):
            if len(same) > 1:
                cities = list(same["city"])
                for _, row in same.iterrows():
                    others = ", ".join(city for city in cities if city != row["city"])
                    add(row, f"same value as {others}")
    columns = ["code", "indicator", "city", "value", "unit", "raw", "issue"]
    result = pd.DataFrame(flags, columns=columns)
    order = {code: i for i, code in enumerate(dict.fromkeys(frame["code"]))}
    result["_order"] = result["code"].map(lambda code: order.get(code.split("+")[0], len(order)))
    return result.sort_values(["_order", "city", "issue"]).drop(columns="_order").reset_index(drop=True)


DOWNLOAD_COLUMNS = ["code", "theme", "city", "value", "year", "rank", "n_ranked", "score_minmax", "score_z"]


def download_table(table: pd.DataFrame) -> pd.DataFrame:
    """The published per-city CSV: one row per (indicator, city)."""
    out = table[DOWNLOAD_COLUMNS + ["year_flag", "polarity", "unit"]].copy()
    out["score_minmax"] = out["score_minmax"].round(4)
    out["score_z"] = out["score_z"].round(4)
    return out


@dataclass
class BenchmarkResult:
    """Every table of one benchmark run (see :func:`run_benchmark`)."""

    table: pd.DataFrame
    focal_city: str
    peers: list[str]
    summary: pd.DataFrame
    theme_scores: pd.DataFrame
    strengths: pd.DataFrame
    weaknesses: pd.DataFrame
    coverage: pd.DataFrame
    quality_flags: pd.DataFrame

    def downloads(self) -> dict[str, pd.DataFrame]:
        """The CSV files a run publishes, by file name."""
        slug = city_slug(self.focal_city)
        return {
            f"benchmark-{slug}.csv": download_table(self.table),
            f"benchmark-{slug}-themes.csv": self.theme_scores.round(4),
            f"benchmark-{slug}-quality-flags.csv": self.quality_flags,
        }


def run_benchmark(
    frame: pd.DataFrame,
    focal_city: str,
    peers: Sequence[str] | None = None,
    themes: Sequence[str] | None = None,
    max_year_gap: int = 3,
    min_coverage: float = 0.5,
    top_n: int = 5,
) -> BenchmarkResult:
    """Benchmark ``focal_city`` against ``peers`` (default all others) on ``themes`` (default all)."""
    if not 0 <= min_coverage <= 1:
        raise ValueError(f"min_coverage must be between 0 and 1, got {min_coverage}")
    if max_year_gap < 0 or top_n < 1:
        raise ValueError("max_year_gap must be >= 0 and top_n >= 1")
    selected, focal, peer_list = select_cities(frame, focal_city, peers, themes)
    table = benchmark_table(selected, focal, max_year_gap)
    strengths, weaknesses = strengths_and_weaknesses(table, focal, top_n)
    return BenchmarkResult(
        table=table,
        focal_city=focal,
        peers=peer_list,
        summary=focal_summary(table, focal),
        theme_scores=theme_scores(table, min_coverage),
        strengths=strengths,
        weaknesses=weaknesses,
        coverage=coverage_by_city(table),
        quality_flags=quality_flags(selected),
    )


def _indicator_list(frame: pd.DataFrame, limit: int = 3) -> str:
    names = [f"{row.indicator.lower()} ({row.code})" for row in frame.head(limit).itertuples()]
    return "; ".join(names) if names else "none"


def headline(result: BenchmarkResult, min_coverage: float, max_year_gap: int) -> str:
    """A few sentences, in Markdown, that say where the focal city stands."""
    focal = result.focal_city
    summary = result.summary
    ranked = summary[summary["rank"].notna()]
    # First or last only counts where at least one peer reports the indicator too.
    compared_ranks = ranked[ranked["n_ranked"] >= 2]
    firsts = int((compared_ranks["rank"] == 1).sum())
    lasts = int((compared_ranks["rank"] == compared_ranks["n_ranked"]).sum())
    better = int(summary["better_than_median"].fillna(False).sum())
    compared = int(summary["better_than_median"].notna().sum())
    themes = result.theme_scores[(result.theme_scores["city"] == focal) & result.theme_scores["scored"]]
    best_theme = themes.sort_values("score_minmax", ascending=False).head(1)
    worst_theme = themes.sort_values("score_minmax").head(1)
    lines = [
        f"**{focal}** compared with {', '.join(result.peers)} on {summary['code'].nunique()} indicators "
        f"({len(ranked)} of them ranked for {focal}).",
        "",
        f"* {focal} ranks first on **{firsts}** and last on **{lasts}** of the ranked indicators it reports.",
        f"* It is better than the peer median on **{better} of {compared}** indicators where both can be compared.",
    ]
    if not best_theme.empty:
        lines.append(
            f"* Its strongest theme is **{best_theme.iloc[0]['theme']}** (score {best_theme.iloc[0]['score_minmax']:.0f} of 100), "
            f"its weakest **{worst_theme.iloc[0]['theme']}** ({worst_theme.iloc[0]['score_minmax']:.0f})."
        )
    lines.append(f"* Top strengths: {_indicator_list(result.strengths)}.")
    lines.append(f"* Main weaknesses: {_indicator_list(result.weaknesses)}.")
    flagged = int((result.table["year_flag"] == "gap").sum())
    lines.append(
        f"* {flagged} peer values describe a year more than {max_year_gap} years away from {focal}'s; "
        f"{len(result.quality_flags)} data-quality flags were raised on the source table (section 6)."
    )
    return "\n".join(lines)


def vintage_note(result: BenchmarkResult, max_year_gap: int) -> str:
    """Which comparisons cross more than ``max_year_gap`` years, per peer."""
    gaps = result.table[result.table["year_flag"] == "gap"]
    if gaps.empty:
        return f"No peer value is more than {max_year_gap} years away from {result.focal_city}'s reference year."
    per_city = gaps.groupby("city", sort=False)["code"].apply(lambda codes: ", ".join(codes)).to_dict()
    parts = [f"**{city}** ({len(codes.split(', '))}): {codes}" for city, codes in per_city.items()]
    return (
        f"Values more than {max_year_gap} years away from {result.focal_city}'s year (hatched below) — "
        "read these comparisons with care:\n\n" + "\n".join(f"* {part}" for part in parts)
    )


def method_note(result: BenchmarkResult, min_coverage: float, max_year_gap: int) -> str:
    """The parameters and conventions of the run, for the end of the report."""
    return "\n".join(
        [
            "**Method.**",
            f"Focal city {result.focal_city}; peers {', '.join(result.peers)}; "
            f"themes {result.summary['theme'].nunique()}; maximum year gap {max_year_gap}; "
            f"minimum theme coverage {min_coverage:.0%}.",
            "Ranks: 1 = best by the indicator's polarity, ties share the best rank, neutral indicators unranked. "
            "Min-max scores 0-100 and z-scores (sample standard deviation) are computed over the cities reporting "
            "each indicator; where all reporting cities are equal the min-max score is 50 and the z-score 0. "
            "Polarity and units are curated in `data/raw/indicator_metadata.csv`, with a reason for each.",
        ]
    )
