"""Personal information in Chinese, English and mixed text (detector `pii`)."""

from corpusgate.detectors.pii.detector import PiiDetector

__all__ = ["PiiDetector"]
