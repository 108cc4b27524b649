from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.data.parsing import (
    CellParseError,
    canonical_code,
    parse_cell,
    parse_published_mean,
    parse_score,
    rater_id,
    round_half_up,
)


@pytest.mark.parametrize(
    "text, value, unit, year",
    [
        ("7,7% (2016)", 7.7, "%", 2016),
        ("42 490.79 (2017)", 42490.79, None, 2017),
        ("9 339.21 (2017)", 9339.21, None, 2017),
        ("144 200 (2017)", 144200.0, None, 2017),
        ("23 708,15 (2011)", 23708.15, None, 2011),
        ("5 min (2015)", 5.0, "min", 2015),
        ("12,45 min (2014)", 12.45, "min", 2014),
        ("13,60%", 13.6, "%", None),
        ("15606", 15606.0, None, None),
        ("0,0007 (2016)", 0.0007, None, 2016),
        ("100,00% (2015)", 100.0, "%", 2015),
        ("0 (2016)", 0.0, None, 2016),
        ("10,9 (2013)", 10.9, None, 2013),
    ],
)
def test_parse_cell_reads_printed_numbers(text, value, unit, year):
    parsed = parse_cell(text)
    assert parsed.value == pytest.approx(value)
    assert (parsed.unit, parsed.year, parsed.missing) == (unit, year, False)


@pytest.mark.parametrize("text", ["bd", "(bd)", "bd (bd)", " bd "])
def test_parse_cell_reads_every_spelling_of_no_data(text):
    parsed = parse_cell(text)
    assert parsed.missing and parsed.value is None and parsed.year is None


@pytest.mark.parametrize(
    "text",
    ["", "n/a", "7,7%% (2016)", "42 49.79", "1 2345", "7,7 (16)", "7,7 (2016", "bd (2016)", "12,5 kg", "(2016)", "1,2,3", "7.7.7", "5 min (1800)"],
)
def test_parse_cell_rejects_malformed_cells(text):
    with pytest.raises(CellParseError) as info:
        parse_cell(text)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize(
    "printed, canonical",
    [
        ("EV.8.4", "EV8.4"),
        ("HL.12.1", "HL12.1"),
        ("WW.20.1", "WW20.1"),
        ("SW16.0 1", "SW16.1"),
        ("SW16.1 0", "SW16.10"),
        ("GV11.01", "GV11.1"),
        ("WS21.1", "WS21.1"),
        ("EC5.1", "EC5.1"),
    ],
)
def test_canonical_code(printed, canonical):
    assert canonical_code(printed) == canonical


@pytest.mark.parametrize("printed", ["EV8", "E8.4", "EV8.0", "ev8.4", "EV 8.4", ""])
def test_canonical_code_rejects_non_codes(printed):
    with pytest.raises(CellParseError):
        canonical_code(printed)


def test_one_unit_printed_two_ways_is_one_rater():
    assert rater_id("UKS(1)") == rater_id("UKŚ (1)") == "UKS(1)"
    assert rater_id("<u>RPZiUK</u>") == "RPZiUK"
    assert rater_id("Centrum Monitoringu") == "Centrum Monitoringu"
    assert rater_id("MZD(1)") != rater_id("MZD(2)")


def test_expert_range_keeps_both_ends():
    assert parse_score("1-2") == (1, 2)
    assert parse_score("1–2") == (1, 2)
    assert parse_score("3") == (3, 3)


@pytest.mark.parametrize("text", ["0", "6", "2-1", "1-1", "1,5", "", "x"])
def test_parse_score_rejects_out_of_scale(text):
    with pytest.raises(CellParseError):
        parse_score(text)


def test_round_half_up_rounds_like_the_report():
    assert round(2.25, 1) == 2.2  # why we do not use round()
    assert round_half_up(Fraction(9, 4)) == Decimal("2.3")
    assert round_half_up(Fraction(27, 12)) == Decimal("2.3")
    assert round_half_up(Fraction(32, 13)) == Decimal("2.5")
    assert round_half_up(Fraction(4, 3)) == Decimal("1.3")
    assert parse_published_mean("2,1") == Decimal("2.1")


# --- property-based -------------------------------------------------------------------


def _group_thousands(integer: int) -> str:
    return f"{integer:,}".replace(",", " ")


@st.composite
def printed_numbers(draw):
    integer = draw(st.integers(min_value=0, max_value=10**9))
    decimals = draw(st.one_of(st.none(), st.text("0123456789", min_size=1, max_size=4)))
    grouped = draw(st.booleans())
    separator = draw(st.sampled_from([",", "."]))
    unit = draw(st.sampled_from(["", "%", " min", "min"]))
    year = draw(st.one_of(st.none(), st.integers(min_value=1900, max_value=2100)))
    integer_text = _group_thousands(integer) if grouped else str(integer)
    text = integer_text + (separator + decimals if decimals else "") + unit + (f" ({year})" if year else "")
    expected = float(f"{integer}.{decimals}" if decimals else integer)
    return text, expected, unit.strip() or None, year


@given(printed_numbers())
def test_any_well_formed_printed_number_round_trips(case):
    text, expected, unit, year = case
    parsed = parse_cell(text)
    assert parsed.value == expected
    assert parsed.unit == unit
    assert parsed.year == year
    assert not parsed.missing


@given(st.text(max_size=30))
def test_any_cell_either_parses_or_raises_the_named_error(text):
    try:
        parsed = parse_cell(text)
    except CellParseError as exc:
        assert exc.text == text
    else:
        assert parsed.missing or parsed.value is not None


@given(st.text(alphabet="0123456789 ,.%()bdmin-", max_size=20))
def test_cells_built_from_number_characters_never_raise_anything_else(text):
    try:
        parse_cell(text)
    except CellParseError:
        pass


@given(st.text(max_size=12))
def test_scores_parse_or_raise_the_named_error(text):
    try:
        low, high = parse_score(text)
    except CellParseError:
        return
    assert 1 <= low <= high <= 5


@settings(deadline=None)  # the first call imports pandas
@given(st.lists(st.one_of(printed_numbers().map(lambda case: case[0]), st.text(alphabet="0123456789 ,.%()bdmin-", max_size=14)), max_size=25))
def test_vectorised_parser_agrees_with_the_scalar_one(texts):
    import pandas as pd

    from analysis.data.parsing import parse_cells

    table = parse_cells(pd.Series(texts, dtype=object))
    for text, row in zip(texts, table.itertuples()):
        try:
            expected = parse_cell(text)
        except CellParseError:
            assert not row.ok, text
            continue
        assert row.ok and row.missing == expected.missing, text
        if not expected.missing:
            assert row.value == expected.value and row.unit == expected.unit
            assert (None if pd.isna(row.year) else row.year) == expected.year
