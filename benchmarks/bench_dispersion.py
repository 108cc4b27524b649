"""Speed of the score-dispersion analysis; prints a Markdown section for benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/bench_dispersion.py [--repeats 5]

Measures, on the real maturity scores read straight from data/raw:

* the whole analysis, ``run_dispersion(scores, n_boot=2000)`` (35 cell bootstraps, agreement,
  a cluster bootstrap over raters with 2 000 resamples, the sign-flip test, the mixed
  model, rater diagnostics), in a fresh Python process each time, so the first call's
  lazy imports are counted, and again warm, in one process; target: under 2 s. Wall time
  and CPU time (the process's user + system time during the call) are both given: on a
  shared machine the wall time grows with the other jobs' load, the CPU time much less;
* the same against the straightforward way (``tests/dispersion_reference.py``: the path as it
  was before issue 17, where every step computed its own per-area tables), which gives the
  same numbers (``tests/test_dispersion_shared.py``);
* the cluster bootstrap alone (2 000 resamples of 44 raters), as the library does it
  (per-rater sums, one integer draw matrix, numpy) against the naive way: a Python loop
  over resamples that gathers the drawn raters' rows with pandas and takes a groupby per
  resample. Both use the same random draws and must give the same interval.

Each figure is the median of ``--repeats`` runs, with min–max.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 2.0
N_BOOT = 2000
SEED = 2018

COLD = (
    "import time\n"
    "from analysis.data.cleaning import clean_maturity_scores\n"
    "from {module} import run_dispersion\n"
    "scores, _ = clean_maturity_scores()\n"
    "start, cpu = time.perf_counter(), time.process_time(); run_dispersion(scores, n_boot=2000)\n"
    "print(time.perf_counter() - start, time.process_time() - cpu)\n"
)
NEW, STRAIGHTFORWARD = "analysis.methods.dispersion", "tests.dispersion_reference"


def cold_runs(module: str, repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of the first call in a fresh process, ``repeats`` times."""
    wall, cpu = [], []
    for _ in range(repeats):
        output = subprocess.run([sys.executable, "-c", COLD.format(module=module)], capture_output=True, text=True, check=True, cwd=ROOT).stdout
        w, c = map(float, output.split())
        wall.append(w)
        cpu.append(c)
    return wall, cpu


def warm_runs(run, scores, repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of repeated calls in this process (after one warm-up call)."""
    run(scores, n_boot=N_BOOT)
    wall, cpu = [], []
    for _ in range(repeats):
        start, used = time.perf_counter(), time.process_time()
        run(scores, n_boot=N_BOOT, seed=SEED)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    return wall, cpu


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def summary(samples: list[float]) -> dict:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "n": len(samples)}


def fmt(stats: dict, unit: str = "s") -> str:
    if unit == "ms":
        return f"{stats['median'] * 1000:.1f} ms (min {stats['min'] * 1000:.1f}, max {stats['max'] * 1000:.1f}; {stats['n']} runs)"
    return f"{stats['median']:.2f} s (min {stats['min']:.2f}, max {stats['max']:.2f}; {stats['n']} runs)"


def naive_cluster_bootstrap(gaps: pd.DataFrame, n_boot: int, seed: int) -> tuple[float, float]:
    """The way one would write it first: per resample, pick the drawn raters' rows with pandas
    (``.loc`` repeats a rater drawn twice) and take a groupby over raters."""
    raters = pd.unique(gaps["rater"])
    indexed = gaps.set_index("rater")
    draws = np.random.default_rng(seed).integers(0, len(raters), size=(n_boot, len(raters)))
    estimates = []
    for draw in draws:
        sample = indexed.loc[raters[draw]]
        per_rater = sample.groupby(level=0)["gap"].agg(["sum", "count"])
        estimates.append(per_rater["sum"].sum() / per_rater["count"].sum())
    low, high = np.percentile(estimates, [2.5, 97.5])
    return float(low), float(high)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="put the section into benchmarks/RESULTS.md")
    args = parser.parse_args(argv)

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # tests.dispersion_reference
    from tests.dispersion_reference import run_dispersion as straightforward_run

    from analysis.data.cleaning import clean_maturity_scores
    from analysis.methods.dispersion import cluster_bootstrap_gap, collapse_rater_copies, rating_gaps, run_dispersion

    load_before = load()
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
    cold, cold_cpu = cold_runs(NEW, args.repeats)
    old_cold, old_cold_cpu = cold_runs(STRAIGHTFORWARD, args.repeats)

    scores, _ = clean_maturity_scores()
    warm, warm_cpu = warm_runs(run_dispersion, scores, args.repeats)
    old_warm, old_warm_cpu = warm_runs(straightforward_run, scores, args.repeats)

    gaps = rating_gaps(collapse_rater_copies(scores))
    fast, naive = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        boot = cluster_bootstrap_gap(gaps, n_boot=N_BOOT, seed=SEED)
        fast.append(time.perf_counter() - start)
    naive_repeats = max(1, min(args.repeats, 3))  # the naive loop takes seconds a run; spare the shared cores
    for _ in range(naive_repeats):
        start = time.perf_counter()
        naive_interval = naive_cluster_bootstrap(gaps, N_BOOT, SEED)
        naive.append(time.perf_counter() - start)
    same = np.allclose(naive_interval, (boot["ci_low"], boot["ci_high"]))

    cold_s, warm_s, fast_s, naive_s = summary(cold), summary(warm), summary(fast), summary(naive)
    cold_cpu_s, warm_cpu_s = summary(cold_cpu), summary(warm_cpu)
    old_cold_s, old_cold_cpu_s, old_warm_s, old_warm_cpu_s = summary(old_cold), summary(old_cold_cpu), summary(old_warm), summary(old_warm_cpu)
    verdict = "met" if cold_s["median"] < TARGET_S else "MISSED"
    lines = [
        "## Score dispersion: whole analysis with 2 000 cluster-bootstrap resamples",
        "",
        f"- `run_dispersion` on all 7 areas, `n_boot=2000` (35 cells, agreement, cluster bootstrap over "
        f"{boot['n_clusters']} raters, sign-flip test, mixed model, rater diagnostics, straight-liner and duplicate "
        f"sensitivities), fresh process each run (first call, imports included): wall {fmt(cold_s)}, CPU {fmt(cold_cpu_s)}; "
        f"target under {TARGET_S:.0f} s: **{verdict}**",
        f"- the same, warm (repeated calls in one process): wall {fmt(warm_s)}, CPU {fmt(warm_cpu_s)}",
        f"- the straightforward way (`tests/dispersion_reference.py`, every step computing its own per-area tables; "
        f"same numbers): fresh process wall {fmt(old_cold_s)}, CPU {fmt(old_cold_cpu_s)}; warm wall {fmt(old_warm_s)}, "
        f"CPU {fmt(old_warm_cpu_s)}; the shared tables take {old_warm_cpu_s['median'] / warm_cpu_s['median']:.1f}× less CPU time warm, "
        f"{old_cold_cpu_s['median'] / cold_cpu_s['median']:.1f}× less in a fresh process",
        f"- measured {started} UTC; load average (1 min) while measuring: {load_before} at the start, {load()} at the end, on "
        f"{os.cpu_count()} cores shared with other jobs (wall times grow with it; CPU time is the fairer comparison)",
        f"- cluster bootstrap alone, {N_BOOT} resamples of {boot['n_clusters']} raters ({boot['n_ratings']} ratings): "
        f"library (per-rater sums, numpy) {fmt(fast_s, 'ms')}; naive (Python loop, pandas row selection + groupby "
        f"per resample) {fmt(naive_s)}; {naive_s['median'] / fast_s['median']:.0f}× faster; "
        f"same interval from the same draws: {'yes' if same else 'NO'} "
        f"({boot['ci_low']:.4f} to {boot['ci_high']:.4f})",
        f"- whole analysis with the naive bootstrap in its place (warm time − library bootstrap + naive bootstrap): "
        f"{warm_s['median'] - fast_s['median'] + naive_s['median']:.2f} s",
        "",
    ]
    print("\n".join(lines))
    if args.write:
        write("\n".join(lines))
    return 0 if same else 1


HEADING = "## Score dispersion: whole analysis with 2 000 cluster-bootstrap resamples"


def write(section: str) -> None:
    """Put ``section`` into RESULTS.md (:mod:`results_file`)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from results_file import write_section

    write_section(HEADING, section, "bench_dispersion.py")


if __name__ == "__main__":
    raise SystemExit(main())
