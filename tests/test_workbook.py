"""The Excel workbook of a benchmark report (issue 18): one sheet per table, the page's language, numbers as numbers."""

import io

import pytest
from openpyxl import load_workbook

from analysis.data import published_schemas
from analysis.data.storage import frame_to_csv_bytes
from analysis.publish.workbook import workbook_bytes
from analysis.text.columns import COLUMN_LABELS, SHEET_NAMES, column_label
from analysis.text.i18n import Lang


@pytest.fixture
def tables():
    import pandas as pd

    main = pd.DataFrame(
        {
            "code": ["EC5.1", "EN7.1"],
            "theme": ["Economy", "Energy"],
            "value": [7.7, 1234.5],
            "year": [2016, None],
            "flag": ['=HYPERLINK("http://x")', None],
        }
    )
    themes = pd.DataFrame({"city": ["Kielce"], "theme": ["Shelter"], "coverage": [0.5]})
    return {"benchmark-kielce.csv": frame_to_csv_bytes(main), "benchmark-kielce-themes.csv": frame_to_csv_bytes(themes)}


def test_the_workbook_speaks_the_page_language_and_keeps_numbers_as_numbers(tables):
    book = load_workbook(io.BytesIO(workbook_bytes("benchmark-kielce", tables, Lang("pl"))))
    assert book.sheetnames == ["Wartości wskaźników", "Obszary tematyczne"]
    sheet = book["Wartości wskaźników"]
    # Each code with its indicator's name (an official found sheets of bare codes).
    assert [cell.value for cell in sheet[1]] == ["Kod", "Wskaźnik", "Obszar", "Wartość", "Rok", "Oznaczenie"]
    assert sheet["B2"].value == "Stopa bezrobocia"
    assert sheet["C2"].value == "Gospodarka" and sheet["C3"].value == "Energia"
    assert sheet["D3"].value == 1234.5 and sheet["D3"].data_type == "n"
    assert sheet["E2"].value == 2016 and sheet["E3"].value is None
    # Text stays text: the formula the CSV neutralised with a quote is shown as written, never run.
    assert sheet["F2"].value == '=HYPERLINK("http://x")' and sheet["F2"].data_type == "s"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:F3"
    assert book["Obszary tematyczne"]["B2"].value == "Mieszkalnictwo"
    english = load_workbook(io.BytesIO(workbook_bytes("benchmark-kielce", tables, Lang("en"))))
    assert english.sheetnames == ["Indicator values", "Themes"] and english["Indicator values"]["C2"].value == "Economy"


def test_the_workbook_names_the_other_measures_of_a_construct_not_its_key():
    """An official: the "Mierzone zjawisko" column showed "EC5.1", "EC5.2", … (each code its own construct) and keys
    such as water_consumption; the workbook says which other indicators measure the same thing."""
    import pandas as pd

    table = pd.DataFrame({"code": ["WS21.4", "WS21.5", "EC5.1"], "construct": ["water_consumption", "water_consumption", "EC5.1"]})
    book = load_workbook(io.BytesIO(workbook_bytes("benchmark-kielce", {"benchmark-kielce-comparison.csv": frame_to_csv_bytes(table)}, Lang("pl"))))
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == ["Kod", "Wskaźnik", "Mierzy to samo co"]
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == ["WS21.5", "WS21.4", None]


def test_the_same_tables_give_the_same_bytes(tables):
    assert workbook_bytes("benchmark-kielce", tables, Lang("pl")) == workbook_bytes("benchmark-kielce", tables, Lang("pl"))


def test_every_column_and_table_of_a_benchmark_report_has_a_reader_label():
    columns = set()
    for schema in published_schemas.BENCHMARK_SUFFIXES.values():
        columns |= set(schema.columns)
    assert sorted(c for c in columns - set(COLUMN_LABELS) if not c.startswith("^")) == []
    assert column_label("share_rank_3", Lang("pl")) == "Odsetek wariantów z 3. miejscem"
    assert {suffix.lstrip("-") for suffix in published_schemas.BENCHMARK_SUFFIXES} <= set(SHEET_NAMES)
    polish = Lang("pl")
    assert all(polish.has(label) for label in [*COLUMN_LABELS.values(), *SHEET_NAMES.values()])


def test_coded_values_indicator_names_and_units_are_in_the_page_language():
    """A Polish editor: the 'Polish' workbook said better / warning / lower and gave English indicator names."""
    import pandas as pd

    table = pd.DataFrame(
        {
            "code": ["EC5.1"],
            "indicator": ["City's unemployment rate"],
            "unit": ["per 100 000"],
            "verdict": ["better"],
            "severity": ["warning"],
            "polarity": ["lower"],
        }
    )
    book = load_workbook(io.BytesIO(workbook_bytes("benchmark-kielce", {"benchmark-kielce-comparison.csv": frame_to_csv_bytes(table)}, Lang("pl"))))
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == ["Kod", "Wskaźnik", "Jednostka", "Ocena", "Rodzaj zastrzeżenia", "Lepiej, gdy wartość jest"]
    assert [cell.value for cell in sheet[2]] == ["EC5.1", "Stopa bezrobocia", "na 100\u00a0000 mieszk.", "wyraźnie lepiej", "ostrzeżenie", "niższa"]


def test_the_polish_workbook_says_why_in_polish_and_shows_shares_as_percentages():
    """A Polish editor: the Polish workbooks carried English sentences ("The shares of one whole … add up to 124.3%"),
    rule codes, verdict reasons in English, "overall", and shares of variants as 0.5 where the page says 50 %."""
    import pandas as pd

    to_check = pd.DataFrame(
        {
            "code": ["SW16.3", "EN7.3"],
            "indicator": ["x", "y"],
            "city": ["Kielce", "Kielce"],
            "value": [90.32, 13.96],
            "raw": ["90,32%", "13,96"],
            "rule": ["parts_exceed_whole", "outside_reference_range"],
            "severity": ["error", "warning"],
            "message": ["The shares of one whole (solid waste by treatment) add up to 124.3%, more than the whole.", "English."],
            "unit": ["%", "kWh/m2"],
            "other": ["solid waste by treatment", "50–1000"],
            "amount": [124.25, None],
        }
    )
    comparison = pd.DataFrame({"code": ["EC5.1"], "verdict": ["level"], "verdict_reason": ["|gap| 0.03 under the material gap 2"]})
    strengths = pd.DataFrame(
        {"kind": ["strength", "strength"], "code": ["ED6.6", "TR18.4"], "robust_share": [0.5, 1.0], "direction_contested": [False, True]}
    )
    robustness = pd.DataFrame({"city": ["Kielce"], "theme": ["overall"], "share_rank_1": [0.25]})
    tables = {
        "benchmark-kielce-to-check.csv": frame_to_csv_bytes(to_check),
        "benchmark-kielce-comparison.csv": frame_to_csv_bytes(comparison),
        "benchmark-kielce-strengths.csv": frame_to_csv_bytes(strengths),
        "benchmark-kielce-robustness.csv": frame_to_csv_bytes(robustness),
    }
    book = load_workbook(io.BytesIO(workbook_bytes("benchmark-kielce", tables, Lang("pl"))))
    rows = list(book["Wartości do sprawdzenia"].values)
    header = rows[0]
    message = rows[1][header.index("Stwierdzony problem")]
    assert "124,3" in message and "The shares" not in message
    assert rows[2][header.index("Stwierdzony problem")].startswith("Wartość 13,96 kWh/m² leży poza przedziałem 50–1000")
    assert rows[1][header.index("Reguła")] == "części jednej całości łącznie ponad 100\u00a0%"
    comparison_sheet = list(book["Porównanie"].values)
    assert "verdict_reason" not in comparison_sheet[0] and comparison_sheet[0] == ("Kod", "Wskaźnik", "Ocena")
    share = book["Mocne i słabe strony"]["D2"]
    assert share.value == 0.5 and share.number_format == "0%"
    # Fewer cars is no settled strength (an editor: the sheet said "mocna strona" where the page says debatable).
    assert [row[0] for row in list(book["Mocne i słabe strony"].values)[1:]] == ["mocna strona", "wyraźna różnica o dyskusyjnym kierunku oceny"]
    assert list(book["Odporność rankingu"].values)[1][1] == "wszystkie obszary łącznie"
    english = load_workbook(io.BytesIO(workbook_bytes("benchmark-kielce", tables, Lang("en"))))
    assert list(english["Comparison"].values)[1][3] == "|gap| 0.03 under the material gap 2"  # the English edition keeps it


def test_the_workbook_says_what_it_is_and_is_dated_by_the_build(tables):
    """An official: a workbook of bare tables "created 12 June 2018" (the fixed date kept the bytes stable). With the
    page's facts it opens with a sheet that says what it is, and the build time dates it; the same inputs still give
    the same bytes."""
    about = [("Tytuł", "Kielce na tle innych miast"), ("Źródło", "<b>=1+1</b>")]
    data = workbook_bytes("benchmark-kielce", tables, Lang("pl"), about=about, built_iso="2026-12-02T15:00:00+00:00")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Informacje o skoroszycie", "Wartości wskaźników", "Obszary tematyczne"]
    first = book["Informacje o skoroszycie"]
    assert [[cell.value for cell in row] for row in first.iter_rows()] == [[label, text] for label, text in about]
    assert first["B2"].data_type == "s"  # text, never a formula
    assert book.properties.created.isoformat().startswith("2026-12-02T15:00")
    assert data == workbook_bytes("benchmark-kielce", tables, Lang("pl"), about=about, built_iso="2026-12-02T15:00:00+00:00")
    assert load_workbook(io.BytesIO(workbook_bytes("benchmark-kielce", tables, Lang("pl")))).properties.created.year == 2018


def test_true_and_false_read_as_yes_and_no_in_the_page_language():
    """An editor: the Polish workbook showed the CSV's booleans as TRUE / FALSE (PRAWDA / FAŁSZ in Polish Excel)."""
    import pandas as pd

    table = pd.DataFrame({"code": ["EC5.1", "TR18.4"], "counted": [True, False], "direction_contested": [False, True]})
    tables = {"benchmark-kielce-comparison.csv": frame_to_csv_bytes(table)}
    polish = load_workbook(io.BytesIO(workbook_bytes("benchmark-kielce", tables, Lang("pl")))).active
    rows = [[cell.value for cell in row] for row in polish.iter_rows(min_row=2)]
    assert [row[2:] for row in rows] == [["tak", "nie"], ["nie", "tak"]]
    english = load_workbook(io.BytesIO(workbook_bytes("benchmark-kielce", tables, Lang("en")))).active
    assert [cell.value for cell in english[2]][2:] == ["yes", "no"]


def test_the_coverage_share_reads_as_a_percentage():
    """An editor: "Odsetek wskaźników z podaną wartością" showed 0,8333 beside the other shares in per cent."""
    import pandas as pd

    table = pd.DataFrame({"theme": ["Economy"], "city": ["Kielce"], "coverage": [0.8333]})
    sheet = load_workbook(
        io.BytesIO(workbook_bytes("benchmark-kielce", {"benchmark-kielce-themes.csv": frame_to_csv_bytes(table)}, Lang("pl")))
    ).active
    cell = sheet.cell(row=2, column=3)
    assert cell.value == 0.8333 and cell.number_format == "0%"
