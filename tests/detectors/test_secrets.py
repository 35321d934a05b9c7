"""The secrets detector: fixed-format tokens and credential assignments, masked."""

import pytest
from corpusgate.detectors.base import DetectorContext, Record
from corpusgate.detectors.secrets import SecretsDetector

GH_TOKEN = "ghp_" + "aB3" * 12
AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"
    "\n-----END RSA PRIVATE KEY-----"
)


@pytest.fixture(scope="module")
def detector():
    d = SecretsDetector(context=DetectorContext(salt=b"test-salt"))
    d.setup()
    return d


def scan(detector, text):
    return detector.scan(Record("d", "f", 0, text))


@pytest.mark.parametrize(
    ("text", "finding_type", "value"),
    [
        (f"key {AWS_KEY} here", "SECRET_AWS_ACCESS_KEY", AWS_KEY),
        (f"密钥是{AWS_KEY}请删除", "SECRET_AWS_ACCESS_KEY", AWS_KEY),  # glued to CJK
        (f"token={GH_TOKEN}", "SECRET_GITHUB_TOKEN", GH_TOKEN),
        (
            "glpat-" + "x1Y2z3" * 3 + "ab",
            "SECRET_GITLAB_TOKEN",
            "glpat-" + "x1Y2z3" * 3 + "ab",
        ),
        (
            "xoxb-1234567890-abcdefghij",
            "SECRET_SLACK_TOKEN",
            "xoxb-1234567890-abcdefghij",
        ),
        ("AIza" + "B" * 35, "SECRET_GOOGLE_API_KEY", "AIza" + "B" * 35),
        (f"Authorization: Bearer {JWT}", "SECRET_JWT", JWT),
        (PEM, "SECRET_PRIVATE_KEY", PEM),
        ('password = "Tr0ub4dor&3x"', "SECRET_PASSWORD_ASSIGNMENT", "Tr0ub4dor&3x"),
        ("数据库密码：Zx9!qwe7Lm", "SECRET_PASSWORD_ASSIGNMENT", "Zx9!qwe7Lm"),
    ],
)
def test_finds_secret_with_exact_span_and_masked_evidence(
    detector, text, finding_type, value
):
    findings = scan(detector, text)
    assert [f.finding_type for f in findings] == [finding_type]
    f = findings[0]
    assert text[f.start : f.end] == value
    assert value not in f.evidence
    assert f.value_hash and len(f.value_hash) == 64
    assert f.severity == "high" and f.risk_code == "AISGF-1.0:3.1.2(d)"


@pytest.mark.parametrize(
    "text",
    [
        "password = <your password>",
        "password: changeme",
        'password = "[SECRET_PASSWORD_ASSIGNMENT]"',
        "set password=${DB_PASSWORD} in the env",
        "password = xxxxxxxxxx",
        "The AKIA prefix marks AWS access keys.",
        "ghp_short",
        "no secrets in this ordinary sentence about keys and tokens",
        "密码：请联系管理员",
    ],
)
def test_ignores_placeholders_and_look_alikes(detector, text):
    assert scan(detector, text) == []


def test_value_hash_is_salted_and_stable(detector):
    other = SecretsDetector(context=DetectorContext(salt=b"other-salt"))
    other.setup()
    a = scan(detector, AWS_KEY)[0].value_hash
    assert a == scan(detector, f"again {AWS_KEY}")[0].value_hash
    assert a != scan(other, AWS_KEY)[0].value_hash


def test_assignments_can_be_switched_off():
    d = SecretsDetector({"assignments": False})
    d.setup()
    assert d.scan(Record("d", "f", 0, 'password = "Tr0ub4dor&3x"')) == []
