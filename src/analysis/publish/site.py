"""The site around the notebooks: header, table of contents and footer of every page,
the index page of each edition and the language chooser, rendered with Jinja from
``templates/site/``.

Every text a reader sees goes through the translator (:class:`analysis.text.i18n.Lang`);
the templates receive strings already translated, and Jinja escapes them (city
names are data). The page fragments reach the nbconvert template as the resources
``site_header_html``, ``site_toc_html`` and ``site_footer_html``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.publish.manifest import Job, Manifest, Parameter, Report
from analysis.text.i18n import Lang

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "site"
OTHER = {"pl": "en", "en": "pl"}


@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    # The offline folder holds the one stylesheet every page shares (site.css).
    return Environment(
        loader=FileSystemLoader([str(TEMPLATES), str(TEMPLATES.parent / "offline")]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


# --- words ------------------------------------------------------------------------------------


def site_name(tr: Lang) -> str:
    return tr("Kielce smart city benchmarks")


def report_title(report: Report, city: str | None, tr: Lang) -> str:
    """The report's title in ``tr``'s language (its Polish form is in messages.po; tests check)."""
    return tr.text(report.title).format(city=city or "")


def variant_title(job: Job, tr: Lang) -> str:
    return tr("{title} (variant {name})", title=report_title(job.report, job.city, tr), name=job.variant)


def page_title(job: Job, tr: Lang) -> str:
    return variant_title(job, tr) if job.variant else report_title(job.report, job.city, tr)


def describe_value(parameter: Parameter, value, tr: Lang) -> str:
    """A parameter value as a person reads it: ``Kielce i Gdynia``, ``50 %``, ``tak``, ``5``."""
    if value is None:
        return tr.text(parameter.all_label) if parameter.all_label else tr("none")
    if isinstance(value, bool):
        return tr.yes_no(value)
    if isinstance(value, list):
        if parameter.type in ("list[theme]", "list[area]"):
            from analysis.data import labels  # Polish names from data/raw, never re-translated

            names = labels.theme_names(tr.lang) if parameter.type == "list[theme]" else labels.area_names(tr.lang)
            value = [names.get(item, item) for item in value]
        return tr.join(value)
    if parameter.type in ("theme", "area"):
        from analysis.data import labels  # one theme or area (the exploration page's): its name in the page's language

        names = labels.theme_names(tr.lang) if parameter.type == "theme" else labels.area_names(tr.lang)
        return names.get(value, value)
    if parameter.choice_labels and value in parameter.choice_labels:
        return tr.text(parameter.choice_labels[value])
    if parameter.format == "share":
        return tr.share(value)
    if parameter.format == "code":
        return str(value)  # a seed names a stream of random numbers: 2018, not 2,018
    if isinstance(value, int):
        return tr.int(value)
    if isinstance(value, float):
        decimals = 0 if value.is_integer() else min(3, len(repr(value).split(".")[1]))
        return tr.num(value, decimals)
    return str(value)


def describe_parameters(job: Job, tr: Lang, *, every: bool = False) -> list[dict]:
    """``[{label, value}]`` as a person reads them: what was set with ``-p`` (a variant's), or with
    ``every`` each parameter a person may set, with the value this page was computed with."""
    if every:
        shown = {name: job.parameters.get(name) for name, p in job.report.parameters.items() if not p.set_by_build}
    else:
        shown = job.given
    return [
        {"label": tr.text(job.report.parameters[name].label), "value": describe_value(job.report.parameters[name], value, tr)}
        for name, value in shown.items()
    ]


def describe_vintage(job: Job, tr: Lang) -> str:
    if job.report.vintage == "indicator_years":
        if job.vintage_years is None:
            return tr("Reference years not given")
        first, last = job.vintage_years
        return tr("Reference years {first}–{last} (all cities of the comparison)", first=str(first), last=str(last))
    return tr.text(job.report.vintage)


# When a page was built, as its readers' clocks show it (the record keeps UTC): Europe/Warsaw.
READERS_TIME_ZONE = "Europe/Warsaw"
# A date in words; Polish writes "r." (roku) after the year.
DATE_PATTERNS = {"pl": "d MMMM y 'r.'", "en": "d MMMM y"}


def format_built(built_iso: str, tr: Lang) -> str:
    """``'2026-11-23T12:00:00+00:00'`` → ``'23 listopada 2026 r., godz. 13:00 (czas warszawski)'``."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from babel.dates import format_date, format_time

    moment = datetime.fromisoformat(built_iso).astimezone(ZoneInfo(READERS_TIME_ZONE))
    return tr(
        "{date}, {time} (Warsaw time)",
        date=format_date(moment.date(), DATE_PATTERNS[tr.lang], locale=tr.locale),
        time=format_time(moment.time(), "HH:mm", locale=tr.locale),
    )


# --- links ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SitePage:
    """A page of the site as the navigation lists it (language-independent)."""

    id: str  # e.g. "benchmark-kielce" or "variants/gdynia-gap5"
    report: Report
    city: str | None


def nav_entries(jobs: list[Job]) -> list[SitePage]:
    return [SitePage(job.id, job.report, job.city) for job in jobs if not job.variant]


def _prefix(page_id: str) -> str:
    """From a page to its edition folder (``''`` or ``'../'`` for variants)."""
    return "../" * page_id.count("/")


def header_html(page_id: str, lang: str, nav: list[SitePage], tr: Lang, *, downloads: bool) -> str:
    up = _prefix(page_id)
    links = []
    for entry in nav:
        label = entry.city if entry.city else tr.text(entry.report.nav_label)
        links.append({"href": f"{up}{entry.id}.html", "label": label, "current": entry.id == page_id})
    other = OTHER[lang]
    switch_label = "English" if other == "en" else "Polski"  # each language names itself
    return render(
        "header.html.j2",
        home_href=f"{up}index.html",
        site_name=site_name(tr),
        nav_label=tr("Reports"),
        home_label=tr("Home page"),
        links=links,
        current=page_id,
        downloads=downloads,
        downloads_label=tr("Downloads"),
        switch={"href": f"{up}../{other}/{page_id}.html", "lang": other, "label": switch_label},
    )


def csv_links(job: Job, tables: list[str], page_id: str) -> list[dict]:
    up = _prefix(page_id)
    folder = f"data/variants/{job.variant}/" if job.variant else "data/"
    return [{"name": name, "href": f"{up}../{folder}{name}"} for name in tables]


def footer_html(
    job: Job, tables: list[str], tr: Lang, built_iso: str, facts: dict, *, workbook: str | None = None, profile: str | None = None
) -> str:
    """The page's footer: downloads, parameters, data years, build time, source, publisher and licence.

    ``facts`` is :meth:`Manifest.site_facts` (source note, publisher, contact; English, translated here);
    ``workbook`` the name of the edition's Excel workbook beside the page, when one is published;
    ``profile`` the name of the edition's two-page PDF profile beside the page, when one is published.
    """
    return render(
        "footer.html.j2",
        workbook={"href": workbook, "label": tr("All tables of this page in one Excel workbook, in this language")} if workbook else None,
        # A variant's profile can run past two pages (other peers or themes list more claims): no page count promised
        # (a second parameter sweep: "Dwustronicowy profil" beside a 3-page PDF).
        profile={
            "href": profile,
            "label": tr("Profile of this city for printing, in this language")
            if job.variant
            else tr("Two-page profile of this city for printing, in this language"),
        }
        if profile
        else None,
        downloads=csv_links(job, tables, job.id),
        downloads_label=tr("Downloads"),
        parameters_label=tr("Parameters"),
        parameters=describe_parameters(job, tr, every=True),
        defaults_label=tr("Default settings"),
        vintage_label=tr("Data from"),
        vintage=describe_vintage(job, tr),
        built_label=tr("Built"),
        built_iso=built_iso,
        built_at=format_built(built_iso, tr),
        publication=publication(facts, tr),
    )


def publication(facts: dict, tr: Lang) -> list[dict]:
    """Source, publisher with contact, and licence, as every page and index states them (key, label, text).

    The key names the line in the page (``footer-source`` …): the printed profile keeps the source line only.
    """
    return [
        {"key": "source", "label": tr("Source"), "text": tr.text(facts["source_note"])},
        {"key": "publisher", "label": tr("Published by"), "text": f"{tr.text(facts['publisher'])} – {tr.text(facts['contact'])}"},
        {
            "key": "licence",
            "label": tr("Licence"),
            "text": tr(
                "The code that makes these pages is under the MIT licence. The figures come from the source document above, "
                "which grants no licence for them; this project claims none."
            ),
        },
    ]


_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.S)
_TAG = re.compile(r"<[^>]+>")
_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S)


def page_sections(page: str) -> list[dict]:
    """``[{id, text}]`` of the page's ``##`` headings, from the exported HTML (ids as nbconvert made them)."""
    sections = []
    for anchor, inner in _H2.findall(page):
        text = html.unescape(_TAG.sub("", _ANCHOR.sub("", inner))).strip()
        if text and not anchor.startswith("site-"):
            sections.append({"id": html.unescape(anchor), "text": text})
    return sections


def toc_html(page: str, tr: Lang) -> str:
    return render("toc.html.j2", sections=page_sections(page), toc_label=tr("On this page"))


_H1 = re.compile(r"(<h1\b[^>]*>)(.*?)(</h1>)", re.S)


def retitle_h1(page: str, title: str, byline_html: str = "") -> str:
    """The page's first ``<h1>`` says ``title`` (escaped), so each city's page has its own heading; ``byline_html``
    (:func:`byline_html`, escaped there) follows it."""
    match = _H1.search(page)
    if match is None:
        return page
    anchor = _ANCHOR.search(match.group(2))
    inner = html.escape(title) + (anchor.group(0) if anchor else "")
    return page[: match.start()] + match.group(1) + inner + match.group(3) + byline_html + page[match.end() :]


def byline_html(facts: dict, built_iso: str, tr: Lang) -> str:
    """Who prepared the page and when, under its title (officials quoting the page asked for both: the publisher
    was only in the footer, some 40 000 px down)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from babel.dates import format_date

    day = format_date(datetime.fromisoformat(built_iso).astimezone(ZoneInfo(READERS_TIME_ZONE)).date(), DATE_PATTERNS[tr.lang], locale=tr.locale)
    text = tr("Prepared by {publisher}. Date: {date}.", publisher=tr.text(facts["publisher"]), date=day.replace(" ", "\u00a0"))
    return f'<p class="byline">{html.escape(text)}</p>'


# Where the notebook marked the year most of a city's data are from (analysis.text.benchmark.in_brief).
_DATA_AGE = re.compile(r'<data class="data-age" value="(\d{4})"></data>')


def fill_data_ages(page: str, built_iso: str, tr: Lang) -> str:
    """Say how old the data are where the notebook marked their year ("dane najczęściej z 2016 r., sprzed 10 lat"), counted
    from the page's date in the readers' time zone: every official briefing the mayor wrote the data's age into the
    note, and only the publication knows the page's date. A year not before the page's leaves the mark empty."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    year = datetime.fromisoformat(built_iso).astimezone(ZoneInfo(READERS_TIME_ZONE)).year

    def fill(match: re.Match) -> str:
        age = year - int(match.group(1))
        if age < 1:
            return match.group(0)
        words = tr.plural(", {n} year old", ", {n} years old", age, n=tr.int(age))
        return f'<data class="data-age" value="{match.group(1)}">{html.escape(words)}</data>'

    return _DATA_AGE.sub(fill, page)


_FOLD = '<details class="fold"><summary class="fold-summary"></summary>'
_ANY_H2 = re.compile(r"<h2\b[^>]*>.*?</h2>", re.S)


# Polish typography: a one-letter word (a preposition or conjunction: w, z, o, u, i, a) is not left at the end of a
# line; it is bound to the next word with a no-break space. Only text between tags, never inside script, style,
# code or SVG, and never attributes.
_NO_BREAK_INSIDE = re.compile(r"(<(script|style|pre|code|textarea|svg|title)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"(<[^>]*>)")
_ONE_LETTER = re.compile(r"(?<![\w\-.,/])([AaIiOoUuWwZz]) (?=\S|$)")
# A space between digit groups ("100 000" in the source's indicator names): an editor found "100 / 000" split over two
# lines; the numbers the library writes already group with a no-break space (Babel).
_DIGIT_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
# A spaced dash never starts a line, and a number never ends one before its unit (an editor: "gorzej / – w 4",
# "10,9 / µg/m³" at 390 px).
_SPACED_DASH = re.compile(r" (?=[–—] )")
# A range of years or numbers is not split after its dash ("2001– / 2017": an editor at 390 px, and at 1280 px): a word
# joiner (U+2060, invisible) after the dash.
_RANGE_DASH = re.compile(r"(?<=\d)–(?=\d)")
_NUMBER_UNIT = re.compile(r"(?<=\d) (?=(?:µg/m³|km|ha|kWh|m²|t|l|r\.|mln|tys\.|mieszk\.)(?![\w³²]))")
# A standard's name stays with its number ("ISO / 37120" split over two lines in a printed profile: an editor).
_STANDARD_NUMBER = re.compile(r"\b(?<=ISO) (?=\d)")
# In Polish, a number is not left at the end of a line before the word it counts or orders ("4. / miejsce", "5 / miast",
# "1 / inna": an editor, at 390 px).
_NUMBER_WORD = re.compile(r"(?<=\d) (?=[a-ząćęłńóśźż])|(?<=\b\d\.) (?=[a-ząćęłńóśźż])|(?<=\b\d\d\.) (?=[a-ząćęłńóśźż])")


def bind_one_letter_words(page: str, *, one_letter: bool = True) -> str:
    """``page`` with a no-break space after every one-letter word of its text (the Polish editions; ``one_letter``
    false for the English ones), inside every digit group ("100 000"), before every spaced dash and between a number
    and its unit ("10,9 µg/m³")."""
    blocks = _NO_BREAK_INSIDE.split(page)
    out = []

    def bind(text: str) -> str:
        text = _NUMBER_UNIT.sub("\u00a0", _SPACED_DASH.sub("\u00a0", _DIGIT_GROUP.sub("\u00a0", text)))
        text = _STANDARD_NUMBER.sub("\u00a0", text)
        text = _RANGE_DASH.sub("–\u2060", text)
        return _NUMBER_WORD.sub("\u00a0", _ONE_LETTER.sub("\\1\u00a0", text)) if one_letter else text

    # split() with two groups yields: text, whole block, tag name, text, …
    for position in range(0, len(blocks), 3):
        parts = _TAG.split(blocks[position])
        parts[::2] = [bind(text) for text in parts[::2]]
        out.append("".join(parts))
        if position + 1 < len(blocks):
            out.append(blocks[position + 1])
    return "".join(out)


def fold_sections(page: str) -> str:
    """Each folded section (a notebook cell tagged ``fold``) shows its ``<h2>`` as the summary that opens it.

    The heading moves into the ``<summary>`` (HTML allows a heading there), so the table of contents
    and links keep their targets. A folded cell must open with a heading: a closed box with nothing to
    say what it holds would hide its content, so that is an error of the notebook.
    """
    out, position = [], 0
    while (start := page.find(_FOLD, position)) != -1:
        end = page.find("</details>", start)
        heading = _ANY_H2.search(page, start, end)
        if end == -1 or heading is None:
            raise ValueError("a notebook cell tagged 'fold' has no ## heading to show when it is folded")
        out += [page[position:start], f'<details class="fold"><summary class="fold-summary">{heading.group(0)}</summary>']
        out.append(page[start + len(_FOLD) : heading.start()])
        position = heading.end()
    out.append(page[position:])
    return "".join(out)


# --- index pages --------------------------------------------------------------------------------


def index_html(lang: str, records: list[dict], jobs_by_id: dict, nav: list[SitePage], manifest: Manifest) -> str:
    """The edition's index: every default report, then the variants, each with parameters, vintage, build time, CSVs."""
    tr = Lang(lang)
    groups = {"reports": [], "variants": []}
    for record in records:
        job = jobs_by_id[record["id"]]
        entry = {
            "href": f"{record['id']}.html",
            "title": page_title(job, tr),
            "parameters": describe_parameters(job, tr),
            "vintage": describe_vintage(job, tr),
            "built_iso": record["built_at"],
            "built_at": format_built(record["built_at"], tr),
            "tables": csv_links(job, record["tables"], "index"),
            # The printed profile and the workbook too, as the page's own footer links them (two Polish editors of the
            # seventeenth session: the index offered officials CSV files with English names only).
            "profile": {
                "href": f"{record['id']}.pdf",
                "label": tr("Profile for printing (PDF)") if job.variant else tr("Two-page profile for printing (PDF)"),
            }
            if job.report.pdf
            else None,
            "workbook": {"href": f"{record['id']}.xlsx", "label": tr("All tables in one Excel workbook")}
            if job.report.workbook and record["tables"]
            else None,
        }
        groups["variants" if job.variant else "reports"].append(entry)
    return render(
        "index.html.j2",
        lang=lang,
        page_title=tr("Reports") + " – " + site_name(tr),
        skip_link=tr("Skip to content"),
        header_html=_markup(header_html("index", lang, nav, tr, downloads=False)),
        heading=site_name(tr),
        intro=tr(
            "Reports built from the 2018 diagnosis of Kielce on its way to becoming a smart city: the ISO 37120 "
            "indicators of Kielce and comparable cities, and the smart-city maturity scores given by an expert and "
            "by the city's stakeholders. Every page works offline."
        ),
        groups=[
            {"title": tr("Reports"), "entries": groups["reports"], "empty": tr("No report has been published yet.")},
            {"title": tr("Variants with other parameters"), "entries": groups["variants"], "empty": tr("No variant has been published.")},
        ],
        labels={
            "parameters": tr("Parameters"),
            "defaults": tr("Default settings"),
            "vintage": tr("Data from"),
            "built": tr("Built"),
            "downloads": tr("Downloads"),
        },
        publication=publication(manifest.site_facts(), tr),
        data_package={
            "href": "../data/datapackage.json",
            "label": tr("Data dictionary (Frictionless Data Package)"),
            # After a dash, in lower case, one colon at most (a Polish editor: "…Frictionless): Opis każdego…: kolumny").
            "note": tr("the columns, types, units, allowed values and keys of every published CSV, in a machine-readable datapackage.json."),
        },
    )


def chooser_html(languages: list[str]) -> str:
    """``reports/index.html``: the reader chooses an edition (Polish first)."""
    order = sorted(languages, key=lambda lang: lang != "pl")
    editions = []
    for lang in order:
        tr = Lang(lang)
        editions.append(
            {
                "lang": lang,
                "site_name": site_name(tr),
                "intro": tr("Reports in English: benchmarks of the ISO 37120 indicators and the smart-city maturity scores."),
                "enter": tr("English version"),
            }
        )
    return render("chooser.html.j2", editions=editions)


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)
