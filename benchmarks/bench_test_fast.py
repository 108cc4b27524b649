"""Time `make test-fast` (two pytest-xdist processes) side by side with the same tests in one process.

Run: ``.venv/bin/python benchmarks/bench_test_fast.py`` (prints a Markdown section), or with ``--write`` to
put it into ``benchmarks/test-fast.md``, which ``make bench`` copies into ``benchmarks/RESULTS.md``
(``make bench`` itself does not run the tests: they need the ``[test]`` extra and take minutes).
Each way runs ``--runs`` times (default 3), alternating, so a change in the machine's load hits both;
the median is compared with the issue's target (under 60 s).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 60.0
BASE = [sys.executable, "-m", "pytest", "-m", "not slow", "-q", "-p", "no:cacheprovider"]
WAYS = {
    "two processes (`make test-fast`: `-n 2`)": [*BASE, "-n", "2"],
    "one process (`-n 0`)": [*BASE, "-n", "0"],
}


def run_once(command: list[str]) -> dict:
    start_wall, start = time.perf_counter(), os.times()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    end = os.times()
    if result.returncode != 0:
        raise SystemExit(f"error: {' '.join(command[2:])} failed (exit {result.returncode}):\n{result.stdout[-2000:]}")
    tail = result.stdout.strip().splitlines()[-1]
    passed = re.search(r"(\d+) passed", tail)
    return {
        "wall": time.perf_counter() - start_wall,
        "cpu": (end.children_user - start.children_user) + (end.children_system - start.children_system),
        "passed": int(passed.group(1)) if passed else 0,
    }


def measure(runs: int) -> tuple[dict, tuple[float, float]]:
    load_before = os.getloadavg()[0]
    samples: dict[str, list[dict]] = {way: [] for way in WAYS}
    for _ in range(runs):
        for way, command in WAYS.items():
            print(f"measuring: {way} …", file=sys.stderr, flush=True)
            samples[way].append(run_once(command))
    return samples, (load_before, os.getloadavg()[0])


def markdown(samples: dict, load: tuple[float, float]) -> str:
    def med(way, key):
        return statistics.median(s[key] for s in samples[way])

    lines = [
        "## Test suite: `make test-fast` (issue 19)",
        "",
        "`benchmarks/bench_test_fast.py --write`: the tests that start no kernel and no browser "
        '(`pytest -m "not slow"`), each way run in turn, median of '
        f"{len(next(iter(samples.values())))} runs. Target: under {TARGET_S:.0f} s.",
        "",
        "| way | tests passed | wall time, median (min–max) | CPU time, median |",
        "|---|---|---|---|",
    ]
    for way, runs in samples.items():
        walls = [s["wall"] for s in runs]
        lines.append(f"| {way} | {runs[0]['passed']} | {med(way, 'wall'):.1f} s ({min(walls):.1f}–{max(walls):.1f}) | {med(way, 'cpu'):.1f} s |")
    fast, slow = WAYS
    verdict = "met" if med(fast, "wall") < TARGET_S else "NOT met"
    lines += [
        "",
        f"- target under {TARGET_S:.0f} s: **{verdict}** ({med(fast, 'wall'):.1f} s); two processes take "
        f"{med(slow, 'wall') / med(fast, 'wall'):.1f}× less wall time than one, for "
        f"{med(fast, 'cpu') - med(slow, 'cpu'):+.1f} s of CPU time (each process collects the tests and builds its own session fixtures)",
        f"- load average (1 min) on {os.cpu_count()} cores: {load[0]:.1f} at the start, {load[1]:.1f} at the end "
        "(a shared virtual machine: wall times vary by about ±5 s from run to run)",
        f"- measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each way (default 3)")
    parser.add_argument("--write", action="store_true", help="write benchmarks/test-fast.md")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs: at least 1")
    text = markdown(*measure(args.runs))
    if args.write:
        (Path(__file__).resolve().parent / "test-fast.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
