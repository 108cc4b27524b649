"""The comparison columns of indicator_metadata.csv: material gaps, constructs, event rates (issue 16)."""

from __future__ import annotations

import csv

import pytest

from analysis import config
from analysis.data.cleaning import load_indicator_metadata
from analysis.data.parsing import CellParseError


def _rows():
    with config.paths().indicator_metadata.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(tmp_path, rows):
    path = tmp_path / "indicator_metadata.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _line_of(rows, code):
    return next(i for i, row in enumerate(rows) if row["code"] == code) + 2


def test_every_indicator_has_a_positive_gap_a_kind_and_a_reason():
    metadata = load_indicator_metadata()
    assert len(metadata) == 100
    assert (metadata["material_gap"] > 0).all()
    assert set(metadata["material_gap_kind"]) <= {"absolute", "relative"}
    assert (metadata.loc[metadata["material_gap_kind"] == "relative", "material_gap"] <= 1).all()
    assert (metadata["material_gap_reason"].str.len() >= 10).all()
    # A relative rule says so in its reason, so a reader of the CSV alone is not misled about the unit.
    relative = metadata[metadata["material_gap_kind"] == "relative"]
    assert relative["material_gap_reason"].str.startswith("Relative:").all()


def test_constructs_have_two_or_more_members_and_one_representative():
    metadata = load_indicator_metadata()
    grouped = metadata[metadata["construct"] != ""].groupby("construct")
    assert (grouped.size() >= 2).all()
    assert (grouped["construct_representative"].sum() == 1).all()
    assert metadata.loc[metadata["construct"] == "", "construct_representative"].all()
    enrolment = metadata[metadata["construct"] == "school_enrolment"]
    assert len(enrolment) == 3  # girls, boys, all: the example


def test_event_rates_have_a_denominator_every_city_gives():
    from analysis.data.city_facts import exposures
    from analysis.data.comparison_metadata import EVENT_RATE_UNITS

    metadata = load_indicator_metadata()
    rates = metadata[metadata["rate_of_events"]]
    assert set(rates["unit"]) <= set(EVENT_RATE_UNITS)
    assert metadata["rate_of_events"].sum() >= 5
    # Under-five mortality rests on a handful of child deaths too (an analyst: about 2 a year in Kielce).
    assert rates.set_index("code").at["HL12.4", "unit"] == "per 1 000 live births"
    needed = {EVENT_RATE_UNITS[unit][1] for unit in rates["unit"]}
    for city, known in exposures().items():
        assert needed <= set(known), city


def _edit(code, **cells):
    def apply(rows):
        for row in rows:
            if row["code"] == code:
                row.update(cells)
        return rows

    return apply


def _rename_construct(rows):
    """One member of the three-member enrolment construct gets a typo: its id is now used once."""
    for row in rows:
        if row["code"] == "ED6.1":
            row["construct"] = "school_enrollment"
    return rows


def _two_representatives(rows):
    for row in rows:
        if row["construct"] == "school_enrolment":
            row["construct_representative"] = "true"
    return rows


@pytest.mark.parametrize(
    "change, code, column, words",
    [
        (_edit("EC5.1", material_gap=""), "EC5.1", "material_gap", "needs a material_gap"),
        (_edit("EC5.1", material_gap="-2"), "EC5.1", "material_gap", "must be positive"),
        (_edit("EC5.1", material_gap="0"), "EC5.1", "material_gap", "must be positive"),
        (_edit("EC5.1", material_gap="2,5"), "EC5.1", "material_gap", "must be a number"),
        (_edit("EC5.6", material_gap="1.5"), "EC5.6", "material_gap", "relative material_gap is a fraction"),
        (_edit("EC5.1", material_gap_kind="points"), "EC5.1", "material_gap_kind", "expected one of"),
        (_edit("FN9.4", material_gap_reason=""), "FN9.4", "material_gap_reason", "needs a reason"),
        (_rename_construct, "ED6.1", "construct", "unknown construct"),
        (_two_representatives, "ED6.5", "construct_representative", "exactly one representative"),
        (_edit("EV8.1", construct_reason=""), "EV8.1", "construct_reason", "needs a reason"),
        (_edit("EC5.1", construct_representative="false"), "EC5.1", "construct_representative", "represents itself"),
        (_edit("EC5.1", rate_of_events="yes"), "EC5.1", "rate_of_events", "true or false"),
        (_edit("EC5.1", rate_of_events="true"), "EC5.1", "rate_of_events", "per 100 000"),
        (_edit("EC5.1", comparable_across_cities="no"), "EC5.1", "comparable_across_cities", "true or false"),
        (_edit("EC5.1", comparable_across_cities="false"), "EC5.1", "comparability_reason", "needs a reason"),
    ],
)
def test_bad_comparison_metadata_names_file_line_and_column(tmp_path, change, code, column, words):
    rows = change(_rows())
    path = _write(tmp_path, rows)
    with pytest.raises(CellParseError) as caught:
        load_indicator_metadata(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{_line_of(rows, code)}, column {column!r}"), message
    assert words in message
    assert "\n" not in message


def test_the_untouched_metadata_loads(tmp_path):
    """The writer of the failing cases round-trips the real file (the cases fail for their change only)."""
    path = _write(tmp_path, _rows())
    assert load_indicator_metadata(path).equals(load_indicator_metadata())


def test_city_facts_give_every_printed_city_a_population_with_its_source():
    from analysis.data.city_facts import load_city_facts, populations

    facts = load_city_facts()
    assert set(facts["city"]) == set(config.SOURCE_CITIES)
    assert (facts["population"] > 50_000).all()
    assert (facts["source"].str.len() > 40).all()
    assert facts["approximate"].dtype == bool
    assert populations(facts)["Kielce"] == facts.set_index("city").at["Kielce", "population"]
    # Live births (for a rate per 1 000 live births): about 1 % of the residents, each with how it was estimated.
    births = facts["live_births"].astype(float) / facts["population"]
    assert births.between(0.005, 0.015).all()
    assert (facts["live_births_source"].str.len() > 40).all()


@pytest.mark.parametrize(
    "cells, column",
    [
        ({"population": "198 000"}, "population"),
        ({"population": "0"}, "population"),
        ({"year": "16"}, "year"),
        ({"approximate": "maybe"}, "approximate"),
        ({"source": ""}, "source"),
        ({"live_births": "2 000"}, "live_births"),
        ({"live_births": "-5"}, "live_births"),
        ({"live_births_source": ""}, "live_births_source"),
    ],
)
def test_bad_city_facts_name_file_line_and_column(tmp_path, cells, column):
    from analysis.data.city_facts import city_facts_path, load_city_facts

    with city_facts_path().open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[2].update(cells)
    path = _write(tmp_path, rows)
    with pytest.raises(CellParseError) as caught:
        load_city_facts(path)
    assert str(caught.value).startswith(f"{path}:4, column {column!r}")
