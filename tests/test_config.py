"""The project paths: resolved once per absolute root (the label lookups ask for them per name), and still
following ``KIELCE_PROJECT_ROOT`` and, for a relative root, the working directory."""

from __future__ import annotations

from analysis import config


def test_the_paths_follow_the_environment_and_a_relative_root_follows_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(tmp_path / "one"))
    assert config.paths().root == (tmp_path / "one").resolve()
    monkeypatch.setenv("KIELCE_PROJECT_ROOT", str(tmp_path / "two"))
    assert config.paths().root == (tmp_path / "two").resolve()
    monkeypatch.chdir(tmp_path / "one")
    assert config.paths(".").root == (tmp_path / "one").resolve()
    monkeypatch.chdir(tmp_path / "two")
    assert config.paths(".").root == (tmp_path / "two").resolve()


def test_an_absolute_root_is_resolved_once(tmp_path, monkeypatch):
    calls = []
    original = config.Path.resolve

    def counting(self, *args, **kwargs):
        calls.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(config.Path, "resolve", counting)
    root = tmp_path / "project"
    for _ in range(100):
        config.paths(root)
    assert len(calls) <= 1
