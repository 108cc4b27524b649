"""A crash, a second build or a full disk never leaves a broken report behind."""

import errno
import os
import signal
import subprocess
import sys
import time

import pytest

from analysis import storage
from analysis.errors import OutputError

from .conftest import run_cli


def complete_html(path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    return text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")


def test_atomic_write_on_a_full_disk_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("old complete report", encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", disk_full)
    with pytest.raises(OutputError, match=r"cannot write .*report\.html: No space left on device"):
        storage.atomic_write_text(target, "new report")
    assert target.read_text(encoding="utf-8") == "old complete report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left


def test_unwritable_reports_folder_gives_a_clear_error(project_copy):
    assert run_cli(project_copy, "data").returncode == 0
    # A file where the reports folder should be: fails for root too, unlike chmod.
    (project_copy / "reports").write_text("not a folder", encoding="utf-8")
    result = run_cli(project_copy, "reports")
    assert result.returncode == 1
    assert "error: cannot create" in result.stderr and "reports" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions; the test above covers the failure path")
def test_read_only_reports_folder_gives_a_clear_error(project_copy):
    assert run_cli(project_copy, "data").returncode == 0
    reports = project_copy / "reports"
    reports.mkdir()
    reports.chmod(0o500)
    try:
        result = run_cli(project_copy, "reports")
    finally:
        reports.chmod(0o700)
    assert result.returncode == 1 and "permission denied" in result.stderr


@pytest.mark.slow
def test_killed_build_leaves_old_or_new_reports_and_the_next_build_repairs(project_copy):
    assert run_cli(project_copy, "data").returncode == 0
    first = run_cli(project_copy, "reports")
    assert first.returncode == 0, first.stdout + first.stderr
    reports = project_copy / "reports"
    old = {p.name: p.read_bytes() for p in reports.glob("*.html")}
    assert len(old) == 7  # five cities, the dispersion report, the index
    for record in (project_copy / "build").glob("*.json"):
        record.unlink()  # every report is now out of date

    env = {**os.environ, "KIELCE_PROJECT_ROOT": str(project_copy)}
    build = subprocess.Popen([sys.executable, "-m", "analysis", "reports"], cwd=project_copy, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 120
    # Wait until notebooks are running (a kernel log exists and an executed notebook is being written or done).
    while time.time() < deadline and not list((project_copy / "build").glob("kernel-*.log")):
        time.sleep(0.2)
    time.sleep(6)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait(timeout=30)

    for path in reports.glob("*.html"):
        assert complete_html(path), f"{path.name} is half-written"
        assert path.name in old
    repaired = run_cli(project_copy, "reports")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    rebuilt = repaired.stdout.count(": built in")
    assert rebuilt >= 1  # what the kill interrupted is built again ...
    assert rebuilt + repaired.stdout.count("up to date, skipped") == 6  # ... and what finished before it is kept
    now = sorted(p.name for p in reports.glob("*.html"))
    assert now == sorted(old)
    assert all(complete_html(reports / name) for name in now)
    assert not list(reports.glob(".*.tmp")) and not list((reports / "data").glob(".*.tmp"))
    assert all((project_copy / "build" / f"{name[:-5]}.json").exists() for name in now if name != "index.html")


@pytest.mark.slow
def test_two_builds_at_once_do_not_corrupt_outputs(built):
    (built / "build" / "benchmark-testville.json").unlink()  # out of date: the first build rebuilds it
    csv_before = (built / "reports" / "data" / "benchmark-testville.csv").read_bytes()
    env = {**os.environ, "KIELCE_PROJECT_ROOT": str(built)}
    command = [sys.executable, "-m", "analysis", "report", "--city", "testville"]
    builds = [subprocess.Popen(command, cwd=built, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [b.communicate(timeout=600) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], outputs
    stdout = "".join(out for out, _ in outputs)
    assert stdout.count("built in") == 1 and stdout.count("up to date, skipped") == 1  # the lock serialised them
    assert complete_html(built / "reports" / "benchmark-testville.html")
    # Written twice from the same input, the report's CSVs are byte-identical.
    assert (built / "reports" / "data" / "benchmark-testville.csv").read_bytes() == csv_before
