"""City names declined in Polish (issue 18): "Mocne strony Kielc", "w Gdyni", never "miasta Kielce"."""

import pytest

from analysis.data.cleaning import load_city_names_pl
from analysis.data.parsing import CellParseError
from analysis.errors import SchemaValidationError
from analysis.text import catalogue
from analysis.text.i18n import Lang
from analysis.text.render import environment

from .conftest import PROJECT_ROOT

RAW = PROJECT_ROOT / "data" / "raw" / "city_names_pl.csv"


def test_every_printed_city_has_its_case_forms_with_a_reason():
    forms = load_city_names_pl(RAW)
    assert set(forms) == {"Kielce", "Eindhoven", "Gdynia", "Oakville", "Porto"}
    assert forms["Kielce"] == {"genitive": "Kielc", "dative": "Kielcom", "accusative": "Kielce", "instrumental": "Kielcami", "locative": "Kielcach"}
    assert forms["Gdynia"]["accusative"] == "Gdynię" and forms["Gdynia"]["instrumental"] == "Gdynią"


@pytest.mark.parametrize(
    "old, new, column",
    [
        ("Porto,Porto,Porto,Porto,Porto,Porto,false", "Porto,Porta,Porto,Porto,Porto,Porto,false", "genitive"),  # undeclined but a form differs
        ("Gdyni,Gdyni,Gdynię,Gdynią,Gdyni,true", "Gdyni,Gdyni,Gdynię,Gdynią,Gdyni,yes", "declined"),
        ("Kielcami,Kielcach,true,", "Kielcami,,true,", "locative"),  # an empty form
    ],
)
def test_a_bad_row_names_file_line_and_column(tmp_path, old, new, column):
    text = RAW.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "city_names_pl.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises((CellParseError, SchemaValidationError)) as caught:
        load_city_names_pl(path)
    message = str(caught.value)
    assert "city_names_pl.csv:" in message and column in message


@pytest.mark.parametrize(
    "city, case, polish",
    [
        ("Kielce", "gen", "Kielc"),
        ("Kielce", "loc", "Kielcach"),
        ("Gdynia", "acc", "Gdynię"),
        ("Eindhoven", "loc", "Eindhovenie"),
        ("Porto", "loc", "Porto"),
    ],
)
def test_a_city_is_declined_from_the_data_file(city, case, polish):
    assert Lang("pl").decline(city, case) == polish
    assert Lang("en").decline(city, case) == city


def test_a_city_without_forms_is_named_with_miasto_declined():
    tr = Lang("pl")
    assert [tr.decline("Testville", case) for case in ("gen", "dat", "acc", "ins", "loc")] == [
        "miasta Testville",
        "miastu Testville",
        "miasto Testville",
        "miastem Testville",
        "mieście Testville",
    ]
    with pytest.raises(ValueError, match="unknown case"):
        tr.decline("Kielce", "vocative")


def test_translations_decline_the_city_in_code_and_in_templates(monkeypatch):
    tr = Lang("pl")
    monkeypatch.setitem(tr._messages, "Strengths of {city}", "Mocne strony {city:gen}")
    monkeypatch.setitem(tr._messages, "Values in %(city)s", "Wartości w %(city:loc)s")
    assert tr("Strengths of {city}", city="Kielce") == "Mocne strony Kielc"
    assert tr("Strengths of {city}", city="Testville") == "Mocne strony miasta Testville"
    template = environment().from_string("{% trans city=city %}Values in {{ city }}{% endtrans %}")
    assert template.render(tr=tr, city="Kielce") == "Wartości w Kielcach"
    # A name from data stays text: escaped after declension, whatever it holds.
    assert template.render(tr=tr, city="<b>X</b>") == "Wartości w mieście &lt;b&gt;X&lt;/b&gt;"
    assert template.render(tr=Lang("en"), city="Kielce") == "Values in Kielce"


def test_the_catalogue_check_refuses_an_unknown_case():
    assert catalogue.unknown_cases("Mocne strony {city:gen}, w %(city:loc)s") == []
    assert catalogue.unknown_cases("Mocne strony {city:genitive}") == ["genitive"]
    assert catalogue.unknown_cases("w %(city:voc)s") == ["voc"]
    assert catalogue.unknown_cases("{share:.1f}") == []
