"""Catalogues and number formats of the two editions."""

import ast
from pathlib import Path

import pytest

from analysis.data import labels
from analysis.text import i18n
from analysis.text.i18n import Lang

SRC = Path(i18n.__file__).resolve().parent


def _messages_in_code() -> list[tuple[str, int, object]]:
    """Every literal passed to ``tr(...)``, ``tr.text(...)`` or ``tr.plural(...)`` in the library."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            is_tr = isinstance(func, ast.Name) and func.id == "tr"
            is_method = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "tr"
            args = node.args
            if (is_tr or (is_method and func.attr == "text")) and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                found.append((path.name, node.lineno, args[0].value))
            elif is_method and func.attr == "plural" and len(args) >= 2 and all(isinstance(a, ast.Constant) for a in args[:2]):
                found.append((path.name, node.lineno, (args[0].value, args[1].value)))
    return found


def _messages_in_notebooks() -> list[tuple[str, int, object]]:
    """The same literals in the code cells of the published notebooks (e.g. ``tr("Rows")`` in explore.ipynb)."""
    import json

    from analysis import config

    found = []
    for path in sorted(config.NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            if cell["cell_type"] != "code":
                continue
            tree = ast.parse("".join(cell["source"]))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and node.args
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "tr"
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    found.append((f"{path.name} cell {index}", node.lineno, node.args[0].value))
    return found


def test_every_message_in_the_code_has_a_polish_translation():
    polish = i18n.catalogue("pl")
    found = _messages_in_code() + _messages_in_notebooks()
    assert any(name.startswith("explore.ipynb") for name, _, _ in found)
    missing = [f"{name}:{line}: {message!r}" for name, line, message in found if message not in polish]
    assert not missing, "untranslated messages:\n" + "\n".join(missing)


def test_polish_translations_keep_the_placeholders():
    import string

    def fields(text):
        return sorted({name for _, name, _, _ in string.Formatter().parse(text) if name})

    for message, translation in i18n.catalogue("pl").items():
        if isinstance(message, tuple):
            for form in translation:
                assert fields(form) == fields(message[1]), (message, form)
        else:
            assert fields(translation) == fields(message), (message, translation)


@pytest.mark.parametrize(
    "lang, value, decimals, expected",
    [
        # CLDR for Polish (minimumGroupingDigits = 2): no separator in four-digit numbers.
        ("pl", 1234.5, 1, "1234,5"),
        ("pl", 12345.25, 1, "12\u00a0345,3"),  # half-up, as the source rounds
        ("pl", 2990, 0, "2990"),
        ("pl", 1234567, 0, "1\u00a0234\u00a0567"),
        ("pl", -0.5, 2, "\u22120,50"),
        ("en", 1234.5, 1, "1,234.5"),
        ("en", 2.25, 1, "2.3"),
    ],
)
def test_numbers_are_written_as_each_language_writes_them(lang, value, decimals, expected):
    assert Lang(lang).num(value, decimals) == expected


def test_percent_share_signs_and_missing_values():
    pl, en = Lang("pl"), Lang("en")
    assert pl.pct(12.5, 1) == "12,5\u00a0%"
    assert en.pct(12.5, 1) == "12.5%"
    assert pl.share(0.96) == "96\u00a0%"
    assert pl.num(0.7, 1, signed=True) == "+0,7"
    assert pl.num(float("nan"), 1) == "–"
    assert pl.yes_no(True) == "tak" and en.yes_no(False) == "no"


def test_polish_plural_forms():
    """The forms come from the real catalogue (text/benchmark.py uses this message), not from a dictionary copied into the test."""
    pl = Lang("pl")
    singular, plural = "and marked {n} doubtful value (⚠).", "and marked {n} doubtful values (⚠)."
    assert (singular, plural) in i18n.catalogue("pl")
    forms = {n: pl.plural(singular, plural, n, n=n) for n in (1, 2, 5, 22, 0)}
    assert forms == {
        1: "i oznaczyła 1 wartość wątpliwą (⚠).",
        2: "i oznaczyła 2 wartości wątpliwe (⚠).",
        5: "i oznaczyła 5 wartości wątpliwych (⚠).",
        22: "i oznaczyła 22 wartości wątpliwe (⚠).",
        0: "i oznaczyła 0 wartości wątpliwych (⚠).",
    }


def test_unknown_language_is_refused_with_the_allowed_ones():
    with pytest.raises(ValueError, match="pl, en"):
        Lang("de")


def test_polish_labels_come_from_the_printed_tables():
    assert labels.theme_names("pl")["Solid waste"] == "Odpady stałe"
    assert labels.area_names("pl")["environment"] == "Środowisko i ład przestrzenny"
    assert labels.dimension_names("pl")["data"] == "Informacje i dane"
    names = labels.indicator_names("pl")
    assert len(names) == 100
    assert names["EC5.1"] == "Stopa bezrobocia"
    assert "(wskaźnik podstawowy" not in " ".join(names.values())
    assert "<sub>" not in " ".join(names.values())


def test_polish_indicator_names_carry_no_misprinted_foreign_letters():
    """The source prints EV8.5 as "dیتlenku siarki" (Arabic letters); the page shows "dwutlenku"."""
    import re

    names = labels.indicator_names("pl")
    assert names["EV8.5"] == "Stężenie SO2 (dwutlenku siarki)"
    assert not [code for code, name in names.items() if re.search(r"[\u0600-\u06ff]", name)]


def test_indicator_names_do_not_repeat_a_printed_code():
    """The water theme prints its names as "WS21.01 Odsetek …"; the code is shown once, in its own column."""
    import re

    for lang in ("pl", "en"):
        names = labels.indicator_names(lang)
        assert not [code for code, name in names.items() if re.match(r"[A-Z]{2}\d{1,2}\.\s?\d", name)], lang
    assert labels.indicator_names("pl")["WS21.1"] == "Odsetek mieszkańców miasta z dostępem do wody przeznaczonej do spożycia"
    assert labels.plain_label("WS21.07 Odsetek strat wody (woda brakująca) (wskaźnik podstawowy)") == "Odsetek strat wody (woda brakująca)"
