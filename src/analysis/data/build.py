"""``make data``: clean every raw table and write the processed tables.

All tables are parsed and validated before the first file is written, and each
file is replaced atomically, so a bad raw cell leaves ``data/processed/`` as it was.

This module owns the data step's change detection: the processed tables record
a hash of the raw folder's listing and contents and of the library
(``data/processed/.inputs``); when nothing changed, nothing is read and pandas is
not even imported. Deleting or adding a city file changes the hash, so the
Makefile needs no file lists (and no grouped target that make could delete on
Ctrl-C).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis import config
from analysis.data.storage import atomic_write_bytes

STAMP_NAME = ".inputs"
TABLES = ("indicator_metadata", "indicators", "maturity_scores", "published_means_check")
PACKAGE_NAME = "datapackage.json"


def inputs_key(paths: config.Paths | None = None) -> str:
    """Hash of every raw file (names and bytes) and of the library that cleans them."""
    paths = paths or config.paths()
    digest = hashlib.sha256()
    library = Path(__file__).resolve().parents[1]  # the whole analysis package
    files = sorted(p for p in paths.raw.rglob("*") if p.is_file())
    files += sorted(p for p in library.rglob("*.py"))
    for path in files:
        digest.update(str(path.relative_to(path.parents[len(path.parents) - 1])).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_fresh(paths: config.Paths | None = None, key: str | None = None) -> bool:
    paths = paths or config.paths()
    stamp = paths.processed / STAMP_NAME
    outputs = [paths.processed / f"{name}.csv" for name in TABLES] + [paths.processed / PACKAGE_NAME]
    if not all(path.exists() for path in outputs):
        return False
    try:
        return stamp.read_text(encoding="utf-8").strip() == (key or inputs_key(paths))
    except OSError:
        return False


def build_processed_data(out_dir: Path | None = None) -> dict[str, Path]:
    """Clean all raw tables; return the written paths by table name (``datapackage`` for the package).

    Every file is staged first and then renamed into place together (signals held
    back), so a failure leaves ``data/processed/`` as it was: never new tables with
    an old ``datapackage.json``, nor a half-written file.
    """
    from analysis.data.cleaning import load_indicator_metadata, load_indicators, load_maturity_scores
    from analysis.data.storage import commit_staged, discard_staged, frame_to_csv_bytes, stage_bytes

    paths = config.paths()
    out_dir = Path(out_dir) if out_dir is not None else paths.processed
    key = inputs_key(paths)
    metadata = load_indicator_metadata()
    indicators = load_indicators()
    from analysis.data.knowledge import load_relations, load_review

    load_relations()  # a malformed relations file stops the build (file, line, column)
    load_review()
    from analysis.data.city_facts import load_city_facts

    load_city_facts()  # populations for the small-count rule (methods.comparison): checked like every raw file
    scores, means_check = load_maturity_scores()
    frames = {"indicator_metadata": metadata, "indicators": indicators, "maturity_scores": scores, "published_means_check": means_check}
    outputs = {name: out_dir / f"{name}.csv" for name in TABLES}
    contents = {name: frame_to_csv_bytes(frames[name]) for name in TABLES}
    outputs["datapackage"] = out_dir / PACKAGE_NAME
    contents["datapackage"] = processed_package_bytes()
    staged = []
    try:
        for name, path in outputs.items():
            staged.append((stage_bytes(path, contents[name]), path))
        commit_staged(staged)
        staged = []
    finally:
        discard_staged(staged)
    # Written last: an interrupted run leaves the old stamp, so the next run redoes it.
    atomic_write_bytes(out_dir / STAMP_NAME, key.encode())
    return outputs


def processed_package_bytes() -> bytes:
    """``data/processed/datapackage.json``: the four tidy tables, described from their pandera schemas."""
    from analysis.data import datapackage
    from analysis.data.schemas import INDICATOR_METADATA_SCHEMA, INDICATORS_SCHEMA, MATURITY_SCORES_SCHEMA, PUBLISHED_MEANS_SCHEMA

    schemas = {
        "indicator_metadata": INDICATOR_METADATA_SCHEMA,
        "indicators": INDICATORS_SCHEMA,
        "maturity_scores": MATURITY_SCORES_SCHEMA,
        "published_means_check": PUBLISHED_MEANS_SCHEMA,
    }
    siblings = {name: name.replace("_", "-") for name in TABLES}
    tables = [datapackage.Table(path=f"{name}.csv", name=siblings[name], schema=schemas[name], siblings=siblings) for name in TABLES]
    descriptor = datapackage.package(
        "kielce-smart-city-tidy-data",
        "Kielce smart-city diagnosis (2018): tidy tables",
        "The tables of the 2018 smart-city diagnosis of Kielce, cleaned into tidy, validated CSV by "
        "`make data` (Kielce Smart City Benchmarks): the ISO 37120 indicator values of Kielce and its comparison "
        "cities with this project's indicator metadata, and the smart-city maturity scores of the expert and the "
        "city's stakeholders with a check of the printed averages. Values are transcribed from the source; names, "
        "units, polarities and the tidy layout are this project's. Cities added as data/raw/cities/<city>.csv "
        "are the evaluator's data, not the source's.",
        tables,
    )
    return datapackage.to_bytes(descriptor)


def ensure_processed_data(out=None) -> bool:
    """Rebuild the processed tables if their inputs changed; True when they were rebuilt."""
    import sys

    out = out or sys.stdout
    paths = config.paths()
    if is_fresh(paths):
        return False
    for _, path in build_processed_data().items():
        print(f"wrote {path}", file=out, flush=True)
    return True
