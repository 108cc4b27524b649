"""What makes a build redo a page or the data package: every source it depends on, subpackages and templates included.

A sceptical reader found reports/data/datapackage.json describing ``peer_median`` as before a change to
``analysis/data/published_schemas.py``: the package's key hashed the top-level modules only. A template-only
change (``analysis/text/templates/*.j2``) did not re-execute the notebooks either."""

from __future__ import annotations

from types import SimpleNamespace

from analysis import config
from analysis.publish import batch


def _library(tmp_path):
    library = tmp_path / "analysis"
    (library / "data").mkdir(parents=True)
    (library / "text" / "templates").mkdir(parents=True)
    (library / "__init__.py").write_text("", encoding="utf-8")
    (library / "data" / "published_schemas.py").write_text("DESCRIPTION = 'old'\n", encoding="utf-8")
    (library / "text" / "templates" / "box.md.j2").write_text("old words\n", encoding="utf-8")
    return library


def test_a_change_in_a_subpackage_module_changes_the_data_package_key(tmp_path, monkeypatch):
    library = _library(tmp_path)
    monkeypatch.setattr(batch, "LIBRARY", library)
    paths = config.paths()
    before = batch.package_key(paths, [])
    assert batch.package_key(paths, []) == before  # nothing changed: same key (silent)
    (library / "data" / "published_schemas.py").write_text("DESCRIPTION = 'new'\n", encoding="utf-8")
    assert batch.package_key(paths, []) != before  # fires


def test_a_template_only_change_changes_the_execution_key(tmp_path, monkeypatch):
    library = _library(tmp_path)
    monkeypatch.setattr(batch, "LIBRARY", library)
    notebook = tmp_path / "report.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    paths = SimpleNamespace(root=tmp_path)
    job = SimpleNamespace(id="benchmark-x", parameters={}, report=SimpleNamespace(notebook="report.ipynb", inputs=[]))
    before = batch.execution_key(job, paths, ["pl", "en"])
    assert batch.execution_key(job, paths, ["pl", "en"]) == before
    (library / "text" / "templates" / "box.md.j2").write_text("new words\n", encoding="utf-8")
    assert batch.execution_key(job, paths, ["pl", "en"]) != before
