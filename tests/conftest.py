import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import config

PROJECT_ROOT = config.paths().root  # the checkout, fixed before any test points KIELCE_PROJECT_ROOT elsewhere


def _seeds_dir() -> Path:
    return Path(os.environ.get("KIELCE_SEEDS_DIR", PROJECT_ROOT.parent / "shared" / "seeds"))


SOURCE_DOCUMENT = _seeds_dir() / "001_b8822e64615314f8.txt"


@pytest.fixture
def source_text() -> str:
    if not SOURCE_DOCUMENT.exists():
        pytest.skip(
            f"source document {SOURCE_DOCUMENT} is absent (../shared is not next to this clone; "
            "set KIELCE_SEEDS_DIR to check the raw tables against it)"
        )
    return SOURCE_DOCUMENT.read_text(encoding="utf-8")


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A scratch copy of the project's inputs (raw data, notebooks) to build in."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / "data" / "raw", root / "data" / "raw")
    if (PROJECT_ROOT / "notebooks").exists():
        shutil.copytree(PROJECT_ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(PROJECT_ROOT / "reports.yml", root / "reports.yml")
    return root


def run_cli(root: Path, *args: str, timeout: int = 900, isolated: bool | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m analysis`` against a project copy.

    The data step runs in this process (``analysis.cli.main`` with ``KIELCE_PROJECT_ROOT`` pointed at
    ``root``; every path is resolved at call time), which keeps the many bad-input tests fast; the
    other commands, and any call with ``isolated=True`` (signals, pipes, kills), run in a real process.
    """
    if isolated is None:
        isolated = args[:1] != ("data",)
    if not isolated:
        return _run_in_process(root, args)
    env = {**os.environ, "KIELCE_PROJECT_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _run_in_process(root: Path, args) -> subprocess.CompletedProcess:
    import contextlib
    import io
    import signal

    from analysis.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_root, saved_cwd = os.environ.get("KIELCE_PROJECT_ROOT"), os.getcwd()
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    os.environ["KIELCE_PROJECT_ROOT"] = str(root)
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        os.chdir(saved_cwd)
        if saved_root is None:
            os.environ.pop("KIELCE_PROJECT_ROOT", None)
        else:
            os.environ["KIELCE_PROJECT_ROOT"] = saved_root
        for number, handler in handlers.items():
            signal.signal(number, handler)
    return subprocess.CompletedProcess(["python", "-m", "analysis", *args], code or 0, out.getvalue(), err.getvalue())


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def kielce_benchmark():
    """Kielce's benchmark on the real data straight from data/raw (a fresh clone has no processed data
    yet), with the report's defaults: computed once per session for the tests that only read it."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata, run_benchmark

    return run_benchmark(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()), "kielce")


@pytest.fixture(scope="session")
def kielce_with_tax_collection():
    """Kielce's benchmark with tax collection (FN9.4) compared, as it was until the fifteenth session (now not comparable:
    national tax administration): the one claim on the real data whose same-country peer has no value (Gdynia prints
    "bd"), which the tests of the "against foreign cities only" wording and of a claim held in every variant need."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata, run_benchmark

    metadata = load_indicator_metadata()
    metadata.loc[metadata["code"] == "FN9.4", ["comparable_across_cities", "comparability_reason"]] = [True, ""]
    return run_benchmark(attach_metadata(clean_indicators(cities_dir=None), metadata), "kielce")


@pytest.fixture(scope="session")
def city_benchmark(kielce_benchmark):
    """Any city's benchmark with the report's defaults, computed once per session (the first-screen tests read five
    cities' boxes; each computed them anew, and make test-fast neared its minute)."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata, run_benchmark

    cache = {"kielce": kielce_benchmark}
    table = []

    def get(city: str):
        if city not in cache:
            if not table:
                table.append(attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata()))
            cache[city] = run_benchmark(table[0], city)
        return cache[city]

    return get


@pytest.fixture(scope="session")
def crime_compared():
    """Any city's benchmark with police-recorded property and violent crime (SF14.3, SF14.5) compared, as they were until the
    seventeenth session (now not compared: each country's penal code decides what counts). The real data's cases of a
    probable place and of an order held in 90 % of the variants, which some wording tests need, rested on them."""
    from analysis.data.cleaning import clean_indicators, load_indicator_metadata
    from analysis.methods.benchmark import attach_metadata, run_benchmark

    cache: dict = {}
    table = []

    def get(city: str):
        if city not in cache:
            if not table:
                metadata = load_indicator_metadata()
                crime = metadata["code"].isin(["SF14.3", "SF14.5"])
                metadata.loc[crime, ["comparable_across_cities", "comparability_reason"]] = [True, ""]
                table.append(attach_metadata(clean_indicators(cities_dir=None), metadata))
            cache[city] = run_benchmark(table[0], city)
        return cache[city]

    return get


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A project copy with the fictional Testville added and its benchmark published.

    test_browser.py's site starts from a copy of it, so Testville's notebooks run once per session.
    """
    root = tmp_path_factory.mktemp("publish") / "project"
    shutil.copytree(PROJECT_ROOT / "data" / "raw", root / "data" / "raw")
    shutil.copytree(PROJECT_ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(FIXTURES / "cities", root / "data" / "raw" / "cities", ignore=shutil.ignore_patterns("*.md"), dirs_exist_ok=True)
    shutil.copy(PROJECT_ROOT / "reports.yml", root / "reports.yml")
    data = run_cli(root, "data")
    assert data.returncode == 0, data.stderr
    report = run_cli(root, "report", "--city", "testville")
    assert report.returncode == 0, report.stdout + report.stderr
    return root


# --- the fixture project: tiny notebooks, the real data, the publisher for real ------------------

FIXTURE_NOTEBOOKS = FIXTURES / "notebooks"
FIXTURE_MANIFEST = FIXTURES / "project" / "reports.yml"


@pytest.fixture(scope="session")
def processed_template(tmp_path_factory) -> Path:
    """data/raw and data/processed of the real data, built once per session (in-process, no kernel)."""
    root = tmp_path_factory.mktemp("processed") / "project"
    shutil.copytree(PROJECT_ROOT / "data" / "raw", root / "data" / "raw")
    env_before = os.environ.get("KIELCE_PROJECT_ROOT")
    os.environ["KIELCE_PROJECT_ROOT"] = str(root)
    try:
        from analysis.data.build import build_processed_data

        build_processed_data()
    finally:
        if env_before is None:
            os.environ.pop("KIELCE_PROJECT_ROOT", None)
        else:
            os.environ["KIELCE_PROJECT_ROOT"] = env_before
    return root


@pytest.fixture
def fixture_project(tmp_path, processed_template, monkeypatch) -> Path:
    """A project with the real data and the two fixture notebooks declared in a fixture reports.yml.

    ``KIELCE_PROJECT_ROOT`` points at it for in-process calls and for ``run_cli``.
    """
    root = tmp_path / "project"
    shutil.copytree(processed_template, root)
    shutil.copytree(FIXTURE_NOTEBOOKS, root / "notebooks")
    shutil.copy(FIXTURE_MANIFEST, root / "reports.yml")
    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(root))
    return root


@pytest.fixture(scope="session")
def published_fixture_project(tmp_path_factory, processed_template) -> Path:
    """The fixture project published once per session (five city pages and one summary page, both languages).

    Shared by test_publisher.py and test_faults.py, which only read it or work on copies of it.
    """
    root = tmp_path_factory.mktemp("published") / "project"
    shutil.copytree(processed_template, root)
    shutil.copytree(FIXTURE_NOTEBOOKS, root / "notebooks")
    shutil.copy(FIXTURE_MANIFEST, root / "reports.yml")
    result = run_cli(root, "reports", "--jobs", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    return root
