"""PRECISE_LOCATION: coordinates with 4+ decimals (about 11 m), decimal or DMS."""

from __future__ import annotations

import re
from typing import ClassVar

from corpusgate.detectors.pii.china.base import WindowContextRecognizer
from presidio_analyzer import Pattern


class PreciseLocationRecognizer(WindowContextRecognizer):
    ENTITY = "PRECISE_LOCATION"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "decimal_pair",
            r"(?<![\d.])[-+]?\d{1,3}\.\d{4,}[°]?\s*[NSEW北南东西]?\s*[,，/;]\s*"
            r"[-+]?\d{1,3}\.\d{4,}[°]?(?:\s*[NSEW北南东西])?(?![\d.])",
            0.7,
        ),
        Pattern(
            "dms",
            r"\d{1,3}°\s?\d{1,2}[′']\s?\d{1,2}(?:\.\d+)?[″\"]\s?[NSEW]",
            0.75,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "经纬度",
        "坐标",
        "定位",
        "位置",
        "纬度",
        "经度",
        "GPS",
        "lat",
        "lon",
        "coordinates",
        "location",
    ]
    NEGATIVE_CONTEXT: ClassVar[list[str]] = []
    CONTEXT_BOOST = 0.2
    _NUM = re.compile(r"[-+]?\d{1,3}\.\d+")

    @staticmethod
    def normalize(value: str) -> str:
        return value

    def validate_result(self, pattern_text: str) -> bool | None:
        found = self._NUM.findall(pattern_text)
        if len(found) != 2:
            return None  # DMS
        if any(x.endswith("000") for x in found):
            # Padded decimals (3.140000; -3.140000 of a format example): a value
            # printed to a fixed width, not a position measured to 11 m; a real
            # coordinate ends in three zeros once in a thousand.
            return False
        a, b = map(float, found)
        if abs(a) < 1 and abs(b) < 1:
            # Within a degree of both the equator and the prime meridian lies only
            # the sea off West Africa: a pair of fractions (a vector, an array's row
            # in a doctest's output), not where anyone is.
            return False
        ok = (abs(a) <= 90 and abs(b) <= 180) or (abs(b) <= 90 and abs(a) <= 180)
        if not ok:
            return False
        # Inside China's bounding box (either order): more likely a real position.
        in_cn = (3 <= a <= 54 and 73 <= b <= 136) or (3 <= b <= 54 and 73 <= a <= 136)
        return True if in_cn else None

    def score(
        self, base: float, value: str, valid: bool | None, context: bool
    ) -> float:
        if valid is False:
            return 0.0
        s = base + (0.15 if valid else 0.0) + (self.CONTEXT_BOOST if context else 0.0)
        return min(s, 1.0)
