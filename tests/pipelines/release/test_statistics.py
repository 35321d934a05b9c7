"""Clopper–Pearson and acceptance numbers of GB/T 45654-2025 (docs/standards.md)."""

import pytest
from corpusgate.pipelines.release.statistics import (
    acceptance_probability,
    clopper_pearson,
    max_failures,
    min_sample_size,
    three_way_decision,
)


@pytest.mark.parametrize(
    "k, n, decision",
    [
        (0, 59, "pass"),  # 0 bad of 59: upper 4.95% <= 5%
        (0, 58, "review"),  # one record fewer: upper 5.03%
        (5, 208, "pass"),
        (5, 207, "review"),
        (10, 336, "pass"),
        (20, 577, "pass"),
        (20, 100, "block"),  # lower bound 13.8% > 5%
        (9, 100, "review"),  # lower bound 4.8%
        (10, 100, "block"),  # lower bound 5.5%
        (0, 0, "review"),  # nothing known
    ],
)
def test_three_way_decision(k, n, decision):
    assert three_way_decision(k, n)[0] == decision


@pytest.mark.parametrize(
    "k, n, lower, upper",
    [
        (0, 59, 0.0, 0.049508),
        (160, 4000, 0.035029, 0.045477),
        (10, 100, 0.055263, 0.163718),
        (100, 100, 0.970487, 1.0),
        (0, 0, 0.0, 1.0),
    ],
)
def test_clopper_pearson_values(k, n, lower, upper):
    b = clopper_pearson(k, n)
    assert b.lower == pytest.approx(lower, abs=1e-6)
    assert b.upper == pytest.approx(upper, abs=1e-6)


@pytest.mark.parametrize("k, n", [(1, 20), (10, 100), (37, 250)])
def test_bounds_are_where_the_binomial_tail_is_alpha(k, n):
    from scipy.stats import binom

    b = clopper_pearson(k, n)
    assert binom.cdf(k, n, b.upper) == pytest.approx(0.05)  # P(X <= k | upper)
    assert binom.sf(k - 1, n, b.lower) == pytest.approx(0.05)  # P(X >= k | lower)


@pytest.mark.parametrize("n", [1, 7, 59, 4000])
def test_closed_forms_with_no_or_all_records_flagged(n):
    from scipy.stats import binom

    none, every = clopper_pearson(0, n), clopper_pearson(n, n)
    assert none.lower == 0.0 and binom.cdf(0, n, none.upper) == pytest.approx(0.05)
    assert every.upper == 1.0 and binom.sf(n - 1, n, every.lower) == pytest.approx(0.05)


@pytest.mark.parametrize("k, n_min", [(0, 59), (5, 208), (10, 336), (20, 577)])
def test_min_sample_size_matches_standards_table(k, n_min):
    assert min_sample_size(k) == n_min


def test_manual_check_numbers():
    assert max_failures(4000, 0.96) == 160  # 160 of 4,000 still passes at 96%
    assert acceptance_probability(4000, 160, 0.04) == pytest.approx(0.521, abs=1e-3)
    assert acceptance_probability(4000, 160, 0.0353) == pytest.approx(0.95, abs=3e-3)
    assert acceptance_probability(4000, 160, 0.0455) == pytest.approx(0.05, abs=3e-3)


@pytest.mark.parametrize("k, n", [(-1, 5), (6, 5)])
def test_bad_counts_raise(k, n):
    with pytest.raises(ValueError):
        clopper_pearson(k, n)
