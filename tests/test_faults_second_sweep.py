"""The second hostile sweep (issue 20): what still failed after the first round of fixes.

Each test failed before its fix. Tests that could hang on a regression (named pipes) run the
command in a real process with a timeout, so a regression fails instead of waiting forever.
"""

import os
import shutil

import pytest

from .conftest import run_cli


def _copy(processed_template, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(processed_template, root)
    return root


# --- 1. a named pipe in data/processed never hangs a command ---------------------------------------


@pytest.mark.slow  # the real data step in a separate process (a pipe could hang pytest itself), twice per case
@pytest.mark.parametrize("name", [".inputs", "indicators.csv", "datapackage.json"])
def test_a_named_pipe_in_data_processed_is_rebuilt_not_waited_on(processed_template, tmp_path, name):
    root = _copy(processed_template, tmp_path)
    target = root / "data" / "processed" / name
    good = target.read_bytes()
    target.unlink()
    os.mkfifo(target)
    result = run_cli(root, "data", isolated=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert target.is_file() and not target.is_fifo()
    assert target.read_bytes() == good
    assert "up to date" in run_cli(root, "data", isolated=True, timeout=120).stdout


def test_a_reader_refuses_a_named_pipe_with_one_line(processed_template, tmp_path, monkeypatch):
    from analysis.data.read import read_indicators
    from analysis.errors import DataError

    root = _copy(processed_template, tmp_path)
    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(root))
    table = root / "data" / "processed" / "indicators.csv"
    table.unlink()
    os.mkfifo(table)
    with pytest.raises(DataError, match=r"indicators\.csv: cannot read it \(a named pipe, not a regular file\)"):
        read_indicators()
    (root / "data" / "processed" / ".inputs").unlink()  # no record to check against: still never waits
    with pytest.raises(DataError, match=r"indicators\.csv: cannot read it \(a named pipe"):
        read_indicators()


def test_read_regular_bytes_never_blocks_on_a_pipe(tmp_path):
    from analysis.data.storage import NotRegularFileError, read_regular_bytes, sha256_file

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(NotRegularFileError, match="a named pipe"):
        read_regular_bytes(pipe)
    with pytest.raises(OSError, match="a directory"):
        sha256_file(tmp_path)
    (tmp_path / "file").write_bytes(b"abc")
    assert read_regular_bytes(tmp_path / "file") == b"abc"


@pytest.mark.parametrize("kind", ["file", "pipe"])
def test_data_processed_that_is_not_a_folder_says_so(processed_template, tmp_path, kind):
    root = _copy(processed_template, tmp_path)
    processed = root / "data" / "processed"
    shutil.rmtree(processed)
    if kind == "file":
        processed.write_text("not a folder\n", encoding="utf-8")
    else:
        os.mkfifo(processed)
    result = run_cli(root, "data", isolated=True, timeout=120)
    assert result.returncode == 1
    what = "a file" if kind == "file" else "a named pipe"
    assert result.stderr.strip() == (
        f"error: {processed} is {what}, not a folder; the processed tables are written into a folder there: move it away and run `make data` again"
    )


# --- 2. published outputs are checked by content, not presence --------------------------------------


def _published_copy(published_fixture_project, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(published_fixture_project, root, symlinks=True)
    return root


@pytest.mark.slow
def test_a_damaged_executed_notebook_is_run_again_not_exported(published_fixture_project, tmp_path):
    """A third sweep: a truncated build/executed notebook failed every later export of its report (the page was
    rebuilt from it) until someone deleted it by hand."""
    root = _published_copy(published_fixture_project, tmp_path)
    executed = root / "build" / "executed" / "benchmark-gdynia.en.ipynb"
    executed.write_bytes(executed.read_bytes()[:1000])
    page = root / "reports" / "en" / "benchmark-gdynia.html"
    page.write_bytes(page.read_bytes()[:1000])  # out of date, so the build must make it again
    result = run_cli(root, "reports", timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "benchmark-gdynia: pages rebuilt" not in result.stdout and "benchmark-gdynia: built" in result.stdout, result.stdout
    assert page.read_bytes().rstrip().endswith(b"</html>")
    assert run_cli(root, "reports", timeout=300).stdout.count("up to date, skipped") == 6


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncated", "pipe"])
def test_a_damaged_published_page_is_published_again(published_fixture_project, tmp_path, damage):
    root = _published_copy(published_fixture_project, tmp_path)
    page = root / "reports" / "en" / "benchmark-gdynia.html"
    good = page.read_bytes()
    if damage == "truncated":
        page.write_bytes(good[: len(good) // 2])
    else:
        page.unlink()
        os.mkfifo(page)
    result = run_cli(root, "reports", timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "benchmark-gdynia: up to date" not in result.stdout
    assert "benchmark-gdynia: pages rebuilt" in result.stdout  # from its executed notebooks: no kernel
    assert page.is_file() and page.read_bytes().rstrip().endswith(b"</html>")
    assert run_cli(root, "reports", timeout=300).stdout.count("up to date, skipped") == 6


@pytest.mark.slow
def test_a_damaged_published_csv_is_rebuilt_and_never_described_in_the_data_package(published_fixture_project, tmp_path):
    import json

    root = _published_copy(published_fixture_project, tmp_path)
    data = root / "reports" / "data"
    table = data / "fixture-gdynia.csv"
    good = table.read_bytes()
    table.write_text("<script>alert(1)</script>,=1+1\nx,y\n", encoding="utf-8")
    # Another report's build rewrites the index and the package: the damaged table is left out of it.
    other = run_cli(root, "report", "--city", "porto", timeout=300)
    assert other.returncode == 0, other.stdout + other.stderr
    package = (data / "datapackage.json").read_text(encoding="utf-8")
    assert "<script>" not in package and "fixture-gdynia.csv" not in [r["path"] for r in json.loads(package)["resources"]]
    result = run_cli(root, "reports", timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "benchmark-gdynia: built" in result.stdout
    assert table.read_bytes() == good
    assert "fixture-gdynia.csv" in [r["path"] for r in json.loads((data / "datapackage.json").read_text(encoding="utf-8"))["resources"]]


@pytest.mark.slow
def test_a_damaged_published_data_package_is_written_again(published_fixture_project, tmp_path):
    root = _published_copy(published_fixture_project, tmp_path)
    package = root / "reports" / "data" / "datapackage.json"
    good = package.read_bytes()
    package.write_bytes(good[:100])
    assert run_cli(root, "reports", timeout=300).returncode == 0
    assert package.read_bytes() == good


def test_the_data_package_leaves_out_a_table_whose_bytes_are_not_those_recorded(tmp_path):
    import hashlib

    from analysis import config
    from analysis.publish import batch

    paths = config.paths(tmp_path)
    paths.report_data.mkdir(parents=True)
    good, bad = b"a\n1\n", b"a\n2\n"
    (paths.report_data / "x.csv").write_bytes(good)
    (paths.report_data / "y.csv").write_bytes(bad)
    os.mkfifo(paths.report_data / "z.csv")
    sha = {name: hashlib.sha256(good).hexdigest() for name in ("data/x.csv", "data/y.csv", "data/z.csv")}
    record = {"id": "r", "report": "r", "variant": None, "tables": ["x.csv", "y.csv", "z.csv"], "outputs": sha}
    assert [table.path for table in batch.published_tables(paths, [record])] == ["x.csv"]


# --- 3, 6, 7, 9. parameters: aliases, long values, huge numbers, repeats, numbers as a person writes them --

BOMB = (
    "peers=[&a [x, x, x, x, x, x, x, x, x], &b [*a, *a, *a, *a, *a, *a, *a, *a, *a], &c [*b, *b, *b, *b, *b, *b, *b, *b, *b], "
    + ", ".join(["[*c, *c, *c, *c, *c, *c, *c, *c, *c]"] * 9)
    + "]"
)


@pytest.fixture
def real_project(processed_template, tmp_path, monkeypatch):
    """The real data and the real reports.yml (its parameter models); ``KIELCE_PROJECT_ROOT`` points at it."""
    from .conftest import PROJECT_ROOT

    root = _copy(processed_template, tmp_path)
    shutil.copy(PROJECT_ROOT / "reports.yml", root / "reports.yml")
    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(root))
    return root


def _report(*args):
    """``python -m analysis report --city gdynia ARGS`` in this process: (status, stderr)."""
    import contextlib
    import io

    from analysis.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            status = main(["report", "--city", "gdynia", *args])
        except SystemExit as stop:
            status = stop.code
    return status, err.getvalue()


@pytest.mark.parametrize(
    "given, expected",
    [
        (
            BOMB,
            "error: parameter peers: cannot read the value '[&a [x, x, x, x, x, x, x, x, x], &b [*a, *a, *a, *a, *a, *a…: YAML anchors and aliases",
        ),
        ("peers=*a", "error: parameter peers: cannot read the value '*a': YAML anchors and aliases (&name, *name) are not allowed"),
        ("seed=" + "7" * 5000, "error: parameter seed: cannot read the value '" + "7" * 59 + "…: a number of 5000 digits (at most 40)"),
        ("top_n=" + "9" * 30, "error: parameter top_n=" + "9" * 30 + ": expected a whole number from 1 to 20"),
        ("top_n=0x1e", "error: parameter top_n='0x1e': expected a whole number from 1 to 20"),
        ("top_n=1_0", "error: parameter top_n='1_0': expected a whole number from 1 to 20"),
        ("top_n=!!int 0x1e", "error: parameter top_n: cannot read the value '!!int 0x1e': YAML tags"),
        ("peers=" + "A" * 5000, "error: parameter peers='" + "A" * 59 + "…: expected a list of city names"),
    ],
    ids=["alias-bomb", "alias", "5000-digits", "30-digits", "hex", "underscore", "tag", "long-name"],
)
def test_a_refused_parameter_is_one_short_line(real_project, given, expected):
    status, err = _report("-p", given, "--as", "x")
    assert status == 1
    assert err.startswith(expected), err[:300]
    assert err.count("\n") == 1 and len(err) < 400 and "Traceback" not in err


@pytest.mark.parametrize(
    "given, value", [("min_gap=1e-1", 0.1), ("min_gap=.5", 0.5), ("max_year_gap=5", 5), ("min_coverage=2.5E-1", 0.25), ("top_n=1e1", 10)]
)
def test_numbers_are_read_as_a_person_writes_them(given, value):
    from analysis.publish.manifest import parse_assignments

    name = given.partition("=")[0]
    parsed = parse_assignments([given])[name]
    assert parsed == value and not isinstance(parsed, str)


def test_a_parameter_given_twice_is_refused(real_project):
    status, err = _report("-p", "top_n=2", "-p", "top_n=3", "--as", "x")
    assert (status, err) == (1, "error: parameter top_n is given twice; give each parameter once\n")
    status, err = _report("--params", "top_n=2; top_n = 3", "--as", "x")
    assert (status, err) == (1, "error: parameter top_n is given twice; give each parameter once\n")


# --- 4. a variant name is one report's ------------------------------------------------------------


def test_a_variant_name_used_by_another_report_is_refused(real_project):
    import json

    records = real_project / "build" / "records" / "variants"
    records.mkdir(parents=True)
    record = {"id": "variants/mine", "name": "benchmark-porto", "report": "benchmark-{city}", "variant": "mine", "tables": []}
    (records / "mine.json").write_text(json.dumps(record), encoding="utf-8")
    status, err = _report("-p", "top_n=3", "--as", "mine", "--dry-run")
    assert status == 1
    assert err == (
        "error: variant name mine is already used by a variant of benchmark-porto; choose another name with --as (AS=), "
        "or rerun that variant's own command to rebuild it\n"
    )
    record["name"] = "benchmark-gdynia"  # the same report's variant: rebuilt with the new parameters
    (records / "mine.json").write_text(json.dumps(record), encoding="utf-8")
    assert _report("-p", "top_n=3", "--as", "mine", "--dry-run") == (0, "")


# --- 5. n_variants has a limit the machine can pay -------------------------------------------------


def test_n_variants_is_limited_to_what_memory_allows():
    from analysis.errors import ParameterError
    from analysis.params import BenchmarkParams

    assert BenchmarkParams.check({"n_variants": 20_000}).n_variants == 20_000
    with pytest.raises(ParameterError, match=r"^parameter n_variants=1000000: expected a whole number from 1 to 20000$"):
        BenchmarkParams.check({"n_variants": 1_000_000})


# --- 7, 9. make's variables: CITY and REPORT together, blank CITY=, negative JOBS ---------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ("make report CITY=gdynia REPORT=score-dispersion DRY_RUN=1", "error: CITY='gdynia' and REPORT='score-dispersion' given together; give one"),
        ("make report CITY= DRY_RUN=1", "error: CITY is empty; give a value (e.g. CITY=gdynia) or leave it out"),
        ("make report REPORT= DRY_RUN=1", "error: REPORT is empty; give a value (e.g. REPORT=score-dispersion) or leave it out"),
        ("make reports JOBS=-1 DRY_RUN=1", "error: JOBS='-1': expected a whole number of parallel notebook runs of at least 1, e.g. JOBS=2"),
        ("make reports JOBS=0 DRY_RUN=1", "error: JOBS='0': expected a whole number"),
        ("make reports JOBS= DRY_RUN=1", "error: JOBS is empty"),
        # A third sweep: `make report … JOBS=0|-3|abc` was ignored and published, exit 0.
        ("make report CITY=gdynia JOBS=abc DRY_RUN=1", "error: JOBS='abc' applies to `make reports`"),
        ("make report CITY=gdynia JOBS=2 DRY_RUN=1", "error: JOBS='2' applies to `make reports`"),
    ],
    ids=[
        "city-and-report",
        "blank-city",
        "blank-report",
        "negative-jobs",
        "zero-jobs",
        "blank-jobs",
        "jobs-on-one-report",
        "valid-jobs-on-one-report",
    ],
)
def test_make_refuses_contradictory_or_blank_variables_in_one_line(real_project, line, expected):
    from .test_make import MAKE, make

    if MAKE is None:
        pytest.skip("GNU make is not installed")
    result = make(line, real_project)
    assert result.returncode != 0
    assert "would publish" not in result.stdout and "dry run" not in result.stdout
    errors = [text for text in result.stderr.splitlines() if not text.startswith("make")]
    assert len(errors) == 1 and errors[0].startswith(expected), result.stderr


def test_negative_jobs_on_the_command_line_is_refused(real_project):
    result = run_cli(real_project, "reports", "--jobs", "-2", "--dry-run", isolated=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr == "error: --jobs -2: expected a whole number of parallel notebook runs of at least 1, e.g. --jobs 2\n"


# --- 8, 9. control and text-direction characters in raw text; a byte-order mark ----------------------


def _raw_copy(processed_template, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(processed_template / "data" / "raw", root / "data" / "raw")
    return root


def _refused_line(root):
    result = run_cli(root, "data")
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "file, old, new, where, code",
    [
        (
            "maturity_areas.tsv",
            "Digital city",
            "Digital \u202ecity",
            "maturity_areas.tsv:2, column 'name_en'",
            "U+202E (RIGHT-TO-LEFT OVERRIDE) at character 36",
        ),
        ("maturity_areas.tsv", "MIASTO CYFROWE", "MIASTO\x1b[31m CYFROWE", "maturity_areas.tsv:2, column 'name_pl'", "U+001B"),
        ("iso37120_comparison.tsv", "Stopa bezrobocia", "Stopa\x00bezrobocia", "iso37120_comparison.tsv:2, column 'indicator_pl'", "U+0000"),
        ("theme_labels.csv", "theme", "the\u2066me", "theme_labels.csv:1, column 'the\\u2066me'", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ],
    ids=["bidi-override", "escape", "nul", "bidi-in-header"],
)
def test_control_characters_in_raw_text_are_refused_with_file_line_and_column(processed_template, tmp_path, file, old, new, where, code):
    root = _raw_copy(processed_template, tmp_path)
    path = root / "data" / "raw" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    message = _refused_line(root)
    assert f"{where}: character {code}" in message, message
    assert not any(character in message for character in "\u202e\x1b\x00\u2066")  # named, never echoed
    assert not (root / "data" / "processed").exists()


def test_a_city_file_saved_with_a_byte_order_mark_is_read(processed_template, tmp_path):
    from .conftest import FIXTURES

    root = _raw_copy(processed_template, tmp_path)
    (root / "data" / "raw" / "cities").mkdir(exist_ok=True)
    text = (FIXTURES / "cities" / "testville.csv").read_text(encoding="utf-8")
    (root / "data" / "raw" / "cities" / "testville.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # Excel's "CSV UTF-8"
    result = run_cli(root, "data")
    assert result.returncode == 0, result.stderr
    assert "Testville" in (root / "data" / "processed" / "indicators.csv").read_text(encoding="utf-8")
    # A byte-order mark inside the text is an invisible character like the others.
    (root / "data" / "raw" / "cities" / "testville.csv").write_text(text.replace("2019", "20\ufeff19", 1), encoding="utf-8")
    assert "testville.csv:2, column 'year': character U+FEFF (ZERO WIDTH NO-BREAK SPACE)" in _refused_line(root)


@pytest.mark.parametrize("name", [".data.lock", ".lock"])
def test_a_named_pipe_in_place_of_a_lock_file_is_named_in_one_line(tmp_path, name):
    from analysis.data.storage import process_lock
    from analysis.errors import OutputError

    lock = tmp_path / name
    os.mkfifo(lock)
    with pytest.raises(OutputError, match=rf"^{lock} is a named pipe where the lock file belongs; remove it and run again$"):
        with process_lock(lock):
            pass


@pytest.mark.parametrize("name", ["gdynia-gap\n", "\ngdynia", "gdynia\x00", "a" * 65])
def test_a_variant_name_is_checked_whole(real_project, name):
    status, err = _report("-p", "top_n=3", "--as", name, "--dry-run")
    assert status == 1 and err.startswith("error: variant name ") and err.count("\n") == 1, err


def test_an_unknown_report_is_echoed_shortened(real_project):
    import contextlib
    import io

    from analysis.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["report", "--report", "x" * 10_000, "--dry-run"]) == 1
    assert err.getvalue().startswith("error: unknown report '" + "x" * 59 + "…; reports: score-dispersion, explore")


def test_a_named_pipe_in_place_of_the_manifest_is_refused_in_one_line(tmp_path):
    from analysis.errors import ManifestError
    from analysis.publish import load_manifest

    manifest = tmp_path / "reports.yml"
    os.mkfifo(manifest)
    with pytest.raises(ManifestError, match=rf"^{manifest}: cannot read the manifest: a named pipe, not a regular file$"):
        load_manifest(manifest)


def test_a_long_unknown_parameter_name_is_echoed_shortened(real_project):
    status, err = _report("-p", "x" * 100_000 + "=1", "--as", "x")
    assert status == 1 and err.startswith("error: parameter '" + "x" * 59 + "… is not a parameter of the report benchmark-gdynia; allowed: peers")
    assert len(err) < 400
