"""How corpus-level detectors plug into the job.

A corpus-level detector's Beam composite is a `beam.PTransform` named in the
detector's entry in `detectors/registry.py`. The job builds it as
`Transform(detector, job)`, where `detector` is the configured pure `CorpusDetector`
and `job` the run-wide `JobContext`, and applies it to a dict:

    {"features": PCollection[(RecordRef, features)],      # from the scan pass
     "clusters": PCollection[(key, ClusterAssignment)]}   # only if `consumes_clusters`

It returns a dict with
    "findings": PCollection[(RecordRef, Finding)]                      (required)
    "clusters": PCollection[((source, record_index), ClusterAssignment)]
                                                     (only if `produces_clusters`)

The job applies every cluster producer before any consumer, so a consumer gets the
clusters whatever the order detectors are named in. When both duplicate detectors
run, `documents.cluster_id` comes from the near-duplicate clusters (they contain the
exact ones): the producer registered last wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpusgate.detectors import registry


@dataclass(frozen=True)
class ClusterAssignment:
    cluster_id: str
    is_duplicate: bool  # a member that is not the representative
    representative_doc_id: str
    size: int


@dataclass(frozen=True)
class JobContext:
    """Run-wide inputs some corpus detectors need."""

    run_id: str
    references: tuple[str, ...] = ()  # --reference
    baseline: str | None = None  # --baseline (an earlier audit's OUT)
    extra: dict = field(default_factory=dict)
    # The run is the in-process runner with one worker: a composite may hold its data
    # in one place (the runner holds what it shuffles in memory anyway).
    in_one_process: bool = False


def transform_class(name: str):
    """The Beam composite registered for a corpus-level detector."""
    path = registry.entry(name).transform
    if path is None:
        raise ValueError(f"detector {name!r} has no corpus-level transform")
    return registry.load(path, "corpusgate.pipelines.corpus")
