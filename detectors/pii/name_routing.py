"""Which name recognizers read which text, by language and script.

Chinese name rules and models run on Chinese only: a document that
`corpusgate.detectors.language` calls Japanese or Korean gets no Chinese PERSON
finding (its kanji/hanja are not Chinese names). Traditional Chinese is read in
simplified form (OpenCC), where the person stage, its dictionary and its weights
live, and the spans are mapped back to the original text exactly.
"""

from __future__ import annotations

import re

from corpusgate.detectors.language import (
    han_variant,
    span_to_original,
    to_simplified,
)
from presidio_analyzer import RecognizerResult

_HAN = re.compile("[\u4e00-\u9fff]")
NOT_CHINESE = frozenset({"ja", "ko"})


def runs_chinese_names(text: str, language: str) -> bool:
    """Whether the Chinese name recognizers read `text` (of document `language`)."""
    return language not in NOT_CHINESE and _HAN.search(text) is not None


def analyze_chinese(
    recognizers: list, text: str, language: str
) -> list[RecognizerResult]:
    """The recognizers' results on `text`, traditional Chinese converted to
    simplified first (a whole traditional document, or the Han characters of a
    document in another language when they are traditional)."""
    traditional = language == "zh-Hant" or (
        language != "zh-Hans" and han_variant(text) == "zh-Hant"
    )
    if not traditional:
        out: list[RecognizerResult] = []
        for r in recognizers:
            out += r.analyze(text, r.supported_entities, None)
        return out
    view, offsets = to_simplified(text)
    out = []
    for r in recognizers:
        for x in r.analyze(view, r.supported_entities, None):
            x.start, x.end = span_to_original(offsets, x.start, x.end)
            out.append(x)
    return out
