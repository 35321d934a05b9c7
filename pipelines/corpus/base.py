"""How corpus-level detectors plug into the job.

A corpus-level detector is a `beam.PTransform` registered here by detector name. The
job builds it as `Transform(detector, job)`, where `detector` is the configured pure
`CorpusDetector` and `job` the run-wide `JobContext`, and applies it to a dict:

    {"features": PCollection[(RecordRef, features)],      # from the scan pass
     "clusters": PCollection[(key, ClusterAssignment)]}   # only if `consumes_clusters`

It returns a dict with
    "findings": PCollection[(RecordRef, Finding)]                      (required)
    "clusters": PCollection[((source, record_index), ClusterAssignment)] (optional)

Clusters from a later duplicate detector supersede an earlier one's (near duplicates
contain the exact ones), so `documents.cluster_id` comes from the last producer.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

# name -> "module:Class" under corpusgate.pipelines.corpus
CORPUS_TRANSFORMS: dict[str, str] = {
    "exact_duplicate": "exact_duplicate:ExactDuplicates",
    "near_duplicate": "near_duplicate:NearDuplicates",
    "copyright": "copyright:ReferenceOverlap",
    "poisoning": "poisoning:PoisoningSignals",
    "labels": "labels:LabelQuality",
}


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


def transform_class(name: str):
    module_name, class_name = CORPUS_TRANSFORMS[name].split(":")
    module = importlib.import_module(f"corpusgate.pipelines.corpus.{module_name}")
    return getattr(module, class_name)
