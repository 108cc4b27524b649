"""The README's own `make report` lines, run through make as a person types them.

The fast tests add ``DRY_RUN=1``: every check runs (manifest, city, parameters, variant name) and
the CLI says what it would publish, but no kernel starts. One slow test publishes a variant for real.
Each command runs in bash with ``make`` as a function that points make at this checkout
(``-C``), at the test's interpreter (``PY=``, no .venv set-up) and, through KIELCE_PROJECT_ROOT,
at a scratch copy of the project, so the README line itself is parsed by the shell unchanged.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="GNU make is not installed")


def readme_make_report_lines() -> list[str]:
    """Every `make report ...` command of the README: in code blocks and in `backticks`."""
    text = README.read_text(encoding="utf-8")
    lines = re.findall(r"^(make report\b[^\n#]*)", text, flags=re.MULTILINE)
    lines += re.findall(r"`(make report\b[^`]*)`", text)
    return sorted({line.strip() for line in lines})


def make(line: str, root: Path, *, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run a shell line that calls ``make`` against the project copy ``root``."""
    prefix = (
        f"make() {{ command make --no-print-directory -s -C {shlex.quote(str(PROJECT_ROOT))} "
        f'PY={shlex.quote(sys.executable)} NEEDS_BASE= NEEDS_TEST= "$@"; }}\n'
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("KIELCE_", "MAKE"))}
    environment.update({"KIELCE_PROJECT_ROOT": str(root), **(env or {})})
    return subprocess.run(["bash", "-c", prefix + line], cwd=root, env=environment, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def project(tmp_path_factory, processed_template) -> Path:
    """The real notebooks and manifest with the data already processed (nothing to rebuild)."""
    root = tmp_path_factory.mktemp("make") / "project"
    shutil.copytree(processed_template, root)
    shutil.copytree(PROJECT_ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(PROJECT_ROOT / "reports.yml", root / "reports.yml")
    return root


def test_the_readme_shows_make_report_lines():
    lines = readme_make_report_lines()
    assert "make report CITY=gdynia" in lines
    assert any("PARAMS=" in line and "AS=" in line for line in lines), lines


@pytest.mark.parametrize("line", readme_make_report_lines())
def test_each_make_report_line_of_the_readme_passes_its_checks(project, line):
    # Before the fix, GNU make's predefined AS = as made `make report CITY=gdynia` run `--as "as"`.
    result = make(line + " DRY_RUN=1", project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dry run: would publish" in result.stdout
    words = dict(word.split("=", 1) for word in shlex.split(line)[2:])
    expected = (
        f"variants/{words['AS']}" if "AS" in words else f"benchmark-{words['CITY']}" if "CITY" in words else words.get("REPORT", "score-dispersion")
    )
    assert f"would publish {expected} (" in result.stdout
    assert "{city}" not in result.stdout  # the page's name, not the report's template (a parameter sweep)
    assert "variants/as" not in result.stdout
    assert not (project / "reports").exists() and not (project / "build" / "executed").exists()


def test_parameters_without_a_variant_name_are_refused_not_published_as_a_variant_called_as(project):
    result = make("make report CITY=gdynia PARAMS='max_year_gap=5' DRY_RUN=1", project)
    assert result.returncode != 0
    assert "name the variant" in result.stderr and "variants/as" not in result.stdout


def test_an_assembler_named_in_the_environment_is_not_a_variant_name(project):
    result = make("make report CITY=gdynia DRY_RUN=1", project, env={"AS": "as"})
    assert result.returncode == 0, result.stderr
    assert "would publish benchmark-gdynia (" in result.stdout


# Every way a value could leave its quotes: a double quote, a single quote, backticks, $(...) for the
# shell and for make. Before the fix the Makefile pasted CITY, PARAMS, AS and JOBS into a shell line.
NASTY = "x\"; touch PWNED1; echo \"' ; touch PWNED2; echo '`touch PWNED3`$(touch PWNED4)$$(touch PWNED5)$(shell touch PWNED6)"


@pytest.mark.parametrize("variable", ["CITY", "PARAMS", "AS", "JOBS"])
def test_a_quote_in_a_value_runs_no_command(project, variable):
    target = "reports" if variable == "JOBS" else "report"
    line = f"make {target} {variable}={shlex.quote(NASTY)} DRY_RUN=1"  # reaches make exactly as typed
    if variable in ("PARAMS", "AS"):
        line += " CITY=gdynia"
    result = make(line, project)
    # make runs its recipes in this checkout (-C), the CLI in the project copy: neither may hold a PWNED file.
    assert not list(project.glob("PWNED*")) and not list(PROJECT_ROOT.glob("PWNED*")), (line, result.stdout, result.stderr)
    assert result.returncode != 0, line  # an unknown city, a malformed parameter, a bad variant name or number
    said = [text for text in result.stderr.splitlines() if text.strip() and not text.startswith(("make: ***", "usage:", "  "))]
    assert len(said) == 1 and "error:" in said[0], (line, result.stderr)
    assert 'x"; touch PWNED1' in said[0] or variable in ("PARAMS", "AS"), said  # the value as typed, quoted in the message


@pytest.mark.parametrize("params", ["themes=[Solid waste, Education]", 'themes=["Solid waste", Education]'])
def test_a_theme_with_a_space_can_be_passed(project, params):
    result = make(f"make report CITY=gdynia PARAMS={shlex.quote(params)} AS=gdynia-waste DRY_RUN=1", project)
    assert result.returncode == 0, result.stderr
    assert "would publish variants/gdynia-waste (" in result.stdout
    assert "themes = ['Solid waste'" in result.stdout


def test_make_passes_no_value_through_a_shell_line():
    result = subprocess.run(
        [MAKE, "-n", "-C", str(PROJECT_ROOT), "NEEDS_BASE=", "report", "CITY=Zielona Góra\"'", "PARAMS=top_n=2", "AS=zg"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Zielona" not in result.stdout and "top_n" not in result.stdout and "zg" not in result.stdout
    assert "-m analysis report --from-env" in result.stdout


@pytest.mark.slow
def test_the_readme_variant_line_publishes_its_pages(project, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(project, root)
    line = next(line for line in readme_make_report_lines() if "AS=" in line and "PARAMS=" in line and ";" in line)
    name = dict(word.split("=", 1) for word in shlex.split(line)[2:])["AS"]
    result = make(line, root, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for lang in ("pl", "en"):
        assert (root / "reports" / lang / "variants" / f"{name}.html").exists()
    assert not (root / "reports" / "pl" / "variants" / "as.html").exists()
    # The variant's workbook names its sheets as the default one does (a parameter sweep: "benchmark-kielce-comparison",
    # "benchmark-eindhoven-quality-fla", the English CSV names cut at 31 characters, in the Polish workbook).
    from openpyxl import load_workbook

    sheets = load_workbook(root / "reports" / "pl" / "variants" / f"{name}.xlsx").sheetnames
    assert "Porównanie" in sheets and not [sheet for sheet in sheets if sheet.startswith("benchmark-")], sheets
