"""The read stage of the audit: input files -> records, dead letters, file statistics.

Decoding itself is `pipelines/inputs.py` (shared with `sample` and `apply`); this is
the Beam plumbing that spreads files over workers and tags what the decoder yields.
"""

from __future__ import annotations

import apache_beam as beam
from corpusgate.pipelines.audit.progress import Progress
from corpusgate.pipelines.audit.scan import DEAD_LETTERS_TAG
from corpusgate.pipelines.inputs import (
    DeadLetter,
    FileStats,
    InputFile,
    ReadOptions,
    RecordDecoder,
)


class _ReadFiles(beam.DoFn):
    def __init__(self, run_id: str, options: ReadOptions) -> None:
        self._run_id = run_id
        self._options = options

    def setup(self) -> None:
        self._decoder = RecordDecoder(self._options)
        self._progress = Progress("read")

    def teardown(self) -> None:
        progress = getattr(self, "_progress", None)
        if progress is not None:
            progress.report()

    def process(self, input_file: InputFile):
        for item in self._decoder.read(input_file):
            if isinstance(item, DeadLetter):
                self._progress.add("records read")
                self._progress.add("dead letters")
                yield beam.pvalue.TaggedOutput(DEAD_LETTERS_TAG, item.row(self._run_id))
            elif isinstance(item, FileStats):
                self._progress.add("files")
                yield beam.pvalue.TaggedOutput("stats", item)
            else:
                self._progress.add("records read")
                yield item


class ReadCorpus(beam.PTransform):
    """Input files -> records (main), dead-letter rows, per-file statistics."""

    def __init__(
        self, run_id: str, inputs: list[InputFile], options: ReadOptions
    ) -> None:
        super().__init__()
        self._run_id = run_id
        self._inputs = inputs
        self._options = options

    def expand(self, pbegin):
        return (
            pbegin
            | "InputFiles" >> beam.Create(self._inputs)
            # Spread files over workers before the (expensive) decoding.
            | "SpreadFiles" >> beam.Reshuffle()
            | "DecodeRecords"
            >> beam.ParDo(_ReadFiles(self._run_id, self._options)).with_outputs(
                DEAD_LETTERS_TAG, "stats", main="records"
            )
        )
