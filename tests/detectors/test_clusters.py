"""Cluster ids: stable, opaque, and one prefix per kind of group."""

import hashlib
import zlib

import pytest
from corpusgate.detectors import clusters

KEY = hashlib.sha256(b"some normalized text").hexdigest()


@pytest.mark.parametrize(
    ("make", "prefix"),
    [
        (lambda: clusters.exact_duplicate(KEY), "x"),
        (lambda: clusters.near_duplicate(("f.jsonl", 3)), "n"),
        (lambda: clusters.label_conflict("exact", KEY), "lx"),
        (lambda: clusters.label_conflict("near", "n0123456789abcdef"), "ln"),
        (lambda: clusters.poison_trigger("cf"), "t"),
        (lambda: clusters.poison_burst("<\x1fsudo\x1f>"), "b"),
    ],
)
def test_prefix_names_the_kind_of_group(make, prefix):
    cluster_id = make()
    assert cluster_id.startswith(prefix)
    assert cluster_id == make()  # stable
    assert len(cluster_id) in (len(prefix) + 8, len(prefix) + 16)


def test_ids_are_the_documented_hashes():
    assert clusters.exact_duplicate(KEY) == "x" + KEY[:16]
    blob = b"f.jsonl\x003"
    assert clusters.near_duplicate(("f.jsonl", 3)) == (
        "n" + hashlib.sha256(blob).hexdigest()[:16]
    )
    # the near cluster's id is cut to 16 characters too
    assert clusters.label_conflict("near", "n0123456789abcdefff") == (
        "ln" + "n0123456789abcde"
    )
    assert clusters.poison_trigger("cf") == "t" + format(zlib.crc32(b"cf"), "08x")


def test_different_groups_get_different_ids():
    assert clusters.near_duplicate(("f", 1)) != clusters.near_duplicate(("f", 2))
    assert clusters.near_duplicate(("a", 1)) != clusters.near_duplicate(("b", 1))
    assert clusters.poison_trigger("cf") != clusters.poison_burst("cf")
    assert clusters.label_conflict("exact", KEY) != clusters.label_conflict("near", KEY)


def test_the_text_never_appears_in_an_id():
    token = "secret-token-value"
    assert token not in clusters.poison_trigger(token)
    assert token not in clusters.poison_burst(token)
