#!/usr/bin/env python3
"""Regenerates the demo corpus shipped in `pipelines/demo_data/` (deterministic).

Two sources of bilingual (Chinese/English) records: product reviews and a support
forum. Planted: exact and near duplicates, leaked credentials, personal identifiers
(synthetic, with valid check digits), harmless CBRN mentions (news/treaty text), and a
few broken lines, so that every manifest table has rows.

    python scripts/make_demo_corpus.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "pipelines" / "demo_data"
REFS = OUT.parent / "demo_references"  # not under demo_data: not part of the corpus

PRODUCTS_ZH = ["酒店", "耳机", "咖啡机", "行李箱", "台灯", "跑鞋", "电饭煲", "键盘"]
PRODUCTS_EN = [
    "hotel",
    "headphones",
    "coffee maker",
    "suitcase",
    "desk lamp",
    "running shoes",
    "rice cooker",
    "keyboard",
]
OPINIONS_ZH = [
    "质量很好，物流也快",
    "性价比一般，包装有破损",
    "用了一个月就坏了，很失望",
    "服务态度热情，下次还会再来",
    "外观漂亮，但是声音有点大",
    "比预期的好，推荐购买",
]
OPINIONS_EN = [
    "works great and arrived early",
    "average value, the box was damaged",
    "broke after a month, very disappointed",
    "friendly staff, will come again",
    "looks nice but is a bit noisy",
    "better than expected, would recommend",
]
DETAILS_ZH = [
    "客服回复很及时。",
    "第二次购买了。",
    "颜色和图片一致。",
    "安装花了十分钟。",
    "适合送礼。",
    "说明书写得很清楚。",
]
DETAILS_EN = [
    "Support answered within an hour.",
    "This is my second purchase.",
    "The colour matches the photos.",
    "Setup took ten minutes.",
    "A good gift.",
    "The manual is clear.",
]
NEWS = [
    "The Chemical Weapons Convention entered into force in 1997 and bans the production of "
    "agents such as sarin; the OPCW verified the destruction of declared stockpiles.",
    "《禁止化学武器公约》于1997年生效，禁止生产沙林等化学战剂，禁化武组织核查了库存的销毁。",
    "Nuclear power plants use low-enriched uranium fuel; the IAEA inspects civilian reactors "
    "under safeguards agreements.",
    "世界卫生组织表示，炭疽病例可用抗生素治疗，疫苗接种可以预防感染。",
]


def _id_check(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return "10X98765432"[s % 11]


def synthetic_resident_id(rng: random.Random) -> str:
    body = f"110105{rng.randint(1960, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return body + _id_check(body)


def reviews(rng: random.Random) -> list[dict]:
    records = []
    for i in range(180):
        k = rng.randrange(len(PRODUCTS_ZH))
        j = rng.randrange(len(OPINIONS_ZH))
        if i % 3 == 0:
            text = f"这款{PRODUCTS_ZH[k]}{OPINIONS_ZH[j]}。{rng.choice(DETAILS_ZH)}"
            text += f"（订单{rng.randint(10**9, 10**10 - 1)}）"
        elif i % 3 == 1:
            text = f"The {PRODUCTS_EN[k]} {OPINIONS_EN[j]}. {rng.choice(DETAILS_EN)} "
            text += f"Order #{rng.randint(10**6, 10**7 - 1)}."
        else:
            text = (
                f"{PRODUCTS_ZH[k]}：{OPINIONS_ZH[j]}。In short, the {PRODUCTS_EN[k]} "
                f"{OPINIONS_EN[j]}. 评分{rng.randint(1, 5)}/5"
            )
        records.append(
            {
                "id": f"review-{i:04d}",
                "text": text,
                "label": "positive" if j in (0, 3, 5) else "negative",
                "site": "shop.example",
            }
        )
    # Exact duplicates (whitespace and full-width variants normalize to the same text).
    for n, src in enumerate((3, 10, 10, 42)):
        dup = dict(records[src], id=f"review-dup-{n}")
        dup["text"] = dup["text"].replace("。", "。 ", 1) if n % 2 else dup["text"]
        records.append(dup)
    # Near duplicate: same review with a header and a changed rating.
    near = dict(records[7], id="review-near-0")
    near["text"] = "转发：" + near["text"] + " 谢谢"
    records.append(near)
    for i, news in enumerate(NEWS):
        records.append({"id": f"news-{i}", "text": news, "site": "news.example"})
    return records


def forum(rng: random.Random) -> list[dict]:
    records = []
    for i in range(120):
        if i % 4 == 0:
            text = (
                f"部署脚本报错了，配置里写的是 aws_access_key_id = AKIAIOSFODNN7EXAMPLE，"
                f"请帮忙看看。用户{i}"
            )
        elif i % 4 == 1:
            text = (
                f'My CI fails with `password = "Tr0ub4dor&{i:03d}x"` in settings.py, '
                "what am I doing wrong?"
            )
        elif i % 4 == 2:
            text = (
                f"联系人手机 138{rng.randint(10**7, 10**8 - 1)}，身份证号 "
                f"{synthetic_resident_id(rng)}，请尽快回复。"
            )
        else:
            text = (
                f"Thanks, the fix in version 2.{i} solved it. Contact me at "
                f"user{i}@mail.example.com if you need logs."
            )
        records.append({"id": f"post-{i:04d}", "text": text, "site": "forum.example"})
    records.append(
        {
            "id": "post-token",
            "text": "Rotate this leaked token now: ghp_"
            + "".join(
                rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(36)
            ),
        }
    )
    return records


# Public-domain reference works for the copyright detector (`corpusgate demo` passes
# them as --reference): Jane Austen, Pride and Prejudice (1813), chapter 1; Tao Yuanming,
# 桃花源记 (5th century).
REFERENCES = [
    {
        "id": "austen-pride-and-prejudice-ch1",
        "text": (
            "It is a truth universally acknowledged, that a single man in possession "
            "of a good fortune, must be in want of a wife. However little known the "
            "feelings or views of such a man may be on his first entering a "
            "neighbourhood, this truth is so well fixed in the minds of the surrounding "
            "families, that he is considered the rightful property of some one or "
            'other of their daughters. "My dear Mr. Bennet," said his lady to him one '
            'day, "have you heard that Netherfield Park is let at last?" Mr. Bennet '
            'replied that he had not. "But it is," returned she; "for Mrs. Long has '
            'just been here, and she told me all about it." Mr. Bennet made no answer.'
        ),
    },
    {
        "id": "tao-yuanming-taohuayuanji",
        "text": (
            "晋太元中，武陵人捕鱼为业。缘溪行，忘路之远近。忽逢桃花林，夹岸数百步，"
            "中无杂树，芳草鲜美，落英缤纷。渔人甚异之，复前行，欲穷其林。林尽水源，"
            "便得一山，山有小口，仿佛若有光。便舍船，从口入。初极狭，才通人。复行数"
            "十步，豁然开朗。土地平旷，屋舍俨然，有良田美池桑竹之属。阡陌交通，鸡犬"
            "相闻。"
        ),
    },
]


def quoting_records() -> list[dict]:
    """Forum posts that copy a reference passage verbatim, and one short quotation
    below the threshold (not reported)."""
    austen, tao = (r["text"] for r in REFERENCES)
    return [
        {
            "id": "post-quote-en",
            "text": "Book club notes for Friday. Opening we discussed: "
            + austen[: austen.index(' "My dear')]
            + " Please bring your copy.",
        },
        {
            "id": "post-quote-zh",
            "text": "读书会摘抄：" + tao[: tao.index("便得一山")] + "下周讨论。",
        },
        {
            "id": "post-short-quote",
            "text": "As the saying goes, it is a truth universally acknowledged. Anyway, "
            "the release is out.",
        },
    ]


def main() -> None:
    rng = random.Random(20261125)
    OUT.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in reviews(rng)]
    # Broken lines: a truncated object, a record without text, a number as text.
    lines.insert(50, '{"id": "review-broken", "text": "这行在中途被截断')
    lines.insert(90, json.dumps({"id": "review-notext", "body": "no text field"}))
    lines.insert(120, json.dumps({"id": "review-number", "text": 12345}))
    (OUT / "reviews.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUT / "reviews.jsonl.provenance.json").write_text(
        json.dumps(
            {
                "source_id": "shop-reviews-2026q3",
                "acquisition": "self_collected",
                "license": "LicenseRef-shop-tos-2026",
                "collected_at": "2026-09-30",
                "collection_record": "crawl-log-2026-09-30",
                "consent_record": None,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    posts = [json.dumps(r, ensure_ascii=False) for r in forum(rng) + quoting_records()]
    REFS.mkdir(parents=True, exist_ok=True)
    (REFS / "works.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in REFERENCES),
        encoding="utf-8",
    )
    data = ("\n".join(posts) + "\n").encode("utf-8")
    data += (
        b'{"id": "post-badbytes", "text": "caf\xe9 au lait"}\n'  # Latin-1, not UTF-8
    )
    (OUT / "forum.jsonl").write_bytes(data)
    (OUT / "forum.jsonl.provenance.json").write_text(
        json.dumps(
            {
                "source_id": "support-forum",
                "acquisition": "user_input",
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
