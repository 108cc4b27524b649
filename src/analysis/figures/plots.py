"""Figures for the reports. Each function takes a tidy table and returns a Figure.

Titles state what to look for; the focal city is always drawn in one colour
(``FOCAL_COLOUR``) so a reader can find it in every figure.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import FuncFormatter

from analysis.methods.dispersion import SMALL_MARK

FOCAL_COLOUR = "#d55e00"  # Okabe–Ito vermilion: distinct from blue under every colour-vision deficiency
PEER_COLOUR = "#7f8c8d"
MISSING_COLOUR = "#e5e5e5"
SAVED_PAD_INCHES = 0.05  # the margin around a saved figure's content


def _ordered_pivot(table: pd.DataFrame, value: str, focal_city: str) -> pd.DataFrame:
    codes = list(dict.fromkeys(table["code"]))
    cities = [focal_city] + [c for c in dict.fromkeys(table["city"]) if c != focal_city]
    pivot = table.pivot(index="code", columns="city", values=value)
    return pivot.reindex(index=codes, columns=cities)


def _mark_focal_column(ax, pivot: pd.DataFrame, focal_city: str) -> None:
    column = list(pivot.columns).index(focal_city)
    ax.add_patch(plt.Rectangle((column, 0), 1, len(pivot), fill=False, edgecolor=FOCAL_COLOUR, lw=2.5, clip_on=False))
    for label in ax.get_xticklabels():
        if label.get_text() == focal_city:
            label.set_color(FOCAL_COLOUR)
            label.set_fontweight("bold")


def _cells_out_of_layout(ax) -> None:
    """Leave the numbers written in a heat map's cells out of the layout's measurements.

    They lie inside the axes by construction, so measuring them cannot move a margin; matplotlib
    measures every text for ``tight_layout`` and again for the tight bounding box of the saved SVG
    (with 500 cells, most of a heat map's drawing time). The drawn figure is unchanged.
    """
    for text in ax.texts:
        text.set_in_layout(False)


def _fit_to_canvas(fig, ax) -> None:
    """Lay a heat map out once and record the box the SVG keeps (``saved_bbox``, see ``reporting.figure_svg``).

    Saving with ``bbox_inches="tight"``, or after ``tight_layout`` left its placeholder engine on the figure,
    makes matplotlib draw the figure once more before saving it, only to measure every text (with 500 cells,
    a fifth of a page's build). The box is measured here instead, from the layout just made, with the same
    padding as before; the saved figure is the same.
    """
    _cells_out_of_layout(ax)
    fig.tight_layout()
    fig.saved_bbox = fig.get_tightbbox().padded(SAVED_PAD_INCHES)
    fig.set_layout_engine(None)  # laid out: saving must not lay it out again


def _finish_city_heatmap(fig, ax, pivot: pd.DataFrame, focal_city: str, title: str, width: int = 55, city_fontsize: float = 8):
    """Common finish of the city heatmaps: grey for no data, cities on top, focal column framed."""
    ax.set_facecolor(MISSING_COLOUR)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.xaxis.tick_top()
    _mark_focal_column(ax, pivot, focal_city)
    import textwrap

    ax.set_xticklabels(ax.get_xticklabels(), rotation=30, ha="left", fontsize=city_fontsize)
    ax.set_title(textwrap.fill(title, width), fontsize=9, loc="left", pad=40)
    _fit_to_canvas(fig, ax)
    return fig


# _HEATMAP_NOTE: seaborn draws the whole figure once to see whether its default tick labels overlap;
# with 100 rows of indicator codes that draw costs about as much as saving the figure. The benchmark
# heatmaps set their own row labels afterwards, so they ask seaborn for none (yticklabels=False).


def _relative_luminance(rgb) -> float:
    """WCAG 2 relative luminance of an sRGB colour (components 0-1)."""
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(one, other) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21; AA asks 4.5 for text)."""
    from matplotlib.colors import to_rgb

    high, low = sorted((_relative_luminance(to_rgb(one)), _relative_luminance(to_rgb(other))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _readable_annotations(ax, values: pd.DataFrame, cmap: str, vmin: float, vmax: float) -> None:
    """Write each number of a heat map in black or white, whichever contrasts more with its cell.

    Seaborn switches to white text below a luminance of 0.408, which leaves mid-tones at about 3:1;
    the better of black and white always reaches WCAG AA's 4.5:1 (the worst cell gets 4.58:1).
    """
    from matplotlib.colors import Normalize

    colours = plt.get_cmap(cmap)
    norm = Normalize(vmin=vmin, vmax=vmax)
    for text in ax.texts:
        x, y = text.get_position()
        row, column = int(y), int(x)
        if not (0 <= row < values.shape[0] and 0 <= column < values.shape[1]):
            continue
        value = values.iat[row, column]
        background = MISSING_COLOUR if pd.isna(value) else colours(norm(value))
        text.set_color("black" if contrast_ratio(background, "black") >= contrast_ratio(background, "white") else "white")


def _english():
    from analysis.text.i18n import Lang

    return Lang("en")


def _indicator_names(table: pd.DataFrame, tr) -> dict:
    from analysis.data import labels

    names = table.drop_duplicates("code").set_index("code")["indicator"].to_dict()
    return {**names, **{c: n for c, n in labels.indicator_names(tr.lang).items() if c in names}}


_LABEL_WIDTH = 31


def _shared_words(words: list[str], others) -> int:
    """How many leading words ``words`` shares with the name among ``others`` that begins most like it."""
    most = 0
    for other in others:
        n = 0
        while n < min(len(words), len(other)) - 1 and words[n] == other[n]:
            n += 1
        most = max(most, n)
    return most


def _row_labels(table: pd.DataFrame, codes, tr=None) -> list[str]:
    names = _indicator_names(table, tr or _english())
    codes = list(codes)
    width = _LABEL_WIDTH
    # Cut at a word, not inside one (a Polish editor of the seventeenth session: "Stężenie pyłu zawieszonego PM1…" read as
    # PM1, another dust, where the name is PM10).
    short = {code: textwrap.shorten(names[code], width=width, placeholder="…") for code in codes}
    # A name cut to what another's is cut to keeps, after its first word, the words from where it differs from the name
    # that begins most like it (the same editor: primary and secondary school completion both read "Odsetek uczniów
    # kończących…").
    words = {code: names[code].split() for code in codes}
    alike = [code for code in codes if any(short[other] == short[code] and names[other] != names[code] for other in codes)]
    for code in alike:
        shared = _shared_words(words[code], [words[other] for other in codes if names[other] != names[code]])
        lead = f"{words[code][0]} … "
        # And the words before it while they fit ("Odsetek … żyjących w ubóstwie", not "Odsetek … ubóstwie").
        while shared > 1 and len(lead + " ".join(words[code][shared - 1 :])) <= width:
            shared -= 1
        short[code] = lead + textwrap.shorten(" ".join(words[code][shared:]), width=width - len(lead), placeholder="…")
    # Two still alike once cut: without the first word, what differs has more room.
    for code in alike:
        if any(short[other] == short[code] and names[other] != names[code] for other in codes):
            shared = _shared_words(words[code], [words[other] for other in codes if names[other] != names[code]])
            short[code] = "… " + textwrap.shorten(" ".join(words[code][shared:]), width=width - 2, placeholder="…")
    return [f"{code}  {short[code]}" for code in codes]


def plot_vintage_heatmap(table: pd.DataFrame, focal_city: str, max_year_gap: int, tr=None):
    """Reference year of every value; grey = no data, hatched = more than ``max_year_gap`` from the focal year."""
    tr = tr or _english()
    years = _ordered_pivot(table, "year", focal_city).astype("float64")
    height = 0.2 * len(years) + 1.6
    fig, ax = plt.subplots(figsize=(5.6, height))  # 5.6 inches: on a 390 px phone 8 pt is still about 7.5 px
    sns.heatmap(
        years,
        ax=ax,
        cmap="viridis",
        annot=True,
        fmt=".0f",
        annot_kws={"size": 8},
        cbar_kws={"label": tr("reference year"), "shrink": 0.4},
        linewidths=0.4,
        linecolor="white",
        yticklabels=False,  # the row labels are set below (see _HEATMAP_NOTE)
    )
    ax.set_facecolor(MISSING_COLOUR)
    gaps = _ordered_pivot(table, "year_flag", focal_city)
    for i, code in enumerate(gaps.index):
        for j, city in enumerate(gaps.columns):
            flag = gaps.at[code, city]
            if flag == "gap":
                ax.add_patch(plt.Rectangle((j, i), 1, 1, fill=False, hatch="////", edgecolor="white", lw=0))
            elif flag == "no year":
                ax.text(j + 0.5, i + 0.5, tr("no year"), ha="center", va="center", fontsize=6, color="black")
    ax.set_yticks(np.arange(len(years)) + 0.5)
    ax.set_yticklabels(_row_labels(table, years.index, tr), fontsize=8)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.xaxis.tick_top()
    ax.set_xticklabels(ax.get_xticklabels(), rotation=30, ha="left", fontsize=8)
    _mark_focal_column(ax, years, focal_city)
    ax.set_title(
        __import__("textwrap").fill(
            tr.plural(
                "Which year each value describes: grey = no data, hatched = more than {gap} year from {city}'s year",
                "Which year each value describes: grey = no data, hatched = more than {gap} years from {city}'s year",
                max_year_gap,
                gap=tr.int(max_year_gap),
                city=focal_city,
            ),
            40,
        ),
        fontsize=9,
        loc="left",
        pad=40,
    )
    _fit_to_canvas(fig, ax)
    return fig


# Okabe–Ito, colour-blind safe; its orange is left out, too close to the focal city's vermilion.
CITY_PALETTE = ["#0072b2", "#56b4e9", "#009e73", "#cc79a7", "#000000", "#999999"]


def city_colours(cities, focal_city: str) -> dict[str, str]:
    """One colour per city, the same in every figure of every page: by the city's place in the sorted
    list of all cities (not by its place among one figure's peers), the focal city in vermilion."""
    colours = {city: CITY_PALETTE[i % len(CITY_PALETTE)] for i, city in enumerate(sorted(set(cities)))}
    colours[focal_city] = FOCAL_COLOUR
    return colours


def plot_theme_dots(table: pd.DataFrame, theme: str, focal_city: str, tr=None, contested=()):
    """One row per indicator of a theme; each city is a dot placed between the lowest and
    the highest printed value of that indicator (printed at the row's ends); the focal city
    is a large diamond with a black outline, values left out by the screening a grey cross,
    doubtful (warning) values carry ⚠.

    Rows are on their own scale (units differ), so compare positions within a row, not
    across rows. The arrow in the row label says which side is better; for the codes in ``contested`` (whose better
    direction is debatable) that the direction is assumed (an editor: "← im mniej, tym lepiej" under water use, where
    the tables say "dyskusyjna (przyjęto: niższa)"). Sized for a phone: 7 inches wide, every label 8 pt.
    """
    import textwrap

    from analysis.data import labels as label_names
    from analysis.text.common import unit_label

    tr = tr or _english()
    names = _indicator_names(table, tr)
    rows = table[table["theme"] == theme]
    excluded_column = rows["excluded"].astype(bool) if "excluded" in rows else pd.Series(False, index=rows.index)
    codes = list(dict.fromkeys(rows["code"]))
    peers = [c for c in dict.fromkeys(table["city"]) if c != focal_city]
    colours = city_colours(table["city"], focal_city)
    # Each row's label sits above its dots, across the full width: 5 inches wide, so on a
    # 390 px phone the 8.5 pt labels are about 9 px high and the dots keep the whole width.
    row_height = 1.05
    height = row_height * len(codes) + 1.4
    fig, ax = plt.subplots(figsize=(5, height))
    # Dots are collected per city and drawn with one scatter call each: a figure of 6 rows and 5
    # cities is then 6 collections, not 30 (drawing time is per collection, not per point).
    points = {city: [] for city in [*peers, focal_city]}
    left_out_points = []
    # One pass over plain records per indicator (pandas filtering per row was a third of the figure's making).
    records = rows.assign(_left_out=excluded_column.to_numpy()).to_dict("records")
    by_code: dict[str, list[dict]] = {code: [] for code in codes}
    for record in records:
        by_code[record["code"]].append(record)
    for y, code in enumerate(codes):
        indicator = by_code[code]
        meta = indicator[0]
        printed = [r for r in indicator if not r["missing"]]
        if code in contested and meta["polarity"] in ("higher", "lower"):
            arrow = {"higher": tr("→ assumed: higher is better (debatable)"), "lower": tr("← assumed: lower is better (debatable)")}[meta["polarity"]]
        else:
            arrow = {"higher": tr("→ higher is better"), "lower": tr("← lower is better"), "neutral": tr("not ranked")}[meta["polarity"]]
        name = textwrap.shorten(names[code], width=62, placeholder="…")
        ax.text(
            -0.16,
            y - 0.5,
            f"{code} {name}\n[{unit_label(meta['unit'], tr)}]  {arrow}",
            ha="left",
            va="center",
            fontsize=8.5,
            color="#222222",
            linespacing=1.15,
        )
        if not printed:
            ax.text(0.5, y, tr("no city reports this indicator"), ha="center", va="center", fontsize=8, color="#666666")
            continue
        low, high = min(r["value"] for r in printed), max(r["value"] for r in printed)
        for record in printed:
            x = (record["value"] - low) / (high - low) if high > low else 0.5
            if record["_left_out"]:
                left_out_points.append((x, y))
                # The table's sign of a doubtful value over its cross (a Polish editor: every value left out read as one
                # that cannot be right, the tables' ✖).
                if record.get("flag", "") == "warning":
                    ax.text(x, y - 0.22, "⚠", ha="center", va="center", fontsize=8)
                continue
            points[record["city"]].append((x, y))
            if record.get("flag", "") == "warning":
                ax.text(x, y - 0.22, "⚠", ha="center", va="center", fontsize=8)
        ax.text(-0.03, y, _short_number(low, tr), ha="right", va="center", fontsize=8.5, color="#444444")
        ax.text(1.03, y, _short_number(high, tr), ha="left", va="center", fontsize=8.5, color="#444444")
        notes = []
        if high == low and len(printed) > 1:
            notes.append(tr("all equal"))
        missing = [r["city"] for r in indicator if r["missing"]]
        if missing:
            notes.append(tr("no data: {cities}", cities=", ".join(missing)))

        # Which ones cannot be right as printed (the tables' ✖) and which are doubtful (⚠), said apart.
        # A share of a whole whose shares add up to more than 100 % is not wrong itself: one of them is (a Polish editor
        # of the sixteenth session: each of Kielce's four waste shares was labelled "błędna").
        def why(r):
            if r.get("flag", "") == "warning":
                return tr("{city} doubtful (⚠)", city=r["city"])
            if r.get("flag_rule", "") == "parts_exceed_whole":
                return tr("{city}: shares of one whole over 100%", city=r["city"])
            return tr("{city} wrong", city=r["city"])

        left_out = [why(r) for r in indicator if r["_left_out"] and not r["missing"]]
        if left_out:
            notes.append(tr("left out (×): {cities}", cities=", ".join(left_out)))
        if notes:
            ax.text(
                0.5, y + 0.21, textwrap.shorten("; ".join(notes), width=70, placeholder="…"), ha="center", va="center", fontsize=8, color="#555555"
            )
    # One collection for the rows' grey bands (a line per row cost as much as the row's texts).
    ax.hlines(range(len(codes)), -0.16, 1.16, colors="#eeeeee", lw=6, zorder=0)
    if left_out_points:
        ax.scatter(*zip(*left_out_points), s=60, marker="x", color="#888888", zorder=2, linewidth=1.5)
    for city, xy in points.items():
        if xy:
            focal = city == focal_city
            ax.scatter(
                *zip(*xy),
                s=120 if focal else 45,
                color=colours[city],
                zorder=3 if focal else 2,
                marker="D" if focal else "o",
                edgecolor="black" if focal else "white",
                linewidth=1.2 if focal else 0.8,
            )
    ax.set_yticks([])
    ax.set_ylim(len(codes) - 0.6, -0.85)
    ax.set_xlim(-0.16, 1.16)
    ax.set_xticks([])
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    handles = [
        plt.Line2D(
            [],
            [],
            marker="D" if c == focal_city else "o",
            ls="",
            color=colours[c],
            markeredgecolor="black" if c == focal_city else "white",
            markersize=9 if c == focal_city else 6,
            label=c,
        )
        for c in [focal_city, *peers]
    ]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(len(handles), 3), fontsize=8.5, frameon=False)
    theme_name = label_names.theme_names(tr.lang).get(theme, theme)
    title = tr("{theme}: where {city} (diamond) stands among the cities", theme=theme_name, city=focal_city)
    fig.suptitle(textwrap.fill(title, 55), fontsize=9, x=0.02, ha="left")
    fig.subplots_adjust(left=0.02, right=0.98, top=1 - 1.3 / height, bottom=0.01)
    # Everything is placed inside the canvas (a test checks it), so the SVG needs no tight bounding
    # box: that would lay out every text twice, and these 17 figures are most of a page's build time.
    fig.fits_canvas = True
    return fig


def _short_number(value: float, tr=None) -> str:
    """A row's end value in the page's language, with decimals fitting its size (``Lang.auto``)."""
    return (tr or _english()).auto(value)


def plot_score_heatmap(table: pd.DataFrame, focal_city: str, tr=None):
    """Min-max scores (0 = worst, 100 = best among the cities) for every ranked indicator (cividis)."""
    tr = tr or _english()
    ranked = table[table["polarity"] != "neutral"]
    scores = _ordered_pivot(ranked, "score_minmax", focal_city)
    fig, ax = plt.subplots(figsize=(5.6, 0.2 * len(scores) + 1.8))  # sized for a phone, like the vintage map
    # Doubtful (warning) values keep their score but carry "!" next to it.
    warned = _ordered_pivot(ranked, "flag", focal_city) == "warning" if "flag" in ranked else scores.isna() & False
    annotations = scores.map(lambda v: "" if pd.isna(v) else tr.int(v)) + warned.map(lambda w: "!" if w else "")
    sns.heatmap(
        scores,
        ax=ax,
        cmap="cividis",
        vmin=0,
        vmax=100,
        annot=annotations,
        fmt="",
        annot_kws={"size": 8},
        cbar_kws={"label": tr("score (100 = best)"), "shrink": 0.4},
        linewidths=0.4,
        linecolor="white",
        yticklabels=False,
    )  # the row labels are set below (see _HEATMAP_NOTE)
    _readable_annotations(ax, scores, "cividis", 0, 100)
    ax.set_yticks(np.arange(len(scores)) + 0.5)
    ax.set_yticklabels(_row_labels(ranked, scores.index, tr), fontsize=8)
    return _finish_city_heatmap(
        fig, ax, scores, focal_city, tr("Yellow = best among the cities, dark blue = worst; grey = no data or left out; ! = doubtful value"), width=40
    )


def plot_theme_scores(scores: pd.DataFrame, focal_city: str, tr=None):
    """Mean min-max score per theme and city (cividis); empty where coverage is below the threshold."""
    from analysis.data import labels

    tr = tr or _english()
    cities = [focal_city] + [c for c in dict.fromkeys(scores["city"]) if c != focal_city]
    pivot = scores.pivot(index="theme", columns="city", values="score_minmax").reindex(index=list(dict.fromkeys(scores["theme"])), columns=cities)
    coverage = scores.pivot(index="theme", columns="city", values="coverage").reindex_like(pivot)
    annotations = pivot.map(lambda v: tr.int(v)).where(pivot.notna(), "–") + "\n" + coverage.map(lambda v: tr.share(v))
    import textwrap

    theme_label = labels.theme_names(tr.lang)
    # 5 inches wide (not 7) with 9 pt text: on a 390 px phone the labels stay about 9 px high.
    fig, ax = plt.subplots(figsize=(5, 0.5 * len(pivot) + 2.2))
    sns.heatmap(
        pivot,
        ax=ax,
        cmap="cividis",
        vmin=0,
        vmax=100,
        annot=annotations,
        fmt="",
        annot_kws={"size": 8.5},
        cbar_kws={"label": tr("theme score (100 = best)"), "orientation": "horizontal", "shrink": 0.7, "pad": 0.02, "aspect": 30},
        linewidths=0.5,
        linecolor="white",
        yticklabels=False,
    )  # the row labels are set below (see _HEATMAP_NOTE)
    _readable_annotations(ax, pivot, "cividis", 0, 100)
    ax.set_yticks(np.arange(len(pivot)) + 0.5)
    ax.set_yticklabels([textwrap.fill(theme_label.get(t, t), 22) for t in pivot.index], fontsize=9, rotation=0)
    return _finish_city_heatmap(
        fig,
        ax,
        pivot,
        focal_city,
        tr("Theme scores (top number) and the share of the theme's indicators reported (bottom)"),
        width=45,
        city_fontsize=9,
    )


def plot_rank_uncertainty(summary: pd.DataFrame, focal_city: str, tr=None):
    """Per theme (and overall), for every city: the median rank over the variants (dot) with
    its 5–95 % interval (bar) and the report's nominal rank (diamond). The focal city is drawn
    first in each theme, thick and in ``FOCAL_COLOUR`` with a black-edged diamond; peers are
    thin, in the colour-blind-safe city palette. Rank 1 is on the left."""
    import textwrap

    from analysis.data import labels

    tr = tr or _english()
    themes = list(dict.fromkeys(summary["theme"]))
    themes = [t for t in themes if t != "overall"] + (["overall"] if "overall" in themes else [])
    cities = [focal_city] + [c for c in dict.fromkeys(summary["city"]) if c != focal_city]
    colours = city_colours(summary["city"], focal_city)
    theme_label = {**labels.theme_names(tr.lang), "overall": tr("Overall score")}
    by_key = summary.set_index(["theme", "city"])
    step = 0.8 / max(len(cities), 1)
    legend_rows = (len(cities) + 3 + 1) // 2
    height = 0.5 * len(themes) + 1.4 + 0.22 * legend_rows
    fig, ax = plt.subplots(figsize=(5, height))  # 5 inches: 9 pt labels stay legible on a 390 px phone
    # One scatter per city and marker (a scatter per point took about 1 s of a page's build).
    points = {city: {"median": [], "nominal": []} for city in cities}
    for y, theme in enumerate(themes):
        for k, city in enumerate(cities):
            if (theme, city) not in by_key.index:
                continue
            row = by_key.loc[(theme, city)]
            if pd.isna(row["rank_median"]):
                continue
            offset = y - 0.4 + step * (k + 0.5)
            focal = city == focal_city
            ax.plot(
                [row["rank_p05"], row["rank_p95"]],
                [offset, offset],
                color=colours[city],
                lw=4 if focal else 1.6,
                alpha=0.9 if focal else 0.7,
                solid_capstyle="round",
            )
            points[city]["median"].append((row["rank_median"], offset))
            if pd.notna(row["rank_nominal"]):
                points[city]["nominal"].append((row["rank_nominal"], offset))
        if y:
            ax.axhline(y - 0.5, color="#eeeeee", lw=0.8)
    for city, marks in points.items():
        focal = city == focal_city
        if marks["median"]:
            x, y = zip(*marks["median"])
            ax.scatter(x, y, color=colours[city], s=22 if focal else 8, zorder=3)
        if marks["nominal"]:
            x, y = zip(*marks["nominal"])
            ax.scatter(
                x,
                y,
                marker="D",
                s=42 if focal else 14,
                facecolor="white",
                edgecolor="black" if focal else colours[city],
                linewidth=1.3 if focal else 0.8,
                zorder=4,
            )
    ax.set_yticks(range(len(themes)))
    ax.set_yticklabels([textwrap.fill(theme_label.get(t, t), 22) for t in themes], fontsize=9)
    ticks = ax.get_yticklabels()
    ticks[-1].set_fontweight("bold") if themes and themes[-1] == "overall" else None
    ax.set_ylim(len(themes) - 0.5, -0.5)
    n_cities = len(cities)
    ax.set_xlim(0.5, n_cities + 0.5)
    ax.set_xticks(range(1, n_cities + 1))
    ax.tick_params(axis="x", labelsize=9)
    ax.set_xlabel(tr("rank among the cities (1 = best)"), fontsize=9)
    handles = [plt.Line2D([], [], color=colours[c], lw=4 if c == focal_city else 1.6, label=c) for c in cities]
    handles += [
        plt.Line2D([], [], color="#555555", lw=3, label=tr("5–95% of the variants")),
        plt.Line2D([], [], marker="o", ls="", color="#555555", label=tr("median rank")),
        plt.Line2D([], [], marker="D", ls="", markerfacecolor="white", markeredgecolor="black", label=tr("place in the main calculation")),
    ]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.02, 0.0), ncol=2, fontsize=8.5, frameon=False)
    ax.set_title(
        textwrap.fill(tr("Rank of each city per theme across the variants of the ranking (highlighted: {city})", city=focal_city), 45),
        fontsize=9,
        loc="left",
    )
    fig.tight_layout(rect=(0, (0.2 * legend_rows + 0.2) / height, 1, 1))
    return fig


# --- maturity scores ----------------------------------------------------------------------
# Colour-blind-safe: blue for stakeholders, black for the expert, orange (never red/green)
# for areas with fewer than five raters; heat maps use cividis.

EXPERT_COLOUR = "#111111"
STAKEHOLDER_COLOUR = "#2c7fb8"
SMALL_GROUP_COLOUR = "#e66101"
DEFAULT_FIGURE_LABELS = {
    "raters": "raters",
    "small": "fewer than five raters",
    "level": "maturity level (1–5)",
    "one": "one stakeholder",
    "mean": "stakeholders' mean",
    "expert": "expert (shaded: a range such as 1-2)",
    "mean_level": "mean maturity level",
    "kendall": "Kendall's W (1 = same order; random orders give about 1 / raters)",
    "alpha": "Krippendorff's alpha (1 = agree, 0 = chance)",
    "hatched": "hatched grey: fewer than five raters",
    "same": "same score",
    "range": "expert gave a range (plotted at its middle)",
    "expert_axis": "expert's score",
    "stakeholder_axis": "stakeholders' mean score",
    "small_points": "area with fewer than five raters",
    "large_points": "area with at least five raters",
    "share_rater": "differences in the raters' overall level",
    "share_dimension": "differences between the five dimensions",
    "share_residual": "the rest (a rater's view of one dimension, noise)",
    "share_axis": "share of the variance of the answers",
    "percent": lambda value: f"{value:.0%}",
}


# The dispersion figures are drawn about 6 inches wide so that, shrunk to a 390-pixel phone
# screen (about 372 px of image), 9.5-point text still shows at 8 px or more.
DISPERSION_WIDTH = 6.0
DISPERSION_FONT = 9.5


def _decimal_formatter(text: dict, decimals: int = 1):
    """Tick labels written as the page's language writes numbers (decimal comma in Polish)."""
    from matplotlib.ticker import FuncFormatter

    number = text.get("number")
    if not callable(number):
        return FuncFormatter(lambda value, _: f"{value:.{decimals}f}".replace("-", "\u2212"))
    return FuncFormatter(lambda value, _: number(value, decimals))


def _wrap(text: str, width: int) -> str:
    import textwrap

    # Never split a word ("Administra-cja"): a long word gets a line of its own.
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) if "\n" not in text else text


def _name(mapping: dict | None, key: str) -> str:
    return mapping.get(key, key) if mapping else key


def _area_tick(area: str, area_names: dict | None, small: set) -> str:
    return f"{_name(area_names, area)} {SMALL_MARK}" if area in small else _name(area_names, area)


def plot_ratings_strip(
    scores: pd.DataFrame,
    title: str,
    dimension_labels: dict[str, str] | None = None,
    *,
    area_names: dict | None = None,
    small_areas=(),
    labels: dict | None = None,
):
    """Every stakeholder rating per area and dimension (dots), the stakeholder mean (diamond)
    and the expert's score or range (black bar); three panels a row, about 6 inches wide.

    Areas in ``small_areas`` (fewer than five raters) get an orange frame, orange
    dots and the small-group mark in their panel title. ``labels`` are the texts the
    figure draws (see :data:`DEFAULT_FIGURE_LABELS`), already in the reader's language.
    """
    text = {**DEFAULT_FIGURE_LABELS, **(labels or {})}
    small = set(small_areas)
    stakeholder = scores[scores["rater_type"] == "stakeholder"]
    expert = scores[scores["rater_type"] == "expert"]
    areas = list(dict.fromkeys(stakeholder["area"]))
    dimensions = list(dict.fromkeys(scores["dimension"]))
    ticks = [_wrap(_name(dimension_labels, d), 16) for d in dimensions]
    columns = min(3, len(areas))
    rows = int(np.ceil(len(areas) / columns))
    legend_height = 1.0
    # A third of the width per panel; a single panel gets more, or its five rotated labels collide.
    width = DISPERSION_WIDTH * columns / 3 if columns > 1 else DISPERSION_WIDTH * 0.6
    fig, axes = plt.subplots(rows, columns, figsize=(width, 2.6 * rows + 1.9 + legend_height), sharey=True, sharex=True, squeeze=False)
    rng = np.random.default_rng(0)  # jitter only: positions, not data
    for ax, area in zip(axes.flat, areas):
        cell = stakeholder[stakeholder["area"] == area]
        n_raters = cell["rater"].nunique()
        colour = SMALL_GROUP_COLOUR if area in small else STAKEHOLDER_COLOUR
        for i, dimension in enumerate(dimensions):
            values = cell.loc[cell["dimension"] == dimension, "score_low"].to_numpy(float)
            ax.scatter(
                i + rng.uniform(-0.18, 0.18, len(values)), values + rng.uniform(-0.12, 0.12, len(values)), s=14, color=colour, alpha=0.55, linewidth=0
            )
            if len(values):
                ax.scatter(i, values.mean(), marker="D", s=36, color=colour, edgecolor="white", zorder=4)
            row = expert[(expert["area"] == area) & (expert["dimension"] == dimension)]
            if not row.empty:
                low, high = row.iloc[0]["score_low"], row.iloc[0]["score_high"]
                ax.plot([i - 0.3, i + 0.3], [low, low], color=EXPERT_COLOUR, lw=2.5, zorder=5)
                if high > low:
                    ax.add_patch(plt.Rectangle((i - 0.3, low), 0.6, high - low, color=EXPERT_COLOUR, alpha=0.25, zorder=3))
                    ax.plot([i - 0.3, i + 0.3], [high, high], color=EXPERT_COLOUR, lw=2.5, zorder=5)
        count = text["n_raters"](n_raters) if callable(text.get("n_raters")) else f"{n_raters} {text['raters']}"
        count = count.replace(" ", "\u00a0")  # keep "(3 raters)" on one line
        panel_title = _wrap(f"{_area_tick(area, area_names, small)} ({count})", 22)
        ax.set_title(panel_title, fontsize=DISPERSION_FONT, color=SMALL_GROUP_COLOUR if area in small else "black")
        if area in small:
            for side in ax.spines.values():
                side.set_edgecolor(SMALL_GROUP_COLOUR)
                side.set_linewidth(1.5)
        ax.set_xticks(range(len(dimensions)))
        ax.set_xlim(-0.6, len(dimensions) - 0.4)
        ax.set_ylim(0.5, 5.5)
        ax.set_yticks(range(1, 6))
        ax.tick_params(axis="y", labelsize=DISPERSION_FONT)
        ax.grid(axis="y", color="#eeeeee")
    for position, ax in enumerate(axes.flat):
        # Dimension names only under the lowest panel of each column (the panels share them).
        below = position + columns
        if below >= len(areas):
            ax.tick_params(axis="x", labelbottom=True)
            ax.set_xticklabels(ticks, rotation=90, ha="center", va="top", fontsize=DISPERSION_FONT, linespacing=0.95)
    for ax in axes.flat[len(areas) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(text["level"], fontsize=DISPERSION_FONT)
    handles = [
        plt.Line2D([], [], marker="o", ls="", color=STAKEHOLDER_COLOUR, alpha=0.6, label=text["one"]),
        plt.Line2D([], [], marker="D", ls="", color=STAKEHOLDER_COLOUR, label=text["mean"]),
        plt.Line2D([], [], color=EXPERT_COLOUR, lw=2.5, label=text["expert"]),
    ]
    if small & set(areas):
        handles.append(plt.Line2D([], [], marker="D", ls="", color=SMALL_GROUP_COLOUR, label=f"{SMALL_MARK} {text['small']}"))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0), ncol=1, fontsize=DISPERSION_FONT, frameon=False)
    fig.suptitle(_wrap(title, 60), fontsize=10.5, x=0.01, ha="left")
    fig.tight_layout(rect=(0, legend_height / fig.get_size_inches()[1], 1, 1))  # room for the legend below
    return fig


def plot_mean_heatmap(
    cells: pd.DataFrame,
    title: str,
    dimension_labels: dict[str, str] | None = None,
    *,
    area_names: dict | None = None,
    small_areas=(),
    labels: dict | None = None,
    number=None,
):
    """Stakeholder mean per area and dimension (cividis, levels 1–5), with the standard
    deviation underneath; small-group rows are hatched and carry the small-group mark.
    ``number`` writes a value with one decimal in the reader's language (default ``f"{v:.1f}"``)."""
    number = number or (lambda v: f"{v:.1f}")
    text = {**DEFAULT_FIGURE_LABELS, **(labels or {})}
    small = set(small_areas)
    means = cells.pivot(index="area", columns="dimension", values="mean")
    sds = cells.pivot(index="area", columns="dimension", values="sd")
    order_rows = list(dict.fromkeys(cells["area"]))
    order_columns = list(dict.fromkeys(cells["dimension"]))
    means, sds = means.reindex(index=order_rows, columns=order_columns), sds.reindex(index=order_rows, columns=order_columns)
    annotations = means.map(number) + "\n± " + sds.map(lambda v: "–" if pd.isna(v) else number(v))
    # The colour bar lies under the map so that the five columns get the width for their names.
    fig, ax = plt.subplots(figsize=(DISPERSION_WIDTH, 0.7 * len(means) + 3.0))
    sns.heatmap(
        means,
        ax=ax,
        cmap="cividis",
        vmin=1,
        vmax=5,
        annot=annotations,
        fmt="",
        annot_kws={"size": DISPERSION_FONT},
        cbar_kws={"label": text["mean_level"], "ticks": range(1, 6), "orientation": "horizontal", "shrink": 0.6, "pad": 0.22, "aspect": 30},
        linewidths=0.5,
        linecolor="white",
    )
    _readable_annotations(ax, means, "cividis", 1, 5)
    colourbar = ax.collections[0].colorbar
    colourbar.ax.tick_params(labelsize=DISPERSION_FONT)
    colourbar.set_label(text["mean_level"], fontsize=DISPERSION_FONT)
    for i, area in enumerate(order_rows):
        if area in small:
            ax.add_patch(plt.Rectangle((0, i), len(order_columns), 1, fill=False, hatch="//", edgecolor=SMALL_GROUP_COLOUR, lw=1.5))
    ax.set_xticklabels(
        [_wrap(_name(dimension_labels, d), 18) for d in order_columns], rotation=35, ha="right", rotation_mode="anchor", fontsize=DISPERSION_FONT
    )
    ax.set_yticklabels([_wrap(_area_tick(a, area_names, small), 18) for a in order_rows], rotation=0, fontsize=DISPERSION_FONT)
    for tick, area in zip(ax.get_yticklabels(), order_rows):
        if area in small:
            tick.set_color(SMALL_GROUP_COLOUR)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(_wrap(title, 48), fontsize=10.5, loc="left")
    fig.tight_layout()
    return fig


def plot_agreement(agreement: pd.DataFrame, title: str, *, area_names: dict | None = None, labels: dict | None = None):
    """Kendall's W and Krippendorff's alpha per area (two panels stacked, 8 inches wide);
    areas with fewer than five raters (``small_group``) are hatched grey and marked."""
    text = {**DEFAULT_FIGURE_LABELS, **(labels or {})}
    fig, axes = plt.subplots(2, 1, figsize=(DISPERSION_WIDTH, 1.0 * len(agreement) + 3.4))
    areas = list(agreement["area"])
    small = {a for a, s in zip(areas, agreement["small_group"]) if s}
    y = np.arange(len(areas))
    ticks = [f"{_wrap(_area_tick(a, area_names, small), 24)} (n\u00a0=\u00a0{n})" for a, n in zip(areas, agreement["n_raters"])]
    for ax, column, label, limits in (
        (axes[0], "kendall_w", text["kendall"], (0, 1)),
        (axes[1], "krippendorff_alpha", text["alpha"], (-0.5, 1)),
    ):
        values = agreement[column].to_numpy(float)
        colours = [PEER_COLOUR if s else STAKEHOLDER_COLOUR for s in agreement["small_group"]]
        bars = ax.barh(y, np.nan_to_num(values), color=colours)
        for bar, s in zip(bars, agreement["small_group"]):
            if s:
                bar.set_hatch("///")
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlim(*limits)
        ax.set_xlabel(_wrap(label, 50), fontsize=DISPERSION_FONT)
        ax.set_yticks(y)
        ax.set_yticklabels(ticks, fontsize=DISPERSION_FONT)
        ax.tick_params(axis="x", labelsize=DISPERSION_FONT)
        ax.xaxis.set_major_formatter(_decimal_formatter(text, 1))
        ax.invert_yaxis()
        ax.grid(axis="x", color="#eeeeee")
    fig.suptitle(_wrap(title, 62) + "\n(" + text["hatched"] + ")", fontsize=10.5, x=0.01, ha="left")
    fig.tight_layout()
    return fig


VARIANCE_COLOURS = {"share_rater": STAKEHOLDER_COLOUR, "share_dimension": "#e69f00", "share_residual": "#c8c8c8"}  # Okabe–Ito


def plot_rater_variance(variance: pd.DataFrame, title: str, *, area_names: dict | None = None, labels: dict | None = None):
    """Per area, one bar split into the shares of the answers' variance: raters' overall level,
    dimension, the rest (``analysis.methods.raters.rater_variance``); small groups marked."""
    text = {**DEFAULT_FIGURE_LABELS, **(labels or {})}
    fig, ax = plt.subplots(figsize=(DISPERSION_WIDTH, 0.5 * len(variance) + 2.6))
    areas = list(variance["area"])
    small = {a for a, s in zip(areas, variance["small_group"]) if s}
    y = np.arange(len(areas))
    left = np.zeros(len(areas))
    for column, colour in VARIANCE_COLOURS.items():
        values = np.nan_to_num(variance[column].to_numpy(float))
        ax.barh(y, values, left=left, color=colour, label=_wrap(text[column], 40), edgecolor="white", linewidth=0.5)
        left += values
    ax.set_xlim(0, 1)
    ax.set_yticks(y)
    ax.set_yticklabels(
        [f"{_wrap(_area_tick(a, area_names, small), 24)} (n\u00a0=\u00a0{n})" for a, n in zip(areas, variance["n_raters"])], fontsize=DISPERSION_FONT
    )
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: text["percent"](value)))
    ax.tick_params(axis="x", labelsize=DISPERSION_FONT)
    ax.set_xlabel(_wrap(text["share_axis"], 60), fontsize=DISPERSION_FONT)
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=1, fontsize=DISPERSION_FONT, frameon=False)
    fig.suptitle(_wrap(title, 62), fontsize=10.5, x=0.01, ha="left")
    fig.tight_layout()
    return fig


def plot_expert_vs_stakeholders(comparison: pd.DataFrame, title: str, *, labels: dict | None = None):
    """Stakeholder mean against the expert's score, one point per area × dimension; blue circles
    for areas with at least five raters, orange triangles for smaller ones (``small_group``)."""
    text = {**DEFAULT_FIGURE_LABELS, **(labels or {})}
    fig, ax = plt.subplots(figsize=(6, 6))
    rng = np.random.default_rng(1)  # jitter only
    x = comparison["expert_mid"].to_numpy(float) + rng.uniform(-0.06, 0.06, len(comparison))
    y = comparison["stakeholder_mean"].to_numpy(float)
    small = comparison["small_group"].to_numpy(bool) if "small_group" in comparison else np.zeros(len(comparison), bool)
    ax.plot([0.8, 5.2], [0.8, 5.2], color="#999999", lw=1, ls="--")
    ax.text(4.75, 4.55, text["same"], ha="right", va="top", fontsize=DISPERSION_FONT, color="#666666", rotation=45, rotation_mode="anchor")
    ax.scatter(x[~small], y[~small], color=STAKEHOLDER_COLOUR, s=36, alpha=0.8, label=text["large_points"])
    if small.any():
        ax.scatter(x[small], y[small], color=SMALL_GROUP_COLOUR, marker="^", s=46, alpha=0.9, label=f"{SMALL_MARK} {text['small_points']}")
    ranged = (comparison["expert_high"] > comparison["expert_low"]).to_numpy()
    ax.scatter(x[ranged], y[ranged], facecolor="none", edgecolor=EXPERT_COLOUR, s=90, label=text["range"])
    ax.set_xlim(0.8, 5.2)
    ax.set_ylim(0.8, 5.2)
    ax.set_xlabel(text["expert_axis"], fontsize=DISPERSION_FONT)
    ax.set_ylabel(text["stakeholder_axis"], fontsize=DISPERSION_FONT)
    ax.set_xticks(range(1, 6))  # whole levels: no decimal separator to translate
    ax.set_yticks(range(1, 6))
    ax.tick_params(labelsize=DISPERSION_FONT)
    ax.legend(fontsize=DISPERSION_FONT, loc="upper left", frameon=False)
    ax.set_title(_wrap(title, 58), fontsize=10.5, loc="left")
    fig.tight_layout()
    return fig
