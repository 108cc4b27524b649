"""The public API (``import analysis``): light import, a guide in ``help``, runnable examples, named errors."""

from __future__ import annotations

import doctest
import importlib
import pydoc
import subprocess
import sys

import pandas as pd
import pytest

import analysis
from analysis import UnknownCityError, UnknownNameError

from .conftest import PROJECT_ROOT


@pytest.fixture
def processed(processed_template, monkeypatch):
    """The real data, processed once per session in a scratch copy; the API reads it from there."""
    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(processed_template))
    return processed_template


# --- the namespace ------------------------------------------------------------------------------


def test_importing_analysis_loads_neither_pandas_nor_matplotlib():
    """`python -m analysis reports` with nothing to rebuild stays fast only if `import analysis` is light."""
    code = "import analysis, sys; heavy = [m for m in ('pandas', 'matplotlib', 'numpy', 'scipy') if m in sys.modules]; print(heavy)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_dir_lists_every_public_name_and_each_resolves_to_a_documented_object():
    assert set(analysis.__all__) <= set(dir(analysis))
    for name in analysis.__all__:
        value = getattr(analysis, name)
        assert value.__doc__ and value.__doc__.strip(), name
        if callable(value) and not isinstance(value, type):
            assert "Examples" in value.__doc__, f"{name} has no Examples section"
    with pytest.raises(AttributeError, match="no attribute 'load_everything'"):
        analysis.load_everything  # noqa: B018


def test_help_reads_as_a_guide():
    text = pydoc.render_doc(analysis, renderer=pydoc.plaintext)
    start = text.index("Where to begin")
    for expected in (
        "make lab",
        "notebooks/explore.ipynb",
        "load_indicators()",
        "datapackage.json",
        "run_benchmark",
        "run_dispersion",
        "screen(",
        "UnknownNameError",
    ):
        assert expected in text[start:], expected
    # The functions are listed with their own docstrings, examples included.
    assert "load_maturity_scores(*, path" in text and ">>> analysis.known_areas()" in text


# --- the examples run ------------------------------------------------------------------------------


def _modules() -> list[str]:
    """Every module of the package whose source holds an example (found without importing it)."""
    from pathlib import Path

    root = Path(analysis.__file__).resolve().parent
    names = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "__main__.py":  # importing it runs the CLI
            continue
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(("analysis", *[p for p in parts if p != "__init__"]))
        if ">>> " in path.read_text(encoding="utf-8"):
            names.append(name)
    return names


@pytest.mark.parametrize("module_name", _modules())
def test_docstring_examples_run(module_name, processed):
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = [test for test in finder.find(module, module_name) if test.examples]
    assert tests, f"{module_name} holds '>>> ' but doctest finds no example in it"
    for test in tests:
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, f"{results.failed} of {results.attempted} examples of {module_name} failed (see the output above)"


def test_the_api_modules_have_examples():
    finder = doctest.DocTestFinder(exclude_empty=True)
    assert {"analysis.api", "analysis.explore", "analysis.data.labels", "analysis.errors"} <= set(_modules())
    for module_name in ("analysis.api", "analysis.explore", "analysis.data.labels"):
        module = importlib.import_module(module_name)
        assert sum(len(test.examples) for test in finder.find(module, module_name)) >= 3, module_name


# --- unknown names: one named error, one line, listing the known ones -----------------------------------


@pytest.mark.parametrize(
    "call, error, expected",
    [
        (
            lambda: analysis.run_benchmark("Atlantis", n_variants=10),
            UnknownCityError,
            "unknown city 'Atlantis'; known cities: Kielce, Eindhoven, Gdynia, Oakville, Porto",
        ),
        (
            lambda: analysis.run_benchmark("Kielce", peers=["Gdynia", "Atlantis"], n_variants=10),
            UnknownCityError,
            "unknown city 'Atlantis'; known cities: Kielce, Eindhoven",
        ),
        (
            lambda: analysis.run_benchmark("Kielce", themes=["Transport", "Wellbeing"], n_variants=10),
            UnknownNameError,
            "unknown themes 'Transport', 'Wellbeing'; known themes: Economy, Education, Energy",
        ),
        (
            lambda: analysis.run_dispersion(["safety", "mobility"], n_boot=100),
            UnknownNameError,
            "unknown area 'mobility'; known areas: digital, society, environment, economy, safety, transport, infrastructure",
        ),
        (lambda: analysis.screen(themes="Transport"), UnknownNameError, "unknown theme 'Transport'; known themes: Economy"),
        (lambda: analysis.screen(cities=["Lublin"]), UnknownCityError, "unknown city 'Lublin'; known cities: Kielce"),
        (lambda: analysis.compare_cities("Kielce", "Gdynia", "Transport"), UnknownNameError, "unknown theme 'Transport'"),
        (lambda: analysis.compare_cities("Kielce", "Atlantis"), UnknownCityError, "unknown city 'Atlantis'"),
        (lambda: analysis.compare_cities("Kielce", "kielce"), UnknownNameError, "compare two different cities; both are 'Kielce'"),
        (lambda: analysis.missing_for_city("Atlantis"), UnknownCityError, "unknown city 'Atlantis'"),
        (lambda: analysis.score_spread("mobility"), UnknownNameError, "unknown area 'mobility'; known areas: digital"),
    ],
)
def test_an_unknown_name_raises_the_named_error_listing_the_known_ones(processed, call, error, expected):
    with pytest.raises(error) as caught:
        call()
    message = str(caught.value)
    assert message.startswith(expected), message
    assert "\n" not in message
    assert isinstance(caught.value, UnknownNameError) and isinstance(caught.value, ValueError)
    assert caught.value.known, "the error carries the known names"


def test_names_match_ignoring_case_and_accents(processed):
    result = analysis.run_benchmark("gdynia", peers=["KIELCE"], themes="transportation", n_variants=10)
    assert result.focal_city == "Gdynia" and result.peers == ["Kielce"]
    assert set(result.table["theme"]) == {"Transportation"}
    assert analysis.score_spread("Safety", n_boot=100).attrs["area"] == "safety"


def test_the_api_gives_the_same_numbers_as_the_library_it_wraps(processed):
    from analysis.data import read as datasets
    from analysis.methods import benchmark, screening

    ours = analysis.run_benchmark("Porto", themes=["Economy", "Safety"], n_variants=50)
    theirs = benchmark.run_benchmark(datasets.read_benchmark_input(), "Porto", themes=["Economy", "Safety"], n_variants=50)
    pd.testing.assert_frame_equal(ours.table, theirs.table)
    flags = analysis.screen(cities=["Kielce", "Gdynia"])
    frame = datasets.read_indicators()
    expected = screening.screen_values(frame[frame["city"].isin(["Kielce", "Gdynia"])].reset_index(drop=True))
    pd.testing.assert_frame_equal(flags.drop(columns="message"), expected)  # the API adds the reason in English
    assert set(flags["city"]) <= {"Kielce", "Gdynia"}


def test_loading_without_processed_data_says_to_run_make_data(tmp_path, monkeypatch):
    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="run `make data` first"):
        analysis.load_indicators()
