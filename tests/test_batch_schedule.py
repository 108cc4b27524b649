"""How the batch shares a build between its workers: each edition's notebook is a task of its own, and a report
is exported and published once all its editions have run (without a kernel, with a fake pool)."""

from __future__ import annotations

from concurrent.futures import Future
from types import SimpleNamespace

from analysis.publish import batch


class _SyncPool:
    """Runs each task when it is submitted and records it."""

    def __init__(self):
        self.calls = []

    def submit(self, fn, *args):
        self.calls.append((fn.__name__, args))
        future = Future()
        future.set_result(fn(*args))
        return future


def _jobs(*ids):
    return [(SimpleNamespace(id=job_id, record_path=lambda paths, job_id=job_id: paths.root / f"{job_id}.json"), ("exec", "page")) for job_id in ids]


def _paths(tmp_path):
    return SimpleNamespace(root=tmp_path)


def test_each_edition_runs_as_a_task_of_its_own_then_the_report_is_exported_once(tmp_path, monkeypatch):
    """Before: one task per report ran both editions; five equal reports on two workers gave one worker three."""
    monkeypatch.setattr(batch, "reusable", lambda *args: False)
    monkeypatch.setattr(batch, "execute_edition", lambda job, lang, first, root: (True, 1.0, ""))
    exported = []

    def build_report(job, keys, nav, facts, languages, root, executed=False):
        exported.append((job.id, executed))
        return batch.JobResult(job.id, "built", 0.5)

    monkeypatch.setattr(batch, "build_report", build_report)
    pool = _SyncPool()
    results = list(batch._run_pending(pool, _jobs("a", "b"), [], {}, ["pl", "en"], _paths(tmp_path)))
    names = [name for name, _ in pool.calls]
    assert names.count("<lambda>") == 4  # two reports x two editions
    assert sorted(exported) == [("a", True), ("b", True)]
    assert {r.id: (r.status, r.seconds) for r in results} == {"a": ("built", 2.5), "b": ("built", 2.5)}


def test_a_failed_edition_fails_its_report_and_nothing_of_it_is_published(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "reusable", lambda *args: False)
    monkeypatch.setattr(
        batch, "execute_edition", lambda job, lang, first, root: (False, 1.0, "notebook failed at cell 3") if lang == "en" else (True, 1.0, "")
    )
    monkeypatch.setattr(batch, "build_report", lambda *args: (_ for _ in ()).throw(AssertionError("exported a failed report")))
    results = list(batch._run_pending(_SyncPool(), _jobs("a"), [], {}, ["pl", "en"], _paths(tmp_path)))
    assert [(r.id, r.status, r.message) for r in results] == [("a", "failed", "notebook failed at cell 3")]


def test_a_report_whose_numbers_are_unchanged_is_only_exported(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "reusable", lambda *args: True)
    monkeypatch.setattr(batch, "execute_edition", lambda *args: (_ for _ in ()).throw(AssertionError("ran a notebook")))
    monkeypatch.setattr(batch, "build_report", lambda job, *args: batch.JobResult(job.id, "exported", 0.3))
    results = list(batch._run_pending(_SyncPool(), _jobs("a"), [], {}, ["pl", "en"], _paths(tmp_path)))
    assert [(r.id, r.status) for r in results] == [("a", "exported")]


def test_the_build_time_follows_source_date_epoch_and_refuses_a_bad_one(monkeypatch):
    import pytest

    from analysis.errors import ParameterError

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    assert batch.build_time() == "2025-12-01T00:00:00+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ParameterError, match=r"SOURCE_DATE_EPOCH='yesterday': expected whole seconds"):
        batch.build_time()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert batch.build_time().endswith("+00:00")


def test_one_report_gets_a_worker_per_edition(monkeypatch):
    """Before: one city's rerun (`make report`) ran its two editions in turn on one worker (16 s; about 10 side by side)."""
    monkeypatch.setattr(batch.os, "cpu_count", lambda: 2)
    assert batch.worker_count(None, 1, 2) == 2
    assert batch.worker_count(None, 7, 2) == 2
    assert batch.worker_count(1, 7, 2) == 1  # JOBS=1
    assert batch.worker_count(None, 1, 1) == 1


def test_the_report_command_does_not_pin_one_worker():
    import inspect

    from analysis import cli

    assert "max_workers=1" not in inspect.getsource(cli)
