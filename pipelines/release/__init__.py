"""The release tools that read a finished audit: gate, report, sample, review, apply.

None of them builds a Beam pipeline or imports Apache Beam (a test checks it); they
read the audit's tables through `pipelines/outputs.py` and, for `sample` and `apply`,
the original input files through `pipelines/inputs.py`, so they work on any
filesystem the audit could write to. `policy.py` loads the release policy and
`gate.py` holds the rule table (`RULES`) that turns an audit plus a policy into the
release decision; `statistics.py` has the confidence bounds the rules use. Each
command returns a result; `pipelines/cli.py` parses, prints and sets the exit code.
"""

# Defaults of `corpusgate sample`, here so the command line can show them without
# importing the release modules (and Beam's FileSystems with them).
SAMPLE_SIZE = 4000  # the standard's manual check: at least 4,000 records
SAMPLE_MAX_CHARS = 5000
