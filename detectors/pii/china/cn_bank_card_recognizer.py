"""CN_BANK_CARD: UnionPay and other bank cards, Luhn + IIN
(docs/standards.md, "Identifier check digits").

A Luhn-valid UnionPay (62) card is reported on its own. A number that fails Luhn is
reported only when it has a legacy domestic prefix whose cards were issued without a
Luhn digit - 9558 (ICBC 牡丹灵通卡) and 9559 (ABC 金穗卡, 95599) - and a card
context word; any other Luhn failure is not a card. Next to a look-alike marker
(流水号, 订单...) nothing unchecked is reported."""

from __future__ import annotations

from typing import ClassVar

from corpusgate.detectors.pii.checksums import luhn_ok, ric_structure_ok
from corpusgate.detectors.pii.china.base import WindowContextRecognizer
from presidio_analyzer import Pattern


class CnBankCardRecognizer(WindowContextRecognizer):
    ENTITY = "CN_BANK_CARD"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "bank_card",
            r"(?<![0-9])(?:62|4\d|5[1-5]|35|9\d)\d{2}(?:[ -]?\d{4}){2}[ -]?\d{4}"
            r"(?:[ -]?\d{1,3})?(?![0-9])",
            0.4,
        )
    ]
    CONTEXT: ClassVar[list[str]] = [
        "卡号",
        "银行卡",
        "储蓄卡",
        "借记卡",
        "信用卡",
        "账号",
        "帐号",
        "账户",
        "开户行",
        "银联",
        "尾号",
        "card",
        "account",
    ]
    VALID_SCORE = 0.85
    LEGACY_PREFIXES: ClassVar[tuple[str, ...]] = ("9558", "9559")
    CONTEXT_BOOST = 0.15

    def validate_result(self, pattern_text: str) -> bool | None:
        if not 16 <= len(pattern_text) <= 19:
            return False
        return luhn_ok(pattern_text)

    def score(
        self, base: float, value: str, valid: bool | None, context: bool
    ) -> float:
        if len(value) == 18 and ric_structure_ok(value) and not context:
            # Region + birth date: an ID number (its check digit failed, or the
            # ID recognizer reports it); Luhn passes 1 time in 10 by chance.
            return 0.0
        if valid:
            # Visa/MC-range numbers without context are left to CREDIT_CARD.
            s = self.VALID_SCORE if value.startswith("62") else 0.7
            return min(1.0, s + (self.CONTEXT_BOOST if context else 0.0))
        if (
            16 <= len(value) <= 19
            and context
            and value.startswith(self.LEGACY_PREFIXES)
        ):
            return 0.6  # legacy cards without a Luhn digit: context decides
        return 0.0
