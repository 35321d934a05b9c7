"""The English CRF's run-time attributes: only those its model knows, same tagging."""

from __future__ import annotations

from importlib import resources

import pycrfsuite
import pytest
from corpusgate.detectors.pii.en_person_model import (
    MODEL_FILE,
    FeatureTable,
    features,
    model_attributes,
    tokenize,
)

SENTENCES = [
    "Jeff Skilling met Ken Lay at Enron on Monday .",
    "Please call Dr. María Tomić-Møller about the Santa Fe account",
    "the quick brown fox , said O'Neil",
    "Account holder : Jane Doe , 42 Hickory Avenue",
    "Zzyzx Qwerty Blorbington",  # words the model has never seen
]


@pytest.fixture(scope="module")
def model():
    ref = resources.files("corpusgate.detectors.pii.data").joinpath(MODEL_FILE)
    with resources.as_file(ref) as path:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        yield tagger, model_attributes(str(path))


def test_model_attributes_are_the_models_dictionary(model):
    tagger, known = model
    assert known == frozenset(tagger.info().attributes)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_known_attributes_tag_as_all_attributes(model, sentence):
    tagger, known = model
    words = [t for _, _, t in tokenize(sentence)]
    table = FeatureTable(known)
    for lo, hi in ((0, len(words)), (1, max(1, len(words) - 1))):
        full = features(words, lo, hi)
        kept = features(words, lo, hi, table)
        # the same attributes in the same order, less the unknown ones
        assert kept == [[a for a in f if a in known] for f in full]
        labels = tagger.tag(full)
        marginals = [tagger.marginal(y, i) for i, y in enumerate(labels)]
        assert tagger.tag(kept) == labels
        assert [tagger.marginal(y, i) for i, y in enumerate(labels)] == marginals
