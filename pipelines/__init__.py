"""Everything that moves data: the command line and the Apache Beam job around the
pure detectors.

`cli.py` is the one entry point (parsing, printing, exit codes). `audit/` is the Beam
job behind `corpusgate audit`; `corpus/` holds one Beam composite per corpus-level
detector (plumbing only); `release/` holds the tools that read a finished audit (gate,
report, sample, review, apply) and never import Beam. Two modules are shared by both
sides: `inputs.py`, the one decoder of input files, and `outputs.py`, the one reader
of a finished audit's tables. `data/` holds the default release policy;
`demo_data/` and `demo_references/` the corpus `corpusgate demo` audits.
"""
