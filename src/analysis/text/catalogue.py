"""The Polish catalogue, kept with Babel's own tools: extract → update → check.

``python -m analysis.text.catalogue`` (what ``make i18n`` runs) does three steps:

1. ``pybabel extract`` with ``babel.cfg`` writes ``locales/messages.pot``: every message of the
   library (``tr(...)``, ``tr.text(...)``, ``tr.plural(...)``, ``N_(...)``), of the templates in
   ``text/templates/`` (``{% trans %}``, ``gettext``, ``ngettext``), of the notebooks' code cells,
   of ``reports.yml`` (titles, labels, vintages) and the group names of
   ``data/raw/indicator_relations.csv`` that a screening sentence shows;
2. ``pybabel update`` merges the template into ``locales/pl/LC_MESSAGES/messages.po`` (new
   messages arrive untranslated, changed ones fuzzy, vanished ones are dropped: ``--ignore-obsolete``);
3. the ``.po`` is compiled in memory (:func:`compile_check`) and checked (:func:`problems`): the
   command fails (exit 1) on an untranslated, fuzzy or unused entry, or mismatched placeholders.

``--check`` extracts into a temporary folder only and fails when the committed ``.pot`` or
``.po`` would change: that is what a test or CI runs. Nothing here needs the network.

No ``.mo`` file is committed: the ``.po`` is the one source a translator edits, and
:func:`analysis.text.i18n.catalogue` reads it with Babel when a page is built (milliseconds), for
the code's ``tr(...)`` and the templates' ``{% trans %}`` alike (:mod:`analysis.text.render`), so a
page can never be built from a stale binary.

The extractors below are plugged into ``pybabel`` through ``babel.cfg`` (``package.module.function``).
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import json
import re
import string
import sys
import tempfile
from pathlib import Path

from analysis.text.i18n import CASES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[3]
MAPPING = ROOT / "babel.cfg"
POT = LOCALE_DIR / "messages.pot"
PO = {"pl": LOCALE_DIR / "pl" / "LC_MESSAGES" / "messages.po"}

# The translating calls: a name, or the dotted name as written (so ``ax.text(...)`` or a dict named
# ``text`` is not mistaken for ``tr.text``). ``N_`` marks a message defined in one place and
# translated elsewhere (``tr.text(variable)``).
KEYWORDS = ["tr", "tr.text", "self.text", "tr.plural:1,2", "N_", "gettext", "ngettext:1,2"]
HEADER = {
    "project": "kielce-smart-city-benchmarks",
    "copyright_holder": "the Kielce Smart City Benchmarks authors",
    "msgid_bugs_address": "",
}
# What reports.yml writes in English and a page shows translated.
MANIFEST_KEYS = ("title", "nav_label", "vintage", "label", "all_label", "source_note", "publisher", "contact")


# --- extractors (Babel's extractor protocol: yield lineno, funcname, messages, comments) ------------------


def _dotted(node) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def _calls(source: str, keywords, first_line: int = 1):
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        if name not in keywords:
            continue
        args = [arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None for arg in node.args]
        if any(args):
            yield node.lineno + first_line - 1, name, tuple(args) if len(args) > 1 else args[0], []


def extract_python(fileobj, keywords, comment_tags, options):
    """Python source: the literal arguments of the keyword calls, matched by their dotted name."""
    yield from sorted(_calls(fileobj.read().decode("utf-8"), keywords), key=lambda found: found[0])


def extract_notebook(fileobj, keywords, comment_tags, options):
    """A notebook: its code cells as Python (line numbers count through the cells)."""
    line = 1
    for cell in json.loads(fileobj.read().decode("utf-8"))["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            yield from sorted(_calls(source, keywords, line), key=lambda found: found[0])
        line += source.count("\n") + 1


def extract_manifest(fileobj, keywords, comment_tags, options):
    """reports.yml: the English titles, labels, vintages and choice labels a page shows translated."""
    import yaml

    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()

    def line_of(value: str) -> int:
        return next((number for number, line in enumerate(lines, 1) if value in line), 0)

    def walk(node, key=None):
        if isinstance(node, dict):
            for child_key, child in node.items():
                if child_key == "choice_labels" and isinstance(child, dict):
                    for label in child.values():
                        yield line_of(label), "N_", label, []
                else:
                    yield from walk(child, child_key)
        elif isinstance(node, list):
            for child in node:
                yield from walk(child, key)
        elif isinstance(node, str) and key in MANIFEST_KEYS and not (key == "vintage" and node == "indicator_years"):
            yield line_of(node), "N_", node, []

    yield from walk(yaml.safe_load(text))


def extract_params(fileobj, keywords, comment_tags, options):
    """src/analysis/params.py: the words of each ``param(default, "Label", all_label=…, choice_labels={…})``
    — the labels a page's footer and the index show translated."""
    tree = ast.parse(fileobj.read().decode("utf-8"))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _dotted(node.func) == "param"):
            continue
        texts = [node.args[1]] if len(node.args) > 1 else []
        for keyword in node.keywords:
            if keyword.arg == "all_label":
                texts.append(keyword.value)
            elif keyword.arg == "choice_labels" and isinstance(keyword.value, ast.Dict):
                texts.extend(keyword.value.values)
        found += [(text.lineno, "N_", text.value, []) for text in texts if isinstance(text, ast.Constant) and isinstance(text.value, str)]
    yield from sorted(found, key=lambda item: item[0])


def extract_relation_groups(fileobj, keywords, comment_tags, options):
    """indicator_relations.csv: the names of the groups of shares (shown in a screening sentence)."""
    seen = set()
    for number, row in enumerate(csv.DictReader(io.TextIOWrapper(fileobj, encoding="utf-8")), 2):
        group = (row.get("group") or "").strip()
        if group and group not in seen:
            seen.add(group)
            yield number, "N_", group, []


# --- the pybabel steps -------------------------------------------------------------------------------------


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    status = CommandLineInterface().run(["pybabel", "-q", *args])
    if status:
        raise SystemExit(f"pybabel {args[0]} failed")


def extract(pot: Path) -> None:
    """``pybabel extract`` of the whole project into ``pot`` (no line numbers: a moved line changes nothing)."""
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    _pybabel(
        "extract",
        "-F",
        str(MAPPING),
        "--project",
        HEADER["project"],
        "--copyright-holder",
        HEADER["copyright_holder"],
        "--msgid-bugs-address",
        HEADER["msgid_bugs_address"],
        "--no-default-keywords",
        *keywords,
        "--no-location",
        "--sort-output",
        "--width",
        "0",
        "-o",
        str(pot),
        str(ROOT),
    )
    _brace_format_only(pot)


def _brace_format_only(pot: Path) -> None:
    """Drop Babel's ``python-format`` guess from messages with ``{name}`` placeholders or none.

    Babel flags any message in which ``%`` is followed by a conversion letter ("95% interval" reads
    as ``% i``); the code fills messages with ``str.format``, so only a template's ``%(name)s`` is
    python-format (``pybabel compile`` would otherwise refuse "95 %" in the translation).
    """
    from babel.messages.pofile import write_po

    catalog = read(pot)
    for message in catalog:
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        if message.id and not any(re.search(r"%\(\w+\)s", text) for text in ids):
            message.flags.discard("python-format")
    with pot.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=True, no_location=True)


def update(pot: Path, po: Path, lang: str) -> None:
    """``pybabel update``: the template's messages into the ``.po``; vanished ones are dropped."""
    _pybabel("update", "-i", str(pot), "-o", str(po), "-l", lang, "--ignore-obsolete", "--no-wrap", "--no-fuzzy-matching")


def compile_check(po: Path, lang: str) -> None:
    """Compile the ``.po`` in memory (a broken entry fails here, not when a page is built).

    Not ``pybabel compile``: its python-format check takes the ``% i`` of "95% interval" for a
    placeholder (Babel flags every such message python-format) and refuses "95 %" in Polish; the
    placeholders are checked by :func:`problems` instead, for ``{name}`` and ``%(name)s`` alike.
    """
    from babel.messages.mofile import write_mo

    write_mo(io.BytesIO(), read(po, lang))


def read(path: Path, lang: str | None = None):
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def placeholders(text: str) -> list[str]:
    """The named placeholders of a message: ``{city}`` (Python code) or ``%(city)s`` (templates)."""
    braces = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return sorted(braces | set(re.findall(r"%\((\w+)(?::\w+)?\)s", text)))


def unknown_cases(text: str) -> list[str]:
    """Case specs of a translation's placeholders (``{city:gen}``, ``%(city:loc)s``) that are not a Polish case."""
    specs = [spec for _, name, spec, _ in string.Formatter().parse(text) if name and spec and spec.isalpha()]
    specs += re.findall(r"%\(\w+:(\w+)\)s", text)
    return [spec for spec in specs if spec not in CASES]


def problems(pot, po) -> list[str]:
    """What is wrong with the translation ``po`` of the template ``pot``, one line each (empty: nothing)."""
    found = []
    wanted = {message.id if isinstance(message.id, str) else tuple(message.id) for message in pot if message.id}
    for message in po:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else tuple(message.id)
        ids = [key] if isinstance(key, str) else list(key)
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        if key not in wanted:
            found.append(f"unused (no longer in the code): {key!r}")
            continue
        if message.fuzzy:
            found.append(f"fuzzy: {key!r}")
        if not all(forms):
            found.append(f"untranslated: {key!r}")
            continue
        for form in forms:
            if placeholders(form) != placeholders(ids[-1]):
                found.append(f"placeholders differ: {key!r} → {form!r}")
            for case in unknown_cases(form):
                found.append(f"unknown case {case!r} (expected one of {', '.join(CASES)}): {key!r} → {form!r}")
    translated = {message.id if isinstance(message.id, str) else tuple(message.id) for message in po if message.id}
    found += [f"untranslated (missing): {key!r}" for key in sorted(wanted - translated, key=str)]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.text.catalogue", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail when the .pot or a .po is not up to date or complete")
    args = parser.parse_args(argv)
    status = 0
    with tempfile.TemporaryDirectory() as folder:
        pot = Path(folder) / "messages.pot" if args.check else POT
        extract(pot)
        if len(read(pot)) < 100:  # a broken babel.cfg finds nothing, and `update` would then empty the .po
            print(f"{MAPPING.name} found almost no message: is it right?", file=sys.stderr)
            return 1
        if args.check and _body(pot) != _body(POT):
            print(f"{POT.relative_to(ROOT)} is out of date: run `make i18n`", file=sys.stderr)
            status = 1
        for lang, po_path in PO.items():
            po = Path(folder) / f"{lang}.po" if args.check else po_path
            if args.check:
                po.write_bytes(po_path.read_bytes())
            update(pot, po, lang)
            if args.check and _body(po) != _body(po_path):
                print(f"{po_path.relative_to(ROOT)} is out of date: run `make i18n`", file=sys.stderr)
                status = 1
            compile_check(po, lang)
            for problem in problems(read(pot), read(po, lang)):
                print(f"{po_path.relative_to(ROOT)}: {problem}", file=sys.stderr)
                status = 1
    return status


def same_catalogue(one: Path, other: Path) -> bool:
    """Whether two catalogue files say the same, their dates and the Babel version that wrote them aside."""
    return _body(one) == _body(other)


def _body(path: Path) -> str:
    """A catalogue's text without its creation and revision dates (and the Babel version that wrote it)."""
    return re.sub(r'"(POT-Creation-Date|PO-Revision-Date|Generated-By): [^"]*"\n', "", path.read_text(encoding="utf-8"))


if __name__ == "__main__":
    sys.exit(main())
