"""CBRN screening (nuclear, biological, chemical weapons and missiles, 核生化导武器).

Lexicon and signal vocabularies are data (`data/*.tsv`); `lexicon` loads and validates
them, `matcher` finds every term in one pass, `scorer` turns hits into per-category
assessments, and `CbrnDetector` reports them as findings.
"""

from corpusgate.detectors.cbrn.detector import CbrnDetector

__all__ = ["CbrnDetector"]
