"""The registry names each corpus detector's composite; the composites declare what
they exchange with the job."""

import apache_beam as beam
import pytest
from corpusgate.detectors import registry
from corpusgate.pipelines.corpus.base import transform_class


@pytest.mark.parametrize("name", registry.available())
def test_every_detector_has_one_entry_with_its_transform_if_corpus_level(name):
    detector = registry.get(name)
    entry = registry.entry(name)
    if detector.kind == "record":
        assert entry.transform is None
        with pytest.raises(ValueError, match="no corpus-level transform"):
            transform_class(name)
        return
    transform = transform_class(name)
    assert issubclass(transform, beam.PTransform)
    assert isinstance(transform.consumes_clusters, bool)
    assert isinstance(transform.produces_clusters, bool)


def test_cluster_producers_and_consumers():
    corpus = [n for n in registry.available() if registry.get(n).kind == "corpus"]
    producers = {n for n in corpus if transform_class(n).produces_clusters}
    consumers = {n for n in corpus if transform_class(n).consumes_clusters}
    assert producers == {"exact_duplicate", "near_duplicate"}
    assert consumers == {"labels"}
