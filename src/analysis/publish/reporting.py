"""Helpers the notebooks use to show tables and figures and hand their CSVs to the publisher.

Tables: :func:`show_table` renders a frame for a reader in the page's language:
headers as given (the caller translates them), numbers through Babel with
decimals chosen per column, booleans as yes/no words, text left-aligned, and
every table in a box that scrolls sideways on a narrow screen.

Figures: :func:`show_figure` embeds a figure as SVG (sharp at any width, so labels
stay legible on a phone) with the alt text the caller gives, so no image reaches
the page without a description.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import pandas as pd

from analysis.data.storage import atomic_write_bytes, frame_to_csv_bytes
from analysis.text.i18n import Lang, auto_decimals

# Column formats a caller may ask for (see show_table); the number is the decimals.
FORMATS = (
    "text",
    "code",
    "int",
    "num0",
    "num1",
    "num2",
    "num3",
    "pct0",
    "pct1",
    "pct2",
    "share0",
    "share1",
    "scale",
    "signed1",
    "signed2",
    "yesno",
    "year",
    "auto",
    "signed_auto",
)


def format_value(value, kind: str, tr: Lang) -> str:
    """One cell as text for a reader: ``kind`` is one of :data:`FORMATS`."""
    if kind in ("text", "code"):
        return "–" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    if kind == "yesno":
        return tr.yes_no(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if kind == "year":
        return str(int(value))
    if kind == "int":
        return tr.int(value)
    if kind in ("auto", "signed_auto"):
        return tr.auto(value, signed=kind == "signed_auto")
    if kind.startswith("num"):
        return tr.num(value, int(kind[3:]))
    if kind.startswith("pct"):
        return tr.pct(value, int(kind[3:]))
    if kind == "scale":
        # A share of the variants beside the scale's words: never rounded up to a cut it does not reach.
        from analysis.text.benchmark import scale_share

        return scale_share(value, tr)
    if kind.startswith("share"):
        return tr.share(value, int(kind[5:]))
    if kind.startswith("signed"):
        return tr.num(value, int(kind[6:]), signed=True)
    raise ValueError(f"unknown column format {kind!r}; allowed: {', '.join(FORMATS)}")


def _default_format(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "yesno"
    if pd.api.types.is_integer_dtype(series):
        return "year" if "year" in str(series.name).lower() or "rok" in str(series.name).lower() else "int"
    if pd.api.types.is_numeric_dtype(series):
        return "num2"
    non_null = series.dropna()
    if len(non_null) and non_null.map(lambda v: isinstance(v, bool)).all():
        return "yesno"
    # Indicator codes ("HL12.1"): one short word, kept on one line and given no text column's minimum width (a code
    # column as wide as a text one pushed the Polish area tables past the page's width at 1280 px).
    if len(non_null) and non_null.map(lambda v: isinstance(v, str) and _CODE.fullmatch(v) is not None).all():
        return "code"
    return "text"


_CODE = re.compile(r"[A-Z]{2}\d{1,2}\.\d{1,2}")


def _align(kind: str) -> str:
    """The cell's class: ``text`` (left, wraps), ``code`` (left, one line) or ``number`` (right)."""
    return "text" if kind in ("text", "yesno") else "code" if kind == "code" else "number"


def table_html(
    frame: pd.DataFrame,
    tr: Lang,
    *,
    caption: str | None = None,
    formats: dict | None = None,
    row_classes: list[str] | None = None,
    escape: bool = True,
    precision: int = 2,
    note: str | None = None,
) -> str:
    """The HTML of a reader's table (see :func:`show_table`). A table without rows is its caption and "none" (a
    header row over an empty body read as a table that failed to load)."""
    if frame.empty:
        title = f"<strong>{html.escape(caption)}</strong>: " if caption else ""
        note_html = f'<p class="table-note">{html.escape(note)}</p>' if note else ""
        return f'<div class="table-block"><p class="table-empty">{title}{html.escape(tr("none"))}.</p>{note_html}</div>'
    formats = dict(formats or {})
    default = {"num2": f"num{precision}"}
    kinds = {}
    for column in frame.columns:
        kind = formats.get(column) or _default_format(frame[column])
        kinds[column] = default.get(kind, kind) if column not in formats else kind
    unknown = [kind for kind in kinds.values() if kind not in FORMATS]
    if unknown:
        raise ValueError(f"unknown column format(s) {unknown}; allowed: {', '.join(FORMATS)}")
    cell = html.escape if escape else (lambda text: text)
    sortable = len(frame) > SORTABLE_FROM_ROWS
    head = "".join(_header_cell(str(c), _align(kinds[c]), sortable) for c in frame.columns)
    # Each cell names its column, so that on a phone a row reads as a card of "column: value" lines.
    labels = {column: html.escape(str(column), quote=True) for column in frame.columns}
    rows = []
    auto_columns = [position for position, column in enumerate(frame.columns) if kinds[column] in ("auto", "signed_auto")]
    for position, record in enumerate(frame.itertuples(index=False, name=None)):
        cells = []
        # "auto" columns of one row (a value, its peer median, their gap) share the decimals that
        # fit the row's largest number, so 4.2 and 38.0 are read side by side, not 4.22 and 38.0.
        sizes = [abs(float(record[i])) for i in auto_columns if record[i] is not None and not pd.isna(record[i])]
        row_decimals = auto_decimals(max(sizes)) if sizes else 0
        for column, value in zip(frame.columns, record):
            kind = kinds[column]
            align = _align(kind)
            if kind in ("auto", "signed_auto") and value is not None and not pd.isna(value):
                text = tr.num(value, row_decimals, signed=kind == "signed_auto")
            else:
                text = format_value(value, kind, tr)
            cells.append(f'<td class="{align}" data-label="{labels[column]}"{_sort_key(value, kind) if sortable else ""}>{cell(text)}</td>')
        css = f' class="{html.escape(row_classes[position])}"' if row_classes and row_classes[position] else ""
        rows.append(f"<tr{css}>{''.join(cells)}</tr>")
    caption_html = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    label = html.escape(caption or tr("Table"))
    # A long table can be sorted by any column and filtered (the page's own script: tables.js in the
    # offline template); without the script it is an ordinary table.
    tools = (
        f'<p class="table-tools" hidden><label>{html.escape(tr("Show only rows containing"))} '
        f'<input type="search" class="table-filter" aria-label="{html.escape(tr("Filter the rows of: {table}", table=caption or tr("Table")))}"></label>'
        f' <span class="table-count" aria-live="polite"></span></p>'
        if sortable
        else ""
    )
    data = " data-sortable" if sortable else ""
    # A note (what a mark means, what a column leaves out) reads after the table, in small type:
    # the caption above is the table's title.
    note_html = f'<p class="table-note">{html.escape(note)}</p>' if note else ""
    return (
        f'<div class="table-block">{tools}<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
        f'<table class="report-table"{data}>{caption_html}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>{note_html}</div>'
    )


# Tables with more rows than this can be sorted and filtered by the reader.
SORTABLE_FROM_ROWS = 20


def _header_cell(name: str, align: str, sortable: bool) -> str:
    text = html.escape(name)
    if not sortable:
        return f'<th scope="col" class="{align}">{text}</th>'
    return f'<th scope="col" class="{align}" aria-sort="none"><button type="button" class="sort-button">{text}</button></th>'


def _sort_key(value, kind: str) -> str:
    """A number's sort key (its value, whatever the page's decimal sign); text sorts by what it shows."""
    if kind in ("text", "code", "yesno") or value is None or isinstance(value, str | bool):
        return ""
    try:
        if pd.isna(value):
            return ""
        return f' data-sort="{float(value)!r}"'
    except (TypeError, ValueError):
        return ""


def show_table(
    frame: pd.DataFrame,
    tr: Lang | None = None,
    *,
    caption: str | None = None,
    formats: dict | None = None,
    row_classes: list[str] | None = None,
    precision: int = 2,
    note: str | None = None,
):
    """Display ``frame`` as a reader's table (``caption``: its title; ``note``: a line under it).

    ``frame`` carries the headers the reader sees (translate them before);
    ``formats`` maps a header to one of :data:`FORMATS` (default: booleans
    yes/no, integers without decimals, other numbers two decimals, text
    left-aligned). Missing values show as '–'. Cell text is HTML-escaped.
    """
    from IPython.display import HTML, display

    tr = tr or Lang("en")
    display(HTML(table_html(frame, tr, caption=caption, formats=formats, row_classes=row_classes, precision=precision, note=note)))


def figure_svg(figure) -> bytes:
    """The figure as SVG (text kept as text: smaller, selectable, drawn in the reader's sans-serif font)."""
    import io

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    # Tight bounding box: no empty margin, so a phone's 390 px go to the figure's content. It costs a
    # second layout of every text, so a figure that places everything inside its canvas says so
    # (``figure.fits_canvas = True``, see plots.plot_theme_dots) and is saved as it is.
    # A figure that measured its own box when it was laid out (``saved_bbox``, see plots._fit_to_canvas) is saved
    # with that box, without the measuring draw "tight" costs.
    box = getattr(figure, "saved_bbox", None)
    tight = box is None and not getattr(figure, "fits_canvas", False)
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "kielce"}):
        figure.savefig(
            buffer,
            format="svg",
            facecolor="white",
            metadata={"Date": None, "Creator": None},
            **({"bbox_inches": "tight", "pad_inches": 0.05} if tight else {"bbox_inches": box} if box is not None else {}),
        )
    plt.close(figure)
    return buffer.getvalue()


_SVG_SIZE = re.compile(rb'<svg[^>]*?\swidth="([0-9.]+)pt"[^>]*?\sheight="([0-9.]+)pt"', re.S)


def figure_html(figure, alt: str, caption: str | None = None, *, printed: bool = True) -> str:
    """An ``<img>`` with the figure as embedded SVG and ``alt`` as its description.

    ``printed=False`` leaves the figure out of a printed page (``class="screen-only"``): for a figure whose
    numbers a table beside it already gives (an official's print of a city page was 46 pages, ten of them half
    empty because a theme's chart did not fit under its table).

    The image carries its natural size in CSS pixels: a wide screen scales it to the column, and a
    phone shows it at that size in a box that scrolls sideways, so that its text is as large as
    drawn (matplotlib's 8 pt are 10.7 px) instead of shrunk to 5-7 px.
    """
    if not alt or not alt.strip():
        raise ValueError("every figure needs alt text: its title and one sentence on what it shows")
    svg = figure_svg(figure)
    size = _SVG_SIZE.search(svg[:2000])
    dimensions = f' width="{round(float(size.group(1)) * 4 / 3)}" height="{round(float(size.group(2)) * 4 / 3)}"' if size else ""
    data = base64.b64encode(svg).decode("ascii")
    img = f'<img class="report-figure" src="data:image/svg+xml;base64,{data}"{dimensions} alt="{html.escape(alt, quote=True)}">'
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    # Focusable, so that a keyboard can scroll it where it scrolls (a phone).
    box = f'<div class="figure-scroll" role="region" tabindex="0" aria-label="{html.escape(alt, quote=True)}">'
    classes = "report-figure" if printed else "report-figure screen-only"
    return f'<figure class="{classes}">{box}{img}</div>{figcaption}</figure>'


def show_figure(figure, alt: str | None = None, caption: str | None = None, *, printed: bool = True) -> None:
    """Display ``figure`` once, as SVG with alt text, and free it.

    ``alt`` is required in published reports (the browser tests check every
    image has one); without it the figure's own title is used.
    """
    from IPython.display import HTML, display

    if not alt:
        titles = [ax.get_title(loc) for ax in figure.axes for loc in ("left", "center") if ax.get_title(loc)]
        alt = (figure._suptitle.get_text() if figure._suptitle else "") or " ".join(titles) or "figure"
    display(HTML(figure_html(figure, alt, caption, printed=printed)))


def write_tables(output_dir: str | Path | None, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """Validate each table against its published schema, then write it as CSV into ``output_dir``.

    Every table is validated (:mod:`analysis.data.published_schemas`) before the first
    file is written, even when ``output_dir`` is None, so a table that drifts
    from the schema its ``datapackage.json`` describes fails here, naming the
    file and column. Nothing is written when ``output_dir`` is None.
    """
    from analysis.data.published_schemas import validate_published

    for name, frame in tables.items():
        validate_published(name, frame)
    if output_dir is None:
        return []
    written = []
    for name, frame in tables.items():
        path = Path(output_dir) / name
        atomic_write_bytes(path, frame_to_csv_bytes(frame))
        written.append(path)
    return written
