"""environment.yml (conda) and pyproject.toml (pip, the base and every extra) ask for the same packages."""

import re

import tomllib
import yaml  # installed with jupyter

from .conftest import PROJECT_ROOT


def _normalise(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", requirement.strip()).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_matches_pyproject():
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    wanted = dict(_normalise(r) for r in pyproject["project"]["dependencies"])
    for extra in pyproject["project"]["optional-dependencies"].values():  # the conda environment holds every extra
        wanted.update(_normalise(r) for r in extra)
    environment = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    conda = dict(_normalise(d) for d in environment["dependencies"] if isinstance(d, str))
    for extra in environment["dependencies"]:
        if isinstance(extra, dict):
            conda.update(_normalise(d) for d in extra.get("pip", []))
    python_floor = conda.pop("python")
    conda.pop("pip")
    assert conda == wanted
    assert python_floor == pyproject["project"]["requires-python"]
