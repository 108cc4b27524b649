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
