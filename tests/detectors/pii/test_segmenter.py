"""rjieba (jieba-rs) must segment Chinese exactly as jieba, whose dictionary data the
recognizers read and whose words the person stage was fitted on."""

from __future__ import annotations

import jieba
import pytest
from corpusgate.detectors.pii.china import segmenter


@pytest.mark.parametrize(
    "text",
    [
        "香港分公司董事倪以理在接受记者采访时表示",  # an unknown name: the HMM joins it
        "本报讯（记者李蕾张羽飞）有媒体昨日报道",
        "腾讯新闻昨天金庸逝世，江湖再无金大侠",
        "稀饭馒头干面包,连牛奶都没有,服务员在旁边看着",
        "请将发票寄到江西省玉英市花溪区长沙路d座号",
        "球队前锋卡瓦尼说，比赛很艰难",
    ],
)
def test_chinese_words_are_jiebas(text):
    jieba.setLogLevel(60)
    assert segmenter.cut(text) == list(jieba.dt.cut(text, HMM=True))


def test_dictionary_is_jiebas():
    freq, tags = segmenter.dictionary()
    assert freq["鲁迅"] > 0 and tags["鲁迅"] == "nr"
    assert tags["温泉"] == "nr"  # why ordinary text is fitted as negatives
