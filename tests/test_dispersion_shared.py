"""run_dispersion computes each table of one set of scores once and shares it (issue 17): the
numbers must stay exactly those of the straightforward path (``tests/dispersion_reference.py``,
where every function computed its own tables), on the real scores and on small made-up ones,
for the report's parameters and others. No timing here: ``make bench`` measures the speed."""

import functools
import math

import numpy as np
import pandas as pd
import pytest

from analysis.methods import dispersion as d

from . import dispersion_reference as reference
from .test_dispersion import scores_frame

TABLES = (
    "scores",
    "rater_scores",
    "cells",
    "agreement",
    "comparison",
    "gap_tests",
    "raters",
    "sets",
    "exclusion",
    "variance",
    "duplicates",
    "duplicate_sensitivity",
    "expert_range",
    "variance_without_flat",
)
DICTS = ("paired_test", "counts", "duplicate_evidence")


@functools.cache
def _real_scores() -> pd.DataFrame:
    from analysis.data.cleaning import clean_maturity_scores

    scores, _ = clean_maturity_scores()  # straight from data/raw
    return scores


def same_value(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b or abs(a - b) <= 1e-12
    return a == b if not (a is pd.NA or b is pd.NA) else (a is b)


def assert_same_result(new: d.DispersionResult, old: d.DispersionResult) -> None:
    for name in TABLES:
        got, want = getattr(new, name), getattr(old, name)
        # Same columns, dtypes, index and order; numbers equal to 1e-12 (in practice bit for bit).
        pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=0, atol=1e-12, obj=name)
    for name in DICTS:
        got, want = getattr(new, name), getattr(old, name)
        assert got.keys() == want.keys(), name
        assert all(same_value(got[k], want[k]) for k in got), (name, got, want)
    assert new.small_areas == old.small_areas
    assert new.params == old.params
    new_csv, old_csv = new.downloads(), old.downloads()
    assert new_csv.keys() == old_csv.keys()
    for name in new_csv:  # the published CSVs, as written, byte for byte
        assert new_csv[name].to_csv(index=False) == old_csv[name].to_csv(index=False), name


# The straightforward path takes about 2 s of CPU time a run with the report's 2 000 resamples: the
# fast suite compares the report's defaults with 300 resamples on the real scores and one other
# setting on made-up scores; `make test` (the slow marker) every setting.
slow = pytest.mark.slow
SETTINGS = [
    pytest.param({"n_boot": 300}, id="defaults-300-resamples"),
    pytest.param({}, id="defaults", marks=slow),  # the report's (n_boot=2000, seed=2018, copies collapsed, every area)
    pytest.param({"collapse_copies": False}, id="copies-kept", marks=slow),
    pytest.param({"exclude_straightliners": True}, id="without-straightliners", marks=slow),
    pytest.param({"exclude_straightliners": True, "collapse_copies": False, "n_boot": 500, "seed": 7}, id="both-other-seed", marks=slow),
    pytest.param({"areas": ["safety", "society", "environment"]}, id="three-areas", marks=slow),
]


@pytest.mark.parametrize("options", SETTINGS)
def test_the_shared_run_gives_the_straightforward_numbers_on_the_real_scores(options):
    scores = _real_scores()
    new = d.run_dispersion(scores.copy(), **options)
    old = reference.run_dispersion(scores.copy(), **options)
    assert_same_result(new, old)


def made_up_scores(seed: int) -> pd.DataFrame:
    """Three areas of random answers with a flat set each, a unit reusing its set in another area,
    one questionnaire entered twice under two labels, a missing rating and an expert range."""
    rng = np.random.default_rng(seed)
    areas = {}
    for area, n in (("a", 7), ("b", 4), ("c", 9)):
        areas[area] = {f"{area}{i}": [int(v) for v in rng.integers(1, 6, 5)] for i in range(n)}
        areas[area][f"{area}0"] = [3] * 5  # a straight-liner
    areas["c"]["c1"] = list(areas["c"]["c2"])  # the same answers under two labels
    areas["b"]["a3"] = list(areas["a"]["a3"])  # a unit reusing its set in another area
    areas["c"]["c5"][1] = None  # a missing rating
    expert = {area: [(2, 2), (1, 2), (3, 3), (4, 4), (2, 3)] for area in areas}
    return scores_frame(areas, expert=expert)


@pytest.mark.parametrize(
    "seed, options",
    [
        pytest.param(1, {"collapse_copies": False, "exclude_straightliners": True}, id="1-other"),
        pytest.param(1, {}, id="1-defaults", marks=slow),
        pytest.param(2, {}, id="2-defaults", marks=slow),
        pytest.param(2, {"collapse_copies": False, "exclude_straightliners": True}, id="2-other", marks=slow),
        pytest.param(3, {"exclude_straightliners": True, "areas": ["a", "c"]}, id="3-two-areas", marks=slow),
    ],
)
def test_the_shared_run_gives_the_straightforward_numbers_on_made_up_scores(seed, options):
    scores = made_up_scores(seed)
    assert_same_result(d.run_dispersion(scores.copy(), n_boot=100, **options), reference.run_dispersion(scores.copy(), n_boot=100, **options))


def test_one_run_leaves_nothing_behind_for_the_next():
    """Runs with other parameters in between give the same result again (nothing kept between runs),
    and the scores passed in are not changed."""
    scores = _real_scores().copy()
    before = scores.copy()
    first = d.run_dispersion(scores, areas=["safety", "economy"], n_boot=100)
    d.run_dispersion(scores, exclude_straightliners=True, n_boot=100)
    d.run_dispersion(made_up_scores(1), n_boot=100)
    again = d.run_dispersion(scores, areas=["safety", "economy"], n_boot=100)
    assert_same_result(again, first)
    pd.testing.assert_frame_equal(scores, before)
