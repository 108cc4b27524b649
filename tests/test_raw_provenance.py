"""Every cell of data/raw occurs in the source document, in its own row.

The source is the text of the 2018 diagnosis in ../shared/seeds. The only changes
the raw tables make to a printed cell are dropping bold/underline tags and the
line breaks inside a cell; this test applies the same two changes to the source
and compares cell by cell.
"""

import csv
import re

from analysis import config

from .conftest import PROJECT_ROOT

MARKUP = re.compile(r"</?(?:b|u)>")


def clean(cell: str) -> str:
    return " ".join(MARKUP.sub("", cell).split())


def read_tsv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def iso_rows(lines):
    """Printed rows of the ISO table by printed code, continuation lines joined."""
    rows, theme = {}, ""
    start = next(i for i, line in enumerate(lines) if line.startswith("EC5.1\t"))
    end = next(i for i, line in enumerate(lines) if line.startswith("### 3 "))
    for i in range(start, end):
        line = lines[i]
        if line.startswith("<b>") and not line.startswith("<b>Kielce") and "\t" in line and not line.split("\t")[1].strip():
            theme = clean(line)
            continue
        if re.match(r"^[A-Z]{2}\.?\d", line):
            cells = line.split("\t")
            j = i + 1
            # A name broken over lines continues on later lines that start with a tab.
            while j < end and (not lines[j].strip() or (lines[j].startswith("\t") and not lines[j].startswith("\t\t"))):
                if lines[j].strip():
                    cells[1] += " " + lines[j].split("\t")[1]
                j += 1
            rows[cells[0]] = (theme, [clean(c) for c in cells])
    return rows


def test_iso_table_cells_occur_in_their_printed_row(source_text):
    printed = iso_rows(source_text.split("\n"))
    raw = read_tsv(config.paths().iso_table)
    assert len(raw) == 100
    assert len(printed) == 100
    for row in raw:
        theme, cells = printed[row["code_printed"]]
        where = row["code_printed"]
        assert row["theme_pl"] == theme, where
        assert row["indicator_pl"] == cells[1], where
        assert f"({row['tier_pl']})" in cells[1], where
        for city, printed_cell in zip(config.SOURCE_CITIES, cells[2:7]):
            assert row[city] == printed_cell, (where, city)


def section(source_text, number):
    """Lines of one numbered section (e.g. 4.1.3), up to the next heading."""
    lines = source_text.split("\n")
    start = next(i for i, line in enumerate(lines) if re.match(rf"^#+ {re.escape(number)}\s", line))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return lines[start:end]


def test_expert_scores_occur_in_their_section_and_row(source_text):
    raw = read_tsv(config.paths().expert_scores)
    assert len(raw) == 35
    for row in raw:
        lines = [line.split("\t") for line in section(source_text, row["section"])]
        matches = [cells for cells in lines if len(cells) > 2 and clean(cells[0]) == row["dimension_pl"]]
        assert len(matches) == 1, row
        assert clean(matches[0][1]) == row["score"], row


def test_stakeholder_rows_occur_in_their_section(source_text):
    raw = read_tsv(config.paths().stakeholder_scores)
    areas = {row["area"]: row["section"] for row in read_tsv(config.paths().maturity_areas)}
    for row in raw:
        assert row["section"] == areas[row["area"]] + ".3"
        lines = [[clean(c) for c in line.split("\t")] for line in section(source_text, row["section"])]
        expected = [row["rater_label"], *(row[d] for d in config.DIMENSIONS)]
        assert expected in [cells[:6] for cells in lines], row
    printed_rows = sum(
        1
        for area_section in areas.values()
        for line in section(source_text, area_section + ".3")
        if re.fullmatch(r"(?:<[bu]>)?[^\t]+(?:</[bu]>)?(\t(?:<b>)?\d(?:,\d)?(?:</b>)?){5}\t*", line)
    )
    assert printed_rows == len(raw)  # nothing printed was left out


def test_maturity_model_labels_occur_in_the_source(source_text):
    for row in read_tsv(config.paths().maturity_levels):
        assert f"Poziom {row['level']}: {row['name_pl']}" in source_text
    header = next(line for line in source_text.split("\n") if line.startswith("\tStrategia Smart City\t"))
    for row in read_tsv(config.paths().maturity_dimensions):
        assert f"**{row['name_pl']}**" in source_text
        assert row["score_table_label_pl"] in header.split("\t")
    for row in read_tsv(config.paths().maturity_areas):
        assert re.search(rf"^#+ {re.escape(row['section'])}\s+{re.escape(row['name_pl'])}$", source_text, re.M), row


def test_a_display_name_corrects_an_ambiguous_printed_heading_and_the_print_stays_raw():
    """Issue 18: the source's heading 'Schroniska' (ISO 'Shelter') reads as animal shelters; the pages say
    'Mieszkalnictwo' (data/raw/theme_labels.csv, with its reason), the raw table keeps the printed heading."""
    import analysis

    printed = (PROJECT_ROOT / "data" / "raw" / "iso37120_comparison.tsv").read_text(encoding="utf-8")
    assert "SCHRONISKA" in printed.upper()
    assert analysis.theme_names("pl")["Shelter"] == "Mieszkalnictwo"
