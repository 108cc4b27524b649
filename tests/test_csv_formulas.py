"""Spreadsheet formulas (CSV injection): text cells that begin with =, +, -, @, tab or CR are
neutralised with a leading single quote in every CSV the project writes (policy: data/raw/README.md);
numbers, negative numbers and "-" stay as they are, and the project reads its own CSVs back unchanged."""

import pandas as pd
import pytest

from analysis.data.storage import frame_to_csv_bytes, neutralise_cell, restore_cell

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tcmd", "=cmd|' /C calc'!A0", "'=quoted"]
HARMLESS = ["Kielce", "-", "—", "-5", "-5,2", "+48", "-1 234,5", "1e-5", "bd", "EC5.1", ""]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_is_neutralised_and_restored(value):
    neutral = neutralise_cell(value)
    assert neutral == "'" + value
    assert restore_cell(neutral) == value


@pytest.mark.parametrize("value", HARMLESS)
def test_numbers_dashes_and_text_pass_unchanged(value):
    assert neutralise_cell(value) == value and restore_cell(value) == value


def test_csv_bytes_quote_text_formulas_and_keep_numeric_columns_numeric():
    frame = pd.DataFrame({"label": ["=1+1", "-", "-5,2", "@x"], "value": [-3.5, -0.0, 2.0, -10.0], "n": [-1, 2, 3, -4]})
    text = frame_to_csv_bytes(frame).decode("utf-8").splitlines()
    assert text == ["label,value,n", "'=1+1,-3.5,-1", "-,-0.0,2", '"-5,2",2.0,3', "'@x,-10.0,-4"]
    assert frame.loc[0, "label"] == "=1+1"  # the caller's frame is not modified


def test_the_processed_tables_neutralise_hostile_labels_and_read_them_back(processed_template, tmp_path, monkeypatch):
    # Fault sweep 4: a rater label and indicator metadata beginning with "=" reached data/processed/*.csv unchanged.
    import shutil

    from analysis.data.build import build_processed_data
    from analysis.data.read import read_maturity_scores

    root = tmp_path / "project"
    shutil.copytree(processed_template / "data" / "raw", root / "data" / "raw")
    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(root))
    scores = root / "data" / "raw" / "maturity_stakeholder_scores.tsv"
    scores.write_text(scores.read_text(encoding="utf-8").replace("\tKPT\t", "\t=HYPERLINK(1)\t", 1), encoding="utf-8")
    metadata = root / "data" / "raw" / "indicator_metadata.csv"
    text = metadata.read_text(encoding="utf-8")
    metadata.write_text(text.replace("Fewer unemployed residents is better.", "@SUM(1+1) is what a spreadsheet would run", 1), encoding="utf-8")
    build_processed_data()
    processed = root / "data" / "processed"
    for path in processed.glob("*.csv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            for cell in line.split(","):
                assert not cell.startswith(("=", "@")), f"{path.name}: {line}"
    assert "'=HYPERLINK(1)" in (processed / "maturity_scores.csv").read_text(encoding="utf-8")
    assert "'@SUM(1+1) is what" in (processed / "indicator_metadata.csv").read_text(encoding="utf-8")
    assert "=HYPERLINK(1)" in set(read_maturity_scores()["rater_label"])  # read back as written in data/raw


def test_published_tables_are_written_with_the_same_neutralising_serialiser():
    # The notebooks publish their CSVs through reporting.write_tables, which serialises with storage.frame_to_csv_bytes.
    from analysis.data import storage
    from analysis.publish import reporting

    assert reporting.frame_to_csv_bytes is storage.frame_to_csv_bytes
    assert reporting.frame_to_csv_bytes(pd.DataFrame({"city": ["=cmd"], "value": [-1.5]})) == b"city,value\n'=cmd,-1.5\n"
