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

from . import config
from .storage import atomic_write_bytes

STAMP_NAME = ".inputs"
TABLES = ("indicators", "maturity_scores", "published_means_check")


def inputs_key(paths: config.Paths | None = None) -> str:
    """Hash of every raw file (names and bytes) and of the library that cleans them."""
    paths = paths or config.paths()
    digest = hashlib.sha256()
    library = Path(__file__).resolve().parent
    files = sorted(p for p in paths.raw.rglob("*") if p.is_file())
    files += sorted(p for p in library.glob("*.py"))
    for path in files:
        digest.update(str(path.relative_to(path.parents[len(path.parents) - 1])).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_fresh(paths: config.Paths | None = None, key: str | None = None) -> bool:
    paths = paths or config.paths()
    stamp = paths.processed / STAMP_NAME
    if not all((paths.processed / f"{name}.csv").exists() for name in TABLES):
        return False
    try:
        return stamp.read_text(encoding="utf-8").strip() == (key or inputs_key(paths))
    except OSError:
        return False


def build_processed_data(out_dir: Path | None = None) -> dict[str, Path]:
    """Clean all raw tables; return the written paths by table name."""
    from .cleaning import load_indicators, load_maturity_scores
    from .storage import atomic_write_csv

    paths = config.paths()
    out_dir = Path(out_dir) if out_dir is not None else paths.processed
    key = inputs_key(paths)
    indicators = load_indicators()
    from .screening import load_relations, load_review

    load_relations()  # a malformed relations file stops the build (file, line, column)
    load_review()
    scores, means_check = load_maturity_scores()
    outputs = {
        "indicators": (out_dir / "indicators.csv", indicators),
        "maturity_scores": (out_dir / "maturity_scores.csv", scores),
        "published_means_check": (out_dir / "published_means_check.csv", means_check),
    }
    for path, frame in outputs.values():
        atomic_write_csv(path, frame)
    # Written last: an interrupted run leaves the old stamp, so the next run redoes it.
    atomic_write_bytes(out_dir / STAMP_NAME, key.encode())
    return {name: path for name, (path, _) in outputs.items()}


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
