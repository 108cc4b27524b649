"""``make data``: clean every raw table and write the processed tables.

All tables are parsed and validated before the first file is written, and each
file is replaced atomically, so a bad raw cell leaves ``data/processed/`` as it was.
"""

from __future__ import annotations

from pathlib import Path

from . import config
from .cleaning import load_indicators, load_maturity_scores
from .storage import atomic_write_csv


def build_processed_data(out_dir: Path | None = None) -> dict[str, Path]:
    """Clean all raw tables; return the written paths by table name."""
    out_dir = Path(out_dir) if out_dir is not None else config.PROCESSED_DIR
    indicators = load_indicators()
    from .screening import load_relations, load_review

    load_relations()  # a malformed relations file stops the build (file, line, column)
    load_review()
    scores, means_check = load_maturity_scores()
    outputs = {
        "indicators": (out_dir / config.INDICATORS_CSV.name, indicators),
        "maturity_scores": (out_dir / config.MATURITY_SCORES_CSV.name, scores),
        "published_means_check": (out_dir / config.PUBLISHED_MEANS_CSV.name, means_check),
    }
    for path, frame in outputs.values():
        atomic_write_csv(path, frame)
    return {name: path for name, (path, _) in outputs.items()}
