"""Benchmark one focal city against its peers on the ISO 37120 indicators.

Pure functions: tidy DataFrames in, DataFrames out. The input is
``data/processed/indicators.csv`` joined with ``indicator_metadata.csv``
(:func:`attach_metadata`); every city is just rows, so any number of cities works.

Conventions
-----------
* The source values are screened first (:mod:`analysis.methods.screening`); a value whose
  flag's severity ``exclude_flagged`` names (``errors`` by default) has ``excluded``
  set and is treated like a missing value in every rank and score.
* Rank 1 is best. ``higher`` polarity ranks the largest value first, ``lower`` the
  smallest. Ties share the best rank of the tie (1, 1, 3). Missing or excluded values
  and ``neutral`` indicators get no rank, and neither does a row where every reporting
  city prints the same value. ``first_place`` tells ``alone`` from ``shared``.
* Strengths and weaknesses need a material gap to the peer median (``min_gap``).
* The robustness of every rank is measured by :mod:`analysis.methods.robustness`; the
  report's prose lives in :mod:`analysis.text.benchmark`.
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

from analysis.data.cities import resolve_city
from analysis.data.read import attach_metadata  # noqa: F401  (re-exported: the benchmark's input)
from analysis.errors import UnknownNameError
from analysis.methods import robustness as robustness_module
from analysis.methods import screening
from analysis.params import BenchmarkParams

KEY = ["code", "city"]
DEFAULT = BenchmarkParams()  # the defaults of the helpers below are the report's


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
            raise UnknownNameError.listing("theme", unknown, known_themes)
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


def add_screening(frame: pd.DataFrame, flags: pd.DataFrame, exclude_flagged: str = DEFAULT.exclude_flagged) -> pd.DataFrame:
    """Add ``flag`` (the most severe screening flag of the value, or empty), ``flag_rule``
    (the rule that raised it) and ``excluded`` (the value is left out of ranks and scores under
    ``exclude_flagged``)."""
    out = frame.copy()
    worst = screening.worst_severity(flags).to_dict()
    keys = list(zip(out["code"], out["city"]))
    out["flag"] = [worst.get(key, "") for key in keys]
    reasons = flags.assign(_r=flags["severity"].map({s: i for i, s in enumerate(screening.SEVERITIES)}))
    reasons = reasons.sort_values("_r").drop_duplicates(["code", "city"]).set_index(["code", "city"])["rule"].to_dict()
    out["flag_rule"] = [reasons.get(key, "") for key in keys]
    out["excluded"] = screening.excluded_mask(out, flags, exclude_flagged).to_numpy()
    return out


def benchmark_table(frame: pd.DataFrame, focal_city: str, max_year_gap: int = DEFAULT.max_year_gap) -> pd.DataFrame:
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
    extra = [c for c in ("first_place", "flag", "flag_rule", "excluded") if c in focal]
    summary = focal[
        ["theme", "indicator", "unit", "polarity", "value", "year", "rank", "n_ranked", "score_minmax", "score_z", "year_flag", *extra]
    ].copy()
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


def theme_scores(table: pd.DataFrame, min_coverage: float = DEFAULT.min_coverage) -> pd.DataFrame:
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


def material_gap(summary: pd.DataFrame, min_gap: float = DEFAULT.min_gap) -> pd.Series:
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


def median_comparison(summary: pd.DataFrame, min_gap: float = DEFAULT.min_gap) -> dict[str, int]:
    """How many comparable indicators put the focal city clearly above, clearly below or level
    with the peer median: ``compared``, ``better``, ``worse`` and ``level`` (which add up).

    Comparable: a polar indicator with a value for the focal city and a peer median.
    "Clearly" uses the same rule as strengths and weaknesses (:func:`material_gap`), so a
    headline never counts a gap of 0.1 % as "better".
    """
    side = summary["better_than_median"]
    comparable = side.notna()
    material = material_gap(summary, min_gap) & comparable
    better = int((material & (side == True)).sum())  # noqa: E712
    worse = int((material & (side == False)).sum())  # noqa: E712
    compared = int(comparable.sum())
    return {"compared": compared, "better": better, "worse": worse, "level": compared - better - worse}


def strengths_and_weaknesses(
    table: pd.DataFrame, focal_city: str, top_n: int = DEFAULT.top_n, min_gap: float = DEFAULT.min_gap
) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    columns = [
        "code",
        "theme",
        "indicator",
        "value",
        "unit",
        "year",
        "rank",
        "n_ranked",
        "score_minmax",
        "score_z",
        "year_flag",
        "peer_median",
        "gap_to_peer_median",
        "flag",
        "flag_rule",
    ]
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


def quality_flags(frame: pd.DataFrame, **context) -> pd.DataFrame:
    """Screening flags of the source values (see :mod:`analysis.methods.screening`)."""
    return screening.screen_values(frame, **context)


def overall_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """Per city: the overall score (mean of its scored theme scores, 0–100) and its rank."""
    overall = scores.groupby("city", sort=False)["score_minmax"].mean().rename("score_minmax").reset_index()
    overall["rank"] = overall["score_minmax"].rank(method="min", ascending=False).astype("Int64")
    return overall


DOWNLOAD_COLUMNS = ["code", "theme", "city", "value", "year", "rank", "n_ranked", "score_minmax", "score_z", "flag", "excluded"]


def download_table(table: pd.DataFrame) -> pd.DataFrame:
    """The published per-city CSV: one row per (indicator, city)."""
    out = table[DOWNLOAD_COLUMNS + ["year_flag", "polarity", "unit"]].copy()
    out["score_minmax"] = out["score_minmax"].round(4)
    out["score_z"] = out["score_z"].round(4)
    return out


def strengths_download(result: BenchmarkResult) -> pd.DataFrame:
    """``benchmark-<city>-strengths.csv``: kind, code, value, peer_median, gap, score_z, flag, robust_share."""
    frames = []
    for kind, frame in (("strength", result.strengths), ("weakness", result.weaknesses)):
        part = frame.rename(columns={"gap_to_peer_median": "gap"})[["code", "value", "peer_median", "gap", "score_z", "flag", "robust_share"]]
        frames.append(part.assign(kind=kind))
    out = pd.concat(frames, ignore_index=True)[["kind", "code", "value", "peer_median", "gap", "score_z", "flag", "robust_share"]]
    return out.round({"score_z": 4, "robust_share": 4, "gap": 6})


@dataclass
class BenchmarkResult:
    """Every table of one benchmark run (see :func:`run_benchmark`); ``params`` are the run's parameters."""

    table: pd.DataFrame
    focal_city: str
    peers: list[str]
    summary: pd.DataFrame
    theme_scores: pd.DataFrame
    overall: pd.DataFrame
    strengths: pd.DataFrame
    weaknesses: pd.DataFrame
    coverage: pd.DataFrame
    quality_flags: pd.DataFrame
    robustness: robustness_module.Robustness
    params: BenchmarkParams

    @property
    def parameters(self) -> dict:
        """The run's parameters as a dict (``result.params`` is the model)."""
        return self.params.model_dump()


def run_benchmark(
    frame: pd.DataFrame,
    params: BenchmarkParams | str | None = None,
    *,
    screening_context: dict | None = None,
    **options,
) -> BenchmarkResult:
    """Benchmark a focal city against its peers (default all others) on its themes (default all).

    ``params`` is a :class:`~analysis.params.BenchmarkParams`; or give the focal city's name
    (or nothing) and the other parameters as keywords (``peers=``, ``themes=``,
    ``max_year_gap=`` …), from which the model is built and checked — once, before any work: a
    bad value raises :class:`~analysis.errors.ParameterError` (a ``ValueError``) naming the
    parameter and what is allowed. City and theme names are checked against ``frame``.

    The source values are screened (:mod:`analysis.methods.screening`); values whose flag's
    severity ``exclude_flagged`` names are left out of ranks and scores. Strengths and
    weaknesses need a material gap (``min_gap``, relative to the peer median). The
    robustness of every rank is measured over at least ``n_variants`` variants
    (:mod:`analysis.methods.robustness`, draws fixed by ``seed``). ``screening_context``
    (relations, review, countries) defaults to the curated files in ``data/raw/``.
    """
    if isinstance(params, BenchmarkParams):
        if options:
            raise TypeError(f"run_benchmark takes a BenchmarkParams or keyword parameters, not both (got {', '.join(options)})")
    else:
        params = BenchmarkParams.check(options, **({"focal_city": params} if params is not None else {}))
    p = params
    context = screening_context if screening_context is not None else screening.screening_context()
    selected, focal, peer_list = select_cities(frame, p.focal_city, p.peers, p.themes)
    flags = screening.screen_values(selected, **context)
    screened = add_screening(selected, flags, p.exclude_flagged)
    table = benchmark_table(screened, focal, p.max_year_gap)
    strengths, weaknesses = strengths_and_weaknesses(table, focal, p.top_n, p.min_gap)
    review = context["review"]
    contested = set(review.loc[review["polarity_confidence"] == "contested", "code"])
    robust = robustness_module.analyse(
        table,
        focal,
        contested=contested,
        max_year_gap=p.max_year_gap,
        min_coverage=p.min_coverage,
        n_variants=p.n_variants,
        seed=p.seed,
        top_n=p.top_n,
        exclude_flagged=p.exclude_flagged,
    )
    shares = robust.indicator_shares.set_index("code")
    strengths["robust_share"] = strengths["code"].map(shares["strength"])
    weaknesses["robust_share"] = weaknesses["code"].map(shares["weakness"])
    scores = theme_scores(table, p.min_coverage)
    return BenchmarkResult(
        table=table,
        focal_city=focal,
        peers=peer_list,
        summary=focal_summary(table, focal),
        theme_scores=scores,
        overall=overall_scores(scores),
        strengths=strengths,
        weaknesses=weaknesses,
        coverage=coverage_by_city(table),
        quality_flags=flags,
        robustness=robust,
        params=params.model_copy(update={"focal_city": focal, "peers": params.peers and peer_list}),
    )
