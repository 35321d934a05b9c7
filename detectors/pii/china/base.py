"""A Presidio `PatternRecognizer` that scores with check digits and a character window.

Presidio's own context enhancement works on spaCy tokens and lemmas, which Chinese
text does not have without a model; and its `validate_result` can only set a score to
1.0 or drop the match, while a failed check digit here must give a low score, not
nothing. Recognizers derived from this class therefore keep Presidio's shape (entity,
patterns and context words as class constants, check digits in `validate_result`) and
score in `analyze` from three facts: the check result, context words in a window of
characters around the match, and words that mark a look-alike (order numbers...).
"""

from __future__ import annotations

import re
from typing import ClassVar

# The window helpers are re-exported: the recognizers import them from here.
from corpusgate.detectors.pii.windows import (  # noqa: F401
    lookalike_before,
    sentence_window,
    word_regex,
)
from presidio_analyzer import (
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)

# Separators that may appear inside a number (`6222 0212 ...`, `138-1234-5678`).
_SEPARATORS = re.compile(r"[\s\-]")


def recognizer_result(
    recognizer: EntityRecognizer,
    entity: str,
    start: int,
    end: int,
    score: float,
    **metadata: object,
) -> RecognizerResult:
    """A result that names the recognizer that made it, as Presidio's own do."""
    return RecognizerResult(
        entity,
        start,
        end,
        score,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
            **metadata,
        },
    )


class SpanRecognizer(EntityRecognizer):
    """A recognizer of one entity in one language that finds its spans by its own
    means (rules, dictionaries, a model) rather than Presidio's patterns; named
    after its class."""

    ENTITY: ClassVar[str] = ""
    LANGUAGE: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[self.ENTITY], supported_language=self.LANGUAGE
        )

    def result(self, start: int, end: int, score: float) -> RecognizerResult:
        return recognizer_result(self, self.ENTITY, start, end, score)


class WindowContextRecognizer(PatternRecognizer):
    """Pattern recognizer scored by check digits and a window of characters."""

    ENTITY: ClassVar[str] = ""
    PATTERNS: ClassVar[list[Pattern]] = []
    CONTEXT: ClassVar[list[str]] = []
    # Look-alike markers (order, waybill, serial numbers) just left of the match.
    NEGATIVE_CONTEXT: ClassVar[list[str]] = [
        "订单",
        "单号",
        "编号",
        "流水号",
        "工单",
        "快递",
        "运单",
        "条码",
        "条形码",
        "序列号",
        "批次",
        "发票号",
        "订单号",
        "货号",
        "型号",
        "书号",
        "快递单",
        "交易号",
        "凭证号",
        "合同号",
        "isbn",
        "issn",
        "s/n",
        "ticket",
        "order",
        "tracking",
        "serial",
        "invoice",
        "barcode",
        "sku",
        # a cited provision or patent (Clause 252.227-7013, § 1.2-3456, DFARS
        # 252.227-7014, 48 CFR 12.212) or a persistent identifier (the Handle System's
        # handle 1895.22/1013 of the CNRI licence that ships with Python)
        "clause",
        "section",
        "§",
        "patent",
        "dfars",
        "far",
        "cfr",
        "handle",
    ]
    CONTEXT_WINDOW: ClassVar[int] = 20  # characters on each side
    NEGATIVE_WINDOW: ClassVar[int] = 16  # characters on the left
    CONTEXT_REQUIRED: ClassVar[bool] = False
    CONTEXT_BOOST: ClassVar[float] = 0.2
    VALID_SCORE: ClassVar[float] = 0.9  # check digit passed
    INVALID_SCORE: ClassVar[float] = 0.3  # check digit failed (0 = drop)
    # Score cap next to a look-alike marker: below the detector's default min_score
    # (0.3), so that a capped look-alike is not reported at all.
    LOOKALIKE_CAP: ClassVar[float] = 0.2
    VALUE_GROUP: ClassVar[str | None] = None  # named group holding the value

    def __init__(self, supported_language: str = "zh") -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            supported_language=supported_language,
            patterns=list(self.PATTERNS),
            context=list(self.CONTEXT),
        )
        flags = re.IGNORECASE if self.CASE_INSENSITIVE else 0
        self._compiled = [(p, re.compile(p.regex, flags)) for p in self.patterns]
        self._context_re = word_regex(self.CONTEXT)
        self._negative_re = word_regex(self.NEGATIVE_CONTEXT)

    CASE_INSENSITIVE: ClassVar[bool] = False

    @staticmethod
    def normalize(value: str) -> str:
        return _SEPARATORS.sub("", value)

    def has_context(self, text: str, start: int, end: int) -> bool:
        if self._context_re is None:
            return False
        left, right = sentence_window(text, start, end, self.CONTEXT_WINDOW)
        return bool(
            self._context_re.search(text, left, start)
            or self._context_re.search(text, end, right)
        )

    def is_lookalike(self, text: str, start: int, end: int) -> bool:
        return lookalike_before(self._negative_re, text, start, self.NEGATIVE_WINDOW)

    def score(
        self, base: float, value: str, valid: bool | None, context: bool
    ) -> float:
        """The score of one match; 0 drops it."""
        if valid is False:
            score = self.INVALID_SCORE
            if score <= 0:
                return 0.0
            return min(score + (0.1 if context else 0.0), 0.45)
        if self.CONTEXT_REQUIRED and not context:
            return 0.0
        score = max(base, self.VALID_SCORE) if valid else base
        if context:
            score += self.CONTEXT_BOOST
        return min(score, 1.0)

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # noqa: D102
        results: list[RecognizerResult] = []
        for pattern, regex in self._compiled:
            for m in regex.finditer(text):
                group = self.VALUE_GROUP if self.VALUE_GROUP in regex.groupindex else 0
                start, end = m.span(group)
                value = self.normalize(m.group(group))
                valid = self.validate_result(value)
                context = self.has_context(text, start, end)
                score = self.score(pattern.score, value, valid, context)
                if score > 0 and self.is_lookalike(text, start, end) and not valid:
                    score = min(score, self.LOOKALIKE_CAP)
                if score <= 0:
                    continue
                results.append(
                    recognizer_result(
                        self,
                        self.ENTITY,
                        start,
                        end,
                        round(score, 4),
                        checksum=valid,
                        context=context,
                        pattern=pattern.name,
                    )
                )
        return results
