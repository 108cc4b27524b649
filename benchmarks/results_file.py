"""Put one measured section into ``benchmarks/RESULTS.md`` (``bench_comparison.py --write``, ``bench_dispersion.py
--write``): in place of its previous version, else before the notes; the rest of the file stays as the last
``make bench`` wrote it."""

from __future__ import annotations

import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(heading: str, section: str, script: str, path: Path = RESULTS) -> None:
    """Replace the section that starts with ``heading`` by ``section`` (measured alone by ``script``)."""
    text = path.read_text(encoding="utf-8")
    note = (
        f"\n\n_This section was measured alone (`benchmarks/{script} --write`, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}); the rest of the file is from the last `make bench`._"
    )
    block = section.strip() + note + "\n"
    if heading in text:
        start = text.index(heading)
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + block + (text[end:] if end >= 0 else "")
    elif "\n## Notes" in text:
        at = text.index("\n## Notes")
        text = text[:at] + "\n" + block + text[at:]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")
