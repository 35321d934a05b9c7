"""Detection logic, pure Python: no Beam, no I/O.

A per-record detector is a `RecordDetector` (`base.py`) in its own module here (or a
package, with its shipped data in a `data/` folder beside it, e.g. `pii/`, `cbrn/`);
registering it in `registry.py` is all the pipeline needs. A corpus-level detector is
a `CorpusDetector` whose decisions are named functions here (`poisoning.py`,
`labels.py`, ...); its Beam composite lives in `pipelines/corpus/` and is named in
the same registry entry. `clusters.py` names groups of related records,
`decision.py` turns findings into a record's keep/redact/review/drop, `masking.py`
and `text.py` are helpers every detector shares.
"""
