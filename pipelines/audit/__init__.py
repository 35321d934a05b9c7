"""The audit: the Apache Beam job behind `corpusgate audit` and `corpusgate demo`.

`job.py` builds the pipeline (read -> scan -> corpus detectors -> assemble -> write)
and runs it; `read.py` turns input files into records and dead letters, `scan.py` runs
every per-record detector on batches of records in one generic DoFn, `assemble.py`
joins findings into the `documents` and `sources` rows, `write.py` stages the tables
and commits them, and `summary.py` prints the console summary of a finished audit.
Nothing here decides what a finding is: detection logic lives in `detectors/`, and the
Beam composites of corpus-level detectors live in `pipelines/corpus/`.
"""
