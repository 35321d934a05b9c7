"""Pure logic of the labels detector: features, folds, confident class, conflicts."""

import math
import random

import pytest
from corpusgate.detectors.base import Record
from corpusgate.detectors.labels import (
    CANDIDATE_FILTERS,
    DEFAULT_FILTER,
    MARGIN_BINS,
    LabelsDetector,
    can_learn,
    choose_filter,
    choose_filter_from_rows,
    clear_gain,
    confident_class,
    conflict_verdict,
    fold_of,
    hashed_ngrams,
    inject_flips,
    margin_bin,
    margin_cut,
    noise_counts,
    predict,
    predicted_class,
    pruned_by_noise_rate,
    suspect_verdict,
    train_model,
)


def test_hashed_ngrams_are_normalised_and_deterministic():
    idx, vals = hashed_ngrams("good good movie", 1024)
    assert list(idx) == sorted(set(idx))
    assert math.sqrt(sum(v * v for v in vals)) == pytest.approx(1.0)
    assert hashed_ngrams("good good movie", 1024) == (idx, vals)
    assert hashed_ngrams("", 1024) == ((), ())


def test_folds_are_stable_and_in_range():
    folds = [fold_of(f"doc-{i}", 5) for i in range(200)]
    assert set(folds) == set(range(5))
    assert fold_of("doc-7", 5) == folds[7]


@pytest.mark.parametrize(
    ("probs", "thresholds", "expected"),
    [
        ({"0": 0.9, "1": 0.1}, {"0": 0.7, "1": 0.6}, "0"),
        ({"0": 0.35, "1": 0.65}, {"0": 0.7, "1": 0.6}, "1"),
        ({"0": 0.5, "1": 0.5}, {"0": 0.7, "1": 0.6}, None),  # none above threshold
        ({"a": 0.4, "b": 0.35, "c": 0.25}, {"a": 0.3, "b": 0.3, "c": 0.5}, "a"),
    ],
)
def test_confident_class(probs, thresholds, expected):
    assert confident_class(probs, thresholds) == expected


@pytest.mark.parametrize(
    ("counts", "kind", "own", "severity"),
    [
        ({"1": 1, "0": 1}, "exact", "1", "high"),
        ({"1": 9, "0": 1}, "exact", "1", "high"),  # exact: every member
        ({"1": 3, "0": 2}, "near", "1", "medium"),  # majority 0.6 < 0.8
        ({"1": 9, "0": 1}, "near", "0", "medium"),  # minority of a clear majority
        ({"1": 9, "0": 1}, "near", "1", None),  # the majority is not flagged
    ],
)
def test_conflict_findings(counts, kind, own, severity):
    det = LabelsDetector()
    verdict = conflict_verdict(counts, kind)
    f = det.conflict_finding(verdict, own, "c1", "other")
    assert (f.severity if f else None) == severity
    if f:
        assert (
            f.finding_type == "LABEL_CONFLICT" and f.risk_code == "AISGF-1.0:3.1.2(c)"
        )
        assert f.score >= 0.5


def test_no_conflict_with_one_label():
    assert conflict_verdict({"1": 4}, "exact") is None


def test_unlabelled_records_have_no_features():
    det = LabelsDetector()
    assert det.features(Record("d", "f", 0, "text")) is None
    feats = det.features(Record("d", "f", 0, "text", label="pos"))
    assert feats.label == "pos" and 0 <= feats.fold < 5


def test_out_of_fold_model_finds_a_flipped_label():
    rng = random.Random(0)
    pos, neg = ["great", "superb", "lovely"], ["awful", "boring", "dull"]
    det = LabelsDetector({"buckets": 4096})
    rows = []
    for i in range(120):
        label = "1" if i % 2 else "0"
        words = rng.choices(pos if label == "1" else neg, k=4) + ["film", "plot"]
        rows.append(det.features(Record(f"d{i}", "f", i, " ".join(words), label=label)))
    flipped = det.features(Record("x", "f", 999, "awful boring dull film", label="1"))
    model = train_model(rows, 4096, 1.0)
    [p] = predict(model, [flipped], 4096, ["0", "1"])
    assert p["0"] > 0.8
    f = det.suspect_finding("1", p, "0", {"0": 0.7, "1": 0.7})
    assert f.score == pytest.approx(1 - p["1"], abs=1e-4) and f.score >= 0.5


def test_noise_counts_calibrate_the_confident_joint():
    joint = {("0", "0"): 40, ("0", "1"): 10, ("1", "1"): 45, ("1", "0"): 5}
    counts = noise_counts(joint, {"0": 100, "1": 100})
    # rows calibrated to 100 records each: Q off-diagonals 20/200 and 10/200
    assert counts == {("0", "1"): 20, ("1", "0"): 10}


@pytest.mark.parametrize(
    ("margins", "count", "cut_between"),
    [
        ([0.9, 0.5, 0.1, -0.2], 2, (0.49, 0.5)),
        ([0.9, 0.5, 0.1, -0.2], 0, (math.inf, math.inf)),
        ([0.3], 5, (-1.0, -1.0)),  # fewer values than requested: everything
    ],
)
def test_margin_cut_from_histogram(margins, count, cut_between):
    hist = [0] * MARGIN_BINS
    for m in margins:
        hist[margin_bin(m)] += 1
    lo, hi = cut_between
    assert lo <= margin_cut(hist, count) <= hi


def test_suspect_scores_below_half_unless_pruned_and_unconfident():
    det = LabelsDetector()
    th = {"0": 0.6, "1": 0.6}
    assert det.suspect_finding("1", {"0": 0.7, "1": 0.3}, "0", th, True).score == 0.7
    assert det.suspect_finding("1", {"0": 0.7, "1": 0.3}, "0", th, False).score < 0.5
    assert det.suspect_finding("1", {"0": 0.55, "1": 0.45}, "0", th, True).score < 0.5


@pytest.mark.parametrize(
    ("totals", "min_labelled", "expected"),
    [
        ({"a": 60, "b": 60}, 100, True),
        ({"a": 60, "b": 30}, 100, False),  # too few labelled records
        ({"a": 500}, 100, False),  # one label: nothing to confuse it with
    ],
)
def test_can_learn(totals, min_labelled, expected):
    assert can_learn(totals, min_labelled) is expected


CUTS = {("a", "b"): 0.30, ("a", "c"): math.inf}


@pytest.mark.parametrize(
    ("label", "probs", "expected"),
    [
        ("a", {"a": 0.2, "b": 0.7, "c": 0.1}, True),  # margin 0.5 >= cut 0.3
        ("a", {"a": 0.4, "b": 0.6, "c": 0.0}, False),  # margin 0.2 < cut
        ("a", {"a": 0.5, "b": 0.1, "c": 0.4}, False),  # predicted as its own label
        ("a", {"a": 0.1, "b": 0.2, "c": 0.7}, False),  # nothing to prune towards c
        ("b", {"a": 0.9, "b": 0.1}, False),  # no cut for (b, a)
    ],
)
def test_pruned_by_noise_rate(label, probs, expected):
    assert pruned_by_noise_rate(label, probs, CUTS) is expected


@pytest.mark.parametrize(
    ("label", "probs", "confident", "expected"),
    [
        # off the diagonal: the confident class is suggested
        ("a", {"a": 0.4, "b": 0.6}, "b", ("b", False, True)),
        # pruned and off the diagonal
        ("a", {"a": 0.2, "b": 0.7, "c": 0.1}, "b", ("b", True, True)),
        # pruned without a confident class: the predicted class is suggested
        ("a", {"a": 0.2, "b": 0.7, "c": 0.1}, None, ("b", True, False)),
        # confident in its own label, not pruned: keeps it
        ("a", {"a": 0.4, "b": 0.6}, "a", None),
        ("a", {"a": 0.4, "b": 0.6}, None, None),
    ],
)
def test_suspect_verdict(label, probs, confident, expected):
    verdict = suspect_verdict(label, probs, confident, CUTS)
    got = None if verdict is None else tuple(vars(verdict).values())
    assert got == expected


def test_predicted_class_breaks_ties_by_name():
    assert predicted_class({"a": 0.5, "b": 0.5}) == "b"
    assert predicted_class({"a": 0.6, "b": 0.4}) == "a"


def test_three_classes_train_one_model_with_probabilities_over_all_of_them():
    rng = random.Random(1)
    words = {"a": ["goal", "match", "team"], "b": ["stock", "market", "bank"]}
    words["c"] = ["chip", "software", "laptop"]
    det = LabelsDetector({"buckets": 4096})
    rows = [
        det.features(
            Record(f"d{i}", "f", i, " ".join(rng.choices(words[lab], k=5)), label=lab)
        )
        for i, lab in enumerate("abc" * 30)
    ]
    model = train_model(rows, 4096, 1.0)
    [p] = predict(
        model,
        [det.features(Record("x", "f", 0, "bank stock market", "a"))],
        4096,
        "abc",
    )
    assert set(p) == {"a", "b", "c"} and sum(p.values()) == pytest.approx(1.0)
    assert max(p, key=p.get) == "b"


def _separated(n, rng):
    """Two classes the model separates well: p(label) in [0.6, 1]."""
    import numpy as np

    labels = np.array([i % 2 for i in range(n)])
    conf = np.array([0.6 + 0.4 * rng.random() for _ in range(n)])
    probs = np.zeros((n, 2))
    probs[np.arange(n), labels] = conf
    probs[np.arange(n), 1 - labels] = 1 - conf
    return labels, probs


def test_filter_choice_keeps_cleanlabs_default_without_a_clear_gain():
    labels, probs = _separated(2000, random.Random(0))
    chosen, mean = choose_filter(labels, probs)
    assert set(mean) == {f.name for f in CANDIDATE_FILTERS}
    # injected flips have self-confidence <= 0.4 here: every bound finds them alike
    assert chosen == DEFAULT_FILTER
    assert mean[DEFAULT_FILTER.name] > 0.8


def test_filter_choice_takes_a_bound_when_ambiguous_records_crowd_the_pruning():
    import numpy as np

    rng = np.random.default_rng(1)
    labels, probs = _separated(2000, random.Random(1))
    # A fifth of the records are ambiguous (p(label) 0.45-0.55), which pruning by
    # noise rate alone ranks next to real flips.
    ambiguous = rng.choice(2000, 400, replace=False)
    p = 0.45 + 0.1 * rng.random(400)
    probs[ambiguous, labels[ambiguous]] = p
    probs[ambiguous, 1 - labels[ambiguous]] = 1 - p
    chosen, mean = choose_filter(labels, probs)
    assert chosen.max_self_confidence < 1.0
    assert mean[chosen.name] > mean[DEFAULT_FILTER.name]


def test_uniform_flips_move_the_asked_number_to_another_class():
    import numpy as np

    labels, probs = _separated(1000, random.Random(3))
    noisy = inject_flips(labels, probs, 50, np.random.default_rng(0), "uniform")
    assert int(np.sum(noisy != labels)) == 50


def test_ambiguous_flips_land_near_the_boundary_towards_the_likely_class():
    import numpy as np

    labels, probs = _separated(1000, random.Random(4))
    rng = np.random.default_rng(0)
    # Three classes: the new class follows the model, never the unlikely third one.
    probs3 = np.zeros((1000, 3))
    probs3[:, :2] = probs
    noisy = inject_flips(labels, probs3, 100, rng, "ambiguous")
    flipped = noisy != labels
    assert int(flipped.sum()) == 100
    assert not np.any(noisy == 2)
    own = probs[np.arange(1000), labels]
    assert own[flipped].mean() < own.mean() - 0.05  # the less certain records


@pytest.mark.parametrize(
    ("default", "other", "by_kind", "expected"),
    [
        # clear gain under both kinds of noise
        ([0.5] * 5, [0.56, 0.57, 0.55, 0.56, 0.56], (0.7, 0.3, 0.78, 0.34), 0.06),
        # larger on average, but worse on ambiguous flips: not taken
        ([0.5] * 5, [0.56, 0.57, 0.55, 0.56, 0.56], (0.7, 0.3, 0.84, 0.28), None),
        # a loss on one kind within MIN_FILTER_GAIN is noise
        ([0.5] * 5, [0.56, 0.57, 0.55, 0.56, 0.56], (0.7, 0.3, 0.82, 0.295), 0.06),
        # below MIN_FILTER_GAIN
        ([0.5] * 5, [0.505] * 5, (0.7, 0.3, 0.71, 0.3), None),
        # within two standard errors
        ([0.5] * 5, [0.45, 0.62, 0.44, 0.63, 0.46], (0.7, 0.3, 0.75, 0.3), None),
    ],
)
def test_clear_gain(default, other, by_kind, expected):
    d_uniform, d_ambiguous, o_uniform, o_ambiguous = by_kind
    gain = clear_gain(
        default,
        other,
        {"uniform": d_uniform, "ambiguous": d_ambiguous},
        {"uniform": o_uniform, "ambiguous": o_ambiguous},
    )
    assert gain == (pytest.approx(expected) if expected is not None else None)


def test_filter_choice_needs_a_sample():
    rows = [(str(i), ("a", {"a": 0.9, "b": 0.1})) for i in range(10)]
    assert choose_filter_from_rows(rows) == DEFAULT_FILTER


def test_filter_choice_does_not_depend_on_row_order():
    labels, probs = _separated(300, random.Random(2))
    rows = [
        (f"k{i}", (str(labels[i]), {"0": probs[i, 0], "1": probs[i, 1]}))
        for i in range(300)
    ]
    assert choose_filter_from_rows(rows) == choose_filter_from_rows(rows[::-1])
