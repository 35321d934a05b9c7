import platform

import pytest
from corpusgate.pipelines.audit import allocator


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="the arena cap is a glibc setting",
)
def test_arena_cap_is_taken_by_glibc():
    assert allocator.limit_arenas() is True


def test_no_c_library_is_a_no_op(monkeypatch):
    monkeypatch.setattr(allocator, "_libc", lambda: None)
    assert allocator.limit_arenas() is False
