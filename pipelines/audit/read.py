"""The read stage of the audit: input files -> batches of records, dead letters, file
statistics.

Decoding itself is `pipelines/inputs.py` (shared with `sample` and `apply`); this is
the Beam plumbing that spreads files over workers and tags what the decoder yields.
"""

from __future__ import annotations

import pickle
import zlib

import apache_beam as beam
from corpusgate.detectors.base import Record
from corpusgate.pipelines.audit.progress import Progress
from corpusgate.pipelines.audit.scan import DEAD_LETTERS_TAG
from corpusgate.pipelines.inputs import (
    DeadLetter,
    FileStats,
    InputFile,
    ReadOptions,
    RecordDecoder,
)

# A batch also ends once its texts hold this many characters, so a few huge records
# do not make one huge batch.
BATCH_CHARS = 8 * 1024 * 1024


def pack_batch(batch: list[Record]) -> bytes:
    """A batch as one compressed byte string, for the shuffle that spreads batches
    over workers: a local runner holds every batch in the launching process until the
    scan starts, where a list of records would be decoded into Python objects (about
    three times the text's size); compressed bytes are about a third of it."""
    return zlib.compress(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack_batch(packed: bytes) -> list[Record]:
    return pickle.loads(zlib.decompress(packed))


class _ReadFiles(beam.DoFn):
    """Input file -> batches (lists) of records, dead-letter rows, file statistics.

    Records leave in batches of `batch_size`: one element per batch, not per record,
    through everything up to the scan (which runs each detector over a batch)."""

    def __init__(self, run_id: str, options: ReadOptions, batch_size: int) -> None:
        self._run_id = run_id
        self._options = options
        self._batch_size = max(1, batch_size)

    def setup(self) -> None:
        self._decoder = RecordDecoder(self._options)
        self._progress = Progress("read")

    def teardown(self) -> None:
        progress = getattr(self, "_progress", None)
        if progress is not None:
            progress.report()

    def process(self, input_file: InputFile):
        batch: list[Record] = []
        chars = 0
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
                batch.append(item)
                chars += len(item.text)
                if len(batch) >= self._batch_size or chars >= BATCH_CHARS:
                    yield batch
                    batch, chars = [], 0
        if batch:
            yield batch


class ReadCorpus(beam.PTransform):
    """Input files -> batches of records (main, `batches`), dead-letter rows, per-file
    statistics (`stats`). With `spread`, the files are spread over the workers first
    (a run in one process has nothing to spread them over)."""

    def __init__(
        self,
        run_id: str,
        inputs: list[InputFile],
        options: ReadOptions,
        batch_size: int = 64,
        spread: bool = True,
    ) -> None:
        super().__init__()
        self._run_id = run_id
        self._inputs = inputs
        self._options = options
        self._batch_size = batch_size
        self._spread = spread

    def expand(self, pbegin):
        files = pbegin | "InputFiles" >> beam.Create(self._inputs)
        if self._spread:
            # Spread files over workers before the (expensive) decoding.
            files = files | "SpreadFiles" >> beam.Reshuffle()
        return files | "DecodeRecords" >> beam.ParDo(
            _ReadFiles(self._run_id, self._options, self._batch_size)
        ).with_outputs(DEAD_LETTERS_TAG, "stats", main="batches")
