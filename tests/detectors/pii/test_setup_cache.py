"""The set-up cache: a result is built once per key, read back as built, rebuilt
when what it depends on changes, and never needed for a correct answer."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys

import pytest
from corpusgate.detectors.pii import setup_cache
from corpusgate.detectors.pii.china import segmenter


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(setup_cache.ENV, str(folder))
    return folder


def counting_build(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_built_once_then_read_back(cache):
    value = ({"词": 3, "前缀": 0}, {"词": "n"}, [1.5, -2.25])
    build, calls = counting_build(value)
    assert setup_cache.cached("t", ["data v1"], build) == value
    assert setup_cache.cached("t", ["data v1"], build) == value
    assert len(calls) == 1
    assert len(list(cache.glob("t-*.marshal"))) == 1


@pytest.mark.parametrize(
    "parts",
    [["data v2"], ["data", " v1"], ["data v1", b""], []],
)
def test_another_key_builds_again_and_replaces_the_old_file(cache, parts):
    build, calls = counting_build([1])
    setup_cache.cached("t", ["data v1"], build)
    setup_cache.cached("t", parts, build)
    assert len(calls) == 2
    assert len(list(cache.glob("t-*.marshal"))) == 1  # the old key's file is gone


def test_names_do_not_share_files(cache):
    build, calls = counting_build([1])
    setup_cache.cached("a", ["x"], build)
    setup_cache.cached("b", ["x"], build)
    assert len(calls) == 2 and len(list(cache.iterdir())) == 2


@pytest.mark.parametrize("content", [b"", b"\x00garbage", marshal.dumps([1, 2])[:-3]])
def test_an_unreadable_file_is_built_again(cache, content):
    build, calls = counting_build({"k": 1})
    setup_cache.cached("t", ["x"], build)
    (path,) = cache.glob("t-*.marshal")
    path.write_bytes(content)
    assert setup_cache.cached("t", ["x"], build) == {"k": 1}
    assert len(calls) == 2
    assert marshal.loads(path.read_bytes()) == {"k": 1}


def test_off_when_the_variable_is_empty(monkeypatch, tmp_path):
    monkeypatch.setenv(setup_cache.ENV, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    build, calls = counting_build([1])
    setup_cache.cached("t", ["x"], build)
    setup_cache.cached("t", ["x"], build)
    assert len(calls) == 2 and not any(tmp_path.iterdir())


def test_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv(setup_cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert setup_cache.cache_dir() == tmp_path / "corpusgate"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_folder_that_cannot_be_written_only_costs_the_build(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    monkeypatch.setenv(setup_cache.ENV, str(folder / "cache"))
    build, calls = counting_build([1])
    assert setup_cache.cached("t", ["x"], build) == [1]
    assert len(calls) == 1


def test_a_cache_path_that_is_a_file_only_costs_the_build(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(setup_cache.ENV, str(blocker / "cache"))
    build, calls = counting_build([1])
    assert setup_cache.cached("t", ["x"], build) == [1]
    assert setup_cache.cached("t", ["x"], build) == [1]
    assert len(calls) == 2


def test_cached_jieba_dictionary_is_jiebas_parse(tmp_path):
    """A fresh process that builds the cache and one that reads it get jieba's own
    dictionary (key order included) and the same statistics."""
    code = (
        "import hashlib, sys\n"
        "from corpusgate.detectors.pii.china import segmenter\n"
        "from corpusgate.detectors.pii.china.cn_person_recognizer import (\n"
        "    _given_name_statistics, load_lines)\n"
        "single = frozenset(s for s in load_lines('cn_surnames.txt') if len(s) == 1)\n"
        "data = (segmenter.dictionary(), _given_name_statistics(single))\n"
        # the statistics' order follows string hashing (a set), so it is sorted
        "flat = repr([list(d.items()) for d in data[0]]"
        " + [sorted(d.items()) for d in data[1]]).encode()\n"
        "print(hashlib.sha256(flat).hexdigest(), 'jieba' in sys.modules)\n"
    )

    def run(env_value):
        env = dict(os.environ, **{setup_cache.ENV: env_value})
        return subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout.split()

    parsed, parsed_jieba = run("")  # no cache: jieba parses its dictionary
    built, _ = run(str(tmp_path))
    read, read_jieba = run(str(tmp_path))
    assert parsed == built == read
    assert parsed_jieba == "True" and read_jieba == "False"  # jieba not even imported


def test_jieba_data_names_version_and_dictionary():
    version, digest = segmenter.jieba_data()
    assert version.startswith("0.42") and len(digest) == 64
