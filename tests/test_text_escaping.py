"""Every value from data is escaped in the Markdown the text layer returns (reliability issue, item 3).

Area and dimension names (data/raw/maturity_areas.tsv, maturity_dimensions.tsv), indicator and theme
labels, city names and rater labels are replaced by markup; no function whose Markdown a page shows
may hand that markup on live.
"""

from __future__ import annotations

import inspect
import re

import pytest

from analysis.data import labels
from analysis.text.i18n import Lang

EVIL = "<img src=x onerror=alert(1)> *bold* [link](javascript:x)"
LIVE = [
    re.compile(r"<img"),  # an HTML tag
    re.compile(r"(?<!\\)\*bold(?<!\\)\*"),  # Markdown emphasis
    re.compile(r"(?<!\\)\[link(?<!\\)\]\(javascript"),  # a Markdown link
]


def live_markup(text: str) -> list[str]:
    return [pattern.pattern for pattern in LIVE if pattern.search(text)]


def test_the_check_sees_live_markup():
    from analysis.text.common import md_escape

    assert len(live_markup(EVIL)) == 3
    assert not live_markup(md_escape(EVIL))


@pytest.fixture
def evil_labels(monkeypatch):
    """Every name the pages take from data/raw, with markup appended."""
    for function in ("area_names", "dimension_names", "theme_names", "indicator_names"):
        original = getattr(labels, function)
        monkeypatch.setattr(labels, function, lambda lang, original=original: {key: f"{name} {EVIL}" for key, name in original(lang).items()})


def _markdown_of(module, *args, skip=()) -> dict[str, str]:
    """The output of every function of ``module`` that takes exactly ``args`` and returns text."""
    found = {}
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if function.__module__ != module.__name__ or name.startswith("_") or name in skip:
            continue
        if len(inspect.signature(function).parameters) != len(args):
            continue
        try:
            value = function(*args)
        except (TypeError, AttributeError, KeyError):
            continue
        if isinstance(value, str):
            found[name] = value
    return found


# Figure titles and alt texts are not Markdown (matplotlib draws them; the publisher escapes alt= itself).
NOT_MARKDOWN = {"heatmap_title", "heatmap_alt", "agreement_title", "agreement_alt", "dotplot_title", "dotplot_alt", "expert_title", "expert_alt"}


@pytest.fixture(scope="module")
def evil_dispersion():
    """One run on the real scores with markup in every rater label, shared by both languages (the
    run reads no names from ``labels``; the prose functions get the evil names per test)."""
    from analysis.data.cleaning import clean_maturity_scores
    from analysis.methods.dispersion import run_dispersion

    scores, _ = clean_maturity_scores()
    scores["rater_label"] = scores["rater_label"].astype(str) + " " + EVIL
    return run_dispersion(scores, n_boot=100)


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_score_dispersion_prose_escapes_names_from_data(evil_labels, evil_dispersion, lang):
    from analysis.text import dispersion as text

    result = evil_dispersion
    tr = Lang(lang)
    outputs = _markdown_of(text, result, tr, skip=NOT_MARKDOWN) | _markdown_of(text, tr)
    outputs["run_note"] = text.run_note(result, tr)  # (result, tr) since the parameter models (8479f36)
    assert {"key_findings", "about_section", "section_glossary", "run_note"} <= set(outputs)
    assert any(EVIL.split()[0] in value or "&lt;img" in value for value in outputs.values())  # the names do reach the prose
    live = {name: live_markup(value) for name, value in outputs.items() if live_markup(value)}
    assert not live, live


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_exploration_prose_escapes_names_from_data(evil_labels, processed_template, monkeypatch, lang):
    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(processed_template))
    import analysis
    from analysis import explore
    from analysis.text import explore as text

    tr = Lang(lang)
    indicators = analysis.load_indicators()
    evil_city = f"Kielce {EVIL}"
    indicators["city"] = indicators["city"].replace({"Kielce": evil_city})
    table = explore.compare_cities(evil_city, "Gdynia", "Transportation", indicators=indicators)
    spread = explore.score_spread("transport", n_boot=100)
    outputs = {
        "comparison_question": text.comparison_question(table, tr),
        "comparison_summary": text.comparison_summary(table, tr),
        "spread_question": text.spread_question(spread, tr),
        "spread_summary": text.spread_summary(spread, tr),
    } | _markdown_of(text, tr)
    outputs |= text.sections(tr, city=evil_city, other="Gdynia", theme="Transportation", area="transport")
    live = {name: live_markup(value) for name, value in outputs.items() if live_markup(value)}
    assert not live, live
