"""CN_QQ_NUMBER and CN_WECHAT_ID: instant-messaging accounts, only after their label.

A QQ number is 5-11 digits not starting with 0, a WeChat id 6-20 letters, digits,
`_` or `-` starting with a letter (Tencent's rules); neither has a check digit, so the
label (QQ号, 扣扣, 微信号, WeChat ID...) is part of the pattern."""

from __future__ import annotations

from typing import ClassVar

from corpusgate.detectors.pii.china.base import WindowContextRecognizer
from presidio_analyzer import Pattern

_SEP = r"\s*(?:号码|号|账号|帐号|ID|id)?\s*(?:为|是)?\s*[:：]?\s*"


class CnQqNumberRecognizer(WindowContextRecognizer):
    ENTITY = "CN_QQ_NUMBER"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "qq_labelled",
            rf"(?<![A-Za-z])(?:QQ|扣扣|企鹅号|qq)(?!群){_SEP}(?P<v>[1-9]\d{{4,10}})(?![0-9])",
            0.7,
        )
    ]
    VALUE_GROUP = "v"
    CASE_INSENSITIVE = True
    NEGATIVE_CONTEXT: ClassVar[list[str]] = []

    @staticmethod
    def normalize(value: str) -> str:
        return value


class CnWechatIdRecognizer(WindowContextRecognizer):
    ENTITY = "CN_WECHAT_ID"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "wechat_labelled",
            # vx / wx only as a label with a colon: elsewhere they are letters of
            # a hash or a word
            r"(?:(?<![A-Za-z0-9+/=])(?:微信号|微信|WeChat|Wechat|weixin)"
            rf"{_SEP}|(?<![A-Za-z0-9+/=])(?:vx|VX|wx|WX)\s*[:：]\s*)"
            r"(?P<v>[A-Za-z][A-Za-z0-9_\-]{5,19})(?![A-Za-z0-9_\-])",
            0.7,
        )
    ]
    VALUE_GROUP = "v"
    NEGATIVE_CONTEXT: ClassVar[list[str]] = []
    INVALID_SCORE = 0.0
    # Words that follow 微信 in prose, not an id: 微信 public account, pay...
    _NOT_ID = frozenset({"public", "official", "account", "group", "groups", "moments"})

    @staticmethod
    def normalize(value: str) -> str:
        return value

    def validate_result(self, pattern_text: str) -> bool | None:
        # A WeChat id has a digit or an underscore or is not an English word; an
        # English word after "WeChat" is prose ("WeChat users").
        if pattern_text.lower() in self._NOT_ID or (
            pattern_text.isalpha() and pattern_text.islower()
        ):
            return False
        return None
