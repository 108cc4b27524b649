"""Curated domain knowledge the screening reads from ``data/raw/``, validated line by line.

* ``indicator_relations.csv`` — relations between indicators (parts of one whole, a part and
  its total, a finer and a coarser measure, a quantity that must be zero when another is zero),
  one row per relation with a reason;
* ``indicator_metadata.csv`` (columns ``polarity_confidence`` … ``label_note_pl``) — per indicator
  the confidence in its polarity and a note where the printed label differs from the ISO definition;
* ``city_countries.csv`` — the country of each city;
* ``unit_ranges.csv`` — the range of values each unit allows (a count is never negative, a share
  at most 100 %), refused at ``make data`` outside it;
* ``theme_labels.csv`` — the Polish name of a theme the source prints without a heading.

Each is read through a schema (:mod:`analysis.data.schemas`) when the data are built; the
readers of the last three live in :mod:`analysis.data.cleaning` (the build needs them there).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.data.parsing import CellParseError

RELATIONS = ("parts_of_whole", "part_le_total", "finer_le_coarser", "zero_implies_zero", "distinct_quantities", "ratio_range")


def load_relations(path: Path | str | None = None, known_codes=None) -> pd.DataFrame:
    """The declared relations between indicators, validated.

    Columns ``relation`` (one of :data:`RELATIONS`), ``code``, ``other`` (the second
    indicator; empty for ``parts_of_whole``), ``group`` (the whole, for
    ``parts_of_whole``), ``reason``, ``line``. An unknown relation or code, a relation
    of an indicator with itself, a missing reason or a cycle of relations raises
    :class:`~analysis.data.parsing.CellParseError` naming the file, line and column.
    """
    from analysis.data.cleaning import load_indicator_metadata, read_raw_table

    path = Path(path) if path is not None else config.paths().relations_csv
    table = read_raw_table(path, sep=",", required=("relation", "code", "other", "group", "reason"), allowed=("low", "high"))
    for column in ("low", "high"):
        if column not in table:
            table[column] = ""
    known = set(load_indicator_metadata()["code"]) if known_codes is None else set(known_codes)

    def fail(reason, text, line, column):
        raise CellParseError(reason, text, file=path, line=line, column=column)

    for row in table.itertuples():
        if row.relation not in RELATIONS:
            fail(f"unknown relation; allowed: {', '.join(RELATIONS)}", row.relation, row.line, "relation")
        if row.code not in known:
            fail("unknown indicator code", row.code, row.line, "code")
        if row.relation == "parts_of_whole":
            if not row.group.strip():
                fail("parts_of_whole needs the name of the whole in 'group'", row.group, row.line, "group")
        else:
            if row.other not in known:
                fail("unknown indicator code", row.other, row.line, "other")
            if row.other == row.code:
                fail("an indicator cannot be related to itself", row.other, row.line, "other")
        # The bounds of a ratio (``ratio_range``: code over other), and only there.
        if row.relation == "ratio_range":
            for column in ("low", "high"):
                try:
                    float(getattr(row, column))
                except ValueError:
                    fail(f"ratio_range needs a number in '{column}'", getattr(row, column), row.line, column)
            if float(row.low) > float(row.high):
                fail(f"low {row.low} is above high {row.high}", row.high, row.line, "high")
        else:
            for column in ("low", "high"):
                if str(getattr(row, column)).strip():
                    fail(f"only a ratio_range has bounds; leave '{column}' empty", getattr(row, column), row.line, column)
        if len(row.reason.strip()) < 10:
            fail("every relation needs a reason", row.reason, row.line, "reason")
    # A cycle (a <= b <= a) makes the relations contradict each other.
    edges = table[~table["relation"].isin(["parts_of_whole", "distinct_quantities", "ratio_range"])]
    graph: dict[str, list[tuple[str, int]]] = {}
    for row in edges.itertuples():
        graph.setdefault(row.code, []).append((row.other, row.line))
    state: dict[str, int] = {}

    def visit(node):
        state[node] = 1
        for nxt, line in graph.get(node, []):
            if state.get(nxt) == 1:
                fail(f"relations form a cycle through {nxt}", nxt, line, "other")
            if nxt not in state:
                visit(nxt)
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return table


def load_review(path: Path | str | None = None) -> pd.DataFrame:
    """Per indicator: ``polarity_confidence`` (clear|contested), its reason, the other reading's direction
    (``alternative_polarity``: a contested one has one other than its polarity, a clear one none) and label notes."""
    from analysis.data.cleaning import read_raw_table

    path = Path(path) if path is not None else config.paths().indicator_metadata
    columns = ("code", "polarity", "polarity_confidence", "confidence_reason", "alternative_polarity", "label_note", "label_note_pl")
    table = read_raw_table(path, sep=",", required=columns)
    table = table[[*columns, "line"]]
    bad = table[~table["polarity_confidence"].isin(["clear", "contested"])]
    if not bad.empty:
        row = bad.iloc[0]
        raise CellParseError("expected clear or contested", row["polarity_confidence"], file=path, line=row["line"], column="polarity_confidence")
    contested = table["polarity_confidence"] == "contested"
    alternative = table["alternative_polarity"].fillna("")
    wrong = table[(contested & (~alternative.isin(config.POLARITIES) | (alternative == table["polarity"]))) | (~contested & (alternative != ""))]
    if not wrong.empty:
        row = wrong.iloc[0]
        expected = (
            f"one of {', '.join(config.POLARITIES)}, other than the polarity"
            if row["polarity_confidence"] == "contested"
            else "empty (the polarity is clear)"
        )
        raise CellParseError(f"expected {expected}", row["alternative_polarity"], file=path, line=row["line"], column="alternative_polarity")
    return table.drop(columns=["line", "polarity"])


def load_countries(path: Path | str | None = None) -> dict[str, str]:
    """City → country code (cities without a row have no country and skip the country rule).

    Validated as ``make data`` validates it (:func:`analysis.data.cleaning.load_city_countries`).
    """
    from analysis.data.cleaning import load_city_countries

    return load_city_countries(path)


def load_unit_ranges(path: Path | str | None = None, units=None) -> pd.DataFrame:
    """The values each unit allows (:func:`analysis.data.cleaning.load_unit_ranges`)."""
    from analysis.data.cleaning import load_unit_ranges as load

    return load(path, units)


def load_reference_ranges(path: Path | str | None = None) -> pd.DataFrame:
    """Plausible ranges of single indicators (:func:`analysis.data.cleaning.load_reference_ranges`)."""
    from analysis.data.cleaning import load_reference_ranges as load

    return load(path)


# The last screening context read, keyed by the paths and the SHA-256 of the bytes of the files it comes from.
_CONTEXT_CACHE: dict[tuple, dict] = {}


def screening_context() -> dict:
    """The curated inputs of :func:`screen_values`, read from ``data/raw/``.

    Parsing and validating them costs more than the screening itself (indicator_metadata.csv is checked twice,
    by the relations and by the reference ranges). The result is kept for the exact contents of the five files
    it is read from, so a process that benchmarks several cities (a build worker's kernel, every city in turn)
    reads and checks them once; a changed file is read and checked again, and a missing or unreadable one goes
    to the readers, whose errors name it. Every call returns its own copies.
    """
    from analysis.data.city_facts import city_facts_path, exposures, load_city_facts

    paths = config.paths()
    files = (paths.indicator_metadata, paths.relations_csv, paths.raw / "city_countries.csv", paths.raw / "reference_ranges.csv", city_facts_path())
    try:
        key = tuple((str(Path(file).resolve()), hashlib.sha256(Path(file).read_bytes()).digest()) for file in files)
    except OSError:
        key = None
    context = _CONTEXT_CACHE.get(key) if key is not None else None
    if context is None:
        from analysis.data.cleaning import load_indicator_metadata

        metadata = load_indicator_metadata()
        context = {
            "relations": load_relations(),
            "review": load_review(),
            "countries": load_countries(),
            "ranges": load_reference_ranges(),
            # Rates of rare events and the populations behind them: a disagreement within chance is not a flag.
            "event_rates": set(metadata.loc[metadata["rate_of_events"].astype(bool), "code"]),
            "populations": exposures(load_city_facts()),
        }
        if key is not None:
            _CONTEXT_CACHE.clear()
            _CONTEXT_CACHE[key] = context
    return {name: value.copy() for name, value in context.items()}
