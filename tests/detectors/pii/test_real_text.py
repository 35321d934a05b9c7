"""The pii detector on patterns seen in real corpora: false alarms that must stay
silent (or low) next to the true cases they resemble; text kinds; severity policy;
redaction spans of sensitive statements."""

import re

import pytest
from corpusgate.detectors.base import DetectorContext, Record
from corpusgate.detectors.pii import PiiDetector

SENSITIVE = {
    "HEALTH_INFO",
    "BIOMETRIC_INFO",
    "RELIGIOUS_BELIEF",
    "FINANCIAL_ACCOUNT",
    "MINOR_INFO",
    "SPECIFIC_IDENTITY",
    "WHEREABOUTS",
}


def scan(detector, text, **meta):
    return detector.scan(Record("d", "s", 0, text, meta=meta))


def spans(findings, text, types, min_severity=("medium", "high", "critical")):
    return [
        (f.finding_type, text[f.start : f.end])
        for f in findings
        if f.finding_type in types and f.severity in min_severity
    ]


# -- sensitive statements -------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Mr Murray said in a statement that the club would appeal.",
        "Clint Eastwood directed Million Dollar Baby in 2004.",
        "Sarah Jones told the Guardian that she would run again.",
        "Thomas Haden Church played the villain.",
        "北京国安队主教练李明赛后接受了采访。",
        "作为行业的领军人物，张伟在会上发言。",
        "王芳说，越來越風行的佛教旅游带动了当地经济。",
        "John Smith visited the church on Sunday with his children.",
        "记者李蕾报道，糖尿病是一种常见的慢性病。",
        # the name is the speaker of what follows, not its subject
        "代理律师王建国表示，如果借款人欠款5万元，利息应以本金计算。",
        "Nurse Jane Roberts said most were diagnosed with cancer too late.",
        # an indefinite person is the subject
        "目击者赵丽华说，昨晚一名男子在银行存款2万元后被抢。",
        "Officer Mark Davis found that a man was diagnosed with diabetes last year.",
        # a key's fingerprint after a name's e-mail address
        'gpg: Good signature from "Greg Kroah-Hartman <greg@kroah.com>"\n'
        "Primary key fingerprint: 647F 2865 4894 E3BD 4571  99BE 38DB BDC8 6092 693E",
        # a list of peoples
        "In anarchy the Russian, Finn, Jew, Georgian, and Ukrainian are equal.",
        # a number of people is the subject
        "1950年代一个叫 Eliot Slater 的精神科医生研究了85个被诊断出患上歇斯底里症的病人",
        "1950 年代 一個叫 Eliot Slater 嘅精神科醫生 研究咗 85 個 被診斷出患上歇斯底里症嘅病人",
        # a likeness, a pretence or a condition is no statement about the person
        "Ulma Thurman looked like she had some kind of disease in that film.",
        "Tom Baker acted as if he had cancer to get the part.",
        "王伟好像得了什么怪病，整天不说话。",
        "如果张伟患有高血压，就不能参加这次体检。",
        "Ask whether Tom Baker has diabetes before the trip.",
        # a country's fact box in a news article that names its reporter
        "（新华社北京１月２９日电 记者朱治德）\n面积：６２２９８４平方公里 人口：３３０万 "
        "宗教：原始宗教、天主教、伊斯兰教 语言：官方语言为法语",
        "Reporter John Smith. Capital: Vientiane. Population: 7 million. "
        "Religion: Buddhist",
        # a label being defined in a quotation, not a record's field
        "Religion: Versicherung im Diesseits gegen Feuer im Jenseits.\n\t\t-- Robert Lembke",
        # a name in a byline's parenthesis
        "本报讯（记者周明 通讯员孙强）前天，一储户在柜台存款3万元时发现假币。",
        # a list of field labels, no value
        "Fingerprint: Aliases: none",
        # a table's cells: a surname, then a first name that is also a creed's word
        "Last Name\tFirst Name\tQuantity\n Yoder\tChristian\t2\t8:30 - 9:00",
    ],
)
def test_category_words_near_a_name_are_not_sensitive(detector, text):
    findings = scan(detector, text)
    assert not [f for f in findings if f.sensitive]
    assert not [f for f in findings if f.severity in ("high", "critical")]


@pytest.mark.parametrize(
    "text, category, expression",
    [
        ("患者张伟，手机13812345678，确诊糖尿病", "HEALTH_INFO", "确诊糖尿病"),
        ("张伟患有高血压，长期服药。", "HEALTH_INFO", "患有高血压"),
        (
            "Patient Phillip Collins was diagnosed with cancer",
            "HEALTH_INFO",
            "was diagnosed with cancer",
        ),
        ("收件人王健，基督徒，手机13812345678", "RELIGIOUS_BELIEF", "基督徒"),
        ("客户李娜的银行卡6200000000000005", "FINANCIAL_ACCOUNT", None),
        ("张小明（9岁）的监护人签字，电话13812345678", "MINOR_INFO", "9岁"),
        (
            "客户王磊有犯罪记录，身份证11010519491231002X",
            "SPECIFIC_IDENTITY",
            "有犯罪记录",
        ),
        # beside the hedged cases above: the statements themselves
        ("Ulma Thurman had heart disease for years.", "HEALTH_INFO", None),
        ("王伟得了肺结核，正在住院。", "HEALTH_INFO", None),
        # a person's record with the same label
        (
            "客户王磊，身份证11010519491231002X，宗教：天主教",
            "RELIGIOUS_BELIEF",
            "天主教",
        ),
        ("Reporter John Smith. Religion: Buddhist", "RELIGIOUS_BELIEF", "Buddhist"),
        # one field a place's box would also hold is a record's own (the burnt area)
        (
            "患者王磊，身份证11010519491231002X，烧伤面积：30%，诊断：糖尿病",
            "HEALTH_INFO",
            "糖尿病",
        ),
        ("Sara Jones, a Muslim, phone (415) 555-0100", "RELIGIOUS_BELIEF", "Muslim"),
        # a decimal account number is no digest
        (
            "贾先生，电话13812345678，使用工商银行账户（卡号：6222021005678912345）",
            "FINANCIAL_ACCOUNT",
            None,
        ),
        (
            "Patient John Smith, phone (415) 555-0100. Fingerprint: loop, right thumb",
            "BIOMETRIC_INFO",
            None,
        ),
        (
            "Patient Robert Lembke, phone (415) 555-0100. Religion: Protestant",
            "RELIGIOUS_BELIEF",
            "Protestant",
        ),
        (
            "Patient J. Shah, phone (415) 555-0100. Religion: Jain",
            "RELIGIOUS_BELIEF",
            "Jain",
        ),
        # a number of months is no number of people
        ("张伟在过去3个月内确诊糖尿病，住院治疗。", "HEALTH_INFO", "确诊糖尿病"),
        # a speaker talking about himself
        ("患者张伟表示，自己患有高血压多年。", "HEALTH_INFO", "患有高血压"),
        # traditional Chinese: read in simplified characters, reported at its offsets
        ("患者張偉，手機13812345678，確診糖尿病", "HEALTH_INFO", "確診糖尿病"),
        ("張偉患有高血壓，長期服藥。", "HEALTH_INFO", "患有高血壓"),
        ("客戶李娜的銀行卡6200000000000005", "FINANCIAL_ACCOUNT", None),
        (
            "客戶王磊有犯罪記錄，身份證11010519491231002X",
            "SPECIFIC_IDENTITY",
            "有犯罪記錄",
        ),
    ],
)
def test_statements_about_a_person(detector, text, category, expression):
    findings = scan(detector, text)
    cats = [f for f in findings if f.finding_type == category]
    assert cats and all(f.sensitive and f.severity == "high" for f in cats)
    if expression:
        assert expression in [text[f.start : f.end] for f in cats]


def test_redaction_masks_the_health_statement(detector):
    text = "The patient Mr. John Smith was diagnosed with diabetes."
    findings = scan(detector, text)
    out = list(text)
    for f in findings:
        for i in range(f.start, f.end):
            out[i] = "#"
    redacted = "".join(out)
    assert "diabetes" not in redacted and "diagnosed" not in redacted
    assert "John" not in redacted


@pytest.mark.parametrize(
    "text, name, public",
    [
        (
            "a descendant of the Roman Emperor Nero who had converted",
            "Roman Emperor Nero",
            True,
        ),
        (
            "Yesterday President Barack Obama was in town",
            "President Barack Obama",
            True,
        ),
        ("Minister Li Wei was diagnosed with it", "Li Wei", True),
        ("Stephen King was diagnosed with it", "Stephen King", False),
        ("Patient John King was diagnosed with it", "John King", False),
    ],
)
def test_a_title_inside_the_name_marks_a_public_figure(detector, text, name, public):
    from presidio_analyzer import RecognizerResult

    start = text.index(name)
    r = RecognizerResult("PERSON", start, start + len(name), 0.9)
    assert detector._public_role(text, r) is public


def test_public_figure_statement_is_low_not_sensitive(detector):
    text = (
        "Former President Ronald Reagan was diagnosed with Alzheimer's disease in 1994."
    )
    findings = scan(detector, text)
    health = [f for f in findings if f.finding_type == "HEALTH_INFO"]
    assert health and all(not f.sensitive and f.severity == "low" for f in health)
    assert health[0].details["public_figure"] is True


@pytest.mark.parametrize(
    "text, public",
    [
        # a biography's dates after the name; the surname alone later is the same person
        (
            "John Smith (1940–2005) was an American engineer. In 2001, Smith was "
            "diagnosed with cancer.",
            True,
        ),
        ("John Smith (born 12 May 1950) is an engineer. Smith has diabetes.", True),
        ("张伟（1920年－1990年），中国作家。1985年张伟被确诊患有肺癌。", True),
        # a role word at another mention of the same name
        (
            "Senator John Smith spoke. Later, John Smith was diagnosed with cancer.",
            True,
        ),
        # no dates, no role: a private person
        ("In 2001, John Smith was diagnosed with cancer.", False),
        ("John Smith (45) was diagnosed with cancer.", False),
        ("John Smith (case 1234-5678) was diagnosed with cancer.", False),
    ],
)
def test_public_figure_from_dates_or_another_mention(detector, text, public):
    health = [f for f in scan(detector, text) if f.finding_type == "HEALTH_INFO"]
    assert health and all(f.details["public_figure"] is public for f in health)
    assert all(f.severity == ("low" if public else "high") for f in health)


# -- severity policy ------------------------------------------------------------------
def test_bare_name_is_low_and_name_with_identifier_is_medium(detector):
    prose = "Mr. John Smith walked to the station and waited."
    [p] = [f for f in scan(detector, prose) if f.finding_type == "PERSON"]
    assert p.severity == "low"
    record = "Contact Mr. John Smith, phone (415) 555-0100."
    far = "Mr. John Smith walked home. " + "x " * 60 + "Call (415) 555-0100."
    people = [f for f in scan(detector, record) if f.finding_type == "PERSON"]
    assert people and people[0].severity == "medium"
    people = [f for f in scan(detector, far) if f.finding_type == "PERSON"]
    assert people and people[0].severity == "low"


def test_severity_policy_is_one_table_of_which_a_configuration_names_some_keys():
    d = PiiDetector(
        {"severity": {"bare_name": "medium", "sensitive": "critical"}},
        context=DetectorContext(salt=b"t"),
    )
    d.setup()
    assert d.config["severity"]["identifier"] == "medium"  # the default kept
    [p] = [
        f for f in scan(d, "Mr. John Smith walked home.") if f.finding_type == "PERSON"
    ]
    assert p.severity == "medium"
    text = "Patient John Smith, phone (415) 555-0100, was diagnosed with diabetes."
    health = [f for f in scan(d, text) if f.finding_type == "HEALTH_INFO"]
    assert health and {f.severity for f in health} == {"critical"}


@pytest.mark.parametrize(
    "table, message",
    [
        ({"bare_names": "low"}, "severity.bare_names"),
        ({"bare_name": "severe"}, "severity.bare_name = 'severe': expected one of"),
        ("low", "severity = 'low'"),
    ],
)
def test_severity_policy_rejects_unknown_keys_and_values(table, message):
    from corpusgate.detectors.base import ConfigError

    with pytest.raises(ConfigError, match=re.escape(message)):
        PiiDetector({"severity": table}, context=DetectorContext(salt=b"t"))


def test_severity_policy_keys_are_the_validated_ones():
    from corpusgate.schemas.options import PII_SEVERITY_KEYS

    assert tuple(PiiDetector.DEFAULTS["severity"]) == PII_SEVERITY_KEYS


@pytest.mark.parametrize(
    "text, path",
    [
        (
            '<path d="M4 4 translate(52.660518, 63.17716) L 31.4567, 121.4737"/>',
            "a.svg",
        ),
        ("timeout = 13812345678\nretries = 4155550100\n", "settings.py"),
        ("id,count\n6212345678901234,3\n4111111111111111,5\n", "data.csv"),
        ("const SEQ = '01-23-45-67-89-ab'; // test constant", "net.js"),
        ('{"id": 9434765919, "n": 7}', "data.json"),
    ],
)
def test_numbers_in_code_and_markup_are_not_personal(detector, text, path):
    findings = scan(detector, text, path=path)
    assert spans(findings, text, {f.finding_type for f in findings}) == []


def test_checked_identifiers_and_emails_still_found_in_code(detector):
    text = 'MAINTAINER = "kenneth@example.org"\nID = "11010519491231002X"  # 身份证\n'
    types = {f.finding_type for f in scan(detector, text, path="setup.py")}
    assert {"EMAIL_ADDRESS", "CN_RESIDENT_ID"} <= types


def test_labelled_phone_in_data_is_found(detector):
    text = '{"name": "x", "phone": "13812345678"}'
    types = {f.finding_type for f in scan(detector, text, path="users.json")}
    assert "CN_MOBILE_PHONE" in types


# -- look-alikes ----------------------------------------------------------------------
def test_dates_and_decimals_skip_the_phone_matcher(detector, monkeypatch):
    """A digit run that is wholly a date (with a clock's hour) or a decimal number is
    not handed to libphonenumber's matcher; a phone number in a run is."""
    from corpusgate.detectors.pii import detector as module

    seen = []
    real = module._phone_matches

    def spy(recognizer, window):
        seen.append(window)
        return real(recognizer, window)

    monkeypatch.setattr(module, "_phone_matches", spy)
    text = "发布 2017-05-15 22:15:18, 更新 05/17/2001 09:30, 比率 3.14159265; 电话 0755 8888 9999"
    found = [f for f in scan(detector, text) if "PHONE" in f.finding_type]
    assert found  # the landline is still found
    assert not [w for w in seen if "2017" in w or "2001" in w or "3.14" in w]


@pytest.mark.parametrize(
    "text, silent_type",
    [
        ("please feel free to contact me at 713-853-2407, or via e-mail.", "UK_NHS"),
        ("如: 0123456789,我要取出左边4个数字", "UK_NHS"),
        ("Driver 1 calls T1: (T1 invokes T2)", "US_DRIVER_LICENSE"),
        ("{{ $t.UnixMicro }} → 1674891898000000", "CREDIT_CARD"),
        ("重复以上步骤添加TCP 1025、2745、3127、6129、3389 端口", "CREDIT_CARD"),
        ("Customer Service Survey Ticket# HD0000000 704132", "MEDICAL_LICENSE"),
        ("h1://okPTzCYNXSlb24MZs83e2Do+h+VX tc4gLoIoXIAPc=", "CN_WECHAT_ID"),
        ("王者荣耀 QQ群: 549409235", "CN_QQ_NUMBER"),
        ("5.2.1 / 2025-12-01\n==========\n* Revert security fix", "PHONE_NUMBER"),
        ('FormatNumberCustom 6 -12345.6789 "- ." }} → -12345.678900', "PHONE_NUMBER"),
        (
            "求几种不同语言的1到10的数字的写法 1 2 3 4 5 6 7 8 9 10 one two",
            "PHONE_NUMBER",
        ),
        (
            "Kuala Lumpur,Hard,2.03,2009-2014\nTel Aviv,Hard,2.07,1991-1996\n",
            "PHONE_NUMBER",
        ),
        ("Math. Mag. 45 (1972) 148-149. Unfortunately", "PHONE_NUMBER"),
        ("Posted 12.24.98 2359 to the list", "PHONE_NUMBER"),
        ("Sent from the desk 05-17-01 0926 PDT", "PHONE_NUMBER"),
        ("see you at 10-12-03 14:30 then", "PHONE_NUMBER"),
        ("有效期:2017-06-24\n￥1680 门市价￥3200", "PHONE_NUMBER"),
    ],
)
def test_shapes_of_other_numbers_are_not_reported(detector, text, silent_type):
    """Not reported, or (a weak pattern beside its word) only as unverified."""
    assert [
        f
        for f in scan(detector, text)
        if f.finding_type == silent_type and (f.score >= 0.5 or f.severity != "low")
    ] == []


@pytest.mark.parametrize(
    "text", ["reach him at (713) 853-2407 today", "Tel 01 23 45 67 89 France"]
)
def test_phone_numbers_beside_the_timestamp_shapes_are_found(detector, text):
    assert "PHONE_NUMBER" in {f.finding_type for f in scan(detector, text)}


def test_nhs_number_with_its_word_is_found(detector):
    text = "NHS number 943 476 5919"
    assert "UK_NHS" in {f.finding_type for f in scan(detector, text)}


@pytest.mark.parametrize(
    "text",
    [
        "订单号：9434765919，已发货",
        "订单编号 4505 6789 12，请查收",
        "Order number: 9434765919 shipped",
        "Tracking number 1Z 999 AA1 0123 4567 84",
        "ISBN 978-7-111-54742-6 机械工业出版社",
        "ISBN 9787111547426",
        # an ISBN-10 after its publisher, without the word (a bibliography)
        '"Functional Programming with Miranda", Ian Holyer, Pitman Press 0-273-03453-7.',
        "发票号 4155550100",
        "serial 943 476 5919",
    ],
)
def test_lookalikes_are_not_reported(detector, text):
    findings = scan(detector, text)
    assert [
        (f.finding_type, f.score)
        for f in findings
        if f.finding_type
        in ("PHONE_NUMBER", "UK_NHS", "CN_MOBILE_PHONE", "CREDIT_CARD")
    ] == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("客服：010-82051776", "010-82051776"),
        ("联系电话 0755-8888 6666", "0755-8888 6666"),
        ("咨询热线(010)62345678转801", "(010)62345678转801"),
        ("tel +86 10 8205 1776", "+86 10 8205 1776"),
    ],
)
def test_chinese_landlines(detector, text, value):
    assert ("CN_LANDLINE_PHONE", value) in [
        (f.finding_type, text[f.start : f.end]) for f in scan(detector, text)
    ]


def test_qq_and_wechat_with_their_label(detector):
    text = "加我QQ：12345678 或微信号：zhang_san88"
    got = {(f.finding_type, text[f.start : f.end]) for f in scan(detector, text)}
    assert {("CN_QQ_NUMBER", "12345678"), ("CN_WECHAT_ID", "zhang_san88")} <= got
    assert not [
        f
        for f in scan(detector, "WeChat users share moments")
        if f.finding_type == "CN_WECHAT_ID"
    ]
    assert not [
        f for f in scan(detector, "共有12345678人") if f.finding_type == "CN_QQ_NUMBER"
    ]


@pytest.mark.parametrize(
    "text, reported",
    [
        ("银行卡号9558801234567890123", True),  # legacy ICBC prefix, no Luhn digit
        ("银行卡号6212345678901234", False),  # fails Luhn, not a legacy prefix
        ("account 4111111111111112", False),
    ],
)
def test_bank_cards_without_luhn_only_for_legacy_prefixes(detector, text, reported):
    got = [
        f
        for f in scan(detector, text)
        if f.finding_type == "CN_BANK_CARD" and f.score >= 0.5
    ]
    assert bool(got) == reported


@pytest.mark.parametrize(
    "text, email",
    [
        ("邮箱nu@digifun.cnWAP:wap.digifun.cn", "nu@digifun.cn"),
        ("mail zhang@example.orgTel: 123", "zhang@example.org"),
        ("write to a.b@example.co.uk today", "a.b@example.co.uk"),
        # an option's key before it (a manual page); SRS's several '=' are its own
        ("  --member-email=user@foo.com \\", "user@foo.com"),
        (
            "  --identity='user:u1@foo.com'  --user=someone@google.com",
            "someone@google.com",
        ),
        (
            "bounce to SRS0=HHH=TT=example.org=alice@fwd.example.com",
            "SRS0=HHH=TT=example.org=alice@fwd.example.com",
        ),
    ],
)
def test_glued_emails_end_at_the_address(detector, text, email):
    assert email in [
        text[f.start : f.end]
        for f in scan(detector, text)
        if f.finding_type == "EMAIL_ADDRESS"
    ]


def test_more_presidio_types_by_country():
    d = PiiDetector({"countries": ["uk", "in"]}, context=DetectorContext(salt=b"t"))
    d.setup()
    text = "National Insurance number AB 12 34 56 C, Aadhaar 2345 6789 1234? PAN ABCDE1234F"
    types = {f.finding_type for f in scan(d, text)}
    assert "UK_NINO" in types


@pytest.mark.parametrize(
    "text, severity",
    [
        ("server listens on 127.0.0.1 and ::1", "low"),
        ("proxies = {'http': 'http://10.20.1.128:3128'}", "low"),
        ("login from IP 8.8.8.8 at noon", "medium"),
        ("login from 166.102.165.23 at noon", "medium"),
    ],
)
def test_ip_addresses_of_no_device_are_low(detector, text, severity):
    ips = [f for f in scan(detector, text) if f.finding_type == "IP_ADDRESS"]
    assert ips and {f.severity for f in ips} == {severity}


@pytest.mark.parametrize(
    "text",
    [
        '("hTTp://u:p@Some.Host/path", "http://some.host.proxy")',
        "github.com/gohugoio/hugoTestModules1_darwin/modh1_1v@v1.3.0 vendor",
    ],
)
def test_url_userinfo_and_module_versions_are_not_emails(detector, text):
    assert [f for f in scan(detector, text) if f.finding_type == "EMAIL_ADDRESS"] == []


@pytest.mark.parametrize(
    "text, severity",
    [
        ("邮寄至上海市巨鹿路675号萌芽杂志社", "medium"),
        ("交通部公路總局或直轄市公路主管機關許可", None),
        ("深圳罗湖学习中心: 深圳市罗湖区深南中路京基晶都酒店", "low"),
    ],
)
def test_a_precise_chinese_address_has_a_number(detector, text, severity):
    locs = [f for f in scan(detector, text) if f.finding_type == "LOCATION"]
    if severity is None:
        assert all(f.severity == "low" for f in locs)
    else:
        assert locs and max(f.severity for f in locs) == severity


@pytest.mark.parametrize(
    "text, place",
    [
        ("时任河南省武陟县副县长的常恒光被逮捕。", "河南省武陟县"),
        ("北京市朝阳区副区长到场讲话", "北京市朝阳区"),
        ("时任北京市副市长的王某", None),  # one unit left: a place, not reported
    ],
)
def test_a_deputy_office_is_no_unit_of_the_address(detector, text, place):
    locs = [
        text[f.start : f.end]
        for f in scan(detector, text)
        if f.finding_type == "LOCATION"
    ]
    assert locs == ([place] if place else [])


def test_email_after_a_colon_label_is_found(detector):
    text = "联系邮箱:zhang.san@example.org 或 Email:li@example.com"
    found_ = [
        text[f.start : f.end]
        for f in scan(detector, text)
        if f.finding_type == "EMAIL_ADDRESS"
    ]
    assert found_ == ["zhang.san@example.org", "li@example.com"]


@pytest.mark.parametrize(
    "text",
    [
        "Volume: 50 MWs On-Peak Price: $36.00 Delivery Point: Cinergy",
        "TENNESSEE: Brinker (B12) 20,000 Broad Run (B9) 450,000 Cambridge",
        "Greek Rice and Jim Ginty 2:00 Enron Center South Update",
        "本周日，上海地铁13号线的隆德路站开通试运营",
        "于2012年2月1日正式DVD出道。团名由Acrobat Boys Club 而来",
    ],
)
def test_numbers_before_street_words_are_no_address(detector, text):
    assert [
        f
        for f in scan(detector, text)
        if f.finding_type == "LOCATION" and f.severity != "low"
    ] == []


@pytest.mark.parametrize(
    "text", ["图片PDF转换器 1.7.1.0 中文免费版", "《民用修建规划公例》第6.10.1.4条"]
)
def test_versions_and_sections_are_no_ip_address(detector, text):
    assert [f for f in scan(detector, text) if f.finding_type == "IP_ADDRESS"] == []


@pytest.mark.parametrize(
    "text, found_",
    [
        ("Wildfire 1524 Livingston Ridge 68414 Loco Hills 66417", False),
        ("Etd Algeciras 2/5 0900 Eta Port Said", False),
        ("our offices are located downtown on 723 Main Street, suite 511", True),
        ("Hotel at 37 Northeast Loop, San Antonio, TX 78216", True),
    ],
)
def test_rare_street_suffixes_need_the_rest_of_an_address(detector, text, found_):
    locs = [f for f in scan(detector, text) if f.finding_type == "LOCATION"]
    assert bool(locs) == found_


@pytest.mark.parametrize(
    "text",
    [
        "张伟，男，45岁，患有糖尿病，住院治疗。",
        "Phillip Collins was diagnosed with cancer in 2001.",
        "Phillip Collins WAS DIAGNOSED WITH cancer; Sara, a Muslim, came.",
        "Phillip Collins waſ diagnoſed with cancer.",  # long s: the regex alone decides
        "Tom, 9, and 李娜的银行卡6222021234567890123 were seen.",
        "Nothing sensitive about Phillip Collins here.",
    ],
)
def test_statement_predicate_word_test_changes_nothing(text):
    """The test of predicate and object words before each relation regex (and of an
    age's unit before the age regexes) only skips regexes that cannot match."""
    from corpusgate.detectors.pii.sensitive import SensitiveStatements

    fast = SensitiveStatements()
    plain = SensitiveStatements()  # no word groups: every regex runs
    plain._words = [()] * len(plain._words)
    plain._age_words = ((),) * len(plain._age_words)
    anchors = [(0, 2), (0, 15), (20, 25)]
    for labelled in (False, True):
        assert fast.find(text, anchors, labelled) == plain.find(text, anchors, labelled)


@pytest.mark.parametrize(
    "text, found",
    [
        ("Primary: 10.0.0.1, gateway down", True),
        ("Default 0.0.0.0", True),
        ("Upgrade to release 1.7.1.0 today", False),
        ("see section 6.10.1.4 of the manual", False),
    ],
)
def test_small_dotted_quads_are_addresses_only_where_no_public_one_can_be(
    detector, text, found
):
    """A small dotted quad is a version or section number unless it is a private or
    unspecified address (10.0.0.1, 0.0.0.0), which is reported as not personal."""
    ips = [f for f in scan(detector, text) if f.finding_type == "IP_ADDRESS"]
    assert bool(ips) == found
    assert all(f.severity == "low" for f in ips)
