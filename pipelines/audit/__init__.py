"""The audit: the Apache Beam job behind `corpusgate audit` and `corpusgate demo`.

`job.py` builds the pipeline (read -> scan -> corpus detectors -> assemble -> write)
and runs it; `read.py` turns input files into records, dead letters and file
statistics (decoding itself is `pipelines/inputs.py`); `scan.py` runs every
per-record detector on batches of records in one generic DoFn; `assemble.py` joins
findings into the `documents` and `sources` rows; `write.py` stages the tables,
commits them and replaces a previous audit safely; `manifest.py` builds run.json;
`runner.py` chooses and configures the Beam runner; `collector.py` sets Python's
garbage collector for the run's processes; `output_guard.py` keeps one
writer per output directory; `summary.py` prints the console summary. Nothing here
decides what a finding is: detection logic lives in `detectors/`, and the Beam
composites of corpus-level detectors live in `pipelines/corpus/`.
"""
