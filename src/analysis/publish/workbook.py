"""A report's tables as one Excel workbook per edition (``reports/<lang>/<report>.xlsx``), for people.

The CSVs in ``reports/data/`` stay the machine-readable contract (English column names, a point as
decimal sign). A workbook is what an official opens in Excel: one sheet per table, headers and
theme names in the page's language, numbers stored as numbers (Excel shows them with the reader's
decimal comma), text stored as text (a cell beginning with ``=`` is never a formula), the header
row frozen and filterable. The bytes are the same on every build of the same tables.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from analysis.data.storage import restore_formulas
from analysis.text.columns import VALUE_LABELS, column_label, sheet_name, value_label
from analysis.text.common import indicator_name, theme_name, unit_label
from analysis.text.i18n import Lang

# Without a build time, every entry of the workbook's zip and its document properties carry this moment (the same
# tables give the same bytes); the build gives the page's build time, as the printed profile carries it (an official
# found a workbook "created 12 June 2018").
FIXED_MOMENT = (2018, 6, 12, 0, 0, 0)
MAX_SHEET_NAME = 31  # Excel's limit
MAX_COLUMN_WIDTH = 60
# Columns of the CSVs written in English for machines and researchers (see workbook_bytes): the verdict's reason, and
# what a flag compared with (a group's English name, a label note), which the flag's translated sentence says.
ENGLISH_ONLY = ("verdict_reason", "other")
# Columns holding a share of variants between 0 and 1 (robust_share, share_rank_1, ...).
# Shares 0-1 shown as percentages, as on the page; "coverage" too (an editor: "0,8333" beside "83 %").
SHARE_COLUMN = re.compile(r"(^|_)share($|_)|^coverage$")


def _sheet_title(name: str, used: set[str]) -> str:
    title = "".join(" " if c in "[]:*?/\\" else c for c in name)[:MAX_SHEET_NAME].strip() or "Sheet"
    base, number = title, 2
    while title.lower() in used:
        suffix = f" ({number})"
        title = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        number += 1
    used.add(title.lower())
    return title


def workbook_bytes(
    report_id: str, tables: dict[str, bytes], tr: Lang, *, about: list[tuple[str, str]] | None = None, built_iso: str | None = None
) -> bytes:
    """The workbook of ``tables`` (CSV name → the published CSV's bytes), in ``tr``'s language.

    ``about`` (label, text) rows make a first sheet that says what the workbook is (the page's title, source, build
    time, publisher, licence: an official opened a workbook of bare tables); ``built_iso`` (the page's build time,
    UTC) dates the file, else :data:`FIXED_MOMENT`."""
    from datetime import datetime, timezone

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    moment = datetime.fromisoformat(built_iso).astimezone(timezone.utc).replace(tzinfo=None) if built_iso else datetime(*FIXED_MOMENT)
    book.properties.created = book.properties.modified = moment
    book.properties.creator = "Kielce Smart City Benchmarks"
    used: set[str] = set()
    if about:
        sheet = book.create_sheet(_sheet_title(tr("About this workbook"), used))
        for label, text in about:
            sheet.append([label, text])
        for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
            cell.font = Font(bold=True)
            cell.alignment = Alignment(vertical="top")
        for (cell,) in sheet.iter_rows(min_col=2, max_col=2):
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions["A"].width = max(len(label) for label, _ in about) + 2
        sheet.column_dimensions["B"].width = 100
    for name, data in tables.items():
        frame = restore_formulas(pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""]))
        if "theme" in frame:
            frame["theme"] = frame["theme"].map(lambda theme: theme_name(theme, tr) if isinstance(theme, str) and theme != "overall" else theme)
        if "indicator" in frame and "code" in frame:  # the indicator's name in the page's language
            frame["indicator"] = [
                indicator_name(code, tr) if isinstance(code, str) else name for code, name in zip(frame["code"], frame["indicator"])
            ]
        if "code" in frame and "indicator" not in frame:  # an official: sheets of bare codes ("EC5.1", "EC5.2", …)
            frame.insert(
                int(frame.columns.get_loc("code")) + 1,
                "indicator",
                [indicator_name(code, tr) if isinstance(code, str) else code for code in frame["code"]],
            )
        if "construct" in frame and "code" in frame:
            # The construct's key ("water_consumption", or the code itself when it stands alone) read as bare codes: the
            # workbook names the other indicators that measure the same thing instead (empty when there are none).
            members = frame.groupby("construct", sort=False)["code"].agg(list)
            frame["construct"] = [
                "; ".join(other for other in members.get(key, []) if other != code) if isinstance(key, str) else ""
                for code, key in zip(frame["code"], frame["construct"])
            ]
            frame = frame.rename(columns={"construct": "same_construct_as"})
        if "unit" in frame:
            frame["unit"] = frame["unit"].map(lambda unit: unit_label(unit, tr) if isinstance(unit, str) else unit)
        if tr.lang != "en" and {"rule", "message", "value", "unit", "other", "amount"} <= set(frame.columns):
            # The flag's sentence in the workbook's language, from the rule and what it compared (the CSV keeps English).
            from analysis.text.screening import flag_message

            frame["message"] = [flag_message(record, tr) for record in frame.to_dict("records")]
        if tr.lang != "en":
            # English sentences of the machine-readable contract that the page says in words of its own (the verdict
            # with its gap and material gap is in the row): left to the CSV, not shown in another language's workbook.
            frame = frame.drop(columns=[column for column in ENGLISH_ONLY if column in frame])
        if {"kind", "direction_contested"} <= set(frame.columns):
            # A clear gap of debatable direction is neither a strength nor a weakness on the page; the sheet says so
            # (an editor: the Polish sheet called fewer cars "mocna strona" beside the page's "debatable").
            frame.loc[frame["direction_contested"].astype(str).str.lower() == "true", "kind"] = "debatable"
        for column in frame.columns:
            if frame[column].dtype == bool:
                # "tak" / "nie" in the page's words (an editor: Polish Excel showed PRAWDA / FAŁSZ, the English TRUE / FALSE).
                frame[column] = frame[column].map(tr.yes_no)
        for column in VALUE_LABELS:
            if column in frame:
                frame[column] = frame[column].map(lambda value, column=column: value_label(column, value, tr))
        sheet = book.create_sheet(_sheet_title(sheet_name(report_id, name, tr), used))
        sheet.append([column_label(str(column), tr) for column in frame.columns])
        for record in frame.itertuples(index=False, name=None):
            sheet.append([None if pd.isna(value) else value.item() if hasattr(value, "item") else value for value in record])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
        for index, column in enumerate(frame.columns, start=1):
            if SHARE_COLUMN.search(str(column)):  # a share of variants (0-1): shown as a percentage, as on the page
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "0%"
            longest = max([len(str(sheet.cell(row=1, column=index).value))] + [len(str(v)) for v in frame[column].head(200)])
            sheet.column_dimensions[get_column_letter(index)].width = min(MAX_COLUMN_WIDTH, longest + 2)
        sheet.freeze_panes = "A2"
        if len(frame.columns):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_times(buffer.getvalue(), moment.timetuple()[:6])


def _fixed_times(data: bytes, moment: tuple = FIXED_MOMENT) -> bytes:
    """The same zip with every entry dated ``moment`` (openpyxl dates them with the clock)."""
    from datetime import datetime

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=moment)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the saving moment as "modified"
                stamp = datetime(*moment).strftime("%Y-%m-%dT%H:%M:%SZ")
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()


def workbook_from_files(report_id: str, paths: list[Path], tr: Lang) -> bytes:
    """:func:`workbook_bytes` of published CSV files, in the order given."""
    return workbook_bytes(report_id, {Path(path).name: Path(path).read_bytes() for path in paths}, tr)
