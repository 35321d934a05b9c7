"""LOCATION (Chinese addresses): administrative divisions down to road and number.

An address starts at a province-level name or a `X市/X县` unit and chains further
units (区/县/镇/街道/路/号...). Two or more units make an address (score 0.85 with a
road or number, else 0.6); a lone place name is not reported."""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import EntityRecognizer, RecognizerResult

_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南"
    "|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_C = "\u4e00-\u9fff"
_PROVINCE = rf"(?:{_PROVINCES})(?:[{_C}]{{0,6}}?自治区|省|市|特别行政区)?"
_ADMIN = rf"[{_C}]{{1,7}}?(?:自治州|地区|盟|市|县|区|旗|镇|乡|街道)"
_ROAD = rf"[{_C}0-9]{{1,10}}?(?:大道|路|街|巷|弄|胡同|道)"
_NUMBER = (
    r"(?:[0-9A-Za-z一二三四五六七八九十甲乙丙丁\-]{1,6}"
    r"(?:号院|号楼|号|座|栋|幢|单元|楼|层|室|弄)[0-9A-Za-z\-]*)"
)
# Left-over words that a lazy unit can still swallow (寄到 / 位于 / 地址是).
_LEAD_STOP = set("到在于的是为寄住往从自和与及址送至去来了把向将请由")


class CnAddressRecognizer(EntityRecognizer):
    ENTITY = "LOCATION"
    ADDRESS_SCORE: ClassVar[float] = 0.85
    DIVISIONS_SCORE: ClassVar[float] = 0.6

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[self.ENTITY],
            supported_language="zh",
            name="CnAddressRecognizer",
        )

    def load(self) -> None:
        head = rf"(?:{_PROVINCE}|[{_C}]{{2,4}}?(?:市|县))"
        self._re = re.compile(
            rf"(?P<a>{head}(?:{_ADMIN}){{0,3}}(?:{_ROAD}){{0,2}}(?:{_NUMBER}){{0,4}})"
        )
        self._unit = re.compile(
            r"(省|自治区|特别行政区|市|自治州|地区|盟|县|区|旗|镇|乡|街道|大道|路|街|巷|弄|胡同|号|座|栋|幢|单元|室)"
        )
        self.is_loaded = True

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        results = []
        for m in self._re.finditer(text):
            start, end = m.span("a")
            while start < end and text[start] in _LEAD_STOP:
                start += 1
            value = text[start:end]
            units = len(self._unit.findall(value))
            if units < 2 or len(value) < 4:
                continue
            detailed = bool(re.search(r"(?:路|街|巷|弄|胡同|道|号|座|栋|室)", value))
            score = self.ADDRESS_SCORE if detailed else self.DIVISIONS_SCORE
            results.append(
                RecognizerResult(
                    self.ENTITY,
                    start,
                    end,
                    score,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results
