"""The secrets detector: fixed-format tokens and literal credential assignments,
graded by what they could open (placeholders `info`, test/example/docs files one
level lower), masked."""

import pytest
from corpusgate.detectors.base import DetectorContext, Record
from corpusgate.detectors.secrets import SecretsDetector

# Random-looking values (made up here; none of them opens anything).
GH_TOKEN = "ghp_" + "q7Rw2ZkT9mXc4VbN8pLs3HdF6yGj1AeU5oKi"
AWS_KEY = "AKIAQ3EGRTNS7PL4XW2M"
GOOGLE_KEY = "AIza" + "Sy7Qm2Kx9Vb4Rt6Np1Lz8Wc3Hd5Fg0Je7Ua"
SLACK = "xoxb-7391046285-Qm4Zx8Rt2Kw9"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTgzMjcxIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"
    "\n-----END RSA PRIVATE KEY-----"
)
JWT_IO = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4g"
    "RG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
FLASK_KEY = '_5#y2L"F4Q8z\\n\\xec]/'  # as written in Flask's documentation
# Providers' formats (made up here too).
OPENAI_KEY = "sk-" + "Qm7Zx2Rt9Kw4Lp8Vb3Nc" + "T3BlbkFJ" + "Hd5Fg1Je6Ua0Sy7Mi2Ox"
OPENAI_PROJECT_KEY = (
    "sk-proj-"
    + "Qm7Zx2Rt9Kw4-Lp8Vb3Nc_Hd5Fg1Je6" * 2
    + "T3BlbkFJ"
    + "Ua0Sy7Mi2Ox4Rt9Kw" * 4
)
ANTHROPIC_KEY = "sk-ant-api03-" + ("Qm7Zx2Rt9Kw4Lp8Vb3Nc_Hd5Fg1Je6Ua0-" * 3)[:93] + "AA"
HF_TOKEN = "hf_" + "QmZxRtKwLpVbNcHdFgJeUaSyMiOxTqBsCa"
NPM_TOKEN = "npm_" + "Qm7Zx2Rt9Kw4Lp8Vb3Nc5Hd1Fg6Je0Ua8Sy2"
PYPI_TOKEN = (
    "pypi-AgEIcHlwaS5vcmc" + "CJDk3YTJhZWQ1LWM0OTItNGQ0Ny1hNmM3LTFmMmQ5ZTljMTBkNQ"
)
SENDGRID_KEY = (
    "SG."
    + "Qm7Zx2Rt9Kw4Lp8Vb3Nc5H"
    + "."
    + "d1Fg6Je0Ua8Sy2Mi4Ox7Tq3Bs9Ca5Dv1Ew6Fy8Gz2Ha"
)
AZURE_KEY = (
    "AccountKey="
    + "Qm7Zx2Rt9Kw4Lp8Vb3Nc5Hd1Fg6Je0Ua8Sy2Mi4Ox7Tq3Bs9Ca/Dv1Ew6Fy8Gz2Ha+Kb4Ic6Jd8Le0Mf2Ng4Oh"
    + "=="
)
TELEGRAM = "5839201746:AA" + "Qm7Zx2Rt9Kw4Lp8Vb3Nc5Hd1Fg6Je0Ua8"


@pytest.fixture(scope="module")
def detector():
    d = SecretsDetector(context=DetectorContext(salt=b"test-salt"))
    d.setup()
    return d


def scan(detector, text, **record):
    return detector.scan(Record("d", "f.jsonl", 0, text, **record))


@pytest.mark.parametrize(
    ("text", "finding_type", "value"),
    [
        (f"key {AWS_KEY} here", "SECRET_AWS_ACCESS_KEY", AWS_KEY),
        (f"密钥是{AWS_KEY}请删除", "SECRET_AWS_ACCESS_KEY", AWS_KEY),  # glued to CJK
        (f"token={GH_TOKEN}", "SECRET_GITHUB_TOKEN", GH_TOKEN),
        (
            "glpat-" + "x1Y2z3Q8w7" * 2,
            "SECRET_GITLAB_TOKEN",
            "glpat-" + "x1Y2z3Q8w7" * 2,
        ),
        (SLACK, "SECRET_SLACK_TOKEN", SLACK),
        (
            "SLACK_APP_TOKEN=xapp-1-A04QM7ZX2RT-5839201746123-"
            + "3f9a1c7e5b2d8064" * 4,
            "SECRET_SLACK_TOKEN",
            "xapp-1-A04QM7ZX2RT-5839201746123-" + "3f9a1c7e5b2d8064" * 4,
        ),
        (
            "token: glrt-" + "Qm7Zx2Rt9Kw4Lp8Vb3Nc",
            "SECRET_GITLAB_TOKEN",
            "glrt-" + "Qm7Zx2Rt9Kw4Lp8Vb3Nc",
        ),
        (
            "curl -X POST -F token=glptt-" + "3f9a1c7e5b2d8064af1e9c3b7d5a2f8097e4c1d3",
            "SECRET_GITLAB_TOKEN",
            "glptt-" + "3f9a1c7e5b2d8064af1e9c3b7d5a2f8097e4c1d3",
        ),
        (GOOGLE_KEY, "SECRET_GOOGLE_API_KEY", GOOGLE_KEY),
        (f"Authorization: Bearer {JWT}", "SECRET_JWT", JWT),
        (PEM, "SECRET_PRIVATE_KEY", PEM),
        # literal right-hand sides
        ('password = "Tr0ub4dor&3x"', "SECRET_PASSWORD_ASSIGNMENT", "Tr0ub4dor&3x"),
        ("数据库密码：Zx9!qwe7Lm", "SECRET_PASSWORD_ASSIGNMENT", "Zx9!qwe7Lm"),
        (f"app.secret_key = b'{FLASK_KEY}'", "SECRET_PASSWORD_ASSIGNMENT", FLASK_KEY),
        (
            '{"api_key": "k8Fq2Lm9Zx4Rt7Wp"}',
            "SECRET_PASSWORD_ASSIGNMENT",
            "k8Fq2Lm9Zx4Rt7Wp",
        ),
        ("DB_PASSWORD=s3cr3tP4ss!\n", "SECRET_PASSWORD_ASSIGNMENT", "s3cr3tP4ss!"),
        (
            "export API_KEY=k8Fq2Lm9Zx4R # prod\n",
            "SECRET_PASSWORD_ASSIGNMENT",
            "k8Fq2Lm9Zx4R",
        ),
        ("  password: hunter2Xy9\n", "SECRET_PASSWORD_ASSIGNMENT", "hunter2Xy9"),
        (
            'token := "gT5vQ8mZ2xKp"',
            "SECRET_PASSWORD_ASSIGNMENT",
            None,
        ),  # not a key word
        ('db_pwd := "gT5vQ8mZ2xKp"', "SECRET_PASSWORD_ASSIGNMENT", "gT5vQ8mZ2xKp"),
        # providers' formats, in the places they are pasted
        (
            f'client = OpenAI(api_key="{OPENAI_KEY}")',
            "SECRET_OPENAI_API_KEY",
            OPENAI_KEY,
        ),
        (
            f"OPENAI_API_KEY={OPENAI_PROJECT_KEY}\n",
            "SECRET_OPENAI_API_KEY",
            OPENAI_PROJECT_KEY,
        ),
        (
            f"export ANTHROPIC_API_KEY={ANTHROPIC_KEY}",
            "SECRET_ANTHROPIC_API_KEY",
            ANTHROPIC_KEY,
        ),
        (
            f"huggingface-cli login --token {HF_TOKEN}",
            "SECRET_HUGGINGFACE_TOKEN",
            HF_TOKEN,
        ),
        (
            f"//registry.npmjs.org/:_authToken={NPM_TOKEN}",
            "SECRET_NPM_TOKEN",
            NPM_TOKEN,
        ),
        (
            f"[pypi]\n  username = __token__\n  password = {PYPI_TOKEN}",
            "SECRET_PYPI_TOKEN",
            PYPI_TOKEN,
        ),
        (
            f"sg = SendGridAPIClient('{SENDGRID_KEY}')",
            "SECRET_SENDGRID_KEY",
            SENDGRID_KEY,
        ),
        (
            "DefaultEndpointsProtocol=https;AccountName=acme;"
            f"{AZURE_KEY};EndpointSuffix=core.windows.net",
            "SECRET_AZURE_STORAGE_KEY",
            AZURE_KEY,
        ),
        (f"bot = telebot.TeleBot('{TELEGRAM}')", "SECRET_TELEGRAM_BOT_TOKEN", TELEGRAM),
        (
            "shpat_" + "3f9a1c7e5b2d8064af1e9c3b7d5a2f80",
            "SECRET_SHOPIFY_TOKEN",
            "shpat_" + "3f9a1c7e5b2d8064af1e9c3b7d5a2f80",
        ),
        (
            "dop_v1_" + "3f9a1c7e5b2d8064af1e9c3b7d5a2f80" * 2,
            "SECRET_DIGITALOCEAN_TOKEN",
            "dop_v1_" + "3f9a1c7e5b2d8064af1e9c3b7d5a2f80" * 2,
        ),
        (
            "GOCSPX-" + "Qm7Zx2Rt9Kw4Lp8Vb3Nc5Hd1Fg6J",
            "SECRET_GOOGLE_OAUTH_SECRET",
            "GOCSPX-" + "Qm7Zx2Rt9Kw4Lp8Vb3Nc5Hd1Fg6J",
        ),
        (
            "DATABRICKS_TOKEN: dapi" + "3f9a1c7e5b2d8064af1e9c3b7d5a2f80",
            "SECRET_DATABRICKS_TOKEN",
            "dapi" + "3f9a1c7e5b2d8064af1e9c3b7d5a2f80",
        ),
    ],
)
def test_finds_secret_with_exact_span_and_masked_evidence(
    detector, text, finding_type, value
):
    findings = scan(detector, text)
    if value is None:
        assert findings == []
        return
    assert [f.finding_type for f in findings] == [finding_type]
    f = findings[0]
    assert text[f.start : f.end] == value
    assert value not in f.evidence
    assert f.value_hash and len(f.value_hash) == 64
    assert f.severity == "high" and f.risk_code == "AISGF-1.0:3.1.2(d)"
    assert "reason" not in f.details and "lowered_because" not in f.details


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "EXAMPLE"),
        ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "EXAMPLE"),
        (f"Authorization: Bearer {JWT_IO}", "jwt.io"),
        ("ghp_" + "x" * 36, "xxxx"),
        ("AIza" + "B" * 35, "one repeated character"),
        ("ghp_" + "aB3" * 12, "repeated pattern"),
        ("xoxb-1234567890-abcdefghij", "sequential"),
        ("sk_live_" + "YourStripeSecretKeyHere0000", "your"),
        ("password: changeme", "changeme"),
        ("password = xxxxxxxxxx", "xxxx"),
        (
            "AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUz"
            "FT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;",
            "Azure Storage emulator",
        ),
        ("OPENAI_API_KEY=sk-" + "x" * 20 + "T3BlbkFJ" + "x" * 20, "xxxx"),
        ('API_KEY = "your-api-key-here"', "your"),
        (
            "-----BEGIN PRIVATE KEY-----\n...your key here...\n-----END PRIVATE KEY-----",
            "placeholder",
        ),
    ],
)
def test_documentation_and_placeholder_values_are_info_with_the_reason(
    detector, text, reason
):
    findings = scan(detector, text)
    assert len(findings) == 1
    f = findings[0]
    assert f.severity == "info" and f.score < 0.5
    assert reason in f.details["reason"]


@pytest.mark.parametrize(
    "record",
    [
        {"meta": {"path": "requests/tests/certs/server.key"}},
        {"meta": {"max_stars_repo_path": "src/test/java/KeyTest.java"}},
        {"meta": {"path": "fixtures/users.json"}},
        {"meta": {"path": "examples/auth/index.js"}},
        {"meta": {"path": "docs/content/en/config.md"}},
        {"meta": {"path": "pkg/auth_test.go"}},
        {"meta": {"path": "tests/test_auth.py"}},
        {"meta": {"path": "apache_beam/yaml/integration_tests.py"}},
        {"meta": {"file_path": "app/.env.example"}},
        {"source_name": "github.com/acme/app/test/config.yaml"},
        {"source": "repo/examples/settings.py"},  # a one-document input file
    ],
)
def test_values_in_test_example_and_docs_files_are_lowered_one_level(detector, record):
    text = f'password = "Tr0ub4dor&3x"\nkey = {AWS_KEY}\n'
    findings = detector.scan(
        Record("d", record.pop("source", "c.jsonl"), 0, text, **record)
    )
    assert sorted(f.finding_type for f in findings) == [
        "SECRET_AWS_ACCESS_KEY",
        "SECRET_PASSWORD_ASSIGNMENT",
    ]
    for f in findings:
        assert f.severity == "medium"
        assert f.details["lowered_because"]


@pytest.mark.parametrize(
    "record",
    [
        {"source": "data/tests/corpus.jsonl"},  # a container of many records
        {"meta": {"path": "src/contest/app.py"}},
        {"meta": {"path": "src/latest_docs.py"}},
    ],
)
def test_other_paths_keep_the_severity(detector, record):
    findings = detector.scan(
        Record("d", record.pop("source", "c.jsonl"), 0, f"key {AWS_KEY}", **record)
    )
    assert [f.severity for f in findings] == ["high"]


def test_placeholder_stays_info_in_a_test_file(detector):
    (f,) = scan(detector, "AKIAIOSFODNN7EXAMPLE", meta={"path": "tests/a.py"})
    assert f.severity == "info"


@pytest.mark.parametrize(
    "text",
    [
        # code: a call, subscript, attribute or variable on the right-hand side
        "hashed_password = user_dict[form.username]",
        "api_key = APIKeyQuery(name='api_key', auto_error=False)",
        "is_correct_password = secrets.compare_digest(current, expected)",
        "username, password = get_auth_from_url(proxy)",
        "password = str(password)",
        'password = password.encode("latin1")',
        "ENCODED_PASSWORD = compat.quote(PASSWORD, '')",
        "var secret = this.req.secret;",
        "if password and username and password:\n    headers['X'] = 'Zx9!qwe7Lm1'",
        'password = "Zx9!{}qwe7".format(suffix)',
        'token = f"{prefix}Zx9qwe7Lm"',
        "password = new_password_value",
        "secret: registry-credentials",
        "if password == 'Zx9!qwe7Lm':",
        # references and plain values
        "password = <your password>",
        'password = "[SECRET_PASSWORD_ASSIGNMENT]"',
        "set password=${DB_PASSWORD} in the env",
        "--oauth2-client-secret=OAUTH2_CLIENT_SECRET\n    OAuth 2.0 client secret",
        # a manual page's metavariable hyphenated at the line's end (U+2010)
        "  --mysql-secret-manager-stored-password=MYSQL_SECRET_MAN\u2010\n"
        "        AGER_STORED_PASSWORD\n",
        "api_key = S3_API_KEY_V2",
        "PWD=/home/user/project",
        "password: 'foobar'",
        "| :secret: | `:secret:` | :u55b6: | `:u55b6:` |",  # text between two quotes
        # look-alikes
        "The AKIA prefix marks AWS access keys.",
        "ghp_short",
        # identifiers and words that share a provider's prefix
        "model = hf_hub_download(repo_id, filename)",
        "def hf_tokenizerconfigurationfromthehubnow(): pass",  # 34 letters, one case
        "npm_config_registry=https://registry.npmjs.org/",
        "task-list desk-lamp risk-free sk-learn",
        "SG.Release.Notes",
        "shpat_config = load()",
        "Call 5839201746:AA is the line's number and extension.",
        "no secrets in this ordinary sentence about keys and tokens",
        "密码：请联系管理员",
        # a degenerate run of keys with no value
        "password=" * 11111,
    ],
)
def test_code_references_and_look_alikes_are_silent(detector, text):
    assert scan(detector, text) == []


def test_a_value_hyphenated_at_a_line_end_goes_on_at_the_next_line(detector):
    # a typesetter's hyphen (U+2010, a soft hyphen) breaks a word, not the value
    text = "  --db-password=Zx9!qwe7\u2010\n        Lm1Kp\n"
    (f,) = scan(detector, text)
    assert text[f.start : f.end] == "Zx9!qwe7\u2010\n        Lm1Kp"
    assert f.details["length"] == len("Zx9!qwe7Lm1Kp")


def test_bare_values_in_source_files_are_code(detector):
    text = "password = hunter2Xy9\n"
    assert scan(detector, text, meta={"path": "src/app.py"}) == []
    assert len(scan(detector, text, meta={"path": "deploy/app.ini"})) == 1
    assert len(scan(detector, text)) == 1  # unknown origin: a `KEY=value` line


def test_a_repeated_assignment_in_a_run_is_one_finding(detector):
    text = 'password="Xy7!ab9cQ" ' * 1000
    (f,) = scan(detector, text)
    assert f.details["copies_in_run"] == 1000
    assert (f.start, f.end) == (10, len(text) - 2)  # the run, for redaction
    spread = 'password="Xy7!ab9cQ"' + " filler" * 40 + ' password="Xy7!ab9cQ"'
    assert len(scan(detector, spread)) == 2


def test_value_hash_is_salted_and_stable(detector):
    other = SecretsDetector(context=DetectorContext(salt=b"other-salt"))
    other.setup()
    a = scan(detector, AWS_KEY)[0].value_hash
    assert a == scan(detector, f"again {AWS_KEY}")[0].value_hash
    assert a != scan(other, AWS_KEY)[0].value_hash


def test_assignments_and_lowering_can_be_switched_off():
    d = SecretsDetector({"assignments": False, "lower_in_fixtures": False})
    d.setup()
    assert d.scan(Record("d", "f", 0, 'password = "Tr0ub4dor&3x"')) == []
    (f,) = d.scan(Record("d", "f", 0, AWS_KEY, meta={"path": "tests/a.py"}))
    assert f.severity == "high"
