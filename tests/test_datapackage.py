"""The Frictionless data packages: data/processed/datapackage.json and reports/data/datapackage.json."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate

from analysis import config
from analysis.errors import SchemaValidationError
from analysis.text import benchmark as benchmark_text

from .conftest import FIXTURES, run_cli


def _errors(report) -> set[str]:
    return {error.type for task in report.tasks for error in task.errors} | {error.type for error in report.errors}


@pytest.fixture
def processed(tmp_path, processed_template) -> Path:
    """A copy of data/processed built from the real data (the package and its CSVs)."""
    target = tmp_path / "processed"
    shutil.copytree(processed_template / "data" / "processed", target)
    return target


@pytest.mark.slow  # frictionless reads and checks every row of the four tables (about 3 s)
def test_the_processed_package_is_valid_and_lists_exactly_its_csvs(processed):
    report = validate(str(processed / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    descriptor = json.loads((processed / "datapackage.json").read_text(encoding="utf-8"))
    assert sorted(r["path"] for r in descriptor["resources"]) == sorted(p.name for p in processed.glob("*.csv"))
    assert "Smart Factor" in descriptor["sources"][0]["title"] and "12 June 2018" in descriptor["sources"][0]["title"]
    assert "created" not in descriptor and "licenses" not in descriptor and "no licence" in descriptor["description"]
    indicators = next(r for r in descriptor["resources"] if r["path"] == "indicators.csv")["schema"]
    fields = {f["name"]: f for f in indicators["fields"]}
    assert indicators["primaryKey"] == ["code", "city"] and indicators["missingValues"] == [""]
    assert indicators["foreignKeys"] == [{"fields": ["code"], "reference": {"resource": "indicator-metadata", "fields": ["code"]}}]
    assert fields["tier"]["constraints"]["enum"] == ["core", "supporting"]
    assert fields["value"]["type"] == "number" and "required" not in fields["value"].get("constraints", {})
    assert fields["year"]["type"] == "year" and fields["code"]["constraints"]["pattern"] == r"[A-Z]{2}\d{1,2}\.\d{1,2}"
    assert all(f.get("description") for f in indicators["fields"])
    scores = next(r for r in descriptor["resources"] if r["path"] == "maturity_scores.csv")["schema"]
    low = next(f for f in scores["fields"] if f["name"] == "score_low")
    assert low["constraints"] == {"maximum": 5, "minimum": 1, "required": True} and low["unit"] == "maturity level (1–5)"


def _corrupt(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.mark.parametrize(
    "damage, expected",
    [
        # a value outside an enum: tier is core|supporting
        (lambda d: _corrupt(d / "indicators.csv", ",core,Kielce,", ",primary,Kielce,"), "constraint-error"),
        # a non-number in a number field
        (lambda d: _corrupt(d / "indicators.csv", "EC5.1,Economy,core,Kielce,7.7,", "EC5.1,Economy,core,Kielce,7.7x,"), "type-error"),
        # a duplicate primary key (code, city)
        (lambda d: _corrupt(d / "maturity_scores.csv", "\n", "\n" + (d / "maturity_scores.csv").read_text().splitlines()[1] + "\n"), "primary-key"),
        # a broken foreign key: an indicator code the metadata does not have
        (lambda d: _corrupt(d / "indicators.csv", "EC5.1,Economy,core,Kielce,", "EC9.9,Economy,core,Kielce,"), "foreign-key"),
    ],
)
def test_a_corrupted_copy_fails_validation(processed, damage, expected):
    damage(processed)
    report = validate(str(processed / "datapackage.json"))
    assert not report.valid
    assert expected in _errors(report)


def test_a_missing_package_triggers_a_rebuild_and_rebuilds_are_byte_identical(project_copy, monkeypatch):
    from analysis.data.build import build_processed_data, is_fresh

    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(project_copy))
    build_processed_data()
    processed = project_copy / "data" / "processed"
    first = (processed / "datapackage.json").read_bytes()
    assert is_fresh()
    (processed / "datapackage.json").unlink()
    assert not is_fresh()
    build_processed_data()
    assert (processed / "datapackage.json").read_bytes() == first


def test_a_failed_build_leaves_no_package_behind(project_copy, monkeypatch):
    from analysis.data import build as build_data

    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(project_copy))

    def broken():
        raise RuntimeError("the package could not be described")

    monkeypatch.setattr(build_data, "processed_package_bytes", broken)
    with pytest.raises(RuntimeError):
        build_data.build_processed_data()
    processed = project_copy / "data" / "processed"
    assert not processed.exists() or not list(processed.iterdir())  # no table without its package, no temporary file


# --- the published package ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def downloads(processed_template):
    """The real tables of one benchmark and the dispersion report (small variant and resample counts)."""
    from analysis.data import read as datasets
    from analysis.methods.benchmark import run_benchmark
    from analysis.methods.dispersion import run_dispersion

    processed = processed_template / "data" / "processed"
    frame = datasets.read_benchmark_input(processed / "indicators.csv")
    benchmark = run_benchmark(frame, "Kielce", n_variants=32)
    dispersion = run_dispersion(datasets.read_maturity_scores(processed / "maturity_scores.csv"), n_boot=100)
    return benchmark_text.downloads(benchmark), dispersion.downloads()


def _publish_tables(tmp_path, downloads, variant_tables=True):
    from analysis.publish import batch
    from analysis.publish.reporting import write_tables

    benchmark, dispersion = downloads
    paths = config.paths(tmp_path)
    write_tables(paths.report_data, {**benchmark, **dispersion})
    records = [
        {"id": "benchmark-kielce", "report": "benchmark-{city}", "city": "Kielce", "variant": None, "tables": sorted(benchmark)},
        {"id": "score-dispersion", "report": "score-dispersion", "city": None, "variant": None, "tables": sorted(dispersion)},
    ]
    if variant_tables:
        write_tables(paths.report_data / "variants" / "kielce-x", benchmark)
        records.append(
            {"id": "variants/kielce-x", "report": "benchmark-{city}", "city": "Kielce", "variant": "kielce-x", "tables": sorted(benchmark)}
        )
    tables = batch.published_tables(paths, records)
    (paths.report_data / "datapackage.json").write_bytes(batch.published_package_bytes(tables, paths))
    return paths, records


def test_the_published_package_is_valid_and_lists_exactly_the_published_csvs(tmp_path, downloads):
    paths, _ = _publish_tables(tmp_path, downloads)
    package = paths.report_data / "datapackage.json"
    report = validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    present = sorted(p.relative_to(paths.report_data).as_posix() for p in paths.report_data.rglob("*.csv"))
    assert sorted(r["path"] for r in descriptor["resources"]) == present
    assert "variants/kielce-x/benchmark-kielce.csv" in present
    resources = {r["path"]: r for r in descriptor["resources"]}
    robustness = resources["benchmark-kielce-robustness.csv"]["schema"]["fields"]
    assert [f["name"] for f in robustness][-5:] == [f"share_rank_{k}" for k in range(1, 6)]
    assert all(f["type"] != "any" and f.get("description") for r in resources.values() for f in r["schema"]["fields"])
    flags = resources["variants/kielce-x/benchmark-kielce-quality-flags.csv"]["schema"]["foreignKeys"]
    assert flags[0]["reference"]["resource"] == "variants.kielce-x.benchmark-kielce"
    assert resources["benchmark-kielce.csv"]["schema"]["fields"][9]["constraints"]["enum"] == ["note", "warning", "error"]
    # Issue 16: every indicator's verdict and the focal city's values to verify at source, described and validated.
    verdict = {f["name"]: f for f in resources["benchmark-kielce-comparison.csv"]["schema"]["fields"]}["verdict"]
    assert verdict["constraints"]["enum"] == ["better", "worse", "level", "not comparable"]
    to_check = resources["variants/kielce-x/benchmark-kielce-to-check.csv"]["schema"]
    assert to_check["foreignKeys"][0]["reference"]["resource"] == "variants.kielce-x.benchmark-kielce"
    assert [f["name"] for f in to_check["fields"]] == [
        "code",
        "indicator",
        "city",
        "value",
        "raw",
        "rule",
        "severity",
        "message",
        "unit",
        "other",
        "amount",
    ]


def test_a_corrupted_published_csv_fails_validation(tmp_path, downloads):
    paths, _ = _publish_tables(tmp_path, downloads, variant_tables=False)
    text = (paths.report_data / "agreement.csv").read_text(encoding="utf-8")
    (paths.report_data / "agreement.csv").write_text(text.replace("digital,", "digitale,", 1), encoding="utf-8")
    report = validate(str(paths.report_data / "datapackage.json"))
    assert not report.valid and "constraint-error" in _errors(report)


def test_the_published_package_is_byte_identical_and_follows_the_csvs(tmp_path, downloads):
    from analysis.publish import batch

    paths, records = _publish_tables(tmp_path, downloads)
    first = batch.published_package_bytes(batch.published_tables(paths, records), paths)
    assert batch.published_package_bytes(batch.published_tables(paths, records), paths) == first
    shutil.rmtree(paths.report_data / "variants")
    smaller = json.loads(batch.published_package_bytes(batch.published_tables(paths, records[:2]), paths))
    assert not any(r["path"].startswith("variants/") for r in smaller["resources"])


def test_a_published_table_that_drifts_from_its_schema_is_refused_when_written(tmp_path, downloads):
    from analysis.publish.reporting import write_tables

    benchmark, _ = downloads
    table = benchmark["benchmark-kielce-strengths.csv"].assign(kind="maybe")
    with pytest.raises(SchemaValidationError, match="benchmark-kielce-strengths.csv.*kind"):
        write_tables(tmp_path, {"benchmark-kielce-strengths.csv": table})
    extra = benchmark["benchmark-kielce-themes.csv"].assign(colour="red")
    with pytest.raises(SchemaValidationError):
        write_tables(None, {"benchmark-kielce-themes.csv": extra})
    with pytest.raises(SchemaValidationError, match="no schema"):
        write_tables(None, {"notes.csv": pd.DataFrame({"a": [1]})})
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_publishing_writes_the_package_with_the_index_and_a_removed_city_leaves_it(fixture_project):
    cities = fixture_project / "data" / "raw" / "cities"
    cities.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "cities" / "testville.csv", cities / "testville.csv")
    built = run_cli(fixture_project, "reports")
    assert built.returncode == 0, built.stdout + built.stderr
    data = fixture_project / "reports" / "data"
    package = data / "datapackage.json"
    assert validate(str(package)).valid
    paths = sorted(r["path"] for r in json.loads(package.read_text(encoding="utf-8"))["resources"])
    assert paths == sorted(p.name for p in data.glob("*.csv")) and "fixture-testville.csv" in paths
    for lang in ("pl", "en"):
        assert 'href="../data/datapackage.json"' in (fixture_project / "reports" / lang / "index.html").read_text(encoding="utf-8")
    assert "Słownik danych (pakiet danych Frictionless)" in (fixture_project / "reports" / "pl" / "index.html").read_text(encoding="utf-8")
    before = package.read_bytes()
    assert run_cli(fixture_project, "reports").returncode == 0
    assert package.read_bytes() == before
    (cities / "testville.csv").unlink()
    again = run_cli(fixture_project, "reports")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "testville" not in package.read_text(encoding="utf-8")
    assert validate(str(package)).valid


@pytest.mark.slow
def test_the_package_of_a_real_published_report_is_valid(built):
    package = built / "reports" / "data" / "datapackage.json"
    report = validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    names = {r["path"] for r in json.loads(package.read_text(encoding="utf-8"))["resources"]}
    assert "benchmark-testville-robustness.csv" in names


# --- raw data: the cities folder ------------------------------------------------------------------


def test_the_cities_folder_is_documented_and_its_readme_is_not_a_city(project_copy, monkeypatch):
    from analysis.data.build import build_processed_data
    from analysis.data.read import read_indicators

    readme = project_copy / "data" / "raw" / "cities" / "README.md"
    assert readme.exists() and "decimal comma" in readme.read_text(encoding="utf-8")
    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(project_copy))
    # The documented format: a decimal comma (quoted), thousands grouped by spaces, an empty value and unit.
    (readme.parent / "nowa_wieś.csv").write_text(
        'code,value,year,unit\nEC5.1,"5,5",2019,%\nTV17.1,"38 500",2019,per 100 000\nEC5.3,,2019,\n', encoding="utf-8"
    )
    outputs = build_processed_data()
    indicators = read_indicators(outputs["indicators"])
    assert set(indicators["city"]) == {*config.SOURCE_CITIES, "Nowa Wieś"}
    city = indicators[indicators["city"] == "Nowa Wieś"].set_index("code")
    assert city.at["EC5.1", "value"] == 5.5 and city.at["TV17.1", "value"] == 38500 and city.at["EC5.3", "missing"]
    assert validate(str(outputs["datapackage"])).valid
