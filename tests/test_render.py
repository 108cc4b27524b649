"""The paragraph templates (src/analysis/text/render.py, text/templates/*.md.j2): both languages from the
one catalogue, Polish plural forms, and escaping by default."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from analysis.text import catalogue, render
from analysis.text.i18n import Lang
from tests.test_text_escaping import EVIL, live_markup

TEMPLATES = sorted(path.name for path in render.TEMPLATE_DIR.glob("*.j2"))


def _from_string(source: str, tr: Lang, **values) -> str:
    return str(render.environment().from_string(source).render(tr=tr, **values))


# --- both languages --------------------------------------------------------------------------------


def test_a_paragraph_in_both_languages():
    values = dict(n_variants=80)
    english = render.render("benchmark-claims-note.md.j2", Lang("en"), **values)
    polish = render.render("benchmark-claims-note.md.j2", Lang("pl"), **values)
    assert english.startswith("A strength (or weakness) is an indicator on which the city is clearly better (or worse) than the peer median:")
    assert "“Robust in” (the confidence of the claim) is the share of the 80 variants of the calculation in which it stays" in english
    assert polish.startswith("Mocną (lub słabą) stroną jest wskaźnik, w którym miasto ma wartość wyraźnie lepszą (lub gorszą) od mediany")
    assert "Wynik utrzymuje się w tych spośród 80 wariantów obliczeń" in polish
    assert "\n" not in english and "  " not in english  # the template's line breaks are layout only


@pytest.mark.parametrize(
    "gap, polish, english",
    [
        (1, "o więcej niż 1 rok.", "more than 1 year away"),
        (3, "o więcej niż 3 lata.", "more than 3 years away"),
        (5, "o więcej niż 5 lat.", "more than 5 years away"),
        (22, "o więcej niż 22 lata.", "more than 22 years away"),
    ],
)
def test_polish_plural_forms_follow_babels_rule(gap, polish, english):
    values = dict(gap=gap, city="Kielce", gaps=[])
    assert render.render("benchmark-vintage-note.md.j2", Lang("pl"), **values).endswith(polish)
    assert english in render.render("benchmark-vintage-note.md.j2", Lang("en"), **values)


def test_a_list_keeps_its_lines():
    text = render.render(
        "benchmark-vintage-note.md.j2", Lang("en"), gap=3, city="Kielce", gaps=[("Porto", ["EC5.1", "ED6.7"]), ("Gdynia", ["TR18.5"])]
    )
    assert text == (
        "Values more than 3 years away from Kielce's year (hatched in the figure); read these comparisons with care:\n\n"
        "* **Porto** (2): EC5\\.1, ED6\\.7\n"
        "* **Gdynia** (1): TR18\\.5"
    )


def test_paragraphs_are_separated_by_one_blank_line():
    values = dict(city="Kielce", peers=["Porto"], max_year_gap=3, min_coverage=0.5, exclude=Markup("errors"), n_variants=2304, seed=2018)
    paragraphs = render.render("benchmark-method-note.md.j2", Lang("en"), **values).split("\n\n")
    assert [p[:12] for p in paragraphs] == ["Focal city K", "Ranks: 1 is ", "Downloads (C"]
    assert paragraphs[0] == (
        "Focal city Kielce; peers Porto; maximum year gap 3; minimum theme coverage 50%; flagged values left out: errors; 2,304 variants "
        "(seed 2018). The smallest gap that matters is set per indicator in the indicator metadata, with its reason."
    )


def test_numbers_are_written_in_the_pages_language():
    source = "{% trans n=n|num(0), x=x|num(2), s=s|share %}{{ n }}; {{ x }}; {{ s }}{% endtrans %}"
    assert _from_string(source, Lang("en"), n=12345, x=-1.5, s=0.96) == "12,345; \u22121.50; 96%"
    assert _from_string(source, Lang("pl"), n=12345, x=-1.5, s=0.96) == "12\u00a0345; \u22121,50; 96\u00a0%"


def test_a_missing_value_is_an_error_not_an_empty_string():
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        render.render("benchmark-claims-note.md.j2", Lang("en"))


def test_render_returns_a_plain_string():
    """Markup's + would HTML-escape the heading a page puts before the paragraph."""
    text = render.render("benchmark-claims-note.md.j2", Lang("en"), n_variants=80)
    assert type(text) is str
    assert ("## A & B\n\n" + text).startswith("## A & B")


# --- escaping -------------------------------------------------------------------------------------


def test_jinja_trans_with_autoescape_off_does_not_escape():
    """Why the renderer escapes itself: plain jinja2.ext.i18n hands a variable on as it is."""
    from jinja2 import Environment

    plain = Environment(extensions=["jinja2.ext.i18n"])
    plain.install_null_translations()
    assert plain.from_string("{% trans %}Hello {{ name }}{% endtrans %}").render(name=EVIL) == f"Hello {EVIL}"


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize(
    "source",
    [
        "{{ name }}",
        "{% trans %}Hello {{ name }}.{% endtrans %}",
        "{% trans who=name %}Hello {{ who }}.{% endtrans %}",
        "{% trans count=2, who=name %}{{ who }} one{% pluralize count %}{{ who }} many{% endtrans %}",
        "{{ gettext('Hello %(who)s.', who=name) }}",
        "{{ gettext('Hello %(who)s.') % {'who': name} }}",
        "{{ ngettext('%(who)s one', '%(who)s many', 5, who=name) }}",
        "{{ name|bold }}",
        "{{ [name, 'b']|names }}",
        "{% trans who=name|bold %}Hello {{ who }}.{% endtrans %}",
        "{{ name|upper }}",
    ],
)
def test_every_way_a_value_reaches_the_text_escapes_it(source, lang):
    text = _from_string(source, Lang(lang), name=EVIL)
    assert "&lt;img" in text.lower()  # the value is there, as text
    assert not live_markup(text), text


@pytest.mark.parametrize("value", ["<img src=x onerror=alert(1)>", "*x*", "[a](javascript:x)", "_x_", "`x`", "# x"])
def test_markup_in_a_value_comes_out_inert(value):
    from analysis.text.common import md_escape

    assert _from_string("{% trans v=v %}A {{ v }} B{% endtrans %}", Lang("en"), v=value) == f"A {md_escape(value)} B"
    assert _from_string("A {{ v }} B", Lang("en"), v=value) == f"A {md_escape(value)} B"


def test_a_value_marked_as_markdown_is_kept():
    """What the code made itself (a number, a bold name, a label it translated) is not escaped again."""
    assert _from_string("{% trans x=x %}[{{ x }}]{% endtrans %}", Lang("en"), x=Markup("**1.5**")) == "[**1.5**]"
    assert _from_string("{{ x|bold }}", Lang("en"), x="a.b") == "**a\\.b**"


def test_the_benchmark_paragraphs_escape_names_from_data():
    result_values = dict(
        city=EVIL,
        peers=[EVIL, "Porto"],
        n_indicators=100,
        n_variants=2304,
        compared=63,
        better=12,
        worse=16,
        level=35,
        not_comparable=29,
        duplicates=7,
        themes_better=[EVIL],
        themes_worse=[EVIL, "Health"],
        min_theme=3,
        n_excluded=1,
        n_errors=1,
        n_warned=23,
        warned_excluded=True,
        firm_better=3,
        firm_worse=4,
        level_constant=2,
        level_gap=20,
        level_chance=1,
        level_most=1,
        level_construct=0,
        debatable=[EVIL],
        better_debatable=1,
        worse_debatable=0,
    )
    # (The min-max scores note names no theme or city since the fifth sceptical reading: nothing from data to escape.)
    for lang in ("pl", "en"):
        tr = Lang(lang)
        outputs = {
            "headline": render.render("benchmark-headline.md.j2", tr, **result_values),
            "vintage": render.render("benchmark-vintage-note.md.j2", tr, gap=3, city=EVIL, gaps=[(EVIL, [EVIL])]),
            "robustness": render.render(
                "benchmark-robustness-intro.md.j2",
                tr,
                n_variants=10,
                city=EVIL,
                choice=Markup("x"),
                shift=0.5,
                overall_choice=Markup("y"),
                overall_shift=1.0,
                years=EVIL,
                random_weights=True,
                unranked=False,
                also_themes="",
                n_also_themes=0,
                also_overall="",
                n_also_overall=0,
            ),
        }
        for name, text in outputs.items():
            assert "&lt;img" in text, name
            assert not live_markup(text), (name, text)


# --- every template, every message -----------------------------------------------------------------


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_compiles(name):
    render.environment().get_template(name)


def test_every_template_gives_the_catalogue_messages(tmp_path):
    """babel.cfg's [jinja2] section reads each template (silent = false: a broken one fails the extraction)."""
    from babel.messages.extract import extract_from_dir

    mapping = catalogue.MAPPING.read_text(encoding="utf-8")
    assert "silent = false" in mapping
    found = {}
    method_map = [("**.j2", "jinja2")]
    options = {"**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true", "silent": "false"}}
    for filename, _, message, _, _ in extract_from_dir(str(render.TEMPLATE_DIR), method_map, options, keywords={"gettext": None, "ngettext": (1, 2)}):
        found.setdefault(filename, []).append(message)
    assert sorted(found) == TEMPLATES
    polish = catalogue.read(catalogue.PO["pl"], "pl")
    for messages in found.values():
        for message in messages:
            assert polish.get(message) is not None and polish.get(message).string, message


# --- the exploration page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wins, polish, english",
    [
        ((1, 2), "Spośród 4 wskaźników", "Of the 4 indicators of this theme, Kielce is clearly better on 1 indicator and Gdynia on 2 indicators."),
        # "On none", not "on 0 indicators" (a Polish editor of the sixteenth session: "w przypadku 0 wskaźników").
        (
            (5, 0),
            "Spośród 6 wskaźników tego obszaru wyraźnie korzystniejszą wartość mają dane dla Kielc w przypadku 5 wskaźników, a dla Gdyni – w żadnym.",
            "Of the 6 indicators of this theme, Kielce is clearly better on 5 indicators and Gdynia on none.",
        ),
        (
            (0, 1),
            "Spośród 2 wskaźników tego obszaru wyraźnie korzystniejszą wartość mają dane dla Gdyni w przypadku 1 wskaźnika, a dla Kielc – w żadnym.",
            "Of the 2 indicators of this theme, Gdynia is clearly better on 1 indicator and Kielce on none.",
        ),
        (
            (0, 0),
            "Spośród 1 wskaźnika tego obszaru ani dane dla Kielc, ani dla Gdyni nie mają w żadnym wyraźnie korzystniejszej wartości.",
            "Of the 1 indicator of this theme, neither Kielce nor Gdynia is clearly better on any.",
        ),
    ],
)
def test_the_comparison_summary_nests_plural_messages(wins, polish, english):
    values = dict(
        n=sum(wins) + 1,
        city="Kielce",
        other="Gdynia",
        wins_city=wins[0],
        wins_other=wins[1],
        level=0,
        reasons=[Markup("no data (1)")],
        n_reasons=1,
    )
    text = render.render("explore-comparison-summary.md.j2", Lang("en"), **values)
    assert text == english + " 1 indicator cannot be compared: no data (1)."
    with_level = render.render("explore-comparison-summary.md.j2", Lang("en"), **values | dict(level=2))
    assert with_level == english + (
        " 2 indicators are level: the gap is smaller than what matters for them, or within the chance variation of a few events."
        " 1 indicator cannot be compared: no data (1)."
    )
    assert render.render("explore-comparison-summary.md.j2", Lang("pl"), **values).startswith(polish)


def test_the_spread_summary_in_both_languages():
    values = dict(n=3, small=True, widest=dict(dimension="Strategy *x*", low=1, high=3), expert=dict(k=5, m=5))
    english = render.render("explore-spread-summary.md.j2", Lang("en"), **values)
    assert english == (
        "3 stakeholder units scored this area. With fewer than five raters, read the spread with care: one answer moves it a lot. "
        "The answers differ most on Strategy \\*x\\*: from level 1 to level 3. The expert's score lies within the stakeholders' range on 5 of 5 dimensions."
    )
    polish = render.render("explore-spread-summary.md.j2", Lang("pl"), **values | dict(widest=None, expert=None))
    assert polish.count(".") == 3 and "Strategy" not in polish


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_messages_without_values_keep_their_markdown(lang):
    """A template sentence is the code's own Markdown: its `code` spans are not escaped."""
    text = render.render("explore-further-note.md.j2", Lang(lang))
    assert "`make lab`" in text and "`notebooks/explore.ipynb`" in text and "\\" not in text


# --- the score-dispersion page ----------------------------------------------------------------------


def test_the_units_note_declines_the_counts_it_nests():
    values = dict(collapse=False, sets=61, raters=44, copies=16, left_out=None, remaining=None, per_area=None)
    # A rater is a "podmiot" in Polish ("jednostka" had three meanings on the page: a fresh reader).
    assert "(44 podmioty, 16 kopii)" in render.render("dispersion-units-note.md.j2", Lang("pl"), **values)
    assert render.render("dispersion-units-note.md.j2", Lang("en"), **values).endswith("in sections 4 and 5 as well (44 units, 16 copies).")
    one = dict(values, sets=2, collapse=True, left_out=1, remaining=1)
    english = render.render("dispersion-units-note.md.j2", Lang("en"), **one)
    assert (
        "counting each unit once: the 1 copied or possibly duplicated questionnaire is left out; the other 1 questionnaire comes from 1 "
        "stakeholder unit. Section 5" in english
    )
    many = dict(values, sets=61, collapse=True, left_out=19, remaining=41)
    assert "pominięto 19 ankiet skopiowanych lub być może zdublowanych; pozostałe 42 ankiety pochodzą od 41 podmiotów." in render.render(
        "dispersion-units-note.md.j2", Lang("pl"), **many
    )
    assert "\n" not in english and "  " not in english


def test_the_small_groups_finding_escapes_the_names_it_is_given():
    text = render.render("dispersion-finding-small-groups.md.j2", Lang("en"), groups=[f"Safety {EVIL}", Markup("Digital (3 raters)")], mark="*")
    assert not live_markup(text), text
    assert text.startswith("**Small groups:** Safety ") and "and Digital (3 raters). With fewer" in text
    assert "are marked \\* in every table and figure" in text


def test_the_wilcoxon_aside_is_an_aside_only_when_there_is_something_to_test():
    values = dict(higher=1, lower=0, cells=1, median=0.5, p=Markup("p = 1.000"))
    english = render.render("dispersion-wilcoxon-aside.md.j2", Lang("en"), test=values)
    assert english.startswith("*Descriptive aside") and english.endswith("the estimates above do not.*")
    assert "in 1 and below it in 0 of 1 question of areas with at least five raters (median difference +0.50 levels;" in english
    assert "w 1, a niższa w 0 z 1 pytania" in render.render("dispersion-wilcoxon-aside.md.j2", Lang("pl"), test=values)
    assert render.render("dispersion-wilcoxon-aside.md.j2", Lang("en"), test=None) == (
        "The stakeholders' means equal the expert's scores in every question; there is nothing to test."
    )


def test_the_agreement_finding_says_what_alpha_compares():
    """A third methodologist's reading: "alpha does not measure how close the answers are" is wrong; a fourth: "it
    compares ... not how many levels apart they lie" is wrong too (ordinal alpha weighs the distance), and alpha at or
    below zero is the finding itself: the answers to one dimension are no closer than to the area's other dimensions."""
    text = render.render("dispersion-finding-agreement.md.j2", Lang("en"), k=6, m=6)
    assert "does not measure how close" not in text and "not how many levels apart" not in text
    assert "the answers to one dimension are no closer to each other than to the answers to the area's other dimensions" in text
    assert "no reliable profile of an area's strong and weak points" in text
    polish = render.render("dispersion-finding-agreement.md.j2", Lang("pl"), k=6, m=6)
    assert "odpowiedzi dotyczące jednego wymiaru nie są sobie bliższe niż odpowiedziom dotyczącym innych wymiarów obszaru" in polish
