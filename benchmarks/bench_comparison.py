"""Speed of the whole benchmark analysis (issue 16): every city, robustness included, against today's method.

Run: ``.venv/bin/python benchmarks/bench_comparison.py`` (prints a Markdown section), or with ``--write`` to put
that section into ``benchmarks/RESULTS.md`` in place of its previous version (the rest of the file is left as
``make bench`` wrote it); ``make bench`` (``benchmarks/run.py``) runs it too and adds the same section.

* **fast**: :func:`analysis.methods.benchmark.run_benchmark` with the report's defaults for each of the
  cities as the focal city — reading the curated files, screening, tables, the verdicts against the peer median,
  the 80 claim variants (``claim_shares``), the theme verdicts and the rank robustness (about 2 400 variants).
* **straightforward**: the same calls with the straightforward twins of the fast functions put back in their
  place (``_claim_shares_by_compare``: one ``compare`` per set of reference values, 20 per city;
  ``_construct_verdicts_loop`` and ``_count_verdicts_loop``: one construct at a time; ``_theme_verdicts_loop``),
  and the curated files read and validated, the values screened, the cities ranked and scored and every data
  treatment of the robustness analysis computed again on every call (none of ``screening_context``,
  ``screen_values``, ``scored_table`` and the robustness analysis's treatments that do not depend on the focal
  city keeps its last result), as before. The robustness analysis is otherwise the same code in both (its
  rewritten pieces are checked against the numpy and scipy functions they replaced in
  ``tests/test_fast_paths.py``). Both give the same result (that file, and the check below).

Wall time is the median of several runs (min–max); CPU time is the process's (user + system) over the same runs.
The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import pandas as pd  # noqa: E402

from analysis.data import knowledge  # noqa: E402
from analysis.data.cleaning import clean_indicators, load_indicator_metadata  # noqa: E402
from analysis.methods import benchmark, comparison, robustness, screening  # noqa: E402
from analysis.methods.benchmark import attach_metadata  # noqa: E402

HEADING = "## Whole benchmark analysis, 5 cities (issue 16)"
TARGET_S = 2.0
STRAIGHTFORWARD = [
    (benchmark, "claim_shares", benchmark._claim_shares_by_compare),
    (benchmark, "theme_verdicts", benchmark._theme_verdicts_loop),
    (comparison, "construct_verdicts", comparison._construct_verdicts_loop),
    (comparison, "count_verdicts", comparison._count_verdicts_loop),
]


def _uncached_context(context=knowledge.screening_context):
    knowledge._CONTEXT_CACHE.clear()
    return context()


def _unkept_screening(*args, screen=screening.screen_values, **kwargs):
    screening._LAST_SCREENING.clear()
    return screen(*args, **kwargs)


def _unkept_scores(*args, scored=benchmark.scored_table, **kwargs):
    benchmark._LAST_SCORED.clear()
    return scored(*args, **kwargs)


def _unkept_treatments(*args, analyse=robustness.analyse, **kwargs):
    robustness._KEPT_TREATMENTS.clear()
    return analyse(*args, **kwargs)


@contextlib.contextmanager
def straightforward():
    """The method before the speed work: the straightforward twins in place of the fast functions, the curated
    files read, the values screened and the cities ranked and scored on every call."""
    swaps = [
        *STRAIGHTFORWARD,
        (screening, "screening_context", _uncached_context),
        (screening, "screen_values", _unkept_screening),
        (benchmark, "scored_table", _unkept_scores),
        (benchmark.robustness_module, "analyse", _unkept_treatments),
    ]
    saved = [(module, name, getattr(module, name)) for module, name, _ in swaps]
    for module, name, function in swaps:
        setattr(module, name, function)
    try:
        yield
    finally:
        for module, name, function in saved:
            setattr(module, name, function)


def measure(function, repeats: int) -> dict:
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"median": statistics.median(walls), "min": min(walls), "max": max(walls), "cpu": statistics.median(cpus), "runs": repeats}


def same(a: benchmark.BenchmarkResult, b: benchmark.BenchmarkResult) -> bool:
    for field in (
        "table",
        "comparison",
        "claims",
        "theme_verdicts",
        "strengths",
        "weaknesses",
        "theme_scores",
        "overall",
        "summary",
        "quality_flags",
    ):
        pd.testing.assert_frame_equal(getattr(a, field), getattr(b, field), check_exact=True, obj=field)
    for field in ("summary", "sensitivity", "variants"):
        pd.testing.assert_frame_equal(getattr(a.robustness, field), getattr(b.robustness, field), check_exact=True, obj=field)
    assert (a.robustness.ranks == b.robustness.ranks).all()
    assert a.counts == b.counts
    return True


def markdown_section(repeats: int = 5, old_repeats: int = 2) -> str:
    frame = attach_metadata(clean_indicators(cities_dir=None), load_indicator_metadata())
    cities = list(dict.fromkeys(frame["city"]))

    def whole():
        return [benchmark.run_benchmark(frame, city) for city in cities]

    fast_results = whole()  # warm: imports, the screening's curated files, populations
    with straightforward():
        slow_results = whole()
        load_before = os.getloadavg()
        slow = measure(whole, old_repeats)
    identical = all(same(a, b) for a, b in zip(fast_results, slow_results))
    # Counted from the results, not written down (the rank variants vary a little: one per ranked indicator left out).
    claim_variants = int(max(int(r.claims["n_variants"].max()) for r in fast_results))
    rank_variants = int(round(sum(r.robustness.n_variants for r in fast_results) / len(fast_results)))
    rank_text = f"{rank_variants:,}".replace(",", " ")
    fast = measure(whole, repeats)
    load_after = os.getloadavg()

    def row(label, stat):
        return f"| {label} | {stat['median']:.2f} s (min {stat['min']:.2f}, max {stat['max']:.2f}, n={stat['runs']}) | {stat['cpu']:.2f} s |"

    lines = [
        HEADING,
        "",
        f"`run_benchmark` with the report's defaults for each of the {len(cities)} cities ({', '.join(cities)}) as the focal city, "
        f"robustness included (screening, tables, verdicts, {claim_variants} claim variants, theme verdicts, about "
        f"{rank_text} rank variants per city), "
        "one process, BLAS on one thread; `benchmarks/bench_comparison.py`.",
        "",
        f"| method, all {len(cities)} cities | wall time, median | CPU time (user + system), median |",
        "|---|---|---|",
        row("fast (now)", fast),
        row(
            "straightforward (one `compare` per set of claim variants, one construct and one theme at a time, curated files read, values screened, cities ranked and scored and robustness treatments computed per call)",
            slow,
        ),
        f"| speed-up | {slow['median'] / fast['median']:.1f}× wall, {slow['cpu'] / fast['cpu']:.1f}× CPU | |",
        f"| target < {TARGET_S:g} s for {len(cities)} cities | {'met' if fast['cpu'] < TARGET_S else 'NOT met'} on CPU time, "
        f"{'met' if fast['median'] < TARGET_S else 'NOT met'} on wall time | |",
        "",
        f"Same results both ways (every table of the result, counts, robustness summary and ranks; exact): {'yes' if identical else 'NO'}.",
        "",
        f"Load average (1, 5, 15 min) on {os.cpu_count()} cores: {', '.join(f'{x:.1f}' for x in load_before)} before the straightforward runs, "
        f"{', '.join(f'{x:.1f}' for x in load_after)} after the fast ones. The machine is shared: with other work on it, wall "
        "times are longer than on an idle machine; CPU time is the part this process itself spent.",
    ]
    return "\n".join(lines)


def write(section: str) -> None:
    """Put ``section`` into RESULTS.md (:mod:`results_file`)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from results_file import write_section

    write_section(HEADING, section, "bench_comparison.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="put the section into benchmarks/RESULTS.md")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--old-repeats", type=int, default=2)
    args = parser.parse_args()
    section = markdown_section(args.repeats, args.old_repeats)
    print(section)
    if args.write:
        write(section)


if __name__ == "__main__":
    main()
