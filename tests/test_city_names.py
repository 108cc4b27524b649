"""City names: look-alike letters, names in any script, a length limit (through `python -m analysis data`)."""

import re
import unicodedata

from .conftest import run_cli
from .test_raw_inputs import CITIES_README, add_city, refused

# --- 3. names: confusables, any script, a length limit ---------------------------------------------


def test_a_look_alike_of_a_printed_city_is_refused(project_copy):
    # "Gdyniа" with a Cyrillic а (U+0430) looks exactly like Gdynia.
    name = "gdyni\u0430"
    add_city(project_copy, name, "code,value,year,unit\nEC5.1,5,2019,\n")
    message = refused(project_copy, f"{name}.csv")
    assert "Gdynia" in message and "iso37120_comparison.tsv" in message


def test_two_look_alike_city_files_are_refused(project_copy):
    add_city(project_copy, "paris", "code,value,year,unit\nEC5.1,5,2019,\n")
    add_city(project_copy, "p\u0430ris", "code,value,year,unit\nEC5.1,5,2019,\n")  # Cyrillic а
    refused(project_copy, "paris.csv")


NON_LATIN = ["Київ", "東京", "नई_दिल्ली", "Αθήνα", "تبريز", "Ørsta"]


def test_names_in_any_script_are_accepted_with_valid_unique_short_slugs(project_copy):
    for name in NON_LATIN:
        add_city(project_copy, name, "code,value,year,unit\nEC5.1,5,2019,\n")
    result = run_cli(project_copy, "data")
    assert result.returncode == 0, result.stderr
    import pandas as pd

    from analysis.data.cities import city_slug

    cities = pd.read_csv(project_copy / "data" / "processed" / "indicators.csv", keep_default_na=False)["city"].unique()
    for name in NON_LATIN:
        assert unicodedata.normalize("NFC", name.replace("_", " ").title()) in cities
    slugs = [city_slug(city) for city in cities]
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) and len(slug) <= 80, slug


def test_slugs_of_the_printed_cities_do_not_change():
    from analysis.data.cities import city_slug

    assert [city_slug(c) for c in ["Kielce", "Eindhoven", "Gdynia", "Oakville", "Porto", "Bielsko-Biała", "Zielona Góra"]] == [
        "kielce",
        "eindhoven",
        "gdynia",
        "oakville",
        "porto",
        "bielsko-biala",
        "zielona-gora",
    ]


def test_a_240_character_name_is_refused_and_the_limit_is_documented(project_copy):
    from analysis.data.cities import MAX_NAME_LENGTH

    name = "a" * 240
    add_city(project_copy, name, "code,value,year,unit\nEC5.1,5,2019,\n")
    message = refused(project_copy, f"{name}.csv")
    assert str(MAX_NAME_LENGTH) in message
    assert f"{MAX_NAME_LENGTH} characters" in CITIES_README.read_text(encoding="utf-8")
