import shutil

import pandas as pd
import pytest

from analysis import config
from analysis.data.cleaning import (
    clean_indicators,
    clean_maturity_scores,
    load_city_file,
    load_indicator_metadata,
    load_source_indicators,
)
from analysis.data.parsing import CellParseError
from analysis.errors import DataError

from .conftest import run_cli


@pytest.fixture(scope="module")
def indicators():
    return clean_indicators(cities_dir=None)


@pytest.fixture(scope="module")
def maturity():
    return clean_maturity_scores()


def cell(indicators, code, city):
    row = indicators[(indicators["code"] == code) & (indicators["city"] == city)]
    assert len(row) == 1
    return row.iloc[0]


def test_all_500_indicator_cells(indicators):
    assert len(indicators) == 500
    assert indicators["code"].nunique() == 100
    assert indicators["theme"].nunique() == 17
    assert (indicators.drop_duplicates("code")["tier"] == "core").sum() == 46
    assert list(indicators["city"].unique()) == list(config.SOURCE_CITIES)


@pytest.mark.parametrize(
    "code, city, value, year, raw",
    [
        ("EC5.1", "Kielce", 7.7, 2016, "7,7% (2016)"),
        ("TV17.1", "Kielce", 42490.79, 2017, "42 490.79 (2017)"),
        ("FR10.5", "Gdynia", 5.0, 2015, "5 min (2015)"),
        ("EC5.3", "Gdynia", 13.6, None, "13,60%"),
        ("SW16.10", "Oakville", 100.0, 2015, "100% (2015)"),
        ("EV8.4", "Kielce", 25.585, 2016, "25,585 (2016)"),
        ("GV11.1", "Porto", 52.6, 2013, "52,60% (2013)"),
        ("WS21.1", "Kielce", 98.07, 2016, "98,07% (2016)"),
        ("ED6.2", "Oakville", 118.53, 2014, "118,53% (2014)"),
    ],
)
def test_known_cells_of_the_report(indicators, code, city, value, year, raw):
    row = cell(indicators, code, city)
    assert row["value"] == pytest.approx(value)
    assert (None if pd.isna(row["year"]) else row["year"]) == year
    assert row["raw"] == raw
    assert not row["missing"]


@pytest.mark.parametrize(
    "code, city, raw",
    [("EC5.2", "Gdynia", "bd"), ("GV11.4", "Porto", "(bd)"), ("HL12.5", "Eindhoven", "bd (bd)"), ("EV8.8", "Kielce", "bd")],
)
def test_missing_cells(indicators, code, city, raw):
    row = cell(indicators, code, city)
    assert row["missing"] and pd.isna(row["value"]) and row["raw"] == raw


def test_units_come_from_the_metadata(indicators):
    assert cell(indicators, "FR10.5", "Kielce")["unit"] == "min"
    assert cell(indicators, "EN7.4", "Kielce")["unit"] == "%"  # printed without %
    assert (indicators["missing"] == indicators["value"].isna()).all()


def test_maturity_scores_expert_and_stakeholders(maturity):
    scores, check = maturity
    expert = scores[scores["rater_type"] == "expert"]
    assert len(expert) == 35
    technology = expert[(expert["area"] == "digital") & (expert["dimension"] == "technology")].iloc[0]
    assert (technology["score_low"], technology["score_high"]) == (1, 2)
    assert (expert["score_low"] < expert["score_high"]).sum() == 4  # 1-2 in digital/technology and three in infrastructure
    stakeholders = scores[scores["rater_type"] == "stakeholder"]
    raters_per_area = stakeholders.groupby("area")["rater"].nunique().to_dict()
    assert raters_per_area == {"digital": 9, "society": 12, "environment": 13, "economy": 7, "safety": 3, "transport": 7, "infrastructure": 10}
    assert len(stakeholders) == 61 * 5
    assert (stakeholders["score_low"] == stakeholders["score_high"]).all()


def test_rater_printed_two_ways_is_one_rater(maturity):
    scores, _ = maturity
    uks = scores[scores["rater"] == "UKS(1)"]
    assert set(uks["area"]) == {"environment", "infrastructure"}
    assert set(uks["rater_label"]) == {"UKS(1)", "UKŚ (1)"}


def test_all_35_printed_averages_reproduced(maturity):
    _, check = maturity
    assert len(check) == 35
    assert check["agrees"].all()
    society_technology = check[(check["area"] == "society") & (check["dimension"] == "technology")].iloc[0]
    assert society_technology["recomputed_mean"] == 2.25
    assert society_technology["printed_mean"] == 2.3  # half-up; round() would say 2.2
    assert check["n"].sum() == 61 * 5


def test_a_wrong_printed_average_stops_the_build_naming_its_line(tmp_path):
    # Issue 10: a printed average that the raters no longer reproduce passed with exit 0.
    path = tmp_path / "stakeholders.tsv"
    text = config.paths().stakeholder_scores.read_text(encoding="utf-8")
    path.write_text(text.replace("ŚREDNIA\t2,1\t2,3\t2,3\t2,4\t2,1", "ŚREDNIA\t2,2\t2,3\t2,3\t2,4\t2,1"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        clean_maturity_scores(stakeholder_path=path)
    message = str(caught.value)
    assert message.startswith(f"{path}:11, row 'digital/ŚREDNIA', column 'strategy': the printed average 2.2 is not reproduced")
    assert "\n" not in message


def corrupt(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unparseable_indicator_cell_names_file_row_and_column(tmp_path):
    path = tmp_path / "iso.tsv"
    shutil.copy(config.paths().iso_table, path)
    corrupt(path, "17,6% (2011)", "17,6 %% (2011)")
    with pytest.raises(CellParseError) as info:
        load_source_indicators(path, load_indicator_metadata())
    message = str(info.value)
    assert str(path) in message and ":2" in message
    assert "'EC5.1'" in message and "'Porto'" in message and "17,6 %% (2011)" in message


def test_unparseable_score_names_rater_and_dimension(tmp_path):
    path = tmp_path / "stakeholders.tsv"
    shutil.copy(config.paths().stakeholder_scores, path)
    corrupt(path, "ZOiUM\t2\t3\t4", "ZOiUM\t2\t3\t4,5")
    with pytest.raises(CellParseError) as info:
        clean_maturity_scores(stakeholder_path=path)
    assert "digital/ZOiUM" in str(info.value) and "'technology'" in str(info.value)


def test_unit_contradicting_the_indicator_is_an_error(tmp_path):
    path = tmp_path / "iso.tsv"
    shutil.copy(config.paths().iso_table, path)
    corrupt(path, "617,34 (2016)", "617,34% (2016)")
    with pytest.raises(CellParseError, match="contradicts"):
        load_source_indicators(path, load_indicator_metadata())


def test_malformed_raw_file_leaves_processed_files_untouched(project_copy):
    first = run_cli(project_copy, "data")
    assert first.returncode == 0, first.stderr
    processed = project_copy / "data" / "processed"
    before = {p.name: p.read_bytes() for p in processed.iterdir()}
    assert set(before) == {
        ".inputs",
        "datapackage.json",
        "indicator_metadata.csv",
        "indicators.csv",
        "maturity_scores.csv",
        "published_means_check.csv",
    }
    corrupt(project_copy / "data" / "raw" / "maturity_stakeholder_scores.tsv", "KPT\t2\t2\t2\t2\t2", "KPT\t2\t2\tdwa\t2\t2")
    second = run_cli(project_copy, "data")
    assert second.returncode != 0
    assert "maturity_stakeholder_scores.tsv" in second.stderr and "'technology'" in second.stderr and "'dwa'" in second.stderr
    assert "Traceback" not in second.stderr
    after = {p.name: p.read_bytes() for p in processed.iterdir()}
    assert after == before  # nothing replaced, no temporary file left behind


def test_processed_files_are_byte_identical_from_run_to_run(project_copy):
    assert run_cli(project_copy, "data").returncode == 0
    processed = project_copy / "data" / "processed"
    first = {p.name: p.read_bytes() for p in processed.iterdir()}
    assert run_cli(project_copy, "data").returncode == 0
    assert {p.name: p.read_bytes() for p in processed.iterdir()} == first


def test_metadata_covers_every_indicator_once():
    metadata = load_indicator_metadata()
    assert len(metadata) == 100
    assert set(metadata["polarity"]) == {"higher", "lower", "neutral"}
    assert metadata.set_index("code").at["TV17.3", "polarity"] == "neutral"  # landlines are not ranked


def test_city_file_is_loaded_with_missing_rows_for_unlisted_codes(tmp_path):
    path = tmp_path / "testville.csv"
    path.write_text('code,value,year,unit\nEC5.1,5.5,2020,%\nTV17.1,"40 000",2021,\n', encoding="utf-8")
    city = load_city_file(path, load_indicator_metadata())
    assert len(city) == 100 and set(city["city"]) == {"Testville"}
    unemployment = city[city["code"] == "EC5.1"].iloc[0]
    assert unemployment["value"] == 5.5 and unemployment["year"] == 2020
    assert city[city["code"] == "TV17.1"].iloc[0]["value"] == 40000
    assert city["missing"].sum() == 98


@pytest.mark.parametrize(
    "body, line, column",
    [
        ("EC5.1,5.5,2020,%\nXX9.9,1,2020,\n", 3, "code"),
        ("EC5.1,5.5,2020,%\nEC5.1,6,2020,%\n", 3, "code"),
        ("EC5.1,five,2020,%\n", 2, "value"),
        ("EC5.1,5.5,20,%\n", 2, "year"),
        ("EC5.1,5.5,2020,min\n", 2, "unit"),
        ("EV.8.4,20,2020,\n", 2, "code"),
    ],
)
def test_bad_city_file_is_rejected_naming_file_and_line(tmp_path, body, line, column):
    path = tmp_path / "testville.csv"
    path.write_text("code,value,year,unit\n" + body, encoding="utf-8")
    with pytest.raises(CellParseError) as info:
        load_city_file(path, load_indicator_metadata())
    assert f"testville.csv:{line}" in str(info.value)
    assert repr(column) in str(info.value)


# --- issue 10: bad data that passed with exit 0, and errors that were not one line ----------------


@pytest.mark.parametrize(
    "body, expected",
    [
        ("EC5.1,-2,2020,%\n", "testville.csv:2, row 'EC5.1', column 'value': cannot parse '-2': a percentage must be between 0 and 100"),
        (
            "EC5.1,5.5,2020,%\nEC5.3,140,2020,%\n",
            "testville.csv:3, row 'EC5.3', column 'value': cannot parse '140': a percentage must be between 0 and 100",
        ),
        ("EC5.1,5.5,2099,%\n", "testville.csv:2, row 'EC5.1', column 'year': cannot parse '2099': the reference year must be between 1990 and"),
        ("EC5.1,5.5,1985,%\n", "testville.csv:2, row 'EC5.1', column 'year': cannot parse '1985': the reference year must be between 1990 and"),
        ("", "testville.csv:1: the file has a header but no indicator rows"),
        ("EC5.1,,2020,%\n", "testville.csv:2, column 'value': every value is empty"),
    ],
)
def test_out_of_range_and_empty_city_files_are_refused(tmp_path, body, expected):
    path = tmp_path / "testville.csv"
    path.write_text("code,value,year,unit\n" + body, encoding="utf-8")
    with pytest.raises((CellParseError, DataError)) as info:
        load_city_file(path, load_indicator_metadata())
    assert str(info.value).startswith(str(tmp_path / expected.split(":")[0]) + ":" + expected.split(":", 1)[1])
    assert "\n" not in str(info.value)


def test_gross_enrolment_and_survival_rates_may_exceed_100_percent(tmp_path):
    # Oakville prints 118.53 % for ED6.2: a gross ratio, not a share, so it is not refused.
    path = tmp_path / "testville.csv"
    path.write_text("code,value,year,unit\nED6.2,104.5,2020,%\nEV8.8,-3,2020,%\n", encoding="utf-8")
    city = load_city_file(path, load_indicator_metadata())
    assert city.set_index("code").loc[["ED6.2", "EV8.8"], "value"].tolist() == [104.5, -3.0]


def test_a_file_in_another_encoding_names_the_file_line_and_expected_encoding(tmp_path):
    path = tmp_path / "lublin.csv"
    path.write_bytes("code,value,year,unit\nEC5.1,5.5,2020,%\n# Łódź\n".encode("iso-8859-2"))
    with pytest.raises(DataError) as info:
        load_city_file(path, load_indicator_metadata())
    assert str(info.value) == (
        f"{path}:3, column 'code': byte 0xa3 at character 3 is not UTF-8: the file must be encoded as UTF-8; "
        "save it as UTF-8 (it looks like another encoding, e.g. Windows-1250 or ISO-8859-2)"
    )


def test_an_unknown_column_in_the_iso_table_is_an_error(tmp_path):
    # Issue 10: a city column added by hand to the printed table was silently dropped.
    path = tmp_path / "iso.tsv"
    lines = config.paths().iso_table.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + "\tLublin"] + [line + "\t1" for line in lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_source_indicators(path)
    assert str(info.value).startswith(f"{path}:1, column 'Lublin': unknown column(s) 'Lublin'; allowed: theme_pl, code_printed")


def test_a_missing_expert_score_is_an_error(tmp_path):
    path = tmp_path / "expert.tsv"
    lines = config.paths().expert_scores.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("safety\t") or "\tdata\t" not in line), encoding="utf-8")
    with pytest.raises(DataError) as info:
        clean_maturity_scores(expert_path=path)
    assert str(info.value) == f"{path}, column 'score': no expert score for safety/data; every area needs one score per dimension"


def test_a_repeated_expert_score_is_an_error(tmp_path):
    path = tmp_path / "expert.tsv"
    lines = config.paths().expert_scores.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]), encoding="utf-8")
    with pytest.raises(DataError) as info:
        clean_maturity_scores(expert_path=path)
    assert str(info.value) == (
        f"{path}:{len(lines) + 1}, row 'digital/expert', column 'dimension': a second expert score for digital/strategy (the first is on line 2)"
    )


def test_schema_failures_are_one_line_with_the_file_and_its_1_based_line():
    # Issue 10: pandera printed a table with a 0-based index, and blamed the stakeholder file for expert rows.
    from analysis.data.schemas import MATURITY_SCORES_SCHEMA, validate
    from analysis.errors import SchemaValidationError

    scores = clean_maturity_scores()[0]
    broken = scores.copy()
    broken.loc[3, "score_high"] = 7  # an expert row (the expert's come first in each area)
    sources = pd.Series(["expert.tsv"] * 5 + ["stakeholders.tsv"] * (len(broken) - 5))
    lines = pd.Series(range(10, 10 + len(broken)))
    with pytest.raises(SchemaValidationError) as info:
        validate(MATURITY_SCORES_SCHEMA, broken, sources, lines=lines)
    assert str(info.value) == "expert.tsv:13, column 'score_high': 7 fails in_range(1, 5) [table maturity_scores]"
    processed = scores.copy()
    processed.loc[40, "dimension"] = "courage"
    with pytest.raises(SchemaValidationError) as info:
        validate(MATURITY_SCORES_SCHEMA, processed, "maturity_scores.csv")
    assert str(info.value).startswith("maturity_scores.csv:42, column 'dimension': 'courage' fails isin(")


def test_polarity_confidence_lives_in_the_metadata_and_is_checked(tmp_path):
    """Every indicator says how clear its polarity is; inputs (beds, staff, officers, firefighters) alike."""
    from analysis.data.cleaning import load_indicator_metadata

    metadata = load_indicator_metadata(config.paths().indicator_metadata).set_index("code")
    assert set(metadata["polarity_confidence"]) == {"clear", "contested"}
    inputs = metadata[metadata["indicator"].str.contains(r"hospital beds|physicians|nursing|police officers|firefighters", case=False)]
    assert len(inputs) >= 4
    assert set(inputs["polarity"]) == {"neutral"} and set(inputs["polarity_confidence"]) == {"contested"}
    assert (metadata["confidence_reason"].str.len() >= 10).all()

    broken = tmp_path / "indicator_metadata.csv"
    text = (
        config.paths()
        .indicator_metadata.read_text(encoding="utf-8")
        .replace(",lower,Fewer unemployed residents is better.,clear,", ",lower,Fewer unemployed residents is better.,certain,", 1)
    )
    assert "certain" in text
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(Exception) as error:
        load_indicator_metadata(broken)
    message = str(error.value)
    assert "indicator_metadata.csv:2" in message and "polarity_confidence" in message and "\n" not in message


def test_the_metadata_is_parsed_once_per_content_and_read_again_when_it_changes(tmp_path):
    """A build read indicator_metadata.csv three times (a third of a refused data step's time); it is now parsed
    once per content. The cache must never hand out a stale or shared frame."""
    from analysis.data.cleaning import load_indicator_metadata

    path = tmp_path / "indicator_metadata.csv"
    shutil.copy(config.paths().indicator_metadata, path)
    first = load_indicator_metadata(path)
    first.loc[0, "indicator"] = "changed by a caller"
    again = load_indicator_metadata(path)
    assert again.loc[0, "indicator"] != "changed by a caller"  # a copy, not the cached frame
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(again.loc[0, "indicator"], "A new name", 1), encoding="utf-8")
    assert load_indicator_metadata(path).loc[0, "indicator"] == "A new name"
    path.write_text(text.replace(",", ";", 1), encoding="utf-8")  # now broken: refused, not served from the cache
    with pytest.raises(DataError):
        load_indicator_metadata(path)
