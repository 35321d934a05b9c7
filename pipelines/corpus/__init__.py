"""One Beam composite per corpus-level detector (duplicates, copyright, poisoning,
labels): plumbing only.

A composite moves the features that the scan pass computed (`detectors/<name>.py`
`features()`) through keyed groupings and combiners, and calls the detector's pure
functions for every decision (what is a duplicate, an outlier, a noisy label). `base.py`
holds the contract every composite follows (its inputs and outputs) and the run-wide
`JobContext`. A new corpus detector's transform goes in `pipelines/corpus/<name>.py`
and is named, next to its detection class, in its entry in `detectors/registry.py`.
"""
