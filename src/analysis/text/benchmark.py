"""The prose of the benchmark report, in the page's language.

Every function takes a :class:`~analysis.methods.benchmark.BenchmarkResult` and a translator
``tr`` (:class:`analysis.text.i18n.Lang`) and returns Markdown or a reader's table. Names
of indicators and themes come from :mod:`analysis.data.labels` (Polish as printed in the
source); every data-derived string is passed through :func:`md_escape`.

The paragraphs (the headline, the notes under the tables, the sections' introductions, the
method note) are templates in ``text/templates/benchmark-*.md.j2``, rendered by
:func:`analysis.text.render.render`, which escapes every value from data itself: the functions
here pass names as they are and numbers as numbers. Short labels stay ``tr(...)`` calls.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from analysis.data import labels
from analysis.data.cities import city_slug
from analysis.methods import benchmark as benchmark_method
from analysis.methods import robustness, screening
from analysis.text.common import flag_marker, heading, indicator_name, md_escape, short_indicator_name, theme_name, unit_label  # noqa: F401  (the notebook uses them as text.*)
from analysis.text.i18n import N_, Lang
from analysis.text.render import render
from analysis.text.screening import describe_flags, flag_message


def names(tr: Lang) -> tuple[dict, dict]:
    """(indicator names by code, theme names by English theme) in ``tr``'s language."""
    return labels.indicator_names(tr.lang), labels.theme_names(tr.lang)


def sections(tr: Lang) -> dict[str, str]:
    """The ``##`` headings of the report, in order."""
    return {
        "strengths": tr("Strengths and weaknesses"),
        "to_check": tr("Values to verify at source before the next ISO 37120 submission"),
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


def _theme_scope(result, tr: Lang) -> str:
    """ " in the theme “Transportation”" (" w obszarze „Transport”"), or of several themes, for a run limited to some
    themes (``themes``); empty for all of them."""
    themes = list(result.params.themes or [])
    if not themes:
        return ""
    names = tr.join([_quoted(_theme(theme, tr), tr) for theme in themes])
    return " " + tr.plural("in the theme {names}", "in the themes {names}", len(themes), names=names)


def _quoted(name: str, tr: Lang) -> str:
    """A name in the page language's quotation marks (Polish „…”, English “…”), so that a list of names reads as one."""
    return f"„{name}”" if tr.lang == "pl" else f"“{name}”"


def scores_note(result, tr: Lang) -> str:
    """The min-max theme scores in the details, not in the headline: what they are, and the overall rank with its
    range over the variants (``templates/benchmark-scores-note.md.j2``). No strongest or weakest theme by score:
    scaling three to five cities from 0 to 100 makes one of a trivial difference."""
    robust = result.robustness
    within = result.table.loc[result.table["within_chance"].astype(bool), "code"].unique() if "within_chance" in result.table else []
    reasons = result.table.drop_duplicates("code").set_index("code")["unscored"] if "unscored" in result.table else pd.Series(dtype=object)
    close = [_quoted(_indicator(code, tr), tr) for code in reasons.index[reasons == "spread"]]
    values = dict(
        city=result.focal_city,
        n_variants=robust.n_variants,
        overall=None,
        chance=[_quoted(_indicator(code, tr), tr) for code in within],
        close=close,
        members=int((reasons == "construct").sum()),
    )
    overall = robust.summary[(robust.summary["city"] == result.focal_city) & (robust.summary["theme"] == "overall")]
    if not overall.empty and pd.notna(overall.iloc[0]["rank_nominal"]):
        row = overall.iloc[0]
        values["overall"] = dict(rank=row["rank_nominal"], n=len(result.peers) + 1, low=row["rank_p05"], high=row["rank_p95"])
    return render("benchmark-scores-note.md.j2", tr, **values)


def claim_confidence_counts(result) -> dict[str, int]:
    """Of the counted constructs: how many strengths (``firm_better``) and weaknesses (``firm_worse``) hold with at
    least medium confidence, and on how many "level" ones every city with a usable value prints the same value
    (``level_constant``: level by construction, no finding). A sceptical reading: "4 better, 9 worse, 36 level" hid
    that 6 of the 13 claims hold in 60 % of the variants or fewer and that 6 "level" are zeros or 100 % everywhere."""
    compared = result.comparison
    counted = compared[compared["counted"]]
    shares = result.claims.set_index("code")
    better = counted.loc[counted["verdict"] == "better", "code"]
    worse = counted.loc[counted["verdict"] == "worse", "code"]
    level = counted.loc[counted["verdict"] == "level", "code"]
    table = result.table
    usable = table[~table["missing"].astype(bool) & table["value"].notna() & ~table["excluded"].astype(bool)]
    distinct = usable.groupby("code")["value"].nunique()
    constant = level.map(distinct).fillna(0) == 1
    rules = counted.loc[counted["verdict"] == "level", "level_rule"] if "level_rule" in counted else pd.Series("", index=level.index)
    rules = rules.to_numpy()
    return {
        "firm_better": int((better.map(shares["strength"]).fillna(0) >= ROBUST_SHARE).sum()),
        "firm_worse": int((worse.map(shares["weakness"]).fillna(0) >= ROBUST_SHARE).sum()),
        "level_constant": int(constant.sum()),
        "level_gap": int(((rules == "gap") & ~constant.to_numpy()).sum()),
        "level_chance": int((rules == "chance").sum()),
        "level_most": int((rules == "most_peers").sum()),
        "level_construct": int((rules == "construct").sum()),
    }


def headline(result, tr: Lang) -> str:
    """The opening paragraph (``templates/benchmark-headline.md.j2``): the focal city against the peer median
    under the one verdict rule (``result.counts``, each construct once), the themes with a verdict
    (``result.theme_verdicts``), and the screening."""
    counts = result.counts
    verdicts = result.theme_verdicts
    values = dict(
        city=result.focal_city,
        # Declined in Polish ("na tle Eindhovenu, Gdyni…": an editor found "na tle miast: Eindhoven, Gdynia…").
        peers=[tr.decline(peer, "gen") for peer in result.peers],
        n_indicators=result.summary["code"].nunique(),
        compared=counts["compared"],
        better=counts["better"],
        worse=counts["worse"],
        level=counts["level"],
        better_debatable=counts.get("better_debatable", 0),
        worse_debatable=counts.get("worse_debatable", 0),
        debatable=_debatable_names(result, tr),
        not_comparable=counts["not comparable"],
        duplicates=result.summary["code"].nunique() - counts["compared"] - counts["not comparable"],
        themes_better=[_theme(t, tr) for t in verdicts.loc[verdicts["verdict"] == "better", "theme"]],
        themes_worse=[_theme(t, tr) for t in verdicts.loc[verdicts["verdict"] == "worse", "theme"]],
        min_theme=benchmark_method.THEME_VERDICT_MIN,
        # The errors left out, and the warnings: left out too under the default "errors+warnings", marked only under "errors".
        n_excluded=int((result.table["excluded"] & (result.table["flag"] == "error")).sum()),
        n_errors=int((result.table["flag"] == "error").sum()),
        n_warned=int((result.table["flag"] == "warning").sum()),
        warned_excluded=bool((result.table["excluded"] & (result.table["flag"] == "warning")).any()),
        **claim_confidence_counts(result),
    )
    return render("benchmark-headline.md.j2", tr, **values)


def _contested_claims(result, verdicts=("better", "worse")) -> pd.DataFrame:
    """The counted comparisons (each construct once) whose better direction is contested and whose verdict is one of
    ``verdicts``: the clear differences of debatable direction; empty when the comparison has no such column."""
    compared = result.comparison
    if "direction_contested" not in compared:
        return compared.iloc[0:0]
    return compared[compared["counted"] & compared["direction_contested"] & compared["verdict"].isin(list(verdicts))]


def _units(result) -> pd.Series:
    """Indicator code → its unit (empty when the table has none)."""
    return result.table.drop_duplicates("code").set_index("code")["unit"] if "unit" in result.table else pd.Series(dtype=object)


def _debatable_names(result, tr: Lang) -> list[str]:
    """The names of the clearly better or worse constructs (each once) whose better direction is contested."""
    return [_quoted(_indicator(code, tr), tr) for code in _contested_claims(result)["code"]]


def _debatable_sides(result, tr: Lang, verdicts: tuple[str, ...] = ("better", "worse"), numbers: bool = True) -> str:
    """ "clearly lower than the peer median on municipal waste collected (t per capita; similar in Gdynia), car ownership
    (per capita) …": the counted constructs of contested direction with these verdicts, by short name with the unit and
    by the side of the median the city lies on (officials: "which three, and more or less?"; an editor: "clearly apart"
    says neither; a second: without "per capita" they read as totals). Each side is said once for all the verdicts (an
    editor: Oakville's box said "wyraźnie niższe od mediany" twice, once per verdict)."""
    if "direction_contested" not in result.comparison:
        return ""
    counted = _contested_claims(result, verdicts)
    # A gap the country's other city largely shares is said so here too (a sceptical reading: Gdynia prints nearly the
    # same water use and waste; by the page's own rule those gaps are largely national).
    frames = []
    for verdict in verdicts:
        claims = result.all_strengths if verdict == "better" else result.all_weaknesses
        if claims is None:
            claims = result.strengths if verdict == "better" else result.weaknesses
        if claims is not None and len(claims):
            frames.append(claims)
    claims = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    national = {row["code"]: row for row in claims.to_dict("records") if _largely_national(row)}
    same = sorted({name for value in (claims["same_country"] if "same_country" in claims else []) for name in str(value or "").split("; ") if name})
    units = _units(result)

    rows = counted.set_index("code")

    def name(code: str) -> str:
        # The city's value against the median, with the unit (an official: only Gdynia's figures were given, and
        # read as the city's).
        inside = []
        row = rows.loc[code]
        if not numbers:
            # The first screen names them only; the folded details give the numbers (a bottom line to read in a minute).
            # Per resident where the unit is (an editor: "liczba samochodów osobowych" read as a total, which a smaller
            # city trivially has fewer of).
            unit = str(units.get(code) or "")
            per = next((unit_label(words, tr) for words in ("per capita", "per 100 000") if words in unit), "")
            return f"{short_indicator_name(code, tr)} {per}" if per and per not in short_indicator_name(code, tr) else short_indicator_name(code, tr)
        if pd.notna(row.get("value")) and pd.notna(row.get("peer_median")):
            inside.append(
                _versus({"value": row["value"], "peer_median": row["peer_median"], "unit": units.get(code), "only_peer": _only_peer(result)}, tr)
            )
        if code in national and same:
            # With the value (an editor: "podobnie jak w Gdyni" read as "Gdynia is below the median too").
            value = national[code].get("same_country_value")
            shown = tr.auto(value) if value is not None and pd.notna(value) else ""
            inside.append(tr("similar in {peers}: {value}", peers=tr.join(tr.decline(peer, "loc") for peer in same), value=shown))
        return short_indicator_name(code, tr) + (f" ({'; '.join(inside)})" if inside else "")

    if not numbers:
        # On the first screen each said as the bottom line says a claim (a sceptical reading: "clearly lower" stated
        # plainly for waste, which holds in 60 % of the variants that rank its direction): by the share of those
        # variants, high plainly, medium with "probably", low counted.
        lower, higher = (_debatable_plain(result, counted[side], name, tr) for side in (counted["gap"] < 0, counted["gap"] > 0))
    else:
        lower, higher = (tr.join(name(code) for code in counted.loc[side, "code"]) for side in (counted["gap"] < 0, counted["gap"] > 0))
    if not numbers:  # "clearly lower than the peer median: probably …" (a hedge cannot follow "on")
        parts = [tr("clearly lower than the peer median: {names}", names=lower)] if lower else []
        if higher:
            parts.append(tr("clearly higher than the peer median: {names}", names=higher))
        return "; ".join(parts)
    parts = [tr("clearly lower than the peer median on {names}", names=lower)] if lower else []
    if higher:
        parts.append(tr("clearly higher than the peer median on {names}", names=higher))
    return "; ".join(parts)


def _debatable_whys(result, tr: Lang) -> list[str]:
    """Why the better direction of each counted clear difference of debatable direction is debatable, each reason once,
    in the order of the bottom line (``data/raw/indicator_short_names.csv``; four officials of the ninth session: "less
    waste, fewer cars and less water look like good news: why is that not settled?")."""
    whys = labels.why_debatable(tr.lang)
    return list(dict.fromkeys(whys[code] for code in _contested_claims(result)["code"] if code in whys))


def _debatable_side(result) -> str:
    """ "lower" or "higher" where every counted clear difference of debatable direction lies on that side of the peer
    median, else "" (the bottom line then says "clearly different" and the details give each one's side)."""
    counted = _contested_claims(result)
    if not len(counted):
        return ""
    if (counted["gap"] < 0).all():
        return "lower"
    if (counted["gap"] > 0).all():
        return "higher"
    return ""


def _debatable_levels(result, rows: pd.DataFrame) -> dict[str, str]:
    """Code → ``high``/``medium``/``low``: each clear difference of debatable direction on the bottom line's scale, by
    the share of the claim variants that rank its direction in which the gap holds (as :func:`_debatable_plain`)."""
    shares = result.claims.set_index("code") if len(result.claims) else pd.DataFrame(columns=["strength", "weakness"])
    levels = {}
    for row in rows.to_dict("records"):
        column = "strength" if row["verdict"] == "better" else "weakness"
        share = shares[column].get(row["code"], 0.0) if column in shares else 0.0
        levels[row["code"]] = _level_of(benchmark_method.share_of_ranking(float(share), True))
    return levels


def _debatable_named(result, tr: Lang) -> str:
    """ "zużycie wody w gospodarstwach domowych – wynik niepewny": the one clear difference of debatable direction, by short
    name and with its confidence where it is not high; empty unless there is exactly one."""
    rows = _contested_claims(result)
    if len(rows) != 1:
        return ""
    code = rows["code"].iloc[0]
    level = _debatable_levels(result, rows)[code]
    name = short_indicator_name(code, tr)
    # In the scale's words ("probable", "uncertain"), which the first screen's scale line defines (an analyst of the
    # eighteenth session: the English first screen and its copy said "medium confidence", defined nowhere in either).
    return name if level == "high" else f"{name} – {tr(N_('probable result') if level == 'medium' else N_('uncertain result'))}"


def _level_of(share) -> str:
    """The level of a claim that holds in ``share`` of the variants: high from 90 %, medium from two thirds, else low
    (also for no share)."""
    if share is None or pd.isna(share):
        return "low"
    return "high" if share >= CONFIDENCE_HIGH else "medium" if share >= ROBUST_SHARE else "low"


def _debatable_plain(result, rows: pd.DataFrame, name, tr: Lang) -> str:
    """The first screen's names of clear differences of debatable direction on one side of the median, on the bottom
    line's scale: the share of the claim variants that rank the direction in which the gap holds (a variant that does
    not rank it counts against every such claim, so the claim's own share is at most a half)."""
    if rows.empty:
        return ""
    levels = {"high": [], "medium": [], "low": []}
    for code, level in _debatable_levels(result, rows).items():
        levels[level].append(name(code))
    high, medium, low = (tr.join(levels[key]) for key in ("high", "medium", "low"))
    if high and medium:
        text = tr("{claims}, and probably also {more}", claims=high, more=medium)
    elif medium:
        # The word after the names (an editor: "wyraźnie poniżej mediany – prawdopodobnie zużycie wody" read as unsure
        # which indicator is meant).
        text = tr.plural("{claims} (probable)", "{claims} (probable)", len(levels["medium"]), claims=medium)
    else:
        text = high
    if levels["low"]:
        # Named, with the word after them (an editor: "wyraźnie poniżej mediany – niepewnie: liczba przedsiębiorstw" put an
        # adverb where no verb is); also beside a firmer one (a Polish editor of the thirteenth session: the printed line
        # gave why the direction of waste and cars is debatable and "ponadto 2 inne – niepewne" never named them).
        uncertain = tr.plural("{claims} (uncertain)", "{claims} (uncertain)", len(levels["low"]), claims=low)
        # On the same side, joined (a Polish editor: after "; ponadto" the side of the median was lost), the word before
        # the uncertain ones (a Polish editor of the fourteenth session: "A oraz B (wynik niepewny)" read as said of both).
        if text:
            text = tr.plural(
                "{claims}, and also, with low confidence, {more}",
                "{claims}, and also, with low confidence, {more}",
                len(levels["low"]),
                claims=text,
                more=low,
            )
        else:
            text = uncertain
    return text


# The confidence of a strength or weakness in plain words, by the share of the variants of the calculation in
# which it stays materially better (or worse): high from 90 %, medium from two thirds (ROBUST_SHARE), else low.
CONFIDENCE_HIGH = 0.9


def scale_share(value, tr: Lang) -> str:
    """A share of the variants said beside the page's scale: to the whole per cent, but to a tenth, rounded down, within
    half a point below one of the scale's cuts (half, two thirds, 90 %), which whole per cents would reach. Kielce's 4th
    place without the debatable indicators, 66.5 % of the variants, printed "67 %" beside "wynik niepewny", where the
    scale's "probable" starts at two thirds (the fifteenth session); 49.9 % printed "50 %" beside "at least half"."""
    from math import floor

    if value is None or pd.isna(value):
        return tr.share(value)
    share = float(value)
    cuts = (robustness.ORDER_LEAST_SHARE, ROBUST_SHARE, CONFIDENCE_HIGH)
    if any(cut - 0.005 <= share < cut for cut in cuts):
        return tr.share(floor(share * 1000) / 1000, 1)
    return tr.share(share)


def confidence(share, tr: Lang) -> tuple[str, str]:
    """(level, words) of a claim that holds in ``share`` of the variants: ``('high', 'high confidence')``."""
    level = _level_of(share)
    return level, tr({"high": N_("high confidence"), "medium": N_("medium confidence"), "low": N_("low confidence")}[level])


def in_brief(result, tr: Lang, limit: int = 3) -> str:
    """The "In brief" box that opens the page (HTML, ``templates/benchmark-in-brief.html.j2``).

    Every number is the page's own: the counts of the headline (``result.counts``), the first screen's
    claims (:func:`top_claims`'s rows: no doubtful value) and the to-check list (``methods.benchmark.to_check``).
    """
    from analysis.text.render import render_html

    focal = result.table[(result.table["city"] == result.focal_city) & result.table["value"].notna()]
    years = focal["year"].dropna().astype(int)
    counts = result.counts
    # The peers' years too (an official briefed "data mostly for 2016": true of the city only, its peers' run back to
    # 2001), and how many of their values lie too far from the city's year to enter the comparison.
    peer_rows = result.table[(result.table["city"] != result.focal_city) & result.table["value"].notna()]
    peer_years = peer_rows["year"].dropna().astype(int)
    peer_distant = int((peer_rows["year_flag"] == "gap").sum()) if "year_flag" in peer_rows else 0
    peer_modes = [int(years.mode().min()) for _, years in peer_rows.dropna(subset=["year"]).groupby("city")["year"]]

    compared = result.comparison
    contested = set(compared.loc[compared["direction_contested"], "code"]) if "direction_contested" in compared else set()

    def claims(frame, low: bool = False):
        rows = []
        # The box makes only claims of at least medium confidence (a sceptical reading: a low-confidence
        # strength at the top of the first screen was the first thing quoted); the others stay in the lists below.
        # ``low``: the uncertain ones the details give with their numbers (an official of the seventeenth session: Kielce's
        # "largely national" life expectancy had no figure anywhere on the page).
        robust = frame["robust_share"].fillna(0) >= ROBUST_SHARE
        firm = frame[(frame["flag"] != "warning") & (~robust & ~frame["code"].isin(contested) if low else robust)]
        for row in firmest_first(firm).head(limit).to_dict("records"):
            row["only_peer"] = _only_peer(result)
            level, words = confidence(row.get("robust_share"), tr)
            # The short name in the box (five officials read every word of it; "Ściągalność podatków", "pył PM2,5"),
            # the full one in the tables below.
            name = short_indicator_name(row["code"], tr)
            rows.append(
                {
                    "code": row["code"],
                    "name": name[:1].upper() + name[1:],
                    "short": name,
                    "phrase": _direction_phrase(row, tr),
                    "numbers": _versus(row, tr),
                    "numbers_short": _versus(row, tr, median_named=True),
                    "plain": _versus(row, tr, rounded=True),
                    "plain_short": _versus(row, tr, median_named=True, rounded=True),
                    "value": tr.auto(row["value"]),
                    "median": tr.auto(row["peer_median"]),
                    "level": level,
                    "confidence": words,
                    "same_value": _same_country_value(row, tr),
                    # Not where that city is the only peer: its value is the one the claim is against (a parameter sweep).
                    "same_plain": "" if row["only_peer"] else _same_country_value(row, tr, rounded=True),
                    "unit": row.get("unit"),
                    "same_country": row.get("same_country"),
                    "national": _largely_national(row),
                    # Compared with the other countries' cities alone: the same country's peer has no usable value
                    # (an official of the thirteenth session: Kielce's tax collection is against Eindhoven, Oakville
                    # and Porto, so whether it is a national difference cannot be told).
                    "foreign_only": bool(row.get("same_country")) and pd.isna(row.get("same_country_value")),
                }
            )
        return rows

    flags = benchmark_method.to_check(result).drop_duplicates(["code", "city"])
    strengths = claims(result.strengths if result.all_strengths is None else result.all_strengths)
    weaknesses = claims(result.weaknesses if result.all_weaknesses is None else result.all_weaknesses)
    low_strengths = claims(result.strengths if result.all_strengths is None else result.all_strengths, low=True)
    low_weaknesses = claims(result.weaknesses if result.all_weaknesses is None else result.all_weaknesses, low=True)
    standing = overall_standing(result, tr)
    # Shares of one whole that add up to more than it are one fault printed in several cells: the box says so
    # (a sceptical reading: "7 cannot be right" counted six shares of one set summing to 124 % as six findings).
    wholes = flags[(flags["severity"] == "error") & (flags["rule"] == "parts_exceed_whole")]
    largest = wholes.groupby("other")["code"].count().sort_values(ascending=False)
    whole = None
    if len(largest) and largest.iloc[0] > 1:
        group = largest.index[0]
        whole = {"n": int(largest.iloc[0]), "total": tr.pct(float(wholes.loc[wholes["other"] == group, "amount"].iloc[0]), 1)}
    confidence_counts = claim_confidence_counts(result)
    low_better = max(counts["better"] - counts.get("better_debatable", 0) - confidence_counts["firm_better"], 0)
    low_worse = max(counts["worse"] - counts.get("worse_debatable", 0) - confidence_counts["firm_worse"], 0)
    low_better_names, low_worse_names = _low_claims(result, tr, "better"), _low_claims(result, tr, "worse")
    near = {kind: _near_claims(result, tr, kind) for kind in ("strength", "weakness")}
    near_counts = {kind: len(near_shares(result, kind)) for kind in ("strength", "weakness")}
    return render_html(
        "benchmark-in-brief.html.j2",
        tr,
        copy={
            "label": tr("Copy the “In brief” text (to paste into an e-mail)"),
            # Short, on one line beside the button (a longer one wrapped and pushed the button over the first sentence).
            "copied": tr("Copied, ready to paste (Ctrl+V)."),
            "failed": tr("Not copied: select the text and press Ctrl+C."),
            "page": tr("Full results:"),
            "source": tr("Source of the data: Smart Factor's 2018 diagnosis of Kielce, ISO 37120 indicators."),
        },
        city=result.focal_city,
        # Declined in Polish ("z medianą dla Eindhovenu, Gdyni…": an editor found "miast: Eindhoven, Gdynia…").
        peers=tr.join(tr.decline(peer, "gen") for peer in result.peers),
        peers_ins=_peers_with_countries(result, tr),
        country=_own_country(result, tr),
        # Each peer's most frequent year, as a range (the first screen's data line).
        peer_typical_first=str(min(peer_modes)) if peer_modes else "",
        peer_typical_last=str(max(peer_modes)) if peer_modes else "",
        oldest=str(min([*years, *peer_years])) if len(years) or len(peer_years) else "",
        # Whose they are (a Polish editor of the eighteenth session: on Porto's page "najstarsze dane" after the other cities
        # read as theirs, where they are Porto's own).
        oldest_cities=_oldest_cities(result, tr),
        peer_first=str(peer_years.min()) if len(peer_years) else "",
        peer_last=str(peer_years.max()) if len(peer_years) else "",
        peer_distant=peer_distant,
        max_year_gap=result.params.max_year_gap,
        # The years with their noun agreeing with the number ("o ponad 5 lat", not "5 lata": a Polish reader).
        max_year_gap_words=tr.plural(
            "{numbers} year", "{numbers} years", result.params.max_year_gap, numbers=tr.int(result.params.max_year_gap)
        ).replace(" ", "\u00a0"),
        first=str(years.min()) if len(years) else "–",
        last=str(years.max()) if len(years) else "–",
        typical=str(years.mode().iloc[0]) if len(years) else "–",
        # Filled when the page is published, from its date (analysis.publish.site.fill_data_ages): "sprzed 10 lat"
        # (every official wrote the data's age into the note; the notebook does not know the publication date).
        age=Markup(f'<data class="data-age" value="{int(years.mode().iloc[0])}"></data>') if len(years) else "",
        compared=counts["compared"],
        total=int(result.table["code"].nunique()),
        # The themes a run is limited to, after "of the 9 ISO 37120 indicators" (a parameter sweep: themes=Transportation
        # said "of the 9 ISO 37120 indicators" of a standard of 100) and in the ranking's name.
        scope=_theme_scope(result, tr),
        not_comparable=int(counts.get("not comparable", 0)),
        better=counts["better"],
        worse=counts["worse"],
        level=counts["level"],
        better_debatable=counts.get("better_debatable", 0),
        worse_debatable=counts.get("worse_debatable", 0),
        debatable_which=_debatable_sides(result, tr),
        debatable_sides=_debatable_sides(result, tr, numbers=False),
        debatable_whys="; ".join(_debatable_whys(result, tr)),
        debatable_side=_debatable_side(result),
        # The claims of low confidence are counted in the bottom line and named in the details (officials struck the
        # count from their notes, but without it a sceptical reading found the bottom line one-sided: 35 + 3 + 3 is not
        # 43, and the two left out were weaknesses).
        low_better=low_better,
        low_worse=low_worse,
        plain_strengths=_plain_claims(strengths, _extra_levels(result, "better", strengths, tr), tr, low_better, low_better_names),
        plain_weaknesses=_plain_claims(weaknesses, _extra_levels(result, "worse", weaknesses, tr), tr, low_worse, low_worse_names, "weaknesses"),
        # The peers in the nominative, for the first screen's line on the data.
        peers_nom=tr.join(result.peers),
        lead_strengths=_lead_claims(strengths + low_strengths, confidence_counts["firm_better"], tr, low_better),
        lead_weaknesses=_lead_claims(weaknesses + low_weaknesses, confidence_counts["firm_worse"], tr, low_worse),
        # Not when that city is the only peer: its values are the "median" the claims already give (a parameter sweep).
        same_values=_same_values(strengths + weaknesses + low_strengths + low_weaknesses, tr) if not _only_peer(result) else "",
        single_peer=bool(_only_peer(result)),
        # What the city's values are compared with, after "differs clearly from" (the genitive after "od" in Polish).
        reference=(
            tr("the value of {city}", city=tr.decline(_only_peer(result), "gen")) if _only_peer(result) else tr("the median of the other cities")
        ),
        # On the first screen, "median" glossed once (an official of the eighteenth session: the mayor does not know the word).
        reference_first=(
            tr("the value of {city}", city=tr.decline(_only_peer(result), "gen"))
            if _only_peer(result)
            else tr("the median (the middle value) of the other cities")
        ),
        debatable_listed=bool(
            pd.concat([result.strengths["code"], result.weaknesses["code"]])
            .isin(set(result.comparison.loc[result.comparison["direction_contested"], "code"]))
            .any()
        )
        if "direction_contested" in result.comparison
        else False,
        nominal_order=_nominal_order(result, tr),
        core_order=_core_order(result),
        # A single clear difference of debatable direction named on the first screen (empty otherwise).
        # With its confidence word where it is not plain (an analyst of the seventeenth session: "w 1 (zużycie wody …) jest
        # wyraźnie niższa", named without a word beside a scale whose plain word holds in 90 %, holds in 25 %).
        debatable_name=_debatable_named(result, tr),
        # Not the uncertain ones the bottom line already names, unless the details say more of them (a Polish editor of the
        # seventeenth session: Kielce's "Pozostałe wyniki: słabe strony – niepewne: krótsze przeciętne trwanie życia" repeated
        # the line above it, on the page and on the printed profile).
        others=_other_claims(
            (confidence_counts["firm_better"] - len(strengths), 0 if _low_named_above(result, tr, "better", strengths, low_better) else low_better),
            (confidence_counts["firm_worse"] - len(weaknesses), 0 if _low_named_above(result, tr, "worse", weaknesses, low_worse) else low_worse),
            tr,
            # The details say which of them are untested rather than contradicted; the bottom line, the scale word only.
            (_low_claims(result, tr, "better", qualified=True), _low_claims(result, tr, "worse", qualified=True)),
            (_more_firm_claims(result, tr, "better", limit), _more_firm_claims(result, tr, "worse", limit)),
        ),
        # "No strength was found" where none is clearly better at all, "none is confirmed" where some are, of low
        # confidence (an official: "nie potwierdzono" sounded as if candidates had been rejected).
        none_found=counts["better"] - counts.get("better_debatable", 0) == 0,
        # The uncertain ones (level, but clearly better or worse in some variants): "no strength was found other than
        # uncertain ones" where there are any (a sceptical reading: "no strength" stated plainly while full-time
        # employment is better in half of the variants), named in the details.
        near_better=near_counts["strength"],
        near_worse=near_counts["weakness"],
        near_text=_near_text(near, tr, near_counts, _near_both(result, tr)),
        doubtful_sides=_doubtful_sides(result, tr, benchmark_method.least_wrong(benchmark_method.to_check(result))),
        none_found_worse=counts["worse"] - counts.get("worse_debatable", 0) == 0,
        rank_variants=len(result.robustness.variants) if result.robustness is not None else 0,
        **claim_confidence_counts(result),
        strengths=strengths,
        weaknesses=weaknesses,
        high=CONFIDENCE_HIGH,
        medium=ROBUST_SHARE,
        to_check=len(flags),
        to_check_ranked=_warnings_ranked(result),
        # How the values set aside compare as printed, named in the details (two officials and a sceptical reading:
        # "no strength was found" read as "no assets" where four doubtful Kielce values are clearly better as printed).
        doubtful_names=_doubtful_names(result, tr),
        errors=int((flags["severity"] == "error").sum()),
        whole=whole,
        theme_claims=_theme_claims(result, tr),
        not_comparable_reasons=_not_comparable_reasons(result, tr, len(flags)),
        standing=standing,
        pairs=_head_to_head(result, tr),
        claim_variants=int(result.claims["n_variants"].max()) if len(result.claims) else 0,
        same_country=tr.join(tr.decline(name, "gen") for name in _same_country_peers(strengths + weaknesses)),
    )


def _oldest_cities(result, tr: Lang) -> str:
    """The cities whose values are the oldest of the comparison ("Porto"), in the order of the page's cities."""
    rows = result.table[result.table["value"].notna() & result.table["year"].notna()]
    if not len(rows):
        return ""
    oldest = rows["year"].astype(int).min()
    cities = set(rows.loc[rows["year"].astype(int) == oldest, "city"])
    return tr.join(city for city in [result.focal_city, *result.peers] if city in cities)


def _same_values(rows: list[dict], tr: Lang) -> str:
    """ "stężenie pyłu PM2,5 – 13,5; przeciętne trwanie życia – 78,5": the same-country peer's values of the bottom line's
    claims, for the details (empty when it has none)."""
    shown = [row for row in rows if row.get("same_value") or row.get("foreign_only")]
    # With the unit (an editor: "liczba osób bezdomnych – 324,7" read as a head count); "no data" where it has none (the
    # claim is then against the other countries' cities alone).
    return "; ".join(
        tr("{name} – {value}", name=row["short"], value=_with_unit(row["same_value"], row, tr) if row.get("same_value") else tr("no data")).replace(
            " – ", "\u00a0– "
        )
        for row in shown
    )


def _with_unit(text: str, row, tr: Lang) -> str:
    """A value already formatted (``text``) with its unit where one can follow a number as it is, "roku" after a number of
    years with a fraction; a percentage carries its sign already, a counted noun is left out (:data:`_COUNTED_UNITS`)."""
    unit = row.get("unit")
    if unit == "years":
        digits = text.replace("\u00a0", "")
        if digits.isdigit():
            return tr.plural("{numbers} year", "{numbers} years", int(digits), numbers=text)
        return tr("{numbers} years", numbers=text)  # a fraction: "78,5 roku"
    if isinstance(unit, str) and unit and unit != "%" and unit not in _COUNTED_UNITS:
        return f"{text} {unit_label(unit, tr)}"
    return text


def _peers_with_countries(result, tr: Lang) -> str:
    """ "Eindhovenem (Niderlandy), Gdynią, Oakville (Kanada) i Porto (Portugalia)": the peers in the instrumental, each of
    another country than the focal city's with its country, named by CLDR (``data/raw/city_countries.csv``; an official:
    "Oakville is unknown to most people"), or in Polish by the official name where CLDR's differs
    (``data/raw/country_names_pl.csv``: "Niderlandy", not "Holandia", two editors)."""
    from babel import Locale

    from analysis.data.labels import country_names_pl

    countries = result.countries or {}
    territories = dict(Locale.parse(tr.lang).territories)
    if tr.lang == "pl":
        territories.update(country_names_pl())
    own = countries.get(result.focal_city)
    # Not the country the edition is most likely read in, as for the focal city (:func:`_own_country`; a Polish editor of
    # the fourteenth session: "z Kielcami (Polska) i Gdynią (Polska)" on Eindhoven's Polish page).
    home = _home_territory(tr)

    def named(peer: str) -> str:
        country = countries.get(peer)
        declined = tr.decline(peer, "ins")
        if not country or country == own or country == home or country not in territories:
            return declined
        return f"{declined} ({territories[country]})"

    return tr.join(named(peer) for peer in result.peers)


def _home_territory(tr: Lang) -> str | None:
    """The country the edition's language is most likely read in (Babel's likely subtags: ``PL`` for Polish, ``US`` for
    English)."""
    from babel import Locale
    from babel.core import get_global

    return Locale.parse(get_global("likely_subtags").get(tr.lang, tr.lang)).territory


def _own_country(result, tr: Lang) -> str:
    """The focal city's country, named as :func:`_peers_with_countries` names a peer's, where it is not the country the
    edition's language is most likely read in (Babel's likely subtags: Poland for Polish, the United States for English;
    an English editor: the Kielce page never said that Kielce and Gdynia are in Poland); else empty."""
    from babel import Locale

    from analysis.data.labels import country_names_pl

    own = (result.countries or {}).get(result.focal_city)
    home = _home_territory(tr)
    territories = dict(Locale.parse(tr.lang).territories)
    if tr.lang == "pl":
        territories.update(country_names_pl())
    if not own or own == home or own not in territories:
        return ""
    return territories[own]


def _same_country_value(row, tr: Lang, rounded: bool = False) -> str:
    """The value of the claim city's same-country peer ("13,5", "95,0 %": a percentage with its sign, as the city's
    value beside it), or empty when there is none (an official's first screen had "Gdynia (same country): no value").
    ``rounded``: as the bottom line rounds the city's value and the median beside it (:func:`_plain_decimals`)."""
    value = row.get("same_country_value")
    if not str(row.get("same_country") or "") or value is None or pd.isna(value):
        return ""
    if rounded:
        decimals = _plain_decimals(row["value"], row["peer_median"])
        return tr.pct(value, decimals) if row.get("unit") == "%" else tr.num(value, decimals)
    return tr.pct(value, _decimals(value)) if row.get("unit") == "%" else _text_number(value, tr)


# Units that follow a number in running text as they are ("87,9 % wobec 96,5 %", "20,8 wobec 10,9 µg/m³"); a unit
# that is a counted noun ("years", "trips per capita") would have to agree with the number in Polish ("77,2 roku",
# not "lata"), so the bottom line leaves it out and the tables below give it.
_COUNTED_UNITS = frozenset({"years", "hours", "trips per capita", "destinations", "ratio"})


def _plain_decimals(value, median) -> int:
    """The decimals a briefing rounds a pair to (an official's note for the mayor: "88 % wobec 97 %", "21 wobec 11"):
    none from 10 up, one from 1, two below; more where fewer would make the two equal (never "97 % wobec 97 %")."""
    size = max(abs(float(value)), abs(float(median)))
    decimals = 0 if size >= 10 else 1 if size >= 1 else 2
    english = Lang("en")
    while decimals < 4 and english.num(value, decimals) == english.num(median, decimals):
        decimals += 1

    def false_bound(number) -> bool:
        # "100 %" of 99.9 reads as full coverage, "0" of 0.04 as none (a second parameter sweep: "100 % wobec 95 %").
        shown = float(english.num(number, decimals).replace(",", ""))
        return shown in (0.0, 100.0) and float(number) != shown

    while decimals < 4 and (false_bound(value) or false_bound(median)):
        decimals += 1
    return decimals


def _versus(row, tr: Lang, median_named: bool = False, rounded: bool = False) -> str:
    """ "87,9 % wobec mediany 96,5 %", "20,8 wobec mediany 10,9 µg/m³": the city's value against the peer median, with
    the unit where a unit can follow a number as it is; "20,8 wobec 10,9 µg/m³" when a claim before it in the same
    sentence has said what the second number is (``median_named``); "88 % wobec mediany 96 %" rounded for the plain
    bottom line (``rounded``, :func:`_plain_decimals`)."""
    value, median, unit = row["value"], row["peer_median"], row.get("unit")
    # "wobec mediany 96,5 %" (an official: "wobec 96,5 %" did not say against what), once a sentence. Against one peer
    # the "median" is that city's value, said as such: "21 wobec 14 µg/m³ w Gdyni" (a parameter sweep, peers=Gdynia).
    only = row.get("only_peer")
    if only:
        return f"{_versus({**row, 'only_peer': None}, tr, median_named=True, rounded=rounded)} {tr('in {city}', city=only)}"
    versus = N_("{value} vs {median}") if median_named else N_("{value} vs a median of {median}")
    if rounded:
        # From the value itself, not from the page's printed rounding (a sceptical reading: Porto's 96,47 % printed
        # "96,5" then rounded to 97 widened an 8.6-point gap to 9).
        decimals = _plain_decimals(value, median)
        value_text, median_text = tr.num(value, decimals), tr.num(median, decimals)
    if unit == "%":
        if rounded:
            return tr(versus, value=tr.pct(value, decimals), median=tr.pct(median, decimals))
        return tr(versus, value=tr.pct(value, _decimals(value)), median=tr.pct(median, _decimals(median)))
    numbers = (
        tr(versus, value=value_text, median=median_text) if rounded else tr(versus, value=_text_number(value, tr), median=_text_number(median, tr))
    )
    if unit == "years":
        # "77,2 wobec mediany 81,3 roku" (an official missed the unit; an editor read "w latach:" as a period; a number
        # with a fraction takes "roku" in Polish, not "lata").
        whole = (decimals == 0) if rounded else float(median).is_integer() and "." not in Lang("en").auto(median)
        if whole:
            count = int(float(Lang("en").num(median, 0).replace(",", ""))) if rounded else int(median)
            return tr.plural("{numbers} year", "{numbers} years", count, numbers=numbers)
        # A number with a fraction ("81,3 roku"): its own message, since no plural form of gettext takes it.
        return tr("{numbers} years", numbers=numbers)
    if isinstance(unit, str) and unit and unit not in _COUNTED_UNITS:
        return f"{numbers} {unit_label(unit, tr)}"
    return numbers


def _only_peer(result) -> str | None:
    """The one peer city of a run compared with a single city (its "median" is that city's value), else None."""
    return result.peers[0] if len(result.peers) == 1 else None


def _decimals(value) -> int:
    """The decimals :meth:`Lang.auto` gives a value, less its trailing zeros (running text says "3,6 %" and "14 kWh/m²"
    where the source prints 3,6 and 14; a Polish editor: "3,60 %" invented a precision the source does not have; the
    tables keep their aligned decimals)."""
    text = Lang("en").auto(value).rstrip("0") if "." in Lang("en").auto(value) else Lang("en").auto(value)
    return len(text.split(".")[1]) if "." in text and text.split(".")[1] else 0


def _text_number(value, tr: Lang) -> str:
    """A value in running text: :meth:`Lang.auto`'s decimals without trailing zeros (:func:`_decimals`)."""
    return tr.num(value, _decimals(value))


def _direction_phrase(row, tr: Lang) -> str:
    """ "niższa ściągalność podatków": the claim's short name with the side of the median the city lies on
    (``data/raw/indicator_short_names.csv``); the short name alone for an indicator without a row."""
    phrases = labels.direction_phrases(tr.lang).get(row["code"])
    if phrases is None:
        return short_indicator_name(row["code"], tr)
    return phrases["lower" if row["value"] < row["peer_median"] else "higher"]


# The confidence words for two and for three claims of one confidence, said of all of them.
_GROUP_CONFIDENCE = {
    "high": (N_("both high confidence"), N_("all three high confidence")),
    "medium": (N_("both medium confidence"), N_("all three medium confidence")),
    "low": (N_("both low confidence"), N_("all three low confidence")),
}


def _lead_claims(rows: list[dict], firm: int, tr: Lang, low: int = 0) -> str:
    """The bottom line's claims in running text, with the direction, the numbers and the confidence, grouped by
    confidence ("niższa ściągalność podatków (87,9 % wobec mediany 96,5 %) i wyższe stężenie pyłu PM2,5 (20,8 wobec
    10,9 µg/m³) – oba wyniki odporne na zmianę założeń; krótsze przeciętne trwanie życia (…) – wynik umiarkowanie
    odporny na zmianę założeń"): an official briefing from the names alone had to look below for the numbers and
    which way they go, and passed a medium-confidence weakness on as "confirmed" like the others; "and n more" when
    there are more firm ones. A largely national gap is said of the one claim it is true of (an official read "A, B
    and C (largely national)" of all three). Claims of low confidence are counted (``low``) and named in the details."""
    groups = []
    first = True  # the median named in the sentence's first claim
    for level in ("high", "medium", "low"):
        members = [row for row in rows if row["level"] == level]
        if not members:
            continue
        items = []
        for row in members:
            # The median named once a sentence, and the same-country peer's values in the details (three officials needed
            # 45-50 s to read a bottom line of 170 words; they copy it, and a briefing in under a minute needs it short).
            inside = [row["numbers"] if first else row["numbers_short"]]
            first = False
            if row.get("national"):
                # Said with what it rests on (an editor and a sceptical reading: inferred from one city of the country;
                # an official: the page did not say so).
                same = [name for name in str(row.get("same_country") or "").split("; ") if name]
                inside.append(
                    tr(
                        "{value} in {peers}, so the gap is largely national",
                        value=row["same_value"],
                        peers=tr.join(tr.decline(name, "loc") for name in same),
                    )
                )
            elif row.get("foreign_only"):
                # Whether the gap is national cannot be told: the same country's peer has no value.
                inside.append(tr("against foreign cities only: no data for {peers}", peers=_same_country_gen(row, tr)))
            items.append(f"{row['phrase']} ({'; '.join(inside)})")
        # The confidence once for a group that shares it, said of all of them ("oba wyniki …": two officials and an
        # editor read "A (…) i B (…) – wynik …" as if it might cover B alone); a no-break space before the dash:
        # the words never start a line (an editor).
        words = row["confidence"] if len(members) == 1 else tr(_GROUP_CONFIDENCE[level][min(len(members), 3) - 2])
        groups.append(f"{tr.join(items)}\u00a0– {words}")
    text = "; ".join(groups)
    more = []
    named_firm = sum(row["level"] != "low" for row in rows)
    named_low = len(rows) - named_firm
    if firm > named_firm:
        # Counted, not "and 1 more" after a confidence word (read as one more of that confidence), with a noun (an
        # editor: "dalsze potwierdzone: 1" has none); named in the details.
        more.append(
            tr.plural(
                "{n} more of at least medium confidence", "{n} more of at least medium confidence", firm - named_firm, n=tr.int(firm - named_firm)
            )
        )
    # The uncertain ones named with their numbers (an official of the seventeenth session), the rest counted.
    if low > named_low:
        more.append(tr.plural("{n} more with low confidence", "{n} more with low confidence", low - named_low, n=tr.int(low - named_low)))
    return tr("{claims}; and {more}", claims=text, more=tr.join(more)) if more else text


def _extra_levels(result, verdict: str, shown: list[dict], tr: Lang) -> list[str]:
    """The confidence levels (high, medium) of the counted claims of at least medium confidence of one verdict that the
    bottom line does not show (an editor: Eindhoven's "ponadto 2 inne" carried no word, so read as of high confidence,
    while both hold in 80 % of the variants)."""
    compared = result.comparison
    codes = compared.loc[compared["counted"] & (compared["verdict"] == verdict), "code"]
    shares = codes.map(result.claims.set_index("code")["strength" if verdict == "better" else "weakness"]).fillna(0)
    seen = {row.get("code") for row in shown}
    return [confidence(share, tr)[0] for code, share in zip(codes, shares) if share >= ROBUST_SHARE and code not in seen]


def _plain_claims(
    rows: list[dict],
    extra: list[str],
    tr: Lang,
    low: int = 0,
    low_names: list[str] | None = None,
    kind: str = "strengths",
    numbers: bool = True,
) -> str | Markup:
    """The bottom line's claims as a briefing says them ("niższa ściągalność podatków (88 % wobec mediany 96 %) i
    wyższe stężenie pyłu PM2,5 (21 wobec 11 µg/m³), a prawdopodobnie także krótsze przeciętne trwanie życia (77 wobec
    81 lat; różnica dotyczy w dużej mierze całego kraju); ponadto 2 inne – niepewne"): numbers rounded, a claim of high
    confidence stated plainly, one of medium confidence with "probably", those of low confidence counted, as the scale
    under it says. Eight officials timed over two sessions rewrote the analyst's version (exact numbers, a confidence
    phrase after each group) in these words before they could pass it on; the exact one is in the details
    (:func:`_lead_claims`). Without ``numbers``, the first screen's words alone ("niższa ściągalność podatków, a
    prawdopodobnie także wyższe stężenie pyłu zawieszonego PM2,5; …"): the numbers are in the sentences below it."""
    # The median named in each claim (two officials of the ninth session: "21 wobec 11 µg/m³" after "88 % wobec mediany
    # 96 %" left them guessing what 11 is; one word each).

    def said(row) -> str:
        if not numbers:
            # Said without the numbers too (an analyst of the thirteenth session: Gdynia's "fewer homeless people" lost
            # it on the first screen, where Kielce's value covers 60 % of the gap).
            if row.get("foreign_only"):
                # Whose value is missing, named (an official of this session read "against foreign cities only" as "level
                # with Gdynia").
                return f"{row['phrase']} ({tr('against foreign cities only: no data for {peers}', peers=_same_country_gen(row, tr))})"
            return f"{row['phrase']} ({tr('largely a national difference')})" if row.get("national") else row["phrase"]
        numbers_said = row["plain"]
        if row.get("national"):
            numbers_said = tr("{numbers}; largely a national difference", numbers=numbers_said)
        elif row.get("foreign_only"):
            numbers_said = tr("{numbers}; against foreign cities only: no data for {peers}", numbers=numbers_said, peers=_same_country_gen(row, tr))
        elif row.get("same_plain"):
            # The same country's city beside a gap that is not national (an official of the eighteenth session read Kielce's
            # PM2.5 beside the "largely national" life expectancy as national too; Gdynia's is at the median), said to be in
            # the same country where the edition's readers may not know it (an English editor; the Polish names the city only).
            numbers_said = tr(
                "{numbers}; in {peer}, in the same country: {value}",
                numbers=numbers_said,
                peer=tr.decline(row["same_country"], "loc"),
                value=row["same_plain"],
            )
        return f"{row['phrase']} ({numbers_said})"

    high = [said(row) for row in rows if row["level"] == "high"]
    medium = [said(row) for row in rows if row["level"] == "medium"]
    if high and medium:
        text = tr("{claims}, and probably also {more}", claims=tr.join(high), more=tr.join(medium))
    elif medium:
        text = tr("probably {claims}", claims=tr.join(medium))
    else:
        text = tr.join(high)
    more = []
    # The ones not shown, each group with the scale's word (``extra``: their levels).
    high_more, medium_more = extra.count("high"), extra.count("medium")
    # The scale's word as the count's adjective ("2 prawdopodobne", "2 niepewne"), not as an adverb before it (an editor:
    # "prawdopodobnie 2 inne" read as an unsure count), and where they are said once, at the end.
    # Those of high confidence plainly, as the scale says (a Polish editor: "4 inne odporne" used a word the copied
    # note does not define), the others after "as well as" (an English editor: "4 more, 1 probable and 1 uncertain"
    # read as "4 more, of which 1 probable…").
    # With their noun (a Polish editor: "ponadto 1 prawdopodobna" left the reader asking "1 what?", and the copied note
    # has no details to look it up in).
    strengths = kind == "strengths"
    if high_more:
        more.append(
            tr.plural("{n} more strength", "{n} more strengths", high_more, n=tr.int(high_more))
            if strengths
            else tr.plural("{n} more weakness", "{n} more weaknesses", high_more, n=tr.int(high_more))
        )
    qualified = []
    if medium_more:
        qualified.append(
            tr.plural("{n} probable strength", "{n} probable strengths", medium_more, n=tr.int(medium_more))
            if strengths
            else tr.plural("{n} probable weakness", "{n} probable weaknesses", medium_more, n=tr.int(medium_more))
        )
    # The uncertain ones by name when there are few (four officials of the seventh session: "; ponadto 3 niepewne (w
    # szczegółach)" named nothing, and the copied note dropped it, life expectancy with it); counted when many.
    # Never while a firmer one goes unnamed (the first screen names the firmest first; Gdynia's named two uncertain
    # strengths beside a probable one it only counted, in a box officials of the eleventh session read in three minutes).
    named_low = low_names[:low] if low_names and 0 < low <= LOW_NAMED and not (high_more or medium_more) else []
    if low > 0 and not named_low:
        qualified.append(
            tr.plural("{n} uncertain strength", "{n} uncertain strengths", low, n=tr.int(low))
            if strengths
            else tr.plural("{n} uncertain weakness", "{n} uncertain weaknesses", low, n=tr.int(low))
        )
    if high_more and qualified:
        more = [tr("{plain}, as well as {qualified}", plain=more[0], qualified=tr.join(qualified))]
    else:
        more += qualified
    # "Wynik niepewny:" before one (a Polish editor of the eleventh session: Porto's "wyniki niepewne:" named one).
    # After firmer claims, "ponadto, z wynikiem niepewnym, …" (two officials of the eighteenth session read "PM2,5 (…);
    # wynik niepewny – krótsze trwanie życia" as closing the PM2.5 clause); alone, the label before them.
    uncertain = tr.plural("; and, uncertain: {names}", "; and, uncertain: {names}", len(named_low), names=tr.join(named_low)) if named_low else ""
    if not text and named_low:
        uncertain = tr.plural("uncertain: {names}", "uncertain: {names}", len(named_low), names=tr.join(named_low))
    if not more:
        return Markup("{}{}").format(text, uncertain)
    # The pointer marked, so the copied note leaves it out (three officials cut "(w szczegółach)" from the e-mail); a
    # count of uncertain ones alone goes with it (officials of two sessions: "; ponadto 2 niepewne." in an e-mail names
    # nothing, and what the scale calls uncertain is no finding to brief).
    rest = tr("; and {more}", more=tr.join(more))
    if not high_more and not medium_more:
        return Markup('{}<span class="in-brief-pointer">{} ({})</span>{}').format(text, rest, tr("in the details"), uncertain)
    # Firmer ones counted, not named: where to find them, kept in the copied note (three editors of the eighteenth session:
    # Oakville's "ponadto 1 inna mocna strona, a także 1 prawdopodobna" reached the mayor naming neither).
    return Markup('{}{}<span class="in-brief-listed"> ({})</span>{}').format(text, rest, tr("listed in the full report"), uncertain)


# The uncertain claims the bottom line names (more are counted).
LOW_NAMED = 3


def _low_named_above(result, tr: Lang, verdict: str, shown: list[dict], low: int) -> bool:
    """Whether the bottom line names every uncertain ``verdict`` claim (as :func:`_plain_claims` does: at most
    :data:`LOW_NAMED`, and no firmer one left unnamed) and the details would say nothing more of them (no claim
    untested rather than contradicted, :func:`_untested_only`)."""
    if not 0 < low <= LOW_NAMED or any(level in ("high", "medium") for level in _extra_levels(result, verdict, shown, tr)):
        return False
    return len(_low_claims(result, tr, verdict)) == low and all(
        not _untested_only(row, tr) for row in firmest_first(_claims_of(result, verdict)).to_dict("records")
    )


def near_shares(result, kind: str) -> pd.Series:
    """The share of the claim variants in which each indicator of clear direction, counted once and not doubtful, that is
    level in the main calculation is a ``kind`` ("strength", "weakness"), for those where it is in some but under
    two thirds of them; by code, the largest first."""
    if not len(result.claims) or kind not in result.claims:
        return pd.Series(dtype=float)
    compared = result.comparison
    usable = compared["counted"] & ~compared["flag"].fillna("").isin(["warning", "error"]) & (compared["verdict"] == "level")
    if "direction_contested" in compared:
        usable &= ~compared["direction_contested"].fillna(False).astype(bool)
    shares = result.claims.set_index("code")[kind].reindex(compared.loc[usable, "code"]).fillna(0)
    return shares[(shares > 0) & (shares < ROBUST_SHARE)].sort_values(ascending=False, kind="stable")


def _near_claims(result, tr: Lang, kind: str, limit: int = 4) -> list[str]:
    """ "full-time employment (50 %)": the indicators of :func:`near_shares` by name with the side of the median and the
    share, the largest first (at most ``limit``): the ones behind "no strength was found (4 indicators are clearly better
    in some variants only)". One that is better in some variants and worse in others is left to :func:`_near_both`."""
    shares = near_shares(result, kind)
    shares = shares[~shares.index.isin(_near_both_codes(result))].head(limit)
    if shares.empty:
        return []
    compared = result.comparison
    rows = compared.set_index("code")
    sign = {"higher": 1.0, "lower": -1.0}

    def name(code: str) -> str:
        # With the side of the median ("wyższy odsetek zatrudnionych", "mniej przestępstw przeciwko mieniu") where the main
        # calculation's value lies on the side the variants find (a parameter sweep: "worse – fewer homeless people",
        # the main calculation's side, under a heading of the variants' other side).
        value, median = rows.at[code, "value"], rows.at[code, "peer_median"]
        direction = sign.get(rows.at[code, "polarity"], 0.0) if "polarity" in rows else 0.0
        if pd.notna(value) and pd.notna(median) and (value - median) * direction * (1 if kind == "strength" else -1) > 0:
            return _direction_phrase({"code": code, "value": value, "peer_median": median}, tr)
        return short_indicator_name(code, tr)

    return [tr("{name} (in {share} of the variants)", name=name(code), share=scale_share(share, tr)) for code, share in shares.items()]


def _near_both_codes(result) -> list[str]:
    """The level indicators that are clearly better in some variants and clearly worse in others."""
    better, worse = near_shares(result, "strength"), near_shares(result, "weakness")
    return [code for code in better.index if code in worse.index]


def _near_both(result, tr: Lang) -> list[str]:
    """ "liczba osób bezdomnych (wyraźnie lepsza w 40 %, wyraźnie gorsza w 20 % wariantów)": a level indicator on both
    sides, named once without a side (a parameter sweep: "better – fewer homeless people (40 %); worse – fewer homeless
    people (20 %)")."""
    better, worse = near_shares(result, "strength"), near_shares(result, "weakness")
    return [
        tr(
            "{name} (better in {better}, worse in {worse} of the variants)",
            name=short_indicator_name(code, tr),
            better=scale_share(better[code], tr),
            worse=scale_share(worse[code], tr),
        )
        for code in _near_both_codes(result)
    ]


def _near_text(near: dict[str, list[str]], tr: Lang, counts: dict[str, int] | None = None, both: list[str] = ()) -> str:
    """The details' line of the level ones that are clearly better or worse in some variants, both kinds (a sceptical
    reading: listing only the better ones, where no strength was found, was one-sided; cycle paths and green area are
    worse in 40 % of the variants); "better" and "worse", not "strengths" (an editor: by the page's own definition a level
    one is no strength, not even an uncertain one). Those beyond the list are counted (a sceptical reading: the list
    was cut at four a side without saying so); those on both sides come last, once (``both``, :func:`_near_both`)."""
    parts = []
    for kind, label in (("strength", N_("better")), ("weakness", N_("worse"))):
        names = near[kind]
        if names:
            text = f"{tr(label)} – {tr.join(names)}"
            more = (counts or {}).get(kind, len(names)) - len(both) - len(names)
            if more > 0:
                text += tr.plural(", and {n} more", ", and {n} more", more, n=tr.int(more))
            parts.append(text)
    if both:
        parts.append(f"{tr('better or worse depending on the variant')} – {tr.join(list(both))}")
    return "; ".join(parts)


def _doubtful_sides(result, tr: Lang, wrong: int = 0) -> str:
    """ " (co najmniej 2 z nich są błędne; 3 byłyby wyraźnie korzystne, gdyby okazały się poprawne i porównywalne z danymi innych miast)": how many of
    the values set aside are certainly wrong, at least (``wrong``, :func:`analysis.methods.benchmark.least_wrong`), and
    how many would be clearly better (worse) than the median as published; empty when neither."""
    # How many are certainly wrong, first (officials of the eighth session: "not all 14 are doubtful", and the most
    # useful fact for the city hall, whose diagnosis printed them), as a floor: four officials of the ninth session read
    # "5 z nich nie może być jednocześnie prawidłowych; gdyby pozostałe okazały się poprawne, 4 z nich…" two or three
    # times (four of the five are shares of one whole whose sum exceeds it: one of them is wrong, not each), and could
    # not tell whether "pozostałe" were the other 9 or all 14. Both counts are now of the same values set aside.
    certain = tr.plural("at least {n} of them is wrong", "at least {n} of them are wrong", wrong, n=tr.int(wrong)) if wrong else ""
    doubtful = getattr(result, "doubtful", None)
    has = doubtful is not None and not doubtful.empty
    better = int((doubtful["verdict"] == "better").sum()) if has else 0
    worse = int((doubtful["verdict"] == "worse").sum()) if has else 0
    parts = []
    if better:
        # "3 would be" after "at least 2 of them are wrong" (the words the next phrase needs: an editor asked comparable
        # with what).
        parts.append(tr.plural("{n} would be clearly favourable", "{n} would be clearly favourable", better, n=tr.int(better)))
    if worse and better:
        parts.append(tr.plural("{n} clearly unfavourable", "{n} clearly unfavourable", worse, n=tr.int(worse)))
    elif worse:
        parts.append(tr.plural("{n} would be clearly unfavourable", "{n} would be clearly unfavourable", worse, n=tr.int(worse)))
    if not parts:
        return f" ({certain})" if certain else ""
    joined = tr("{first} and {second}", first=parts[0], second=parts[1]) if len(parts) == 2 else parts[0]
    # "If they proved correct", once (three officials of the seventh session read "as published" past and told the mayor
    # that Kielce had lost four good results; most of them probably follow another definition), "and comparable" (an
    # analyst: the screening's reason for most of them is another definition, not a wrong number).
    n = better + worse
    if certain:
        return (
            " ("
            + tr.plural(
                "{certain}; {parts} if correct and comparable with other cities' data",
                "{certain}; {parts} if correct and comparable with other cities' data",
                n,
                certain=certain,
                parts=joined,
            )
            + ")"
        )
    return (
        " ("
        + tr.plural(
            "{parts} if correct and comparable with other cities' data",
            "{parts} if correct and comparable with other cities' data",
            n,
            parts=joined,
        )
        + ")"
    )


def _claims_of(result, kind: str) -> pd.DataFrame:
    """Every clearly better (``kind='better'``) or worse claim, not only the listed ones when the result has them all."""
    frame = result.all_strengths if kind == "better" else result.all_weaknesses
    if frame is None:
        frame = result.strengths if kind == "better" else result.weaknesses
    return frame


def _more_firm_claims(result, tr: Lang, kind: str, limit: int) -> list[str]:
    """The clearly better (``kind='better'``) or worse claims of at least medium confidence beyond the ``limit`` the
    bottom line names, in its order (firmest first), by short name with the direction."""
    frame = _claims_of(result, kind)
    firm = frame[(frame["flag"] != "warning") & (frame["robust_share"].fillna(0) >= ROBUST_SHARE)]
    # Each probable one marked as such, as the bottom line counts it (a Polish editor of the thirteenth session: "4 more
    # strengths, and 1 probable" above, "5 more of at least medium confidence" here, and which one is probable?), before
    # it, as the first screen says it (a Polish editor of the fifteenth session: "A i B (wynik prawdopodobny)" read as
    # said of both, where A holds in 90 % of the variants).
    return [
        _direction_phrase(row, tr) if _level_of(row.get("robust_share")) == "high" else tr("probably {claims}", claims=_direction_phrase(row, tr))
        for row in firmest_first(firm).iloc[limit:].to_dict("records")
    ]


def _low_claims(result, tr: Lang, kind: str, qualified: bool = False) -> list[str]:
    """The clearly better (``kind='better'``) or worse constructs whose claim holds in under two thirds of the variants,
    of clear direction and with no doubtful value, by short name with the direction (an official: "2 with low
    confidence" sent him to a folded list to learn which)."""
    frame = _claims_of(result, kind)
    compared = result.comparison
    contested = set(compared.loc[compared["direction_contested"], "code"]) if "direction_contested" in compared else set()
    low = frame[(frame["flag"] != "warning") & (frame["robust_share"].fillna(0) < ROBUST_SHARE) & ~frame["code"].isin(contested)]
    # A largely national gap said of an uncertain claim too, where the name stands alone (an analyst of the seventeenth
    # session: Gdynia, 78.5, shares 68 % of Kielce's life-expectancy gap, and the box never said so of an uncertain claim);
    # the details' qualified names give the variants instead (two brackets in a row read badly).
    return [
        _direction_phrase(row, tr)
        + (_untested_only(row, tr) if qualified else f" ({tr('largely a national difference')})" if _largely_national(row) else "")
        for row in firmest_first(low).to_dict("records")
    ]


def _untested_only(row, tr: Lang) -> str:
    """ " (in every variant that can compare it)" after an uncertain claim that fails only in the variants that cannot
    compare the indicator (``n_untested``): uncertain because it is untested there, not because it is contradicted (a
    sceptical reading: life expectancy, "uncertain", is worse in all 48 of the 80 variants that can compare it)."""
    base, share, untested = row.get("n_variants"), row.get("robust_share"), row.get("n_untested")
    if any(x is None or pd.isna(x) for x in (base, share, untested)) or int(untested) == 0:
        return ""
    if int(base) - int(untested) <= 0 or int(round(float(share) * int(base))) != int(base) - int(untested):
        return ""
    return " " + tr(
        # Too few peer values or their years too far (an analyst: 16 of Kielce's 32 for life expectancy keep three peers
        # whose median year lies 4 years from Kielce's). Not "in every one that can compare it" beside "uncertain" (a Polish
        # editor of the eleventh session read the two as a contradiction): the others cannot test it.
        # And that such a variant counts against the result (a Polish editor of the fifteenth session: read literally, it held
        # in every variant that could test it, yet it was called uncertain).
        "(holds in {k} of the {n} variants; the others cannot test it, as too few peer values are left in them or their years lie too far from "
        "the city's, and a variant that cannot test a result counts against it)",
        k=tr.int(int(base) - int(untested)),
        n=tr.int(int(base)),
    )


# Why an indicator cannot be compared, by the start of its verdict_reason (analysis.methods.comparison.compare),
# grouped as an official asks it ("50 nie da się porównać" said not why).
_NOT_COMPARABLE_KINDS = (
    ("neutral polarity", N_("no agreed better direction")),
    ("only ", N_("too few values of the other cities")),
    ("no peer value", N_("too few values of the other cities")),
    ("no reference value", N_("too few values of the other cities")),
    ("value flagged", N_("the city's value to verify")),
    ("value excluded", N_("the city's value to verify")),
    ("defined or sourced", N_("defined differently between cities")),
    ("no value", N_("no value")),
    ("reference years", N_("years too far apart")),
)


def _not_comparable_reasons(result, tr: Lang, to_check: int = 0) -> str:
    """ "no agreed better direction: 19, too few values of the other cities: 13, …": the counted constructs that cannot
    be compared, by reason, the most frequent first (a sceptical reading: 19 of the 50 can be compared, they just
    cannot be judged better or worse). With ``to_check``, the number of values to verify, the reason "the city's value
    to verify" says where the others are (a Polish editor: "9" there against the bottom line's 14 read as a
    contradiction; five are on indicators of no agreed direction)."""
    compared = result.comparison
    rows = compared[compared["counted"] & (compared["verdict"] == "not comparable")]
    kinds: dict[str, int] = {}
    for reason in rows["verdict_reason"].astype(str):
        kind = next((label for start, label in _NOT_COMPARABLE_KINDS if reason.startswith(start)), N_("other reasons"))
        kinds[kind] = kinds.get(kind, 0) + 1
    ordered = sorted(kinds.items(), key=lambda item: -item[1])
    flagged = N_("the city's value to verify")

    def said(kind: str, n: int) -> str:
        text = tr("{reason}: {n}", reason=tr(kind), n=tr.int(n))
        if kind == flagged and 0 < n < to_check:
            other = to_check - n
            text += (
                " ("
                + tr.plural(
                    "the other {n} of the {total} values to verify is on an indicator left out for another reason",
                    "the other {n} of the {total} values to verify are on indicators left out for another reason",
                    other,
                    n=tr.int(other),
                    total=tr.int(to_check),
                )
                + ")"
            )
        return text

    return ", ".join(said(kind, n) for kind, n in ordered)


def _other_claims(
    strengths: tuple[int, int], weaknesses: tuple[int, int], tr: Lang, named: tuple[list, list] = ([], []), firm_named: tuple[list, list] = ([], [])
) -> str:
    """ "strengths – A and probably B; uncertain: 4; weaknesses – uncertain:
    C, D": what the bottom line does not name (two officials: 35 + 3 + 3 is not 43); ``(more firm, low confidence)``
    each. The further firm ones are named (``firm_named``, from :func:`_more_firm_claims`; an editor and a sceptical
    reading: the bottom line said "2 more, named in the details" and the details only counted them), the ones of low
    confidence when there are at most three of them (``named``, from :func:`_low_claims`)."""
    parts = []
    for message, (firm, low), names, firm_names in (
        (N_("strengths – {counts}"), strengths, named[0], firm_named[0]),
        (N_("weaknesses – {counts}"), weaknesses, named[1], firm_named[1]),
    ):
        counts = []
        if firm > 0 and len(firm_names) == firm:
            # Each with its own word, as the first screen says them (plain, or "probably"), so the label says no confidence
            # (Porto's "co najmniej prawdopodobne: prawdopodobnie wyższe …" said it twice).
            # Without a label of their own (a Polish editor of the seventeenth session: "Pozostałe wyniki: mocne strony –
            # pozostałe: …" said "other" twice).
            counts.append(tr.join(firm_names))
        elif firm > 0:
            counts.append(tr("more confirmed: {n}", n=tr.int(firm)))
        # Named up to six (the bottom line counts them "in the details": an editor found Eindhoven's four only counted
        # there), with the scale's word (an editor: "niepewne" in the bottom line, "wrażliwe" here, for the same ones).
        if low > 0 and len(names) == low and low <= 6:
            counts.append(tr("uncertain: {names}", names=tr.join(names)))
        elif low > 0:
            counts.append(tr("uncertain: {n}", n=tr.int(low)))
        if counts:
            # A semicolon between the groups (an editor: "…w ubóstwie, wrażliwe na zmianę założeń: …" read as said of
            # poverty).
            parts.append(tr(message, counts="; ".join(counts)))
    return "; ".join(parts)


def _core_order(result) -> str:
    """ "1. Eindhoven, 2. Gdynia, …": the main calculation's order on ISO 37120's core indicators alone
    (``Robustness.core_ranks``), a scenario the details give beside the grid; empty without one."""
    ranks = getattr(result.robustness, "core_ranks", None) if result.robustness is not None else None
    if not ranks:
        return ""
    placed = sorted(((rank, city) for city, rank in ranks.items() if rank > 0), key=lambda pair: (pair[0], pair[1]))
    return ", ".join(f"{rank}.\u00a0{city}" for rank, city in placed)


def _nominal_order(result, tr: Lang) -> str:
    """ "1. Oakville, 2. Gdynia, …": every city's place in the ranking's main calculation (officials asked who is
    first and who last)."""
    summary = result.robustness.summary if result.robustness is not None else None
    if summary is None:
        return ""
    overall = summary[(summary["theme"] == "overall") & summary["rank_nominal"].notna()].sort_values("rank_nominal")
    return ", ".join(f"{int(row['rank_nominal'])}.\u00a0{row['city']}" for row in overall.to_dict("records"))


# The orders of an unsettled place on the bottom line's scale: high confidence plainly, medium with "probably".
_SIDES = {
    "behind": (N_("behind {cities}"), N_("probably behind {cities}"), N_("behind {high}, and probably also behind {medium}")),
    "ahead": (N_("ahead of {cities}"), N_("probably ahead of {cities}"), N_("ahead of {high}, and probably also of {medium}")),
}


def _sides(tiers: dict, tr: Lang, only: str | None = None) -> str:
    """ "przed Kielcami i Porto", "przed Porto, a prawdopodobnie także przed Kielcami": the cities a place is behind and
    ahead of, each order said with its confidence as the bottom line says it (an editor: "w większości wariantów przed
    Kielcami i Porto" beside the details' "odporny")."""
    parts = []
    for side, high_key, medium_key in (("behind", "below", "below_medium"), ("ahead", "above", "above_medium")):
        if only and side != only:
            continue
        high = tr.join(tr.decline(city, "ins") for city in tiers[high_key])
        medium = tr.join(tr.decline(city, "ins") for city in tiers[medium_key])
        plain, probable, both = _SIDES[side]
        if high and medium:
            parts.append(tr(both, high=high, medium=medium))
        elif high:
            parts.append(tr(plain, cities=high))
        elif medium:
            parts.append(tr(probable, cities=medium))
    return "; ".join(parts)


def _same_country_gen(row, tr: Lang) -> str:
    """The claim's same-country peers in the genitive ("Gdyni"), after "no data for"."""
    return tr.join(tr.decline(name, "gen") for name in str(row.get("same_country") or "").split("; ") if name)


# Two shares of an order closer than this are an even split, not a lean either way (both print as about 50 %).
EVEN_SPLIT = 0.02


def _largely_national(row) -> bool:
    """Whether the claim's same-country peer shares at least :data:`NATIONAL_SHARE` of its gap (the fourteenth
    sceptical reading: life expectancy 77.2 against 81.3 read as Kielce's own weakness while Gdynia, 78.5, shares
    two thirds of the gap)."""
    share, value = row.get("same_country_share"), row.get("same_country_value")
    return value is not None and pd.notna(value) and share is not None and pd.notna(share) and share >= benchmark_method.NATIONAL_SHARE


def _same_country_peers(rows: list[dict]) -> list[str]:
    """The peers of the focal city's own country named beside the box's claims (said once who they are)."""
    return sorted({name for row in rows if row["same_value"] for name in str(row.get("same_country") or "").split("; ") if name})


def _head_to_head(result, tr: Lang) -> str:
    """ "against Eindhoven: better on 7, worse on 10; …": the city against each peer alone, indicator by indicator
    (:func:`analysis.methods.benchmark.head_to_head`), beside the composite's order (the thirteenth reading: a firm
    order under the composite read as a city better or worse across the board)."""
    contested = result.comparison.loc[result.comparison["direction_contested"], "code"] if "direction_contested" in result.comparison else ()
    pairs = benchmark_method.head_to_head(result.table, result.focal_city, result.peers, result.params.max_year_gap, contested=contested)

    # "W żadnym", not "w 0" (a Polish editor's rule for the counts; Kielce against Eindhoven since the fifteenth session).
    def count(n) -> str:
        return tr.int(n) if n else tr("none of them")

    parts = [
        tr("vs {other}: {better} better, {worse} worse", other=row["city"], better=count(row["better"]), worse=count(row["worse"]))
        for row in pairs.to_dict("records")
        if row["compared"]
    ]
    return "; ".join(parts)


def _theme_claims(result, tr: Lang) -> list[dict]:
    """The themes whose verdict is clearly worse (first) or better: name, how many of the comparable constructs
    carry that verdict (``n`` of ``of``) and how many of those hold with at least medium confidence (``firm``)."""
    verdicts = result.theme_verdicts
    compared = result.comparison
    counted = compared[compared["counted"]]
    shares = result.claims.set_index("code")
    found = []
    for kind, column, share in (("worse", "n_worse", "weakness"), ("better", "n_better", "strength")):
        for row in verdicts[verdicts["verdict"] == kind].to_dict("records"):
            codes = counted.loc[(counted["theme"] == row["theme"]) & (counted["verdict"] == kind), "code"]
            firm = int((codes.map(shares[share]).fillna(0) >= ROBUST_SHARE).sum())
            found.append(
                {"kind": kind, "name": _quoted(_theme(row["theme"], tr), tr), "n": int(row[column]), "of": int(row["n_compared"]), "firm": firm}
            )
    return found


def overall_standing(result, tr: Lang) -> dict | None:
    """The focal city's overall place as the evidence allows: its 5-95 % rank range over the variants, the cities
    it ranks below (or above) with high confidence (at least 90 % of the variants in which both have a rank) or medium
    (at least two thirds), those whose order with it changes more often than that (a group the data do not separate),
    and ``placed``, the placed ones in words; names in the genitive in Polish ("poniżej Eindhovenu"). Overlapping rank
    ranges alone do not make two cities inseparable: a city can rank above another in most variants while
    their 5-95 % ranges overlap."""
    from analysis.methods.robustness import ORDER_LEAST_SHARE, focal_rank_shares, overall_order

    summary = result.robustness.summary
    overall = summary[summary["theme"] == "overall"].dropna(subset=["rank_p05", "rank_p95"])
    mine = overall[overall["city"] == result.focal_city]
    if mine.empty:
        return None
    low, high = int(mine.iloc[0]["rank_p05"]), int(mine.iloc[0]["rank_p95"])
    order = overall_order(result.robustness)
    order = order[order["n_variants"] > 0]

    # Two cities are placed on the page's one confidence scale: in at least 90 % of the variants (high), or in at least
    # two thirds (medium; two officials: "below Eindhoven in 89 %" called "not settled" while the same share makes a
    # weakness of medium confidence); below that they are a group whose order is not settled. (The fifth sceptical
    # reading found "usually below Eindhoven", 82 %, misleading: an unqualified order; the tier is said now.)
    # Only an order no one setting of one choice turns around (two analysts of the twelfth and thirteenth sessions:
    # "probably behind Gdynia", 69.5 %, was 46 % with the themes of three or more indicators; ``least_*``).
    def tier(column: str, least: float, below: float | None = None) -> list[str]:
        shares, holds = order[column], order[column.replace("share_", "least_")].fillna(0) >= ORDER_LEAST_SHARE
        return order.loc[(shares >= least) & ((shares < below) if below is not None else True) & holds, "city"].tolist()

    # In the order of the main calculation (an editor: Porto's "za Eindhovenem, Gdynią, Kielcami i Oakville", alphabetical,
    # read as a ranking that contradicts the order beside it).
    nominal = overall.set_index("city")["rank_nominal"]
    order = order.assign(_nominal=order["city"].map(nominal)).sort_values(["_nominal", "city"], kind="stable")
    tiers = {
        "below": tier("share_below", CONFIDENCE_HIGH),
        "below_medium": tier("share_below", ROBUST_SHARE, CONFIDENCE_HIGH),
        "above": tier("share_above", CONFIDENCE_HIGH),
        "above_medium": tier("share_above", ROBUST_SHARE, CONFIDENCE_HIGH),
    }
    placed = {city for cities in tiers.values() for city in cities}
    tiers["group"] = [city for city in order["city"] if city not in placed]
    # No bare rank with the report's own settings (an official asked for it; a sceptical reading found "5th of 5"
    # misleading: Kielce was last in 56 % of the variants, 0.3 points from Eindhoven): the place it takes most often
    # with its share, and the orders. The range the orders of high confidence allow (a place below k cities and above
    # m is between k + 1 and n - m): an editor found "1st-4th of 5, above Kielce and Porto" self-contradictory (the
    # 5-95 % range of the ranks, kept as p05 and p95, is not what the orders beside it say).
    shares = mine.iloc[0][[column for column in mine.columns if column.startswith("share_rank_")]].astype(float)
    # The range is the 5-95 % band of the ranks, said as such ("in 90 % of the variants": an editor found "1st to 3rd"
    # from the firm orders alone untrue beside the page's own band of 1st to 4th), with the report's own rank.
    standing = {
        "low": low,
        "high": high,
        "n": len(overall),
        "p05": low,
        "p95": high,
        "nominal": int(mine.iloc[0]["rank_nominal"]) if pd.notna(mine.iloc[0].get("rank_nominal")) else None,
        "mode": int(shares.idxmax().rsplit("_", 1)[1]),
        "mode_share": float(shares.max()),
        # Said beside the scale's words: never rounded up to a cut it does not reach (scale_share).
        "mode_share_text": scale_share(float(shares.max()), tr),
        "mode_confidence": confidence(float(shares.max()), tr)[1],
    }
    # Another city that takes that place more often, named (an analyst of the sixteenth session: Eindhoven's page and
    # Oakville's both said "most often 1st", Eindhoven's in 40 % of the variants, Oakville's in 33 %).
    standing["rival"], standing["rival_share_text"], standing["tied"], standing["tied_share_text"] = "", "", "", ""
    column = f"share_rank_{standing['mode']}"
    rivals = overall[overall["city"] != result.focal_city]
    if column in rivals and len(rivals):
        other = rivals.loc[rivals[column].astype(float).idxmax()]
        share = float(other[column])
        # "About as often" where the two shares lie within 5 points, said alike on both cities' pages (a Polish editor of the
        # eighteenth session: "jeszcze częściej" overstated 38 % against 37 %; an analyst: which of the two is ahead turns
        # with the random weights' seed, 17 of 40 seeds for Oakville; an English editor: Oakville's "most often 1st" beside
        # Eindhoven's read as a contradiction).
        if abs(share - standing["mode_share"]) < 0.05:
            standing["tied"], standing["tied_share_text"] = other["city"], scale_share(share, tr)
        elif share > standing["mode_share"]:
            standing["rival"], standing["rival_share_text"] = other["city"], scale_share(share, tr)
    # The other places of the 90 % band beside a probable one ("prawdopodobnie 4. miejsce (możliwe też 3.)": two officials
    # wrote "3rd or 4th in at least 90 % of the variants" into their notes; "probably 4th" alone did not say which way the
    # doubt goes).
    # Only those the orders stated plainly beside it allow (a Polish editor of the eleventh session: Porto's "prawdopodobnie
    # 5. miejsce (możliwe też 3. lub 4.), za Eindhovenem, Oakville i Gdynią" cannot be 3rd behind three cities; the band
    # itself, 3rd to 5th, is in the details).
    first, last = 1 + len(tiers["below"]), len(overall) - len(tiers["above"])
    others = [tr.ordinal(place) for place in range(low, high + 1) if place != standing["mode"] and first <= place <= last]
    standing["also"] = (others[0] if len(others) == 1 else tr("{places} or {last}", places=", ".join(others[:-1]), last=others[-1])) if others else ""
    for key, cities in tiers.items():
        standing[key] = tr.join(tr.decline(city, "gen") for city in cities)
        standing[f"n_{key}"] = len(cities)
    high_words, medium_words = confidence(CONFIDENCE_HIGH, tr)[1], confidence(ROBUST_SHARE, tr)[1]
    parts = []
    # "Behind" and "ahead of", in the instrumental in Polish ("za Gdynią i Oakville", "przed Porto"), as the bottom line
    # says them (a Polish editor: "poniżej Gdyni … powyżej Porto" here against "przed Porto" above it).
    for side, message in (("below", N_("behind {cities} ({confidence})")), ("above", N_("ahead of {cities} ({confidence})"))):
        for key, words in ((side, high_words), (f"{side}_medium", medium_words)):
            if tiers[key]:
                parts.append(tr(message, cities=tr.join(tr.decline(city, "ins") for city in tiers[key]), confidence=words))
    standing["placed"] = ", ".join(parts)
    # The cities it ranks behind and ahead of with at least medium confidence, in the instrumental in Polish ("za
    # Gdynią, przed Porto"): an official asked who is ahead and who behind, in the bottom line.
    standing["n_behind"] = len(tiers["below"] + tiers["below_medium"])
    standing["n_ahead"] = len(tiers["above"] + tiers["above_medium"])
    standing["behind"] = tr.join(tr.decline(city, "ins") for city in tiers["below"] + tiers["below_medium"])
    standing["ahead"] = tr.join(tr.decline(city, "ins") for city in tiers["above"] + tiers["above_medium"])
    standing["sides"] = _sides(tiers, tr)
    standing["side_behind"], standing["side_ahead"] = _sides(tiers, tr, "behind"), _sides(tiers, tr, "ahead")
    group = tiers["group"]
    # Which way an unsettled order leans, and how often (the twelfth reading: "the data do not separate them" read as
    # a coin toss where Kielce ranked below Eindhoven in 84 % of the variants and above Porto in 82 %).
    leans, turned = [], False
    for row in order[order["city"].isin(group)].to_dict("records"):
        side = "below" if row["share_below"] >= row["share_above"] else "above"
        message = N_("below {other} in {share} of the variants") if side == "below" else N_("above {other} in {share} of the variants")
        lean = tr(message, other=row["city"], share=scale_share(row[f"share_{side}"], tr))
        if abs(row["share_above"] - row["share_below"]) < EVEN_SPLIT:
            # An even split said as one (an analyst of the thirteenth session: Eindhoven "above Oakville in 50 %" read as a lean).
            lean = tr("above {other} in about half of the variants and below it in the rest", other=row["city"])
        # Why an order of at least two thirds is not settled: one choice turns it around (``least_*``).
        least = row.get(f"least_{side}")
        if row[f"share_{side}"] >= ROBUST_SHARE and least is not None and pd.notna(least) and least < ORDER_LEAST_SHARE:
            # Of which variants, and with the rule said once after them (a Polish editor of the thirteenth session: "69 %"
            # beside a scale whose "probable" starts at two thirds read as a contradiction).
            # Under half said so where the share rounds to half (a Polish editor of the fourteenth session: Oakville's "only
            # in 50 %" beside a rule of "at least half", for 49.9 %).
            choice = choice_name(row[f"least_{side}_choice"], tr)
            if round(float(least) * 100) >= round(ORDER_LEAST_SHARE * 100):
                lean = tr("{lean}, but in fewer than half of the variants with one option of “{choice}”", lean=lean, choice=choice)
            else:
                lean = tr(
                    "{lean}, but in only {least} of the variants with one option of “{choice}”",
                    lean=lean,
                    least=scale_share(least, tr),
                    choice=choice,
                )
            turned = True
        leans.append(lean)
    # One order a clause, separated by semicolons where one carries its own (the same editor: whose reservation is which?).
    # A semicolon too where an even split is one of them (a Polish editor of the seventeenth session: "…, a niżej w
    # pozostałych i wyżej niż Gdynia w 61 %" read the "i" as going on from "w pozostałych").
    evens = any(abs(row["share_above"] - row["share_below"]) < EVEN_SPLIT for row in order[order["city"].isin(group)].to_dict("records"))
    standing["leans"] = "; ".join(leans) if turned or evens else tr.join(leans)
    # The first screen's short form: which way, without the shares (an official of the seventeenth session read "order
    # against Oakville not settled" as a tie, where Kielce was below Oakville in 75 % of the variants).
    ways = {"behind": [], "ahead": [], "even": []}
    for row in order[order["city"].isin(group)].to_dict("records"):
        way = (
            "even" if abs(row["share_above"] - row["share_below"]) < EVEN_SPLIT else "behind" if row["share_below"] > row["share_above"] else "ahead"
        )
        ways[way].append(tr.decline(row["city"], "ins"))
    messages = {
        "behind": N_("more often behind {cities}"),
        "ahead": N_("more often ahead of {cities}"),
        "even": N_("ahead of {cities} in about half of the variants"),
    }
    short = [tr(messages[way], cities=tr.join(cities)) for way, cities in ways.items() if cities]
    standing["group_lean"] = f" ({', '.join(short)})" if short else ""
    # The place on ISO 37120's core indicators alone, as the evidence allows: its most frequent place over that basket's 864
    # grid variants, with the share and the main calculation's place (an analyst of the eighteenth session: the main
    # calculation's place alone, "5th", was the line most likely to be quoted, where Kielce is 5th in 35 % of them).
    core = getattr(result.robustness, "core_ranks", None) or {}
    core_place = core.get(result.focal_city)
    shares = (getattr(result.robustness, "core_shares", None) or {}).get(result.focal_city) or {}
    standing["core"] = None
    if shares and any(shares.values()):
        mode = max(shares, key=lambda place: (shares[place], -place))
        standing["core"] = {
            "mode": int(mode),
            "share": float(shares[mode]),
            "share_text": scale_share(float(shares[mode]), tr),
            "nominal": int(core_place) if core_place and core_place > 0 else None,
        }
    standing["turned"] = turned
    # The place without the indicators of debatable direction, where the city differs clearly on one of them (the main
    # calculation scores them in one direction, which the box says is debatable: a sceptical reading and an official).
    standing["without_debatable"] = None
    if "direction_contested" in result.comparison:
        debatable = _contested_claims(result)
        shares = focal_rank_shares(result.robustness, polarity="neutral") if len(debatable) else pd.Series(dtype=float)
        if len(shares) and shares.max() > 0:
            # With the scale's words (an editor: Gdynia's "3. miejsce w 59 %" read as "drops to 3rd").
            standing["without_debatable"] = {
                "mode": int(shares.idxmax()),
                "share": float(shares.max()),
                "share_text": scale_share(float(shares.max()), tr),
                "confidence": confidence(float(shares.max()), tr)[1],
            }
    return standing


def firmest_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Claims ordered by their confidence (the share of the comparison's variants in which they hold), the firmest
    first; claims that hold equally often keep their order (the gap in multiples of the material gap).

    A sceptical reading found the box and the table below it open with different strengths (the table led with a
    claim that holds in half of the variants), and then a table called "the firmest first" that put a 50 % claim
    above a 60 % one (medium and high first, then by gap)."""
    share = frame["ranked_share" if "ranked_share" in frame else "robust_share"].fillna(0)
    return frame.assign(_share=share).sort_values("_share", ascending=False, kind="stable").drop(columns="_share")


def top_claims(result, tr: Lang, kind: str, limit: int = 3) -> pd.DataFrame:
    """At most ``limit`` strengths (``kind='strength'``) or weaknesses, as a reader's table.

    The first screen makes only claims that survive the screening (values flagged ``warning`` are left to the full
    tables, where they carry their marker) and hold with at least medium confidence, like the box above it (a
    sceptical reading: a strength of contested direction at 50 % headed "Strengths of Kielce"); the others are named
    under the tables as indications (:func:`first_screen_note`).
    """
    full = (result.all_strengths, result.all_weaknesses)
    frame = (result.strengths, result.weaknesses)[kind != "strength"] if full[0] is None else full[kind != "strength"]
    firm = frame[(frame["flag"] != "warning") & (frame["robust_share"].fillna(0) >= ROBUST_SHARE)]
    frame = firmest_first(firm).head(limit)
    table = {
        tr("Indicator"): [_indicator(code, tr) + _flag_marker(flag) for code, flag in zip(frame["code"], frame["flag"])],
        tr("Theme"): [_theme(theme, tr) for theme in frame["theme"]],
        tr("Unit of measure"): [unit_label(u, tr) for u in frame["unit"]],
        result.focal_city: list(frame["value"]),
        tr("Peer median"): list(frame["peer_median"]),
    }
    # The peer of the city's own country beside the median: is the gap the city's or its country's?
    same = [name for name in str(frame["same_country"].iloc[0] if len(frame) and "same_country" in frame else "").split("; ") if name]
    if same:
        table[tr("{peers} (same country)", peers=tr.join(same))] = list(frame["same_country_value"])
    table[tr("Robust in")] = list(frame["robust_share"])
    return pd.DataFrame(table)


def claim_formats(result, tr: Lang) -> dict:
    formats = {result.focal_city: "auto", tr("Peer median"): "auto", tr("Robust in"): "scale"}
    same = [
        name
        for name in str(result.strengths["same_country"].iloc[0] if len(result.strengths) and "same_country" in result.strengths else "").split("; ")
        if name
    ]
    if not same and len(result.weaknesses) and "same_country" in result.weaknesses:
        same = [name for name in str(result.weaknesses["same_country"].iloc[0]).split("; ") if name]
    if same:
        formats[tr("{peers} (same country)", peers=tr.join(same))] = "auto"
    return formats


def claims_note(result, tr: Lang) -> str:
    """How to read the strengths and weaknesses tables (``templates/benchmark-claims-note.md.j2``)."""
    # The most variants any indicator can be compared in (each peer left out in turn leaves too few for some).
    return render(
        "benchmark-claims-note.md.j2", tr, n_variants=int(result.claims["n_variants"].max()) if len(result.claims) else 0, n_peers=len(result.peers)
    )


def verdict_label(verdict: str, tr: Lang) -> str:
    """A verdict of :mod:`analysis.methods.comparison` (or a theme's) in words."""
    return {
        "better": tr("clearly better"),
        "worse": tr("clearly worse"),
        "level": tr("no clear difference"),
        "not comparable": tr("not comparable"),
        "partly better": tr("better on some, worse on none"),
        "partly worse": tr("worse on some, better on none"),
        "mixed": tr("mixed: better on some, worse on others"),
        "too few": tr("too few comparable indicators"),
        "debatable": tr("differs only where the better direction is debatable"),
    }[verdict]


def claim_note(row, tr: Lang) -> str:
    """What a reader needs beside a strength or weakness: the other members of its construct (counted once)
    and, for a rate of rare events, the count it rests on ("about 4 events in the year")."""
    parts = []
    others = [code for code in str(row["members"]).split("; ") if code and code != row["code"]]
    if others:
        # One other measure in the singular (a Polish editor of the fifteenth session: "z innymi wskaźnikami tego zjawiska: WS21.5").
        parts.append(tr.plural("counted once with {codes}", "counted once with {codes}", len(others), codes=", ".join(others)))
    events = row.get("implied_events")
    if events is not None and pd.notna(events):
        parts.append(tr.plural("about {n} event in the year", "about {n} events in the year", int(events), n=tr.int(events)))
    ranked = row.get("n_ranking") is not None and pd.notna(row.get("n_ranking")) and pd.notna(row.get("ranked_share"))
    contested = ranked and pd.notna(row.get("n_variants")) and int(row["n_ranking"]) != int(row["n_variants"])
    base, share = (row.get("n_ranking"), row.get("ranked_share")) if ranked else (row.get("n_variants"), row.get("robust_share"))
    if contested:
        # First, so the row is marked as the sentence above the tables says (a Polish editor of the fifteenth session: water
        # use sat among Oakville's weaknesses with nothing but the share's base to tell it apart).
        parts.insert(0, tr("debatable direction: not counted as a strength or a weakness"))
    distinct = row.get("n_distinct")
    if base is not None and pd.notna(base) and share is not None and pd.notna(share):
        # The base of the share and how many different comparisons it is made of (sceptical readings: "92 %" could not
        # be read as "44 of 48", and "80 of 80" were 8 distinct comparisons); of a debatable direction, among the variants
        # that rank it, as the box counts it.
        held = int(round(float(share) * int(base)))
        known = distinct is not None and pd.notna(distinct)
        numbers = {"k": tr.int(held), "n": tr.int(base), "d": tr.int(distinct) if known else "–"}
        if contested:
            parts.append(
                tr.plural(
                    "holds in {k} of the {n} variants that rank its direction ({d} distinct comparison)",
                    "holds in {k} of the {n} variants that rank its direction ({d} distinct comparisons)",
                    int(distinct) if known else 0,
                    **numbers,
                )
            )
        else:
            parts.append(
                tr.plural(
                    "holds in {k} of {n} variants ({d} distinct comparison)",
                    "holds in {k} of {n} variants ({d} distinct comparisons)",
                    int(distinct) if known else 0,
                    **numbers,
                )
            )
        # How many of them cannot compare it at all: a claim that fails only there is untested, not contradicted (a
        # sceptical reading: life expectancy is worse in all 48 variants that can compare it, "uncertain" said not why).
        untested = row.get("n_untested")
        if untested is not None and pd.notna(untested) and int(untested) > 0:
            untested = int(untested) * int(base) // int(row["n_variants"]) if contested else int(untested)
            parts.append(
                tr.plural(
                    # And that they count against it, as the box says (a Polish editor of the fifteenth session: the note
                    # left a reader to think they were left out of the share).
                    "{u} variant cannot compare it (too few usable peer values, or their years too far from the city's) and does not count as holding it",
                    "{u} variants cannot compare it (too few usable peer values, or their years too far from the city's) and do not count as holding it",
                    untested,
                    u=tr.int(untested),
                )
            )
    return "; ".join(parts)


def strengths_table(result, tr: Lang, kind: str) -> pd.DataFrame:
    """Every listed strength or weakness with rank, score and flag, the firmest first (then by the gap in multiples of
    the material gap): a sceptical reading found the "largest strengths" table headed by a 50 % claim of contested
    direction, and a note saying one order while the first screen's tables used another."""
    frame = firmest_first(result.strengths if kind == "strength" else result.weaknesses)
    return pd.DataFrame(
        {
            tr("Code"): list(frame["code"]),
            tr("Indicator"): [_indicator(code, tr) + _flag_marker(flag) for code, flag in zip(frame["code"], frame["flag"])],
            tr("Unit of measure"): [unit_label(u, tr) for u in frame["unit"]],
            tr("Value"): list(frame["value"]),
            tr("Year"): list(frame["year"]),
            tr("Peer median"): list(frame["peer_median"]),
            tr("Smallest gap that matters"): list(frame["material_gap"]),
            tr("Gap in multiples of it (+ favourable, − unfavourable)"): list(frame["gap_multiple"]),
            tr("Rank"): list(frame["rank"]),
            tr("Cities ranked"): list(frame["n_ranked"]),
            tr("Robust in"): list(frame["ranked_share" if "ranked_share" in frame else "robust_share"]),
            tr("Note"): [claim_note(row, tr) for row in frame.to_dict("records")],
        }
    )


def strengths_formats(tr: Lang) -> dict:
    return {
        tr("Value"): "auto",
        tr("Peer median"): "auto",
        tr("Smallest gap that matters"): "auto",
        tr("Gap in multiples of it (+ favourable, − unfavourable)"): "num1",
        tr("Rank"): "int",
        tr("Cities ranked"): "int",
        tr("Robust in"): "scale",
        tr("Year"): "year",
        tr("Note"): "text",
    }


def robustness_intro(result, tr: Lang) -> str:
    """The robustness section's first paragraph (``templates/benchmark-robustness-intro.md.j2``)."""
    robust = result.robustness
    top = robust.sensitivity.iloc[0]
    overall_top = robust.sensitivity.sort_values(["overall_shift", "choice"], ascending=[False, True], kind="stable").iloc[0]

    # The choices that move as much as the one named, as printed (a Polish editor of the fifteenth session: "najsilniej
    # wpływa" named one choice where the table beside it gives another the same 1,00).
    def ties(column: str, named: str) -> list[str]:
        shifts = robust.sensitivity.set_index("choice")[column].round(2)
        if shifts.get(named, 0) <= 0:
            return []
        return [_quoted(choice_name(c, tr), tr) for c in shifts.index if c != named and shifts[c] == shifts[named]]

    also_themes, also_overall = ties("mean_abs_rank_shift", top["choice"]), ties("overall_shift", overall_top["choice"])
    return render(
        "benchmark-robustness-intro.md.j2",
        tr,
        n_variants=robust.n_variants,
        city=result.focal_city,
        choice=Markup(choice_name(top["choice"], tr)),  # the code's own translated label, not data
        shift=top["mean_abs_rank_shift"],
        # The overall place's own (a Polish editor of the eleventh session: "moves most" was untrue of the overall place,
        # which the theme-set choice moves by one and the doubtful values not at all, one at a time).
        overall_choice=Markup(choice_name(overall_top["choice"], tr)),
        overall_shift=overall_top["overall_shift"],
        # "Only those of the same year" for a gap of 0 (a parameter sweep: "within 0 years").
        # Each indicator's median year, the same on every city's page (methods.robustness: an analyst found one order of
        # two cities with two shares on their two pages while the reference was the page's city's year).
        years=tr("only those of each indicator's median year")
        if result.params.max_year_gap == 0
        else tr(
            "only those within {gap} of each indicator's median year",
            gap=tr.plural("{numbers} year", "{numbers} years", result.params.max_year_gap, numbers=tr.int(result.params.max_year_gap)),
        ),
        random_weights=bool((robust.variants["weights"] == "dirichlet").any()) if "weights" in robust.variants else True,
        unranked=_unranked_in_main(result),
        also_themes=Markup(tr.join(also_themes)),
        n_also_themes=len(also_themes),
        also_overall=Markup(tr.join(also_overall)),
        n_also_overall=len(also_overall),
    )


def _unranked_in_main(result) -> bool:
    """The focal city has no overall rank in the main calculation (too little data in its themes): the shifts of the
    choices are then all 0 and say nothing (a parameter sweep: "none of these choices moves Kielce's ranks" beside a
    city 1st, 2nd or 3rd across the variants)."""
    summary = result.robustness.summary
    mine = summary[(summary["theme"] == "overall") & (summary["city"] == result.focal_city)]
    return mine.empty or pd.isna(mine.iloc[0].get("rank_nominal"))


def choice_name(choice: str, tr: Lang) -> str:
    return {
        "normalisation": tr("normalisation"),
        "aggregation": tr("aggregation within a theme"),
        "missing": tr("treatment of missing values"),
        "exclude": tr("doubtful values kept or left out"),
        "polarity": tr("contested polarities"),
        "years": tr("reference years"),
        "themes": tr("themes in the overall score"),
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
            # The 5-95 % band as the box says it, "from … to" (an editor: "best rank (5th percentile)" 3 beside "ranked
            # first in 2 %" read as a contradiction); the main calculation's place by that name.
            tr("Place in the main calculation"): list(focal["rank_nominal"]),
            tr("Median rank"): list(focal["rank_median"]),
            tr("Places in at least 90% of the variants: from"): list(focal["rank_p05"]),
            tr("Places in at least 90% of the variants: to"): list(focal["rank_p95"]),
            tr("Ranked first in"): list(focal["share_rank_1"]),
        }
    )


def robustness_formats(tr: Lang) -> dict:
    return {
        tr("Place in the main calculation"): "int",
        tr("Median rank"): "num1",
        tr("Places in at least 90% of the variants: from"): "int",
        tr("Places in at least 90% of the variants: to"): "int",
        tr("Ranked first in"): "share0",
    }


def sensitivity_table(result, tr: Lang) -> pd.DataFrame:
    sensitivity = result.robustness.sensitivity
    return pd.DataFrame(
        {
            tr("Choice"): [choice_name(c, tr) for c in sensitivity["choice"]],
            # Of the themes' ranks and the overall one (a Polish editor: read as the overall place's).
            tr("Mean shift of the theme and overall ranks (places)"): list(sensitivity["mean_abs_rank_shift"]),
            tr("Share of those ranks changed"): list(sensitivity["share_changed"]),
            # The overall place alone (an analyst: the theme-set choice moves only it, and the mean over the themes hid it).
            tr("Overall place shift (places)"): list(sensitivity["overall_shift"]),
        }
    )


def sensitivity_formats(tr: Lang) -> dict:
    return {
        tr("Mean shift of the theme and overall ranks (places)"): "num2",
        tr("Share of those ranks changed"): "share0",
        tr("Overall place shift (places)"): "num2",
    }


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
    """Peer values too many years from the focal city's, listed by city (``templates/benchmark-vintage-note.md.j2``)."""
    gaps = result.table[result.table["year_flag"] == "gap"]
    listed = [(city, list(codes)) for city, codes in gaps.groupby("city", sort=False)["code"]]
    return render("benchmark-vintage-note.md.j2", tr, gap=result.parameters["max_year_gap"], city=result.focal_city, gaps=listed)


def theme_table(result, theme: str, tr: Lang) -> pd.DataFrame:
    """Every indicator of ``theme``: the focal city's value, rank, peer median and flag."""
    rows = result.summary[result.summary["theme"] == theme]
    # The median and the gap behind the verdict (methods.benchmark.compare: peers' doubtful values and values of
    # too distant a year left out, at least three peers), so that the numbers in a row and its verdict agree and
    # match benchmark-<city>-comparison.csv; "–" where no comparison could be made.
    comparison = result.comparison.set_index("code")
    verdicts = comparison["verdict"]
    # "none (not ranked)": under the header "Better" a bare "not ranked" read as "better when outside the ranking" (a
    # Polish editor).
    polarity = {"higher": tr("higher"), "lower": tr("lower"), "neutral": tr("none (not ranked)")}
    contested = comparison["direction_contested"].fillna(False).astype(bool) if "direction_contested" in comparison else pd.Series(dtype=bool)

    def better(code: str, direction: str) -> str:
        # An indicator of debatable direction says so, with the one the main calculation assumes (an editor: the area
        # tables said "niższa … wyraźnie lepiej" for fewer cars while the box says whether that is good is debatable).
        if contested.get(code, False) and direction != "neutral":
            return tr("debatable (assumed: {direction})", direction=polarity[direction])
        return polarity[direction]

    def verdict(code: str) -> str:
        value = verdicts.get(code)
        if contested.get(code, False) and value in ("better", "worse"):
            gap = comparison.at[code, "gap"]
            return tr("clearly lower (direction debatable)") if gap < 0 else tr("clearly higher (direction debatable)")
        return verdict_label(value, tr)

    def uncounted(code: str) -> str:
        # A member of a construct another indicator represents is not counted on its own (an English editor: the
        # Environment table showed three clearly worse rows, PM2.5, PM10 and NO₂, where the box and the verdicts count 2).
        if code not in comparison.index or bool(comparison.at[code, "counted"]):
            return ""
        others = [other for other in str(comparison.at[code, "members"]).split("; ") if other and other != code]
        return tr("not counted separately: counted once with {codes}", codes=", ".join(others)) if others else ""

    def unranked(row) -> str:
        # Why a value that is there has no rank beside a count of cities ranked (an English editor: "Rank –" beside
        # "Cities ranked 5" for deaths in natural disasters, 0 in every city): rank_cities ranks only where values differ.
        if pd.notna(row["rank"]) or pd.isna(row["n_ranked"]) or pd.isna(row["value"]) or row["excluded"]:
            return ""
        if int(row["n_ranked"]) <= 1:
            return tr("no rank: no other city has a value that can be compared")
        return tr("no rank: every value compared is the same")

    def note(row) -> str:
        if row["excluded"]:
            if row["flag"] == "warning":
                return tr("left out: a doubtful value (the reason is given under “Values to verify”)")
            return tr("left out: {reason}", reason=_after_colon(_translated_reason(result, row["code"], tr)))
        return "; ".join(part for part in (uncounted(row["code"]), unranked(row)) if part)

    return pd.DataFrame(
        {
            tr("Code"): list(rows["code"]),
            tr("Indicator"): [_indicator(code, tr) + _flag_marker(flag) for code, flag in zip(rows["code"], rows["flag"])],
            tr("Unit of measure"): [unit_label(u, tr) for u in rows["unit"]],
            tr("Better"): [better(code, p) for code, p in zip(rows["code"], rows["polarity"])],
            tr("Value"): list(rows["value"]),
            tr("Year"): list(rows["year"]),
            tr("Rank"): list(rows["rank"]),
            tr("Cities ranked"): list(rows["n_ranked"]),
            tr("Peer median"): list(rows["code"].map(comparison["peer_median"])),
            tr("Gap to median"): list(rows["code"].map(comparison["gap"])),
            tr("Verdict"): [verdict(code) for code in rows["code"]],
            # A doubtful value's reason is in the table of values to verify; here it is named only (its whole reason in
            # twelve columns pushed two theme tables past the width of A4).
            tr("Note"): [note(row) for row in rows.to_dict("records")],
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
        tr("Verdict"): "text",
        tr("Note"): "text",
    }


def _after_colon(text: str) -> str:
    """A sentence continued after a colon: its first letter in lower case, unless the first word is an abbreviation or
    a code ("Części jednej całości…" → "części jednej całości…", an editor; "ISO 37120 …" and "NO₂ …" kept)."""
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if first[:1].isupper() and first[1:].islower() else text


def _translated_reason(result, code: str, tr: Lang) -> str:
    flags = result.quality_flags
    hit = flags[(flags["code"] == code) & (flags["city"] == result.focal_city)]
    return flag_message(hit.iloc[0].to_dict(), tr) if not hit.empty else ""


def to_check_intro(result, tr: Lang) -> str:
    """The to-check section's paragraph: how many of the focal city's own values the screening flagged
    (``templates/benchmark-to-check-intro.md.j2``)."""
    flags = benchmark_method.to_check(result)
    values = flags.drop_duplicates(["code", "city"])
    return render(
        "benchmark-to-check-intro.md.j2",
        tr,
        city=result.focal_city,
        n=len(values),
        warnings_ranked=_warnings_ranked(result),
        errors_ranked=result.parameters["exclude_flagged"] == "none",
        **_error_kinds(result),
    )


def _doubtful_names(result, tr: Lang) -> dict[str, str]:
    """``{"better": "odsetek mieszkańców żyjących w ubóstwie (3,6 % wobec mediany 12,3 %), …", "worse": ""}``: the
    doubtful values that would be clear strengths / weaknesses if confirmed, by short name with the numbers (the
    details: which of the values to verify would change the bottom line)."""
    doubtful = getattr(result, "doubtful", None)
    names = {"better": "", "worse": ""}
    if doubtful is None or doubtful.empty:
        return names
    units = result.table.drop_duplicates("code").set_index("code")["unit"]
    for verdict in names:
        items = []
        for row in doubtful[doubtful["verdict"] == verdict].to_dict("records"):
            name = short_indicator_name(row["code"], tr)
            name = name[:1].lower() + name[1:] if name[1:2].islower() else name  # "ubóstwo", but "PM2,5"
            # With the unit unless the name carries it ("… na 100 000 mieszkańców"; an editor: "zużycie energii w budynkach
            # publicznych (14,0 wobec mediany 104,0)" had none).
            unit = units.get(row["code"])
            if unit != "%" and any(
                words in name for words in (tr("per capita"), unit_label("per 100 000", tr), "per 100 000", "na 100 000", "na 1000")
            ):
                unit = None
            items.append(f"{name} ({_versus({**row, 'unit': unit, 'only_peer': _only_peer(result)}, tr)})")
        names[verdict] = tr.join(items)
    return names


def _warnings_ranked(result) -> bool:
    """Whether the focal city's doubtful (``warning``) values enter ranks and scores (``exclude_flagged`` "errors" or
    "none"; under the default "errors+warnings" they are left out, as they are of the verdicts)."""
    table = result.table
    mine = table[(table["city"] == result.focal_city) & (table["flag"] == "warning")]
    return bool((~mine["excluded"].astype(bool)).any())


def _error_kinds(result) -> dict:
    """Of the focal city's values flagged ``error``: how many only as a share of a whole that adds up to more than the
    whole (``in_sets``: none need be wrong alone, a sceptical reading) and how many cannot be right themselves."""
    flags = benchmark_method.to_check(result)
    errors = flags[flags["severity"] == "error"]
    rules = errors.groupby(["code", "city"])["rule"].agg(set)
    in_sets = int(sum(rule_set == {"parts_exceed_whole"} for rule_set in rules))
    return {"in_sets": in_sets, "others": len(rules) - in_sets}


def _credibility(row: dict, tr: Lang) -> str:
    """What a screening flag says of its value, as both screening tables say it: doubtful, impossible as printed, or one of
    a set of shares that overfill their whole (a Polish editor of the seventeenth session: "niemożliwa" in one table, "nie
    mogą być wszystkie poprawne" in the other, for the same flag). The marker never starts a line on its own (an editor: a
    lone "✖" in the printed profile)."""
    if row["severity"] == "error" and row["rule"] == "parts_exceed_whole":
        return tr("one of a set that cannot all be right") + "\u00a0✖"
    return {"error": tr("cannot be right as printed") + "\u00a0✖", "warning": tr("doubtful") + "\u00a0⚠", "note": tr("note")}[row["severity"]]


def to_check_table(result, tr: Lang) -> pd.DataFrame:
    """The focal city's flagged values, errors first, one row per value: code, indicator, the printed cell, severity
    (the worst flag's) and why (every flag's reason), in ``tr``'s language. An editor counted 13 rows under "12 values"
    (TR18.2 carried two flags on two rows)."""
    flags = benchmark_method.to_check(result)
    rows: dict[str, dict] = {}
    for row in flags.to_dict("records"):  # errors first: a value's first row carries its worst flag
        key = (row["code"], row["city"])
        if key in rows:
            rows[key][tr("Why")] += " " + flag_message(row, tr)
            continue
        rows[key] = {
            tr("Code"): row["code"],
            tr("Indicator"): _indicator(row["code"], tr),
            tr("As printed"): row["raw"],
            tr("Credibility"): _credibility(row, tr),
            tr("Why"): flag_message(row, tr),
        }
    return pd.DataFrame(list(rows.values()), columns=[tr("Code"), tr("Indicator"), tr("As printed"), tr("Credibility"), tr("Why")])


def flags_intro(result, tr: Lang) -> str:
    """The screening section's first paragraph (``templates/benchmark-flags-intro.md.j2``)."""
    counts = result.quality_flags["severity"].value_counts()
    return render(
        "benchmark-flags-intro.md.j2",
        tr,
        errors=counts.get("error", 0),
        warnings=counts.get("warning", 0),
        notes=counts.get("note", 0),
        treatment=Markup(exclude_name(result.parameters["exclude_flagged"], tr)),  # the code's own translated words
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
    # The words and signs of the table of values to verify (a Polish editor of the sixteenth session: "ostrzeżenie / błąd"
    # here, "wątpliwa ⚠ / niemożliwa w opublikowanej postaci ✖" there, for the same flags); the header says what the words
    # judge (an editor of the seventeenth: "Stopień" of what?).
    records = flags.to_dict("records")
    return pd.DataFrame(
        {
            tr("Code"): list(flags["code"]),
            tr("Indicator"): [_indicator(code, tr) for code in flags["code"]],
            tr("City"): list(flags["city"]),
            tr("As printed"): list(flags["raw"]),
            tr("Credibility"): [_credibility(row, tr) for row in records],
            tr("Why"): [flag_message(row, tr) for row in records],
        }
    )


def method_note(result, tr: Lang) -> str:
    """The run's settings, the method and the downloads (``templates/benchmark-method-note.md.j2``)."""
    p = result.parameters
    return render(
        "benchmark-method-note.md.j2",
        tr,
        city=result.focal_city,
        peers=result.peers,
        max_year_gap=p["max_year_gap"],
        min_coverage=p["min_coverage"],
        exclude=Markup(exclude_setting(p["exclude_flagged"], tr)),  # the code's own translated words
        n_variants=result.robustness.n_variants,
        seed=p["seed"],
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
            "{city}'s highest theme score is on {theme} ({score} of 100).",
            city=result.focal_city,
            theme=_theme(best["theme"], tr),
            score=tr.int(best["score_minmax"]),
        ),
    )


def rank_uncertainty_alt(result, tr: Lang) -> str:
    summary = result.robustness.summary
    focal = summary[(summary["city"] == result.focal_city) & (summary["theme"] != "overall")]
    # The rank that holds in at least 90 % of the variants: the largest share of one rank (the twelfth reading counted
    # 4 such themes where the 5-95 % range of one rank gave 3).
    shares = focal[[column for column in focal.columns if column.startswith("share_rank_")]]
    stable = int((shares.max(axis=1) >= 0.9).sum())
    return figure_alt(
        tr("Rank of each city per theme across the variants of the ranking (highlighted: {city})", city=result.focal_city),
        tr("The rank holds in at least 90% of the variants of the ranking on {stable} of {n} themes.", stable=tr.int(stable), n=tr.int(len(focal))),
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
    # Ranked indicators only, and "best" as rank 1 (alone or shared): the twelfth reading counted 10 scores of 100 where
    # the page said 9, and 56 "ranked" indicators that included rows every city printed alike.
    focal = result.table[(result.table["city"] == result.focal_city) & result.table["rank"].notna()]
    best = int((focal["rank"] == 1).sum())
    return figure_alt(
        tr("Min-max score of every city on every ranked indicator"),
        tr(
            "{city} has the best score among the cities on {n} of {total} ranked indicators.",
            city=result.focal_city,
            n=tr.int(best),
            total=tr.int(len(focal)),
        ),
    )


def contested_codes(result) -> frozenset[str]:
    """The codes whose better direction is debatable (the theme charts say the direction is assumed)."""
    compared = result.comparison
    if "direction_contested" not in compared:
        return frozenset()
    return frozenset(compared.loc[compared["direction_contested"].fillna(False).astype(bool), "code"])


def theme_dots_alt(result, theme: str, tr: Lang) -> str:
    """The theme chart's description: how many of the theme's comparable indicators are clearly better, clearly worse
    or clearly different with a debatable better direction, counted apart as the theme table does (a Polish editor:
    "Spośród 1 porównywalnego wskaźnika … w przypadku 0, a wyraźnie gorsza – 1"; a count of 0 is "none", one indicator
    is said as one)."""
    verdicts = result.theme_verdicts.set_index("theme")
    row = verdicts.loc[theme] if theme in verdicts.index else {}
    n = int(row.get("n_compared", 0))
    better = int(row.get("n_better_clear", row.get("n_better", 0)))
    worse = int(row.get("n_worse_clear", row.get("n_worse", 0)))
    debatable = int(row.get("n_debatable", 0))
    city = result.focal_city
    title = tr("{theme}: where {city} stands among the cities", theme=theme_label(theme, tr), city=city)
    if n == 0:
        # An editor: "Of 0 comparable indicators of this theme, … on 0" (Recreation, read aloud by a screen reader).
        return figure_alt(title, tr("No indicator of this theme can be compared with the peer median."))
    if better + worse + debatable == 0:
        if n == 1:
            return figure_alt(
                title, tr("The one comparable indicator of this theme shows no clear difference between {city} and the peer median.", city=city)
            )
        return figure_alt(
            title,
            tr.plural(
                "None of the {n} comparable indicators of this theme shows a clear difference between {city} and the peer median.",
                "None of the {n} comparable indicators of this theme shows a clear difference between {city} and the peer median.",
                n,
                city=city,
                n=tr.int(n),
            ),
        )
    if n == 1 and better:
        return figure_alt(title, tr("The one comparable indicator of this theme shows {city} clearly better than the peer median.", city=city))
    if n == 1 and worse:
        return figure_alt(title, tr("The one comparable indicator of this theme shows {city} clearly worse than the peer median.", city=city))
    if n == 1:
        return figure_alt(
            title,
            tr(
                "The one comparable indicator of this theme shows {city} clearly different from the peer median, with a debatable better direction.",
                city=city,
            ),
        )
    none = tr("none of them")
    counts = dict(n=tr.int(n), city=city, better=tr.int(better) if better else none, worse=tr.int(worse) if worse else none)
    if debatable:
        text = tr(
            "Of the {n} comparable indicators of this theme: {city} clearly better than the peer median on {better}, clearly worse on "
            "{worse}, clearly different on {debatable} whose better direction is debatable.",
            debatable=tr.int(debatable),
            **counts,
        )
    else:
        text = tr(
            "Of the {n} comparable indicators of this theme: {city} clearly better than the peer median on {better}, clearly worse on {worse}.",
            **counts,
        )
    return figure_alt(title, text)


def theme_verdict_table(result, tr: Lang) -> pd.DataFrame:
    """Per theme: how many indicators (each construct once) are clearly better, clearly worse, level or not
    comparable, and the theme's verdict (only with enough comparable indicators)."""
    verdicts = result.theme_verdicts
    firm = _theme_firm_counts(result)
    return pd.DataFrame(
        {
            tr("Theme"): [_theme(t, tr) for t in verdicts["theme"]],
            # The gaps on an indicator whose better direction is debatable in a column of their own (they make no
            # verdict): the columns add up to the theme's indicators (editors and officials of three sessions: "clearly
            # better: 1" here beside "no strengths were found" in the box).
            tr("Clearly better"): list(verdicts["n_better_clear"]),
            tr("Clearly worse"): list(verdicts["n_worse_clear"]),
            tr("Clearly different, debatable direction"): list(verdicts["n_debatable"]),
            tr("No clear difference"): list(verdicts["n_level"]),
            tr("Not comparable"): list(verdicts["n_not_comparable"]),
            tr("Verdict"): [_theme_verdict_words(row, tr, firm.get(row["theme"], (0, 0))) for row in verdicts.to_dict("records")],
        }
    )


def _theme_firm_counts(result) -> dict:
    """Per theme: how many of its clearly better and clearly worse constructs (each once) of uncontested direction hold
    with at least medium confidence: ``{theme: (firm_better, firm_worse)}`` (those of debatable direction make no
    verdict, so they do not make one firm either)."""
    compared = result.comparison
    counted = compared[compared["counted"]]
    if "direction_contested" in counted:
        counted = counted[~counted["direction_contested"].fillna(False).astype(bool)]
    shares = result.claims.set_index("code")
    out = {}
    for theme, rows in counted.groupby("theme", sort=False):
        better = rows.loc[rows["verdict"] == "better", "code"].map(shares["strength"]).fillna(0)
        worse = rows.loc[rows["verdict"] == "worse", "code"].map(shares["weakness"]).fillna(0)
        out[theme] = (int((better >= ROBUST_SHARE).sum()), int((worse >= ROBUST_SHARE).sum()))
    return out


def _theme_verdict_words(row: dict, tr: Lang, firm: tuple[int, int] = (0, 0)) -> str:
    """A theme's verdict in words, true of its counts: "worse on some, better on none" beside one clearly better
    indicator of debatable direction read as a contradiction (an official); the debatable side is named as such. A
    verdict that needs a gap of low confidence says so (a sceptical reading: Wastewater "worse on some" rested on one
    gap of 2.09 points against a smallest gap of 2, in half of the variants; an analyst: Environment "clearly worse" on
    2 of 3 rests on nitrogen dioxide, 50 %): :func:`analysis.methods.benchmark.firm_theme_verdict`."""
    if row["verdict"] == "partly worse" and row["n_better"]:
        words = tr("worse on some; better only where the better direction is debatable")
    elif row["verdict"] == "partly better" and row["n_worse"]:
        words = tr("better on some; worse only where the better direction is debatable")
    else:
        words = verdict_label(row["verdict"], tr)
    if row["verdict"] in ("better", "partly better", "worse", "partly worse", "mixed") and (
        benchmark_method.firm_theme_verdict(row, *firm) != row["verdict"]
    ):
        words = tr("{verdict} (low confidence)", verdict=words)
    return words


def theme_verdict_formats(tr: Lang) -> dict:
    return {
        tr("Clearly better"): "int",
        tr("Clearly worse"): "int",
        tr("Clearly different, debatable direction"): "int",
        tr("No clear difference"): "int",
        tr("Not comparable"): "int",
        tr("Verdict"): "text",
    }


def theme_verdict_note(result, tr: Lang) -> str:
    """How the theme verdicts are decided (``templates/benchmark-theme-verdict-note.md.j2``)."""
    return render("benchmark-theme-verdict-note.md.j2", tr, min_theme=benchmark_method.THEME_VERDICT_MIN)


def first_screen_note(result, tr: Lang, limit: int = 3) -> str:
    """One sentence under the first screen's tables: which of the shown strengths and weaknesses
    hold in fewer than :data:`ROBUST_SHARE` of the variants (said plainly), or that all hold
    (``templates/benchmark-first-screen-note.md.j2``)."""
    # The claims the tables above leave out because they hold in fewer than two thirds of the variants (an editor
    # found this sentence naming claims that were not in the tables; a sceptical reader, a 50 % strength in them).
    # Every claim counts, not only the top_n of the detailed tables (the eleventh sceptical reading: "4 more claims"
    # beside 5 such claims, the sixth weakness of the list of five left out).
    compared = result.comparison
    directional = compared[compared["counted"] & compared["verdict"].isin(["better", "worse"])]
    if directional.empty:
        return ""
    shares = result.claims.set_index("code")
    share = [
        shares.at[code, "strength" if verdict == "better" else "weakness"] if code in shares.index else 0.0
        for code, verdict in zip(directional["code"], directional["verdict"])
    ]
    candidates = pd.DataFrame(
        {"code": directional["code"].to_numpy(), "robust_share": share, "better": (directional["verdict"] == "better").to_numpy()}
    )
    # Strengths first, each kind the firmest first, as the tables order them.
    candidates = candidates.sort_values(["better", "robust_share", "code"], ascending=[False, False, True], kind="stable")
    fragile = candidates[candidates["robust_share"].fillna(0) < ROBUST_SHARE]
    # The differences of debatable direction are not "indications" at half their share: half of the claim variants do not
    # rank their direction at all, and the box states them on the share of those that do (an official found water use
    # said plainly in the box and "50 %, a signal" here). They are pointed to, by name, where they are said.
    contested = set(compared.loc[compared["direction_contested"], "code"]) if "direction_contested" in compared else set()
    debatable = fragile[fragile["code"].isin(contested)]
    fragile = fragile[~fragile["code"].isin(contested)]
    # "(in 50 % of the variants)", not "(50 %)" (an English editor: read as the indicator's value); the strengths and the
    # weaknesses each under their word (two editors: Gdynia's list mixed one strength with three weaknesses unlabelled).
    # By the short name with its side of the median, as the box names them (a second parameter sweep: the full names,
    # capitalised, mid-sentence: "mocne strony – Stopa bezrobocia wśród młodzieży … i Stopa bezrobocia").
    rows = compared.set_index("code")

    def name(code: str) -> str:
        value, median = rows.at[code, "value"], rows.at[code, "peer_median"]
        if pd.notna(value) and pd.notna(median):
            return _direction_phrase({"code": code, "value": value, "peer_median": median}, tr)
        return short_indicator_name(code, tr)

    claims = [
        Markup(tr("{name} (in {share} of the variants)", name=md_escape(name(code)), share=scale_share(value, tr)))
        for code, value in zip(fragile["code"], fragile["robust_share"])
    ]
    kinds = fragile["better"].tolist()
    groups = [
        tr(label, counts=Markup(tr.join([claim for claim, better in zip(claims, kinds) if better == kind])))
        for label, kind in ((N_("strengths – {counts}"), True), (N_("weaknesses – {counts}"), False))
        if kind in kinds
    ]
    names = [Markup(md_escape(short_indicator_name(code, tr))) for code in debatable["code"]]
    return render("benchmark-first-screen-note.md.j2", tr, fragile=claims, fragile_text=Markup("; ".join(groups)), debatable=names)


def _claims_title(result, tr: Lang, kind: str) -> str:
    """The strengths (or weaknesses) table's title: how many of how many, and how many of them are of debatable
    direction (an editor: "Największe mocne strony Kielc" titled three rows the box says are no confirmed strength)."""
    frame = result.strengths if kind == "strengths" else result.weaknesses
    compared = result.comparison
    contested = set(compared.loc[compared["direction_contested"], "code"]) if "direction_contested" in compared else set()
    side = "better" if kind == "strengths" else "worse"
    shown_debatable = int(frame["code"].isin(contested).sum())
    # Of how many: every clear difference when debatable ones are shown, else those of agreed direction (the table lists
    # those first, the firmest of them: methods.benchmark.listed_claims, so "5 of 6, the firmest first" is what it says).
    total = result.counts[side] if shown_debatable else result.counts[side] - result.counts.get(f"{side}_debatable", 0)
    values = {"n": tr.int(len(frame)), "total": tr.int(total), "city": result.focal_city, "k": tr.int(shown_debatable)}
    if not len(frame):
        # No "(0, the firmest first) …: none" (a second parameter sweep): the table's own "none" follows the title.
        if kind == "strengths":
            return tr("Indicators on which {city} is clearly better than the peer median", **values)
        return tr("Indicators on which {city} is clearly worse than the peer median", **values)
    if len(frame) and shown_debatable == len(frame):
        # Every row of debatable direction: the title does not call them strengths at all (three officials read "the
        # largest strengths" under a box saying there is none).
        if kind == "strengths":
            # "In the direction the main calculation takes as better" (a Polish editor: "clearly better …, all of debatable
            # direction" contradicted itself and would be quoted as "Kielce better on cars").
            message = N_(
                "Indicators on which {city} differs clearly from the peer median in the direction the main calculation takes as "
                "better ({n}): all of debatable direction, so none is counted as a strength; with rank and confidence"
            )
        else:
            message = N_(
                "Indicators on which {city} differs clearly from the peer median in the direction the main calculation takes as "
                "worse ({n}): all of debatable direction, so none is counted as a weakness; with rank and confidence"
            )
        if len(frame) == 1:
            # One row: said of it (a Polish editor of the fifteenth session: "(1) – wszystkie …, więc żadnego nie uznano").
            message = (
                N_(
                    "Indicator on which {city} differs clearly from the peer median in the direction the main calculation takes as "
                    "better (1): of debatable direction, so not counted as a strength; with rank and confidence"
                )
                if kind == "strengths"
                else N_(
                    "Indicator on which {city} differs clearly from the peer median in the direction the main calculation takes as "
                    "worse (1): of debatable direction, so not counted as a weakness; with rank and confidence"
                )
            )
        return tr(message, **values)
    every = len(frame) == total
    if shown_debatable:
        # Not "the largest strengths …, of which k are not strengths" (an editor: the title contradicted itself).
        if every:
            message = (
                N_(
                    "Indicators on which {city} is clearly better than the peer median ({n}, the firmest first; {k} of them of debatable direction, "
                    "not counted as strengths), with rank and confidence"
                )
                if kind == "strengths"
                else N_(
                    "Indicators on which {city} is clearly worse than the peer median ({n}, the firmest first; {k} of them of debatable direction, "
                    "not counted as weaknesses), with rank and confidence"
                )
            )
        elif kind == "strengths":
            message = N_(
                "Indicators on which {city} is clearly better than the peer median ({n} of {total}, the firmest first; {k} of "
                "them of debatable direction, not counted as strengths), with rank and confidence"
            )
        else:
            message = N_(
                "Indicators on which {city} is clearly worse than the peer median ({n} of {total}, the firmest first; {k} of "
                "them of debatable direction, not counted as weaknesses), with rank and confidence"
            )
        return tr(message, **values)
    # Not "the largest weaknesses" (a Polish editor: the table lists claims the box calls uncertain, and it is ordered by
    # confidence, not by size): what the rows are, how many of how many, in which order.
    if every:
        if kind == "strengths":
            return tr(
                "Indicators on which {city} is clearly better than the peer median ({n}, the firmest first), with rank and confidence", **values
            )
        return tr("Indicators on which {city} is clearly worse than the peer median ({n}, the firmest first), with rank and confidence", **values)
    if kind == "strengths":
        return tr(
            "Indicators on which {city} is clearly better than the peer median ({n} of {total}, the firmest first), with rank and confidence",
            **values,
        )
    return tr(
        "Indicators on which {city} is clearly worse than the peer median ({n} of {total}, the firmest first), with rank and confidence",
        **values,
    )


def caption(result, tr: Lang, table: str, theme: str | None = None) -> str:
    """The title (``<caption>``) of each table of the page, by the table's key."""
    city = result.focal_city
    titles = {
        # A sceptical reading: "Every strength" headed the top_n (5) of 8; the title says how many of how many.
        "strengths": lambda: _claims_title(result, tr, "strengths"),
        "weaknesses": lambda: _claims_title(result, tr, "weaknesses"),
        "to_check": lambda: tr("Values of {city} to verify at source, the most serious first", city=city),
        "robustness": lambda: tr("Rank of {city} per theme across the variants of the ranking", city=city),
        # One choice changed at a time (a Polish editor of the eleventh session: the table did not say so).
        "sensitivity": lambda: tr(
            "How far each choice of the analysis moves the ranks of {city} (one choice changed at a time, the others as in the main calculation)",
            city=city,
        ),
        "coverage": lambda: tr("How complete and how recent each city's data are"),
        "theme_verdicts": lambda: tr("Verdict per theme: indicators of {city} clearly better, clearly worse or level", city=city),
        "theme": lambda: tr("{theme}: every indicator, {city} against the peer median", theme=theme_label(theme, tr), city=city),
        "flags": lambda: tr("Every flag the screening raised, for all cities"),
    }
    return titles[table]()


def claims_caption(result, tr: Lang, kind: str) -> str:
    """Caption of the first screen's strengths (``kind='strength'``) or weaknesses table."""
    if kind == "strength":
        return tr(
            "Strengths of {city} with at least medium confidence (at most three, the firmest first, without doubtful values)", city=result.focal_city
        )
    return tr(
        "Weaknesses of {city} with at least medium confidence (at most three, the firmest first, without doubtful values)", city=result.focal_city
    )


def downloads(result) -> dict[str, pd.DataFrame]:
    """The CSV files a benchmark run publishes, by file name (English columns, codes, plain numbers;
    the quality flags with their reason in English)."""
    slug = city_slug(result.focal_city)
    return {
        f"benchmark-{slug}.csv": benchmark_method.download_table(result.table),
        f"benchmark-{slug}-themes.csv": result.theme_scores.round(4),
        f"benchmark-{slug}-quality-flags.csv": describe_flags(result.quality_flags)[screening.FLAG_COLUMNS + ["message", "unit", "other", "amount"]],
        f"benchmark-{slug}-robustness.csv": robustness.download(result.robustness),
        f"benchmark-{slug}-strengths.csv": benchmark_method.strengths_download(result),
        f"benchmark-{slug}-comparison.csv": benchmark_method.comparison_download(result),
        f"benchmark-{slug}-to-check.csv": to_check_download(result),
    }


def to_check_download(result) -> pd.DataFrame:
    """``benchmark-<city>-to-check.csv``: the focal city's flagged values with the indicator's English name and the
    reason in plain English words."""
    flags = benchmark_method.to_check(result)
    described = describe_flags(flags)
    names = result.table.drop_duplicates("code").set_index("code")["indicator"]
    described["indicator"] = described["code"].map(names)
    # other and amount: what the rule compared the value with, so that the workbook can say it in the page's language.
    return described[["code", "indicator", "city", "value", "raw", "rule", "severity", "message", "unit", "other", "amount"]].reset_index(drop=True)
