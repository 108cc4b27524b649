"""Writing files so that a crash or an error never leaves a half-written one.

Every output is written to a temporary file in the target's own directory and
then renamed over the target (``os.replace`` is atomic on POSIX), so a reader sees
either the old complete file or the new complete file, never a mix.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating the parent directory."""
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
        os.replace(tmp_name, path)
    except OSError as exc:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def frame_to_csv_bytes(frame) -> bytes:
    """Serialise a frame to CSV the same way every time (UTF-8, LF, no index)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def atomic_write_csv(path: Path, frame) -> None:
    atomic_write_bytes(path, frame_to_csv_bytes(frame))
