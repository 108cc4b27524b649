"""Small helpers the notebooks use to show tables and hand their CSVs to the publisher."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .storage import atomic_write_bytes, frame_to_csv_bytes


def show_table(frame: pd.DataFrame, precision: int = 2, caption: str | None = None):
    """A frame as a readable HTML table: no index, fixed decimals, '–' for no data."""
    styler = frame.style.hide(axis="index").format(precision=precision, na_rep="–", thousands=" ")
    # Years and counts are whole numbers and never take a thousands separator.
    whole = [
        c for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        and ("year" in str(c).lower() or pd.api.types.is_integer_dtype(frame[c]))
    ]
    if whole:
        styler = styler.format(lambda v: "–" if pd.isna(v) else f"{v:.0f}", subset=whole)
    if caption:
        styler = styler.set_caption(caption)
    return styler.set_table_styles([{"selector": "td, th", "props": "padding: 2px 8px; font-size: 0.85em;"}])


def show_figure(figure, dpi: int = 90) -> None:
    """Display a figure once, as an embedded PNG, and free it.

    The PNG is rendered here in one pass (the inline backend would draw it twice
    to compute a tight bounding box; the plot functions lay themselves out).
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    plt.close(figure)
    display(Image(data=buffer.getvalue(), format="png"))


def write_tables(output_dir: str | Path | None, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """Write each table as CSV into ``output_dir`` (nothing when it is None)."""
    if output_dir is None:
        return []
    written = []
    for name, frame in tables.items():
        path = Path(output_dir) / name
        atomic_write_bytes(path, frame_to_csv_bytes(frame))
        written.append(path)
    return written
