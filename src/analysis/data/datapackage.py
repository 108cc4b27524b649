"""Frictionless Data Packages (``datapackage.json``) generated from the pandera schemas.

The pandera schemas (:mod:`analysis.data.schemas`, :mod:`analysis.data.published_schemas`)
are the one source of truth: each column carries its description, title and
unit (``Column(description=..., title=..., metadata={"unit": ...})``), each
table its title and description, and the checks the data step already enforces
become Table Schema constraints:

========================================  =====================================
pandera                                   Table Schema
========================================  =====================================
``Check.isin(values)``                    ``constraints.enum``
``Check.in_range(lo, hi)``, ``ge``, ``le``  ``constraints.minimum`` / ``maximum``
``Check.str_matches(regex)``              ``constraints.pattern`` (anchors dropped:
                                          Table Schema patterns are anchored)
``Check.str_length(min, max)``            ``constraints.minLength`` / ``maxLength``
``Column(unique=True)``                   ``constraints.unique``
not nullable (and, for text, not empty)   ``constraints.required``
``DataFrameSchema(unique=[...])``         ``primaryKey``
``metadata={"foreign_keys": [...]}``      ``foreignKeys``
========================================  =====================================

Table-wide checks Table Schema cannot express (``score_low <= score_high``) are
named in the resource's description instead.

The CSVs are written by :func:`analysis.data.storage.frame_to_csv_bytes`: a missing
value (NaN, ``<NA>``, ``None``) is an empty cell, so every schema declares
``missingValues: [""]``; booleans are ``True``/``False``.

This module imports nothing heavy (no pandera, no frictionless): it reads the
schema objects it is given. Its output depends only on its inputs, so a rebuild
with unchanged inputs writes the same bytes (there is no ``created`` date).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

MISSING = ""  # what frame_to_csv_bytes writes for a missing value

SOURCE_TITLE = (
    "Kompleksowa diagnoza miasta Kielce pod kątem transformacji w miasto inteligentne "
    "(Kielce smart-city diagnosis), Smart Factor sp. z o.o. for the City of Kielce, "
    "version 2.0, 12 June 2018"
)

LICENCE_NOTE = (
    "Licence: the source document states no licence for its tables, so none is declared here. The values are "
    "transcribed from it for analysis; their reuse is subject to the rights of their authors (Smart Factor sp. z o.o. "
    "and the City of Kielce). The project's code that derives these tables is MIT-licensed (pyproject.toml); that "
    "licence covers the code, not the source's values."
)


@dataclass
class Table:
    """One CSV of a package: its file (relative to the package), resource name and pandera schema.

    ``schema`` may be None for a CSV the library has no schema for; its fields are then
    listed from ``header`` with type ``any``. ``header`` (the CSV's column names) orders the
    fields and expands regex columns (``share_rank_\\d+``); without it the schema's order is used.
    ``siblings`` maps a table kind (``"benchmark"``) to the resource name of that kind
    in the same report, so foreign keys point at the right resource.
    """

    path: str
    name: str
    schema: object | None = None
    header: list[str] | None = None
    title: str | None = None
    description: str | None = None
    siblings: dict[str, str] = field(default_factory=dict)


def _frictionless_type(column) -> str:
    explicit = (column.metadata or {}).get("type")
    if explicit:
        return explicit
    dtype = str(column.dtype).lower()
    if "bool" in dtype:
        return "boolean"
    if "int" in dtype:
        return "integer"
    if "float" in dtype:
        return "number"
    return "string"


def _plain(value):
    """A JSON-ready scalar (numpy scalars become Python ones)."""
    return value.item() if hasattr(value, "item") else value


def _pattern(regex: str) -> str:
    """A pandera regex as a Table Schema pattern (implicitly anchored at both ends)."""
    if regex.startswith("^"):
        regex = regex[1:]
    if regex.endswith("$") and not regex.endswith("\\$"):
        regex = regex[:-1]
    return regex


def constraints(column, ftype: str) -> dict:
    """Table Schema constraints of one pandera column (see the module's table)."""
    out: dict = {}
    excludes_empty = ftype != "string"
    for check in column.checks:
        stats = check.statistics or {}
        if check.name == "isin":
            values = [_plain(v) for v in stats["allowed_values"]]
            excludes_empty = excludes_empty or MISSING not in values
            out["enum"] = [v for v in values if v != MISSING]
        elif check.name == "in_range":
            out["minimum"], out["maximum"] = _plain(stats["min_value"]), _plain(stats["max_value"])
        elif check.name == "greater_than_or_equal_to":
            out["minimum"] = _plain(stats["min_value"])
        elif check.name == "less_than_or_equal_to":
            out["maximum"] = _plain(stats["max_value"])
        elif check.name == "str_matches":
            out["pattern"] = _pattern(stats["pattern"])
            excludes_empty = excludes_empty or re.match(stats["pattern"], "") is None
        elif check.name == "str_length":
            if stats.get("min_value"):
                out["minLength"] = _plain(stats["min_value"])
                excludes_empty = True
            if stats.get("max_value") is not None:
                out["maxLength"] = _plain(stats["max_value"])
    if column.unique:
        out["unique"] = True
    # An empty cell is a missing value, so only a column that can never be empty is required.
    if not column.nullable and excludes_empty:
        out["required"] = True
    return dict(sorted(out.items()))


def field_descriptor(name: str, column) -> dict:
    ftype = _frictionless_type(column)
    out = {"name": name, "type": ftype}
    if column.title:
        out["title"] = column.title
    if column.description:
        out["description"] = column.description
    unit = (column.metadata or {}).get("unit")
    if unit:
        out["unit"] = unit
    if ftype == "boolean":
        out["trueValues"], out["falseValues"] = ["True"], ["False"]
    found = constraints(column, ftype)
    if found:
        out["constraints"] = found
    return out


def _column_for(schema, name: str):
    column = schema.columns.get(name)
    if column is not None:
        return column
    for candidate in schema.columns.values():
        if candidate.regex and re.fullmatch(candidate.name, name):
            return candidate
    return None


def _primary_key(schema) -> list[str]:
    if schema.unique:
        return list(schema.unique) if not isinstance(schema.unique, str) else [schema.unique]
    unique = [name for name, column in schema.columns.items() if column.unique and not column.regex]
    return unique[:1]


def table_schema(table: Table) -> dict:
    """The Table Schema of one CSV."""
    schema = table.schema
    header = table.header
    if schema is None:
        fields = [{"name": name, "type": "any"} for name in header or []]
        return {"fields": fields, "missingValues": [MISSING]}
    names = header if header is not None else [name for name, column in schema.columns.items() if not column.regex]
    fields = []
    for name in names:
        column = _column_for(schema, name)
        fields.append(field_descriptor(name, column) if column is not None else {"name": name, "type": "any"})
    out = {"fields": fields, "missingValues": [MISSING]}
    key = _primary_key(schema)
    if key:
        out["primaryKey"] = key
    foreign = []
    for fk in (schema.metadata or {}).get("foreign_keys", []):
        target = table.siblings.get(fk["resource"])
        if target is None:
            continue  # the referenced table is not in this package
        foreign.append({"fields": list(fk["fields"]), "reference": {"resource": target, "fields": list(fk.get("reference_fields", fk["fields"]))}})
    if foreign:
        out["foreignKeys"] = foreign
    return out


def _further_checks(schema) -> list[str]:
    return [check.error for check in (schema.checks or []) if getattr(check, "error", None)]


def resource(table: Table) -> dict:
    schema = table.schema
    title = table.title or (schema.title if schema is not None else None) or table.name
    description = table.description or (schema.description if schema is not None else None)
    if schema is None and description is None:
        description = "No schema is declared for this table in the library; its fields are listed from its header."
    further = _further_checks(schema) if schema is not None else []
    if further:
        description = (description + " " if description else "") + "Also checked when written: " + "; ".join(further) + "."
    out = {
        "name": table.name,
        "path": table.path,
        "profile": "tabular-data-resource",
        "title": title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
    }
    if description:
        out["description"] = description
    out["schema"] = table_schema(table)
    return out


def package(name: str, title: str, description: str, tables: list[Table]) -> dict:
    """The ``datapackage.json`` descriptor (a dict) for ``tables``."""
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": description + "\n\n" + LICENCE_NOTE,
        "sources": [{"title": SOURCE_TITLE}],
        "resources": [resource(table) for table in tables],
    }


def to_bytes(descriptor: dict) -> bytes:
    """The descriptor as the bytes of ``datapackage.json`` (stable: same input, same bytes)."""
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def csv_header(path) -> list[str]:
    """The column names of a CSV file (its first line)."""
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle), [])
