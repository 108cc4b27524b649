"""Speed of the robustness analysis: every city, >= 1000 variants, against the naive way.

Run: ``.venv/bin/python benchmarks/bench_robustness.py`` (prints a Markdown section).

* **library**: :func:`analysis.methods.robustness.analyse` for every city of the data as the
  focal city, with the report's default of grid × weight variants (BenchmarkParams().n_variants) (plus
  leave-one-out), median of several runs.
* **naive**: the same variants the way one would write them first — a Python loop
  over variants, each one building the benchmark table with the report's own
  (pandas, non-vectorised) ranking and scoring, ``theme_scores`` and a rank. It is
  timed on a sample of variants and extrapolated linearly (it is far too slow to run
  in full on every build).
* **growth**: the library's time for one city at three variant counts.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
# The matrices are small (100 indicators × a few cities): BLAS threads only add contention
# on a shared 2-core machine.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analysis.data.cleaning import clean_indicators, load_indicator_metadata  # noqa: E402
from analysis.methods import benchmark, robustness, screening  # noqa: E402
from analysis.methods.benchmark import attach_metadata  # noqa: E402
from analysis.params import BenchmarkParams  # noqa: E402


def median_time(function, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def prepared_tables():
    frame = attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())
    context = screening.screening_context()
    review = context["review"]
    contested = set(review.loc[review["polarity_confidence"] == "contested", "code"])
    other = review[review["polarity_confidence"] == "contested"]
    contested = {"contested": contested, "alternatives": dict(zip(other["code"], other["alternative_polarity"]))}
    tables = {}
    for city in dict.fromkeys(frame["city"]):
        flags = screening.screen_values(frame, **context)
        screened = benchmark.add_screening(frame, flags, "errors")
        tables[city] = benchmark.benchmark_table(screened, city, 3)
    return tables, contested


def naive_variant(table: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """One variant, naively: random weights, then the report's pandas ranking, scoring and theme
    scores. A lower bound of the naive cost: it leaves out the data treatments of a real variant."""
    variant = table.copy()
    weights = rng.dirichlet(np.full(variant["code"].nunique(), 20.0))
    weight = dict(zip(variant["code"].unique(), weights))
    variant = benchmark.normalise_scores(benchmark.rank_cities(variant))
    variant["score_minmax"] = variant["score_minmax"] * variant["code"].map(weight) * len(weight)
    scores = benchmark.theme_scores(variant, 0.5)
    return scores.groupby("theme")["score_minmax"].rank(ascending=False)


def main() -> None:
    tables, contested = prepared_tables()
    cities = list(tables)

    def library_all():
        return [robustness.analyse(tables[c], c, **contested, n_variants=BenchmarkParams().n_variants, seed=2018) for c in cities]

    results = library_all()
    n_variants = results[0].n_variants
    library_time = median_time(library_all, repeats=5)

    frame = attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())
    full_time = median_time(lambda: [benchmark.run_benchmark(frame, c) for c in cities], repeats=3)

    rng = np.random.default_rng(0)
    sample = 30
    start = time.perf_counter()
    for _ in range(sample):
        naive_variant(tables[cities[0]], rng)
    per_variant = (time.perf_counter() - start) / sample
    naive_time = per_variant * n_variants * len(cities)

    growth = []
    for count in (robustness.GRID_SIZE * 4, robustness.GRID_SIZE * 8, robustness.GRID_SIZE * 16):
        seconds = median_time(lambda count=count: robustness.analyse(tables[cities[0]], cities[0], **contested, n_variants=count), repeats=3)
        growth.append((count, seconds))

    print("## Robustness analysis (issue 8)\n")
    print(
        f"Every city ({len(cities)}) as the focal city, {n_variants} variants each "
        f"({robustness.GRID_SIZE} grid combinations × {BenchmarkParams().n_variants // robustness.GRID_SIZE} weight sets, plus leave-one-out), median of 5 runs.\n"
    )
    print("| what | time |")
    print("|---|---|")
    print(f"| library, all {len(cities)} cities × {n_variants} variants | {library_time:.2f} s |")
    print(f"| whole benchmark (screening, tables, robustness), all {len(cities)} cities | {full_time:.2f} s |")
    print(f"| naive (pandas per variant, {per_variant * 1000:.0f} ms each; {sample} timed, extrapolated) | {naive_time:.0f} s |")
    print(f"| speed-up | {naive_time / library_time:.0f}× |")
    print(f"| target | < 2 s: {'met' if library_time < 2 else 'NOT met'} |")
    print(f"\nLoad average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work on the machine slows every row).")
    print("\nGrowth with the number of variants (one city):\n")
    print("| variants asked | variants run | time |")
    print("|---|---|---|")
    for count, seconds in growth:
        run = robustness.analyse(tables[cities[0]], cities[0], **contested, n_variants=count).n_variants
        print(f"| {count} | {run} | {seconds:.3f} s |")


if __name__ == "__main__":
    main()
