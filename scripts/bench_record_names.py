#!/usr/bin/env python3
"""PERSON recall of the `pii` detector on generated record layouts, Chinese and English.

Templated records (forms, bank slips, waybills, case files, HR and medical notes) put a
name after a label or a role in a handful of layouts. This script builds such records
from three grids and prints, per grid and language, how many names the detector
reports at score >= 0.5 (score.py's matching rule: the finding overlaps the name by at
least half of the longer of the two), and with --misses every record it misses:

* fields: every record label of data/name_labels.tsv x the names below, with a
  full-width or ASCII colon, a space or a tab after the label and another field or
  nothing after the name (姓名：高明\\n电话：..., Tenant:\\tSiobhan O'Connor);
* roles: record roles run into the name, then a clause (司机徐海燕驾驶的车辆...,
  The passenger Li Na checked in...);
* sentences: the name inside sentences of service messages and notes (请联系陈静，
  电话..., Please contact John Smith at ...).

The names are common Chinese names (surnames and given names of the frequency lists,
among them given names that are also words: 海燕, 建国, 高峰, 高明) and English,
European, African and Asian names in Latin script; none comes from the evaluation
sets. The grids are fixed (seeded), so a figure can be repeated; it measures the
layouts, not a corpus: read it beside the evaluation sets' figures.

usage: scripts/bench_record_names.py [--misses] [--grids fields,roles,sentences]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_names import detector, persons  # noqa: E402
from train_cn_person import overlaps  # noqa: E402

ZH_NAMES = (
    "王秀英 李建华 张伟 刘洋 陈静 杨帆 赵磊 黄丽娟 周志强 吴婷婷 徐海燕 孙鹏 马红梅 "
    "朱建国 胡斌 郭丹丹 何勇 高峰 林红霞 罗刚 梁玉兰 宋凯 郑宇 谢倩 韩冬梅 唐志明 "
    "冯国强 于桂芳 董秀兰 萧海涛 覃晓燕 钟子涵 郝建平 欧阳明月 司马一鸣 甘露露 蒋文博 "
    "牛犇 龚雪梅 严浩 房立新 高明 林立 金鑫"
).split()
EN_NAMES = [
    "John Smith",
    "Emily Carter",
    "Sarah Thompson",
    "Kevin Walker",
    "Megan Baker",
    "Priya Raghunathan",
    "Olumide Adeyemi",
    "Nguyen Thi Lan",
    "Mateo García",
    "Siobhan O'Connor",
    "Kwame Mensah",
    "Fatima Al-Sayed",
    "Dmitri Volkov",
    "Hiroshi Tanaka",
    "Ana Lúcia Ferreira",
    "Jean-Luc Moreau",
    "Zhang Wei",
    "Li Na",
    "Wang Xiaoming",
    "Mohammed Rahman",
    "Hannah Kowalski",
    "Aigerim Bekova",
]
ZH_ROLES = (
    "司机 驾驶员 驾驶人 旅客 乘客 联系人 员工 开户人 户主 持卡人 客户 患者 收件人 "
    "寄件人 业主 租客 房东 经办人 申请人 被告 原告 职工 车主 当事人"
).split()
ZH_CLAUSES = [
    "驾驶的车辆在路口发生事故。",
    "已于昨日完成登记。",
    "于2023年5月6日办理了业务。",
    "在前台办理入住手续。",
    "的证件号码为110101199003071234。",
    "未按时缴纳费用。",
    "因病请假三天。",
    "来电咨询退款事宜。",
    "同意上述条款。",
    "办理了挂失手续。",
    "称其银行卡被盗刷。",
    "表示对服务不满意。",
    "提交了申请材料。",
    "签收了包裹。",
    "，电话13912345678。",
    "和家人一起出行。",
    "需要在三日内回复。",
]
EN_ROLES = [
    "The driver",
    "The passenger",
    "Account holder",
    "Employee",
    "Patient",
    "The tenant",
    "Customer",
    "The defendant",
    "Applicant",
    "Our client",
]
EN_CLAUSES = [
    "was not injured in the collision.",
    "checked in at 06:40.",
    "requested a new card on 2023-05-06.",
    "joined the finance team in 2019.",
    "was admitted with chest pain.",
    "signed the lease on Monday.",
    "called about the refund.",
    "has not paid the last invoice.",
]
ZH_SENTENCES = [
    "客户{n}于2023年5月6日办理了开户业务。",
    "请联系{n}，电话13912345678。",
    "由{n}负责本次项目的验收工作。",
    "转账给{n}的5000元已到账。",
    "{n}（身份证号110101199003071234）已完成实名认证。",
    "本人{n}承诺以上信息真实有效。",
    "今天{n}来办理了退款手续。",
    "我叫{n}，来自湖南长沙。",
    "经办人为{n}，审核人为李娜。",
    "{n}的快递已放在驿站。",
    "感谢{n}同学的帮助。",
    "特此证明{n}同志系我单位职工。",
    "{n}于2019年加入财务部。",
    "请{n}于周五前提交报告。",
    "{n}、王芳等三人获得奖学金。",
    "会议由{n}主持。",
]
EN_SENTENCES = [
    "Please contact {n} at 415-555-0133 for details.",
    "Transfer of $500 to {n} was completed on 2023-05-06.",
    "Signed by {n} on behalf of the tenant.",
    "Dear {n}, your booking is confirmed.",
    "{n} (DOB 1985-03-07) lives at 12 Oak Street.",
    "Our records show that {n} missed the last payment.",
    "Hi {n}, thanks for your order #48213.",
    "{n}'s passport number is E16146100.",
    "Approved: {n}, Head of HR",
    "Meeting with {n} moved to 2 pm.",
    "The loan was guaranteed by {n}.",
    "Thank you, {n}!",
]


def field_records(rnd: random.Random):
    from corpusgate.detectors.pii.china.cn_person_recognizer import name_labels

    after = {
        "zh": ["\n电话：13912345678", "，性别：女", ""],
        "en": ["\nPhone: 415-555-0133", ", DOB: 1985-03-07", ""],
    }
    for lang, labels in sorted(name_labels().items()):
        names = ZH_NAMES if lang == "zh" else EN_NAMES
        for i, label in enumerate(labels):
            sep = (
                ["：", ":", " ", "\t"][i % 4] if lang == "zh" else [": ", ":\t"][i % 2]
            )
            name = rnd.choice(names)
            yield lang, label + sep, name, rnd.choice(after[lang])


def role_records(rnd: random.Random):
    for lang, roles, clauses, names in (
        ("zh", ZH_ROLES, ZH_CLAUSES, ZH_NAMES),
        ("en", EN_ROLES, EN_CLAUSES, EN_NAMES),
    ):
        for role in roles:
            for clause in clauses:
                sep = "" if lang == "zh" else " "
                yield lang, role + sep, rnd.choice(names), sep + clause


def sentence_records(rnd: random.Random):
    for lang, sentences, names in (
        ("zh", ZH_SENTENCES, ZH_NAMES),
        ("en", EN_SENTENCES, EN_NAMES),
    ):
        for sentence in sentences:
            for name in rnd.sample(names, 10):
                head, tail = sentence.split("{n}")
                yield lang, head, name, tail


GRIDS = {"fields": field_records, "roles": role_records, "sentences": sentence_records}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grids", default=",".join(GRIDS))
    ap.add_argument("--misses", action="store_true", help="print every missed record")
    args = ap.parse_args()
    d = detector()
    for grid in args.grids.split(","):
        found, total, missed = Counter(), Counter(), []
        for lang, head, name, tail in GRIDS[grid](random.Random(2026)):
            text = head + name + tail
            span = (len(head), len(head) + len(name))
            total[lang] += 1
            if any(overlaps((f.start, f.end), span) for f in persons(d, "r", text)):
                found[lang] += 1
            else:
                missed.append((lang, text))
        for lang in sorted(total):
            print(
                f"{grid:10s} {lang}: {found[lang]}/{total[lang]} names found, "
                f"recall {found[lang] / total[lang]:.3f}"
            )
        for lang, text in missed if args.misses else ():
            print(f"  missed ({lang}): {text!r}")


if __name__ == "__main__":
    main()
