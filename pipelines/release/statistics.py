"""Binomial statistics for the release gate (docs/standards.md, "The 5% source rule"
and "Corpus acceptance").

The gate treats each source (and each review sample) as a binomial sample: `k` bad
records out of `n`. One-sided 95% Clopper–Pearson bounds say what the true bad rate
provably is *not*: a source whose upper bound is at most 5% is provably under 5%, one
whose lower bound is above 5% is provably over it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bounds:
    """An estimate `k / n` with its one-sided confidence bounds."""

    k: int
    n: int
    lower: float
    upper: float

    @property
    def rate(self) -> float | None:
        return self.k / self.n if self.n else None


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> Bounds:
    """One-sided Clopper–Pearson bounds for `k` successes in `n` trials.

    `lower` is the one-sided `confidence` lower bound and `upper` the one-sided upper
    bound (each alone has coverage `confidence`; together they form a two-sided
    interval of level 2*confidence-1). With n = 0 nothing is known: (0, 1).
    """
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence {confidence} outside (0, 1)")
    alpha = 1.0 - confidence
    if n == 0:
        return Bounds(k, n, 0.0, 1.0)
    if k in (0, n):
        # Closed forms of the Beta(1, n) and Beta(n, 1) quantiles (equal to
        # betaincinv's within 1e-16): a source with no flagged record, the common
        # case, needs no scipy, so an audit's summary does not load it.
        root = alpha ** (1.0 / n)
        return Bounds(k, n, root if k == n else 0.0, 1.0 - root if k == 0 else 1.0)
    # The beta quantile is scipy.special's betaincinv (what scipy.stats.beta.ppf
    # computes): scipy.special loads in a third of scipy.stats' time, which every
    # audit's summary paid. Imported on use.
    from scipy.special import betaincinv

    lower = 0.0 if k == 0 else float(betaincinv(k, n - k + 1, alpha))
    upper = 1.0 if k == n else float(betaincinv(k + 1, n - k, 1.0 - alpha))
    return Bounds(k, n, lower, upper)


def three_way_decision(
    k: int, n: int, max_rate: float = 0.05, confidence: float = 0.95
) -> tuple[str, Bounds]:
    """pass if the upper bound is <= max_rate, block if the lower bound is above it,
    review otherwise: only a source provably over the rate is blocked."""
    b = clopper_pearson(k, n, confidence)
    if b.upper <= max_rate:
        return "pass", b
    if b.lower > max_rate:
        return "block", b
    return "review", b


def min_sample_size(k: int, max_rate: float = 0.05, confidence: float = 0.95) -> int:
    """Smallest n at which k bad records out of n pass (upper bound <= max_rate)."""
    if not 0.0 < max_rate < 1.0:
        raise ValueError(f"max_rate {max_rate} outside (0, 1)")
    lo = max(k, 1)
    hi = lo
    while clopper_pearson(k, hi, confidence).upper > max_rate:
        hi *= 2
    while lo < hi:  # the upper bound decreases with n
        mid = (lo + hi) // 2
        if clopper_pearson(k, mid, confidence).upper <= max_rate:
            hi = mid
        else:
            lo = mid + 1
    return lo


def acceptance_probability(n: int, max_failures: int, true_rate: float) -> float:
    """P(at most `max_failures` bad records in a sample of n) at a true bad rate:
    the chance that an acceptance test like "4,000 items, >= 96% pass" passes."""
    from scipy.stats import binom

    return float(binom.cdf(max_failures, n, true_rate))


def max_failures(n: int, min_pass_rate: float) -> int:
    """Most failures a sample of n may hold and still pass at `min_pass_rate`."""
    # round() absorbs float noise: 4000 * (1 - 0.96) = 159.99999999999997
    return int(round(n * (1.0 - min_pass_rate), 9) // 1)
