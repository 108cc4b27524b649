"""Speed of the score-dispersion analysis; prints a Markdown section for benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/bench_dispersion.py [--repeats 5]

Measures, on the real maturity scores read straight from data/raw:

* the whole analysis, ``run_dispersion(scores, n_boot=2000)`` (35 cell bootstraps, agreement,
  a cluster bootstrap over raters with 2 000 resamples, the sign-flip test, the mixed
  model, rater diagnostics), in a fresh Python process each time, so the first call's
  lazy imports are counted, and again warm, in one process; target: under 2 s;
* the cluster bootstrap alone (2 000 resamples of 44 raters), as the library does it
  (per-rater sums, one integer draw matrix, numpy) against the naive way: a Python loop
  over resamples that gathers the drawn raters' rows with pandas and takes a groupby per
  resample. Both use the same random draws and must give the same interval.

Each figure is the median of ``--repeats`` runs, with min–max.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
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
    "from analysis.methods.dispersion import run_dispersion\n"
    "scores, _ = clean_maturity_scores()\n"
    "start = time.perf_counter(); run_dispersion(scores, n_boot=2000); print(time.perf_counter() - start)\n"
)


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
    args = parser.parse_args(argv)

    from analysis.data.cleaning import clean_maturity_scores
    from analysis.methods.dispersion import cluster_bootstrap_gap, collapse_rater_copies, rating_gaps, run_dispersion

    cold = [
        float(subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip())
        for _ in range(args.repeats)
    ]

    scores, _ = clean_maturity_scores()
    run_dispersion(scores, n_boot=N_BOOT)  # warm-up: imports and caches
    warm = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        run_dispersion(scores, n_boot=N_BOOT, seed=SEED)
        warm.append(time.perf_counter() - start)

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
    verdict = "met" if cold_s["median"] < TARGET_S else "MISSED"
    lines = [
        "## Score dispersion: whole analysis with 2 000 cluster-bootstrap resamples",
        "",
        f"- `run_dispersion` on all 7 areas, `n_boot=2000` (35 cell bootstraps, agreement, cluster bootstrap over "
        f"{boot['n_clusters']} raters, sign-flip test, mixed model, rater diagnostics), fresh process each run "
        f"(first call, imports included): {fmt(cold_s)}; target under {TARGET_S:.0f} s: **{verdict}**",
        f"- the same, warm (repeated calls in one process): {fmt(warm_s)}",
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
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
