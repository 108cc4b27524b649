"""Tables and figures as a reader sees them."""

import base64
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.publish.reporting import figure_html, format_value, table_html  # noqa: E402
from analysis.text.i18n import Lang  # noqa: E402


def _cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", html)


def test_table_cells_follow_the_language_and_the_column_format():
    frame = pd.DataFrame({"Miasto": ["Kielce"], "Łóżka": [2990.0], "Udział": [0.98], "Lepiej": [True], "Rok": pd.array([2016], dtype="Int64")})
    html = table_html(frame, Lang("pl"), formats={"Łóżka": "num0", "Udział": "share0"})
    assert _cells(html) == ["Kielce", "2990", "98\u00a0%", "tak", "2016"]
    english = table_html(frame.rename(columns={"Miasto": "City"}), Lang("en"), formats={"Łóżka": "num1", "Udział": "share0"})
    assert _cells(english) == ["Kielce", "2,990.0", "98%", "yes", "2016"]


def test_text_is_left_aligned_numbers_right_aligned_and_missing_is_a_dash():
    frame = pd.DataFrame({"Name": ["a", None], "Value": [1.5, float("nan")]})
    html = table_html(frame, Lang("en"))
    assert '<th scope="col" class="text">Name</th>' in html and '<th scope="col" class="number">Value</th>' in html
    assert _cells(html) == ["a", "1.50", "–", "–"]


def test_a_column_of_indicator_codes_is_a_code_column_not_a_text_one():
    """A code column took a text column's minimum width (6em) and helped push the Polish area tables past their column
    at 1280 px; a column with any other text stays text."""
    frame = pd.DataFrame({"Kod": ["HL12.1", "EC5.3", None], "Nazwa": ["HL12.1", "x", "y"]})
    html = table_html(frame, Lang("pl"))
    assert '<th scope="col" class="code">Kod</th>' in html and '<th scope="col" class="text">Nazwa</th>' in html
    assert '<td class="code" data-label="Kod">HL12.1</td>' in html and '<td class="code" data-label="Kod">–</td>' in html
    assert '<td class="text" data-label="Nazwa">x</td>' in html


def test_data_in_a_table_is_escaped():
    frame = pd.DataFrame({"City": ["<img src=x onerror=alert(1)>"]})
    html = table_html(frame, Lang("en"), caption="<b>cap</b>")
    assert "<img" not in html and "&lt;img" in html and "&lt;b&gt;cap" in html


def test_a_table_without_rows_is_its_title_and_none_not_an_empty_grid():
    """Kielce's first strengths table had no claim of medium confidence: a header row over an empty body."""
    empty = table_html(pd.DataFrame({"Wskaźnik": [], "Wartość": []}), Lang("pl"), caption="Mocne strony <Kielc>")
    assert "<table" not in empty and "<strong>Mocne strony &lt;Kielc&gt;</strong>: brak." in empty
    assert "<table" in table_html(pd.DataFrame({"Wskaźnik": ["a"]}), Lang("pl"), caption="Mocne strony")


def test_wide_tables_scroll_in_their_own_labelled_box_and_the_title_is_a_caption():
    """Before: the title was a paragraph above the table (`<p class="table-caption">`), not its `<caption>`."""
    html = table_html(pd.DataFrame({"a": [1]}), Lang("pl"), caption="Wyniki")
    assert html.startswith(
        '<div class="table-block"><div class="table-scroll" role="region" tabindex="0" aria-label="Wyniki">'
        '<table class="report-table"><caption>Wyniki</caption><thead>'
    )
    assert "table-caption" not in html


def test_a_long_table_can_be_sorted_and_filtered_a_short_one_is_plain():
    long = pd.DataFrame({"Miasto": [f"M{i}" for i in range(21)], "Wartość": [i / 3 for i in range(21)]})
    html = table_html(long, Lang("pl"), caption="Wyniki")
    assert '<table class="report-table" data-sortable>' in html
    assert html.count('aria-sort="none"') == 2 and html.count('class="sort-button"') == 2
    # Numbers sort by value, not by the Polish text with its decimal comma.
    assert '<td class="number" data-label="Wartość" data-sort="0.3333333333333333">0,33</td>' in html
    assert 'class="table-filter" aria-label="Filtruj wiersze tabeli: Wyniki"' in html
    short = table_html(long.head(20), Lang("pl"), caption="Wyniki")
    assert "data-sortable" not in short and "aria-sort" not in short and "table-filter" not in short


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="allowed"):
        table_html(pd.DataFrame({"a": [1]}), Lang("en"), formats={"a": "percent"})
    with pytest.raises(ValueError):
        format_value(1, "money", Lang("en"))


def test_figures_are_svg_with_escaped_alt_text():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    html = figure_html(fig, 'Wyniki "Kielc" <b>')
    assert 'alt="Wyniki &quot;Kielc&quot; &lt;b&gt;"' in html
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(data).lstrip().startswith(b"<?xml")


def test_a_figure_without_alt_text_is_refused():
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="alt"):
        figure_html(fig, "  ")
    plt.close(fig)


@pytest.mark.parametrize(
    "value, polish, english",
    [
        (144200.0, "144\u00a0200", "144,200"),
        (1244.28, "1244", "1,244"),
        (670.9, "670,9", "670.9"),
        (99.78, "99,8", "99.8"),
        (1.01, "1,01", "1.01"),
        (0.26, "0,26", "0.26"),
        (0.0007, "0,0007", "0.0007"),
        (0.0, "0", "0"),
    ],
)
def test_auto_format_gives_decimals_that_fit_the_size(value, polish, english):
    """Rows of one column have different units: 144 200 connections need no decimals, 0.0007 t needs four."""
    assert format_value(value, "auto", Lang("pl")) == polish
    assert format_value(value, "auto", Lang("en")) == english
    assert format_value(-value, "signed_auto", Lang("en")) == ("0" if value == 0 else "\u2212" + english)
    assert format_value(None, "auto", Lang("pl")) == "–"


@pytest.fixture(scope="module")
def kielce_small(kielce_benchmark):
    """Kielce's benchmark with the report's defaults, shared with test_benchmark and test_robustness
    (it was a run of its own with 288 variants; the figures drawn here do not depend on the count)."""
    return kielce_benchmark


def _texts(fig):
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip()]


def test_benchmark_figures_are_sized_for_a_phone(kielce_small):
    """Before: 6.5–7 inches wide with 8 pt text, about 5 px high on a 390 px phone."""
    from analysis.figures import plots

    tr = Lang("pl")
    figures = [
        plots.plot_theme_scores(kielce_small.theme_scores, "Kielce", tr),
        plots.plot_rank_uncertainty(kielce_small.robustness.summary, "Kielce", tr),
        plots.plot_theme_dots(kielce_small.table, "Transportation", "Kielce", tr),
    ]
    for fig in figures:
        assert fig.get_figwidth() <= 5
        assert min(t.get_fontsize() for t in _texts(fig)) >= 8
        plt.close(fig)
    # The two dense heat maps (100 rows) may be a little wider, not 8 inches.
    for fig in [plots.plot_vintage_heatmap(kielce_small.table, "Kielce", 3, tr), plots.plot_score_heatmap(kielce_small.table, "Kielce", tr)]:
        assert fig.get_figwidth() <= 5.6
        plt.close(fig)


def test_theme_dots_speak_the_page_language(kielce_small):
    """Before: English units ("[per 100 000]") and English decimals ("0.89") in the Polish figure."""
    from analysis.figures import plots

    fig = plots.plot_theme_dots(kielce_small.table, "Transportation", "Kielce", Lang("pl"))
    texts = [t.get_text() for t in _texts(fig)]
    plt.close(fig)
    assert not [t for t in texts if "per 100 000" in t or "per capita" in t]
    assert not [t for t in texts if re.fullmatch(r"−?\d+\.\d+", t)]
    assert "0,89" in texts and any("[km na 100\u00a0000 mieszk.]" in t for t in texts)


def test_auto_columns_of_one_row_share_their_decimals():
    """Before: 4,22 next to 38,0 and 0 next to 100,0 in the same row."""
    frame = pd.DataFrame({"Value": [4.22, 0.0, 0.0007, 144200.0], "Median": [38.0, 100.0, 0.0, 80681.09], "Gap": [-33.78, -100.0, 0.0007, 63518.91]})
    html = table_html(frame, Lang("pl"), formats={"Value": "auto", "Median": "auto", "Gap": "signed_auto"})
    assert _cells(html) == [
        "4,2",
        "38,0",
        "\u221233,8",
        "0,0",
        "100,0",
        "\u2212100,0",
        "0,0007",
        "0,0000",
        "+0,0007",
        "144\u00a0200",
        "80\u00a0681",
        "+63\u00a0519",
    ]


def _assert_theme_dots_fit_their_canvas(table, themes, langs, contested=("TR18.4", "TR18.9", "WS21.4", "SW16.2", "EC5.6")):
    from analysis.figures import plots

    for lang in langs:
        for theme in themes:
            # With the debatable directions said as assumed (the longest row labels).
            fig = plots.plot_theme_dots(table, theme, "Kielce", Lang(lang), contested=contested)
            assert getattr(fig, "fits_canvas", False)
            # No fig.canvas.draw() first: the layout is done when the figure is made, get_tightbbox measures the
            # text itself, and the boxes are the same (rasterising 34 figures took half of test-fast's time).
            box, (width, height) = fig.get_tightbbox(), fig.get_size_inches()
            plt.close(fig)
            assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height, (lang, theme, box, width, height)


def test_a_figure_that_says_it_fits_its_canvas_does(kielce_small):
    """Theme-dot figures are saved without a tight bounding box (half the drawing time); that is
    only right if nothing sticks out of the canvas. The fast suite checks the tallest figure (the theme
    with the most indicators) and Transportation in both languages; the slow test below, every theme."""
    table = kielce_small.table
    longest = max(table["theme"].unique(), key=lambda theme: table.loc[table["theme"] == theme, "code"].nunique())
    _assert_theme_dots_fit_their_canvas(table, [longest, "Transportation"], ("pl", "en"))


def test_the_theme_chart_says_a_debatable_direction_is_assumed(kielce_small):
    """An editor: "← im mniej, tym lepiej" under household water use and cars, where the tables say "dyskusyjna
    (przyjęto: niższa)"."""
    from analysis.figures import plots
    from analysis.text import benchmark as text

    contested = text.contested_codes(kielce_small)
    assert {"TR18.4", "WS21.4"} <= contested
    fig = plots.plot_theme_dots(kielce_small.table, "Transportation", "Kielce", Lang("pl"), contested=contested)
    labels = [t.get_text() for t in _texts(fig)]
    plt.close(fig)
    cars = next(label for label in labels if label.startswith("TR18.4 "))
    assert cars.endswith("← przyjęto: im mniej, tym lepiej (kierunek dyskusyjny)"), cars
    assert any(label.startswith("TR18.1 ") and label.endswith("→ im więcej, tym lepiej") for label in labels), labels


@pytest.mark.slow  # draws all 34 theme figures of a benchmark page (every theme, both languages)
def test_every_theme_figure_fits_its_canvas_in_both_languages(kielce_small):
    _assert_theme_dots_fit_their_canvas(kielce_small.table, kielce_small.table["theme"].unique(), ("pl", "en"))


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_heat_maps_keep_all_they_draw_in_the_box_they_measured(kielce_small, lang):
    """The three heat maps of a benchmark page measure the box they are saved with when they are laid out
    (matplotlib's "tight" draws each figure once more only to measure it: a fifth of a page's build).
    The box must hold everything drawn, every cell's number included, as the tight box did."""
    from analysis.figures import plots
    from analysis.publish.reporting import figure_svg

    tr = Lang(lang)
    figures = {
        "vintage": lambda: plots.plot_vintage_heatmap(kielce_small.table, "Kielce", 3, tr),
        "scores": lambda: plots.plot_score_heatmap(kielce_small.table, "Kielce", tr),
        "themes": lambda: plots.plot_theme_scores(kielce_small.theme_scores, "Kielce", tr),
    }
    for name, make in figures.items():
        fig = make()
        box = fig.saved_bbox
        assert fig.get_layout_engine() is None, name  # else savefig draws it once more to lay it out
        for text in fig.findobj(matplotlib.text.Text):
            text.set_in_layout(True)
        fig.canvas.draw()
        drawn = fig.get_tightbbox()
        plt.close(fig)
        tolerance = 0.02  # inches: text measured at the screen's resolution, not the SVG's
        assert box.x0 <= drawn.x0 + tolerance and box.y0 <= drawn.y0 + tolerance, (name, box, drawn)
        assert box.x1 >= drawn.x1 - tolerance and box.y1 >= drawn.y1 - tolerance, (name, box, drawn)
        width = float(re.search(rb'width="([\d.]+)pt"', figure_svg(make())).group(1))
        assert width == pytest.approx(box.width * 72, abs=0.5), name


def test_the_numbers_in_heat_map_cells_are_left_out_of_the_layout(kielce_small):
    from analysis.figures import plots

    fig = plots.plot_vintage_heatmap(kielce_small.table, "Kielce", 3, Lang("en"))
    cells = fig.axes[0].texts
    plt.close(fig)
    assert len(cells) >= 400 and not any(text.get_in_layout() for text in cells)


def test_only_figures_that_fit_their_canvas_skip_the_tight_bounding_box():
    """A label outside the canvas must not be cut: such a figure keeps the tight bounding box."""
    from analysis.publish.reporting import figure_svg

    def figure(fits):
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.text(3.0, 0.5, "outside", transform=ax.transAxes)
        if fits:
            fig.fits_canvas = True
        return fig

    width = lambda svg: float(re.search(rb'width="([\d.]+)pt"', svg).group(1))  # noqa: E731
    assert width(figure_svg(figure(False))) > 2 * 72
    assert width(figure_svg(figure(True))) == 2 * 72


def test_theme_dots_draw_one_collection_per_city(kielce_small):
    """Before: one scatter call per dot (about 445 per page), most of a page's drawing time."""
    from analysis.figures import plots

    fig = plots.plot_theme_dots(kielce_small.table, "Transportation", "Kielce", Lang("en"))
    n_collections, n_lines = len(fig.axes[0].collections), len(fig.axes[0].lines)
    plt.close(fig)
    assert n_lines == 0  # the rows' grey bands are one collection, not a line each
    # One per city, one for the left-out values, one for the rows' grey bands (a line per row before).
    assert n_collections <= kielce_small.table["city"].nunique() + 2


def test_the_rating_strip_of_a_single_area_has_room_for_its_labels():
    """Before: one area (the exploration page's safety scores) got a 2-inch panel and its five
    rotated dimension names ran into each other."""
    from analysis.data import labels
    from analysis.data.cleaning import clean_maturity_scores
    from analysis.figures import plots

    scores, _ = clean_maturity_scores()
    safety = scores[scores["area"] == "safety"]
    fig = plots.plot_ratings_strip(safety, "Bezpieczeństwo", labels.dimension_names("pl"), area_names=labels.area_names("pl"), small_areas=["safety"])
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    plt.close(fig)
    assert len(boxes) == 5
    assert not [i for i in range(4) if boxes[i].overlaps(boxes[i + 1])]


def test_every_cell_names_its_column_for_the_phone_cards_escaped():
    html = table_html(pd.DataFrame({'Wartość "x" <b>': [1.5]}), Lang("pl"))
    assert '<td class="number" data-label="Wartość &quot;x&quot; &lt;b&gt;">1,50</td>' in html


def test_a_figure_carries_its_drawn_size_so_a_phone_can_show_it_unshrunk():
    """Before: the SVG had no size on the page and a phone shrank its 8 pt text to 5-7 px."""
    fig = plt.figure(figsize=(6, 3))
    fig.fits_canvas = True  # saved as drawn: 6 x 3 in = 432 x 216 pt = 576 x 288 px
    html = figure_html(fig, "A figure")
    assert ' width="576" height="288" alt="A figure"' in html
    assert '<div class="figure-scroll" role="region" tabindex="0" aria-label="A figure"><img' in html


def test_numbers_on_heat_map_cells_meet_wcag_aa_contrast(kielce_small):
    """Before: seaborn's switch to white text at luminance 0.408 left mid-tone cells at about 3:1."""
    from matplotlib.colors import Normalize

    from analysis.figures import plots

    tr = Lang("pl")
    assert plots.contrast_ratio("white", "black") == pytest.approx(21)
    for fig, vmin, vmax in [
        (plots.plot_score_heatmap(kielce_small.table, "Kielce", tr), 0, 100),
        (plots.plot_theme_scores(kielce_small.theme_scores, "Kielce", tr), 0, 100),
    ]:
        ax = fig.axes[0]
        mesh = ax.collections[0]
        values = np.ma.asarray(mesh.get_array())
        values = values.reshape(-1, int(round(ax.get_xlim()[1]))) if values.ndim == 1 else values
        checked = 0
        for text in ax.texts:
            x, y = text.get_position()
            value = values[int(y), int(x)]
            background = plots.MISSING_COLOUR if np.ma.is_masked(value) else plt.get_cmap("cividis")(Normalize(vmin, vmax)(value))
            assert plots.contrast_ratio(background, text.get_color()) >= 4.5, (text.get_text(), value)
            checked += 1
        assert checked > 20
        plt.close(fig)


def test_each_city_has_one_colour_in_every_figure_and_no_peer_shares_the_focal_colour():
    from analysis.figures import plots

    cities = ["Kielce", "Eindhoven", "Gdynia", "Oakville", "Porto"]
    on_kielce = plots.city_colours(cities, "Kielce")
    on_gdynia = plots.city_colours(list(reversed(cities)), "Gdynia")
    assert on_kielce["Porto"] == on_gdynia["Porto"] and on_kielce["Eindhoven"] == on_gdynia["Eindhoven"]
    assert len(set(on_kielce.values())) == 5 and on_kielce["Kielce"] == plots.FOCAL_COLOUR
    # The peers' colours are far from the focal vermilion (Okabe-Ito's orange is not among them).
    assert "#e69f00" not in plots.CITY_PALETTE


def test_polish_one_letter_words_are_bound_to_the_next_word_in_text_only():
    """A Polish editor: one-letter words (w, z, i, a, o, u) left at the end of a line; the Polish editions bind them
    with a no-break space, in text between tags only (never in attributes, scripts, styles or SVG)."""
    from analysis.publish.site import bind_one_letter_words

    page = (
        '<p title="w x">Dane w Kielcach i w <strong>Gdyni</strong>, a także z 2016 r.</p>'
        '<script>if (a < b) { s = "w y"; }</script><style>a > b { }</style><svg><text>w x</text></svg><p>o tym</p>'
    )
    bound = bind_one_letter_words(page)
    assert '<p title="w x">Dane w\u00a0Kielcach i\u00a0w\u00a0<strong>Gdyni</strong>, a\u00a0także z\u00a02016\u00a0r.</p>' in bound
    assert '<script>if (a < b) { s = "w y"; }</script><style>a > b { }</style><svg><text>w x</text></svg>' in bound
    assert bound.endswith("<p>o\u00a0tym</p>")
    # A number is bound to the word after it too (an editor: "4. / miejsce", "5 / miast" at 390 px).
    assert bind_one_letter_words("PM2,5 i NO₂; 3 a 4") == "PM2,5\u00a0i\u00a0NO₂; 3\u00a0a\u00a04"
    assert bind_one_letter_words("4. miejsce wśród 5 miast. 2016. Potem") == "4.\u00a0miejsce wśród 5\u00a0miast. 2016. Potem"
    # An editor: "ISO / 37120" split over two lines in the printed profile (a flag's reason).
    assert bind_one_letter_words("w rozumieniu ISO 37120; ISOS 5", one_letter=False) == "w rozumieniu ISO\u00a037120; ISOS 5"
    # An editor: "100 000" in the source's indicator names split over two lines; bound in both editions, in text only.
    assert (
        bind_one_letter_words('<p title="1 000">na 100 000 mieszkańców, 2011 2017</p>')
        == '<p title="1 000">na 100\u00a0000\u00a0mieszkańców, 2011 2017</p>'
    )
    assert bind_one_letter_words("per 100 000 population, a 5", one_letter=False) == "per 100\u00a0000 population, a 5"
    # An editor: a dash started a line ("gorzej / – w 4") and a number ended one before its unit ("10,9 / µg/m³").
    assert bind_one_letter_words("gorzej – w 4; 10,9 µg/m³, 24,2 km, 3 to") == "gorzej\u00a0– w\u00a04; 10,9\u00a0µg/m³, 24,2\u00a0km, 3\u00a0to"
    assert bind_one_letter_words("z lat 2001–2017", one_letter=False) == "z lat 2001–\u20602017"
    assert bind_one_letter_words("2016 r. — 5 ha", one_letter=False) == "2016\u00a0r.\u00a0— 5\u00a0ha"


def test_the_benchmark_scale_worker_runs_on_values_its_units_allow():
    """`make bench` stopped at its library-at-scale step: the synthetic table drew values up to 50 000 for every unit,
    and the data step refuses more than 1 000 per 1 000 live births (data/raw/unit_ranges.csv). Each value is drawn
    within its unit's range now."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
    done = subprocess.run([sys.executable, str(script), "--scale-worker", "30", "0"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1])["total_s"] > 0


def test_theme_dots_say_apart_which_left_out_values_are_wrong_and_which_doubtful(kielce_small):
    """A Polish editor of the sixteenth session: the chart marked every value left out "wyłączono (×)", where the tables
    mark a value that cannot be right as printed ✖ and a doubtful one ⚠; a reader took Porto's doubtful PM2.5 for a wrong
    one. The note says which are wrong and which doubtful, and a doubtful one carries ⚠ over its cross."""
    from analysis.figures import plots

    table = kielce_small.table.copy()
    rows = table.index[(table["theme"] == "Transportation") & ~table["missing"].astype(bool)]
    code = table.loc[rows[0], "code"]
    same = table.index[(table["code"] == code) & ~table["missing"].astype(bool)]
    wrong, doubtful = same[0], same[1]
    table.loc[[wrong, doubtful], "excluded"] = True
    table.loc[wrong, "flag"], table.loc[doubtful, "flag"] = "error", "warning"
    fig = plots.plot_theme_dots(table, "Transportation", "Kielce", Lang("pl"))
    texts = [t.get_text() for t in _texts(fig)]
    plt.close(fig)
    note = [t for t in texts if "wyłączono" in t][0]
    assert f"wyłączono (×): {table.loc[wrong, 'city']} – błędna, {table.loc[doubtful, 'city']} – wątpliwa (⚠)" in note
    assert "⚠" in texts


def test_theme_dots_do_not_call_each_share_of_an_overfull_whole_wrong(kielce_small):
    """A Polish editor of the sixteenth session: each of Kielce's four waste shares, which add up to 124 %, was labelled
    "błędna" on the charts, where the page says at least one of them is wrong, not which."""
    from analysis.figures import plots

    table = kielce_small.table.copy()
    row = table.index[(table["theme"] == "Transportation") & ~table["missing"].astype(bool)][0]
    table.loc[row, ["excluded", "flag", "flag_rule"]] = [True, "error", "parts_exceed_whole"]
    fig = plots.plot_theme_dots(table, "Transportation", "Kielce", Lang("pl"))
    texts = [t.get_text() for t in _texts(fig)]
    plt.close(fig)
    note = [t for t in texts if "wyłączono" in t][0]
    assert f"{table.loc[row, 'city']} – suma udziałów ponad 100" in note and "błędna" not in note


def test_the_rank_chart_names_the_main_calculation_as_the_page_does(kielce_small):
    """A Polish editor of the sixteenth session: the rank chart's legend said "miejsce w raporcie", a term used nowhere
    else; the page calls it the main calculation ("bazowy wariant obliczeń")."""
    from analysis.figures import plots

    fig = plots.plot_rank_uncertainty(kielce_small.robustness.summary, "Kielce", Lang("pl"))
    texts = [t.get_text() for t in _texts(fig)]
    plt.close(fig)
    assert "miejsce w bazowym wariancie obliczeń" in texts and "miejsce w raporcie" not in texts


def test_a_chart_row_label_is_cut_at_a_word_not_inside_one():
    """A Polish editor of the seventeenth session: "EV8.2  Stężenie pyłu zawieszonego PM1…" read as PM1, another dust."""
    from analysis.figures.plots import _row_labels

    table = pd.DataFrame(
        {
            "code": ["Z9.2", "X1"],
            "indicator": ["Stężenie pyłu zawieszonego PM10 w powietrzu", "Krótka nazwa"],
        }
    )
    long, short = _row_labels(table, ["Z9.2", "X1"], Lang("en"))
    assert long == "Z9.2  Stężenie pyłu zawieszonego…" and "PM1…" not in long
    assert short == "X1  Krótka nazwa"


def test_two_chart_row_labels_that_begin_alike_keep_what_tells_them_apart():
    """The same editor: ED6.2 and ED6.3 both read "Odsetek uczniów kończących…" (primary and secondary school)."""
    from analysis.figures.plots import _row_labels

    table = pd.DataFrame(
        {
            "code": ["ED6.2", "ED6.3", "X1"],
            "indicator": ["Odsetek uczniów kończących szkołę podstawową", "Odsetek uczniów kończących szkołę średnią", "Krótka nazwa"],
        }
    )
    primary, secondary, short = _row_labels(table, ["ED6.2", "ED6.3", "X1"], Lang("pl"))
    assert primary == "ED6.2  Odsetek … szkołę podstawową" and secondary == "ED6.3  Odsetek … szkołę średnią"
    assert len(primary) - len("ED6.2  ") <= 31 and short == "X1  Krótka nazwa"
    # No two of the hundred names alike once cut, in either language (eight groups were, up to eight names each).
    from analysis.data import labels

    for lang in ("pl", "en"):
        names = labels.indicator_names(lang)
        every = _row_labels(pd.DataFrame({"code": list(names), "indicator": list(names.values())}), list(names), Lang(lang))
        cut = [label.split("  ", 1)[1] for label in every]
        assert len(set(cut)) == len(cut) and max(map(len, cut)) <= 31, lang
