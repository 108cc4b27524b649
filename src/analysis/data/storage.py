"""Writing files so that a crash or an error never leaves a half-written one.

Every output is written to a temporary file in the target's own directory and
then renamed over the target (``os.replace`` is atomic on POSIX), so a reader sees
either the old complete file or the new complete file, never a mix.
"""

from __future__ import annotations

import os
import tempfile
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


def frame_to_csv_bytes(frame) -> bytes:
    """Serialise a frame to CSV the same way every time (UTF-8, LF, no index)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


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
