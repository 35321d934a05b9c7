"""LOCATION (Chinese addresses): administrative divisions down to road and number.

An address starts at a province-level name or a `X市/X县` unit and chains further
units (区/县/镇/街道/路/号...). Two or more units make an address (score 0.85 with a
house number, else 0.6: a place); a lone place name is not reported."""

from __future__ import annotations

import re
from typing import ClassVar

from corpusgate.detectors.pii.china.base import SpanRecognizer
from corpusgate.detectors.pii.windows import first_chars, matches_at
from corpusgate.detectors.spans import DisjointSpans, SpanIndex

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
_C_RE = re.compile(f"[{_C}]")
_NAME_STOP = set("这那个们我你他她它其此该各每某些的了着过和与及或在于是有无多少几")
_LEAD_STOP = set("到在于的是为寄住往从自和与及址送至去来了把向将请由")
# A numeral or demonstrative with a measure word (一座城市, 这个县, 每个区) counts
# a place, it names none; no city's name starts so.
_COUNTED = re.compile(r"[一二两三四五六七八九十几每这那某哪各][座个所片处间]")
_PROVINCE_START = re.compile(f"(?:{_PROVINCES})")
# Every offset where a province's name starts (overlapping ones too: 广西藏).
_PROVINCE_AT = re.compile(first_chars(_PROVINCES.split("|")) + f"(?=(?:{_PROVINCES}))")
_CITY_UNIT = re.compile("[市县]")
# 副 + a unit + 长 (副县长, 副市长): an office after the address, which the lazy unit
# pattern would take as a unit of its own (北京市|副市).
_DEPUTY_HEAD = re.compile("副[省市县区镇乡州旗]长")


class CnAddressRecognizer(SpanRecognizer):
    ENTITY = "LOCATION"
    LANGUAGE = "zh"
    ADDRESS_SCORE: ClassVar[float] = 0.85
    DIVISIONS_SCORE: ClassVar[float] = 0.6
    PLACE_SCORE: ClassVar[float] = 0.6
    # A named place below city level (长安街, 文汇路, 雅清苑, 西城区): the unit word
    # is found by regex, the name before it by jieba on a few characters.
    PLACE_UNITS: ClassVar[str] = (
        "大道|大街|路|街|巷|胡同|小区|花园|公寓|大厦|广场|苑|村|镇|乡|区|县|街道"
    )

    def load(self) -> None:
        head = rf"(?:{_PROVINCE}|[{_C}]{{2,4}}?(?:市|县))"
        self._re = re.compile(
            rf"(?P<a>{head}(?:{_ADMIN}){{0,3}}(?:{_ROAD}){{0,2}}(?:{_NUMBER}){{0,4}})"
        )
        self._unit = re.compile(
            r"(省|自治区|特别行政区|市|自治州|地区|盟|县|区|旗|镇|乡|街道|大道|路|街|巷|弄|胡同|号|座|栋|幢|单元|室)"
        )
        self._place_unit_re = re.compile(
            first_chars(self.PLACE_UNITS.split("|"))
            + rf"(?<=[{_C}])(?:{self.PLACE_UNITS})"
        )
        from corpusgate.detectors.pii.china import segmenter

        self._cut = segmenter.cut
        _, self._tags = segmenter.dictionary()
        self.is_loaded = True

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        results = []
        for m in self._matches(text):
            start, end = m.span("a")
            while start < end and text[start] in _LEAD_STOP:
                start += 1
            if _COUNTED.match(text, start, end):
                continue  # 这个县城区..., 一座城市: a place counted, none named
            start = self._city_start(text, start, end)
            if _DEPUTY_HEAD.match(text, end - 2) and end - 2 > start:
                end -= 2  # 武陟县|副县长: a deputy's office, no unit
            value = text[start:end]
            units = len(self._unit.findall(value))
            if units < 2 or len(value) < 4:
                continue
            # A precise address has a house number (国宾路18号, 3栋2层); a road
            # alone (深南中路), 道路 or 公路 in legal prose is a place at most.
            detailed = bool(
                re.search(
                    r"[0-9０-９一二三四五六七八九十]+\s*(?:号(?!线)|號(?!線)|座|栋|棟|幢|室|单元|层|楼)",
                    value,
                )
            )
            score = self.ADDRESS_SCORE if detailed else self.DIVISIONS_SCORE
            results.append(self.result(start, end, score))
        addresses = SpanIndex([(r.start, r.end) for r in results])
        places = DisjointSpans()
        for s, e in self._places(text):
            if not addresses.overlapping(s, e) and not places.overlaps(s, e):
                results.append(self.result(s, e, self.PLACE_SCORE))
                places.add(s, e)
        return results

    def _matches(self, text: str) -> list[re.Match]:
        """What `_re.finditer(text)` finds, tried only where a match can start (a
        province's name, or two to four characters before 市 or 县: the heads of
        `_re`) instead of at every character (three in four news articles hold
        neither 市 nor 县)."""
        heads = [m.start() for m in _PROVINCE_AT.finditer(text)]
        for m in _CITY_UNIT.finditer(text):
            heads.extend(range(max(0, m.start() - 4), m.start() - 1))
        return matches_at(self._re, text, heads)

    def _city_start(self, text: str, start: int, end: int) -> int:
        """Where an address opening with a X市/X县 head starts: at the word that
        ends with the unit, not at the words the head's characters also took
        (书店|大连市, 出于|珠海市); after the unit when that word is the unit alone
        or a pronoun's (在|市罗湖区, 位于|该市)."""
        if _PROVINCE_START.match(text, start, end):
            return start
        unit = _CITY_UNIT.search(text, start, min(end, start + 5))
        if unit is None:
            return start
        words = self._cut(text[start : unit.end()])
        last = words[-1] if words else ""
        if len(last) < 2 or any(c in _NAME_STOP for c in last):
            return unit.end()
        return unit.end() - len(last)

    def _places(self, text: str) -> list[tuple[int, int]]:
        out = []
        for m in self._place_unit_re.finditer(text):
            ws = max(0, m.start() - 8)
            words = self._cut(text[ws : m.end()])
            if not words:
                continue
            last = words[-1]
            if not last.endswith(m.group()):
                continue  # the unit character belongs to another word (道路, 社区)
            name = last[: -len(m.group())]
            if not name and len(words) >= 2:
                name = words[-2]
                if (
                    len(name) < 2
                    or not all(_C_RE.match(c) for c in name)
                    or any(c in _LEAD_STOP for c in name)
                ):
                    continue
                name_start = m.start() - len(name)
            elif len(name) >= 2 and all(_C_RE.match(c) for c in name):
                name_start = m.start() - len(name)
            else:
                continue
            if self._common_word(name + m.group()) or not self._name_like(name):
                continue
            out.append((name_start, m.end()))
        return out

    def _name_like(self, name: str) -> bool:
        """No function word inside (这个区, 我们县) and, if a dictionary word, a noun
        (遥远路, 围合区 are adjective/verb + unit)."""
        if any(c in _NAME_STOP for c in name):
            return False
        tag = self._tags.get(name)
        return tag is None or tag[0] in "nsj"

    def _common_word(self, word: str) -> bool:
        """Dictionary words ending in a unit that are not places (马路, 小区 alone,
        景区, 社区, 市区...) are frequent in reviews; jieba tags places ns."""
        tag = self._tags.get(word) if hasattr(self, "_tags") else None
        return tag is not None and tag != "ns" and len(word) <= 3
