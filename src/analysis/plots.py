"""Figures for the reports. Each function takes a tidy table and returns a Figure.

Titles state what to look for; the focal city is always drawn in one colour
(``FOCAL_COLOUR``) so a reader can find it in every figure.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

FOCAL_COLOUR = "#c0392b"
PEER_COLOUR = "#7f8c8d"
MISSING_COLOUR = "#e5e5e5"


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


def _row_labels(table: pd.DataFrame, codes) -> list[str]:
    names = table.drop_duplicates("code").set_index("code")["indicator"]
    return [f"{code}  {names[code][:55]}{'…' if len(names[code]) > 55 else ''}" for code in codes]


def plot_vintage_heatmap(table: pd.DataFrame, focal_city: str, max_year_gap: int):
    """Reference year of every value; grey = no data, hatched = more than ``max_year_gap`` from the focal year."""
    years = _ordered_pivot(table, "year", focal_city).astype("float64")
    height = 0.19 * len(years) + 1.6
    fig, ax = plt.subplots(figsize=(9, height))
    sns.heatmap(
        years, ax=ax, cmap="viridis", annot=True, fmt=".0f", annot_kws={"size": 6.5}, cbar_kws={"label": "reference year", "shrink": 0.4},
        linewidths=0.4, linecolor="white",
    )
    ax.set_facecolor(MISSING_COLOUR)
    gaps = _ordered_pivot(table, "year_flag", focal_city)
    for i, code in enumerate(gaps.index):
        for j, city in enumerate(gaps.columns):
            flag = gaps.at[code, city]
            if flag == "gap":
                ax.add_patch(plt.Rectangle((j, i), 1, 1, fill=False, hatch="////", edgecolor="white", lw=0))
            elif flag == "no year":
                ax.text(j + 0.5, i + 0.5, "no year", ha="center", va="center", fontsize=6, color="black")
    ax.set_yticks(np.arange(len(years)) + 0.5)
    ax.set_yticklabels(_row_labels(table, years.index), fontsize=6.5)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.xaxis.tick_top()
    _mark_focal_column(ax, years, focal_city)
    ax.set_title(
        f"Which year each value describes: grey = no data, hatched = more than {max_year_gap} years from {focal_city}'s year",
        fontsize=9, loc="left", pad=24,
    )
    fig.tight_layout()
    return fig


def plot_theme_dots(table: pd.DataFrame, theme: str, focal_city: str):
    """One strip per indicator of a theme: every city's value, the focal city highlighted."""
    rows = table[table["theme"] == theme]
    codes = list(dict.fromkeys(rows["code"]))
    fig, axes = plt.subplots(len(codes), 1, figsize=(9, 1.05 * len(codes) + 0.8), squeeze=False)
    for ax, code in zip(axes[:, 0], codes):
        indicator = rows[rows["code"] == code]
        present = indicator[~indicator["missing"]]
        meta = indicator.iloc[0]
        arrow = {"higher": "higher is better →", "lower": "← lower is better", "neutral": "not ranked"}[meta["polarity"]]
        peer_number = 0
        for _, city in present.sort_values("value").iterrows():
            focal = city["city"] == focal_city
            ax.scatter(city["value"], 0, s=90 if focal else 45, color=FOCAL_COLOUR if focal else PEER_COLOUR, zorder=3 if focal else 2, edgecolor="white")
            # Peer labels alternate between two lines below the axis so close values stay readable.
            offset = 7 if focal else (-11 if peer_number % 2 == 0 else -19)
            peer_number += 0 if focal else 1
            ax.annotate(city["city"], (city["value"], 0), xytext=(0, offset), textcoords="offset points",
                        ha="center", fontsize=7, color=FOCAL_COLOUR if focal else "#555555", fontweight="bold" if focal else "normal")
        missing = ", ".join(indicator.loc[indicator["missing"], "city"])
        ax.set_yticks([])
        ax.set_ylim(-1.3, 1)
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="x", labelsize=7)
        name = meta["indicator"] if len(meta["indicator"]) < 90 else meta["indicator"][:87] + "…"
        ax.set_title(f"{code} {name} [{meta['unit']}] — {arrow}" + (f"   (no data: {missing})" if missing else ""), fontsize=7.5, loc="left")
        if present.empty:
            ax.text(0.5, 0, "no city reports this indicator", transform=ax.transAxes, ha="center", fontsize=7)
            ax.set_xticks([])
    fig.suptitle(f"{theme}: where {focal_city} (red) stands on each indicator", fontsize=10, x=0.01, ha="left")
    fig.tight_layout()
    return fig


def plot_score_heatmap(table: pd.DataFrame, focal_city: str):
    """Min-max scores (0 = worst, 100 = best among the cities) for every ranked indicator."""
    ranked = table[table["polarity"] != "neutral"]
    scores = _ordered_pivot(ranked, "score_minmax", focal_city)
    fig, ax = plt.subplots(figsize=(9, 0.19 * len(scores) + 1.6))
    sns.heatmap(scores, ax=ax, cmap="RdYlGn", vmin=0, vmax=100, annot=True, fmt=".0f", annot_kws={"size": 6.5},
                cbar_kws={"label": "score (100 = best)", "shrink": 0.4}, linewidths=0.4, linecolor="white")
    ax.set_facecolor(MISSING_COLOUR)
    ax.set_yticks(np.arange(len(scores)) + 0.5)
    ax.set_yticklabels(_row_labels(ranked, scores.index), fontsize=6.5)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.xaxis.tick_top()
    _mark_focal_column(ax, scores, focal_city)
    ax.set_title("Green = best among the cities, red = worst; grey = no data", fontsize=9, loc="left", pad=24)
    fig.tight_layout()
    return fig


def plot_theme_scores(scores: pd.DataFrame, focal_city: str):
    """Mean min-max score per theme and city; empty where coverage is below the threshold."""
    cities = [focal_city] + [c for c in dict.fromkeys(scores["city"]) if c != focal_city]
    pivot = scores.pivot(index="theme", columns="city", values="score_minmax").reindex(
        index=list(dict.fromkeys(scores["theme"])), columns=cities
    )
    coverage = scores.pivot(index="theme", columns="city", values="coverage").reindex_like(pivot)
    labels = pivot.round(0).astype("Int64").astype(str).where(pivot.notna(), "–") + "\n" + (coverage * 100).round(0).astype(int).astype(str) + "%"
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(pivot) + 1.5))
    sns.heatmap(pivot, ax=ax, cmap="RdYlGn", vmin=0, vmax=100, annot=labels, fmt="", annot_kws={"size": 7},
                cbar_kws={"label": "theme score (100 = best)", "shrink": 0.5}, linewidths=0.5, linecolor="white")
    ax.set_facecolor(MISSING_COLOUR)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.xaxis.tick_top()
    _mark_focal_column(ax, pivot, focal_city)
    ax.set_title("Theme scores (top number) and the share of the theme's indicators reported (bottom)", fontsize=9, loc="left", pad=24)
    fig.tight_layout()
    return fig
