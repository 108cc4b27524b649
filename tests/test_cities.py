"""One identity per city: slugs, collisions, names that cannot be a city's."""

import shutil

import pytest

from analysis.data.build import build_processed_data, is_fresh
from analysis.data.cities import check_city_identities, city_name_from_path, city_slug
from analysis.data.cleaning import clean_indicators
from analysis.errors import CityNameError

from .conftest import FIXTURES, PROJECT_ROOT, run_cli


def test_slugs():
    assert city_slug("Bielsko-Biała") == "bielsko-biala"
    assert city_slug("Kiélce") == city_slug("kielce_") == city_slug("Kielce") == "kielce"


def test_a_file_name_with_markup_is_refused_in_one_line(tmp_path):
    # Issue 10: "<img src=x onerror=alert(1)>.csv" became a city whose name ran in every page.
    path = tmp_path / "<img src=x onerror=alert(1)>.csv"
    with pytest.raises(CityNameError) as caught:
        city_name_from_path(path)
    assert str(caught.value) == (f"{path}: the file name must be the city's name (letters, digits, spaces, - ' .); found '(' ')' '<' '=' '>'")


@pytest.mark.parametrize("name", ["Bielsko-Biała", "Saint-Étienne", "'s-Hertogenbosch", "St. Gallen", "Zielona Góra"])
def test_place_names_are_accepted(tmp_path, name):
    assert city_name_from_path(tmp_path / f"{name}.csv") == name.title()


def test_two_cities_with_one_slug_fail_naming_both_sources():
    with pytest.raises(CityNameError) as caught:
        check_city_identities([("Kielce", "iso.tsv (column Kielce)"), ("Kiélce", "cities/kiélce.csv")])
    assert str(caught.value) == (
        "cities/kiélce.csv: city 'Kiélce' would share the report name benchmark-kielce with "
        "'Kielce' from iso.tsv (column Kielce); rename one of the two files"
    )


@pytest.mark.parametrize("names", [("kiélce.csv",), ("kielce_.csv",), ("bielsko-biała.csv", "bielsko-biala.csv")])
def test_a_new_city_file_cannot_take_over_another_citys_report(tmp_path, names):
    # Issue 10: kiélce.csv made a second benchmark-kielce job and took over Kielce's report.
    cities = tmp_path / "cities"
    cities.mkdir()
    for name in names:
        shutil.copy(FIXTURES / "cities" / "testville.csv", cities / name)
    with pytest.raises(CityNameError) as caught:
        clean_indicators(cities_dir=cities)
    message = str(caught.value)
    assert "would share the report name" in message and "rename one of the two files" in message
    assert message.count(str(cities)) == (2 if len(names) == 2 else 1) and "\n" not in message


def test_removing_a_city_file_makes_the_data_stale(fixture_project):
    # Issue 10: deleting a file changed no prerequisite time, so make skipped everything.
    cities = fixture_project / "data" / "raw" / "cities"
    cities.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "cities" / "testville.csv", cities / "testville.csv")
    assert not is_fresh()
    build_processed_data()
    assert is_fresh()
    (cities / "testville.csv").unlink()
    assert not is_fresh()


def test_a_city_with_markup_stops_the_data_step_and_writes_nothing(fixture_project):
    processed = fixture_project / "data" / "processed"
    before = {p.name: p.read_bytes() for p in processed.iterdir()}
    cities = fixture_project / "data" / "raw" / "cities"
    cities.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "cities" / "testville.csv", cities / "<img src=x onerror=alert(1)>.csv")
    # In this process: the data step refuses the name before any notebook runs (no kernel to start).
    result = run_cli(fixture_project, "reports", isolated=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1 and "the file name must be the city's name" in result.stderr
    assert {p.name: p.read_bytes() for p in processed.iterdir()} == before
    assert not (fixture_project / "reports").exists()


@pytest.mark.slow  # `make data` runs the real data build in a separate process
def test_make_data_takes_a_city_file_with_a_space_in_its_name(fixture_project):
    # Issue 10: "zielona góra.csv" gave make's "No rule to make target" (the Makefile listed files).
    import os
    import subprocess
    import sys

    cities = fixture_project / "data" / "raw" / "cities"
    cities.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "cities" / "testville.csv", cities / "zielona góra.csv")
    result = subprocess.run(
        ["make", "-f", str(PROJECT_ROOT / "Makefile"), "data", f"PY={sys.executable}", "STAMP="],
        cwd=fixture_project,
        env={**os.environ, "KIELCE_PROJECT_ROOT": str(fixture_project)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert ",Zielona Góra," in (fixture_project / "data" / "processed" / "indicators.csv").read_text(encoding="utf-8")
