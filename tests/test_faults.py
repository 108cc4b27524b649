"""A crash, a second build or a full disk never leaves a broken report behind."""

import errno
import os
import signal
import subprocess
import sys
import time

import pytest

from analysis import config
from analysis.data import storage
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


# --- interruptions: kill -9, Ctrl-C, SIGTERM, two builds at once (fixture notebooks) ---------------


def snapshot(root):
    """Every file under data/processed and reports/ (temporary files aside), by path."""
    files = {}
    for top in (root / "data" / "processed", root / "reports"):
        for path in sorted(top.rglob("*")):
            if path.is_file() and not path.name.endswith(".tmp"):
                files[str(path.relative_to(root))] = path.read_bytes()
    return files


def assert_whole(root, before):
    """Nothing that existed is gone, and every file is complete."""
    now = snapshot(root)
    missing = sorted(set(before) - set(now))
    assert not missing, f"deleted by the interruption: {missing}"
    for name, data in now.items():
        if name.endswith(".html"):
            text = data.decode("utf-8")
            assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>"), f"{name} is truncated"
        elif name.endswith(".csv"):
            assert data.endswith(b"\n") and len(data.splitlines()) >= 2, f"{name} is truncated"


@pytest.fixture(scope="module")
def published(published_fixture_project):
    """The fixture project built once (conftest); each interruption test works on a copy of it."""
    return published_fixture_project


def copy_with_a_new_city(published, tmp_path):
    """A copy of the built project with Testville added: the data step and every page are out of date."""
    import shutil

    from .conftest import FIXTURES

    root = tmp_path / "project"
    shutil.copytree(published, root, symlinks=True)
    (root / "data" / "raw" / "cities").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "cities" / "testville.csv", root / "data" / "raw" / "cities" / "testville.csv")
    return root


def survivors(session: int, wait: float = 15.0) -> list[str]:
    """Processes still running in the build's session (its workers) after ``wait`` seconds."""
    deadline = time.time() + wait
    while True:
        found = subprocess.run(["ps", "-eo", "pid,sid,args"], capture_output=True, text=True).stdout.splitlines()[1:]
        alive = [line.strip() for line in found if line.split()[1] == str(session) and "<defunct>" not in line]
        if not alive or time.time() > deadline:
            return alive
        time.sleep(0.5)


@pytest.mark.slow
@pytest.mark.parametrize(
    "signum, delay",
    # At 0.3 s the data step is running, at 1.5 s kernels are starting, at 6 s notebooks run and pages are published.
    [
        (signal.SIGINT, 0.3),
        (signal.SIGINT, 1.5),
        (signal.SIGINT, 6.0),
        (signal.SIGTERM, 0.3),
        (signal.SIGTERM, 1.5),
        (signal.SIGTERM, 6.0),
        (signal.SIGHUP, 1.5),
        (signal.SIGKILL, 6.0),
    ],
    ids=lambda value: signal.Signals(value).name if isinstance(value, signal.Signals) else f"{value}s",
)
def test_a_signal_at_any_moment_deletes_or_truncates_nothing_and_the_next_build_repairs(published, tmp_path, signum, delay):
    # Issue 10: Ctrl-C, SIGTERM or SIGHUP in the first second deleted data/processed/*.csv.
    root = copy_with_a_new_city(published, tmp_path)
    before = snapshot(root)
    env = {**os.environ, "KIELCE_PROJECT_ROOT": str(root)}
    build = subprocess.Popen(
        [sys.executable, "-m", "analysis", "reports", "--jobs", "2"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    time.sleep(delay)
    if signum in (signal.SIGINT, signal.SIGKILL):
        os.killpg(build.pid, signum)  # Ctrl-C reaches the whole process group; kill -9 of the build and its workers
    else:
        build.send_signal(signum)  # kill / systemd / a closed terminal signal the build itself
    output = build.communicate(timeout=120)[0].decode()
    if build.returncode != 0:
        assert build.returncode in (130, -signal.SIGKILL, 1), output
    assert not survivors(build.pid), f"processes of the stopped build still run: {survivors(build.pid)}"
    assert_whole(root, before)
    repaired = run_cli(root, "reports")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert (root / "reports" / "pl" / "benchmark-testville.html").exists()
    assert "Testville" in (root / "reports" / "en" / "benchmark-kielce.html").read_text(encoding="utf-8")
    assert not list((root / "reports").rglob(".*.tmp")) and not list((root / "data").rglob(".*.tmp"))
    again = run_cli(root, "reports")
    assert again.stdout.count("up to date, skipped") == 7, again.stdout


@pytest.mark.slow
def test_ctrl_c_in_make_reports_deletes_no_processed_file(published, tmp_path):
    # Issue 10: make's grouped target deleted data/processed/*.csv that Python never touched.
    root = copy_with_a_new_city(published, tmp_path)
    before = snapshot(root)
    makefile = config.PROJ_ROOT / "Makefile"
    env = {**os.environ, "KIELCE_PROJECT_ROOT": str(root)}
    build = subprocess.Popen(
        ["make", "-f", str(makefile), "reports", f"PY={sys.executable}", "STAMP=", "JOBS=2"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    time.sleep(0.8)
    os.killpg(build.pid, signal.SIGINT)
    output = build.communicate(timeout=120)[0].decode()
    assert "Deleting file" not in output, output
    assert_whole(root, before)


@pytest.mark.slow
def test_two_builds_at_once_do_not_corrupt_outputs(published, tmp_path):
    root = copy_with_a_new_city(published, tmp_path)
    env = {**os.environ, "KIELCE_PROJECT_ROOT": str(root)}
    command = [sys.executable, "-m", "analysis", "reports", "--jobs", "1"]
    builds = [subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [b.communicate(timeout=600) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], outputs
    stdout = "".join(out for out, _ in outputs)
    # One build publishes all 7 (the dispersion page only re-exported: its data did not change), the other skips them.
    rebuilt = stdout.count(": built in") + stdout.count(": pages rebuilt (no change in its data)")
    assert rebuilt == 7 and stdout.count("up to date, skipped") == 7  # the lock serialised them
    assert_whole(root, {})


class _FakeClient:
    def __init__(self, manager):
        self.manager = manager

    def start_channels(self):
        pass

    def stop_channels(self):
        pass

    def wait_for_ready(self, timeout=None):
        if self.manager.dies:
            raise RuntimeError("Kernel died before replying to kernel_info")


class _FakeManager:
    def __init__(self, dies):
        self.dies, self.started, self.shut_down = dies, False, False

    def start_kernel(self, **kwargs):
        self.started = True

    def client(self):
        return _FakeClient(self)

    def shutdown_kernel(self, now=False):
        self.shut_down = True


def test_a_kernel_that_dies_on_start_is_started_again(tmp_path):
    """Seen in a full build: two workers' kernels picked the same port and one died with "Address already
    in use" before replying, failing a report. A second kernel (new ports) now takes its place."""
    from analysis.publish.runner import start_kernel

    managers = [_FakeManager(dies=True), _FakeManager(dies=False)]
    made = iter(managers)
    with open(tmp_path / "kernel.log", "ab") as log:
        chosen = start_kernel(lambda: next(made), cwd=tmp_path, log=log)
    assert chosen is managers[1]
    assert managers[0].shut_down and not managers[1].shut_down


def test_a_kernel_that_keeps_dying_fails_with_one_line_naming_the_log(tmp_path):
    from analysis.publish.runner import start_kernel

    with open(tmp_path / "kernel.log", "ab") as log:
        with pytest.raises(RuntimeError, match=r"died on start 3 times; see .*kernel\.log"):
            start_kernel(lambda: _FakeManager(dies=True), cwd=tmp_path, log=log)
