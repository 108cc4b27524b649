"""Writing files so that a crash or an error never leaves a half-written one.

Every output is written to a temporary file in the target's own directory and
then renamed over the target (``os.replace`` is atomic on POSIX), so a reader sees
either the old complete file or the new complete file, never a mix. Temporary
files are named ``.<target>.<random>.tmp``; a killed build leaves them behind and
the next build (holding the lock, :func:`process_lock`) removes them
(:func:`remove_temporaries`).

Every CSV is written by :func:`frame_to_csv_bytes`, which neutralises text cells
a spreadsheet would run as a formula (:func:`neutralise_formulas`, policy in
``data/raw/README.md``); :func:`restore_formulas` undoes it when the project reads
its own CSVs back.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import re
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from analysis.errors import OutputError


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating the parent directory."""
    path = Path(path)
    staged = stage_bytes(path, data)
    try:
        os.replace(staged, path)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


# --- spreadsheet formulas (CSV injection) ----------------------------------------------------------

# A cell beginning with one of these is a formula to Excel, LibreOffice or Google Sheets (OWASP
# "CSV Injection"). Tab and carriage return are on OWASP's list too.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# ... unless the whole cell is a plain number (a spreadsheet reads ``-5,2`` or ``+48`` as a number,
# not a formula) or only dashes (``-``, ``—``: "none" as printed).
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d \u00a0]*([.,]\d+)?|[.,]\d+)([eE][+-]?\d+)?\s*%?|[+-]?(inf|nan)|[-\u2013\u2014]+", re.IGNORECASE)
# Neutralised cells get one leading single quote; a cell already made of quotes and then a trigger
# gets one more, so that :func:`restore_formulas` gives back exactly what was there.
_NEEDS_QUOTE = re.compile("'*[=+\\-@\t\r]")
_QUOTED = re.compile("'+[=+\\-@\t\r]")


def neutralise_cell(value):
    """``'=1+1'`` → ``"'=1+1"``; numbers, ``'-5,2'``, ``'-'`` and other text unchanged.

    >>> [neutralise_cell(v) for v in ["=HYPERLINK(1)", "@SUM(A1)", "+1 +1", "-2+3", "-5,2", "-", "Kielce", -3.5]]
    ["'=HYPERLINK(1)", "'@SUM(A1)", "'+1 +1", "'-2+3", '-5,2', '-', 'Kielce', -3.5]
    """
    if isinstance(value, str) and _NEEDS_QUOTE.match(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def restore_cell(value):
    """The inverse of :func:`neutralise_cell` for a cell read back from one of our CSVs."""
    if isinstance(value, str) and _QUOTED.match(value) and not _PLAIN_NUMBER.fullmatch(value[1:]):
        return value[1:]
    return value


def _text_columns(frame):
    """Columns that may hold text (object or a string dtype); numeric, boolean and date columns are left alone."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    return [column for column in frame.columns if is_object_dtype(frame[column].dtype) or is_string_dtype(frame[column].dtype)]


def neutralise_formulas(frame):
    """A copy of ``frame`` whose text cells a spreadsheet would run as formulas begin with ``'``.

    Only text columns are touched: numeric columns stay numeric (a negative number is never quoted).
    """
    columns = [c for c in _text_columns(frame) if frame[c].map(lambda v: neutralise_cell(v) is not v).any()]
    if not columns:
        return frame
    frame = frame.copy()
    for column in columns:
        frame[column] = frame[column].map(neutralise_cell)
    return frame


def restore_formulas(frame):
    """``frame`` (read from one of our CSVs) with the quotes :func:`neutralise_formulas` added removed."""
    for column in _text_columns(frame):
        if frame[column].map(lambda v: restore_cell(v) is not v).any():
            frame[column] = frame[column].map(restore_cell)
    return frame


def frame_to_csv_bytes(frame) -> bytes:
    """Serialise a frame to CSV the same way every time (UTF-8, LF, no index), formulas neutralised."""
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


class NotRegularFileError(OSError):
    """A path that should hold one of our files is something else (a named pipe, a directory, a device)."""


def file_kind(mode: int) -> str:
    """``a file``, ``a directory``, ``a named pipe`` … for an ``st_mode``."""
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_regular_bytes(path: Path) -> bytes:
    """The bytes of ``path``, which must be a regular file; never blocks.

    A named pipe is opened without waiting for a writer (``O_NONBLOCK``) and refused
    after ``fstat``, as is a directory or a device: a plain ``read_bytes`` on a pipe
    waits forever for someone to write to it. Raises :class:`NotRegularFileError`
    (an ``OSError``) naming what was found, or the ``OSError`` of the open.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = file_kind(mode)
            raise NotRegularFileError(errno.EINVAL, f"{kind}, not a regular file", str(path))
        os.set_blocking(fd, True)
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    """SHA-256 of a regular file's bytes (:func:`read_regular_bytes`: a named pipe raises, never blocks)."""
    return hashlib.sha256(read_regular_bytes(path)).hexdigest()


# --- temporary files and the lock --------------------------------------------------------------------


def remove_temporaries(*tops: Path) -> list[Path]:
    """Delete the temporary files (``.*.tmp``) a killed run left under ``tops``. Call it holding the lock."""
    removed = []
    for top in tops:
        top = Path(top)
        if not top.is_dir():
            continue
        for leftover in top.rglob(".*.tmp"):
            try:
                leftover.unlink()
                removed.append(leftover)
            except IsADirectoryError:
                import shutil

                shutil.rmtree(leftover, ignore_errors=True)
                removed.append(leftover)
            except FileNotFoundError:
                pass
    return removed


@contextmanager
def process_lock(path: Path, what: str = "another build", out=None):
    """Hold an exclusive lock on ``path`` for the ``with`` block; wait (saying so) while another process holds it.

    A POSIX record lock (``lockf``), not ``flock``: it belongs to this process only, so the
    workers forked while it is held do not hold it too, and the kernel releases it the moment
    this process dies, even of SIGKILL; a dead owner never blocks the next build. The lock
    file holds the owner's pid, for the message only.
    """
    out = out if out is not None else sys.stdout
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot create {path}: {exc.strerror or exc}") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OutputError(f"{path} is {file_kind(mode)} where the lock file belongs; remove it and run again")
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            try:
                owner = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            except OSError:
                owner = ""
            print(f"{what} (pid {owner or '?'}) is running; waiting for it to finish", file=out, flush=True)
            fcntl.lockf(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def atomic_write_csv(path: Path, frame) -> None:
    atomic_write_bytes(path, frame_to_csv_bytes(frame))


def stage_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file next to ``path`` (not yet visible); return the temporary path.

    With :func:`commit_staged` several files are published together: everything is
    written first (a full disk fails here, before anything is replaced), then only
    renames follow, which need no space.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
    except OSError as exc:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return Path(tmp_name)


def discard_staged(staged: list[tuple[Path, Path]]) -> None:
    for tmp, _ in staged:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def commit_staged(staged: list[tuple[Path, Path]]) -> None:
    """Rename every staged ``(temporary, target)`` into place, with SIGINT/SIGTERM/SIGHUP held back meanwhile.

    A signal arriving during the renames is delivered after the last one, so a
    report is never left with new tables and an old page because of Ctrl-C.
    """
    import signal

    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        for tmp, target in staged:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                discard_staged([(t, g) for t, g in staged if Path(t).exists()])
                raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
