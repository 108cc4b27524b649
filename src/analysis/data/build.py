"""``make data``: clean every raw table and write the processed tables.

All tables are parsed and validated before the first file is written, and each
file is replaced atomically, so a bad raw cell leaves ``data/processed/`` as it was.

This module owns the data step's change detection, and it trusts content, not
presence. ``data/processed/.inputs`` (JSON, written last) records a hash of the raw
folder's listing and contents and of the library, and the SHA-256 of every file
the step wrote. The step is skipped only when the inputs hash matches *and* every
processed file still has the bytes it was written with; a truncated, edited or
half-replaced table is rebuilt, saying which file. Readers check the same hashes
before use (:func:`verify_processed`), so a reader never mixes tables of two
builds: a run killed during its renames leaves new tables under the old record,
which the reader refuses and the next build redoes. When nothing changed, pandas
is not even imported. Deleting or adding a city file changes the hash, so the
Makefile needs no file lists (and no grouped target that make could delete on
Ctrl-C).

One data step at a time (``build/.data.lock``); each removes the temporary
files a killed one left.
"""

from __future__ import annotations

import hashlib
import json
import stat
import sys
from pathlib import Path

from analysis import config
from analysis.data.storage import atomic_write_bytes, file_kind, process_lock, read_regular_bytes, remove_temporaries, sha256_file
from analysis.errors import DataError, OutputError

STAMP_NAME = ".inputs"
LOCK_NAME = ".data.lock"  # in build/: data/processed holds the outputs only (a failed step leaves it as it was)
TABLES = ("indicator_metadata", "indicators", "maturity_scores", "published_means_check")
PACKAGE_NAME = "datapackage.json"


def inputs_key(paths: config.Paths | None = None) -> str:
    """Hash of every raw file (names and bytes) and of the library that cleans them."""
    paths = paths or config.paths()
    digest = hashlib.sha256()
    library = Path(__file__).resolve().parents[1]  # the whole analysis package
    # Names relative to their folder, so that a copy of the project (or a moved checkout) is still up to date.
    # Every entry of data/raw counts, not only regular files: a directory or a named pipe where a
    # city file belongs must make the next `make data` run (and refuse it), never "up to date".
    # Only regular files are read; anything else is hashed by its name and kind.
    files = [("raw", paths.raw, p) for p in sorted(paths.raw.rglob("*"))]
    files += [("library", library, p) for p in sorted(library.rglob("*.py"))]
    for top, folder, path in files:
        digest.update(f"{top}/{path.relative_to(folder).as_posix()}".encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        mode = path.lstat().st_mode
        if stat.S_ISREG(mode):
            digest.update(path.read_bytes())
        elif not stat.S_ISDIR(mode):
            digest.update(f"<not a regular file: {stat.S_IFMT(mode):o}>".encode())
    return digest.hexdigest()


def output_names() -> list[str]:
    return [f"{name}.csv" for name in TABLES] + [PACKAGE_NAME]


def read_stamp(directory: Path) -> dict | None:
    """``.inputs`` as ``{"inputs": key, "files": {name: sha256}}``, or None (absent, unreadable, or the old plain-key form)."""
    try:
        # Never a plain read: a named pipe in its place would wait forever for a writer.
        stamp = json.loads(read_regular_bytes(Path(directory) / STAMP_NAME).decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or not isinstance(stamp.get("inputs"), str) or not isinstance(stamp.get("files"), dict):
        return None
    return stamp


def damaged_outputs(directory: Path, stamp: dict | None = None) -> list[Path]:
    """The processed files that are missing or no longer hold the bytes recorded when they were written."""
    directory = Path(directory)
    stamp = stamp if stamp is not None else read_stamp(directory)
    recorded = (stamp or {}).get("files", {})
    damaged = []
    for name in output_names():
        path = directory / name
        try:
            if recorded.get(name) != sha256_file(path):
                damaged.append(path)
        except OSError:
            damaged.append(path)
    return damaged


def is_fresh(paths: config.Paths | None = None, key: str | None = None) -> bool:
    """True when the processed files were written from the current inputs and are intact."""
    paths = paths or config.paths()
    stamp = read_stamp(paths.processed)
    if stamp is None or damaged_outputs(paths.processed, stamp):
        return False
    return stamp["inputs"] == (key or inputs_key(paths))


def verify_processed(path: Path) -> None:
    """Refuse (one line naming the file) a processed table whose bytes are not those the data step recorded.

    Checked by every reader before use. A file outside a processed folder (no ``.inputs``
    next to it, or not one of the step's outputs) is not checked.
    """
    path = Path(path)
    stamp_path = path.parent / STAMP_NAME
    if path.name not in output_names() or not stamp_path.exists():
        return
    stamp = read_stamp(path.parent)
    recorded = (stamp or {}).get("files", {}).get(path.name)
    try:
        actual = sha256_file(path)
    except OSError as exc:
        raise DataError(f"cannot read it ({exc.strerror or exc}); run `make data`", file=path) from exc
    if recorded != actual:
        raise DataError("damaged or out of step with the other processed tables (not the bytes `make data` recorded); run `make data`", file=path)


def build_processed_data(out_dir: Path | None = None) -> dict[str, Path]:
    """Clean all raw tables; return the written paths by table name (``datapackage`` for the package).

    Every file is staged first and then renamed into place together (signals held
    back), so a failure leaves ``data/processed/`` as it was: never new tables with
    an old ``datapackage.json``, nor a half-written file. The record of their hashes
    (``.inputs``) is written last: readers refuse a set of tables it does not match.
    """
    paths = config.paths()
    out_dir = Path(out_dir) if out_dir is not None else paths.processed
    check_output_folder(out_dir)
    with process_lock(paths.build / LOCK_NAME, "another data step", out=sys.stderr):
        remove_temporaries(out_dir)
        return _build(paths, out_dir)


def check_output_folder(out_dir: Path) -> None:
    """Refuse, in one line, a ``data/processed`` that exists but is not a folder (a file, a named pipe)."""
    try:
        mode = Path(out_dir).stat().st_mode
    except FileNotFoundError:
        return  # created when the tables are written
    except OSError as exc:
        raise OutputError(f"cannot use {out_dir}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(mode):
        raise OutputError(
            f"{out_dir} is {file_kind(mode)}, not a folder; the processed tables are written into a folder there: move it away and run `make data` again"
        )


def _build(paths: config.Paths, out_dir: Path) -> dict[str, Path]:
    from analysis.data.cleaning import clean_indicators, clean_maturity_scores, load_indicator_metadata
    from analysis.data.storage import commit_staged, discard_staged, frame_to_csv_bytes, stage_bytes

    key = inputs_key(paths)
    metadata = load_indicator_metadata()
    # The small curated files first, the indicator values (the slowest step) last: a mistake in a small
    # file is reported without waiting for the values to be parsed.
    from analysis.data.knowledge import load_relations, load_review

    load_relations()  # a malformed relations file stops the build (file, line, column)
    load_review()
    from analysis.data.city_facts import load_city_facts
    from analysis.data.cleaning import load_city_names_pl, load_country_names_pl, load_indicator_names_pl, load_reference_ranges

    load_city_facts()  # populations for the small-count rule (methods.comparison): checked like every raw file
    load_city_names_pl()  # the Polish case forms of city names (the pages' text): checked like every raw file
    load_country_names_pl()  # official Polish country names where CLDR's differ, anchored to CLDR's
    from analysis.data.labels import printed_indicator_names_pl

    load_indicator_names_pl(None, printed_indicator_names_pl())  # corrected Polish display names, anchored to the printed ones
    from analysis.data.cleaning import load_indicator_short_names

    load_indicator_short_names(codes=metadata["code"])  # the first screen's short names, each with its reason
    load_reference_ranges(metadata=metadata)  # plausible ranges of single indicators (the screening)
    scores, means_check = clean_maturity_scores()
    indicators = clean_indicators()
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
    # Written last: an interrupted run leaves the old record, which the new files do not match,
    # so readers refuse them and the next run redoes the step.
    hashes = {path.name: hashlib.sha256(contents[name]).hexdigest() for name, path in outputs.items()}
    atomic_write_bytes(out_dir / STAMP_NAME, json.dumps({"inputs": key, "files": hashes}, indent=2, sort_keys=True).encode())
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
    """Rebuild the processed tables if their inputs changed or a file is damaged; True when they were rebuilt."""
    out = out or sys.stdout
    paths = config.paths()
    if is_fresh(paths):
        return False
    check_output_folder(paths.processed)
    with process_lock(paths.build / LOCK_NAME, "another data step", out=out):
        remove_temporaries(paths.processed)
        key = inputs_key(paths)
        stamp = read_stamp(paths.processed)
        if stamp is not None and stamp["inputs"] == key:
            damaged = damaged_outputs(paths.processed, stamp)
            if not damaged:
                return False  # another data step finished it while we waited
            for path in damaged:
                print(
                    f"{_relative(path, paths)} is damaged or missing (not the bytes recorded when it was written); rebuilding", file=out, flush=True
                )
        for path in _build(paths, paths.processed).values():
            print(f"wrote {path}", file=out, flush=True)
    return True


def _relative(path: Path, paths: config.Paths) -> str:
    try:
        return str(Path(path).relative_to(paths.root))
    except ValueError:
        return str(path)


def raw_city_slugs(paths: config.Paths | None = None) -> set[str]:
    """The slugs of every city in ``data/raw/``: the printed table's five and one per ``cities/*.csv``.

    What decides whether a city's report may be removed: a city leaves the data only when its
    raw file does, never because a processed table is damaged or unreadable. Read without
    parsing anything (a file name that is no city's name counts under its own stem, so it is
    kept rather than removed).
    """
    from analysis.data.cities import city_name_from_path, city_slug

    paths = paths or config.paths()
    slugs = {city_slug(city) for city in config.SOURCE_CITIES}
    if paths.cities.is_dir():
        for path in paths.cities.glob("*.csv"):
            try:
                slugs.add(city_slug(city_name_from_path(path)))
            except ValueError:
                slugs.add(path.stem.lower())
    return slugs
