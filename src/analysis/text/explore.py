"""The words of the exploration page (``notebooks/explore.ipynb``) in the reader's language.

Every sentence goes through :class:`~analysis.text.i18n.Lang` (Polish in
``locales/pl/LC_MESSAGES/messages.po``); names of indicators, themes, areas and
dimensions come from :mod:`analysis.data.labels` (as printed in the source). The
numbers come from :mod:`analysis.explore`; nothing here computes a result.

The paragraphs (the introduction, the notes, the answers to the worked questions) are templates
in ``text/templates/explore-*.md.j2``, rendered by :func:`analysis.text.render.render`, which
escapes every value from data itself. Headings, questions, table labels, captions and alt texts
(not Markdown) stay ``tr(...)`` calls.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from analysis.data import labels
from analysis.methods.dispersion import SMALL_MARK
from analysis.text.common import FLAG_MARKERS, heading, md_escape, unit_label
from analysis.text.i18n import Lang
from analysis.text.render import render


def title(tr: Lang) -> str:
    """The page's ``#`` heading (the publisher sets the same title, from ``reports.yml``)."""
    return heading(tr("For researchers: exploring the indicators and maturity scores"), 1)


def introduction(tr: Lang) -> str:
    """The first paragraph, under the title (``templates/explore-introduction.md.j2``)."""
    return render("explore-introduction.md.j2", tr)


def sections(tr: Lang, *, city: str, other: str, theme: str, area: str) -> dict[str, str]:
    """The ``##`` headings of the page, in order (names from data escaped for Markdown)."""
    return {
        "data": tr("The data in two tables"),
        "compare": tr(
            "Comparison: {city} and {other} — {theme}", city=md_escape(city), other=md_escape(other), theme=md_escape(theme_label(theme, tr))
        ),
        "missing": tr("Which indicators are missing"),
        "spread": tr("How spread the maturity scores are: {area}", area=md_escape(area_label(area, tr))),
        "further": tr("Exploring further"),
    }


def theme_label(theme: str, tr: Lang) -> str:
    return labels.theme_names(tr.lang).get(theme, theme)


def area_label(area: str, tr: Lang) -> str:
    return labels.area_names(tr.lang).get(area, area)


def question(text: str) -> str:
    """A worked question, set in italics above its answer."""
    return f"*{text}*"


# --- the data ---------------------------------------------------------------------------------------


def tables_overview(indicators: pd.DataFrame, scores: pd.DataFrame, tr: Lang) -> pd.DataFrame:
    """One row per tidy table: what a row is, how many rows, what the table covers."""
    raters = scores[scores["rater_type"] == "stakeholder"]["rater"].nunique()
    experts = scores[scores["rater_type"] == "expert"]["rater"].nunique()
    return pd.DataFrame(
        {
            tr("Table"): [tr("ISO 37120 indicators"), tr("Maturity scores")],
            tr("One row per"): [tr("indicator and city"), tr("area, rater and dimension")],
            tr("Rows"): [len(indicators), len(scores)],
            tr("Contents"): [
                tr(
                    "cities: {cities}; indicators: {indicators}; themes: {themes}",
                    cities=tr.int(indicators["city"].nunique()),
                    indicators=tr.int(indicators["code"].nunique()),
                    themes=tr.int(indicators["theme"].nunique()),
                ),
                tr(
                    "areas: {areas}; dimensions: {dimensions}; stakeholder units: {raters}; experts: {experts}",
                    areas=tr.int(scores["area"].nunique()),
                    dimensions=tr.int(scores["dimension"].nunique()),
                    raters=tr.int(raters),
                    experts=tr.int(experts),
                ),
            ],
        }
    )


def loading_note(tr: Lang) -> str:
    """Under the table of the two tidy tables (``templates/explore-loading-note.md.j2``)."""
    return render("explore-loading-note.md.j2", tr)


# --- comparison of two cities -----------------------------------------------------------------------


def comparison_question(table: pd.DataFrame, tr: Lang) -> str:
    attrs = table.attrs
    return question(
        tr(
            "How does {city} compare with {other} on {theme}?",
            city=md_escape(attrs["city"]),
            other=md_escape(attrs["other"]),
            theme=md_escape(theme_label(attrs["theme"], tr)),
        )
    )


def reason_text(note: str, tr: Lang) -> str:
    """Why a row names no better city (``note`` of :func:`analysis.explore.compare_cities`)."""
    return {
        "neutral": tr("descriptive indicator"),
        "definitions": tr("definitions differ between cities"),
        "missing": tr("no data"),
        "excluded": tr("a value that cannot be right as printed"),
        "flagged": tr("a doubtful value to verify at source"),
        "years": tr("reference years too far apart"),
        "level": tr("no clear difference: a gap smaller than what matters"),
        "chance": tr("level: a difference within the chance variation of a few events"),
        "": "",
    }[note]


def comparison_summary(table: pd.DataFrame, tr: Lang) -> str:
    """How many indicators favour each city, and why the others cannot be compared
    (``templates/explore-comparison-summary.md.j2``)."""
    city, other = table.attrs["city"], table.attrs["other"]
    wins = table["better"].value_counts()
    notes = table.loc[~table["note"].isin(["", "level", "chance"]), "note"].value_counts()
    # The reasons are the code's own translated words with a count: Markdown as they are.
    reasons = [Markup(f"{reason_text(note, tr)} ({tr.int(k)})") for note, k in notes.items()]
    return render(
        "explore-comparison-summary.md.j2",
        tr,
        n=len(table),
        city=city,
        other=other,
        wins_city=int(wins.get(city, 0)),
        wins_other=int(wins.get(other, 0)),
        level=int((table["verdict"] == "level").sum()),
        reasons=reasons,
        n_reasons=int(notes.sum()),
    )


def _printed(value, year, flag, tr: Lang) -> str:
    if pd.isna(value):
        return tr("no data")
    text = tr.auto(value)
    if not pd.isna(year):
        text += f" ({int(year)})"
    return text + FLAG_MARKERS.get(flag or "", "")


def comparison_table(table: pd.DataFrame, tr: Lang) -> pd.DataFrame:
    """The reader's table: each indicator, both cities' values with their year, and which is better."""
    from analysis.data.knowledge import load_review

    city, other = table.attrs["city"], table.attrs["other"]
    names = labels.indicator_names(tr.lang)
    direction = {"higher": tr("higher"), "lower": tr("lower"), "neutral": tr("none (not ranked)")}
    # A debatable direction says so, with the one assumed, as the city pages' tables do (a Polish editor of the
    # sixteenth session: "niższa" here for cars per resident, "dyskusyjna (przyjęto: niższa)" on Kielce's page).
    review = load_review()
    contested = set(review.loc[review["polarity_confidence"] == "contested", "code"])

    def better(code: str, polarity: str) -> str:
        if code in contested and polarity != "neutral":
            return tr("debatable (assumed: {direction})", direction=direction[polarity])
        return direction[polarity]

    return pd.DataFrame(
        {
            tr("Code"): table["code"],
            tr("Indicator"): [names.get(code, name) for code, name in zip(table["code"], table["indicator"])],
            tr("Unit of measure"): [unit_label(unit, tr) for unit in table["unit"]],
            tr("Better"): [better(code, polarity) for code, polarity in zip(table["code"], table["polarity"])],
            city: [_printed(v, y, f, tr) for v, y, f in zip(table["value"], table["year"], table["flag"])],
            other: [_printed(v, y, f, tr) for v, y, f in zip(table["other_value"], table["other_year"], table["other_flag"])],
            tr("City clearly better"): table["better"].replace("", "–"),
            tr("Note"): [reason_text(note, tr) or "–" for note in table["note"]],
        }
    )


def comparison_legend(tr: Lang) -> str:
    """Under the comparison table (``templates/explore-comparison-legend.md.j2``)."""
    return render("explore-comparison-legend.md.j2", tr)


def theme_figure_alt(table: pd.DataFrame, tr: Lang) -> str:
    return tr(
        "{theme}: every city's value of each indicator, placed between the lowest and the highest value; {city} is the diamond.",
        theme=theme_label(table.attrs["theme"], tr),
        city=table.attrs["city"],
    )


# --- missing indicators -----------------------------------------------------------------------------


def missing_question(tr: Lang) -> str:
    return question(tr("Which indicators are missing from each city's data?"))


def missing_summary(missing: pd.DataFrame, tr: Lang) -> str:
    """The cities with the most and the fewest gaps (``templates/explore-missing-summary.md.j2``)."""
    cities = [c for c in missing.columns if c not in ("theme", "n_indicators")]
    totals = missing[cities].sum()
    most, fewest = totals.idxmax(), totals.idxmin()
    return render(
        "explore-missing-summary.md.j2",
        tr,
        most=most,
        most_n=totals[most],
        fewest=fewest,
        fewest_n=totals[fewest],
        m=int(missing["n_indicators"].sum()),
    )


def missing_table(missing: pd.DataFrame, tr: Lang) -> pd.DataFrame:
    """Themes × cities, the number of missing indicators, with a total row."""
    cities = [c for c in missing.columns if c not in ("theme", "n_indicators")]
    total = {"theme": tr("All themes"), "n_indicators": int(missing["n_indicators"].sum()), **{c: int(missing[c].sum()) for c in cities}}
    rows = pd.concat([missing.assign(theme=[theme_label(t, tr) for t in missing["theme"]]), pd.DataFrame([total])], ignore_index=True)
    return rows.rename(columns={"theme": tr("Theme"), "n_indicators": tr("Indicators")})


def tables_overview_caption(tr: Lang) -> str:
    return tr("The tidy tables: what one row is, how many rows, what they cover")


def comparison_caption(table: pd.DataFrame, tr: Lang) -> str:
    attrs = table.attrs
    return tr(
        "{city} and {other} on {theme}: each indicator, both values and the verdict",
        city=attrs["city"],
        other=attrs["other"],
        theme=theme_label(attrs["theme"], tr),
    )


def missing_caption(tr: Lang) -> str:
    return tr("Indicators without a value, per theme and city")


def missing_list_caption(gaps: pd.DataFrame, tr: Lang) -> str:
    return tr("Indicators without a value for {city}, and the cities that report them", city=gaps.attrs["city"])


def missing_list_note(gaps: pd.DataFrame, tr: Lang) -> str | None:
    """A sentence when the city has no gap (the list would be empty), else None."""
    if len(gaps):
        return None
    return tr("{city} gives a value for every indicator.", city=md_escape(gaps.attrs["city"]))


def missing_list_table(gaps: pd.DataFrame, tr: Lang) -> pd.DataFrame:
    names = labels.indicator_names(tr.lang)
    return pd.DataFrame(
        {
            tr("Code"): gaps["code"],
            tr("Indicator"): [names.get(code, code) for code in gaps["code"]],
            tr("Theme"): [theme_label(t, tr) for t in gaps["theme"]],
            tr("Cities that report it"): [text or "–" for text in gaps["others_reporting"]],
        }
    )


# --- spread of the maturity scores ------------------------------------------------------------------


def spread_question(spread: pd.DataFrame, tr: Lang) -> str:
    return question(
        tr(
            "How far do the stakeholders' scores of the area {area} spread, and where does the expert stand?",
            area=md_escape(area_label(spread.attrs["area"], tr)),
        )
    )


def spread_summary(spread: pd.DataFrame, tr: Lang) -> str:
    """How many units scored the area, where they differ most, where the expert stands
    (``templates/explore-spread-summary.md.j2``)."""
    dimensions = labels.dimension_names(tr.lang)
    widest = spread.sort_values("range", ascending=False, kind="stable").iloc[0]
    expert = spread.dropna(subset=["expert_low"])
    inside = ((expert["expert_high"] >= expert["min"]) & (expert["expert_low"] <= expert["max"])).sum()
    return render(
        "explore-spread-summary.md.j2",
        tr,
        n=int(spread["n"].max()),
        small=bool(spread["small_group"].any()),
        widest=dict(dimension=dimensions.get(widest["dimension"], widest["dimension"]), low=widest["min"], high=widest["max"])
        if widest["range"] > 0
        else None,
        expert=dict(k=inside, m=len(expert)) if len(expert) else None,
    )


def _levels(low, high, tr: Lang) -> str:
    if pd.isna(low):
        return "–"
    return tr.int(low) if low == high else f"{tr.int(low)}–{tr.int(high)}"


def spread_table(spread: pd.DataFrame, tr: Lang) -> tuple[pd.DataFrame, dict]:
    from analysis.text.dispersion import interval_text

    dimensions = labels.dimension_names(tr.lang)
    frame = pd.DataFrame(
        {
            tr("Dimension"): [dimensions.get(d, d) for d in spread["dimension"]],
            tr("Raters"): spread["n"].astype(int),
            tr("Mean"): spread["mean"],
            tr("95% interval"): [interval_text(lo, hi, tr, 1) for lo, hi in zip(spread["ci_low"], spread["ci_high"])],
            tr("Median"): spread["median"],
            tr("Lowest score"): spread["min"],
            tr("Highest score"): spread["max"],
            tr("SD"): spread["sd"],
            tr("Expert"): [_levels(lo, hi, tr) for lo, hi in zip(spread["expert_low"], spread["expert_high"])],
        }
    )
    formats = {
        tr("Raters"): "int",
        tr("Mean"): "num2",
        tr("95% interval"): "text",
        tr("Median"): "num1",
        tr("Lowest score"): "int",
        tr("Highest score"): "int",
        tr("SD"): "num2",
        tr("Expert"): "text",
    }
    return frame, formats


def spread_caption(spread: pd.DataFrame, tr: Lang) -> str:
    caption = tr("Stakeholders' scores of the area {area}, levels 1–5, by dimension", area=area_label(spread.attrs["area"], tr))
    if bool(spread["small_group"].any()):
        caption += f"; {SMALL_MARK} " + tr("fewer than five raters")
    return caption


def spread_figure_title(spread: pd.DataFrame, tr: Lang) -> str:
    return tr("Every stakeholder's score in the area {area}, with the expert's", area=area_label(spread.attrs["area"], tr))


def spread_figure_alt(spread: pd.DataFrame, tr: Lang) -> str:
    return (
        spread_figure_title(spread, tr)
        + ". "
        + tr("Dots are single scores, the diamond the stakeholders' mean and the black bar the expert's score, per dimension.")
    )


# --- further ------------------------------------------------------------------------------------------


def further_note(tr: Lang) -> str:
    """The last section (``templates/explore-further-note.md.j2``)."""
    return render("explore-further-note.md.j2", tr)
