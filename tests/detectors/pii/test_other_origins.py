"""The pii detector on text of kinds its tuning corpora lack (change logs, commit
logs, licences, manual pages, message catalogs): numbers that are part of another
token, organisations' addresses, networks, each next to the true case it resembles;
manual pages and catalogs are markup."""

import pytest
from corpusgate.detectors.base import Record


def found(detector, text):
    return [
        (f.finding_type, f.severity, text[f.start : f.end])
        for f in detector.scan(Record("d", "s", 0, text))
        if f.finding_type not in ("PERSON", "EMAIL_ADDRESS")
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a git or mail date: seconds, year, UTC offset
        "Author: A <a@example.org>\nDate:   Fri Aug 22 13:02:14 2008 -0400\n\n  Fix",
        "CommitDate: Thu Nov 3 09:16:24 2016 -0700",
        # an advisory id, a version, a patch list
        "    - CVE-2026-106365: Missing authorization in Animation.",
        "chromium (150.0.7871.46-1~deb12u1) bookworm-security; urgency=high",
        "  6922  9.0.0807  with smoothscroll typing 0 may not go",
        "binutils (2.12.90.0.14-2) unstable; urgency=low",
        "abseil (0~20200225.2-3) unstable; urgency=medium",
        "abseil (20220623.1-1+deb12u2) bookworm; urgency=medium",
        "  * libxcb1 Breaks alsa-utils (<< 1.0.24.2-5) to avoid leaving it",
        "Bump to 1.0.99.1.2 for the release",
        "gcc-12 (12-20220428-1) unstable; urgency=medium",
        # a release's dotted quad after its cue (X.Org's 1.x.99.y snapshots)
        "    Release libX11 1.1 RC2 (1.0.99.2).",
        "    Requires libX11 1.2.99.1\n",
        "    Add effective modifiers - require inputproto 1.9.99.13\n",
        "Last confirmed on Linux 2.6.38.6.",
        # a table's columns, a complex number's parts in a doctest's output
        ">>> s.dt.nanosecond()\n0    400000000\n1            0\nName: datetime",
        "array([[-0.70710678+0.j        , -0.70710678-0.j        ]])",
        # a number that ends a hyphenated file name (a fuzzer's test case)
        " fonts/clusterfuzz-testcase-minimized-hb-subset-fuzzer-5522792714993664 |"
        " Bin 0 -> 74 bytes",
        # digits inside a hash or a troff font escape
        "commit b30b11ac49d93454131e2b03c41d1ab83047a59f4\nAuthor: x",
        "commit 3acba630d8b57084f7e92c15732408711ed5137a\nAuthor: x",
        "Beispiele: 4.999.9beta ist \\fB49990091\\fP und 5.0.0 ist \\fB50000002\\fP.",
        # a URL's path, a cited clause
        "using the following URL: http://hdl.handle.net/1895.22/1013 to cite",
        'only "Restricted Rights" as defined in Clause\n252.227-7013 (c) (1) of DFARs.',
        "as set forth in DFARS 202.227-7015 Technical Data",
        "expense as defined in FAR 2.101, or DFARS 252.227-7014 (June 1995)",
        "persistent identifier (known as a handle): 1895.22/1013.  This",
        # a format example's padded decimals are no coordinates
        "   '3.140000; -3.140000'",
        # a year (or a word) before a double colon is no IPv6 address
        "2.2.5: Oct 15 2000::\n   - XPointer implementation",
        "a line cle::=valeur per option",
        # a ZIP+4 code after a state; a licence's name after "License:"
        "Boston, MA  02110-1301  USA",
        "Boston, MA\n  02110-1301 USA",
        '"alternatenames": ["dls  awrgn", "\\u0414\\u0430\\u043b\\u0437"] driver',
        "License: X11\n Permission is hereby granted, under the GNU GPL v2 licence",
        # a certificate's fingerprint holds MAC-shaped runs
        "SHA1 Fingerprint=75:9A:4A:CE:7C:DA:7E:89:1B:B2:72:4B:E3:76:EA:47:3A:96:97:24",
        # a ChangeLog entry's date before a name ending in a street word
        "2012-12-20  Tom Lane  <tgl@example.org>\n\n\t* test/Makefile: fix",
        # fractions in a doctest's output: within a degree of 0 N 0 E is only sea
        "array([[-0.95179502,  0.12444608],\n       [-0.96247411,  0.60866385]])",
        ">>> sol\narray([0.84116396, 0.15883641])",
        # a reference's volume before its pages is no age of the name before it
        '"On the realizability of a set", J. SIAM, 10, pp. 496-506\n   (1962).',
        'See "On graphs", J. SIAM, 10, no. 3 (1962).',
        "Hakimi, S. L., J. SIAM, 10, p. 496.",
        # a decimal's fraction holds fifteen or eighteen digits (data tables)
        "Austria,0.366610090124005,AT,1999",
        "样本占比为0.521083661009217，误差0.146259281024331",
    ],
)
def test_parts_of_other_tokens_are_no_identifiers(detector, text):
    assert [f for f in found(detector, text) if f[1] != "info"] == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Call 415-555-0100 or (412) 268-4387, fax: 317-274-5902.", 3),
        ("Tel:5551234567 any time", 1),
        ("Sao Paulo, call 91234-5678 today", 1),
        ("Ann Lee  HR Analyst Wk(713)345-8714 ann.lee@example.com", 1),
        ("Tel 020 7946 0958-Home, +44 161 496 0000-Work", 2),
        ("Author: Ann <ann@example.org>, phone +44 20 7946 0958", 1),
        ("Send it to 20 Tom Lane, Springfield.", 1),
        ("login from 166.102.165.23:443 at noon", 1),
        ("Released the lock after 166.102.165.23 failed", 1),
        ("Tel-13812345678", 1),
        ("the mobile number he's carrying is +44   7901516638. Thanks", 1),
        ("server at [2a00:1450:4001:82b::200e] was reached", 1),
        ("联系我qq42950063谢谢", 1),
        ("电话13812345678。", 1),
        ("the laptop's MAC address is 08:00:2b:01:02:03.", 1),
    ],
)
def test_the_true_cases_beside_them_stay_identifiers(detector, text, expected):
    assert [f[1] for f in found(detector, text)] == ["medium"] * expected


@pytest.mark.parametrize(
    "text, finding_type, value",
    [
        # a degree from 0 N 0 E is land (Sao Tome); an age before other words
        (
            "The ferry docked at 0.3361, 6.7273 in Sao Tome.",
            "PRECISE_LOCATION",
            "0.3361, 6.7273",
        ),
        ("Tom Baker, 9, and his sister were seen.", "MINOR_INFO", "9"),
        ("Ann Baker, 12, 14 Elm Street", "MINOR_INFO", "12"),
    ],
)
def test_the_true_cases_beside_those_values_are_found(
    detector, text, finding_type, value
):
    assert (finding_type, value) in [
        (f[0], f[2].strip()) for f in found(detector, text)
    ]


@pytest.mark.parametrize(
    "text, severity",
    [
        # an organisation's address after its legal form or an office cue
        (
            "write to the Free Software Foundation, Inc., 51 Franklin Street, "
            "Fifth Floor, Boston, MA 02110-1301, USA.",
            "info",
        ),
        (
            'BeOpen.com ("BeOpen"), having an\noffice at 160 Saratoga Avenue, '
            "Santa Clara, CA 95051, and the Licensee",
            "info",
        ),
        (
            "Research and Technology\n  Institute at 351 West 10th Street.  "
            "Indianapolis, Indiana",
            "info",
        ),
        ("Ann Lee lives at 51 Franklin Street, Boston, MA 02110.", "medium"),
    ],
)
def test_an_organisations_address_is_not_a_persons(detector, text, severity):
    places = [f for f in found(detector, text) if f[0] == "LOCATION"]
    assert len(places) == 1 and places[0][1] == severity


@pytest.mark.parametrize(
    "text, severity",
    [
        ("--set-advertisement-ranges=8.8.0.0/16 for the router", "low"),
        ("a route to 2a00:1450:4001::/48 only", "low"),
        ("login from 166.102.165.23/32 at noon", "medium"),
        ("Multicast ff02::1 and 224.0.0.251 on the link", "low"),
        ("route add -net 192.56.76.0 netmask 255.255.255.0 dev eth0", "low"),
        ("login from 166.102.165.0 at noon", "low"),
        ("login from 166.102.165.10 at noon", "medium"),
    ],
)
def test_a_network_is_no_ones_device(detector, text, severity):
    ips = [f for f in found(detector, text) if f[0] == "IP_ADDRESS"]
    assert ips and {f[1] for f in ips} == {severity}


@pytest.mark.parametrize(
    "text, places",
    [
        ("他接到一本杂志的约稿“一座城市的毁灭和新生”的时候", []),
        ("这个县城区的路很宽，每个区都有公园。", []),
        ("寄到十堰市张湾区车城路18号。", ["十堰市张湾区车城路18号"]),
        ("五家渠市青湖路1号", ["五家渠市青湖路1号"]),
    ],
)
def test_a_counted_city_is_no_address(detector, text, places):
    found_places = [f[2] for f in found(detector, text) if f[0] == "LOCATION"]
    assert found_places == places


@pytest.mark.parametrize(
    "text, statements",
    [
        # a religion word that goes on as the e-mail address after the name
        ("Christian Laubscher\tchristian.laubscher@example.ch\nChris Ransom", []),
        ("Mary Jones is a Christian. mary@example.com", ["Christian"]),
    ],
)
def test_a_sensitive_word_inside_an_address_is_no_statement(detector, text, statements):
    said = [f[2] for f in found(detector, text) if f[0] == "RELIGIOUS_BELIEF"]
    assert said == statements


@pytest.mark.parametrize(
    "text, severity",
    [
        ("小米MI (小米科技有限责任公司)  (400-100-5678)", "info"),
        ("刚才打电话400-711-6699，想问问啥时候能到。", "info"),
        ("联系电话：010-62345678。", "medium"),
        # in English text 800 is a North-American toll-free prefix, not China's
        ("Call our hotline 800-555-0199 today.", "medium"),
    ],
)
def test_a_chinese_service_number_is_an_organisations(detector, text, severity):
    phones = [f for f in found(detector, text) if "PHONE" in f[0]]
    assert len(phones) == 1 and phones[0][1] == severity


# -- scripts/bench_other_corpora.py: records of a file -----------------------------------
@pytest.mark.parametrize(
    "text, split, expected",
    [
        # fortune files: a line of "%" separates quotations and is dropped
        ("One.\n%\nTwo,\nthree.\n%\nFour.", r"^%$", ["One.", "Two,\nthree.", "Four."]),
        # a dictd dictionary: each unindented headword line opens its entry
        (
            "Formation\n   1. The act.\n   2. A form.\nFort\n   A castle.",
            r"^\S",
            ["Formation\n   1. The act.\n   2. A form.", "Fort\n   A castle."],
        ),
        ("A whole file.", None, ["A whole file."]),
    ],
)
def test_bench_other_corpora_cuts_files_into_records(text, split, expected):
    import re

    from tests.support.scripts import load_script

    bench = load_script("bench_other_corpora")
    assert bench.records(text, re.compile(split) if split else None) == expected
