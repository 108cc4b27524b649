"""The package's layers (pyproject.toml, [tool.importlinter]): no upward import, no cycle.

Runs import-linter's own command, ``lint-imports``, the way ``make lint`` does.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(project / "pyproject.toml"), "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_layer_contracts_hold():
    run = lint_imports(PROJECT_ROOT)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "2 kept, 0 broken" in run.stdout


def test_an_upward_import_breaks_both_contracts(tmp_path):
    """The check can fail: a data module importing the text layer is an upward import and a cycle."""
    shutil.copytree(PROJECT_ROOT / "src" / "analysis", tmp_path / "src" / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    offender = tmp_path / "src" / "analysis" / "data" / "labels.py"
    offender.write_text(offender.read_text() + "\nfrom analysis.text import i18n  # noqa: E402  (an upward import)\n")
    run = lint_imports(tmp_path)
    assert run.returncode != 0
    assert "analysis.data is not allowed to import analysis.text" in run.stdout
    assert "0 kept, 2 broken" in run.stdout
